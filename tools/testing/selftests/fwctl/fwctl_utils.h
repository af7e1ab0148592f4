/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the fwctl selftests: finding the mock devices, building
 * mock requests, sysfs access, taint and capability handling.
 *
 * Opening devices, FWCTL_INFO, FWCTL_RPC, scope names, the ceiling and the
 * lockdown state come from libfwctl (tools/fwctl/libfwctl.c, which the
 * Makefile links in). The tests that hand the kernel malformed structures
 * (bad size, flags or pointers) call ioctl() themselves: the library
 * cannot build such input.
 */
#ifndef __SELFTEST_FWCTL_UTILS_H
#define __SELFTEST_FWCTL_UTILS_H

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <fwctl/fwctl.h>
#include "../../../fwctl/libfwctl.h"
#include "../../../../drivers/fwctl/mock/fwctl_mock.h"

#define FWCTL_CLASS		"/sys/class/fwctl"
#define MOCK_PLATFORM_DEVS	"/sys/bus/platform/devices"
#define MOCK_DRIVER_DIR		"/sys/bus/platform/drivers/fwctl_mock"
#define MOCK_PARAMS		"/sys/module/fwctl_mock/parameters"
#define MOCK_TYPE		FWCTL_DEVICE_TYPE_TEST_MOCK

/* Bit 19 ('J') in-tree; the out-of-tree build for 6.12 falls back to 6 ('U') */
#define TAINT_FWCTL_BIT		19
#define TAINT_USER_BIT		6
#define FWCTL_TAINT_MASK	((1UL << TAINT_FWCTL_BIT) | (1UL << TAINT_USER_BIT))

#define CAP_SYS_RAWIO_NR	17

#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

/* Size of a mock request with a payload of @plen bytes */
#define MOCK_REQ_LEN(plen)	(sizeof(struct fwctl_mock_req) + (plen))
#define MOCK_RSP_LEN(plen)	(sizeof(struct fwctl_mock_rsp) + (plen))

/* Reads a small sysfs/proc file into @buf, without its trailing newline */
static inline int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

/* Writes @val to a sysfs file; returns 0 or -errno of the write */
static inline int write_file(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static inline int read_u64(const char *path, __u64 *val)
{
	char buf[64], *end;
	int ret;

	ret = read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

static inline __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A kernel sleep of @ms, as user space's clock may see it: timers run on
 * jiffies, which drift a little from CLOCK_MONOTONIC in emulated guests.
 */
static inline __u64 slept_ns(unsigned int ms)
{
	return ms * 950000ULL;
}

static inline void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static inline unsigned long read_taint(void)
{
	__u64 val = 0;

	if (read_u64("/proc/sys/kernel/tainted", &val))
		return ~0UL;
	return val;
}

/* True when the kernel's lockdown LSM is at integrity or higher */
static inline bool locked_down(void)
{
	return fwctl_locked_down() == 1;
}

/* Drops @cap from every capability set of the calling process */
static inline int drop_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	unsigned int bit = 1U << (cap % 32);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[cap / 32].effective &= ~bit;
	data[cap / 32].permitted &= ~bit;
	data[cap / 32].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

static inline bool have_cap(int cap)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[cap / 32].effective & (1U << (cap % 32));
}

/* A page nothing can read or write, for EFAULT tests */
static inline void *bad_ptr(void)
{
	static void *page;

	if (!page) {
		page = mmap(NULL, 4096, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			page = (void *)8;
	}
	return page;
}

/* Number of mock platform devices (bound or not) */
static inline int mock_count(void)
{
	char path[128];
	int n;

	for (n = 0; n < 16; n++) {
		snprintf(path, sizeof(path), MOCK_PLATFORM_DEVS "/fwctl_mock.%d",
			 n);
		if (access(path, F_OK))
			break;
	}
	return n;
}

static inline bool mock_bound(int idx)
{
	char path[128];

	snprintf(path, sizeof(path), MOCK_PLATFORM_DEVS "/fwctl_mock.%d/driver",
		 idx);
	return !access(path, F_OK);
}

/* The sysfs directory of mock device @idx, the parent of its fwctl device */
static inline void mock_parent(int idx, char *path, size_t len)
{
	snprintf(path, len, MOCK_PLATFORM_DEVS "/fwctl_mock.%d", idx);
}

/*
 * Finds the fwctl node of mock device @idx through its parent's sysfs
 * directory, as a tool would. Fills @name ("fwctlN"). Returns 0 or -ENOENT.
 */
static inline int mock_node(int idx, char *name, size_t len)
{
	char path[128];

	mock_parent(idx, path, sizeof(path));
	return fwctl_resolve(path, name, len) ? -ENOENT : 0;
}

/* Opens mock device @idx; returns an fd or -errno */
static inline int mock_open(int idx)
{
	struct fwctl_dev dev;
	char path[128];
	int ret;

	mock_parent(idx, path, sizeof(path));
	ret = fwctl_dev_open(path, &dev);
	if (ret == -ENOTDIR || ret == -ENODEV)
		return -ENOENT;
	return ret ? ret : dev.fd;
}

static inline int mock_bind_op(int idx, const char *op)
{
	char path[128], val[32];

	snprintf(path, sizeof(path), MOCK_DRIVER_DIR "/%s", op);
	snprintf(val, sizeof(val), "fwctl_mock.%d", idx);
	return write_file(path, val);
}

static inline int mock_unbind(int idx)
{
	return mock_bind_op(idx, "unbind");
}

/* Binds mock device @idx and waits for its node to appear */
static inline int mock_bind(int idx)
{
	char name[64], path[128];
	int ret, i;

	ret = mock_bind_op(idx, "bind");
	if (ret)
		return ret;
	for (i = 0; i < 200; i++) {
		if (!mock_node(idx, name, sizeof(name))) {
			snprintf(path, sizeof(path), "/dev/fwctl/%s", name);
			if (!access(path, F_OK))
				return 0;
		}
		sleep_ms(10);
	}
	return -ETIMEDOUT;
}

/* Binds every mock device that is not bound; returns how many failed */
static inline int mock_bind_all(void)
{
	int i, n = mock_count(), failed = 0;

	for (i = 0; i < n; i++)
		if (!mock_bound(i) && mock_bind(i))
			failed++;
	return failed;
}

static inline int mock_param_set(const char *param, unsigned int val)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), MOCK_PARAMS "/%s", param);
	snprintf(buf, sizeof(buf), "%u", val);
	return write_file(path, buf);
}

