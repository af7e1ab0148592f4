// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl mock: the commands of the test-only mock driver, built on its
 * private request format (drivers/fwctl/mock/fwctl_mock.h). Each command
 * sends one kind of request and decodes the reply.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "../../drivers/fwctl/mock/fwctl_mock.h"

#define MOCK_REQ_HDR	sizeof(struct fwctl_mock_req)
#define MOCK_RSP_HDR	sizeof(struct fwctl_mock_rsp)
/* More registers than any mock would have: the info data is not trusted */
#define MOCK_MAX_REGS	1024

static const char *const mock_status_names[] = {
	[FWCTL_MOCK_STATUS_OK] = "ok",
	[FWCTL_MOCK_STATUS_BAD_PARAM] = "bad_param",
	[FWCTL_MOCK_STATUS_DENIED] = "denied",
	[FWCTL_MOCK_STATUS_ABORTED] = "aborted",
};

/* The lowest scope of each opcode, as the mock's command table has it */
static const struct mock_op {
	uint32_t op;
	const char *name;
	int scope;
} mock_ops[] = {
	{ FWCTL_MOCK_OP_ECHO, "echo", FWCTL_RPC_CONFIGURATION },
	{ FWCTL_MOCK_OP_COUNTERS, "counters", FWCTL_RPC_DEBUG_READ_ONLY },
	{ FWCTL_MOCK_OP_REG_READ, "reg_read", FWCTL_RPC_DEBUG_READ_ONLY },
	{ FWCTL_MOCK_OP_REG_WRITE, "reg_write", FWCTL_RPC_DEBUG_WRITE },
	{ FWCTL_MOCK_OP_REG_WRITE_RAW, "reg_write_raw",
	  FWCTL_RPC_DEBUG_WRITE_FULL },
	{ FWCTL_MOCK_OP_FW_ERROR, "fw_error", FWCTL_RPC_CONFIGURATION },
	{ FWCTL_MOCK_OP_SLEEP, "sleep", FWCTL_RPC_CONFIGURATION },
};

static const struct mock_op *mock_op_find(uint32_t op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mock_ops); i++)
		if (mock_ops[i].op == op)
			return &mock_ops[i];
	return NULL;
}

static const char *mock_status_name(uint32_t status)
{
	if (status >= ARRAY_SIZE(mock_status_names))
		return NULL;
	return mock_status_names[status];
}

/* Room for a reply with the largest fixed-size payload, aligned for it */
struct mock_rsp_buf {
	uint8_t b[MOCK_RSP_HDR + sizeof(struct fwctl_mock_counters)];
} __attribute__((aligned(8)));

/**
 * struct mock_reply - a decoded reply
 * @status: an &enum fwctl_mock_status
 * @syndrome: the firmware's detail
 * @payload: the payload, inside the caller's reply buffer
 * @len: its length
 */
struct mock_reply {
	uint32_t status;
	uint32_t syndrome;
	const uint8_t *payload;
	uint32_t len;
};

static int mock_check_reply(struct cli *cli, const struct fwctl_dev *dev,
			    uint32_t op, const void *out, uint32_t produced,
			    uint32_t out_cap, struct mock_reply *rep)
{
	const struct fwctl_mock_rsp *rsp = out;

	if (produced < MOCK_RSP_HDR)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply of %u bytes is shorter than the %zu-byte reply header",
				dev->name, produced, MOCK_RSP_HDR);
	if (produced > out_cap)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply of %u bytes is longer than the %u the command can return",
				dev->name, produced, out_cap);
	if (le32toh(rsp->opcode) != op)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply is for opcode %u, not %u",
				dev->name, le32toh(rsp->opcode), op);
	rep->status = le32toh(rsp->status);
	rep->syndrome = le32toh(rsp->syndrome);
	rep->len = le32toh(rsp->len);
	rep->payload = rsp->payload;
	if (rep->len > produced - MOCK_RSP_HDR)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply header claims %u payload bytes, the reply carries %zu",
				dev->name, rep->len, produced - MOCK_RSP_HDR);
	return 0;
}

