// SPDX-License-Identifier: GPL-2.0
/*
 * The command-table helpers: where keys are read, how entries match, and
 * which errno every refusal gets. Drivers rely on them as their only
 * length and scope check, so every boundary is probed from both sides.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/swab.h>
#include <linux/unaligned.h>

#include "fwctl_kunit.h"

#define REQ_MAX	128

/* Identifiers and lengths of mbox_table, a PRM-like mailbox */
#define MBOX_QUERY	0x0100
#define MBOX_REG	0x0200
#define MBOX_FULL	0x0300
#define MBOX_HIGH	0xfffe

enum {
	MBOX_CMD_QUERY,
	MBOX_CMD_REG_READ,
	MBOX_CMD_REG_WRITE,
	MBOX_CMD_FULL,
	MBOX_CMD_HIGH,
};

static const struct fwctl_cmd mbox_cmds[] = {
	[MBOX_CMD_QUERY] = {
		.id = MBOX_QUERY, .scope = FWCTL_RPC_CONFIGURATION,
		.in_min = 16, .in_max = 64, .out_min = 16, .out_max = 256,
		.name = "query",
	},
	[MBOX_CMD_REG_READ] = {
		.id = MBOX_REG, .mod = 1, .flags = FWCTL_CMD_MATCH_MOD,
		.scope = FWCTL_RPC_DEBUG_READ_ONLY,
		.in_min = 16, .in_max = 16, .out_min = 8, .out_max = 64,
		.name = "reg_read",
	},
	[MBOX_CMD_REG_WRITE] = {
		.id = MBOX_REG, .mod = 2, .flags = FWCTL_CMD_MATCH_MOD,
		.scope = FWCTL_RPC_DEBUG_WRITE,
		.in_min = 16, .in_max = 32, .out_min = 8, .out_max = 64,
		.name = "reg_write",
	},
	[MBOX_CMD_FULL] = {
		.id = MBOX_FULL, .scope = FWCTL_RPC_DEBUG_WRITE_FULL,
		.in_min = 8, .in_max = REQ_MAX, .out_min = 0, .out_max = 16,
		.name = "full",
	},
	[MBOX_CMD_HIGH] = {
		.id = MBOX_HIGH, .scope = FWCTL_RPC_CONFIGURATION,
		.in_min = 8, .in_max = 8, .out_min = 0, .out_max = 8,
		.name = "high",
	},
};

/* Big-endian 16-bit opcode at 0, 16-bit op_mod at 6 */
static const struct fwctl_cmd_table mbox_table = {
	.id = { .offset = 0, .width = 2, .flags = FWCTL_FIELD_BE },
	.mod = { .offset = 6, .width = 2, .flags = FWCTL_FIELD_BE },
	.cmds = mbox_cmds,
	.num_cmds = ARRAY_SIZE(mbox_cmds),
};

/* The same commands, keys little-endian */
static const struct fwctl_cmd_table mbox_le_table = {
	.id = { .offset = 0, .width = 2 },
	.mod = { .offset = 6, .width = 2 },
	.cmds = mbox_cmds,
	.num_cmds = ARRAY_SIZE(mbox_cmds),
};

static const struct fwctl_cmd wide_cmds[] = {
	{ .id = 0x11223344, .in_min = 8, .in_max = 32, .name = "a" },
	{ .id = 0x44332211, .in_min = 8, .in_max = 32, .name = "b" },
	{ .id = 0xffffffff, .in_min = 8, .in_max = 32, .name = "c" },
};

/* 32-bit keys at an odd offset, read without alignment */
static const struct fwctl_cmd_table wide_be_table = {
	.id = { .offset = 3, .width = 4, .flags = FWCTL_FIELD_BE },
	.cmds = wide_cmds,
	.num_cmds = ARRAY_SIZE(wide_cmds),
};

static const struct fwctl_cmd_table wide_le_table = {
	.id = { .offset = 3, .width = 4 },
	.cmds = wide_cmds,
	.num_cmds = ARRAY_SIZE(wide_cmds),
};

static const struct fwctl_cmd byte_cmds[] = {
	{ .id = 0x00, .mod = 0x80, .flags = FWCTL_CMD_MATCH_MOD,
	  .in_min = 6, .in_max = 6, .name = "zero_80" },
	{ .id = 0x7f, .in_min = 6, .in_max = 6, .name = "7f" },
	{ .id = 0xff, .in_min = 6, .in_max = 6, .name = "ff" },
	/* A catch-all for id 0 after the specific entry */
	{ .id = 0x00, .in_min = 6, .in_max = 6, .name = "zero_any" },
};

