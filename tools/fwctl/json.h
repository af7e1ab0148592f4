/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small JSON writer: objects, arrays, strings, numbers, booleans and
 * binary data as hex strings, pretty-printed one member a line so that
 * line tools can pick fields out of it.
 */
#ifndef __FWCTL_JSON_H
#define __FWCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

/**
 * struct json - a JSON document being written
 * @f: where it goes
 * @depth: containers open
 * @has_members: whether the container at each depth has a member yet
 * @is_array: whether the container at each depth is an array
 */
struct json {
	FILE *f;
	int depth;
	bool has_members[JSON_MAX_DEPTH];
	bool is_array[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_escape(FILE *f, const char *s, size_t len);

/* @key is NULL for array elements and the top-level value */
void json_obj_begin(struct json *j, const char *key);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *s);
void json_strn(struct json *j, const char *key, const char *s, size_t len);
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
void json_hex(struct json *j, const char *key, const void *buf, size_t len);

#endif
