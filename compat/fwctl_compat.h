/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel fwctl is merged into and the distribution
 * kernels it is built against as external modules. Force-included by the
 * out-of-tree build only; the in-tree series needs none of this.
 */
#ifndef __FWCTL_COMPAT_H
#define __FWCTL_COMPAT_H

#include <linux/panic.h>

/*
 * Kernels before 6.15 have no taint bit for fwctl ('J', bit 19). Their
 * out-of-tree fwctl marks debug writes with TAINT_USER ('U': user space did
 * something unusual), which every kernel has and every crash report shows.
 */
#ifndef TAINT_FWCTL
#define TAINT_FWCTL TAINT_USER
#define FWCTL_TAINT_FALLBACK 1
#endif

/*
 * Kernels before 6.12: the Makefile, which reads the release of the kernel
 * it builds for, defines FWCTL_COMPAT_BEFORE_6_12.
 */
#ifdef FWCTL_COMPAT_BEFORE_6_12
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/platform_device.h>

/*
 * 6.2 made class callbacks take a const struct device: Kbuild turns the
 * pointer-type warning off for these kernels, as a const qualifier on a
 * parameter does not change how the callback is called.
 */

/* 6.8 renamed the legacy interrupt flag */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

/*
 * pcim_iomap_region() arrived in 6.11: request one BAR and map it, both
 * managed. Returns an ERR_PTR() on failure as the real one does.
 */
static inline void __iomem *
fwctl_compat_pcim_iomap_region(struct pci_dev *pdev, int bar, const char *name)
{
	void __iomem *const *table;
	int ret;

	ret = pcim_iomap_regions(pdev, BIT(bar), name);
	if (ret)
		return IOMEM_ERR_PTR(ret);
	table = pcim_iomap_table(pdev);
	if (!table || !table[bar])
		return IOMEM_ERR_PTR(-ENOMEM);
	return table[bar];
}

#define pcim_iomap_region fwctl_compat_pcim_iomap_region

/*
 * Until 6.11 platform_driver.remove returned int and the void callback was
 * remove_new. A driver written for the void one gets it moved to
 * remove_new before it is registered, so the core calls it with the right
 * type (the initializer's pointer-type warning is off, see above).
 */
static inline int
fwctl_compat_platform_driver_register(struct platform_driver *drv,
				      struct module *owner)
{
	if (drv->remove && !drv->remove_new) {
		drv->remove_new = (void (*)(struct platform_device *))
				  (void (*)(void))drv->remove;
		drv->remove = NULL;
	}
	return __platform_driver_register(drv, owner);
}

#undef platform_driver_register
#define platform_driver_register(drv) \
	fwctl_compat_platform_driver_register(drv, THIS_MODULE)

/*
 * The headers above brought printk.h and its default pr_fmt(): drop it, so
 * that a file defining its own pr_fmt() does not redefine it. A file using
 * pr_*() must then define pr_fmt(), which all of ours that do, do.
 */
#undef pr_fmt
#endif

#endif
