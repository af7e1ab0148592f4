// SPDX-License-Identifier: GPL-2.0
/*
 * The mailbox of a CXL memory device of the kernel's CXL stack, as a
 * cxl_fwctl transport.
 *
 * Commands go through cxl_internal_send_cmd(), which serializes them with
 * the kernel's own on the device's mailbox mutex. The fwctl device lives
 * under the memdev and must be gone before the memdev's mailbox state is:
 * in-tree the CXL PCI driver adds it with devm_cxl_fwctl_add() right after
 * the memdev, so that devres removes it first; out of tree, discover.c
 * removes it when the memdev is deleted from the bus, which also comes
 * before the mailbox is torn down.
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <cxlmem.h>

#include "cxl_fwctl.h"

/**
 * struct cxl_fwctl_memdev - the fwctl side of one CXL memdev
 * @mbox: the transport the driver sees
 * @cxl_mbox: the memdev's mailbox
 * @cxlfw: the fwctl device
 */
struct cxl_fwctl_memdev {
	struct cxl_fwctl_mbox mbox;
	struct cxl_mailbox *cxl_mbox;
	struct cxl_fwctl *cxlfw;
};

/* The nine fields cxl_fwctl_memdev_send() sets, laid out as in 6.12 */
static_assert(sizeof(struct cxl_mbox_cmd) == 64 &&
	      offsetof(struct cxl_mbox_cmd, return_code) == 56);

int cxl_fwctl_memdev_send(struct cxl_fwctl_mbox *mbox,
			  struct cxl_fwctl_mbox_cmd *cmd)
{
	struct cxl_fwctl_memdev *md =
		container_of(mbox, struct cxl_fwctl_memdev, mbox);
	/*
	 * Set field by field: a designated initializer would clear the whole
	 * structure on every command first. The assertion above catches a
	 * kernel whose structure has grown a field this does not set.
	 */
	struct cxl_mbox_cmd mbox_cmd __uninitialized;
	int rc;

	mbox_cmd.opcode = cmd->opcode;
	/* The CXL core only reads the input */
	mbox_cmd.payload_in = (void *)cmd->in;
	mbox_cmd.size_in = cmd->in_size;
	mbox_cmd.payload_out = cmd->out;
	mbox_cmd.size_out = cmd->out_size;
	mbox_cmd.min_out = 0;
	mbox_cmd.poll_count = 0;
	mbox_cmd.poll_interval_ms = 0;
	mbox_cmd.return_code = CXL_MBOX_CMD_RC_SUCCESS;

	rc = cxl_internal_send_cmd(md->cxl_mbox, &mbox_cmd);
	/*
	 * -EIO means only that the device returned less than asked, which
	 * the driver judges itself; another error with a failure status set
	 * is the device's answer, and without one the command never ran.
	 */
	if (rc && rc != -EIO &&
	    (mbox_cmd.return_code == CXL_MBOX_CMD_RC_SUCCESS ||
	     mbox_cmd.return_code == CXL_MBOX_CMD_RC_BACKGROUND))
		return rc;

	cmd->retval = mbox_cmd.return_code;
	cmd->out_size = cmd->retval == CXL_MBOX_CMD_RC_SUCCESS ?
			mbox_cmd.size_out : 0;
	return 0;
}

static const struct cxl_fwctl_mbox_ops cxl_fwctl_memdev_ops = {
	.send = cxl_fwctl_memdev_send,
};

/**
 * cxl_fwctl_memdev_create - create the fwctl device of a CXL memdev
 * @cxlmd: the memdev, whose mailbox stays valid until
 *	cxl_fwctl_memdev_destroy()
 *
 * Return: the new state, or an ERR_PTR.
 */
struct cxl_fwctl_memdev *cxl_fwctl_memdev_create(struct cxl_memdev *cxlmd)
{
	struct cxl_mailbox *cxl_mbox = &cxlmd->cxlds->cxl_mbox;
	struct cxl_fwctl_memdev *md;
	struct cxl_fwctl *cxlfw;

	if (!cxl_mbox->mbox_send)
		return ERR_PTR(-ENODEV);

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return ERR_PTR(-ENOMEM);
	md->mbox.ops = &cxl_fwctl_memdev_ops;
	md->mbox.parent = &cxlmd->dev;
	md->mbox.payload_size = cxl_mbox->payload_size;
	md->cxl_mbox = cxl_mbox;

	cxlfw = cxl_fwctl_create(&md->mbox);
	if (IS_ERR(cxlfw)) {
		kfree(md);
		return ERR_CAST(cxlfw);
	}
	md->cxlfw = cxlfw;
	return md;
}

/**
 * cxl_fwctl_memdev_destroy - remove the fwctl device of a CXL memdev
 * @md: what cxl_fwctl_memdev_create() returned
 *
 * Waits for the RPCs in flight; the mailbox is not used after it returns.
 */
void cxl_fwctl_memdev_destroy(struct cxl_fwctl_memdev *md)
{
	cxl_fwctl_destroy(md->cxlfw);
	kfree(md);
}

MODULE_IMPORT_NS(CXL);
