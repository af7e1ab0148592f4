// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl driver for CXL memory devices: user space sends CXL mailbox
 * commands through /dev/fwctl/fwctlN.
 *
 * At creation the driver reads the device's Command Effects Log and, when
 * the device has Features, its list of supported features. From the CEL it
 * builds the device's command table (policy.c), which the fwctl core
 * checks every request against: the opcode must be listed, the RPC's scope
 * must reach the command's, and the request and reply lengths must lie in
 * the command's bounds. What the table cannot express is checked here:
 * lengths nested in the payloads, the per-feature scope of Set Feature,
 * and features the kernel drives.
 *
 * The driver reaches the device only through &struct cxl_fwctl_mbox, so
 * the code below runs unchanged on the kernel's CXL mailbox and on the
 * test-only simulator.
 */
#include <linux/cleanup.h>
#include <linux/fwctl.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <uapi/fwctl/cxl.h>

#include "cxl_fwctl.h"

#define HDR_IN			sizeof(struct fwctl_rpc_cxl_hdr)
#define HDR_OUT			sizeof(struct fwctl_rpc_cxl_out_hdr)

#define CXL_OP_GET_SUPPORTED_LOGS	0x0400
#define CXL_OP_GET_LOG			0x0401

/* Inputs up to this size are copied aside so the reply can go in place */
#define CXL_FWCTL_SMALL_INPUT	64

/* The CEL holds at most one entry per opcode */
#define CXL_FWCTL_MAX_CEL	(U16_MAX + 1)

/* Set Feature data transfer actions, in bits 2:0 of its flags */
#define SET_FEAT_FULL		0
#define SET_FEAT_INITIATE	1
#define SET_FEAT_CONTINUE	2
#define SET_FEAT_FINISH		3
#define SET_FEAT_ABORT		4

/* CXL r3.1 8.2.9.5.2.1: the Command Effects Log */
static const uuid_t cxl_fwctl_cel_uuid =
	UUID_INIT(0x0da9c0b5, 0xbf41, 0x4b78, 0x8f, 0x79, 0x96, 0xb1, 0x62,
		  0x3b, 0x3f, 0x17);

/* Get Supported Logs output entry */
struct cxl_fwctl_gsl_entry {
	u8 uuid[16];
	__le32 size;
} __packed;

/* Get Log input */
struct cxl_fwctl_get_log_in {
	u8 uuid[16];
	__le32 offset;
	__le32 length;
} __packed;

/* Get LSA input */
struct cxl_fwctl_get_lsa_in {
	__le32 offset;
	__le32 length;
} __packed;

/**
 * struct cxl_fwctl - a CXL device registered with fwctl
 * @fwctl: the core's device; first, as fwctl_alloc_device() requires
 * @mbox: the mailbox, valid until cxl_fwctl_destroy() returns
 * @table: the command table in force, built from the CEL
 * @cmds: its entries
 * @info: the driver's data for each entry of @cmds
 * @nr_cmds: number of entries in @cmds
 * @feats: the supported features as user space sees them
 * @nr_feats: number of entries in @feats
 * @feat_lock: keeps multi-part Set Feature transfers from interleaving
 */
struct cxl_fwctl {
	struct fwctl_device fwctl;
	struct cxl_fwctl_mbox *mbox;
	struct fwctl_cmd_table table;
	struct fwctl_cmd *cmds;
	struct cxl_fwctl_cmd_info *info;
	unsigned int nr_cmds;
	struct cxl_feat_entry *feats;
	unsigned int nr_feats;
	/* A device takes one Set Feature transfer at a time */
	struct mutex feat_lock;
};

static_assert(offsetof(struct cxl_fwctl, fwctl) == 0);

static struct cxl_fwctl *to_cxl_fwctl(struct fwctl_device *fwctl)
{
	return container_of(fwctl, struct cxl_fwctl, fwctl);
}

/* Sends one command; a failure status from the device is -ENXIO here */
static int cxl_fwctl_send(struct cxl_fwctl_mbox *mbox, u16 opcode,
			  const void *in, size_t in_size, void *out,
			  size_t *out_size)
{
	struct cxl_fwctl_mbox_cmd cmd = {
		.opcode = opcode,
		.in = in,
		.in_size = in_size,
		.out = out,
		.out_size = out_size ? *out_size : 0,
	};
	int ret;

	ret = cxl_fwctl_mbox_send(mbox, &cmd);
	if (ret)
		return ret;
	if (cmd.retval != CXL_FWCTL_RC_SUCCESS)
		return -ENXIO;
	if (out_size)
		*out_size = cmd.out_size;
	return 0;
}

