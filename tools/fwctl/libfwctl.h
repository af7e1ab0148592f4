/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libfwctl: open fwctl devices, identify them, send them RPCs, find them in
 * sysfs and explain what an error means.
 *
 * Every function that can fail returns 0 (or a non-negative value) on
 * success and a negative errno on failure; none of them prints anything.
 * The library depends on libc and the fwctl uAPI header only.
 */
#ifndef __LIBFWCTL_H
#define __LIBFWCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <fwctl/fwctl.h>

#define FWCTL_NAME_LEN		32
#define FWCTL_PATH_LEN		4096
#define FWCTL_SCOPE_MAX		FWCTL_RPC_DEBUG_WRITE_FULL
#define FWCTL_NUM_SCOPES	(FWCTL_SCOPE_MAX + 1)
/* &struct fwctl_err_ctx.need_scope of a request no scope allows */
#define FWCTL_SCOPE_NEVER	(-2)

/**
 * struct fwctl_dev - an open fwctl device
 * @fd: the open node, or -1
 * @name: the device's name, "fwctlN"
 * @node: path of the node that was opened
 */
struct fwctl_dev {
	int fd;
	char name[FWCTL_NAME_LEN];
	char node[FWCTL_PATH_LEN];
};

/* Indexes into &struct fwctl_sysinfo.stats, in the order of fwctl_stat_name() */
enum fwctl_stats_idx {
	FWCTL_STATS_CONFIGURATION,
	FWCTL_STATS_DEBUG_READ_ONLY,
	FWCTL_STATS_DEBUG_WRITE,
	FWCTL_STATS_DEBUG_WRITE_FULL,
	FWCTL_STATS_OK,
	FWCTL_STATS_DENIED,
	FWCTL_STATS_INVALID,
	FWCTL_STATS_FAILED,
	FWCTL_NUM_STATS,
};

/**
 * struct fwctl_sysinfo - what sysfs tells about a fwctl device
 * @name: "fwctlN"
 * @node: path of its device node
 * @device_type: an &enum fwctl_device_type, valid when @has_type
 * @has_type: @device_type was readable
 * @max_scope: the administrator's ceiling, or -1 when unreadable
 * @parent: name of the parent device ("0000:0d:00.0", "mem0", ...)
 * @parent_bus: bus or class of the parent ("pci", "platform", ...) or ""
 * @parent_driver: driver bound to the parent, or ""
 * @parent_path: resolved sysfs path of the parent, or ""
 * @stats: the counters of /sys/class/fwctl/fwctlN/stats, when @has_stats
 * @has_stats: every counter was readable
 */
struct fwctl_sysinfo {
	char name[FWCTL_NAME_LEN];
	char node[FWCTL_PATH_LEN];
	uint32_t device_type;
	bool has_type;
	int max_scope;
	char parent[256];
	char parent_bus[64];
	char parent_driver[64];
	char parent_path[FWCTL_PATH_LEN];
	uint64_t stats[FWCTL_NUM_STATS];
	bool has_stats;
};

/*
 * Where sysfs and /dev are; "/sys" and "/dev" unless changed, which only
 * tests do. The strings must outlive every later call.
 */
void fwctl_set_roots(const char *sysfs, const char *devfs);

/* Devices */
int fwctl_resolve(const char *spec, char *name, size_t len);
int fwctl_dev_open(const char *spec, struct fwctl_dev *dev);
void fwctl_dev_close(struct fwctl_dev *dev);
int fwctl_dev_info_raw(const struct fwctl_dev *dev, uint32_t *type,
		       void *data, uint32_t *len);
int fwctl_dev_info(const struct fwctl_dev *dev, uint32_t *type, void **data,
		   uint32_t *len);
int fwctl_dev_rpc(const struct fwctl_dev *dev, uint32_t scope, const void *in,
		  uint32_t in_len, void *out, uint32_t *out_len);

/* Discovery */
int fwctl_list(char ***names, size_t *count);
void fwctl_list_free(char **names, size_t count);
int fwctl_sysinfo_read(const char *name, struct fwctl_sysinfo *si);
int fwctl_max_scope_write(const char *name, int scope);

/* Names */
const char *fwctl_scope_name(int scope);
int fwctl_scope_parse(const char *s);
const char *fwctl_type_name(uint32_t type);
const char *fwctl_stat_name(int stat);

/* Errors */
enum fwctl_op {
	FWCTL_OP_OPEN,
	FWCTL_OP_INFO,
	FWCTL_OP_RPC,
	FWCTL_OP_SYSFS,
};

/**
 * struct fwctl_err_ctx - what is known about a failed call
 * @op: the call that failed
 * @name: the device's name, or NULL
 * @scope: the scope the RPC carried, or -1
 * @need_scope: the lowest scope the command is known to need, -1 when
 *	unknown, %FWCTL_SCOPE_NEVER when the driver refuses it at any scope
 * @max_scope: the device's ceiling, or -1 when unknown
 * @has_rawio: 1 when the caller has CAP_SYS_RAWIO in the initial user
 *	namespace, 0 when not, -1 when unknown
 * @locked_down: 1 when the kernel is locked down, 0 when not, -1 unknown
 *
 * fwctl_err_ctx_init() fills what can be probed; the caller sets the rest.
 */
struct fwctl_err_ctx {
	enum fwctl_op op;
	const char *name;
	int scope;
	int need_scope;
	int max_scope;
	int has_rawio;
	int locked_down;
};

void fwctl_err_ctx_init(struct fwctl_err_ctx *ctx, enum fwctl_op op,
			const char *name);
const char *fwctl_errno_name(int err);
const char *fwctl_err_hint(int err, const struct fwctl_err_ctx *ctx,
			   char *buf, size_t len);
int fwctl_has_rawio(void);
int fwctl_locked_down(void);

#endif
