// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl cxl: CXL memory device commands over fwctl (include/uapi/fwctl/cxl.h).
 *
 * A request is a 16-byte header (opcode, flags, op_size) and the mailbox
 * input payload; a reply an 8-byte header (size, retval) and the output
 * payload. The commands the device accepts, each with the scope it needs,
 * come from FWCTL_INFO, so the tool never guesses a scope the kernel
 * knows. Payloads are little-endian, as on the mailbox.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fwctl/cxl.h>

#include "cli.h"
#include "util.h"

#define CXL_HDR_IN		sizeof(struct fwctl_rpc_cxl_hdr)
#define CXL_HDR_OUT		sizeof(struct fwctl_rpc_cxl_out_hdr)
/* The smallest payload a CXL mailbox has, for kernels that do not say */
#define CXL_MIN_PAYLOAD		256
#define CXL_MAX_PAYLOAD		(1024 * 1024)

#define CXL_OP_GET_TIMESTAMP		0x0300
#define CXL_OP_SET_TIMESTAMP		0x0301
#define CXL_OP_GET_SUPPORTED_LOGS	0x0400
#define CXL_OP_GET_LOG			0x0401
#define CXL_OP_IDENTIFY			0x4000
#define CXL_OP_GET_LSA			0x4102

#define CXL_IDENTIFY_LEN	0x43
#define CXL_LOG_ENTRY_LEN	20
#define CXL_UUID_STR_LEN	37

/* Names of the mailbox commands, CXL r3.1 section 8.2.9 */
static const struct {
	uint16_t opcode;
	const char *name;
} cxl_op_names[] = {
	{ 0x0001, "Identify" },
	{ 0x0002, "Background Operation Status" },
	{ 0x0003, "Get Response Message Limit" },
	{ 0x0004, "Set Response Message Limit" },
	{ 0x0005, "Request Abort Background Operation" },
	{ 0x0100, "Get Event Records" },
	{ 0x0101, "Clear Event Records" },
	{ 0x0102, "Get Event Interrupt Policy" },
	{ 0x0103, "Set Event Interrupt Policy" },
	{ 0x0200, "Get FW Info" },
	{ 0x0201, "Transfer FW" },
	{ 0x0202, "Activate FW" },
	{ 0x0300, "Get Timestamp" },
	{ 0x0301, "Set Timestamp" },
	{ 0x0400, "Get Supported Logs" },
	{ 0x0401, "Get Log" },
	{ 0x0402, "Get Log Capabilities" },
	{ 0x0403, "Clear Log" },
	{ 0x0404, "Populate Log" },
	{ 0x0405, "Get Supported Logs Sub-List" },
	{ 0x0500, "Get Supported Features" },
	{ 0x0501, "Get Feature" },
	{ 0x0502, "Set Feature" },
	{ 0x0600, "Perform Maintenance" },
	{ 0x4000, "Identify Memory Device" },
	{ 0x4100, "Get Partition Info" },
	{ 0x4101, "Set Partition Info" },
	{ 0x4102, "Get LSA" },
	{ 0x4103, "Set LSA" },
	{ 0x4200, "Get Health Info" },
	{ 0x4201, "Get Alert Configuration" },
	{ 0x4202, "Set Alert Configuration" },
	{ 0x4203, "Get Shutdown State" },
	{ 0x4204, "Set Shutdown State" },
	{ 0x4300, "Get Poison List" },
	{ 0x4301, "Inject Poison" },
	{ 0x4302, "Clear Poison" },
	{ 0x4303, "Get Scan Media Capabilities" },
	{ 0x4304, "Scan Media" },
	{ 0x4305, "Get Scan Media Results" },
	{ 0x4400, "Sanitize" },
	{ 0x4401, "Secure Erase" },
	{ 0x4500, "Get Security State" },
	{ 0x4501, "Set Passphrase" },
	{ 0x4502, "Disable Passphrase" },
	{ 0x4503, "Unlock" },
	{ 0x4504, "Freeze Security State" },
	{ 0x4505, "Passphrase Secure Erase" },
	{ 0x4600, "Security Send" },
	{ 0x4601, "Security Receive" },
	{ 0x4800, "Get Dynamic Capacity Configuration" },
	{ 0x4801, "Get Dynamic Capacity Extent List" },
	{ 0x4802, "Add Dynamic Capacity Response" },
	{ 0x4803, "Release Dynamic Capacity" },
};

/* Mailbox return codes, CXL r3.1 table 8-34 */
static const char *const cxl_rc_names[] = {
	"success", "background command started", "invalid input",
	"unsupported", "internal error", "retry required", "busy",
	"media disabled", "FW transfer in progress", "FW transfer out of order",
	"FW verification failed", "invalid slot", "activation failed, FW rolled back",
	"activation failed, cold reset required", "invalid handle",
	"invalid physical address", "inject poison limit reached",
	"permanent media failure", "aborted", "invalid security state",
	"incorrect passphrase", "unsupported mailbox or CCI",
	"invalid payload length", "invalid log", "interrupted",
	"unsupported feature version", "unsupported feature selection value",
	"feature transfer in progress", "feature transfer out of order",
	"resources exhausted", "invalid extent list",
};

static const char *const cxl_effect_bits[] = {
	"config_change_cold_reset", "config_change_immediate",
	"data_change_immediate", "policy_change_immediate",
	"log_change_immediate", "security_state_change", "background",
	"secondary_mailbox", "background_abort", "effects_valid",
	"config_change_conventional_reset", "config_change_cxl_reset",
};

static const struct {
	uint8_t uuid[16];
	const char *name;
} cxl_logs[] = {
	{ { 0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78, 0x8f, 0x79,
	    0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17 }, "cel" },
	{ { 0x5e, 0x18, 0x19, 0xd9, 0x11, 0xa9, 0x40, 0x0c, 0x81, 0x1f,
	    0xd6, 0x07, 0x19, 0x40, 0x3d, 0x86 }, "vendor-debug" },
	{ { 0xb3, 0xfa, 0xb4, 0xcf, 0x01, 0xb6, 0x43, 0x32, 0x94, 0x3e,
	    0x5e, 0x99, 0x62, 0xf2, 0x35, 0x67 }, "component-state-dump" },
};

static const char *cxl_op_name(uint16_t opcode)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cxl_op_names); i++)
		if (cxl_op_names[i].opcode == opcode)
			return cxl_op_names[i].name;
	return opcode >= 0xc000 ? "Vendor specific" : "Unknown";
}

static const char *cxl_rc_name(uint32_t rc)
{
	return rc < ARRAY_SIZE(cxl_rc_names) ? cxl_rc_names[rc] : NULL;
}

/**
 * cxl_effect_names() - the names of the set bits of a Command Effect field
 * @effects: the field
 * @buf: filled with the names, separated by ','; "none" when no bit is set
 * @len: size of @buf
 */
