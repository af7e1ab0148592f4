/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fwctl accelerator management channel (FWCTL_DEVICE_TYPE_ACCEL).
 *
 * An RPC carries one message: a &struct fwctl_accel_req header followed by
 * a list of transactions, each starting with a &struct fwctl_accel_trans
 * header. The reply is a &struct fwctl_accel_rsp header followed by one
 * record per transaction, in the same order, each starting with a
 * &struct fwctl_accel_trans_rsp. Messages are little-endian.
 *
 * No transaction names a host address. Device memory is named by a region
 * handle and an offset in the region, or, at FWCTL_RPC_DEBUG_WRITE_FULL
 * only, by an offset from the start of device memory; the kernel stages
 * every transfer in memory it allocated and mapped itself.
 *
 * Documentation/userspace-api/fwctl/fwctl-accel.rst describes the format,
 * the scopes and the error contract.
 */
#ifndef _UAPI_FWCTL_ACCEL_H
#define _UAPI_FWCTL_ACCEL_H

#include <linux/types.h>

/* &struct fwctl_accel_req.opcode of a transaction list */
#define FWCTL_ACCEL_OP_TRANSACT		1

/* Most transactions in one RPC */
#define FWCTL_ACCEL_MAX_TRANS		32
/* Longest request, header included */
#define FWCTL_ACCEL_MAX_REQ_LEN		(64 * 1024)
/* Longest reply, header included */
#define FWCTL_ACCEL_MAX_RSP_LEN		(64 * 1024)
/* Longest transfer of one transaction; a device may accept less */
#define FWCTL_ACCEL_MAX_XFER		4096
/* Transactions and their reply records are multiples of this length */
#define FWCTL_ACCEL_ALIGN		8

/**
 * enum fwctl_accel_trans_type - transaction types, with the lowest scope
 *	each needs
 * @FWCTL_ACCEL_TRANS_IDENTIFY: (configuration) no payload; replies with a
 *	&struct fwctl_accel_identify
 * @FWCTL_ACCEL_TRANS_STATUS: (configuration) no payload; checks that the
 *	device answers and replies with a &struct fwctl_accel_state
 * @FWCTL_ACCEL_TRANS_COMPUTE: (configuration) &struct
 *	fwctl_accel_trans_compute; runs a job on the compute unit and replies
 *	with a &struct fwctl_accel_compute_rsp
 * @FWCTL_ACCEL_TRANS_REGION_GRANT: (configuration) &struct
 *	fwctl_accel_trans_grant; gives the file a zeroed region of device
 *	memory and replies with a &struct fwctl_accel_region
 * @FWCTL_ACCEL_TRANS_REGION_RELEASE: (configuration) &struct
 *	fwctl_accel_trans_release; gives back a region of the file's own
 * @FWCTL_ACCEL_TRANS_MEM_READ: (debug read-only) &struct
 *	fwctl_accel_trans_mem naming a region of the file's own; the device
 *	copies that range to the kernel, the reply record carries the data.
 *	A region of another file needs debug write full.
 * @FWCTL_ACCEL_TRANS_MEM_WRITE: (debug write) &struct fwctl_accel_trans_mem
 *	naming a region of the file's own, followed by the data; the device
 *	copies the data from the kernel. A region of another file needs debug
 *	write full.
 * @FWCTL_ACCEL_TRANS_MEM_READ_RAW: (debug write full) like
 *	%FWCTL_ACCEL_TRANS_MEM_READ at an offset from the start of device
 *	memory, whoever owns it; the handle must be 0
 * @FWCTL_ACCEL_TRANS_MEM_WRITE_RAW: (debug write full) like
 *	%FWCTL_ACCEL_TRANS_MEM_WRITE at an offset from the start of device
 *	memory; the handle must be 0
 * @FWCTL_ACCEL_TRANS_REG_READ: (debug read-only) &struct
 *	fwctl_accel_trans_reg with a zero value; reads a device register and
 *	replies with a &struct fwctl_accel_reg_rsp
 * @FWCTL_ACCEL_TRANS_REG_WRITE: (debug write full) &struct
 *	fwctl_accel_trans_reg; writes a device register. Registers that
 *	program the DMA engine are refused at every scope.
 */
