// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwctl core, through the test-only mock driver
 * (fwctl_mock.ko, device type FWCTL_DEVICE_TYPE_TEST_MOCK).
 *
 * Run as root with fwctl.ko and fwctl_mock.ko loaded; every test skips when
 * no mock device exists. Tests unbind and rebind the mock's platform
 * devices and change its module parameters, and put everything back.
 *
 * The taint test runs first: the taint is set once per boot, so only the
 * first debug write of a boot can show that nothing before it tainted.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "fwctl_utils.h"
#include "kselftest_harness.h"

/* End of the last mandatory field of each ioctl argument */
#define FWCTL_INFO_MIN_SIZE	(offsetof(struct fwctl_info, out_device_data) + 8)
#define FWCTL_RPC_MIN_SIZE	(offsetof(struct fwctl_rpc, out) + 8)

#define KMSG_TAINT_WORD		"taint"
#define TAINT_WARN_BIT		9

/* An ioctl that must fail with @_errno */
#define EXPECT_ERRNO(_errno, _cmd)					\
	do {								\
		int __ret = (_cmd);					\
		int __err = errno;					\
		EXPECT_EQ(-1, __ret);					\
		if (__ret == -1)					\
			EXPECT_EQ(_errno, __err);			\
	} while (0)

static __u8 sweep_in[MOCK_REQ_LEN(16)];
static __u8 sweep_out[MOCK_RSP_LEN(16)];
static struct fwctl_mock_info sweep_info;

static void sweep_info_init(void *arg)
{
	struct fwctl_info *cmd = arg;

	cmd->device_data_len = sizeof(sweep_info);
	cmd->out_device_data = (__u64)(uintptr_t)&sweep_info;
}

static void sweep_rpc_init(void *arg)
{
	struct fwctl_rpc *cmd = arg;

	mock_req_init(sweep_in, FWCTL_MOCK_OP_ECHO, 16);
	cmd->scope = FWCTL_RPC_CONFIGURATION;
	cmd->in_len = sizeof(sweep_in);
	cmd->out_len = sizeof(sweep_out);
	cmd->in = (__u64)(uintptr_t)sweep_in;
	cmd->out = (__u64)(uintptr_t)sweep_out;
}

/*
 * Every size below the end of the last field fails with EINVAL; the exact
 * size and every longer size with a zero tail work; a longer size with a
 * non-zero byte anywhere in the tail fails with E2BIG.
 */
static void size_sweep(struct __test_metadata *_metadata, int fd,
		       unsigned long nr, size_t ksize, size_t min_size,
		       void (*init)(void *arg))
{
	struct {
		__u8 cmd[64];
		__u8 extra[64];
	} buf;
	size_t size, i;

	ASSERT_LE(ksize, sizeof(buf.cmd));
	for (size = 0; size <= ksize + sizeof(buf.extra); size++) {
		memset(&buf, 0, sizeof(buf));
		init(&buf);
		*(__u32 *)&buf = size;
		if (size < min_size) {
			EXPECT_ERRNO(EINVAL, ioctl(fd, nr, &buf));
			continue;
		}
		EXPECT_EQ(0, ioctl(fd, nr, &buf));

		for (i = ksize; i < size; i++) {
			memset(&buf, 0, sizeof(buf));
			init(&buf);
			*(__u32 *)&buf = size;
			((__u8 *)&buf)[i] = 0x5a;
			EXPECT_ERRNO(E2BIG, ioctl(fd, nr, &buf));
		}
	}
}

#define TEST_LENGTH(_fd, _ioctl, _struct, _min_size, _init)		\
	size_sweep(_metadata, _fd, _ioctl, sizeof(_struct), _min_size, _init)

/* Counts kernel log records holding both @a and @b */
static int kmsg_count(const char *a, const char *b)
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
		if (strstr(rec, a) && strstr(rec, b))
			n++;
	}
	close(fd);
	return n;
}

/* Sends a raw struct fwctl_rpc of @size bytes; returns 0 or -errno */
static int rpc_sized(int fd, const struct fwctl_rpc *rpc, size_t size,
		     __u8 tail)
{
	__u8 buf[128] = {};

	memcpy(buf, rpc, sizeof(*rpc));
	((struct fwctl_rpc *)buf)->size = size;
	if (size > sizeof(*rpc))
		buf[size - 1] = tail;
	return ioctl(fd, FWCTL_RPC, buf) ? -errno : 0;
}

/*
 * The taint appears exactly at the first delivered debug write: not after
 * configuration or read-only RPCs, not after debug writes refused at any
 * check, and with a single warning naming the task.
 */
TEST(taint_only_after_debug_write)
{
	struct mock_msg msg;
	struct mock_reply rsp;
	struct fwctl_rpc rpc;
	char name[64], comm[64], who[96];
	unsigned long t0, t1;
	__u32 out_len;
	int fd, saved, warn0, status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	if (mock_count() < 1 || mock_bind_all())
		SKIP(return, "no mock device");
	t0 = read_taint();
	if (t0 & FWCTL_TAINT_MASK)
		SKIP(return, "kernel already tainted by a debug write (%#lx)",
		     t0);

	ASSERT_EQ(0, mock_node(0, name, sizeof(name)));
	fd = mock_open(0);
	ASSERT_LE(0, fd);
	saved = max_scope_get(name);
	ASSERT_LE(0, saved);
	ASSERT_EQ(0, read_file("/proc/self/comm", comm, sizeof(comm)));
	snprintf(who, sizeof(who), "%s[%d]", comm, getpid());
	warn0 = kmsg_count(KMSG_TAINT_WORD, who);

	/* Configuration and read-only RPCs never taint */
	EXPECT_EQ(0, mock_echo(fd, FWCTL_RPC_CONFIGURATION, 8));
	EXPECT_EQ(0, mock_reg(fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 1, 0, NULL));
	EXPECT_EQ(0, mock_echo(fd, FWCTL_RPC_DEBUG_READ_ONLY, 8));
	EXPECT_EQ(0, read_taint() & FWCTL_TAINT_MASK);

	/* Debug writes refused before delivery never taint */
	ASSERT_EQ(0, max_scope_set(name, FWCTL_RPC_DEBUG_READ_ONLY));
	EXPECT_EQ(-EPERM, mock_reg(fd, FWCTL_RPC_DEBUG_WRITE,
				   FWCTL_MOCK_OP_REG_WRITE, 1, 1, NULL));
	ASSERT_EQ(0, max_scope_set(name, FWCTL_RPC_DEBUG_WRITE));
	EXPECT_EQ(-EPERM, mock_echo(fd, FWCTL_RPC_DEBUG_WRITE_FULL, 8));
	ASSERT_EQ(0, max_scope_set(name, saved));

	out_len = sizeof(rsp);
	EXPECT_EQ(-EFAULT, rpc_call(fd, FWCTL_RPC_DEBUG_WRITE, bad_ptr(),
				    MOCK_REQ_LEN(8), &rsp, &out_len));
	out_len = sizeof(rsp);
	EXPECT_EQ(-EMSGSIZE, rpc_call(fd, FWCTL_RPC_DEBUG_WRITE, &msg,
				      FWCTL_RPC_MAX_LEN + 1, &rsp, &out_len));
	mock_req_init(&msg, 0x77, 8);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EOPNOTSUPP, rpc_call(fd, FWCTL_RPC_DEBUG_WRITE, &msg,
					MOCK_REQ_LEN(8), &rsp, &out_len));
	mock_req_init(&msg, FWCTL_MOCK_OP_REG_WRITE, 4);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EINVAL, rpc_call(fd, FWCTL_RPC_DEBUG_WRITE, &msg,
				    MOCK_REQ_LEN(4), &rsp, &out_len));
	mock_req_init(&msg, FWCTL_MOCK_OP_REG_WRITE, 8);
	out_len = 8;
	EXPECT_EQ(-EINVAL, rpc_call(fd, FWCTL_RPC_DEBUG_WRITE, &msg,
				    MOCK_REQ_LEN(8), &rsp, &out_len));
	EXPECT_EQ(-EPERM, mock_reg(fd, FWCTL_RPC_DEBUG_READ_ONLY,
				   FWCTL_MOCK_OP_REG_WRITE, 1, 1, NULL));
	rpc = (struct fwctl_rpc) {
		.size = sizeof(rpc),
		.scope = FWCTL_RPC_DEBUG_WRITE,
		.in_len = MOCK_REQ_LEN(8),
		.out_len = sizeof(rsp),
		.in = (uintptr_t)&msg,
		.out = (uintptr_t)&rsp,
	};
	EXPECT_EQ(-E2BIG, rpc_sized(fd, &rpc, sizeof(rpc) + 8, 1));
	EXPECT_EQ(-EINVAL, rpc_sized(fd, &rpc, sizeof(rpc) - 8, 0));

	/* Full debug without CAP_SYS_RAWIO */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (drop_cap(CAP_SYS_RAWIO_NR))
			_exit(2);
		_exit(mock_reg(fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			       FWCTL_MOCK_OP_REG_WRITE_RAW, 1, 1, NULL) ==
		      -EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	t1 = read_taint();
	EXPECT_EQ(0, t1 & FWCTL_TAINT_MASK)
		TH_LOG("tainted by a refused RPC: %#lx", t1);

	/* The first delivered debug write taints */
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(fd, FWCTL_RPC_DEBUG_WRITE, FWCTL_MOCK_OP_REG_WRITE,
			   1, 0x1234, NULL));
	t1 = read_taint();
	EXPECT_NE(0, t1 & FWCTL_TAINT_MASK);
	TH_LOG("taint %#lx -> %#lx (bit %d)", t0, t1,
	       t1 & (1UL << TAINT_FWCTL_BIT) ? TAINT_FWCTL_BIT : TAINT_USER_BIT);
	EXPECT_EQ(0, (t1 & ~t0) & ~FWCTL_TAINT_MASK);

	/* Once per boot, with one warning naming the task */
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(fd, FWCTL_RPC_DEBUG_WRITE, FWCTL_MOCK_OP_REG_WRITE,
			   1, 0, NULL));
	EXPECT_EQ(t1, read_taint());
	if (warn0 >= 0)
		EXPECT_EQ(warn0 + 1, kmsg_count(KMSG_TAINT_WORD, who));
	close(fd);
}

