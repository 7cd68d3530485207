// SPDX-License-Identifier: GPL-2.0
/* shim6d.conf parser: accepted files set the right fields; each error names its line. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "ctl/shim6d/config.h"
#include "selftests/runner.h"

static int parse(struct config *c, const char *text, char *err, size_t errlen)
{
	config_defaults(c);
	return config_parse_buf(c, "t.conf", text, strlen(text), err, errlen);
}

TEST(shim6d_config_defaults)
{
	struct config c;

	config_defaults(&c);
	/* RFC 5533 §14 values */
	ASSERT_EQ(c.timers.i1_timeout_ms, 4000, "I1_TIMEOUT");
	ASSERT_EQ(c.timers.i1_retries, 4, "I1_RETRIES_MAX");
	ASSERT_EQ(c.timers.i2_retries, 2, "I2_RETRIES_MAX");
	ASSERT_EQ(c.timers.no_r1_holddown_ms, 60000, "NO_R1_HOLDDOWN_TIME");
	ASSERT_EQ(c.timers.icmp_holddown_ms, 600000, "ICMP_HOLDDOWN_TIME");
	ASSERT_EQ(c.timers.validator_lifetime_ms, 30000, "VALIDATOR_MIN_LIFETIME");
	ASSERT_EQ(c.timers.max_update_timeout_ms, 120000, "MAX_UPDATE_TIMEOUT");
	ASSERT_EQ(c.trigger_bytes, 2048, "trigger bytes");
	ASSERT_EQ(c.trigger_ms, 60000, "trigger time");
	ASSERT_FALSE(c.server_mode, "server mode off");
}

TEST(shim6d_config_example_file)
{
	struct config c;
	char err[256];

	config_defaults(&c);
	if (!ASSERT_OK(config_parse_file(&c, "ctl/shim6d/shim6d.conf.example", err, sizeof(err)),
		       err))
		return;
	ASSERT_EQ(c.idle_timeout_ms, 300000, "idle-timeout 5min");
	ASSERT_EQ(c.n_ifaces, 0, "no interface (commented out)");
}

TEST(shim6d_config_full)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"[daemon]\n"
		"log-level debug   # trailing comment\n"
		"control-socket /tmp/x.sock\n"
		"server-mode yes\n"
		"max-contexts 1000\n"
		"idle-timeout 10s\n"
		"[trigger]\n"
		"bytes 4096\n"
		"time 500ms\n"
		"skip-eui64 on\n"
		"[timers]\n"
		"\ti1-timeout   2min\n"
		"i1-retries 0\n"
		"[interface veth0]\n"
		"ingress xdp\n"
		"[interface veth1]\n"
		"[address 2001:db8::1]\n"
		"params /etc/shim6/a.params\n"
		"key /etc/shim6/a.key\n"
		"preference 7\n"
		"[address 2001:db8:1::1]\r\n"
		"params /p2\r\n";
	uint8_t a1[16];
	struct config c;
	char err[256];

	if (!ASSERT_OK(parse(&c, text, err, sizeof(err)), err))
		return;
	inet_pton(AF_INET6, "2001:db8::1", a1);
	ASSERT_EQ(c.log_level, LOG_DEBUG, "log-level");
	ASSERT_STREQ(c.control_socket, "/tmp/x.sock", "control-socket");
	ASSERT_TRUE(c.server_mode, "server-mode");
	ASSERT_EQ(c.max_contexts, 1000, "max-contexts");
	ASSERT_EQ(c.idle_timeout_ms, 10000, "idle-timeout");
	ASSERT_EQ(c.trigger_bytes, 4096, "bytes");
	ASSERT_EQ(c.trigger_ms, 500, "time");
	ASSERT_TRUE(c.skip_eui64, "skip-eui64");
	ASSERT_EQ(c.timers.i1_timeout_ms, 120000, "i1-timeout");
	ASSERT_EQ(c.timers.i1_retries, 0, "i1-retries");
	ASSERT_EQ(c.timers.i2_timeout_ms, 4000, "i2-timeout untouched");
	if (ASSERT_EQ(c.n_ifaces, 2, "interfaces")) {
		ASSERT_STREQ(c.ifaces[0].name, "veth0", "iface 0");
		ASSERT_EQ(c.ifaces[0].ingress, CONFIG_INGRESS_XDP, "iface 0 ingress");
		ASSERT_EQ(c.ifaces[1].ingress, CONFIG_INGRESS_TC, "iface 1 default ingress");
	}
	if (ASSERT_EQ(c.n_addrs, 2, "addresses")) {
		ASSERT_MEMEQ(c.addrs[0].addr, 16, a1, 16, "address 0");
		ASSERT_STREQ(c.addrs[0].params, "/etc/shim6/a.params", "params");
		ASSERT_STREQ(c.addrs[0].key, "/etc/shim6/a.key", "key");
		ASSERT_EQ(c.addrs[0].preference, 7, "preference");
		ASSERT_STREQ(c.addrs[1].params, "/p2", "params with CRLF");
		ASSERT_STREQ(c.addrs[1].key, "", "no key (HBA)");
	}
}

