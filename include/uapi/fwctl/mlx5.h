/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fwctl interface for NVIDIA ConnectX devices (FWCTL_DEVICE_TYPE_MLX5).
 *
 * A request is a raw PRM command mailbox and its reply the raw output
 * mailbox, both big-endian as the firmware reads and writes them. Each
 * starts with a 16-byte header:
 *
 *   in:  opcode[16] uid[16] | reserved[16] op_mod[16] | reserved[64]
 *   out: status[8] reserved[24] | syndrome[32] | reserved[64]
 *
 * The kernel writes the uid of the file's firmware user context over the
 * uid field of every request, so whatever a request says there is ignored.
 * A reply whose status is not 0 is still a delivered RPC: the ioctl
 * returns 0 and the firmware's status and syndrome are in the reply.
 *
 * Binary-compatible with the mlx5 fwctl driver of mainline Linux.
 */
#ifndef _UAPI_FWCTL_MLX5_H_
#define _UAPI_FWCTL_MLX5_H_

#include <linux/types.h>

/**
 * struct fwctl_info_mlx5 - FWCTL_INFO device data of an mlx5 device
 * @uid: identifier of the firmware user context of the file, created when
 *	the file was opened and destroyed when it is closed. Every command the
 *	file sends carries it.
 * @uctx_caps: capability bits the user context was created with, as the
 *	PRM defines the cap field of CREATE_UCTX; 0x4 (tools resources) when
 *	the device offers it.
 */
struct fwctl_info_mlx5 {
	__u32 uid;
	__u32 uctx_caps;
};

#endif
