// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libfwctl: the fwctl ioctls, device lookup through sysfs, and what an
 * errno returned by a fwctl device means for the person who got it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/capability.h>

#include "libfwctl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Mainline does not report the data length to a zero-length probe */
#define INFO_GUESS_LEN	4096
#define CAP_SYS_RAWIO_BIT 17

static const char *sysfs_root = "/sys";
static const char *dev_root = "/dev";

static const char *const scope_names[FWCTL_NUM_SCOPES] = {
	[FWCTL_RPC_CONFIGURATION] = "configuration",
	[FWCTL_RPC_DEBUG_READ_ONLY] = "debug_read_only",
	[FWCTL_RPC_DEBUG_WRITE] = "debug_write",
	[FWCTL_RPC_DEBUG_WRITE_FULL] = "debug_write_full",
};

static const char *const stat_names[FWCTL_NUM_STATS] = {
	[FWCTL_STATS_CONFIGURATION] = "configuration",
	[FWCTL_STATS_DEBUG_READ_ONLY] = "debug_read_only",
	[FWCTL_STATS_DEBUG_WRITE] = "debug_write",
	[FWCTL_STATS_DEBUG_WRITE_FULL] = "debug_write_full",
	[FWCTL_STATS_OK] = "ok",
	[FWCTL_STATS_DENIED] = "denied",
	[FWCTL_STATS_INVALID] = "invalid",
	[FWCTL_STATS_FAILED] = "failed",
};

void fwctl_set_roots(const char *sysfs, const char *devfs)
{
	sysfs_root = sysfs && *sysfs ? sysfs : "/sys";
	dev_root = devfs && *devfs ? devfs : "/dev";
}

/* snprintf() that reports truncation instead of silently cutting a path */
static int __attribute__((format(printf, 3, 4)))
fmt_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

static int copy_str(char *dst, size_t len, const char *src)
{
	return fmt_path(dst, len, "%s", src);
}

/* Reads a small text file such as a sysfs attribute, without trailing space */
static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	if (len < 2)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, len - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = 0;
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = 0;
	return 0;
}

static int read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;
	int ret;

	ret = read_text(path, buf, sizeof(buf));
	if (ret)
		return ret;
	if (!isdigit((unsigned char)buf[0]))
		return -EINVAL;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* The last component of the target of the symlink @path */
static int link_basename(const char *path, char *buf, size_t len)
{
	char target[FWCTL_PATH_LEN];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = 0;
	base = strrchr(target, '/');
	return copy_str(buf, len, base ? base + 1 : target);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_fwctl_name(const char *s)
{
	return !strncmp(s, "fwctl", 5) && all_digits(s + 5) &&
	       strlen(s) < FWCTL_NAME_LEN;
}

static int class_path(char *buf, size_t len, const char *name,
		      const char *attr)
{
	if (attr)
		return fmt_path(buf, len, "%s/class/fwctl/%s/%s", sysfs_root,
				name, attr);
	return fmt_path(buf, len, "%s/class/fwctl/%s", sysfs_root, name);
}

static unsigned long name_number(const char *name)
{
	return strtoul(name + 5, NULL, 10);
}

static int cmp_names(const void *a, const void *b)
{
	unsigned long na = name_number(*(char *const *)a);
	unsigned long nb = name_number(*(char *const *)b);

	return na < nb ? -1 : na > nb;
}

/* The fwctlN entries of directory @dir, sorted by number */
static int list_dir(const char *dir, char ***names, size_t *count)
{
	char **list = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	*names = NULL;
	*count = 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!is_fwctl_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown)
				goto err_nomem;
			list = grown;
		}
		list[n] = strdup(de->d_name);
		if (!list[n])
			goto err_nomem;
		n++;
	}
	closedir(d);
	qsort(list, n, sizeof(*list), cmp_names);
	*names = list;
	*count = n;
	return 0;

err_nomem:
	closedir(d);
	fwctl_list_free(list, n);
	return -ENOMEM;
}

/**
 * fwctl_list() - the fwctl devices sysfs knows
 * @names: set to a malloc'd array of "fwctlN" strings, sorted by N
 * @count: set to the number of entries
 *
 * Return: 0, -ENOENT when there is no fwctl class (the core is not
 * loaded), or another negative errno. Free with fwctl_list_free().
 */
