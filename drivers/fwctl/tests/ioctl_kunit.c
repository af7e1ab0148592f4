// SPDX-License-Identifier: GPL-2.0
/*
 * FWCTL_INFO and FWCTL_RPC end to end, from a user-space argument through
 * the core and the fake driver and back, with user memory mapped into the
 * test's own address space.
 */
#include <kunit/test.h>
#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/panic.h>
#include <linux/security.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>

#include "fwctl_kunit.h"

#define CONF	FWCTL_RPC_CONFIGURATION
#define RO	FWCTL_RPC_DEBUG_READ_ONLY
#define WR	FWCTL_RPC_DEBUG_WRITE
#define FULL	FWCTL_RPC_DEBUG_WRITE_FULL

/*
 * User memory of a test: the ioctl argument in the first page, the request,
 * the reply buffer, then an unmapped page so that running off the end of
 * the reply buffer faults.
 */
#define IO_IN_OFF	PAGE_SIZE
#define IO_IN_MAX	(2 * PAGE_SIZE)
#define IO_OUT_OFF	(IO_IN_OFF + IO_IN_MAX)
#define IO_OUT_MAX	(3 * PAGE_SIZE)
#define IO_UMEM_LEN	(IO_OUT_OFF + IO_OUT_MAX)
#define IO_GUARD	0xaa

struct io_ctx {
	struct fake_fwctl *fake;
	struct fake_state *st;
	struct fwctl_uctx *uctx;
	u8 __user *umem;
	u8 __user *uin;
	u8 __user *uout;
	/* bounce buffer for the reply buffer */
	u8 *kbuf;
};

static struct io_ctx *io_setup(struct kunit *test, const struct fwctl_ops *ops)
{
	struct io_ctx *io = kunit_kzalloc(test, sizeof(*io), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, io);
	io->fake = fake_create(test, ops);
	io->st = io->fake->st;
	io->uctx = fake_open(test, io->fake);
	io->umem = fake_umem_guarded(test, IO_UMEM_LEN);
	io->uin = io->umem + IO_IN_OFF;
	io->uout = io->umem + IO_OUT_OFF;
	io->kbuf = kunit_kmalloc(test, IO_OUT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, io->kbuf);
	return io;
}

/* Odd, so never zero: a zero in the reply is never an echoed request */
static u8 io_in_byte(size_t i)
{
	return (u8)(i * 7) | 1;
}

static void io_write_in(struct kunit *test, struct io_ctx *io, size_t len)
{
	size_t i;

	for (i = 0; i != len; i++)
		io->kbuf[i] = io_in_byte(i);
	KUNIT_ASSERT_EQ(test, copy_to_user(io->uin, io->kbuf, len), 0);
}

/* A request for fake_table: big-endian id, then io_in_byte() */
static void io_write_cmd(struct kunit *test, struct io_ctx *io, u16 id,
			 size_t len)
{
	io_write_in(test, io, len);
	KUNIT_ASSERT_EQ(test, put_user((u8)(id >> 8), io->uin), 0);
	KUNIT_ASSERT_EQ(test, put_user((u8)id, io->uin + 1), 0);
}

static void io_fill_out(struct kunit *test, struct io_ctx *io)
{
	memset(io->kbuf, IO_GUARD, IO_OUT_MAX);
	KUNIT_ASSERT_EQ(test, copy_to_user(io->uout, io->kbuf, IO_OUT_MAX), 0);
}

/* What fake_fw_rpc answers in place, byte @i, to an io_write_in() request */
static u8 io_in_place_byte(size_t i, size_t in_len)
{
	return i < in_len ? io_in_byte(i) ^ FAKE_XOR : fake_pattern(i);
}

static u8 io_pattern_byte(size_t i, size_t in_len)
{
	return fake_pattern(i);
}

static u8 io_zero_byte(size_t i, size_t in_len)
{
	return 0;
}

/*
 * From byte @from on, the reply buffer must hold @expect up to byte @n and
 * be left alone beyond it.
 */
static void io_expect_out_from(struct kunit *test, struct io_ctx *io,
			       size_t from, size_t n, size_t in_len,
			       u8 (*expect)(size_t, size_t))
{
	size_t i;

	KUNIT_ASSERT_EQ(test, copy_from_user(io->kbuf, io->uout, IO_OUT_MAX),
			0);
	for (i = from; i != IO_OUT_MAX; i++) {
		u8 want = i < n ? expect(i, in_len) : IO_GUARD;

		if (io->kbuf[i] != want) {
			KUNIT_FAIL(test, "out[%zu] is %#x, expected %#x",
				   i, io->kbuf[i], want);
			return;
		}
	}
}

