// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl core: the character devices, the ioctls and the scope policy.
 *
 * The core is the only code that touches user memory. A driver sees kernel
 * buffers through its &struct fwctl_ops, and only while it is registered:
 * every file operation holds the device's registration_lock shared, and
 * fwctl_unregister() takes it exclusive, closes what is still open and
 * clears the ops. Files opened before that stay valid and get -ENODEV.
 */
#define pr_fmt(fmt) "fwctl: " fmt

#include <linux/capability.h>
#include <linux/container_of.h>
#include <linux/fs.h>
#include <linux/fwctl.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/percpu-rwsem.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "fwctl_internal.h"

#define CREATE_TRACE_POINTS
#include "fwctl_trace.h"

#define FWCTL_MAX_DEVICES 4096
/*
 * Largest buffer an RPC to a device with a command table gets before its
 * command is known: enough for the replies of query commands, which then
 * need no second buffer, and a size the slab allocator serves as fast as
 * a smaller one.
 */
#define FWCTL_RPC_PREALLOC_MAX PAGE_SIZE

/*
 * registration_lock, taken shared by every file operation: a per-CPU
 * counter on the fast path, no atomic instruction and no cache line shared
 * between CPUs.
 */
DEFINE_GUARD(fwctl_reg_read, struct percpu_rw_semaphore *,
	     percpu_down_read(_T), percpu_up_read(_T))

/*
 * The ioctls only try the shared side: that fails only while
 * fwctl_unregister() holds or waits for the exclusive side, after it set
 * detaching, when the answer is ENODEV anyway. It is then given at once
 * rather than once the device is gone, and the fast path has no call to
 * might_sleep(). The lock pointer is NULL when the attempt failed.
 */
static inline void fwctl_reg_try_exit(struct percpu_rw_semaphore *sem)
{
	if (sem)
		percpu_up_read(sem);
}

DEFINE_CLASS(fwctl_reg_try, struct percpu_rw_semaphore *,
	     fwctl_reg_try_exit(_T),
	     percpu_down_read_trylock(sem) ? sem : NULL,
	     struct percpu_rw_semaphore *sem)

static dev_t fwctl_devt;
static DEFINE_IDA(fwctl_ida);

/*
 * Counted per CPU so that RPCs on different CPUs, to the same device or to
 * different ones, never write a shared cache line.
 */
struct fwctl_stats {
	u64 count[FWCTL_STAT_NR];
};

static const char * const fwctl_scope_names[] = {
	[FWCTL_RPC_CONFIGURATION] = "configuration",
	[FWCTL_RPC_DEBUG_READ_ONLY] = "debug_read_only",
	[FWCTL_RPC_DEBUG_WRITE] = "debug_write",
	[FWCTL_RPC_DEBUG_WRITE_FULL] = "debug_write_full",
};

static void fwctl_stat_inc(struct fwctl_device *fwctl, enum fwctl_stat stat)
{
	this_cpu_inc(fwctl->stats->count[stat]);
}

VISIBLE_IF_KUNIT u64 fwctl_stat_read(struct fwctl_device *fwctl,
				     enum fwctl_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(fwctl->stats, cpu)->count[stat]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_stat_read);

/**
 * fwctl_scope_check() - decide whether an RPC may carry a scope
 * @scope: the scope the RPC asks for
 * @max_scope: the device's ceiling, set by the administrator
 * @has_rawio: the caller has CAP_SYS_RAWIO
 * @locked_down: the kernel is locked down against PCI access
 *
 * The full debug scope can do anything the device can, so it is reserved
 * to callers who could already reach the device's registers, and closed
 * under lockdown for the same reason the kernel's raw CXL commands are.
 *
 * Return: 0, -EOPNOTSUPP for an unknown scope or -EPERM.
 */
VISIBLE_IF_KUNIT int fwctl_scope_check(u32 scope, u32 max_scope,
				       bool has_rawio, bool locked_down)
{
	if (scope > FWCTL_RPC_DEBUG_WRITE_FULL)
		return -EOPNOTSUPP;
	if (scope > max_scope)
		return -EPERM;
	if (scope == FWCTL_RPC_DEBUG_WRITE_FULL && (!has_rawio || locked_down))
		return -EPERM;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_scope_check);

