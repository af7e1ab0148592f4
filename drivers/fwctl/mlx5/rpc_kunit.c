// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the mlx5 fwctl driver against a simulated firmware.
 *
 * No emulator of ConnectX firmware exists, so the driver's logic (rpc.c)
 * runs here against a simulation of the firmware command interface in
 * place of mlx5_cmd_do(): it creates and destroys user contexts, answers
 * the commands the allowlist lets through, records every command it gets
 * (counted, the latest kept for the test to inspect) and flags every one a
 * real firmware should never have seen from this driver. Requests go
 * through the fwctl core from user memory, so the core's command-table
 * checks are part of what is tested.
 *
 * The simulation decodes the PRM mailboxes at the byte offsets the PRM
 * gives, not with the driver's layouts, so that a layout mistake in the
 * driver shows up as a wrong field here.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mlx5/device.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <uapi/fwctl/mlx5.h>

#include "../fwctl_internal.h"
#include "mlx5ctl.h"

#define CONF	FWCTL_RPC_CONFIGURATION
#define RO	FWCTL_RPC_DEBUG_READ_ONLY
#define WR	FWCTL_RPC_DEBUG_WRITE
#define FULL	FWCTL_RPC_DEBUG_WRITE_FULL
#define NSCOPES	(FULL + 1)

#define HDR		MLX5CTL_MBOX_HDR_LEN
#define MBOX_MAX	SZ_64K

/* Byte offsets of PRM fields, from the PRM */
#define IN_OPCODE	0	/* be16, every command */
#define IN_UID		2	/* be16, every command */
#define IN_OP_MOD	6	/* be16, every command */
#define OUT_STATUS	0	/* u8, every reply */
#define OUT_SYNDROME	4	/* be32, every reply */
#define CREATE_UCTX_IN_LEN	64
#define CREATE_UCTX_IN_CAP	16	/* be32, uctx.cap */
#define CREATE_UCTX_OUT_UID	10	/* be16 */
#define DESTROY_UCTX_IN_UID	10	/* be16 */

/* A device's uctx_cap: tools resources, RAW_TX and internal resources */
#define DEV_CAPS	(MLX5CTL_UCTX_CAP_TOOLS_RESOURCES | 0x3)

/*
 * The allowlist as fwctl-mlx5.rst documents it, written out again so that
 * changing the driver's table without changing this fails a test.
 */
#define ANY_MOD		-1

struct spec_cmd {
	u16 opcode;
	int op_mod;
	u32 scope;
};

static const struct spec_cmd spec[] = {
	{ MLX5_CMD_OP_NOP, ANY_MOD, CONF },
	{ MLX5_CMD_OP_QUERY_HCA_CAP, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_ADAPTER, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_ISSI, ANY_MOD, RO },
	{ 0x10e /* QUERY_OTHER_HCA_CAP */, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_ESW_FUNCTIONS, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_VPORT_STATE, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_ESW_VPORT_CONTEXT, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_NIC_VPORT_CONTEXT, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_ROCE_ADDRESS, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_HCA_VPORT_CONTEXT, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_HCA_VPORT_GID, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_HCA_VPORT_PKEY, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_VNIC_ENV, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_MAD_DEMUX, ANY_MOD, RO },
	{ 0x819 /* QUERY_DIAGNOSTIC_PARAMS */, ANY_MOD, RO },
	{ 0x821 /* QUERY_DIAGNOSTIC_COUNTERS */, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_CONG_STATUS, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_CONG_PARAMS, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_WOL_ROL, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_LAG, ANY_MOD, RO },
	{ MLX5_CMD_OP_QUERY_VHCA_STATE, ANY_MOD, RO },
	{ MLX5_CMD_OPCODE_QUERY_VUID, ANY_MOD, RO },
	{ MLX5_CMD_OP_ACCESS_REG, 1 /* read */, RO },
	{ 0x820 /* SET_DIAGNOSTIC_PARAMS */, ANY_MOD, WR },
	{ MLX5_CMD_OP_ACCESS_REG, 0 /* write */, FULL },
};

/* Commands that create or destroy firmware objects or the function itself */
static const u16 object_opcodes[] = {
	MLX5_CMD_OP_INIT_HCA, MLX5_CMD_OP_TEARDOWN_HCA,
	MLX5_CMD_OP_ENABLE_HCA, MLX5_CMD_OP_DISABLE_HCA,
	MLX5_CMD_OP_MANAGE_PAGES, MLX5_CMD_OP_ALLOC_SF,
	MLX5_CMD_OP_DEALLOC_SF, MLX5_CMD_OP_CREATE_MKEY,
	MLX5_CMD_OP_DESTROY_MKEY, MLX5_CMD_OP_ALLOC_MEMIC,
	MLX5_CMD_OP_CREATE_EQ, MLX5_CMD_OP_DESTROY_EQ,
	MLX5_CMD_OP_CREATE_CQ, MLX5_CMD_OP_DESTROY_CQ,
	MLX5_CMD_OP_CREATE_QP, MLX5_CMD_OP_DESTROY_QP,
	MLX5_CMD_OP_CREATE_PSV, MLX5_CMD_OP_CREATE_SRQ,
	MLX5_CMD_OP_CREATE_XRC_SRQ, MLX5_CMD_OP_CREATE_DCT,
	MLX5_CMD_OP_CREATE_XRQ, MLX5_CMD_OP_ALLOC_Q_COUNTER,
	MLX5_CMD_OP_CREATE_SCHEDULING_ELEMENT,
	MLX5_CMD_OP_CREATE_QOS_PARA_VPORT, MLX5_CMD_OP_ALLOC_PD,
	MLX5_CMD_OP_ALLOC_UAR, MLX5_CMD_OP_ALLOC_XRCD,
	MLX5_CMD_OP_ALLOC_TRANSPORT_DOMAIN, MLX5_CMD_OP_CREATE_LAG,
	MLX5_CMD_OP_CREATE_VPORT_LAG, MLX5_CMD_OP_CREATE_TIR,
	MLX5_CMD_OP_CREATE_SQ, MLX5_CMD_OP_CREATE_RQ,
	MLX5_CMD_OP_CREATE_RMP, MLX5_CMD_OP_CREATE_TIS,
	MLX5_CMD_OP_CREATE_RQT, MLX5_CMD_OP_CREATE_FLOW_TABLE,
	MLX5_CMD_OP_CREATE_FLOW_GROUP, MLX5_CMD_OP_SET_FLOW_TABLE_ENTRY,
	MLX5_CMD_OP_ALLOC_FLOW_COUNTER,
	MLX5_CMD_OP_ALLOC_PACKET_REFORMAT_CONTEXT,
	MLX5_CMD_OP_ALLOC_MODIFY_HEADER_CONTEXT, MLX5_CMD_OP_FPGA_CREATE_QP,
	MLX5_CMD_OP_CREATE_GENERAL_OBJECT,
	MLX5_CMD_OP_DESTROY_GENERAL_OBJECT, MLX5_CMD_OP_CREATE_UCTX,
	MLX5_CMD_OP_DESTROY_UCTX, MLX5_CMD_OP_CREATE_UMEM,
	MLX5_CMD_OP_DESTROY_UMEM,
};