FIXTURE(fwctl) {
	int fd;
	char name[64];
	int saved_scope;
};

FIXTURE_VARIANT(fwctl) {
	int idx;
};

FIXTURE_VARIANT_ADD(fwctl, dev0) {
	.idx = 0,
};

FIXTURE_VARIANT_ADD(fwctl, dev1) {
	.idx = 1,
};

FIXTURE_SETUP(fwctl)
{
	self->fd = -1;
	self->saved_scope = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (access(MOCK_PARAMS, F_OK))
		SKIP(return, "fwctl_mock is not loaded");
	if (variant->idx >= mock_count())
		SKIP(return, "no mock device %d", variant->idx);
	ASSERT_EQ(0, mock_bind_all());
	mock_params_reset();
	ASSERT_EQ(0, mock_node(variant->idx, self->name, sizeof(self->name)));
	self->saved_scope = max_scope_get(self->name);
	ASSERT_LE(0, self->saved_scope);
	self->fd = mock_open(variant->idx);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(fwctl)
{
	if (self->fd >= 0)
		close(self->fd);
	mock_params_reset();
	mock_bind_all();
	if (self->saved_scope >= 0 &&
	    !mock_node(variant->idx, self->name, sizeof(self->name)))
		max_scope_set(self->name, self->saved_scope);
}

/* Full debug RPCs are possible for this process */
static bool full_debug_ok(void)
{
	return have_cap(CAP_SYS_RAWIO_NR) && !locked_down();
}

TEST_F(fwctl, info)
{
	struct fwctl_mock_info info;
	struct fwctl_mock_counters c;
	__u32 len = sizeof(info), type = 0;

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, info_call(self->fd, &info, &len, &type));
	EXPECT_EQ(FWCTL_DEVICE_TYPE_TEST_MOCK, type);
	EXPECT_EQ(sizeof(info), len);
	EXPECT_EQ(FWCTL_MOCK_INFO_MAGIC, info.magic);
	EXPECT_EQ(FWCTL_MOCK_INFO_VERSION, info.version);
	EXPECT_EQ(variant->idx, info.dev_index);
	EXPECT_NE(0, info.uctx_id);
	EXPECT_EQ(FWCTL_MOCK_NUM_REGS, info.num_regs);
	EXPECT_EQ(FWCTL_MOCK_SLEEP_MAX_MS, info.max_sleep_ms);

	ASSERT_EQ(0, mock_counters(self->fd, &c));
	EXPECT_EQ(info.uctx_id, le32toh(c.uctx_id));
}

TEST_F(fwctl, info_size_sweep)
{
	TEST_LENGTH(self->fd, FWCTL_INFO, struct fwctl_info,
		    FWCTL_INFO_MIN_SIZE, sweep_info_init);
}

TEST_F(fwctl, rpc_size_sweep)
{
	TEST_LENGTH(self->fd, FWCTL_RPC, struct fwctl_rpc, FWCTL_RPC_MIN_SIZE,
		    sweep_rpc_init);
}

TEST_F(fwctl, unknown_ioctl)
{
	const unsigned long nrs[] = {
		_IO(FWCTL_TYPE, 2),
		_IO(FWCTL_TYPE, 0x7f),
		_IO(FWCTL_TYPE, 0xff),
		_IOWR(FWCTL_TYPE, FWCTL_CMD_INFO, struct fwctl_info),
		_IOW(FWCTL_TYPE, FWCTL_CMD_RPC, struct fwctl_rpc),
		_IO(FWCTL_TYPE + 1, FWCTL_CMD_INFO),
		_IO(0xa5, 0),
	};
	struct fwctl_rpc rpc = { .size = sizeof(rpc) };
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(nrs); i++)
		EXPECT_ERRNO(ENOTTY, ioctl(self->fd, nrs[i], &rpc));
	/* Even an argument the kernel cannot read */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(FWCTL_TYPE, 2), bad_ptr()));
}

TEST_F(fwctl, info_flags)
{
	struct fwctl_mock_info data;
	struct fwctl_info info = {
		.size = sizeof(info),
		.device_data_len = sizeof(data),
		.out_device_data = (uintptr_t)&data,
	};

	info.flags = 1;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, FWCTL_INFO, &info));
	info.flags = 1U << 31;
	EXPECT_ERRNO(EOPNOTSUPP, ioctl(self->fd, FWCTL_INFO, &info));
	info.flags = 0;
	EXPECT_EQ(0, ioctl(self->fd, FWCTL_INFO, &info));
}

TEST_F(fwctl, info_data_len_cap)
{
	static const __u8 zero[4096];
	__u32 len, off;
	__u8 *buf;

	buf = malloc(FWCTL_RPC_MAX_LEN);
	ASSERT_NE(NULL, buf);
	memset(buf, 0xa5, FWCTL_RPC_MAX_LEN);

	len = FWCTL_RPC_MAX_LEN + 1;
	EXPECT_EQ(-EMSGSIZE, info_call(self->fd, buf, &len, NULL));
	len = UINT32_MAX;
	EXPECT_EQ(-EMSGSIZE, info_call(self->fd, buf, &len, NULL));
	EXPECT_EQ(0xa5, buf[0]);

	/* The cap itself is accepted, and the whole buffer zero-filled */
	len = FWCTL_RPC_MAX_LEN;
	EXPECT_EQ(0, info_call(self->fd, buf, &len, NULL));
	EXPECT_EQ(sizeof(struct fwctl_mock_info), len);
	EXPECT_EQ(FWCTL_MOCK_INFO_MAGIC, ((struct fwctl_mock_info *)buf)->magic);
	for (off = 4096; off < FWCTL_RPC_MAX_LEN; off += sizeof(zero))
		if (memcmp(buf + off, zero, sizeof(zero)))
			break;
	EXPECT_EQ(FWCTL_RPC_MAX_LEN, off);
	EXPECT_EQ(0, memcmp(buf + len, zero, 4096 - len));
	free(buf);
}

TEST_F(fwctl, info_zero_fill)
{
	struct fwctl_mock_info *info;
	__u8 buf[256];
	__u32 len = 200, i;

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, info_call(self->fd, buf, &len, NULL));
	EXPECT_EQ(sizeof(*info), len);
	info = (struct fwctl_mock_info *)buf;
	EXPECT_EQ(FWCTL_MOCK_INFO_MAGIC, info->magic);
	EXPECT_EQ(variant->idx, info->dev_index);
	for (i = sizeof(*info); i < 200; i++)
		if (buf[i])
			break;
	EXPECT_EQ(200, i);
	/* Nothing beyond the buffer the caller gave */
	for (i = 200; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			break;
	EXPECT_EQ(sizeof(buf), i);
}

TEST_F(fwctl, info_length_probe)
{
	struct fwctl_info info = { .size = sizeof(info) };

	/* A zero-length buffer asks for the length; no pointer is needed */
	ASSERT_EQ(0, ioctl(self->fd, FWCTL_INFO, &info));
	EXPECT_EQ(FWCTL_DEVICE_TYPE_TEST_MOCK, info.out_device_type);
	EXPECT_EQ(sizeof(struct fwctl_mock_info), info.device_data_len);

	/* Nor is a valid one: nothing is written */
	info.device_data_len = 0;
	info.out_device_type = 0;
	info.out_device_data = (uintptr_t)bad_ptr();
	ASSERT_EQ(0, ioctl(self->fd, FWCTL_INFO, &info));
	EXPECT_EQ(FWCTL_DEVICE_TYPE_TEST_MOCK, info.out_device_type);
	EXPECT_EQ(sizeof(struct fwctl_mock_info), info.device_data_len);
}