/**
 * fwctl_scope_parse() - parse a scope written to sysfs
 * @buf: a scope name or its number, optionally newline-terminated
 * @scope: set to the scope on success
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int fwctl_scope_parse(const char *buf, u32 *scope)
{
	int ret;

	ret = sysfs_match_string(fwctl_scope_names, buf);
	if (ret >= 0) {
		*scope = ret;
		return 0;
	}
	if (kstrtou32(buf, 0, scope) || *scope > FWCTL_RPC_DEBUG_WRITE_FULL)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_scope_parse);

/*
 * Policy decisions that need the caller's credentials are only made when
 * they matter, so that an RPC at a low scope leaves no capability audit
 * record and no lockdown message behind.
 */
static int fwctl_rpc_allowed(struct fwctl_device *fwctl, u32 scope)
{
	u32 max_scope = READ_ONCE(fwctl->max_scope);
	bool rawio = false, locked = false;

	/* Below the full debug scope the device's ceiling decides alone */
	if (likely(scope < FWCTL_RPC_DEBUG_WRITE_FULL))
		return scope <= max_scope ? 0 : -EPERM;
	if (scope <= max_scope) {
		rawio = capable(CAP_SYS_RAWIO);
		if (rawio)
			locked = security_locked_down(LOCKDOWN_PCI_ACCESS);
	}
	return fwctl_scope_check(scope, max_scope, rawio, locked);
}

static void fwctl_taint(struct fwctl_device *fwctl)
{
	static unsigned long warned;

	/*
	 * Not gated on test_taint(): where TAINT_FWCTL falls back to a bit
	 * others set too, the warning naming the task must still appear.
	 * Both words are only read once set, so that debug RPCs on every
	 * device and CPU do not keep writing the same cache lines; taint
	 * bits are never cleared.
	 */
	if (!test_bit(0, &warned) && !test_and_set_bit(0, &warned))
		dev_warn(&fwctl->dev,
			 "%s[%d] sent a debug write RPC, tainting the kernel\n",
			 current->comm, task_pid_nr(current));
	if (!test_taint(TAINT_FWCTL))
		add_taint(TAINT_FWCTL, LOCKDEP_STILL_OK);
}

/**
 * fwctl_copy_ucmd() - copy an ioctl argument in, by the user's size
 * @kcmd: the kernel's structure
 * @ksize: its size
 * @min_size: the end of its last mandatory field
 * @uarg: the user's structure, which starts with a __u32 size
 *
 * Return: 0, -EFAULT, -EINVAL when the user's size is below @min_size, or
 * -E2BIG when the user's structure is longer and its extra bytes are not
 * all zero.
 */
VISIBLE_IF_KUNIT __always_inline int fwctl_copy_ucmd(void *kcmd, size_t ksize,
						     size_t min_size,
						     const void __user *uarg)
{
	u32 usize;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	return copy_struct_from_user(kcmd, ksize, uarg, usize);
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_copy_ucmd);

struct fwctl_ucmd {
	struct fwctl_uctx *uctx;
	void __user *ubuffer;
	void *cmd;
};

/*
 * The user's structure is at least as long as ours (min_size is the full
 * size of every structure so far), so writing ours back is always in
 * bounds; fields the user did not know of stay untouched. Inlined so that
 * @ksize is a constant: the hardened usercopy check of a stack object then
 * happens at build time, not on every RPC.
 */
static __always_inline int fwctl_ucmd_respond(struct fwctl_ucmd *ucmd,
					      size_t ksize)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd, ksize))
		return -EFAULT;
	return 0;
}

