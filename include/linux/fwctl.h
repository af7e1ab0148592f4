/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwctl: kernel API for drivers that pass firmware RPCs through to user space.
 *
 * A driver allocates a &struct fwctl_device embedded at the start of its own
 * device structure, registers it, and from then on the core owns the
 * character device, every open file and every user copy. The driver sees
 * only kernel buffers, through the callbacks in &struct fwctl_ops. After
 * fwctl_unregister() returns no callback runs again for that device.
 */
#ifndef __LINUX_FWCTL_H
#define __LINUX_FWCTL_H

#include <linux/cdev.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/stddef.h>
#include <uapi/fwctl/fwctl.h>

struct fwctl_device;
struct fwctl_uctx;
struct fwctl_stats;

/* Flags of &struct fwctl_cmd_field */
#define FWCTL_FIELD_BE		BIT(0)

/**
 * struct fwctl_cmd_field - where a command key sits in a request
 * @offset: byte offset of the key from the start of the request
 * @width: size of the key in bytes: 1, 2 or 4; 0 when the key is unused
 * @flags: %FWCTL_FIELD_BE when the key is big-endian, else little-endian
 */
struct fwctl_cmd_field {
	u16 offset;
	u8 width;
	u8 flags;
};

/* Flags of &struct fwctl_cmd */
#define FWCTL_CMD_MATCH_MOD	BIT(0)	/* match @mod too, not only @id */

/**
 * struct fwctl_cmd - one command a driver lets user space send
 * @id: command identifier, as read from the request's id field
 * @mod: sub-identifier, compared only with %FWCTL_CMD_MATCH_MOD
 * @flags: FWCTL_CMD_* flags
 * @scope: lowest &enum fwctl_rpc_scope the RPC must carry to send it
 * @in_min: smallest accepted request length, whole request included
 * @in_max: largest accepted request length
 * @out_min: smallest accepted reply buffer; a smaller one is refused
 *	before the device is asked
 * @out_max: longest reply the command produces; the core allocates no
 *	more than this for the reply, whatever buffer user space offers
 * @name: name for logs and tools
 */
struct fwctl_cmd {
	u32 id;
	u32 mod;
	u32 flags;
	enum fwctl_rpc_scope scope;
	u32 in_min;
	u32 in_max;
	u32 out_min;
	u32 out_max;
	const char *name;
};

/**
 * struct fwctl_cmd_table - the commands a device accepts
 * @id: where the command identifier sits in a request
 * @mod: where the sub-identifier sits (width 0 when there is none)
 * @cmds: the commands; an identifier that matches none is refused
 * @num_cmds: number of entries in @cmds
 *
 * When a device has a table, the core checks every request against it,
 * before the driver sees the payload: the request must be long enough to
 * hold the keys, must match an entry, must carry at least the entry's
 * scope, and its lengths must lie within the entry's bounds.
 */
struct fwctl_cmd_table {
	struct fwctl_cmd_field id;
	struct fwctl_cmd_field mod;
	const struct fwctl_cmd *cmds;
	unsigned int num_cmds;
};

const struct fwctl_cmd *fwctl_cmd_find(const struct fwctl_cmd_table *table,
				       const void *in, size_t in_len);
int fwctl_cmd_check(const struct fwctl_cmd_table *table,
		    enum fwctl_rpc_scope scope, const void *in, size_t in_len,
		    size_t out_len, const struct fwctl_cmd **cmdp);

/**
 * struct fwctl_ops - what a driver provides to the core
 * @device_type: the &enum fwctl_device_type reported by FWCTL_INFO
 * @uctx_size: size of the driver's per-file structure, which embeds
 *	&struct fwctl_uctx as its first member; use FWCTL_UCTX_SIZE()
 * @cmds: optional static command table, see &struct fwctl_cmd_table. A
 *	driver whose table is only known at probe time sets
 *	&fwctl_device.cmds instead, before fwctl_register().
 * @open_uctx: called when a file is opened, with the new &struct fwctl_uctx
 *	zeroed beyond the core's part. Optional. Returns 0 or a negative
 *	errno.
 * @close_uctx: optional; releases what open_uctx took. Called once for every
 *	successful open_uctx: at close, or at unregister if the file is still
 *	open then.
 * @info: optional. Returns a kmalloc'd buffer holding the device data of
 *	FWCTL_INFO and sets @length to its size; or an ERR_PTR. The core frees
 *	the buffer.
 * @fw_rpc: delivers one RPC. @cmd is the matching table entry, or NULL
 *	when the device has no table. @rpc_in is a kvmalloc'd buffer holding
 *	@in_len bytes of request, zero-filled up to the capacity the core
 *	passes in *@out_len. The driver returns the reply either in @rpc_in
 *	(at most that capacity) or in a new kvmalloc'd buffer, sets *@out_len
 *	to the reply's length, and the core frees whichever buffer it gets.
 *	Returns an ERR_PTR when the RPC could not be delivered; a failure
 *	reported by the device travels inside the reply.
 *
 * Every callback runs in process context, may sleep, and is serialized
 * against fwctl_unregister(), never against other callbacks.
 */