void cxl_effect_names(uint16_t effects, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < 16 && n < len; i++) {
		if (!(effects & (1U << i)))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			      i < ARRAY_SIZE(cxl_effect_bits) ?
			      cxl_effect_bits[i] : "reserved");
	}
	if (!effects)
		snprintf(buf, len, "none");
}

/**
 * cxl_set_feat_scope() - the scope Set Feature needs for a feature
 * @effects: the feature's &cxl_feat_entry.effects
 *
 * The kernel's rule: an immediate change needs debug_write_full, one that
 * waits for a reset debug_write; reserved bits, background operations,
 * security changes and features without effects are never settable.
 *
 * Return: the scope, or -1 when the feature cannot be set through fwctl.
 */
int cxl_set_feat_scope(uint16_t effects)
{
	if (effects & (FWCTL_CXL_EFFECT_RESERVED | FWCTL_CXL_EFFECT_BACKGROUND |
		       FWCTL_CXL_EFFECT_SECURITY_STATE_CHANGE))
		return -1;
	if (effects & (FWCTL_CXL_EFFECT_CONFIG_CHANGE_IMMEDIATE |
		       FWCTL_CXL_EFFECT_DATA_CHANGE_IMMEDIATE |
		       FWCTL_CXL_EFFECT_POLICY_CHANGE_IMMEDIATE |
		       FWCTL_CXL_EFFECT_LOG_CHANGE_IMMEDIATE))
		return FWCTL_RPC_DEBUG_WRITE_FULL;
	if (effects & (FWCTL_CXL_EFFECT_CONFIG_CHANGE_COLD_RESET |
		       FWCTL_CXL_EFFECT_CONFIG_CHANGE_CONV_RESET |
		       FWCTL_CXL_EFFECT_CONFIG_CHANGE_CXL_RESET))
		return FWCTL_RPC_DEBUG_WRITE;
	return -1;
}

/* "0da9c0b5-bf41-4b78-8f79-96b1623b3f17": bytes in the order they print */
void cxl_uuid_format(const uint8_t *uuid, char *buf)
{
	static const int dash[] = { 4, 6, 8, 10 };
	size_t i, d = 0, n = 0;

	for (i = 0; i < 16; i++) {
		if (d < ARRAY_SIZE(dash) && (int)i == dash[d]) {
			buf[n++] = '-';
			d++;
		}
		n += sprintf(buf + n, "%02x", uuid[i]);
	}
	buf[n] = 0;
}

/**
 * cxl_uuid_parse() - a UUID, with or without dashes, or a log's name
 * @s: the text
 * @uuid: set to the 16 bytes
 *
 * Return: 0 or -EINVAL.
 */
int cxl_uuid_parse(const char *s, uint8_t *uuid)
{
	size_t i, len, pos;
	uint8_t *buf;
	int ret = -EINVAL;

	for (i = 0; i < ARRAY_SIZE(cxl_logs); i++) {
		if (!strcmp(s, cxl_logs[i].name)) {
			memcpy(uuid, cxl_logs[i].uuid, 16);
			return 0;
		}
	}
	/* Dashes only where a UUID has them, or none at all */
	len = strlen(s);
	if (len == 36 && (s[8] != '-' || s[13] != '-' || s[18] != '-' ||
			  s[23] != '-'))
		return -EINVAL;
	if (len != 36 && len != 32)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] == '-' && len == 32)
			return -EINVAL;
	if (hex_parse(s, &buf, &len, &pos))
		return -EINVAL;
	if (len == 16) {
		memcpy(uuid, buf, 16);
		ret = 0;
	}
	free(buf);
	return ret;
}

static const char *cxl_log_name(const uint8_t *uuid)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cxl_logs); i++)
		if (!memcmp(uuid, cxl_logs[i].uuid, 16))
			return cxl_logs[i].name;
	return NULL;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static uint64_t le64_at(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static uint32_t le_at(const uint8_t *p, int bytes)
{
	uint32_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/**
 * struct cxl_dev - an open CXL device
 * @dev: the fwctl device
 * @info: its FWCTL_INFO data, or NULL when the kernel gives none
 * @nr_cmds: entries of @info->commands the data really holds
 * @payload_size: the mailbox payload size
 * @scope: the scope to send instead of the command's, or -1
 * @need_scope: the scope the request needs when it is not the command's
 *	(Set Feature), %FWCTL_SCOPE_NEVER when no scope allows it, or -1
 */
struct cxl_dev {
	struct fwctl_dev dev;
	struct fwctl_info_cxl *info;
	uint32_t nr_cmds;
	uint32_t payload_size;
	int scope;
	int need_scope;
};

/**
 * struct cxl_reply - a decoded reply
 * @buf: the whole reply, malloc'd
 * @retval: the mailbox return code
 * @data: the output payload, inside @buf
 * @len: its length
 * @scope: the scope the request was sent with
 */
struct cxl_reply {
	void *buf;
	uint32_t retval;
	const uint8_t *data;
	uint32_t len;
	int scope;
};

static int cxl_open(struct cli *cli, const char *spec, int scope,
		    struct cxl_dev *cd)
{
	uint32_t len, max;
	void *info;
	int ret;

	memset(cd, 0, sizeof(*cd));
	cd->scope = scope;
	cd->need_scope = -1;
	ret = cli_open_driver(cli, spec, &cli_drv_cxl, &cd->dev, &info, &len);
	if (ret)
		return ret;
	cd->payload_size = CXL_MIN_PAYLOAD;
	/* Mainline's data is the reserved word alone */
	if (len < sizeof(*cd->info)) {
		free(info);
		return 0;
	}
	cd->info = info;
	max = (len - sizeof(*cd->info)) / sizeof(cd->info->commands[0]);
	cd->nr_cmds = cd->info->nr_commands < max ? cd->info->nr_commands : max;
	if (cd->info->payload_size >= CXL_MIN_PAYLOAD &&
	    cd->info->payload_size <= CXL_MAX_PAYLOAD)
		cd->payload_size = cd->info->payload_size;
	return 0;
}

static void cxl_close(struct cxl_dev *cd)
{
	free(cd->info);
	cd->info = NULL;
	fwctl_dev_close(&cd->dev);
}

/* The scope the kernel requires for @opcode, or -1 when it is not offered */
static int cxl_cmd_scope(const struct cxl_dev *cd, uint16_t opcode)
{
	uint32_t i;

	for (i = 0; i < cd->nr_cmds; i++)
		if (cd->info->commands[i].opcode == opcode)
			return cd->info->commands[i].scope;
	return -1;
}

static int cxl_check_reply(struct cli *cli, const struct cxl_dev *cd,
			   uint32_t produced, uint32_t cap,
			   struct cxl_reply *rep)
{
	const struct fwctl_rpc_cxl_out *out = rep->buf;

	if (produced < CXL_HDR_OUT || produced > cap)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply of %u bytes does not fit the %u-byte buffer or its header",
				cd->dev.name, produced, cap);
	rep->retval = out->retval;
	rep->data = out->payload;
	rep->len = out->size;
	if (rep->len > produced - CXL_HDR_OUT)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: reply header claims %u payload bytes, the reply carries %zu",
				cd->dev.name, rep->len, produced - CXL_HDR_OUT);
	return 0;
}

