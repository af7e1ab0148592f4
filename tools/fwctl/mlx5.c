// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl mlx5: NVIDIA ConnectX commands over fwctl (include/uapi/fwctl/mlx5.h).
 *
 * A request is a PRM command input mailbox and the reply its output
 * mailbox, both big-endian. Every mailbox starts with a 16-byte header:
 *
 *   in:  opcode[16] uid[16] | reserved[16] op_mod[16] | command fields[64]
 *   out: status[8] reserved[24] | syndrome[32] | reserved[64]
 *
 * The kernel writes the file's uid over the uid field. A reply with a
 * non-zero status is a delivered RPC: the firmware's status and syndrome
 * are in it, and the command exits with status 3.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwctl/mlx5.h>

#include "cli.h"
#include "util.h"

#define MLX5_OP_QUERY_HCA_CAP	0x100
#define MLX5_OP_ACCESS_REG	0x805
#define MLX5_OP_NOP		0x80d

#define MLX5_REG_OP_MOD_WRITE	0
#define MLX5_REG_OP_MOD_READ	1

/* QUERY_HCA_CAP returns a 4 KiB capability page after the header */
#define MLX5_CAP_PAGE_LEN	4096
/* Longest register the command moves; the kernel's limit is 64 KiB */
#define MLX5_MAX_REG_LEN	(64 * 1024 - MLX5_HDR_LEN)

static const struct {
	uint8_t status;
	const char *name;
} mlx5_statuses[] = {
	{ 0x00, "ok" },
	{ 0x01, "internal_error" },
	{ 0x02, "bad_opcode" },
	{ 0x03, "bad_parameter" },
	{ 0x04, "bad_system_state" },
	{ 0x05, "bad_resource" },
	{ 0x06, "resource_busy" },
	{ 0x07, "not_ready" },
	{ 0x08, "limits_exceeded" },
	{ 0x09, "bad_resource_state" },
	{ 0x0a, "bad_index" },
	{ 0x0f, "no_resources" },
	{ 0x10, "bad_qp_state" },
	{ 0x30, "bad_packet" },
	{ 0x40, "bad_size_outstanding_cqes" },
	{ 0x50, "bad_input_length" },
	{ 0x51, "bad_output_length" },
};

/* A field of the general device capabilities: bit offset and width */
static const struct {
	const char *name;
	uint16_t bit;
	uint8_t width;
} mlx5_gen_caps[] = {
	{ "vhca_resource_manager", 0x1f, 1 },
	{ "vhca_id", 0x30, 16 },
	{ "log_max_qp_sz", 0x88, 8 },
	{ "log_max_qp", 0x9b, 5 },
	{ "log_max_cq_sz", 0xc8, 8 },
	{ "log_max_cq", 0xdb, 5 },
	{ "log_max_mkey", 0xea, 6 },
	{ "log_max_eq", 0xfc, 4 },
	{ "nic_flow_table", 0x1a6, 1 },
	{ "eswitch_manager", 0x1a7, 1 },
	{ "port_type", 0x1b6, 2 },
	{ "num_ports", 0x1b8, 8 },
	{ "log_max_msg", 0x1c3, 5 },
	{ "max_tc", 0x1cc, 4 },
	{ "roce", 0x21d, 1 },
	{ "log_max_pd", 0x32b, 5 },
	{ "general_obj_types", 0x400, 64 },
	{ "log_max_uctx", 0x463, 5 },
	{ "uctx_cap", 0x6a0, 32 },
};

const char *mlx5_status_name(uint8_t status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mlx5_statuses); i++)
		if (mlx5_statuses[i].status == status)
			return mlx5_statuses[i].name;
	return NULL;
}

/**
 * mlx5_field() - a field of a big-endian PRM structure
 * @p: the structure
 * @len: its length in bytes
 * @bit: offset of the field's first bit, counted from the first byte's
 *	most significant bit, as the PRM counts
 * @width: its width in bits, 1 to 64
 *
 * Return: the field, or 0 when it lies past @len.
 */
uint64_t mlx5_field(const uint8_t *p, size_t len, uint32_t bit,
		    uint32_t width)
{
	uint64_t v = 0;
	uint32_t i;

	if (!width || width > 64 || bit + width > len * 8)
		return 0;
	for (i = bit; i < bit + width; i++)
		v = (v << 1) | ((p[i / 8] >> (7 - i % 8)) & 1);
	return v;
}

