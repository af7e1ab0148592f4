// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of libfwctl and the fwctl command that need no fwctl device:
 * parsing, JSON, the errno advice, discovery against a fake sysfs tree, and
 * the command's argument errors and exit codes. Prints TAP.
 *
 * Usage: test_fwctl PATH-TO-FWCTL
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli.h"
#include "../json.h"
#include "../libfwctl.h"
#include "../util.h"

#include <fwctl/cxl.h>

static int n_pass, n_fail, n_skip;
static const char *fwctl_bin;
/* Environment put before the command by run(), "" by default */
static const char *run_env = "";
#define TMPDIR_TEMPLATE "/tmp/fwctl-test.XXXXXX"
static char tmpdir[sizeof(TMPDIR_TEMPLATE)];

static void __attribute__((format(printf, 2, 3)))
ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", cond ? "ok" : "not ok", n_pass + n_fail + n_skip + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		n_pass++;
	else
		n_fail++;
}

static void skip(const char *what)
{
	printf("ok %d %s # SKIP\n", n_pass + n_fail + n_skip + 1, what);
	n_skip++;
}

/* --- parsing ----------------------------------------------------------- */

static void test_scopes(void)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
		{ "configuration", 0 }, { "debug_read_only", 1 },
		{ "debug_write", 2 }, { "debug_write_full", 3 },
		{ "0", 0 }, { "1", 1 }, { "2", 2 }, { "3", 3 },
		{ "DEBUG-WRITE", 2 }, { "Debug_Read_Only", 1 },
		{ "4", -EINVAL }, { "-1", -EINVAL }, { "", -EINVAL },
		{ "debug", -EINVAL }, { "configurationx", -EINVAL },
		{ "00", -EINVAL }, { " 1", -EINVAL }, { "config", -EINVAL },
	};
	size_t i;
	int s;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ok(fwctl_scope_parse(cases[i].s) == cases[i].want,
		   "scope parse '%s' -> %d", cases[i].s, cases[i].want);
	ok(fwctl_scope_parse(NULL) == -EINVAL, "scope parse NULL");
	for (s = 0; s < FWCTL_NUM_SCOPES; s++)
		ok(fwctl_scope_parse(fwctl_scope_name(s)) == s,
		   "scope name round trip %d", s);
	ok(!fwctl_scope_name(4) && !fwctl_scope_name(-1),
	   "no name for scopes out of range");
}

static void test_type_names(void)
{
	ok(!strcmp(fwctl_type_name(FWCTL_DEVICE_TYPE_MLX5), "mlx5") &&
	   !strcmp(fwctl_type_name(FWCTL_DEVICE_TYPE_CXL), "cxl") &&
	   !strcmp(fwctl_type_name(FWCTL_DEVICE_TYPE_ACCEL), "accel") &&
	   !strcmp(fwctl_type_name(FWCTL_DEVICE_TYPE_TEST_MOCK), "mock") &&
	   !strcmp(fwctl_type_name(77), "unknown"), "device type names");
	ok(cli_driver_by_type(FWCTL_DEVICE_TYPE_TEST_MOCK) == &cli_drv_mock &&
	   cli_driver_by_type(FWCTL_DEVICE_TYPE_CXL) == &cli_drv_cxl &&
	   !cli_driver_by_type(77), "driver table lookup by type");
	ok(cli_driver_by_name("cxl") == &cli_drv_cxl &&
	   !cli_driver_by_name("nope"), "driver table lookup by name");
}

static bool hex_is(const char *s, const char *want, size_t want_len)
{
	size_t len, pos;
	uint8_t *buf;
	bool same;

	if (hex_parse(s, &buf, &len, &pos))
		return false;
	same = len == want_len && !memcmp(buf, want, len);
	free(buf);
	return same;
}

static bool hex_fails_at(const char *s, size_t at)
{
	size_t len, pos;
	uint8_t *buf;

	return hex_parse(s, &buf, &len, &pos) == -EINVAL && pos == at &&
	       !buf;
}

static void test_hex(void)
{
	ok(hex_is("0102ff", "\x01\x02\xff", 3), "hex: plain pairs");
	ok(hex_is("01 02\tFF\n", "\x01\x02\xff", 3), "hex: white space, case");
	ok(hex_is("01:02-03_04,05", "\x01\x02\x03\x04\x05", 5),
	   "hex: separators");
	ok(hex_is("0x0102 0xAB", "\x01\x02\xab", 3), "hex: 0x groups");
	ok(hex_is("", "", 0) && hex_is("  ", "", 0), "hex: empty");
	ok(hex_is("00", "\0", 1), "hex: a zero byte");
	ok(hex_fails_at("012", 3), "hex: odd digit count");
	ok(hex_fails_at("0 1", 1), "hex: separator inside a byte");
	ok(hex_fails_at("01zz", 2), "hex: not a digit");
	ok(hex_fails_at("0x", 1), "hex: 0x with no digits");
	ok(hex_fails_at("010x02", 3), "hex: 0x inside a group");
}

static void test_numbers(void)
{
	uint32_t v = 0;
	uint64_t v64 = 0;

	ok(!parse_u32("10", &v) && v == 10, "u32: decimal");
	ok(!parse_u32("0x1f", &v) && v == 31, "u32: hex");
	ok(!parse_u32("4294967295", &v) && v == UINT32_MAX, "u32: max");
	ok(parse_u32("4294967296", &v) == -ERANGE, "u32: overflow");
	ok(parse_u32("-1", &v) == -EINVAL, "u32: negative");
	ok(parse_u32(" 1", &v) == -EINVAL, "u32: leading space");
	ok(parse_u32("1x", &v) == -EINVAL, "u32: trailing junk");
	ok(parse_u32("", &v) == -EINVAL, "u32: empty");
	ok(parse_u64("99999999999999999999", &v64) == -ERANGE,
	   "u64: overflow");
	ok(!parse_size("4K", &v) && v == 4096, "size: K");
	ok(!parse_size("2m", &v) && v == 2 * 1024 * 1024, "size: m");
	ok(!parse_size("0x10", &v) && v == 16, "size: hex");
	ok(parse_size("5000M", &v) == -ERANGE, "size: overflow");
	ok(parse_size("K", &v) == -EINVAL, "size: suffix alone");
	ok(parse_size("1Q", &v) == -EINVAL, "size: bad suffix");
}