enum fwctl_accel_trans_type {
	FWCTL_ACCEL_TRANS_IDENTIFY = 1,
	FWCTL_ACCEL_TRANS_STATUS = 2,
	FWCTL_ACCEL_TRANS_COMPUTE = 3,
	FWCTL_ACCEL_TRANS_REGION_GRANT = 4,
	FWCTL_ACCEL_TRANS_REGION_RELEASE = 5,
	FWCTL_ACCEL_TRANS_MEM_READ = 6,
	FWCTL_ACCEL_TRANS_MEM_WRITE = 7,
	FWCTL_ACCEL_TRANS_MEM_READ_RAW = 8,
	FWCTL_ACCEL_TRANS_MEM_WRITE_RAW = 9,
	FWCTL_ACCEL_TRANS_REG_READ = 10,
	FWCTL_ACCEL_TRANS_REG_WRITE = 11,
};

/**
 * enum fwctl_accel_status - outcome of one transaction, in its reply record
 * @FWCTL_ACCEL_STATUS_OK: done
 * @FWCTL_ACCEL_STATUS_NOT_RUN: not attempted, because an earlier
 *	transaction of the list failed
 * @FWCTL_ACCEL_STATUS_TIMEOUT: the device did not complete in time. For a
 *	transfer the kernel keeps its buffer mapped until the device is seen
 *	idle, and the device memory range holds unknown data.
 * @FWCTL_ACCEL_STATUS_BUSY: the unit needed was still busy with an earlier
 *	job that timed out or was started by a raw register write
 * @FWCTL_ACCEL_STATUS_NO_SPACE: no free region slot or no free range of
 *	device memory large enough for a grant
 * @FWCTL_ACCEL_STATUS_DEVICE_ERROR: the driver found the device in a state
 *	it cannot handle; the transaction did not run. Never expected of a
 *	working device and driver.
 *
 * Transactions run in order; the first one that does not end with
 * %FWCTL_ACCEL_STATUS_OK stops the list.
 */
enum fwctl_accel_status {
	FWCTL_ACCEL_STATUS_OK = 0,
	FWCTL_ACCEL_STATUS_NOT_RUN = 1,
	FWCTL_ACCEL_STATUS_TIMEOUT = 2,
	FWCTL_ACCEL_STATUS_BUSY = 3,
	FWCTL_ACCEL_STATUS_NO_SPACE = 4,
	FWCTL_ACCEL_STATUS_DEVICE_ERROR = 5,
};

/**
 * struct fwctl_accel_req - request header
 * @opcode: %FWCTL_ACCEL_OP_TRANSACT; any other value fails with EOPNOTSUPP
 * @flags: must be 0
 * @count: number of transactions that follow, 1 to %FWCTL_ACCEL_MAX_TRANS
 * @len: length of the whole request, this header included; must equal the
 *	RPC's in_len
 * @trans: the transactions, back to back
 */
struct fwctl_accel_req {
	__le32 opcode;
	__le32 flags;
	__le32 count;
	__le32 len;
	__u8 trans[];
};

/**
 * struct fwctl_accel_trans - transaction header
 * @type: an &enum fwctl_accel_trans_type
 * @len: length of the transaction, this header included: a multiple of
 *	%FWCTL_ACCEL_ALIGN, exactly the size of the type's structure, or for
 *	the writes that size plus the data rounded up to %FWCTL_ACCEL_ALIGN
 */
struct fwctl_accel_trans {
	__le32 type;
	__le32 len;
};

/* &struct fwctl_accel_trans_compute.op */
#define FWCTL_ACCEL_COMPUTE_FACTORIAL	1

