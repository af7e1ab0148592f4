// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl accel: commands of the accelerator management channel
 * (include/uapi/fwctl/accel.h). Each RPC carries a list of transactions and
 * its reply one record per transaction; the scope sent is the highest any
 * transaction of the list needs, unless --scope says otherwise.
 *
 * Region handles belong to the open file, and the command closes its file
 * when it exits: a command that moves data grants itself a region, uses
 * it and lets it go, unless --raw addresses device memory directly.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwctl/accel.h>

#include "cli.h"
#include "util.h"

#define ACCEL_REQ_HDR	sizeof(struct fwctl_accel_req)
#define ACCEL_RSP_HDR	sizeof(struct fwctl_accel_rsp)
#define ACCEL_TRANS_HDR	sizeof(struct fwctl_accel_trans)
#define ACCEL_REC_HDR	sizeof(struct fwctl_accel_trans_rsp)
#define ACCEL_MEM_LEN	sizeof(struct fwctl_accel_trans_mem)
#define ACCEL_ALIGN8(x)	(((x) + 7) & ~(size_t)7)

static const char *const accel_status_names[] = {
	[FWCTL_ACCEL_STATUS_OK] = "ok",
	[FWCTL_ACCEL_STATUS_NOT_RUN] = "not_run",
	[FWCTL_ACCEL_STATUS_TIMEOUT] = "timeout",
	[FWCTL_ACCEL_STATUS_BUSY] = "busy",
	[FWCTL_ACCEL_STATUS_NO_SPACE] = "no_space",
	[FWCTL_ACCEL_STATUS_DEVICE_ERROR] = "device_error",
};

/* The lowest scope of each transaction type, as accel.h lists them */
static const int accel_type_scope[] = {
	[FWCTL_ACCEL_TRANS_IDENTIFY] = FWCTL_RPC_CONFIGURATION,
	[FWCTL_ACCEL_TRANS_STATUS] = FWCTL_RPC_CONFIGURATION,
	[FWCTL_ACCEL_TRANS_COMPUTE] = FWCTL_RPC_CONFIGURATION,
	[FWCTL_ACCEL_TRANS_REGION_GRANT] = FWCTL_RPC_CONFIGURATION,
	[FWCTL_ACCEL_TRANS_REGION_RELEASE] = FWCTL_RPC_CONFIGURATION,
	[FWCTL_ACCEL_TRANS_MEM_READ] = FWCTL_RPC_DEBUG_READ_ONLY,
	[FWCTL_ACCEL_TRANS_MEM_WRITE] = FWCTL_RPC_DEBUG_WRITE,
	[FWCTL_ACCEL_TRANS_MEM_READ_RAW] = FWCTL_RPC_DEBUG_WRITE_FULL,
	[FWCTL_ACCEL_TRANS_MEM_WRITE_RAW] = FWCTL_RPC_DEBUG_WRITE_FULL,
	[FWCTL_ACCEL_TRANS_REG_READ] = FWCTL_RPC_DEBUG_READ_ONLY,
	[FWCTL_ACCEL_TRANS_REG_WRITE] = FWCTL_RPC_DEBUG_WRITE_FULL,
};

static const char *accel_status_name(uint32_t status)
{
	if (status >= ARRAY_SIZE(accel_status_names))
		return NULL;
	return accel_status_names[status];
}

/**
 * struct accel_msg - a transaction list being built
 * @buf: the request, %FWCTL_ACCEL_MAX_REQ_LEN bytes
 * @len: bytes used
 * @count: transactions added
 * @rsp_len: length of the reply the list produces
 * @rec_len: length of each transaction's reply record
 * @scope: the highest scope a transaction of the list needs
 */
struct accel_msg {
	uint8_t *buf;
	uint32_t len;
	uint32_t count;
	uint32_t rsp_len;
	uint32_t rec_len[FWCTL_ACCEL_MAX_TRANS];
	int scope;
};

/**
 * struct accel_reply - a reply whose framing was checked
 * @buf: the reply
 * @status: the list's &enum fwctl_accel_status
 * @done: transactions attempted
 * @rec: each transaction's record
 */