/* Finds the size of the CEL in the Get Supported Logs reply */
static int cxl_fwctl_cel_size(struct cxl_fwctl_mbox *mbox, void *buf,
			      u32 *size)
{
	size_t len = mbox->payload_size;
	const struct cxl_fwctl_gsl_entry *ent;
	unsigned int i, n;
	int ret;

	ret = cxl_fwctl_send(mbox, CXL_OP_GET_SUPPORTED_LOGS, NULL, 0, buf,
			     &len);
	if (ret)
		return ret;
	if (len < 8)
		return -EIO;

	n = min_t(size_t, get_unaligned_le16(buf), (len - 8) / sizeof(*ent));
	ent = buf + 8;
	for (i = 0; i != n; i++, ent++) {
		if (uuid_equal((const uuid_t *)ent->uuid, &cxl_fwctl_cel_uuid)) {
			*size = le32_to_cpu(ent->size);
			return 0;
		}
	}
	return -ENOENT;
}

/* Reads the Command Effects Log into a kvmalloc'd array */
static int cxl_fwctl_read_cel(struct cxl_fwctl_mbox *mbox,
			      struct cxl_fwctl_cel_entry **celp,
			      unsigned int *nr_cel)
{
	struct cxl_fwctl_cel_entry *cel __free(kvfree) = NULL;
	void *buf __free(kvfree) = kvzalloc(mbox->payload_size, GFP_KERNEL);
	size_t chunk = rounddown(mbox->payload_size, 4);
	struct cxl_fwctl_get_log_in in = {};
	unsigned int n, i = 0;
	u32 size, off;
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = cxl_fwctl_cel_size(mbox, buf, &size);
	if (ret)
		return ret;

	n = min_t(u32, size / 4, CXL_FWCTL_MAX_CEL);
	cel = kvcalloc(max(n, 1U), sizeof(*cel), GFP_KERNEL);
	if (!cel)
		return -ENOMEM;

	memcpy(in.uuid, &cxl_fwctl_cel_uuid, sizeof(in.uuid));
	for (off = 0; off < n * 4; off += chunk) {
		size_t want = min_t(size_t, chunk, n * 4 - off);
		size_t len = want;
		const u8 *p = buf;

		in.offset = cpu_to_le32(off);
		in.length = cpu_to_le32(want);
		ret = cxl_fwctl_send(mbox, CXL_OP_GET_LOG, &in, sizeof(in), buf,
				     &len);
		if (ret)
			return ret;
		if (len != want)
			return -EIO;
		for (; len; len -= 4, p += 4, i++) {
			cel[i].opcode = get_unaligned_le16(p);
			cel[i].effects = get_unaligned_le16(p + 2);
		}
	}

	*celp = no_free_ptr(cel);
	*nr_cel = n;
	return 0;
}

static bool cxl_fwctl_cel_has(const struct cxl_fwctl_cel_entry *cel,
			      unsigned int nr_cel, u16 opcode)
{
	unsigned int i;

	for (i = 0; i != nr_cel; i++)
		if (cel[i].opcode == opcode)
			return true;
	return false;
}

/*
 * Reads the device's supported features, page by page, into a kvmalloc'd
 * array of the entries user space is shown: a feature the kernel drives is
 * shown as not changeable.
 */