static void io_expect_out(struct kunit *test, struct io_ctx *io, size_t n,
			  size_t in_len, u8 (*expect)(size_t, size_t))
{
	io_expect_out_from(test, io, 0, n, in_len, expect);
}

static struct fwctl_rpc io_rpc_args(struct io_ctx *io, u32 scope, u32 in_len,
				    u32 out_len)
{
	return (struct fwctl_rpc){
		.size = sizeof(struct fwctl_rpc),
		.scope = scope,
		.in_len = in_len,
		.out_len = out_len,
		.in = (uintptr_t)io->uin,
		.out = (uintptr_t)io->uout,
	};
}

/* Runs FWCTL_RPC with @rpc as the argument, then reads the argument back */
static long io_rpc(struct kunit *test, struct io_ctx *io,
		   struct fwctl_rpc *rpc)
{
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(io->umem, rpc, sizeof(*rpc)), 0);
	ret = fwctl_uctx_ioctl(io->uctx, FWCTL_RPC, (unsigned long)io->umem);
	KUNIT_ASSERT_EQ(test, copy_from_user(rpc, io->umem, sizeof(*rpc)), 0);
	return ret;
}

/* Runs an RPC that must succeed, returning the reply length it reports */
static u32 io_rpc_ok(struct kunit *test, struct io_ctx *io, u32 scope,
		     u32 in_len, u32 out_len)
{
	struct fwctl_rpc rpc = io_rpc_args(io, scope, in_len, out_len);

	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), 0);
	return rpc.out_len;
}

static long io_rpc_err(struct kunit *test, struct io_ctx *io, u32 scope,
		       u32 in_len, u32 out_len)
{
	struct fwctl_rpc rpc = io_rpc_args(io, scope, in_len, out_len);
	long ret = io_rpc(test, io, &rpc);

	/* A refused RPC reports nothing */
	KUNIT_EXPECT_EQ(test, rpc.out_len, out_len);
	return ret;
}

static void io_expect_stats(struct kunit *test, struct io_ctx *io,
			    const u64 *want)
{
	enum fwctl_stat stat;

	for (stat = 0; stat != FWCTL_STAT_NR; stat++)
		KUNIT_EXPECT_EQ_MSG(test,
				    fwctl_stat_read(&io->fake->fwctl, stat),
				    want[stat], "counter %d", stat);
}

static void fwctl_rpc_in_place_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fake_state *st = io->st;
	struct fwctl_rpc rpc = io_rpc_args(io, CONF, 16, 64);
	struct fwctl_rpc sent = rpc;

	io_write_in(test, io, 16);
	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_rpc(test, io, &rpc), 0);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 16);
	io_expect_out(test, io, 16, 16, io_in_place_byte);

	/* Only out_len changes in the argument */
	sent.out_len = rpc.out_len;
	KUNIT_EXPECT_MEMEQ(test, &rpc, &sent, sizeof(rpc));

	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 1);
	KUNIT_EXPECT_NULL(test, st->seen_cmd);
	KUNIT_EXPECT_EQ(test, st->seen_scope, CONF);
	KUNIT_EXPECT_EQ(test, st->seen_in_len, 16);
	KUNIT_EXPECT_GE(test, st->seen_cap, 64);
	KUNIT_EXPECT_TRUE(test, st->seen_zero_tail);
}

/*
 * The buffer the driver gets holds the request, then zeroes up to a
 * capacity large enough for the reply buffer user space offered.
 */
static void fwctl_rpc_capacity_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fake_state *st = io->st;

	io_write_in(test, io, 8);
	io_fill_out(test, io);
	st->reply_len = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 8, 2 * PAGE_SIZE),
			2 * PAGE_SIZE);
	KUNIT_EXPECT_GE(test, st->seen_cap, 2 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, st->seen_zero_tail);
	io_expect_out(test, io, 2 * PAGE_SIZE, 8, io_in_place_byte);

	/* A request longer than the reply buffer fits as well */
	io_write_in(test, io, 200);
	io_fill_out(test, io);
	st->reply_len = 0;
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 200, 100), 200);
	KUNIT_EXPECT_GE(test, st->seen_cap, 200);
	io_expect_out(test, io, 100, 200, io_in_place_byte);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
}

