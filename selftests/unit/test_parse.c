// SPDX-License-Identifier: GPL-2.0
/* Argument parsers: every accepted and rejected form, table-driven. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ctl/common/parse.h"
#include "selftests/runner.h"

/* The parsers print their error on stderr; the tests check the return value. */
static int quiet_stderr(void)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	fflush(stderr);
	dup2(null, 2);
	close(null);
	return saved;
}

static void restore_stderr(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

TEST(parse_prefix64)
{
	static const struct {
		const char *arg;
		int ret;
		uint8_t want[8];
	} rows[] = {
		{ "2001:db8:1:2::/64", 0, { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2 } },
		{ "fd00::/64", 0, { 0xfd, 0 } },
		{ "2001:db8::/48", 1, { 0 } },
		{ "2001:db8::1/64", 1, { 0 } },
		{ "2001:db8::", 1, { 0 } },
		{ "zz::/64", 1, { 0 } },
		{ "2001:db8::/064x", 1, { 0 } },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t out[8] = { 0 };
		int ret;

		int saved;

		SUBTEST("%s", rows[i].arg);
		saved = quiet_stderr();
		ret = parse_prefix64("prefix", rows[i].arg, out);
		restore_stderr(saved);
		if (!ASSERT_EQ(ret, rows[i].ret, "return"))
			continue;
		if (ret == 0)
			ASSERT_MEMEQ(out, 8, rows[i].want, 8, "prefix bytes");
	}
}

TEST(parse_tag)
{
	static const struct {
		const char *arg;
		int ret;
		uint64_t want;
	} rows[] = {
		{ "0x1", 0, 1 },
		{ "0x7fffffffffff", 0, 0x7fffffffffffULL },
		{ "0x800000000000", 1, 0 }, /* 48 bits */
		{ "1234", 1, 0 },	    /* no 0x */
		{ "0x", 1, 0 },
		{ "0xg1", 1, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t v = 0;
		int saved, ret;

		SUBTEST("%s", rows[i].arg);
		saved = quiet_stderr();
		ret = parse_tag("tag", rows[i].arg, &v);
		restore_stderr(saved);
		if (ASSERT_EQ(ret, rows[i].ret, "return") &&
		    rows[i].ret == 0)
			ASSERT_EQ(v, rows[i].want, "value");
	}
}
