/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the accelerator selftests (accel.c, accel_fuzz.c):
 * finding the device, building transaction lists and walking replies.
 */
#ifndef __SELFTEST_FWCTL_ACCEL_UTILS_H
#define __SELFTEST_FWCTL_ACCEL_UTILS_H

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include <fwctl/fwctl.h>
#include <fwctl/accel.h>

#include "fwctl_utils.h"

#define ACCEL_DRIVER_DIR	"/sys/bus/pci/drivers/accel_fwctl"
#define ACCEL_PCI_DEVS		"/sys/bus/pci/devices"
#define ACCEL_DEBUGFS		"/sys/kernel/debug/accel_fwctl"

/* Lengths of the fixed parts of the format */
#define REQ_HDR		sizeof(struct fwctl_accel_req)
#define RSP_HDR		sizeof(struct fwctl_accel_rsp)
#define TRANS_HDR	sizeof(struct fwctl_accel_trans)
#define REC_HDR		sizeof(struct fwctl_accel_trans_rsp)
#define MEM_LEN		sizeof(struct fwctl_accel_trans_mem)
#define ALIGN8(x)	(((x) + 7) & ~(size_t)7)
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* A request being built; the buffer holds the longest request */
struct accel_msg {
	union {
		struct fwctl_accel_req hdr;
		__u8 buf[FWCTL_ACCEL_MAX_REQ_LEN + 4096];
	};
	size_t len;
	unsigned int count;
};

/* Reads a number from a sysfs or debugfs file; -errno when missing */
static inline long long read_num(const char *path)
{
	char buf[64];
	int ret;

	ret = read_file(path, buf, sizeof(buf));
	if (ret)
		return ret;
	return strtoll(buf, NULL, 0);
}

/* CAP_SYS_RAWIO, as the kernel checks it for the full debug scope */
static inline bool have_rawio(void)
{
	return fwctl_has_rawio() == 1;
}

/* The full debug scope is open to this process */
static inline bool full_ok(void)
{
	return have_rawio() && !locked_down();
}

/*
 * Finds a PCI function bound to accel_fwctl: fills @bdf and, when it has
 * one, @name ("fwctlN"). Returns 0, or -ENOENT.
 */
static inline int accel_find(char *bdf, size_t bdf_len, char *name,
			     size_t name_len)
{
	char path[256];
	struct dirent *de, *fe;
	DIR *dir, *fdir;
	int ret = -ENOENT;

	dir = opendir(ACCEL_DRIVER_DIR);
	if (!dir)
		return -ENOENT;
	while ((de = readdir(dir))) {
		if (!strchr(de->d_name, ':'))
			continue;
		snprintf(bdf, bdf_len, "%.*s", (int)bdf_len - 1, de->d_name);
		snprintf(path, sizeof(path), ACCEL_PCI_DEVS "/%.64s/fwctl",
			 de->d_name);
		fdir = opendir(path);
		if (!fdir)
			continue;
		while ((fe = readdir(fdir))) {
			if (strncmp(fe->d_name, "fwctl", 5))
				continue;
			snprintf(name, name_len, "%.*s", (int)name_len - 1,
				 fe->d_name);
			ret = 0;
			break;
		}
		closedir(fdir);
		if (!ret)
			break;
	}
	closedir(dir);
	return ret;
}

/* Opens the node of the first accelerator; returns an fd or -errno */
static inline int accel_open(void)
{
	char bdf[64], name[64];
	struct fwctl_dev dev;
	int ret;

	ret = accel_find(bdf, sizeof(bdf), name, sizeof(name));
	if (!ret)
		ret = fwctl_dev_open(name, &dev);
	return ret ? ret : dev.fd;
}

static inline int accel_max_scope_get(const char *name)
{
	return max_scope_get(name);
}

static inline int accel_max_scope_set(const char *name, unsigned int scope)
{
	return max_scope_set(name, scope);
}

/* A file of the device's test-only debugfs directory */
static inline void accel_debugfs_path(char *path, size_t len, const char *bdf,
				      const char *file)
{
	if (bdf)
		snprintf(path, len, ACCEL_DEBUGFS "/%s/%s", bdf, file);
	else
		snprintf(path, len, ACCEL_DEBUGFS "/%s", file);
}

static inline long long accel_debugfs_read(const char *bdf, const char *file)
{
	char path[256];

	accel_debugfs_path(path, sizeof(path), bdf, file);
	return read_num(path);
}

static inline int accel_debugfs_write(const char *bdf, const char *file,
				      long long val)
{
	char path[256], buf[32];

	accel_debugfs_path(path, sizeof(path), bdf, file);
	snprintf(buf, sizeof(buf), "%lld", val);
	return write_file(path, buf);
}

static inline void msg_init(struct accel_msg *m)
{
	memset(&m->hdr, 0, sizeof(m->hdr));
	m->len = REQ_HDR;
	m->count = 0;
}

/* Appends a zeroed transaction of @size bytes; returns it */
static inline void *msg_add(struct accel_msg *m, __u32 type, size_t size)
{
	struct fwctl_accel_trans *t = (void *)(m->buf + m->len);

	if (m->len + size > sizeof(m->buf))
		abort();
	memset(t, 0, size);
	t->type = htole32(type);
	t->len = htole32(size);
	m->len += size;
	m->count++;
	return t;
}

