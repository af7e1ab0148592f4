// SPDX-License-Identifier: GPL-2.0
/*
 * A simulated CXL mailbox, for testing only, behind the same cxl_fwctl
 * driver code as a real memory device.
 *
 * QEMU's emulated CXL device answers every Features command with
 * "Unsupported", so this is where Get Supported Features paging, Get and
 * Set Feature split across payloads, the effects classes and kernel-driven
 * features are exercised. Its Command Effects Log also lists vendor
 * commands of every effects class and commands the driver must refuse;
 * a refused command that reaches the simulated mailbox triggers a
 * warning. The values are in cxl_fwctl_sim.h, shared with the selftests.
 *
 * The module creates one platform device, named CXL_SIM_NAME, and binds
 * to it; unbinding it through sysfs unplugs the fwctl device.
 */
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/unaligned.h>
#include <uapi/fwctl/cxl.h>

#include "cxl_fwctl.h"
#include "cxl_fwctl_sim.h"

/* Return codes, CXL r3.1 table 8-34 */
#define RC_SUCCESS		CXL_FWCTL_RC_SUCCESS
#define RC_INPUT		CXL_FWCTL_RC_INVALID_INPUT
#define RC_UNSUPPORTED		CXL_FWCTL_RC_UNSUPPORTED
#define RC_LOG			0x0017
#define RC_FEAT_VERSION		0x0019
#define RC_FEAT_SELECTION	0x001a
#define RC_FEAT_XFER_IP		0x001b
#define RC_FEAT_XFER_OOO	0x001c

#define SIM_SET_FEAT_VERSION	1

static unsigned int payload_size = CXL_SIM_PAYLOAD_SIZE;
module_param(payload_size, uint, 0444);
MODULE_PARM_DESC(payload_size, "Mailbox payload size in bytes (256-4096)");

static const u8 cxl_sim_cel_uuid[16] = {
	0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78,
	0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17,
};

#define IMM_CONFIG	FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE
#define IMM_DATA	FWCTL_CXL_EFFECT_DATA_CHANGE_IMMEDIATE
#define IMM_POLICY	FWCTL_CXL_EFFECT_POLICY_CHANGE_IMMEDIATE
#define IMM_LOG		FWCTL_CXL_EFFECT_LOG_CHANGE_IMMEDIATE
#define SECURITY	FWCTL_CXL_EFFECT_SECURITY_STATE_CHANGE
#define BACKGROUND	FWCTL_CXL_EFFECT_BACKGROUND

static const struct cxl_fwctl_cel_entry cxl_sim_cel[] = {
	{ 0x0400, 0 },				/* Get Supported Logs */
	{ 0x0401, 0 },				/* Get Log */
	{ 0x4000, 0 },				/* Identify Memory Device */
	{ 0x0300, 0 },				/* Get Timestamp */
	{ 0x0301, IMM_POLICY },			/* Set Timestamp */
	{ 0x0500, 0 },				/* Get Supported Features */
	{ 0x0501, 0 },				/* Get Feature */
	{ 0x0502, IMM_CONFIG },			/* Set Feature */
	{ CXL_SIM_OP_CLEAR_EVENTS, IMM_LOG },
	{ CXL_SIM_OP_SET_LSA, IMM_CONFIG | IMM_DATA },
	{ CXL_SIM_OP_GET_POISON, 0 },
	{ CXL_SIM_OP_SANITIZE, IMM_DATA | SECURITY | BACKGROUND },
	{ CXL_SIM_OP_ECHO, 0 },
	{ CXL_SIM_OP_RESET_CFG, FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET },
	{ CXL_SIM_OP_BACKGROUND, BACKGROUND | IMM_CONFIG },
	{ CXL_SIM_OP_RESERVED, 0x1000 },
	{ CXL_SIM_OP_SECURITY, SECURITY },
	{ CXL_SIM_OP_IMM_DATA, IMM_DATA },
	{ CXL_SIM_OP_TWICE, 0 },
	{ CXL_SIM_OP_TWICE, IMM_DATA },
	{ CXL_SIM_OP_FAIL, 0 },
	{ CXL_SIM_OP_FILL, 0 },
	{ CXL_SIM_OP_BIT9, FWCTL_CXL_EFFECT_VALID },
};