/**
 * mlx5_encode_hdr() - the 16-byte header of a command input mailbox
 * @in: the mailbox, at least %MLX5_HDR_LEN bytes, zeroed by the caller
 * @opcode: the command
 * @op_mod: its modifier
 */
void mlx5_encode_hdr(uint8_t *in, uint16_t opcode, uint16_t op_mod)
{
	uint16_t v;

	v = htons(opcode);
	memcpy(in, &v, sizeof(v));
	v = htons(op_mod);
	memcpy(in + 6, &v, sizeof(v));
}

/**
 * mlx5_encode_access_reg() - an ACCESS_REG input mailbox
 * @in: the mailbox, %MLX5_HDR_LEN bytes and then the register data,
 *	zeroed by the caller except for the data
 * @write: a write (op_mod 0) rather than a read (op_mod 1)
 * @reg_id: the register
 * @arg: the command's argument
 */
void mlx5_encode_access_reg(uint8_t *in, bool write, uint16_t reg_id,
			    uint32_t arg)
{
	uint16_t id = htons(reg_id);
	uint32_t a = htonl(arg);

	mlx5_encode_hdr(in, MLX5_OP_ACCESS_REG,
			write ? MLX5_REG_OP_MOD_WRITE : MLX5_REG_OP_MOD_READ);
	memcpy(in + 10, &id, sizeof(id));
	memcpy(in + 12, &a, sizeof(a));
}

/**
 * mlx5_decode_out() - the status of a command output mailbox
 * @out: the mailbox
 * @len: its length
 * @st: its status, syndrome and the status's name
 *
 * Return: false when @len is shorter than the header.
 */
bool mlx5_decode_out(const void *out, uint32_t len, struct cli_fw_status *st)
{
	uint32_t syndrome;

	if (len < MLX5_HDR_LEN)
		return false;
	memcpy(&syndrome, (const uint8_t *)out + 4, sizeof(syndrome));
	st->status = ((const uint8_t *)out)[0];
	st->syndrome = ntohl(syndrome);
	st->name = mlx5_status_name(st->status);
	return true;
}

/**
 * mlx5_caps_show() - decode a page of general device capabilities
 * @cli: the run
 * @cap: the page, as QUERY_HCA_CAP returns it after the header
 * @len: its length; fields past it are left out
 */
void mlx5_caps_show(struct cli *cli, const uint8_t *cap, uint32_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mlx5_gen_caps); i++) {
		if (mlx5_gen_caps[i].bit + mlx5_gen_caps[i].width > len * 8)
			continue;
		cli_out_u64(cli, mlx5_gen_caps[i].name,
			    mlx5_field(cap, len, mlx5_gen_caps[i].bit,
				       mlx5_gen_caps[i].width));
	}
}

/**
 * mlx5_exec() - send a command and check its reply
 * @cli: the run
 * @a: the subcommand's arguments: device and scope
 * @need_scope: the scope the command needs
 * @in: the input mailbox
 * @in_len: its length
 * @out: the output mailbox
 * @out_len: in: its size; out: the length returned
 * @dev: the device, open on success
 * @st: the firmware's status
 *
 * Return: 0 when the command was delivered, whatever its status, with the
 * result started; or an exit code with @dev closed.
 */
static int mlx5_exec(struct cli *cli, const struct cli_args *a,
		     int need_scope, const uint8_t *in, uint32_t in_len,
		     uint8_t *out, uint32_t *out_len, struct fwctl_dev *dev,
		     struct cli_fw_status *st)
{
	int scope = a->scope >= 0 ? a->scope : need_scope;
	uint32_t cap = *out_len;
	int ret;