/* A reply longer than the buffer is cut, and its real length reported */
static void fwctl_rpc_truncate_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);

	io->st->reply = FAKE_REPLY_NEW_BUF;
	io->st->reply_len = 100;
	io_write_in(test, io, 16);

	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, 40), 100);
	io_expect_out(test, io, 40, 16, io_pattern_byte);

	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, 99), 100);
	io_expect_out(test, io, 99, 16, io_pattern_byte);

	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, 100), 100);
	io_expect_out(test, io, 100, 16, io_pattern_byte);

	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, 101), 100);
	io_expect_out(test, io, 100, 16, io_pattern_byte);
}

/* A reply in a buffer of the driver's, of any length */
static void fwctl_rpc_new_buf_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);

	io->st->reply = FAKE_REPLY_NEW_BUF;
	io_write_in(test, io, 16);

	io->st->reply_len = 3000;
	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, PAGE_SIZE), 3000);
	io_expect_out(test, io, 3000, 16, io_pattern_byte);

	/* Longer than the capacity the core offered: only in-place is bound */
	io->st->reply_len = 2 * PAGE_SIZE;
	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, PAGE_SIZE),
			2 * PAGE_SIZE);
	KUNIT_EXPECT_LT(test, io->st->seen_cap, 2 * PAGE_SIZE);
	io_expect_out(test, io, PAGE_SIZE, 16, io_pattern_byte);
}

/* With no reply buffer nothing is written, not even through NULL */
static void fwctl_rpc_zero_out_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_rpc rpc = io_rpc_args(io, CONF, 16, 0);

	io_write_in(test, io, 16);
	rpc.out = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), 0);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 16);

	io->st->reply = FAKE_REPLY_NEW_BUF;
	io->st->reply_len = 8;
	rpc = io_rpc_args(io, CONF, 16, 0);
	rpc.out = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), 0);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 8);

	/* And an empty request is read from nowhere */
	rpc = io_rpc_args(io, CONF, 0, 0);
	rpc.in = 0;
	rpc.out = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), 0);
	KUNIT_EXPECT_EQ(test, io->st->seen_in_len, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 3);
}

/* The driver's errno reaches user space unchanged */
static void fwctl_rpc_driver_error_test(struct kunit *test)
{
	static const int errs[] = { -EIO, -ETIMEDOUT, -ENOMEM, -EBUSY };
	struct io_ctx *io = io_setup(test, &fake_ops);
	u64 want[FWCTL_STAT_NR] = {};
	unsigned int i;

	io_write_in(test, io, 16);
	io_fill_out(test, io);
	io->st->reply = FAKE_REPLY_ERR;
	for (i = 0; i != ARRAY_SIZE(errs); i++) {
		io->st->rpc_err = errs[i];
		KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 16, 64),
				errs[i]);
	}
	io_expect_out(test, io, 0, 16, io_zero_byte);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), ARRAY_SIZE(errs));
	want[FWCTL_STAT_SCOPE_CONFIGURATION] = ARRAY_SIZE(errs);
	want[FWCTL_STAT_FAILED] = ARRAY_SIZE(errs);
	io_expect_stats(test, io, want);
}

static void fwctl_rpc_bad_scope_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	u64 want[FWCTL_STAT_NR] = {};

	io_write_in(test, io, 16);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, 4, 16, 64), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, U32_MAX, 16, 64),
			-EOPNOTSUPP);
	/* An unknown scope wins over lengths above the limit */
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, 4, U32_MAX, U32_MAX),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 0);
	want[FWCTL_STAT_INVALID] = 3;
	io_expect_stats(test, io, want);
}

static void fwctl_rpc_msgsize_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fake_state *st = io->st;
	u8 __user *big = fake_umem(test, FWCTL_RPC_MAX_LEN);
	struct fwctl_rpc rpc;

	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, FWCTL_RPC_MAX_LEN + 1,
					 16), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 16,
					 FWCTL_RPC_MAX_LEN + 1), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, U32_MAX, 16),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 16, U32_MAX),
			-EMSGSIZE);
	/* The limit is checked before the policy */
	io->fake->fwctl.max_scope = CONF;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, FULL, U32_MAX, 16),
			-EMSGSIZE);
	io->fake->fwctl.max_scope = FULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 0);

	/* The limit itself is allowed, both ways */
	rpc = io_rpc_args(io, CONF, FWCTL_RPC_MAX_LEN, 16);
	rpc.in = (uintptr_t)big;
	st->reply_len = 16;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), 0);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 16);
	KUNIT_EXPECT_EQ(test, st->seen_in_len, FWCTL_RPC_MAX_LEN);

	io_write_in(test, io, 16);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 16, FWCTL_RPC_MAX_LEN),
			16);
	KUNIT_EXPECT_GE(test, st->seen_cap, FWCTL_RPC_MAX_LEN);
	KUNIT_EXPECT_TRUE(test, st->seen_zero_tail);
}