static int fwctl_cmd_info(struct fwctl_ucmd *ucmd)
{
	struct fwctl_device *fwctl = ucmd->uctx->fwctl;
	struct fwctl_info *cmd = ucmd->cmd;
	void __user *udata = u64_to_user_ptr(cmd->out_device_data);
	size_t buf_len = cmd->device_data_len;
	size_t len = 0, copied;
	void *data = NULL;
	int ret = 0;

	if (cmd->flags)
		return -EOPNOTSUPP;
	if (buf_len > FWCTL_RPC_MAX_LEN)
		return -EMSGSIZE;

	/*
	 * Asked even for a zero-length buffer, so that user space can learn
	 * the length it needs before allocating.
	 */
	if (fwctl->ops->info) {
		data = fwctl->ops->info(ucmd->uctx, &len);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	copied = min(len, buf_len);
	if (copy_to_user(udata, data, copied) ||
	    clear_user(udata + copied, buf_len - copied))
		ret = -EFAULT;
	kfree(data);
	if (ret)
		return ret;

	cmd->out_device_type = fwctl->ops->device_type;
	cmd->device_data_len = min_t(size_t, len, U32_MAX);
	return fwctl_ucmd_respond(ucmd, sizeof(*cmd));
}

/* Where an RPC ended, for the counters */
enum fwctl_rpc_stage {
	FWCTL_RPC_STAGE_CHECK,
	FWCTL_RPC_STAGE_DELIVERY,
};

static int fwctl_rpc_grow(void **buf, size_t len, size_t capacity)
{
	void *grown;

	grown = kvmalloc(capacity, GFP_KERNEL_ACCOUNT);
	if (!grown)
		return -ENOMEM;
	memcpy(grown, *buf, len);
	kvfree(*buf);
	*buf = grown;
	return 0;
}

static int fwctl_do_rpc(struct fwctl_ucmd *ucmd, u32 *out_produced,
			enum fwctl_rpc_stage *stage)
{
	struct fwctl_device *fwctl = ucmd->uctx->fwctl;
	struct fwctl_rpc *cmd = ucmd->cmd;
	const struct fwctl_cmd *entry = NULL;
	size_t capacity, alloc, out_len;
	void *in, *out;
	int ret;

	*stage = FWCTL_RPC_STAGE_CHECK;
	capacity = max(cmd->in_len, cmd->out_len);
	if (capacity > FWCTL_RPC_MAX_LEN)
		return -EMSGSIZE;
	ret = fwctl_rpc_allowed(fwctl, cmd->scope);
	if (ret)
		return ret;

	/*
	 * One buffer serves the request and, when the driver wants, the reply:
	 * no second allocation and no second copy for commands that answer in
	 * place. With a command table the reply's size is only known once the
	 * request has been read; the buffer is then sized for the longest
	 * reply of the whole table when that is small, and otherwise starts
	 * at the request's size and grows only for a command that answers
	 * with more. It is not zeroed: the request overwrites its start and
	 * only the rest is cleared, below.
	 */
	alloc = capacity;
	if (fwctl->cmds) {
		alloc = max(cmd->in_len, min(cmd->out_len, fwctl->cmds_out_max));
		if (alloc > FWCTL_RPC_PREALLOC_MAX)
			alloc = cmd->in_len;
	}
	in = kvmalloc(max_t(size_t, alloc, 1), GFP_KERNEL_ACCOUNT);
	if (!in)
		return -ENOMEM;
	if (copy_from_user(in, u64_to_user_ptr(cmd->in), cmd->in_len)) {
		ret = -EFAULT;
		goto out_free_in;
	}

	if (fwctl->cmds) {
		ret = __fwctl_cmd_check(fwctl->cmds, fwctl->cmds_search,
					cmd->scope, in, cmd->in_len,
					cmd->out_len, &entry);
		if (ret)
			goto out_free_in;
		/* No reply is longer than the command's, whatever was offered */
		if (entry->out_max)
			capacity = max(cmd->in_len,
				       min(cmd->out_len, entry->out_max));
		if (capacity > alloc) {
			ret = fwctl_rpc_grow(&in, cmd->in_len, capacity);
			if (ret)
				goto out_free_in;
		}
	}
	/*
	 * Only the part beyond the request is zeroed, so that a driver
	 * reporting more than it wrote cannot leak old heap contents; most
	 * replies fit in the request's length, and then nothing is.
	 */
	if (capacity > cmd->in_len)
		memset(in + cmd->in_len, 0, capacity - cmd->in_len);

	if (cmd->scope >= FWCTL_RPC_DEBUG_WRITE)
		fwctl_taint(fwctl);

	*stage = FWCTL_RPC_STAGE_DELIVERY;
	out_len = capacity;
	out = fwctl->ops->fw_rpc(ucmd->uctx, entry, cmd->scope, in,
				 cmd->in_len, &out_len);
	if (IS_ERR(out)) {
		ret = PTR_ERR(out);
		goto out_free_in;
	}
	if (out == in && WARN_ON_ONCE(out_len > capacity)) {
		ret = -EIO;
		goto out_free_in;
	}

	*out_produced = min_t(size_t, out_len, U32_MAX);
	if (copy_to_user(u64_to_user_ptr(cmd->out), out,
			 min_t(size_t, out_len, cmd->out_len))) {
		ret = -EFAULT;
		goto out_free_out;
	}
	cmd->out_len = *out_produced;
	ret = fwctl_ucmd_respond(ucmd, sizeof(*cmd));

out_free_out:
	if (out != in)
		kvfree(out);
out_free_in:
	kvfree(in);
	return ret;
}

static int fwctl_cmd_rpc(struct fwctl_ucmd *ucmd)
{
	struct fwctl_device *fwctl = ucmd->uctx->fwctl;
	struct fwctl_rpc *cmd = ucmd->cmd;
	bool tracing = trace_fwctl_rpc_enabled();
	enum fwctl_rpc_stage stage;
	u32 out_produced = 0;
	u64 start = 0;
	int ret;

	if (cmd->scope > FWCTL_RPC_DEBUG_WRITE_FULL) {
		fwctl_stat_inc(fwctl, FWCTL_STAT_INVALID);
		ret = -EOPNOTSUPP;
		goto out_trace;
	}
	fwctl_stat_inc(fwctl, FWCTL_STAT_SCOPE_CONFIGURATION + cmd->scope);

	if (tracing)
		start = ktime_get_ns();
	ret = fwctl_do_rpc(ucmd, &out_produced, &stage);
	if (!ret)
		fwctl_stat_inc(fwctl, FWCTL_STAT_OK);
	else if (stage == FWCTL_RPC_STAGE_DELIVERY || ret == -ENOMEM)
		fwctl_stat_inc(fwctl, FWCTL_STAT_FAILED);
	else if (ret == -EPERM)
		fwctl_stat_inc(fwctl, FWCTL_STAT_DENIED);
	else
		fwctl_stat_inc(fwctl, FWCTL_STAT_INVALID);

out_trace:
	if (tracing)
		trace_fwctl_rpc(fwctl, cmd->scope, cmd->in_len, out_produced,
				ret, start ? ktime_get_ns() - start : 0);
	return ret;
}

union fwctl_ucmd_buffer {
	struct fwctl_info info;
	struct fwctl_rpc rpc;
};

/**
 * fwctl_uctx_ioctl() - run one ioctl on an open fwctl file
 * @uctx: the file's context
 * @cmd: the ioctl number
 * @arg: the user pointer to its argument
 *
 * Return: 0 or a negative errno from the documented contract.
 */
VISIBLE_IF_KUNIT long fwctl_uctx_ioctl(struct fwctl_uctx *uctx,
				       unsigned int cmd, unsigned long arg)
{
	struct fwctl_device *fwctl = uctx->fwctl;
	union fwctl_ucmd_buffer buf;
	struct fwctl_ucmd ucmd = {
		.uctx = uctx,
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};
	int ret;

	/* An unknown number is refused before the device is looked at */
	switch (cmd) {
	case FWCTL_RPC:
	case FWCTL_INFO:
		break;
	default:
		return -ENOTTY;
	}

	CLASS(fwctl_reg_try, reg)(&fwctl->registration_lock);
	if (!reg || !fwctl->ops || READ_ONCE(fwctl->detaching))
		return -ENODEV;

	/*
	 * Each handler is called directly: an indirect call through a table
	 * costs a retpoline on every RPC. The sizes are constants, so that
	 * when the mandatory part is the whole structure the hardened
	 * usercopy check of the stack buffer is done at build time.
	 */
	switch (cmd) {
	case FWCTL_RPC:
		ret = fwctl_copy_ucmd(&buf.rpc, sizeof(buf.rpc),
				      offsetofend(struct fwctl_rpc, out),
				      ucmd.ubuffer);
		return ret ?: fwctl_cmd_rpc(&ucmd);
	case FWCTL_INFO:
		ret = fwctl_copy_ucmd(&buf.info, sizeof(buf.info),
				      offsetofend(struct fwctl_info,
						  out_device_data),
				      ucmd.ubuffer);
		return ret ?: fwctl_cmd_info(&ucmd);
	}
	return -ENOTTY;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_uctx_ioctl);

/* Callers hold registration_lock and uctx_list_lock, and ops is set */
static void fwctl_close_uctx(struct fwctl_device *fwctl,
			     struct fwctl_uctx *uctx)
{
	lockdep_assert_held(&fwctl->registration_lock);
	lockdep_assert_held(&fwctl->uctx_list_lock);

	list_del_init(&uctx->uctx_list_entry);
	if (fwctl->ops->close_uctx)
		fwctl->ops->close_uctx(uctx);
}

/**
 * fwctl_uctx_open() - open a user context on a device
 * @fwctl: the device
 *
 * Return: the new context, holding a reference on @fwctl, or an ERR_PTR:
 * -ENODEV once the device is unregistered, -ENOMEM, or the driver's error.
 */
VISIBLE_IF_KUNIT struct fwctl_uctx *fwctl_uctx_open(struct fwctl_device *fwctl)
{
	struct fwctl_uctx *uctx;
	int ret;

	guard(fwctl_reg_read)(&fwctl->registration_lock);
	if (!fwctl->ops || READ_ONCE(fwctl->detaching))
		return ERR_PTR(-ENODEV);

	uctx = kzalloc(fwctl->ops->uctx_size, GFP_KERNEL_ACCOUNT);
	if (!uctx)
		return ERR_PTR(-ENOMEM);
	uctx->fwctl = fwctl;
	INIT_LIST_HEAD(&uctx->uctx_list_entry);

	if (fwctl->ops->open_uctx) {
		ret = fwctl->ops->open_uctx(uctx);
		if (ret) {
			kfree(uctx);
			return ERR_PTR(ret);
		}
	}

	scoped_guard(mutex, &fwctl->uctx_list_lock)
		list_add_tail(&uctx->uctx_list_entry, &fwctl->uctx_list);
	fwctl_get(fwctl);
	return uctx;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_uctx_open);

/**
 * fwctl_uctx_release() - close a user context and free it
 * @uctx: the context from fwctl_uctx_open()
 *
 * The driver's close_uctx runs here unless unregister already ran it.
 */
VISIBLE_IF_KUNIT void fwctl_uctx_release(struct fwctl_uctx *uctx)
{
	struct fwctl_device *fwctl = uctx->fwctl;

	scoped_guard(fwctl_reg_read, &fwctl->registration_lock) {
		if (fwctl->ops) {
			guard(mutex)(&fwctl->uctx_list_lock);
			fwctl_close_uctx(fwctl, uctx);
		}
	}
	kfree(uctx);
	fwctl_put(fwctl);
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_uctx_release);

static int fwctl_fops_open(struct inode *inode, struct file *filp)
{
	struct fwctl_device *fwctl =
		container_of(inode->i_cdev, struct fwctl_device, cdev);
	struct fwctl_uctx *uctx;

	uctx = fwctl_uctx_open(fwctl);
	if (IS_ERR(uctx))
		return PTR_ERR(uctx);
	filp->private_data = uctx;
	return 0;
}

static int fwctl_fops_release(struct inode *inode, struct file *filp)
{
	fwctl_uctx_release(filp->private_data);
	return 0;
}

static long fwctl_fops_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	return fwctl_uctx_ioctl(filp->private_data, cmd, arg);
}

