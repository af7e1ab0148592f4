/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Request and reply format of the simulated firmware behind the fwctl mock
 * device (FWCTL_DEVICE_TYPE_TEST_MOCK). This is not uAPI: only the fwctl
 * selftests use it, by relative path, and it may change with them.
 *
 * A request is a &struct fwctl_mock_req header followed by a payload whose
 * layout depends on the opcode; a reply is a &struct fwctl_mock_rsp header
 * followed by a payload. Both are little-endian, like the firmware
 * mailboxes the mock imitates. A request the mock cannot parse is refused
 * with an errno before it reaches the firmware; a request the firmware
 * rejects is answered with a non-zero status and the ioctl returns 0.
 */
#ifndef __FWCTL_MOCK_H
#define __FWCTL_MOCK_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * enum fwctl_mock_op - opcodes of the simulated firmware
 * @FWCTL_MOCK_OP_ECHO: (configuration) reply with the request payload,
 *	of at most %FWCTL_MOCK_ECHO_MAX bytes
 * @FWCTL_MOCK_OP_COUNTERS: (debug read-only) no payload; reply with a
 *	&struct fwctl_mock_counters
 * @FWCTL_MOCK_OP_REG_READ: (debug read-only) payload &struct fwctl_mock_reg
 *	with @val zero; reply with the register and its value
 * @FWCTL_MOCK_OP_REG_WRITE: (debug write) payload &struct fwctl_mock_reg;
 *	reply with the register and its previous value. The read-only
 *	register %FWCTL_MOCK_REG_ID answers %FWCTL_MOCK_STATUS_DENIED.
 * @FWCTL_MOCK_OP_REG_WRITE_RAW: (debug write full) like
 *	%FWCTL_MOCK_OP_REG_WRITE, and may write %FWCTL_MOCK_REG_ID too
 * @FWCTL_MOCK_OP_FW_ERROR: (configuration) payload
 *	&struct fwctl_mock_fw_error; the firmware fails the command with the
 *	status and syndrome it names
 * @FWCTL_MOCK_OP_SLEEP: (configuration) payload &struct fwctl_mock_sleep;
 *	the firmware takes that long to answer, and stops early with
 *	%FWCTL_MOCK_STATUS_ABORTED when the caller gets a signal. The reply
 *	payload is a &struct fwctl_mock_sleep with the time actually taken.
 */
enum fwctl_mock_op {
	FWCTL_MOCK_OP_ECHO = 1,
	FWCTL_MOCK_OP_COUNTERS = 2,
	FWCTL_MOCK_OP_REG_READ = 3,
	FWCTL_MOCK_OP_REG_WRITE = 4,
	FWCTL_MOCK_OP_REG_WRITE_RAW = 5,
	FWCTL_MOCK_OP_FW_ERROR = 6,
	FWCTL_MOCK_OP_SLEEP = 7,
};

/**
 * enum fwctl_mock_status - firmware status in &struct fwctl_mock_rsp
 * @FWCTL_MOCK_STATUS_OK: the command succeeded
 * @FWCTL_MOCK_STATUS_BAD_PARAM: a payload value is out of range
 * @FWCTL_MOCK_STATUS_DENIED: the firmware refuses the command at the scope
 *	it was sent with
 * @FWCTL_MOCK_STATUS_ABORTED: the command was interrupted before its end
 *
 * %FWCTL_MOCK_OP_FW_ERROR reports any value the request asks for.
 */
enum fwctl_mock_status {
	FWCTL_MOCK_STATUS_OK = 0,
	FWCTL_MOCK_STATUS_BAD_PARAM = 1,
	FWCTL_MOCK_STATUS_DENIED = 2,
	FWCTL_MOCK_STATUS_ABORTED = 3,
};

/*
 * Longest payload FWCTL_MOCK_OP_ECHO takes and returns: a request of
 * 2 MiB - 16 bytes, so that RPCs up to FWCTL_RPC_MAX_LEN can be measured
 * while one byte more is still refused by the command table
 */
#define FWCTL_MOCK_ECHO_MAX		(2 * 1024 * 1024 - 32)
/* Longest FWCTL_MOCK_OP_SLEEP and per-RPC delay the mock accepts, in ms */
#define FWCTL_MOCK_SLEEP_MAX_MS		2000
/* Number of debug registers; register 0 is read-only below full debug */
#define FWCTL_MOCK_NUM_REGS		16
#define FWCTL_MOCK_REG_ID		0
/* Value of FWCTL_MOCK_REG_ID after probe, ORed with the device index */
#define FWCTL_MOCK_ID_VALUE		0x4d4f0000
/* &struct fwctl_mock_info.magic */
#define FWCTL_MOCK_INFO_MAGIC		0x6b636f6d
#define FWCTL_MOCK_INFO_VERSION		1