TEST(shim6d_config_errors)
{
	static const struct {
		const char *text;
		const char *want; /* the message must start with this */
	} rows[] = {
		{ "log-level info\n", "t.conf:1: \"log-level\" outside a section" },
		{ "[daemon]\nfoo 1\n", "t.conf:2: unknown key \"foo\" in [daemon]" },
		{ "[daemon]\n\nserver-mode maybe\n", "t.conf:3: \"server-mode\": \"maybe\" is not yes or no" },
		{ "[daemon]\nmax-contexts\n", "t.conf:2: \"max-contexts\" needs a value" },
		{ "[daemon]\nmax-contexts 0\n", "t.conf:2: \"max-contexts\": 0 is out of range" },
		{ "[daemon]\nmax-contexts 12x\n", "t.conf:2: \"max-contexts\": \"12x\" is not a number" },
		{ "[daemon]\nmax-contexts -1\n", "t.conf:2: \"max-contexts\": \"-1\" is not a number" },
		{ "[daemon]\nlog-level loud\n", "t.conf:2: \"log-level\": \"loud\" is not one of" },
		{ "[daemon]\nidle-timeout 5 min\n", "t.conf:2: \"idle-timeout\": \"5 min\" is not a duration" },
		{ "[timers]\ni1-timeout 0\n", "t.conf:2: \"i1-timeout\": 0 is out of range" },
		{ "[timers]\ni1-timeout 99999999999h\n", "t.conf:2: \"i1-timeout\": \"99999999999h\" is not a duration" },
		{ "[bogus]\n", "t.conf:1: unknown section [bogus]" },
		{ "[daemon\n", "t.conf:1: malformed section header" },
		{ "[daemon] x\n", "t.conf:1: malformed section header" },
		{ "[daemon x]\n", "t.conf:1: section [daemon] takes no argument" },
		{ "[interface]\n", "t.conf:1: section [interface] needs a device name" },
		{ "[interface a b]\n", "t.conf:1: section [interface] takes one argument" },
		{ "[interface a]\n[interface a]\n", "t.conf:2: interface \"a\" already declared on line 1" },
		{ "[interface abcdefghijklmnopq]\n", "t.conf:1: interface name" },
		{ "[interface a]\ningress ebpf\n", "t.conf:2: \"ingress\": \"ebpf\" is not tc or xdp" },
		{ "[address 1.2.3.4]\n", "t.conf:1: \"1.2.3.4\" is not an IPv6 address" },
		{ "[address ::1]\nkey /k\n[daemon]\n", "t.conf:1: [address] needs \"params FILE\"" },
		{ "[address ::1]\nparams /p\n[address ::1]\nparams /q\n", "t.conf:3: address ::1 already declared on line 1" },
		{ "[address ::1]\nparams /p\npreference 256\n", "t.conf:3: \"preference\": 256 is out of range" },
		{ "[daemon]\nattach yes\n[address ::2]\n", "t.conf:3: [address] needs \"params FILE\"" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct config c;
		char err[256];
		int ret;

		SUBTEST("%u %s", i, rows[i].want);
		ret = parse(&c, rows[i].text, err, sizeof(err));
		if (!ASSERT_EQ(ret, -EINVAL, "rejected"))
			continue;
		if (strncmp(err, rows[i].want, strlen(rows[i].want)) != 0)
			runner_fail(__FILE__, __LINE__, "message \"%s\" does not start with \"%s\"",
				    err, rows[i].want);
	}
}

TEST(shim6d_config_nul_and_long_line)
{
	char buf[2048];
	struct config c;
	char err[256];

	config_defaults(&c);
	ASSERT_EQ(config_parse_buf(&c, "t.conf", "[daemon]\n\0x", 11, err, sizeof(err)), -EINVAL,
		  "NUL refused");
	memset(buf, 'a', sizeof(buf));
	ASSERT_EQ(config_parse_buf(&c, "t.conf", buf, sizeof(buf), err, sizeof(err)), -EINVAL,
		  "long line refused");
	ASSERT_TRUE(strstr(err, "line longer than") != NULL, err);
}

TEST(shim6d_config_duration)
{
	static const struct {
		const char *s;
		int ret;
		uint32_t ms;
	} rows[] = {
		{ "4", 0, 4000 }, { "4s", 0, 4000 }, { "500ms", 0, 500 }, { "2min", 0, 120000 },
		{ "1h", 0, 3600000 }, { "0", 0, 0 }, { "", -EINVAL, 0 }, { "s", -EINVAL, 0 },
		{ "4x", -EINVAL, 0 }, { " 4", -EINVAL, 0 }, { "5000000s", -ERANGE, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t ms = 0;

		SUBTEST("\"%s\"", rows[i].s);
		if (ASSERT_EQ(config_parse_duration(rows[i].s, &ms), rows[i].ret, "return") &&
		    rows[i].ret == 0)
			ASSERT_EQ(ms, rows[i].ms, "milliseconds");
	}
}