/**
 * cxl_exec() - send one mailbox command
 * @cli: the run
 * @cd: the device
 * @opcode: the mailbox opcode
 * @dflt_scope: the scope to send when neither --scope nor the device's
 *	command list give one
 * @in: the input payload
 * @plen: its length
 * @out_max: the largest output payload expected
 * @rep: the reply; free @rep->buf, even on failure
 *
 * Return: 0 when a well-formed reply came back, whatever its return code,
 * or an exit code.
 */
static int cxl_exec(struct cli *cli, const struct cxl_dev *cd,
		    uint16_t opcode, int dflt_scope, const void *in,
		    size_t plen, size_t out_max, struct cxl_reply *rep)
{
	int need = cd->need_scope != -1 ? cd->need_scope :
		   cxl_cmd_scope(cd, opcode);
	struct fwctl_rpc_cxl *req;
	uint32_t cap, produced;
	int ret;

	memset(rep, 0, sizeof(*rep));
	if (plen > CXL_MAX_PAYLOAD * 2 || out_max > CXL_MAX_PAYLOAD * 2)
		return cli_usage(cli, "payload too large");
	rep->scope = cd->scope >= 0 ? cd->scope : need >= 0 ? need : dflt_scope;
	cap = CXL_HDR_OUT + out_max;
	req = calloc(1, CXL_HDR_IN + plen);
	rep->buf = calloc(1, cap);
	if (!req || !rep->buf) {
		free(req);
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	}
	req->opcode = opcode;
	req->op_size = plen;
	if (plen)
		memcpy(req->payload, in, plen);

	produced = cap;
	ret = cli_rpc(cli, &cd->dev, rep->scope, need, req, CXL_HDR_IN + plen,
		      rep->buf, &produced);
	free(req);
	if (ret == CLI_EXIT_DEVICE && cxl_cmd_scope(cd, opcode) < 0 && cd->info)
		fprintf(stderr,
			"fwctl: hint: opcode 0x%04x (%s) is not among the commands %s offers through fwctl: 'fwctl cxl cel %s' shows each command of the device and whether fwctl allows it\n",
			opcode, cxl_op_name(opcode), cd->dev.name, cd->dev.name);
	if (ret)
		return ret;
	return cxl_check_reply(cli, cd, produced, cap, rep);
}

/* The start of a command's result: which command, how it went */
static void cxl_out_head(struct cli *cli, const struct cxl_dev *cd,
			 uint16_t opcode, const struct cxl_reply *rep)
{
	cli_doc_begin(cli);
	if (!cli->json && !rep->retval)
		return;
	cli_out_str(cli, "name", cd->dev.name);
	cli_out_x64(cli, "opcode", opcode);
	cli_out_str(cli, "command", cxl_op_name(opcode));
	cli_out_str(cli, "scope", fwctl_scope_name(rep->scope));
	cli_out_x64(cli, "retval", rep->retval);
	cli_out_str(cli, "retval_name", cxl_rc_name(rep->retval));
}

static int cxl_out_tail(struct cli *cli, const struct cxl_dev *cd,
			const struct cxl_reply *rep)
{
	struct cli_fw_status st = {
		.status = rep->retval,
		.name = cxl_rc_name(rep->retval),
	};

	cli_doc_end(cli);
	if (rep->retval)
		return cli_fw_error(cli, cd->dev.name, &st);
	return CLI_EXIT_OK;
}

/* A reply payload shorter than the command defines */
static int cxl_short(struct cli *cli, const struct cxl_dev *cd,
		     const struct cxl_reply *rep, uint32_t want)
{
	cli_doc_end(cli);
	return cli_fail(cli, CLI_EXIT_DEVICE,
			"%s: reply payload of %u bytes, the command defines %u",
			cd->dev.name, rep->len, want);
}

/**
 * struct cxl_args - options and arguments of a cxl subcommand
 * @spec: the device
 * @scope: --scope, or -1
 * @in: --in FILE
 * @hex: --hex HEX
 * @out: --out FILE
 * @offset: --offset
 * @length: --length or --count, 0 when not given
 * @selection: --selection
 * @version: --version, or -1
 * @saved: --saved
 * @set: --set VALUE
 * @args: the arguments after the device
 * @nargs: their number
 * @help: --help
 * @allowed: the CXL_OPT_* options the subcommand takes
 */
struct cxl_args {
	const char *spec;
	int scope;
	const char *in;
	const char *hex;
	const char *out;
	uint32_t offset;
	uint32_t length;
	int selection;
	int version;
	bool saved;
	const char *set;
	char **args;
	int nargs;
	bool help;
	unsigned int allowed;
};

#define CXL_OPT_DATA	CLI_OPT_DATA	/* --in, --hex */
#define CXL_OPT_OUT	CLI_OPT_OUT	/* --out */
#define CXL_OPT_RANGE	(CLI_OPT_OFFSET | CLI_OPT_SIZE)	/* --offset, --length */
#define CXL_OPT_FEAT	0x100	/* --selection, --version, --saved */
#define CXL_OPT_SET	0x200	/* --set */

/* The options only CXL commands take; a->allowed says which */
static int cxl_parse_opt(struct cli *cli, int c, void *priv)
{
	struct cxl_args *a = priv;
	uint32_t v;
	int ret;

	if (!(a->allowed & (c == 'e' ? CXL_OPT_SET : CXL_OPT_FEAT)))
		return -1;
	switch (c) {
	case 'S':
		if (!strcmp(optarg, "current"))
			a->selection = FWCTL_CXL_FEAT_SEL_CURRENT;
		else if (!strcmp(optarg, "default"))
			a->selection = FWCTL_CXL_FEAT_SEL_DEFAULT;
		else if (!strcmp(optarg, "saved"))
			a->selection = FWCTL_CXL_FEAT_SEL_SAVED;
		else
			return cli_usage(cli, "invalid selection '%s': current, default or saved",
					 optarg);
		return 0;
	case 'V':
		ret = cli_parse_u32(cli, "version", optarg, &v);
		if (!ret && v > 255)
			return cli_usage(cli, "version '%s' is out of range",
					 optarg);
		a->version = v;
		return ret;
	case 'v':
		a->saved = true;
		return 0;
	case 'e':
		a->set = optarg;
		return 0;
	}
	return -1;
}

static int cxl_parse(struct cli *cli, int argc, char **argv,
		     unsigned int allowed, int min_args, int max_args,
		     struct cxl_args *a)
{
	static const struct option opts[] = {
		{ "selection", required_argument, NULL, 'S' },
		{ "version", required_argument, NULL, 'V' },
		{ "saved", no_argument, NULL, 'v' },
		{ "set", required_argument, NULL, 'e' },
		{}
	};
	const struct cli_opt_ext ext = { opts, cxl_parse_opt, a };
	struct cli_args c;
	int ret;

