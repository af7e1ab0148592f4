// SPDX-License-Identifier: GPL-2.0
/*
 * The fake driver behind the KUnit suites that go through a registered
 * fwctl device, and the helpers that tie its objects to a test so that a
 * failed assertion still unregisters, closes and puts everything.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fwctl_kunit.h"

/**
 * struct fake_uctx - the fake driver's per-file structure
 * @uctx: the core's part, first as the core requires
 * @magic: %FAKE_UCTX_MAGIC while the file is open in the driver's view
 * @closed: close_uctx already ran for this file
 */
struct fake_uctx {
	struct fwctl_uctx uctx;
	u32 magic;
	bool closed;
};

#define FAKE_UCTX_MAGIC	0xf4c7c0de

/**
 * struct fake_ctx - per-test context of the device suites
 * @parent: the device every fake fwctl device of the test hangs off
 */
struct fake_ctx {
	struct device *parent;
};

u8 fake_pattern(size_t i)
{
	return 0xa0 ^ (u8)(i * 13);
}

static struct fake_state *fake_state_of(struct fwctl_uctx *uctx)
{
	return container_of(uctx->fwctl, struct fake_fwctl, fwctl)->st;
}

/*
 * Every callback goes through here: the core promises that none runs once
 * fwctl_unregister() has returned, and this is where a broken promise is
 * counted.
 */
static struct fake_state *fake_enter(struct fwctl_uctx *uctx)
{
	struct fake_state *st = fake_state_of(uctx);

	if (READ_ONCE(st->unregistered))
		atomic_inc(&st->late_calls);
	return st;
}

static int fake_open_uctx(struct fwctl_uctx *uctx)
{
	struct fake_uctx *fu = container_of(uctx, struct fake_uctx, uctx);
	struct fake_state *st = fake_enter(uctx);

	atomic_inc(&st->open_calls);
	/* The driver's part of a new file must start zeroed */
	if (memchr_inv((u8 *)fu + sizeof(fu->uctx), 0,
		       sizeof(*fu) - sizeof(fu->uctx)))
		atomic_inc(&st->bad_calls);
	if (st->open_err)
		return st->open_err;
	fu->magic = FAKE_UCTX_MAGIC;
	return 0;
}

static void fake_close_uctx(struct fwctl_uctx *uctx)
{
	struct fake_uctx *fu = container_of(uctx, struct fake_uctx, uctx);
	struct fake_state *st = fake_enter(uctx);

	atomic_inc(&st->close_calls);
	/* Closing twice, or a file whose open failed, is a core bug */
	if (fu->closed || fu->magic != FAKE_UCTX_MAGIC)
		atomic_inc(&st->bad_calls);
	fu->closed = true;
}

static void *fake_info(struct fwctl_uctx *uctx, size_t *length)
{
	struct fake_state *st = fake_enter(uctx);
	u8 *data;
	size_t i;

	atomic_inc(&st->info_calls);
	if (st->info_err)
		return ERR_PTR(st->info_err);
	data = kmalloc(st->info_len, GFP_KERNEL);
	if (!data)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i != st->info_len; i++)
		data[i] = fake_pattern(i);
	*length = st->info_len;
	return data;
}

static void *fake_reply_in_place(struct fake_state *st, u8 *buf,
				 size_t in_len, size_t cap, size_t *out_len)
{
	size_t len = st->reply_len ? st->reply_len : in_len;
	size_t i;

	/* The contract allows an in-place reply up to the capacity only */
	if (len > cap) {
		atomic_inc(&st->bad_calls);
		len = cap;
	}
	for (i = 0; i != len; i++)
		buf[i] = i < in_len ? buf[i] ^ FAKE_XOR : fake_pattern(i);
	*out_len = len;
	return buf;
}

static void *fake_reply_new_buf(struct fake_state *st, size_t *out_len)
{
	u8 *reply;
	size_t i;

	reply = kvmalloc(st->reply_len, GFP_KERNEL);
	if (!reply)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i != st->reply_len; i++)
		reply[i] = fake_pattern(i);
	*out_len = st->reply_len;
	return reply;
}

static void *fake_fw_rpc(struct fwctl_uctx *uctx, const struct fwctl_cmd *cmd,
			 enum fwctl_rpc_scope scope, void *rpc_in,
			 size_t in_len, size_t *out_len)
{
	struct fake_state *st = fake_enter(uctx);
	size_t cap = *out_len;
	u8 *buf = rpc_in;
	void *reply;

	atomic_inc(&st->rpc_calls);
	atomic_inc(&st->in_flight);
	WRITE_ONCE(st->seen_cmd, cmd);
	WRITE_ONCE(st->seen_scope, scope);
	WRITE_ONCE(st->seen_in_len, in_len);
	WRITE_ONCE(st->seen_cap, cap);
	/*
	 * Reading the whole capacity also lets KASAN check that the core
	 * allocated what it claims.
	 */
	WRITE_ONCE(st->seen_zero_tail,
		   cap >= in_len && !memchr_inv(buf + in_len, 0, cap - in_len));

	if (st->rpc_delay_us)
		usleep_range(st->rpc_delay_us, 2 * st->rpc_delay_us);

	switch (st->reply) {
	case FAKE_REPLY_IN_PLACE:
		reply = fake_reply_in_place(st, buf, in_len, cap, out_len);
		break;
	case FAKE_REPLY_NEW_BUF:
		reply = fake_reply_new_buf(st, out_len);
		break;
	default:
		reply = ERR_PTR(st->rpc_err);
		break;
	}
	atomic_dec(&st->in_flight);
	return reply;
}

