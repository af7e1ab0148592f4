// SPDX-License-Identifier: GPL-2.0
/*
 * Command tables: one description of what a driver lets user space send,
 * checked by the core before the driver looks at a request.
 *
 * Drivers used to grow a switch over opcodes in their RPC callback and
 * each forgot a length check somewhere. A table puts the scope and the
 * length bounds of every command in one place that tools, documentation
 * and reviewers can read, and the checks in one place that is tested.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/fwctl.h>
#include <linux/minmax.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "fwctl_internal.h"

/*
 * Reads the key described by @field from a request of @in_len bytes.
 * Returns -EINVAL when the request is too short to hold it. This and the
 * lookup below are inlined into __fwctl_cmd_check(), which the core calls
 * on every RPC: one call instead of four.
 */
static __always_inline int
fwctl_cmd_field_read(const struct fwctl_cmd_field *field, const void *in,
		     size_t in_len, u32 *val)
{
	const u8 *p = (const u8 *)in + field->offset;
	bool be = field->flags & FWCTL_FIELD_BE;

	*val = 0;
	if (!field->width)
		return 0;
	if (in_len < (size_t)field->offset + field->width)
		return -EINVAL;

	switch (field->width) {
	case 1:
		*val = *p;
		return 0;
	case 2:
		*val = be ? get_unaligned_be16(p) : get_unaligned_le16(p);
		return 0;
	case 4:
		*val = be ? get_unaligned_be32(p) : get_unaligned_le32(p);
		return 0;
	}
	/* A table with any other width is a driver bug, refuse everything */
	WARN_ON_ONCE(1);
	return -EINVAL;
}

static const struct fwctl_cmd *
fwctl_cmd_match(const struct fwctl_cmd_table *table, u32 id, u32 mod)
{
	unsigned int i;

	for (i = 0; i != table->num_cmds; i++) {
		const struct fwctl_cmd *cmd = &table->cmds[i];

		if (cmd->id != id)
			continue;
		if ((cmd->flags & FWCTL_CMD_MATCH_MOD) && cmd->mod != mod)
			continue;
		return cmd;
	}
	return NULL;
}

/*
 * In a table fwctl_cmd_table_search() found sorted: each step keeps the
 * half that holds the last entry not above @id, and the comparison only
 * picks a base, so that a step costs no branch the CPU could mispredict.
 */
static const struct fwctl_cmd *
fwctl_cmd_bsearch(const struct fwctl_cmd_table *table, u32 id)
{
	const struct fwctl_cmd *base = table->cmds;
	unsigned int n = table->num_cmds;

	if (!n)
		return NULL;
	while (n > 1) {
		unsigned int half = n / 2;

		base = base[half].id <= id ? base + half : base;
		n -= half;
	}
	return base->id == id ? base : NULL;
}

static __always_inline int fwctl_cmd_lookup(const struct fwctl_cmd_table *table,
					    enum fwctl_cmd_search search,
					    const void *in, size_t in_len,
					    const struct fwctl_cmd **cmdp)
{
	u32 id, mod;
	int ret;

	ret = fwctl_cmd_field_read(&table->id, in, in_len, &id);
	if (ret)
		return ret;
	ret = fwctl_cmd_field_read(&table->mod, in, in_len, &mod);
	if (ret)
		return ret;

	switch (search) {
	case FWCTL_CMD_SEARCH_INDEX:
		id -= table->cmds[0].id;
		*cmdp = id < table->num_cmds ? &table->cmds[id] : NULL;
		break;
	case FWCTL_CMD_SEARCH_HALVES:
		*cmdp = fwctl_cmd_bsearch(table, id);
		break;
	default:
		*cmdp = fwctl_cmd_match(table, id, mod);
		break;
	}
	return *cmdp ? 0 : -EOPNOTSUPP;
}

/**
 * fwctl_cmd_table_search - the fastest way to search a table
 * @table: a command table
 *
 * A table whose identifiers strictly ascend, and none of whose entries
 * matches on its sub-identifier, is searched by halves, or indexed by
 * identifier when they are consecutive: either finds the entry a walk
 * from the start would.
 *
 * Return: an &enum fwctl_cmd_search
 */
