// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwctl accelerator management channel (accel_fwctl.ko,
 * FWCTL_DEVICE_TYPE_ACCEL) against a real DMA-capable device: QEMU's edu
 * device behind an IOMMU.
 *
 * Run as root with fwctl.ko and accel_fwctl.ko loaded; every test skips
 * when no device is bound to accel_fwctl. The timeout tests need the
 * test-only debugfs hooks (CONFIG_FWCTL_ACCEL_TEST) and skip without them.
 * The last test unbinds the device with files open and RPCs in flight,
 * then binds it again.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "accel_utils.h"
#include "kselftest_harness.h"

#define DMAR_FAULT	"DMAR: [DMA"

/* A reply buffer as large as any reply */
struct reply {
	union {
		struct fwctl_accel_rsp hdr;
		__u8 buf[FWCTL_ACCEL_MAX_RSP_LEN];
	};
	__u32 len;
};

static struct accel_msg msg;
static struct reply rsp;

/* Sends @m and reads the reply into @r; returns 0 or -errno */
static int do_rpc(int fd, __u32 scope, struct accel_msg *m, struct reply *r)
{
	r->len = sizeof(r->buf);
	memset(r->buf, 0xa5, sizeof(r->buf));
	return accel_rpc(fd, scope, m, r->buf, &r->len);
}

static struct fwctl_accel_trans_rsp *rec(struct reply *r, unsigned int i)
{
	return rsp_rec(r->buf, r->len, i);
}

static __u32 rec_status(struct reply *r, unsigned int i)
{
	struct fwctl_accel_trans_rsp *t = rec(r, i);

	return t ? le32toh(t->status) : 0xdead;
}

/* A one-transaction list; returns -errno, or the transaction's status */
static int one(int fd, __u32 scope, struct accel_msg *m, struct reply *r)
{
	int ret = do_rpc(fd, scope, m, r);

	if (ret)
		return ret;
	return rec_status(r, 0);
}

/* Grants @size bytes; returns -errno or the status, fills @region */
static int grant(int fd, __u32 size, struct fwctl_accel_region *region)
{
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	int ret;

	msg_init(m);
	msg_grant(m, size);
	ret = one(fd, FWCTL_RPC_CONFIGURATION, m, r);
	if (ret == FWCTL_ACCEL_STATUS_OK && region)
		memcpy(region, rec_payload(rec(r, 0)), sizeof(*region));
	free(m);
	free(r);
	return ret;
}

static int release(int fd, __u32 scope, __u32 handle)
{
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	int ret;

	msg_init(m);
	msg_release(m, handle);
	ret = one(fd, scope, m, r);
	free(m);
	free(r);
	return ret;
}

static int mem_write(int fd, __u32 scope, __u32 type, __u32 handle,
		     __u32 off, __u32 len, const void *data)
{
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	int ret;

	msg_init(m);
	msg_mem(m, type, handle, off, len, data);
	ret = one(fd, scope, m, r);
	free(m);
	free(r);
	return ret;
}

static int mem_read(int fd, __u32 scope, __u32 type, __u32 handle, __u32 off,
		    __u32 len, void *data)
{
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	int ret;

	msg_init(m);
	msg_mem(m, type, handle, off, len, NULL);
	ret = one(fd, scope, m, r);
	if (ret >= 0 && data)
		memcpy(data, rec_payload(rec(r, 0)), len);
	free(m);
	free(r);
	return ret;
}

static int get_state(int fd, struct fwctl_accel_state *st)
{
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	int ret;

	msg_init(m);
	msg_simple(m, FWCTL_ACCEL_TRANS_STATUS);
	ret = one(fd, FWCTL_RPC_CONFIGURATION, m, r);
	if (ret == FWCTL_ACCEL_STATUS_OK)
		memcpy(st, rec_payload(rec(r, 0)), sizeof(*st));
	free(m);
	free(r);
	return ret;
}

static __u64 transfers(int fd)
{
	struct fwctl_accel_state st;

	if (get_state(fd, &st))
		return ~0ULL;
	return le64toh(st.transfers);
}

static void pattern(__u8 *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
}

/* An ioctl that must fail with @_errno, leaving the device untouched */
#define EXPECT_REFUSED(_errno, _expr)	EXPECT_EQ(-(_errno), (_expr))

FIXTURE(accel) {
	int fd;
	char bdf[64];
	char name[64];
	int saved_scope;
	long long saved_timeout;
	struct fwctl_accel_info info;
	int dmar0;
};

FIXTURE_SETUP(accel)
{
	__u32 type = 0;

	self->fd = -1;
	self->saved_scope = -1;
	self->saved_timeout = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (accel_find(self->bdf, sizeof(self->bdf), self->name,
		       sizeof(self->name)))
		SKIP(return, "no device bound to accel_fwctl");
	self->saved_scope = accel_max_scope_get(self->name);
	ASSERT_LE(0, self->saved_scope);
	ASSERT_EQ(0, accel_max_scope_set(self->name,
					 FWCTL_RPC_DEBUG_WRITE_FULL));
	self->saved_timeout = accel_debugfs_read(self->bdf, "timeout_ms");
	self->fd = accel_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, accel_get_info(self->fd, &self->info, &type));
	ASSERT_EQ(FWCTL_DEVICE_TYPE_ACCEL, type);
	self->dmar0 = kmsg_count(DMAR_FAULT);
}

FIXTURE_TEARDOWN(accel)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->saved_timeout > 0)
		accel_debugfs_write(self->bdf, "timeout_ms",
				    self->saved_timeout);
	if (self->saved_scope >= 0 &&
	    !accel_find(self->bdf, sizeof(self->bdf), self->name,
			sizeof(self->name)))
		accel_max_scope_set(self->name, self->saved_scope);
	/* No test may make the device fault */
	if (self->dmar0 >= 0)
		EXPECT_EQ(self->dmar0, kmsg_count(DMAR_FAULT));
}