/* The administrator's ceiling, and CAP_SYS_RAWIO for the full scope */
static void fwctl_rpc_policy_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_device *fwctl = &io->fake->fwctl;
	int full;

	io_write_in(test, io, 16);
	fwctl->max_scope = RO;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, WR, 16, 64), -EPERM);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, FULL, 16, 64), -EPERM);
	io_rpc_ok(test, io, RO, 16, 64);
	io_rpc_ok(test, io, CONF, 16, 64);

	fwctl->max_scope = CONF;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, RO, 16, 64), -EPERM);
	io_rpc_ok(test, io, CONF, 16, 64);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 3);
	KUNIT_EXPECT_EQ(test, fwctl_stat_read(fwctl, FWCTL_STAT_DENIED), 3);

	/* The test thread is a kernel thread, so it normally has the cap */
	fwctl->max_scope = FULL;
	full = capable(CAP_SYS_RAWIO) &&
	       !security_locked_down(LOCKDOWN_PCI_ACCESS) ? 0 : -EPERM;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, FULL, 16, 16), full);
	KUNIT_EXPECT_EQ(test, io->st->seen_scope, full ? CONF : FULL);
}

/* Debug writes taint the kernel; lower scopes never do */
static void fwctl_rpc_taint_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);

	io_write_in(test, io, 16);
	if (!test_taint(TAINT_FWCTL)) {
		io_rpc_ok(test, io, CONF, 16, 16);
		io_rpc_ok(test, io, RO, 16, 16);
		KUNIT_EXPECT_FALSE(test, test_taint(TAINT_FWCTL));
	}
	io_rpc_ok(test, io, WR, 16, 16);
	KUNIT_EXPECT_TRUE(test, test_taint(TAINT_FWCTL));
	KUNIT_EXPECT_EQ(test, io->st->seen_scope, WR);
}

static void fwctl_rpc_efault_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	u8 __user *end = io->umem + IO_UMEM_LEN;
	u64 want[FWCTL_STAT_NR] = {};
	struct fwctl_rpc rpc;

	/* The argument itself, then one whose size field alone is mapped */
	KUNIT_ASSERT_EQ(test, put_user((u32)sizeof(rpc), (u32 __user *)(end - 8)),
			0);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(io->uctx, FWCTL_RPC,
					       (unsigned long)end), -EFAULT);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(io->uctx, FWCTL_RPC,
					       (unsigned long)(end - 8)),
			-EFAULT);

	/* The request, before the driver is involved */
	rpc = io_rpc_args(io, CONF, 16, 64);
	rpc.in = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -EFAULT);
	rpc = io_rpc_args(io, CONF, 16, 64);
	rpc.in = (uintptr_t)(end - 8);
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -EFAULT);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 64);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 0);

	/* The reply, after it */
	io->st->reply = FAKE_REPLY_NEW_BUF;
	io->st->reply_len = 64;
	rpc = io_rpc_args(io, CONF, 16, 64);
	rpc.out = (uintptr_t)(end - 8);
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -EFAULT);
	KUNIT_EXPECT_EQ(test, rpc.out_len, 64);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 1);

	want[FWCTL_STAT_SCOPE_CONFIGURATION] = 3;
	want[FWCTL_STAT_INVALID] = 2;
	want[FWCTL_STAT_FAILED] = 1;
	io_expect_stats(test, io, want);
}

/* A device with a command table: the core refuses before the driver runs */
static void fwctl_rpc_table_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops_table);
	struct fake_state *st = io->st;
	const struct fwctl_cmd *cmds = fake_table.cmds;

	io_write_cmd(test, io, FAKE_CMD_QUERY_ID, 64);
	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 8, 32), 8);
	KUNIT_EXPECT_PTR_EQ(test, st->seen_cmd, &cmds[FAKE_CMD_QUERY]);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 64, 32), 64);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 7, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 65, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 1, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 0, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 2);

	io_write_cmd(test, io, 0x99, 8);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 8, 32), -EOPNOTSUPP);

	io_write_cmd(test, io, FAKE_CMD_DEBUG_ID, 9);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, RO, 8, 32), -EPERM);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, WR, 9, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 2);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, WR, 8, 32), 8);
	KUNIT_EXPECT_PTR_EQ(test, st->seen_cmd, &cmds[FAKE_CMD_DEBUG]);
	KUNIT_EXPECT_EQ(test, st->seen_scope, WR);

	/* out_min, and out_max capping what the core allocates for a reply */
	io_write_cmd(test, io, FAKE_CMD_BIG_OUT_ID, 2);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, RO, 2, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->rpc_calls), 3);
	st->reply_len = FAKE_CMD_BIG_OUT_MAX;
	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, RO, 2, 2 * PAGE_SIZE),
			FAKE_CMD_BIG_OUT_MAX);
	KUNIT_EXPECT_PTR_EQ(test, st->seen_cmd, &cmds[FAKE_CMD_BIG_OUT]);
	KUNIT_EXPECT_EQ(test, st->seen_cap, FAKE_CMD_BIG_OUT_MAX);
	KUNIT_EXPECT_TRUE(test, st->seen_zero_tail);
	/* Past the two bytes of the identifier */
	io_expect_out_from(test, io, 2, FAKE_CMD_BIG_OUT_MAX, 2,
			   io_in_place_byte);
	KUNIT_EXPECT_EQ(test, fwctl_stat_read(&io->fake->fwctl,
					      FWCTL_STAT_DENIED), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->bad_calls), 0);
}