/* --- JSON -------------------------------------------------------------- */

static bool escapes_to(const char *s, size_t len, const char *want)
{
	char *buf = NULL;
	size_t size = 0;
	bool same;
	FILE *f;

	f = open_memstream(&buf, &size);
	if (!f)
		return false;
	json_escape(f, s, len);
	fclose(f);
	same = !strcmp(buf, want);
	if (!same)
		printf("# got %s, want %s\n", buf, want);
	free(buf);
	return same;
}

static void test_json_escape(void)
{
	ok(escapes_to("plain", 5, "\"plain\""), "json: plain string");
	ok(escapes_to("a\"b\\c", 5, "\"a\\\"b\\\\c\""),
	   "json: quote and backslash");
	ok(escapes_to("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\""),
	   "json: short escapes");
	ok(escapes_to("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\""),
	   "json: other control characters");
	ok(escapes_to("a\0b", 3, "\"a\\u0000b\""), "json: embedded NUL");
	ok(escapes_to("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
		      "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""),
	   "json: valid UTF-8 passes");
	ok(escapes_to("\xff", 1, "\"\\ufffd\""), "json: invalid byte");
	ok(escapes_to("\xc0\x80", 2, "\"\\ufffd\\ufffd\""),
	   "json: overlong form");
	ok(escapes_to("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\""),
	   "json: surrogate");
	ok(escapes_to("\xe2\x82", 2, "\"\\ufffd\\ufffd\""),
	   "json: truncated sequence");
	ok(escapes_to("/", 1, "\"/\""), "json: slash stays");
}

static void test_json_doc(void)
{
	static const char want[] =
		"{\n"
		"  \"s\": \"x\\ny\",\n"
		"  \"n\": 18446744073709551615,\n"
		"  \"i\": -5,\n"
		"  \"a\": [\n"
		"    {\n"
		"      \"b\": true\n"
		"    },\n"
		"    null\n"
		"  ],\n"
		"  \"e\": {},\n"
		"  \"h\": \"00ff\"\n"
		"}\n";
	struct json j;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&buf, &size);
	if (!f) {
		ok(false, "json: document");
		return;
	}
	json_init(&j, f);
	json_obj_begin(&j, NULL);
	json_str(&j, "s", "x\ny");
	json_u64(&j, "n", UINT64_MAX);
	json_i64(&j, "i", -5);
	json_arr_begin(&j, "a");
	json_obj_begin(&j, NULL);
	json_bool(&j, "b", true);
	json_obj_end(&j);
	json_null(&j, "ignored in arrays");
	json_arr_end(&j);
	json_obj_begin(&j, "e");
	json_obj_end(&j);
	json_hex(&j, "h", "\x00\xff", 2);
	json_obj_end(&j);
	fclose(f);
	ok(!strcmp(buf, want), "json: document layout");
	if (strcmp(buf, want))
		printf("# got:\n%s", buf);
	free(buf);
}

/* --- CXL decoders ---------------------------------------------------- */

static void test_cxl(void)
{
	static const uint8_t cel[16] = {
		0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78,
		0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17,
	};
	uint8_t uuid[16], id[0x43] = "FW 1.2  ";
	char buf[256], *doc = NULL;
	struct cli cli = { .json = true };
	size_t size = 0;
	FILE *f;

	ok(!cxl_uuid_parse("0da9c0b5-bf41-4b78-8f79-96b1623b3f17", uuid) &&
	   !memcmp(uuid, cel, 16), "cxl: UUID with dashes");
	ok(!cxl_uuid_parse("0da9c0b5bf414b788f7996b1623b3f17", uuid) &&
	   !memcmp(uuid, cel, 16), "cxl: UUID without dashes");
	ok(!cxl_uuid_parse("cel", uuid) && !memcmp(uuid, cel, 16),
	   "cxl: log name");
	ok(cxl_uuid_parse("0da9c0b5-bf41-4b78-8f79-96b1623b3f1", uuid) &&
	   cxl_uuid_parse("0da9c0b5bf41-4b78-8f79-96b1623b3f17x", uuid) &&
	   cxl_uuid_parse("0da9c0b-5bf41-4b78-8f79-96b1623b3f17", uuid) &&
	   cxl_uuid_parse("zda9c0b5-bf41-4b78-8f79-96b1623b3f17", uuid),
	   "cxl: malformed UUIDs refused");
	cxl_uuid_format(cel, buf);
	ok(!strcmp(buf, "0da9c0b5-bf41-4b78-8f79-96b1623b3f17"),
	   "cxl: UUID format");

	cxl_effect_names(0, buf, sizeof(buf));
	ok(!strcmp(buf, "none"), "cxl: no effects");
	cxl_effect_names(FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE |
			 FWCTL_CXL_EFFECT_BACKGROUND | 0x8000, buf, sizeof(buf));
	ok(!strcmp(buf, "config_change_immediate,background,reserved"),
	   "cxl: effect names");

	ok(cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE) ==
	   FWCTL_RPC_DEBUG_WRITE_FULL, "cxl: immediate change needs full debug");
	ok(cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET) ==
	   FWCTL_RPC_DEBUG_WRITE, "cxl: change at reset needs debug write");
	ok(cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_CXL_RESET |
			      FWCTL_CXL_EFFECT_LOG_CHANGE_IMMEDIATE) ==
	   FWCTL_RPC_DEBUG_WRITE_FULL, "cxl: the strongest effect wins");
	ok(cxl_set_feat_scope(0) < 0 &&
	   cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET |
			      FWCTL_CXL_EFFECT_BACKGROUND) < 0 &&
	   cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET |
			      0x1000) < 0 &&
	   cxl_set_feat_scope(FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET |
			      FWCTL_CXL_EFFECT_SECURITY_STATE_CHANGE) < 0,
	   "cxl: features that can never be set");

	id[0x10] = 4;		/* 1 GiB */
	id[0x38] = 0x00;
	id[0x39] = 0x02;	/* 512-byte LSA */
	id[0x3c] = 0x56;
	id[0x3d] = 0x34;
	id[0x3e] = 0x12;
	f = open_memstream(&doc, &size);
	if (!f) {
		ok(false, "cxl: identify decode");
		return;
	}
	json_init(&cli.js, f);
	json_obj_begin(&cli.js, NULL);
	cxl_identify_show(&cli, id, sizeof(id));
	json_obj_end(&cli.js);
	fclose(f);
	ok(strstr(doc, "\"fw_revision\": \"FW 1.2\"") &&
	   strstr(doc, "\"total_capacity\": 1073741824") &&
	   strstr(doc, "\"lsa_size\": 512") &&
	   strstr(doc, "\"poison_list_max_records\": 1193046") &&
	   !strstr(doc, "dc_event_log_size"), "cxl: identify decode");
	free(doc);
}

