// SPDX-License-Identifier: GPL-2.0
/*
 * The decisions the core takes before any driver is involved: which scopes
 * an RPC may carry, how the administrator's ceiling is parsed, and how an
 * ioctl argument of any size is read from user space.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "fwctl_kunit.h"

#define CONF	FWCTL_RPC_CONFIGURATION
#define RO	FWCTL_RPC_DEBUG_READ_ONLY
#define WR	FWCTL_RPC_DEBUG_WRITE
#define FULL	FWCTL_RPC_DEBUG_WRITE_FULL

struct scope_check_case {
	u32 scope;
	u32 max_scope;
	bool has_rawio;
	bool locked_down;
	int ret;
	const char *desc;
};

static const struct scope_check_case scope_check_cases[] = {
	{ CONF, FULL, false, true, 0, "configuration needs nothing" },
	{ RO, FULL, false, true, 0, "read-only needs nothing" },
	{ WR, FULL, false, true, 0, "debug write needs neither rawio nor lockdown off" },
	{ FULL, FULL, true, false, 0, "full with rawio" },
	{ FULL, FULL, false, false, -EPERM, "full without rawio" },
	{ FULL, FULL, true, true, -EPERM, "full while locked down" },
	{ FULL, FULL, false, true, -EPERM, "full without rawio, locked down" },
	{ 4, FULL, true, false, -EOPNOTSUPP, "scope 4 is unknown" },
	{ U32_MAX, FULL, true, false, -EOPNOTSUPP, "scope U32_MAX is unknown" },
	{ 4, CONF, false, true, -EOPNOTSUPP, "unknown scope wins over the policy" },
	{ CONF, CONF, false, false, 0, "configuration at ceiling configuration" },
	{ RO, CONF, true, false, -EPERM, "read-only above ceiling configuration" },
	{ RO, RO, false, false, 0, "read-only at ceiling read-only" },
	{ WR, RO, true, false, -EPERM, "debug write above ceiling read-only" },
	{ WR, WR, false, false, 0, "debug write at ceiling debug write" },
	{ FULL, WR, true, false, -EPERM, "full with rawio above ceiling debug write" },
	{ CONF, WR, false, true, 0, "configuration below ceiling debug write" },
};

KUNIT_ARRAY_PARAM_DESC(scope_check, scope_check_cases, desc);

static void fwctl_scope_check_test(struct kunit *test)
{
	const struct scope_check_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, fwctl_scope_check(c->scope, c->max_scope,
						c->has_rawio, c->locked_down),
			c->ret);
}

struct scope_parse_case {
	const char *buf;
	int ret;
	u32 scope;
	const char *desc;
};

static const struct scope_parse_case scope_parse_cases[] = {
	{ "configuration", 0, CONF, "configuration" },
	{ "debug_read_only", 0, RO, "debug_read_only" },
	{ "debug_write", 0, WR, "debug_write" },
	{ "debug_write_full", 0, FULL, "debug_write_full" },
	{ "configuration\n", 0, CONF, "configuration newline" },
	{ "debug_write_full\n", 0, FULL, "debug_write_full newline" },
	{ "0", 0, CONF, "0" },
	{ "1", 0, RO, "1" },
	{ "2", 0, WR, "2" },
	{ "3", 0, FULL, "3" },
	{ "2\n", 0, WR, "2 newline" },
	{ "", -EINVAL, 0, "empty" },
	{ "\n", -EINVAL, 0, "newline only" },
	{ "4", -EINVAL, 0, "4 is above every scope" },
	{ "10", -EINVAL, 0, "10" },
	{ "-1", -EINVAL, 0, "-1" },
	{ " 1", -EINVAL, 0, "leading space" },
	{ "debug", -EINVAL, 0, "prefix of a name" },
	{ "debug_write_fullx", -EINVAL, 0, "name with a suffix" },
	{ "Configuration", -EINVAL, 0, "names are case-sensitive" },
	{ "debug_write\n\n", -EINVAL, 0, "two newlines" },
};

KUNIT_ARRAY_PARAM_DESC(scope_parse, scope_parse_cases, desc);

static void fwctl_scope_parse_test(struct kunit *test)
{
	const struct scope_parse_case *c = test->param_value;
	u32 scope = 0xdead;
	int ret;

	ret = fwctl_scope_parse(c->buf, &scope);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, scope, c->scope);
}

static struct kunit_case fwctl_scope_cases[] = {
	KUNIT_CASE_PARAM(fwctl_scope_check_test, scope_check_gen_params),
	KUNIT_CASE_PARAM(fwctl_scope_parse_test, scope_parse_gen_params),
	{}
};

static struct kunit_suite fwctl_scope_suite = {
	.name = "fwctl_scope",
	.test_cases = fwctl_scope_cases,
};

/*
 * An ioctl argument that grew once: @c is the newer field, so a caller
 * built against the older layout passes a size of offsetofend(b).
 */
struct ucmd_test {
	u32 size;
	u32 a;
	u64 b;
	u64 c;
};

#define UCMD_MIN	offsetofend(struct ucmd_test, b)
#define UCMD_KSIZE	sizeof(struct ucmd_test)
#define UCMD_FILL	0xcc

/* Byte @i of what user space passes; its size field is set apart */
static u8 ucmd_byte(size_t i)
{
	return 0x30 + i;
}

struct ucmd_case {
	u32 size;
	/* offset of a non-zero byte past UCMD_KSIZE, or 0 for none */
	u32 dirty;
	int ret;
	const char *desc;
};

