// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD shim for the host tests: FWCTL_INFO and FWCTL_RPC on a
 * regular file answer as an mlx5 fwctl device with canned firmware, so
 * that the fwctl command's mlx5 subcommands run end to end without one.
 *
 * The firmware: NOP succeeds; QUERY_HCA_CAP returns a general capability
 * page with vhca_id 0x1234, log_max_qp 17 and num_ports 2; ACCESS_REG
 * returns the register data it was sent with every byte incremented, and
 * fails register 0xbad with status 0x03 (bad parameter), syndrome
 * 0xc0ffee. The scopes are the driver's: QUERY_HCA_CAP and ACCESS_REG
 * reads need debug_read_only, ACCESS_REG writes debug_write_full, or the
 * RPC fails with EPERM. FAKE_MLX5_LOG names a file that gets the scope and
 * the hex of every request.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fwctl/fwctl.h>
#include <fwctl/mlx5.h>

#define HDR		16
#define PAGE		4096
#define OP_QUERY_HCA_CAP	0x100
#define OP_ACCESS_REG		0x805
#define OP_NOP			0x80d

static void log_request(uint32_t scope, const uint8_t *in, uint32_t len)
{
	const char *path = getenv("FAKE_MLX5_LOG");
	uint32_t i;
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "scope %u in ", scope);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", in[i]);
	fputc('\n', f);
	fclose(f);
}

static int fake_info(struct fwctl_info *info)
{
	struct fwctl_info_mlx5 data = { .uid = 5, .uctx_caps = 4 };

	info->out_device_type = FWCTL_DEVICE_TYPE_MLX5;
	if (info->device_data_len) {
		if (info->device_data_len > sizeof(data))
			info->device_data_len = sizeof(data);
		memcpy((void *)(uintptr_t)info->out_device_data, &data,
		       info->device_data_len);
	} else {
		info->device_data_len = sizeof(data);
	}
	return 0;
}

static int fake_rpc(struct fwctl_rpc *rpc)
{
	const uint8_t *in = (const void *)(uintptr_t)rpc->in;
	uint8_t *out = (void *)(uintptr_t)rpc->out;
	uint16_t opcode, op_mod, reg;
	uint32_t len = HDR, i, syndrome;
	int need;

	if (rpc->in_len < HDR || rpc->out_len < HDR)
		return -EINVAL;
	log_request(rpc->scope, in, rpc->in_len);
	opcode = in[0] << 8 | in[1];
	op_mod = in[6] << 8 | in[7];
	reg = in[10] << 8 | in[11];
	switch (opcode) {
	case OP_NOP:
		need = FWCTL_RPC_CONFIGURATION;
		break;
	case OP_QUERY_HCA_CAP:
		need = FWCTL_RPC_DEBUG_READ_ONLY;
		break;
	case OP_ACCESS_REG:
		if (op_mod > 1)
			return -EOPNOTSUPP;
		need = op_mod ? FWCTL_RPC_DEBUG_READ_ONLY :
				FWCTL_RPC_DEBUG_WRITE_FULL;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (rpc->scope < (uint32_t)need)
		return -EPERM;

	memset(out, 0, rpc->out_len);
	if (opcode == OP_QUERY_HCA_CAP && rpc->out_len >= HDR + PAGE) {
		out[HDR + 6] = 0x12;
		out[HDR + 7] = 0x34;		/* vhca_id */
		out[HDR + 0x13] = 17;		/* log_max_qp */
		out[HDR + 0x37] = 2;		/* num_ports */
		len = HDR + PAGE;
	} else if (opcode == OP_ACCESS_REG && reg == 0xbad) {
		out[0] = 0x03;
		syndrome = htonl(0xc0ffee);
		memcpy(out + 4, &syndrome, 4);
	} else if (opcode == OP_ACCESS_REG) {
		len = rpc->in_len < rpc->out_len ? rpc->in_len : rpc->out_len;
		for (i = HDR; i < len; i++)
			out[i] = in[i] + 1;
	}
	rpc->out_len = len;
	return 0;
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	struct stat st;
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) &&
	    (req == FWCTL_INFO || req == FWCTL_RPC)) {
		ret = req == FWCTL_INFO ? fake_info(arg) : fake_rpc(arg);
		if (ret) {
			errno = -ret;
			return -1;
		}
		return 0;
	}
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT,
								    "ioctl");
	return real_ioctl(fd, req, arg);
}