/*
 * The file operations belong to the core module, never to a driver, so a
 * driver can be unloaded while its files are still open.
 */
static const struct file_operations fwctl_fops = {
	.owner = THIS_MODULE,
	.open = fwctl_fops_open,
	.release = fwctl_fops_release,
	.unlocked_ioctl = fwctl_fops_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct fwctl_device *to_fwctl(struct device *dev)
{
	return container_of(dev, struct fwctl_device, dev);
}

static ssize_t device_type_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	/* sysfs is removed before unregister clears the ops */
	return sysfs_emit(buf, "%u\n", to_fwctl(dev)->ops->device_type);
}
static DEVICE_ATTR_RO(device_type);

static ssize_t max_scope_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  fwctl_scope_names[READ_ONCE(to_fwctl(dev)->max_scope)]);
}

static ssize_t max_scope_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	u32 scope;
	int ret;

	ret = fwctl_scope_parse(buf, &scope);
	if (ret)
		return ret;
	WRITE_ONCE(to_fwctl(dev)->max_scope, scope);
	return count;
}
static DEVICE_ATTR_RW(max_scope);

static struct attribute *fwctl_attrs[] = {
	&dev_attr_device_type.attr,
	&dev_attr_max_scope.attr,
	NULL,
};

static const struct attribute_group fwctl_attr_group = {
	.attrs = fwctl_attrs,
};

