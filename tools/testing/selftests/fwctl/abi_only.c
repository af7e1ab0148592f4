// SPDX-License-Identifier: GPL-2.0
/*
 * A fwctl client written from the ABI alone, as a tool built against
 * mainline Linux would be: its own structures and ioctl numbers, none of
 * this tree's headers. It talks to the test-only mock device, whose
 * request format it also defines itself, and prints TAP.
 *
 * If this program and the selftests disagree, one of them is not the ABI.
 *
 * It is the binary-compatibility check, so it stays on raw ioctl()s on
 * purpose: unlike the other selftests it does not use libfwctl, whose
 * structures come from this tree's uAPI headers.
 */
#include <assert.h>
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/types.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The ioctls are _IO(0x9A, 0) and _IO(0x9A, 1): the number has no size */
#define ABI_FWCTL_INFO		0x9A00
#define ABI_FWCTL_RPC		0x9A01

#define ABI_SCOPE_CONFIGURATION	0
#define ABI_SCOPE_READ_ONLY	1
#define ABI_MAX_LEN		(2 * 1024 * 1024)
#define ABI_TYPE_TEST_MOCK	0xfff0

struct abi_info {
	__u32 size;
	__u32 flags;
	__u32 out_device_type;
	__u32 device_data_len;
	__aligned_u64 out_device_data;
};

struct abi_rpc {
	__u32 size;
	__u32 scope;
	__u32 in_len;
	__u32 out_len;
	__aligned_u64 in;
	__aligned_u64 out;
};

static_assert(_IO(0x9A, 0) == ABI_FWCTL_INFO, "FWCTL_INFO number");
static_assert(_IO(0x9A, 1) == ABI_FWCTL_RPC, "FWCTL_RPC number");
static_assert(sizeof(struct abi_info) == 24, "struct fwctl_info size");
static_assert(offsetof(struct abi_info, out_device_data) == 16,
	      "fwctl_info.out_device_data offset");
static_assert(sizeof(struct abi_rpc) == 32, "struct fwctl_rpc size");
static_assert(offsetof(struct abi_rpc, out_len) == 12,
	      "fwctl_rpc.out_len offset");
static_assert(offsetof(struct abi_rpc, out) == 24, "fwctl_rpc.out offset");

/*
 * The mock's simulated firmware: little-endian 16-byte headers. A request
 * is opcode, flags, payload length, reserved; a reply is opcode, status,
 * syndrome, payload length.
 */
#define MOCK_OP_ECHO		1
#define MOCK_OP_COUNTERS	2
#define MOCK_OP_FW_ERROR	6
#define MOCK_INFO_MAGIC		0x6b636f6d
#define MOCK_INFO_LEN		24

struct mock_hdr {
	__u32 opcode;
	__u32 status_or_flags;
	__u32 syndrome_or_len;
	__u32 len_or_reserved;
};

static int tests_run, tests_failed;

static void result(int ok, const char *what)
{
	tests_run++;
	if (!ok)
		tests_failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", tests_run, what);
	fflush(stdout);
}

static void skip(const char *what, const char *why)
{
	tests_run++;
	printf("ok %d %s # SKIP %s\n", tests_run, what, why);
}

static int do_ioctl(int fd, unsigned long nr, void *arg)
{
	return ioctl(fd, nr, arg) ? errno : 0;
}

static int rpc(int fd, __u32 scope, void *in, __u32 in_len, void *out,
	       __u32 *out_len)
{
	struct abi_rpc cmd = {
		.size = sizeof(cmd),
		.scope = scope,
		.in_len = in_len,
		.out_len = *out_len,
		.in = (unsigned long)in,
		.out = (unsigned long)out,
	};
	int err = do_ioctl(fd, ABI_FWCTL_RPC, &cmd);

	if (!err)
		*out_len = cmd.out_len;
	return err;
}

/* Opens the first fwctl node whose FWCTL_INFO says "test mock" */
static int find_mock(char *path, size_t len)
{
	struct abi_info info;
	struct dirent *de;
	DIR *dir;
	int fd;

	dir = opendir("/dev/fwctl");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, "fwctl", 5))
			continue;
		snprintf(path, len, "/dev/fwctl/%.32s", de->d_name);
		fd = open(path, O_RDWR);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		if (!do_ioctl(fd, ABI_FWCTL_INFO, &info) &&
		    info.out_device_type == ABI_TYPE_TEST_MOCK) {
			closedir(dir);
			return fd;
		}
		close(fd);
	}
	closedir(dir);
	return -1;
}

#define NUM_TESTS	14