static const struct spec_cmd *spec_find(u16 opcode, u16 op_mod)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(spec); i++)
		if (spec[i].opcode == opcode &&
		    (spec[i].op_mod == ANY_MOD || spec[i].op_mod == op_mod))
			return &spec[i];
	return NULL;
}

static bool spec_has_opcode(u16 opcode)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(spec); i++)
		if (spec[i].opcode == opcode)
			return true;
	return false;
}

/* The simulated firmware */

#define SIM_MAX_UCTX	64
#define SIM_LOG_LEN	16
#define SIM_HEAD_LEN	32

/**
 * struct sim_rec - one command as the simulated firmware got it
 * @opcode: opcode of the header
 * @uid: uid of the header
 * @op_mod: op_mod of the header
 * @in_size: length of the input mailbox
 * @out_size: length of the output mailbox
 * @head: the first %SIM_HEAD_LEN bytes of the input, zero-padded
 */
struct sim_rec {
	u16 opcode;
	u16 uid;
	u16 op_mod;
	int in_size;
	int out_size;
	u8 head[SIM_HEAD_LEN];
};

/**
 * struct sim_fw - a simulated firmware command interface
 * @lock: serializes the commands, which the driver sends concurrently
 * @exec_err: when non-zero, every command fails with it, not executed
 * @status: status of the reply to any command but the uctx ones
 * @syndrome: syndrome going with @status
 * @create_status: status of the reply to CREATE_UCTX
 * @create_uid_zero: CREATE_UCTX answers uid 0
 * @destroy_status: status of the reply to DESTROY_UCTX
 * @dev_caps: the uctx_cap the device reports
 * @test: the test the firmware belongs to
 * @live_ok: the test expects user contexts to outlive the device
 * @next_uid: the uid the next user context gets
 * @uids: uids of the live user contexts, 0 for a free slot
 * @caps: capabilities each live user context was created with
 * @nlive: number of live user contexts
 * @ncreate: user contexts created
 * @ndestroy: user contexts destroyed
 * @ncmds: commands received, rejected ones included
 * @nrpc: commands received other than CREATE_UCTX and DESTROY_UCTX
 * @nbad: commands this driver should never have sent
 * @why: what was wrong with the first of them
 * @log: the last %SIM_LOG_LEN commands, @ncmds % %SIM_LOG_LEN the next slot
 * @last_rpc: the last command other than CREATE_UCTX and DESTROY_UCTX
 */
struct sim_fw {
	/* Serializes the commands, which the driver sends concurrently */
	struct mutex lock;
	int exec_err;
	u8 status;
	u32 syndrome;
	u8 create_status;
	bool create_uid_zero;
	u8 destroy_status;
	u32 dev_caps;
	struct kunit *test;
	bool live_ok;

	u16 next_uid;
	u16 uids[SIM_MAX_UCTX];
	u32 caps[SIM_MAX_UCTX];
	unsigned int nlive;
	unsigned int ncreate;
	unsigned int ndestroy;
	unsigned int ncmds;
	unsigned int nrpc;
	unsigned int nbad;
	const char *why;
	struct sim_rec log[SIM_LOG_LEN];
	struct sim_rec last_rpc;
};

static void sim_bad(struct sim_fw *sim, const char *why)
{
	lockdep_assert_held(&sim->lock);
	if (!sim->nbad++)
		sim->why = why;
}

static int sim_slot(struct sim_fw *sim, u16 uid)
{
	int i;

	for (i = 0; i != SIM_MAX_UCTX; i++)
		if (sim->uids[i] == uid)
			return i;
	return -1;
}

static int sim_fail(u8 *out, u8 status, u32 syndrome)
{
	out[OUT_STATUS] = status;
	put_unaligned_be32(syndrome, out + OUT_SYNDROME);
	return -EREMOTEIO;
}

/* The reply byte @i of a query, after the header */
static u8 sim_reply_byte(u16 opcode, size_t i)
{
	return (u8)(opcode ^ (i * 11)) | 0x80;
}

static int sim_create_uctx(struct sim_fw *sim, u8 *in, int in_size, u8 *out)
{
	u32 cap;
	int slot;

	if (in_size < CREATE_UCTX_IN_LEN) {
		sim_bad(sim, "short CREATE_UCTX");
		return sim_fail(out, MLX5_CMD_STAT_BAD_INP_LEN_ERR, 0);
	}
	cap = get_unaligned_be32(in + CREATE_UCTX_IN_CAP);
	if (cap & ~sim->dev_caps) {
		sim_bad(sim, "CREATE_UCTX with a capability the device lacks");
		return sim_fail(out, MLX5_CMD_STAT_BAD_PARAM_ERR, 0);
	}
	if (sim->create_status)
		return sim_fail(out, sim->create_status, 0xc1ea7e);
	if (sim->create_uid_zero)
		return 0;

	slot = sim_slot(sim, 0);
	if (slot < 0)
		return sim_fail(out, MLX5_CMD_STAT_LIM_ERR, 0x1100);
	/* Both bytes change from one uid to the next: a swap shows */
	do {
		sim->next_uid += 0x0101;
	} while (!sim->next_uid || sim_slot(sim, sim->next_uid) >= 0);
	sim->uids[slot] = sim->next_uid;
	sim->caps[slot] = cap;
	sim->nlive++;
	sim->ncreate++;
	put_unaligned_be16(sim->next_uid, out + CREATE_UCTX_OUT_UID);
	return 0;
}

static int sim_destroy_uctx(struct sim_fw *sim, u8 *in, u8 *out)
{
	u16 uid = get_unaligned_be16(in + DESTROY_UCTX_IN_UID);
	int slot = uid ? sim_slot(sim, uid) : -1;

	if (slot < 0) {
		sim_bad(sim, "DESTROY_UCTX of no live user context");
		return sim_fail(out, MLX5_CMD_STAT_BAD_RES_ERR, 0xdead);
	}
	if (sim->destroy_status)
		return sim_fail(out, sim->destroy_status, 0xd0);
	sim->uids[slot] = 0;
	sim->nlive--;
	sim->ndestroy++;
	return 0;
}

