// SPDX-License-Identifier: GPL-2.0
/*
 * Accelerator management channel: the device, its files, its regions of
 * device memory and the DMA staging buffers. The message format lives in
 * accel_trans.c, the hardware below struct accel_hw_ops.
 *
 * Every transfer goes through a buffer allocated here: whole pages used for
 * nothing else, mapped with the DMA API for that one transfer and in the
 * one direction it needs, so the IOMMU lets the device read a buffer it
 * only has to read. A buffer is unmapped and freed only while the device
 * reports its DMA engine idle. When a transfer times out the engine may
 * still be running, so its buffer stays mapped, in the quarantine list,
 * until a later look finds the engine idle, or until unregister has turned
 * bus mastering off and seen the engine stop. A buffer the engine never
 * lets go of is leaked, never freed while the device may still write it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "accel.h"

/* Staging buffers allocated and not yet freed, on every device */
atomic_t accel_dma_bufs = ATOMIC_INIT(0);

/* How often a wait looks at the hardware when no interrupt comes */
#define ACCEL_POLL_MS		10

/**
 * accel_dma_buf_alloc - allocate and map a staging buffer for one transfer
 * @adev: the device
 * @len: bytes to transfer, 1 to &accel_hw_info.max_xfer
 * @dir: direction of the transfer
 * @data: for %ACCEL_DMA_TO_DEVICE, @len bytes the device will read; NULL
 *	for zeroes
 *
 * The data is copied in before the buffer is mapped, so no sync is needed
 * before the device reads it.
 *
 * Return: the buffer, or NULL when memory or mapping space is short
 */
struct accel_dma_buf *accel_dma_buf_alloc(struct accel_dev *adev, u32 len,
					  enum accel_dma_dir dir,
					  const void *data)
{
	struct accel_dma_buf *buf;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return NULL;
	INIT_LIST_HEAD(&buf->node);
	buf->len = len;
	buf->order = get_order(len);
	buf->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, buf->order);
	if (!buf->page)
		goto err_free;
	if (dir == ACCEL_DMA_TO_DEVICE && data)
		memcpy(page_address(buf->page), data, len);

	buf->dir = dir == ACCEL_DMA_TO_DEVICE ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	buf->addr = dma_map_page(adev->dma_dev, buf->page, 0, len, buf->dir);
	if (dma_mapping_error(adev->dma_dev, buf->addr))
		goto err_pages;

	atomic_inc(&accel_dma_bufs);
	return buf;

err_pages:
	__free_pages(buf->page, buf->order);
err_free:
	kfree(buf);
	return NULL;
}

/**
 * accel_dma_buf_free - unmap and free a staging buffer
 * @adev: the device
 * @buf: a buffer the DMA engine is not using: never started, or whose
 *	transfer the engine completed
 * @out: when not NULL, receives &accel_dma_buf.len bytes of the buffer,
 *	read after the unmap made the device's writes visible
 */
void accel_dma_buf_free(struct accel_dev *adev, struct accel_dma_buf *buf,
			void *out)
{
	dma_unmap_page(adev->dma_dev, buf->addr, buf->len, buf->dir);
	if (out)
		memcpy(out, page_address(buf->page), buf->len);
	__free_pages(buf->page, buf->order);
	kfree(buf);
	atomic_dec(&accel_dma_bufs);
}

/**
 * accel_wait_idle - wait until a unit of the device is idle
 * @adev: the device
 * @busy: the hardware layer's test for the unit
 *
 * The interrupt only says "look again": a raw register write can raise one
 * while the unit still runs, so the unit's own busy bit decides. Without
 * interrupts the bit is polled every %ACCEL_POLL_MS.
 *
 * Return: 0 once idle, -ETIMEDOUT when still busy after the device's
 * timeout
 */
int accel_wait_idle(struct accel_dev *adev, bool (*busy)(struct accel_dev *))
{
	unsigned long deadline = jiffies + msecs_to_jiffies(adev->timeout_ms);
	unsigned long poll = msecs_to_jiffies(ACCEL_POLL_MS);

	lockdep_assert_held(&adev->lock);
	for (;;) {
		if (!busy(adev))
			return 0;
		if (time_after_eq(jiffies, deadline))
			return -ETIMEDOUT;
		wait_for_completion_timeout(&adev->hw_done,
					    clamp(deadline - jiffies, 1UL, poll));
	}
}

/* Frees the quarantined buffers; the DMA engine has been seen idle */
static void accel_quarantine_release(struct accel_dev *adev)
{
	struct accel_dma_buf *buf, *tmp;

	lockdep_assert_held(&adev->lock);
	list_for_each_entry_safe(buf, tmp, &adev->quarantine, node) {
		list_del(&buf->node);
		accel_dma_buf_free(adev, buf, NULL);
	}
	adev->nr_quarantined = 0;
}