/**
 * struct cxl_sim_feat - a simulated feature
 * @flags: &cxl_feat_entry.flags
 * @size: bytes of its data, for Get and Set Feature alike
 * @effects: &cxl_feat_entry.effects
 */
struct cxl_sim_feat {
	u32 flags;
	u16 size;
	u16 effects;
};

#define FEAT(_idx, _flags, _size, _effects)				\
	[CXL_SIM_FEAT_##_idx] = { .flags = _flags, .size = _size,	\
				  .effects = _effects }

static const struct cxl_sim_feat cxl_sim_feats[CXL_SIM_NR_FEATS] = {
	FEAT(READ_ONLY, 0, CXL_SIM_FEAT_SMALL_SIZE, 0),
	FEAT(IMMEDIATE, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_BIG_SIZE,
	     IMM_CONFIG),
	FEAT(COLD_RESET, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_RESET_SIZE,
	     FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET),
	FEAT(KERNEL, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     IMM_CONFIG),
	FEAT(BACKGROUND, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     IMM_CONFIG | BACKGROUND),
	FEAT(RESERVED, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     IMM_CONFIG | 0x1000),
	FEAT(NO_EFFECT, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     0),
	FEAT(SECURITY, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     IMM_CONFIG | SECURITY),
	FEAT(CONV_RESET, FWCTL_CXL_FEAT_F_CHANGEABLE, CXL_SIM_FEAT_SMALL_SIZE,
	     FWCTL_CXL_EFFECT_CONFIG_CHANGE_CONV_RESET),
};

/**
 * struct cxl_sim - a simulated CXL mailbox and its device state
 * @mbox: the transport the driver sees
 * @cxlfw: the fwctl device
 * @lock: the mailbox runs one command at a time
 * @cmds: commands answered
 * @short_identify: answer Identify with less than the command defines
 * @timestamp: the device's timestamp
 * @cur: current feature data
 * @saved: feature data saved across reset
 * @xfer_feat: feature of the Set Feature transfer in progress, or -1
 * @xfer_len: bytes received in that transfer
 * @xfer_flags: flags of its first part
 * @xfer_buf: its data
 */
struct cxl_sim {
	struct cxl_fwctl_mbox mbox;
	struct cxl_fwctl *cxlfw;
	/* Serializes commands, as the mailbox of a real device does */
	struct mutex lock;
	u64 cmds;
	bool short_identify;
	u64 timestamp;
	u8 cur[CXL_SIM_NR_FEATS][CXL_SIM_FEAT_BIG_SIZE];
	u8 saved[CXL_SIM_NR_FEATS][CXL_SIM_FEAT_BIG_SIZE];
	int xfer_feat;
	size_t xfer_len;
	u32 xfer_flags;
	u8 xfer_buf[CXL_SIM_FEAT_BIG_SIZE];
};

/**
 * struct cxl_sim_io - one command as the simulated device sees it
 * @in: input payload
 * @in_size: its length
 * @out: output payload
 * @out_size: room in @out, then bytes produced
 */
struct cxl_sim_io {
	const u8 *in;
	size_t in_size;
	u8 *out;
	size_t out_size;
};

/* Like the payload registers: what does not fit is not transferred */
static void cxl_sim_reply(struct cxl_sim_io *io, const void *data,
			  size_t len)
{
	io->out_size = min(len, io->out_size);
	memcpy(io->out, data, io->out_size);
}

static int cxl_sim_feat_index(const u8 *uuid)
{
	static const u8 base[16] = CXL_SIM_FEAT_UUID(0);

	if (memcmp(uuid, base, 15) || uuid[15] >= CXL_SIM_NR_FEATS)
		return -1;
	return uuid[15];
}

