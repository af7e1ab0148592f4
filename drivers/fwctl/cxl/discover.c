// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-tree glue: find the CXL memdevs of a kernel whose CXL stack does
 * not call devm_cxl_fwctl_add() itself.
 *
 * The module watches the CXL bus: a memdev added to it gets a fwctl
 * device, and loses it when it is deleted, which the CXL core does before
 * it tears down the memdev's mailbox (cxl_memdev_unregister() deletes the
 * device first). Both notifications run with the memdev's parent, the
 * device owning the mailbox, locked by the driver core.
 *
 * Lock order: the memdev's parent device lock, then cxl_fwctl_lock.
 */
#include <linux/device.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <cxlmem.h>

#include "cxl_fwctl.h"

/**
 * struct cxl_fwctl_found - a memdev that has a fwctl device
 * @node: entry in cxl_fwctl_list
 * @cxlmd: the memdev
 * @md: its fwctl side
 */
struct cxl_fwctl_found {
	struct list_head node;
	struct cxl_memdev *cxlmd;
	struct cxl_fwctl_memdev *md;
};

/* Protects cxl_fwctl_list and cxl_fwctl_stopping */
static DEFINE_MUTEX(cxl_fwctl_lock);
static LIST_HEAD(cxl_fwctl_list);
static bool cxl_fwctl_stopping;

static struct cxl_fwctl_found *cxl_fwctl_lookup(struct cxl_memdev *cxlmd)
{
	struct cxl_fwctl_found *found;

	lockdep_assert_held(&cxl_fwctl_lock);
	list_for_each_entry(found, &cxl_fwctl_list, node)
		if (found->cxlmd == cxlmd)
			return found;
	return NULL;
}

/* The caller makes sure that the memdev's mailbox is alive */
static void cxl_fwctl_add(struct cxl_memdev *cxlmd)
{
	struct cxl_fwctl_found *found;
	struct cxl_fwctl_memdev *md;

	guard(mutex)(&cxl_fwctl_lock);
	if (cxl_fwctl_stopping || cxl_fwctl_lookup(cxlmd))
		return;

	found = kzalloc(sizeof(*found), GFP_KERNEL);
	if (!found)
		return;
	md = cxl_fwctl_memdev_create(cxlmd);
	if (IS_ERR(md)) {
		dev_info(&cxlmd->dev, "no fwctl device: %pe\n", md);
		kfree(found);
		return;
	}
	found->cxlmd = cxlmd;
	found->md = md;
	list_add_tail(&found->node, &cxl_fwctl_list);
}

static void cxl_fwctl_remove(struct cxl_fwctl_found *found)
{
	lockdep_assert_held(&cxl_fwctl_lock);
	list_del(&found->node);
	cxl_fwctl_memdev_destroy(found->md);
	kfree(found);
}

static void cxl_fwctl_del(struct cxl_memdev *cxlmd)
{
	struct cxl_fwctl_found *found;

	guard(mutex)(&cxl_fwctl_lock);
	found = cxl_fwctl_lookup(cxlmd);
	if (found)
		cxl_fwctl_remove(found);
}

static int cxl_fwctl_bus_notify(struct notifier_block *nb,
				unsigned long action, void *data)
{
	struct device *dev = data;

	if (!is_cxl_memdev(dev))
		return NOTIFY_DONE;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		cxl_fwctl_add(to_cxl_memdev(dev));
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		cxl_fwctl_del(to_cxl_memdev(dev));
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block cxl_fwctl_nb = {
	.notifier_call = cxl_fwctl_bus_notify,
};

/*
 * A memdev that was on the bus before the notifier was registered. Its
 * deletion may already have been notified, unseen, while it is still on
 * the bus list; but its mailbox is torn down only with its parent's lock
 * held, which also clears cxlmd->cxlds. Under that lock a memdev whose
 * cxlds is set is alive and its deletion not yet notified.
 */
static int cxl_fwctl_scan_one(struct device *dev, void *data)
{
	struct cxl_memdev *cxlmd;
	struct device *host = dev->parent;

	if (!is_cxl_memdev(dev) || !host)
		return 0;
	cxlmd = to_cxl_memdev(dev);

	guard(device)(host);
	if (cxlmd->cxlds)
		cxl_fwctl_add(cxlmd);
	return 0;
}

static int __init cxl_fwctl_init(void)
{
	int ret;

	ret = bus_register_notifier(&cxl_bus_type, &cxl_fwctl_nb);
	if (ret)
		return ret;
	bus_for_each_dev(&cxl_bus_type, NULL, NULL, cxl_fwctl_scan_one);
	return 0;
}

static void __exit cxl_fwctl_exit(void)
{
	struct cxl_fwctl_found *found, *next;

	/*
	 * Remove the devices while the notifier still holds back the
	 * deletion of their memdevs, whose mailboxes they may be using.
	 */
	scoped_guard(mutex, &cxl_fwctl_lock) {
		cxl_fwctl_stopping = true;
		list_for_each_entry_safe(found, next, &cxl_fwctl_list, node)
			cxl_fwctl_remove(found);
	}
	bus_unregister_notifier(&cxl_bus_type, &cxl_fwctl_nb);
}

module_init(cxl_fwctl_init);
module_exit(cxl_fwctl_exit);
