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

/* tcp-rto-min: off by default, a duration up to the kernel's 200 ms. */
TEST(reap_config_tcp_rto_min)
{
	static const char on[] = "[timers]\ntcp-rto-min 20ms\n";
	static const char big[] = "[timers]\ntcp-rto-min 1s\n";
	struct config c;
	char err[256];

	config_defaults(&c);
	ASSERT_EQ(c.timers.tcp_rto_min_ms, 0, "off by default");
	ASSERT_OK(config_parse_buf(&c, "t", on, sizeof(on) - 1, err, sizeof(err)), "parse");
	ASSERT_EQ(c.timers.tcp_rto_min_ms, 20, "20ms");
	config_defaults(&c);
	ASSERT_EQ(config_parse_buf(&c, "t", big, sizeof(big) - 1, err, sizeof(err)), -EINVAL,
		  "above 200 ms: refused");
}