/* 8-bit keys; the byte order flag means nothing for them */
static const struct fwctl_cmd_table byte_table = {
	.id = { .offset = 5, .width = 1, .flags = FWCTL_FIELD_BE },
	.mod = { .offset = 1, .width = 1 },
	.cmds = byte_cmds,
	.num_cmds = ARRAY_SIZE(byte_cmds),
};

static const struct fwctl_cmd_table empty_table = {
	.id = { .offset = 0, .width = 2 },
};

/* Writes @val into the request as @field describes it */
static void put_field(u8 *req, const struct fwctl_cmd_field *field, u32 val)
{
	bool be = field->flags & FWCTL_FIELD_BE;
	u8 *p = req + field->offset;

	switch (field->width) {
	case 1:
		*p = val;
		break;
	case 2:
		if (be)
			put_unaligned_be16(val, p);
		else
			put_unaligned_le16(val, p);
		break;
	case 4:
		if (be)
			put_unaligned_be32(val, p);
		else
			put_unaligned_le32(val, p);
		break;
	}
}

/*
 * A request with the keys set and every other byte non-zero, so that a key
 * read from the wrong place cannot accidentally match.
 */
static u8 *make_req(struct kunit *test, const struct fwctl_cmd_table *table,
		    u32 id, u32 mod)
{
	u8 *req = kunit_kmalloc(test, REQ_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	memset(req, 0xee, REQ_MAX);
	put_field(req, &table->id, id);
	put_field(req, &table->mod, mod);
	return req;
}

static void fwctl_cmd_find_be16_test(struct kunit *test)
{
	u8 *req = make_req(test, &mbox_table, MBOX_QUERY, 0);

	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 16),
			    &mbox_cmds[MBOX_CMD_QUERY]);
	KUNIT_EXPECT_EQ(test, req[0], 0x01);

	req = make_req(test, &mbox_table, MBOX_HIGH, 0);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 8),
			    &mbox_cmds[MBOX_CMD_HIGH]);

	/* 0x0001 on the wire is 0x0100 only to a little-endian reader */
	req = make_req(test, &mbox_table, swab16(MBOX_QUERY), 0);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 16));
}

static void fwctl_cmd_find_le16_test(struct kunit *test)
{
	u8 *req = make_req(test, &mbox_le_table, MBOX_QUERY, 0);

	KUNIT_EXPECT_EQ(test, req[1], 0x01);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_le_table, req, 16),
			    &mbox_cmds[MBOX_CMD_QUERY]);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 16));

	req = make_req(test, &mbox_le_table, MBOX_REG, 2);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_le_table, req, 16),
			    &mbox_cmds[MBOX_CMD_REG_WRITE]);
}

static void fwctl_cmd_find_wide_test(struct kunit *test)
{
	u8 *req = make_req(test, &wide_be_table, 0x11223344, 0);

	KUNIT_EXPECT_EQ(test, req[3], 0x11);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&wide_be_table, req, 8),
			    &wide_cmds[0]);
	/* The same bytes read little-endian are the other entry */
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&wide_le_table, req, 8),
			    &wide_cmds[1]);

	req = make_req(test, &wide_le_table, 0xffffffff, 0);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&wide_le_table, req, 7),
			    &wide_cmds[2]);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&wide_le_table, req, 6));

	req = make_req(test, &wide_le_table, 0x11223345, 0);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&wide_le_table, req, 8));
}

static void fwctl_cmd_find_byte_test(struct kunit *test)
{
	u8 *req = make_req(test, &byte_table, 0x7f, 0);

	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&byte_table, req, 6),
			    &byte_cmds[1]);
	req = make_req(test, &byte_table, 0xff, 0);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&byte_table, req, 6),
			    &byte_cmds[2]);
	req = make_req(test, &byte_table, 0x80, 0);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&byte_table, req, 6));
	/* One byte short of the id at offset 5 */
	req = make_req(test, &byte_table, 0x7f, 0);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&byte_table, req, 5));
}

/*
 * Entries that match on the sub-identifier come first; an entry without
 * FWCTL_CMD_MATCH_MOD takes any sub-identifier; the first match wins.
 */