static int sim_exec(struct mlx5ctl_dev *mcdev, void *in, int in_size,
		    void *out, int out_size)
{
	struct sim_fw *sim = mcdev->cmd_priv;
	struct sim_rec *rec;
	u16 opcode, uid;
	int i;

	guard(mutex)(&sim->lock);
	rec = &sim->log[sim->ncmds++ % SIM_LOG_LEN];
	memset(rec, 0, sizeof(*rec));
	rec->in_size = in_size;
	rec->out_size = out_size;
	if (in_size < HDR || out_size < HDR) {
		sim_bad(sim, "mailbox shorter than its header");
		return -EINVAL;
	}
	opcode = get_unaligned_be16(in + IN_OPCODE);
	uid = get_unaligned_be16(in + IN_UID);
	rec->opcode = opcode;
	rec->uid = uid;
	rec->op_mod = get_unaligned_be16(in + IN_OP_MOD);
	memcpy(rec->head, in, min(in_size, SIM_HEAD_LEN));

	if (sim->exec_err)
		return sim->exec_err;
	memset(out, 0, out_size);

	if (opcode == MLX5_CMD_OP_CREATE_UCTX ||
	    opcode == MLX5_CMD_OP_DESTROY_UCTX) {
		/* The driver's own commands run in the kernel's context */
		if (uid)
			sim_bad(sim, "user context command sent with a uid");
		if (opcode == MLX5_CMD_OP_CREATE_UCTX)
			return sim_create_uctx(sim, in, in_size, out);
		return sim_destroy_uctx(sim, in, out);
	}

	sim->nrpc++;
	sim->last_rpc = *rec;
	if (!spec_find(opcode, rec->op_mod)) {
		sim_bad(sim, "command outside the allowlist");
		return sim_fail(out, MLX5_CMD_STAT_BAD_OP_ERR, 0xbad);
	}
	if (!uid || sim_slot(sim, uid) < 0) {
		sim_bad(sim, "command without a live user context");
		return sim_fail(out, MLX5_CMD_STAT_BAD_RES_ERR, 0x0);
	}
	if (sim->status)
		return sim_fail(out, sim->status, sim->syndrome);
	for (i = HDR; i < out_size; i++)
		((u8 *)out)[i] = sim_reply_byte(opcode, i);
	return 0;
}

static const struct mlx5ctl_cmd_ops sim_cmd_ops = {
	.exec = sim_exec,
};

/* The simulated firmware behind an open file */
static struct sim_fw *uctx_sim(struct fwctl_uctx *uctx)
{
	return container_of(uctx->fwctl, struct mlx5ctl_dev, fwctl)->cmd_priv;
}

static struct sim_rec sim_last(struct sim_fw *sim)
{
	guard(mutex)(&sim->lock);
	return sim->log[(sim->ncmds + SIM_LOG_LEN - 1) % SIM_LOG_LEN];
}

static struct sim_rec sim_last_rpc(struct sim_fw *sim)
{
	guard(mutex)(&sim->lock);
	return sim->last_rpc;
}

static unsigned int sim_ncmds(struct sim_fw *sim)
{
	guard(mutex)(&sim->lock);
	return sim->ncmds;
}

/*
 * Runs once the test's device is unregistered and put and its files are
 * closed: no command may have been out of place, and no user context may
 * be left behind.
 */
static void sim_final_check(void *data)
{
	struct sim_fw *sim = data;

	KUNIT_EXPECT_EQ_MSG(sim->test, sim->nbad, 0,
			    "the firmware got %u bad commands, the first: %s",
			    sim->nbad, sim->why ?: "-");
	if (!sim->live_ok)
		KUNIT_EXPECT_EQ_MSG(sim->test, sim->nlive, 0,
				    "user contexts leaked");
}

/* The test's device, files and user memory */

/*
 * User memory: the ioctl argument in the first page, then the request, then
 * the reply buffer.
 */
#define UM_IN_OFF	PAGE_SIZE
#define UM_IN_MAX	(MBOX_MAX + PAGE_SIZE)
#define UM_OUT_OFF	(UM_IN_OFF + UM_IN_MAX)
#define UM_OUT_MAX	(2 * MBOX_MAX)
#define UM_LEN		(UM_OUT_OFF + UM_OUT_MAX)
#define UM_GUARD	0xa5

/**
 * struct mxt - one test's fixture
 * @parent: parent of the fwctl devices
 * @sim: the simulated firmware
 * @mcdev: the driver's device, registered on @sim
 * @umem: user memory, %UM_LEN bytes
 * @kbuf: a kernel buffer of %UM_OUT_MAX bytes
 */
struct mxt {
	struct device *parent;
	struct sim_fw *sim;
	struct mlx5ctl_dev *mcdev;
	u8 __user *umem;
	u8 *kbuf;
};

static void mxt_put_action(void *data)
{
	struct mlx5ctl_dev *mcdev = data;

	fwctl_put(&mcdev->fwctl);
}

static void mxt_unregister_action(void *data)
{
	struct mlx5ctl_dev *mcdev = data;

	fwctl_unregister(&mcdev->fwctl);
}

static void mxt_close_action(void *data)
{
	fwctl_uctx_release(data);
}

static struct sim_fw *mxt_sim(struct kunit *test, u32 dev_caps)
{
	struct sim_fw *sim = kunit_kzalloc(test, sizeof(*sim), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sim);
	mutex_init(&sim->lock);
	sim->dev_caps = dev_caps;
	sim->test = test;
	sim->next_uid = 0x0001;
	/* Added before the device's actions, so it runs after them */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sim_final_check,
							sim), 0);
	return sim;
}

/* A registered device on a new simulated firmware */
static struct mlx5ctl_dev *mxt_device(struct kunit *test, struct sim_fw *sim)
{
	struct mxt *mt = test->priv;
	struct mlx5ctl_dev *mcdev;
	int ret;

	mcdev = mlx5ctl_dev_alloc(mt->parent, &sim_cmd_ops, sim, sim->dev_caps);
	KUNIT_ASSERT_NOT_NULL(test, mcdev);
	ret = kunit_add_action_or_reset(test, mxt_put_action, mcdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, fwctl_register(&mcdev->fwctl), 0);
	ret = kunit_add_action_or_reset(test, mxt_unregister_action, mcdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return mcdev;
}

static void mxt_unregister(struct kunit *test, struct mlx5ctl_dev *mcdev)
{
	kunit_release_action(test, mxt_unregister_action, mcdev);
}

static struct fwctl_uctx *mxt_open(struct kunit *test,
				   struct mlx5ctl_dev *mcdev)
{
	struct fwctl_uctx *uctx;
	int ret;

	uctx = fwctl_uctx_open(&mcdev->fwctl);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, uctx);
	ret = kunit_add_action_or_reset(test, mxt_close_action, uctx);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return uctx;
}

static void mxt_close(struct kunit *test, struct fwctl_uctx *uctx)
{
	kunit_release_action(test, mxt_close_action, uctx);
}