	memset(a, 0, sizeof(*a));
	a->allowed = allowed;
	a->version = -1;
	ret = cli_parse_args_ext(cli, argc, argv, allowed, min_args, max_args,
				 &c, &ext);
	a->spec = c.spec;
	a->scope = c.scope;
	a->in = c.in;
	a->hex = c.hex;
	a->out = c.out;
	a->offset = c.offset;
	a->length = c.size;
	a->args = c.args;
	a->nargs = c.nargs;
	a->help = c.help;
	return ret;
}

/* Text or JSON for one command of the device's list, with its scope */
static void cxl_show_command(struct cli *cli, uint16_t opcode,
			     uint16_t effects, int scope)
{
	char names[512];

	cxl_effect_names(effects, names, sizeof(names));
	if (!cli->json) {
		printf("0x%04x  %-36s %-17s %s\n", opcode, cxl_op_name(opcode),
		       scope >= 0 ? fwctl_scope_name(scope) : "refused", names);
		return;
	}
	json_obj_begin(&cli->js, NULL);
	json_u64(&cli->js, "opcode", opcode);
	json_str(&cli->js, "name", cxl_op_name(opcode));
	json_u64(&cli->js, "effects", effects);
	json_str(&cli->js, "effect_names", names);
	json_bool(&cli->js, "allowed", scope >= 0);
	if (scope >= 0)
		json_str(&cli->js, "scope", fwctl_scope_name(scope));
	else
		json_null(&cli->js, "scope");
	json_obj_end(&cli->js);
}

static void cxl_table_head(struct cli *cli, const char *key)
{
	if (cli->json)
		json_arr_begin(&cli->js, key);
	else
		printf("OPCODE  %-36s %-17s %s\n", "COMMAND", "SCOPE",
		       "EFFECTS");
}

static void cxl_table_end(struct cli *cli)
{
	if (cli->json)
		json_arr_end(&cli->js);
}

static int cxl_commands(struct cli *cli, int argc, char **argv)
{
	struct cxl_args a;
	struct cxl_dev cd;
	uint32_t i;
	int ret;

	ret = cxl_parse(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	if (!cd.info) {
		cxl_close(&cd);
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: the kernel does not list the device's commands in FWCTL_INFO",
				cd.dev.name);
	}
	cli_doc_begin(cli);
	cli_out_str(cli, "name", cd.dev.name);
	cli_out_u64(cli, "payload_size", cd.payload_size);
	cli_out_u64(cli, "nr_features", cd.info->nr_features);
	cxl_table_head(cli, "commands");
	for (i = 0; i < cd.nr_cmds; i++)
		cxl_show_command(cli, cd.info->commands[i].opcode,
				 cd.info->commands[i].effects,
				 cd.info->commands[i].scope);
	cxl_table_end(cli);
	cli_doc_end(cli);
	cxl_close(&cd);
	return CLI_EXIT_OK;
}

/* Get Supported Logs: the reply payload in @rep */
static int cxl_get_logs(struct cli *cli, const struct cxl_dev *cd,
			struct cxl_reply *rep)
{
	return cxl_exec(cli, cd, CXL_OP_GET_SUPPORTED_LOGS,
			FWCTL_RPC_CONFIGURATION, NULL, 0, cd->payload_size,
			rep);
}

/* Number of entries a Get Supported Logs reply really holds */
static uint32_t cxl_nr_logs(const struct cxl_reply *rep)
{
	uint32_t n;

	if (rep->len < 8)
		return 0;
	n = rep->data[0] | rep->data[1] << 8;
	if (n > (rep->len - 8) / CXL_LOG_ENTRY_LEN)
		n = (rep->len - 8) / CXL_LOG_ENTRY_LEN;
	return n;
}

/* The size of the log @uuid from a Get Supported Logs reply, or -1 */
static int64_t cxl_log_size(const struct cxl_reply *rep, const uint8_t *uuid)
{
	const uint8_t *e;
	uint32_t i;

	for (i = 0; i < cxl_nr_logs(rep); i++) {
		e = rep->data + 8 + i * CXL_LOG_ENTRY_LEN;
		if (!memcmp(e, uuid, 16))
			return e[16] | e[17] << 8 | e[18] << 16 |
			       (uint32_t)e[19] << 24;
	}
	return -1;
}

/**
 * cxl_read_pieces() - a read command (Get Log, Get LSA) in payload-sized
 *	pieces
 * @cli: the run
 * @cd: the device
 * @opcode: the command
 * @in: its input payload, whose 32-bit offset and length fields, at
 *	@off_at and @off_at + 4, are set for each piece
 * @in_len: length of @in
 * @off_at: where the offset field lies in @in
 * @offset: first byte
 * @length: bytes to read
 * @data: set to a malloc'd buffer of @length bytes, or NULL when a piece
 *	failed in the device
 * @st: set to the return code of the piece that failed, or 0, and the
 *	scope the requests were sent with
 *
 * Return: 0 or an exit code.
 */
static int cxl_read_pieces(struct cli *cli, const struct cxl_dev *cd,
			   uint16_t opcode, uint8_t *in, size_t in_len,
			   size_t off_at, uint32_t offset, uint32_t length,
			   uint8_t **data, struct cxl_reply *st)
{
	struct cxl_reply rep;
	uint32_t done = 0, want;
	uint8_t *buf;
	int ret;

	*data = NULL;
	st->retval = 0;
	buf = malloc(length ? length : 1);
	if (!buf)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	while (done < length) {
		want = length - done;
		if (want > cd->payload_size)
			want = cd->payload_size;
		put_le32(in + off_at, offset + done);
		put_le32(in + off_at + 4, want);
		ret = cxl_exec(cli, cd, opcode, FWCTL_RPC_DEBUG_READ_ONLY, in,
			       in_len, want, &rep);
		st->scope = rep.scope;
		if (!ret && !rep.retval && rep.len != want)
			ret = cli_fail(cli, CLI_EXIT_DEVICE,
				       "%s: %s returned %u bytes, not %u",
				       cd->dev.name, cxl_op_name(opcode),
				       rep.len, want);
		if (ret || rep.retval) {
			st->retval = rep.retval;
			free(rep.buf);
			free(buf);
			return ret;
		}
		memcpy(buf + done, rep.data, want);
		done += want;
		free(rep.buf);
	}
	*data = buf;
	return 0;
}

/* Reads part of the log @uuid, as cxl_read_pieces() */
static int cxl_read_log(struct cli *cli, const struct cxl_dev *cd,
			const uint8_t *uuid, uint32_t offset, uint32_t length,
			uint8_t **data, struct cxl_reply *st)
{
	uint8_t in[24];

	memcpy(in, uuid, 16);
	return cxl_read_pieces(cli, cd, CXL_OP_GET_LOG, in, sizeof(in), 16,
			       offset, length, data, st);
}