/**
 * struct fwctl_accel_trans_compute - %FWCTL_ACCEL_TRANS_COMPUTE
 * @hdr: header
 * @op: %FWCTL_ACCEL_COMPUTE_FACTORIAL
 * @operand: the job's input, at most &fwctl_accel_identify.compute_max
 */
struct fwctl_accel_trans_compute {
	struct fwctl_accel_trans hdr;
	__le32 op;
	__le32 operand;
};

/**
 * struct fwctl_accel_trans_grant - %FWCTL_ACCEL_TRANS_REGION_GRANT
 * @hdr: header
 * @size: bytes wanted, 1 to &fwctl_accel_identify.max_region; rounded up
 *	to &fwctl_accel_identify.mem_granule
 * @flags: must be 0
 */
struct fwctl_accel_trans_grant {
	struct fwctl_accel_trans hdr;
	__le32 size;
	__le32 flags;
};

/**
 * struct fwctl_accel_trans_release - %FWCTL_ACCEL_TRANS_REGION_RELEASE
 * @hdr: header
 * @handle: a handle a grant on this file returned
 * @reserved: must be 0
 */
struct fwctl_accel_trans_release {
	struct fwctl_accel_trans hdr;
	__le32 handle;
	__le32 reserved;
};

/**
 * struct fwctl_accel_trans_mem - a device memory read or write
 * @hdr: header
 * @handle: region handle; 0 for the raw transactions
 * @offset: offset in the region, or in device memory for the raw
 *	transactions
 * @length: bytes to move, 1 to &fwctl_accel_identify.max_xfer; the range
 *	must lie inside the region (or device memory)
 * @reserved: must be 0
 * @data: for the writes, @length bytes of data, then zero padding up to
 *	%FWCTL_ACCEL_ALIGN; nothing for the reads
 */
struct fwctl_accel_trans_mem {
	struct fwctl_accel_trans hdr;
	__le32 handle;
	__le32 offset;
	__le32 length;
	__le32 reserved;
	__u8 data[];
};

/**
 * struct fwctl_accel_trans_reg - a device register access
 * @hdr: header
 * @reg: byte offset of a 32-bit register the device lists
 * @value: value to write; must be 0 for %FWCTL_ACCEL_TRANS_REG_READ
 */
struct fwctl_accel_trans_reg {
	struct fwctl_accel_trans hdr;
	__le32 reg;
	__le32 value;
};

/**
 * struct fwctl_accel_rsp - reply header
 * @status: %FWCTL_ACCEL_STATUS_OK, or the status of the transaction that
 *	stopped the list
 * @done: transactions attempted, the one that stopped the list included
 * @count: reply records that follow, one per transaction of the request
 * @len: length of the whole reply, this header included
 * @records: the records, back to back
 */
struct fwctl_accel_rsp {
	__le32 status;
	__le32 done;
	__le32 count;
	__le32 len;
	__u8 records[];
};

/**
 * struct fwctl_accel_trans_rsp - reply record header
 * @type: the transaction's type
 * @len: length of the record, this header included: a multiple of
 *	%FWCTL_ACCEL_ALIGN that depends on the request alone
 * @status: an &enum fwctl_accel_status
 * @reserved: 0
 *
 * The payload that follows is zero unless @status is
 * %FWCTL_ACCEL_STATUS_OK.
 */
struct fwctl_accel_trans_rsp {
	__le32 type;
	__le32 len;
	__le32 status;
	__le32 reserved;
};

/**
 * struct fwctl_accel_identify - reply payload of %FWCTL_ACCEL_TRANS_IDENTIFY
 * @hw_id: the device's identification register
 * @hw_rev: the device's revision
 * @mem_size: bytes of device memory the transactions can reach
 * @mem_granule: regions are multiples of this many bytes
 * @max_xfer: longest transfer of one transaction
 * @max_region: largest region a grant gives
 * @max_regions: regions the device can hand out, to all files together
 * @compute_max: largest operand of %FWCTL_ACCEL_TRANS_COMPUTE
 */