/* --- mlx5 encoders and decoders, against canned mailboxes -------------- */

/* The JSON mlx5_caps_show() writes for a page of @len bytes, malloc'd */
static char *caps_doc(const uint8_t *page, uint32_t len)
{
	struct cli cli = { .json = true };
	char *doc = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&doc, &size);
	if (!f)
		return NULL;
	json_init(&cli.js, f);
	json_obj_begin(&cli.js, NULL);
	mlx5_caps_show(&cli, page, len);
	json_obj_end(&cli.js);
	fclose(f);
	return doc;
}

static void test_mlx5(void)
{
	static const uint8_t caps_in[16] = {
		0x01, 0x00, 0, 0, 0, 0, 0x00, 0x01,
	};
	static const uint8_t reg_in[16] = {
		0x08, 0x05, 0, 0, 0, 0, 0x00, 0x01,
		0, 0, 0x90, 0x01, 0x12, 0x34, 0x56, 0x78,
	};
	static const uint8_t bad_out[16] = {
		0x03, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef,
	};
	uint8_t in[16], page[4096] = {};
	struct cli_fw_status st;
	char *doc;

	memset(in, 0, sizeof(in));
	mlx5_encode_hdr(in, 0x100, 0 << 1 | 1);
	ok(!memcmp(in, caps_in, sizeof(in)),
	   "mlx5: QUERY_HCA_CAP header, general page, current values");
	memset(in, 0, sizeof(in));
	mlx5_encode_access_reg(in, false, 0x9001, 0x12345678);
	ok(!memcmp(in, reg_in, sizeof(in)), "mlx5: ACCESS_REG read");
	memset(in, 0, sizeof(in));
	mlx5_encode_access_reg(in, true, 0x9001, 0x12345678);
	ok(in[7] == 0 && !memcmp(in + 8, reg_in + 8, 8),
	   "mlx5: ACCESS_REG write has op_mod 0");

	ok(mlx5_decode_out(bad_out, sizeof(bad_out), &st) && st.status == 3 &&
	   st.syndrome == 0xdeadbeef && !strcmp(st.name, "bad_parameter"),
	   "mlx5: failed reply: status, syndrome, name");
	ok(!mlx5_decode_out(bad_out, 15, &st), "mlx5: reply shorter than its header");
	ok(mlx5_decode_out(caps_in + 2, 16, &st) && !st.status &&
	   !strcmp(st.name, "ok"), "mlx5: good reply");
	ok(!mlx5_status_name(0x42) &&
	   !strcmp(mlx5_status_name(0x51), "bad_output_length"),
	   "mlx5: status names");

	page[6] = 0xab;
	page[7] = 0xcd;				/* vhca_id, bits 0x30-0x3f */
	page[0x13] = 0xe0 | 18;			/* log_max_qp, 0x9b-0x9f */
	page[0x37] = 2;				/* num_ports, 0x1b8-0x1bf */
	page[0x80] = 0x80;
	page[0x87] = 0x01;			/* general_obj_types */
	page[0x8c] = 0xe0 | 7;			/* log_max_uctx, 0x463-0x467 */
	page[0xd7] = 0x04;			/* uctx_cap, 0x6a0 */
	ok(mlx5_field(page, sizeof(page), 0x30, 16) == 0xabcd &&
	   mlx5_field(page, sizeof(page), 0x9b, 5) == 18 &&
	   mlx5_field(page, sizeof(page), 0x98, 3) == 7 &&
	   mlx5_field(page, sizeof(page), 0x400, 64) == 0x8000000000000001ULL &&
	   !mlx5_field(page, 8, 0x30, 64) && !mlx5_field(page, 8, 0, 65),
	   "mlx5: big-endian bit fields");

	doc = caps_doc(page, sizeof(page));
	ok(doc && strstr(doc, "\"vhca_id\": 43981") &&
	   strstr(doc, "\"log_max_qp\": 18") &&
	   strstr(doc, "\"num_ports\": 2") &&
	   strstr(doc, "\"general_obj_types\": 9223372036854775809") &&
	   strstr(doc, "\"log_max_uctx\": 7") &&
	   strstr(doc, "\"uctx_cap\": 4") &&
	   strstr(doc, "\"roce\": 0"), "mlx5: capability decode");
	free(doc);
	doc = caps_doc(page, 0x40);
	ok(doc && strstr(doc, "\"log_max_qp\": 18") &&
	   !strstr(doc, "uctx_cap"), "mlx5: fields past a short page left out");
	free(doc);
}

/* --- errno advice ------------------------------------------------------ */