/**
 * accel_dma_ready - make sure the DMA engine is idle before a transfer
 * @adev: the device
 *
 * An engine still busy with a transfer that timed out gets the device's
 * timeout once more; when it is idle, nothing can use the quarantined
 * buffers any longer and they are freed.
 *
 * Return: 0, or -EBUSY when the engine stays busy
 */
int accel_dma_ready(struct accel_dev *adev)
{
	if (accel_wait_idle(adev, adev->ops->dma_busy))
		return -EBUSY;
	accel_quarantine_release(adev);
	return 0;
}

/**
 * accel_dma_run - run one transfer and wait for it
 * @adev: the device
 * @bufp: the staging buffer; set to NULL when it moved to the quarantine
 * @dir: direction
 * @dev_off: where in device memory; the caller checked the range
 *
 * Return: %FWCTL_ACCEL_STATUS_OK, _BUSY when the engine was busy before,
 * or _TIMEOUT when the transfer did not complete in time
 */
u32 accel_dma_run(struct accel_dev *adev, struct accel_dma_buf **bufp,
		  enum accel_dma_dir dir, u32 dev_off)
{
	struct accel_dma_buf *buf = *bufp;

	lockdep_assert_held(&adev->lock);
	if (WARN_ON_ONCE(dev_off > adev->info.mem_size ||
			 buf->len > adev->info.mem_size - dev_off))
		return FWCTL_ACCEL_STATUS_DEVICE_ERROR;
	if (accel_dma_ready(adev))
		return FWCTL_ACCEL_STATUS_BUSY;

	reinit_completion(&adev->hw_done);
	adev->ops->dma_start(adev, dir, dev_off, buf->addr, buf->len);
	if (accel_wait_idle(adev, adev->ops->dma_busy)) {
		/* The engine may still use the buffer: keep it mapped */
		list_add_tail(&buf->node, &adev->quarantine);
		adev->nr_quarantined++;
		adev->timeouts++;
		*bufp = NULL;
		dev_warn_ratelimited(adev->dma_dev,
				     "transfer of %u bytes timed out after %u ms, buffer quarantined\n",
				     buf->len, adev->timeout_ms);
		return FWCTL_ACCEL_STATUS_TIMEOUT;
	}
	adev->transfers++;
	return FWCTL_ACCEL_STATUS_OK;
}

/**
 * accel_region_free - give a region's device memory back
 * @adev: the device
 * @region: a granted region
 */
void accel_region_free(struct accel_dev *adev, struct accel_region *region)
{
	lockdep_assert_held(&adev->lock);
	bitmap_clear(adev->granule_map, region->first, region->granules);
	to_accel_uctx(region->owner)->nr_regions--;
	memset(region, 0, sizeof(*region));
}

static void accel_close_uctx(struct fwctl_uctx *uctx)
{
	struct accel_dev *adev = to_accel_dev(uctx);
	unsigned int i;

	guard(mutex)(&adev->lock);
	for (i = 0; i < ARRAY_SIZE(adev->regions); i++)
		if (adev->regions[i].handle && adev->regions[i].owner == uctx)
			accel_region_free(adev, &adev->regions[i]);
	WARN_ON(to_accel_uctx(uctx)->nr_regions);
}

static void *accel_info(struct fwctl_uctx *uctx, size_t *length)
{
	struct accel_dev *adev = to_accel_dev(uctx);
	struct fwctl_accel_info *info;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);

	info->version = FWCTL_ACCEL_INFO_VERSION;
	info->hw_id = adev->info.hw_id;
	info->mem_size = adev->info.mem_size;
	info->mem_granule = ACCEL_GRANULE;
	info->max_xfer = adev->info.max_xfer;
	info->max_region = accel_max_region(adev);
	info->max_regions = ACCEL_MAX_REGIONS;
	info->compute_max = adev->info.compute_max;
	info->max_trans = FWCTL_ACCEL_MAX_TRANS;
	info->max_req_len = FWCTL_ACCEL_MAX_REQ_LEN;
	info->max_rsp_len = FWCTL_ACCEL_MAX_RSP_LEN;
	info->timeout_ms = READ_ONCE(adev->timeout_ms);
	*length = sizeof(*info);
	return info;
}

static const struct fwctl_ops accel_fwctl_ops = {
	.device_type = FWCTL_DEVICE_TYPE_ACCEL,
	.uctx_size = FWCTL_UCTX_SIZE(struct accel_uctx, uctx),
	.cmds = &accel_msg_table,
	.close_uctx = accel_close_uctx,
	.info = accel_info,
	.fw_rpc = accel_fw_rpc,
};