static u16 cxl_sim_get_logs(struct cxl_sim_io *io)
{
	u8 buf[28] = {};

	put_unaligned_le16(1, buf);
	memcpy(buf + 8, cxl_sim_cel_uuid, 16);
	put_unaligned_le32(sizeof(cxl_sim_cel), buf + 24);
	cxl_sim_reply(io, buf, sizeof(buf));
	return RC_SUCCESS;
}

static u16 cxl_sim_get_log(struct cxl_sim *sim, struct cxl_sim_io *io)
{
	u32 off, len, i;

	if (io->in_size != 0x18)
		return RC_INPUT;
	if (memcmp(io->in, cxl_sim_cel_uuid, 16))
		return RC_LOG;
	off = get_unaligned_le32(io->in + 16);
	len = get_unaligned_le32(io->in + 20);
	if (len > sim->mbox.payload_size || off > sizeof(cxl_sim_cel) ||
	    len > sizeof(cxl_sim_cel) - off || len > io->out_size)
		return RC_INPUT;

	for (i = 0; i != len; i++) {
		const struct cxl_fwctl_cel_entry *ent =
			&cxl_sim_cel[(off + i) / 4];
		u8 le[4];

		put_unaligned_le16(ent->opcode, le);
		put_unaligned_le16(ent->effects, le + 2);
		io->out[i] = le[(off + i) % 4];
	}
	io->out_size = len;
	return RC_SUCCESS;
}

static u16 cxl_sim_identify(struct cxl_sim *sim, struct cxl_sim_io *io)
{
	u8 buf[CXL_SIM_IDENTIFY_LEN] = "SIM FW 1.0";

	/* 256 MiB of volatile memory, in units of 256 MiB */
	put_unaligned_le64(1, buf + 0x10);
	put_unaligned_le64(1, buf + 0x18);
	cxl_sim_reply(io, buf, sim->short_identify ? sizeof(buf) - 3 :
			       sizeof(buf));
	return RC_SUCCESS;
}

static u16 cxl_sim_get_sup_feats(struct cxl_sim_io *io)
{
	u32 count;
	u16 start;
	size_t room, n, i;

	if (io->in_size != sizeof(struct cxl_mbox_get_sup_feats_in))
		return RC_INPUT;
	count = get_unaligned_le32(io->in);
	start = get_unaligned_le16(io->in + 4);
	if (count < sizeof(struct cxl_mbox_get_sup_feats_out) ||
	    start > CXL_SIM_NR_FEATS)
		return RC_INPUT;

	room = min_t(size_t, count, io->out_size);
	if (room < sizeof(struct cxl_mbox_get_sup_feats_out))
		return RC_INPUT;
	n = min_t(size_t, (room - sizeof(struct cxl_mbox_get_sup_feats_out)) /
			  sizeof(struct cxl_feat_entry),
		  CXL_SIM_NR_FEATS - start);
	memset(io->out, 0, room);
	put_unaligned_le16(n, io->out);
	put_unaligned_le16(CXL_SIM_NR_FEATS, io->out + 2);
	for (i = 0; i != n; i++) {
		const struct cxl_sim_feat *def = &cxl_sim_feats[start + i];
		u8 uuid[16] = CXL_SIM_FEAT_UUID(start + i);
		struct cxl_feat_entry ent = {
			.id = cpu_to_le16(start + i),
			.get_feat_size = cpu_to_le16(def->size),
			.set_feat_size = cpu_to_le16(def->flags ?
						     def->size : 0),
			.flags = cpu_to_le32(def->flags),
			.get_feat_ver = 1,
			.set_feat_ver = SIM_SET_FEAT_VERSION,
			.effects = cpu_to_le16(def->effects),
		};

		memcpy(ent.uuid, uuid, sizeof(uuid));
		memcpy(io->out + sizeof(struct cxl_mbox_get_sup_feats_out) +
		       i * sizeof(ent), &ent, sizeof(ent));
	}
	io->out_size = sizeof(struct cxl_mbox_get_sup_feats_out) +
		       n * sizeof(struct cxl_feat_entry);
	return RC_SUCCESS;
}

