// SPDX-License-Identifier: GPL-2.0
/*
 * A walk through fwctl for people: lists the fwctl devices, asks each who
 * it is, and sends the mock device one RPC at every scope, saying in plain
 * words what happened and why. Run as root; always exits 0.
 */
#include "fwctl_utils.h"

static const char *const scope_words[] = {
	"configuration", "debug read-only", "debug write", "full debug write",
};

static const char *type_name(__u32 type)
{
	switch (type) {
	case FWCTL_DEVICE_TYPE_MLX5:
		return "NVIDIA ConnectX (mlx5)";
	case FWCTL_DEVICE_TYPE_CXL:
		return "CXL memory device";
	case FWCTL_DEVICE_TYPE_BNXT:
		return "Broadcom NetXtreme";
	case FWCTL_DEVICE_TYPE_PDS:
		return "AMD/Pensando DSC";
	case FWCTL_DEVICE_TYPE_ACCEL:
		return "accelerator";
	case FWCTL_DEVICE_TYPE_TEST_MOCK:
		return "test-only mock";
	}
	return "unknown";
}

/*
 * What an errno from FWCTL_RPC at @scope means, for when no better reason
 * is known: libfwctl's advice
 */
static const char *errno_meaning(int err, __u32 scope, char *buf, size_t len)
{
	struct fwctl_err_ctx ctx;
	const char *hint;

	fwctl_err_ctx_init(&ctx, FWCTL_OP_RPC, NULL);
	ctx.scope = scope;
	hint = fwctl_err_hint(err, &ctx, buf, len);
	return hint ? hint : "an error outside the contract";
}

/* Prints the taint; returns the fwctl taint bits */
static unsigned long say_taint(const char *when)
{
	unsigned long t = read_taint();

	printf("  The kernel taint value %s is %lu: ", when, t);
	if (t & (1UL << TAINT_FWCTL_BIT))
		printf("the fwctl bit (19, 'J') is set.\n");
	else if (t & (1UL << TAINT_USER_BIT))
		printf("bit 6 ('U') is set, the fwctl taint of the build for 6.12.\n");
	else
		printf("no fwctl taint.\n");
	return t & FWCTL_TAINT_MASK;
}

/*
 * Says what became of an RPC. @because explains the refusal the demo
 * expects, with errno @expect.
 */
static void say_result(__u32 scope, const char *what, int ret,
		       const struct mock_reply *rsp, int expect,
		       const char *because)
{
	char buf[512];

	printf("  RPC at scope %u (%s), %s: ", scope, scope_words[scope], what);
	if (ret)
		printf("refused with %s (%s): %s.\n", strerrorname_np(-ret),
		       strerror(-ret), -ret == expect ? because :
		       errno_meaning(-ret, scope, buf, sizeof(buf)));
	else if (rsp && le32toh(rsp->hdr.status))
		printf("delivered; the firmware answered status %u, syndrome %#x.\n",
		       le32toh(rsp->hdr.status), le32toh(rsp->hdr.syndrome));
	else
		printf("delivered and answered.\n");
}

