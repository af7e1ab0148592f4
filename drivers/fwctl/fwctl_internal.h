/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the files of the fwctl core, and functions of the core that its
 * KUnit tests reach directly, which are static unless CONFIG_KUNIT is
 * enabled.
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

/**
 * enum fwctl_cmd_search - how the core finds a request's command
 * @FWCTL_CMD_SEARCH_WALK: entry by entry, first match wins
 * @FWCTL_CMD_SEARCH_HALVES: binary search of strictly ascending identifiers
 * @FWCTL_CMD_SEARCH_INDEX: consecutive identifiers, indexed directly
 */
enum fwctl_cmd_search {
	FWCTL_CMD_SEARCH_WALK,
	FWCTL_CMD_SEARCH_HALVES,
	FWCTL_CMD_SEARCH_INDEX,
};

enum fwctl_cmd_search
fwctl_cmd_table_search(const struct fwctl_cmd_table *table);
u32 fwctl_cmd_table_out_max(const struct fwctl_cmd_table *table);
int __fwctl_cmd_check(const struct fwctl_cmd_table *table,
		      enum fwctl_cmd_search search, enum fwctl_rpc_scope scope,
		      const void *in, size_t in_len, size_t out_len,
		      const struct fwctl_cmd **cmdp);

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