static u16 cxl_sim_get_feat(struct cxl_sim *sim, struct cxl_sim_io *io)
{
	const struct cxl_mbox_get_feat_in *in = (const void *)io->in;
	u16 off, count, i;
	int idx;

	if (io->in_size != sizeof(*in))
		return RC_INPUT;
	idx = cxl_sim_feat_index(in->uuid);
	if (idx < 0)
		return RC_UNSUPPORTED;
	off = le16_to_cpu(in->offset);
	count = le16_to_cpu(in->count);
	if (in->selection > FWCTL_CXL_FEAT_SEL_SAVED)
		return RC_FEAT_SELECTION;
	if (off + count > cxl_sim_feats[idx].size || count > io->out_size)
		return RC_INPUT;

	for (i = 0; i != count; i++) {
		switch (in->selection) {
		case FWCTL_CXL_FEAT_SEL_CURRENT:
			io->out[i] = sim->cur[idx][off + i];
			break;
		case FWCTL_CXL_FEAT_SEL_DEFAULT:
			io->out[i] = CXL_SIM_FEAT_DEFAULT(idx, off + i);
			break;
		default:
			io->out[i] = sim->saved[idx][off + i];
			break;
		}
	}
	io->out_size = count;
	return RC_SUCCESS;
}

static void cxl_sim_commit(struct cxl_sim *sim, int idx, u32 flags,
			   const u8 *data, size_t len)
{
	memcpy(sim->cur[idx], data, len);
	if (flags & FWCTL_CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET)
		memcpy(sim->saved[idx], data, len);
}

static u16 cxl_sim_set_feat(struct cxl_sim *sim, struct cxl_sim_io *io)
{
	const struct cxl_mbox_set_feat_in *in = (const void *)io->in;
	size_t len = io->in_size - sizeof(in->hdr);
	u32 flags;
	u16 off;
	int idx;

	io->out_size = 0;
	if (io->in_size < sizeof(in->hdr))
		return RC_INPUT;
	flags = le32_to_cpu(in->hdr.flags);
	off = le16_to_cpu(in->hdr.offset);
	idx = cxl_sim_feat_index(in->hdr.uuid);
	if (idx < 0 || !(cxl_sim_feats[idx].flags & FWCTL_CXL_FEAT_F_CHANGEABLE))
		return RC_UNSUPPORTED;
	if (in->hdr.version != SIM_SET_FEAT_VERSION)
		return RC_FEAT_VERSION;

	switch (flags & FWCTL_CXL_SET_FEAT_FLAG_DATA_TRANSFER_MASK) {
	case 0:		/* full transfer */
		if (sim->xfer_feat >= 0)
			return RC_FEAT_XFER_IP;
		if (off || len > cxl_sim_feats[idx].size)
			return RC_INPUT;
		cxl_sim_commit(sim, idx, flags, in->feat_data, len);
		return RC_SUCCESS;
	case 1:		/* initiate */
		if (sim->xfer_feat >= 0)
			return RC_FEAT_XFER_IP;
		if (off || len > cxl_sim_feats[idx].size)
			return RC_INPUT;
		sim->xfer_feat = idx;
		sim->xfer_flags = flags;
		sim->xfer_len = len;
		memcpy(sim->xfer_buf, in->feat_data, len);
		return RC_SUCCESS;
	case 2:		/* continue */
	case 3:		/* finish */
		if (sim->xfer_feat != idx || off != sim->xfer_len)
			return RC_FEAT_XFER_OOO;
		if (len > cxl_sim_feats[idx].size - sim->xfer_len)
			return RC_INPUT;
		memcpy(sim->xfer_buf + sim->xfer_len, in->feat_data, len);
		sim->xfer_len += len;
		if ((flags & FWCTL_CXL_SET_FEAT_FLAG_DATA_TRANSFER_MASK) == 3) {
			cxl_sim_commit(sim, idx, sim->xfer_flags, sim->xfer_buf,
				       sim->xfer_len);
			sim->xfer_feat = -1;
		}
		return RC_SUCCESS;
	case 4:		/* abort */
		sim->xfer_feat = -1;
		return RC_SUCCESS;
	}
	return RC_INPUT;
}