/* Sets the header from what was added */
static inline void msg_finish(struct accel_msg *m)
{
	m->hdr.opcode = htole32(FWCTL_ACCEL_OP_TRANSACT);
	m->hdr.flags = 0;
	m->hdr.count = htole32(m->count);
	m->hdr.len = htole32(m->len);
}

static inline void msg_simple(struct accel_msg *m, __u32 type)
{
	msg_add(m, type, TRANS_HDR);
}

static inline void msg_compute(struct accel_msg *m, __u32 n)
{
	struct fwctl_accel_trans_compute *c;

	c = msg_add(m, FWCTL_ACCEL_TRANS_COMPUTE, sizeof(*c));
	c->op = htole32(FWCTL_ACCEL_COMPUTE_FACTORIAL);
	c->operand = htole32(n);
}

static inline void msg_grant(struct accel_msg *m, __u32 size)
{
	struct fwctl_accel_trans_grant *g;

	g = msg_add(m, FWCTL_ACCEL_TRANS_REGION_GRANT, sizeof(*g));
	g->size = htole32(size);
}

static inline void msg_release(struct accel_msg *m, __u32 handle)
{
	struct fwctl_accel_trans_release *r;

	r = msg_add(m, FWCTL_ACCEL_TRANS_REGION_RELEASE, sizeof(*r));
	r->handle = htole32(handle);
}

/* A read, or a write of @data, of @length bytes */
static inline struct fwctl_accel_trans_mem *
msg_mem(struct accel_msg *m, __u32 type, __u32 handle, __u32 offset,
	__u32 length, const void *data)
{
	bool write = type == FWCTL_ACCEL_TRANS_MEM_WRITE ||
		     type == FWCTL_ACCEL_TRANS_MEM_WRITE_RAW;
	struct fwctl_accel_trans_mem *t;

	t = msg_add(m, type, MEM_LEN + (write ? ALIGN8(length) : 0));
	t->handle = htole32(handle);
	t->offset = htole32(offset);
	t->length = htole32(length);
	if (write && data)
		memcpy(t->data, data, length);
	return t;
}

static inline void msg_reg(struct accel_msg *m, __u32 type, __u32 reg,
			   __u32 value)
{
	struct fwctl_accel_trans_reg *r;

	r = msg_add(m, type, sizeof(*r));
	r->reg = htole32(reg);
	r->value = htole32(value);
}

/* Length of the reply record of a transaction, as the format defines it */
static inline size_t rec_len(const struct fwctl_accel_trans *t)
{
	const struct fwctl_accel_trans_mem *mem = (const void *)t;

	switch (le32toh(t->type)) {
	case FWCTL_ACCEL_TRANS_IDENTIFY:
		return REC_HDR + sizeof(struct fwctl_accel_identify);
	case FWCTL_ACCEL_TRANS_STATUS:
		return REC_HDR + sizeof(struct fwctl_accel_state);
	case FWCTL_ACCEL_TRANS_COMPUTE:
		return REC_HDR + sizeof(struct fwctl_accel_compute_rsp);
	case FWCTL_ACCEL_TRANS_REGION_GRANT:
		return REC_HDR + sizeof(struct fwctl_accel_region);
	case FWCTL_ACCEL_TRANS_MEM_READ:
	case FWCTL_ACCEL_TRANS_MEM_READ_RAW:
		return REC_HDR + ALIGN8(le32toh(mem->length));
	case FWCTL_ACCEL_TRANS_REG_READ:
		return REC_HDR + sizeof(struct fwctl_accel_reg_rsp);
	}
	return REC_HDR;
}

/* Length of the reply to a well-formed request */
static inline size_t msg_rsp_len(const struct accel_msg *m)
{
	size_t pos = REQ_HDR, len = RSP_HDR;
	unsigned int i;

	for (i = 0; i < m->count; i++) {
		const struct fwctl_accel_trans *t = (const void *)(m->buf + pos);

		len += rec_len(t);
		pos += le32toh(t->len);
	}
	return len;
}

static inline int accel_rpc(int fd, __u32 scope, struct accel_msg *m,
			    void *out, __u32 *out_len)
{
	msg_finish(m);
	return rpc_call(fd, scope, m->buf, m->len, out, out_len);
}

/* Record @idx of a reply, or NULL when the reply is malformed */
static inline struct fwctl_accel_trans_rsp *rsp_rec(void *out, size_t out_len,
						    unsigned int idx)
{
	size_t pos = RSP_HDR, len;
	unsigned int i;

	for (i = 0;; i++) {
		struct fwctl_accel_trans_rsp *rec;

		if (pos + REC_HDR > out_len)
			return NULL;
		rec = (void *)((__u8 *)out + pos);
		len = le32toh(rec->len);
		if (len < REC_HDR || pos + len > out_len)
			return NULL;
		if (i == idx)
			return rec;
		pos += len;
	}
}

static inline void *rec_payload(struct fwctl_accel_trans_rsp *rec)
{
	return rec + 1;
}

static inline int accel_get_info(int fd, struct fwctl_accel_info *info,
				 __u32 *type)
{
	__u32 len = sizeof(*info);
	int ret;

	ret = info_call(fd, info, &len, type);
	if (ret)
		return ret;
	return len == sizeof(*info) ? 0 : -EBADMSG;
}

/* Counts kernel log records containing @what */
static inline int kmsg_count(const char *what)
{
	char rec[2048];
	int fd, n = 0;
	ssize_t len;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		rec[len] = 0;
		if (strstr(rec, what))
			n++;
	}
	close(fd);
	return n;
}

#endif
