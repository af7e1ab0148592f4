// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only fwctl driver with a simulated firmware behind it.
 *
 * The module creates ndevs platform devices named "fwctl_mock" and binds
 * itself to them, so that unbinding one through sysfs unplugs a fwctl
 * device along the same driver-model path as a real hot-unplug. The
 * firmware answers a handful of commands, at least one per scope, and the
 * module parameters below inject failures and delays at runtime.
 *
 * The request format is in fwctl_mock.h, shared with the selftests.
 *
 * The module also creates /dev/fwctl_mock_floor, the baseline the fwctl
 * benchmarks measure against: its one ioctl does the user copies and the
 * allocation of an RPC and nothing else.
 */
#include <linux/cleanup.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/fwctl.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fwctl_mock.h"

#define MOCK_DRV_NAME		"fwctl_mock"
#define MOCK_MAX_DEVS		16
#define MOCK_REQ_HDR		sizeof(struct fwctl_mock_req)
#define MOCK_RSP_HDR		sizeof(struct fwctl_mock_rsp)

static unsigned int ndevs = 2;
module_param(ndevs, uint, 0444);
MODULE_PARM_DESC(ndevs, "Number of mock devices to create (0-16, default 2)");

/*
 * Failure injection. Each counter is the number of calls still to fail;
 * the callbacks consume it under kernel_param_lock() so that a write from
 * sysfs and a concurrent decrement cannot lose each other.
 */
static unsigned int fail_open;
module_param(fail_open, uint, 0600);
MODULE_PARM_DESC(fail_open, "Fail the next N opens with ENOMEM");

static unsigned int fail_rpc;
module_param(fail_rpc, uint, 0600);
MODULE_PARM_DESC(fail_rpc, "Fail the next N RPCs with ENOMEM");

static unsigned int fail_info;
module_param(fail_info, uint, 0600);
MODULE_PARM_DESC(fail_info, "Fail the next N FWCTL_INFO calls with ENOMEM");

static unsigned int rpc_delay_ms;
module_param(rpc_delay_ms, uint, 0600);
MODULE_PARM_DESC(rpc_delay_ms,
		 "Delay added to every RPC, in ms (at most 2000)");

/* What the benchmarks compare with the longest RPC in flight at unplug */
static unsigned long unregister_ns;
module_param(unregister_ns, ulong, 0444);
MODULE_PARM_DESC(unregister_ns,
		 "Time the last fwctl_unregister() took to return, in ns");

static struct platform_device *mock_pdevs[MOCK_MAX_DEVS];

/**
 * struct mock_dev - one mock device and its simulated firmware
 * @fwctl: the core's device; first, as fwctl_alloc_device() requires
 * @index: id of the platform device, reported by FWCTL_INFO
 * @lock: serializes the firmware state below against concurrent callbacks
 * @regs: debug registers
 * @ctxs: firmware contexts of the open files, &struct mock_fw_ctx.node
 * @nctxs: number of entries in @ctxs
 * @next_ctx_id: identifier the next firmware context gets
 * @opens: files opened since probe
 * @rpcs: RPCs the firmware answered since probe, counted per CPU so that
 *	RPCs on different files of the device write no shared cache line
 */
struct mock_dev {
	struct fwctl_device fwctl;
	unsigned int index;
	/* Serializes the firmware state below: callbacks run concurrently */
	struct mutex lock;
	u32 regs[FWCTL_MOCK_NUM_REGS];
	struct list_head ctxs;
	u32 nctxs;
	u32 next_ctx_id;
	u64 opens;
	u64 __percpu *rpcs;
};

/**
 * struct mock_fw_ctx - firmware-side state of one open file
 * @node: entry in &mock_dev.ctxs, under &mock_dev.lock
 * @id: identifier, unique on the device while it stays bound
 * @rpcs: RPCs the firmware answered on this file
 *
 * Allocated at open and freed at close like the user contexts real
 * firmware keeps per file; a context the core forgets to close stays on
 * the device's list and is reported at remove.
 */
struct mock_fw_ctx {
	struct list_head node;
	u32 id;
	atomic64_t rpcs;
};

/**
 * struct mock_uctx - per-file state
 * @uctx: the core's part; first, as FWCTL_UCTX_SIZE() requires
 * @ctx: the file's firmware context
 */
