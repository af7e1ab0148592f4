// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwctl driver for CXL memory devices.
 *
 * Fixture cxl_mem runs against the first CXL memory device (QEMU's
 * emulated type-3 device in the test VM): Identify and Get LSA against the
 * kernel's own CXL ioctl and the LSA backing file, the policy for commands
 * the Command Effects Log lacks or the driver denies, length checks, a
 * latency comparison with the native ioctl, and hot-removal.
 *
 * Fixture cxl_sim runs against the test-only simulated mailbox
 * (cxl_fwctl_sim), the only one with Features: paging, chunked Get and Set
 * Feature, the scope of every effects class, kernel-driven features.
 *
 * Environment: CXL_LSA_FILE names a copy of the LSA backing file as the
 * host wrote it (default /cxl_lsa.bin). Run as root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/cxl_mem.h>
#include <fwctl/fwctl.h>
#include <fwctl/cxl.h>

#include "kselftest_harness.h"
#include "../../../fwctl/libfwctl.h"
#include "../../../../drivers/fwctl/cxl/cxl_fwctl_sim.h"

#define CXL_BUS_DEVS		"/sys/bus/cxl/devices"
#define CXL_PCI_DRIVER		"/sys/bus/pci/drivers/cxl_pci"
#define SIM_DEV			"/sys/bus/platform/devices/" CXL_SIM_NAME
#define SIM_DRIVER		"/sys/bus/platform/drivers/" CXL_SIM_NAME

#define HDR_IN			sizeof(struct fwctl_rpc_cxl_hdr)
#define HDR_OUT			sizeof(struct fwctl_rpc_cxl_out_hdr)
#define MAX_PAYLOAD		4096

/* Mailbox opcodes */
#define OP_GET_EVENT_RECORDS	0x0100
#define OP_CLEAR_EVENT_RECORDS	0x0101
#define OP_SET_EVENT_POLICY	0x0103
#define OP_TRANSFER_FW		0x0201
#define OP_ACTIVATE_FW		0x0202
#define OP_GET_TIMESTAMP	0x0300
#define OP_SET_TIMESTAMP	0x0301
#define OP_GET_SUPPORTED_LOGS	0x0400
#define OP_GET_LOG		0x0401
#define OP_IDENTIFY		0x4000
#define OP_SET_PARTITION	0x4101
#define OP_GET_LSA		0x4102
#define OP_SET_LSA		0x4103
#define OP_GET_HEALTH		0x4200
#define OP_SET_SHUTDOWN		0x4204
#define OP_GET_POISON		0x4300
#define OP_INJECT_POISON	0x4301
#define OP_SCAN_MEDIA		0x4304
#define OP_SANITIZE		0x4400
#define OP_SECURE_ERASE		0x4401
#define OP_GET_SECURITY_STATE	0x4500
#define OP_UNLOCK		0x4503

#define RC_SUCCESS		0x0000
#define RC_FEAT_VERSION		0x0019

#define IDENTIFY_LEN		0x43

static const uint8_t cel_uuid[16] = {
	0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78,
	0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17,
};

/* Every scope, for "refused at every scope" */
static const uint32_t all_scopes[] = {
	FWCTL_RPC_CONFIGURATION, FWCTL_RPC_DEBUG_READ_ONLY,
	FWCTL_RPC_DEBUG_WRITE, FWCTL_RPC_DEBUG_WRITE_FULL,
};

#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

/* A request or reply buffer with room for any payload */
union cxl_buf {
	struct fwctl_rpc_cxl req;
	struct fwctl_rpc_cxl_out rsp;
	uint8_t bytes[HDR_IN + 32 + 65536];
};

