/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Functions of the fwctl core that its KUnit tests reach directly. They are
 * static unless CONFIG_KUNIT is enabled.
 */
#ifndef __FWCTL_INTERNAL_H
#define __FWCTL_INTERNAL_H

#include <linux/fwctl.h>

/**
 * enum fwctl_stat - per-device RPC counters, shown in sysfs under stats/
 * @FWCTL_STAT_SCOPE_CONFIGURATION: RPCs that carried FWCTL_RPC_CONFIGURATION
 * @FWCTL_STAT_SCOPE_DEBUG_READ_ONLY: RPCs that carried FWCTL_RPC_DEBUG_READ_ONLY
 * @FWCTL_STAT_SCOPE_DEBUG_WRITE: RPCs that carried FWCTL_RPC_DEBUG_WRITE
 * @FWCTL_STAT_SCOPE_DEBUG_WRITE_FULL: RPCs that carried FWCTL_RPC_DEBUG_WRITE_FULL
 * @FWCTL_STAT_OK: RPCs delivered and answered
 * @FWCTL_STAT_DENIED: RPCs refused by policy (EPERM)
 * @FWCTL_STAT_INVALID: RPCs refused as malformed before reaching the driver
 * @FWCTL_STAT_FAILED: RPCs the driver failed to deliver, whose reply could
 *	not be copied out, or for which the core ran out of memory
 * @FWCTL_STAT_NR: number of counters
 */
enum fwctl_stat {
	FWCTL_STAT_SCOPE_CONFIGURATION,
	FWCTL_STAT_SCOPE_DEBUG_READ_ONLY,
	FWCTL_STAT_SCOPE_DEBUG_WRITE,
	FWCTL_STAT_SCOPE_DEBUG_WRITE_FULL,
	FWCTL_STAT_OK,
	FWCTL_STAT_DENIED,
	FWCTL_STAT_INVALID,
	FWCTL_STAT_FAILED,
	FWCTL_STAT_NR,
};

#if IS_ENABLED(CONFIG_KUNIT)
int fwctl_scope_check(u32 scope, u32 max_scope, bool has_rawio,
		      bool locked_down);
int fwctl_scope_parse(const char *buf, u32 *scope);
int fwctl_copy_ucmd(void *kcmd, size_t ksize, size_t min_size,
		    const void __user *uarg);
struct fwctl_uctx *fwctl_uctx_open(struct fwctl_device *fwctl);
void fwctl_uctx_release(struct fwctl_uctx *uctx);
long fwctl_uctx_ioctl(struct fwctl_uctx *uctx, unsigned int cmd,
		      unsigned long arg);
u64 fwctl_stat_read(struct fwctl_device *fwctl, enum fwctl_stat stat);
#endif

#endif