TEST_F(fwctl, info_truncated)
{
	struct fwctl_mock_info info;
	__u8 buf[32];
	__u32 len = 8, i;

	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, info_call(self->fd, buf, &len, NULL));
	EXPECT_EQ(sizeof(info), len);
	memcpy(&info, buf, 8);
	EXPECT_EQ(FWCTL_MOCK_INFO_MAGIC, info.magic);
	EXPECT_EQ(FWCTL_MOCK_INFO_VERSION, info.version);
	for (i = 8; i < sizeof(buf); i++)
		if (buf[i] != 0xa5)
			break;
	EXPECT_EQ(sizeof(buf), i);
}

TEST_F(fwctl, info_efault)
{
	struct fwctl_info info = {
		.size = sizeof(info),
		.device_data_len = sizeof(struct fwctl_mock_info),
		.out_device_data = (uintptr_t)bad_ptr(),
	};

	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_INFO, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_INFO, bad_ptr()));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_INFO, &info));
	info.device_data_len = 4;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_INFO, &info));
	/* The length alone needs no buffer */
	info.out_device_data = 0;
	info.device_data_len = 0;
	EXPECT_EQ(0, ioctl(self->fd, FWCTL_INFO, &info));
}

TEST_F(fwctl, rpc_scope_unknown)
{
	const __u32 scopes[] = { 4, 5, 0x100, UINT32_MAX };
	__u64 inv0, inv1, cfg0, cfg1;
	unsigned int i;

	ASSERT_EQ(0, dev_stat(self->name, "invalid", &inv0));
	ASSERT_EQ(0, dev_stat(self->name, "configuration", &cfg0));
	for (i = 0; i < ARRAY_LEN(scopes); i++)
		EXPECT_EQ(-EOPNOTSUPP, mock_echo(self->fd, scopes[i], 4));
	ASSERT_EQ(0, dev_stat(self->name, "invalid", &inv1));
	ASSERT_EQ(0, dev_stat(self->name, "configuration", &cfg1));
	EXPECT_EQ(inv0 + ARRAY_LEN(scopes), inv1);
	EXPECT_EQ(cfg0, cfg1);
}

TEST_F(fwctl, rpc_len_cap)
{
	struct fwctl_mock_req *req;
	struct mock_reply rsp;
	__u32 out_len;
	__u8 *buf;

	buf = calloc(1, FWCTL_RPC_MAX_LEN + 1);
	ASSERT_NE(NULL, buf);
	req = (struct fwctl_mock_req *)buf;

	mock_req_init(buf, FWCTL_MOCK_OP_ECHO, 0);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EMSGSIZE, rpc_call(self->fd, 0, buf, FWCTL_RPC_MAX_LEN + 1,
				      &rsp, &out_len));
	out_len = UINT32_MAX;
	EXPECT_EQ(-EMSGSIZE, rpc_call(self->fd, 0, buf, UINT32_MAX, &rsp,
				      &out_len));
	out_len = FWCTL_RPC_MAX_LEN + 1;
	EXPECT_EQ(-EMSGSIZE, rpc_call(self->fd, 0, buf, MOCK_REQ_LEN(0), buf,
				      &out_len));
	out_len = UINT32_MAX;
	EXPECT_EQ(-EMSGSIZE, rpc_call(self->fd, 0, buf, MOCK_REQ_LEN(0), buf,
				      &out_len));

	/* At the cap the core passes it on: the mock's table refuses it */
	req->len = htole32(FWCTL_RPC_MAX_LEN - sizeof(*req));
	out_len = sizeof(rsp);
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, buf, FWCTL_RPC_MAX_LEN, &rsp,
				    &out_len));
	/* A reply buffer of the full cap is fine */
	mock_req_init(buf, FWCTL_MOCK_OP_ECHO, 0);
	out_len = FWCTL_RPC_MAX_LEN;
	EXPECT_EQ(0, rpc_call(self->fd, 0, buf, MOCK_REQ_LEN(0), buf,
			      &out_len));
	EXPECT_EQ(MOCK_RSP_LEN(0), out_len);
	free(buf);
}

TEST_F(fwctl, rpc_efault)
{
	struct fwctl_mock_counters c0, c1;
	struct mock_msg msg;
	struct mock_reply rsp;
	__u64 inv0, inv1, fail0, fail1;
	__u32 out_len;

	ASSERT_EQ(0, dev_stat(self->name, "invalid", &inv0));
	ASSERT_EQ(0, dev_stat(self->name, "failed", &fail0));
	ASSERT_EQ(0, mock_counters(self->fd, &c0));

	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_RPC, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FWCTL_RPC, bad_ptr()));

	/* A request that cannot be read is never delivered */
	out_len = sizeof(rsp);
	EXPECT_EQ(-EFAULT, rpc_call(self->fd, 0, bad_ptr(), MOCK_REQ_LEN(0),
				    &rsp, &out_len));
	out_len = sizeof(rsp);
	EXPECT_EQ(-EFAULT, rpc_call(self->fd, 0, NULL, MOCK_REQ_LEN(0), &rsp,
				    &out_len));

	/* A reply that cannot be written was delivered all the same */
	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 0);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EFAULT, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(0),
				    bad_ptr(), &out_len));
	EXPECT_EQ(sizeof(rsp), out_len);

	ASSERT_EQ(0, mock_counters(self->fd, &c1));
	EXPECT_EQ(le64toh(c0.uctx_rpcs) + 2, le64toh(c1.uctx_rpcs));
	ASSERT_EQ(0, dev_stat(self->name, "invalid", &inv1));
	ASSERT_EQ(0, dev_stat(self->name, "failed", &fail1));
	EXPECT_EQ(inv0 + 2, inv1);
	EXPECT_EQ(fail0 + 1, fail1);
}

/* Which check wins when a request breaks several rules */
TEST_F(fwctl, rpc_check_order)
{
	struct mock_msg msg;
	struct mock_reply rsp;
	struct fwctl_rpc rpc = {
		.size = sizeof(rpc),
		.in_len = MOCK_REQ_LEN(0),
		.out_len = sizeof(rsp),
		.in = (uintptr_t)&msg,
		.out = (uintptr_t)&rsp,
	};
	__u32 out_len;

	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 0);

	/* Size before scope; tail before scope */
	rpc.scope = 9;
	EXPECT_EQ(-EINVAL, rpc_sized(self->fd, &rpc, sizeof(rpc) - 1, 0));
	EXPECT_EQ(-E2BIG, rpc_sized(self->fd, &rpc, sizeof(rpc) + 4, 1));
	/* Scope before length */
	rpc.in_len = FWCTL_RPC_MAX_LEN + 1;
	EXPECT_EQ(-EOPNOTSUPP, rpc_sized(self->fd, &rpc, sizeof(rpc), 0));
	/* Length before the ceiling */
	ASSERT_EQ(0, max_scope_set(self->name, FWCTL_RPC_CONFIGURATION));
	rpc.scope = FWCTL_RPC_DEBUG_READ_ONLY;
	EXPECT_EQ(-EMSGSIZE, rpc_sized(self->fd, &rpc, sizeof(rpc), 0));
	/* The ceiling before reading the request */
	rpc.in_len = MOCK_REQ_LEN(0);
	rpc.in = (uintptr_t)bad_ptr();
	EXPECT_EQ(-EPERM, rpc_sized(self->fd, &rpc, sizeof(rpc), 0));
	ASSERT_EQ(0, max_scope_set(self->name, self->saved_scope));
	/* Reading the request before the command table */
	EXPECT_EQ(-EFAULT, rpc_sized(self->fd, &rpc, sizeof(rpc), 0));
	/* The command's scope before its lengths */
	mock_req_init(&msg, FWCTL_MOCK_OP_REG_READ, 4);
	out_len = 4;
	EXPECT_EQ(-EPERM, rpc_call(self->fd, FWCTL_RPC_CONFIGURATION, &msg,
				   MOCK_REQ_LEN(4), &rsp, &out_len));
	out_len = 4;
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &msg,
				    MOCK_REQ_LEN(4), &rsp, &out_len));
}

TEST_F(fwctl, echo)
{
	const __u32 sizes[] = { 0, 1, 3, 16, 255, 4096, 65536, 1 << 20 };
	__u8 *in, *out;
	unsigned int i;
	__u32 j, out_len;

	in = malloc(MOCK_REQ_LEN(1 << 20));
	out = malloc(MOCK_RSP_LEN(1 << 20));
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	for (i = 0; i < ARRAY_LEN(sizes); i++) {
		struct fwctl_mock_rsp *rsp = (struct fwctl_mock_rsp *)out;
		__u32 n = sizes[i];

		mock_req_init(in, FWCTL_MOCK_OP_ECHO, n);
		for (j = 0; j < n; j++)
			in[sizeof(struct fwctl_mock_req) + j] = rand();
		memset(out, 0xa5, MOCK_RSP_LEN(n));
		out_len = MOCK_RSP_LEN(n);
		ASSERT_EQ(0, rpc_call(self->fd, FWCTL_RPC_CONFIGURATION, in,
				      MOCK_REQ_LEN(n), out, &out_len));
		EXPECT_EQ(MOCK_RSP_LEN(n), out_len);
		EXPECT_EQ(FWCTL_MOCK_OP_ECHO, le32toh(rsp->opcode));
		EXPECT_EQ(FWCTL_MOCK_STATUS_OK, le32toh(rsp->status));
		EXPECT_EQ(n, le32toh(rsp->len));
		EXPECT_EQ(0, memcmp(in + sizeof(struct fwctl_mock_req),
				    rsp->payload, n))
			TH_LOG("payload of %u bytes differs", n);
	}
	free(in);
	free(out);
}

