/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test_progs-style runner shared by the unit and BPF suites.
 *
 * Tests register themselves with TEST(name) { ... }.  A test may open
 * subtests (table rows) with SUBTEST("fmt", ...); each subtest is counted and
 * printed on its own line, so a table of 40 malformed inputs shows as 40
 * results.  ASSERT_* macros record the failure with file:line and evaluate
 * to false, so the usual shape is `if (!ASSERT_EQ(a, b, "what")) return;`.
 *
 * Output: one line per test or subtest, "[suite/name] PASS|FAIL|SKIP (...)",
 * then the closing line "N passed, N failed, N skipped".  Exit status 1 if
 * anything failed.
 */
#ifndef SHIM6_RUNNER_H
#define SHIM6_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void (*test_fn)(void);

void runner_register(const char *name, test_fn fn);

#define TEST(name)                                                             \
	static void test_##name(void);                                         \
	__attribute__((constructor)) static void register_##name(void)         \
	{                                                                      \
		runner_register(#name, test_##name);                           \
	}                                                                      \
	static void test_##name(void)

/* Start a subtest; the previous subtest of this test (if any) is closed. */
bool runner_subtest(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define SUBTEST(...) runner_subtest(__VA_ARGS__)

/* Mark the current test or subtest skipped, with a reason. */
void runner_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define SKIP(...) runner_skip(__VA_ARGS__)

/* Record a failure; always returns false. */
bool runner_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print a hex dump of two buffers side by side, marking the first difference. */
void runner_hexdiff(const char *what, const void *got, size_t got_len, const void *want,
		    size_t want_len);

/* Does the runner have the privileges BPF and netns tests need? */
bool runner_is_root(void);

#define ASSERT_TRUE(cond, what)                                                \
	((cond) ? true : runner_fail(__FILE__, __LINE__, "%s: expected true", (what)))
#define ASSERT_FALSE(cond, what)                                               \
	(!(cond) ? true : runner_fail(__FILE__, __LINE__, "%s: expected false", (what)))
#define ASSERT_EQ(got, want, what)                                             \
	({                                                                     \
		long long __g = (long long)(got), __w = (long long)(want);     \
		__g == __w ? true                                              \
			   : runner_fail(__FILE__, __LINE__,                   \
					 "%s: got %lld (0x%llx), want %lld (0x%llx)", \
					 (what), __g, (unsigned long long)__g, __w,   \
					 (unsigned long long)__w);                    \
	})
#define ASSERT_NEQ(got, bad, what)                                             \
	({                                                                     \
		long long __g = (long long)(got), __b = (long long)(bad);      \
		__g != __b ? true                                              \
			   : runner_fail(__FILE__, __LINE__, "%s: got %lld, must differ", \
					 (what), __g);                                \
	})
#define ASSERT_OK(err, what)                                                   \
	({                                                                     \
		long long __e = (long long)(err);                              \
		__e == 0 ? true                                                \
			 : runner_fail(__FILE__, __LINE__, "%s: error %lld (%s)", (what), \
				       __e, strerror(__e < 0 ? (int)-__e : (int)__e));   \
	})
#define ASSERT_OK_PTR(p, what)                                                 \
	((p) != NULL ? true : runner_fail(__FILE__, __LINE__, "%s: NULL", (what)))
#define ASSERT_STREQ(got, want, what)                                          \
	({                                                                     \
		const char *__g = (got), *__w = (want);                        \
		(__g && __w && strcmp(__g, __w) == 0)                          \
			? true                                                 \
			: runner_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", \
				      (what), __g ? __g : "(null)", __w ? __w : "(null)");  \
	})
#define ASSERT_MEMEQ(got, got_len, want, want_len, what)                       \
	({                                                                     \
		size_t __gl = (got_len), __wl = (want_len);                    \
		bool __ok = __gl == __wl && memcmp((got), (want), __wl) == 0;  \
		if (!__ok)                                                     \
			runner_hexdiff((what), (got), __gl, (want), __wl);     \
		__ok ? true : runner_fail(__FILE__, __LINE__, "%s: bytes differ", (what)); \
	})

#endif