struct mock_uctx {
	struct fwctl_uctx uctx;
	struct mock_fw_ctx *ctx;
};

/**
 * to_mock_dev - the mock device of a user context
 * @uctx: the user context
 *
 * Return: the &struct mock_dev that embeds @uctx's fwctl device
 */
static struct mock_dev *to_mock_dev(struct fwctl_uctx *uctx)
{
	return container_of(uctx->fwctl, struct mock_dev, fwctl);
}

/**
 * to_mock_uctx - the mock's per-file state of a user context
 * @uctx: the user context
 *
 * Return: the &struct mock_uctx embedding @uctx
 */
static struct mock_uctx *to_mock_uctx(struct fwctl_uctx *uctx)
{
	return container_of(uctx, struct mock_uctx, uctx);
}

/**
 * mock_inject - consume one injected failure
 * @count: the module parameter counting the failures still to inject
 *
 * Return: true when the caller must fail
 */
static bool mock_inject(unsigned int *count)
{
	bool hit = false;

	if (!READ_ONCE(*count))
		return false;

	kernel_param_lock(THIS_MODULE);
	if (*count) {
		(*count)--;
		hit = true;
	}
	kernel_param_unlock(THIS_MODULE);
	return hit;
}

/**
 * mock_open_uctx - create the firmware context of a new file
 * @uctx: the new user context
 *
 * Return: 0, or -ENOMEM when memory is short or a failure is injected
 */
static int mock_open_uctx(struct fwctl_uctx *uctx)
{
	struct mock_dev *mdev = to_mock_dev(uctx);
	struct mock_fw_ctx *ctx;

	if (mock_inject(&fail_open))
		return -ENOMEM;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;

	guard(mutex)(&mdev->lock);
	ctx->id = ++mdev->next_ctx_id;
	list_add_tail(&ctx->node, &mdev->ctxs);
	mdev->nctxs++;
	mdev->opens++;
	to_mock_uctx(uctx)->ctx = ctx;
	return 0;
}

/**
 * mock_close_uctx - destroy the firmware context of a file
 * @uctx: the user context being closed
 */
static void mock_close_uctx(struct fwctl_uctx *uctx)
{
	struct mock_dev *mdev = to_mock_dev(uctx);
	struct mock_uctx *mu = to_mock_uctx(uctx);

	scoped_guard(mutex, &mdev->lock) {
		list_del(&mu->ctx->node);
		mdev->nctxs--;
	}
	kfree(mu->ctx);
	mu->ctx = NULL;
}

/**
 * mock_info - device data of FWCTL_INFO
 * @uctx: the user context asking
 * @length: set to the length of the returned data
 *
 * Return: a kmalloc'd &struct fwctl_mock_info, or ERR_PTR(-ENOMEM)
 */
static void *mock_info(struct fwctl_uctx *uctx, size_t *length)
{
	struct mock_dev *mdev = to_mock_dev(uctx);
	struct fwctl_mock_info *info;

	if (mock_inject(&fail_info))
		return ERR_PTR(-ENOMEM);

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);

	info->magic = FWCTL_MOCK_INFO_MAGIC;
	info->version = FWCTL_MOCK_INFO_VERSION;
	info->dev_index = mdev->index;
	info->uctx_id = to_mock_uctx(uctx)->ctx->id;
	info->num_regs = FWCTL_MOCK_NUM_REGS;
	info->max_sleep_ms = FWCTL_MOCK_SLEEP_MAX_MS;
	*length = sizeof(*info);
	return info;
}

/**
 * mock_payload_len - payload length an opcode requires
 * @op: the opcode
 *
 * Return: the exact payload length, or SIZE_MAX for ECHO, whose length
 * varies
 */
static size_t mock_payload_len(u32 op)
{
	switch (op) {
	case FWCTL_MOCK_OP_COUNTERS:
		return 0;
	case FWCTL_MOCK_OP_REG_READ:
	case FWCTL_MOCK_OP_REG_WRITE:
	case FWCTL_MOCK_OP_REG_WRITE_RAW:
		return sizeof(struct fwctl_mock_reg);
	case FWCTL_MOCK_OP_FW_ERROR:
		return sizeof(struct fwctl_mock_fw_error);
	case FWCTL_MOCK_OP_SLEEP:
		return sizeof(struct fwctl_mock_sleep);
	}
	return SIZE_MAX;
}