/**
 * accel_dev_alloc - allocate an accelerator for a hardware layer
 * @dma_dev: the device that masters DMA, with its DMA mask set
 * @ops: the hardware operations
 * @hw: the hardware layer's private data, &accel_dev.hw
 * @info: the hardware's properties, copied
 *
 * Return: the device, to be registered with accel_dev_register() and put
 * with accel_dev_put(); or an ERR_PTR
 */
struct accel_dev *accel_dev_alloc(struct device *dma_dev,
				  const struct accel_hw_ops *ops, void *hw,
				  const struct accel_hw_info *info)
{
	struct accel_dev *adev;

	if (WARN_ON(!info->max_xfer || info->max_xfer > FWCTL_ACCEL_MAX_XFER ||
		    info->mem_size < ACCEL_GRANULE))
		return ERR_PTR(-EINVAL);

	adev = fwctl_alloc_device(dma_dev, &accel_fwctl_ops, struct accel_dev,
				  fwctl);
	if (!adev)
		return ERR_PTR(-ENOMEM);

	adev->dma_dev = dma_dev;
	adev->ops = ops;
	adev->hw = hw;
	adev->info = *info;
	adev->nr_granules = min(info->mem_size / ACCEL_GRANULE,
				ACCEL_MAX_GRANULES);
	adev->timeout_ms = ACCEL_TIMEOUT_MS;
	adev->next_handle = 1;
	mutex_init(&adev->lock);
	init_completion(&adev->hw_done);
	INIT_LIST_HEAD(&adev->quarantine);
	return adev;
}

/**
 * accel_dev_register - make an accelerator visible to user space
 * @adev: from accel_dev_alloc()
 *
 * Return: 0 or a negative errno; on failure the caller puts @adev
 */
int accel_dev_register(struct accel_dev *adev)
{
	int ret;

	ret = fwctl_register(&adev->fwctl);
	if (ret)
		return ret;
	accel_test_add(adev);
	return 0;
}

/**
 * accel_dev_unregister - detach an accelerator from user space and quiesce
 *	its DMA
 * @adev: a registered device
 *
 * RPCs in flight stop before their next transaction and fail with
 * -ENODEV; fwctl_unregister() waits for them and closes every file, which
 * releases its regions. The hardware is then told to stop mastering DMA,
 * and the quarantined buffers are freed once the engine is seen idle
 * within %ACCEL_TIMEOUT_MS, or leaked when it is not. On return no buffer
 * of @adev is in use and no callback runs again; the hardware layer may
 * free its interrupt.
 */
void accel_dev_unregister(struct accel_dev *adev)
{
	struct accel_dma_buf *buf, *tmp;

	WRITE_ONCE(adev->dying, true);
	accel_test_remove(adev);
	fwctl_unregister(&adev->fwctl);

	guard(mutex)(&adev->lock);
	adev->ops->quiesce(adev);
	if (list_empty(&adev->quarantine))
		return;
	/* However short the timeout was set for the tests */
	adev->timeout_ms = max(adev->timeout_ms, ACCEL_TIMEOUT_MS);
	if (!accel_wait_idle(adev, adev->ops->dma_busy)) {
		accel_quarantine_release(adev);
		return;
	}
	dev_err(adev->dma_dev,
		"DMA engine still busy, leaking %u quarantined buffers\n",
		adev->nr_quarantined);
	list_for_each_entry_safe(buf, tmp, &adev->quarantine, node) {
		list_del_init(&buf->node);
		kmemleak_not_leak(buf);
	}
	adev->nr_quarantined = 0;
}

/**
 * accel_dev_put - drop the hardware layer's reference
 * @adev: the device, unregistered or never registered
 */
void accel_dev_put(struct accel_dev *adev)
{
	mutex_destroy(&adev->lock);
	fwctl_put(&adev->fwctl);
}

/**
 * accel_dev_event - a unit of the device finished or raised an interrupt
 * @adev: the device
 *
 * Called by the hardware layer, from any context.
 */
void accel_dev_event(struct accel_dev *adev)
{
	complete(&adev->hw_done);
}

/**
 * accel_core_init - module initialization of the transaction layer
 *
 * Return: 0 or a negative errno
 */
int accel_core_init(void)
{
	return accel_test_init();
}

/**
 * accel_core_exit - module teardown of the transaction layer
 */
void accel_core_exit(void)
{
	accel_test_exit();
	if (atomic_read(&accel_dma_bufs))
		pr_err("%d DMA staging buffers were never freed\n",
		       atomic_read(&accel_dma_bufs));
}
