/* SPDX-License-Identifier: GPL-2.0 */
/* Argument and value parsers shared by shim6ctl and shim6d. */
#ifndef SHIM6_PARSE_H
#define SHIM6_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Print "<program>: <message>" on stderr; returns 1 (the failure exit status). */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Value parsers: return 0 or print a clear error and return 1. */
int parse_in6(const char *what, const char *arg, uint8_t out[16]);
int parse_prefix64(const char *what, const char *arg, uint8_t out[8]);
int parse_tag(const char *what, const char *arg, uint64_t *out); /* 47-bit, 0x hex */
int parse_u64(const char *what, const char *arg, uint64_t max, uint64_t *out);
/* Comma-separated address list; *n set to the count (at most max). */
int parse_in6_list(const char *what, const char *arg, uint8_t (*out)[16], int max, int *n);

/* Reads a whole file (max bytes); returns length or -errno. */
long read_file(const char *path, void *buf, size_t max);

#endif