/* A table set by the driver at probe time replaces the one in its ops */
static void fwctl_rpc_table_override_test(struct kunit *test)
{
	struct fake_fwctl *fake = fake_alloc(test, &fake_ops_table);
	struct io_ctx *io = kunit_kzalloc(test, sizeof(*io), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, io);
	fake->fwctl.cmds = &fake_table_alt;
	fake_register(test, fake);
	io->fake = fake;
	io->st = fake->st;
	io->uctx = fake_open(test, fake);
	io->umem = fake_umem_guarded(test, IO_UMEM_LEN);
	io->uin = io->umem + IO_IN_OFF;
	io->uout = io->umem + IO_OUT_OFF;
	io->kbuf = kunit_kmalloc(test, IO_OUT_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, io->kbuf);

	io_write_cmd(test, io, FAKE_CMD_ALT_ID, 8);
	KUNIT_EXPECT_EQ(test, io_rpc_ok(test, io, CONF, 8, 8), 8);
	KUNIT_EXPECT_PTR_EQ(test, io->st->seen_cmd, &fake_table_alt.cmds[0]);
	io_write_cmd(test, io, FAKE_CMD_QUERY_ID, 8);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, 8, 8), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 1);
}

/* Every RPC lands in its scope's counter and in exactly one outcome */
static void fwctl_rpc_stats_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	u64 want[FWCTL_STAT_NR] = {};
	struct fwctl_rpc rpc;

	io_write_in(test, io, 16);
	io_rpc_ok(test, io, CONF, 16, 16);
	io_rpc_ok(test, io, CONF, 16, 16);
	io_rpc_ok(test, io, RO, 16, 16);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, 7, 16, 16), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, CONF, FWCTL_RPC_MAX_LEN + 1,
					 16), -EMSGSIZE);
	io->fake->fwctl.max_scope = RO;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, WR, 16, 16), -EPERM);
	io->fake->fwctl.max_scope = FULL;
	rpc = io_rpc_args(io, CONF, 16, 16);
	rpc.in = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -EFAULT);
	io->st->reply = FAKE_REPLY_ERR;
	io->st->rpc_err = -EIO;
	KUNIT_EXPECT_EQ(test, io_rpc_err(test, io, RO, 16, 16), -EIO);

	want[FWCTL_STAT_SCOPE_CONFIGURATION] = 4;
	want[FWCTL_STAT_SCOPE_DEBUG_READ_ONLY] = 2;
	want[FWCTL_STAT_SCOPE_DEBUG_WRITE] = 1;
	want[FWCTL_STAT_OK] = 3;
	want[FWCTL_STAT_DENIED] = 1;
	want[FWCTL_STAT_INVALID] = 3;
	want[FWCTL_STAT_FAILED] = 1;
	io_expect_stats(test, io, want);
}

static struct kunit_case fwctl_rpc_cases[] = {
	/* First, while no debug write may have tainted the kernel yet */
	KUNIT_CASE(fwctl_rpc_taint_test),
	KUNIT_CASE(fwctl_rpc_in_place_test),
	KUNIT_CASE(fwctl_rpc_capacity_test),
	KUNIT_CASE(fwctl_rpc_truncate_test),
	KUNIT_CASE(fwctl_rpc_new_buf_test),
	KUNIT_CASE(fwctl_rpc_zero_out_test),
	KUNIT_CASE(fwctl_rpc_driver_error_test),
	KUNIT_CASE(fwctl_rpc_bad_scope_test),
	KUNIT_CASE(fwctl_rpc_msgsize_test),
	KUNIT_CASE(fwctl_rpc_policy_test),
	KUNIT_CASE(fwctl_rpc_efault_test),
	KUNIT_CASE(fwctl_rpc_table_test),
	KUNIT_CASE(fwctl_rpc_table_override_test),
	KUNIT_CASE(fwctl_rpc_stats_test),
	{}
};

