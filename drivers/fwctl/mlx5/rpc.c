// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl for NVIDIA ConnectX (mlx5): user contexts, the command allowlist
 * and the RPC path.
 *
 * Every open file gets a firmware user context of its own, and the uid of
 * that context is written over the uid of every command the file sends.
 * The firmware then confines the file to what its context may do, and the
 * context lives exactly as long as the file: created at open, destroyed at
 * close, or when the device goes away with the file still open.
 *
 * Which commands reach the firmware, at which scope, is decided by
 * mlx5ctl_cmd_table, which the fwctl core checks before a request gets
 * here. Documentation/userspace-api/fwctl/fwctl-mlx5.rst gives the reason
 * for every entry.
 *
 * Nothing here calls into mlx5_core: commands go through
 * &mlx5ctl_dev.cmd_ops, which main.c points at mlx5_cmd_do(), and the
 * KUnit test at a simulated firmware.
 */
#include <kunit/visibility.h>
#include <linux/mlx5/device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <uapi/fwctl/mlx5.h>

#include "mlx5ctl.h"

/* The header every PRM command starts with */
struct mlx5_ifc_mlx5ctl_mbox_in_bits {
	u8         opcode[0x10];
	u8         uid[0x10];

	u8         reserved_at_20[0x10];
	u8         op_mod[0x10];

	u8         reserved_at_40[0x40];
};

/* The header every PRM reply starts with */
struct mlx5_ifc_mlx5ctl_mbox_out_bits {
	u8         status[0x8];
	u8         reserved_at_8[0x18];

	u8         syndrome[0x20];

	u8         reserved_at_40[0x40];
};

static_assert(MLX5_ST_SZ_BYTES(mlx5ctl_mbox_in) == MLX5CTL_MBOX_HDR_LEN);
static_assert(MLX5_ST_SZ_BYTES(mlx5ctl_mbox_out) == MLX5CTL_MBOX_HDR_LEN);

/* PRM opcodes that linux/mlx5/mlx5_ifc.h does not name */
enum {
	MLX5CTL_OP_QUERY_OTHER_HCA_CAP		= 0x10e,
	MLX5CTL_OP_QUERY_DIAGNOSTIC_PARAMS	= 0x819,
	MLX5CTL_OP_SET_DIAGNOSTIC_PARAMS	= 0x820,
	MLX5CTL_OP_QUERY_DIAGNOSTIC_COUNTERS	= 0x821,
};

/* op_mod of ACCESS_REG */
enum {
	MLX5CTL_ACCESS_REG_WRITE	= 0,
	MLX5CTL_ACCESS_REG_READ		= 1,
};

/*
 * Longest request and reply the table lets through. The PRM layouts of
 * these commands grow with firmware revisions, and some replies are lists
 * sized by device capabilities (MAC and GID tables), so the bound is not
 * per command: it only keeps the core from allocating more than any of
 * them needs.
 */
#define MLX5CTL_MBOX_MAX	SZ_64K

/**
 * struct mlx5ctl_uctx - per-file state
 * @uctx: the core's part; first, as FWCTL_UCTX_SIZE() requires
 * @uid: the file's firmware user context, never 0 (the kernel's own)
 * @uctx_caps: capabilities the context was created with
 */
struct mlx5ctl_uctx {
	struct fwctl_uctx uctx;
	u16 uid;
	u32 uctx_caps;
};

static struct mlx5ctl_dev *to_mlx5ctl_dev(struct fwctl_uctx *uctx)
{
	return container_of(uctx->fwctl, struct mlx5ctl_dev, fwctl);
}

static struct mlx5ctl_uctx *to_mlx5ctl_uctx(struct fwctl_uctx *uctx)
{
	return container_of(uctx, struct mlx5ctl_uctx, uctx);
}

/*
 * Runs a command of the driver's own, for which a firmware status is a
 * failure like any other.
 */