TEST_F(accel, info)
{
	struct fwctl_accel_info *in = &self->info;
	__u32 len = 0, type = 0;

	EXPECT_EQ(FWCTL_ACCEL_INFO_VERSION, in->version);
	EXPECT_EQ(0xed, in->hw_id & 0xff);
	EXPECT_EQ(4095, in->mem_size);
	EXPECT_EQ(64, in->mem_granule);
	EXPECT_EQ(4095, in->max_xfer);
	EXPECT_EQ(4032, in->max_region);
	EXPECT_EQ(16, in->max_regions);
	EXPECT_EQ(0xffff, in->compute_max);
	EXPECT_EQ(FWCTL_ACCEL_MAX_TRANS, in->max_trans);
	EXPECT_EQ(FWCTL_ACCEL_MAX_REQ_LEN, in->max_req_len);
	EXPECT_EQ(FWCTL_ACCEL_MAX_RSP_LEN, in->max_rsp_len);
	EXPECT_LT(0, in->timeout_ms);

	/* The length alone */
	ASSERT_EQ(0, info_call(self->fd, NULL, &len, &type));
	EXPECT_EQ(FWCTL_DEVICE_TYPE_ACCEL, type);
	EXPECT_EQ(sizeof(*in), len);
}

TEST_F(accel, identify_and_status)
{
	struct fwctl_accel_identify *id;
	struct fwctl_accel_state *st;

	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_STATUS);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	EXPECT_EQ(msg_rsp_len(&msg), rsp.len);
	EXPECT_EQ(rsp.len, le32toh(rsp.hdr.len));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
	EXPECT_EQ(2, le32toh(rsp.hdr.done));
	EXPECT_EQ(2, le32toh(rsp.hdr.count));
	ASSERT_NE(NULL, rec(&rsp, 1));
	EXPECT_EQ(FWCTL_ACCEL_TRANS_IDENTIFY, le32toh(rec(&rsp, 0)->type));
	EXPECT_EQ(FWCTL_ACCEL_TRANS_STATUS, le32toh(rec(&rsp, 1)->type));

	id = rec_payload(rec(&rsp, 0));
	EXPECT_EQ(self->info.hw_id, le32toh(id->hw_id));
	EXPECT_EQ(self->info.mem_size, le32toh(id->mem_size));
	EXPECT_EQ(self->info.mem_granule, le32toh(id->mem_granule));
	EXPECT_EQ(self->info.max_xfer, le32toh(id->max_xfer));
	EXPECT_EQ(self->info.max_region, le32toh(id->max_region));
	EXPECT_EQ(self->info.max_regions, le32toh(id->max_regions));
	EXPECT_EQ(self->info.compute_max, le32toh(id->compute_max));

	st = rec_payload(rec(&rsp, 1));
	EXPECT_EQ(FWCTL_ACCEL_STATE_ALIVE, le32toh(st->flags));
	EXPECT_EQ(0, le32toh(st->regions));
	EXPECT_EQ(0, le32toh(st->quarantined));
}

TEST_F(accel, compute_factorial)
{
	static const __u32 expect[] = {
		1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800,
		39916800, 479001600, 1932053504 /* 13! mod 2^32 */,
	};
	unsigned int i;

	msg_init(&msg);
	for (i = 0; i < ARRAY_SIZE(expect); i++)
		msg_compute(&msg, i);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		struct fwctl_accel_compute_rsp *c;

		ASSERT_NE(NULL, rec(&rsp, i));
		EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, rec_status(&rsp, i));
		c = rec_payload(rec(&rsp, i));
		EXPECT_EQ(expect[i], le32toh(c->result)) TH_LOG("%u!", i);
	}

	/* The largest operand is accepted, the next refused */
	msg_init(&msg);
	msg_compute(&msg, self->info.compute_max);
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK,
		  one(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	msg_init(&msg);
	msg_compute(&msg, self->info.compute_max + 1);
	EXPECT_EQ(-EINVAL, one(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
}

TEST_F_TIMEOUT(accel, grant_and_release, 60)
{
	struct fwctl_accel_region a, b;
	struct fwctl_accel_state st;

	ASSERT_EQ(0, grant(self->fd, 1, &a));
	EXPECT_NE(0, le32toh(a.handle));
	EXPECT_EQ(64, le32toh(a.size));
	EXPECT_EQ(0, le32toh(a.offset) % 64);
	ASSERT_EQ(0, grant(self->fd, 100, &b));
	EXPECT_EQ(128, le32toh(b.size));
	EXPECT_NE(le32toh(a.handle), le32toh(b.handle));
	/* They do not overlap */
	EXPECT_TRUE(le32toh(a.offset) + 64 <= le32toh(b.offset) ||
		    le32toh(b.offset) + 128 <= le32toh(a.offset));

	ASSERT_EQ(0, get_state(self->fd, &st));
	EXPECT_EQ(2, le32toh(st.regions));
	EXPECT_EQ(63 - 3, le32toh(st.free_granules));

	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
			     le32toh(a.handle)));
	EXPECT_EQ(-ENOENT, release(self->fd, FWCTL_RPC_CONFIGURATION,
				   le32toh(a.handle)));
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
			     le32toh(b.handle)));
	ASSERT_EQ(0, get_state(self->fd, &st));
	EXPECT_EQ(0, le32toh(st.regions));
	EXPECT_EQ(63, le32toh(st.free_granules));

	/* Releasing twice in one list: the second names a released region */
	ASSERT_EQ(0, grant(self->fd, 64, &a));
	msg_init(&msg);
	msg_release(&msg, le32toh(a.handle));
	msg_release(&msg, le32toh(a.handle));
	EXPECT_EQ(-ENOENT, do_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg,
				  &rsp));
	/* and nothing ran */
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
			     le32toh(a.handle)));
}

