// SPDX-License-Identifier: GPL-2.0
/*
 * In-tree glue: the CXL PCI driver calls devm_cxl_fwctl_add() for each
 * memory device it creates (declared in drivers/cxl/cxlmem.h). Out of
 * tree, discover.c finds the memory devices instead.
 */
#include <linux/device.h>
#include <cxlmem.h>

#include "cxl_fwctl.h"

static void cxl_fwctl_memdev_release(void *md)
{
	cxl_fwctl_memdev_destroy(md);
}

/**
 * devm_cxl_fwctl_add - give a CXL memdev a fwctl device
 * @host: the device whose driver owns the memdev's mailbox
 * @cxlmd: the memdev, added with devm_cxl_add_memdev() on @host
 *
 * Called after the memdev is added, so that devres removes the fwctl
 * device before the memdev and its mailbox. Failure leaves the memdev
 * working without a fwctl device.
 *
 * Return: 0 or a negative errno.
 */
int devm_cxl_fwctl_add(struct device *host, struct cxl_memdev *cxlmd)
{
	struct cxl_fwctl_memdev *md;

	md = cxl_fwctl_memdev_create(cxlmd);
	if (IS_ERR(md)) {
		dev_info(&cxlmd->dev, "no fwctl device: %pe\n", md);
		return PTR_ERR(md);
	}
	return devm_add_action_or_reset(host, cxl_fwctl_memdev_release, md);
}
EXPORT_SYMBOL_NS_GPL(devm_cxl_fwctl_add, CXL);
