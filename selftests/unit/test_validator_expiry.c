// SPDX-License-Identifier: GPL-2.0
/*
 * Validator lifetime with lazy rotation (issue 8, found by the netns test
 * test_expired_validator): a validator is accepted in the lifetime epoch it
 * was issued in and the next one, never later, however long the responder
 * stayed idle (no R1, no I2) in between.
 */
#include <string.h>

#include "selftests/runner.h"
#include "ctl/shim6d/validator.h"

/* Issue a validator at `issue`, check it at `check` (ms, lifetime 1000). */
static bool accepted(uint64_t issue, uint64_t check)
{
	struct r1_input in;
	struct validator_keys k;
	uint8_t v[VALIDATOR_LEN];
	uint32_t nonce;

	memset(&in, 0x5a, sizeof(in));
	validator_init(&k, 1000, 0);
	validator_maybe_rotate(&k, issue);	/* as send_r1 does */
	nonce = validator_nonce(&k);
	validator_r1(&k, nonce, &in, v);
	validator_maybe_rotate(&k, check);	/* as recv_i2 does */
	return validator_check_r1(&k, nonce, &in, v, sizeof(v));
}

TEST(shim6d_validator_expiry)
{
	SUBTEST("same epoch");
	ASSERT_TRUE(accepted(100, 900), "issued at 100, checked at 900");
	SUBTEST("next epoch");
	ASSERT_TRUE(accepted(1500, 2400), "issued at 1500, checked at 2400");
	SUBTEST("two epochs later, idle responder");
	ASSERT_FALSE(accepted(1500, 4000), "issued at 1500, checked at 4000 (2.5 lifetimes)");
	SUBTEST("long idle");
	ASSERT_FALSE(accepted(1500, 100000), "issued at 1500, checked at 100000");
	SUBTEST("never older than two lifetimes");
	{
		uint64_t bad = 0;

		for (uint64_t i = 0; i < 3000; i += 97)
			for (uint64_t age = 2000; age < 6000; age += 89)
				bad += accepted(i, i + age);
		ASSERT_EQ(bad, 0, "validators older than two lifetimes accepted");
	}
}