/* Reads the Command Effects Log; its entries in @cel, @n of them */
static int cxl_read_cel(struct cli *cli, const struct cxl_dev *cd,
			uint8_t **cel, uint32_t *n, struct cxl_reply *status)
{
	uint8_t uuid[16];
	struct cxl_reply rep;
	int64_t size;
	int ret;

	*cel = NULL;
	*n = 0;
	cxl_uuid_parse("cel", uuid);
	ret = cxl_get_logs(cli, cd, &rep);
	if (ret || rep.retval) {
		*status = rep;
		status->buf = NULL;
		free(rep.buf);
		return ret;
	}
	size = cxl_log_size(&rep, uuid);
	free(rep.buf);
	if (size < 0)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: the device lists no Command Effects Log",
				cd->dev.name);
	memset(status, 0, sizeof(*status));
	ret = cxl_read_log(cli, cd, uuid, 0, size & ~3U, cel, status);
	if (!ret && !status->retval)
		*n = size / 4;
	return ret;
}

static int cxl_cel(struct cli *cli, int argc, char **argv)
{
	struct cxl_reply st;
	struct cxl_args a;
	struct cxl_dev cd;
	uint8_t *cel;
	uint32_t i, n;
	int ret;

	ret = cxl_parse(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	ret = cxl_read_cel(cli, &cd, &cel, &n, &st);
	if (ret) {
		cxl_close(&cd);
		return ret;
	}
	cxl_out_head(cli, &cd, CXL_OP_GET_LOG, &st);
	if (!st.retval) {
		cli_out_u64(cli, "entries", n);
		cxl_table_head(cli, "cel");
		for (i = 0; i < n; i++) {
			uint16_t op = cel[4 * i] | cel[4 * i + 1] << 8;
			uint16_t eff = cel[4 * i + 2] | cel[4 * i + 3] << 8;

			cxl_show_command(cli, op, eff, cxl_cmd_scope(&cd, op));
		}
		cxl_table_end(cli);
	}
	free(cel);
	ret = cxl_out_tail(cli, &cd, &st);
	cxl_close(&cd);
	return ret;
}

/* Identify Memory Device output, CXL r3.1 table 8-127 */
void cxl_identify_show(struct cli *cli, const uint8_t *p, uint32_t len)
{
	char fw[17];
	size_t n;

	memcpy(fw, p, 16);
	fw[16] = 0;
	for (n = strlen(fw); n && fw[n - 1] == ' '; n--)
		fw[n - 1] = 0;
	cli_out_str(cli, "fw_revision", fw);
	cli_out_u64(cli, "total_capacity", le64_at(p + 0x10) << 28);
	cli_out_u64(cli, "volatile_only_capacity", le64_at(p + 0x18) << 28);
	cli_out_u64(cli, "persistent_only_capacity", le64_at(p + 0x20) << 28);
	cli_out_u64(cli, "partition_alignment", le64_at(p + 0x28) << 28);
	cli_out_u64(cli, "info_event_log_size", le_at(p + 0x30, 2));
	cli_out_u64(cli, "warning_event_log_size", le_at(p + 0x32, 2));
	cli_out_u64(cli, "failure_event_log_size", le_at(p + 0x34, 2));
	cli_out_u64(cli, "fatal_event_log_size", le_at(p + 0x36, 2));
	cli_out_u64(cli, "lsa_size", le_at(p + 0x38, 4));
	cli_out_u64(cli, "poison_list_max_records", le_at(p + 0x3c, 3));
	cli_out_u64(cli, "inject_poison_limit", le_at(p + 0x3f, 2));
	cli_out_x64(cli, "poison_caps", p[0x41]);
	cli_out_x64(cli, "qos_telemetry_caps", p[0x42]);
	if (len >= 0x45)
		cli_out_u64(cli, "dc_event_log_size", le_at(p + 0x43, 2));
}

static int cxl_identify(struct cli *cli, int argc, char **argv)
{
	struct cxl_reply rep;
	struct cxl_args a;
	struct cxl_dev cd;
	int ret;

	ret = cxl_parse(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	ret = cxl_exec(cli, &cd, CXL_OP_IDENTIFY, FWCTL_RPC_CONFIGURATION,
		       NULL, 0, cd.payload_size, &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, CXL_OP_IDENTIFY, &rep);
	if (!rep.retval && rep.len < CXL_IDENTIFY_LEN) {
		ret = cxl_short(cli, &cd, &rep, CXL_IDENTIFY_LEN);
		goto out;
	}
	if (!rep.retval)
		cxl_identify_show(cli, rep.data, rep.len);
	ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	cxl_close(&cd);
	return ret;
}

static int cxl_logs_cmd(struct cli *cli, int argc, char **argv)
{
	char uuid[CXL_UUID_STR_LEN];
	struct cxl_reply rep;
	struct cxl_args a;
	struct cxl_dev cd;
	const uint8_t *e;
	uint32_t i;
	int ret;

	ret = cxl_parse(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	ret = cxl_get_logs(cli, &cd, &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, CXL_OP_GET_SUPPORTED_LOGS, &rep);
	if (cli->json)
		json_arr_begin(&cli->js, "logs");
	else if (!rep.retval)
		printf("%-36s  %-22s %s\n", "UUID", "NAME", "SIZE");
	for (i = 0; !rep.retval && i < cxl_nr_logs(&rep); i++) {
		e = rep.data + 8 + i * CXL_LOG_ENTRY_LEN;
		cxl_uuid_format(e, uuid);
		if (!cli->json) {
			printf("%s  %-22s %u\n", uuid, cxl_log_name(e) ?: "-",
			       le_at(e + 16, 4));
			continue;
		}
		json_obj_begin(&cli->js, NULL);
		json_str(&cli->js, "uuid", uuid);
		json_str(&cli->js, "name", cxl_log_name(e));
		json_u64(&cli->js, "size", le_at(e + 16, 4));
		json_obj_end(&cli->js);
	}
	if (cli->json)
		json_arr_end(&cli->js);
	ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	cxl_close(&cd);
	return ret;
}

/* Prints data read from the device, or writes it to --out */
static int cxl_out_data(struct cli *cli, const struct cxl_args *a,
			const char *key, const uint8_t *data, uint32_t len)
{
	int ret;

	if (a->out) {
		ret = write_output(a->out, data, len);
		if (ret)
			return cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a->out,
					strerror(-ret));
	}
	cli_out_u64(cli, "offset", a->offset);
	cli_out_u64(cli, "length", len);
	if (a->out)
		cli_out_str(cli, "out_file", a->out);
	else
		cli_out_hex(cli, key, data, len);
	return 0;
}

/* The reply of a command that read a.length bytes from the device */
static int cxl_out_read(struct cli *cli, const struct cxl_dev *cd,
			const struct cxl_args *a, uint16_t opcode,
			const struct cxl_reply *st, const uint8_t *data)
{
	int ret = 0;

	cxl_out_head(cli, cd, opcode, st);
	if (!st->retval)
		ret = cxl_out_data(cli, a, "data", data, a->length);
	if (ret) {
		cli_doc_end(cli);
		return ret;
	}
	return cxl_out_tail(cli, cd, st);
}

static int cxl_log(struct cli *cli, int argc, char **argv)
{
	uint8_t uuid[16], *data = NULL;
	struct cxl_reply st = {};
	struct cxl_args a;
	struct cxl_dev cd;
	struct cxl_reply rep;
	int64_t size;
	int ret;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_OUT | CXL_OPT_RANGE, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	if (cxl_uuid_parse(a.args[0], uuid))
		return cli_usage(cli,
				 "'%s' is not a UUID or a log name (cel, vendor-debug, component-state-dump)",
				 a.args[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	if (!a.length) {
		ret = cxl_get_logs(cli, &cd, &rep);
		size = ret || rep.retval ? -1 : cxl_log_size(&rep, uuid);
		free(rep.buf);
		if (!ret && size < 0)
			ret = cli_fail(cli, CLI_EXIT_DEVICE,
				       "%s: the device does not list log %s",
				       cd.dev.name, a.args[0]);
		if (ret)
			goto out;
		a.length = size > a.offset ? size - a.offset : 0;
	}
	ret = cxl_read_log(cli, &cd, uuid, a.offset, a.length, &data, &st);
	if (ret)
		goto out;
	ret = cxl_out_read(cli, &cd, &a, CXL_OP_GET_LOG, &st, data);
out:
	free(data);
	cxl_close(&cd);
	return ret;
}

static int cxl_lsa(struct cli *cli, int argc, char **argv)
{
	uint8_t in[8], *data = NULL;
	struct cxl_reply rep = {}, st = {};
	struct cxl_args a;
	struct cxl_dev cd;
	int ret;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_OUT | CXL_OPT_RANGE, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	if (!a.length) {
		/* The whole label area, as Identify sizes it */
		ret = cxl_exec(cli, &cd, CXL_OP_IDENTIFY,
			       FWCTL_RPC_CONFIGURATION, NULL, 0,
			       cd.payload_size, &rep);
		if (!ret && !rep.retval && rep.len >= CXL_IDENTIFY_LEN)
			a.length = le_at(rep.data + 0x38, 4);
		free(rep.buf);
		if (ret)
			goto out;
		if (a.length <= a.offset) {
			ret = cli_fail(cli, CLI_EXIT_DEVICE,
				       "%s: no label storage area beyond offset %u",
				       cd.dev.name, a.offset);
			goto out;
		}
		a.length -= a.offset;
	}
	ret = cxl_read_pieces(cli, &cd, CXL_OP_GET_LSA, in, sizeof(in), 0,
			      a.offset, a.length, &data, &st);
	if (ret)
		goto out;
	ret = cxl_out_read(cli, &cd, &a, CXL_OP_GET_LSA, &st, data);
out:
	free(data);
	cxl_close(&cd);
	return ret;
}

static void cxl_show_time(struct cli *cli, const char *key, uint64_t ns)
{
	time_t secs = ns / 1000000000ULL;
	char buf[64] = "";
	struct tm tm;

	cli_out_u64(cli, key, ns);
	if (gmtime_r(&secs, &tm))
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cli_out_str(cli, "time", buf);
}

static int cxl_timestamp(struct cli *cli, int argc, char **argv)
{
	struct cxl_reply rep;
	struct timespec ts;
	struct cxl_args a;
	struct cxl_dev cd;
	uint64_t ns = 0, le;
	int ret;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_SET, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	if (a.set && !strcmp(a.set, "now")) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	} else if (a.set && parse_u64(a.set, &ns)) {
		return cli_usage(cli, "--set takes 'now' or nanoseconds since 1970, not '%s'",
				 a.set);
	}
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	le = htole64(ns);
	if (a.set)
		ret = cxl_exec(cli, &cd, CXL_OP_SET_TIMESTAMP,
			       FWCTL_RPC_DEBUG_WRITE, &le, sizeof(le), 0, &rep);
	else
		ret = cxl_exec(cli, &cd, CXL_OP_GET_TIMESTAMP,
			       FWCTL_RPC_CONFIGURATION, NULL, 0, 8, &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, a.set ? CXL_OP_SET_TIMESTAMP :
				       CXL_OP_GET_TIMESTAMP, &rep);
	if (!rep.retval && !a.set && rep.len < 8) {
		ret = cxl_short(cli, &cd, &rep, 8);
		goto out;
	}
	if (!rep.retval)
		cxl_show_time(cli, a.set ? "set_ns" : "timestamp_ns",
			      a.set ? ns : le64_at(rep.data));
	ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	cxl_close(&cd);
	return ret;
}

/**
 * cxl_read_features() - every supported feature, page by page
 * @cli: the run
 * @cd: the device
 * @feats: set to a malloc'd array
 * @n: set to its number of entries
 * @rep: the last reply's return code and scope (its buffer is freed)
 *
 * Return: 0 or an exit code.
 */
static int cxl_read_features(struct cli *cli, const struct cxl_dev *cd,
			     struct cxl_feat_entry **feats, uint32_t *n,
			     struct cxl_reply *rep)
{
	const struct cxl_mbox_get_sup_feats_out *out;
	struct cxl_mbox_get_sup_feats_in in = {};
	struct cxl_feat_entry *all = NULL, *grown;
	uint32_t total = 0, got, room;
	int ret;

	*feats = NULL;
	*n = 0;
	room = cd->payload_size;
	do {
		in.count = htole32(room);
		in.start_idx = htole16(*n);
		ret = cxl_exec(cli, cd, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES,
			       FWCTL_RPC_CONFIGURATION, &in, sizeof(in), room,
			       rep);
		if (ret || rep->retval)
			break;
		out = (const void *)rep->data;
		if (rep->len < sizeof(*out)) {
			ret = cli_fail(cli, CLI_EXIT_DEVICE,
				       "%s: Get Supported Features reply too short",
				       cd->dev.name);
			break;
		}
		total = le16toh(out->supported_feats);
		got = le16toh(out->num_entries);
		if (got > (rep->len - sizeof(*out)) / sizeof(*all))
			got = (rep->len - sizeof(*out)) / sizeof(*all);
		if (got > total - *n)
			got = total - *n;
		if (!got)
			break;
		grown = realloc(all, (*n + got) * sizeof(*all));
		if (!grown) {
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s",
				       strerror(ENOMEM));
			break;
		}
		all = grown;
		memcpy(all + *n, out->ents, got * sizeof(*all));
		*n += got;
		free(rep->buf);
		rep->buf = NULL;
	} while (*n < total);
	free(rep->buf);
	rep->buf = NULL;
	if (ret || rep->retval) {
		free(all);
		*n = 0;
		return ret;
	}
	*feats = all;
	return 0;
}

static void cxl_show_feature(struct cli *cli, const struct cxl_feat_entry *f)
{
	uint16_t eff = le16toh(f->effects);
	bool changeable = le32toh(f->flags) & FWCTL_CXL_FEAT_F_CHANGEABLE;
	int scope = changeable && f->set_feat_size ? cxl_set_feat_scope(eff) :
						     -1;
	char uuid[CXL_UUID_STR_LEN], names[512];

	cxl_uuid_format(f->uuid, uuid);
	cxl_effect_names(eff, names, sizeof(names));
	if (!cli->json) {
		printf("%s %5u %5u %5u %-17s %s\n", uuid, le16toh(f->id),
		       le16toh(f->get_feat_size), le16toh(f->set_feat_size),
		       scope >= 0 ? fwctl_scope_name(scope) : "-", names);
		return;
	}
	json_obj_begin(&cli->js, NULL);
	json_str(&cli->js, "uuid", uuid);
	json_u64(&cli->js, "id", le16toh(f->id));
	json_u64(&cli->js, "get_feat_size", le16toh(f->get_feat_size));
	json_u64(&cli->js, "set_feat_size", le16toh(f->set_feat_size));
	json_u64(&cli->js, "flags", le32toh(f->flags));
	json_bool(&cli->js, "changeable", changeable);
	json_u64(&cli->js, "get_feat_ver", f->get_feat_ver);
	json_u64(&cli->js, "set_feat_ver", f->set_feat_ver);
	json_u64(&cli->js, "effects", eff);
	json_str(&cli->js, "effect_names", names);
	if (scope >= 0)
		json_str(&cli->js, "set_scope", fwctl_scope_name(scope));
	else
		json_null(&cli->js, "set_scope");
	json_obj_end(&cli->js);
}

static int cxl_features(struct cli *cli, int argc, char **argv)
{
	struct cxl_feat_entry *feats;
	struct cxl_reply rep;
	struct cxl_args a;
	struct cxl_dev cd;
	uint32_t i, n;
	int ret;

	ret = cxl_parse(cli, argc, argv, 0, 0, 0, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	ret = cxl_read_features(cli, &cd, &feats, &n, &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES, &rep);
	if (cli->json)
		json_arr_begin(&cli->js, "features");
	else if (!rep.retval)
		printf("%-36s %5s %5s %5s %-17s %s\n", "UUID", "ID", "GET",
		       "SET", "SET_SCOPE", "EFFECTS");
	for (i = 0; i < n; i++)
		cxl_show_feature(cli, &feats[i]);
	if (cli->json)
		json_arr_end(&cli->js);
	free(feats);
	ret = cxl_out_tail(cli, &cd, &rep);
out:
	cxl_close(&cd);
	return ret;
}

/* The entry of feature @uuid; prints why when there is none */
static int cxl_find_feature(struct cli *cli, const struct cxl_dev *cd,
			    const uint8_t *uuid, const char *arg,
			    struct cxl_feat_entry *feat)
{
	struct cxl_feat_entry *feats;
	struct cxl_reply rep;
	uint32_t i, n;
	int ret;

	ret = cxl_read_features(cli, cd, &feats, &n, &rep);
	if (ret)
		return ret;
	if (rep.retval) {
		cxl_out_head(cli, cd, FWCTL_CXL_OP_GET_SUPPORTED_FEATURES,
			     &rep);
		return cxl_out_tail(cli, cd, &rep);
	}
	for (i = 0; i < n; i++) {
		if (!memcmp(feats[i].uuid, uuid, 16)) {
			*feat = feats[i];
			free(feats);
			return 0;
		}
	}
	free(feats);
	return cli_fail(cli, CLI_EXIT_DEVICE,
			"%s: no feature %s: 'fwctl cxl features %s' lists them",
			cd->dev.name, arg, cd->dev.name);
}

static int cxl_feature_get(struct cli *cli, int argc, char **argv)
{
	struct cxl_mbox_get_feat_in in = {};
	struct cxl_feat_entry feat;
	struct cxl_reply rep = {};
	struct cxl_args a;
	struct cxl_dev cd;
	uint32_t size;
	int ret;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_OUT | CXL_OPT_RANGE | CXL_OPT_FEAT, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	if (cxl_uuid_parse(a.args[0], in.uuid))
		return cli_usage(cli, "'%s' is not a UUID", a.args[0]);
	if (a.offset > UINT16_MAX || a.length > UINT16_MAX)
		return cli_usage(cli, "offset and count are at most %u",
				 UINT16_MAX);
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret)
		return ret;
	ret = cxl_find_feature(cli, &cd, in.uuid, a.args[0], &feat);
	if (ret)
		goto out;
	size = le16toh(feat.get_feat_size);
	if (!a.length)
		a.length = size > a.offset ? size - a.offset : 0;
	if (!a.length || a.offset + a.length > size) {
		ret = cli_usage(cli, "the feature has %u bytes of data", size);
		goto out;
	}
	in.offset = htole16(a.offset);
	in.count = htole16(a.length);
	in.selection = a.selection;
	ret = cxl_exec(cli, &cd, FWCTL_CXL_OP_GET_FEATURE,
		       FWCTL_RPC_CONFIGURATION, &in, sizeof(in), a.length,
		       &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, FWCTL_CXL_OP_GET_FEATURE, &rep);
	if (cli->json)
		json_str(&cli->js, "selection",
			 a.selection == FWCTL_CXL_FEAT_SEL_DEFAULT ? "default" :
			 a.selection == FWCTL_CXL_FEAT_SEL_SAVED ? "saved" :
			 "current");
	if (!rep.retval)
		ret = cxl_out_data(cli, &a, "data", rep.data, rep.len);
	if (ret)
		cli_doc_end(cli);
	else
		ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	cxl_close(&cd);
	return ret;
}

static int cxl_feature_set(struct cli *cli, int argc, char **argv)
{
	struct cxl_mbox_set_feat_in *in = NULL;
	struct cxl_feat_entry feat;
	struct cxl_reply rep = {};
	uint8_t uuid[16], *data;
	struct cxl_args a;
	struct cxl_dev cd;
	size_t len;
	int ret, need;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_DATA | CXL_OPT_FEAT, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	if (cxl_uuid_parse(a.args[0], uuid))
		return cli_usage(cli, "'%s' is not a UUID", a.args[0]);
	if (!a.in && !a.hex)
		return cli_usage(cli, "the data to set comes from --hex or --in");
	ret = cli_read_data(cli, a.in, a.hex, &data, &len);
	if (ret)
		return ret;
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret) {
		free(data);
		return ret;
	}
	ret = cxl_find_feature(cli, &cd, uuid, a.args[0], &feat);
	if (ret)
		goto out;
	in = calloc(1, sizeof(in->hdr) + len);
	if (!in) {
		ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
		goto out;
	}
	memcpy(in->hdr.uuid, uuid, 16);
	in->hdr.flags = htole32(a.saved ?
			FWCTL_CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET : 0);
	in->hdr.version = a.version >= 0 ? a.version : feat.set_feat_ver;
	memcpy(in->feat_data, data, len);

	/* The feature's effects, not the command, decide the scope */
	need = le32toh(feat.flags) & FWCTL_CXL_FEAT_F_CHANGEABLE &&
	       feat.set_feat_size ? cxl_set_feat_scope(le16toh(feat.effects)) :
				    -1;
	cd.need_scope = need >= 0 ? need : FWCTL_SCOPE_NEVER;
	cd.scope = a.scope >= 0 ? a.scope :
		   need >= 0 ? need : FWCTL_RPC_DEBUG_WRITE;
	ret = cxl_exec(cli, &cd, FWCTL_CXL_OP_SET_FEATURE,
		       FWCTL_RPC_DEBUG_WRITE, in, sizeof(in->hdr) + len, 0,
		       &rep);
	if (ret == CLI_EXIT_DEVICE && need < 0)
		fprintf(stderr,
			"fwctl: hint: feature %s cannot be set through fwctl: it is not changeable, the kernel drives it, or its effects are refused ('fwctl cxl features %s' shows its set_scope)\n",
			a.args[0], cd.dev.name);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, FWCTL_CXL_OP_SET_FEATURE, &rep);
	if (!rep.retval)
		cli_out_u64(cli, "length", len);
	ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	free(in);
	free(data);
	cxl_close(&cd);
	return ret;
}

