// SPDX-License-Identifier: GPL-2.0
/*
 * Which CXL mailbox commands user space may send, and at which scope.
 *
 * The device's Command Effects Log (CEL) says which commands exist and
 * what each does; a command absent from it is never sent. The effects
 * decide the scope. On top of that the driver knows the standard commands:
 * their payload sizes, which of them are plain identity queries, and which
 * touch state the kernel owns or destroy data or security state, which no
 * CEL entry can make available. Documentation/userspace-api/fwctl/
 * fwctl-cxl.rst gives the reason for every refusal.
 */
#include <linux/bitmap.h>
#include <linux/cleanup.h>
#include <linux/fwctl.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <uapi/fwctl/cxl.h>

#include "cxl_fwctl.h"

#define CXL_FWCTL_NR_OPCODES	(U16_MAX + 1)

/* Sizes in the table: up to the mailbox payload size */
#define VAR			U32_MAX

#define HDR_IN			sizeof(struct fwctl_rpc_cxl_hdr)
#define HDR_OUT			sizeof(struct fwctl_rpc_cxl_out_hdr)

/* Effects that change the device at once */
#define EFFECTS_IMMEDIATE	(FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE | \
				 FWCTL_CXL_EFFECT_DATA_CHANGE_IMMEDIATE |   \
				 FWCTL_CXL_EFFECT_POLICY_CHANGE_IMMEDIATE | \
				 FWCTL_CXL_EFFECT_LOG_CHANGE_IMMEDIATE)
/* Effects that change the device only once it is reset */
#define EFFECTS_RESET		(FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET | \
				 FWCTL_CXL_EFFECT_CONFIG_CHANGE_CONV_RESET | \
				 FWCTL_CXL_EFFECT_CONFIG_CHANGE_CXL_RESET)
/*
 * For a CEL entry, bit 9 counts as a reset effect too: CXL revisions
 * disagree on its meaning (a configuration change after a conventional
 * reset, or "the effects are valid"), and the stricter reading is the safe
 * one. For Set Feature the driver follows mainline, where it is the latter.
 */
#define EFFECTS_RESET_CEL	(EFFECTS_RESET | FWCTL_CXL_EFFECT_VALID)
/* Effects that keep a command away from user space whatever the scope */
#define EFFECTS_REFUSED		(FWCTL_CXL_EFFECT_RESERVED |		   \
				 FWCTL_CXL_EFFECT_BACKGROUND |		   \
				 FWCTL_CXL_EFFECT_SECURITY_STATE_CHANGE)

/**
 * struct cxl_fwctl_known - a standard command the driver knows
 * @opcode: the opcode
 * @deny: never sent from user space, whatever the CEL says
 * @kind: how requests are handled, an &enum cxl_fwctl_kind
 * @floor: the lowest scope, whatever the CEL's effects; CONFIGURATION
 *	only for identity and status queries
 * @in_min: smallest input payload the command defines
 * @in_max: largest input payload
 * @out_min: smallest output payload the command defines
 * @out_max: largest output payload
 * @name: the name in the specification
 */
struct cxl_fwctl_known {
	u16 opcode;
	bool deny;
	enum cxl_fwctl_kind kind;
	enum fwctl_rpc_scope floor;
	u32 in_min;
	u32 in_max;
	u32 out_min;
	u32 out_max;
	const char *name;
};

#define CMD(_op, _name, _floor, _in_min, _in_max, _out_min, _out_max)	\
	{ .opcode = _op, .kind = CXL_FWCTL_KIND_RAW,			\
	  .floor = FWCTL_RPC_##_floor, .in_min = _in_min,		\
	  .in_max = _in_max, .out_min = _out_min, .out_max = _out_max,	\
	  .name = _name }
#define CMD_KIND(_op, _name, _floor, _in_min, _in_max, _out_min,	\
		 _out_max, _kind)					\
	{ .opcode = _op, .kind = CXL_FWCTL_KIND_##_kind,		\
	  .floor = FWCTL_RPC_##_floor, .in_min = _in_min,		\
	  .in_max = _in_max, .out_min = _out_min, .out_max = _out_max,	\
	  .name = _name }