struct accel_reply {
	uint8_t *buf;
	uint32_t status;
	uint32_t done;
	const struct fwctl_accel_trans_rsp *rec[FWCTL_ACCEL_MAX_TRANS];
};

static int accel_msg_init(struct cli *cli, struct accel_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->buf = calloc(1, FWCTL_ACCEL_MAX_REQ_LEN);
	if (!m->buf)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	m->len = ACCEL_REQ_HDR;
	m->rsp_len = ACCEL_RSP_HDR;
	return 0;
}

/*
 * Appends a zeroed transaction of @size bytes whose reply record carries
 * @payload bytes; returns it, or NULL when the list is full.
 */
static void *accel_add(struct accel_msg *m, uint32_t type, size_t size,
		       size_t payload)
{
	struct fwctl_accel_trans *t;
	size_t rec = ACCEL_REC_HDR + ACCEL_ALIGN8(payload);

	if (m->count >= FWCTL_ACCEL_MAX_TRANS ||
	    size > FWCTL_ACCEL_MAX_REQ_LEN - m->len ||
	    rec > FWCTL_ACCEL_MAX_RSP_LEN - m->rsp_len)
		return NULL;
	t = (void *)(m->buf + m->len);
	t->type = htole32(type);
	t->len = htole32(size);
	m->len += size;
	m->rec_len[m->count++] = rec;
	m->rsp_len += rec;
	if (accel_type_scope[type] > m->scope)
		m->scope = accel_type_scope[type];
	return t;
}

/* A transaction of a header and one or two 32-bit fields */
static bool accel_add_simple(struct accel_msg *m, uint32_t type,
			     size_t payload, uint32_t a, uint32_t b,
			     bool has_args)
{
	uint32_t *f = accel_add(m, type, ACCEL_TRANS_HDR + (has_args ? 8 : 0),
				payload);

	if (!f)
		return false;
	if (has_args) {
		f[2] = htole32(a);
		f[3] = htole32(b);
	}
	return true;
}

static bool accel_add_mem(struct accel_msg *m, uint32_t type, uint32_t handle,
			  uint32_t offset, uint32_t length, const void *data)
{
	struct fwctl_accel_trans_mem *t;
	size_t size = ACCEL_MEM_LEN + (data ? ACCEL_ALIGN8(length) : 0);

	if (length > FWCTL_ACCEL_MAX_REQ_LEN)
		return false;
	t = accel_add(m, type, size, data ? 0 : length);
	if (!t)
		return false;
	t->handle = htole32(handle);
	t->offset = htole32(offset);
	t->length = htole32(length);
	if (data)
		memcpy(t->data, data, length);
	return true;
}

/* Checks the reply's header and records against the request */
static int accel_check_reply(struct cli *cli, const struct fwctl_dev *dev,
			     const struct accel_msg *m, uint32_t produced,
			     struct accel_reply *rep)
{
	const struct fwctl_accel_rsp *hdr = (const void *)rep->buf;
	uint32_t pos = ACCEL_RSP_HDR, i;

	if (produced != m->rsp_len || le32toh(hdr->len) != produced ||
	    le32toh(hdr->count) != m->count)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: malformed reply: %u bytes and %u records, expected %u bytes and %u records",
				dev->name, produced, le32toh(hdr->count),
				m->rsp_len, m->count);
	for (i = 0; i < m->count; i++) {
		rep->rec[i] = (const void *)(rep->buf + pos);
		if (le32toh(rep->rec[i]->len) != m->rec_len[i])
			return cli_fail(cli, CLI_EXIT_DEVICE,
					"%s: malformed reply: record %u is %u bytes, expected %u",
					dev->name, i, le32toh(rep->rec[i]->len),
					m->rec_len[i]);
		pos += m->rec_len[i];
	}
	rep->status = le32toh(hdr->status);
	rep->done = le32toh(hdr->done);
	return 0;
}

/**
 * accel_send() - send a transaction list and check the reply's framing
 * @cli: the run
 * @dev: the open device
 * @scope: the scope to send, or -1 for the list's own
 * @m: the list; freed
 * @rep: the reply, whose buffer the caller frees
 *
 * Return: 0 when a well-formed reply came back, whatever its status, or an
 * exit code.
 */
