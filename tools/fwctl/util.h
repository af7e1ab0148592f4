/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of numbers and hex strings, hex dumps, and whole-file input and
 * output for the fwctl command.
 */
#ifndef __FWCTL_UTIL_H
#define __FWCTL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int parse_u64(const char *s, uint64_t *val);
int parse_u32(const char *s, uint32_t *val);
int parse_size(const char *s, uint32_t *val);
int hex_parse(const char *s, uint8_t **buf, size_t *len, size_t *err_pos);
void hex_dump(FILE *f, const void *buf, size_t len);
int read_input(const char *path, size_t max, uint8_t **buf, size_t *len);
int write_output(const char *path, const void *buf, size_t len);

#endif
