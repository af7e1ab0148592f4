// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting, argument and output helpers shared by every fwctl command.
 *
 * Messages go to stderr, always as text, prefixed with "fwctl: " and the
 * command. With --json, stdout carries exactly one JSON document: the
 * command's result, or an "error" object when it failed before producing
 * one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static void json_error_doc(struct cli *cli, const char *kind, int code,
			   int err, const char *msg, const char *hint,
			   const char *dev)
{
	struct json *j = &cli->js;

	if (!cli->json || cli->doc_open)
		return;
	cli->doc_open = true;
	json_obj_begin(j, NULL);
	json_obj_begin(j, "error");
	json_str(j, "kind", kind);
	json_str(j, "command", cli->cmd);
	if (dev)
		json_str(j, "device", dev);
	if (err) {
		json_u64(j, "errno", err);
		json_str(j, "errno_name", fwctl_errno_name(err));
	}
	json_str(j, "message", msg);
	if (hint)
		json_str(j, "hint", hint);
	json_u64(j, "exit_code", code);
	json_obj_end(j);
	json_obj_end(j);
}

static int __attribute__((format(printf, 4, 0)))
vreport(struct cli *cli, const char *kind, int code, const char *fmt,
	va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "fwctl: %s%s%s\n", cli->cmd ? cli->cmd : "",
		cli->cmd ? ": " : "", msg);
	json_error_doc(cli, kind, code, 0, msg, NULL, NULL);
	return code;
}

/* A usage error: says what is wrong and where to read more */
int cli_usage(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, "usage", CLI_EXIT_USAGE, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'fwctl help%s%s'.\n", cli->cmd ? " " : "",
		cli->cmd ? cli->cmd : "");
	return CLI_EXIT_USAGE;
}

/* Any other failure, with the exit code given */
int cli_fail(struct cli *cli, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cli, "failure", code, fmt, ap);
	va_end(ap);
	return code;
}