static int cxl_raw(struct cli *cli, int argc, char **argv)
{
	struct cxl_reply rep = {};
	struct cxl_args a;
	struct cxl_dev cd;
	uint32_t opcode;
	uint8_t *data;
	size_t len;
	int ret;

	ret = cxl_parse(cli, argc, argv, CXL_OPT_DATA | CXL_OPT_OUT | CXL_OPT_RANGE, 1, 1, &a);
	if (ret || a.help)
		return ret ? ret : cli_sub_help(&cli_drv_cxl, argv[0]);
	ret = cli_parse_u32(cli, "opcode", a.args[0], &opcode);
	if (ret)
		return ret;
	if (opcode > UINT16_MAX)
		return cli_usage(cli, "opcode '%s' is out of range", a.args[0]);
	ret = cli_read_data(cli, a.in, a.hex, &data, &len);
	if (ret)
		return ret;
	ret = cxl_open(cli, a.spec, a.scope, &cd);
	if (ret) {
		free(data);
		return ret;
	}
	/* --length bounds the reply; the whole payload otherwise */
	ret = cxl_exec(cli, &cd, opcode, FWCTL_RPC_CONFIGURATION, data, len,
		       a.length ? a.length : cd.payload_size, &rep);
	if (ret)
		goto out;
	cxl_out_head(cli, &cd, opcode, &rep);
	a.offset = 0;
	ret = cxl_out_data(cli, &a, "data", rep.data, rep.len);
	if (ret)
		cli_doc_end(cli);
	else
		ret = cxl_out_tail(cli, &cd, &rep);
out:
	free(rep.buf);
	free(data);
	cxl_close(&cd);
	return ret;
}