TEST_F(fwctl, echo_too_long)
{
	__u32 out_len = 64;
	__u8 out[64];
	__u8 *in;

	in = calloc(1, MOCK_REQ_LEN(FWCTL_MOCK_ECHO_MAX + 1));
	ASSERT_NE(NULL, in);
	mock_req_init(in, FWCTL_MOCK_OP_ECHO, FWCTL_MOCK_ECHO_MAX + 1);
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, in,
				    MOCK_REQ_LEN(FWCTL_MOCK_ECHO_MAX + 1),
				     out, &out_len));
	free(in);
}

TEST_F(fwctl, out_truncated)
{
	struct fwctl_mock_rsp *rsp;
	__u8 in[MOCK_REQ_LEN(100)], out[256];
	__u32 out_len, i;

	mock_req_init(in, FWCTL_MOCK_OP_ECHO, 100);
	for (i = 0; i < 100; i++)
		in[sizeof(struct fwctl_mock_req) + i] = i;

	/* A short buffer gets the start; out_len tells the whole length */
	memset(out, 0xa5, sizeof(out));
	out_len = 40;
	ASSERT_EQ(0, rpc_call(self->fd, 0, in, sizeof(in), out, &out_len));
	EXPECT_EQ(MOCK_RSP_LEN(100), out_len);
	rsp = (struct fwctl_mock_rsp *)out;
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, le32toh(rsp->status));
	EXPECT_EQ(100, le32toh(rsp->len));
	EXPECT_EQ(0, memcmp(rsp->payload, in + sizeof(struct fwctl_mock_req),
			    40 - sizeof(*rsp)));
	for (i = 40; i < sizeof(out); i++)
		if (out[i] != 0xa5)
			break;
	EXPECT_EQ(sizeof(out), i);

	/* A long buffer is written only as far as the reply goes */
	memset(out, 0xa5, sizeof(out));
	mock_req_init(in, FWCTL_MOCK_OP_ECHO, 8);
	out_len = sizeof(out);
	ASSERT_EQ(0, rpc_call(self->fd, 0, in, MOCK_REQ_LEN(8), out,
			      &out_len));
	EXPECT_EQ(MOCK_RSP_LEN(8), out_len);
	for (i = MOCK_RSP_LEN(8); i < sizeof(out); i++)
		if (out[i] != 0xa5)
			break;
	EXPECT_EQ(sizeof(out), i);
}

/* A reply longer than both request and buffer comes from a new buffer */
TEST_F(fwctl, out_truncated_new_buffer)
{
	struct fwctl_mock_req req;
	struct mock_reply rsp;
	__u32 out_len = sizeof(struct fwctl_mock_rsp), i;
	__u8 *p = (__u8 *)&rsp;

	mock_req_init(&req, FWCTL_MOCK_OP_COUNTERS, 0);
	memset(&rsp, 0xa5, sizeof(rsp));
	ASSERT_EQ(0, rpc_call(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, &req,
			      sizeof(req), &rsp, &out_len));
	EXPECT_EQ(MOCK_RSP_LEN(sizeof(struct fwctl_mock_counters)), out_len);
	EXPECT_EQ(FWCTL_MOCK_OP_COUNTERS, le32toh(rsp.hdr.opcode));
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, le32toh(rsp.hdr.status));
	EXPECT_EQ(sizeof(struct fwctl_mock_counters), le32toh(rsp.hdr.len));
	for (i = sizeof(rsp.hdr); i < sizeof(rsp); i++)
		if (p[i] != 0xa5)
			break;
	EXPECT_EQ(sizeof(rsp), i);
}

TEST_F(fwctl, table_unknown_opcode)
{
	const __u32 ops[] = { 0, 8, 0x100, 0x01000000, UINT32_MAX };
	struct mock_reply rsp;
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(ops); i++)
		EXPECT_EQ(-EOPNOTSUPP, mock_cmd(self->fd, FWCTL_RPC_CONFIGURATION,
						ops[i], NULL, 0, &rsp));
}

TEST_F(fwctl, table_short_request)
{
	struct mock_reply rsp;
	struct mock_msg msg;
	__u32 in_len, out_len;

	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 0);
	/* Too short for the opcode, then too short for the header */
	for (in_len = 0; in_len < sizeof(msg.hdr); in_len++) {
		out_len = sizeof(rsp);
		EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, in_len, &rsp,
					    &out_len));
	}
}

TEST_F(fwctl, table_scope_too_low)
{
	static const struct {
		__u32 op, scope;
	} cases[] = {
		{ FWCTL_MOCK_OP_COUNTERS, FWCTL_RPC_CONFIGURATION },
		{ FWCTL_MOCK_OP_REG_READ, FWCTL_RPC_CONFIGURATION },
		{ FWCTL_MOCK_OP_REG_WRITE, FWCTL_RPC_CONFIGURATION },
		{ FWCTL_MOCK_OP_REG_WRITE, FWCTL_RPC_DEBUG_READ_ONLY },
		{ FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_RPC_CONFIGURATION },
		{ FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_RPC_DEBUG_READ_ONLY },
		{ FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_RPC_DEBUG_WRITE },
	};
	__u64 denied0, denied1;
	unsigned int i;

	ASSERT_EQ(0, dev_stat(self->name, "denied", &denied0));
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		EXPECT_EQ(-EPERM, mock_reg(self->fd, cases[i].scope, cases[i].op,
					   2, 0, NULL))
			TH_LOG("op %u at scope %u", cases[i].op, cases[i].scope);
	}
	ASSERT_EQ(0, dev_stat(self->name, "denied", &denied1));
	EXPECT_EQ(denied0 + ARRAY_LEN(cases), denied1);
}

TEST_F(fwctl, table_request_length)
{
	static const struct {
		__u32 op, scope, plen;
	} cases[] = {
		{ FWCTL_MOCK_OP_COUNTERS, FWCTL_RPC_DEBUG_READ_ONLY, 4 },
		{ FWCTL_MOCK_OP_REG_READ, FWCTL_RPC_DEBUG_READ_ONLY, 0 },
		{ FWCTL_MOCK_OP_REG_READ, FWCTL_RPC_DEBUG_READ_ONLY, 4 },
		{ FWCTL_MOCK_OP_REG_READ, FWCTL_RPC_DEBUG_READ_ONLY, 12 },
		{ FWCTL_MOCK_OP_REG_WRITE, FWCTL_RPC_DEBUG_WRITE, 7 },
		{ FWCTL_MOCK_OP_FW_ERROR, FWCTL_RPC_CONFIGURATION, 0 },
		{ FWCTL_MOCK_OP_SLEEP, FWCTL_RPC_CONFIGURATION, 16 },
	};
	__u8 payload[16] = {};
	struct mock_reply rsp;
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(cases); i++) {
		EXPECT_EQ(-EINVAL, mock_cmd(self->fd, cases[i].scope,
					    cases[i].op, payload,
					    cases[i].plen, &rsp))
			TH_LOG("op %u with %u bytes", cases[i].op,
			       cases[i].plen);
	}
}

TEST_F(fwctl, table_reply_too_small)
{
	struct mock_reply rsp;
	struct mock_msg msg;
	__u32 out_len;

	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 4);
	for (out_len = 0; out_len < sizeof(rsp.hdr); out_len++) {
		__u32 len = out_len;

		memset(&rsp, 0xa5, sizeof(rsp));
		EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(4),
					    &rsp, &len));
		EXPECT_EQ(0xa5, *(__u8 *)&rsp);
	}
	out_len = sizeof(rsp.hdr);
	EXPECT_EQ(0, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(4), &rsp,
			      &out_len));
	EXPECT_EQ(MOCK_RSP_LEN(4), out_len);
}

/* Checks only the driver can make: its own header */
TEST_F(fwctl, driver_header_checks)
{
	struct fwctl_mock_counters c0, c1;
	struct mock_reply rsp;
	struct mock_msg msg;
	__u64 fail0, fail1;
	__u32 out_len;

	ASSERT_EQ(0, dev_stat(self->name, "failed", &fail0));
	ASSERT_EQ(0, mock_counters(self->fd, &c0));

	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 8 + 1);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(8), &rsp,
				    &out_len));
	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 8 - 1);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(8), &rsp,
				    &out_len));
	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 8);
	msg.hdr.flags = htole32(1);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EOPNOTSUPP, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(8),
					&rsp, &out_len));
	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 8);
	msg.hdr.reserved = htole32(1);
	out_len = sizeof(rsp);
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(8), &rsp,
				    &out_len));

	/* None reached the firmware; each counts as a driver failure */
	ASSERT_EQ(0, mock_counters(self->fd, &c1));
	EXPECT_EQ(le64toh(c0.uctx_rpcs) + 1, le64toh(c1.uctx_rpcs));
	ASSERT_EQ(0, dev_stat(self->name, "failed", &fail1));
	EXPECT_EQ(fail0 + 4, fail1);
}