void cli_warn(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fwctl: %s%swarning: ", cli->cmd ? cli->cmd : "",
		cli->cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *op_verb(enum fwctl_op op)
{
	switch (op) {
	case FWCTL_OP_OPEN:
		return "open";
	case FWCTL_OP_INFO:
		return "FWCTL_INFO";
	case FWCTL_OP_RPC:
		return "FWCTL_RPC";
	case FWCTL_OP_SYSFS:
		return "sysfs";
	}
	return "call";
}

/**
 * cli_errno() - report a failed open, ioctl or sysfs access
 * @cli: the run
 * @ctx: what is known about the call
 * @err: the errno, either sign
 *
 * Prints the error and the advice of fwctl_err_hint().
 *
 * Return: %CLI_EXIT_DEVICE
 */
int cli_errno(struct cli *cli, const struct fwctl_err_ctx *ctx, int err)
{
	const char *name, *hint, *dev = ctx->name;
	char msg[512], buf[512];

	if (err < 0)
		err = -err;
	name = fwctl_errno_name(err);
	snprintf(msg, sizeof(msg), "%s %s: %s (%s)", op_verb(ctx->op),
		 dev && *dev ? dev : "failed", strerror(err),
		 name ? name : "?");
	hint = fwctl_err_hint(err, ctx, buf, sizeof(buf));

	fprintf(stderr, "fwctl: %s%s%s\n", cli->cmd ? cli->cmd : "",
		cli->cmd ? ": " : "", msg);
	if (hint)
		fprintf(stderr, "fwctl: hint: %s\n", hint);
	json_error_doc(cli, "errno", CLI_EXIT_DEVICE, err, msg, hint, dev);
	return CLI_EXIT_DEVICE;
}

/**
 * cli_fw_error() - report a firmware failure status found in a reply
 * @cli: the run
 * @dev: the device's name
 * @st: the status
 *
 * The reply itself was delivered and is printed by the caller, so with
 * --json this adds nothing to stdout.
 *
 * Return: %CLI_EXIT_FIRMWARE
 */
int cli_fw_error(struct cli *cli, const char *dev,
		 const struct cli_fw_status *st)
{
	fprintf(stderr,
		"fwctl: %s%s%s: the firmware failed the command: status %u%s%s%s, syndrome 0x%x\n",
		cli->cmd ? cli->cmd : "", cli->cmd ? " " : "", dev,
		st->status, st->name ? " (" : "", st->name ? st->name : "",
		st->name ? ")" : "", st->syndrome);
	return CLI_EXIT_FIRMWARE;
}

int cli_parse_scope(struct cli *cli, const char *arg, int *scope)
{
	int s = fwctl_scope_parse(arg);

	if (s < 0)
		return cli_usage(cli,
				 "invalid scope '%s': use configuration, debug_read_only, debug_write, debug_write_full or 0-3",
				 arg);
	*scope = s;
	return 0;
}

int cli_parse_u32(struct cli *cli, const char *what, const char *arg,
		  uint32_t *val)
{
	int ret = parse_u32(arg, val);

	if (ret == -ERANGE)
		return cli_usage(cli, "%s '%s' is out of range", what, arg);
	if (ret)
		return cli_usage(cli, "%s '%s' is not a number", what, arg);
	return 0;
}

/**
 * cli_read_data() - request data from --in FILE or --hex HEX
 * @cli: the run
 * @in: file name ("-" for stdin), or NULL
 * @hex: hex text, or NULL
 * @buf: set to a malloc'd buffer (never NULL on success)
 * @len: set to its length
 *
 * With neither, the data is empty.
 *
 * Return: 0 or an exit code.
 */
int cli_read_data(struct cli *cli, const char *in, const char *hex,
		  uint8_t **buf, size_t *len)
{
	size_t pos;
	int ret;

	if (in && hex)
		return cli_usage(cli, "--in and --hex exclude each other");
	if (hex) {
		ret = hex_parse(hex, buf, len, &pos);
		if (ret == -EINVAL)
			return cli_usage(cli,
					 "invalid hex data at character %zu: '%s'",
					 pos + 1, hex);
	} else if (in) {
		ret = read_input(in, CLI_MAX_INPUT, buf, len);
		if (ret == -EFBIG)
			return cli_fail(cli, CLI_EXIT_USAGE,
					"%s: larger than %u bytes", in,
					CLI_MAX_INPUT);
		if (ret)
			return cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", in,
					strerror(-ret));
	} else {
		*len = 0;
		*buf = calloc(1, 1);
		ret = *buf ? 0 : -ENOMEM;
	}
	if (ret)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(-ret));
	return 0;
}

static bool opt_allowed(int c, unsigned int allowed)
{
	switch (c) {
	case 'i':
	case 'x':
		return allowed & CLI_OPT_DATA;
	case 'o':
		return allowed & CLI_OPT_OUT;
	case 'r':
		return allowed & CLI_OPT_RAW;
	case 'f':
		return allowed & CLI_OPT_OFFSET;
	case 'n':
		return allowed & CLI_OPT_SIZE;
	}
	return true;
}

static int parse_opt(struct cli *cli, int c, const char *name,
		     struct cli_args *a)
{
	int ret;

	switch (c) {
	case 's':
		return cli_parse_scope(cli, optarg, &a->scope);
	case 'i':
		a->in = optarg;
		return 0;
	case 'x':
		a->hex = optarg;
		return 0;
	case 'o':
		a->out = optarg;
		return 0;
	case 'r':
		a->raw = true;
		return 0;
	case 'f':
		return cli_parse_u32(cli, "offset", optarg, &a->offset);
	case 'n':
		ret = parse_size(optarg, &a->size);
		if (ret || !a->size)
			return cli_usage(cli, "invalid %s '%s'", name, optarg);
		return 0;
	case 'h':
		a->help = true;
		return 0;
	}
	return -1;
}

