/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the debug-kernel programs (fwctl_fuzz, fwctl_fault,
 * fwctl_stress, fwctl_matrix): every fwctl device of every driver, found
 * through sysfs by device type, unbound and bound through its parent's
 * driver; one valid, harmless request per driver; the documented errnos;
 * a small seeded random generator.
 */
#ifndef __SELFTEST_FWCTL_DEBUG_UTILS_H
#define __SELFTEST_FWCTL_DEBUG_UTILS_H

#include <limits.h>
#include <sys/sysmacros.h>

#include <fwctl/accel.h>
#include <fwctl/cxl.h>
#include "fwctl_utils.h"

#define DBG_MAX_DEVS		16
#define CXL_OP_IDENTIFY		0x4000

/*
 * One fwctl device, the device it speaks for, and the device whose driver
 * registers it: the parent itself, but for CXL the memdev's PCI device,
 * whose cxl_pci registers it
 */
struct dbg_dev {
	char name[32];		/* fwctlN */
	__u32 type;		/* enum fwctl_device_type */
	char parent[PATH_MAX];	/* sysfs directory of the parent device */
	char unplug[PATH_MAX];	/* sysfs directory of the device to unbind */
	char driver[PATH_MAX];	/* sysfs directory of its driver */
	char bus_id[64];	/* its name on its bus */
};

static inline const char *type_name(__u32 type)
{
	switch (type) {
	case FWCTL_DEVICE_TYPE_TEST_MOCK: return "mock";
	case FWCTL_DEVICE_TYPE_CXL: return "cxl";
	case FWCTL_DEVICE_TYPE_ACCEL: return "accel";
	case FWCTL_DEVICE_TYPE_MLX5: return "mlx5";
	default: return "other";
	}
}

static inline __u32 type_of(const char *name)
{
	if (!strcmp(name, "mock"))
		return FWCTL_DEVICE_TYPE_TEST_MOCK;
	if (!strcmp(name, "cxl"))
		return FWCTL_DEVICE_TYPE_CXL;
	if (!strcmp(name, "accel"))
		return FWCTL_DEVICE_TYPE_ACCEL;
	return FWCTL_DEVICE_TYPE_ERROR;
}

/* Fills @d for class device @name; returns 0 or -errno */
static inline int dbg_dev_fill(const char *name, struct dbg_dev *d)
{
	char path[PATH_MAX + 16], buf[32];
	const char *slash;

	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%.31s", name);
	if (dev_attr_read(name, "device_type", buf, sizeof(buf)))
		return -ENOENT;
	d->type = strtoul(buf, NULL, 10);
	snprintf(path, sizeof(path), FWCTL_CLASS "/%s/device", name);
	if (!realpath(path, d->parent))
		return -errno;
	memcpy(d->unplug, d->parent, sizeof(d->unplug));
	slash = strrchr(d->unplug, '/');
	if (d->type == FWCTL_DEVICE_TYPE_CXL && slash)
		*(char *)slash = 0;
	snprintf(path, sizeof(path), "%.4000s/driver", d->unplug);
	if (!realpath(path, d->driver))
		return -errno;
	slash = strrchr(d->unplug, '/');
	snprintf(d->bus_id, sizeof(d->bus_id), "%.63s",
		 slash ? slash + 1 : d->unplug);
	return 0;
}

/*
 * Fills @devs with up to @max fwctl devices of @type (every type for
 * FWCTL_DEVICE_TYPE_ERROR), sorted by name; returns how many.
 */
static inline int dbg_find(__u32 type, struct dbg_dev *devs, int max)
{
	struct dirent **list;
	int i, n, found = 0;

	n = scandir(FWCTL_CLASS, &list, NULL, versionsort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (found < max && list[i]->d_name[0] != '.' &&
		    !dbg_dev_fill(list[i]->d_name, &devs[found]) &&
		    (type == FWCTL_DEVICE_TYPE_ERROR ||
		     devs[found].type == type))
			found++;
		free(list[i]);
	}
	free(list);
	return found;
}

static inline int dbg_open(const struct dbg_dev *d)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/dev/fwctl/%.31s", d->name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Makes /dev/fwctl/NAME from the class device's dev attribute */
static inline int dbg_mknod(const struct dbg_dev *d)
{
	unsigned int major, minor;
	char buf[32], path[96];

	if (dev_attr_read(d->name, "dev", buf, sizeof(buf)) ||
	    sscanf(buf, "%u:%u", &major, &minor) != 2)
		return -ENOENT;
	mkdir("/dev/fwctl", 0755);
	snprintf(path, sizeof(path), "/dev/fwctl/%.31s", d->name);
	return mknod(path, S_IFCHR | 0600, makedev(major, minor)) ? -errno : 0;
}

static inline int dbg_driver_op(const struct dbg_dev *d, const char *op)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%.4000s/%s", d->driver, op);
	return write_file(path, d->bus_id);
}

static inline int dbg_unbind(const struct dbg_dev *d)
{
	return dbg_driver_op(d, "unbind");
}

/*
 * The fwctl device of the same type below d->unplug, which may have a new
 * name and parent after a bind: into @d
 */