TEST_F_TIMEOUT(accel, grant_limits, 120)
{
	struct fwctl_accel_region r[17];
	unsigned int i;

	/* The largest region is all of the granules, and then none is left */
	EXPECT_EQ(-EINVAL, grant(self->fd, 0, NULL));
	EXPECT_EQ(-EINVAL, grant(self->fd, self->info.max_region + 1, NULL));
	ASSERT_EQ(0, grant(self->fd, self->info.max_region, &r[0]));
	EXPECT_EQ(self->info.max_region, le32toh(r[0].size));
	EXPECT_EQ(0, le32toh(r[0].offset));
	msg_init(&msg);
	msg_grant(&msg, 1);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NO_SPACE, le32toh(rsp.hdr.status));
	EXPECT_EQ(1, le32toh(rsp.hdr.done));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NO_SPACE, rec_status(&rsp, 0));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NOT_RUN, rec_status(&rsp, 1));
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
			     le32toh(r[0].handle)));

	/* Sixteen regions, and no seventeenth even with memory left */
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, grant(self->fd, 64, &r[i])) TH_LOG("grant %u", i);
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NO_SPACE, grant(self->fd, 64, NULL));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
				     le32toh(r[i].handle)));
}

TEST_F_TIMEOUT(accel, write_read_sweep, 240)
{
	static const __u32 sizes[] = {
		1, 2, 7, 8, 9, 63, 64, 65, 255, 1000, 2048, 4031, 4032,
	};
	static __u8 shadow[4032], data[4096], back[4096];
	struct fwctl_accel_region r;
	unsigned int i, j, n = 0;
	__u32 h, size, off;

	ASSERT_EQ(0, grant(self->fd, 4032, &r));
	h = le32toh(r.handle);
	/* A new region reads as zeroes */
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 4032, back));
	EXPECT_EQ(0, memcmp(back, shadow, 4032));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		const __u32 offs[] = { 0, 1, 63, 4032 - sizes[i] };

		size = sizes[i];
		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			off = offs[j];
			if (off + size > 4032 || (j && off == offs[j - 1]))
				continue;
			pattern(data, size, ++n);
			/* Written, then read back in the same list */
			msg_init(&msg);
			msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, off,
				size, data);
			msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_READ, h, off, size,
				NULL);
			ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE,
					    &msg, &rsp));
			EXPECT_EQ(msg_rsp_len(&msg), rsp.len);
			ASSERT_EQ(FWCTL_ACCEL_STATUS_OK,
				  le32toh(rsp.hdr.status));
			EXPECT_EQ(0, memcmp(rec_payload(rec(&rsp, 1)), data,
					    size))
				TH_LOG("size %u offset %u", size, off);
			memcpy(shadow + off, data, size);
		}
	}

	/* Nothing outside each range changed */
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 4032, back));
	EXPECT_EQ(0, memcmp(back, shadow, 4032));
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION, h));
}

TEST_F_TIMEOUT(accel, list_runs_in_order, 60)
{
	static __u8 a[100], b[200], expect[300];
	struct fwctl_accel_compute_rsp *c;
	struct fwctl_accel_region r;
	__u8 *back;
	__u32 h;

	ASSERT_EQ(0, grant(self->fd, 300, &r));
	h = le32toh(r.handle);
	pattern(a, sizeof(a), 1);
	pattern(b, sizeof(b), 2);
	memcpy(expect, a, 100);
	memcpy(expect + 50, b, 200);

	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 100, a);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 50, 200, b);
	msg_compute(&msg, 10);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 250, NULL);
	msg_release(&msg, h);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
	EXPECT_EQ(5, le32toh(rsp.hdr.done));
	c = rec_payload(rec(&rsp, 2));
	EXPECT_EQ(3628800, le32toh(c->result));
	back = rec_payload(rec(&rsp, 3));
	EXPECT_EQ(0, memcmp(back, expect, 250));
	/* The read's record is padded to 8 bytes, with zeroes */
	EXPECT_EQ(REC_HDR + 256, le32toh(rec(&rsp, 3)->len));
	EXPECT_EQ(0, back[250] | back[251] | back[255]);
	EXPECT_EQ(-ENOENT, release(self->fd, FWCTL_RPC_CONFIGURATION, h));
}

TEST_F_TIMEOUT(accel, fd_isolation, 60)
{
	static __u8 data[512], back[512], zero[512];
	struct fwctl_accel_region r;
	__u32 h;
	int other;

	other = accel_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, grant(self->fd, 512, &r));
	h = le32toh(r.handle);
	pattern(data, sizeof(data), 7);
	ASSERT_EQ(0, mem_write(self->fd, FWCTL_RPC_DEBUG_WRITE,
			       FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 512, data));

	/* Below full debug another file cannot name the region */
	EXPECT_EQ(-EPERM, mem_read(other, FWCTL_RPC_DEBUG_READ_ONLY,
				   FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 512,
				   back));
	EXPECT_EQ(-EPERM, mem_read(other, FWCTL_RPC_DEBUG_WRITE,
				   FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 512,
				   back));
	EXPECT_EQ(-EPERM, mem_write(other, FWCTL_RPC_DEBUG_WRITE,
				    FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 512,
				    zero));
	EXPECT_EQ(-EPERM, release(other, FWCTL_RPC_CONFIGURATION, h));
	EXPECT_EQ(-EPERM, release(other, FWCTL_RPC_DEBUG_WRITE_FULL, h));

	/* Full debug can, through the handle or the raw offset */
	if (full_ok()) {
		memset(back, 0, sizeof(back));
		EXPECT_EQ(0, mem_read(other, FWCTL_RPC_DEBUG_WRITE_FULL,
				      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 512,
				      back));
		EXPECT_EQ(0, memcmp(back, data, 512));
		memset(back, 0, sizeof(back));
		EXPECT_EQ(0, mem_read(other, FWCTL_RPC_DEBUG_WRITE_FULL,
				      FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0,
				      le32toh(r.offset), 512, back));
		EXPECT_EQ(0, memcmp(back, data, 512));
	}

	/* The owner's data did not change */
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 512, back));
	EXPECT_EQ(0, memcmp(back, data, 512));
	close(other);
}

TEST_F_TIMEOUT(accel, release_at_close, 60)
{
	struct fwctl_accel_region r;
	struct fwctl_accel_state st;
	int other;

	other = accel_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, grant(other, self->info.max_region, &r));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NO_SPACE, grant(self->fd, 64, NULL));
	close(other);

	/* Its region went with it */
	ASSERT_EQ(0, get_state(self->fd, &st));
	EXPECT_EQ(63, le32toh(st.free_granules));
	EXPECT_EQ(-ENOENT, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    FWCTL_ACCEL_TRANS_MEM_READ,
				    le32toh(r.handle), 0, 64, NULL));
	ASSERT_EQ(0, grant(self->fd, self->info.max_region, &r));
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION,
			     le32toh(r.handle)));
}