static int read_sysfs(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

static int write_sysfs(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* Opens the fwctl node whose parent is @parent; waits for it up to 10 s */
static int open_fwctl_of(const char *parent)
{
	struct fwctl_dev dev;
	int i, ret = -ENOENT;

	for (i = 0; i < 100; i++) {
		ret = fwctl_dev_open(parent, &dev);
		if (!ret)
			return dev.fd;
		usleep(100000);
	}
	return ret;
}

/* The sysfs directory of the first CXL memdev, waiting up to 10 s */
static int find_memdev(char *path, size_t len)
{
	int i;

	for (i = 0; i < 100; i++) {
		struct dirent *e;
		DIR *d = opendir(CXL_BUS_DEVS);

		while (d && (e = readdir(d))) {
			if (strncmp(e->d_name, "mem", 3))
				continue;
			snprintf(path, len, CXL_BUS_DEVS "/%s", e->d_name);
			closedir(d);
			return 0;
		}
		if (d)
			closedir(d);
		usleep(100000);
	}
	return -ENOENT;
}

static int rpc(int fd, uint32_t scope, const void *in, size_t in_len,
	       void *out, size_t *out_len)
{
	struct fwctl_dev dev = { .fd = fd };
	uint32_t len = *out_len;
	int ret;

	if (in_len > UINT32_MAX || *out_len > UINT32_MAX)
		return -EOVERFLOW;
	ret = fwctl_dev_rpc(&dev, scope, in, in_len, out, &len);
	if (!ret)
		*out_len = len;
	return ret;
}

/*
 * Sends a command carried raw. Returns 0 when delivered, with the reply in
 * @rsp and its total length in *@rsp_len, else -errno.
 */
static int raw_cmd(int fd, uint32_t scope, uint32_t opcode,
		   const void *payload, size_t len, union cxl_buf *rsp,
		   size_t *rsp_len)
{
	union cxl_buf *req = calloc(1, sizeof(*req));
	int ret;

	if (!req)
		return -ENOMEM;
	req->req.opcode = opcode;
	req->req.op_size = len;
	if (len)
		memcpy(req->req.payload, payload, len);
	ret = rpc(fd, scope, req, HDR_IN + len, rsp, rsp_len);
	free(req);
	return ret;
}

/* As raw_cmd() with a reply buffer of @out bytes of payload */
static int raw_cmd_out(int fd, uint32_t scope, uint32_t opcode,
		       const void *payload, size_t len, union cxl_buf *rsp,
		       size_t out)
{
	size_t rsp_len = HDR_OUT + out;

	return raw_cmd(fd, scope, opcode, payload, len, rsp, &rsp_len);
}

static int fwctl_info(int fd, struct fwctl_info_cxl **infop, uint32_t *type)
{
	struct fwctl_dev dev = { .fd = fd };
	uint32_t len;

	return fwctl_dev_info(&dev, type, (void **)infop, &len);
}

/* The scope the device lists for @opcode, or -1 when it is not accepted */
static int cmd_scope(const struct fwctl_info_cxl *info, uint16_t opcode)
{
	uint32_t i;

	for (i = 0; i < info->nr_commands; i++)
		if (info->commands[i].opcode == opcode)
			return info->commands[i].scope;
	return -1;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Every opcode the device does not list in FWCTL_INFO is refused at the
 * highest scope, before it reaches the device. Returns the mismatches.
 */
static int sweep_unlisted(struct __test_metadata *_metadata, int fd,
			  const struct fwctl_info_cxl *info, union cxl_buf *rsp)
{
	uint8_t payload[8] = {};
	int bad = 0;
	uint32_t op;

	for (op = 0; op <= 0xffff; op++) {
		int ret;

		if (cmd_scope(info, op) >= 0)
			continue;
		ret = raw_cmd_out(fd, FWCTL_RPC_DEBUG_WRITE_FULL, op, payload,
				  sizeof(payload), rsp, 64);
		if (ret != -EOPNOTSUPP) {
			TH_LOG("opcode 0x%04x: %d", op, ret);
			bad++;
		}
	}
	return bad;
}

/*
 * QEMU's emulated type-3 device
 */
FIXTURE(cxl_mem) {
	char memdev[PATH_MAX];
	char native[PATH_MAX];
	int fd;
	int native_fd;
	struct fwctl_info_cxl *info;
	union cxl_buf *rsp;
};

FIXTURE_SETUP(cxl_mem)
{
	uint32_t type;

	self->fd = -1;
	self->native_fd = -1;
	if (find_memdev(self->memdev, sizeof(self->memdev)))
		SKIP(return, "no CXL memory device");
	self->fd = open_fwctl_of(self->memdev);
	ASSERT_LE(0, self->fd) TH_LOG("no fwctl node under %s", self->memdev);
	snprintf(self->native, sizeof(self->native), "/dev/cxl/%s",
		 strrchr(self->memdev, '/') + 1);
	self->native_fd = open(self->native, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->native_fd);
	ASSERT_EQ(0, fwctl_info(self->fd, &self->info, &type));
	ASSERT_EQ(FWCTL_DEVICE_TYPE_CXL, type);
	self->rsp = calloc(1, sizeof(*self->rsp));
	ASSERT_NE(NULL, self->rsp);
}

FIXTURE_TEARDOWN(cxl_mem)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->native_fd >= 0)
		close(self->native_fd);
	free(self->info);
	free(self->rsp);
}

static int native_identify(int fd, uint8_t *out, uint32_t *retval)
{
	struct cxl_send_command cmd = {
		.id = CXL_MEM_COMMAND_ID_IDENTIFY,
		.out.size = IDENTIFY_LEN,
		.out.payload = (uintptr_t)out,
	};

	if (ioctl(fd, CXL_MEM_SEND_COMMAND, &cmd))
		return -errno;
	*retval = cmd.retval;
	return cmd.out.size;
}

static int fwctl_identify(int fd, union cxl_buf *rsp)
{
	int ret;

	ret = raw_cmd_out(fd, FWCTL_RPC_CONFIGURATION, OP_IDENTIFY, NULL, 0,
			  rsp, IDENTIFY_LEN);
	return ret ? ret : (int)rsp->rsp.size;
}

TEST_F(cxl_mem, info)
{
	struct fwctl_info_cxl *info = self->info;
	uint32_t i;

	EXPECT_EQ(0, info->reserved);
	EXPECT_EQ(2048, info->payload_size);
	EXPECT_EQ(0, info->nr_features);
	for (i = 0; i < info->nr_commands; i++)
		TH_LOG("opcode 0x%04x effects 0x%04x scope %u",
		       info->commands[i].opcode, info->commands[i].effects,
		       info->commands[i].scope);
	EXPECT_EQ(FWCTL_RPC_CONFIGURATION, cmd_scope(info, OP_IDENTIFY));
	EXPECT_EQ(FWCTL_RPC_DEBUG_READ_ONLY, cmd_scope(info, OP_GET_LSA));
	EXPECT_EQ(FWCTL_RPC_DEBUG_READ_ONLY, cmd_scope(info, OP_GET_LOG));
	EXPECT_EQ(FWCTL_RPC_DEBUG_WRITE_FULL, cmd_scope(info, OP_SET_TIMESTAMP));
	EXPECT_EQ(-1, cmd_scope(info, OP_SET_LSA));
	EXPECT_EQ(-1, cmd_scope(info, OP_CLEAR_EVENT_RECORDS));
	EXPECT_EQ(-1, cmd_scope(info, OP_SET_EVENT_POLICY));
}

/* QEMU 7.2 lists 13 commands; the driver denies 3 of them */
TEST_F(cxl_mem, cel_through_fwctl)
{
	uint8_t in[0x18] = {};
	uint32_t cel_size = 0, i, n;
	uint8_t *p;

	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_CONFIGURATION,
				 OP_GET_SUPPORTED_LOGS, NULL, 0, self->rsp,
				 2048));
	ASSERT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
	n = get_le16(self->rsp->rsp.payload);
	for (i = 0, p = self->rsp->rsp.payload + 8; i < n; i++, p += 20)
		if (!memcmp(p, cel_uuid, 16))
			cel_size = p[16] | p[17] << 8 | p[18] << 16 |
				   (uint32_t)p[19] << 24;
	ASSERT_EQ(13 * 4, cel_size);

	memcpy(in, cel_uuid, 16);
	put_le32(in + 20, cel_size);
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 OP_GET_LOG, in, sizeof(in), self->rsp,
				 cel_size));
	ASSERT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
	ASSERT_EQ(cel_size, self->rsp->rsp.size);
	EXPECT_EQ(10, self->info->nr_commands);
}

TEST_F(cxl_mem, identify_matches_native)
{
	uint8_t native[IDENTIFY_LEN];
	uint32_t retval = ~0U;

	ASSERT_EQ(IDENTIFY_LEN, native_identify(self->native_fd, native,
						&retval));
	ASSERT_EQ(0, retval);
	ASSERT_EQ(IDENTIFY_LEN, fwctl_identify(self->fd, self->rsp));
	EXPECT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
	EXPECT_EQ(0, memcmp(native, self->rsp->rsp.payload, IDENTIFY_LEN));
}