static const struct fwctl_cmd fake_cmds[] = {
	[FAKE_CMD_QUERY] = {
		.id = FAKE_CMD_QUERY_ID,
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_min = 8,
		.in_max = 64,
		.out_min = 0,
		.out_max = 256,
		.name = "query",
	},
	[FAKE_CMD_DEBUG] = {
		.id = FAKE_CMD_DEBUG_ID,
		.scope = FWCTL_RPC_DEBUG_WRITE,
		.in_min = 8,
		.in_max = 8,
		.out_min = 0,
		.out_max = 64,
		.name = "debug",
	},
	[FAKE_CMD_BIG_OUT] = {
		.id = FAKE_CMD_BIG_OUT_ID,
		.scope = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_min = 2,
		.in_max = 64,
		.out_min = 4,
		.out_max = FAKE_CMD_BIG_OUT_MAX,
		.name = "big_out",
	},
};

/* Requests start with a big-endian 16-bit command identifier */
const struct fwctl_cmd_table fake_table = {
	.id = { .offset = 0, .width = 2, .flags = FWCTL_FIELD_BE },
	.cmds = fake_cmds,
	.num_cmds = ARRAY_SIZE(fake_cmds),
};

static const struct fwctl_cmd fake_cmds_alt[] = {
	{
		.id = FAKE_CMD_ALT_ID,
		.scope = FWCTL_RPC_CONFIGURATION,
		.in_min = 2,
		.in_max = 64,
		.out_max = 64,
		.name = "alt",
	},
};

/* A table a driver would only know at probe time */
const struct fwctl_cmd_table fake_table_alt = {
	.id = { .offset = 0, .width = 2, .flags = FWCTL_FIELD_BE },
	.cmds = fake_cmds_alt,
	.num_cmds = ARRAY_SIZE(fake_cmds_alt),
};

const struct fwctl_ops fake_ops = {
	.device_type = FWCTL_DEVICE_TYPE_TEST_MOCK,
	.uctx_size = FWCTL_UCTX_SIZE(struct fake_uctx, uctx),
	.open_uctx = fake_open_uctx,
	.close_uctx = fake_close_uctx,
	.info = fake_info,
	.fw_rpc = fake_fw_rpc,
};

const struct fwctl_ops fake_ops_noinfo = {
	.device_type = FWCTL_DEVICE_TYPE_TEST_MOCK,
	.uctx_size = FWCTL_UCTX_SIZE(struct fake_uctx, uctx),
	.open_uctx = fake_open_uctx,
	.close_uctx = fake_close_uctx,
	.fw_rpc = fake_fw_rpc,
};

const struct fwctl_ops fake_ops_table = {
	.device_type = FWCTL_DEVICE_TYPE_TEST_MOCK,
	.uctx_size = FWCTL_UCTX_SIZE(struct fake_uctx, uctx),
	.cmds = &fake_table,
	.open_uctx = fake_open_uctx,
	.close_uctx = fake_close_uctx,
	.info = fake_info,
	.fw_rpc = fake_fw_rpc,
};

/**
 * fake_test_init() - init callback of the suites that use fake devices
 * @test: the test
 *
 * Gives the test an address space as well: on UML a user access without
 * one panics, so a core that wrongly reads a NULL argument must meet a
 * fault, not bring the whole run down.
 *
 * Return: 0, or a negative errno when the parent device or the address
 * space cannot be made.
 */
int fake_test_init(struct kunit *test)
{
	struct fake_ctx *ctx;
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!addr || IS_ERR_VALUE(addr))
		return -ENOMEM;
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->parent = kunit_device_register(test, "fwctl-kunit-parent");
	if (IS_ERR(ctx->parent))
		return PTR_ERR(ctx->parent);
	test->priv = ctx;
	return 0;
}

/**
 * fake_parent() - the parent device for fake devices of this test
 * @test: a test of a suite whose init is fake_test_init()
 *
 * Return: the parent.
 */
struct device *fake_parent(struct kunit *test)
{
	struct fake_ctx *ctx = test->priv;

	return ctx->parent;
}

/* Runs from device_release(), just before the core frees the memory */
static void fake_released(void *data)
{
	struct fake_state *st = data;

	WRITE_ONCE(st->released, true);
}

/**
 * fake_watch_release() - set &fake_state.released when the memory goes
 * @fake: a device that is not registered
 *
 * The driver core releases the devres of a driverless device both in
 * device_del() and in device_release(): to see only the release, the action
 * is installed while the device is not registered.
 *
 * Return: 0 or -ENOMEM.
 */