static void fwctl_cmd_find_mod_test(struct kunit *test)
{
	u8 *req;

	req = make_req(test, &mbox_table, MBOX_REG, 1);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 16),
			    &mbox_cmds[MBOX_CMD_REG_READ]);
	req = make_req(test, &mbox_table, MBOX_REG, 2);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 16),
			    &mbox_cmds[MBOX_CMD_REG_WRITE]);
	req = make_req(test, &mbox_table, MBOX_REG, 3);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 16));
	/* mod 1 in the other byte order is 0x0100 */
	req = make_req(test, &mbox_table, MBOX_REG, 0x0100);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 16));
	/* Entries without the flag ignore the sub-identifier */
	req = make_req(test, &mbox_table, MBOX_QUERY, 0xabcd);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 16),
			    &mbox_cmds[MBOX_CMD_QUERY]);

	req = make_req(test, &byte_table, 0x00, 0x80);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&byte_table, req, 6),
			    &byte_cmds[0]);
	req = make_req(test, &byte_table, 0x00, 0x81);
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&byte_table, req, 6),
			    &byte_cmds[3]);
}

/* A table with a sub-identifier needs it present, whatever the entry */
static void fwctl_cmd_find_short_test(struct kunit *test)
{
	u8 *req = make_req(test, &mbox_table, MBOX_QUERY, 0);

	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 0));
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 1));
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 2));
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&mbox_table, req, 7));
	KUNIT_EXPECT_PTR_EQ(test, fwctl_cmd_find(&mbox_table, req, 8),
			    &mbox_cmds[MBOX_CMD_QUERY]);
	KUNIT_EXPECT_NULL(test, fwctl_cmd_find(&empty_table, req, 8));
}

struct cmd_check_case {
	const struct fwctl_cmd_table *table;
	u32 id;
	u32 mod;
	u32 scope;
	size_t in_len;
	size_t out_len;
	int ret;
	/* index of the entry in @table on success */
	unsigned int cmd;
	const char *desc;
};

#define CONF	FWCTL_RPC_CONFIGURATION
#define RO	FWCTL_RPC_DEBUG_READ_ONLY
#define WR	FWCTL_RPC_DEBUG_WRITE
#define FULL	FWCTL_RPC_DEBUG_WRITE_FULL

static const struct cmd_check_case cmd_check_cases[] = {
	{ &mbox_table, MBOX_QUERY, 0, CONF, 16, 16, 0, MBOX_CMD_QUERY,
	  "in_min and out_min exactly" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 15, 16, -EINVAL, 0,
	  "in_min - 1" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 64, 16, 0, MBOX_CMD_QUERY,
	  "in_max exactly" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 65, 16, -EINVAL, 0,
	  "in_max + 1" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 16, 15, -EINVAL, 0,
	  "out_min - 1" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 16, FWCTL_RPC_MAX_LEN, 0,
	  MBOX_CMD_QUERY, "out_len far above out_max is accepted" },
	{ &mbox_table, MBOX_REG, 1, RO, 16, 8, 0, MBOX_CMD_REG_READ,
	  "in_min == in_max exactly" },
	{ &mbox_table, MBOX_REG, 1, RO, 17, 8, -EINVAL, 0,
	  "in_min == in_max, + 1" },
	{ &mbox_table, MBOX_REG, 1, CONF, 16, 8, -EPERM, 0,
	  "scope below the entry's" },
	{ &mbox_table, MBOX_REG, 1, FULL, 16, 8, 0, MBOX_CMD_REG_READ,
	  "scope above the entry's" },
	{ &mbox_table, MBOX_REG, 2, RO, 16, 8, -EPERM, 0,
	  "sub-identifier selects a higher scope" },
	{ &mbox_table, MBOX_REG, 2, WR, 32, 8, 0, MBOX_CMD_REG_WRITE,
	  "sub-identifier selects other bounds" },
	{ &mbox_table, MBOX_REG, 3, FULL, 16, 8, -EOPNOTSUPP, 0,
	  "sub-identifier not in the table" },
	{ &mbox_table, MBOX_FULL, 0, WR, 8, 0, -EPERM, 0,
	  "full entry with debug write" },
	{ &mbox_table, MBOX_FULL, 0, FULL, REQ_MAX, 0, 0, MBOX_CMD_FULL,
	  "full entry with full, out_min 0" },
	{ &mbox_table, 0x0400, 0, FULL, 16, 16, -EOPNOTSUPP, 0,
	  "unknown identifier" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 0, 16, -EINVAL, 0,
	  "empty request" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 1, 16, -EINVAL, 0,
	  "identifier cut short" },
	{ &mbox_table, MBOX_QUERY, 0, CONF, 7, 16, -EINVAL, 0,
	  "sub-identifier cut short" },
	{ &mbox_table, 0x0400, 0, CONF, 7, 16, -EINVAL, 0,
	  "short request wins over unknown identifier" },
	{ &mbox_table, 0x0400, 0, CONF, REQ_MAX, 0, -EOPNOTSUPP, 0,
	  "unknown identifier wins over bad lengths" },
	{ &mbox_table, MBOX_REG, 2, RO, 64, 0, -EPERM, 0,
	  "scope wins over bad lengths" },
	{ &mbox_le_table, MBOX_REG, 2, WR, 16, 8, 0, MBOX_CMD_REG_WRITE,
	  "little-endian keys" },
	{ &wide_be_table, 0x44332211, 0, CONF, 7, 0, -EINVAL, 0,
	  "32-bit key, in_min - 1" },
	{ &wide_be_table, 0x44332211, 0, CONF, 8, 0, 0, 1,
	  "32-bit big-endian key" },
	{ &byte_table, 0xff, 0, CONF, 6, 0, 0, 2, "8-bit key" },
	{ &empty_table, 0, 0, FULL, 16, 16, -EOPNOTSUPP, 0, "empty table" },
};