	ret = cli_open_driver(cli, a->spec, &cli_drv_mlx5, dev, NULL, NULL);
	if (ret)
		return ret;
	ret = cli_rpc(cli, dev, scope, need_scope, in, in_len, out, out_len);
	if (!ret && (*out_len > cap || !mlx5_decode_out(out, *out_len, st)))
		ret = cli_fail(cli, CLI_EXIT_DEVICE,
			       "%s: reply of %u bytes, expected %zu to %u",
			       dev->name, *out_len, (size_t)MLX5_HDR_LEN, cap);
	if (ret) {
		fwctl_dev_close(dev);
		return ret;
	}
	cli_doc_begin(cli);
	if (cli->json) {
		cli_out_str(cli, "name", dev->name);
		cli_out_str(cli, "scope", fwctl_scope_name(scope));
	}
	if (cli->json || st->status) {
		cli_out_u64(cli, "status", st->status);
		cli_out_str(cli, "status_name", st->name);
		cli_out_x64(cli, "syndrome", st->syndrome);
	}
	return 0;
}

/* Ends the result of mlx5_exec(): the exit code the status calls for */
static int mlx5_done(struct cli *cli, struct fwctl_dev *dev,
		     const struct cli_fw_status *st, int ret)
{
	cli_doc_end(cli);
	if (!ret && st->status)
		ret = cli_fw_error(cli, dev->name, st);
	fwctl_dev_close(dev);
	return ret;
}

static int mlx5_nop(struct cli *cli, int argc, char **argv)
{
	uint8_t in[MLX5_HDR_LEN] = {}, out[MLX5_HDR_LEN];
	uint32_t out_len = sizeof(out);
	struct cli_fw_status st;
	struct fwctl_dev dev;
	struct cli_args a;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mlx5, argv[0]);
	mlx5_encode_hdr(in, MLX5_OP_NOP, 0);
	ret = mlx5_exec(cli, &a, FWCTL_RPC_CONFIGURATION, in, sizeof(in), out,
			&out_len, &dev, &st);
	if (ret)
		return ret;
	return mlx5_done(cli, &dev, &st, 0);
}

static int mlx5_caps(struct cli *cli, int argc, char **argv)
{
	uint8_t in[MLX5_HDR_LEN] = {};
	uint32_t type = 0, out_len;
	struct cli_fw_status st;
	struct fwctl_dev dev;
	struct cli_args a;
	bool max = false;
	uint8_t *out;
	int ret, i;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_OUT, 0, 2, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mlx5, argv[0]);
	for (i = 0; i < a.nargs; i++) {
		if (!strcmp(a.args[i], "max"))
			max = true;
		else if (!strcmp(a.args[i], "current"))
			max = false;
		else if (cli_parse_u32(cli, "capability type", a.args[i],
				       &type))
			return CLI_EXIT_USAGE;
	}
	if (type > 0x7fff)
		return cli_usage(cli, "capability type %u is out of range",
				 type);
	out_len = MLX5_HDR_LEN + MLX5_CAP_PAGE_LEN;
	out = calloc(1, out_len);
	if (!out)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	mlx5_encode_hdr(in, MLX5_OP_QUERY_HCA_CAP, type << 1 | !max);
	ret = mlx5_exec(cli, &a, FWCTL_RPC_DEBUG_READ_ONLY, in, sizeof(in), out,
			&out_len, &dev, &st);
	if (ret)
		goto out_free;
	out_len -= MLX5_HDR_LEN;
	cli_out_u64(cli, "type", type);
	cli_out_str(cli, "values", max ? "max" : "current");
	if (!st.status && !type)
		mlx5_caps_show(cli, out + MLX5_HDR_LEN, out_len);
	if (!st.status && a.out) {
		ret = write_output(a.out, out + MLX5_HDR_LEN, out_len);
		if (ret)
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a.out,
				       strerror(-ret));
	}
	if (!st.status && (cli->json || (type && !a.out)))
		cli_out_hex(cli, "capabilities", out + MLX5_HDR_LEN, out_len);
	ret = mlx5_done(cli, &dev, &st, ret);
out_free:
	free(out);
	return ret;
}

/*
 * ACCESS_REG, read or write: the register data comes from --hex or --in,
 * --size pads it (a read usually sends the register's index fields and
 * zeros), and the reply carries as much as was sent
 */