static int cxl_fwctl_read_feats(struct cxl_fwctl_mbox *mbox,
				struct cxl_feat_entry **featsp,
				unsigned int *nr_feats)
{
	struct cxl_feat_entry *feats __free(kvfree) = NULL;
	struct cxl_mbox_get_sup_feats_out *out __free(kvfree) =
		kvzalloc(mbox->payload_size, GFP_KERNEL);
	struct cxl_mbox_get_sup_feats_in in = {
		.count = cpu_to_le32(mbox->payload_size),
	};
	unsigned int total = 0, n = 0, i;
	int ret;

	if (!out)
		return -ENOMEM;

	do {
		size_t len = mbox->payload_size;
		unsigned int got;

		in.start_idx = cpu_to_le16(n);
		ret = cxl_fwctl_send(mbox, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES,
				     &in, sizeof(in), out, &len);
		if (ret)
			return ret;
		if (len < sizeof(*out))
			return -EIO;
		if (!feats) {
			total = le16_to_cpu(out->supported_feats);
			feats = kvcalloc(max(total, 1U), sizeof(*feats),
					 GFP_KERNEL);
			if (!feats)
				return -ENOMEM;
		}
		got = min3((size_t)le16_to_cpu(out->num_entries),
			   (len - sizeof(*out)) / sizeof(*feats),
			   (size_t)(total - n));
		/* A device that stops early has only this many */
		if (!got)
			break;
		memcpy(&feats[n], out->ents, got * sizeof(*feats));
		n += got;
	} while (n < total);

	for (i = 0; i != n; i++) {
		struct cxl_feat_entry *feat = &feats[i];

		if (mbox->ops->feature_kernel_owned &&
		    mbox->ops->feature_kernel_owned(mbox,
						    (const uuid_t *)feat->uuid)) {
			feat->flags &= ~cpu_to_le32(FWCTL_CXL_FEAT_F_CHANGEABLE);
			feat->set_feat_size = 0;
		}
	}

	*featsp = no_free_ptr(feats);
	*nr_feats = n;
	return 0;
}

static const struct cxl_feat_entry *
cxl_fwctl_find_feat(struct cxl_fwctl *cxlfw, const u8 *uuid)
{
	unsigned int i;

	for (i = 0; i != cxlfw->nr_feats; i++)
		if (!memcmp(cxlfw->feats[i].uuid, uuid, 16))
			return &cxlfw->feats[i];
	return NULL;
}

/* Get Supported Features, answered from the list read at creation */
static void *cxl_fwctl_get_sup_feats(struct cxl_fwctl *cxlfw, void *rpc_in,
				     size_t *out_len)
{
	const struct fwctl_rpc_cxl *req = rpc_in;
	struct fwctl_rpc_cxl_out *rsp = rpc_in;
	const struct cxl_mbox_get_sup_feats_in *in = &req->get_sup_feats_in;
	u32 count = le32_to_cpu(in->count);
	u16 start = le16_to_cpu(in->start_idx);
	size_t n, len;

	if (req->op_size != sizeof(*in) || in->reserved[0] || in->reserved[1])
		return ERR_PTR(-EINVAL);
	if (count < sizeof(rsp->get_sup_feats_out) || start > cxlfw->nr_feats)
		return ERR_PTR(-EINVAL);

	n = min_t(size_t, (count - sizeof(rsp->get_sup_feats_out)) /
			  sizeof(struct cxl_feat_entry),
		  cxlfw->nr_feats - start);
	len = struct_size(rsp, get_sup_feats_out.ents, n);
	if (len > *out_len)
		return ERR_PTR(-EINVAL);

	/* The request is consumed: the reply goes in its place */
	memset(rsp, 0, len);
	rsp->size = len - HDR_OUT;
	rsp->retval = CXL_FWCTL_RC_SUCCESS;
	rsp->get_sup_feats_out.num_entries = cpu_to_le16(n);
	rsp->get_sup_feats_out.supported_feats = cpu_to_le16(cxlfw->nr_feats);
	memcpy(rsp->get_sup_feats_out.ents, &cxlfw->feats[start],
	       n * sizeof(struct cxl_feat_entry));
	*out_len = len;
	return rsp;
}