#define DENY(_op, _name)						\
	{ .opcode = _op, .deny = true, .name = _name }

/*
 * CXL r3.1 section 8.2.9. Sizes are those of the payloads, the fwctl
 * headers excluded. The reasons for the denials are in fwctl-cxl.rst.
 */
static const struct cxl_fwctl_known cxl_fwctl_known[] = {
	/* Abort would cancel background work the kernel started */
	DENY(0x0005, "Request Abort Background Operation"),
	CMD(0x0100, "Get Event Records", DEBUG_READ_ONLY, 1, 1, 0x20, VAR),
	/* The kernel's event handling reads and clears the event logs */
	DENY(0x0101, "Clear Event Records"),
	CMD(0x0102, "Get Event Interrupt Policy", CONFIGURATION, 0, 0, 4, 5),
	/* The kernel chose how events are signalled and relies on it */
	DENY(0x0103, "Set Event Interrupt Policy"),
	CMD(0x0200, "Get FW Info", CONFIGURATION, 0, 0, 0x50, 0x50),
	/* Firmware update belongs to the kernel's firmware upload path */
	DENY(0x0201, "Transfer FW"),
	DENY(0x0202, "Activate FW"),
	CMD(0x0300, "Get Timestamp", CONFIGURATION, 0, 0, 8, 8),
	CMD(0x0301, "Set Timestamp", DEBUG_WRITE, 8, 8, 0, 0),
	CMD(0x0400, "Get Supported Logs", CONFIGURATION, 0, 0, 8, VAR),
	CMD_KIND(0x0401, "Get Log", DEBUG_READ_ONLY, 0x18, 0x18, 0, VAR,
		 GET_LOG),
	CMD(0x0402, "Get Log Capabilities", CONFIGURATION, 0x10, 0x10, 4, 4),
	CMD(0x0403, "Clear Log", DEBUG_WRITE, 0x10, 0x10, 0, 0),
	CMD(0x0404, "Populate Log", DEBUG_WRITE, 0x10, 0x10, 0, 0),
	CMD(0x0405, "Get Supported Logs Sub-List", CONFIGURATION, 2, 2, 8,
	    VAR),
	CMD_KIND(FWCTL_CXL_OP_GET_SUPPORTED_FEATURES,
		 "Get Supported Features", CONFIGURATION,
		 sizeof(struct cxl_mbox_get_sup_feats_in),
		 sizeof(struct cxl_mbox_get_sup_feats_in),
		 sizeof(struct cxl_mbox_get_sup_feats_out), VAR,
		 GET_SUP_FEATS),
	CMD_KIND(FWCTL_CXL_OP_GET_FEATURE, "Get Feature", CONFIGURATION,
		 sizeof(struct cxl_mbox_get_feat_in),
		 sizeof(struct cxl_mbox_get_feat_in), 0, VAR, GET_FEAT),
	CMD_KIND(FWCTL_CXL_OP_SET_FEATURE, "Set Feature", DEBUG_WRITE,
		 sizeof(struct cxl_mbox_set_feat_hdr), VAR, 0, 0, SET_FEAT),
	/* Memory repair remaps media under the kernel's feet */
	DENY(0x0600, "Perform Maintenance"),
	CMD(0x4000, "Identify Memory Device", CONFIGURATION, 0, 0, 0x43, VAR),
	CMD(0x4100, "Get Partition Info", CONFIGURATION, 0, 0, 0x20, 0x20),
	/* Moves capacity under the HDM decoders and regions */
	DENY(0x4101, "Set Partition Info"),
	CMD_KIND(0x4102, "Get LSA", DEBUG_READ_ONLY, 8, 8, 0, VAR, GET_LSA),
	/* The label area belongs to the kernel's label code */
	DENY(0x4103, "Set LSA"),
	CMD(0x4200, "Get Health Info", CONFIGURATION, 0, 0, 0x12, 0x12),
	CMD(0x4201, "Get Alert Configuration", CONFIGURATION, 0, 0, 0x10,
	    0x10),
	CMD(0x4202, "Set Alert Configuration", DEBUG_WRITE, 0xc, 0xc, 0, 0),
	CMD(0x4203, "Get Shutdown State", CONFIGURATION, 0, 0, 1, 1),
	/* Only the kernel knows whether every write reached the media */
	DENY(0x4204, "Set Shutdown State"),
	/* The kernel serializes poison list reads and owns the error list */
	DENY(0x4300, "Get Poison List"),
	DENY(0x4301, "Inject Poison"),
	DENY(0x4302, "Clear Poison"),
	CMD(0x4303, "Get Scan Media Capabilities", DEBUG_READ_ONLY, 0x10,
	    0x10, 4, 4),
	DENY(0x4304, "Scan Media"),
	DENY(0x4305, "Get Scan Media Results"),
	/* Dynamic capacity extents belong to the kernel's regions */
	DENY(0x4802, "Add Dynamic Capacity Response"),
	DENY(0x4803, "Release Dynamic Capacity"),
};

