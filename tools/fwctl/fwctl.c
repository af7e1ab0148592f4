// SPDX-License-Identifier: GPL-2.0
/*
 * fwctl: list fwctl devices, identify them, send them raw RPCs, and run
 * the commands each driver's file adds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

#define FWCTL_TOOL_VERSION	"0.1"

/* getopt_long() error: an unknown option or a missing argument */
static int bad_option(struct cli *cli, int c, char **argv)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		return cli_usage(cli, "option '%s' needs an argument", opt);
	if (optopt)
		return cli_usage(cli, "unknown option '-%c'", optopt);
	return cli_usage(cli, "unknown option '%s'", opt);
}

static void print_cmd_help(const char *prefix, const struct cli_cmd *cmd)
{
	printf("Usage: fwctl [--json] %s%s%s%s%s\n  %s\n",
	       prefix ? prefix : "", prefix ? " " : "", cmd->name,
	       *cmd->args ? " " : "", cmd->args, cmd->help);
}

static int help_cmd(const char *prefix, const struct cli_cmd *cmd)
{
	print_cmd_help(prefix, cmd);
	return CLI_EXIT_OK;
}

/* What sysfs did not tell: null in JSON, "-" in text */
static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

/* The parts of the sysfs view that "list" and "info" share */
static void out_sysinfo(struct cli *cli, const struct fwctl_sysinfo *si,
			bool with_type)
{
	int i;

	cli_out_str(cli, "name", si->name);
	cli_out_str(cli, "node", si->node);
	if (with_type && si->has_type) {
		cli_out_x64(cli, "device_type", si->device_type);
		cli_out_str(cli, "type", fwctl_type_name(si->device_type));
	}
	cli_out_str(cli, "parent", or_null(si->parent));
	cli_out_str(cli, "parent_bus", or_null(si->parent_bus));
	cli_out_str(cli, "parent_driver", or_null(si->parent_driver));
	cli_out_str(cli, "parent_path", or_null(si->parent_path));
	cli_out_str(cli, "max_scope", fwctl_scope_name(si->max_scope));
	if (!si->has_stats)
		return;
	cli_section_begin(cli, "stats");
	for (i = 0; i < FWCTL_NUM_STATS; i++)
		cli_out_u64(cli, fwctl_stat_name(i), si->stats[i]);
	cli_section_end(cli);
}

static void list_table(const struct fwctl_sysinfo *si, size_t n)
{
	uint64_t rpcs;
	size_t i;
	int s;

	printf("%-10s %-8s %-16s %-17s %8s %8s %8s %8s %8s\n", "NODE", "TYPE",
	       "PARENT", "MAX_SCOPE", "RPCS", "OK", "DENIED", "INVALID",
	       "FAILED");
	for (i = 0; i < n; i++) {
		printf("%-10s %-8s %-16s %-17s", si[i].name,
		       si[i].has_type ? fwctl_type_name(si[i].device_type) : "-",
		       si[i].parent[0] ? si[i].parent : "-",
		       si[i].max_scope >= 0 ?
		       fwctl_scope_name(si[i].max_scope) : "-");
		if (!si[i].has_stats) {
			printf(" %8s %8s %8s %8s %8s\n", "-", "-", "-", "-",
			       "-");
			continue;
		}
		for (rpcs = 0, s = 0; s < FWCTL_NUM_SCOPES; s++)
			rpcs += si[i].stats[FWCTL_STATS_CONFIGURATION + s];
		printf(" %8llu %8llu %8llu %8llu %8llu\n",
		       (unsigned long long)rpcs,
		       (unsigned long long)si[i].stats[FWCTL_STATS_OK],
		       (unsigned long long)si[i].stats[FWCTL_STATS_DENIED],
		       (unsigned long long)si[i].stats[FWCTL_STATS_INVALID],
		       (unsigned long long)si[i].stats[FWCTL_STATS_FAILED]);
	}
}

static const struct cli_cmd cmd_list_desc;