TEST_F(fwctl, firmware_error_status)
{
	struct fwctl_mock_fw_error err = {
		.status = htole32(0x42),
		.syndrome = htole32(0xdeadbeef),
	};
	struct mock_reply rsp;
	struct mock_msg msg;
	__u32 out_len = sizeof(rsp);
	__u64 ok0, ok1;

	ASSERT_EQ(0, dev_stat(self->name, "ok", &ok0));
	mock_req_init(&msg, FWCTL_MOCK_OP_FW_ERROR, sizeof(err));
	msg.fw_error = err;
	memset(&rsp, 0xa5, sizeof(rsp));
	/* Delivered: the failure is in the reply, the ioctl succeeds */
	ASSERT_EQ(0, rpc_call(self->fd, FWCTL_RPC_CONFIGURATION, &msg,
			      MOCK_REQ_LEN(sizeof(err)), &rsp, &out_len));
	EXPECT_EQ(sizeof(rsp.hdr), out_len);
	EXPECT_EQ(FWCTL_MOCK_OP_FW_ERROR, le32toh(rsp.hdr.opcode));
	EXPECT_EQ(0x42, le32toh(rsp.hdr.status));
	EXPECT_EQ(0xdeadbeef, le32toh(rsp.hdr.syndrome));
	EXPECT_EQ(0, le32toh(rsp.hdr.len));
	ASSERT_EQ(0, dev_stat(self->name, "ok", &ok1));
	EXPECT_EQ(ok0 + 1, ok1);
}

TEST_F(fwctl, registers)
{
	__u32 val = 0, old = 0;

	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_REG_ID, 0, &val));
	EXPECT_EQ(FWCTL_MOCK_ID_VALUE | variant->idx, val);

	ASSERT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, 5, 0, &old));
	ASSERT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			   FWCTL_MOCK_OP_REG_WRITE, 5, 0x12345678, &val));
	EXPECT_EQ(old, val);
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, 5, 0, &val));
	EXPECT_EQ(0x12345678, val);
	/* A higher scope may send a lower command */
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			   FWCTL_MOCK_OP_REG_WRITE, 5, old, NULL));

	/* Values the firmware rejects: a status, not an errno */
	EXPECT_EQ(FWCTL_MOCK_STATUS_BAD_PARAM,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_NUM_REGS, 0,
			   NULL));
	EXPECT_EQ(FWCTL_MOCK_STATUS_BAD_PARAM,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			   FWCTL_MOCK_OP_REG_WRITE, UINT32_MAX, 0, NULL));
	EXPECT_EQ(FWCTL_MOCK_STATUS_BAD_PARAM,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, 5, 1, NULL));
}

TEST_F(fwctl, register_id_read_only)
{
	__u32 id = 0, val = 0;

	ASSERT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_REG_ID, 0, &id));
	/* Debug write may not change it: the firmware says so */
	EXPECT_EQ(FWCTL_MOCK_STATUS_DENIED,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			   FWCTL_MOCK_OP_REG_WRITE, FWCTL_MOCK_REG_ID, 1, NULL));
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_REG_ID, 0, &val));
	EXPECT_EQ(id, val);

	if (!full_debug_ok())
		SKIP(return, "no full debug: no CAP_SYS_RAWIO or locked down");
	/* Full debug may */
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			   FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_MOCK_REG_ID,
			   0xfeed, &val));
	EXPECT_EQ(id, val);
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, FWCTL_MOCK_REG_ID, 0, &val));
	EXPECT_EQ(0xfeed, val);
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
			   FWCTL_MOCK_OP_REG_WRITE_RAW, FWCTL_MOCK_REG_ID, id,
			   NULL));
}

TEST_F(fwctl, devices_are_separate)
{
	int other = variant->idx ^ 1, fd2;
	__u32 before = 0, val = 0;

	if (other >= mock_count())
		SKIP(return, "needs a second mock device");
	fd2 = mock_open(other);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, mock_reg(fd2, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 7, 0, &before));
	ASSERT_EQ(0, mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			      FWCTL_MOCK_OP_REG_WRITE, 7, ~before, NULL));
	EXPECT_EQ(0, mock_reg(fd2, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 7, 0, &val));
	EXPECT_EQ(before, val);
	EXPECT_EQ(0, mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 7, 0, &val));
	EXPECT_EQ(~before, val);
	close(fd2);
}

/* Each file has its own firmware context and counters */
TEST_F(fwctl, per_fd_state)
{
	struct fwctl_mock_counters ca, cb, cc;
	struct fwctl_mock_info ia, ib;
	int fd2, i;

	fd2 = mock_open(variant->idx);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, mock_info(self->fd, &ia));
	ASSERT_EQ(0, mock_info(fd2, &ib));
	EXPECT_NE(ia.uctx_id, ib.uctx_id);

	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, mock_echo(self->fd, 0, 4));
	EXPECT_EQ(0, mock_echo(fd2, 0, 4));

	ASSERT_EQ(0, mock_counters(self->fd, &ca));
	ASSERT_EQ(0, mock_counters(fd2, &cb));
	EXPECT_EQ(ia.uctx_id, le32toh(ca.uctx_id));
	EXPECT_EQ(ib.uctx_id, le32toh(cb.uctx_id));
	EXPECT_EQ(4, le64toh(ca.uctx_rpcs));
	EXPECT_EQ(2, le64toh(cb.uctx_rpcs));
	EXPECT_EQ(le64toh(ca.dev_rpcs) + 1, le64toh(cb.dev_rpcs));
	EXPECT_LE(2, le32toh(cb.dev_uctxs));
	EXPECT_EQ(le64toh(ca.dev_opens), le64toh(cb.dev_opens));

	/* Closing one file releases its context only */
	close(fd2);
	ASSERT_EQ(0, mock_counters(self->fd, &cc));
	EXPECT_EQ(le32toh(cb.dev_uctxs) - 1, le32toh(cc.dev_uctxs));
	EXPECT_EQ(5, le64toh(cc.uctx_rpcs));
}

TEST_F(fwctl, many_fds)
{
	struct fwctl_mock_counters c0, c1, c2;
	struct fwctl_mock_info info;
	__u32 ids[64];
	int fds[64], i, j;

	ASSERT_EQ(0, mock_counters(self->fd, &c0));
	for (i = 0; i < 64; i++) {
		fds[i] = mock_open(variant->idx);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, mock_info(fds[i], &info));
		ids[i] = info.uctx_id;
		for (j = 0; j < i; j++)
			EXPECT_NE(ids[j], ids[i]);
	}
	ASSERT_EQ(0, mock_counters(self->fd, &c1));
	EXPECT_EQ(le32toh(c0.dev_uctxs) + 64, le32toh(c1.dev_uctxs));
	EXPECT_EQ(le64toh(c0.dev_opens) + 64, le64toh(c1.dev_opens));
	for (i = 0; i < 64; i++)
		close(fds[i]);
	ASSERT_EQ(0, mock_counters(self->fd, &c2));
	EXPECT_EQ(le32toh(c0.dev_uctxs), le32toh(c2.dev_uctxs));
}

TEST_F(fwctl, max_scope_ceiling)
{
	bool full = full_debug_ok();
	__u32 ceiling, scope;
	char buf[64];

	for (ceiling = 0; ceiling < 4; ceiling++) {
		ASSERT_EQ(0, max_scope_set(self->name, ceiling));
		ASSERT_EQ(0, dev_attr_read(self->name, "max_scope", buf,
					   sizeof(buf)));
		EXPECT_STREQ(fwctl_scope_name(ceiling), buf);
		for (scope = 0; scope < 4; scope++) {
			int want = scope <= ceiling ? 0 : -EPERM;

			if (scope == FWCTL_RPC_DEBUG_WRITE_FULL && !full)
				want = -EPERM;
			EXPECT_EQ(want, mock_echo(self->fd, scope, 4))
				TH_LOG("scope %u under ceiling %u", scope,
				       ceiling);
		}
	}
	ASSERT_EQ(0, max_scope_set(self->name, self->saved_scope));
}

TEST_F(fwctl, max_scope_sysfs)
{
	static const char *const good[] = {
		"0", "1\n", "2", "3", "configuration\n", "debug_read_only",
		"debug_write\n", "debug_write_full", "0x2",
	};
	static const int good_val[] = { 0, 1, 2, 3, 0, 1, 2, 3, 2 };
	static const char *const bad[] = {
		"4", "-1", "bogus", "debug", "debug_write_full_", "99999999999",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(good); i++) {
		EXPECT_EQ(0, dev_attr_write(self->name, "max_scope", good[i]))
			TH_LOG("writing '%s'", good[i]);
		EXPECT_EQ(good_val[i], max_scope_get(self->name));
	}
	ASSERT_EQ(0, max_scope_set(self->name, FWCTL_RPC_DEBUG_READ_ONLY));
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		EXPECT_EQ(-EINVAL, dev_attr_write(self->name, "max_scope",
						  bad[i]))
			TH_LOG("writing '%s'", bad[i]);
		EXPECT_EQ(FWCTL_RPC_DEBUG_READ_ONLY, max_scope_get(self->name));
	}
	ASSERT_EQ(0, max_scope_set(self->name, self->saved_scope));
}