TEST_F(cxl_mem, get_lsa_matches_backing_file)
{
	const char *path = getenv("CXL_LSA_FILE") ?: "/cxl_lsa.bin";
	uint32_t chunk = self->info->payload_size;
	uint8_t *expect, in[8];
	struct stat st;
	uint32_t off;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		SKIP(return, "no copy of the LSA backing file at %s", path);
	ASSERT_EQ(0, fstat(fd, &st));
	expect = malloc(st.st_size);
	ASSERT_NE(NULL, expect);
	ASSERT_EQ(st.st_size, read(fd, expect, st.st_size));
	close(fd);

	for (off = 0; off < st.st_size; off += chunk) {
		uint32_t len = st.st_size - off < chunk ? st.st_size - off :
							  chunk;

		put_le32(in, off);
		put_le32(in + 4, len);
		ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
					 OP_GET_LSA, in, sizeof(in), self->rsp,
					 len));
		ASSERT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
		ASSERT_EQ(len, self->rsp->rsp.size);
		ASSERT_EQ(0, memcmp(expect + off, self->rsp->rsp.payload, len))
			TH_LOG("LSA differs in [%u, %u)", off, off + len);
	}
	/* Reading the label area is debug data, not configuration */
	put_le32(in, 0);
	put_le32(in + 4, 16);
	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_CONFIGURATION,
				      OP_GET_LSA, in, sizeof(in), self->rsp,
				      16));
	free(expect);
}

/* Known opcodes QEMU's CEL does not list, and a vendor one */
TEST_F(cxl_mem, absent_from_cel_refused)
{
	static const uint16_t ops[] = {
		OP_GET_HEALTH, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES,
		FWCTL_CXL_OP_GET_FEATURE, FWCTL_CXL_OP_SET_FEATURE, 0xc000,
		0x4201, 0x0402,
	};
	unsigned int i, s;

	for (i = 0; i < ARRAY_LEN(ops); i++)
		for (s = 0; s < ARRAY_LEN(all_scopes); s++)
			EXPECT_EQ(-EOPNOTSUPP,
				  raw_cmd_out(self->fd, all_scopes[s], ops[i],
					      NULL, 0, self->rsp, 64))
				TH_LOG("opcode 0x%04x scope %u", ops[i],
				       all_scopes[s]);
}

/* Denied whatever the CEL says; the first three are in QEMU's CEL */
TEST_F(cxl_mem, deny_list_refused)
{
	static const uint16_t ops[] = {
		OP_SET_LSA, OP_CLEAR_EVENT_RECORDS, OP_SET_EVENT_POLICY,
		OP_TRANSFER_FW, OP_ACTIVATE_FW, OP_SET_PARTITION,
		OP_SET_SHUTDOWN, OP_GET_POISON, OP_INJECT_POISON,
		OP_SCAN_MEDIA, OP_SANITIZE, OP_SECURE_ERASE,
		OP_GET_SECURITY_STATE, OP_UNLOCK,
	};
	uint8_t payload[64] = {};
	unsigned int i, s;

	for (i = 0; i < ARRAY_LEN(ops); i++)
		for (s = 0; s < ARRAY_LEN(all_scopes); s++)
			EXPECT_EQ(-EOPNOTSUPP,
				  raw_cmd_out(self->fd, all_scopes[s], ops[i],
					      payload, 8, self->rsp, 64))
				TH_LOG("opcode 0x%04x scope %u", ops[i],
				       all_scopes[s]);
}

TEST_F(cxl_mem, opcode_sweep)
{
	EXPECT_EQ(0, sweep_unlisted(_metadata, self->fd, self->info,
				    self->rsp));
}

/* QEMU lists Set Timestamp with an immediate policy change */
TEST_F(cxl_mem, set_timestamp_scope)
{
	const uint64_t ts = 1700000000ULL * 1000000000ULL;
	uint8_t in[8];

	put_le64(in, ts);
	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_CONFIGURATION,
				      OP_SET_TIMESTAMP, in, 8, self->rsp, 0));
	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				      OP_SET_TIMESTAMP, in, 8, self->rsp, 0));
	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE,
				      OP_SET_TIMESTAMP, in, 8, self->rsp, 0));
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				 OP_SET_TIMESTAMP, in, 8, self->rsp, 0));
	EXPECT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
	EXPECT_EQ(0, self->rsp->rsp.size);

	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_CONFIGURATION,
				 OP_GET_TIMESTAMP, NULL, 0, self->rsp, 8));
	ASSERT_EQ(8, self->rsp->rsp.size);
	EXPECT_LE(ts, get_le64(self->rsp->rsp.payload));
	EXPECT_GT(ts + 3600ULL * 1000000000ULL,
		  get_le64(self->rsp->rsp.payload));
	/* A wrong input size never reaches the device */
	EXPECT_EQ(-EINVAL, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				       OP_SET_TIMESTAMP, in, 4, self->rsp, 0));
}

TEST_F(cxl_mem, get_log_longer_than_payload)
{
	uint8_t in[0x18] = {};

	memcpy(in, cel_uuid, 16);
	put_le32(in + 20, self->info->payload_size + 1);
	EXPECT_EQ(-EINVAL, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				       OP_GET_LOG, in, sizeof(in), self->rsp,
				       65536));
	/* Exactly the payload: delivered, the device answers */
	put_le32(in + 20, self->info->payload_size);
	EXPECT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 OP_GET_LOG, in, sizeof(in), self->rsp,
				 self->info->payload_size));
	/* A reply buffer smaller than the length asked for */
	put_le32(in + 20, 64);
	EXPECT_EQ(-EINVAL, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				       OP_GET_LOG, in, sizeof(in), self->rsp,
				       63));
}

