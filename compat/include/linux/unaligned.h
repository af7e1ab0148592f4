/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernels before 6.12 keep the unaligned access helpers in asm/unaligned.h.
 * This directory is searched after the kernel's own headers, so the file is
 * only used where the kernel has no linux/unaligned.h.
 */
#ifndef __FWCTL_COMPAT_LINUX_UNALIGNED_H
#define __FWCTL_COMPAT_LINUX_UNALIGNED_H
#include <asm/unaligned.h>
#endif