TEST_F(fwctl, stats)
{
	static const char *const names[] = {
		"configuration", "debug_read_only", "debug_write",
		"debug_write_full", "ok", "denied", "invalid", "failed",
	};
	bool full = full_debug_ok();
	__u64 want[8] = { 4, 2, 1, full, 3 + full, 1, 2, 2 };
	__u64 before[8], after[8];
	struct mock_reply rsp;
	struct mock_msg msg;
	__u32 out_len;
	unsigned int i;

	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, dev_stat(self->name, names[i], &before[i]));

	EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_CONFIGURATION, 4));
	EXPECT_EQ(0, mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 1, 0, NULL));
	EXPECT_EQ(0, mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			      FWCTL_MOCK_OP_REG_WRITE, 1, 0, NULL));
	if (full)
		EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, 4));
	/* denied */
	ASSERT_EQ(0, max_scope_set(self->name, FWCTL_RPC_CONFIGURATION));
	EXPECT_EQ(-EPERM, mock_echo(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, 4));
	ASSERT_EQ(0, max_scope_set(self->name, self->saved_scope));
	/* invalid: by the table, and an unknown scope (counted in no scope) */
	mock_req_init(&msg, FWCTL_MOCK_OP_ECHO, 4);
	out_len = 4;
	EXPECT_EQ(-EINVAL, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(4), &rsp,
				    &out_len));
	EXPECT_EQ(-EOPNOTSUPP, mock_echo(self->fd, 7, 4));
	/* failed: by the driver, and a reply that cannot be copied out */
	ASSERT_EQ(0, mock_param_set("fail_rpc", 1));
	EXPECT_EQ(-ENOMEM, mock_echo(self->fd, FWCTL_RPC_CONFIGURATION, 4));
	out_len = sizeof(rsp);
	EXPECT_EQ(-EFAULT, rpc_call(self->fd, 0, &msg, MOCK_REQ_LEN(4),
				    bad_ptr(), &out_len));

	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, dev_stat(self->name, names[i], &after[i]));
		EXPECT_EQ(want[i], after[i] - before[i])
			TH_LOG("stats/%s", names[i]);
	}
}

static int trace_write(const char *file, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	return write_file(path, val);
}

/* Opening the trace for writing with O_TRUNC empties it */
static int trace_clear(void)
{
	int fd = open("/sys/kernel/tracing/trace", O_WRONLY | O_TRUNC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST_F(fwctl, tracepoint)
{
	const char *enable = "events/fwctl/fwctl_rpc/enable";
	char want_ok[160], want_err[160], *buf, *line;
	unsigned long long ns = 0;
	int fd, found_ok = 0, found_err = 0;
	ssize_t n, len = 0;

	if (access("/sys/kernel/tracing/events/fwctl/fwctl_rpc", F_OK))
		SKIP(return, "no tracefs or no fwctl_rpc event");
	ASSERT_EQ(0, trace_clear());
	ASSERT_EQ(0, trace_write(enable, "1"));
	EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_CONFIGURATION, 16));
	EXPECT_EQ(-EPERM, mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
				   FWCTL_MOCK_OP_REG_WRITE, 1, 0, NULL));
	ASSERT_EQ(0, trace_write(enable, "0"));

	buf = calloc(1, 1 << 20);
	ASSERT_NE(NULL, buf);
	fd = open("/sys/kernel/tracing/trace", O_RDONLY);
	ASSERT_LE(0, fd);
	while ((n = read(fd, buf + len, (1 << 20) - 1 - len)) > 0)
		len += n;
	close(fd);

	snprintf(want_ok, sizeof(want_ok),
		 "fwctl_rpc: dev=%s scope=0 in_len=%zu out_len=%zu ret=0 ns=",
		 self->name, MOCK_REQ_LEN(16), MOCK_RSP_LEN(16));
	snprintf(want_err, sizeof(want_err),
		 "fwctl_rpc: dev=%s scope=1 in_len=%zu out_len=0 ret=%d ns=",
		 self->name, MOCK_REQ_LEN(sizeof(struct fwctl_mock_reg)),
		 -EPERM);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *p = strstr(line, want_ok);

		if (p) {
			found_ok++;
			ns = strtoull(p + strlen(want_ok), NULL, 10);
		}
		if (strstr(line, want_err))
			found_err++;
	}
	EXPECT_EQ(1, found_ok)
		TH_LOG("no '%s' in the trace", want_ok);
	EXPECT_EQ(1, found_err)
		TH_LOG("no '%s' in the trace", want_err);
	EXPECT_LT(0, ns);
	free(buf);
}

TEST_F(fwctl, hook_fail_open)
{
	struct fwctl_mock_counters c0, c1;
	int fd;

	ASSERT_EQ(0, mock_counters(self->fd, &c0));
	ASSERT_EQ(0, mock_param_set("fail_open", 2));
	EXPECT_EQ(-ENOMEM, mock_open(variant->idx));
	EXPECT_EQ(-ENOMEM, mock_open(variant->idx));
	fd = mock_open(variant->idx);
	EXPECT_LE(0, fd);
	ASSERT_EQ(0, mock_counters(self->fd, &c1));
	EXPECT_EQ(le64toh(c0.dev_opens) + 1, le64toh(c1.dev_opens));
	EXPECT_EQ(le32toh(c0.dev_uctxs) + 1, le32toh(c1.dev_uctxs));
	if (fd >= 0)
		close(fd);
}

TEST_F(fwctl, hook_fail_rpc)
{
	struct fwctl_mock_counters c0, c1;

	ASSERT_EQ(0, mock_counters(self->fd, &c0));
	ASSERT_EQ(0, mock_param_set("fail_rpc", 3));
	EXPECT_EQ(-ENOMEM, mock_echo(self->fd, 0, 4));
	EXPECT_EQ(-ENOMEM, mock_echo(self->fd, 0, 4));
	EXPECT_EQ(-ENOMEM, mock_echo(self->fd, 0, 4));
	EXPECT_EQ(0, mock_echo(self->fd, 0, 4));
	ASSERT_EQ(0, mock_counters(self->fd, &c1));
	EXPECT_EQ(le64toh(c0.uctx_rpcs) + 2, le64toh(c1.uctx_rpcs));
}

TEST_F(fwctl, hook_fail_info)
{
	struct fwctl_mock_info info;
	__u32 len = sizeof(info);

	ASSERT_EQ(0, mock_param_set("fail_info", 1));
	memset(&info, 0xa5, sizeof(info));
	EXPECT_EQ(-ENOMEM, info_call(self->fd, &info, &len, NULL));
	EXPECT_EQ(0xa5a5a5a5, info.magic);
	EXPECT_EQ(0, mock_info(self->fd, &info));
}

TEST_F(fwctl, hook_rpc_delay)
{
	__u64 t0, t1;

	ASSERT_EQ(0, mock_param_set("rpc_delay_ms", 300));
	t0 = now_ns();
	EXPECT_EQ(0, mock_echo(self->fd, 0, 4));
	t1 = now_ns();
	EXPECT_LE(slept_ns(300), t1 - t0);
	ASSERT_EQ(0, mock_param_set("rpc_delay_ms", 0));
}

static int mock_sleep(int fd, __u32 msecs, __u32 reserved,
		      struct mock_reply *rsp)
{
	struct fwctl_mock_sleep s = {
		.msecs = htole32(msecs),
		.reserved = htole32(reserved),
	};

	return mock_cmd(fd, FWCTL_RPC_CONFIGURATION, FWCTL_MOCK_OP_SLEEP, &s,
			sizeof(s), rsp);
}

TEST_F(fwctl, sleep_command)
{
	struct mock_reply rsp;
	__u64 t0, t1;

	t0 = now_ns();
	ASSERT_EQ(0, mock_sleep(self->fd, 200, 0, &rsp));
	t1 = now_ns();
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, le32toh(rsp.hdr.status));
	EXPECT_EQ(200, le32toh(rsp.sleep.msecs));
	EXPECT_LE(slept_ns(200), t1 - t0);

	/* Beyond the firmware's limit: refused in the reply, no sleep */
	t0 = now_ns();
	ASSERT_EQ(0, mock_sleep(self->fd, FWCTL_MOCK_SLEEP_MAX_MS + 1, 0,
				&rsp));
	t1 = now_ns();
	EXPECT_EQ(FWCTL_MOCK_STATUS_BAD_PARAM, le32toh(rsp.hdr.status));
	EXPECT_GT(1000000000ULL, t1 - t0);
	ASSERT_EQ(0, mock_sleep(self->fd, 0, 1, &rsp));
	EXPECT_EQ(FWCTL_MOCK_STATUS_BAD_PARAM, le32toh(rsp.hdr.status));
	ASSERT_EQ(0, mock_sleep(self->fd, 0, 0, &rsp));
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, le32toh(rsp.hdr.status));
}