/**
 * struct fwctl_mock_req - request header
 * @opcode: an &enum fwctl_mock_op
 * @flags: must be 0, otherwise the RPC fails with EOPNOTSUPP
 * @len: length of the payload that follows; must be the request length
 *	minus this header, otherwise the RPC fails with EINVAL
 * @reserved: must be 0, otherwise the RPC fails with EINVAL
 * @payload: the opcode's payload
 */
struct fwctl_mock_req {
	__le32 opcode;
	__le32 flags;
	__le32 len;
	__le32 reserved;
	__u8 payload[];
};

/**
 * struct fwctl_mock_rsp - reply header
 * @opcode: the request's opcode
 * @status: an &enum fwctl_mock_status
 * @syndrome: detail of a failure, 0 on success
 * @len: length of the payload that follows
 * @payload: the opcode's reply payload
 */
struct fwctl_mock_rsp {
	__le32 opcode;
	__le32 status;
	__le32 syndrome;
	__le32 len;
	__u8 payload[];
};

/**
 * struct fwctl_mock_reg - a debug register and its value
 * @reg: register index, below %FWCTL_MOCK_NUM_REGS
 * @val: value to write, or value read
 */
struct fwctl_mock_reg {
	__le32 reg;
	__le32 val;
};

/**
 * struct fwctl_mock_fw_error - payload of %FWCTL_MOCK_OP_FW_ERROR
 * @status: status the firmware answers with
 * @syndrome: syndrome the firmware answers with
 */
struct fwctl_mock_fw_error {
	__le32 status;
	__le32 syndrome;
};

/**
 * struct fwctl_mock_sleep - payload of %FWCTL_MOCK_OP_SLEEP
 * @msecs: request: how long to take, at most %FWCTL_MOCK_SLEEP_MAX_MS;
 *	reply: how long was taken
 * @reserved: must be 0
 */
struct fwctl_mock_sleep {
	__le32 msecs;
	__le32 reserved;
};

/**
 * struct fwctl_mock_counters - reply payload of %FWCTL_MOCK_OP_COUNTERS
 * @uctx_rpcs: RPCs the firmware answered on this file, this one included
 * @dev_rpcs: RPCs the firmware answered on this device, this one included
 * @dev_opens: files opened on this device since it was bound
 * @uctx_id: identifier of this file's firmware context
 * @dev_uctxs: files open on this device now
 */
struct fwctl_mock_counters {
	__le64 uctx_rpcs;
	__le64 dev_rpcs;
	__le64 dev_opens;
	__le32 uctx_id;
	__le32 dev_uctxs;
};

/**
 * struct fwctl_mock_info - device data of FWCTL_INFO, in CPU byte order
 * @magic: %FWCTL_MOCK_INFO_MAGIC
 * @version: %FWCTL_MOCK_INFO_VERSION
 * @dev_index: the mock device's index, the id of its platform device
 * @uctx_id: identifier of the caller's firmware context, unique on the
 *	device while it stays bound
 * @num_regs: %FWCTL_MOCK_NUM_REGS
 * @max_sleep_ms: %FWCTL_MOCK_SLEEP_MAX_MS
 */
struct fwctl_mock_info {
	__u32 magic;
	__u32 version;
	__u32 dev_index;
	__u32 uctx_id;
	__u32 num_regs;
	__u32 max_sleep_ms;
};

/**
 * struct fwctl_mock_floor - argument of %FWCTL_MOCK_FLOOR_COPY
 * @size: sizeof(struct fwctl_mock_floor)
 * @reserved: must be 0
 * @in_len: bytes to copy in from @in, at most 2 MiB
 * @out_len: bytes to copy out to @out, at most 2 MiB
 * @in: user pointer to the source
 * @out: user pointer to the destination
 *
 * Laid out like &struct fwctl_rpc, so that the argument costs the same to
 * copy.
 */
struct fwctl_mock_floor {
	__u32 size;
	__u32 reserved;
	__u32 in_len;
	__u32 out_len;
	__aligned_u64 in;
	__aligned_u64 out;
};

/*
 * The baseline of the benchmarks, on /dev/fwctl_mock_floor: an ioctl that
 * copies its argument in, allocates a buffer of max(in_len, out_len)
 * bytes, copies @in_len bytes into it and @out_len bytes of it back out,
 * frees it and copies its argument back: what an RPC costs without fwctl
 * and without a device.
 */
#define FWCTL_MOCK_FLOOR_NAME		"fwctl_mock_floor"
#define FWCTL_MOCK_FLOOR_COPY		_IO(0x9A, 0xe0)

#endif