static int accel_send(struct cli *cli, const struct fwctl_dev *dev, int scope,
		      struct accel_msg *m, struct accel_reply *rep)
{
	struct fwctl_accel_req *req = (void *)m->buf;
	uint32_t produced = m->rsp_len;
	int ret;

	memset(rep, 0, sizeof(*rep));
	req->opcode = htole32(FWCTL_ACCEL_OP_TRANSACT);
	req->count = htole32(m->count);
	req->len = htole32(m->len);
	rep->buf = calloc(1, m->rsp_len);
	if (!rep->buf) {
		ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
		goto out;
	}
	ret = cli_rpc(cli, dev, scope >= 0 ? scope : m->scope, m->scope,
		      m->buf, m->len, rep->buf, &produced);
	if (!ret)
		ret = accel_check_reply(cli, dev, m, produced, rep);
out:
	free(m->buf);
	m->buf = NULL;
	return ret;
}

static const void *accel_payload(const struct accel_reply *rep, uint32_t i)
{
	return rep->rec[i] + 1;
}

/* The list's status, in the result; an exit code when it failed */
static int accel_status(struct cli *cli, const struct fwctl_dev *dev,
			const struct accel_reply *rep)
{
	struct cli_fw_status st = {
		.status = rep->status,
		.syndrome = rep->done,
		.name = accel_status_name(rep->status),
	};

	if (!rep->status)
		return 0;
	cli_out_u64(cli, "status", rep->status);
	cli_out_str(cli, "status_name", st.name);
	cli_out_u64(cli, "done", rep->done);
	return cli_fw_error(cli, dev->name, &st);
}

/*
 * Sends @m on the open device and starts the result; 0, or an exit code
 * with the device closed
 */
static int accel_send_doc(struct cli *cli, const struct cli_args *a,
			  struct fwctl_dev *dev, struct accel_msg *m,
			  struct accel_reply *rep)
{
	int scope = a->scope >= 0 ? a->scope : m->scope;
	int ret;

	ret = accel_send(cli, dev, a->scope, m, rep);
	if (ret) {
		free(rep->buf);
		fwctl_dev_close(dev);
		return ret;
	}
	cli_doc_begin(cli);
	if (cli->json) {
		cli_out_str(cli, "name", dev->name);
		cli_out_str(cli, "scope", fwctl_scope_name(scope));
	}
	return 0;
}

/* Opens the device, sends @m and starts the result; 0 or an exit code */
static int accel_run(struct cli *cli, const struct cli_args *a,
		     struct fwctl_dev *dev, struct accel_msg *m,
		     struct accel_reply *rep)
{
	int ret;

	ret = cli_open_driver(cli, a->spec, &cli_drv_accel, dev, NULL, NULL);
	if (ret) {
		free(m->buf);
		return ret;
	}
	return accel_send_doc(cli, a, dev, m, rep);
}

/* Ends the result of accel_run() and closes the device */
static int accel_done(struct cli *cli, struct fwctl_dev *dev,
		      struct accel_reply *rep, int ret)
{
	cli_doc_end(cli);
	free(rep->buf);
	fwctl_dev_close(dev);
	return ret;
}

static int accel_full(struct cli *cli, struct accel_msg *m)
{
	free(m->buf);
	return cli_usage(cli, "the request does not fit in one transaction list");
}

static void accel_identify_show(struct cli *cli,
				const struct fwctl_accel_identify *id)
{
	cli_section_begin(cli, "identify");
	cli_out_x64(cli, "hw_id", le32toh(id->hw_id));
	cli_out_x64(cli, "hw_rev", le32toh(id->hw_rev));
	cli_out_u64(cli, "mem_size", le32toh(id->mem_size));
	cli_out_u64(cli, "mem_granule", le32toh(id->mem_granule));
	cli_out_u64(cli, "max_xfer", le32toh(id->max_xfer));
	cli_out_u64(cli, "max_region", le32toh(id->max_region));
	cli_out_u64(cli, "max_regions", le32toh(id->max_regions));
	cli_out_u64(cli, "compute_max", le32toh(id->compute_max));
	cli_section_end(cli);
}