/**
 * mock_check_req - check a request's header before the firmware sees it
 * @cmd: the command table entry the core matched
 * @scope: the scope the RPC carries
 * @req: the request
 * @in_len: length of the request
 *
 * The core has already checked the request against the command table; the
 * header's own length field is only known here, and the payload of each
 * opcode is checked by its handler. The table is checked again so that a
 * wrong table cannot let a request through.
 *
 * Return: 0, or the negative errno the RPC fails with
 */
static int mock_check_req(const struct fwctl_cmd *cmd,
			  enum fwctl_rpc_scope scope,
			  const struct fwctl_mock_req *req, size_t in_len)
{
	if (in_len < MOCK_REQ_HDR)
		return -EINVAL;
	if (!cmd || cmd->id != le32_to_cpu(req->opcode))
		return -EOPNOTSUPP;
	if (scope < cmd->scope)
		return -EPERM;
	if (req->flags)
		return -EOPNOTSUPP;
	if (req->reserved || le32_to_cpu(req->len) != in_len - MOCK_REQ_HDR)
		return -EINVAL;
	return 0;
}

/**
 * mock_reply_buf - find room for a reply
 * @rpc_in: the request buffer the core passed
 * @cap: its capacity
 * @payload_len: length of the reply payload
 * @out_len: set to the length of the whole reply
 *
 * A reply that fits is built in place over the request; a longer one gets
 * a new buffer, which the core frees.
 *
 * Return: the buffer to build the reply in, or ERR_PTR(-ENOMEM)
 */
static void *mock_reply_buf(void *rpc_in, size_t cap, size_t payload_len,
			    size_t *out_len)
{
	size_t len = size_add(MOCK_RSP_HDR, payload_len);
	void *buf = rpc_in;

	if (len > cap) {
		buf = kvzalloc(len, GFP_KERNEL);
		if (!buf)
			return ERR_PTR(-ENOMEM);
	}
	*out_len = len;
	return buf;
}

/**
 * mock_reg_access - the register commands
 * @mdev: the device
 * @op: %FWCTL_MOCK_OP_REG_READ, _REG_WRITE or _REG_WRITE_RAW
 * @in: the request payload
 * @out: the reply payload
 *
 * Return: an &enum fwctl_mock_status
 */
static u32 mock_reg_access(struct mock_dev *mdev, u32 op,
			   const struct fwctl_mock_reg *in,
			   struct fwctl_mock_reg *out)
{
	u32 reg = le32_to_cpu(in->reg);
	u32 val = le32_to_cpu(in->val);

	if (reg >= FWCTL_MOCK_NUM_REGS)
		return FWCTL_MOCK_STATUS_BAD_PARAM;
	if (op == FWCTL_MOCK_OP_REG_READ && val)
		return FWCTL_MOCK_STATUS_BAD_PARAM;
	if (op == FWCTL_MOCK_OP_REG_WRITE && reg == FWCTL_MOCK_REG_ID)
		return FWCTL_MOCK_STATUS_DENIED;

	guard(mutex)(&mdev->lock);
	out->reg = cpu_to_le32(reg);
	out->val = cpu_to_le32(mdev->regs[reg]);
	if (op != FWCTL_MOCK_OP_REG_READ)
		mdev->regs[reg] = val;
	return FWCTL_MOCK_STATUS_OK;
}

/**
 * mock_sleep - the sleep command
 * @in: the request payload
 * @out: the reply payload
 *
 * Return: an &enum fwctl_mock_status
 */
static u32 mock_sleep(const struct fwctl_mock_sleep *in,
		      struct fwctl_mock_sleep *out)
{
	u32 msecs = le32_to_cpu(in->msecs);
	unsigned long left;

	if (msecs > FWCTL_MOCK_SLEEP_MAX_MS || in->reserved)
		return FWCTL_MOCK_STATUS_BAD_PARAM;

	/* Interrupted at once, what is left can round up past @msecs */
	left = min_t(unsigned long, msleep_interruptible(msecs), msecs);
	out->msecs = cpu_to_le32(msecs - left);
	out->reserved = 0;
	return left ? FWCTL_MOCK_STATUS_ABORTED : FWCTL_MOCK_STATUS_OK;
}

