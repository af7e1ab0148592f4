/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake fwctl driver shared by the KUnit suites that drive the core through
 * a registered device. It records every callback so that a test can tell
 * what the core asked of the driver, and when.
 */
#ifndef __FWCTL_KUNIT_H
#define __FWCTL_KUNIT_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/fwctl.h>

#include "../fwctl_internal.h"

/**
 * enum fake_reply - how the fake fw_rpc answers
 * @FAKE_REPLY_IN_PLACE: writes the reply over the request buffer, each
 *	request byte XORed with %FAKE_XOR, then fake_pattern() up to the
 *	reply length
 * @FAKE_REPLY_NEW_BUF: returns a new kvmalloc'd buffer filled with
 *	fake_pattern()
 * @FAKE_REPLY_ERR: returns ERR_PTR(&fake_state.rpc_err)
 */
enum fake_reply {
	FAKE_REPLY_IN_PLACE,
	FAKE_REPLY_NEW_BUF,
	FAKE_REPLY_ERR,
};

#define FAKE_XOR	0x5a

/**
 * struct fake_state - behaviour and call record of one fake device
 * @open_err: errno open_uctx returns, 0 to accept the file
 * @reply: how fw_rpc answers
 * @reply_len: length of the reply; 0 means as long as the request
 * @rpc_err: errno of %FAKE_REPLY_ERR
 * @rpc_delay_us: time fw_rpc sleeps before answering, to widen races
 * @info_len: length of the data info returns
 * @info_err: errno info returns, 0 for data
 * @open_calls: successful and failed open_uctx calls
 * @close_calls: close_uctx calls
 * @info_calls: info calls
 * @rpc_calls: fw_rpc calls
 * @late_calls: callbacks that ran after fwctl_unregister() returned
 * @bad_calls: broken contracts: a file closed twice or never opened, a
 *	file that was not zeroed, an in-place reply beyond the capacity
 * @in_flight: fw_rpc calls currently running
 * @unregistered: set once fwctl_unregister() has returned
 * @released: set when the core releases the device's memory
 * @seen_cmd: @cmd of the last fw_rpc
 * @seen_scope: @scope of the last fw_rpc
 * @seen_in_len: @in_len of the last fw_rpc
 * @seen_cap: the capacity passed in *@out_len to the last fw_rpc
 * @seen_zero_tail: the last fw_rpc found its buffer zeroed beyond @in_len
 */
struct fake_state {
	int open_err;
	enum fake_reply reply;
	size_t reply_len;
	int rpc_err;
	unsigned int rpc_delay_us;
	size_t info_len;
	int info_err;

	atomic_t open_calls;
	atomic_t close_calls;
	atomic_t info_calls;
	atomic_t rpc_calls;
	atomic_t late_calls;
	atomic_t bad_calls;
	atomic_t in_flight;
	bool unregistered;
	bool released;

	const struct fwctl_cmd *seen_cmd;
	u32 seen_scope;
	size_t seen_in_len;
	size_t seen_cap;
	bool seen_zero_tail;
};

/**
 * struct fake_fwctl - the fake driver's device structure
 * @fwctl: the core's part, first as the core requires
 * @st: behaviour and call record, owned by the test so that it outlives
 *	the device
 */
struct fake_fwctl {
	struct fwctl_device fwctl;
	struct fake_state *st;
};

extern const struct fwctl_ops fake_ops;
extern const struct fwctl_ops fake_ops_noinfo;
extern const struct fwctl_ops fake_ops_table;
extern const struct fwctl_cmd_table fake_table;
extern const struct fwctl_cmd_table fake_table_alt;

/* Indexes into fake_table.cmds */
enum {
	FAKE_CMD_QUERY,		/* id 0x10, configuration, in 8..64 */
	FAKE_CMD_DEBUG,		/* id 0x20, debug write, in 8..8 */
	FAKE_CMD_BIG_OUT,	/* id 0x30, read-only, out 4..64 */
};

#define FAKE_CMD_QUERY_ID	0x10
#define FAKE_CMD_DEBUG_ID	0x20
#define FAKE_CMD_BIG_OUT_ID	0x30
#define FAKE_CMD_BIG_OUT_MAX	64
#define FAKE_CMD_ALT_ID		0x40

int fake_test_init(struct kunit *test);
struct device *fake_parent(struct kunit *test);
int fake_watch_release(struct fake_fwctl *fake);
struct fake_fwctl *fake_alloc(struct kunit *test, const struct fwctl_ops *ops);
struct fake_fwctl *fake_create(struct kunit *test, const struct fwctl_ops *ops);
void fake_register(struct kunit *test, struct fake_fwctl *fake);
void fake_unregister(struct kunit *test, struct fake_fwctl *fake);
void fake_put(struct kunit *test, struct fake_fwctl *fake);
struct fwctl_uctx *fake_open(struct kunit *test, struct fake_fwctl *fake);
void fake_close(struct kunit *test, struct fwctl_uctx *uctx);
void __user *fake_umem(struct kunit *test, size_t len);
void __user *fake_umem_guarded(struct kunit *test, size_t len);
u8 fake_pattern(size_t i);

#endif