static void accel_state_show(struct cli *cli, const struct fwctl_accel_state *s)
{
	uint32_t flags = le32toh(s->flags);

	cli_section_begin(cli, "state");
	cli_out_x64(cli, "flags", flags);
	cli_out_bool(cli, "alive", flags & FWCTL_ACCEL_STATE_ALIVE);
	cli_out_bool(cli, "dma_busy", flags & FWCTL_ACCEL_STATE_DMA_BUSY);
	cli_out_bool(cli, "compute_busy",
		     flags & FWCTL_ACCEL_STATE_COMPUTE_BUSY);
	cli_out_u64(cli, "regions", le32toh(s->regions));
	cli_out_u64(cli, "free_granules", le32toh(s->free_granules));
	cli_out_u64(cli, "quarantined", le32toh(s->quarantined));
	cli_out_u64(cli, "transfers", le64toh(s->transfers));
	cli_out_u64(cli, "timeouts", le64toh(s->timeouts));
	cli_section_end(cli);
}

static void accel_region_show(struct cli *cli,
			      const struct fwctl_accel_region *r)
{
	cli_section_begin(cli, "region");
	cli_out_u64(cli, "handle", le32toh(r->handle));
	cli_out_x64(cli, "offset", le32toh(r->offset));
	cli_out_u64(cli, "size", le32toh(r->size));
	cli_section_end(cli);
}

/*
 * Parses a subcommand that takes the device and @n numbers, named @names;
 * prints the help for --help. Returns 0 or an exit code.
 */
static int accel_args(struct cli *cli, int argc, char **argv, int n,
		      const char *const *names, uint32_t *v, struct cli_args *a)
{
	int i, ret;

	ret = cli_parse_args(cli, argc, argv, 0, n, n, a);
	if (ret || a->help)
		return ret ? ret : cli_sub_help(&cli_drv_accel, argv[0]);
	for (i = 0; i < n && !ret; i++)
		ret = cli_parse_u32(cli, names[i], a->args[i], &v[i]);
	return ret;
}

/*
 * Sends one transaction of two 32-bit fields, @f0 and @f1, whose reply
 * carries @payload bytes, as accel_run() does. A grant is followed by a
 * STATUS transaction, whose state counts the new region.
 */
static int accel_run_one(struct cli *cli, const struct cli_args *a,
			 uint32_t type, size_t payload, uint32_t f0,
			 uint32_t f1, struct fwctl_dev *dev,
			 struct accel_reply *rep)
{
	struct accel_msg m;
	int ret;

	ret = accel_msg_init(cli, &m);
	if (ret)
		return ret;
	accel_add_simple(&m, type, payload, f0, f1, true);
	if (type == FWCTL_ACCEL_TRANS_REGION_GRANT)
		accel_add_simple(&m, FWCTL_ACCEL_TRANS_STATUS,
				 sizeof(struct fwctl_accel_state), 0, 0, false);
	return accel_run(cli, a, dev, &m, rep);
}

static int accel_status_cmd(struct cli *cli, int argc, char **argv)
{
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct accel_msg m;
	struct cli_args a;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_accel, argv[0]);
	ret = accel_msg_init(cli, &m);
	if (ret)
		return ret;
	accel_add_simple(&m, FWCTL_ACCEL_TRANS_IDENTIFY,
			 sizeof(struct fwctl_accel_identify), 0, 0, false);
	accel_add_simple(&m, FWCTL_ACCEL_TRANS_STATUS,
			 sizeof(struct fwctl_accel_state), 0, 0, false);
	ret = accel_run(cli, &a, &dev, &m, &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		accel_identify_show(cli, accel_payload(&rep, 0));
		accel_state_show(cli, accel_payload(&rep, 1));
	}
	return accel_done(cli, &dev, &rep, ret);
}

static int accel_compute(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = { "operand" };
	const struct fwctl_accel_compute_rsp *r;
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t n;
	int ret;

	ret = accel_args(cli, argc, argv, 1, names, &n, &a);
	if (ret || a.help)
		return ret;
	ret = accel_run_one(cli, &a, FWCTL_ACCEL_TRANS_COMPUTE, sizeof(*r),
			    FWCTL_ACCEL_COMPUTE_FACTORIAL, n, &dev, &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		r = accel_payload(&rep, 0);
		cli_out_u64(cli, "operand", n);
		cli_out_u64(cli, "factorial_mod_2_32", le32toh(r->result));
	}
	return accel_done(cli, &dev, &rep, ret);
}