TEST_F_TIMEOUT(accel, grant_is_zeroed, 60)
{
	static __u8 data[4032], back[4032], zero[4032];
	struct fwctl_accel_region r;
	int other;

	other = accel_open();
	ASSERT_LE(0, other);
	ASSERT_EQ(0, grant(other, 4032, &r));
	pattern(data, sizeof(data), 9);
	ASSERT_EQ(0, mem_write(other, FWCTL_RPC_DEBUG_WRITE,
			       FWCTL_ACCEL_TRANS_MEM_WRITE,
			       le32toh(r.handle), 0, 4032, data));
	close(other);

	/* The next owner of that memory sees none of it */
	ASSERT_EQ(0, grant(self->fd, 4032, &r));
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, le32toh(r.handle), 0,
			      4032, back));
	EXPECT_EQ(0, memcmp(back, zero, sizeof(zero)));
}

/* Each type at the scope below its own, then at its own */
TEST_F_TIMEOUT(accel, scope_per_type, 60)
{
	static const struct {
		__u32 type;
		__u32 scope;
	} t[] = {
		{ FWCTL_ACCEL_TRANS_MEM_READ, FWCTL_RPC_DEBUG_READ_ONLY },
		{ FWCTL_ACCEL_TRANS_REG_READ, FWCTL_RPC_DEBUG_READ_ONLY },
		{ FWCTL_ACCEL_TRANS_MEM_WRITE, FWCTL_RPC_DEBUG_WRITE },
		{ FWCTL_ACCEL_TRANS_MEM_READ_RAW, FWCTL_RPC_DEBUG_WRITE_FULL },
		{ FWCTL_ACCEL_TRANS_MEM_WRITE_RAW, FWCTL_RPC_DEBUG_WRITE_FULL },
		{ FWCTL_ACCEL_TRANS_REG_WRITE, FWCTL_RPC_DEBUG_WRITE_FULL },
	};
	struct fwctl_accel_region r;
	__u8 data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	unsigned int i;
	__u32 s;

	ASSERT_EQ(0, grant(self->fd, 64, &r));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		for (s = FWCTL_RPC_CONFIGURATION; s <= t[i].scope; s++) {
			bool raw = t[i].type == FWCTL_ACCEL_TRANS_MEM_READ_RAW ||
				   t[i].type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
			int ret;

			if (s == FWCTL_RPC_DEBUG_WRITE_FULL && !full_ok())
				continue;
			msg_init(&msg);
			if (t[i].type == FWCTL_ACCEL_TRANS_REG_READ)
				msg_reg(&msg, t[i].type, 0, 0);
			else if (t[i].type == FWCTL_ACCEL_TRANS_REG_WRITE)
				msg_reg(&msg, t[i].type, 4, 0x1234);
			else
				msg_mem(&msg, t[i].type,
					raw ? 0 : le32toh(r.handle),
					raw ? le32toh(r.offset) : 0, 8, data);
			ret = one(self->fd, s, &msg, &rsp);
			if (s < t[i].scope) {
				EXPECT_EQ(-EPERM, ret)
					TH_LOG("type %u scope %u", t[i].type, s);
			} else {
				EXPECT_EQ(0, ret)
					TH_LOG("type %u scope %u", t[i].type, s);
			}
		}
	}
	/* The configuration types need nothing more */
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_STATUS);
	msg_compute(&msg, 3);
	msg_release(&msg, le32toh(r.handle));
	EXPECT_EQ(0, do_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
}

TEST_F(accel, max_scope_ceiling)
{
	ASSERT_EQ(0, accel_max_scope_set(self->name, FWCTL_RPC_CONFIGURATION));
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0, 0);
	EXPECT_EQ(-EPERM, one(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg, &rsp));
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	EXPECT_EQ(0, one(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	ASSERT_EQ(0, accel_max_scope_set(self->name,
					 FWCTL_RPC_DEBUG_READ_ONLY));
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0, 0);
	EXPECT_EQ(0, one(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg, &rsp));
}

/* Sends @len bytes of @m as they are (header included) */
static int raw_send(int fd, __u32 scope, struct accel_msg *m, size_t len,
		    __u32 out_len)
{
	return rpc_call(fd, scope, m->buf, len, rsp.buf, &out_len);
}

/* A valid list of one read of @h, finished; returns the message length */
static size_t base_read(struct accel_msg *m, __u32 h)
{
	msg_init(m);
	msg_mem(m, FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 8, NULL);
	msg_finish(m);
	return m->len;
}

#define TRANS(_m)	((struct fwctl_accel_trans *)((_m)->buf + REQ_HDR))
#define MEM(_m)		((struct fwctl_accel_trans_mem *)TRANS(_m))