/**
 * mock_send() - send one mock request and check the reply's framing
 * @cli: the run
 * @dev: the open device
 * @scope: the scope to send, or -1 for the opcode's own
 * @op: the opcode
 * @payload: the request payload
 * @plen: its length
 * @out: reply buffer, of at least the reply header
 * @out_cap: its size
 * @rep: the decoded reply
 *
 * Return: 0 when a well-formed reply came back, whatever its status, or
 * an exit code.
 */
static int mock_send(struct cli *cli, const struct fwctl_dev *dev, int scope,
		     uint32_t op, const void *payload, size_t plen, void *out,
		     uint32_t out_cap, struct mock_reply *rep)
{
	const struct mock_op *desc = mock_op_find(op);
	struct fwctl_mock_req *req;
	uint32_t produced = out_cap;
	int ret;

	if (plen > UINT32_MAX - MOCK_REQ_HDR)
		return cli_usage(cli, "payload of %zu bytes is too large", plen);
	req = calloc(1, MOCK_REQ_HDR + plen);
	if (!req)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	req->opcode = htole32(op);
	req->len = htole32(plen);
	if (plen)
		memcpy(req->payload, payload, plen);

	ret = cli_rpc(cli, dev, scope >= 0 ? scope : desc->scope, desc->scope,
		      req, MOCK_REQ_HDR + plen, out, &produced);
	free(req);
	if (ret)
		return ret;
	return mock_check_reply(cli, dev, op, out, produced, out_cap, rep);
}

/* The start of every mock command's result */
static void mock_out_head(struct cli *cli, const struct fwctl_dev *dev,
			  uint32_t op, int scope, const struct mock_reply *rep)
{
	const struct mock_op *desc = mock_op_find(op);

	cli_doc_begin(cli);
	if (!cli->json && !rep->status)
		return;
	cli_out_str(cli, "name", dev->name);
	cli_out_str(cli, "opcode", desc->name);
	cli_out_str(cli, "scope",
		    fwctl_scope_name(scope >= 0 ? scope : desc->scope));
	cli_out_u64(cli, "status", rep->status);
	cli_out_str(cli, "status_name", mock_status_name(rep->status));
	cli_out_x64(cli, "syndrome", rep->syndrome);
}

/* The end of every mock command: the exit code its status calls for */
static int mock_out_tail(struct cli *cli, const struct fwctl_dev *dev,
			 const struct mock_reply *rep)
{
	struct cli_fw_status st = {
		.status = rep->status,
		.syndrome = rep->syndrome,
		.name = mock_status_name(rep->status),
	};

	cli_doc_end(cli);
	if (rep->status)
		return cli_fw_error(cli, dev->name, &st);
	return CLI_EXIT_OK;
}

/* Sends a command with a fixed-size reply and prints the common part */
static int mock_simple(struct cli *cli, const struct cli_args *a,
		       struct fwctl_dev *dev, uint32_t op,
		       const void *payload, size_t plen, void *out,
		       size_t out_size, struct mock_reply *rep)
{
	int ret;

	ret = cli_open_driver(cli, a->spec, &cli_drv_mock, dev, NULL, NULL);
	if (ret)
		return ret;
	ret = mock_send(cli, dev, a->scope, op, payload, plen, out, out_size,
			rep);
	if (ret) {
		fwctl_dev_close(dev);
		return ret;
	}
	mock_out_head(cli, dev, op, a->scope, rep);
	return 0;
}