/**
 * mock_dev_rpcs - RPCs the firmware answered on a device
 * @mdev: the device
 *
 * Return: the sum of the per-CPU counts
 */
static u64 mock_dev_rpcs(struct mock_dev *mdev)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(mdev->rpcs, cpu));
	return sum;
}

/**
 * mock_counters - the counters command
 * @mdev: the device
 * @mu: the file asking
 * @out: the reply payload
 */
static void mock_counters(struct mock_dev *mdev, struct mock_uctx *mu,
			  struct fwctl_mock_counters *out)
{
	out->uctx_rpcs = cpu_to_le64(atomic64_read(&mu->ctx->rpcs));
	out->dev_rpcs = cpu_to_le64(mock_dev_rpcs(mdev));
	out->uctx_id = cpu_to_le32(mu->ctx->id);

	guard(mutex)(&mdev->lock);
	out->dev_opens = cpu_to_le64(mdev->opens);
	out->dev_uctxs = cpu_to_le32(mdev->nctxs);
}

/**
 * mock_reply_len - reply payload length of a valid request but ECHO
 * @op: the opcode
 *
 * Return: the payload length of the reply
 */
static size_t mock_reply_len(u32 op)
{
	switch (op) {
	case FWCTL_MOCK_OP_COUNTERS:
		return sizeof(struct fwctl_mock_counters);
	case FWCTL_MOCK_OP_REG_READ:
	case FWCTL_MOCK_OP_REG_WRITE:
	case FWCTL_MOCK_OP_REG_WRITE_RAW:
		return sizeof(struct fwctl_mock_reg);
	case FWCTL_MOCK_OP_SLEEP:
		return sizeof(struct fwctl_mock_sleep);
	}
	return 0;
}

/* What the firmware counts of every RPC it answers */
static void mock_count_rpc(struct mock_dev *mdev, struct mock_uctx *mu)
{
	atomic64_inc(&mu->ctx->rpcs);
	this_cpu_inc(*mdev->rpcs);
}

static void mock_rsp_fill(struct fwctl_mock_rsp *rsp, u32 op, u32 status,
			  u32 syndrome, size_t rlen)
{
	rsp->opcode = cpu_to_le32(op);
	rsp->status = cpu_to_le32(status);
	rsp->syndrome = cpu_to_le32(syndrome);
	rsp->len = cpu_to_le32(rlen);
}

/**
 * mock_echo - the ECHO command
 * @mdev: the device
 * @mu: the file sending it
 * @rpc_in: the request, in a buffer of capacity *@out_len
 * @in_len: length of the request
 * @out_len: in: capacity of @rpc_in; out: length of the reply
 *
 * The command the benchmarks time, so it takes the shortest path: the
 * reply has the request's header size, and built in place its payload is
 * already where the request's was.
 *
 * Return: the reply, or an ERR_PTR
 */
static void *mock_echo(struct mock_dev *mdev, struct mock_uctx *mu,
		       void *rpc_in, size_t in_len, size_t *out_len)
{
	const struct fwctl_mock_req *req = rpc_in;
	size_t plen = in_len - MOCK_REQ_HDR;
	struct fwctl_mock_rsp *rsp;

	BUILD_BUG_ON(MOCK_REQ_HDR != MOCK_RSP_HDR);
	if (plen > FWCTL_MOCK_ECHO_MAX)
		return ERR_PTR(-EINVAL);
	rsp = mock_reply_buf(rpc_in, *out_len, plen, out_len);
	if (IS_ERR(rsp))
		return rsp;
	if ((void *)rsp != rpc_in)
		memcpy(rsp->payload, req->payload, plen);
	mock_count_rpc(mdev, mu);
	mock_rsp_fill(rsp, FWCTL_MOCK_OP_ECHO, FWCTL_MOCK_STATUS_OK, 0, plen);
	return rsp;
}