int main(void)
{
	__u8 in[64], out[256], data[64];
	struct mock_hdr *req = (void *)in, *rsp = (void *)out;
	struct abi_info info;
	struct abi_rpc cmd;
	__u8 big[48];
	__u32 out_len;
	char path[64];
	int fd, i, ok;

	printf("TAP version 13\n1..%d\n", NUM_TESTS);
	fd = find_mock(path, sizeof(path));
	if (fd < 0) {
		for (i = 0; i < NUM_TESTS; i++)
			skip("abi", "no fwctl mock device");
		return 0;
	}
	printf("# using %s\n", path);
	result(1, "a fwctl node reports the mock device type");

	/* FWCTL_INFO */
	memset(&info, 0, sizeof(info));
	memset(data, 0xa5, sizeof(data));
	info.size = sizeof(info);
	info.device_data_len = sizeof(data);
	info.out_device_data = (unsigned long)data;
	ok = !do_ioctl(fd, ABI_FWCTL_INFO, &info) &&
	     info.out_device_type == ABI_TYPE_TEST_MOCK &&
	     info.device_data_len == MOCK_INFO_LEN &&
	     *(__u32 *)data == MOCK_INFO_MAGIC;
	for (i = MOCK_INFO_LEN; i < (int)sizeof(data); i++)
		ok &= data[i] == 0;
	result(ok, "FWCTL_INFO returns the device data, zero-filled");

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ok = !do_ioctl(fd, ABI_FWCTL_INFO, &info) &&
	     info.device_data_len == MOCK_INFO_LEN;
	result(ok, "FWCTL_INFO with no buffer reports the data length");

	info.flags = 1;
	result(do_ioctl(fd, ABI_FWCTL_INFO, &info) == EOPNOTSUPP,
	       "FWCTL_INFO with flags fails with EOPNOTSUPP");
	info.flags = 0;
	info.device_data_len = ABI_MAX_LEN + 1;
	result(do_ioctl(fd, ABI_FWCTL_INFO, &info) == EMSGSIZE,
	       "FWCTL_INFO over 2 MiB fails with EMSGSIZE");

	/* FWCTL_RPC: an echo at configuration scope */
	memset(in, 0, sizeof(in));
	req->opcode = htole32(MOCK_OP_ECHO);
	req->syndrome_or_len = htole32(5);
	memcpy(in + 16, "hello", 5);
	out_len = sizeof(out);
	ok = !rpc(fd, ABI_SCOPE_CONFIGURATION, in, 21, out, &out_len) &&
	     out_len == 21 && le32toh(rsp->opcode) == MOCK_OP_ECHO &&
	     rsp->status_or_flags == 0 && !memcmp(out + 16, "hello", 5);
	result(ok, "FWCTL_RPC echo delivers the request and returns the reply");

	memset(out, 0xa5, sizeof(out));
	out_len = 18;
	ok = !rpc(fd, ABI_SCOPE_CONFIGURATION, in, 21, out, &out_len) &&
	     out_len == 21 && !memcmp(out + 16, "he", 2) && out[18] == 0xa5;
	result(ok, "FWCTL_RPC truncates the copy and reports the full length");

	memset(in, 0, sizeof(in));
	req->opcode = htole32(MOCK_OP_COUNTERS);
	out_len = sizeof(out);
	ok = !rpc(fd, ABI_SCOPE_READ_ONLY, in, 16, out, &out_len) &&
	     out_len == 48 && rsp->status_or_flags == 0;
	result(ok, "FWCTL_RPC at debug read-only scope");
	out_len = sizeof(out);
	result(rpc(fd, ABI_SCOPE_CONFIGURATION, in, 16, out, &out_len) == EPERM,
	       "FWCTL_RPC below the command's scope fails with EPERM");

	memset(in, 0, sizeof(in));
	req->opcode = htole32(MOCK_OP_FW_ERROR);
	req->syndrome_or_len = htole32(8);
	*(__u32 *)(in + 16) = htole32(0x42);
	*(__u32 *)(in + 20) = htole32(0x5eed);
	out_len = sizeof(out);
	ok = !rpc(fd, ABI_SCOPE_CONFIGURATION, in, 24, out, &out_len) &&
	     le32toh(rsp->status_or_flags) == 0x42 &&
	     le32toh(rsp->syndrome_or_len) == 0x5eed;
	result(ok, "a firmware failure comes back in the reply with a 0 return");

	out_len = sizeof(out);
	result(rpc(fd, 4, in, 16, out, &out_len) == EOPNOTSUPP,
	       "FWCTL_RPC with an unknown scope fails with EOPNOTSUPP");
	out_len = sizeof(out);
	result(rpc(fd, 0, in, ABI_MAX_LEN + 1, out, &out_len) == EMSGSIZE,
	       "FWCTL_RPC over 2 MiB fails with EMSGSIZE");

	/* The size rules, with an echo */
	memset(in, 0, sizeof(in));
	req->opcode = htole32(MOCK_OP_ECHO);
	memset(big, 0, sizeof(big));
	cmd = (struct abi_rpc) {
		.size = 24,
		.in_len = 16,
		.out_len = sizeof(out),
		.in = (unsigned long)in,
		.out = (unsigned long)out,
	};
	memcpy(big, &cmd, sizeof(cmd));
	ok = do_ioctl(fd, ABI_FWCTL_RPC, big) == EINVAL;
	((struct abi_rpc *)big)->size = sizeof(big);
	ok &= do_ioctl(fd, ABI_FWCTL_RPC, big) == 0;
	((struct abi_rpc *)big)->out_len = sizeof(out);
	big[sizeof(big) - 1] = 1;
	ok &= do_ioctl(fd, ABI_FWCTL_RPC, big) == E2BIG;
	result(ok, "short size EINVAL, zero tail accepted, non-zero tail E2BIG");

	result(do_ioctl(fd, _IO(0x9A, 2), &cmd) == ENOTTY,
	       "an unknown fwctl ioctl fails with ENOTTY");

	close(fd);
	printf("# %d passed, %d failed\n", tests_run - tests_failed,
	       tests_failed);
	return tests_failed ? 1 : 0;
}