struct fwctl_stat_attr {
	struct device_attribute attr;
	enum fwctl_stat stat;
};

static ssize_t fwctl_stat_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct fwctl_stat_attr *sattr =
		container_of(attr, struct fwctl_stat_attr, attr);

	return sysfs_emit(buf, "%llu\n", fwctl_stat_read(to_fwctl(dev),
							  sattr->stat));
}

#define FWCTL_STAT_ATTR(_name, _stat)					\
	static struct fwctl_stat_attr fwctl_stat_attr_##_name = {	\
		.attr = __ATTR(_name, 0444, fwctl_stat_show, NULL),	\
		.stat = _stat,						\
	}

FWCTL_STAT_ATTR(configuration, FWCTL_STAT_SCOPE_CONFIGURATION);
FWCTL_STAT_ATTR(debug_read_only, FWCTL_STAT_SCOPE_DEBUG_READ_ONLY);
FWCTL_STAT_ATTR(debug_write, FWCTL_STAT_SCOPE_DEBUG_WRITE);
FWCTL_STAT_ATTR(debug_write_full, FWCTL_STAT_SCOPE_DEBUG_WRITE_FULL);
FWCTL_STAT_ATTR(ok, FWCTL_STAT_OK);
FWCTL_STAT_ATTR(denied, FWCTL_STAT_DENIED);
FWCTL_STAT_ATTR(invalid, FWCTL_STAT_INVALID);
FWCTL_STAT_ATTR(failed, FWCTL_STAT_FAILED);