/**
 * mock_fw_rpc - deliver one RPC to the simulated firmware
 * @uctx: the file sending it
 * @cmd: the command table entry the core matched
 * @scope: the scope the RPC carries
 * @rpc_in: the request, in a buffer of capacity *@out_len
 * @in_len: length of the request
 * @out_len: in: capacity of @rpc_in; out: length of the reply
 *
 * The request is parsed into locals before the reply is built, because the
 * reply may overwrite it in place. A firmware failure is a reply with a
 * non-zero status; only a request that never reached the firmware fails
 * with an errno.
 *
 * Return: the reply (@rpc_in or a new kvmalloc'd buffer), or an ERR_PTR
 */
static void *mock_fw_rpc(struct fwctl_uctx *uctx, const struct fwctl_cmd *cmd,
			 enum fwctl_rpc_scope scope, void *rpc_in,
			 size_t in_len, size_t *out_len)
{
	struct mock_dev *mdev = to_mock_dev(uctx);
	struct mock_uctx *mu = to_mock_uctx(uctx);
	const struct fwctl_mock_req *req = rpc_in;
	struct fwctl_mock_fw_error fw_error = {};
	struct fwctl_mock_sleep sleep = {};
	struct fwctl_mock_reg reg = {};
	struct fwctl_mock_rsp *rsp;
	u32 delay, op, status = FWCTL_MOCK_STATUS_OK, syndrome = 0;
	size_t plen, rlen;
	int ret;

	if (mock_inject(&fail_rpc))
		return ERR_PTR(-ENOMEM);

	delay = min(READ_ONCE(rpc_delay_ms), FWCTL_MOCK_SLEEP_MAX_MS);
	if (delay)
		msleep_interruptible(delay);

	ret = mock_check_req(cmd, scope, req, in_len);
	if (ret)
		return ERR_PTR(ret);

	op = le32_to_cpu(req->opcode);
	if (op == FWCTL_MOCK_OP_ECHO)
		return mock_echo(mdev, mu, rpc_in, in_len, out_len);

	/* Every other command takes a payload of fixed length */
	plen = in_len - MOCK_REQ_HDR;
	if (plen != mock_payload_len(op))
		return ERR_PTR(-EINVAL);
	switch (op) {
	case FWCTL_MOCK_OP_REG_READ:
	case FWCTL_MOCK_OP_REG_WRITE:
	case FWCTL_MOCK_OP_REG_WRITE_RAW:
		memcpy(&reg, req->payload, sizeof(reg));
		break;
	case FWCTL_MOCK_OP_FW_ERROR:
		memcpy(&fw_error, req->payload, sizeof(fw_error));
		break;
	case FWCTL_MOCK_OP_SLEEP:
		memcpy(&sleep, req->payload, sizeof(sleep));
		break;
	}

	rlen = mock_reply_len(op);
	rsp = mock_reply_buf(rpc_in, *out_len, rlen, out_len);
	if (IS_ERR(rsp))
		return rsp;
	mock_count_rpc(mdev, mu);

	switch (op) {
	case FWCTL_MOCK_OP_COUNTERS:
		mock_counters(mdev, mu, (void *)rsp->payload);
		break;
	case FWCTL_MOCK_OP_REG_READ:
	case FWCTL_MOCK_OP_REG_WRITE:
	case FWCTL_MOCK_OP_REG_WRITE_RAW:
		status = mock_reg_access(mdev, op, &reg, &reg);
		memcpy(rsp->payload, &reg, sizeof(reg));
		break;
	case FWCTL_MOCK_OP_FW_ERROR:
		status = le32_to_cpu(fw_error.status);
		syndrome = le32_to_cpu(fw_error.syndrome);
		break;
	case FWCTL_MOCK_OP_SLEEP:
		status = mock_sleep(&sleep, &sleep);
		memcpy(rsp->payload, &sleep, sizeof(sleep));
		break;
	}

	/* A failed command carries no payload, like most firmware */
	if (status != FWCTL_MOCK_STATUS_OK && op != FWCTL_MOCK_OP_SLEEP) {
		rlen = 0;
		*out_len = MOCK_RSP_HDR;
	}
	mock_rsp_fill(rsp, op, status, syndrome, rlen);
	return rsp;
}

/*
 * Every command but ECHO takes a payload of fixed length. The reply buffer
 * must hold at least the reply header, so that a caller always learns the
 * firmware status.
 */