static int accel_grant(struct cli *cli, int argc, char **argv)
{
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t size;
	int ret;

	ret = cli_parse_args(cli, argc, argv, 0, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_accel, argv[0]);
	if (parse_size(a.args[0], &size))
		return cli_usage(cli, "invalid size '%s'", a.args[0]);
	ret = accel_run_one(cli, &a, FWCTL_ACCEL_TRANS_REGION_GRANT,
			    sizeof(struct fwctl_accel_region), size, 0, &dev,
			    &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		accel_region_show(cli, accel_payload(&rep, 0));
		accel_state_show(cli, accel_payload(&rep, 1));
	}
	return accel_done(cli, &dev, &rep, ret);
}

/**
 * struct accel_xfer - where a read or write goes
 * @handle: the region granted for it, 0 with --raw
 * @region: the granted region, valid when @handle is not 0
 * @offset: offset in the region, or in device memory with --raw
 * @length: bytes moved
 */
struct accel_xfer {
	uint32_t handle;
	struct fwctl_accel_region region;
	uint32_t offset;
	uint32_t length;
};

/*
 * Without --raw, grants the file a region that holds the range of @x on
 * the open device; with --raw there is nothing to do.
 */
static int accel_xfer_region(struct cli *cli, const struct cli_args *a,
			     struct fwctl_dev *dev, struct accel_xfer *x)
{
	struct accel_reply rep;
	struct accel_msg m;
	uint32_t size = a->size;
	int ret;

	if (a->raw)
		return 0;
	if (!size) {
		if (x->offset > UINT32_MAX - x->length)
			return cli_usage(cli, "offset and length overflow");
		size = x->offset + x->length;
	}
	ret = accel_msg_init(cli, &m);
	if (ret)
		return ret;
	accel_add_simple(&m, FWCTL_ACCEL_TRANS_REGION_GRANT,
			 sizeof(x->region), size, 0, true);
	ret = accel_send(cli, dev, a->scope, &m, &rep);
	if (!ret && rep.status) {
		cli_doc_begin(cli);
		ret = accel_status(cli, dev, &rep);
		cli_doc_end(cli);
	}
	if (!ret) {
		memcpy(&x->region, accel_payload(&rep, 0), sizeof(x->region));
		x->handle = le32toh(x->region.handle);
	}
	free(rep.buf);
	return ret;
}

/* Opens the device and grants the region of a read or write */
static int accel_xfer_open(struct cli *cli, const struct cli_args *a,
			   struct fwctl_dev *dev, struct accel_xfer *x)
{
	int ret;

	if (a->raw && a->size)
		return cli_usage(cli, "--size is for a region: not with --raw");
	ret = cli_open_driver(cli, a->spec, &cli_drv_accel, dev, NULL, NULL);
	if (ret)
		return ret;
	ret = accel_xfer_region(cli, a, dev, x);
	if (ret)
		fwctl_dev_close(dev);
	return ret;
}

static void accel_xfer_show(struct cli *cli, const struct accel_xfer *x)
{
	if (x->handle)
		accel_region_show(cli, &x->region);
	cli_out_x64(cli, "offset", x->offset);
	cli_out_u64(cli, "length", x->length);
}