static struct attribute *fwctl_stat_attrs[] = {
	&fwctl_stat_attr_configuration.attr.attr,
	&fwctl_stat_attr_debug_read_only.attr.attr,
	&fwctl_stat_attr_debug_write.attr.attr,
	&fwctl_stat_attr_debug_write_full.attr.attr,
	&fwctl_stat_attr_ok.attr.attr,
	&fwctl_stat_attr_denied.attr.attr,
	&fwctl_stat_attr_invalid.attr.attr,
	&fwctl_stat_attr_failed.attr.attr,
	NULL,
};

static const struct attribute_group fwctl_stat_group = {
	.name = "stats",
	.attrs = fwctl_stat_attrs,
};

static const struct attribute_group *fwctl_groups[] = {
	&fwctl_attr_group,
	&fwctl_stat_group,
	NULL,
};

static char *fwctl_devnode(const struct device *dev, umode_t *mode)
{
	return kasprintf(GFP_KERNEL, "fwctl/%s", dev_name(dev));
}

static void fwctl_device_release(struct device *dev)
{
	struct fwctl_device *fwctl = to_fwctl(dev);

	ida_free(&fwctl_ida, MINOR(fwctl->dev.devt));
	percpu_free_rwsem(&fwctl->registration_lock);
	free_percpu(fwctl->stats);
	kfree(fwctl);
}

/*
 * Not const: the external build also serves older kernels, whose
 * class_register() writes to the class.
 */
static struct class fwctl_class = {
	.name = "fwctl",
	.dev_groups = fwctl_groups,
	.dev_release = fwctl_device_release,
	.devnode = fwctl_devnode,
};

/**
 * _fwctl_alloc_device() - allocate a fwctl device; use fwctl_alloc_device()
 * @parent: the physical device
 * @ops: the driver's callbacks
 * @size: size of the driver's structure embedding &struct fwctl_device
 *
 * Return: the device holding one reference, or NULL.
 */
