/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the mlx5 fwctl driver's logic (rpc.c) shares with the auxiliary
 * driver (main.c) and with its KUnit test. The logic reaches the firmware
 * only through &struct mlx5ctl_cmd_ops, so that the test can put a
 * simulated command interface where mlx5_core's would be, and so that
 * rpc.c builds where mlx5_core does not.
 */
#ifndef __MLX5CTL_H
#define __MLX5CTL_H

#include <linux/fwctl.h>
#include <linux/types.h>

struct mlx5ctl_dev;

/**
 * struct mlx5ctl_cmd_ops - the command interface of a device
 * @exec: executes one PRM command and waits for its completion, with the
 *	contract of mlx5_cmd_do(): 0 when the firmware answered with status
 *	OK; -EREMOTEIO when it answered with another status, which is then in
 *	@out; any other negative errno when the command was not executed.
 *	@in is not changed. Called in process context, concurrently.
 */
struct mlx5ctl_cmd_ops {
	int (*exec)(struct mlx5ctl_dev *mcdev, void *in, int in_size,
		    void *out, int out_size);
};

/**
 * struct mlx5ctl_dev - the fwctl device of one mlx5 function
 * @fwctl: the core's part; first, as fwctl_alloc_device() requires
 * @cmd_ops: how commands reach the firmware
 * @cmd_priv: data of @cmd_ops: the mlx5_core device, or the test's
 *	simulated firmware
 * @uctx_caps: capabilities every user context of the device is created with
 */
struct mlx5ctl_dev {
	struct fwctl_device fwctl;
	const struct mlx5ctl_cmd_ops *cmd_ops;
	void *cmd_priv;
	u32 uctx_caps;
};

/* Capability of CREATE_UCTX: the context may use the firmware's tools commands */
#define MLX5CTL_UCTX_CAP_TOOLS_RESOURCES	0x4

/* Length of the header that starts every PRM command and every reply */
#define MLX5CTL_MBOX_HDR_LEN			16

extern const struct fwctl_cmd_table mlx5ctl_cmd_table;

struct mlx5ctl_dev *mlx5ctl_dev_alloc(struct device *parent,
				      const struct mlx5ctl_cmd_ops *cmd_ops,
				      void *cmd_priv, u32 dev_uctx_cap);

#endif