static int mxt_init(struct kunit *test)
{
	struct mxt *mt;
	unsigned long addr;

	mt = kunit_kzalloc(test, sizeof(*mt), GFP_KERNEL);
	if (!mt)
		return -ENOMEM;
	mt->kbuf = kunit_kzalloc(test, UM_OUT_MAX, GFP_KERNEL);
	if (!mt->kbuf)
		return -ENOMEM;
	mt->parent = kunit_device_register(test, "mlx5-fwctl-kunit");
	if (IS_ERR(mt->parent))
		return PTR_ERR(mt->parent);
	addr = kunit_vm_mmap(test, NULL, 0, UM_LEN, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr) || !addr)
		return -ENOMEM;
	mt->umem = (u8 __user *)addr;
	test->priv = mt;

	mt->sim = mxt_sim(test, DEV_CAPS);
	mt->mcdev = mxt_device(test, mt->sim);
	return 0;
}

/* A request of @len bytes: the header, then a pattern that is never 0 */
static void mxt_req(u8 *req, size_t len, u16 opcode, u16 uid, u16 op_mod)
{
	size_t i;

	for (i = 0; i != len; i++)
		req[i] = (u8)(i * 7) | 1;
	put_unaligned_be16(opcode, req + IN_OPCODE);
	put_unaligned_be16(uid, req + IN_UID);
	put_unaligned_be16(op_mod, req + IN_OP_MOD);
}

/*
 * FWCTL_RPC from user memory: the request in @req (@in_len bytes), a reply
 * buffer of @out_len bytes filled with %UM_GUARD. Returns the ioctl's
 * result; *@produced gets the reply length it reports and the reply lands
 * in mt->kbuf.
 */
static long mxt_rpc(struct kunit *test, struct fwctl_uctx *uctx, u32 scope,
		    const u8 *req, u32 in_len, u32 out_len, u32 *produced)
{
	struct mxt *mt = test->priv;
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = scope,
		.in_len = in_len,
		.out_len = out_len,
		.in = (uintptr_t)(mt->umem + UM_IN_OFF),
		.out = (uintptr_t)(mt->umem + UM_OUT_OFF),
	};
	/* Beyond out_len too, to see that nothing is written there */
	size_t ulen = min_t(size_t, (size_t)out_len + 64, UM_OUT_MAX);
	long ret;

	KUNIT_ASSERT_LE(test, in_len, UM_IN_MAX);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem + UM_IN_OFF, req, in_len), 0);
	memset(mt->kbuf, UM_GUARD, ulen);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem + UM_OUT_OFF, mt->kbuf, ulen), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem, &rpc, sizeof(rpc)), 0);

	ret = fwctl_uctx_ioctl(uctx, FWCTL_RPC, (unsigned long)mt->umem);

	KUNIT_ASSERT_EQ(test, copy_from_user(&rpc, mt->umem, sizeof(rpc)), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(mt->kbuf, mt->umem + UM_OUT_OFF, ulen), 0);
	if (produced)
		*produced = rpc.out_len;
	return ret;
}

/* A request of @in_len bytes that must be refused with @err */
static void mxt_rpc_refused(struct kunit *test, struct fwctl_uctx *uctx,
			    u32 scope, u16 opcode, u16 op_mod, u32 in_len,
			    u32 out_len, long err)
{
	struct sim_fw *sim = uctx_sim(uctx);
	unsigned int ncmds = sim_ncmds(sim);
	u32 len = max_t(u32, in_len, HDR);
	u8 *req = kunit_kzalloc(test, len, GFP_KERNEL);
	long ret;

	KUNIT_ASSERT_NOT_NULL(test, req);
	/* A short request is the start of a good one */
	mxt_req(req, len, opcode, 0, op_mod);
	ret = mxt_rpc(test, uctx, scope, req, in_len, out_len, NULL);
	KUNIT_EXPECT_EQ_MSG(test, ret, err,
			    "opcode %#x op_mod %#x scope %u in %u out %u",
			    opcode, op_mod, scope, in_len, out_len);
	KUNIT_EXPECT_EQ(test, sim_ncmds(sim), ncmds);
	kunit_kfree(test, req);
}

static struct fwctl_info_mlx5 mxt_info(struct kunit *test,
				       struct fwctl_uctx *uctx)
{
	struct mxt *mt = test->priv;
	struct fwctl_info_mlx5 data = {};
	struct fwctl_info info = {
		.size = sizeof(info),
		.device_data_len = sizeof(data),
		.out_device_data = (uintptr_t)(mt->umem + UM_OUT_OFF),
	};

	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem, &info, sizeof(info)), 0);
	KUNIT_ASSERT_EQ(test, fwctl_uctx_ioctl(uctx, FWCTL_INFO,
					       (unsigned long)mt->umem), 0);
	KUNIT_ASSERT_EQ(test, copy_from_user(&info, mt->umem, sizeof(info)), 0);
	KUNIT_EXPECT_EQ(test, info.out_device_type, FWCTL_DEVICE_TYPE_MLX5);
	KUNIT_EXPECT_EQ(test, info.device_data_len, sizeof(data));
	KUNIT_ASSERT_EQ(test, copy_from_user(&data, mt->umem + UM_OUT_OFF,
					     sizeof(data)), 0);
	return data;
}

/* The uid of an open file, as FWCTL_INFO reports it */
static u16 mxt_uid(struct kunit *test, struct fwctl_uctx *uctx)
{
	struct fwctl_info_mlx5 info = mxt_info(test, uctx);

	KUNIT_EXPECT_NE(test, info.uid, 0);
	KUNIT_EXPECT_LE(test, info.uid, U16_MAX);
	return info.uid;
}

/*
 * Sends a command that must be delivered and checks what the firmware got:
 * the file's uid in the header, everything else as sent.
 */
static void mxt_rpc_stamped(struct kunit *test, struct fwctl_uctx *uctx,
			    u32 scope, u16 opcode, u16 sent_uid, u16 op_mod,
			    u16 want_uid)
{
	struct mxt *mt = test->priv;
	struct sim_fw *sim = uctx_sim(uctx);
	/* NOP takes nothing beyond its header */
	u32 in_len = opcode == MLX5_CMD_OP_NOP ? HDR : SIM_HEAD_LEN;
	u8 req[SIM_HEAD_LEN];
	struct sim_rec rec;
	unsigned int nrpc = sim->nrpc;
	u32 produced;
	long ret;

	mxt_req(req, in_len, opcode, sent_uid, op_mod);
	ret = mxt_rpc(test, uctx, scope, req, in_len, 64, &produced);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "opcode %#x op_mod %#x scope %u",
			    opcode, op_mod, scope);
	KUNIT_ASSERT_EQ(test, sim->nrpc, nrpc + 1);

	rec = sim_last_rpc(sim);
	KUNIT_EXPECT_EQ(test, rec.opcode, opcode);
	KUNIT_EXPECT_EQ(test, rec.op_mod, op_mod);
	KUNIT_EXPECT_EQ_MSG(test, rec.uid, want_uid, "opcode %#x sent with uid %#x",
			    opcode, sent_uid);
	KUNIT_EXPECT_EQ(test, rec.in_size, in_len);
	/* Only the uid changes on the way */
	put_unaligned_be16(want_uid, req + IN_UID);
	KUNIT_EXPECT_MEMEQ(test, rec.head, req, in_len);

	/* The reply is the firmware's, of the length the firmware was given */
	KUNIT_EXPECT_EQ(test, produced, rec.out_size);
	KUNIT_EXPECT_EQ(test, mt->kbuf[OUT_STATUS], 0);
	if (produced > HDR)
		KUNIT_EXPECT_EQ(test, mt->kbuf[HDR], sim_reply_byte(opcode, HDR));
}

