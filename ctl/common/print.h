/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printing path for text and JSON (iproute2's json_print model).
 *
 * Every command prints through these calls.  In text mode a call writes its
 * printf-style `fmt` with the value (nothing if fmt is NULL); in JSON mode it
 * adds `key: value` to the object or array being built (nothing if key is
 * NULL or the type is PRINT_FP).  The JSON document is built with jansson and
 * written by print_finish(): one document on stdout, pretty with -p.
 *
 *   print_open_object(NULL);                       // the root
 *   print_string(PRINT_ANY, "state", "state %s ", "established");
 *   print_hex(PRINT_ANY, "tag", "tag %s\n", 0x1234);   // JSON: "0x1234"
 *   print_close_object();
 *   print_finish();
 */
#ifndef SHIM6_PRINT_H
#define SHIM6_PRINT_H

#include <stdbool.h>
#include <stdint.h>

enum output_type {
	PRINT_FP = 1,	/* text only */
	PRINT_JSON = 2, /* JSON only */
	PRINT_ANY = 3,	/* both */
};

void print_init(bool json, bool pretty);
bool print_is_json(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_string(enum output_type t, const char *key, const char *fmt, const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt, uint64_t value);
void print_int(enum output_type t, const char *key, const char *fmt, int64_t value);
void print_bool(enum output_type t, const char *key, const char *fmt, bool value);
void print_float(enum output_type t, const char *key, const char *fmt, double value);
/* JSON: the value as a "0x..." string (context tags, flags); text: fmt with that string. */
void print_hex(enum output_type t, const char *key, const char *fmt, uint64_t value);
/* JSON: lower-case hex string without 0x; text: the same string. */
void print_hexbuf(enum output_type t, const char *key, const char *fmt, const void *buf,
		  unsigned int len);
/* An IPv6 address (16 bytes) in RFC 5952 form. */
void print_in6(enum output_type t, const char *key, const char *fmt, const void *addr16);
void print_null(enum output_type t, const char *key, const char *fmt);
/* Text-only output (separators, newlines). */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write the JSON document (JSON mode) and reset; returns 0 or -errno. */
int print_finish(void);

#endif