enum fwctl_cmd_search
fwctl_cmd_table_search(const struct fwctl_cmd_table *table)
{
	bool dense = true;
	unsigned int i;

	if (!table->num_cmds)
		return FWCTL_CMD_SEARCH_WALK;
	for (i = 0; i != table->num_cmds; i++) {
		if (table->cmds[i].flags & FWCTL_CMD_MATCH_MOD)
			return FWCTL_CMD_SEARCH_WALK;
		if (i && table->cmds[i].id <= table->cmds[i - 1].id)
			return FWCTL_CMD_SEARCH_WALK;
		if (table->cmds[i].id - table->cmds[0].id != i)
			dense = false;
	}
	return dense ? FWCTL_CMD_SEARCH_INDEX : FWCTL_CMD_SEARCH_HALVES;
}
EXPORT_SYMBOL_IF_KUNIT(fwctl_cmd_table_search);

/**
 * fwctl_cmd_table_out_max - the longest reply of a table's commands
 * @table: a command table
 *
 * Return: the largest &fwctl_cmd.out_max, or %FWCTL_RPC_MAX_LEN when an
 * entry does not bound its reply
 */
u32 fwctl_cmd_table_out_max(const struct fwctl_cmd_table *table)
{
	u32 out_max = 0;
	unsigned int i;

	for (i = 0; i != table->num_cmds; i++) {
		if (!table->cmds[i].out_max)
			return FWCTL_RPC_MAX_LEN;
		out_max = max(out_max, table->cmds[i].out_max);
	}
	return out_max;
}

/**
 * fwctl_cmd_find - find the table entry a request matches
 * @table: the device's command table
 * @in: the request, in kernel memory
 * @in_len: its length
 *
 * The first entry whose identifier (and sub-identifier, for entries that
 * match on it) equals the request's wins.
 *
 * Return: the entry, or NULL when none matches or the request is too short
 * to hold its keys.
 */
const struct fwctl_cmd *fwctl_cmd_find(const struct fwctl_cmd_table *table,
				       const void *in, size_t in_len)
{
	const struct fwctl_cmd *cmd;

	if (fwctl_cmd_lookup(table, FWCTL_CMD_SEARCH_WALK, in, in_len, &cmd))
		return NULL;
	return cmd;
}
EXPORT_SYMBOL_NS_GPL(fwctl_cmd_find, FWCTL);

/**
 * fwctl_cmd_check - check a request against a command table
 * @table: the device's command table
 * @scope: the scope the RPC carries
 * @in: the request, in kernel memory
 * @in_len: its length
 * @out_len: the length of the reply buffer user space offers
 * @cmdp: set to the matching entry on success
 *
 * The core calls this for every RPC to a device that has a table; drivers
 * may call it for requests nested inside their own.
 *
 * Return: 0 when the request may be delivered; -EINVAL when it is too short
 * to hold its keys, its length is out of the entry's bounds or the reply
 * buffer is smaller than the entry's minimum; -EOPNOTSUPP when no entry
 * matches; -EPERM when @scope is below the entry's.
 */
int fwctl_cmd_check(const struct fwctl_cmd_table *table,
		    enum fwctl_rpc_scope scope, const void *in, size_t in_len,
		    size_t out_len, const struct fwctl_cmd **cmdp)
{
	return __fwctl_cmd_check(table, FWCTL_CMD_SEARCH_WALK, scope, in,
				 in_len, out_len, cmdp);
}
EXPORT_SYMBOL_NS_GPL(fwctl_cmd_check, FWCTL);

/**
 * __fwctl_cmd_check - fwctl_cmd_check() for the core
 * @table: the device's command table
 * @search: fwctl_cmd_table_search() of @table, found at registration
 * @scope: the scope the RPC carries
 * @in: the request, in kernel memory
 * @in_len: its length
 * @out_len: the length of the reply buffer user space offers
 * @cmdp: set to the matching entry on success
 *
 * Return: as fwctl_cmd_check()
 */
int __fwctl_cmd_check(const struct fwctl_cmd_table *table,
		      enum fwctl_cmd_search search, enum fwctl_rpc_scope scope,
		      const void *in, size_t in_len, size_t out_len,
		      const struct fwctl_cmd **cmdp)
{
	const struct fwctl_cmd *cmd;
	int ret;

	ret = fwctl_cmd_lookup(table, search, in, in_len, &cmd);
	if (ret)
		return ret;
	if (scope < cmd->scope)
		return -EPERM;
	if (in_len < cmd->in_min || in_len > cmd->in_max)
		return -EINVAL;
	if (out_len < cmd->out_min)
		return -EINVAL;

	*cmdp = cmd;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(__fwctl_cmd_check);
