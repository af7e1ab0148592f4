/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fwctl command's generic part offers the per-driver files:
 * reporting with the documented exit codes, output that is either text or
 * JSON from the same calls, and opening a device of the driver's type.
 *
 * Adding a driver: write <driver>.c with a table of &struct cli_cmd and a
 * &struct cli_driver, declare it below, list it in drivers.c and add its
 * object to the Makefile. See mock.c.
 */
#ifndef __FWCTL_CLI_H
#define __FWCTL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "json.h"
#include "libfwctl.h"

/* Exit codes, documented in fwctl.8 */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_USAGE = 1,
	CLI_EXIT_DEVICE = 2,
	CLI_EXIT_FIRMWARE = 3,
	CLI_EXIT_TRUNCATED = 4,
};

/* Largest request file the command reads; the kernel's limit is lower */
#define CLI_MAX_INPUT		(16 * 1024 * 1024)
/* Default reply buffer of "fwctl rpc" */
#define CLI_DEFAULT_OUT_LEN	(64 * 1024)

/**
 * struct cli - one run of the command
 * @json: --json was given: stdout carries one JSON document
 * @js: the JSON writer on stdout
 * @doc_open: a JSON document has been started
 * @depth: nesting of text output sections
 * @cmd: the command running ("rpc", "mock echo"), for messages
 */
struct cli {
	bool json;
	struct json js;
	bool doc_open;
	int depth;
	const char *cmd;
};

/**
 * struct cli_cmd - a command or a driver's subcommand
 * @name: what the user types
 * @args: synopsis of its arguments
 * @help: one line saying what it does
 * @run: runs it with argv[0] the command's name; returns an exit code
 */