static const struct option cli_opts[] = {
	{ "scope", required_argument, NULL, 's' },
	{ "in", required_argument, NULL, 'i' },
	{ "hex", required_argument, NULL, 'x' },
	{ "out", required_argument, NULL, 'o' },
	{ "raw", no_argument, NULL, 'r' },
	{ "offset", required_argument, NULL, 'f' },
	{ "size", required_argument, NULL, 'n' },
	{ "length", required_argument, NULL, 'n' },
	{ "count", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
};

#define CLI_MAX_OPTS	32

/**
 * cli_parse_args_ext() - parse a driver subcommand's options and arguments
 * @cli: the run
 * @argc: argument count, argv[0] being the subcommand
 * @argv: the arguments
 * @allowed: CLI_OPT_* options the subcommand takes besides --scope, --help
 * @min_args: fewest arguments after the device
 * @max_args: most arguments after the device
 * @a: the result
 * @ext: the driver's own options, or NULL
 *
 * Return: 0 or an exit code; with --help, 0 and @a->help set.
 */
int cli_parse_args_ext(struct cli *cli, int argc, char **argv,
		       unsigned int allowed, int min_args, int max_args,
		       struct cli_args *a, const struct cli_opt_ext *ext)
{
	struct option opts[CLI_MAX_OPTS] = {};
	size_t n = ARRAY_SIZE(cli_opts), i;
	int c, idx = 0, ret;

	memcpy(opts, cli_opts, sizeof(cli_opts));
	for (i = 0; ext && ext->opts[i].name && n < CLI_MAX_OPTS - 1; i++)
		opts[n++] = ext->opts[i];
	memset(a, 0, sizeof(*a));
	a->scope = -1;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":s:i:x:o:rh", opts, &idx)) != -1) {
		if (c == ':')
			return cli_usage(cli, "option '%s' needs an argument",
					 argv[optind - 1]);
		ret = -1;
		if (c != '?' && opt_allowed(c, allowed))
			ret = parse_opt(cli, c, opts[idx].name, a);
		if (ret < 0 && c != '?' && ext)
			ret = ext->parse(cli, c, ext->priv);
		if (ret < 0)
			return cli_usage(cli, "unknown option '%s'",
					 argv[optind - 1]);
		if (ret)
			return ret;
		if (a->help)
			return 0;
	}
	if (optind >= argc)
		return cli_usage(cli, "expected a device");
	a->spec = argv[optind++];
	a->args = argv + optind;
	a->nargs = argc - optind;
	if (a->nargs < min_args)
		return cli_usage(cli, "missing argument");
	if (a->nargs > max_args)
		return cli_usage(cli, "unexpected argument '%s'",
				 a->args[max_args]);
	if (a->out && !strcmp(a->out, "-") && cli->json)
		return cli_usage(cli, "--out - and --json both want stdout");
	return 0;
}

int cli_parse_args(struct cli *cli, int argc, char **argv,
		   unsigned int allowed, int min_args, int max_args,
		   struct cli_args *a)
{
	return cli_parse_args_ext(cli, argc, argv, allowed, min_args,
				  max_args, a, NULL);
}

/* The help of one of a driver's subcommands */
int cli_sub_help(const struct cli_driver *drv, const char *name)
{
	size_t i;

	for (i = 0; i < drv->num_cmds; i++) {
		if (strcmp(drv->cmds[i].name, name))
			continue;
		printf("Usage: fwctl [--json] %s %s %s\n  %s\n", drv->name,
		       name, drv->cmds[i].args, drv->cmds[i].help);
	}
	return CLI_EXIT_OK;
}

/* Opens a device; on failure reports it and returns an exit code */
int cli_open(struct cli *cli, const char *spec, struct fwctl_dev *dev)
{
	struct fwctl_err_ctx ctx;
	int ret;

	ret = fwctl_dev_open(spec, dev);
	if (!ret)
		return 0;
	fwctl_err_ctx_init(&ctx, FWCTL_OP_OPEN, dev->name[0] ? dev->name :
								  spec);
	return cli_errno(cli, &ctx, ret);
}

/**
 * cli_open_driver() - open a device and check that a driver owns it
 * @cli: the run
 * @spec: the device the user named
 * @drv: the driver the command is for
 * @dev: the device, open on success
 * @info: if not NULL, set to the malloc'd FWCTL_INFO device data
 * @info_len: its length
 *
 * Return: 0 or an exit code, with @dev closed.
 */
