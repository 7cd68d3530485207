// SPDX-License-Identifier: GPL-2.0
/* The runner behind selftests/runner.h: registration, filtering, counting. */
#include "selftests/runner.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_TESTS 1024

struct test_entry {
	const char *name;
	test_fn fn;
};

static struct test_entry tests[MAX_TESTS];
static int ntests;

/* State of the test (or subtest) currently running. */
static const char *suite = "unit";
static const char *cur_test;
static char cur_sub[256];
static bool in_sub, cur_failed, cur_skipped, sub_seen;
static char skip_reason[256];
static int npass, nfail, nskip;

void runner_register(const char *name, test_fn fn)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "runner: too many tests, raise MAX_TESTS\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

static void report(const char *name)
{
	if (cur_failed) {
		printf("[%s/%s] FAIL\n", suite, name);
		nfail++;
	} else if (cur_skipped) {
		printf("[%s/%s] SKIP (%s)\n", suite, name, skip_reason);
		nskip++;
	} else {
		printf("[%s/%s] PASS\n", suite, name);
		npass++;
	}
	fflush(stdout);
	cur_failed = cur_skipped = false;
}

static void close_subtest(void)
{
	char full[512];

	if (!in_sub)
		return;
	snprintf(full, sizeof(full), "%s/%s", cur_test, cur_sub);
	report(full);
	in_sub = false;
}

bool runner_subtest(const char *fmt, ...)
{
	va_list ap;

	close_subtest();
	va_start(ap, fmt);
	vsnprintf(cur_sub, sizeof(cur_sub), fmt, ap);
	va_end(ap);
	in_sub = sub_seen = true;
	return true;
}

void runner_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	cur_skipped = true;
}

bool runner_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	cur_failed = true;
	return false;
}

void runner_hexdiff(const char *what, const void *got, size_t got_len, const void *want,
		    size_t want_len)
{
	const uint8_t *g = got, *w = want;
	size_t n = got_len > want_len ? got_len : want_len, i;

	printf("    %s: got %zu bytes, want %zu bytes\n", what, got_len, want_len);
	for (i = 0; i < n; i += 16) {
		size_t j;

		printf("    %04zx got ", i);
		for (j = i; j < i + 16; j++)
			j < got_len ? printf("%02x", g[j]) : printf("  ");
		printf("  want ");
		for (j = i; j < i + 16; j++) {
			bool diff = j >= got_len || j >= want_len || g[j] != w[j];

			if (j < want_len)
				printf(diff ? "%02X" : "%02x", w[j]);
			else if (j < n)
				printf("--");
		}
		printf("\n");
	}
	printf("    (upper-case bytes in 'want' differ)\n");
}

bool runner_is_root(void)
{
	return geteuid() == 0;
}

static void usage(const char *prog)
{
	printf("Usage: %s [-s SUITE] [-t GLOB] [-l]\n"
	       "  -s SUITE  name printed in front of each result (default \"unit\")\n"
	       "  -t GLOB   run only tests whose name matches GLOB (fnmatch)\n"
	       "  -l        list the tests and exit\n",
	       prog);
}

int main(int argc, char **argv)
{
	const char *filter = NULL;
	bool list = false;
	int opt, i;

	while ((opt = getopt(argc, argv, "s:t:lh")) != -1) {
		switch (opt) {
		case 's': suite = optarg; break;
		case 't': filter = optarg; break;
		case 'l': list = true; break;
		default: usage(argv[0]); return opt == 'h' ? 0 : 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ntests; i++) {
		if (filter && fnmatch(filter, tests[i].name, 0) != 0)
			continue;
		if (list) {
			printf("%s\n", tests[i].name);
			continue;
		}
		cur_test = tests[i].name;
		cur_failed = cur_skipped = in_sub = sub_seen = false;
		tests[i].fn();
		if (in_sub)
			close_subtest(); /* a failure after the last row counts against it */
		else if (!sub_seen || cur_failed || cur_skipped)
			report(cur_test);
	}
	if (!list)
		printf("%d passed, %d failed, %d skipped\n", npass, nfail, nskip);
	return nfail ? 1 : 0;
}