/* Test cases */

/* The table the core checks is exactly the documented allowlist */
static void mlx5_table_matches_spec_test(struct kunit *test)
{
	const struct fwctl_cmd_table *t = &mlx5ctl_cmd_table;
	unsigned int i, j;

	KUNIT_EXPECT_EQ(test, t->num_cmds, ARRAY_SIZE(spec));
	KUNIT_EXPECT_EQ(test, t->id.offset, IN_OPCODE);
	KUNIT_EXPECT_EQ(test, t->id.width, 2);
	KUNIT_EXPECT_EQ(test, t->id.flags, FWCTL_FIELD_BE);
	KUNIT_EXPECT_EQ(test, t->mod.offset, IN_OP_MOD);
	KUNIT_EXPECT_EQ(test, t->mod.width, 2);
	KUNIT_EXPECT_EQ(test, t->mod.flags, FWCTL_FIELD_BE);

	for (i = 0; i != t->num_cmds; i++) {
		const struct fwctl_cmd *c = &t->cmds[i];
		bool found = false;

		for (j = 0; j != ARRAY_SIZE(spec); j++) {
			bool mod = c->flags & FWCTL_CMD_MATCH_MOD;
			bool spec_mod = spec[j].op_mod != ANY_MOD;

			if (spec[j].opcode != c->id || mod != spec_mod)
				continue;
			if (mod && spec[j].op_mod != c->mod)
				continue;
			KUNIT_EXPECT_EQ_MSG(test, c->scope, spec[j].scope,
					    "%s", c->name);
			found = true;
		}
		KUNIT_EXPECT_TRUE_MSG(test, found, "%s is not documented",
				      c->name);

		/* Both headers, always; no entry shadows a later one */
		KUNIT_EXPECT_GE_MSG(test, c->in_min, HDR, "%s", c->name);
		KUNIT_EXPECT_GE_MSG(test, c->out_min, HDR, "%s", c->name);
		KUNIT_EXPECT_GE_MSG(test, c->in_max, c->in_min, "%s", c->name);
		KUNIT_EXPECT_GE_MSG(test, c->out_max, c->out_min, "%s", c->name);
		KUNIT_EXPECT_LE_MSG(test, c->out_max, MBOX_MAX, "%s", c->name);
		KUNIT_EXPECT_NOT_NULL(test, c->name);
		for (j = 0; j != i; j++)
			KUNIT_EXPECT_FALSE_MSG(test, t->cmds[j].id == c->id &&
					       (!(t->cmds[j].flags & FWCTL_CMD_MATCH_MOD) ||
						t->cmds[j].mod == c->mod),
					       "%s is shadowed", c->name);
	}
}

/* Nothing that creates or destroys a firmware object is let through */
static void mlx5_no_object_commands_test(struct kunit *test)
{
	static const u16 mods[] = { 0, 1, 2, 0xffff };
	unsigned int i, j;
	u8 req[HDR];

	for (i = 0; i != ARRAY_SIZE(object_opcodes); i++) {
		for (j = 0; j != ARRAY_SIZE(mods); j++) {
			mxt_req(req, sizeof(req), object_opcodes[i], 0, mods[j]);
			KUNIT_EXPECT_NULL_MSG(test,
					      fwctl_cmd_find(&mlx5ctl_cmd_table,
							     req, sizeof(req)),
					      "opcode %#x", object_opcodes[i]);
		}
	}
}

/* Opening creates a user context with the tools capability, INFO shows it */
static void mlx5_open_info_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx;
	struct fwctl_info_mlx5 info;
	struct sim_rec rec;

	uctx = mxt_open(test, mt->mcdev);
	KUNIT_EXPECT_EQ(test, mt->sim->ncreate, 1);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 1);

	rec = sim_last(mt->sim);
	KUNIT_EXPECT_EQ(test, rec.opcode, MLX5_CMD_OP_CREATE_UCTX);
	KUNIT_EXPECT_EQ(test, rec.uid, 0);
	KUNIT_EXPECT_GE(test, rec.in_size, CREATE_UCTX_IN_LEN);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(rec.head + CREATE_UCTX_IN_CAP),
			MLX5CTL_UCTX_CAP_TOOLS_RESOURCES);
	KUNIT_EXPECT_EQ(test, mt->sim->caps[0], MLX5CTL_UCTX_CAP_TOOLS_RESOURCES);

	info = mxt_info(test, uctx);
	KUNIT_EXPECT_EQ(test, info.uid, mt->sim->uids[0]);
	KUNIT_EXPECT_EQ(test, info.uctx_caps, MLX5CTL_UCTX_CAP_TOOLS_RESOURCES);
	/* INFO is answered by the driver, not the firmware */
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), 1);
}

/* Without the tools capability the context is created with none */
static void mlx5_open_no_tools_cap_test(struct kunit *test)
{
	struct sim_fw *sim = mxt_sim(test, 0x3);
	struct mlx5ctl_dev *mcdev = mxt_device(test, sim);
	struct fwctl_uctx *uctx = mxt_open(test, mcdev);
	struct fwctl_info_mlx5 info;

	KUNIT_EXPECT_EQ(test, get_unaligned_be32(sim_last(sim).head +
						 CREATE_UCTX_IN_CAP), 0);
	info = mxt_info(test, uctx);
	KUNIT_EXPECT_EQ(test, info.uctx_caps, 0);
	mxt_rpc_stamped(test, uctx, RO, MLX5_CMD_OP_QUERY_HCA_CAP, 0, 0, info.uid);
	mxt_close(test, uctx);
	KUNIT_EXPECT_EQ(test, sim->nlive, 0);
}

/* Every command in the table reaches the firmware with the file's uid */
static void mlx5_uid_stamping_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *a = mxt_open(test, mt->mcdev);
	struct fwctl_uctx *b = mxt_open(test, mt->mcdev);
	u16 uid_a = mxt_uid(test, a), uid_b = mxt_uid(test, b);
	const u16 forged[] = { 0, 1, 0xffff, uid_a, uid_b };
	unsigned int i, j;

	KUNIT_ASSERT_NE(test, uid_a, uid_b);
	for (i = 0; i != ARRAY_SIZE(spec); i++) {
		u16 mod = spec[i].op_mod == ANY_MOD ? 0x5a : spec[i].op_mod;

		for (j = 0; j != ARRAY_SIZE(forged); j++) {
			mxt_rpc_stamped(test, a, FULL, spec[i].opcode, forged[j],
					mod, uid_a);
			mxt_rpc_stamped(test, b, FULL, spec[i].opcode, forged[j],
					mod, uid_b);
		}
	}
	KUNIT_EXPECT_EQ(test, mt->sim->nrpc, 2 * ARRAY_SIZE(spec) *
			ARRAY_SIZE(forged));
}