/* Get Feature, split into reads the mailbox payload can carry */
static void *cxl_fwctl_get_feat(struct cxl_fwctl *cxlfw, void *rpc_in,
				size_t *out_len)
{
	const struct fwctl_rpc_cxl *req = rpc_in;
	struct cxl_mbox_get_feat_in in = req->get_feat_in;
	struct cxl_fwctl_mbox *mbox = cxlfw->mbox;
	u16 offset = le16_to_cpu(in.offset);
	u16 count = le16_to_cpu(in.count);
	const struct cxl_feat_entry *feat;
	struct fwctl_rpc_cxl_out *rsp;
	size_t done = 0;
	u16 retval = CXL_FWCTL_RC_SUCCESS;

	if (req->op_size != sizeof(in))
		return ERR_PTR(-EINVAL);
	feat = cxl_fwctl_find_feat(cxlfw, in.uuid);
	if (!feat || in.selection > FWCTL_CXL_FEAT_SEL_SAVED || !count ||
	    offset + count > le16_to_cpu(feat->get_feat_size))
		return ERR_PTR(-EINVAL);
	if (HDR_OUT + count > *out_len)
		return ERR_PTR(-EINVAL);

	rsp = kvzalloc(HDR_OUT + count, GFP_KERNEL);
	if (!rsp)
		return ERR_PTR(-ENOMEM);

	while (done < count) {
		size_t want = min_t(size_t, count - done, mbox->payload_size);
		struct cxl_fwctl_mbox_cmd cmd = {
			.opcode = FWCTL_CXL_OP_GET_FEATURE,
			.in = &in,
			.in_size = sizeof(in),
			.out = rsp->payload + done,
			.out_size = want,
		};
		int ret;

		in.offset = cpu_to_le16(offset + done);
		in.count = cpu_to_le16(want);
		ret = cxl_fwctl_mbox_send(mbox, &cmd);
		if (ret) {
			kvfree(rsp);
			return ERR_PTR(ret);
		}
		retval = cmd.retval;
		if (retval != CXL_FWCTL_RC_SUCCESS)
			break;
		done += cmd.out_size;
		/* The feature has no more data than this */
		if (cmd.out_size < want)
			break;
	}

	rsp->size = done;
	rsp->retval = retval;
	*out_len = HDR_OUT + done;
	return rsp;
}

/* Sends one part of a Set Feature transfer; returns the return code */
static int cxl_fwctl_set_feat_part(struct cxl_fwctl_mbox *mbox,
				   struct cxl_mbox_set_feat_in *part,
				   u32 flags, u8 action, size_t offset,
				   const u8 *data, size_t len)
{
	struct cxl_fwctl_mbox_cmd cmd = {
		.opcode = FWCTL_CXL_OP_SET_FEATURE,
		.in = part,
		.in_size = sizeof(part->hdr) + len,
	};
	int ret;

	part->hdr.flags = cpu_to_le32(flags | action);
	part->hdr.offset = cpu_to_le16(offset);
	if (len)
		memcpy(part->feat_data, data, len);
	ret = cxl_fwctl_mbox_send(mbox, &cmd);
	return ret ? ret : cmd.retval;
}

/*
 * Set Feature, split into an initiate, continue and finish transfer when
 * the data does not fit in one payload. A failed part aborts the transfer
 * so that the device is not left waiting for the rest.
 *
 * Return: a negative errno when a part could not be delivered, else the
 * mailbox return code of the transfer.
 */
static int cxl_fwctl_set_feat_xfer(struct cxl_fwctl *cxlfw,
				   const struct cxl_mbox_set_feat_in *in,
				   size_t len)
{
	struct cxl_fwctl_mbox *mbox = cxlfw->mbox;
	size_t chunk = mbox->payload_size - sizeof(in->hdr);
	u32 flags = le32_to_cpu(in->hdr.flags);
	size_t off, n;
	int ret = 0;
	struct cxl_mbox_set_feat_in *part __free(kvfree) =
		kvzalloc(mbox->payload_size, GFP_KERNEL);

	if (!part)
		return -ENOMEM;
	part->hdr = in->hdr;

	guard(mutex)(&cxlfw->feat_lock);
	if (len <= chunk)
		return cxl_fwctl_set_feat_part(mbox, part, flags, SET_FEAT_FULL,
					       0, in->feat_data, len);

	for (off = 0; off < len && !ret; off += n) {
		u8 action = SET_FEAT_CONTINUE;

		n = min(chunk, len - off);
		if (!off)
			action = SET_FEAT_INITIATE;
		else if (off + n == len)
			action = SET_FEAT_FINISH;
		ret = cxl_fwctl_set_feat_part(mbox, part, flags, action, off,
					      in->feat_data + off, n);
		if (ret && off)
			cxl_fwctl_set_feat_part(mbox, part, flags,
						SET_FEAT_ABORT, 0, NULL, 0);
	}
	return ret;
}