static const struct cli_cmd cxl_cmds[] = {
	{ "commands", "DEV",
	  "the mailbox commands the device accepts through fwctl, each with its effects and the scope it needs (from FWCTL_INFO, no RPC)",
	  cxl_commands },
	{ "cel", "DEV [--scope S]",
	  "the device's Command Effects Log, decoded: every command with its effects and the scope fwctl requires, or 'refused' (debug_read_only)",
	  cxl_cel },
	{ "identify", "DEV [--scope S]",
	  "Identify Memory Device, decoded (configuration)", cxl_identify },
	{ "logs", "DEV [--scope S]",
	  "the logs the device keeps, with their sizes (configuration)",
	  cxl_logs_cmd },
	{ "log",
	  "DEV UUID|cel|vendor-debug|component-state-dump [--offset N] [--length N] [--out FILE|-]",
	  "read a log, by default all of it (debug_read_only)", cxl_log },
	{ "lsa", "DEV [--offset N] [--length N] [--out FILE|-]",
	  "read the label storage area, by default all of it (debug_read_only)",
	  cxl_lsa },
	{ "timestamp", "DEV [--set now|NS]",
	  "show the device's timestamp (configuration), or set it (the scope its CEL entry implies)",
	  cxl_timestamp },
	{ "features", "DEV",
	  "the supported features, with the scope Set Feature needs for each (configuration)",
	  cxl_features },
	{ "feature-get",
	  "DEV UUID [--selection current|default|saved] [--offset N] [--count N] [--out FILE|-]",
	  "read a feature's data (configuration)", cxl_feature_get },
	{ "feature-set", "DEV UUID --hex HEX|--in FILE|- [--version V] [--saved] [--scope S]",
	  "change a feature; the scope follows its effects (debug_write or debug_write_full)",
	  cxl_feature_set },
	{ "raw", "DEV OPCODE [--hex HEX|--in FILE|-] [--length N] [--out FILE|-] [--scope S]",
	  "send any mailbox command; the scope is the one the device's command list gives",
	  cxl_raw },
};