TEST_F_TIMEOUT(accel, malformed_lists, 60)
{
	const __u32 S = FWCTL_RPC_DEBUG_WRITE_FULL, O = sizeof(rsp.buf);
	struct fwctl_accel_region r;
	struct fwctl_accel_trans_compute *c;
	__u32 h, type, i;
	__u64 xfers;
	size_t len;

	if (!full_ok())
		SKIP(return, "needs CAP_SYS_RAWIO and no lockdown");
	ASSERT_EQ(0, grant(self->fd, 64, &r));
	h = le32toh(r.handle);
	xfers = transfers(self->fd);

	/* The base list works */
	len = base_read(&msg, h);
	EXPECT_EQ(0, raw_send(self->fd, S, &msg, len, O));
	xfers++;

	/* Header */
	len = base_read(&msg, h);
	msg.hdr.count = 0;
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.count = htole32(2);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.count = htole32(FWCTL_ACCEL_MAX_TRANS + 1);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.count = htole32(1);
	msg.hdr.len = htole32(len + 8);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.len = htole32(len);
	msg.hdr.flags = htole32(1);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.flags = htole32(1U << 31);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.flags = 0;
	msg.hdr.opcode = htole32(2);
	EXPECT_REFUSED(EOPNOTSUPP, raw_send(self->fd, S, &msg, len, O));
	msg.hdr.opcode = 0;
	EXPECT_REFUSED(EOPNOTSUPP, raw_send(self->fd, S, &msg, len, O));

	/* Total lengths: the header alone, one byte more, over the limit */
	len = base_read(&msg, h);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, REQ_HDR, O));
	msg.hdr.len = htole32(len + 1);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len + 1, O));
	msg.hdr.len = htole32(FWCTL_ACCEL_MAX_REQ_LEN + 8);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg,
					FWCTL_ACCEL_MAX_REQ_LEN + 8, O));

	/* Transaction lengths: short, unaligned, past the end, too long */
	for (i = 0; i < 5; i++) {
		static const __u32 bad[] = { 0, 4, 20, 32, 0xfffffff8 };

		len = base_read(&msg, h);
		TRANS(&msg)->len = htole32(bad[i]);
		EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O))
			TH_LOG("transaction length %u", bad[i]);
	}
	/* Two transactions whose lengths overlap */
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	msg_finish(&msg);
	TRANS(&msg)->len = htole32(16);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	/* A fixed-size type with a longer body */
	msg_init(&msg);
	msg_add(&msg, FWCTL_ACCEL_TRANS_IDENTIFY, 16);
	msg_finish(&msg);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));

	/* Unknown types */
	for (i = 0; i < 4; i++) {
		static const __u32 bad[] = { 0, 12, 0x100, 0xffffffff };

		len = base_read(&msg, h);
		TRANS(&msg)->type = htole32(bad[i]);
		EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O))
			TH_LOG("type %#x", bad[i]);
	}

	/* Reserved fields and bad values, type by type */
	len = base_read(&msg, h);
	MEM(&msg)->reserved = htole32(1);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	/* Empty, too long, wrapping, or past the region once it is known */
	for (i = 0; i < 8; i++) {
		static const __u32 off[] = { 0, 0, 0, 1, 57, 0xffffffff, 64,
					     0 };
		static const __u32 ln[] = { 0, 4096, 0xffffffff, 64, 8, 2, 1,
					    65 };

		len = base_read(&msg, h);
		MEM(&msg)->offset = htole32(off[i]);
		MEM(&msg)->length = htole32(ln[i]);
		EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O))
			TH_LOG("offset %#x length %#x", off[i], ln[i]);
	}
	len = base_read(&msg, h);
	MEM(&msg)->handle = 0;
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	MEM(&msg)->handle = htole32(h + 1000);
	EXPECT_REFUSED(ENOENT, raw_send(self->fd, S, &msg, len, O));
	MEM(&msg)->handle = htole32(h);
	MEM(&msg)->hdr.type = htole32(FWCTL_ACCEL_TRANS_MEM_READ_RAW);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));
	MEM(&msg)->handle = 0;
	MEM(&msg)->offset = htole32(self->info.mem_size - 7);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, len, O));

	/* A write whose length disagrees with its data, or with padding */
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 9, "abcdefghi");
	msg_finish(&msg);
	MEM(&msg)->length = htole32(8);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	MEM(&msg)->length = htole32(17);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	MEM(&msg)->length = htole32(9);
	MEM(&msg)->data[15] = 1;
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));

	/* Compute, grant, release */
	msg_init(&msg);
	msg_compute(&msg, 3);
	msg_finish(&msg);
	c = (void *)TRANS(&msg);
	c->op = htole32(2);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	c->op = 0;
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	c->op = htole32(FWCTL_ACCEL_COMPUTE_FACTORIAL);
	c->operand = htole32(0xffffffff);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	msg_init(&msg);
	msg_grant(&msg, 64);
	msg_finish(&msg);
	((struct fwctl_accel_trans_grant *)TRANS(&msg))->flags = htole32(1);
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	msg_init(&msg);
	msg_release(&msg, h);
	msg_finish(&msg);
	((struct fwctl_accel_trans_release *)TRANS(&msg))->reserved = 1;
	EXPECT_REFUSED(EINVAL, raw_send(self->fd, S, &msg, msg.len, O));
	EXPECT_EQ(-EINVAL, release(self->fd, S, 0));

	/* Registers: unknown, unaligned, holding host addresses */
	for (i = 0; i < 7; i++) {
		static const __u32 reg[] = { 0x02, 0x0c, 0x100, 0x80, 0x88,
					     0x90, 0x98 };

		for (type = FWCTL_ACCEL_TRANS_REG_READ;
		     type <= FWCTL_ACCEL_TRANS_REG_WRITE; type++) {
			msg_init(&msg);
			msg_reg(&msg, type, reg[i], 0);
			EXPECT_EQ(i < 3 ? -EINVAL : -EPERM,
				  one(self->fd, S, &msg, &rsp))
				TH_LOG("register %#x type %u", reg[i], type);
		}
	}
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0, 1);
	EXPECT_EQ(-EINVAL, one(self->fd, S, &msg, &rsp));
	/* Readable only, or writable only */
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_WRITE, 0, 1);
	EXPECT_EQ(-EPERM, one(self->fd, S, &msg, &rsp));
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0x60, 0);
	EXPECT_EQ(-EPERM, one(self->fd, S, &msg, &rsp));

	/* Too many transactions, a reply over the limit */
	msg_init(&msg);
	for (i = 0; i <= FWCTL_ACCEL_MAX_TRANS; i++)
		msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	EXPECT_REFUSED(EINVAL, do_rpc(self->fd, S, &msg, &rsp));
	msg_init(&msg);
	for (i = 0; i < 17; i++)
		msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0, 0, 4000, NULL);
	EXPECT_REFUSED(EINVAL, do_rpc(self->fd, S, &msg, &rsp));

	/* One bad transaction fails the list before anything runs */
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 8, "12345678");
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_READ, h + 1000, 0, 8, NULL);
	EXPECT_REFUSED(ENOENT, do_rpc(self->fd, S, &msg, &rsp));
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 8, "12345678");
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_WRITE, 4, 1);
	EXPECT_REFUSED(EPERM, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE, &msg,
				     &rsp));
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 8, "12345678");
	msg_add(&msg, 99, 8);
	EXPECT_REFUSED(EINVAL, do_rpc(self->fd, S, &msg, &rsp));

	/* None of these moved a byte */
	EXPECT_EQ(xfers, transfers(self->fd));
	EXPECT_EQ(0, release(self->fd, FWCTL_RPC_CONFIGURATION, h));
}