struct cli_cmd {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/**
 * struct cli_fw_status - a firmware status found in a reply
 * @status: the status, 0 for success
 * @syndrome: detail the firmware gave
 * @name: the status's name, or NULL
 */
struct cli_fw_status {
	uint32_t status;
	uint32_t syndrome;
	const char *name;
};

/**
 * struct cli_driver - what the command knows about one fwctl driver
 * @name: its subcommand ("mock"), also used as a JSON key
 * @device_type: the &enum fwctl_device_type its devices report
 * @summary: one line for the help
 * @cmds: its subcommands
 * @num_cmds: number of @cmds
 * @info_show: decodes the FWCTL_INFO device data through cli_out_*(),
 *	or NULL
 * @reply_status: finds the firmware status in a raw RPC reply; returns
 *	false when the reply is too short to carry one. May be NULL.
 */
struct cli_driver {
	const char *name;
	uint32_t device_type;
	const char *summary;
	const struct cli_cmd *cmds;
	size_t num_cmds;
	void (*info_show)(struct cli *cli, const void *data, uint32_t len);
	bool (*reply_status)(const void *out, uint32_t len,
			     struct cli_fw_status *st);
};

/* The drivers' descriptions, one per file, listed in drivers.c */
extern const struct cli_driver cli_drv_mock;
extern const struct cli_driver cli_drv_cxl;
extern const struct cli_driver cli_drv_accel;
extern const struct cli_driver cli_drv_mlx5;

extern const struct cli_driver *const cli_drivers[];
extern const size_t cli_num_drivers;
const struct cli_driver *cli_driver_by_type(uint32_t type);
const struct cli_driver *cli_driver_by_name(const char *name);

/* Decoders of cxl.c, for the host tests */
void cxl_effect_names(uint16_t effects, char *buf, size_t len);
int cxl_set_feat_scope(uint16_t effects);
void cxl_uuid_format(const uint8_t *uuid, char *buf);
int cxl_uuid_parse(const char *s, uint8_t *uuid);
void cxl_identify_show(struct cli *cli, const uint8_t *p, uint32_t len);

/* Encoders and decoders of mlx5.c, for the host tests */
#define MLX5_HDR_LEN	16
const char *mlx5_status_name(uint8_t status);
uint64_t mlx5_field(const uint8_t *p, size_t len, uint32_t bit,
		    uint32_t width);
void mlx5_encode_hdr(uint8_t *in, uint16_t opcode, uint16_t op_mod);
void mlx5_encode_access_reg(uint8_t *in, bool write, uint16_t reg_id,
			    uint32_t arg);
bool mlx5_decode_out(const void *out, uint32_t len, struct cli_fw_status *st);
void mlx5_caps_show(struct cli *cli, const uint8_t *cap, uint32_t len);

/* Reporting; each returns the exit code to return */
int cli_usage(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_fail(struct cli *cli, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cli_errno(struct cli *cli, const struct fwctl_err_ctx *ctx, int err);
int cli_fw_error(struct cli *cli, const char *dev,
		 const struct cli_fw_status *st);
void cli_warn(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * struct cli_args - the options and arguments of a driver's subcommand
 * @spec: the device
 * @scope: --scope, or -1 for the command's own
 * @in: --in FILE
 * @hex: --hex HEX
 * @out: --out FILE
 * @raw: --raw
 * @offset: --offset N, 0 when not given
 * @size: --size N (or --length N), 0 when not given
 * @args: the arguments after the device
 * @nargs: their number
 * @help: --help
 */
struct cli_args {
	const char *spec;
	int scope;
	const char *in;
	const char *hex;
	const char *out;
	bool raw;
	uint32_t offset;
	uint32_t size;
	char **args;
	int nargs;
	bool help;
};

/* Options a subcommand takes beyond --scope and --help */
#define CLI_OPT_DATA	0x01	/* --in, --hex */
#define CLI_OPT_OUT	0x02	/* --out */
#define CLI_OPT_RAW	0x04	/* --raw */
#define CLI_OPT_OFFSET	0x08	/* --offset */
#define CLI_OPT_SIZE	0x10	/* --size, --length */

/**
 * struct cli_opt_ext - a driver's own options for cli_parse_args_ext()
 * @opts: getopt_long() options, ending with a zeroed entry; their values
 *	must differ from the letters cli.c uses (s i x o r f n h)
 * @parse: handles one, with optarg set; returns 0, an exit code, or -1
 *	for an option the subcommand does not take
 * @priv: passed to @parse
 */
struct cli_opt_ext {
	const struct option *opts;
	int (*parse)(struct cli *cli, int c, void *priv);
	void *priv;
};

/* Arguments */
int cli_parse_args_ext(struct cli *cli, int argc, char **argv,
		       unsigned int allowed, int min_args, int max_args,
		       struct cli_args *a, const struct cli_opt_ext *ext);
int cli_parse_args(struct cli *cli, int argc, char **argv,
		   unsigned int allowed, int min_args, int max_args,
		   struct cli_args *a);
int cli_sub_help(const struct cli_driver *drv, const char *name);
int cli_parse_scope(struct cli *cli, const char *arg, int *scope);
int cli_parse_u32(struct cli *cli, const char *what, const char *arg,
		  uint32_t *val);
int cli_read_data(struct cli *cli, const char *in, const char *hex,
		  uint8_t **buf, size_t *len);

/* Devices */
int cli_open(struct cli *cli, const char *spec, struct fwctl_dev *dev);
int cli_open_driver(struct cli *cli, const char *spec,
		    const struct cli_driver *drv, struct fwctl_dev *dev,
		    void **info, uint32_t *info_len);
int cli_rpc(struct cli *cli, const struct fwctl_dev *dev, int scope,
	    int need_scope, const void *in, uint32_t in_len, void *out,
	    uint32_t *out_len);

/* Output: the same calls print "name  value" lines or JSON members */
void cli_doc_begin(struct cli *cli);
void cli_doc_end(struct cli *cli);
void cli_section_begin(struct cli *cli, const char *key);
void cli_section_end(struct cli *cli);
void cli_out_str(struct cli *cli, const char *key, const char *s);
void cli_out_u64(struct cli *cli, const char *key, uint64_t v);
void cli_out_x64(struct cli *cli, const char *key, uint64_t v);
void cli_out_bool(struct cli *cli, const char *key, bool v);
void cli_out_hex(struct cli *cli, const char *key, const void *buf,
		 size_t len);

#endif
