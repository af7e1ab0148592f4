// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl selftests for a locked-down kernel: run them after writing
 * "integrity" (or "confidentiality") to /sys/kernel/security/lockdown,
 * which cannot be undone until reboot. Full debug RPCs are then refused
 * even to root with CAP_SYS_RAWIO; every lower scope keeps working.
 */
#include "fwctl_utils.h"
#include "kselftest_harness.h"

FIXTURE(lockdown) {
	int fd;
	char name[64];
};

FIXTURE_SETUP(lockdown)
{
	self->fd = -1;
	if (geteuid())
		SKIP(return, "needs root");
	if (!locked_down())
		SKIP(return, "kernel not locked down");
	if (mock_count() < 1 || mock_bind_all())
		SKIP(return, "no mock device");
	ASSERT_EQ(0, mock_node(0, self->name, sizeof(self->name)));
	self->fd = mock_open(0);
	ASSERT_LE(0, self->fd);
	ASSERT_TRUE(have_cap(CAP_SYS_RAWIO_NR));
}

FIXTURE_TEARDOWN(lockdown)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(lockdown, full_debug_refused)
{
	__u64 denied0, denied1;

	ASSERT_EQ(0, max_scope_set(self->name, FWCTL_RPC_DEBUG_WRITE_FULL));
	ASSERT_EQ(0, dev_stat(self->name, "denied", &denied0));
	EXPECT_EQ(-EPERM, mock_echo(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, 8));
	EXPECT_EQ(-EPERM, mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				   FWCTL_MOCK_OP_REG_WRITE_RAW, 9, 1, NULL));
	ASSERT_EQ(0, dev_stat(self->name, "denied", &denied1));
	EXPECT_EQ(denied0 + 2, denied1);
}

TEST_F(lockdown, lower_scopes_work)
{
	struct fwctl_mock_counters c;
	__u32 val = 0;

	EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_CONFIGURATION, 8));
	EXPECT_EQ(0, mock_counters(self->fd, &c));
	EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_DEBUG_READ_ONLY, 8));
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_WRITE,
			   FWCTL_MOCK_OP_REG_WRITE, 9, 0x77, NULL));
	EXPECT_EQ(FWCTL_MOCK_STATUS_OK,
		  mock_reg(self->fd, FWCTL_RPC_DEBUG_READ_ONLY,
			   FWCTL_MOCK_OP_REG_READ, 9, 0, &val));
	EXPECT_EQ(0x77, val);
	EXPECT_EQ(0, mock_echo(self->fd, FWCTL_RPC_DEBUG_WRITE, 8));
}

TEST_F(lockdown, info_works)
{
	struct fwctl_mock_info info;

	EXPECT_EQ(0, mock_info(self->fd, &info));
	EXPECT_EQ(FWCTL_MOCK_INFO_MAGIC, info.magic);
}

/* Lockdown refuses the scope; the checks before it still come first */
TEST_F(lockdown, check_order)
{
	__u8 buf[MOCK_REQ_LEN(0)], out[64];
	__u32 out_len = sizeof(out);

	mock_req_init(buf, FWCTL_MOCK_OP_ECHO, 0);
	EXPECT_EQ(-EOPNOTSUPP, mock_echo(self->fd, 4, 8));
	EXPECT_EQ(-EMSGSIZE, rpc_call(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL,
				      buf, FWCTL_RPC_MAX_LEN + 1, out,
				      &out_len));
	/* The administrator's ceiling cannot lift it */
	ASSERT_EQ(0, max_scope_set(self->name, FWCTL_RPC_DEBUG_WRITE_FULL));
	EXPECT_EQ(-EPERM, rpc_call(self->fd, FWCTL_RPC_DEBUG_WRITE_FULL, buf,
				   sizeof(buf), out, &out_len));
}

TEST_HARNESS_MAIN