static void on_sigusr1(int sig)
{
}

struct kicker {
	pthread_t target;
	int fd;
	int done;
};

/* Signals the target once its sleep is in flight, until it returns */
static void *kick(void *arg)
{
	struct kicker *k = arg;

	if (mock_wait_in_flight(k->fd, 1))
		return NULL;
	while (!__atomic_load_n(&k->done, __ATOMIC_ACQUIRE)) {
		pthread_kill(k->target, SIGUSR1);
		sleep_ms(100);
	}
	return NULL;
}

TEST_F(fwctl, sleep_interrupted)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct kicker k = { .target = pthread_self(), .fd = self->fd };
	struct mock_reply rsp;
	pthread_t thread;
	__u64 t0, t1;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&thread, NULL, kick, &k));
	t0 = now_ns();
	ASSERT_EQ(0, mock_sleep(self->fd, FWCTL_MOCK_SLEEP_MAX_MS, 0, &rsp));
	t1 = now_ns();
	__atomic_store_n(&k.done, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	EXPECT_EQ(FWCTL_MOCK_STATUS_ABORTED, le32toh(rsp.hdr.status));
	EXPECT_GT(FWCTL_MOCK_SLEEP_MAX_MS, le32toh(rsp.sleep.msecs));
	EXPECT_GT(FWCTL_MOCK_SLEEP_MAX_MS * 1000000ULL, t1 - t0);
}

struct rpc_worker {
	int fd;
	int iters;
	int errors;
	int last_err;
};

static void *rpc_worker(void *arg)
{
	struct rpc_worker *w = arg;
	int i, ret;

	for (i = 0; i < w->iters; i++) {
		ret = mock_echo(w->fd, FWCTL_RPC_CONFIGURATION, (i % 64) + 1);
		if (ret) {
			w->errors++;
			w->last_err = ret;
		}
	}
	return NULL;
}

TEST_F(fwctl, concurrent_rpcs)
{
	struct rpc_worker w[8] = {};
	struct fwctl_mock_counters c;
	pthread_t threads[8];
	int i;

	for (i = 0; i < 8; i++) {
		w[i].iters = 100;
		w[i].fd = i < 4 ? self->fd : mock_open(variant->idx);
		ASSERT_LE(0, w[i].fd);
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, rpc_worker,
					    &w[i]));
	}
	for (i = 0; i < 8; i++) {
		pthread_join(threads[i], NULL);
		EXPECT_EQ(0, w[i].errors)
			TH_LOG("thread %d: last error %d", i, w[i].last_err);
		if (i >= 4)
			close(w[i].fd);
	}
	ASSERT_EQ(0, mock_counters(self->fd, &c));
	EXPECT_EQ(4 * 100 + 1, le64toh(c.uctx_rpcs));
}

TEST_F(fwctl, sysfs_layout)
{
	char path[256], buf[256], link[256], *base;
	unsigned int major, minor;
	struct stat st;
	ssize_t n;

	ASSERT_EQ(0, dev_attr_read(self->name, "device_type", buf,
				   sizeof(buf)));
	EXPECT_EQ(FWCTL_DEVICE_TYPE_TEST_MOCK, strtoul(buf, NULL, 10));

	/* The class device's parent is the mock's platform device */
	snprintf(path, sizeof(path), FWCTL_CLASS "/%s/device", self->name);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = 0;
	base = strrchr(link, '/');
	snprintf(buf, sizeof(buf), "fwctl_mock.%d", variant->idx);
	EXPECT_STREQ(buf, base ? base + 1 : link);

	/* The node carries the class device's numbers, root-only */
	ASSERT_EQ(0, dev_attr_read(self->name, "dev", buf, sizeof(buf)));
	n = sscanf(buf, "%u:%u", &major, &minor);
	ASSERT_EQ(2, n);
	snprintf(path, sizeof(path), "/dev/fwctl/%s", self->name);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(makedev(major, minor), st.st_rdev);
	EXPECT_EQ(0, strncmp(self->name, "fwctl", 5));
	EXPECT_EQ(minor, strtoul(self->name + 5, NULL, 10));
}

TEST_F(fwctl, node_needs_root)
{
	char path[128];
	int status;
	pid_t pid;

	snprintf(path, sizeof(path), "/dev/fwctl/%s", self->name);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		fd = open(path, O_RDWR);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Scope x CAP_SYS_RAWIO: only full debug needs the capability */
FIXTURE(scope) {
	int fd;
};

FIXTURE_VARIANT(scope) {
	__u32 scope;
	bool rawio;
};

FIXTURE_VARIANT_ADD(scope, configuration) {
	.scope = FWCTL_RPC_CONFIGURATION,
	.rawio = true,
};

FIXTURE_VARIANT_ADD(scope, configuration_no_rawio) {
	.scope = FWCTL_RPC_CONFIGURATION,
	.rawio = false,
};

FIXTURE_VARIANT_ADD(scope, debug_read_only) {
	.scope = FWCTL_RPC_DEBUG_READ_ONLY,
	.rawio = true,
};

FIXTURE_VARIANT_ADD(scope, debug_read_only_no_rawio) {
	.scope = FWCTL_RPC_DEBUG_READ_ONLY,
	.rawio = false,
};

FIXTURE_VARIANT_ADD(scope, debug_write) {
	.scope = FWCTL_RPC_DEBUG_WRITE,
	.rawio = true,
};

FIXTURE_VARIANT_ADD(scope, debug_write_no_rawio) {
	.scope = FWCTL_RPC_DEBUG_WRITE,
	.rawio = false,
};

FIXTURE_VARIANT_ADD(scope, debug_write_full) {
	.scope = FWCTL_RPC_DEBUG_WRITE_FULL,
	.rawio = true,
};

FIXTURE_VARIANT_ADD(scope, debug_write_full_no_rawio) {
	.scope = FWCTL_RPC_DEBUG_WRITE_FULL,
	.rawio = false,
};

FIXTURE_SETUP(scope)
{
	char name[64];

	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (mock_count() < 1 || mock_bind_all())
		SKIP(return, "no mock device");
	ASSERT_EQ(0, mock_node(0, name, sizeof(name)));
	if (max_scope_get(name) != FWCTL_RPC_DEBUG_WRITE_FULL)
		SKIP(return, "%s has a lower max_scope", name);
	self->fd = mock_open(0);
	ASSERT_LE(0, self->fd);
	if (!variant->rawio)
		ASSERT_EQ(0, drop_cap(CAP_SYS_RAWIO_NR));
	ASSERT_EQ(variant->rawio, have_cap(CAP_SYS_RAWIO_NR));
}

FIXTURE_TEARDOWN(scope)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(scope, matrix)
{
	/* The command of each scope, and of the scope above it */
	static const __u32 own_cmd[] = {
		FWCTL_MOCK_OP_ECHO, FWCTL_MOCK_OP_REG_READ,
		FWCTL_MOCK_OP_REG_WRITE, FWCTL_MOCK_OP_REG_WRITE_RAW,
	};
	__u32 s = variant->scope;
	int want = 0;

	if (s == FWCTL_RPC_DEBUG_WRITE_FULL && (!variant->rawio || locked_down()))
		want = -EPERM;

	/* The lowest command, carried at this scope */
	EXPECT_EQ(want, mock_echo(self->fd, s, 8));

	/* This scope's own command; register 9 is free for tests */
	if (s)
		EXPECT_EQ(want, mock_reg(self->fd, s, own_cmd[s], 9, 0, NULL));

	/* The command of the next scope up is refused by the table */
	if (s < FWCTL_RPC_DEBUG_WRITE_FULL)
		EXPECT_EQ(-EPERM, mock_reg(self->fd, s, own_cmd[s + 1], 9, 0,
					   NULL));
}

/* Unplug: the device goes away under open files */
FIXTURE(unplug) {
	int ndevs;
};

FIXTURE_SETUP(unplug)
{
	if (geteuid())
		SKIP(return, "needs root");
	if (access(MOCK_DRIVER_DIR, F_OK))
		SKIP(return, "fwctl_mock is not loaded");
	self->ndevs = mock_count();
	if (self->ndevs < 1)
		SKIP(return, "no mock device");
	ASSERT_EQ(0, mock_bind_all());
	mock_params_reset();
}

FIXTURE_TEARDOWN(unplug)
{
	mock_params_reset();
	mock_bind_all();
}

TEST_F(unplug, orphaned_fds)
{
	struct fwctl_info info = { .size = sizeof(info) };
	struct fwctl_mock_info minfo;
	char name[64], path[128];
	int fd1, fd2, fd3;
	__u32 val = ~0U;

	fd1 = mock_open(0);
	fd2 = mock_open(0);
	ASSERT_LE(0, fd1);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, mock_node(0, name, sizeof(name)));
	snprintf(path, sizeof(path), "/dev/fwctl/%s", name);
	ASSERT_EQ(0, mock_reg(fd1, FWCTL_RPC_DEBUG_WRITE,
			      FWCTL_MOCK_OP_REG_WRITE, 5, 0xabcd, NULL));

	ASSERT_EQ(0, mock_unbind(0));
	EXPECT_FALSE(mock_bound(0));
	EXPECT_EQ(-ENOENT, mock_node(0, name, sizeof(name)));
	EXPECT_NE(0, access(path, F_OK));

	/* Every call on an orphaned file: ENODEV, after ENOTTY */
	EXPECT_ERRNO(ENODEV, ioctl(fd1, FWCTL_INFO, &info));
	EXPECT_EQ(-ENODEV, mock_echo(fd1, 0, 4));
	EXPECT_EQ(-ENODEV, mock_info(fd2, &minfo));
	EXPECT_EQ(-ENODEV, mock_counters(fd2, &(struct fwctl_mock_counters){}));
	EXPECT_ERRNO(ENODEV, ioctl(fd2, FWCTL_RPC, bad_ptr()));
	EXPECT_ERRNO(ENOTTY, ioctl(fd2, _IO(FWCTL_TYPE, 5), &info));
	EXPECT_EQ(0, close(fd1));

	/* Another device is not affected */
	if (self->ndevs > 1) {
		fd3 = mock_open(1);
		ASSERT_LE(0, fd3);
		EXPECT_EQ(0, mock_echo(fd3, 0, 4));
		close(fd3);
	}

	/* Bound again: a fresh device and firmware; the old file stays dead */
	ASSERT_EQ(0, mock_bind(0));
	fd3 = mock_open(0);
	ASSERT_LE(0, fd3);
	EXPECT_EQ(0, mock_info(fd3, &minfo));
	EXPECT_EQ(1, minfo.uctx_id);
	EXPECT_EQ(0, mock_reg(fd3, FWCTL_RPC_DEBUG_READ_ONLY,
			      FWCTL_MOCK_OP_REG_READ, 5, 0, &val));
	EXPECT_EQ(0, val);
	EXPECT_EQ(-ENODEV, mock_echo(fd2, 0, 4));
	EXPECT_EQ(0, close(fd2));
	EXPECT_EQ(0, mock_echo(fd3, 0, 4));
	close(fd3);
}