/* Every table entry at every scope: delivered at its scope and above only */
static void mlx5_scope_matrix_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	u16 uid = mxt_uid(test, uctx);
	static const u16 any_mods[] = { 0, 1, 0x1234 };
	unsigned int i, j, delivered = 0;
	u32 scope;

	for (i = 0; i != ARRAY_SIZE(spec); i++) {
		for (j = 0; j != ARRAY_SIZE(any_mods); j++) {
			u16 mod = spec[i].op_mod == ANY_MOD ? any_mods[j] :
				  spec[i].op_mod;
			u32 in_len = spec[i].opcode == MLX5_CMD_OP_NOP ? HDR :
				     SIM_HEAD_LEN;

			for (scope = 0; scope != NSCOPES; scope++) {
				u8 req[SIM_HEAD_LEN];
				u32 produced;
				long ret;

				if (scope < spec[i].scope) {
					mxt_rpc_refused(test, uctx, scope,
							spec[i].opcode, mod,
							in_len, 64, -EPERM);
					continue;
				}
				mxt_req(req, in_len, spec[i].opcode, 0, mod);
				ret = mxt_rpc(test, uctx, scope, req, in_len, 64,
					      &produced);
				KUNIT_EXPECT_EQ_MSG(test, ret, 0,
						    "opcode %#x op_mod %#x scope %u",
						    spec[i].opcode, mod, scope);
				KUNIT_EXPECT_EQ(test, sim_last_rpc(mt->sim).uid,
						uid);
				KUNIT_EXPECT_EQ(test, sim_last_rpc(mt->sim).opcode,
						spec[i].opcode);
				delivered++;
			}
			if (spec[i].op_mod != ANY_MOD)
				break;
		}
	}
	KUNIT_EXPECT_EQ(test, mt->sim->nrpc, delivered);
}

/* No other opcode, nor ACCESS_REG with another op_mod, at any scope */
static void mlx5_unknown_commands_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.in_len = HDR,
		.out_len = HDR,
		.in = (uintptr_t)(mt->umem + UM_IN_OFF),
		.out = (uintptr_t)(mt->umem + UM_OUT_OFF),
	};
	unsigned int ncmds = sim_ncmds(mt->sim), wrong = 0, tried = 0;
	u8 req[HDR];
	u32 key;

	mxt_req(req, sizeof(req), 0, 0, 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem + UM_IN_OFF, req, HDR), 0);

	/* Every 16-bit opcode not in the table, then every other op_mod */
	for (key = 0; key <= 2 * U16_MAX + 1; key++) {
		bool by_mod = key > U16_MAX;
		u16 opcode = by_mod ? MLX5_CMD_OP_ACCESS_REG : key;
		u16 op_mod = by_mod ? key - U16_MAX - 1 : 0;

		if (by_mod ? !!spec_find(opcode, op_mod) :
			     spec_has_opcode(opcode))
			continue;
		put_unaligned_be16(opcode, req + IN_OPCODE);
		put_unaligned_be16(op_mod, req + IN_OP_MOD);
		KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem + UM_IN_OFF, req,
						   IN_OP_MOD + 2), 0);
		for (rpc.scope = 0; rpc.scope != NSCOPES; rpc.scope++) {
			long ret;

			KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem, &rpc,
							   sizeof(rpc)), 0);
			ret = fwctl_uctx_ioctl(uctx, FWCTL_RPC,
					       (unsigned long)mt->umem);
			tried++;
			if (ret != -EOPNOTSUPP && !wrong++)
				KUNIT_FAIL(test, "opcode %#x op_mod %#x scope %u: %ld",
					   opcode, op_mod, rpc.scope, ret);
		}
	}
	KUNIT_EXPECT_EQ(test, wrong, 0);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), ncmds);
	kunit_info(test, "%u requests of unknown commands refused\n", tried);
}

/* In and out must hold the 16-byte headers; the table's maxima hold */
static void mlx5_header_lengths_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	u16 cap = MLX5_CMD_OP_QUERY_HCA_CAP, nop = MLX5_CMD_OP_NOP;
	u8 *req = kunit_kzalloc(test, MBOX_MAX + 1, GFP_KERNEL);
	u32 len, produced;

	KUNIT_ASSERT_NOT_NULL(test, req);
	for (len = 0; len != HDR; len++) {
		mxt_rpc_refused(test, uctx, FULL, cap, 0, len, 64, -EINVAL);
		mxt_rpc_refused(test, uctx, FULL, cap, 0, 64, len, -EINVAL);
		mxt_rpc_refused(test, uctx, FULL, nop, 0, len, HDR, -EINVAL);
		mxt_rpc_refused(test, uctx, FULL, nop, 0, HDR, len, -EINVAL);
	}

	/* Exactly the headers */
	mxt_req(req, HDR, cap, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, HDR, HDR, &produced), 0);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).in_size, HDR);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).out_size, HDR);
	KUNIT_EXPECT_EQ(test, produced, HDR);
	mxt_req(req, HDR, nop, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, CONF, req, HDR, HDR, &produced), 0);
	KUNIT_EXPECT_EQ(test, produced, HDR);

	/* NOP carries nothing but its header, and answers nothing more */
	mxt_rpc_refused(test, uctx, FULL, nop, 0, HDR + 1, HDR, -EINVAL);
	mxt_req(req, HDR, nop, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, CONF, req, HDR, 4096, &produced), 0);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).out_size, HDR);
	KUNIT_EXPECT_EQ(test, produced, HDR);

	/* The largest request; one byte more is refused */
	mxt_req(req, MBOX_MAX, cap, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, MBOX_MAX, HDR,
				      &produced), 0);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).in_size, MBOX_MAX);
	mxt_rpc_refused(test, uctx, FULL, cap, 0, MBOX_MAX + 1, HDR, -EINVAL);

	/* Whatever buffer user space offers, the firmware gets at most this */
	mxt_req(req, HDR, cap, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, HDR,
				      FWCTL_RPC_MAX_LEN, &produced), 0);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).out_size, MBOX_MAX);
	KUNIT_EXPECT_EQ(test, produced, MBOX_MAX);
	KUNIT_EXPECT_EQ(test, mt->kbuf[MBOX_MAX - 1],
			sim_reply_byte(cap, MBOX_MAX - 1));
	KUNIT_EXPECT_EQ(test, mt->kbuf[MBOX_MAX], UM_GUARD);

	/* A short buffer gets the start of the reply and its full length */
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, 64, 32, &produced), 0);
	KUNIT_EXPECT_EQ(test, produced, 64);
	KUNIT_EXPECT_EQ(test, mt->kbuf[31], sim_reply_byte(cap, 31));
	KUNIT_EXPECT_EQ(test, mt->kbuf[32], UM_GUARD);
}