static inline void mock_params_reset(void)
{
	mock_param_set("fail_open", 0);
	mock_param_set("fail_rpc", 0);
	mock_param_set("fail_info", 0);
	mock_param_set("rpc_delay_ms", 0);
}

/* Sysfs attribute @attr of fwctl device @name */
static inline int dev_attr_read(const char *name, const char *attr, char *buf,
				size_t len)
{
	char path[192];

	snprintf(path, sizeof(path), FWCTL_CLASS "/%.32s/%.64s", name, attr);
	return read_file(path, buf, len);
}

static inline int dev_attr_write(const char *name, const char *attr,
				 const char *val)
{
	char path[192];

	snprintf(path, sizeof(path), FWCTL_CLASS "/%.32s/%.64s", name, attr);
	return write_file(path, val);
}

static inline int dev_stat(const char *name, const char *stat, __u64 *val)
{
	char path[192];

	snprintf(path, sizeof(path), FWCTL_CLASS "/%.32s/stats/%.64s", name,
		 stat);
	return read_u64(path, val);
}

/* The max_scope of @name as a number, or -errno */
static inline int max_scope_get(const char *name)
{
	struct fwctl_sysinfo si;
	int ret;

	ret = fwctl_sysinfo_read(name, &si);
	if (ret)
		return ret;
	return si.max_scope >= 0 ? si.max_scope : -EINVAL;
}

static inline int max_scope_set(const char *name, unsigned int scope)
{
	if (scope > FWCTL_SCOPE_MAX)
		return -EINVAL;
	return fwctl_max_scope_write(name, scope);
}

/* FWCTL_RPC on an open fd; returns 0 or -errno, updates *@out_len */
static inline int rpc_call(int fd, __u32 scope, const void *in,
			   __u32 in_len, void *out, __u32 *out_len)
{
	struct fwctl_dev dev = { .fd = fd };

	return fwctl_dev_rpc(&dev, scope, in, in_len, out, out_len);
}

/* FWCTL_INFO into @data of @len bytes; returns 0 or -errno */
static inline int info_call(int fd, void *data, __u32 *len,
			    __u32 *type)
{
	struct fwctl_dev dev = { .fd = fd };
	__u32 t;
	int ret;

	ret = fwctl_dev_info_raw(&dev, &t, data, len);
	if (!ret && type)
		*type = t;
	return ret;
}