static int cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct fwctl_sysinfo *si;
	size_t i, n, found = 0;
	char **names;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return help_cmd(NULL, &cmd_list_desc);
		return bad_option(cli, c, argv);
	}
	if (optind != argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);

	ret = fwctl_list(&names, &n);
	if (ret == -ENOENT)
		cli_warn(cli, "no fwctl class in sysfs: the fwctl module is not loaded");
	else if (ret)
		return cli_fail(cli, CLI_EXIT_DEVICE, "reading sysfs: %s",
				strerror(-ret));

	si = calloc(n ? n : 1, sizeof(*si));
	if (!si) {
		fwctl_list_free(names, n);
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	}
	/* A device may go away while it is listed: skip it */
	for (i = 0; i < n; i++)
		if (!fwctl_sysinfo_read(names[i], &si[found]))
			found++;
	fwctl_list_free(names, n);

	if (cli->json) {
		cli_doc_begin(cli);
		json_arr_begin(&cli->js, "devices");
		for (i = 0; i < found; i++) {
			json_obj_begin(&cli->js, NULL);
			out_sysinfo(cli, &si[i], true);
			json_obj_end(&cli->js);
		}
		json_arr_end(&cli->js);
		cli_doc_end(cli);
	} else if (found) {
		list_table(si, found);
	} else {
		printf("no fwctl devices\n");
	}
	free(si);
	return CLI_EXIT_OK;
}

static const struct cli_cmd cmd_info_desc;

static int cmd_info(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const struct cli_driver *drv;
	struct fwctl_err_ctx ctx;
	struct fwctl_sysinfo si;
	struct fwctl_dev dev;
	uint32_t type, len;
	void *data;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return help_cmd(NULL, &cmd_info_desc);
		return bad_option(cli, c, argv);
	}
	if (argc - optind != 1)
		return cli_usage(cli, "expected one device");

	ret = cli_open(cli, argv[optind], &dev);
	if (ret)
		return ret;
	ret = fwctl_dev_info(&dev, &type, &data, &len);
	if (ret) {
		fwctl_err_ctx_init(&ctx, FWCTL_OP_INFO, dev.name);
		fwctl_dev_close(&dev);
		return cli_errno(cli, &ctx, ret);
	}
	fwctl_dev_close(&dev);

	cli_doc_begin(cli);
	if (!fwctl_sysinfo_read(dev.name, &si)) {
		/* The node actually opened, which may not be under /dev/fwctl */
		snprintf(si.node, sizeof(si.node), "%s", dev.node);
		out_sysinfo(cli, &si, false);
	} else {
		cli_out_str(cli, "name", dev.name);
		cli_out_str(cli, "node", dev.node);
	}
	cli_out_x64(cli, "device_type", type);
	cli_out_str(cli, "type", fwctl_type_name(type));
	cli_out_u64(cli, "data_len", len);
	cli_out_hex(cli, "data", data, len);
	drv = cli_driver_by_type(type);
	if (drv && drv->info_show) {
		cli_section_begin(cli, drv->name);
		drv->info_show(cli, data, len);
		cli_section_end(cli);
	}
	cli_doc_end(cli);
	free(data);
	return CLI_EXIT_OK;
}

/**
 * struct rpc_args - the options of "fwctl rpc"
 * @spec: the device
 * @scope: --scope, or -1
 * @in: --in FILE
 * @hex: --hex HEX
 * @out: --out FILE
 * @out_len: --out-len
 * @help: --help
 */
struct rpc_args {
	const char *spec;
	int scope;
	const char *in;
	const char *hex;
	const char *out;
	uint32_t out_len;
	bool help;
};

static const struct cli_cmd cmd_rpc_desc;