static int mlx5ctl_exec(struct mlx5ctl_dev *mcdev, void *in, int in_size,
			void *out, int out_size)
{
	int ret;

	ret = mcdev->cmd_ops->exec(mcdev, in, in_size, out, out_size);
	if (ret != -EREMOTEIO)
		return ret;

	dev_dbg(&mcdev->fwctl.dev, "command %#x failed: status %#x, syndrome %#x\n",
		MLX5_GET(mlx5ctl_mbox_in, in, opcode),
		MLX5_GET(mlx5ctl_mbox_out, out, status),
		MLX5_GET(mlx5ctl_mbox_out, out, syndrome));
	/* Out of user contexts: too many files are open */
	if (MLX5_GET(mlx5ctl_mbox_out, out, status) == MLX5_CMD_STAT_LIM_ERR)
		return -ENOSPC;
	return -EIO;
}

static int mlx5ctl_open_uctx(struct fwctl_uctx *uctx)
{
	struct mlx5ctl_uctx *mfd = to_mlx5ctl_uctx(uctx);
	struct mlx5ctl_dev *mcdev = to_mlx5ctl_dev(uctx);
	u32 out[MLX5_ST_SZ_DW(create_uctx_out)] = {};
	u32 in[MLX5_ST_SZ_DW(create_uctx_in)] = {};
	void *ctx = MLX5_ADDR_OF(create_uctx_in, in, uctx);
	u16 uid;
	int ret;

	MLX5_SET(create_uctx_in, in, opcode, MLX5_CMD_OP_CREATE_UCTX);
	MLX5_SET(uctx, ctx, cap, mcdev->uctx_caps);
	ret = mlx5ctl_exec(mcdev, in, sizeof(in), out, sizeof(out));
	if (ret)
		return ret;

	/*
	 * uid 0 is the kernel's own context, which the firmware does not
	 * confine: stamping it on a file's commands would lift every limit.
	 */
	uid = MLX5_GET(create_uctx_out, out, uid);
	if (!uid) {
		dev_warn_ratelimited(&mcdev->fwctl.dev,
				     "firmware created a user context with uid 0\n");
		return -EIO;
	}

	mfd->uid = uid;
	mfd->uctx_caps = mcdev->uctx_caps;
	return 0;
}

static void mlx5ctl_close_uctx(struct fwctl_uctx *uctx)
{
	struct mlx5ctl_uctx *mfd = to_mlx5ctl_uctx(uctx);
	struct mlx5ctl_dev *mcdev = to_mlx5ctl_dev(uctx);
	u32 out[MLX5_ST_SZ_DW(destroy_uctx_out)] = {};
	u32 in[MLX5_ST_SZ_DW(destroy_uctx_in)] = {};
	int ret;

	MLX5_SET(destroy_uctx_in, in, opcode, MLX5_CMD_OP_DESTROY_UCTX);
	MLX5_SET(destroy_uctx_in, in, uid, mfd->uid);
	ret = mlx5ctl_exec(mcdev, in, sizeof(in), out, sizeof(out));
	/* Nothing to retry with: the context stays with the firmware */
	if (ret)
		dev_warn_ratelimited(&mcdev->fwctl.dev,
				     "cannot destroy user context %u: %d\n",
				     mfd->uid, ret);
}

static void *mlx5ctl_info(struct fwctl_uctx *uctx, size_t *length)
{
	struct mlx5ctl_uctx *mfd = to_mlx5ctl_uctx(uctx);
	struct fwctl_info_mlx5 *info;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);

	info->uid = mfd->uid;
	info->uctx_caps = mfd->uctx_caps;
	*length = sizeof(*info);
	return info;
}

static void *mlx5ctl_fw_rpc(struct fwctl_uctx *uctx,
			    const struct fwctl_cmd *cmd,
			    enum fwctl_rpc_scope scope, void *rpc_in,
			    size_t in_len, size_t *out_len)
{
	struct mlx5ctl_uctx *mfd = to_mlx5ctl_uctx(uctx);
	struct mlx5ctl_dev *mcdev = to_mlx5ctl_dev(uctx);
	void *rpc_out;
	int ret;

	/* The table's bounds guarantee both headers; the uid is written below */
	if (in_len < MLX5CTL_MBOX_HDR_LEN || *out_len < MLX5CTL_MBOX_HDR_LEN)
		return ERR_PTR(-EINVAL);

	/*
	 * Not answered in place: mlx5_cmd_do() reads the request's header
	 * again after the reply is written, for its statistics and traces.
	 */
	rpc_out = kvzalloc(*out_len, GFP_KERNEL_ACCOUNT);
	if (!rpc_out)
		return ERR_PTR(-ENOMEM);

	MLX5_SET(mlx5ctl_mbox_in, rpc_in, uid, mfd->uid);
	ret = mcdev->cmd_ops->exec(mcdev, rpc_in, in_len, rpc_out, *out_len);
	/* A failure status is the firmware's answer, for user space to read */
	if (ret && ret != -EREMOTEIO) {
		kvfree(rpc_out);
		return ERR_PTR(ret);
	}
	return rpc_out;
}

