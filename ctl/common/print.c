// SPDX-License-Identifier: GPL-2.0
/* Text/JSON printing layer; see print.h.  JSON through jansson. */
#include "ctl/common/print.h"
#include "ctl/common/utf8.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_DEPTH 32

static bool json_mode, json_pretty;
static json_t *stack[MAX_DEPTH];
static int depth;
static json_t *root;

void print_init(bool json, bool pretty)
{
	json_mode = json || pretty;
	json_pretty = pretty;
}

bool print_is_json(void)
{
	return json_mode;
}

/* Attach v under key to the innermost container (or make it the root). */
static void attach(const char *key, json_t *v)
{
	json_t *top;

	if (!v)
		return;
	if (depth == 0) {
		if (!root) {
			root = v;
			return;
		}
		json_decref(v); /* a second root: ignore rather than corrupt */
		return;
	}
	top = stack[depth - 1];
	if (json_is_array(top))
		json_array_append_new(top, v);
	else
		json_object_set_new(top, key ? key : "value", v);
}

static void open_container(const char *key, json_t *c)
{
	if (!json_mode) {
		json_decref(c);
		return;
	}
	if (depth == MAX_DEPTH) {
		fprintf(stderr, "print: nesting too deep\n");
		abort();
	}
	json_incref(c);
	attach(key, c);
	stack[depth++] = c;
	json_decref(c);
}

void print_open_object(const char *key)
{
	open_container(key, json_object());
}

void print_open_array(const char *key)
{
	open_container(key, json_array());
}

void print_close_object(void)
{
	if (json_mode && depth > 0)
		depth--;
}

void print_close_array(void)
{
	print_close_object();
}

static bool want_json(enum output_type t, const char *key)
{
	(void)key;
	return json_mode && (t & PRINT_JSON);
}

static bool want_text(enum output_type t, const char *fmt)
{
	return !json_mode && (t & PRINT_FP) && fmt;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void print_string(enum output_type t, const char *key, const char *fmt, const char *value)
{
	if (want_json(t, key))
		attach(key, value ? json_text(value) : json_null());
	else if (want_text(t, fmt))
		printf(fmt, value ? value : "");
}

void print_uint(enum output_type t, const char *key, const char *fmt, uint64_t value)
{
	if (want_json(t, key))
		attach(key, json_integer((json_int_t)value));
	else if (want_text(t, fmt))
		printf(fmt, value);
}

void print_int(enum output_type t, const char *key, const char *fmt, int64_t value)
{
	if (want_json(t, key))
		attach(key, json_integer(value));
	else if (want_text(t, fmt))
		printf(fmt, value);
}

void print_bool(enum output_type t, const char *key, const char *fmt, bool value)
{
	if (want_json(t, key))
		attach(key, json_boolean(value));
	else if (want_text(t, fmt))
		printf(fmt, value ? "true" : "false");
}

void print_float(enum output_type t, const char *key, const char *fmt, double value)
{
	if (want_json(t, key))
		attach(key, json_real(value));
	else if (want_text(t, fmt))
		printf(fmt, value);
}

void print_hex(enum output_type t, const char *key, const char *fmt, uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, value);
	print_string(t, key, fmt, buf);
}

void print_hexbuf(enum output_type t, const char *key, const char *fmt, const void *buf,
		  unsigned int len)
{
	const unsigned char *p = buf;
	char *s = malloc(2 * (size_t)len + 1);
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < len; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * len] = '\0';
	print_string(t, key, fmt, s);
	free(s);
}

void print_in6(enum output_type t, const char *key, const char *fmt, const void *addr16)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr16, buf, sizeof(buf));
	print_string(t, key, fmt, buf);
}

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (want_json(t, key))
		attach(key, json_null());
	else if (want_text(t, fmt))
		printf("%s", fmt);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

int print_finish(void)
{
	int err = 0;

	if (json_mode && root) {
		size_t flags = JSON_PRESERVE_ORDER | (json_pretty ? JSON_INDENT(2) : JSON_COMPACT);

		if (json_dumpf(root, stdout, flags) < 0)
			err = -EIO;
		fputc('\n', stdout);
		json_decref(root);
	}
	root = NULL;
	depth = 0;
	fflush(stdout);
	return err;
}