static int mock_echo(struct cli *cli, int argc, char **argv)
{
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	size_t plen, out_cap;
	uint8_t *data;
	void *out;
	bool match;
	int ret;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_DATA | CLI_OPT_OUT, 0, 1,
			     &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	if (a.nargs && (a.in || a.hex))
		return cli_usage(cli, "give TEXT, --in or --hex, not several");
	if (a.nargs) {
		plen = strlen(a.args[0]);
		data = malloc(plen + 1);
		if (!data)
			return cli_fail(cli, CLI_EXIT_DEVICE, "%s",
					strerror(ENOMEM));
		memcpy(data, a.args[0], plen + 1);
	} else {
		ret = cli_read_data(cli, a.in, a.hex, &data, &plen);
		if (ret)
			return ret;
	}
	out_cap = MOCK_RSP_HDR + plen;
	out = out_cap <= UINT32_MAX ? malloc(out_cap) : NULL;
	if (!out) {
		free(data);
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	}

	ret = mock_simple(cli, &a, &dev, FWCTL_MOCK_OP_ECHO, data, plen, out,
			  out_cap, &rep);
	if (ret)
		goto out_free;
	match = rep.len == plen && !memcmp(rep.payload, data, plen);
	if (a.out) {
		ret = write_output(a.out, rep.payload, rep.len);
		if (ret) {
			cli_doc_end(cli);
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a.out,
				       strerror(-ret));
			goto out_close;
		}
	}
	cli_out_u64(cli, "len", rep.len);
	if (cli->json || !a.out)
		cli_out_hex(cli, "payload", rep.payload, rep.len);
	if (cli->json)
		cli_out_bool(cli, "match", match);
	ret = mock_out_tail(cli, &dev, &rep);
	if (!ret && !match)
		ret = cli_fail(cli, CLI_EXIT_DEVICE,
			       "%s: the echo differs from the request",
			       dev.name);
out_close:
	fwctl_dev_close(&dev);
out_free:
	free(out);
	free(data);
	return ret;
}

static int mock_counters(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_counters c;
	struct mock_rsp_buf out;
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = mock_simple(cli, &a, &dev, FWCTL_MOCK_OP_COUNTERS, NULL, 0,
			  &out, MOCK_RSP_HDR + sizeof(c), &rep);
	if (ret)
		return ret;
	if (!rep.status && rep.len < sizeof(c)) {
		cli_doc_end(cli);
		fwctl_dev_close(&dev);
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: counters reply of %u bytes, expected %zu",
				dev.name, rep.len, sizeof(c));
	}
	if (!rep.status) {
		memcpy(&c, rep.payload, sizeof(c));
		cli_out_u64(cli, "uctx_rpcs", le64toh(c.uctx_rpcs));
		cli_out_u64(cli, "dev_rpcs", le64toh(c.dev_rpcs));
		cli_out_u64(cli, "dev_opens", le64toh(c.dev_opens));
		cli_out_u64(cli, "uctx_id", le32toh(c.uctx_id));
		cli_out_u64(cli, "dev_uctxs", le32toh(c.dev_uctxs));
	}
	ret = mock_out_tail(cli, &dev, &rep);
	fwctl_dev_close(&dev);
	return ret;
}

/* A register command; the reply's register and value land in @out */
static int mock_reg_cmd(struct cli *cli, const struct cli_args *a,
			struct fwctl_dev *dev, uint32_t op, uint32_t reg,
			uint32_t val, struct fwctl_mock_reg *out_reg,
			struct mock_reply *rep)
{
	struct fwctl_mock_reg in = { htole32(reg), htole32(val) };
	struct mock_rsp_buf out;
	int ret;

	memset(&out, 0, sizeof(out));
	ret = mock_simple(cli, a, dev, op, &in, sizeof(in), &out,
			  MOCK_RSP_HDR + sizeof(*out_reg), rep);
	if (ret)
		return ret;
	if (!rep->status && rep->len < sizeof(*out_reg)) {
		cli_doc_end(cli);
		fwctl_dev_close(dev);
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: register reply of %u bytes, expected %zu",
				dev->name, rep->len, sizeof(*out_reg));
	}
	memcpy(out_reg, out.b + MOCK_RSP_HDR, sizeof(*out_reg));
	/* The payload lives in this function's buffer */
	rep->payload = NULL;
	return 0;
}

static int mock_reg_read(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_reg r;
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t reg;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = cli_parse_u32(cli, "register", a.args[0], &reg);
	if (ret)
		return ret;
	ret = mock_reg_cmd(cli, &a, &dev, FWCTL_MOCK_OP_REG_READ, reg, 0, &r,
			   &rep);
	if (ret)
		return ret;
	if (!rep.status) {
		cli_out_u64(cli, "reg", le32toh(r.reg));
		cli_out_x64(cli, "value", le32toh(r.val));
	}
	ret = mock_out_tail(cli, &dev, &rep);
	fwctl_dev_close(&dev);
	return ret;
}