struct fwctl_accel_identify {
	__le32 hw_id;
	__le32 hw_rev;
	__le32 mem_size;
	__le32 mem_granule;
	__le32 max_xfer;
	__le32 max_region;
	__le32 max_regions;
	__le32 compute_max;
};

/* &struct fwctl_accel_state.flags */
#define FWCTL_ACCEL_STATE_ALIVE		(1U << 0) /* liveness check passed */
#define FWCTL_ACCEL_STATE_DMA_BUSY	(1U << 1) /* DMA engine running */
#define FWCTL_ACCEL_STATE_COMPUTE_BUSY	(1U << 2) /* compute unit running */

/**
 * struct fwctl_accel_state - reply payload of %FWCTL_ACCEL_TRANS_STATUS
 * @flags: FWCTL_ACCEL_STATE_* flags
 * @regions: regions this file owns
 * @free_granules: granules of device memory no region holds
 * @quarantined: transfer buffers held back after a timeout, until the
 *	device is seen idle
 * @transfers: transfers the device completed since it was bound
 * @timeouts: transfers and jobs that timed out since it was bound
 */
struct fwctl_accel_state {
	__le32 flags;
	__le32 regions;
	__le32 free_granules;
	__le32 quarantined;
	__le64 transfers;
	__le64 timeouts;
};

/**
 * struct fwctl_accel_compute_rsp - reply payload of
 *	%FWCTL_ACCEL_TRANS_COMPUTE
 * @result: the job's result (a factorial modulo 2^32)
 * @reserved: 0
 */
struct fwctl_accel_compute_rsp {
	__le32 result;
	__le32 reserved;
};

/**
 * struct fwctl_accel_region - reply payload of
 *	%FWCTL_ACCEL_TRANS_REGION_GRANT
 * @handle: names the region in later transactions of this file; never 0
 * @offset: where the region starts in device memory
 * @size: its size, the request rounded up to the granule
 * @reserved: 0
 */
struct fwctl_accel_region {
	__le32 handle;
	__le32 offset;
	__le32 size;
	__le32 reserved;
};

/**
 * struct fwctl_accel_reg_rsp - reply payload of %FWCTL_ACCEL_TRANS_REG_READ
 * @reg: the register
 * @value: its value
 */
struct fwctl_accel_reg_rsp {
	__le32 reg;
	__le32 value;
};

/* &struct fwctl_accel_info.version */
#define FWCTL_ACCEL_INFO_VERSION	1

/**
 * struct fwctl_accel_info - device data of FWCTL_INFO, in CPU byte order
 * @version: %FWCTL_ACCEL_INFO_VERSION
 * @hw_id: as &fwctl_accel_identify.hw_id
 * @mem_size: as &fwctl_accel_identify.mem_size
 * @mem_granule: as &fwctl_accel_identify.mem_granule
 * @max_xfer: as &fwctl_accel_identify.max_xfer
 * @max_region: as &fwctl_accel_identify.max_region
 * @max_regions: as &fwctl_accel_identify.max_regions
 * @compute_max: as &fwctl_accel_identify.compute_max
 * @max_trans: %FWCTL_ACCEL_MAX_TRANS
 * @max_req_len: %FWCTL_ACCEL_MAX_REQ_LEN
 * @max_rsp_len: %FWCTL_ACCEL_MAX_RSP_LEN
 * @timeout_ms: how long the kernel waits for a transfer or a job
 */
struct fwctl_accel_info {
	__u32 version;
	__u32 hw_id;
	__u32 mem_size;
	__u32 mem_granule;
	__u32 max_xfer;
	__u32 max_region;
	__u32 max_regions;
	__u32 compute_max;
	__u32 max_trans;
	__u32 max_req_len;
	__u32 max_rsp_len;
	__u32 timeout_ms;
};

#endif