/* Fills a mock request header for a payload of @plen bytes */
static inline void mock_req_init(void *buf, __u32 op, __u32 plen)
{
	struct fwctl_mock_req *req = buf;

	memset(req, 0, sizeof(*req));
	req->opcode = htole32(op);
	req->len = htole32(plen);
}

/* A mock request with room for the fixed-size payloads */
struct mock_msg {
	struct fwctl_mock_req hdr;
	union {
		struct fwctl_mock_reg reg;
		struct fwctl_mock_fw_error fw_error;
		struct fwctl_mock_sleep sleep;
		struct fwctl_mock_counters counters;
		__u8 bytes[64];
	};
};

struct mock_reply {
	struct fwctl_mock_rsp hdr;
	union {
		struct fwctl_mock_reg reg;
		struct fwctl_mock_sleep sleep;
		struct fwctl_mock_counters counters;
		__u8 bytes[64];
	};
};

/*
 * Sends a fixed-size mock command at @scope; @payload of @plen bytes.
 * Returns 0 or -errno of the ioctl; the reply lands in @rsp.
 */
static inline int mock_cmd(int fd, __u32 scope, __u32 op,
			   const void *payload, __u32 plen,
			   struct mock_reply *rsp)
{
	struct mock_msg msg;
	__u32 out_len = sizeof(*rsp);

	mock_req_init(&msg, op, plen);
	if (plen)
		memcpy(msg.bytes, payload, plen);
	memset(rsp, 0, sizeof(*rsp));
	return rpc_call(fd, scope, &msg, MOCK_REQ_LEN(plen), rsp, &out_len);
}

/* A register command; returns -errno, or the firmware status (>= 0) */
static inline int mock_reg(int fd, __u32 scope, __u32 op, __u32 reg,
			   __u32 val, __u32 *out_val)
{
	struct fwctl_mock_reg r = { htole32(reg), htole32(val) };
	struct mock_reply rsp;
	int ret;

	ret = mock_cmd(fd, scope, op, &r, sizeof(r), &rsp);
	if (ret)
		return ret;
	if (out_val)
		*out_val = le32toh(rsp.reg.val);
	return le32toh(rsp.hdr.status);
}

static inline int mock_counters(int fd, struct fwctl_mock_counters *c)
{
	struct mock_reply rsp;
	int ret;

	ret = mock_cmd(fd, FWCTL_RPC_DEBUG_READ_ONLY, FWCTL_MOCK_OP_COUNTERS,
		       NULL, 0, &rsp);
	if (ret)
		return ret;
	*c = rsp.counters;
	return le32toh(rsp.hdr.status);
}

/*
 * Waits until the firmware has taken @n RPCs from @fd, a file that had sent
 * none before, besides the counter reads this makes: a call made on another
 * thread is then in flight. Returns 0 or -ETIMEDOUT.
 */
static inline int mock_wait_in_flight(int fd, __u64 n)
{
	struct fwctl_mock_counters c;
	int i;

	for (i = 1; i <= 1000; i++) {
		if (mock_counters(fd, &c))
			return -EIO;
		if (le64toh(c.uctx_rpcs) >= n + i)
			return 0;
		sleep_ms(5);
	}
	return -ETIMEDOUT;
}

/* An echo of @plen bytes of pattern at @scope; returns 0 or -errno */
static inline int mock_echo(int fd, __u32 scope, __u32 plen)
{
	__u8 buf[MOCK_REQ_LEN(256)], out[MOCK_RSP_LEN(256)];
	__u32 out_len = sizeof(out);
	__u32 i;
	int ret;

	if (plen > 256)
		return -E2BIG;
	mock_req_init(buf, FWCTL_MOCK_OP_ECHO, plen);
	for (i = 0; i < plen; i++)
		buf[sizeof(struct fwctl_mock_req) + i] = i * 7 + 1;
	ret = rpc_call(fd, scope, buf, MOCK_REQ_LEN(plen), out, &out_len);
	if (ret)
		return ret;
	if (out_len != MOCK_RSP_LEN(plen) ||
	    memcmp(out + sizeof(struct fwctl_mock_rsp),
		   buf + sizeof(struct fwctl_mock_req), plen))
		return -EBADMSG;
	return 0;
}

/* The mock info of @fd; returns 0 or -errno */
static inline int mock_info(int fd, struct fwctl_mock_info *info)
{
	__u32 len = sizeof(*info), type = 0;
	int ret;

	ret = info_call(fd, info, &len, &type);
	if (ret)
		return ret;
	return type == MOCK_TYPE && len == sizeof(*info) ? 0 : -EBADMSG;
}

#endif