TEST_F(cxl_mem, malformed)
{
	union cxl_buf *req = calloc(1, sizeof(*req));
	size_t out_len;

	ASSERT_NE(NULL, req);
	/* Shorter than the opcode */
	out_len = 64;
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, 3, self->rsp, &out_len));
	/* Opcode only, header cut short */
	req->req.opcode = OP_IDENTIFY;
	out_len = HDR_OUT + IDENTIFY_LEN;
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, 8, self->rsp, &out_len));
	/* op_size disagreeing with in_len */
	req->req.op_size = 4;
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, HDR_IN, self->rsp, &out_len));
	/* Identify takes no input */
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, HDR_IN + 4, self->rsp,
			       &out_len));
	req->req.op_size = 0;
	/* Unknown flags, reserved field */
	req->req.flags = 1;
	EXPECT_EQ(-EOPNOTSUPP, rpc(self->fd, 0, req, HDR_IN, self->rsp,
				   &out_len));
	req->req.flags = 0;
	req->req.reserved1 = 1;
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, HDR_IN, self->rsp, &out_len));
	req->req.reserved1 = 0;
	/* Reply buffer smaller than Identify's output */
	out_len = HDR_OUT + IDENTIFY_LEN - 1;
	EXPECT_EQ(-EINVAL, rpc(self->fd, 0, req, HDR_IN, self->rsp, &out_len));
	/* Opcodes beyond 16 bits match nothing */
	req->req.opcode = 0x10000 | OP_IDENTIFY;
	out_len = HDR_OUT + IDENTIFY_LEN;
	EXPECT_EQ(-EOPNOTSUPP, rpc(self->fd, 0, req, HDR_IN, self->rsp,
				   &out_len));
	/* The header alone is fine */
	req->req.opcode = OP_IDENTIFY;
	EXPECT_EQ(0, rpc(self->fd, 0, req, HDR_IN, self->rsp, &out_len));
	EXPECT_EQ(HDR_OUT + IDENTIFY_LEN, out_len);
	/* Get LSA with a reply buffer smaller than its length */
	req->req.opcode = OP_GET_LSA;
	req->req.op_size = 8;
	put_le32(req->req.payload + 4, 32);
	out_len = HDR_OUT + 31;
	EXPECT_EQ(-EINVAL, rpc(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, req,
			       HDR_IN + 8, self->rsp, &out_len));
	/* Get LSA longer than the payload */
	put_le32(req->req.payload + 4, self->info->payload_size + 1);
	out_len = HDR_OUT + 65536;
	EXPECT_EQ(-EINVAL, rpc(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, req,
			       HDR_IN + 8, self->rsp, &out_len));
	free(req);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Prints, does not assert: the ratio's target is at most 1.10. The two
 * paths alternate call by call, both reuse their buffers, and the medians
 * are compared, so that host noise under emulation hits both alike.
 */
TEST_F(cxl_mem, bench_identify)
{
	const int n = 2000;
	struct fwctl_rpc_cxl_hdr req = { .opcode = OP_IDENTIFY };
	uint64_t *t_fwctl, *t_native, t0;
	uint8_t native[IDENTIFY_LEN];
	uint32_t retval;
	size_t out_len;
	int i;

	t_fwctl = calloc(n, sizeof(*t_fwctl));
	t_native = calloc(n, sizeof(*t_native));
	ASSERT_NE(NULL, t_fwctl);
	ASSERT_NE(NULL, t_native);
	for (i = 0; i < n; i++) {
		out_len = HDR_OUT + IDENTIFY_LEN;
		t0 = now_ns();
		ASSERT_EQ(0, rpc(self->fd, FWCTL_RPC_CONFIGURATION, &req,
				 sizeof(req), self->rsp, &out_len));
		t_fwctl[i] = now_ns() - t0;
		t0 = now_ns();
		ASSERT_EQ(IDENTIFY_LEN, native_identify(self->native_fd,
							native, &retval));
		t_native[i] = now_ns() - t0;
	}
	EXPECT_EQ(0, memcmp(native, self->rsp->rsp.payload, IDENTIFY_LEN));
	qsort(t_fwctl, n, sizeof(*t_fwctl), cmp_u64);
	qsort(t_native, n, sizeof(*t_native), cmp_u64);
	ksft_print_msg("bench: identify median fwctl %.2f us native %.2f us ratio %.3f\n",
		       t_fwctl[n / 2] / 1000.0, t_native[n / 2] / 1000.0,
		       (double)t_fwctl[n / 2] / t_native[n / 2]);
	ksft_print_msg("bench: identify min fwctl %.2f us native %.2f us (target ratio <= 1.10)\n",
		       t_fwctl[0] / 1000.0, t_native[0] / 1000.0);
	free(t_fwctl);
	free(t_native);
}

struct hammer {
	int fd;
	int ok;
	int enodev;
	int other;
	int last_err;
};

/* Sends Identify until the device is gone */
static void *hammer_identify(void *arg)
{
	struct hammer *h = arg;
	union cxl_buf *rsp = calloc(1, sizeof(*rsp));
	int i, ret;

	for (i = 0; rsp && i < 100000; i++) {
		ret = fwctl_identify(h->fd, rsp);
		if (ret == -ENODEV) {
			h->enodev++;
			break;
		}
		if (ret == IDENTIFY_LEN) {
			h->ok++;
		} else {
			h->other++;
			h->last_err = ret;
		}
	}
	free(rsp);
	return NULL;
}

/*
 * Unbinds cxl_pci with the fwctl file open and RPCs in flight: they end
 * with ENODEV, the file closes cleanly, and a rebind brings a new node.
 * Runs last: it removes the device every other test uses.
 */
