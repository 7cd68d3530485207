// SPDX-License-Identifier: GPL-2.0
/* Argument and value parsers; see parse.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/common/parse.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int parse_in6(const char *what, const char *arg, uint8_t out[16])
{
	if (inet_pton(AF_INET6, arg, out) != 1)
		return cli_error("invalid %s \"%s\": not an IPv6 address", what, arg);
	return 0;
}

int parse_prefix64(const char *what, const char *arg, uint8_t out[8])
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	uint8_t a[16];
	int i;

	if (strlen(arg) >= sizeof(buf))
		return cli_error("invalid %s \"%s\": too long", what, arg);
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (!slash)
		return cli_error("invalid %s \"%s\": expected PREFIX/64", what, arg);
	*slash = '\0';
	if (strcmp(slash + 1, "64") != 0)
		return cli_error("invalid %s \"%s\": the prefix length must be 64 (CGA/HBA "
				 "addresses have a 64-bit interface identifier)", what, arg);
	if (inet_pton(AF_INET6, buf, a) != 1)
		return cli_error("invalid %s \"%s\": not an IPv6 prefix", what, arg);
	for (i = 8; i < 16; i++)
		if (a[i])
			return cli_error("invalid %s \"%s\": host bits set beyond /64", what, arg);
	memcpy(out, a, 8);
	return 0;
}

int parse_u64(const char *what, const char *arg, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!*arg || *arg == '-')
		return cli_error("invalid %s \"%s\": not a number", what, arg);
	v = strtoull(arg, &end, 0);
	if (errno || *end)
		return cli_error("invalid %s \"%s\": not a number", what, arg);
	if (v > max)
		return cli_error("invalid %s \"%s\": at most %" PRIu64, what, arg, max);
	*out = v;
	return 0;
}

int parse_tag(const char *what, const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (strncmp(arg, "0x", 2) != 0 && strncmp(arg, "0X", 2) != 0)
		return cli_error("invalid %s \"%s\": a context tag is 0x-prefixed hex", what, arg);
	v = strtoull(arg + 2, &end, 16);
	if (errno || *end || end == arg + 2)
		return cli_error("invalid %s \"%s\": not hex", what, arg);
	if (v >> 47)
		return cli_error("invalid %s \"%s\": a context tag has 47 bits", what, arg);
	*out = v;
	return 0;
}

int parse_in6_list(const char *what, const char *arg, uint8_t (*out)[16], int max, int *n)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	int count = 0, ret = 0;

	if (!dup)
		return cli_error("out of memory");
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (count == max) {
			ret = cli_error("too many %s (at most %d)", what, max);
			break;
		}
		if (parse_in6(what, tok, out[count])) {
			ret = 1;
			break;
		}
		count++;
	}
	if (!ret && count == 0)
		ret = cli_error("empty %s list", what);
	free(dup);
	*n = count;
	return ret;
}

long read_file(const char *path, void *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;
	long ret;

	if (!f)
		return -errno;
	n = fread(buf, 1, max, f);
	if (ferror(f))
		ret = -EIO;
	else if (n == max && fgetc(f) != EOF)
		ret = -EFBIG;
	else
		ret = (long)n;
	fclose(f);
	return ret;
}
