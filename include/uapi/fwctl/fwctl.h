/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fwctl: a generic interface between user space and device firmware.
 *
 * Every registered device is a character device, /dev/fwctl/fwctlN. User
 * space sends it two ioctls: FWCTL_INFO, which identifies the driver behind
 * the node, and FWCTL_RPC, which hands a driver-specific request to the
 * device firmware and returns its reply.
 *
 * Binary layout and numbering are shared with the fwctl subsystem of
 * mainline Linux, so a tool built against either works with both.
 */
#ifndef _UAPI_FWCTL_H
#define _UAPI_FWCTL_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define FWCTL_TYPE 0x9A

/**
 * DOC: ioctl conventions
 *
 * Each ioctl takes a pointer to a structure whose first member is a __u32
 * ``size`` set by user space to the size of the structure it was compiled
 * with. The number encodes no size, so the structure can grow at its tail:
 *
 * - a ``size`` below the end of the last mandatory field fails with EINVAL;
 * - a shorter, sufficient structure is zero-extended by the kernel;
 * - a longer structure is accepted only if the bytes the kernel does not
 *   know are all zero, otherwise E2BIG.
 *
 * Errors: ENOTTY for an unknown ioctl, EOPNOTSUPP for a known field holding
 * an unsupported value, EINVAL for a malformed field, EMSGSIZE for a length
 * above the limit, EPERM for a missing capability or a scope the device
 * does not allow, EFAULT for a bad user pointer, ENOMEM, and ENODEV once the
 * device has been unregistered.
 */

enum {
	FWCTL_CMD_BASE = 0,
	FWCTL_CMD_INFO = 0,
	FWCTL_CMD_RPC = 1,
};

/**
 * enum fwctl_device_type - which driver sits behind a fwctl node
 * @FWCTL_DEVICE_TYPE_ERROR: never reported by a working device
 * @FWCTL_DEVICE_TYPE_MLX5: NVIDIA ConnectX (include/uapi/fwctl/mlx5.h)
 * @FWCTL_DEVICE_TYPE_CXL: CXL memory device (include/uapi/fwctl/cxl.h)
 * @FWCTL_DEVICE_TYPE_BNXT: Broadcom NetXtreme (reserved, same value as mainline)
 * @FWCTL_DEVICE_TYPE_PDS: AMD/Pensando DSC (reserved, same value as mainline)
 * @FWCTL_DEVICE_TYPE_ACCEL: accelerator management channel
 *	(include/uapi/fwctl/accel.h). Values 5 to 127 are left to mainline.
 * @FWCTL_DEVICE_TYPE_TEST_MOCK: the test-only mock driver; no real device
 *	ever reports it.
 *
 * The type selects the layout of the FWCTL_INFO device data and of the
 * FWCTL_RPC payloads.
 */
enum fwctl_device_type {
	FWCTL_DEVICE_TYPE_ERROR = 0,
	FWCTL_DEVICE_TYPE_MLX5 = 1,
	FWCTL_DEVICE_TYPE_CXL = 2,
	FWCTL_DEVICE_TYPE_BNXT = 3,
	FWCTL_DEVICE_TYPE_PDS = 4,
	FWCTL_DEVICE_TYPE_ACCEL = 128,
	FWCTL_DEVICE_TYPE_TEST_MOCK = 0xfff0,
};

/**
 * struct fwctl_info - argument of FWCTL_INFO
 * @size: sizeof(struct fwctl_info)
 * @flags: must be 0, otherwise EOPNOTSUPP
 * @out_device_type: set to an &enum fwctl_device_type
 * @device_data_len: on input the length of the buffer at @out_device_data;
 *	on output the length of the driver's data. Passing 0 asks only for the
 *	length the data needs.
 * @out_device_data: user buffer receiving the driver-specific data; the
 *	kernel copies min(driver length, buffer length) and zero-fills the rest
 *	of the buffer.
 *
 * Describes the device behind the node. The device data layout depends on
 * @out_device_type.
 */
struct fwctl_info {
	__u32 size;
	__u32 flags;
	__u32 out_device_type;
	__u32 device_data_len;
	__aligned_u64 out_device_data;
};

#define FWCTL_INFO _IO(FWCTL_TYPE, FWCTL_CMD_INFO)

/**
 * enum fwctl_rpc_scope - what an RPC may do to the device
 * @FWCTL_RPC_CONFIGURATION: device configuration that keeps the device
 *	fully supported by its vendor and the kernel.
 * @FWCTL_RPC_DEBUG_READ_ONLY: read-only access to debug information. Must
 *	not return secrets such as key material.
 * @FWCTL_RPC_DEBUG_WRITE: debug writes that keep the kernel's integrity but
 *	may leave the device in a state its vendor does not support. Taints
 *	the kernel.
 * @FWCTL_RPC_DEBUG_WRITE_FULL: any debug access the device allows. Needs
 *	CAP_SYS_RAWIO, is refused while the kernel is locked down, and taints
 *	the kernel.
 *
 * Every RPC names the highest scope it is allowed to reach; the driver and
 * firmware refuse a request that would go beyond it. Scopes are ordered:
 * a higher value includes everything a lower one allows.
 */
enum fwctl_rpc_scope {
	FWCTL_RPC_CONFIGURATION = 0,
	FWCTL_RPC_DEBUG_READ_ONLY = 1,
	FWCTL_RPC_DEBUG_WRITE = 2,
	FWCTL_RPC_DEBUG_WRITE_FULL = 3,
};

/* Largest in_len and out_len FWCTL_RPC accepts; beyond it: EMSGSIZE */
#define FWCTL_RPC_MAX_LEN (2 * 1024 * 1024)

/**
 * struct fwctl_rpc - argument of FWCTL_RPC
 * @size: sizeof(struct fwctl_rpc)
 * @scope: an &enum fwctl_rpc_scope, the highest scope the request may reach
 * @in_len: length of the request at @in, at most %FWCTL_RPC_MAX_LEN
 * @out_len: on input the length of the buffer at @out, at most
 *	%FWCTL_RPC_MAX_LEN; on output the length of the reply the device
 *	produced, which may exceed the buffer: the copy is then truncated.
 * @in: user pointer to the driver-specific request
 * @out: user pointer to the buffer for the driver-specific reply
 *
 * Delivers a request to the device firmware. A return of 0 means the
 * request was delivered and a reply was written; a failure reported by the
 * device or firmware is part of that reply. An error return means the
 * request was not delivered.
 */
struct fwctl_rpc {
	__u32 size;
	__u32 scope;
	__u32 in_len;
	__u32 out_len;
	__aligned_u64 in;
	__aligned_u64 out;
};

#define FWCTL_RPC _IO(FWCTL_TYPE, FWCTL_CMD_RPC)

#endif