TEST_F(cxl_mem, zz_hot_remove)
{
	struct fwctl_info info = { .size = sizeof(info) };
	struct hammer h = { .fd = self->fd };
	char path[PATH_MAX], bdf[64], *p;
	pthread_t thread;
	int fd;

	ASSERT_NE(NULL, realpath(self->memdev, path));
	*strrchr(path, '/') = 0;
	p = strrchr(path, '/');
	ASSERT_NE(NULL, p);
	snprintf(bdf, sizeof(bdf), "%s", p + 1);

	ASSERT_EQ(0, pthread_create(&thread, NULL, hammer_identify, &h));
	usleep(200000);
	ASSERT_EQ(0, write_sysfs(CXL_PCI_DRIVER "/unbind", bdf));
	pthread_join(thread, NULL);
	TH_LOG("in flight: %d delivered, %d ENODEV, %d other (last %d)",
	       h.ok, h.enodev, h.other, h.last_err);
	EXPECT_LT(0, h.ok);
	EXPECT_EQ(1, h.enodev);
	EXPECT_EQ(0, h.other);

	EXPECT_EQ(-1, ioctl(self->fd, FWCTL_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-ENODEV, fwctl_identify(self->fd, self->rsp));
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(0, close(self->native_fd));
	self->native_fd = -1;

	ASSERT_EQ(0, write_sysfs(CXL_PCI_DRIVER "/bind", bdf));
	ASSERT_EQ(0, find_memdev(path, sizeof(path)));
	fd = open_fwctl_of(path);
	ASSERT_LE(0, fd);
	EXPECT_EQ(IDENTIFY_LEN, fwctl_identify(fd, self->rsp));
	close(fd);
}

/*
 * The simulated mailbox
 */
static const struct {
	uint16_t size;
	uint16_t effects;
	bool changeable;
} sim_feats[CXL_SIM_NR_FEATS] = {
	[CXL_SIM_FEAT_READ_ONLY] = { CXL_SIM_FEAT_SMALL_SIZE, 0, false },
	[CXL_SIM_FEAT_IMMEDIATE] = { CXL_SIM_FEAT_BIG_SIZE, 0x0002, true },
	[CXL_SIM_FEAT_COLD_RESET] = { CXL_SIM_FEAT_RESET_SIZE, 0x0001, true },
	/* Changeable on the device, driven by the kernel */
	[CXL_SIM_FEAT_KERNEL] = { CXL_SIM_FEAT_SMALL_SIZE, 0x0002, false },
	[CXL_SIM_FEAT_BACKGROUND] = { CXL_SIM_FEAT_SMALL_SIZE, 0x0042, true },
	[CXL_SIM_FEAT_RESERVED] = { CXL_SIM_FEAT_SMALL_SIZE, 0x1002, true },
	[CXL_SIM_FEAT_NO_EFFECT] = { CXL_SIM_FEAT_SMALL_SIZE, 0, true },
	[CXL_SIM_FEAT_SECURITY] = { CXL_SIM_FEAT_SMALL_SIZE, 0x0022, true },
	[CXL_SIM_FEAT_CONV_RESET] = { CXL_SIM_FEAT_SMALL_SIZE, 0x0400, true },
};

FIXTURE(cxl_sim) {
	int fd;
	struct fwctl_info_cxl *info;
	union cxl_buf *req;
	union cxl_buf *rsp;
};

FIXTURE_SETUP(cxl_sim)
{
	uint32_t type;

	self->fd = open_fwctl_of(SIM_DEV);
	if (self->fd == -ENOENT)
		SKIP(return, "no %s device", CXL_SIM_NAME);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, fwctl_info(self->fd, &self->info, &type));
	ASSERT_EQ(FWCTL_DEVICE_TYPE_CXL, type);
	self->req = calloc(1, sizeof(*self->req));
	self->rsp = calloc(1, sizeof(*self->rsp));
	ASSERT_NE(NULL, self->req);
	ASSERT_NE(NULL, self->rsp);
}

FIXTURE_TEARDOWN(cxl_sim)
{
	if (self->fd >= 0)
		close(self->fd);
	free(self->info);
	free(self->req);
	free(self->rsp);
}

static uint64_t sim_mbox_cmds(void)
{
	char buf[64];

	if (read_sysfs(SIM_DEV "/mbox_cmds", buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 0);
}

static void sim_uuid(uint8_t *uuid, int idx)
{
	const uint8_t base[16] = CXL_SIM_FEAT_UUID(0);

	memcpy(uuid, base, 16);
	uuid[15] = idx;
}

/* Get Supported Features; returns -errno or the reply length */
static int get_sup_feats(int fd, union cxl_buf *req, union cxl_buf *rsp,
			 uint32_t count, uint16_t start, size_t out_len)
{
	int ret;

	memset(req, 0, sizeof(req->req));
	req->req.opcode = FWCTL_CXL_OP_GET_SUPPORTED_FEATURES;
	req->req.op_size = sizeof(req->req.get_sup_feats_in);
	put_le32((uint8_t *)&req->req.get_sup_feats_in.count, count);
	put_le16((uint8_t *)&req->req.get_sup_feats_in.start_idx, start);
	/* As mainline's tools send it: the whole structure */
	ret = rpc(fd, FWCTL_RPC_CONFIGURATION, req, sizeof(req->req), rsp,
		  &out_len);
	return ret ? ret : (int)out_len;
}

/* Get Feature; returns -errno or the bytes of data returned */
static int get_feat(int fd, union cxl_buf *req, union cxl_buf *rsp, int idx,
		    uint16_t off, uint16_t count, uint8_t sel, size_t out_len)
{
	int ret;

	memset(req, 0, sizeof(req->req));
	req->req.opcode = FWCTL_CXL_OP_GET_FEATURE;
	req->req.op_size = sizeof(req->req.get_feat_in);
	sim_uuid(req->req.get_feat_in.uuid, idx);
	put_le16((uint8_t *)&req->req.get_feat_in.offset, off);
	put_le16((uint8_t *)&req->req.get_feat_in.count, count);
	req->req.get_feat_in.selection = sel;
	ret = rpc(fd, FWCTL_RPC_CONFIGURATION, req,
		  HDR_IN + sizeof(req->req.get_feat_in), rsp, &out_len);
	if (ret)
		return ret;
	if (rsp->rsp.retval)
		return 1000000 + rsp->rsp.retval;
	return rsp->rsp.size;
}

/* Set Feature; returns -errno, or the mailbox return code */
static int set_feat(int fd, uint32_t scope, union cxl_buf *req,
		    union cxl_buf *rsp, int idx, uint32_t flags,
		    const uint8_t *data, size_t len)
{
	size_t out_len = HDR_OUT;
	int ret;

	memset(req, 0, sizeof(req->req));
	req->req.opcode = FWCTL_CXL_OP_SET_FEATURE;
	req->req.op_size = sizeof(struct cxl_mbox_set_feat_hdr) + len;
	sim_uuid(req->req.set_feat_in.hdr.uuid, idx);
	put_le32((uint8_t *)&req->req.set_feat_in.hdr.flags, flags);
	req->req.set_feat_in.hdr.version = 1;
	memcpy(req->req.set_feat_in.feat_data, data, len);
	ret = rpc(fd, scope, req, HDR_IN + req->req.op_size, rsp, &out_len);
	if (ret)
		return ret;
	return rsp->rsp.retval;
}

TEST_F(cxl_sim, info)
{
	struct fwctl_info_cxl *info = self->info;

	EXPECT_EQ(CXL_SIM_PAYLOAD_SIZE, info->payload_size);
	EXPECT_EQ(CXL_SIM_NR_FEATS, info->nr_features);
	EXPECT_EQ(FWCTL_RPC_CONFIGURATION, cmd_scope(info, OP_IDENTIFY));
	EXPECT_EQ(FWCTL_RPC_CONFIGURATION,
		  cmd_scope(info, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES));
	EXPECT_EQ(FWCTL_RPC_CONFIGURATION,
		  cmd_scope(info, FWCTL_CXL_OP_GET_FEATURE));
	EXPECT_EQ(FWCTL_RPC_DEBUG_WRITE,
		  cmd_scope(info, FWCTL_CXL_OP_SET_FEATURE));
	EXPECT_EQ(FWCTL_RPC_DEBUG_READ_ONLY, cmd_scope(info, CXL_SIM_OP_ECHO));
	EXPECT_EQ(FWCTL_RPC_DEBUG_WRITE, cmd_scope(info, CXL_SIM_OP_RESET_CFG));
	/* Read the strict way: a change after a conventional reset */
	EXPECT_EQ(FWCTL_RPC_DEBUG_WRITE, cmd_scope(info, CXL_SIM_OP_BIT9));
	EXPECT_EQ(FWCTL_RPC_DEBUG_WRITE_FULL,
		  cmd_scope(info, CXL_SIM_OP_IMM_DATA));
	/* Listed twice: the first entry counts */
	EXPECT_EQ(FWCTL_RPC_DEBUG_READ_ONLY, cmd_scope(info, CXL_SIM_OP_TWICE));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_BACKGROUND));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_RESERVED));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_SECURITY));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_SET_LSA));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_SANITIZE));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_CLEAR_EVENTS));
	EXPECT_EQ(-1, cmd_scope(info, CXL_SIM_OP_GET_POISON));
}

