/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxl_fwctl: what the fwctl driver for CXL memory devices needs from a
 * mailbox, and what it offers to the code that owns one.
 *
 * The driver (policy and request handling) talks to a device only through
 * &struct cxl_fwctl_mbox, so that the same code runs on the kernel's CXL
 * stack (memdev.c) and on the test-only simulated mailbox (sim.c).
 */
#ifndef __CXL_FWCTL_H
#define __CXL_FWCTL_H

#include <linux/indirect_call_wrapper.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <uapi/fwctl/fwctl.h>

struct device;
struct cxl_fwctl;
struct cxl_fwctl_mbox;

/* CXL mailbox return codes the driver itself produces or looks at */
#define CXL_FWCTL_RC_SUCCESS		0x0000
#define CXL_FWCTL_RC_BACKGROUND		0x0001
#define CXL_FWCTL_RC_INVALID_INPUT	0x0002
#define CXL_FWCTL_RC_UNSUPPORTED	0x0003

/**
 * struct cxl_fwctl_mbox_cmd - one mailbox command
 * @opcode: the opcode
 * @in: input payload, @in_size bytes
 * @in_size: at most &cxl_fwctl_mbox.payload_size
 * @out: buffer for the output payload
 * @out_size: on input the size of @out, at most the payload size; on
 *	output the bytes the device returned, never more than on input, and
 *	0 unless @retval is success
 * @retval: the mailbox return code
 */
struct cxl_fwctl_mbox_cmd {
	u16 opcode;
	const void *in;
	size_t in_size;
	void *out;
	size_t out_size;
	u16 retval;
};

/**
 * struct cxl_fwctl_mbox_ops - a mailbox transport
 * @send: runs one command to completion. Returns 0 when the device
 *	answered, whatever its return code, or a negative errno when the
 *	command could not be delivered or timed out. Must not start or wait
 *	for background operations: the driver sends none.
 * @feature_kernel_owned: optional; true for a feature the kernel itself
 *	drives on this device, which user space must not set
 */
struct cxl_fwctl_mbox_ops {
	int (*send)(struct cxl_fwctl_mbox *mbox, struct cxl_fwctl_mbox_cmd *cmd);
	bool (*feature_kernel_owned)(struct cxl_fwctl_mbox *mbox,
				     const uuid_t *uuid);
};

/**
 * struct cxl_fwctl_mbox - a mailbox the driver can reach
 * @ops: the transport
 * @parent: the device the fwctl device is created under
 * @payload_size: bytes of the mailbox payload, at least 256
 *
 * Embedded in the transport's own structure, which must stay valid until
 * cxl_fwctl_destroy() returns.
 */
struct cxl_fwctl_mbox {
	const struct cxl_fwctl_mbox_ops *ops;
	struct device *parent;
	size_t payload_size;
};

struct cxl_fwctl *cxl_fwctl_create(struct cxl_fwctl_mbox *mbox);
void cxl_fwctl_destroy(struct cxl_fwctl *cxlfw);

/* policy.c: the commands a device accepts, from its Command Effects Log */
struct fwctl_cmd;
struct cxl_fwctl_cmd_info;

/**
 * struct cxl_fwctl_cel_entry - one entry of a Command Effects Log
 * @opcode: the opcode
 * @effects: its Command Effect field
 */
struct cxl_fwctl_cel_entry {
	u16 opcode;
	u16 effects;
};

/* How the driver handles a command, beyond the core's table checks */
enum cxl_fwctl_kind {
	CXL_FWCTL_KIND_RAW,		/* payload passed through */
	CXL_FWCTL_KIND_GET_LSA,		/* output length in the input */
	CXL_FWCTL_KIND_GET_LOG,		/* output length in the input */
	CXL_FWCTL_KIND_GET_SUP_FEATS,
	CXL_FWCTL_KIND_GET_FEAT,
	CXL_FWCTL_KIND_SET_FEAT,
};

/**
 * struct cxl_fwctl_cmd_info - what the driver keeps per accepted command
 * @kind: an &enum cxl_fwctl_kind
 * @effects: the command's CEL effects
 * @in_min: smallest input payload
 * @in_max: largest input payload
 * @out_min: smallest output payload the command defines
 * @out_max: largest output payload the driver asks the device for
 *
 * Parallel to the &struct fwctl_cmd array of the device's command table.
 */
struct cxl_fwctl_cmd_info {
	enum cxl_fwctl_kind kind;
	u16 effects;
	u32 in_min;
	u32 in_max;
	u32 out_min;
	u32 out_max;
};

/**
 * struct cxl_fwctl_limits - what bounds the commands of a device
 * @payload_size: bytes of the mailbox payload
 * @have_features: the device's supported features were read at probe
 * @get_sup_feats_max: largest Get Supported Features output payload
 * @get_feat_max: largest feature data Get Feature returns
 * @set_feat_max: largest feature data Set Feature takes
 */
struct cxl_fwctl_limits {
	size_t payload_size;
	bool have_features;
	size_t get_sup_feats_max;
	size_t get_feat_max;
	size_t set_feat_max;
};

int cxl_fwctl_build_cmds(const struct cxl_fwctl_cel_entry *cel,
			 unsigned int nr_cel,
			 const struct cxl_fwctl_limits *lim,
			 struct fwctl_cmd **cmdsp,
			 struct cxl_fwctl_cmd_info **infop);
int cxl_fwctl_cmd_scope(u16 effects, enum fwctl_rpc_scope floor,
			enum fwctl_rpc_scope *scope);
int cxl_fwctl_feat_scope(u16 effects, enum fwctl_rpc_scope *scope);

/* memdev.c: the kernel's CXL memory devices as transports */
struct cxl_memdev;
struct cxl_fwctl_memdev;

struct cxl_fwctl_memdev *cxl_fwctl_memdev_create(struct cxl_memdev *cxlmd);
void cxl_fwctl_memdev_destroy(struct cxl_fwctl_memdev *md);

int cxl_fwctl_memdev_send(struct cxl_fwctl_mbox *mbox,
			  struct cxl_fwctl_mbox_cmd *cmd);

/*
 * Runs one command on @mbox. The memdev transport, that of every real
 * device, is called directly: an indirect call costs a retpoline on every
 * command.
 */
static inline int cxl_fwctl_mbox_send(struct cxl_fwctl_mbox *mbox,
				      struct cxl_fwctl_mbox_cmd *cmd)
{
	return INDIRECT_CALL_1(mbox->ops->send, cxl_fwctl_memdev_send, mbox,
			       cmd);
}

#endif