/* Set Feature: the feature's effects decide the scope it needs */
static void *cxl_fwctl_set_feat(struct cxl_fwctl *cxlfw,
				enum fwctl_rpc_scope scope, void *rpc_in,
				size_t in_len, size_t *out_len)
{
	const struct fwctl_rpc_cxl *req = rpc_in;
	const struct cxl_mbox_set_feat_in *in = &req->set_feat_in;
	struct fwctl_rpc_cxl_out *rsp = rpc_in;
	const struct cxl_feat_entry *feat;
	enum fwctl_rpc_scope needed;
	size_t len;
	int ret;

	if (req->op_size != in_len - HDR_IN)
		return ERR_PTR(-EINVAL);
	len = req->op_size - sizeof(in->hdr);
	if (!len || memchr_inv(in->hdr.reserved, 0, sizeof(in->hdr.reserved)))
		return ERR_PTR(-EINVAL);
	/* The driver does the partial transfers itself */
	if (le32_to_cpu(in->hdr.flags) &
	    ~FWCTL_CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET || in->hdr.offset)
		return ERR_PTR(-EINVAL);

	feat = cxl_fwctl_find_feat(cxlfw, in->hdr.uuid);
	if (!feat)
		return ERR_PTR(-EINVAL);
	if (!(le32_to_cpu(feat->flags) & FWCTL_CXL_FEAT_F_CHANGEABLE) ||
	    !feat->set_feat_size)
		return ERR_PTR(-EPERM);
	if (cxl_fwctl_feat_scope(le16_to_cpu(feat->effects), &needed) ||
	    scope < needed)
		return ERR_PTR(-EPERM);
	if (len > le16_to_cpu(feat->set_feat_size))
		return ERR_PTR(-EINVAL);

	ret = cxl_fwctl_set_feat_xfer(cxlfw, in, len);
	if (ret < 0)
		return ERR_PTR(ret);

	/* The request is consumed: the reply goes in its place */
	rsp->size = 0;
	rsp->retval = ret;
	*out_len = HDR_OUT;
	return rsp;
}

/*
 * Any other command: the payload goes to the device as it is, and the
 * reply comes back after the header.
 *
 * The reply always fits in the request's buffer (the core sized it for the
 * reply), so a small input is set aside and the reply written in place:
 * query commands, the most frequent, then need no allocation.
 */
static void *cxl_fwctl_raw(struct cxl_fwctl *cxlfw,
			   const struct cxl_fwctl_cmd_info *info,
			   void *rpc_in, size_t in_len, size_t *out_len)
{
	const struct fwctl_rpc_cxl *req = rpc_in;
	struct cxl_fwctl_mbox *mbox = cxlfw->mbox;
	/*
	 * Neither is cleared on entry, though the kernel may be built to
	 * clear every stack variable: every field of @cmd is set below, and
	 * only the @cmd.in_size bytes copied into @in_copy are read.
	 */
	struct cxl_fwctl_mbox_cmd cmd __uninitialized;
	u8 in_copy[CXL_FWCTL_SMALL_INPUT] __uninitialized;
	struct fwctl_rpc_cxl_out *rsp;
	int ret;

	if (req->op_size != in_len - HDR_IN)
		return ERR_PTR(-EINVAL);
	cmd.opcode = req->opcode;
	cmd.in = req->payload;
	cmd.in_size = req->op_size;
	cmd.out_size = min_t(size_t, info->out_max, *out_len - HDR_OUT);
	cmd.retval = CXL_FWCTL_RC_SUCCESS;

	/* Commands whose output length is in their input */
	if (info->kind == CXL_FWCTL_KIND_GET_LSA ||
	    info->kind == CXL_FWCTL_KIND_GET_LOG) {
		size_t off = info->kind == CXL_FWCTL_KIND_GET_LSA ?
			     offsetof(struct cxl_fwctl_get_lsa_in, length) :
			     offsetof(struct cxl_fwctl_get_log_in, length);
		u32 length = get_unaligned_le32(req->payload + off);

		/*
		 * A zero-length read of the label area is meaningless, and
		 * device models have been seen to abort on it
		 */
		if ((!length && info->kind == CXL_FWCTL_KIND_GET_LSA) ||
		    length > info->out_max || HDR_OUT + length > *out_len)
			return ERR_PTR(-EINVAL);
		cmd.out_size = length;
	}

	if (cmd.in_size <= sizeof(in_copy)) {
		/* Query commands, the most frequent, have no input */
		if (cmd.in_size) {
			memcpy(in_copy, req->payload, cmd.in_size);
			cmd.in = in_copy;
		}
		rsp = rpc_in;
	} else {
		rsp = kvmalloc(HDR_OUT + cmd.out_size, GFP_KERNEL);
		if (!rsp)
			return ERR_PTR(-ENOMEM);
	}
	cmd.out = rsp->payload;

	ret = cxl_fwctl_mbox_send(mbox, &cmd);
	/* A reply shorter than the command defines is a device bug */
	if (!ret && cmd.retval == CXL_FWCTL_RC_SUCCESS &&
	    cmd.out_size < info->out_min)
		ret = -EIO;
	if (ret) {
		if (rsp != rpc_in)
			kvfree(rsp);
		return ERR_PTR(ret);
	}

	/* Only the bytes the device wrote are returned */
	rsp->retval = cmd.retval;
	rsp->size = cmd.retval == CXL_FWCTL_RC_SUCCESS ? cmd.out_size : 0;
	*out_len = HDR_OUT + rsp->size;
	return rsp;
}