/* A firmware failure status is a delivered RPC, with the status in out */
static void mlx5_firmware_error_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	static const struct { u16 opcode, op_mod; u32 scope; } cmds[] = {
		{ MLX5_CMD_OP_QUERY_HCA_CAP, 0, RO },
		{ MLX5_CMD_OP_ACCESS_REG, 1, RO },
		{ 0x820, 0, WR },
		{ MLX5_CMD_OP_ACCESS_REG, 0, FULL },
	};
	unsigned int i;
	u8 req[HDR];
	u32 produced;

	mt->sim->status = MLX5_CMD_STAT_BAD_PARAM_ERR;
	mt->sim->syndrome = 0x5a5a1234;
	for (i = 0; i != ARRAY_SIZE(cmds); i++) {
		mxt_req(req, sizeof(req), cmds[i].opcode, 0, cmds[i].op_mod);
		KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, cmds[i].scope, req,
					      HDR, 64, &produced), 0);
		KUNIT_EXPECT_EQ(test, produced, 64);
		KUNIT_EXPECT_EQ(test, mt->kbuf[OUT_STATUS],
				MLX5_CMD_STAT_BAD_PARAM_ERR);
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(mt->kbuf + OUT_SYNDROME),
				0x5a5a1234);
	}

	/* And the file goes on once the firmware does */
	mt->sim->status = 0;
	mxt_rpc_stamped(test, uctx, RO, MLX5_CMD_OP_QUERY_HCA_CAP, 0, 0,
			mxt_uid(test, uctx));
}

/* A command the firmware did not execute is an errno, and no reply */
static void mlx5_delivery_error_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	static const int errs[] = { -ETIMEDOUT, -ENXIO, -ENOMEM, -EIO };
	unsigned int i;
	u8 req[HDR];
	u32 produced;

	mxt_req(req, sizeof(req), MLX5_CMD_OP_QUERY_ADAPTER, 0, 0);
	for (i = 0; i != ARRAY_SIZE(errs); i++) {
		mt->sim->exec_err = errs[i];
		KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, HDR, 64,
					      &produced), errs[i]);
		KUNIT_EXPECT_EQ(test, produced, 64);
		KUNIT_EXPECT_EQ(test, mt->kbuf[0], UM_GUARD);
		KUNIT_EXPECT_EQ(test, mt->kbuf[63], UM_GUARD);
	}
	mt->sim->exec_err = 0;
}

/* open, close: one context created, the same one destroyed */
static void mlx5_uctx_open_close_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	u16 uid = mxt_uid(test, uctx);
	struct sim_rec rec;

	mxt_close(test, uctx);
	rec = sim_last(mt->sim);
	KUNIT_EXPECT_EQ(test, rec.opcode, MLX5_CMD_OP_DESTROY_UCTX);
	KUNIT_EXPECT_EQ(test, rec.uid, 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(rec.head + DESTROY_UCTX_IN_UID),
			uid);
	KUNIT_EXPECT_EQ(test, mt->sim->ncreate, 1);
	KUNIT_EXPECT_EQ(test, mt->sim->ndestroy, 1);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 0);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), 2);
}

/* open, unregister, close: destroyed at unregister, once */
static void mlx5_uctx_unregister_first_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	u8 req[HDR];
	unsigned int ncmds;

	mxt_unregister(test, mt->mcdev);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 0);
	KUNIT_EXPECT_EQ(test, mt->sim->ndestroy, 1);
	ncmds = sim_ncmds(mt->sim);

	/* The file stays, the driver is gone */
	mxt_req(req, sizeof(req), MLX5_CMD_OP_QUERY_HCA_CAP, 0, 0);
	KUNIT_EXPECT_EQ(test, mxt_rpc(test, uctx, RO, req, HDR, 64, NULL),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, PTR_ERR(fwctl_uctx_open(&mt->mcdev->fwctl)),
			-ENODEV);
	mxt_close(test, uctx);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), ncmds);
	KUNIT_EXPECT_EQ(test, mt->sim->ndestroy, 1);
}

/* Many files, some closed before unregister, some after */
static void mlx5_uctx_mixed_order_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx[8];
	unsigned int i, ncmds;

	for (i = 0; i != ARRAY_SIZE(uctx); i++)
		uctx[i] = mxt_open(test, mt->mcdev);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, ARRAY_SIZE(uctx));

	/* Not in the order they were opened */
	mxt_close(test, uctx[5]);
	mxt_close(test, uctx[0]);
	mxt_close(test, uctx[7]);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, ARRAY_SIZE(uctx) - 3);

	mxt_unregister(test, mt->mcdev);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 0);
	KUNIT_EXPECT_EQ(test, mt->sim->ndestroy, ARRAY_SIZE(uctx));
	ncmds = sim_ncmds(mt->sim);

	for (i = 1; i != ARRAY_SIZE(uctx) - 1; i++)
		if (i != 5)
			mxt_close(test, uctx[i]);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), ncmds);
}

/* Unregister with nothing open sends nothing */
static void mlx5_uctx_unregister_idle_test(struct kunit *test)
{
	struct mxt *mt = test->priv;

	mxt_close(test, mxt_open(test, mt->mcdev));
	mxt_unregister(test, mt->mcdev);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), 2);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 0);
}

/* A context the firmware does not create fails the open, leaving nothing */
static void mlx5_uctx_create_fails_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_device *fwctl = &mt->mcdev->fwctl;
	struct sim_fw *sim = mt->sim;

	sim->create_status = MLX5_CMD_STAT_LIM_ERR;
	KUNIT_EXPECT_EQ(test, PTR_ERR(fwctl_uctx_open(fwctl)), -ENOSPC);
	sim->create_status = MLX5_CMD_STAT_BAD_PARAM_ERR;
	KUNIT_EXPECT_EQ(test, PTR_ERR(fwctl_uctx_open(fwctl)), -EIO);
	sim->create_status = 0;

	sim->exec_err = -ETIMEDOUT;
	KUNIT_EXPECT_EQ(test, PTR_ERR(fwctl_uctx_open(fwctl)), -ETIMEDOUT);
	sim->exec_err = 0;

	/* uid 0 is the kernel's, never a file's */
	sim->create_uid_zero = true;
	KUNIT_EXPECT_EQ(test, PTR_ERR(fwctl_uctx_open(fwctl)), -EIO);
	sim->create_uid_zero = false;

	KUNIT_EXPECT_EQ(test, sim_ncmds(sim), 4);
	KUNIT_EXPECT_EQ(test, sim->ncreate, 0);
	KUNIT_EXPECT_EQ(test, sim->ndestroy, 0);

	/* The device still works */
	mxt_close(test, mxt_open(test, mt->mcdev));
	KUNIT_EXPECT_EQ(test, sim->nlive, 0);
}