/*
 * Whole command sets no CEL entry opens: sanitize and secure erase destroy
 * data, the security sets carry passphrases in plain text, and the fabric
 * management sets reach other devices and ports than this one.
 */
static bool cxl_fwctl_denied_set(u16 opcode)
{
	u8 set = opcode >> 8;

	return set == 0x43 || set == 0x44 || set == 0x45 || set == 0x46 ||
	       (set >= 0x51 && set <= 0x5f);
}

static const struct cxl_fwctl_known *cxl_fwctl_find_known(u16 opcode)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(cxl_fwctl_known); i++)
		if (cxl_fwctl_known[i].opcode == opcode)
			return &cxl_fwctl_known[i];
	return NULL;
}

/**
 * cxl_fwctl_cmd_scope - the scope a command's CEL effects imply
 * @effects: the command's Command Effect field
 * @floor: the lowest scope the command has anyway
 * @scope: set to the scope
 *
 * Return: 0, or -EPERM for a command user space may never send: one that
 * runs in the background, changes the security state or sets a reserved
 * effect bit the driver cannot judge.
 */
int cxl_fwctl_cmd_scope(u16 effects, enum fwctl_rpc_scope floor,
			enum fwctl_rpc_scope *scope)
{
	if (effects & EFFECTS_REFUSED)
		return -EPERM;
	if (effects & EFFECTS_IMMEDIATE)
		*scope = FWCTL_RPC_DEBUG_WRITE_FULL;
	else if (effects & EFFECTS_RESET_CEL)
		*scope = max(floor, FWCTL_RPC_DEBUG_WRITE);
	else
		*scope = floor;
	return 0;
}

/**
 * cxl_fwctl_feat_scope - the scope Set Feature needs for a feature
 * @effects: &cxl_feat_entry.effects of the feature
 * @scope: set to the scope
 *
 * As in mainline: an immediate change needs the full debug scope, a change
 * that waits for a reset the debug write scope, and a feature that claims
 * no change at all is a firmware bug.
 *
 * Return: 0, or -EPERM when the feature may not be set from user space.
 */
int cxl_fwctl_feat_scope(u16 effects, enum fwctl_rpc_scope *scope)
{
	if (effects & EFFECTS_REFUSED)
		return -EPERM;
	if (effects & EFFECTS_IMMEDIATE)
		*scope = FWCTL_RPC_DEBUG_WRITE_FULL;
	else if (effects & EFFECTS_RESET)
		*scope = FWCTL_RPC_DEBUG_WRITE;
	else
		return -EPERM;
	return 0;
}

/* Fills one table entry; returns false when the command cannot be offered */
static bool cxl_fwctl_build_one(const struct cxl_fwctl_cel_entry *ent,
				const struct cxl_fwctl_limits *lim,
				struct fwctl_cmd *cmd,
				struct cxl_fwctl_cmd_info *info)
{
	const struct cxl_fwctl_known *known = cxl_fwctl_find_known(ent->opcode);
	struct cxl_fwctl_known generic = {
		.opcode = ent->opcode,
		.kind = CXL_FWCTL_KIND_RAW,
		.floor = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_max = VAR,
		.out_max = VAR,
		.name = ent->opcode >= 0xc000 ? "Vendor specific" : "Other",
	};
	enum fwctl_rpc_scope scope;
	u32 in_max, out_max;

	if (!known) {
		if (cxl_fwctl_denied_set(ent->opcode))
			return false;
		known = &generic;
	}
	if (known->deny)
		return false;