static struct kunit_suite fwctl_rpc_suite = {
	.name = "fwctl_rpc",
	.init = fake_test_init,
	.test_cases = fwctl_rpc_cases,
};

static struct fwctl_info io_info_args(struct io_ctx *io, u32 len)
{
	return (struct fwctl_info){
		.size = sizeof(struct fwctl_info),
		.device_data_len = len,
		.out_device_data = (uintptr_t)io->uout,
	};
}

static long io_info(struct kunit *test, struct io_ctx *io,
		    struct fwctl_info *info)
{
	long ret;

	KUNIT_ASSERT_EQ(test, copy_to_user(io->umem, info, sizeof(*info)), 0);
	ret = fwctl_uctx_ioctl(io->uctx, FWCTL_INFO, (unsigned long)io->umem);
	KUNIT_ASSERT_EQ(test, copy_from_user(info, io->umem, sizeof(*info)),
			0);
	return ret;
}

/* The data, then zeroes to the end of the buffer */
static u8 io_info_byte(size_t i, size_t len)
{
	return i < len ? fake_pattern(i) : 0;
}

static void fwctl_info_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_info info = io_info_args(io, 16);

	io->st->info_len = 8;
	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.out_device_type,
			FWCTL_DEVICE_TYPE_TEST_MOCK);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 8);
	KUNIT_EXPECT_EQ(test, info.flags, 0);
	KUNIT_EXPECT_EQ(test, info.size, sizeof(info));
	KUNIT_EXPECT_EQ(test, info.out_device_data, (uintptr_t)io->uout);
	io_expect_out(test, io, 16, 8, io_info_byte);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->info_calls), 1);
}

/* A zero-length buffer asks for the length, and nothing is written */
static void fwctl_info_probe_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_info info = io_info_args(io, 0);

	io->st->info_len = 8;
	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 8);
	KUNIT_EXPECT_EQ(test, info.out_device_type,
			FWCTL_DEVICE_TYPE_TEST_MOCK);
	io_expect_out(test, io, 0, 8, io_info_byte);

	info = io_info_args(io, 0);
	info.out_device_data = 0;
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->info_calls), 2);
}

static void fwctl_info_truncate_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_info info = io_info_args(io, 4);

	io->st->info_len = 8;
	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 8);
	io_expect_out(test, io, 4, 8, io_info_byte);

	/* Data longer than a page, in a buffer longer still */
	io->st->info_len = 5000;
	info = io_info_args(io, 2 * PAGE_SIZE);
	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 5000);
	io_expect_out(test, io, 2 * PAGE_SIZE, 5000, io_info_byte);
}

/* A driver without info: no data, and the buffer is zeroed */
static void fwctl_info_no_op_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops_noinfo);
	struct fwctl_info info = io_info_args(io, 16);

	io_fill_out(test, io);
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 0);
	KUNIT_EXPECT_EQ(test, info.out_device_type,
			FWCTL_DEVICE_TYPE_TEST_MOCK);
	io_expect_out(test, io, 16, 0, io_info_byte);
}

static void fwctl_info_refused_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_info info;

	io->st->info_len = 8;
	info = io_info_args(io, 16);
	info.flags = 1;
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EOPNOTSUPP);
	info = io_info_args(io, 16);
	info.flags = BIT(31);
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EOPNOTSUPP);
	info = io_info_args(io, FWCTL_RPC_MAX_LEN + 1);
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EMSGSIZE);
	info = io_info_args(io, U32_MAX);
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, info.device_data_len, U32_MAX);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->info_calls), 0);
}

/* A buffer of the maximum length is zeroed to its very end */
static void fwctl_info_max_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	u8 __user *big = fake_umem(test, FWCTL_RPC_MAX_LEN);
	struct fwctl_info info = io_info_args(io, FWCTL_RPC_MAX_LEN);
	u8 __user *last = big + FWCTL_RPC_MAX_LEN - 1;
	u8 b;

	KUNIT_ASSERT_EQ(test, put_user((u8)IO_GUARD, big + 8), 0);
	KUNIT_ASSERT_EQ(test, put_user((u8)IO_GUARD, last), 0);
	io->st->info_len = 8;
	info.out_device_data = (uintptr_t)big;
	KUNIT_ASSERT_EQ(test, io_info(test, io, &info), 0);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 8);
	KUNIT_ASSERT_EQ(test, get_user(b, big + 7), 0);
	KUNIT_EXPECT_EQ(test, b, fake_pattern(7));
	KUNIT_ASSERT_EQ(test, get_user(b, big + 8), 0);
	KUNIT_EXPECT_EQ(test, b, 0);
	KUNIT_ASSERT_EQ(test, get_user(b, last), 0);
	KUNIT_EXPECT_EQ(test, b, 0);
}