static int mock_reg_write(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_reg r;
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t reg, val;
	int ret;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_RAW, 2, 2, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = cli_parse_u32(cli, "register", a.args[0], &reg);
	if (!ret)
		ret = cli_parse_u32(cli, "value", a.args[1], &val);
	if (ret)
		return ret;
	ret = mock_reg_cmd(cli, &a, &dev,
			   a.raw ? FWCTL_MOCK_OP_REG_WRITE_RAW :
				   FWCTL_MOCK_OP_REG_WRITE,
			   reg, val, &r, &rep);
	if (ret)
		return ret;
	if (!rep.status) {
		cli_out_u64(cli, "reg", le32toh(r.reg));
		cli_out_x64(cli, "value", val);
		cli_out_x64(cli, "previous", le32toh(r.val));
	}
	ret = mock_out_tail(cli, &dev, &rep);
	fwctl_dev_close(&dev);
	return ret;
}

/* Reads every register on one open file */
static int mock_regs_read(struct cli *cli, const struct cli_args *a,
			  const struct fwctl_dev *dev, uint32_t *vals,
			  uint32_t *status, uint32_t n)
{
	struct fwctl_mock_reg in, r;
	struct mock_rsp_buf out;
	struct mock_reply rep;
	uint32_t i;
	int ret;

	for (i = 0; i < n; i++) {
		in.reg = htole32(i);
		in.val = 0;
		memset(&out, 0, sizeof(out));
		ret = mock_send(cli, dev, a->scope, FWCTL_MOCK_OP_REG_READ,
				&in, sizeof(in), &out, MOCK_RSP_HDR + sizeof(r),
				&rep);
		if (ret)
			return ret;
		memcpy(&r, out.b + MOCK_RSP_HDR, sizeof(r));
		status[i] = rep.status;
		vals[i] = rep.len >= sizeof(r) ? le32toh(r.val) : 0;
	}
	return 0;
}

static void mock_regs_show(struct cli *cli, const uint32_t *vals,
			   const uint32_t *status, uint32_t n)
{
	uint32_t i;

	if (!cli->json) {
		for (i = 0; i < n; i++)
			if (status[i])
				printf("reg %-4u %s\n", i,
				       mock_status_name(status[i]) ?: "error");
			else
				printf("reg %-4u 0x%08x\n", i, vals[i]);
		return;
	}
	cli_doc_begin(cli);
	json_arr_begin(&cli->js, "registers");
	for (i = 0; i < n; i++) {
		json_obj_begin(&cli->js, NULL);
		json_u64(&cli->js, "reg", i);
		json_u64(&cli->js, "value", vals[i]);
		json_u64(&cli->js, "status", status[i]);
		json_obj_end(&cli->js);
	}
	json_arr_end(&cli->js);
	cli_doc_end(cli);
}

static int mock_regs(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_info *info;
	uint32_t *vals, *status, n, info_len, i;
	struct fwctl_dev dev;
	struct cli_args a;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = cli_open_driver(cli, a.spec, &cli_drv_mock, &dev,
			      (void **)&info, &info_len);
	if (ret)
		return ret;
	n = info_len >= sizeof(*info) ? info->num_regs : FWCTL_MOCK_NUM_REGS;
	free(info);
	if (n > MOCK_MAX_REGS)
		n = MOCK_MAX_REGS;

	vals = calloc(n ? n : 1, sizeof(*vals));
	status = calloc(n ? n : 1, sizeof(*status));
	if (!vals || !status) {
		ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
		goto out;
	}
	ret = mock_regs_read(cli, &a, &dev, vals, status, n);
	if (ret)
		goto out;
	mock_regs_show(cli, vals, status, n);
	for (i = 0; i < n; i++)
		if (status[i])
			ret = CLI_EXIT_FIRMWARE;
out:
	free(vals);
	free(status);
	fwctl_dev_close(&dev);
	return ret;
}

static int mock_fw_error(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_fw_error in;
	struct fwctl_mock_rsp out;
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t status, syndrome = 0;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 1, 2, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = cli_parse_u32(cli, "status", a.args[0], &status);
	if (!ret && a.nargs > 1)
		ret = cli_parse_u32(cli, "syndrome", a.args[1], &syndrome);
	if (ret)
		return ret;
	in.status = htole32(status);
	in.syndrome = htole32(syndrome);
	ret = mock_simple(cli, &a, &dev, FWCTL_MOCK_OP_FW_ERROR, &in,
			  sizeof(in), &out, sizeof(out), &rep);
	if (ret)
		return ret;
	ret = mock_out_tail(cli, &dev, &rep);
	fwctl_dev_close(&dev);
	return ret;
}