static void demo_mock(int fd, const char *name)
{
	struct fwctl_mock_fw_error err = { htole32(0x42), htole32(0x5eed) };
	struct fwctl_mock_reg reg = { htole32(3), htole32(0x1234) };
	struct mock_reply rsp;
	__u8 in[MOCK_REQ_LEN(5)], out[64];
	__u32 out_len = sizeof(out);
	unsigned long before;
	int ret, saved;

	mock_req_init(in, FWCTL_MOCK_OP_ECHO, 5);
	memcpy(in + sizeof(struct fwctl_mock_req), "hello", 5);
	ret = rpc_call(fd, FWCTL_RPC_CONFIGURATION, in, sizeof(in), out,
		       &out_len);
	say_result(0, "echo \"hello\"", ret, NULL, 0, NULL);
	if (!ret)
		printf("    The reply is %u bytes long and carries \"%.5s\".\n",
		       out_len, out + sizeof(struct fwctl_mock_rsp));

	ret = mock_cmd(fd, FWCTL_RPC_DEBUG_READ_ONLY, FWCTL_MOCK_OP_COUNTERS,
		       NULL, 0, &rsp);
	say_result(1, "read the firmware counters", ret, &rsp, 0, NULL);
	if (!ret)
		printf("    This file sent %llu RPCs; the device answered %llu; open files: %u.\n",
		       (unsigned long long)le64toh(rsp.counters.uctx_rpcs),
		       (unsigned long long)le64toh(rsp.counters.dev_rpcs),
		       le32toh(rsp.counters.dev_uctxs));

	before = say_taint("before the debug write");
	ret = mock_cmd(fd, FWCTL_RPC_DEBUG_WRITE, FWCTL_MOCK_OP_REG_WRITE,
		       &reg, sizeof(reg), &rsp);
	say_result(2, "write 0x1234 to debug register 3", ret, &rsp, 0, NULL);
	if (!ret)
		printf("    The register held %#x before.\n",
		       le32toh(rsp.reg.val));
	if (say_taint("after the debug write") && !before)
		printf("    That debug write tainted the kernel, until reboot.\n");
	else if (before)
		printf("    An earlier debug write tainted the kernel already.\n");

	reg.reg = htole32(FWCTL_MOCK_REG_ID);
	ret = mock_cmd(fd, FWCTL_RPC_DEBUG_WRITE, FWCTL_MOCK_OP_REG_WRITE,
		       &reg, sizeof(reg), &rsp);
	say_result(2, "write the read-only ID register", ret, &rsp, 0, NULL);
	if (!ret && le32toh(rsp.hdr.status) == FWCTL_MOCK_STATUS_DENIED)
		printf("    The firmware refused it at this scope: a failure in the reply.\n");

	reg.reg = htole32(9);
	ret = mock_cmd(fd, FWCTL_RPC_DEBUG_WRITE_FULL,
		       FWCTL_MOCK_OP_REG_WRITE_RAW, &reg, sizeof(reg), &rsp);
	say_result(3, "raw write of debug register 9", ret, &rsp, EPERM,
		   "full debug needs CAP_SYS_RAWIO and a kernel not locked down");

	ret = mock_cmd(fd, FWCTL_RPC_CONFIGURATION, FWCTL_MOCK_OP_FW_ERROR,
		       &err, sizeof(err), &rsp);
	say_result(0, "a command the firmware fails", ret, &rsp, 0, NULL);

	ret = mock_cmd(fd, FWCTL_RPC_CONFIGURATION, 0x77, NULL, 0, &rsp);
	say_result(0, "an opcode the driver does not list", ret, &rsp,
		   EOPNOTSUPP, "the mock's command table has no such command");

	ret = mock_cmd(fd, FWCTL_RPC_CONFIGURATION, FWCTL_MOCK_OP_COUNTERS,
		       NULL, 0, &rsp);
	say_result(0, "read the counters with too low a scope", ret, &rsp,
		   EPERM, "the command table puts COUNTERS at debug_read_only");

	saved = max_scope_get(name);
	if (saved >= 0 && !max_scope_set(name, FWCTL_RPC_DEBUG_READ_ONLY)) {
		printf("  The administrator lowers max_scope of %s to debug_read_only.\n",
		       name);
		ret = mock_cmd(fd, FWCTL_RPC_DEBUG_WRITE,
			       FWCTL_MOCK_OP_REG_WRITE, &reg, sizeof(reg),
			       &rsp);
		say_result(2, "write debug register 9 again", ret, &rsp, EPERM,
			   "debug_write is above the device's max_scope");
		max_scope_set(name, saved);
		printf("  max_scope is back to %s.\n", fwctl_scope_name(saved));
	}
}

static void show_stats(const char *name)
{
	struct fwctl_sysinfo si;
	int i;

	if (fwctl_sysinfo_read(name, &si) || !si.has_stats)
		return;
	printf("  Counters:");
	for (i = 0; i < FWCTL_NUM_STATS; i++)
		printf(" %s %llu%s", fwctl_stat_name(i),
		       (unsigned long long)si.stats[i],
		       i + 1 < FWCTL_NUM_STATS ? "," : ".\n");
}

static void show_device(const char *name)
{
	struct fwctl_mock_info minfo;
	struct fwctl_sysinfo si;
	struct fwctl_dev dev;
	__u32 len = 0, type;
	int ret;

	ret = fwctl_sysinfo_read(name, &si);
	if (ret) {
		printf("\n%s: sysfs does not describe it: %s.\n", name,
		       strerror(-ret));
		return;
	}
	type = si.has_type ? si.device_type : 0;
	printf("\n%s: node %s, device type %u (%s), parent device %s.\n",
	       name, si.node, type, type_name(type), si.parent);
	if (si.max_scope >= 0)
		printf("  Its max_scope is %s: RPCs above it are refused.\n",
		       fwctl_scope_name(si.max_scope));
	show_stats(name);

	ret = fwctl_dev_open(name, &dev);
	if (ret) {
		printf("  Opening %s failed: %s.\n", si.node, strerror(-ret));
		return;
	}
	ret = fwctl_dev_info_raw(&dev, &type, NULL, &len);
	if (ret) {
		printf("  FWCTL_INFO failed: %s.\n", strerror(-ret));
		fwctl_dev_close(&dev);
		return;
	}
	printf("  FWCTL_INFO says device type %u, with %u bytes of device data.\n",
	       type, len);
	if (type != FWCTL_DEVICE_TYPE_TEST_MOCK) {
		printf("  Not the mock: RPCs are in its driver's format, none is sent.\n");
		fwctl_dev_close(&dev);
		return;
	}
	if (!mock_info(dev.fd, &minfo))
		printf("  The mock says: device %u, firmware context %u, %u registers.\n",
		       minfo.dev_index, minfo.uctx_id, minfo.num_regs);
	demo_mock(dev.fd, name);
	fwctl_dev_close(&dev);
	show_stats(name);
}

int main(void)
{
	size_t n, i;
	char **names;
	int ret;

	printf("fwctl demo: the fwctl devices of this system, from %s.\n",
	       FWCTL_CLASS);
	if (geteuid())
		printf("Not running as root: the nodes are root-only, expect refusals.\n");
	ret = fwctl_list(&names, &n);
	if (ret) {
		printf("There is no %s: the fwctl core is not loaded.\n",
		       FWCTL_CLASS);
		return 0;
	}
	for (i = 0; i < n; i++)
		show_device(names[i]);
	printf("\n%zu fwctl device%s shown.\n", n, n == 1 ? "" : "s");
	fwctl_list_free(names, n);
	return 0;
}