static void *cxl_fwctl_fw_rpc(struct fwctl_uctx *uctx,
			      const struct fwctl_cmd *cmd,
			      enum fwctl_rpc_scope scope, void *rpc_in,
			      size_t in_len, size_t *out_len)
{
	struct cxl_fwctl *cxlfw = to_cxl_fwctl(uctx->fwctl);
	const struct fwctl_rpc_cxl *req = rpc_in;
	const struct cxl_fwctl_cmd_info *info;

	/* The table is always set: the core matched the opcode in it */
	if (WARN_ON_ONCE(!cmd))
		return ERR_PTR(-EOPNOTSUPP);
	info = &cxlfw->info[cmd - cxlfw->cmds];

	/* The core checked in_len against the command's bounds */
	if (req->flags)
		return ERR_PTR(-EOPNOTSUPP);
	if (req->reserved1 || req->op_size > in_len - HDR_IN)
		return ERR_PTR(-EINVAL);

	switch (info->kind) {
	case CXL_FWCTL_KIND_GET_SUP_FEATS:
		return cxl_fwctl_get_sup_feats(cxlfw, rpc_in, out_len);
	case CXL_FWCTL_KIND_GET_FEAT:
		return cxl_fwctl_get_feat(cxlfw, rpc_in, out_len);
	case CXL_FWCTL_KIND_SET_FEAT:
		return cxl_fwctl_set_feat(cxlfw, scope, rpc_in, in_len,
					  out_len);
	default:
		return cxl_fwctl_raw(cxlfw, info, rpc_in, in_len, out_len);
	}
}

static void *cxl_fwctl_info(struct fwctl_uctx *uctx, size_t *length)
{
	struct cxl_fwctl *cxlfw = to_cxl_fwctl(uctx->fwctl);
	struct fwctl_info_cxl *info;
	unsigned int i;

	info = kzalloc(struct_size(info, commands, cxlfw->nr_cmds),
		       GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);

	info->payload_size = cxlfw->mbox->payload_size;
	info->nr_commands = cxlfw->nr_cmds;
	info->nr_features = cxlfw->nr_feats;
	for (i = 0; i != cxlfw->nr_cmds; i++) {
		info->commands[i].opcode = cxlfw->cmds[i].id;
		info->commands[i].effects = cxlfw->info[i].effects;
		info->commands[i].scope = cxlfw->cmds[i].scope;
	}
	*length = struct_size(info, commands, cxlfw->nr_cmds);
	return info;
}

static const struct fwctl_ops cxl_fwctl_ops = {
	.device_type = FWCTL_DEVICE_TYPE_CXL,
	.uctx_size = sizeof(struct fwctl_uctx),
	.info = cxl_fwctl_info,
	.fw_rpc = cxl_fwctl_fw_rpc,
};

/* The largest feature data each Features command carries */
static void cxl_fwctl_feat_limits(const struct cxl_feat_entry *feats,
				  unsigned int nr_feats,
				  struct cxl_fwctl_limits *lim)
{
	unsigned int i;

	lim->get_sup_feats_max = sizeof(struct cxl_mbox_get_sup_feats_out) +
				 nr_feats * sizeof(*feats);
	for (i = 0; i != nr_feats; i++) {
		lim->get_feat_max = max_t(size_t, lim->get_feat_max,
					  le16_to_cpu(feats[i].get_feat_size));
		lim->set_feat_max = max_t(size_t, lim->set_feat_max,
					  le16_to_cpu(feats[i].set_feat_size));
	}
}