static int mock_sleep(struct cli *cli, int argc, char **argv)
{
	struct fwctl_mock_sleep in = {}, taken;
	struct mock_rsp_buf out;
	struct mock_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t msecs;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_mock, argv[0]);
	ret = cli_parse_u32(cli, "milliseconds", a.args[0], &msecs);
	if (ret)
		return ret;
	in.msecs = htole32(msecs);
	memset(&out, 0, sizeof(out));
	ret = mock_simple(cli, &a, &dev, FWCTL_MOCK_OP_SLEEP, &in, sizeof(in),
			  &out, MOCK_RSP_HDR + sizeof(taken), &rep);
	if (ret)
		return ret;
	memcpy(&taken, out.b + MOCK_RSP_HDR, sizeof(taken));
	cli_out_u64(cli, "requested_ms", msecs);
	if (rep.len >= sizeof(taken))
		cli_out_u64(cli, "taken_ms", le32toh(taken.msecs));
	ret = mock_out_tail(cli, &dev, &rep);
	fwctl_dev_close(&dev);
	return ret;
}

static const struct cli_cmd mock_cmds[] = {
	{ "echo", "DEV [TEXT | --hex HEX | --in FILE|-] [--out FILE|-] [--scope S]",
	  "send data to the firmware and check that it comes back unchanged (configuration)",
	  mock_echo },
	{ "counters", "DEV [--scope S]",
	  "show the firmware's RPC, open and context counters (debug_read_only)",
	  mock_counters },
	{ "reg-read", "DEV REG [--scope S]",
	  "read a debug register (debug_read_only)", mock_reg_read },
	{ "reg-write", "DEV REG VALUE [--raw] [--scope S]",
	  "write a debug register and show its previous value (debug_write; with --raw, which may write the read-only register 0, debug_write_full)",
	  mock_reg_write },
	{ "regs", "DEV [--scope S]",
	  "read every debug register (debug_read_only)", mock_regs },
	{ "fw-error", "DEV STATUS [SYNDROME] [--scope S]",
	  "make the firmware fail the command with this status (configuration)",
	  mock_fw_error },
	{ "sleep", "DEV MSECS [--scope S]",
	  "make the firmware take MSECS milliseconds to answer (configuration)",
	  mock_sleep },
};

static void mock_info_show(struct cli *cli, const void *data, uint32_t len)
{
	const struct fwctl_mock_info *info = data;

	if (len < sizeof(*info)) {
		cli_out_str(cli, "error", "device data shorter than struct fwctl_mock_info");
		return;
	}
	cli_out_x64(cli, "magic", info->magic);
	cli_out_bool(cli, "magic_ok", info->magic == FWCTL_MOCK_INFO_MAGIC);
	cli_out_u64(cli, "version", info->version);
	cli_out_u64(cli, "dev_index", info->dev_index);
	cli_out_u64(cli, "uctx_id", info->uctx_id);
	cli_out_u64(cli, "num_regs", info->num_regs);
	cli_out_u64(cli, "max_sleep_ms", info->max_sleep_ms);
}

static bool mock_reply_status(const void *out, uint32_t len,
			      struct cli_fw_status *st)
{
	const struct fwctl_mock_rsp *rsp = out;

	if (len < MOCK_RSP_HDR)
		return false;
	st->status = le32toh(rsp->status);
	st->syndrome = le32toh(rsp->syndrome);
	st->name = mock_status_name(st->status);
	return true;
}

const struct cli_driver cli_drv_mock = {
	.name = "mock",
	.device_type = FWCTL_DEVICE_TYPE_TEST_MOCK,
	.summary = "commands of the test-only mock driver",
	.cmds = mock_cmds,
	.num_cmds = ARRAY_SIZE(mock_cmds),
	.info_show = mock_info_show,
	.reply_status = mock_reply_status,
};