TEST_F(cxl_sim, supported_features_paging)
{
	const size_t page = sizeof(struct cxl_mbox_get_sup_feats_out) +
			    2 * sizeof(struct cxl_feat_entry);
	struct cxl_mbox_get_sup_feats_out *out =
		&self->rsp->rsp.get_sup_feats_out;
	unsigned int idx = 0, i;

	while (idx < CXL_SIM_NR_FEATS) {
		unsigned int n = CXL_SIM_NR_FEATS - idx < 2 ?
				 CXL_SIM_NR_FEATS - idx : 2;

		ASSERT_EQ(HDR_OUT + sizeof(*out) + n * sizeof(out->ents[0]),
			  get_sup_feats(self->fd, self->req,
					self->rsp, page, idx, HDR_OUT + page));
		ASSERT_EQ(RC_SUCCESS, self->rsp->rsp.retval);
		ASSERT_EQ(sizeof(*out) + n * sizeof(out->ents[0]),
			  self->rsp->rsp.size);
		ASSERT_EQ(n, out->num_entries);
		ASSERT_EQ(CXL_SIM_NR_FEATS, out->supported_feats);
		for (i = 0; i < n; i++, idx++) {
			const struct cxl_feat_entry *e = &out->ents[i];
			uint8_t uuid[16];

			sim_uuid(uuid, idx);
			EXPECT_EQ(0, memcmp(uuid, e->uuid, 16));
			EXPECT_EQ(sim_feats[idx].size, e->get_feat_size);
			EXPECT_EQ(sim_feats[idx].changeable ?
				  sim_feats[idx].size : 0, e->set_feat_size);
			EXPECT_EQ(sim_feats[idx].changeable,
				  e->flags & FWCTL_CXL_FEAT_F_CHANGEABLE);
			EXPECT_EQ(sim_feats[idx].effects, e->effects);
		}
	}
	/* Past the end: no entries; beyond it: refused */
	EXPECT_EQ(HDR_OUT + sizeof(*out),
		  get_sup_feats(self->fd, self->req, self->rsp,
				page, CXL_SIM_NR_FEATS, HDR_OUT + page));
	EXPECT_EQ(0, out->num_entries);
	EXPECT_EQ(-EINVAL, get_sup_feats(self->fd, self->req,
					 self->rsp, page,
					 CXL_SIM_NR_FEATS + 1,
					 HDR_OUT + page));
	/* All in one go */
	EXPECT_EQ(HDR_OUT + sizeof(*out) +
		  CXL_SIM_NR_FEATS * sizeof(out->ents[0]),
		  get_sup_feats(self->fd, self->req, self->rsp,
				65535, 0, sizeof(*self->rsp)));
}

TEST_F(cxl_sim, supported_features_undersized)
{
	const size_t page = sizeof(struct cxl_mbox_get_sup_feats_out) +
			    2 * sizeof(struct cxl_feat_entry);

	memset(self->rsp, 0x5a, HDR_OUT + page);
	/* One byte short of the two entries asked for */
	EXPECT_EQ(-EINVAL, get_sup_feats(self->fd, self->req,
					 self->rsp, page, 0,
					 HDR_OUT + page - 1));
	EXPECT_EQ(0x5a, self->rsp->bytes[0]);
	/* A count that does not hold the reply header */
	EXPECT_EQ(-EINVAL, get_sup_feats(self->fd, self->req,
					 self->rsp, 7, 0, HDR_OUT + page));
	/* Shorter than the input structure */
	self->req->req.op_size = 4;
	{
		size_t out_len = HDR_OUT + page;

		EXPECT_EQ(-EINVAL, rpc(self->fd, 0, self->req, HDR_IN + 4,
				       self->rsp, &out_len));
	}
}

TEST_F(cxl_sim, get_feature_chunked)
{
	uint64_t before = sim_mbox_cmds();
	int i;

	/* 600 bytes over a 256-byte payload: three reads */
	ASSERT_EQ(CXL_SIM_FEAT_BIG_SIZE,
		  get_feat(self->fd, self->req, self->rsp,
			   CXL_SIM_FEAT_IMMEDIATE, 0, CXL_SIM_FEAT_BIG_SIZE,
			   FWCTL_CXL_FEAT_SEL_DEFAULT,
			   HDR_OUT + CXL_SIM_FEAT_BIG_SIZE));
	EXPECT_EQ(3, sim_mbox_cmds() - before);
	for (i = 0; i < CXL_SIM_FEAT_BIG_SIZE; i++)
		ASSERT_EQ(CXL_SIM_FEAT_DEFAULT(CXL_SIM_FEAT_IMMEDIATE, i),
			  self->rsp->rsp.payload[i]);

	/* From an offset, across a payload boundary */
	ASSERT_EQ(300, get_feat(self->fd, self->req, self->rsp,
				CXL_SIM_FEAT_IMMEDIATE, 100, 300,
				FWCTL_CXL_FEAT_SEL_DEFAULT, HDR_OUT + 300));
	for (i = 0; i < 300; i++)
		ASSERT_EQ(CXL_SIM_FEAT_DEFAULT(CXL_SIM_FEAT_IMMEDIATE, 100 + i),
			  self->rsp->rsp.payload[i]);
}

