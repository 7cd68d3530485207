// SPDX-License-Identifier: GPL-2.0
/* utf8_scrub(): what reaches a JSON reply is UTF-8 that jansson accepts. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "selftests/runner.h"
#include "ctl/common/print.h"
#include "ctl/common/utf8.h"

static const struct {
	const char *name, *in, *out;
	size_t bad;
} utf8_rows[] = {
	{ "empty", "", "", 0 },
	{ "ASCII", "no context with local tag 0x1", "no context with local tag 0x1", 0 },
	{ "2, 3 and 4 bytes", "\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80", "\xc3\xa9 \xe2\x80\xa6 \xf0\x9f\x98\x80", 0 },
	{ "highest code point", "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 0 },
	{ "lone continuation", "a\x9c" "b", "a?b", 1 },
	{ "lead byte then ASCII", "\xc3" "A", "?A", 1 },
	{ "cut by the end (vsnprintf)", "tag \xe2\x80", "tag ??", 2 },
	{ "overlong 2 bytes", "\xc0\xaf", "??", 2 },
	{ "overlong 3 bytes", "\xe0\x80\xaf", "???", 3 },
	{ "overlong 4 bytes", "\xf0\x80\x80\xaf", "????", 4 },
	{ "surrogate", "\xed\xa0\x80", "???", 3 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", "????", 4 },
	{ "0xf5 and 0xff", "\xf5\xff", "??", 2 },
	{ "jansson's parse error of the fuzz finding", "invalid escape near '\"\\\xc3'",
	  "invalid escape near '\"\\?'", 1 },
};

TEST(utf8_scrub)
{
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof(utf8_rows) / sizeof(utf8_rows[0]); i++) {
		json_t *j;

		SUBTEST("%s", utf8_rows[i].name);
		snprintf(buf, sizeof(buf), "%s", utf8_rows[i].in);
		ASSERT_EQ(utf8_scrub(buf), utf8_rows[i].bad, "bytes replaced");
		ASSERT_STREQ(buf, utf8_rows[i].out, "scrubbed text");
		j = json_string(buf);
		ASSERT_TRUE(j != NULL, "jansson takes the result");
		json_decref(j);
	}
}

/* shim6ctl -j: a name that is not UTF-8 (an interface may have one) is
 * printed scrubbed, not dropped from the object. */
TEST(print_json_non_utf8_string)
{
	char out[256] = "";
	json_t *j;
	FILE *f = tmpfile();
	int saved;
	size_t n;

	if (!ASSERT_TRUE(f != NULL, "tmpfile"))
		return;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(f), STDOUT_FILENO);
	print_init(true, false);
	print_open_object(NULL);
	print_string(PRINT_ANY, "dev", "%s", "eth\xff" "0");
	print_string(PRINT_ANY, "state", "%s", "up");
	print_close_object();
	ASSERT_EQ(print_finish(), 0, "printed");
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	j = json_loads(out, 0, NULL);
	if (!ASSERT_TRUE(j != NULL, "one JSON document"))
		return;
	ASSERT_STREQ(json_string_value(json_object_get(j, "dev")), "eth?0", "dev kept, scrubbed");
	ASSERT_STREQ(json_string_value(json_object_get(j, "state")), "up", "the rest kept");
	json_decref(j);
}

/* json_text(): a JSON string for any bytes; jansson's own refuses them. */
TEST(json_text_any_bytes)
{
	static const struct { const char *in, *out; } rows[] = {
		{ "/etc/shim6/cga.key", "/etc/shim6/cga.key" },
		{ "/var/lib/\xc3\xa9t\xc3\xa9", "/var/lib/\xc3\xa9t\xc3\xa9" },
		{ "/var/lib/\xe9t\xe9", "/var/lib/?t?" },	/* Latin-1 */
		{ "eth\xff", "eth?" },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *j = json_text(rows[i].in);

		SUBTEST("%s", rows[i].out);
		if (!ASSERT_TRUE(j != NULL, "a string"))
			continue;
		ASSERT_STREQ(json_string_value(j), rows[i].out, "text");
		json_decref(j);
	}
}