static bool cxl_sim_in_cel(u16 opcode)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(cxl_sim_cel); i++)
		if (cxl_sim_cel[i].opcode == opcode)
			return true;
	return false;
}

static u16 cxl_sim_exec(struct cxl_sim *sim, u16 opcode,
			struct cxl_sim_io *io)
{
	if (!cxl_sim_in_cel(opcode))
		return RC_UNSUPPORTED;

	switch (opcode) {
	case 0x0400:
		return cxl_sim_get_logs(io);
	case 0x0401:
		return cxl_sim_get_log(sim, io);
	case 0x4000:
		return cxl_sim_identify(sim, io);
	case 0x0300: {
		__le64 ts = cpu_to_le64(sim->timestamp);

		cxl_sim_reply(io, &ts, sizeof(ts));
		return RC_SUCCESS;
	}
	case 0x0301:
		if (io->in_size != 8)
			return RC_INPUT;
		sim->timestamp = get_unaligned_le64(io->in);
		io->out_size = 0;
		return RC_SUCCESS;
	case FWCTL_CXL_OP_GET_SUPPORTED_FEATURES:
		return cxl_sim_get_sup_feats(io);
	case FWCTL_CXL_OP_GET_FEATURE:
		return cxl_sim_get_feat(sim, io);
	case FWCTL_CXL_OP_SET_FEATURE:
		return cxl_sim_set_feat(sim, io);
	case CXL_SIM_OP_ECHO:
	case CXL_SIM_OP_TWICE:
		cxl_sim_reply(io, io->in, io->in_size);
		return RC_SUCCESS;
	case CXL_SIM_OP_RESET_CFG:
	case CXL_SIM_OP_IMM_DATA:
	case CXL_SIM_OP_BIT9:
		io->out_size = 0;
		return RC_SUCCESS;
	case CXL_SIM_OP_FAIL:
		return CXL_SIM_RC_FAIL;
	case CXL_SIM_OP_FILL:
		memset(io->out, 0xa5, io->out_size);
		return RC_SUCCESS;
	}

	/* Everything else in the CEL must have been refused by the driver */
	WARN_ONCE(1, "%s: refused command 0x%04x reached the mailbox\n",
		  CXL_SIM_NAME, opcode);
	return RC_UNSUPPORTED;
}

static int cxl_sim_send(struct cxl_fwctl_mbox *mbox,
			struct cxl_fwctl_mbox_cmd *cmd)
{
	struct cxl_sim *sim = container_of(mbox, struct cxl_sim, mbox);
	struct cxl_sim_io io = {
		.in = cmd->in,
		.in_size = cmd->in_size,
		.out = cmd->out,
		.out_size = cmd->out_size,
	};

	/* The driver must check every length before sending */
	if (WARN_ON_ONCE(cmd->in_size > mbox->payload_size ||
			 cmd->out_size > mbox->payload_size ||
			 (cmd->in_size && !cmd->in) ||
			 (cmd->out_size && !cmd->out)))
		return -E2BIG;

	guard(mutex)(&sim->lock);
	sim->cmds++;
	cmd->retval = cxl_sim_exec(sim, cmd->opcode, &io);
	cmd->out_size = cmd->retval == RC_SUCCESS ? io.out_size : 0;
	return 0;
}