TEST_F_TIMEOUT(accel, reply_buffer_too_small, 60)
{
	struct fwctl_accel_region r;
	__u64 xfers;
	__u32 out_len;

	ASSERT_EQ(0, grant(self->fd, 1024, &r));
	xfers = transfers(self->fd);

	/* Below the reply of any list: refused by the core */
	msg_init(&msg);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	out_len = RSP_HDR + REC_HDR - 1;
	EXPECT_EQ(-EINVAL, accel_rpc(self->fd, FWCTL_RPC_CONFIGURATION, &msg,
				     rsp.buf, &out_len));

	/* A read whose data would not fit: refused before it runs */
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_READ, le32toh(r.handle), 0, 1000,
		NULL);
	out_len = msg_rsp_len(&msg) - 1;
	EXPECT_EQ(-EINVAL, accel_rpc(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg,
				     rsp.buf, &out_len));
	EXPECT_EQ(xfers, transfers(self->fd));
	out_len = msg_rsp_len(&msg);
	EXPECT_EQ(0, accel_rpc(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg,
			       rsp.buf, &out_len));
	EXPECT_EQ(msg_rsp_len(&msg), out_len);
}

TEST_F_TIMEOUT(accel, raw_access, 60)
{
	static __u8 data[4095], back[4095];
	struct fwctl_accel_region r;
	__u32 end = self->info.mem_size;

	if (!full_ok())
		SKIP(return, "needs CAP_SYS_RAWIO and no lockdown");
	/* The whole of device memory, up to its last reachable byte */
	pattern(data, end, 3);
	ASSERT_EQ(0, mem_write(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       FWCTL_ACCEL_TRANS_MEM_WRITE_RAW, 0, 0, end,
			       data));
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			      FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0, 0, end, back));
	EXPECT_EQ(0, memcmp(data, back, end));
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			      FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0, end - 95, 95,
			      back));
	EXPECT_EQ(0, memcmp(data + end - 95, back, 95));
	EXPECT_EQ(-EINVAL, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0,
				    end - 94, 95, back));
	EXPECT_EQ(-EINVAL, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				    FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0, end, 1,
				    back));

	/* A region sees what the raw write left, once zeroed by its grant */
	ASSERT_EQ(0, grant(self->fd, 128, &r));
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			      FWCTL_ACCEL_TRANS_MEM_READ_RAW, 0,
			      le32toh(r.offset), 128, back));
	memset(data, 0, 128);
	EXPECT_EQ(0, memcmp(data, back, 128));
	pattern(data, 128, 4);
	ASSERT_EQ(0, mem_write(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       FWCTL_ACCEL_TRANS_MEM_WRITE_RAW, 0,
			       le32toh(r.offset), 128, data));
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, le32toh(r.handle), 0,
			      128, back));
	EXPECT_EQ(0, memcmp(data, back, 128));
}

TEST_F(accel, registers)
{
	struct fwctl_accel_reg_rsp *reg;

	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0, 0);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 0x20, 0);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg, &rsp));
	reg = rec_payload(rec(&rsp, 0));
	EXPECT_EQ(0, le32toh(reg->reg));
	EXPECT_EQ(self->info.hw_id, le32toh(reg->value));

	if (!full_ok())
		SKIP(return, "needs CAP_SYS_RAWIO and no lockdown");
	/* The liveness register inverts what it is given */
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_WRITE, 4, 0x12345678);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_READ, 4, 0);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
	reg = rec_payload(rec(&rsp, 1));
	EXPECT_EQ(~0x12345678U, le32toh(reg->value));
	/* A spurious interrupt is harmless */
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_WRITE, 0x60, 0x100);
	msg_compute(&msg, 4);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_OK, le32toh(rsp.hdr.status));
	EXPECT_EQ(24, le32toh(((struct fwctl_accel_compute_rsp *)
			       rec_payload(rec(&rsp, 1)))->result));
}

struct worker {
	int fd;
	unsigned int id;
	unsigned int iters;
	unsigned int ok;
	unsigned int bad;
};

static void *worker_fn(void *arg)
{
	static __thread __u8 data[1024];
	struct worker *w = arg;
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	struct fwctl_accel_region reg;
	unsigned int i;
	__u32 h;

	if (!m || !r || grant(w->fd, 1024, &reg)) {
		w->bad++;
		goto out;
	}
	h = le32toh(reg.handle);
	for (i = 0; i < w->iters; i++) {
		pattern(data, sizeof(data), w->id * 100 + i);
		msg_init(m);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 1024, data);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 1024, NULL);
		if (do_rpc(w->fd, FWCTL_RPC_DEBUG_WRITE, m, r) ||
		    le32toh(r->hdr.status) ||
		    memcmp(rec_payload(rsp_rec(r->buf, r->len, 1)), data,
			   1024))
			w->bad++;
		else
			w->ok++;
	}
out:
	free(m);
	free(r);
	return NULL;
}

TEST_F_TIMEOUT(accel, concurrent_files, 180)
{
	struct worker w[3];
	pthread_t t[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		w[i] = (struct worker){ .fd = accel_open(), .id = i,
					.iters = 6 };
		ASSERT_LE(0, w[i].fd);
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_fn, &w[i]));
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].bad) TH_LOG("worker %u", i);
		EXPECT_EQ(w[i].iters, w[i].ok);
		close(w[i].fd);
	}
}

/*
 * With a timeout shorter than a transfer, the transfer times out while the
 * engine still runs: its buffer must stay mapped until the engine is seen
 * idle, and the transfer must land, without an IOMMU fault.
 */
