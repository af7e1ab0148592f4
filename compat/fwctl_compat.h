/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel fwctl is merged into and the distribution
 * kernels it is built against as external modules. Force-included by the
 * out-of-tree build only; the in-tree series needs none of this.
 */
#ifndef __FWCTL_COMPAT_H
#define __FWCTL_COMPAT_H

#include <linux/version.h>
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

#endif