static int accel_read(struct cli *cli, int argc, char **argv)
{
	struct accel_xfer x = {};
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct accel_msg m;
	struct cli_args a;
	int ret;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_OUT | CLI_OPT_RAW |
			     CLI_OPT_OFFSET | CLI_OPT_SIZE, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_accel, argv[0]);
	if (parse_size(a.args[0], &x.length) || !x.length ||
	    x.length > FWCTL_ACCEL_MAX_RSP_LEN)
		return cli_usage(cli, "invalid length '%s'", a.args[0]);
	x.offset = a.offset;
	ret = accel_xfer_open(cli, &a, &dev, &x);
	if (ret)
		return ret;
	ret = accel_msg_init(cli, &m);
	if (ret)
		goto out_close;
	if (!accel_add_mem(&m, a.raw ? FWCTL_ACCEL_TRANS_MEM_READ_RAW :
			   FWCTL_ACCEL_TRANS_MEM_READ, x.handle, x.offset,
			   x.length, NULL)) {
		ret = accel_full(cli, &m);
		goto out_close;
	}
	ret = accel_send_doc(cli, &a, &dev, &m, &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (ret)
		return accel_done(cli, &dev, &rep, ret);
	accel_xfer_show(cli, &x);
	if (a.out) {
		ret = write_output(a.out, accel_payload(&rep, 0), x.length);
		if (ret)
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a.out,
				       strerror(-ret));
	}
	if (cli->json || !a.out)
		cli_out_hex(cli, "data", accel_payload(&rep, 0), x.length);
	return accel_done(cli, &dev, &rep, ret);

out_close:
	fwctl_dev_close(&dev);
	return ret;
}

/* Write, read back and the device's counters, in one list */
static bool accel_build_write(struct accel_msg *m, const struct cli_args *a,
			      const struct accel_xfer *x, const uint8_t *data)
{
	return accel_add_mem(m, a->raw ? FWCTL_ACCEL_TRANS_MEM_WRITE_RAW :
			     FWCTL_ACCEL_TRANS_MEM_WRITE, x->handle, x->offset,
			     x->length, data) &&
	       accel_add_mem(m, a->raw ? FWCTL_ACCEL_TRANS_MEM_READ_RAW :
			     FWCTL_ACCEL_TRANS_MEM_READ, x->handle, x->offset,
			     x->length, NULL) &&
	       accel_add_simple(m, FWCTL_ACCEL_TRANS_STATUS,
				sizeof(struct fwctl_accel_state), 0, 0, false);
}

static int accel_write(struct cli *cli, int argc, char **argv)
{
	struct accel_xfer x = {};
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct accel_msg m;
	struct cli_args a;
	uint8_t *data;
	size_t len;
	bool match;
	int ret;

	ret = cli_parse_args(cli, argc, argv, CLI_OPT_DATA | CLI_OPT_RAW |
			     CLI_OPT_OFFSET | CLI_OPT_SIZE, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_accel, argv[0]);
	ret = cli_read_data(cli, a.in, a.hex, &data, &len);
	if (ret)
		return ret;
	if (!len || len > FWCTL_ACCEL_MAX_REQ_LEN) {
		free(data);
		return cli_usage(cli, "give 1 to %u bytes with --hex or --in",
				 FWCTL_ACCEL_MAX_REQ_LEN);
	}
	x.offset = a.offset;
	x.length = len;
	ret = accel_xfer_open(cli, &a, &dev, &x);
	if (ret)
		goto out_free;
	ret = accel_msg_init(cli, &m);
	if (ret)
		goto out_close;
	if (!accel_build_write(&m, &a, &x, data)) {
		ret = accel_full(cli, &m);
		goto out_close;
	}
	ret = accel_send_doc(cli, &a, &dev, &m, &rep);
	if (ret)
		goto out_free;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		match = !memcmp(accel_payload(&rep, 1), data, len);
		accel_xfer_show(cli, &x);
		cli_out_hex(cli, "read_back", accel_payload(&rep, 1), len);
		cli_out_bool(cli, "match", match);
		accel_state_show(cli, accel_payload(&rep, 2));
		if (!match)
			ret = cli_fail(cli, CLI_EXIT_DEVICE,
				       "%s: the data read back differs from the data written",
				       dev.name);
	}
	ret = accel_done(cli, &dev, &rep, ret);
	goto out_free;

out_close:
	fwctl_dev_close(&dev);
out_free:
	free(data);
	return ret;
}

static int accel_reg_read(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = { "register" };
	const struct fwctl_accel_reg_rsp *r;
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t reg;
	int ret;

	ret = accel_args(cli, argc, argv, 1, names, &reg, &a);
	if (ret || a.help)
		return ret;
	ret = accel_run_one(cli, &a, FWCTL_ACCEL_TRANS_REG_READ, sizeof(*r),
			    reg, 0, &dev, &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		r = accel_payload(&rep, 0);
		cli_out_x64(cli, "reg", le32toh(r->reg));
		cli_out_x64(cli, "value", le32toh(r->value));
	}
	return accel_done(cli, &dev, &rep, ret);
}

