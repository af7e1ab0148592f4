// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only hooks of the accelerator management channel
 * (CONFIG_FWCTL_ACCEL_TEST), in debugfs, for root only; nothing here is
 * reachable through fwctl.
 *
 * /sys/kernel/debug/accel_fwctl/
 *   dma_bufs            staging buffers allocated and not freed, all devices
 *   <device>/timeout_ms the device's timeout; lowering it below the time a
 *                       transfer takes exercises the timeout path
 *   <device>/quarantined buffers held back after a timeout
 *   <device>/stray_dma  writing anything aims the DMA engine at a bus
 *                       address the kernel did not map: the negative
 *                       control that proves the IOMMU reports stray DMA
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#include "accel.h"

/* Below every address the DMA API hands out top-down from the DMA mask */
#define ACCEL_TEST_STRAY_ADDR	SZ_1M
#define ACCEL_TEST_STRAY_LEN	64
#define ACCEL_TEST_MAX_TIMEOUT	60000

static struct dentry *accel_test_root;

static int accel_test_bufs_get(void *data, u64 *val)
{
	*val = atomic_read(&accel_dma_bufs);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(accel_test_bufs_fops, accel_test_bufs_get, NULL,
			 "%llu\n");

static int accel_test_timeout_get(void *data, u64 *val)
{
	struct accel_dev *adev = data;

	*val = READ_ONCE(adev->timeout_ms);
	return 0;
}

static int accel_test_timeout_set(void *data, u64 val)
{
	struct accel_dev *adev = data;

	if (!val || val > ACCEL_TEST_MAX_TIMEOUT)
		return -EINVAL;
	guard(mutex)(&adev->lock);
	WRITE_ONCE(adev->timeout_ms, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(accel_test_timeout_fops, accel_test_timeout_get,
			 accel_test_timeout_set, "%llu\n");

static int accel_test_quarantined_get(void *data, u64 *val)
{
	struct accel_dev *adev = data;

	guard(mutex)(&adev->lock);
	*val = adev->nr_quarantined;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(accel_test_quarantined_fops,
			 accel_test_quarantined_get, NULL, "%llu\n");

/*
 * A read, so that even a translation the IOMMU got wrong could not corrupt
 * memory, into device memory that no region holds. Only with a translating
 * IOMMU: without one the read would reach real memory.
 */
static int accel_test_stray_dma(struct accel_dev *adev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(adev->dma_dev);
	dma_addr_t addr = ACCEL_TEST_STRAY_ADDR;
	unsigned long first;
	int ret;

	if (!domain || !iommu_is_dma_domain(domain))
		return -ENODEV;

	ret = mutex_lock_interruptible(&adev->lock);
	if (ret)
		return ret;
	if (READ_ONCE(adev->dying)) {
		ret = -ENODEV;
		goto out;
	}
	first = bitmap_find_next_zero_area(adev->granule_map,
					   adev->nr_granules, 0, 1, 0);
	if (first >= adev->nr_granules || iommu_iova_to_phys(domain, addr)) {
		ret = -EBUSY;
		goto out;
	}
	ret = accel_dma_ready(adev);
	if (ret)
		goto out;

	dev_warn(adev->dma_dev,
		 "test: DMA read of %u bytes from unmapped bus address %pad\n",
		 ACCEL_TEST_STRAY_LEN, &addr);
	reinit_completion(&adev->hw_done);
	adev->ops->dma_start(adev, ACCEL_DMA_TO_DEVICE, first * ACCEL_GRANULE,
			     addr, ACCEL_TEST_STRAY_LEN);
	ret = accel_wait_idle(adev, adev->ops->dma_busy);
out:
	mutex_unlock(&adev->lock);
	return ret;
}

static ssize_t accel_test_stray_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	int ret;

	ret = accel_test_stray_dma(file->private_data);
	return ret ? ret : count;
}

static const struct file_operations accel_test_stray_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = accel_test_stray_write,
	.llseek = noop_llseek,
};

/**
 * accel_test_add - create the debugfs directory of a device
 * @adev: a registered device
 */
void accel_test_add(struct accel_dev *adev)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(adev->dma_dev), accel_test_root);
	debugfs_create_file_unsafe("timeout_ms", 0600, dir, adev,
				   &accel_test_timeout_fops);
	debugfs_create_file_unsafe("quarantined", 0400, dir, adev,
				   &accel_test_quarantined_fops);
	debugfs_create_file("stray_dma", 0200, dir, adev,
			    &accel_test_stray_fops);
	adev->debugfs = dir;
}

/**
 * accel_test_remove - remove the debugfs directory of a device
 * @adev: the device, marked dying
 *
 * Waits for the file operations in progress.
 */
void accel_test_remove(struct accel_dev *adev)
{
	debugfs_remove_recursive(adev->debugfs);
	adev->debugfs = NULL;
}

/**
 * accel_test_init - create the module's debugfs directory
 *
 * Return: 0; debugfs failures are not fatal
 */
int accel_test_init(void)
{
	accel_test_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file_unsafe("dma_bufs", 0400, accel_test_root, NULL,
				   &accel_test_bufs_fops);
	return 0;
}

/**
 * accel_test_exit - remove the module's debugfs directory
 */
void accel_test_exit(void)
{
	debugfs_remove_recursive(accel_test_root);
	accel_test_root = NULL;
}