static int mlx5_reg(struct cli *cli, int argc, char **argv, bool write)
{
	uint32_t reg_id, arg = 0, in_len, out_len;
	uint8_t *data, *in = NULL, *out = NULL;
	struct cli_fw_status st;
	struct fwctl_dev dev;
	struct cli_args a;
	size_t len, data_len;
	int ret;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_DATA | CLI_OPT_OUT |
			     CLI_OPT_SIZE, 1, 2, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mlx5, argv[0]);
	ret = cli_parse_u32(cli, "register id", a.args[0], &reg_id);
	if (!ret && a.nargs > 1)
		ret = cli_parse_u32(cli, "argument", a.args[1], &arg);
	if (ret)
		return ret;
	if (reg_id > 0xffff)
		return cli_usage(cli, "register id 0x%x is out of range",
				 reg_id);
	ret = cli_read_data(cli, a.in, a.hex, &data, &len);
	if (ret)
		return ret;
	data_len = len;
	if (a.size > len)
		len = a.size;
	if (!len || len > MLX5_MAX_REG_LEN || len % 4) {
		ret = cli_usage(cli,
				"register data of %zu bytes: give a multiple of 4 bytes, up to %u, with --hex, --in or --size",
				len, MLX5_MAX_REG_LEN);
		goto out_free;
	}
	in_len = MLX5_HDR_LEN + len;
	out_len = in_len;
	in = calloc(1, in_len);
	out = calloc(1, out_len);
	if (!in || !out) {
		ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
		goto out_free;
	}
	memcpy(in + MLX5_HDR_LEN, data, data_len);
	mlx5_encode_access_reg(in, write, reg_id, arg);
	ret = mlx5_exec(cli, &a, write ? FWCTL_RPC_DEBUG_WRITE_FULL :
			FWCTL_RPC_DEBUG_READ_ONLY, in, in_len, out, &out_len,
			&dev, &st);
	if (ret)
		goto out_free;
	cli_out_x64(cli, "register_id", reg_id);
	cli_out_x64(cli, "argument", arg);
	if (!st.status && a.out) {
		ret = write_output(a.out, out + MLX5_HDR_LEN,
				   out_len - MLX5_HDR_LEN);
		if (ret)
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a.out,
				       strerror(-ret));
	}
	if (!st.status && (cli->json || !a.out))
		cli_out_hex(cli, "data", out + MLX5_HDR_LEN,
			    out_len - MLX5_HDR_LEN);
	ret = mlx5_done(cli, &dev, &st, ret);
out_free:
	free(in);
	free(out);
	free(data);
	return ret;
}

static int mlx5_reg_read(struct cli *cli, int argc, char **argv)
{
	return mlx5_reg(cli, argc, argv, false);
}

static int mlx5_reg_write(struct cli *cli, int argc, char **argv)
{
	return mlx5_reg(cli, argc, argv, true);
}

static const struct cli_cmd mlx5_cmds[] = {
	{ "nop", "DEV [--scope S]",
	  "send NOP: checks the path to the firmware (configuration)",
	  mlx5_nop },
	{ "caps", "DEV [TYPE] [current|max] [--out FILE|-] [--scope S]",
	  "QUERY_HCA_CAP: a capability page, the general one (type 0) decoded (debug_read_only)",
	  mlx5_caps },
	{ "reg-read", "DEV REG_ID [ARG] --hex HEX|--in FILE|--size N [--out FILE|-] [--scope S]",
	  "ACCESS_REG read: send the register's index fields, show the register (debug_read_only)",
	  mlx5_reg_read },
	{ "reg-write", "DEV REG_ID [ARG] --hex HEX|--in FILE [--size N] [--scope S]",
	  "ACCESS_REG write: anything a register can do, firmware burning included (debug_write_full)",
	  mlx5_reg_write },
};

static void mlx5_info_show(struct cli *cli, const void *data, uint32_t len)
{
	const struct fwctl_info_mlx5 *info = data;

	if (len < sizeof(*info)) {
		cli_out_str(cli, "error", "device data shorter than struct fwctl_info_mlx5");
		return;
	}
	cli_out_u64(cli, "uid", info->uid);
	cli_out_x64(cli, "uctx_caps", info->uctx_caps);
}

const struct cli_driver cli_drv_mlx5 = {
	.name = "mlx5",
	.device_type = FWCTL_DEVICE_TYPE_MLX5,
	.summary = "commands of NVIDIA ConnectX devices",
	.cmds = mlx5_cmds,
	.num_cmds = ARRAY_SIZE(mlx5_cmds),
	.info_show = mlx5_info_show,
	.reply_status = mlx5_decode_out,
};