static int rpc_parse(struct cli *cli, int argc, char **argv,
		     struct rpc_args *a)
{
	static const struct option opts[] = {
		{ "scope", required_argument, NULL, 's' },
		{ "in", required_argument, NULL, 'i' },
		{ "hex", required_argument, NULL, 'x' },
		{ "out", required_argument, NULL, 'o' },
		{ "out-len", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, ret;

	memset(a, 0, sizeof(*a));
	a->scope = -1;
	a->out_len = CLI_DEFAULT_OUT_LEN;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":s:i:x:o:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			ret = cli_parse_scope(cli, optarg, &a->scope);
			if (ret)
				return ret;
			break;
		case 'i':
			a->in = optarg;
			break;
		case 'x':
			a->hex = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'l':
			ret = parse_size(optarg, &a->out_len);
			if (ret || a->out_len > CLI_MAX_INPUT)
				return cli_usage(cli,
						 "invalid --out-len '%s': a byte count up to %u (K and M suffixes allowed)",
						 optarg, CLI_MAX_INPUT);
			break;
		case 'h':
			a->help = true;
			return 0;
		default:
			return bad_option(cli, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage(cli, "expected one device");
	a->spec = argv[optind];
	if (a->scope < 0)
		return cli_usage(cli,
				 "--scope is required: the highest scope the request may reach");
	if (a->out && !strcmp(a->out, "-") && cli->json)
		return cli_usage(cli, "--out - and --json both want stdout");
	return 0;
}

/* The firmware status in a raw reply, when the driver can find one */
static bool rpc_status(const struct fwctl_dev *dev, const void *out,
		       uint32_t len, struct cli_fw_status *st)
{
	const struct cli_driver *drv;
	uint32_t type, dlen = 0;

	if (fwctl_dev_info_raw(dev, &type, NULL, &dlen))
		return false;
	drv = cli_driver_by_type(type);
	if (!drv || !drv->reply_status)
		return false;
	memset(st, 0, sizeof(*st));
	return drv->reply_status(out, len, st);
}

static void rpc_report(struct cli *cli, const struct rpc_args *a,
		       const struct fwctl_dev *dev, uint32_t in_len,
		       const void *out, uint32_t produced, bool has_status,
		       const struct cli_fw_status *st)
{
	uint32_t got = produced < a->out_len ? produced : a->out_len;

	if (!cli->json) {
		if (!a->out)
			hex_dump(stdout, out, got);
		else if (strcmp(a->out, "-"))
			printf("%s: %u bytes of reply written to %s\n",
			       dev->name, got, a->out);
		return;
	}
	cli_doc_begin(cli);
	cli_out_str(cli, "name", dev->name);
	cli_out_str(cli, "scope", fwctl_scope_name(a->scope));
	cli_out_u64(cli, "in_len", in_len);
	cli_out_u64(cli, "out_len", produced);
	cli_out_u64(cli, "out_buf_len", a->out_len);
	cli_out_bool(cli, "truncated", produced > a->out_len);
	if (has_status) {
		cli_out_u64(cli, "status", st->status);
		if (st->name)
			cli_out_str(cli, "status_name", st->name);
		cli_out_x64(cli, "syndrome", st->syndrome);
	}
	if (a->out)
		cli_out_str(cli, "out_file", a->out);
	else
		cli_out_hex(cli, "reply", out, got);
	cli_doc_end(cli);
}

static int rpc_run(struct cli *cli, const struct rpc_args *a,
		   const uint8_t *in, size_t in_len)
{
	struct cli_fw_status st;
	struct fwctl_dev dev;
	uint32_t produced = a->out_len, got;
	bool has_status;
	void *out;
	int ret;

	if (in_len > UINT32_MAX)
		return cli_usage(cli, "request of %zu bytes is too large",
				 in_len);
	out = calloc(1, a->out_len ? a->out_len : 1);
	if (!out)
		return cli_fail(cli, CLI_EXIT_DEVICE, "%s", strerror(ENOMEM));
	ret = cli_open(cli, a->spec, &dev);
	if (ret)
		goto out_free;
	ret = cli_rpc(cli, &dev, a->scope, -1, in, in_len, out, &produced);
	if (ret)
		goto out_close;

	got = produced < a->out_len ? produced : a->out_len;
	has_status = rpc_status(&dev, out, got, &st);
	if (a->out) {
		ret = write_output(a->out, out, got);
		if (ret) {
			ret = cli_fail(cli, CLI_EXIT_DEVICE, "%s: %s", a->out,
				       strerror(-ret));
			goto out_close;
		}
	}
	rpc_report(cli, a, &dev, in_len, out, produced, has_status, &st);

	if (has_status && st.status) {
		ret = cli_fw_error(cli, dev.name, &st);
	} else if (produced > a->out_len) {
		cli_warn(cli, "the device produced %u bytes, only %u fit: pass --out-len %u",
			 produced, a->out_len, produced);
		ret = CLI_EXIT_TRUNCATED;
	}
out_close:
	fwctl_dev_close(&dev);
out_free:
	free(out);
	return ret;
}

static int cmd_rpc(struct cli *cli, int argc, char **argv)
{
	struct rpc_args a;
	size_t in_len;
	uint8_t *in;
	int ret;

	ret = rpc_parse(cli, argc, argv, &a);
	if (ret)
		return ret;
	if (a.help)
		return help_cmd(NULL, &cmd_rpc_desc);
	ret = cli_read_data(cli, a.in, a.hex, &in, &in_len);
	if (ret)
		return ret;
	ret = rpc_run(cli, &a, in, in_len);
	free(in);
	return ret;
}

static const struct cli_cmd cmd_max_scope_desc;

static int cmd_max_scope(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct fwctl_err_ctx ctx;
	char name[FWCTL_NAME_LEN];
	struct fwctl_sysinfo si;
	int c, ret, scope = -1;

	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return help_cmd(NULL, &cmd_max_scope_desc);
		return bad_option(cli, c, argv);
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage(cli, "expected a device and an optional scope");
	if (argc - optind == 2) {
		ret = cli_parse_scope(cli, argv[optind + 1], &scope);
		if (ret)
			return ret;
	}

	ret = fwctl_resolve(argv[optind], name, sizeof(name));
	if (!ret)
		ret = fwctl_sysinfo_read(name, &si);
	if (ret) {
		fwctl_err_ctx_init(&ctx, FWCTL_OP_OPEN, argv[optind]);
		return cli_errno(cli, &ctx, ret);
	}
	if (scope >= 0) {
		ret = fwctl_max_scope_write(name, scope);
		if (!ret)
			ret = fwctl_sysinfo_read(name, &si);
		if (ret) {
			fwctl_err_ctx_init(&ctx, FWCTL_OP_SYSFS, name);
			return cli_errno(cli, &ctx, ret);
		}
	}
	if (si.max_scope < 0)
		return cli_fail(cli, CLI_EXIT_DEVICE,
				"%s: max_scope is unreadable", name);

	cli_doc_begin(cli);
	cli_out_str(cli, "name", name);
	cli_out_str(cli, "max_scope", fwctl_scope_name(si.max_scope));
	cli_out_u64(cli, "max_scope_value", si.max_scope);
	cli_doc_end(cli);
	return CLI_EXIT_OK;
}

static int cmd_help(struct cli *cli, int argc, char **argv);

static const struct cli_cmd cmd_list_desc = {
	"list", "",
	"list the fwctl devices: node, driver type, parent device, scope ceiling and RPC counters",
	cmd_list,
};

static const struct cli_cmd cmd_info_desc = {
	"info", "DEV",
	"show the driver type and the FWCTL_INFO device data, decoded for known drivers",
	cmd_info,
};

static const struct cli_cmd cmd_rpc_desc = {
	"rpc", "DEV --scope SCOPE [--in FILE|- | --hex HEX] [--out-len N] [--out FILE|-]",
	"send one raw RPC; the reply is hex-dumped, or written raw with --out",
	cmd_rpc,
};

static const struct cli_cmd cmd_max_scope_desc = {
	"max-scope", "DEV [SCOPE]", "show, or as root set, the highest scope the device accepts",
	cmd_max_scope,
};

static const struct cli_cmd cmd_help_desc = {
	"help", "[COMMAND [SUBCOMMAND]]",
	"show the help of the command, or of a driver's subcommand",
	cmd_help,
};

static const struct cli_cmd *const cli_cmds[] = {
	&cmd_list_desc, &cmd_info_desc, &cmd_rpc_desc, &cmd_max_scope_desc,
	&cmd_help_desc,
};

static const struct cli_cmd *find_cmd(const struct cli_cmd *const *cmds,
				      size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

static const struct cli_cmd *find_sub(const struct cli_driver *drv,
				      const char *name)
{
	size_t i;

	for (i = 0; i < drv->num_cmds; i++)
		if (!strcmp(drv->cmds[i].name, name))
			return &drv->cmds[i];
	return NULL;
}

static void print_driver_help(FILE *f, const struct cli_driver *drv)
{
	size_t i;

	fprintf(f, "Usage: fwctl [--json] %s SUBCOMMAND DEV [ARGS]\n  %s\n\nSubcommands:\n",
		drv->name, drv->summary);
	for (i = 0; i < drv->num_cmds; i++)
		fprintf(f, "  %s %s\n      %s\n", drv->cmds[i].name,
			drv->cmds[i].args, drv->cmds[i].help);
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: fwctl [--json] COMMAND [ARGS]\n\nCommands:\n");
	for (i = 0; i < ARRAY_SIZE(cli_cmds); i++)
		fprintf(f, "  %s%s%s\n      %s\n", cli_cmds[i]->name,
			*cli_cmds[i]->args ? " " : "", cli_cmds[i]->args,
			cli_cmds[i]->help);
	for (i = 0; i < cli_num_drivers; i++)
		fprintf(f, "  %s SUBCOMMAND DEV [ARGS]\n      %s ('fwctl help %s')\n",
			cli_drivers[i]->name, cli_drivers[i]->summary,
			cli_drivers[i]->name);
	fprintf(f, "\n"
		"DEV is fwctlN, N, a node such as /dev/fwctl/fwctl0, a sysfs directory of\n"
		"the device or of its parent, or the parent device's name.\n"
		"SCOPE is configuration, debug_read_only, debug_write, debug_write_full or 0-3.\n"
		"--json, anywhere, prints one JSON document on stdout.\n\n"
		"Exit status: 0 success, 1 usage error, 2 the device, kernel or system\n"
		"refused or failed, 3 the firmware reported an error status, 4 the reply\n"
		"was longer than the buffer. See fwctl(8).\n");
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
	const struct cli_driver *drv;
	const struct cli_cmd *cmd;

	if (argc < 2) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	cmd = find_cmd(cli_cmds, ARRAY_SIZE(cli_cmds), argv[1]);
	if (cmd && argc == 2)
		return help_cmd(NULL, cmd);
	drv = cli_driver_by_name(argv[1]);
	if (drv && argc == 2) {
		print_driver_help(stdout, drv);
		return CLI_EXIT_OK;
	}
	cmd = drv && argc == 3 ? find_sub(drv, argv[2]) : NULL;
	if (cmd)
		return help_cmd(drv->name, cmd);
	cli->cmd = NULL;
	return cli_usage(cli, "no help for '%s%s%s'", argv[1],
			 argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
}

static int run_driver(struct cli *cli, const struct cli_driver *drv,
		      int argc, char **argv)
{
	static char cmdname[64];
	const struct cli_cmd *cmd;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		print_driver_help(argc < 2 ? stderr : stdout, drv);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	cmd = find_sub(drv, argv[1]);
	if (!cmd)
		return cli_usage(cli, "unknown subcommand '%s'", argv[1]);
	snprintf(cmdname, sizeof(cmdname), "%s %s", drv->name, cmd->name);
	cli->cmd = cmdname;
	return cmd->run(cli, argc - 1, argv + 1);
}

/*
 * --json may stand anywhere before "--"; take it out so that the commands
 * never see it.
 */
static int strip_json(int argc, char **argv, bool *json)
{
	int i, n = 0;
	bool opts = true;

	for (i = 0; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--"))
			opts = false;
		if (opts && i && !strcmp(argv[i], "--json")) {
			*json = true;
			continue;
		}
		argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

int main(int argc, char **argv)
{
	struct cli cli = {};
	const struct cli_driver *drv;
	const struct cli_cmd *cmd;

	opterr = 0;
	fwctl_set_roots(getenv("FWCTL_SYSFS_ROOT"), getenv("FWCTL_DEV_ROOT"));
	argc = strip_json(argc, argv, &cli.json);
	json_init(&cli.js, stdout);

	if (argc < 2) {
		print_help(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("fwctl %s\n", FWCTL_TOOL_VERSION);
		return CLI_EXIT_OK;
	}

	cmd = find_cmd(cli_cmds, ARRAY_SIZE(cli_cmds), argv[1]);
	if (cmd) {
		cli.cmd = cmd->name;
		return cmd->run(&cli, argc - 1, argv + 1);
	}
	drv = cli_driver_by_name(argv[1]);
	if (drv) {
		cli.cmd = drv->name;
		return run_driver(&cli, drv, argc - 1, argv + 1);
	}
	return cli_usage(&cli, "unknown command '%s'", argv[1]);
}