static bool cxl_sim_feature_kernel_owned(struct cxl_fwctl_mbox *mbox,
					 const uuid_t *uuid)
{
	return cxl_sim_feat_index(uuid->b) == CXL_SIM_FEAT_KERNEL;
}

static const struct cxl_fwctl_mbox_ops cxl_sim_ops = {
	.send = cxl_sim_send,
	.feature_kernel_owned = cxl_sim_feature_kernel_owned,
};

static ssize_t mbox_cmds_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct cxl_sim *sim = dev_get_drvdata(dev);

	guard(mutex)(&sim->lock);
	return sysfs_emit(buf, "%llu\n", sim->cmds);
}
static DEVICE_ATTR_RO(mbox_cmds);

static ssize_t short_identify_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct cxl_sim *sim = dev_get_drvdata(dev);

	guard(mutex)(&sim->lock);
	return sysfs_emit(buf, "%d\n", sim->short_identify);
}

static ssize_t short_identify_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct cxl_sim *sim = dev_get_drvdata(dev);
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;
	guard(mutex)(&sim->lock);
	sim->short_identify = val;
	return count;
}
static DEVICE_ATTR_RW(short_identify);

static struct attribute *cxl_sim_attrs[] = {
	&dev_attr_mbox_cmds.attr,
	&dev_attr_short_identify.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cxl_sim);

static int cxl_sim_probe(struct platform_device *pdev)
{
	struct cxl_sim *sim;
	int i, j;

	sim = devm_kzalloc(&pdev->dev, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	mutex_init(&sim->lock);
	sim->xfer_feat = -1;
	for (i = 0; i != CXL_SIM_NR_FEATS; i++) {
		for (j = 0; j != CXL_SIM_FEAT_BIG_SIZE; j++)
			sim->cur[i][j] = CXL_SIM_FEAT_DEFAULT(i, j);
		memcpy(sim->saved[i], sim->cur[i], CXL_SIM_FEAT_BIG_SIZE);
	}
	sim->mbox.ops = &cxl_sim_ops;
	sim->mbox.parent = &pdev->dev;
	sim->mbox.payload_size = clamp(payload_size, 256U, 4096U);
	platform_set_drvdata(pdev, sim);

	sim->cxlfw = cxl_fwctl_create(&sim->mbox);
	if (IS_ERR(sim->cxlfw)) {
		mutex_destroy(&sim->lock);
		return PTR_ERR(sim->cxlfw);
	}
	return 0;
}

static void cxl_sim_remove(struct platform_device *pdev)
{
	struct cxl_sim *sim = platform_get_drvdata(pdev);

	cxl_fwctl_destroy(sim->cxlfw);
	mutex_destroy(&sim->lock);
}

static struct platform_driver cxl_sim_driver = {
	.driver = {
		.name = CXL_SIM_NAME,
		.dev_groups = cxl_sim_groups,
	},
	.probe = cxl_sim_probe,
	.remove = cxl_sim_remove,
};

static struct platform_device *cxl_sim_pdev;

static int __init cxl_sim_init(void)
{
	int ret;

	/* Test code: say so in every crash report */
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);

	ret = platform_driver_register(&cxl_sim_driver);
	if (ret)
		return ret;
	cxl_sim_pdev = platform_device_register_simple(CXL_SIM_NAME, -1,
						       NULL, 0);
	if (IS_ERR(cxl_sim_pdev)) {
		platform_driver_unregister(&cxl_sim_driver);
		return PTR_ERR(cxl_sim_pdev);
	}
	return 0;
}

static void __exit cxl_sim_exit(void)
{
	platform_device_unregister(cxl_sim_pdev);
	platform_driver_unregister(&cxl_sim_driver);
}

module_init(cxl_sim_init);
module_exit(cxl_sim_exit);

MODULE_DESCRIPTION("Test-only simulated CXL mailbox for cxl_fwctl");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(CXL_FWCTL);