#define MOCK_CMD(_op, _scope, _in_min, _in_max, _out_max)		\
	{								\
		.id = FWCTL_MOCK_OP_##_op,				\
		.scope = FWCTL_RPC_##_scope,				\
		.in_min = MOCK_REQ_HDR + (_in_min),			\
		.in_max = MOCK_REQ_HDR + (_in_max),			\
		.out_min = MOCK_RSP_HDR,				\
		.out_max = MOCK_RSP_HDR + (_out_max),			\
		.name = #_op,						\
	}

#define MOCK_REG_LEN		sizeof(struct fwctl_mock_reg)
#define MOCK_ERR_LEN		sizeof(struct fwctl_mock_fw_error)
#define MOCK_SLEEP_LEN		sizeof(struct fwctl_mock_sleep)
#define MOCK_CNT_LEN		sizeof(struct fwctl_mock_counters)

static const struct fwctl_cmd mock_cmds[] = {
	MOCK_CMD(ECHO, CONFIGURATION, 0, FWCTL_MOCK_ECHO_MAX,
		 FWCTL_MOCK_ECHO_MAX),
	MOCK_CMD(COUNTERS, DEBUG_READ_ONLY, 0, 0, MOCK_CNT_LEN),
	MOCK_CMD(REG_READ, DEBUG_READ_ONLY, MOCK_REG_LEN, MOCK_REG_LEN,
		 MOCK_REG_LEN),
	MOCK_CMD(REG_WRITE, DEBUG_WRITE, MOCK_REG_LEN, MOCK_REG_LEN,
		 MOCK_REG_LEN),
	MOCK_CMD(REG_WRITE_RAW, DEBUG_WRITE_FULL, MOCK_REG_LEN, MOCK_REG_LEN,
		 MOCK_REG_LEN),
	MOCK_CMD(FW_ERROR, CONFIGURATION, MOCK_ERR_LEN, MOCK_ERR_LEN, 0),
	MOCK_CMD(SLEEP, CONFIGURATION, MOCK_SLEEP_LEN, MOCK_SLEEP_LEN,
		 MOCK_SLEEP_LEN),
};

static const struct fwctl_cmd_table mock_cmd_table = {
	.id = { .offset = offsetof(struct fwctl_mock_req, opcode), .width = 4 },
	.cmds = mock_cmds,
	.num_cmds = ARRAY_SIZE(mock_cmds),
};

static const struct fwctl_ops mock_ops = {
	.device_type = FWCTL_DEVICE_TYPE_TEST_MOCK,
	.uctx_size = FWCTL_UCTX_SIZE(struct mock_uctx, uctx),
	.cmds = &mock_cmd_table,
	.open_uctx = mock_open_uctx,
	.close_uctx = mock_close_uctx,
	.info = mock_info,
	.fw_rpc = mock_fw_rpc,
};

/**
 * mock_probe - bring up a mock device
 * @pdev: one of the platform devices the module created
 *
 * Return: 0 or a negative errno
 */
static int mock_probe(struct platform_device *pdev)
{
	struct mock_dev *mdev;
	int ret;

	mdev = fwctl_alloc_device(&pdev->dev, &mock_ops, struct mock_dev,
				  fwctl);
	if (!mdev)
		return -ENOMEM;

	mdev->rpcs = alloc_percpu(u64);
	if (!mdev->rpcs) {
		fwctl_put(&mdev->fwctl);
		return -ENOMEM;
	}
	mdev->index = pdev->id;
	mutex_init(&mdev->lock);
	INIT_LIST_HEAD(&mdev->ctxs);
	mdev->regs[FWCTL_MOCK_REG_ID] = FWCTL_MOCK_ID_VALUE | mdev->index;

	ret = fwctl_register(&mdev->fwctl);
	if (ret) {
		free_percpu(mdev->rpcs);
		fwctl_put(&mdev->fwctl);
		return ret;
	}
	platform_set_drvdata(pdev, mdev);
	return 0;
}

/**
 * mock_remove - unplug a mock device
 * @pdev: the platform device being unbound
 *
 * fwctl_unregister() waits for the callbacks in flight and closes every
 * file still open; the files themselves outlive the device.
 */