TEST_F_TIMEOUT(accel, dma_timeout_quarantine, 60)
{
	static __u8 p0[256], p1[256], back[256], zero[256];
	struct fwctl_accel_state st;
	struct fwctl_accel_region r;
	long long bufs0;
	__u32 h;
	int ret;

	if (self->saved_timeout < 0)
		SKIP(return, "no test hooks (CONFIG_FWCTL_ACCEL_TEST)");
	ASSERT_EQ(0, grant(self->fd, 256, &r));
	h = le32toh(r.handle);
	pattern(p0, sizeof(p0), 20);
	pattern(p1, sizeof(p1), 21);
	ASSERT_EQ(0, mem_write(self->fd, FWCTL_RPC_DEBUG_WRITE,
			       FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 256, p0));
	bufs0 = accel_debugfs_read(NULL, "dma_bufs");

	/* A write that times out, in a list that stops there */
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms", 5));
	msg_init(&msg);
	msg_mem(&msg, FWCTL_ACCEL_TRANS_MEM_WRITE, h, 0, 256, p1);
	msg_simple(&msg, FWCTL_ACCEL_TRANS_IDENTIFY);
	ASSERT_EQ(0, do_rpc(self->fd, FWCTL_RPC_DEBUG_WRITE, &msg, &rsp));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_TIMEOUT, le32toh(rsp.hdr.status));
	EXPECT_EQ(1, le32toh(rsp.hdr.done));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_TIMEOUT, rec_status(&rsp, 0));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_NOT_RUN, rec_status(&rsp, 1));
	EXPECT_EQ(1, accel_debugfs_read(self->bdf, "quarantined"));
	EXPECT_EQ(bufs0 + 1, accel_debugfs_read(NULL, "dma_bufs"));
	ASSERT_EQ(0, get_state(self->fd, &st));
	EXPECT_EQ(1, le32toh(st.quarantined));
	EXPECT_LE(1, le64toh(st.timeouts));

	/* A transfer right after finds the engine busy, or just done */
	ret = mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
		       FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 256, back);
	EXPECT_TRUE(ret == FWCTL_ACCEL_STATUS_BUSY ||
		    ret == FWCTL_ACCEL_STATUS_TIMEOUT ||
		    ret == FWCTL_ACCEL_STATUS_OK) TH_LOG("status %d", ret);

	/* Once the engine is idle the write has landed, from its buffer */
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms",
					 self->saved_timeout));
	sleep_ms(300);
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 256, back));
	EXPECT_EQ(0, memcmp(back, p1, 256));
	EXPECT_EQ(0, accel_debugfs_read(self->bdf, "quarantined"));
	EXPECT_EQ(bufs0, accel_debugfs_read(NULL, "dma_bufs"));

	/* A read that times out returns no data and changes nothing */
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms", 5));
	memset(back, 0x5a, sizeof(back));
	EXPECT_EQ(FWCTL_ACCEL_STATUS_TIMEOUT,
		  mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 256, back));
	EXPECT_EQ(0, memcmp(back, zero, 256));
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms",
					 self->saved_timeout));
	sleep_ms(300);
	ASSERT_EQ(0, mem_read(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_ACCEL_TRANS_MEM_READ, h, 0, 256, back));
	EXPECT_EQ(0, memcmp(back, p1, 256));
	EXPECT_EQ(0, accel_debugfs_read(self->bdf, "quarantined"));
	EXPECT_EQ(bufs0, accel_debugfs_read(NULL, "dma_bufs"));
}

/* A compute unit kept busy by a raw write: the caller is not held */
TEST_F_TIMEOUT(accel, compute_busy_unit, 90)
{
	struct fwctl_accel_state st;
	struct timespec t0, t1;
	unsigned int i;
	long ms;

	if (self->saved_timeout < 0)
		SKIP(return, "no test hooks (CONFIG_FWCTL_ACCEL_TEST)");
	if (!full_ok())
		SKIP(return, "needs CAP_SYS_RAWIO and no lockdown");

	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms", 50));
	/* n! for a large n keeps the unit busy for a second or more */
	msg_init(&msg);
	msg_reg(&msg, FWCTL_ACCEL_TRANS_REG_WRITE, 8, 0x30000000);
	ASSERT_EQ(0, one(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, &msg, &rsp));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	msg_init(&msg);
	msg_compute(&msg, 5);
	EXPECT_EQ(FWCTL_ACCEL_STATUS_BUSY,
		  one(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_GT(1000, ms);
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms",
					 self->saved_timeout));

	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, get_state(self->fd, &st));
		if (!(le32toh(st.flags) & FWCTL_ACCEL_STATE_COMPUTE_BUSY))
			break;
		sleep_ms(100);
	}
	msg_init(&msg);
	msg_compute(&msg, 5);
	EXPECT_EQ(0, one(self->fd, FWCTL_RPC_CONFIGURATION, &msg, &rsp));
	EXPECT_EQ(120, le32toh(((struct fwctl_accel_compute_rsp *)
				rec_payload(rec(&rsp, 0)))->result));
}

struct flight {
	int fd;
	__u32 handle;
	atomic_int started;
	atomic_int done;
	int ok;
	int enodev;
	int other;
	int last_errno;
	/* ENODEV for an RPC that was sent before the unbind began */
	int enodev_in_flight;
	const atomic_int *unbinding;
};

static void *flight_fn(void *arg)
{
	static __thread __u8 data[1024];
	struct flight *f = arg;
	struct accel_msg *m = malloc(sizeof(*m));
	struct reply *r = malloc(sizeof(*r));
	unsigned int i;

	for (i = 0; m && r && i < 400; i++) {
		bool before;
		int ret;

		pattern(data, sizeof(data), i);
		msg_init(m);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_WRITE, f->handle, 0, 1024,
			data);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_READ, f->handle, 0, 1024, NULL);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_WRITE, f->handle, 0, 1024,
			data);
		msg_mem(m, FWCTL_ACCEL_TRANS_MEM_READ, f->handle, 0, 1024, NULL);
		before = !atomic_load(f->unbinding);
		atomic_fetch_add(&f->started, 1);
		ret = do_rpc(f->fd, FWCTL_RPC_DEBUG_WRITE, m, r);
		atomic_fetch_add(&f->done, 1);
		if (!ret) {
			f->ok++;
			continue;
		}
		if (ret != -ENODEV) {
			f->other++;
			f->last_errno = -ret;
			break;
		}
		f->enodev++;
		if (before)
			f->enodev_in_flight++;
		break;
	}
	free(m);
	free(r);
	return NULL;
}