KUNIT_ARRAY_PARAM_DESC(cmd_check, cmd_check_cases, desc);

/*
 * The searches the core picks at registration find what a walk from the
 * start finds: tables of 1 to 40 entries with consecutive identifiers
 * (indexed), evenly spaced ones and unevenly spaced ones (halved), asked
 * for every identifier from below the first to beyond the last.
 */
static void fwctl_cmd_search_test(struct kunit *test)
{
	enum fwctl_cmd_search want, search;
	struct fwctl_cmd_table table = {
		.id = { .offset = 0, .width = 4 },
	};
	const struct fwctl_cmd *walked, *found;
	unsigned int layout, n, i;
	struct fwctl_cmd *cmds;
	int ret_walk, ret;
	u8 req[8] = {};
	u32 id;

	cmds = kunit_kcalloc(test, 40, sizeof(*cmds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cmds);
	table.cmds = cmds;

	for (layout = 0; layout < 3; layout++) {
		want = layout ? FWCTL_CMD_SEARCH_HALVES : FWCTL_CMD_SEARCH_INDEX;
		for (n = 1; n <= 40; n++) {
			for (i = 0; i < n; i++)
				cmds[i] = (struct fwctl_cmd){
					.id = layout == 0 ? 5 + i :
					      layout == 1 ? 5 + 3 * i :
							    5 + i * i + i,
					.in_max = sizeof(req),
				};
			table.num_cmds = n;
			search = fwctl_cmd_table_search(&table);
			/* One entry is consecutive whatever its identifier */
			KUNIT_EXPECT_EQ(test, search,
					n == 1 ? FWCTL_CMD_SEARCH_INDEX : want);

			for (id = 0; id <= cmds[n - 1].id + 6; id++) {
				put_unaligned_le32(id, req);
				ret_walk = __fwctl_cmd_check(&table,
							     FWCTL_CMD_SEARCH_WALK,
							     FWCTL_RPC_CONFIGURATION,
							     req, sizeof(req), 0,
							     &walked);
				ret = __fwctl_cmd_check(&table, search,
							FWCTL_RPC_CONFIGURATION,
							req, sizeof(req), 0,
							&found);
				KUNIT_EXPECT_EQ_MSG(test, ret, ret_walk,
						    "layout %u, %u entries, id %u",
						    layout, n, id);
				if (!ret && !ret_walk)
					KUNIT_EXPECT_PTR_EQ(test, found, walked);
			}
		}
	}
}

static void fwctl_cmd_check_test(struct kunit *test)
{
	const struct cmd_check_case *c = test->param_value;
	const struct fwctl_cmd *cmd = NULL;
	u8 *req = make_req(test, c->table, c->id, c->mod);
	int ret;

	ret = fwctl_cmd_check(c->table, c->scope, req, c->in_len, c->out_len,
			      &cmd);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!c->ret)
		KUNIT_EXPECT_PTR_EQ(test, cmd, &c->table->cmds[c->cmd]);
}

static struct kunit_case fwctl_cmd_table_cases[] = {
	KUNIT_CASE(fwctl_cmd_find_be16_test),
	KUNIT_CASE(fwctl_cmd_find_le16_test),
	KUNIT_CASE(fwctl_cmd_find_wide_test),
	KUNIT_CASE(fwctl_cmd_find_byte_test),
	KUNIT_CASE(fwctl_cmd_find_mod_test),
	KUNIT_CASE(fwctl_cmd_find_short_test),
	KUNIT_CASE(fwctl_cmd_search_test),
	KUNIT_CASE_PARAM(fwctl_cmd_check_test, cmd_check_gen_params),
	{}
};

static struct kunit_suite fwctl_cmd_table_suite = {
	.name = "fwctl_cmd_table",
	.test_cases = fwctl_cmd_table_cases,
};

kunit_test_suites(&fwctl_cmd_table_suite);