static void fwctl_info_error_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_info info = io_info_args(io, 16);
	u8 __user *end = io->umem + IO_UMEM_LEN;

	io->st->info_err = -EIO;
	io_fill_out(test, io);
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EIO);
	KUNIT_EXPECT_EQ(test, info.device_data_len, 16);
	KUNIT_EXPECT_EQ(test, info.out_device_type, 0);
	io_expect_out(test, io, 0, 0, io_info_byte);

	/* The data is freed when it cannot be copied */
	io->st->info_err = 0;
	io->st->info_len = 16;
	info = io_info_args(io, 16);
	info.out_device_data = 0;
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EFAULT);
	info = io_info_args(io, 16);
	info.out_device_data = (uintptr_t)(end - 8);
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EFAULT);
	/* Zeroing what the data does not cover can fault as well */
	io->st->info_len = 4;
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -EFAULT);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->info_calls), 4);
}

static struct kunit_case fwctl_info_cases[] = {
	KUNIT_CASE(fwctl_info_test),
	KUNIT_CASE(fwctl_info_probe_test),
	KUNIT_CASE(fwctl_info_truncate_test),
	KUNIT_CASE(fwctl_info_no_op_test),
	KUNIT_CASE(fwctl_info_refused_test),
	KUNIT_CASE(fwctl_info_max_test),
	KUNIT_CASE(fwctl_info_error_test),
	{}
};

static struct kunit_suite fwctl_info_suite = {
	.name = "fwctl_info",
	.init = fake_test_init,
	.test_cases = fwctl_info_cases,
};

static void fwctl_ioctl_enotty_test(struct kunit *test)
{
	static const unsigned int nums[] = {
		0,
		_IO(FWCTL_TYPE, 2),
		_IO(FWCTL_TYPE, 0xff),
		_IO(FWCTL_TYPE + 1, FWCTL_CMD_RPC),
		_IOWR(FWCTL_TYPE, FWCTL_CMD_RPC, struct fwctl_rpc),
		_IOR(FWCTL_TYPE, FWCTL_CMD_INFO, struct fwctl_info),
	};
	struct io_ctx *io = io_setup(test, &fake_ops);
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(nums); i++)
		KUNIT_EXPECT_EQ_MSG(test, fwctl_uctx_ioctl(io->uctx, nums[i],
							   (unsigned long)io->umem),
				    -ENOTTY, "ioctl %#x", nums[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->rpc_calls), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->info_calls), 0);
}

struct ioctl_size_case {
	unsigned int num;
	u32 size;
	/* offset of a non-zero byte past the kernel's structure, or 0 */
	u32 dirty;
	int ret;
	const char *desc;
};

#define RPC_SZ	sizeof(struct fwctl_rpc)
#define INFO_SZ	sizeof(struct fwctl_info)

static const struct ioctl_size_case ioctl_size_cases[] = {
	{ FWCTL_RPC, 0, 0, -EINVAL, "rpc size 0" },
	{ FWCTL_RPC, 4, 0, -EINVAL, "rpc size field only" },
	{ FWCTL_RPC, RPC_SZ - 8, 0, -EINVAL, "rpc without out" },
	{ FWCTL_RPC, RPC_SZ - 1, 0, -EINVAL, "rpc one byte short" },
	{ FWCTL_RPC, RPC_SZ, 0, 0, "rpc exact" },
	{ FWCTL_RPC, RPC_SZ + 1, 0, 0, "rpc one byte longer, zero" },
	{ FWCTL_RPC, RPC_SZ + 8, 0, 0, "rpc newer field, zero" },
	{ FWCTL_RPC, RPC_SZ + 8, RPC_SZ, -E2BIG, "rpc newer field, first byte set" },
	{ FWCTL_RPC, RPC_SZ + 8, RPC_SZ + 7, -E2BIG, "rpc newer field, last byte set" },
	{ FWCTL_RPC, PAGE_SIZE, 0, 0, "rpc a page, zero" },
	{ FWCTL_RPC, PAGE_SIZE, PAGE_SIZE - 1, -E2BIG, "rpc a page, last byte set" },
	{ FWCTL_INFO, 0, 0, -EINVAL, "info size 0" },
	{ FWCTL_INFO, INFO_SZ - 8, 0, -EINVAL, "info without out_device_data" },
	{ FWCTL_INFO, INFO_SZ - 1, 0, -EINVAL, "info one byte short" },
	{ FWCTL_INFO, INFO_SZ, 0, 0, "info exact" },
	{ FWCTL_INFO, INFO_SZ + 8, 0, 0, "info newer field, zero" },
	{ FWCTL_INFO, INFO_SZ + 8, INFO_SZ, -E2BIG, "info newer field, first byte set" },
	{ FWCTL_INFO, PAGE_SIZE, PAGE_SIZE - 1, -E2BIG, "info a page, last byte set" },
};

