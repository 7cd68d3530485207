// SPDX-License-Identifier: GPL-2.0
/* The fast-tcp-recovery key of [timers]: on by default, can be turned off. */
#include <errno.h>

#include "selftests/runner.h"
#include "ctl/shim6d/config.h"

TEST(reap_config_fast_tcp_recovery)
{
	static const char off[] = "[timers]\nfast-tcp-recovery no\n";
	static const char bad[] = "[timers]\nfast-tcp-recovery maybe\n";
	struct config c;
	char err[256];

	config_defaults(&c);
	ASSERT_TRUE(c.timers.fast_tcp_recovery, "on by default");
	ASSERT_OK(config_parse_buf(&c, "t", off, sizeof(off) - 1, err, sizeof(err)), "parse");
	ASSERT_FALSE(c.timers.fast_tcp_recovery, "fast-tcp-recovery no");
	config_defaults(&c);
	ASSERT_EQ(config_parse_buf(&c, "t", bad, sizeof(bad) - 1, err, sizeof(err)), -EINVAL,
		  "not a boolean: refused");
}