static inline int dbg_node(struct dbg_dev *d)
{
	size_t len = strlen(d->unplug);
	struct dirent *de;
	struct dbg_dev n;
	int ret = -ENOENT;
	DIR *dir;

	dir = opendir(FWCTL_CLASS);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || dbg_dev_fill(de->d_name, &n) ||
		    n.type != d->type || strncmp(n.parent, d->unplug, len) ||
		    (n.parent[len] && n.parent[len] != '/'))
			continue;
		*d = n;
		ret = 0;
		break;
	}
	closedir(dir);
	return ret;
}

/*
 * Binds the parent again; with @wait, waits up to 10 s for the new fwctl
 * node and its /dev entry. Returns 0 or -errno of the bind.
 */
static inline int dbg_bind(struct dbg_dev *d, bool wait)
{
	char path[96];
	int ret, i;

	ret = dbg_driver_op(d, "bind");
	if (ret || !wait)
		return ret;
	for (i = 0; i < 1000; i++) {
		if (!dbg_node(d)) {
			snprintf(path, sizeof(path), "/dev/fwctl/%.31s", d->name);
			if (!access(path, F_OK))
				return 0;
		}
		sleep_ms(10);
	}
	return -ETIMEDOUT;
}

static inline bool dbg_bound(const struct dbg_dev *d)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%.4000s/driver", d->unplug);
	return !access(path, F_OK);
}

/* Room for any request or reply the programs build */
union dbg_buf {
	struct fwctl_mock_req mock;
	struct fwctl_rpc_cxl cxl;
	struct fwctl_accel_req accel;
	__u8 bytes[8192];
};

/*
 * The simplest request of each driver, one that needs the lowest scope
 * and changes nothing: an echo, Identify, an identify transaction.
 * Returns its length, 0 for an unknown type.
 */
static inline __u32 dbg_simple_req(__u32 type, union dbg_buf *b)
{
	struct fwctl_accel_trans *t;

	memset(b, 0, sizeof(*b));
	switch (type) {
	case FWCTL_DEVICE_TYPE_TEST_MOCK:
		mock_req_init(b, FWCTL_MOCK_OP_ECHO, 8);
		memcpy(b->mock.payload, "fwctl!!", 8);
		return MOCK_REQ_LEN(8);
	case FWCTL_DEVICE_TYPE_CXL:
		b->cxl.opcode = CXL_OP_IDENTIFY;
		return sizeof(struct fwctl_rpc_cxl_hdr);
	case FWCTL_DEVICE_TYPE_ACCEL:
		t = (void *)b->accel.trans;
		t->type = htole32(FWCTL_ACCEL_TRANS_IDENTIFY);
		t->len = htole32(sizeof(*t));
		b->accel.opcode = htole32(FWCTL_ACCEL_OP_TRANSACT);
		b->accel.count = htole32(1);
		b->accel.len = htole32(sizeof(b->accel) + sizeof(*t));
		return sizeof(b->accel) + sizeof(*t);
	}
	return 0;
}

/* Sends the simple request of @type at @scope; returns 0 or -errno */
static inline int dbg_simple_rpc(int fd, __u32 type, __u32 scope)
{
	union dbg_buf in, out;
	__u32 in_len = dbg_simple_req(type, &in);
	__u32 out_len = sizeof(out);

	return rpc_call(fd, scope, &in, in_len, &out, &out_len);
}

/* FWCTL_INFO into a buffer of 4 KiB; returns 0 or -errno */
static inline int dbg_info(int fd)
{
	static __u8 data[4096];
	__u32 len = sizeof(data);

	return info_call(fd, data, &len, NULL);
}

/* The errnos of the contract (Documentation/userspace-api/fwctl/fwctl.rst) */
static inline bool errno_documented(int err, __u32 type)
{
	switch (err) {
	case ENOTTY: case ENODEV: case EFAULT: case EINVAL: case E2BIG:
	case EOPNOTSUPP: case EMSGSIZE: case EPERM: case ENOMEM:
		return true;
	case ETIMEDOUT: case EBUSY: case EIO: case ENXIO:
		/* A driver that could not deliver: the device's own errors */
		return type == FWCTL_DEVICE_TYPE_CXL ||
		       type == FWCTL_DEVICE_TYPE_ACCEL;
	case ENOENT: case EINTR:
		/* The accelerator: an unknown region; killed while waiting */
		return type == FWCTL_DEVICE_TYPE_ACCEL;
	}
	return false;
}

/* xorshift64*: small, fast and the same everywhere, for seeded runs */
static __u64 dbg_rng = 0x9e3779b97f4a7c15ULL;

static inline void dbg_seed(__u64 seed)
{
	dbg_rng = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

static inline __u64 rnd(void)
{
	dbg_rng ^= dbg_rng >> 12;
	dbg_rng ^= dbg_rng << 25;
	dbg_rng ^= dbg_rng >> 27;
	return dbg_rng * 0x2545f4914f6cdd1dULL;
}

static inline __u32 rnd_below(__u32 n)
{
	return n ? rnd() % n : 0;
}

static inline bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

static inline __u32 pick(const __u32 *v, unsigned int n)
{
	return v[rnd_below(n)];
}

/* One of the values, at random */
#define PICK(...)							\
	({								\
		const __u32 __v[] = { __VA_ARGS__ };			\
		pick(__v, ARRAY_LEN(__v));				\
	})

#endif /* __SELFTEST_FWCTL_DEBUG_UTILS_H */