int cli_open_driver(struct cli *cli, const char *spec,
		    const struct cli_driver *drv, struct fwctl_dev *dev,
		    void **info, uint32_t *info_len)
{
	struct fwctl_err_ctx ctx;
	uint32_t type, len;
	void *data;
	int ret;

	ret = cli_open(cli, spec, dev);
	if (ret)
		return ret;
	ret = fwctl_dev_info(dev, &type, &data, &len);
	if (ret) {
		fwctl_err_ctx_init(&ctx, FWCTL_OP_INFO, dev->name);
		fwctl_dev_close(dev);
		return cli_errno(cli, &ctx, ret);
	}
	if (type != drv->device_type) {
		free(data);
		fwctl_dev_close(dev);
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s is a '%s' device (type %u), not '%s': 'fwctl list' shows each device's type",
				dev->name, fwctl_type_name(type), type,
				drv->name);
	}
	if (info) {
		*info = data;
		*info_len = len;
	} else {
		free(data);
	}
	return 0;
}

/**
 * cli_rpc() - send an RPC, reporting a failure
 * @cli: the run
 * @dev: the open device
 * @scope: the scope it carries
 * @need_scope: the lowest scope the command needs, or -1 when unknown,
 *	for the advice on EPERM
 * @in: the request
 * @in_len: its length
 * @out: the reply buffer
 * @out_len: in: its size; out: the length the device produced
 *
 * Return: 0 or an exit code.
 */
int cli_rpc(struct cli *cli, const struct fwctl_dev *dev, int scope,
	    int need_scope, const void *in, uint32_t in_len, void *out,
	    uint32_t *out_len)
{
	struct fwctl_err_ctx ctx;
	int ret;

	ret = fwctl_dev_rpc(dev, scope, in, in_len, out, out_len);
	if (!ret)
		return 0;
	fwctl_err_ctx_init(&ctx, FWCTL_OP_RPC, dev->name);
	ctx.scope = scope;
	ctx.need_scope = need_scope;
	return cli_errno(cli, &ctx, ret);
}

void cli_doc_begin(struct cli *cli)
{
	if (!cli->json)
		return;
	cli->doc_open = true;
	json_obj_begin(&cli->js, NULL);
}

void cli_doc_end(struct cli *cli)
{
	if (cli->json)
		json_obj_end(&cli->js);
}

static void indent(struct cli *cli)
{
	int i;

	for (i = 0; i < cli->depth; i++)
		fputs("  ", stdout);
}

void cli_section_begin(struct cli *cli, const char *key)
{
	if (cli->json) {
		json_obj_begin(&cli->js, key);
		return;
	}
	indent(cli);
	printf("%s:\n", key);
	cli->depth++;
}

void cli_section_end(struct cli *cli)
{
	if (cli->json)
		json_obj_end(&cli->js);
	else if (cli->depth)
		cli->depth--;
}

void cli_out_str(struct cli *cli, const char *key, const char *s)
{
	if (cli->json) {
		json_str(&cli->js, key, s);
		return;
	}
	indent(cli);
	printf("%-24s %s\n", key, s ? s : "-");
}

void cli_out_u64(struct cli *cli, const char *key, uint64_t v)
{
	if (cli->json) {
		json_u64(&cli->js, key, v);
		return;
	}
	indent(cli);
	printf("%-24s %llu\n", key, (unsigned long long)v);
}

/* A number best read in hex: hex in text, a plain number in JSON */
void cli_out_x64(struct cli *cli, const char *key, uint64_t v)
{
	if (cli->json) {
		json_u64(&cli->js, key, v);
		return;
	}
	indent(cli);
	printf("%-24s 0x%llx\n", key, (unsigned long long)v);
}

void cli_out_bool(struct cli *cli, const char *key, bool v)
{
	if (cli->json) {
		json_bool(&cli->js, key, v);
		return;
	}
	indent(cli);
	printf("%-24s %s\n", key, v ? "yes" : "no");
}

/* Binary data: a hex dump in text, a hex string in JSON */
void cli_out_hex(struct cli *cli, const char *key, const void *buf,
		 size_t len)
{
	if (cli->json) {
		json_hex(&cli->js, key, buf, len);
		return;
	}
	indent(cli);
	printf("%s (%zu bytes)%s\n", key, len, len ? ":" : "");
	hex_dump(stdout, buf, len);
}