	switch (known->kind) {
	case CXL_FWCTL_KIND_GET_SUP_FEATS:
		if (!lim->have_features)
			return false;
		/* Answered from the list read at probe, not by the device */
		out_max = lim->get_sup_feats_max;
		in_max = known->in_max;
		break;
	case CXL_FWCTL_KIND_GET_FEAT:
		if (!lim->have_features)
			return false;
		/* Split into payload-sized reads by the driver */
		out_max = lim->get_feat_max;
		in_max = known->in_max;
		break;
	case CXL_FWCTL_KIND_SET_FEAT:
		if (!lim->have_features)
			return false;
		/* Split into payload-sized writes by the driver */
		in_max = known->in_min + lim->set_feat_max;
		out_max = 0;
		break;
	default:
		in_max = min_t(u32, known->in_max, lim->payload_size);
		out_max = min_t(u32, known->out_max, lim->payload_size);
		if (known->in_min > in_max || known->out_min > out_max)
			return false;
		break;
	}

	/* Set Feature's scope is per feature; every feature needs a write */
	if (known->kind == CXL_FWCTL_KIND_SET_FEAT) {
		if (ent->effects & FWCTL_CXL_EFFECT_BACKGROUND)
			return false;
		scope = FWCTL_RPC_DEBUG_WRITE;
	} else if (cxl_fwctl_cmd_scope(ent->effects, known->floor, &scope)) {
		return false;
	}

	*cmd = (struct fwctl_cmd) {
		.id = ent->opcode,
		.scope = scope,
		.in_min = HDR_IN + known->in_min,
		.in_max = HDR_IN + in_max,
		.out_min = HDR_OUT + known->out_min,
		.out_max = HDR_OUT + out_max,
		.name = known->name,
	};
	*info = (struct cxl_fwctl_cmd_info) {
		.kind = known->kind,
		.effects = ent->effects,
		.in_min = known->in_min,
		.in_max = in_max,
		.out_min = known->out_min,
		.out_max = out_max,
	};

	/*
	 * The Features inputs may be padded to the size of the request
	 * structure, as mainline's tools send them.
	 */
	if (known->kind == CXL_FWCTL_KIND_GET_SUP_FEATS ||
	    known->kind == CXL_FWCTL_KIND_GET_FEAT)
		cmd->in_max = sizeof(struct fwctl_rpc_cxl);
	return true;
}

/**
 * cxl_fwctl_build_cmds - the command table of a device
 * @cel: the device's Command Effects Log
 * @nr_cel: its number of entries
 * @lim: what the device's mailbox and features allow
 * @cmdsp: set to a kcalloc'd array of table entries
 * @infop: set to a kcalloc'd array of the driver's data, parallel to it
 *
 * An opcode the CEL lists twice counts once, with its first effects.
 *
 * Return: the number of entries, or -ENOMEM.
 */
int cxl_fwctl_build_cmds(const struct cxl_fwctl_cel_entry *cel,
			 unsigned int nr_cel,
			 const struct cxl_fwctl_limits *lim,
			 struct fwctl_cmd **cmdsp,
			 struct cxl_fwctl_cmd_info **infop)
{
	unsigned long *seen __free(bitmap) = bitmap_zalloc(CXL_FWCTL_NR_OPCODES,
							   GFP_KERNEL);
	struct cxl_fwctl_cmd_info *info __free(kfree) = NULL;
	struct fwctl_cmd *cmds __free(kfree) = NULL;
	unsigned int i, n = 0;

	if (!seen)
		return -ENOMEM;
	cmds = kcalloc(max(nr_cel, 1U), sizeof(*cmds), GFP_KERNEL);
	if (!cmds)
		return -ENOMEM;
	info = kcalloc(max(nr_cel, 1U), sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;

	for (i = 0; i != nr_cel; i++) {
		if (__test_and_set_bit(cel[i].opcode, seen))
			continue;
		if (cxl_fwctl_build_one(&cel[i], lim, &cmds[n], &info[n]))
			n++;
	}

	*cmdsp = no_free_ptr(cmds);
	*infop = no_free_ptr(info);
	return n;
}