static int accel_reg_write(struct cli *cli, int argc, char **argv)
{
	static const char *const names[] = { "register", "value" };
	struct accel_reply rep;
	struct fwctl_dev dev;
	struct cli_args a;
	uint32_t v[2];
	int ret;

	ret = accel_args(cli, argc, argv, 2, names, v, &a);
	if (ret || a.help)
		return ret;
	ret = accel_run_one(cli, &a, FWCTL_ACCEL_TRANS_REG_WRITE, 0, v[0], v[1],
			    &dev, &rep);
	if (ret)
		return ret;
	ret = accel_status(cli, &dev, &rep);
	if (!ret) {
		cli_out_x64(cli, "reg", v[0]);
		cli_out_x64(cli, "value", v[1]);
	}
	return accel_done(cli, &dev, &rep, ret);
}

static const struct cli_cmd accel_cmds[] = {
	{ "status", "DEV [--scope S]",
	  "identify the device and show its state and counters (configuration)",
	  accel_status_cmd },
	{ "compute", "DEV N [--scope S]",
	  "run a job on the compute unit: N! modulo 2^32 (configuration)",
	  accel_compute },
	{ "grant", "DEV SIZE [--scope S]",
	  "grant a region of device memory and show it; it is released when the command exits (configuration)",
	  accel_grant },
	{ "read", "DEV LENGTH [--offset O] [--size S] [--raw] [--out FILE|-] [--scope S]",
	  "grant a region of S bytes (default O + LENGTH) and read LENGTH bytes at O by DMA (debug_read_only); with --raw, read device memory at O, whoever owns it (debug_write_full)",
	  accel_read },
	{ "write", "DEV --hex HEX|--in FILE|- [--offset O] [--size S] [--raw] [--scope S]",
	  "grant a region, write the data at O by DMA, read it back and compare (debug_write); with --raw, at O in device memory (debug_write_full)",
	  accel_write },
	{ "reg-read", "DEV REG [--scope S]",
	  "read a device register (debug_read_only)", accel_reg_read },
	{ "reg-write", "DEV REG VALUE [--scope S]",
	  "write a device register (debug_write_full; the DMA registers never)",
	  accel_reg_write },
};

static void accel_info_show(struct cli *cli, const void *data, uint32_t len)
{
	const struct fwctl_accel_info *info = data;

	if (len < sizeof(*info)) {
		cli_out_str(cli, "error", "device data shorter than struct fwctl_accel_info");
		return;
	}
	cli_out_u64(cli, "version", info->version);
	cli_out_x64(cli, "hw_id", info->hw_id);
	cli_out_u64(cli, "mem_size", info->mem_size);
	cli_out_u64(cli, "mem_granule", info->mem_granule);
	cli_out_u64(cli, "max_xfer", info->max_xfer);
	cli_out_u64(cli, "max_region", info->max_region);
	cli_out_u64(cli, "max_regions", info->max_regions);
	cli_out_u64(cli, "compute_max", info->compute_max);
	cli_out_u64(cli, "max_trans", info->max_trans);
	cli_out_u64(cli, "max_req_len", info->max_req_len);
	cli_out_u64(cli, "max_rsp_len", info->max_rsp_len);
	cli_out_u64(cli, "timeout_ms", info->timeout_ms);
}

static bool accel_reply_status(const void *out, uint32_t len,
			       struct cli_fw_status *st)
{
	const struct fwctl_accel_rsp *rsp = out;

	if (len < ACCEL_RSP_HDR)
		return false;
	st->status = le32toh(rsp->status);
	st->syndrome = le32toh(rsp->done);
	st->name = accel_status_name(st->status);
	return true;
}

const struct cli_driver cli_drv_accel = {
	.name = "accel",
	.device_type = FWCTL_DEVICE_TYPE_ACCEL,
	.summary = "commands of the accelerator management channel",
	.cmds = accel_cmds,
	.num_cmds = ARRAY_SIZE(accel_cmds),
	.info_show = accel_info_show,
	.reply_status = accel_reply_status,
};