static const struct ucmd_case ucmd_cases[] = {
	{ 0, 0, -EINVAL, "size 0" },
	{ 4, 0, -EINVAL, "only the size field" },
	{ UCMD_MIN - 1, 0, -EINVAL, "one byte short of the minimum" },
	{ UCMD_MIN, 0, 0, "the minimum: zero-extended" },
	{ UCMD_MIN + 4, 0, 0, "half a new field: zero-extended" },
	{ UCMD_KSIZE - 1, 0, 0, "one byte short of the kernel's" },
	{ UCMD_KSIZE, 0, 0, "exactly the kernel's" },
	{ UCMD_KSIZE + 1, 0, 0, "one byte longer, zero" },
	{ UCMD_KSIZE + 8, 0, 0, "a newer field, zero" },
	{ UCMD_KSIZE + 8, UCMD_KSIZE, -E2BIG, "a newer field, first byte set" },
	{ UCMD_KSIZE + 8, UCMD_KSIZE + 7, -E2BIG, "a newer field, last byte set" },
	{ PAGE_SIZE, 0, 0, "a page, zero tail" },
	{ PAGE_SIZE, PAGE_SIZE - 1, -E2BIG, "a page, last byte set" },
	{ PAGE_SIZE + 1, 0, -EFAULT, "tail runs into an unmapped page" },
	{ U32_MAX, 0, -EFAULT, "size U32_MAX, tail unmapped" },
};

KUNIT_ARRAY_PARAM_DESC(ucmd, ucmd_cases, desc);

/*
 * Every size a caller may pass, against a struct that starts a page before
 * an unmapped one, so that reading past what the caller owns faults.
 */
static void fwctl_ucmd_size_test(struct kunit *test)
{
	const struct ucmd_case *c = test->param_value;
	u8 __user *umem = fake_umem_guarded(test, PAGE_SIZE);
	struct ucmd_test kcmd;
	u8 *ubuf;
	size_t i;
	int ret;

	ubuf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ubuf);
	for (i = 0; i != UCMD_KSIZE; i++)
		ubuf[i] = ucmd_byte(i);
	memcpy(ubuf, &c->size, sizeof(c->size));
	if (c->dirty)
		ubuf[c->dirty] = 1;
	KUNIT_ASSERT_EQ(test, copy_to_user(umem, ubuf, PAGE_SIZE), 0);

	memset(&kcmd, UCMD_FILL, sizeof(kcmd));
	ret = fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN, umem);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret)
		return;

	/* The caller's bytes, then zeroes for what the caller did not know */
	KUNIT_EXPECT_EQ(test, kcmd.size, c->size);
	for (i = sizeof(kcmd.size); i != UCMD_KSIZE; i++) {
		u8 want = i < c->size ? ucmd_byte(i) : 0;

		KUNIT_EXPECT_EQ_MSG(test, ((u8 *)&kcmd)[i], want,
				    "byte %zu", i);
	}
}

/* A size field that cannot be read at all */
static void fwctl_ucmd_unreadable_size_test(struct kunit *test)
{
	u8 __user *umem = fake_umem_guarded(test, PAGE_SIZE);
	struct ucmd_test kcmd;

	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN,
					      umem + PAGE_SIZE), -EFAULT);
	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN,
					      NULL), -EFAULT);
	/* Half of the size field in the unmapped page */
	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN,
					      umem + PAGE_SIZE - 2), -EFAULT);
}

/* A readable size that claims more than the caller has mapped */
static void fwctl_ucmd_unreadable_body_test(struct kunit *test)
{
	u8 __user *umem = fake_umem_guarded(test, PAGE_SIZE);
	u32 __user *usize = (u32 __user *)(umem + PAGE_SIZE - sizeof(u32));
	struct ucmd_test kcmd;

	KUNIT_ASSERT_EQ(test, put_user((u32)UCMD_KSIZE, usize), 0);
	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN,
					      usize), -EFAULT);
	/* Too small wins: the body is never read */
	KUNIT_ASSERT_EQ(test, put_user((u32)(UCMD_MIN - 1), usize), 0);
	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_MIN,
					      usize), -EINVAL);
}

/* A structure with no optional part: min_size equals the kernel's size */
static void fwctl_ucmd_fixed_size_test(struct kunit *test)
{
	u8 __user *umem = fake_umem(test, PAGE_SIZE);
	struct ucmd_test ucmd = { .a = 1, .b = 2, .c = 3 };
	struct ucmd_test kcmd;

	ucmd.size = UCMD_KSIZE - 1;
	KUNIT_ASSERT_EQ(test, copy_to_user(umem, &ucmd, sizeof(ucmd)), 0);
	KUNIT_EXPECT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_KSIZE,
					      umem), -EINVAL);

	ucmd.size = UCMD_KSIZE;
	KUNIT_ASSERT_EQ(test, copy_to_user(umem, &ucmd, sizeof(ucmd)), 0);
	memset(&kcmd, UCMD_FILL, sizeof(kcmd));
	KUNIT_ASSERT_EQ(test, fwctl_copy_ucmd(&kcmd, UCMD_KSIZE, UCMD_KSIZE,
					      umem), 0);
	KUNIT_EXPECT_MEMEQ(test, &kcmd, &ucmd, sizeof(ucmd));
}

static struct kunit_case fwctl_ucmd_cases[] = {
	KUNIT_CASE_PARAM(fwctl_ucmd_size_test, ucmd_gen_params),
	KUNIT_CASE(fwctl_ucmd_unreadable_size_test),
	KUNIT_CASE(fwctl_ucmd_unreadable_body_test),
	KUNIT_CASE(fwctl_ucmd_fixed_size_test),
	{}
};

static struct kunit_suite fwctl_ucmd_suite = {
	.name = "fwctl_ucmd",
	.test_cases = fwctl_ucmd_cases,
};

kunit_test_suites(&fwctl_scope_suite, &fwctl_ucmd_suite);