TEST_F(cxl_sim, get_feature_refused)
{
	uint64_t before = sim_mbox_cmds();

	/* Reply buffer one byte short */
	EXPECT_EQ(-EINVAL, get_feat(self->fd, self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 0, 600, 0,
				    HDR_OUT + 599));
	/* Beyond the feature's data */
	EXPECT_EQ(-EINVAL, get_feat(self->fd, self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 1, 600, 0,
				    sizeof(*self->rsp)));
	EXPECT_EQ(-EINVAL, get_feat(self->fd, self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 0, 0, 0,
				    sizeof(*self->rsp)));
	/* Unknown selection and feature */
	EXPECT_EQ(-EINVAL, get_feat(self->fd, self->req, self->rsp,
				    CXL_SIM_FEAT_READ_ONLY, 0, 8, 3,
				    sizeof(*self->rsp)));
	EXPECT_EQ(-EINVAL, get_feat(self->fd, self->req, self->rsp,
				    CXL_SIM_NR_FEATS, 0, 8, 0,
				    sizeof(*self->rsp)));
	/* Nothing reached the device */
	EXPECT_EQ(0, sim_mbox_cmds() - before);
}

TEST_F(cxl_sim, set_feature_immediate_chunked)
{
	uint8_t data[CXL_SIM_FEAT_BIG_SIZE];
	uint64_t before;
	int i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = i * 13 + 1;
	EXPECT_EQ(-EPERM, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE, self->req,
				   self->rsp, CXL_SIM_FEAT_IMMEDIATE, 0, data,
				   sizeof(data)));
	before = sim_mbox_cmds();
	/* Initiate, continue, finish: 224 + 224 + 152 bytes */
	ASSERT_EQ(RC_SUCCESS,
		  set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, self->req,
			   self->rsp, CXL_SIM_FEAT_IMMEDIATE,
			   FWCTL_CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET,
			   data, sizeof(data)));
	EXPECT_EQ(3, sim_mbox_cmds() - before);
	EXPECT_EQ(0, self->rsp->rsp.size);

	ASSERT_EQ(CXL_SIM_FEAT_BIG_SIZE,
		  get_feat(self->fd, self->req, self->rsp,
			   CXL_SIM_FEAT_IMMEDIATE, 0, CXL_SIM_FEAT_BIG_SIZE,
			   FWCTL_CXL_FEAT_SEL_CURRENT,
			   HDR_OUT + CXL_SIM_FEAT_BIG_SIZE));
	EXPECT_EQ(0, memcmp(data, self->rsp->rsp.payload, sizeof(data)));
	ASSERT_EQ(CXL_SIM_FEAT_BIG_SIZE,
		  get_feat(self->fd, self->req, self->rsp,
			   CXL_SIM_FEAT_IMMEDIATE, 0, CXL_SIM_FEAT_BIG_SIZE,
			   FWCTL_CXL_FEAT_SEL_SAVED,
			   HDR_OUT + CXL_SIM_FEAT_BIG_SIZE));
	EXPECT_EQ(0, memcmp(data, self->rsp->rsp.payload, sizeof(data)));

	/* Small enough for one full transfer */
	before = sim_mbox_cmds();
	ASSERT_EQ(RC_SUCCESS,
		  set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, self->req,
			   self->rsp, CXL_SIM_FEAT_IMMEDIATE, 0, data, 200));
	EXPECT_EQ(1, sim_mbox_cmds() - before);
}

TEST_F(cxl_sim, set_feature_after_reset)
{
	uint8_t data[CXL_SIM_FEAT_RESET_SIZE];

	memset(data, 0x3c, sizeof(data));
	EXPECT_EQ(-EPERM, set_feat(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				   self->req, self->rsp,
				   CXL_SIM_FEAT_COLD_RESET, 0, data,
				   sizeof(data)));
	EXPECT_EQ(RC_SUCCESS, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE,
				       self->req, self->rsp,
				       CXL_SIM_FEAT_COLD_RESET, 0, data,
				       sizeof(data)));
	EXPECT_EQ(RC_SUCCESS, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE,
				       self->req, self->rsp,
				       CXL_SIM_FEAT_CONV_RESET, 0, data,
				       CXL_SIM_FEAT_SMALL_SIZE));
	ASSERT_EQ(CXL_SIM_FEAT_RESET_SIZE,
		  get_feat(self->fd, self->req, self->rsp,
			   CXL_SIM_FEAT_COLD_RESET, 0, CXL_SIM_FEAT_RESET_SIZE,
			   FWCTL_CXL_FEAT_SEL_CURRENT,
			   HDR_OUT + CXL_SIM_FEAT_RESET_SIZE));
	EXPECT_EQ(0, memcmp(data, self->rsp->rsp.payload, sizeof(data)));
}

/* Refused whatever the scope: nothing reaches the device */
TEST_F(cxl_sim, set_feature_refused)
{
	static const int feats[] = {
		CXL_SIM_FEAT_READ_ONLY, CXL_SIM_FEAT_KERNEL,
		CXL_SIM_FEAT_BACKGROUND, CXL_SIM_FEAT_RESERVED,
		CXL_SIM_FEAT_NO_EFFECT, CXL_SIM_FEAT_SECURITY,
	};
	uint8_t data[CXL_SIM_FEAT_SMALL_SIZE] = {};
	uint64_t before = sim_mbox_cmds();
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(feats); i++)
		EXPECT_EQ(-EPERM, set_feat(self->fd,
					   FWCTL_RPC_DEBUG_WRITE_FULL,
					   self->req, self->rsp, feats[i], 0,
					   data, sizeof(data)))
			TH_LOG("feature %d", feats[i]);
	EXPECT_EQ(0, sim_mbox_cmds() - before);
}