struct fwctl_device *_fwctl_alloc_device(struct device *parent,
					 const struct fwctl_ops *ops,
					 size_t size)
{
	struct fwctl_device *fwctl;
	int devnum;

	if (WARN_ON(size < sizeof(*fwctl) || !ops->fw_rpc ||
		    ops->uctx_size < sizeof(struct fwctl_uctx)))
		return NULL;

	fwctl = kzalloc(size, GFP_KERNEL);
	if (!fwctl)
		return NULL;
	fwctl->stats = alloc_percpu(struct fwctl_stats);
	if (!fwctl->stats)
		goto err_free;
	if (percpu_init_rwsem(&fwctl->registration_lock))
		goto err_free_stats;
	devnum = ida_alloc_max(&fwctl_ida, FWCTL_MAX_DEVICES - 1, GFP_KERNEL);
	if (devnum < 0)
		goto err_free_lock;

	/* From here on the release function frees everything */
	fwctl->dev.devt = MKDEV(MAJOR(fwctl_devt), devnum);
	fwctl->dev.class = &fwctl_class;
	fwctl->dev.parent = parent;
	device_initialize(&fwctl->dev);

	mutex_init(&fwctl->uctx_list_lock);
	INIT_LIST_HEAD(&fwctl->uctx_list);
	fwctl->ops = ops;
	fwctl->cmds = ops->cmds;
	fwctl->max_scope = FWCTL_RPC_DEBUG_WRITE_FULL;
	cdev_init(&fwctl->cdev, &fwctl_fops);

	if (dev_set_name(&fwctl->dev, "fwctl%d", devnum)) {
		put_device(&fwctl->dev);
		return NULL;
	}
	return fwctl;

err_free_lock:
	percpu_free_rwsem(&fwctl->registration_lock);
err_free_stats:
	free_percpu(fwctl->stats);
err_free:
	kfree(fwctl);
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(_fwctl_alloc_device, FWCTL);

/**
 * fwctl_register() - make a device visible to user space
 * @fwctl: a device from fwctl_alloc_device()
 *
 * Creates /dev/fwctl/fwctlN and the sysfs entries, including the
 * ``fwctl/fwctlN`` directory under the parent device. Callbacks may run
 * before this returns.
 *
 * Return: 0 or a negative errno; on failure the caller still puts @fwctl.
 */
int fwctl_register(struct fwctl_device *fwctl)
{
	if (fwctl->cmds) {
		fwctl->cmds_out_max = fwctl_cmd_table_out_max(fwctl->cmds);
		fwctl->cmds_search = fwctl_cmd_table_search(fwctl->cmds);
	}
	return cdev_device_add(&fwctl->cdev, &fwctl->dev);
}
EXPORT_SYMBOL_NS_GPL(fwctl_register, FWCTL);

/**
 * fwctl_unregister() - detach the driver from a device
 * @fwctl: a registered device
 *
 * Removes the device node, waits for every callback in progress, and closes
 * every user context still open through &fwctl_ops.close_uctx. When it
 * returns no callback of the driver runs again for @fwctl, and the driver
 * may free what the callbacks used. Files still open get -ENODEV; the
 * memory lives until they are closed and the driver's reference is put.
 */
void fwctl_unregister(struct fwctl_device *fwctl)
{
	struct fwctl_uctx *uctx;

	/*
	 * Calls that start from here on fail at once, so that the callbacks
	 * in progress end while the node is removed and unregister waits for
	 * the longer of the two, not for both in turn or for calls that start
	 * meanwhile. Only the lock below guarantees that no callback runs.
	 */
	WRITE_ONCE(fwctl->detaching, true);
	cdev_device_del(&fwctl->cdev, &fwctl->dev);

	/*
	 * The writer's side of the per-CPU lock first waits for an RCU grace
	 * period, which runs while the callbacks in progress end.
	 */
	percpu_down_write(&fwctl->registration_lock);
	scoped_guard(mutex, &fwctl->uctx_list_lock) {
		while ((uctx = list_first_entry_or_null(&fwctl->uctx_list,
							struct fwctl_uctx,
							uctx_list_entry)))
			fwctl_close_uctx(fwctl, uctx);
	}
	fwctl->ops = NULL;
	fwctl->cmds = NULL;
	percpu_up_write(&fwctl->registration_lock);
}
EXPORT_SYMBOL_NS_GPL(fwctl_unregister, FWCTL);

static int __init fwctl_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&fwctl_devt, 0, FWCTL_MAX_DEVICES, "fwctl");
	if (ret)
		return ret;

	ret = class_register(&fwctl_class);
	if (ret) {
		unregister_chrdev_region(fwctl_devt, FWCTL_MAX_DEVICES);
		return ret;
	}
	return 0;
}

static void __exit fwctl_exit(void)
{
	class_unregister(&fwctl_class);
	unregister_chrdev_region(fwctl_devt, FWCTL_MAX_DEVICES);
}

/*
 * Built in, the class must exist before any provider probes, and providers
 * such as the CXL and mlx5 core drivers register at device_initcall.
 */
subsys_initcall(fwctl_init);
module_exit(fwctl_exit);

MODULE_DESCRIPTION("fwctl device firmware access framework");
MODULE_LICENSE("GPL");