struct fwctl_ops {
	enum fwctl_device_type device_type;
	size_t uctx_size;
	const struct fwctl_cmd_table *cmds;
	int (*open_uctx)(struct fwctl_uctx *uctx);
	void (*close_uctx)(struct fwctl_uctx *uctx);
	void *(*info)(struct fwctl_uctx *uctx, size_t *length);
	void *(*fw_rpc)(struct fwctl_uctx *uctx, const struct fwctl_cmd *cmd,
			enum fwctl_rpc_scope scope, void *rpc_in,
			size_t in_len, size_t *out_len);
};

/**
 * struct fwctl_device - a device registered with fwctl
 * @dev: the fwctl class device, /sys/class/fwctl/fwctlN
 * @cmds: command table in force, taken from &fwctl_ops.cmds at allocation;
 *	a driver may replace it before fwctl_register() and must keep it
 *	alive until fwctl_unregister() returns
 *
 * Allocated by fwctl_alloc_device() as the first member of the driver's
 * structure. Its memory belongs to the core and lives until the last
 * reference is put, which may be after the driver is gone: a driver keeps
 * nothing in its structure that must be torn down after fwctl_unregister().
 */
struct fwctl_device {
	struct device dev;
	const struct fwctl_cmd_table *cmds;
	/* private: */
	struct cdev cdev;
	/*
	 * Held shared by every file operation, exclusive by unregister:
	 * @ops is NULL once the driver is detached. Per CPU, so that RPCs
	 * on different CPUs take it without writing a shared cache line;
	 * the price is an RCU grace period in unregister.
	 */
	struct percpu_rw_semaphore registration_lock;
	/* Protects @uctx_list; nests inside @registration_lock */
	struct mutex uctx_list_lock;
	struct list_head uctx_list;
	const struct fwctl_ops *ops;
	/* Set when unregister starts: new calls fail without waiting for it */
	bool detaching;
	/* Found in @cmds at registration: longest reply, how to search it */
	u32 cmds_out_max;
	u8 cmds_search;
	/* Highest scope an RPC may carry; set by the administrator in sysfs */
	u32 max_scope;
	struct fwctl_stats __percpu *stats;
};

/**
 * struct fwctl_uctx - per-file state of an open fwctl device
 * @fwctl: the device the file was opened on
 *
 * The driver's per-file structure embeds it as its first member; its
 * memory is allocated and freed by the core.
 */
struct fwctl_uctx {
	struct fwctl_device *fwctl;
	/* private: */
	/* Entry in &fwctl_device.uctx_list, under uctx_list_lock */
	struct list_head uctx_list_entry;
};

/**
 * FWCTL_UCTX_SIZE - &fwctl_ops.uctx_size for a driver's per-file structure
 * @type: the driver's structure type
 * @member: name of its &struct fwctl_uctx member, which must come first
 */
#define FWCTL_UCTX_SIZE(type, member)					\
	(sizeof(type) + BUILD_BUG_ON_ZERO(offsetof(type, member)))

struct fwctl_device *_fwctl_alloc_device(struct device *parent,
					 const struct fwctl_ops *ops,
					 size_t size);

/**
 * fwctl_alloc_device - allocate a driver structure embedding a fwctl device
 * @parent: the physical device the fwctl device speaks for
 * @ops: the driver's callbacks, which must outlive fwctl_unregister()
 * @type: type of the driver's structure
 * @member: name of its &struct fwctl_device member, which must come first
 *
 * The core allocates the whole driver structure, zeroed, so that it can
 * keep the memory alive for files that outlive the driver.
 *
 * Return: the driver structure holding one reference, dropped with
 * fwctl_put(); NULL when memory or minor numbers are exhausted.
 */
#define fwctl_alloc_device(parent, ops, type, member)			\
	((type *)_fwctl_alloc_device(parent, ops, sizeof(type) +	\
				     BUILD_BUG_ON_ZERO(offsetof(type, member))))

/**
 * fwctl_get - take a reference on a fwctl device
 * @fwctl: the device
 *
 * Return: @fwctl
 */
static inline struct fwctl_device *fwctl_get(struct fwctl_device *fwctl)
{
	get_device(&fwctl->dev);
	return fwctl;
}

/**
 * fwctl_put - drop a reference on a fwctl device
 * @fwctl: the device, or NULL
 *
 * The last put frees the memory of the driver's whole structure.
 */
static inline void fwctl_put(struct fwctl_device *fwctl)
{
	if (fwctl)
		put_device(&fwctl->dev);
}

DEFINE_FREE(fwctl, struct fwctl_device *, fwctl_put(_T));

int fwctl_register(struct fwctl_device *fwctl);
void fwctl_unregister(struct fwctl_device *fwctl);

#endif