static struct fwctl_err_ctx ectx(enum fwctl_op op, int scope, int need,
				 int max, int rawio, int locked)
{
	struct fwctl_err_ctx c = {
		.op = op, .name = "fwctl7", .scope = scope,
		.need_scope = need, .max_scope = max, .has_rawio = rawio,
		.locked_down = locked,
	};

	return c;
}

static bool hint_has(int err, struct fwctl_err_ctx c, const char *want)
{
	const char *h;
	char buf[512];

	h = fwctl_err_hint(err, &c, buf, sizeof(buf));
	if (h && strstr(h, want))
		return true;
	printf("# hint for %d: %s\n", err, h ? h : "(none)");
	return false;
}

static void test_hints(void)
{
	enum fwctl_op R = FWCTL_OP_RPC, O = FWCTL_OP_OPEN;

	ok(!strcmp(fwctl_errno_name(EPERM), "EPERM") &&
	   !strcmp(fwctl_errno_name(-EOPNOTSUPP), "EOPNOTSUPP") &&
	   !strcmp(fwctl_errno_name(EMSGSIZE), "EMSGSIZE") &&
	   !fwctl_errno_name(4000), "errno names");

	ok(hint_has(EPERM, ectx(R, 2, 2, 1, 1, 0),
		    "root must raise the ceiling first (fwctl max-scope fwctl7 debug_write)"),
	   "EPERM: command needs a scope above the ceiling");
	ok(hint_has(EPERM, ectx(R, 3, 1, 1, 1, 0), "pass --scope debug_read_only"),
	   "EPERM: scope above the ceiling, the command needs less");
	ok(hint_has(EPERM, ectx(R, 2, -1, 0, 1, 0), "pass a scope up to configuration"),
	   "EPERM: scope above the ceiling, need unknown");
	ok(hint_has(EPERM, ectx(R, 3, 3, 3, 0, 0),
		    "needs CAP_SYS_RAWIO in the initial user namespace"),
	   "EPERM: full debug scope without CAP_SYS_RAWIO");
	ok(hint_has(EPERM, ectx(R, 3, 3, 3, -1, -1), "not locked down"),
	   "EPERM: full debug scope, capability unknown");
	ok(hint_has(EPERM, ectx(R, 3, -1, 3, 1, 1), "locked down"),
	   "EPERM: full debug scope under lockdown");
	ok(hint_has(EPERM, ectx(R, 1, 2, 3, 1, 0),
		    "needs scope debug_write, above debug_read_only: pass --scope debug_write"),
	   "EPERM: the command needs a higher scope");
	ok(hint_has(EPERM, ectx(R, 0, 2, 1, 1, 0), "after root raises"),
	   "EPERM: higher scope needed, beyond the ceiling");
	ok(hint_has(EPERM, ectx(R, 1, -1, 3, 1, 0), "pass --scope debug_write or higher"),
	   "EPERM: the driver refused, need unknown");
	ok(hint_has(EPERM, ectx(R, 3, -1, 3, 1, 0), "does not allow this command"),
	   "EPERM: refused at the highest scope");
	ok(hint_has(EPERM, ectx(R, 2, FWCTL_SCOPE_NEVER, 3, 1, 0), "whatever the scope"),
	   "EPERM: refused at any scope");
	ok(hint_has(EPERM, ectx(O, -1, -1, -1, 1, 0), "root only"),
	   "EPERM: open");
	ok(hint_has(EACCES, ectx(O, -1, -1, -1, 1, 0), "root only"),
	   "EACCES: open");
	ok(hint_has(EACCES, ectx(FWCTL_OP_SYSFS, -1, -1, -1, 1, 0), "only root"),
	   "EACCES: sysfs");
	ok(hint_has(ENODEV, ectx(R, 0, -1, 3, 1, 0), "went away") &&
	   hint_has(-ENODEV, ectx(R, 0, -1, 3, 1, 0), "open the device again"),
	   "ENODEV: an open file whose device is gone");
	ok(hint_has(ENODEV, ectx(O, -1, -1, -1, 1, 0), "driver is not bound"),
	   "ENODEV: open");
	ok(hint_has(ENOENT, ectx(O, -1, -1, -1, 1, 0), "fwctl list"),
	   "ENOENT: open");
	ok(hint_has(EOPNOTSUPP, ectx(R, 0, -1, 3, 1, 0), "does not allow this command"),
	   "EOPNOTSUPP: rpc");
	ok(hint_has(EMSGSIZE, ectx(R, 0, -1, 3, 1, 0), "2 MiB"),
	   "EMSGSIZE");
	ok(hint_has(EINVAL, ectx(R, 0, -1, 3, 1, 0), "--out-len"),
	   "EINVAL: rpc");
	ok(hint_has(E2BIG, ectx(R, 0, -1, 3, 1, 0), "older than this tool"),
	   "E2BIG");
	ok(hint_has(EFAULT, ectx(R, 0, -1, 3, 1, 0), "bug in the tool"),
	   "EFAULT");
	ok(hint_has(ENOTTY, ectx(FWCTL_OP_INFO, -1, -1, -1, 1, 0), "not a fwctl device node"),
	   "ENOTTY");
	ok(hint_has(ENOMEM, ectx(R, 0, -1, 3, 1, 0), "out of memory"),
	   "ENOMEM");
	ok(hint_has(ETIMEDOUT, ectx(R, 0, -1, 3, 1, 0), "did not answer in time"),
	   "ETIMEDOUT");
	ok(hint_has(EINTR, ectx(R, 0, -1, 3, 1, 0), "signal"), "EINTR");
	ok(hint_has(EBUSY, ectx(R, 0, -1, 3, 1, 0), "busy"), "EBUSY");
	ok(hint_has(EIO, ectx(R, 0, -1, 3, 1, 0), "dmesg"), "EIO");
	{
		struct fwctl_err_ctx c = ectx(R, 0, -1, 3, 1, 0);
		char buf[64];

		ok(!fwctl_err_hint(EXDEV, &c, buf, sizeof(buf)),
		   "no advice for an unrelated errno");
	}
}

