/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fwctl interface for CXL memory devices (FWCTL_DEVICE_TYPE_CXL).
 *
 * Every request is a CXL mailbox command wrapped in &struct fwctl_rpc_cxl,
 * every reply a &struct fwctl_rpc_cxl_out. The Features commands (Get
 * Supported Features, Get Feature, Set Feature) have the binary layout of
 * mainline Linux; any other command the device lists in its Command
 * Effects Log is carried raw, behind the same 16-byte header.
 *
 * Payloads are little-endian as on the CXL mailbox. The header fields
 * (opcode, flags, op_size, size, retval) are in host order.
 */
#ifndef _UAPI_FWCTL_CXL_H_
#define _UAPI_FWCTL_CXL_H_

#include <linux/stddef.h>
#include <linux/types.h>

/* Mailbox opcodes with a layout in this header */
#define FWCTL_CXL_OP_GET_SUPPORTED_FEATURES	0x0500
#define FWCTL_CXL_OP_GET_FEATURE		0x0501
#define FWCTL_CXL_OP_SET_FEATURE		0x0502

/**
 * struct cxl_mbox_get_sup_feats_in - Get Supported Features input
 * @count: number of bytes of output payload wanted, the 8-byte
 *	&struct cxl_mbox_get_sup_feats_out header included
 * @start_idx: index of the first feature entry to return
 * @reserved: must be 0
 */
struct cxl_mbox_get_sup_feats_in {
	__le32 count;
	__le16 start_idx;
	__u8 reserved[2];
} __attribute__((__packed__));

/* &cxl_feat_entry.flags: Set Feature may change the feature */
#define FWCTL_CXL_FEAT_F_CHANGEABLE		0x00000001

/**
 * struct cxl_feat_entry - one entry of the Get Supported Features reply
 * @uuid: identifies the feature
 * @id: index of the entry in the device's list
 * @get_feat_size: bytes of data Get Feature returns for the feature
 * @set_feat_size: bytes of data Set Feature takes; 0 when it cannot be set
 *	through fwctl
 * @flags: attribute flags, FWCTL_CXL_FEAT_F_* among them
 * @get_feat_ver: version of the Get Feature data layout
 * @set_feat_ver: version of the Set Feature data layout
 * @effects: effects of Set Feature, FWCTL_CXL_EFFECT_* bits
 * @reserved: reserved by the specification
 *
 * A feature the kernel drives itself is reported with
 * %FWCTL_CXL_FEAT_F_CHANGEABLE clear and @set_feat_size 0.
 */
struct cxl_feat_entry {
	__u8 uuid[16];
	__le16 id;
	__le16 get_feat_size;
	__le16 set_feat_size;
	__le32 flags;
	__u8 get_feat_ver;
	__u8 set_feat_ver;
	__le16 effects;
	__u8 reserved[18];
} __attribute__((__packed__));

/**
 * struct cxl_mbox_get_sup_feats_out - Get Supported Features reply
 * @num_entries: number of entries in @ents
 * @supported_feats: number of features the device supports in total
 * @reserved: reserved by the specification
 * @ents: the entries, from the requested start index on
 */
struct cxl_mbox_get_sup_feats_out {
	__le16 num_entries;
	__le16 supported_feats;
	__u8 reserved[4];
	struct cxl_feat_entry ents[];
} __attribute__((__packed__));

/* &cxl_mbox_get_feat_in.selection values */
#define FWCTL_CXL_FEAT_SEL_CURRENT		0
#define FWCTL_CXL_FEAT_SEL_DEFAULT		1
#define FWCTL_CXL_FEAT_SEL_SAVED		2

/**
 * struct cxl_mbox_get_feat_in - Get Feature input
 * @uuid: the feature
 * @offset: first byte of the feature data to return
 * @count: bytes of feature data to return; the reply buffer must hold
 *	them. The kernel splits reads longer than the mailbox payload.
 * @selection: which value to read, FWCTL_CXL_FEAT_SEL_*
 */
struct cxl_mbox_get_feat_in {
	__u8 uuid[16];
	__le16 offset;
	__le16 count;
	__u8 selection;
} __attribute__((__packed__));

/*
 * &cxl_mbox_set_feat_hdr.flags. The data transfer field (bits 2:0) must be
 * FWCTL_CXL_SET_FEAT_FLAG_FULL_DATA_TRANSFER: the kernel splits the data
 * into mailbox-sized parts itself, so that no transfer is left half done.
 */
#define FWCTL_CXL_SET_FEAT_FLAG_DATA_TRANSFER_MASK	0x00000007
#define FWCTL_CXL_SET_FEAT_FLAG_FULL_DATA_TRANSFER	0x00000000
#define FWCTL_CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET	0x00000008

/**
 * struct cxl_mbox_set_feat_hdr - Set Feature input header
 * @uuid: the feature
 * @flags: FWCTL_CXL_SET_FEAT_FLAG_* flags
 * @offset: must be 0: the whole data is transferred
 * @version: version of the data layout, &cxl_feat_entry.set_feat_ver
 * @reserved: must be 0
 */
struct cxl_mbox_set_feat_hdr {
	__u8 uuid[16];
	__le32 flags;
	__le16 offset;
	__u8 version;
	__u8 reserved[9];
} __attribute__((__packed__));

/**
 * struct cxl_mbox_set_feat_in - Set Feature input
 * @hdr: the header
 * @feat_data: the feature data, &fwctl_rpc_cxl.op_size minus the header
 */