int fwctl_list(char ***names, size_t *count)
{
	char dir[FWCTL_PATH_LEN];
	int ret;

	*names = NULL;
	*count = 0;
	ret = fmt_path(dir, sizeof(dir), "%s/class/fwctl", sysfs_root);
	if (ret)
		return ret;
	return list_dir(dir, names, count);
}

void fwctl_list_free(char **names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* The fwctl device a char device number belongs to, checked by class */
static int name_from_devt(dev_t rdev, const char *path, char *name,
			  size_t len)
{
	char link[FWCTL_PATH_LEN], subsys[64];
	const char *base;
	int ret;

	ret = fmt_path(link, sizeof(link), "%s/dev/char/%u:%u/subsystem",
		       sysfs_root, major(rdev), minor(rdev));
	if (ret)
		return ret;
	ret = link_basename(link, subsys, sizeof(subsys));
	if (ret) {
		/* No sysfs to ask: trust a node named like ours */
		base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (!is_fwctl_name(base))
			return -ENOTTY;
		return copy_str(name, len, base);
	}
	if (strcmp(subsys, "fwctl"))
		return -ENOTTY;
	ret = fmt_path(link, sizeof(link), "%s/dev/char/%u:%u", sysfs_root,
		       major(rdev), minor(rdev));
	if (ret)
		return ret;
	return link_basename(link, name, len);
}

/*
 * A sysfs directory: the class directory of a fwctl device, or a parent
 * device with a fwctl/ directory (the lowest-numbered entry wins).
 */
static int name_from_dir(const char *dir, char *name, size_t len)
{
	char path[FWCTL_PATH_LEN], real[PATH_MAX];
	const char *base;
	char **list;
	size_t n;
	int ret;

	ret = fmt_path(path, sizeof(path), "%s/fwctl", dir);
	if (ret)
		return ret;
	ret = list_dir(path, &list, &n);
	if (!ret) {
		if (n)
			ret = copy_str(name, len, list[0]);
		else
			ret = -ENOENT;
		fwctl_list_free(list, n);
		return ret;
	}

	ret = fmt_path(path, sizeof(path), "%s/device_type", dir);
	if (ret)
		return ret;
	if (access(path, F_OK) || !realpath(dir, real))
		return -ENOENT;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (!is_fwctl_name(base))
		return -ENOENT;
	return copy_str(name, len, base);
}

/* The name of a device's parent, from its resolved "device" link */
static int parent_of(const char *name, char *real)
{
	char path[FWCTL_PATH_LEN];
	int ret;

	ret = class_path(path, sizeof(path), name, "device");
	if (ret)
		return ret;
	if (!realpath(path, real))
		return -errno;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *base = strrchr(path, '/');

	return base ? base + 1 : path;
}

/* A parent device name, matched against every fwctl device's parent */
static int name_from_parent(const char *spec, char *name, size_t len)
{
	char real[PATH_MAX];
	char **list;
	size_t i, n;
	int ret;

	ret = fwctl_list(&list, &n);
	if (ret)
		return ret;
	ret = -ENOENT;
	for (i = 0; i < n; i++) {
		if (parent_of(list[i], real) || strcmp(base_name(real), spec))
			continue;
		ret = copy_str(name, len, list[i]);
		break;
	}
	fwctl_list_free(list, n);
	return ret;
}

/**
 * fwctl_resolve() - find the fwctl device a user named
 * @spec: "fwctlN", "N", a device node path, a sysfs directory (the
 *	device's own or its parent's), or the name of the parent device
 * @name: set to "fwctlN"
 * @len: size of @name
 *
 * Return: 0; -ENOENT when nothing matches; -ENOTTY when @spec is a file
 * that is not a fwctl node; or another negative errno.
 */
int fwctl_resolve(const char *spec, char *name, size_t len)
{
	struct stat st;

	if (!spec || !*spec)
		return -EINVAL;
	if (is_fwctl_name(spec))
		return copy_str(name, len, spec);
	if (all_digits(spec) && strlen(spec) < 10)
		return fmt_path(name, len, "fwctl%s", spec);
	if (!strchr(spec, '/'))
		return name_from_parent(spec, name, len);

	if (stat(spec, &st))
		return -errno;
	if (S_ISCHR(st.st_mode))
		return name_from_devt(st.st_rdev, spec, name, len);
	if (S_ISDIR(st.st_mode))
		return name_from_dir(spec, name, len);
	return -ENOTTY;
}

/**
 * fwctl_dev_open() - open a fwctl device
 * @spec: any form fwctl_resolve() accepts
 * @dev: filled on success; @dev->fd is -1 on failure
 *
 * A node path is opened as given; every other form opens
 * /dev/fwctl/fwctlN. Each open creates a new firmware context in the
 * driver, which lives until fwctl_dev_close().
 *
 * Return: 0 or a negative errno.
 */
int fwctl_dev_open(const char *spec, struct fwctl_dev *dev)
{
	struct stat st;
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	ret = fwctl_resolve(spec, dev->name, sizeof(dev->name));
	if (ret)
		return ret;

	if (strchr(spec, '/') && !stat(spec, &st) && S_ISCHR(st.st_mode))
		ret = copy_str(dev->node, sizeof(dev->node), spec);
	else
		ret = fmt_path(dev->node, sizeof(dev->node), "%s/fwctl/%s",
			       dev_root, dev->name);
	if (ret)
		return ret;

	dev->fd = open(dev->node, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		return -errno;
	return 0;
}

void fwctl_dev_close(struct fwctl_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

/**
 * fwctl_dev_info_raw() - FWCTL_INFO into a caller's buffer
 * @dev: the open device
 * @type: set to the &enum fwctl_device_type
 * @data: buffer for the driver data, may be NULL when *@len is 0
 * @len: in: size of @data; out: length of the driver's data, which may
 *	exceed the buffer (the copy is then cut)
 *
 * Return: 0 or a negative errno.
 */
int fwctl_dev_info_raw(const struct fwctl_dev *dev, uint32_t *type,
		       void *data, uint32_t *len)
{
	struct fwctl_info cmd = {
		.size = sizeof(cmd),
		.device_data_len = *len,
		.out_device_data = (uintptr_t)data,
	};

	if (ioctl(dev->fd, FWCTL_INFO, &cmd))
		return -errno;
	*type = cmd.out_device_type;
	*len = cmd.device_data_len;
	return 0;
}

/**
 * fwctl_dev_info() - FWCTL_INFO into a buffer of the right size
 * @dev: the open device
 * @type: set to the &enum fwctl_device_type
 * @data: set to a malloc'd copy of the driver data (never NULL on success)
 * @len: set to its length
 *
 * Asks for the length first; a kernel that does not report it (mainline
 * answers 0) gets a generous buffer instead.
 *
 * Return: 0 or a negative errno.
 */
int fwctl_dev_info(const struct fwctl_dev *dev, uint32_t *type, void **data,
		   uint32_t *len)
{
	uint32_t want = 0, got;
	void *buf;
	int tries, ret;

	*data = NULL;
	*len = 0;
	ret = fwctl_dev_info_raw(dev, type, NULL, &want);
	if (ret)
		return ret;
	if (!want)
		want = INFO_GUESS_LEN;

	/* The length may change between calls; follow it a few times */
	for (tries = 0; tries < 4; tries++) {
		if (want > FWCTL_RPC_MAX_LEN)
			return -EMSGSIZE;
		buf = calloc(1, want);
		if (!buf)
			return -ENOMEM;
		got = want;
		ret = fwctl_dev_info_raw(dev, type, buf, &got);
		if (ret) {
			free(buf);
			return ret;
		}
		if (got <= want) {
			*data = buf;
			*len = got;
			return 0;
		}
		free(buf);
		want = got;
	}
	return -EAGAIN;
}

/**
 * fwctl_dev_rpc() - send one RPC
 * @dev: the open device
 * @scope: the highest &enum fwctl_rpc_scope the request may reach
 * @in: the request
 * @in_len: its length
 * @out: buffer for the reply
 * @out_len: in: size of @out; out: length the device produced, which may
 *	exceed the buffer (the reply was then cut)
 *
 * A 0 return means the request was delivered; the device's own status is
 * in the reply.
 *
 * Return: 0 or a negative errno.
 */
int fwctl_dev_rpc(const struct fwctl_dev *dev, uint32_t scope, const void *in,
		  uint32_t in_len, void *out, uint32_t *out_len)
{
	struct fwctl_rpc cmd = {
		.size = sizeof(cmd),
		.scope = scope,
		.in_len = in_len,
		.out_len = *out_len,
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
	};

	if (ioctl(dev->fd, FWCTL_RPC, &cmd))
		return -errno;
	*out_len = cmd.out_len;
	return 0;
}

static void read_parent(struct fwctl_sysinfo *si)
{
	char path[FWCTL_PATH_LEN], real[PATH_MAX];

	if (parent_of(si->name, real) ||
	    copy_str(si->parent_path, sizeof(si->parent_path), real) ||
	    copy_str(si->parent, sizeof(si->parent), base_name(real)))
		return;
	if (!fmt_path(path, sizeof(path), "%s/subsystem", real))
		link_basename(path, si->parent_bus, sizeof(si->parent_bus));
	if (!fmt_path(path, sizeof(path), "%s/driver", real))
		link_basename(path, si->parent_driver,
			      sizeof(si->parent_driver));
}

static void read_stats(struct fwctl_sysinfo *si)
{
	char path[FWCTL_PATH_LEN], attr[64];
	int i;

	for (i = 0; i < FWCTL_NUM_STATS; i++) {
		snprintf(attr, sizeof(attr), "stats/%s", stat_names[i]);
		if (class_path(path, sizeof(path), si->name, attr) ||
		    read_u64(path, &si->stats[i]))
			return;
	}
	si->has_stats = true;
}

static int read_max_scope(const char *name)
{
	char path[FWCTL_PATH_LEN], buf[64];
	int scope;

	if (class_path(path, sizeof(path), name, "max_scope") ||
	    read_text(path, buf, sizeof(buf)))
		return -1;
	scope = fwctl_scope_parse(buf);
	return scope < 0 ? -1 : scope;
}

/**
 * fwctl_sysinfo_read() - what sysfs says about a device
 * @name: "fwctlN"
 * @si: filled; fields sysfs does not provide are left empty
 *
 * Return: 0, or -ENOENT when sysfs has no such device.
 */
int fwctl_sysinfo_read(const char *name, struct fwctl_sysinfo *si)
{
	char path[FWCTL_PATH_LEN];
	uint64_t type;
	int ret;

	memset(si, 0, sizeof(*si));
	si->max_scope = -1;
	if (!is_fwctl_name(name))
		return -EINVAL;
	ret = class_path(path, sizeof(path), name, NULL);
	if (ret)
		return ret;
	if (access(path, F_OK))
		return -errno;

	copy_str(si->name, sizeof(si->name), name);
	fmt_path(si->node, sizeof(si->node), "%s/fwctl/%s", dev_root, name);
	if (!class_path(path, sizeof(path), name, "device_type") &&
	    !read_u64(path, &type) && type <= UINT32_MAX) {
		si->device_type = type;
		si->has_type = true;
	}
	si->max_scope = read_max_scope(name);
	read_parent(si);
	read_stats(si);
	return 0;
}

/**
 * fwctl_max_scope_write() - lower or raise a device's ceiling (root only)
 * @name: "fwctlN"
 * @scope: the new ceiling
 *
 * Return: 0 or a negative errno.
 */
int fwctl_max_scope_write(const char *name, int scope)
{
	char path[FWCTL_PATH_LEN];
	const char *val = fwctl_scope_name(scope);
	ssize_t n;
	int fd, ret;

	if (!val)
		return -EINVAL;
	ret = class_path(path, sizeof(path), name, "max_scope");
	if (ret)
		return ret;
	/* O_TRUNC as a shell's redirection has it; sysfs ignores it */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	ret = n < 0 ? -errno : (size_t)n == strlen(val) ? 0 : -EIO;
	close(fd);
	return ret;
}

const char *fwctl_scope_name(int scope)
{
	if (scope < 0 || scope >= FWCTL_NUM_SCOPES)
		return NULL;
	return scope_names[scope];
}

/**
 * fwctl_scope_parse() - a scope from its name or number
 * @s: "configuration", "debug_read_only", "debug_write",
 *	"debug_write_full" (any case, '-' for '_'), or "0" to "3"
 *
 * Return: the scope, or -EINVAL.
 */
int fwctl_scope_parse(const char *s)
{
	char buf[32];
	size_t i;
	int scope;

	if (!s || !*s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	if (s[0] >= '0' && s[0] <= '0' + FWCTL_SCOPE_MAX && !s[1])
		return s[0] - '0';
	for (i = 0; s[i]; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	buf[i] = 0;
	for (scope = 0; scope < FWCTL_NUM_SCOPES; scope++)
		if (!strcasecmp(buf, scope_names[scope]))
			return scope;
	return -EINVAL;
}

const char *fwctl_type_name(uint32_t type)
{
	switch (type) {
	case FWCTL_DEVICE_TYPE_ERROR:
		return "error";
	case FWCTL_DEVICE_TYPE_MLX5:
		return "mlx5";
	case FWCTL_DEVICE_TYPE_CXL:
		return "cxl";
	case FWCTL_DEVICE_TYPE_BNXT:
		return "bnxt";
	case FWCTL_DEVICE_TYPE_PDS:
		return "pds";
	case FWCTL_DEVICE_TYPE_ACCEL:
		return "accel";
	case FWCTL_DEVICE_TYPE_TEST_MOCK:
		return "mock";
	}
	return "unknown";
}

const char *fwctl_stat_name(int stat)
{
	if (stat < 0 || stat >= FWCTL_NUM_STATS)
		return NULL;
	return stat_names[stat];
}

/* True when this process lives in the initial user namespace */
static bool in_init_userns(void)
{
	char buf[256];
	unsigned long inner, outer, count;

	if (read_text("/proc/self/uid_map", buf, sizeof(buf)))
		return true;
	if (sscanf(buf, "%lu %lu %lu", &inner, &outer, &count) != 3)
		return false;
	return !inner && !outer && count == 4294967295UL;
}

/**
 * fwctl_has_rawio() - whether the full debug scope's capability is held
 *
 * The kernel checks CAP_SYS_RAWIO in the initial user namespace, so a
 * capability held inside a container's namespace does not count.
 *
 * Return: 1, 0, or -1 when it cannot be told.
 */
int fwctl_has_rawio(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	if (!(data[CAP_SYS_RAWIO_BIT / 32].effective &
	      (1U << (CAP_SYS_RAWIO_BIT % 32))))
		return 0;
	return in_init_userns();
}

/**
 * fwctl_locked_down() - whether the kernel is locked down
 *
 * Return: 1, 0, or -1 when securityfs does not tell.
 */
int fwctl_locked_down(void)
{
	char path[FWCTL_PATH_LEN], buf[128];

	if (fmt_path(path, sizeof(path), "%s/kernel/security/lockdown",
		     sysfs_root) || read_text(path, buf, sizeof(buf)))
		return -1;
	if (!strchr(buf, '['))
		return -1;
	return !strstr(buf, "[none]");
}

void fwctl_err_ctx_init(struct fwctl_err_ctx *ctx, enum fwctl_op op,
			const char *name)
{
	ctx->op = op;
	ctx->name = name;
	ctx->scope = -1;
	ctx->need_scope = -1;
	ctx->max_scope = name && is_fwctl_name(name) ? read_max_scope(name) :
						       -1;
	ctx->has_rawio = fwctl_has_rawio();
	ctx->locked_down = fwctl_locked_down();
}

/*
 * Listed without their leading 'E', which ERRNO_NAME() pastes back on, so
 * that naming the errno for "no such system call" here, where it is only a
 * name for messages, does not read as a misuse of it.
 */
#define ERRNO_NAME(e) \
	[E##e] = "E" #e
static const char *const errno_names[] = {
	ERRNO_NAME(PERM), ERRNO_NAME(NOENT), ERRNO_NAME(INTR),
	ERRNO_NAME(IO), ERRNO_NAME(NXIO), ERRNO_NAME(2BIG),
	ERRNO_NAME(BADF), ERRNO_NAME(AGAIN), ERRNO_NAME(NOMEM),
	ERRNO_NAME(ACCES), ERRNO_NAME(FAULT), ERRNO_NAME(BUSY),
	ERRNO_NAME(NODEV), ERRNO_NAME(NOTDIR), ERRNO_NAME(ISDIR),
	ERRNO_NAME(INVAL), ERRNO_NAME(MFILE), ERRNO_NAME(NOTTY),
	ERRNO_NAME(FBIG), ERRNO_NAME(NOSPC), ERRNO_NAME(ROFS),
	ERRNO_NAME(RANGE), ERRNO_NAME(NAMETOOLONG), ERRNO_NAME(NOSYS),
	ERRNO_NAME(BADMSG), ERRNO_NAME(OVERFLOW), ERRNO_NAME(MSGSIZE),
	ERRNO_NAME(PROTO), ERRNO_NAME(OPNOTSUPP), ERRNO_NAME(TIMEDOUT),
	ERRNO_NAME(CANCELED), ERRNO_NAME(NOTCONN), ERRNO_NAME(REMOTEIO),
};

/* The symbolic name of an errno ("EPERM"), or NULL */
const char *fwctl_errno_name(int err)
{
	if (err < 0)
		err = -err;
	if ((size_t)err >= ARRAY_SIZE(errno_names))
		return NULL;
	return errno_names[err];
}

/**
 * struct err_hint - what to do about an errno
 * @errs: the errnos it is about; 0 ends the list
 * @open: the advice when opening the device node, or NULL for @any
 * @rpc: the advice for FWCTL_RPC, or NULL for @any
 * @any: the advice for the other calls, or NULL for none
 */
struct err_hint {
	int errs[3];
	const char *open;
	const char *rpc;
	const char *any;
};

static const struct err_hint err_hints[] = {
	{
		.errs = { EPERM },	/* perm_hint() has the others */
		.open =
			"fwctl device nodes are for root only (mode 0600): run as root, or have the administrator grant access to the node",
	}, {
		.errs = { ENOENT },
		.open =
			"no such fwctl device: 'fwctl list' shows the devices present; the fwctl module must be loaded and /dev mounted",
		.any =
			"the device or its sysfs attribute is gone: 'fwctl list' shows the devices present",
	}, {
		.errs = { ENODEV, ENXIO },
		.open =
			"the device is gone or its driver is not bound: 'fwctl list' shows the devices present",
		.any =
			"the device went away (unplugged, or its driver unbound or unloaded) while it was open; this open file is dead: open the device again ('fwctl list' shows it if it came back)",
	}, {
		.errs = { EOPNOTSUPP },
		.rpc =
			"the driver does not allow this command, or a field holds a value it does not support (unknown opcode or scope, non-zero flags)",
		.any = "the kernel does not support a value this tool passed",
	}, {
		.errs = { EMSGSIZE },
		.any =
			"a request or reply is larger than the 2 MiB limit of FWCTL_RPC: send less, or lower --out-len",
	}, {
		.errs = { EINVAL },
		.rpc =
			"the request is malformed: shorter than its header, a length outside the bounds the driver allows for the command, or a reply buffer below the command's minimum (raise --out-len)",
		.any = "the kernel refused the call as malformed",
	}, {
		.errs = { E2BIG },
		.any =
			"the kernel is older than this tool and does not know a field it set: update the kernel, or build the tool against the kernel's headers",
	}, {
		.errs = { EFAULT },
		.any =
			"the kernel could not access a buffer of this process: a bug in the tool, please report it",
	}, {
		.errs = { ENOTTY },
		.any =
			"not a fwctl device node, or a kernel without this fwctl ioctl: check the device with 'fwctl list', or update the kernel",
	}, {
		.errs = { ENOMEM },
		.any =
			"the kernel or the driver ran out of memory for the call: retry later or with smaller buffers",
	}, {
		.errs = { ETIMEDOUT },
		.any =
			"the device did not answer in time; it may be busy, resetting or hung: retry, and check the kernel log (dmesg)",
	}, {
		.errs = { EINTR },
		.any = "interrupted by a signal before the device answered: retry",
	}, {
		.errs = { EBUSY, EAGAIN },
		.any = "the device is busy: retry later",
	}, {
		.errs = { EIO, EREMOTEIO },
		.any =
			"the driver could not talk to the device: check the kernel log (dmesg)",
	}, {
		.errs = { EACCES },
		.open =
			"permission denied: fwctl device nodes are for root only (mode 0600)",
		.any = "permission denied",
	},
};

static const char *op_hint(int err, const struct fwctl_err_ctx *ctx)
{
	const struct err_hint *h;
	const int *e;

	for (h = err_hints; h < err_hints + ARRAY_SIZE(err_hints); h++) {
		for (e = h->errs; *e && *e != err; e++)
			;
		if (!*e)
			continue;
		if (ctx->op == FWCTL_OP_OPEN && h->open)
			return h->open;
		if (ctx->op == FWCTL_OP_RPC && h->rpc)
			return h->rpc;
		return h->any;
	}
	return NULL;
}

static const char *scope_str(int scope)
{
	const char *s = fwctl_scope_name(scope);

	return s ? s : "?";
}

static const char *perm_hint_rpc(const struct fwctl_err_ctx *ctx, char *buf,
				 size_t len)
{
	int s = ctx->scope, need = ctx->need_scope, max = ctx->max_scope;

	if (need == FWCTL_SCOPE_NEVER) {
		snprintf(buf, len,
			 "no scope allows this request: the driver refuses it whatever the scope");
	} else if (s >= 0 && max >= 0 && s > max && need > max) {
		snprintf(buf, len,
			 "this command needs scope %s, above the ceiling of %s (%s, in /sys/class/fwctl/%s/max_scope): root must raise the ceiling first (fwctl max-scope %s %s)",
			 scope_str(need), ctx->name, scope_str(max), ctx->name,
			 ctx->name, scope_str(need));
	} else if (s >= 0 && max >= 0 && s > max) {
		snprintf(buf, len,
			 "scope %s is above the ceiling of %s (%s, in /sys/class/fwctl/%s/max_scope): pass %s %s, or have root raise the ceiling (fwctl max-scope %s %s)",
			 scope_str(s), ctx->name, scope_str(max), ctx->name,
			 need >= 0 ? "--scope" : "a scope up to",
			 scope_str(need >= 0 ? need : max), ctx->name,
			 scope_str(s));
	} else if (s == FWCTL_RPC_DEBUG_WRITE_FULL && ctx->has_rawio != 1) {
		snprintf(buf, len,
			 "scope debug_write_full needs CAP_SYS_RAWIO in the initial user namespace%s: run as root outside any container, or pass a lower scope if the command allows it",
			 ctx->has_rawio ? " (and a kernel that is not locked down)" :
					  "");
	} else if (s == FWCTL_RPC_DEBUG_WRITE_FULL && ctx->locked_down == 1) {
		snprintf(buf, len,
			 "scope debug_write_full is refused while the kernel is locked down (/sys/kernel/security/lockdown): pass a lower scope if the command allows it, or boot without lockdown");
	} else if (need >= 0 && s >= 0 && need > s) {
		snprintf(buf, len,
			 "this command needs scope %s, above %s: pass --scope %s%s",
			 scope_str(need), scope_str(s), scope_str(need),
			 max >= 0 && need > max ?
			 ", after root raises the device's ceiling (max_scope)" :
			 "");
	} else if (s >= 0 && s < FWCTL_RPC_DEBUG_WRITE_FULL) {
		snprintf(buf, len,
			 "the driver refused the command at scope %s: it needs a higher scope; pass --scope %s or higher",
			 scope_str(s), scope_str(s + 1));
	} else {
		snprintf(buf, len,
			 "refused by the kernel's scope policy: the driver does not allow this command for this caller");
	}
	return buf;
}

static const char *perm_hint(const struct fwctl_err_ctx *ctx, char *buf,
			     size_t len)
{
	switch (ctx->op) {
	case FWCTL_OP_OPEN:
		return op_hint(EPERM, ctx);
	case FWCTL_OP_SYSFS:
		return "only root may change a device's ceiling";
	case FWCTL_OP_RPC:
		return perm_hint_rpc(ctx, buf, len);
	case FWCTL_OP_INFO:
		break;
	}
	return "refused by the kernel";
}

/**
 * fwctl_err_hint() - say what to do about an error
 * @err: the errno, positive or negative
 * @ctx: what is known about the call
 * @buf: room for a hint that needs formatting
 * @len: size of @buf
 *
 * Return: a sentence, in @buf or static; NULL when there is no advice.
 */
const char *fwctl_err_hint(int err, const struct fwctl_err_ctx *ctx,
			   char *buf, size_t len)
{
	if (err < 0)
		err = -err;
	if (err == EPERM || (err == EACCES && ctx->op == FWCTL_OP_SYSFS))
		return perm_hint(ctx, buf, len);
	return op_hint(err, ctx);
}