KUNIT_ARRAY_PARAM_DESC(ioctl_size, ioctl_size_cases, desc);

/*
 * Every size a caller may pass to every ioctl. A success writes back the
 * kernel's structure only: the caller's longer tail stays as it was.
 */
static void fwctl_ioctl_size_test(struct kunit *test)
{
	const struct ioctl_size_case *c = test->param_value;
	struct io_ctx *io = io_setup(test, &fake_ops);
	bool rpc = c->num == FWCTL_RPC;
	size_t ksize = rpc ? RPC_SZ : INFO_SZ;
	u8 *arg, *back;
	long ret;

	arg = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	back = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, arg);
	KUNIT_ASSERT_NOT_NULL(test, back);
	if (rpc) {
		struct fwctl_rpc args = io_rpc_args(io, CONF, 16, 64);

		memcpy(arg, &args, sizeof(args));
	} else {
		struct fwctl_info args = io_info_args(io, 16);

		memcpy(arg, &args, sizeof(args));
	}
	put_unaligned(c->size, (u32 *)arg);
	if (c->dirty)
		arg[c->dirty] = 1;

	io->st->info_len = 8;
	io_write_in(test, io, 16);
	KUNIT_ASSERT_EQ(test, copy_to_user(io->umem, arg, PAGE_SIZE), 0);
	ret = fwctl_uctx_ioctl(io->uctx, c->num, (unsigned long)io->umem);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	KUNIT_EXPECT_EQ(test, atomic_read(rpc ? &io->st->rpc_calls :
					  &io->st->info_calls), ret ? 0 : 1);

	KUNIT_ASSERT_EQ(test, copy_from_user(back, io->umem, PAGE_SIZE), 0);
	if (!ret) {
		u32 len = rpc ? ((struct fwctl_rpc *)back)->out_len :
				((struct fwctl_info *)back)->device_data_len;

		KUNIT_EXPECT_EQ(test, len, rpc ? 16 : 8);
	}
	/* Nothing past the kernel's structure is ever written */
	KUNIT_EXPECT_MEMEQ(test, back + ksize, arg + ksize, PAGE_SIZE - ksize);
	if (ret)
		KUNIT_EXPECT_MEMEQ(test, back, arg, ksize);
}

/* A dead device says so before looking at the argument */
static void fwctl_ioctl_enodev_test(struct kunit *test)
{
	struct io_ctx *io = io_setup(test, &fake_ops);
	struct fwctl_rpc rpc = io_rpc_args(io, 4, 16, 64);
	struct fwctl_info info = io_info_args(io, 16);

	fake_unregister(test, io->fake);
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -ENODEV);
	rpc.size = 0;
	KUNIT_EXPECT_EQ(test, io_rpc(test, io, &rpc), -ENODEV);
	info.flags = 1;
	KUNIT_EXPECT_EQ(test, io_info(test, io, &info), -ENODEV);
	KUNIT_EXPECT_EQ(test, fwctl_uctx_ioctl(io->uctx, FWCTL_INFO, 0),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&io->st->late_calls), 0);
	KUNIT_EXPECT_EQ(test, fwctl_stat_read(&io->fake->fwctl,
					      FWCTL_STAT_INVALID), 0);
}

static struct kunit_case fwctl_ioctl_cases[] = {
	KUNIT_CASE(fwctl_ioctl_enotty_test),
	KUNIT_CASE_PARAM(fwctl_ioctl_size_test, ioctl_size_gen_params),
	KUNIT_CASE(fwctl_ioctl_enodev_test),
	{}
};

static struct kunit_suite fwctl_ioctl_suite = {
	.name = "fwctl_ioctl",
	.init = fake_test_init,
	.test_cases = fwctl_ioctl_cases,
};

kunit_test_suites(&fwctl_ioctl_suite, &fwctl_rpc_suite, &fwctl_info_suite);
