// SPDX-License-Identifier: GPL-2.0
/* The names `shim6ctl stats` prints next to the reason codes: one per
 * assigned code, unique, snake_case, prefixed by what happened. */
#include <ctype.h>
#include <string.h>

#include "selftests/runner.h"
#include <linux/types.h>

#include "bpf/shim6_shared.h"
#include "ctl/common/reasons.h"

TEST(reason_names)
{
	static const unsigned int assigned[] = {
		SHIM6_PASS_NOT_IPV6, SHIM6_PASS_NO_CTX, SHIM6_PASS_ULID_EQ_LOC,
		SHIM6_PASS_REWRITTEN, SHIM6_PASS_RESTORED, SHIM6_PASS_CONTROL,
		SHIM6_PASS_NDISC, SHIM6_PASS_ICMP_TRANSLATED, SHIM6_PASS_TO_SEGMENT,
		SHIM6_PASS_SHIMMED, SHIM6_PASS_FRAGMENT, SHIM6_PASS_ICMP, SHIM6_PASS_PTB_SENT,
		SHIM6_PASS_PATH_CHOSEN, SHIM6_PASS_PATH_MISSING, SHIM6_PASS_PATH_BROKEN,
		SHIM6_DROP_MALFORMED, SHIM6_DROP_UNKNOWN_TAG, SHIM6_DROP_FOREIGN_SRC,
		SHIM6_DROP_FOREIGN_DST, SHIM6_DROP_TOO_BIG, SHIM6_DROP_ADJUST_ROOM,
		SHIM6_DROP_FIB, SHIM6_DROP_EXTHDR_CHAIN, SHIM6_DROP_GSO, SHIM6_DROP_STORE,
		SHIM6_DROP_REDIRECT, SHIM6_DROP_OWN_PARAM_PROB,
	};
	unsigned int i, j;

	SUBTEST("every assigned code has a name, pass_ below 64, drop_ from 64");
	for (i = 0; i < sizeof(assigned) / sizeof(assigned[0]); i++) {
		const char *n = shim6_reason_name(assigned[i]);

		if (!ASSERT_TRUE(n != NULL, "named"))
			continue;
		ASSERT_EQ(strncmp(n, assigned[i] < SHIM6_VERDICT_MAX_ ? "pass_" : "drop_", 5), 0,
			  "prefix matches the range");
		for (j = 0; n[j]; j++)
			if (!ASSERT_TRUE(islower((unsigned char)n[j]) || isdigit((unsigned char)n[j]) ||
						 n[j] == '_', "snake_case"))
				break;
	}
	SUBTEST("names are unique; unassigned codes and out-of-range have none");
	for (i = 0; i < SHIM6_REASON_MAX; i++)
		for (j = i + 1; j < SHIM6_REASON_MAX; j++)
			if (shim6_reason_name(i) && shim6_reason_name(j))
				ASSERT_TRUE(strcmp(shim6_reason_name(i), shim6_reason_name(j)) != 0,
					    "unique");
	ASSERT_TRUE(shim6_reason_name(SHIM6_VERDICT_MAX_ - 1) == NULL, "code 63 unassigned");
	ASSERT_TRUE(shim6_reason_name(SHIM6_REASON_MAX) == NULL, "out of range");
	ASSERT_TRUE(shim6_reason_name(1000) == NULL, "far out of range");
}
