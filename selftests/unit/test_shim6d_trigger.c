// SPDX-License-Identifier: GPL-2.0
/* Trigger policy: server mode, EUI-64 hint, cap, existing contexts. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/trigger.h"
#include "selftests/runner.h"
#include "wire/shim6_wire.h"

static int sent;
static uint64_t t_now(void *arg) { return 0; }
static int t_send(void *arg, const struct pkt_info *pi, const void *b, size_t l) { sent++; return 0; }
static void t_set(void *arg, struct shim6_ctx *c, uint64_t ms) { }
static void t_clear(void *arg, struct shim6_ctx *c) { }
static int t_up(void *arg, struct shim6_ctx *c) { return 0; }
static void t_down(void *arg, struct shim6_ctx *c) { }
static const struct shim6d_io t_io = {
	.now_ms = t_now, .send = t_send, .timer_set = t_set, .timer_clear = t_clear,
	.ctx_up = t_up, .ctx_down = t_down,
};

TEST(shim6d_trigger)
{
	static const struct {
		const char *peer;
		bool server, skip_eui64;
		int want;
	} rows[] = {
		{ "2001:db8::1", false, false, 0 },
		{ "2001:db8::1", true, false, -EPERM },		/* server mode never initiates */
		{ "2001:db8::211:22ff:fe33:4455", false, true, -EADDRNOTAVAIL },
		{ "2001:db8::211:22ff:fe33:4455", false, false, 0 },	/* hint off */
		{ "2001:db8::211:22ff:fd33:4455", false, true, 0 },	/* not ff:fe */
	};
	uint8_t l[16], p[16];
	unsigned int i;

	log_set_level(LOG_WARNING);
	inet_pton(AF_INET6, "2001:db8::a", l);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct config cfg;
		struct shim6d d;

		SUBTEST("%s server=%d skip-eui64=%d", rows[i].peer, rows[i].server,
			rows[i].skip_eui64);
		config_defaults(&cfg);
		cfg.server_mode = rows[i].server;
		cfg.skip_eui64 = rows[i].skip_eui64;
		core_init(&d, &cfg, &t_io, NULL);
		inet_pton(AF_INET6, rows[i].peer, p);
		sent = 0;
		ASSERT_EQ(trigger_event(&d, l, p), rows[i].want, "decision");
		ASSERT_EQ(sent, rows[i].want == 0 ? 1 : 0, "I1 sent only when allowed");
		ASSERT_EQ(d.ctxs.count, rows[i].want == 0 ? 1 : 0, "context only when allowed");
		if (rows[i].want == 0)
			ASSERT_EQ(trigger_event(&d, l, p), -EEXIST, "second event: no second I1");
		core_fini(&d);
	}
}

TEST(shim6d_trigger_server_answers)
{
	struct pkt_info pi = { 0 };
	struct shim6_msg m;
	struct config cfg;
	struct shim6d d;
	uint8_t buf[64];
	ssize_t n;

	/* A server still answers an I1 with R1, statelessly */
	config_defaults(&cfg);
	cfg.server_mode = true;
	core_init(&d, &cfg, &t_io, NULL);
	shim6_msg_init(&m, SHIM6_TYPE_I1);
	m.i1.init_tag = 0x42;
	m.i1.init_nonce = 7;
	n = shim6_msg_encode(&m, buf, sizeof(buf));
	inet_pton(AF_INET6, "2001:db8::b", pi.src);
	inet_pton(AF_INET6, "2001:db8::a", pi.dst);
	sent = 0;
	proto_input(&d, buf, (size_t)n, &pi);
	ASSERT_EQ(sent, 1, "server answered the I1");
	ASSERT_EQ(d.ctxs.count, 0, "and kept no state");
	core_fini(&d);
}