/* A failing DESTROY_UCTX is tried once and the file is closed anyway */
static void mlx5_uctx_destroy_fails_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);

	mt->sim->destroy_status = MLX5_CMD_STAT_INT_ERR;
	mxt_close(test, uctx);
	KUNIT_EXPECT_EQ(test, sim_ncmds(mt->sim), 2);
	KUNIT_EXPECT_EQ(test, sim_last(mt->sim).opcode,
			MLX5_CMD_OP_DESTROY_UCTX);
	/* The firmware still has it: nothing more the driver can do */
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 1);
	mt->sim->live_ok = true;
}

/* Files open at the same time have distinct uids, each on its commands */
static void mlx5_distinct_uids_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx[16];
	u16 uid[ARRAY_SIZE(uctx)];
	unsigned int i, j;

	for (i = 0; i != ARRAY_SIZE(uctx); i++) {
		uctx[i] = mxt_open(test, mt->mcdev);
		uid[i] = mxt_uid(test, uctx[i]);
		for (j = 0; j != i; j++)
			KUNIT_EXPECT_NE(test, uid[i], uid[j]);
	}
	/* Interleaved, newest first */
	for (i = ARRAY_SIZE(uctx); i-- != 0;)
		mxt_rpc_stamped(test, uctx[i], RO, MLX5_CMD_OP_QUERY_ADAPTER,
				uid[(i + 1) % ARRAY_SIZE(uctx)], 0, uid[i]);
	for (i = 0; i != ARRAY_SIZE(uctx); i += 2)
		mxt_close(test, uctx[i]);
	for (i = 1; i < ARRAY_SIZE(uctx); i += 2)
		mxt_rpc_stamped(test, uctx[i], FULL, MLX5_CMD_OP_ACCESS_REG, 0,
				0, uid[i]);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, ARRAY_SIZE(uctx) / 2);
}

/* Files opened and closed from several threads at once */
#define RACE_THREADS	4
#define RACE_ROUNDS	30

/**
 * struct race - files opened and closed from several threads
 * @mcdev: the device
 * @start: lets the threads go
 * @running: threads still running
 * @errors: opens that failed
 * @done: completed by the last thread to finish
 */
struct race {
	struct mlx5ctl_dev *mcdev;
	struct completion start;
	atomic_t running;
	atomic_t errors;
	struct completion done;
};

static int race_thread(void *data)
{
	struct race *race = data;
	unsigned int i;

	wait_for_completion(&race->start);
	for (i = 0; i != RACE_ROUNDS; i++) {
		struct fwctl_uctx *uctx = fwctl_uctx_open(&race->mcdev->fwctl);

		if (IS_ERR(uctx)) {
			atomic_inc(&race->errors);
			continue;
		}
		if (!(i % 3))
			usleep_range(10, 50);
		fwctl_uctx_release(uctx);
	}
	if (atomic_dec_and_test(&race->running))
		complete(&race->done);
	return 0;
}

static void mlx5_concurrent_files_test(struct kunit *test)
{
	struct mxt *mt = test->priv;
	struct fwctl_uctx *uctx = mxt_open(test, mt->mcdev);
	u16 uid = mxt_uid(test, uctx);
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.scope = RO,
		.in_len = HDR,
		.out_len = HDR,
		.in = (uintptr_t)(mt->umem + UM_IN_OFF),
		.out = (uintptr_t)(mt->umem + UM_OUT_OFF),
	};
	struct race race = { .mcdev = mt->mcdev };
	unsigned int i, started = 0, rpcs = 0, wrong = 0;
	struct task_struct *task;
	u8 req[HDR];

	mxt_req(req, sizeof(req), MLX5_CMD_OP_QUERY_HCA_CAP, 0, 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem + UM_IN_OFF, req, HDR), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user(mt->umem, &rpc, sizeof(rpc)), 0);

	init_completion(&race.start);
	init_completion(&race.done);
	atomic_set(&race.running, RACE_THREADS);
	for (i = 0; i != RACE_THREADS; i++) {
		task = kthread_run(race_thread, &race, "mlx5ctl-race-%u", i);
		if (IS_ERR(task))
			atomic_dec(&race.running);
		else
			started++;
	}
	complete_all(&race.start);

	/*
	 * Meanwhile this file's commands keep its uid. Nothing here may
	 * abort the test while the threads use the stack.
	 */
	while (started && !completion_done(&race.done)) {
		if (fwctl_uctx_ioctl(uctx, FWCTL_RPC, (unsigned long)mt->umem) ||
		    sim_last_rpc(mt->sim).uid != uid)
			wrong++;
		rpcs++;
		/* UML does not preempt: let the threads run */
		cond_resched();
	}
	if (started)
		wait_for_completion(&race.done);

	KUNIT_ASSERT_EQ(test, started, RACE_THREADS);
	KUNIT_EXPECT_EQ(test, wrong, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&race.errors), 0);
	KUNIT_EXPECT_EQ(test, mt->sim->ncreate, 1 + RACE_THREADS * RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, mt->sim->nlive, 1);
	kunit_info(test, "%u RPCs while %u files were opened and closed\n",
		   rpcs, RACE_THREADS * RACE_ROUNDS);
}

static struct kunit_case mlx5_fwctl_cases[] = {
	KUNIT_CASE(mlx5_table_matches_spec_test),
	KUNIT_CASE(mlx5_no_object_commands_test),
	KUNIT_CASE(mlx5_open_info_test),
	KUNIT_CASE(mlx5_open_no_tools_cap_test),
	KUNIT_CASE(mlx5_uid_stamping_test),
	KUNIT_CASE(mlx5_scope_matrix_test),
	KUNIT_CASE_SLOW(mlx5_unknown_commands_test),
	KUNIT_CASE(mlx5_header_lengths_test),
	KUNIT_CASE(mlx5_firmware_error_test),
	KUNIT_CASE(mlx5_delivery_error_test),
	KUNIT_CASE(mlx5_uctx_open_close_test),
	KUNIT_CASE(mlx5_uctx_unregister_first_test),
	KUNIT_CASE(mlx5_uctx_mixed_order_test),
	KUNIT_CASE(mlx5_uctx_unregister_idle_test),
	KUNIT_CASE(mlx5_uctx_create_fails_test),
	KUNIT_CASE(mlx5_uctx_destroy_fails_test),
	KUNIT_CASE(mlx5_distinct_uids_test),
	KUNIT_CASE(mlx5_concurrent_files_test),
	{}
};

static struct kunit_suite mlx5_fwctl_suite = {
	.name = "fwctl_mlx5",
	.init = mxt_init,
	.test_cases = mlx5_fwctl_cases,
};

kunit_test_suite(mlx5_fwctl_suite);

MODULE_DESCRIPTION("KUnit tests for the mlx5 fwctl driver");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FWCTL);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