struct cxl_mbox_set_feat_in {
	struct cxl_mbox_set_feat_hdr hdr;
	__u8 feat_data[];
} __attribute__((__packed__));

/**
 * struct fwctl_rpc_cxl_hdr - header of every CXL request
 * @opcode: the CXL mailbox opcode
 * @flags: must be 0
 * @op_size: length of the command's input, from the end of the header
 * @reserved1: must be 0
 */
struct fwctl_rpc_cxl_hdr {
	__u32 opcode;
	__u32 flags;
	__u32 op_size;
	__u32 reserved1;
};

/**
 * struct fwctl_rpc_cxl - FWCTL_RPC request for a CXL device
 * @hdr: the header as one structure, aliasing the four fields after it
 * @opcode: the CXL mailbox opcode
 * @flags: must be 0
 * @op_size: length of the command's input, from the end of the header
 * @reserved1: must be 0
 * @get_sup_feats_in: input of Get Supported Features
 * @get_feat_in: input of Get Feature
 * @set_feat_in: input of Set Feature, whose data follows
 * @payload: input payload of any other command, @op_size bytes
 *
 * For the Features commands @op_size is the size of their input structure
 * (for Set Feature, with its data), and the request may be padded up to
 * sizeof(struct fwctl_rpc_cxl). For any other command the request is the
 * header followed by exactly @op_size bytes of mailbox input payload, so
 * &fwctl_rpc.in_len is 16 + @op_size.
 */
struct fwctl_rpc_cxl {
	union {
		struct fwctl_rpc_cxl_hdr hdr;
		struct {
			__u32 opcode;
			__u32 flags;
			__u32 op_size;
			__u32 reserved1;
		};
	};
	union {
		struct cxl_mbox_get_sup_feats_in get_sup_feats_in;
		struct cxl_mbox_get_feat_in get_feat_in;
		struct cxl_mbox_set_feat_in set_feat_in;
		__DECLARE_FLEX_ARRAY(__u8, payload);
	};
};

/**
 * struct fwctl_rpc_cxl_out_hdr - header of every CXL reply
 * @size: bytes of output payload that follow the header
 * @retval: the mailbox return code
 */
struct fwctl_rpc_cxl_out_hdr {
	__u32 size;
	__u32 retval;
};

/**
 * struct fwctl_rpc_cxl_out - FWCTL_RPC reply of a CXL device
 * @hdr: the header as one structure, aliasing the two fields after it
 * @size: bytes of output payload that follow the header
 * @retval: the mailbox return code, 0 on success; on failure @size is 0
 *	or the bytes transferred before the failure
 * @get_sup_feats_out: reply of Get Supported Features
 * @payload: output payload of any other command
 *
 * The reply buffer (&fwctl_rpc.out_len) must hold the header and all the
 * output the request asks for, otherwise the request fails with EINVAL
 * before it is sent.
 */
struct fwctl_rpc_cxl_out {
	union {
		struct fwctl_rpc_cxl_out_hdr hdr;
		struct {
			__u32 size;
			__u32 retval;
		};
	};
	union {
		struct cxl_mbox_get_sup_feats_out get_sup_feats_out;
		__DECLARE_FLEX_ARRAY(__u8, payload);
	};
};

/*
 * Command Effect bits of the CXL Command Effects Log and of
 * &cxl_feat_entry.effects
 */
#define FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET	0x0001
#define FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE	0x0002
#define FWCTL_CXL_EFFECT_DATA_CHANGE_IMMEDIATE		0x0004
#define FWCTL_CXL_EFFECT_POLICY_CHANGE_IMMEDIATE	0x0008
#define FWCTL_CXL_EFFECT_LOG_CHANGE_IMMEDIATE		0x0010
#define FWCTL_CXL_EFFECT_SECURITY_STATE_CHANGE		0x0020
#define FWCTL_CXL_EFFECT_BACKGROUND			0x0040
#define FWCTL_CXL_EFFECT_SECONDARY_MBOX_SUPPORTED	0x0080
#define FWCTL_CXL_EFFECT_BG_ABORT_SUPPORTED		0x0100
/* Bit 9 reads differently across CXL revisions: see fwctl-cxl.rst */
#define FWCTL_CXL_EFFECT_VALID				0x0200
#define FWCTL_CXL_EFFECT_CONFIG_CHANGE_CONV_RESET	0x0400
#define FWCTL_CXL_EFFECT_CONFIG_CHANGE_CXL_RESET	0x0800
#define FWCTL_CXL_EFFECT_RESERVED			0xf000

/**
 * struct fwctl_cxl_command - a command the device accepts through fwctl
 * @opcode: the mailbox opcode
 * @effects: its effects as the device's Command Effects Log lists them
 * @scope: the lowest &enum fwctl_rpc_scope an RPC needs to send it; Set
 *	Feature needs more for features with stronger effects
 */
struct fwctl_cxl_command {
	__u16 opcode;
	__u16 effects;
	__u32 scope;
};

/**
 * struct fwctl_info_cxl - FWCTL_INFO device data of a CXL device
 * @reserved: 0; mainline's data is this field alone
 * @payload_size: bytes of the device's mailbox payload
 * @nr_commands: number of entries in @commands
 * @nr_features: number of features Get Supported Features reports
 * @commands: the commands the device accepts, in the order of its
 *	Command Effects Log
 *
 * A call with &fwctl_info.device_data_len 0 returns the length needed.
 */
struct fwctl_info_cxl {
	__u32 reserved;
	__u32 payload_size;
	__u32 nr_commands;
	__u32 nr_features;
	struct fwctl_cxl_command commands[];
};

#endif