static void mock_remove(struct platform_device *pdev)
{
	struct mock_dev *mdev = platform_get_drvdata(pdev);
	u64 start = ktime_get_ns();

	fwctl_unregister(&mdev->fwctl);
	WRITE_ONCE(unregister_ns, ktime_get_ns() - start);

	scoped_guard(mutex, &mdev->lock)
		WARN(!list_empty(&mdev->ctxs),
		     "%s: %u firmware contexts left open after unregister\n",
		     dev_name(&pdev->dev), mdev->nctxs);
	mutex_destroy(&mdev->lock);
	free_percpu(mdev->rpcs);
	fwctl_put(&mdev->fwctl);
}

static struct platform_driver mock_driver = {
	.driver = {
		.name = MOCK_DRV_NAME,
	},
	.probe = mock_probe,
	.remove = mock_remove,
};

/**
 * mock_floor_copy - the floor ioctl
 * @uarg: the user's &struct fwctl_mock_floor
 *
 * The same steps, in the same order, as the fwctl core takes for an RPC
 * whose reply is built in place: the argument copied in by its size, one
 * buffer for request and reply, the request copied in, the reply copied
 * out, the argument copied back.
 *
 * Return: 0, -EFAULT, -EINVAL, -E2BIG, -EMSGSIZE or -ENOMEM
 */
static long mock_floor_copy(void __user *uarg)
{
	struct fwctl_mock_floor arg;
	u32 usize;
	void *buf;
	int ret;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < sizeof(arg))
		return -EINVAL;
	ret = copy_struct_from_user(&arg, sizeof(arg), uarg, usize);
	if (ret)
		return ret;
	if (arg.reserved)
		return -EINVAL;
	if (arg.in_len > FWCTL_RPC_MAX_LEN || arg.out_len > FWCTL_RPC_MAX_LEN)
		return -EMSGSIZE;

	buf = kvmalloc(max3(arg.in_len, arg.out_len, 1U), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	ret = 0;
	if (copy_from_user(buf, u64_to_user_ptr(arg.in), arg.in_len) ||
	    copy_to_user(u64_to_user_ptr(arg.out), buf, arg.out_len) ||
	    copy_to_user(uarg, &arg, sizeof(arg)))
		ret = -EFAULT;
	kvfree(buf);
	return ret;
}

static long mock_floor_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	if (cmd != FWCTL_MOCK_FLOOR_COPY)
		return -ENOTTY;
	return mock_floor_copy((void __user *)arg);
}

static const struct file_operations mock_floor_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = mock_floor_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice mock_floor_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = FWCTL_MOCK_FLOOR_NAME,
	.fops = &mock_floor_fops,
	.mode = 0600,
};

/**
 * mock_destroy_devs - remove the platform devices the module created
 */
static void mock_destroy_devs(void)
{
	int i;

	for (i = MOCK_MAX_DEVS - 1; i >= 0; i--) {
		if (mock_pdevs[i])
			platform_device_unregister(mock_pdevs[i]);
		mock_pdevs[i] = NULL;
	}
}

/**
 * fwctl_mock_init - register the driver and create its devices
 *
 * Return: 0 or a negative errno
 */
static int __init fwctl_mock_init(void)
{
	unsigned int i;
	int ret;

	if (ndevs > MOCK_MAX_DEVS)
		return -EINVAL;

	/* Anything the mock does is a test, not a real device */
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);

	ret = misc_register(&mock_floor_dev);
	if (ret)
		return ret;
	ret = platform_driver_register(&mock_driver);
	if (ret) {
		misc_deregister(&mock_floor_dev);
		return ret;
	}

	for (i = 0; i < ndevs; i++) {
		struct platform_device *pdev;

		pdev = platform_device_register_simple(MOCK_DRV_NAME, i,
						       NULL, 0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			mock_destroy_devs();
			platform_driver_unregister(&mock_driver);
			misc_deregister(&mock_floor_dev);
			return ret;
		}
		mock_pdevs[i] = pdev;
	}
	return 0;
}

/**
 * fwctl_mock_exit - remove the devices and the driver
 */
static void __exit fwctl_mock_exit(void)
{
	mock_destroy_devs();
	platform_driver_unregister(&mock_driver);
	misc_deregister(&mock_floor_dev);
}

module_init(fwctl_mock_init);
module_exit(fwctl_mock_exit);

MODULE_DESCRIPTION("Test-only mock fwctl device");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FWCTL);