#define MLX5CTL_CMD(_op, _scope, _name)					\
	{								\
		.id = _op,						\
		.scope = FWCTL_RPC_##_scope,				\
		.in_min = MLX5CTL_MBOX_HDR_LEN,				\
		.in_max = MLX5CTL_MBOX_MAX,				\
		.out_min = MLX5CTL_MBOX_HDR_LEN,			\
		.out_max = MLX5CTL_MBOX_MAX,				\
		.name = _name,						\
	}

/* For a command whose op_mod decides whether it reads or writes */
#define MLX5CTL_CMD_MOD(_op, _mod, _scope, _name)			\
	{								\
		.id = _op,						\
		.mod = _mod,						\
		.flags = FWCTL_CMD_MATCH_MOD,				\
		.scope = FWCTL_RPC_##_scope,				\
		.in_min = MLX5CTL_MBOX_HDR_LEN,				\
		.in_max = MLX5CTL_MBOX_MAX,				\
		.out_min = MLX5CTL_MBOX_HDR_LEN,			\
		.out_max = MLX5CTL_MBOX_MAX,				\
		.name = _name,						\
	}

/*
 * Queries are read-only debug; writes of diagnostic parameters are debug
 * writes; register writes can do anything. No command here creates a
 * firmware object: nothing could destroy it when the file is closed.
 * Every entry is explained in fwctl-mlx5.rst; keep the two in step.
 */
static const struct fwctl_cmd mlx5ctl_cmds[] = {
	{
		.id = MLX5_CMD_OP_NOP,
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_min = MLX5CTL_MBOX_HDR_LEN,
		.in_max = MLX5CTL_MBOX_HDR_LEN,
		.out_min = MLX5CTL_MBOX_HDR_LEN,
		.out_max = MLX5CTL_MBOX_HDR_LEN,
		.name = "NOP",
	},
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_HCA_CAP, DEBUG_READ_ONLY,
		    "QUERY_HCA_CAP"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_ADAPTER, DEBUG_READ_ONLY,
		    "QUERY_ADAPTER"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_ISSI, DEBUG_READ_ONLY, "QUERY_ISSI"),
	MLX5CTL_CMD(MLX5CTL_OP_QUERY_OTHER_HCA_CAP, DEBUG_READ_ONLY,
		    "QUERY_OTHER_HCA_CAP"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_ESW_FUNCTIONS, DEBUG_READ_ONLY,
		    "QUERY_ESW_FUNCTIONS"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_VPORT_STATE, DEBUG_READ_ONLY,
		    "QUERY_VPORT_STATE"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_ESW_VPORT_CONTEXT, DEBUG_READ_ONLY,
		    "QUERY_ESW_VPORT_CONTEXT"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_NIC_VPORT_CONTEXT, DEBUG_READ_ONLY,
		    "QUERY_NIC_VPORT_CONTEXT"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_ROCE_ADDRESS, DEBUG_READ_ONLY,
		    "QUERY_ROCE_ADDRESS"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_HCA_VPORT_CONTEXT, DEBUG_READ_ONLY,
		    "QUERY_HCA_VPORT_CONTEXT"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_HCA_VPORT_GID, DEBUG_READ_ONLY,
		    "QUERY_HCA_VPORT_GID"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_HCA_VPORT_PKEY, DEBUG_READ_ONLY,
		    "QUERY_HCA_VPORT_PKEY"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_VNIC_ENV, DEBUG_READ_ONLY,
		    "QUERY_VNIC_ENV"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_MAD_DEMUX, DEBUG_READ_ONLY,
		    "QUERY_MAD_DEMUX"),
	MLX5CTL_CMD(MLX5CTL_OP_QUERY_DIAGNOSTIC_PARAMS, DEBUG_READ_ONLY,
		    "QUERY_DIAGNOSTIC_PARAMS"),
	MLX5CTL_CMD(MLX5CTL_OP_QUERY_DIAGNOSTIC_COUNTERS, DEBUG_READ_ONLY,
		    "QUERY_DIAGNOSTIC_COUNTERS"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_CONG_STATUS, DEBUG_READ_ONLY,
		    "QUERY_CONG_STATUS"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_CONG_PARAMS, DEBUG_READ_ONLY,
		    "QUERY_CONG_PARAMS"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_WOL_ROL, DEBUG_READ_ONLY,
		    "QUERY_WOL_ROL"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_LAG, DEBUG_READ_ONLY, "QUERY_LAG"),
	MLX5CTL_CMD(MLX5_CMD_OP_QUERY_VHCA_STATE, DEBUG_READ_ONLY,
		    "QUERY_VHCA_STATE"),
	MLX5CTL_CMD(MLX5_CMD_OPCODE_QUERY_VUID, DEBUG_READ_ONLY,
		    "QUERY_VUID"),
	MLX5CTL_CMD_MOD(MLX5_CMD_OP_ACCESS_REG, MLX5CTL_ACCESS_REG_READ,
			DEBUG_READ_ONLY, "ACCESS_REG read"),
	MLX5CTL_CMD(MLX5CTL_OP_SET_DIAGNOSTIC_PARAMS, DEBUG_WRITE,
		    "SET_DIAGNOSTIC_PARAMS"),
	MLX5CTL_CMD_MOD(MLX5_CMD_OP_ACCESS_REG, MLX5CTL_ACCESS_REG_WRITE,
			DEBUG_WRITE_FULL, "ACCESS_REG write"),
};