int fake_watch_release(struct fake_fwctl *fake)
{
	return devm_add_action(&fake->fwctl.dev, fake_released, fake->st);
}

static void fake_unregister_action(void *data)
{
	struct fake_fwctl *fake = data;

	fwctl_unregister(&fake->fwctl);
	WRITE_ONCE(fake->st->unregistered, true);
	/* Without the action, st->released stays false and the test fails */
	fake_watch_release(fake);
}

static void fake_put_action(void *data)
{
	struct fake_fwctl *fake = data;

	fwctl_put(&fake->fwctl);
}

static void fake_close_action(void *data)
{
	fwctl_uctx_release(data);
}

/**
 * fake_alloc() - allocate an unregistered fake device
 * @test: the test, which puts the device when it ends
 * @ops: the callbacks
 *
 * Return: the device; the test is aborted on failure.
 */
struct fake_fwctl *fake_alloc(struct kunit *test, const struct fwctl_ops *ops)
{
	struct fake_ctx *ctx = test->priv;
	struct fake_state *st;
	struct fake_fwctl *fake;
	int ret;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);

	fake = fwctl_alloc_device(ctx->parent, ops, struct fake_fwctl, fwctl);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->st = st;
	ret = kunit_add_action_or_reset(test, fake_put_action, fake);
	KUNIT_ASSERT_EQ(test, ret, 0);

	ret = fake_watch_release(fake);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fake;
}

/**
 * fake_register() - register a fake device for the rest of the test
 * @test: the test, which unregisters the device when it ends
 * @fake: the device
 */
void fake_register(struct kunit *test, struct fake_fwctl *fake)
{
	int ret;

	devm_remove_action(&fake->fwctl.dev, fake_released, fake->st);
	ret = fwctl_register(&fake->fwctl);
	if (ret)
		fake_watch_release(fake);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kunit_add_action_or_reset(test, fake_unregister_action, fake);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/**
 * fake_create() - allocate and register a fake device
 * @test: the test
 * @ops: the callbacks
 *
 * Return: the device; the test is aborted on failure.
 */
struct fake_fwctl *fake_create(struct kunit *test, const struct fwctl_ops *ops)
{
	struct fake_fwctl *fake = fake_alloc(test, ops);

	fake_register(test, fake);
	return fake;
}

/**
 * fake_unregister() - unregister a device registered by fake_register()
 * @test: the test
 * @fake: the device
 *
 * Marks the device so that any later callback is counted as late.
 */
void fake_unregister(struct kunit *test, struct fake_fwctl *fake)
{
	kunit_release_action(test, fake_unregister_action, fake);
}

/**
 * fake_put() - drop the reference fake_alloc() took
 * @test: the test
 * @fake: the device, which must not be used afterwards
 */
void fake_put(struct kunit *test, struct fake_fwctl *fake)
{
	kunit_release_action(test, fake_put_action, fake);
}

/**
 * fake_open() - open a file on a fake device
 * @test: the test, which closes the file when it ends
 * @fake: the device
 *
 * Return: the file's context; the test is aborted on failure.
 */
struct fwctl_uctx *fake_open(struct kunit *test, struct fake_fwctl *fake)
{
	struct fwctl_uctx *uctx;
	int ret;

	uctx = fwctl_uctx_open(&fake->fwctl);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, uctx);
	KUNIT_ASSERT_PTR_EQ(test, uctx->fwctl, &fake->fwctl);
	ret = kunit_add_action_or_reset(test, fake_close_action, uctx);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return uctx;
}

/**
 * fake_close() - close a file opened by fake_open()
 * @test: the test
 * @uctx: the file's context, which must not be used afterwards
 */
void fake_close(struct kunit *test, struct fwctl_uctx *uctx)
{
	kunit_release_action(test, fake_close_action, uctx);
}

/**
 * fake_umem() - map user memory into the test's address space
 * @test: the test
 * @len: length, rounded up to whole pages
 *
 * The mapping is anonymous, so it reads as zeroes until written.
 *
 * Return: the user address; the test is aborted on failure.
 */
void __user *fake_umem(struct kunit *test, size_t len)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_ALIGN(len),
			     PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, addr, 0, "cannot map user memory");
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr),
			       "cannot map user memory: %ld", (long)addr);
	return (void __user *)addr;
}

/**
 * fake_umem_guarded() - map user memory followed by an unmapped page
 * @test: the test
 * @len: length, rounded up to whole pages
 *
 * Return: the user address; the page at PAGE_ALIGN(@len) faults.
 */
void __user *fake_umem_guarded(struct kunit *test, size_t len)
{
	void __user *mem = fake_umem(test, PAGE_ALIGN(len) + PAGE_SIZE);
	int ret;

	ret = vm_munmap((unsigned long)mem + PAGE_ALIGN(len), PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return mem;
}

MODULE_DESCRIPTION("KUnit tests for the fwctl core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FWCTL);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
