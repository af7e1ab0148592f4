// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the fwctl command that know nothing about fwctl.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/**
 * parse_u64() - a whole string as an unsigned number
 * @s: decimal, 0x-prefixed hex or 0-prefixed octal, nothing around it
 * @val: set on success
 *
 * Return: 0, -EINVAL when @s is not a number, -ERANGE when it is too big.
 */
int parse_u64(const char *s, uint64_t *val)
{
	unsigned long long v;
	char *end;

	/* strtoull() would take leading space and a minus sign */
	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*val = v;
	return 0;
}

int parse_u32(const char *s, uint32_t *val)
{
	uint64_t v;
	int ret;

	ret = parse_u64(s, &v);
	if (ret)
		return ret;
	if (v > UINT32_MAX)
		return -ERANGE;
	*val = v;
	return 0;
}

/* Like parse_u32(), with an optional K or M (binary) suffix */
int parse_size(const char *s, uint32_t *val)
{
	char buf[32];
	uint64_t v, mult = 1;
	size_t n;
	int ret;

	if (!s)
		return -EINVAL;
	n = strlen(s);
	if (!n || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n + 1);
	if (toupper((unsigned char)buf[n - 1]) == 'K' ||
	    toupper((unsigned char)buf[n - 1]) == 'M') {
		mult = toupper((unsigned char)buf[n - 1]) == 'K' ? 1024 :
								  1024 * 1024;
		buf[--n] = 0;
	}
	ret = parse_u64(buf, &v);
	if (ret)
		return ret;
	if (v > UINT32_MAX / mult)
		return -ERANGE;
	*val = v * mult;
	return 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int is_hex_sep(int c)
{
	return isspace(c) || c == ':' || c == '-' || c == '_' || c == ',';
}

/**
 * hex_parse() - bytes from hex text
 * @s: pairs of hex digits; white space, ':', '-', '_' and ',' may stand
 *	between bytes, and each group may start with "0x"
 * @buf: set to a malloc'd buffer (at least one byte, even for no data)
 * @len: set to the number of bytes
 * @err_pos: set to the offset of the offending character on -EINVAL
 *
 * Return: 0, -EINVAL or -ENOMEM.
 */
int hex_parse(const char *s, uint8_t **buf, size_t *len, size_t *err_pos)
{
	size_t i = 0, n = 0;
	uint8_t *out;
	int hi, lo;

	*buf = NULL;
	*len = 0;
	*err_pos = 0;
	out = malloc(strlen(s) / 2 + 1);
	if (!out)
		return -ENOMEM;

	while (s[i]) {
		if (is_hex_sep((unsigned char)s[i])) {
			i++;
			continue;
		}
		/* "0x" only at the start of a group */
		if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    (i == 0 || is_hex_sep((unsigned char)s[i - 1])) &&
		    hex_digit((unsigned char)s[i + 2]) >= 0) {
			i += 2;
			continue;
		}
		hi = hex_digit((unsigned char)s[i]);
		if (hi < 0)
			goto err_inval;
		lo = hex_digit((unsigned char)s[i + 1]);
		if (lo < 0) {
			i++;
			goto err_inval;
		}
		out[n++] = hi << 4 | lo;
		i += 2;
	}
	*buf = out;
	*len = n;
	return 0;

err_inval:
	*err_pos = i;
	free(out);
	return -EINVAL;
}

/* Offset, 16 bytes in hex and their printable characters, per line */
void hex_dump(FILE *f, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t off, i;

	for (off = 0; off < len; off += 16) {
		fprintf(f, "%08zx ", off);
		for (i = 0; i < 16; i++) {
			if (i == 8)
				fputc(' ', f);
			if (off + i < len)
				fprintf(f, " %02x", p[off + i]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (i = 0; i < 16 && off + i < len; i++)
			fputc(isprint(p[off + i]) ? p[off + i] : '.', f);
		fputs("|\n", f);
	}
}

/**
 * read_input() - all of a file, or of standard input for "-"
 * @path: the file
 * @max: the most bytes accepted
 * @buf: set to a malloc'd buffer (at least one byte, even when empty)
 * @len: set to the number of bytes read
 *
 * Return: 0, -EFBIG when there is more than @max, or a negative errno.
 */
int read_input(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	size_t n = 0, cap = 4096;
	uint8_t *data, *grown;
	ssize_t r;
	int fd, ret = 0;

	*buf = NULL;
	*len = 0;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	data = malloc(cap);
	if (!data) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				ret = -EFBIG;
				break;
			}
			cap *= 2;
			grown = realloc(data, cap);
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			data = grown;
		}
		r = read(fd, data + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			break;
		}
		if (!r)
			break;
		n += r;
	}
	if (!ret && n > max)
		ret = -EFBIG;
	if (ret) {
		free(data);
	} else {
		*buf = data;
		*len = n;
	}
out_close:
	if (fd)
		close(fd);
	return ret;
}

/**
 * write_output() - write a buffer to a new file, or to standard output for "-"
 * @path: the file, created or truncated
 * @buf: the data
 * @len: its length
 *
 * Return: 0 or a negative errno.
 */
int write_output(const char *path, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	bool to_stdout = !strcmp(path, "-");
	ssize_t w;
	int fd, ret = 0;

	if (to_stdout) {
		fflush(stdout);
		fd = 1;
	} else {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
	}
	while (len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			ret = -errno;
			break;
		}
		p += w;
		len -= w;
	}
	if (!to_stdout && close(fd) && !ret)
		ret = -errno;
	return ret;
}
