// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl for NVIDIA ConnectX (mlx5): the auxiliary driver.
 *
 * mlx5_core creates an auxiliary device "mlx5_core.fwctl" for every
 * function whose firmware supports user contexts, sub-functions excepted.
 * On a kernel whose mlx5_core does not (none before the fwctl series),
 * this driver loads but never binds.
 */
#include <linux/auxiliary_bus.h>
#include <linux/mlx5/driver.h>
#include <linux/module.h>

#include "mlx5ctl.h"

static int mlx5ctl_cmd_do(struct mlx5ctl_dev *mcdev, void *in, int in_size,
			  void *out, int out_size)
{
	return mlx5_cmd_do(mcdev->cmd_priv, in, in_size, out, out_size);
}

static const struct mlx5ctl_cmd_ops mlx5ctl_core_cmd_ops = {
	.exec = mlx5ctl_cmd_do,
};

static int mlx5ctl_probe(struct auxiliary_device *adev,
			 const struct auxiliary_device_id *id)
{
	struct mlx5_adev *madev = container_of(adev, struct mlx5_adev, adev);
	struct mlx5_core_dev *mdev = madev->mdev;
	struct mlx5ctl_dev *mcdev;
	int ret;

	mcdev = mlx5ctl_dev_alloc(&adev->dev, &mlx5ctl_core_cmd_ops, mdev,
				  MLX5_CAP_GEN(mdev, uctx_cap));
	if (!mcdev)
		return -ENOMEM;

	auxiliary_set_drvdata(adev, mcdev);
	ret = fwctl_register(&mcdev->fwctl);
	if (ret) {
		fwctl_put(&mcdev->fwctl);
		return ret;
	}
	return 0;
}

/*
 * mlx5_core deletes the auxiliary device before it tears down its command
 * interface, so the user contexts still open are destroyed here while the
 * firmware can still be told.
 */
static void mlx5ctl_remove(struct auxiliary_device *adev)
{
	struct mlx5ctl_dev *mcdev = auxiliary_get_drvdata(adev);

	fwctl_unregister(&mcdev->fwctl);
	fwctl_put(&mcdev->fwctl);
}

static const struct auxiliary_device_id mlx5ctl_id_table[] = {
	{ .name = MLX5_ADEV_NAME ".fwctl" },
	{}
};
MODULE_DEVICE_TABLE(auxiliary, mlx5ctl_id_table);

static struct auxiliary_driver mlx5ctl_driver = {
	.probe = mlx5ctl_probe,
	.remove = mlx5ctl_remove,
	.id_table = mlx5ctl_id_table,
};
module_auxiliary_driver(mlx5ctl_driver);

MODULE_IMPORT_NS(FWCTL);
MODULE_DESCRIPTION("fwctl driver for NVIDIA ConnectX (mlx5) devices");
MODULE_LICENSE("GPL");