TEST_F(cxl_sim, set_feature_malformed)
{
	uint8_t data[CXL_SIM_FEAT_BIG_SIZE + 1] = {};
	uint64_t before = sim_mbox_cmds();
	size_t out_len = HDR_OUT;

	/* Partial transfers are the kernel's business */
	EXPECT_EQ(-EINVAL, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 1, data, 8));
	EXPECT_EQ(-EINVAL, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 0x10, data, 8));
	/* Longer than the feature, or empty */
	EXPECT_EQ(-EINVAL, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 0, data,
				    sizeof(data)));
	EXPECT_EQ(-EINVAL, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    self->req, self->rsp,
				    CXL_SIM_FEAT_IMMEDIATE, 0, data, 0));
	/* Unknown feature */
	EXPECT_EQ(-EINVAL, set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    self->req, self->rsp, CXL_SIM_NR_FEATS, 0,
				    data, 8));
	/* Offset, reserved bytes, op_size */
	set_feat(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, self->req, self->rsp,
		 CXL_SIM_FEAT_IMMEDIATE, 0, data, 8);
	self->req->req.set_feat_in.hdr.offset = 1;
	EXPECT_EQ(-EINVAL, rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       self->req, HDR_IN + 40, self->rsp, &out_len));
	self->req->req.set_feat_in.hdr.offset = 0;
	self->req->req.set_feat_in.hdr.reserved[8] = 1;
	EXPECT_EQ(-EINVAL, rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       self->req, HDR_IN + 40, self->rsp, &out_len));
	self->req->req.set_feat_in.hdr.reserved[8] = 0;
	EXPECT_EQ(-EINVAL, rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       self->req, HDR_IN + 41, self->rsp, &out_len));
	EXPECT_EQ(1, sim_mbox_cmds() - before);

	/* A wrong version is the device's to refuse */
	self->req->req.set_feat_in.hdr.version = 9;
	ASSERT_EQ(0, rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, self->req,
			 HDR_IN + 40, self->rsp, &out_len));
	EXPECT_EQ(RC_FEAT_VERSION, self->rsp->rsp.retval);
}

TEST_F(cxl_sim, vendor_commands)
{
	uint8_t payload[16] = "fwctl-cxl-echo!";

	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_CONFIGURATION,
				      CXL_SIM_OP_ECHO, payload, 16, self->rsp,
				      16));
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 CXL_SIM_OP_ECHO, payload, 16, self->rsp, 16));
	EXPECT_EQ(16, self->rsp->rsp.size);
	EXPECT_EQ(0, memcmp(payload, self->rsp->rsp.payload, 16));

	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				      CXL_SIM_OP_RESET_CFG, payload, 4,
				      self->rsp, 0));
	EXPECT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE,
				 CXL_SIM_OP_RESET_CFG, payload, 4, self->rsp,
				 0));
	EXPECT_EQ(-EPERM, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE,
				      CXL_SIM_OP_IMM_DATA, payload, 4,
				      self->rsp, 0));
	EXPECT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				 CXL_SIM_OP_IMM_DATA, payload, 4, self->rsp,
				 0));
	EXPECT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 CXL_SIM_OP_TWICE, payload, 4, self->rsp, 4));

	/* A failure status is a delivered reply */
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 CXL_SIM_OP_FAIL, NULL, 0, self->rsp, 64));
	EXPECT_EQ(CXL_SIM_RC_FAIL, self->rsp->rsp.retval);
	EXPECT_EQ(0, self->rsp->rsp.size);

	/* Output bounded by the reply buffer, then by the payload */
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 CXL_SIM_OP_FILL, NULL, 0, self->rsp, 100));
	EXPECT_EQ(100, self->rsp->rsp.size);
	ASSERT_EQ(0, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				 CXL_SIM_OP_FILL, NULL, 0, self->rsp, 65536));
	EXPECT_EQ(CXL_SIM_PAYLOAD_SIZE, self->rsp->rsp.size);
	/* Input beyond the payload never reaches the device */
	EXPECT_EQ(-EINVAL, raw_cmd_out(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				       CXL_SIM_OP_ECHO, self->req,
				       CXL_SIM_PAYLOAD_SIZE + 1, self->rsp,
				       16));
}

TEST_F(cxl_sim, refused_commands)
{
	static const uint16_t ops[] = {
		CXL_SIM_OP_BACKGROUND, CXL_SIM_OP_RESERVED,
		CXL_SIM_OP_SECURITY, CXL_SIM_OP_SET_LSA, CXL_SIM_OP_SANITIZE,
		CXL_SIM_OP_CLEAR_EVENTS, CXL_SIM_OP_GET_POISON,
		/* Known to the driver, absent from the CEL */
		0x4100, 0x4200,
	};
	uint8_t payload[16] = {};
	uint64_t before = sim_mbox_cmds();
	unsigned int i, s;

	for (i = 0; i < ARRAY_LEN(ops); i++)
		for (s = 0; s < ARRAY_LEN(all_scopes); s++)
			EXPECT_EQ(-EOPNOTSUPP,
				  raw_cmd_out(self->fd, all_scopes[s], ops[i],
					      payload, 8, self->rsp, 64))
				TH_LOG("opcode 0x%04x scope %u", ops[i],
				       all_scopes[s]);
	EXPECT_EQ(0, sim_mbox_cmds() - before);
}

TEST_F(cxl_sim, opcode_sweep)
{
	uint64_t before = sim_mbox_cmds();

	EXPECT_EQ(0, sweep_unlisted(_metadata, self->fd, self->info,
				    self->rsp));
	EXPECT_EQ(0, sim_mbox_cmds() - before);
}

/* A reply shorter than the command defines is the device's bug */
TEST_F(cxl_sim, short_identify)
{
	ASSERT_EQ(IDENTIFY_LEN, fwctl_identify(self->fd, self->rsp));
	ASSERT_EQ(0, write_sysfs(SIM_DEV "/short_identify", "1"));
	EXPECT_EQ(-EIO, fwctl_identify(self->fd, self->rsp));
	ASSERT_EQ(0, write_sysfs(SIM_DEV "/short_identify", "0"));
	EXPECT_EQ(IDENTIFY_LEN, fwctl_identify(self->fd, self->rsp));
}

TEST_F(cxl_sim, zz_unbind_with_file_open)
{
	struct fwctl_info info = { .size = sizeof(info) };
	int fd;

	ASSERT_EQ(0, write_sysfs(SIM_DRIVER "/unbind", CXL_SIM_NAME));
	EXPECT_EQ(-1, ioctl(self->fd, FWCTL_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-ENODEV, fwctl_identify(self->fd, self->rsp));
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;

	ASSERT_EQ(0, write_sysfs(SIM_DRIVER "/bind", CXL_SIM_NAME));
	fd = open_fwctl_of(SIM_DEV);
	ASSERT_LE(0, fd);
	EXPECT_EQ(IDENTIFY_LEN, fwctl_identify(fd, self->rsp));
	close(fd);
}

TEST_HARNESS_MAIN