/* Keyed on the big-endian opcode and op_mod of the PRM header */
const struct fwctl_cmd_table mlx5ctl_cmd_table = {
	.id = {
		.offset = MLX5_BYTE_OFF(mlx5ctl_mbox_in, opcode),
		.width = 2,
		.flags = FWCTL_FIELD_BE,
	},
	.mod = {
		.offset = MLX5_BYTE_OFF(mlx5ctl_mbox_in, op_mod),
		.width = 2,
		.flags = FWCTL_FIELD_BE,
	},
	.cmds = mlx5ctl_cmds,
	.num_cmds = ARRAY_SIZE(mlx5ctl_cmds),
};
EXPORT_SYMBOL_IF_KUNIT(mlx5ctl_cmd_table);

static const struct fwctl_ops mlx5ctl_ops = {
	.device_type = FWCTL_DEVICE_TYPE_MLX5,
	.uctx_size = FWCTL_UCTX_SIZE(struct mlx5ctl_uctx, uctx),
	.cmds = &mlx5ctl_cmd_table,
	.open_uctx = mlx5ctl_open_uctx,
	.close_uctx = mlx5ctl_close_uctx,
	.info = mlx5ctl_info,
	.fw_rpc = mlx5ctl_fw_rpc,
};

/**
 * mlx5ctl_dev_alloc - allocate the fwctl device of an mlx5 function
 * @parent: the device the fwctl device speaks for
 * @cmd_ops: how commands reach the firmware; must outlive
 *	fwctl_unregister()
 * @cmd_priv: data of @cmd_ops
 * @dev_uctx_cap: the uctx_cap field of the function's general
 *	capabilities: the capabilities its user contexts may have
 *
 * The caller registers the device with fwctl_register(), and unregisters
 * and puts it with fwctl_unregister() and fwctl_put().
 *
 * Return: the device, holding one reference; NULL when memory or minor
 * numbers are exhausted.
 */
struct mlx5ctl_dev *mlx5ctl_dev_alloc(struct device *parent,
				      const struct mlx5ctl_cmd_ops *cmd_ops,
				      void *cmd_priv, u32 dev_uctx_cap)
{
	struct mlx5ctl_dev *mcdev;

	mcdev = fwctl_alloc_device(parent, &mlx5ctl_ops, struct mlx5ctl_dev,
				   fwctl);
	if (!mcdev)
		return NULL;

	mcdev->cmd_ops = cmd_ops;
	mcdev->cmd_priv = cmd_priv;
	mcdev->uctx_caps = dev_uctx_cap & MLX5CTL_UCTX_CAP_TOOLS_RESOURCES;
	return mcdev;
}
EXPORT_SYMBOL_IF_KUNIT(mlx5ctl_dev_alloc);