TEST_F(unplug, unbind_without_files)
{
	int i, fd;

	for (i = 0; i < self->ndevs; i++)
		ASSERT_EQ(0, mock_unbind(i));
	for (i = 0; i < self->ndevs; i++)
		EXPECT_EQ(-ENOENT, mock_open(i));
	for (i = 0; i < self->ndevs; i++)
		ASSERT_EQ(0, mock_bind(i));
	for (i = 0; i < self->ndevs; i++) {
		fd = mock_open(i);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, mock_echo(fd, 0, 4));
		close(fd);
	}
}

struct sleeper {
	int fd;
	__u32 msecs;
	int started;
	__u64 start;
	int ret;
	__u32 status, slept;
};

static void *sleeper(void *arg)
{
	struct sleeper *s = arg;
	struct mock_reply rsp;

	s->start = now_ns();
	__atomic_store_n(&s->started, 1, __ATOMIC_RELEASE);
	s->ret = mock_sleep(s->fd, s->msecs, 0, &rsp);
	s->status = le32toh(rsp.hdr.status);
	s->slept = le32toh(rsp.sleep.msecs);
	return NULL;
}

/* Unregister waits for the call in flight, which completes normally */
TEST_F_TIMEOUT(unplug, unbind_waits_for_rpc, 60)
{
	struct sleeper s = { .msecs = 1500 };
	pthread_t thread;
	__u64 t0, t1;

	s.fd = mock_open(0);
	ASSERT_LE(0, s.fd);
	ASSERT_EQ(0, pthread_create(&thread, NULL, sleeper, &s));
	while (!__atomic_load_n(&s.started, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	ASSERT_EQ(0, mock_wait_in_flight(s.fd, 1));
	t0 = now_ns();
	ASSERT_EQ(0, mock_unbind(0));
	t1 = now_ns();
	pthread_join(thread, NULL);

	EXPECT_EQ(0, s.ret);
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK, s.status);
	EXPECT_EQ(1500, s.slept);
	/* Unbind returned only after the RPC could have finished */
	EXPECT_LE(s.start + slept_ns(s.msecs), t1);
	TH_LOG("unbind waited %llu ms for the RPC",
	       (unsigned long long)(t1 - t0) / 1000000);
	EXPECT_EQ(-ENODEV, mock_echo(s.fd, 0, 4));
	close(s.fd);
	ASSERT_EQ(0, mock_bind(0));
}

struct stress_worker {
	int *stop;
	int idx;
	long ok, enodev, reopen;
	int bad, bad_err;
};

static void stress_note(struct stress_worker *w, int ret)
{
	if (!ret) {
		w->ok++;
	} else if (ret == -ENODEV) {
		w->enodev++;
	} else {
		w->bad++;
		w->bad_err = ret;
	}
}

static void *stress_worker(void *arg)
{
	struct stress_worker *w = arg;
	struct fwctl_mock_counters c;
	struct fwctl_mock_info info;
	int fds[2] = { -1, -1 }, i, k, ret;

	for (i = 0; !__atomic_load_n(w->stop, __ATOMIC_RELAXED); i++) {
		k = i & 1;
		if (fds[k] < 0) {
			fds[k] = mock_open(w->idx);
			if (fds[k] < 0) {
				/* Gone, or going while we opened it */
				if (fds[k] != -ENOENT && fds[k] != -ENODEV &&
				    fds[k] != -ENXIO) {
					w->bad++;
					w->bad_err = fds[k];
				}
				fds[k] = -1;
				sleep_ms(1);
				continue;
			}
			w->reopen++;
		}
		switch (i % 3) {
		case 0:
			ret = mock_echo(fds[k], 0, (i % 200) + 1);
			break;
		case 1:
			ret = mock_info(fds[k], &info);
			break;
		default:
			ret = mock_counters(fds[k], &c);
			break;
		}
		stress_note(w, ret);
		if (ret == -ENODEV) {
			close(fds[k]);
			fds[k] = -1;
		}
	}
	for (k = 0; k < 2; k++)
		if (fds[k] >= 0)
			close(fds[k]);
	return NULL;
}

/* RPCs on many files while their devices come and go */
TEST_F_TIMEOUT(unplug, stress_unbind_rebind, 240)
{
	struct stress_worker w[6] = {};
	int stop = 0;
	pthread_t threads[6];
	long ok = 0, enodev = 0;
	int i, round, fd, ndevs = self->ndevs > 2 ? 2 : self->ndevs;
	__u64 deadline = now_ns() + 60ULL * 1000000000ULL;

	for (i = 0; i < 6; i++) {
		w[i].stop = &stop;
		w[i].idx = i % ndevs;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, stress_worker,
					    &w[i]));
	}
	for (round = 0; round < 40 && now_ns() < deadline; round++) {
		int idx = round % ndevs;

		sleep_ms(20);
		EXPECT_EQ(0, mock_unbind(idx));
		sleep_ms(10);
		EXPECT_EQ(0, mock_bind(idx));
	}
	sleep_ms(20);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < 6; i++) {
		pthread_join(threads[i], NULL);
		EXPECT_EQ(0, w[i].bad)
			TH_LOG("thread %d: %d unexpected errors, last %d", i,
			       w[i].bad, w[i].bad_err);
		ok += w[i].ok;
		enodev += w[i].enodev;
	}
	TH_LOG("%d rounds: %ld calls answered, %ld ENODEV", round, ok,
	       enodev);
	EXPECT_LT(0, ok);

	for (i = 0; i < ndevs; i++) {
		fd = mock_open(i);
		ASSERT_LE(0, fd);
		EXPECT_EQ(0, mock_echo(fd, 0, 4));
		close(fd);
	}
}

/* Files closed at unbind by the core, and those closed later by user space */
TEST_F(unplug, no_context_leak)
{
	struct fwctl_mock_counters c;
	unsigned long t0 = read_taint();
	int fds[8], i, fd;

	for (i = 0; i < 8; i++) {
		fds[i] = mock_open(0);
		ASSERT_LE(0, fds[i]);
	}
	ASSERT_EQ(0, mock_param_set("fail_open", 1));
	EXPECT_EQ(-ENOMEM, mock_open(0));
	for (i = 0; i < 4; i++)
		close(fds[i]);
	ASSERT_EQ(0, mock_unbind(0));
	for (i = 4; i < 8; i++)
		close(fds[i]);
	ASSERT_EQ(0, mock_bind(0));
	fd = mock_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mock_counters(fd, &c));
	EXPECT_EQ(1, le32toh(c.dev_uctxs));
	EXPECT_EQ(1, le64toh(c.dev_opens));
	close(fd);
	/* The mock warns at remove when a context was never closed */
	if (!(t0 & (1UL << TAINT_WARN_BIT)))
		EXPECT_EQ(0, read_taint() & (1UL << TAINT_WARN_BIT));
}

TEST_HARNESS_MAIN