/* --- a fake sysfs ------------------------------------------------------ */

static void put_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	f = fopen(path, "w");
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void put_dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	mkdir(path, 0755);
}

static void put_link(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	if (symlink(target, path))
		perror(path);
}

static const char *const stat_files[] = {
	"configuration", "debug_read_only", "debug_write", "debug_write_full",
	"ok", "denied", "invalid", "failed",
};

/* A device fwctlN under platform device foo.N, the way the core lays it out */
static void fake_device(int n, unsigned int type, const char *max_scope)
{
	char rel[256], val[32], target[256];
	size_t i;

	snprintf(rel, sizeof(rel), "sys/devices/platform/foo.%d", n);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "sys/devices/platform/foo.%d/subsystem", n);
	put_link("../../../bus/platform", rel);
	snprintf(rel, sizeof(rel), "sys/devices/platform/foo.%d/driver", n);
	put_link("../../../bus/platform/drivers/foo", rel);
	snprintf(rel, sizeof(rel), "sys/devices/platform/foo.%d/fwctl", n);
	put_dir(rel);
	snprintf(rel, sizeof(rel),
		 "sys/devices/platform/foo.%d/fwctl/fwctl%d", n, n);
	put_dir(rel);
	snprintf(target, sizeof(target),
		 "../../devices/platform/foo.%d/fwctl/fwctl%d", n, n);
	snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d", n);
	put_link(target, rel);
	/* The parent, seen from devices/platform/foo.N/fwctl/fwctlN */
	snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d/device", n);
	put_link("../..", rel);

	snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d/device_type", n);
	snprintf(val, sizeof(val), "%u\n", type);
	put_file(rel, val);
	snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d/max_scope", n);
	put_file(rel, max_scope);
	snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d/stats", n);
	put_dir(rel);
	for (i = 0; i < ARRAY_SIZE(stat_files); i++) {
		snprintf(rel, sizeof(rel), "sys/class/fwctl/fwctl%d/stats/%s",
			 n, stat_files[i]);
		snprintf(val, sizeof(val), "%zu\n", i + 10 * n);
		put_file(rel, val);
	}
}

static void fake_sysfs(void)
{
	put_dir("sys");
	put_dir("sys/bus");
	put_dir("sys/bus/platform");
	put_dir("sys/bus/platform/drivers");
	put_dir("sys/bus/platform/drivers/foo");
	put_dir("sys/devices");
	put_dir("sys/devices/platform");
	put_dir("sys/class");
	put_dir("sys/class/fwctl");
	put_dir("sys/kernel");
	put_dir("sys/kernel/security");
	put_dir("dev");
	put_dir("dev/fwctl");
	put_file("regular", "x");
	fake_device(10, FWCTL_DEVICE_TYPE_CXL, "debug_write\n");
	fake_device(3, FWCTL_DEVICE_TYPE_TEST_MOCK, "debug_write_full\n");
}