/* Frees what cxl_fwctl_create() allocated, once no callback can run */
static void cxl_fwctl_free(struct cxl_fwctl *cxlfw)
{
	kfree(cxlfw->cmds);
	kfree(cxlfw->info);
	kvfree(cxlfw->feats);
	mutex_destroy(&cxlfw->feat_lock);
	fwctl_put(&cxlfw->fwctl);
}

/**
 * cxl_fwctl_create - create the fwctl device of a CXL mailbox
 * @mbox: the mailbox; its parent device becomes the fwctl device's
 *
 * Reads the Command Effects Log and the supported features, builds the
 * command table and registers the device.
 *
 * Return: the device, or an ERR_PTR: -ENODEV when the mailbox has no
 * usable CEL, -ENOMEM, or the error of a mailbox command.
 */
struct cxl_fwctl *cxl_fwctl_create(struct cxl_fwctl_mbox *mbox)
{
	struct cxl_fwctl_cel_entry *cel __free(kvfree) = NULL;
	struct cxl_feat_entry *feats __free(kvfree) = NULL;
	struct cxl_fwctl_cmd_info *info __free(kfree) = NULL;
	struct fwctl_cmd *cmds __free(kfree) = NULL;
	struct cxl_fwctl_limits lim = {
		.payload_size = mbox->payload_size,
	};
	unsigned int nr_cel, nr_feats = 0;
	struct cxl_fwctl *cxlfw;
	int ret, n;

	/* CXL r3.1 8.2.8.4.3: the payload is 256 bytes to 1 MiB */
	if (mbox->payload_size < 256 || mbox->payload_size > SZ_1M)
		return ERR_PTR(-ENODEV);

	ret = cxl_fwctl_read_cel(mbox, &cel, &nr_cel);
	if (ret)
		return ERR_PTR(ret == -ENOMEM ? ret : -ENODEV);

	if (cxl_fwctl_cel_has(cel, nr_cel,
			      FWCTL_CXL_OP_GET_SUPPORTED_FEATURES)) {
		ret = cxl_fwctl_read_feats(mbox, &feats, &nr_feats);
		if (ret == -ENOMEM)
			return ERR_PTR(ret);
		if (ret)
			dev_dbg(mbox->parent, "no features: %d\n", ret);
		lim.have_features = !ret;
		cxl_fwctl_feat_limits(feats, nr_feats, &lim);
	}

	n = cxl_fwctl_build_cmds(cel, nr_cel, &lim, &cmds, &info);
	if (n < 0)
		return ERR_PTR(n);

	cxlfw = fwctl_alloc_device(mbox->parent, &cxl_fwctl_ops,
				   struct cxl_fwctl, fwctl);
	if (!cxlfw)
		return ERR_PTR(-ENOMEM);
	mutex_init(&cxlfw->feat_lock);
	cxlfw->mbox = mbox;
	cxlfw->cmds = no_free_ptr(cmds);
	cxlfw->info = no_free_ptr(info);
	cxlfw->nr_cmds = n;
	cxlfw->feats = no_free_ptr(feats);
	cxlfw->nr_feats = nr_feats;
	cxlfw->table = (struct fwctl_cmd_table) {
		.id = {
			.offset = offsetof(struct fwctl_rpc_cxl, opcode),
			.width = sizeof_field(struct fwctl_rpc_cxl, opcode),
			.flags = IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) ?
				 FWCTL_FIELD_BE : 0,
		},
		.cmds = cxlfw->cmds,
		.num_cmds = n,
	};
	cxlfw->fwctl.cmds = &cxlfw->table;

	ret = fwctl_register(&cxlfw->fwctl);
	if (ret) {
		cxl_fwctl_free(cxlfw);
		return ERR_PTR(ret);
	}
	return cxlfw;
}
EXPORT_SYMBOL_NS_GPL(cxl_fwctl_create, CXL_FWCTL);

/**
 * cxl_fwctl_destroy - unregister and free a device from cxl_fwctl_create()
 * @cxlfw: the device
 *
 * Waits for the RPCs in flight; when it returns the mailbox is no longer
 * used. Files still open get ENODEV.
 */
void cxl_fwctl_destroy(struct cxl_fwctl *cxlfw)
{
	fwctl_unregister(&cxlfw->fwctl);
	cxl_fwctl_free(cxlfw);
}
EXPORT_SYMBOL_NS_GPL(cxl_fwctl_destroy, CXL_FWCTL);

MODULE_DESCRIPTION("fwctl driver for CXL memory devices");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(FWCTL);