static void cxl_info_show(struct cli *cli, const void *data, uint32_t len)
{
	const struct fwctl_info_cxl *info = data;
	uint32_t i, n;

	if (len < sizeof(*info)) {
		cli_out_str(cli, "note", "no command list: a kernel with mainline's CXL data");
		return;
	}
	n = (len - sizeof(*info)) / sizeof(info->commands[0]);
	if (info->nr_commands < n)
		n = info->nr_commands;
	cli_out_u64(cli, "payload_size", info->payload_size);
	cli_out_u64(cli, "nr_commands", info->nr_commands);
	cli_out_u64(cli, "nr_features", info->nr_features);
	cxl_table_head(cli, "commands");
	for (i = 0; i < n; i++)
		cxl_show_command(cli, info->commands[i].opcode,
				 info->commands[i].effects,
				 info->commands[i].scope);
	cxl_table_end(cli);
}

static bool cxl_reply_status(const void *out, uint32_t len,
			     struct cli_fw_status *st)
{
	const struct fwctl_rpc_cxl_out *rsp = out;

	if (len < CXL_HDR_OUT)
		return false;
	st->status = rsp->retval;
	st->name = cxl_rc_name(rsp->retval);
	return true;
}

const struct cli_driver cli_drv_cxl = {
	.name = "cxl",
	.device_type = FWCTL_DEVICE_TYPE_CXL,
	.summary = "CXL memory device commands: identify, CEL, logs, LSA, timestamp, features",
	.cmds = cxl_cmds,
	.num_cmds = ARRAY_SIZE(cxl_cmds),
	.info_show = cxl_info_show,
	.reply_status = cxl_reply_status,
};