static void test_discovery(void)
{
	char root[512], devroot[512], name[FWCTL_NAME_LEN], path[600];
	struct fwctl_sysinfo si;
	char **names;
	size_t n;
	int ret;

	snprintf(root, sizeof(root), "%s/sys", tmpdir);
	snprintf(devroot, sizeof(devroot), "%s/dev", tmpdir);
	fwctl_set_roots(root, devroot);

	ret = fwctl_list(&names, &n);
	ok(!ret && n == 2 && !strcmp(names[0], "fwctl3") &&
	   !strcmp(names[1], "fwctl10"), "list: sorted by number");
	if (!ret)
		fwctl_list_free(names, n);

	ret = fwctl_sysinfo_read("fwctl3", &si);
	ok(!ret && si.has_type &&
	   si.device_type == FWCTL_DEVICE_TYPE_TEST_MOCK,
	   "sysinfo: device type");
	ok(!ret && si.max_scope == FWCTL_RPC_DEBUG_WRITE_FULL,
	   "sysinfo: max_scope");
	ok(!ret && !strcmp(si.parent, "foo.3") &&
	   !strcmp(si.parent_bus, "platform") &&
	   !strcmp(si.parent_driver, "foo"), "sysinfo: parent, bus, driver");
	ok(!ret && si.has_stats && si.stats[FWCTL_STATS_OK] == 34 &&
	   si.stats[FWCTL_STATS_FAILED] == 37, "sysinfo: counters");
	snprintf(path, sizeof(path), "%s/fwctl/fwctl3", devroot);
	ok(!ret && !strcmp(si.node, path), "sysinfo: node path");
	ok(fwctl_sysinfo_read("fwctl4", &si) == -ENOENT,
	   "sysinfo: missing device");
	ok(fwctl_sysinfo_read("../x", &si) == -EINVAL,
	   "sysinfo: a name that is not fwctlN");

	ok(!fwctl_resolve("fwctl10", name, sizeof(name)) &&
	   !strcmp(name, "fwctl10"), "resolve: fwctlN");
	ok(!fwctl_resolve("10", name, sizeof(name)) &&
	   !strcmp(name, "fwctl10"), "resolve: N");
	ok(!fwctl_resolve("foo.3", name, sizeof(name)) &&
	   !strcmp(name, "fwctl3"), "resolve: parent name");
	snprintf(path, sizeof(path), "%s/devices/platform/foo.10", root);
	ok(!fwctl_resolve(path, name, sizeof(name)) &&
	   !strcmp(name, "fwctl10"), "resolve: parent sysfs directory");
	snprintf(path, sizeof(path), "%s/class/fwctl/fwctl3", root);
	ok(!fwctl_resolve(path, name, sizeof(name)) &&
	   !strcmp(name, "fwctl3"), "resolve: class directory");
	ok(fwctl_resolve("nope.0", name, sizeof(name)) == -ENOENT,
	   "resolve: unknown parent name");
	snprintf(path, sizeof(path), "%s/regular", tmpdir);
	ok(fwctl_resolve(path, name, sizeof(name)) == -ENOTTY,
	   "resolve: a regular file");
	ok(fwctl_resolve("/dev/null", name, sizeof(name)) == -ENOTTY,
	   "resolve: another char device");
	ok(fwctl_resolve(tmpdir, name, sizeof(name)) == -ENOENT,
	   "resolve: a directory with no fwctl device");
	ok(fwctl_resolve("", name, sizeof(name)) == -EINVAL,
	   "resolve: empty");

	ok(!fwctl_max_scope_write("fwctl10", FWCTL_RPC_CONFIGURATION) &&
	   !fwctl_sysinfo_read("fwctl10", &si) &&
	   si.max_scope == FWCTL_RPC_CONFIGURATION, "max_scope write");
	ok(fwctl_max_scope_write("fwctl10", 9) == -EINVAL,
	   "max_scope write: bad scope");

	ok(fwctl_locked_down() == -1, "lockdown: unknown without securityfs");
	put_file("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	ok(fwctl_locked_down() == 0, "lockdown: none");
	put_file("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	ok(fwctl_locked_down() == 1, "lockdown: integrity");
	fwctl_set_roots(NULL, NULL);
}

/* --- the command ------------------------------------------------------- */

struct run {
	int code;
	char out[16384];
	char err[4096];
};

static void slurp(const char *path, char *buf, size_t len)
{
	ssize_t n = 0;
	int fd;

	buf[0] = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
}

/* Runs "fwctl ARGS" against the fake tree; ARGS is shell text */
static void run(struct run *r, const char *args)
{
	char cmd[4096], out[512], err[512];
	int status;

	snprintf(out, sizeof(out), "%s/stdout", tmpdir);
	snprintf(err, sizeof(err), "%s/stderr", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "FWCTL_SYSFS_ROOT=%s/sys FWCTL_DEV_ROOT=%s/dev %s %s %s </dev/null >%s 2>%s",
		 tmpdir, tmpdir, run_env, fwctl_bin, args, out, err);
	status = system(cmd);
	r->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

static void expect(const char *args, int code, const char *out_has,
		   const char *err_has, const char *name)
{
	struct run r;
	bool good;

	run(&r, args);
	good = r.code == code && (!out_has || strstr(r.out, out_has)) &&
	       (!err_has || strstr(r.err, err_has));
	ok(good, "cli: %s", name);
	if (!good)
		printf("# fwctl %s: exit %d\n# stdout: %.300s\n# stderr: %.300s\n",
		       args, r.code, r.out, r.err);
}

static void test_cli_usage(void)
{
	expect("", 1, NULL, "Usage: fwctl", "no arguments: usage, exit 1");
	expect("--help", 0, "Exit status", NULL, "--help");
	expect("--version", 0, "fwctl ", NULL, "--version");
	expect("bogus", 1, NULL, "unknown command 'bogus'", "unknown command");
	expect("help rpc", 0, "--scope SCOPE", NULL, "help rpc");
	expect("help mock echo", 0, "fwctl [--json] mock echo", NULL,
	       "help of a driver subcommand");
	expect("help mock", 0, "reg-write", NULL, "help of a driver");
	expect("help nope", 1, NULL, "no help for 'nope'", "help: unknown");
	expect("rpc", 1, NULL, "expected one device", "rpc: no device");
	expect("rpc fwctl3", 1, NULL, "--scope is required",
	       "rpc: no scope");
	expect("rpc fwctl3 --scope bogus", 1, NULL, "invalid scope 'bogus'",
	       "rpc: bad scope name");
	expect("rpc fwctl3 --scope 4", 1, NULL, "invalid scope '4'",
	       "rpc: scope number out of range");
	expect("rpc fwctl3 --scope", 1, NULL, "needs an argument",
	       "rpc: option without its argument");
	expect("rpc fwctl3 --scope 0 --hex 0g", 1, NULL,
	       "invalid hex data at character 2", "rpc: bad hex");
	expect("rpc fwctl3 --scope 0 --hex 00 --in x", 1, NULL,
	       "exclude each other", "rpc: --in and --hex");
	expect("rpc fwctl3 --scope 0 --out-len 1Q", 1, NULL,
	       "invalid --out-len", "rpc: bad --out-len");
	expect("rpc fwctl3 --scope 0 --out-len 17M", 1, NULL,
	       "invalid --out-len", "rpc: --out-len above the tool's limit");
	expect("rpc fwctl3 --scope 0 --bogus", 1, NULL,
	       "unknown option '--bogus'", "rpc: unknown option");
	expect("rpc fwctl3 fwctl10 --scope 0", 1, NULL, "expected one device",
	       "rpc: two devices");
	expect("--json rpc fwctl3 --scope 0 --out -", 1, NULL,
	       "both want stdout", "rpc: --out - with --json");
	expect("rpc fwctl3 --scope 0 --in /nonexistent/x", 2, NULL,
	       "No such file", "rpc: unreadable input file");
	expect("info", 1, NULL, "expected one device", "info: no device");
	expect("info a b", 1, NULL, "expected one device", "info: two devices");
	expect("list extra", 1, NULL, "unexpected argument", "list: argument");
	expect("max-scope", 1, NULL, "expected a device", "max-scope: none");
	expect("max-scope fwctl3 bogus", 1, NULL, "invalid scope",
	       "max-scope: bad scope");
	expect("mock", 1, NULL, "Subcommands:", "mock: no subcommand");
	expect("mock bogus fwctl3", 1, NULL, "unknown subcommand 'bogus'",
	       "mock: unknown subcommand");
	expect("mock echo", 1, NULL, "expected a device", "mock echo: no device");
	expect("mock reg-read fwctl3", 1, NULL, "missing argument",
	       "mock reg-read: no register");
	expect("mock reg-read fwctl3 abc", 1, NULL, "register 'abc' is not a number",
	       "mock reg-read: bad register");
	expect("mock reg-write fwctl3 1 0x100000000", 1, NULL,
	       "value '0x100000000' is out of range",
	       "mock reg-write: value out of range");
	expect("mock reg-write fwctl3 1 2 3", 1, NULL, "unexpected argument '3'",
	       "mock reg-write: extra argument");
	expect("mock counters fwctl3 --raw", 1, NULL, "unknown option '--raw'",
	       "mock counters: option of another subcommand");
	expect("mock echo fwctl3 text --hex 00", 1, NULL, "not several",
	       "mock echo: two data sources");
	expect("mock echo --help", 0, "mock echo DEV", NULL,
	       "mock echo --help");
	expect("help cxl", 0, "feature-set", NULL, "help cxl");
	expect("cxl log fwctl3 notauuid", 1, NULL, "is not a UUID or a log name",
	       "cxl log: bad UUID");
	expect("cxl feature-get fwctl3 cel --selection maybe", 1, NULL,
	       "invalid selection 'maybe'", "cxl feature-get: bad selection");
	expect("cxl feature-set fwctl3 cel", 1, NULL, "comes from --hex or --in",
	       "cxl feature-set: no data");
	expect("cxl raw fwctl3 0x10000", 1, NULL, "out of range",
	       "cxl raw: opcode out of range");
	expect("cxl timestamp fwctl3 --set yesterday", 1, NULL,
	       "--set takes 'now'", "cxl timestamp: bad --set");
	expect("cxl identify fwctl3 --offset 1", 1, NULL, "unknown option",
	       "cxl identify: option of another subcommand");
	expect("cxl identify fwctl3", 2, NULL, "(ENOENT)",
	       "cxl identify: no device node");
	expect("--json rpc fwctl3", 1, "\"kind\": \"usage\"", NULL,
	       "usage error as JSON");
	expect("help accel", 0, "reg-write", NULL, "help accel");
	expect("accel write fwctl3", 1, NULL, "give 1 to 65536 bytes",
	       "accel write: no data");
	expect("accel write fwctl3 --hex 00 --raw --size 64", 1, NULL,
	       "--size is for a region", "accel write: --size with --raw");
	expect("accel read fwctl3", 1, NULL, "missing argument",
	       "accel read: no length");
	expect("accel read fwctl3 0", 1, NULL, "invalid length '0'",
	       "accel read: zero length");
	expect("accel read fwctl3 8 --hex 00", 1, NULL, "unknown option",
	       "accel read: option of another subcommand");
	expect("accel grant fwctl3 1Q", 1, NULL, "invalid size '1Q'",
	       "accel grant: bad size");
	expect("accel compute fwctl3 five", 1, NULL, "is not a number",
	       "accel compute: bad operand");
	expect("accel reg-write fwctl3 1", 1, NULL, "missing argument",
	       "accel reg-write: no value");
	expect("accel status fwctl3", 2, NULL, "(ENOENT)",
	       "accel status: no device node");
	expect("help mlx5", 0, "reg-read", NULL, "help mlx5");
	expect("mlx5 caps fwctl3 bogus", 1, NULL,
	       "capability type 'bogus' is not a number", "mlx5 caps: bad type");
	expect("mlx5 caps fwctl3 0x8000", 1, NULL, "out of range",
	       "mlx5 caps: type out of range");
	expect("mlx5 reg-read fwctl3", 1, NULL, "missing argument",
	       "mlx5 reg-read: no register");
	expect("mlx5 reg-read fwctl3 0x10000 --size 4", 1, NULL,
	       "out of range", "mlx5 reg-read: register id out of range");
	expect("mlx5 reg-read fwctl3 0x9001 --hex 010203", 1, NULL,
	       "multiple of 4", "mlx5 reg-read: data not in dwords");
	expect("mlx5 reg-write fwctl3 0x9001", 1, NULL, "multiple of 4",
	       "mlx5 reg-write: no data");
	expect("mlx5 nop fwctl3", 2, NULL, "(ENOENT)",
	       "mlx5 nop: no device node");
}

static void test_cli_sysfs(void)
{
	char path[600], buf[64];

	expect("list", 0, "fwctl3     mock     foo.3            debug_write_full", NULL,
	       "list: table");
	expect("list", 0, "fwctl10    cxl      foo.10           configuration", NULL,
	       "list: second device");
	expect("--json list", 0, "\"name\": \"fwctl3\"", NULL,
	       "list --json: name");
	expect("list --json", 0, "\"type\": \"cxl\"", NULL,
	       "list --json after the command: type");
	expect("--json list", 0, "\"device_type\": 65520", NULL,
	       "list --json: device_type");
	expect("--json list", 0, "\"parent_bus\": \"platform\"", NULL,
	       "list --json: parent_bus");
	expect("--json list", 0, "\"denied\": 35", NULL,
	       "list --json: counters");
	expect("max-scope fwctl3", 0, "debug_write_full", NULL,
	       "max-scope: read");
	expect("--json max-scope foo.3 debug_read_only", 0,
	       "\"max_scope_value\": 1", NULL, "max-scope: set by parent name");
	snprintf(path, sizeof(path), "%s/sys/class/fwctl/fwctl3/max_scope",
		 tmpdir);
	slurp(path, buf, sizeof(buf));
	ok(!strncmp(buf, "debug_read_only", 15), "max-scope: file written");
	expect("max-scope fwctl9", 2, NULL, "No such file",
	       "max-scope: unknown device");
	expect("info fwctl3", 2, NULL, "open fwctl3: No such file",
	       "info: no device node");
	expect("info /dev/null", 2, NULL, "(ENOTTY)", "info: not a fwctl node");
	expect("--json info /dev/null", 2, "\"errno_name\": \"ENOTTY\"", NULL,
	       "info --json: errno as JSON");
	expect("mock echo nope.0 x", 2, NULL, "hint: no such fwctl device",
	       "mock echo: unknown device");
	expect("rpc fwctl3 --scope 0", 2, NULL, "(ENOENT)",
	       "rpc: missing node");
}

static void test_cli_empty(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/sys/class/fwctl", tmpdir);
	if (system(cmd))
		return;
	expect("list", 0, "no fwctl devices", "not loaded",
	       "list: no fwctl class");
	expect("--json list", 0, "\"devices\": []", NULL,
	       "list --json: no fwctl class");
}

/*
 * The mlx5 subcommands end to end, against the canned firmware of
 * fake_mlx5.so: what each sends (its log) and what it makes of the reply
 */
static void test_mlx5_cli(const char *shim)
{
	char env[1024], log[600], buf[8192];

	if (!shim) {
		skip("mlx5 commands against canned firmware: no shim given");
		return;
	}
	snprintf(log, sizeof(log), "%s/mlx5.log", tmpdir);
	snprintf(env, sizeof(env), "LD_PRELOAD=%s FAKE_MLX5_LOG=%s", shim, log);
	put_file("dev/fwctl/fwctl11", "");
	run_env = env;

	expect("--json info fwctl11", 0, "\"uctx_caps\": 4", NULL,
	       "mlx5 info: device data decoded");
	unlink(log);
	expect("mlx5 nop fwctl11", 0, NULL, NULL, "mlx5 nop");
	slurp(log, buf, sizeof(buf));
	ok(!strcmp(buf, "scope 0 in 080d0000000000000000000000000000\n"),
	   "mlx5 nop: request and scope");
	unlink(log);
	expect("--json mlx5 caps fwctl11", 0, "\"vhca_id\": 4660", NULL,
	       "mlx5 caps: general capabilities decoded");
	expect("--json mlx5 caps fwctl11", 0, "\"log_max_qp\": 17", NULL,
	       "mlx5 caps: log_max_qp");
	expect("--json mlx5 caps fwctl11", 0, "\"scope\": \"debug_read_only\"",
	       NULL, "mlx5 caps: its scope");
	slurp(log, buf, sizeof(buf));
	ok(!strncmp(buf, "scope 1 in 01000000000000010000000000000000\n", 44),
	   "mlx5 caps: QUERY_HCA_CAP of current general capabilities");
	unlink(log);
	expect("mlx5 caps fwctl11 4 max", 0, "capabilities (4096 bytes)", NULL,
	       "mlx5 caps of another page: hex dump");
	slurp(log, buf, sizeof(buf));
	ok(!strcmp(buf, "scope 1 in 01000000000000080000000000000000\n"),
	   "mlx5 caps: op_mod of page 4, maximum values");
	expect("mlx5 caps fwctl11 --scope configuration", 2, NULL,
	       "pass --scope debug_read_only", "mlx5 caps below its scope: advice");
	unlink(log);
	expect("--json mlx5 reg-read fwctl11 0x9001 7 --hex 01020304 --size 8",
	       0, "\"data\": \"0203040501010101\"", NULL,
	       "mlx5 reg-read: the register as the firmware returns it");
	slurp(log, buf, sizeof(buf));
	ok(!strcmp(buf, "scope 1 in 080500000000000100009001000000070102030400000000\n"),
	   "mlx5 reg-read: ACCESS_REG read, id, argument, padded data");
	unlink(log);
	expect("mlx5 reg-write fwctl11 0x9001 --hex 0a0b0c0d", 0, NULL, NULL,
	       "mlx5 reg-write");
	slurp(log, buf, sizeof(buf));
	ok(!strcmp(buf, "scope 3 in 080500000000000000009001000000000a0b0c0d\n"),
	   "mlx5 reg-write: ACCESS_REG write at debug_write_full");
	expect("--json mlx5 reg-read fwctl11 0xbad --size 4", 3,
	       "\"status_name\": \"bad_parameter\"", "syndrome 0xc0ffee",
	       "mlx5 reg-read failed by the firmware: exit 3");
	expect("--json mlx5 reg-read fwctl11 0xbad --size 4", 3,
	       "\"syndrome\": 12648430", NULL,
	       "mlx5 reg-read failed by the firmware: syndrome");
	expect("rpc fwctl11 --scope 0 --hex 0800000000000000", 2, NULL,
	       "(EINVAL)", "rpc to mlx5 shorter than the header: EINVAL");
	expect("--json rpc fwctl11 --scope 1 --hex 080500000000000100000bad00000000",
	       3, NULL, "bad_parameter", "rpc to mlx5: firmware status decoded");
	expect("mock counters fwctl11", 2, NULL, "not 'mock'",
	       "mock command on an mlx5 device");
	run_env = "";
}

int main(int argc, char **argv)
{
	char cmd[600];
	FILE *f;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s PATH-TO-FWCTL [PATH-TO-FAKE_MLX5.SO]\n",
			argv[0]);
		return 2;
	}
	fwctl_bin = argv[1];
	memcpy(tmpdir, TMPDIR_TEMPLATE, sizeof(tmpdir));
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}

	test_scopes();
	test_type_names();
	test_hex();
	test_numbers();
	test_json_escape();
	test_json_doc();
	test_cxl();
	test_mlx5();
	test_hints();
	fake_sysfs();
	test_discovery();
	test_cli_usage();
	test_cli_sysfs();
	test_cli_empty();
	test_mlx5_cli(argc > 2 ? argv[2] : NULL);

	printf("1..%d\n", n_pass + n_fail + n_skip);
	printf("# fwctl host tests: %d passed, %d failed, %d skipped\n",
	       n_pass, n_fail, n_skip);
	if (getenv("FWCTL_COUNTS")) {
		f = fopen(getenv("FWCTL_COUNTS"), "w");
		if (f) {
			fprintf(f, "%d %d %d\n", n_pass, n_fail, n_skip);
			fclose(f);
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return n_fail ? 1 : 0;
}