static int bind_op(const char *op, const char *bdf)
{
	char path[128];

	snprintf(path, sizeof(path), ACCEL_DRIVER_DIR "/%s", op);
	return write_file(path, bdf);
}

/* Binds @bdf again; returns an fd on its new node, or -errno */
static int rebind(const char *bdf)
{
	int fd = -ENOENT, i;

	if (bind_op("bind", bdf))
		return -EIO;
	for (i = 0; i < 100 && (fd = accel_open()) < 0; i++)
		sleep_ms(50);
	return fd;
}

/*
 * Unbinding while a transfer that timed out still runs: unregister turns
 * bus mastering off, waits for the engine and only then frees the buffer.
 */
TEST_F_TIMEOUT(accel, unbind_with_quarantine, 60)
{
	static __u8 data[4000];
	struct fwctl_accel_state st;
	struct fwctl_accel_region r;
	int leaks;

	if (self->saved_timeout < 0)
		SKIP(return, "no test hooks (CONFIG_FWCTL_ACCEL_TEST)");
	ASSERT_EQ(0, grant(self->fd, 4000, &r));
	pattern(data, sizeof(data), 30);
	leaks = kmsg_count("leaking");
	ASSERT_EQ(0, accel_debugfs_write(self->bdf, "timeout_ms", 5));
	ASSERT_EQ(FWCTL_ACCEL_STATUS_TIMEOUT,
		  mem_write(self->fd, FWCTL_RPC_DEBUG_WRITE,
			    FWCTL_ACCEL_TRANS_MEM_WRITE, le32toh(r.handle), 0,
			    4000, data));
	ASSERT_EQ(1, accel_debugfs_read(self->bdf, "quarantined"));
	ASSERT_LE(1, accel_debugfs_read(NULL, "dma_bufs"));

	ASSERT_EQ(0, bind_op("unbind", self->bdf));
	EXPECT_EQ(0, accel_debugfs_read(NULL, "dma_bufs"));
	EXPECT_EQ(leaks, kmsg_count("leaking"));
	EXPECT_EQ(-ENODEV, get_state(self->fd, &st));
	close(self->fd);

	self->fd = rebind(self->bdf);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, get_state(self->fd, &st));
	EXPECT_EQ(0, le32toh(st.quarantined));
	EXPECT_EQ(FWCTL_ACCEL_STATE_ALIVE, le32toh(st.flags));
}

/*
 * Unbinding the PCI function with files open and RPCs in flight: the RPCs
 * end with ENODEV at their next transaction, every later call fails with
 * ENODEV, no staging buffer is left, and the function binds again.
 */
TEST_F_TIMEOUT(accel, unbind_in_flight, 120)
{
	struct fwctl_accel_region reg;
	struct fwctl_accel_state st;
	struct fwctl_accel_info info;
	struct flight f[3];
	atomic_int unbinding = 0;
	struct timespec t0, t1;
	char path[128];
	pthread_t t[3];
	unsigned int i;
	long ms;
	int fd;

	for (i = 0; i < 3; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].fd = accel_open();
		ASSERT_LE(0, f[i].fd);
		ASSERT_EQ(0, grant(f[i].fd, 1024, &reg));
		f[i].handle = le32toh(reg.handle);
		f[i].unbinding = &unbinding;
	}
	/* Files with nothing in flight, one of them holding a region */
	ASSERT_EQ(0, grant(self->fd, 512, &reg));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, flight_fn, &f[i]));
	/* Each has an RPC under way and has completed one */
	for (i = 0; i < 3; i++)
		while (atomic_load(&f[i].done) < 1)
			sleep_ms(20);
	sleep_ms(150);

	atomic_store(&unbinding, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, bind_op("unbind", self->bdf));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	TH_LOG("unbind took %ld ms", ms);
	EXPECT_GT(10000, ms);

	for (i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, f[i].other)
			TH_LOG("thread %u: errno %d", i, f[i].last_errno);
		EXPECT_EQ(1, f[i].enodev);
		EXPECT_LE(1, f[i].ok);
		TH_LOG("thread %u: %d ok, ENODEV %s", i, f[i].ok,
		       f[i].enodev_in_flight ? "in flight" : "after");
	}
	EXPECT_LE(1, f[0].enodev_in_flight + f[1].enodev_in_flight +
		     f[2].enodev_in_flight);

	/* Every file is dead, and says so */
	EXPECT_EQ(-ENODEV, accel_get_info(self->fd, &info, NULL));
	EXPECT_EQ(-ENODEV, get_state(self->fd, &st));
	EXPECT_EQ(-ENODEV, get_state(f[0].fd, &st));
	snprintf(path, sizeof(path), "/dev/fwctl/%s", self->name);
	EXPECT_NE(0, access(path, F_OK));
	if (self->saved_timeout >= 0)
		EXPECT_EQ(0, accel_debugfs_read(NULL, "dma_bufs"));
	for (i = 0; i < 3; i++)
		close(f[i].fd);
	close(self->fd);
	self->fd = -1;

	/* And the function comes back fresh */
	fd = rebind(self->bdf);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_state(fd, &st));
	EXPECT_EQ(FWCTL_ACCEL_STATE_ALIVE, le32toh(st.flags));
	EXPECT_EQ(0, le32toh(st.regions));
	EXPECT_EQ(63, le32toh(st.free_granules));
	EXPECT_EQ(0, le32toh(st.quarantined));
	ASSERT_EQ(0, grant(fd, 64, &reg));
	EXPECT_EQ(0, mem_write(fd, FWCTL_RPC_DEBUG_WRITE,
			       FWCTL_ACCEL_TRANS_MEM_WRITE, le32toh(reg.handle),
			       0, 8, "fwctl!!!"));
	self->fd = fd;
}

TEST_HARNESS_MAIN
