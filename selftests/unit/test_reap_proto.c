// SPDX-License-Identifier: GPL-2.0
/*
 * REAP's hooks in the protocol core: the Keepalive Timeout option carried
 * by I2 / R2 from the configured Send Timeout and recorded on the peer's
 * context; Keepalive and Probe for an established context handed to
 * io->reap_input; the send-timeout / keepalive-interval configuration keys.
 * Two cores, messages through the real encoder, no sockets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/reap_opt.h"
#include "ctl/shim6d/state.h"
#include "selftests/runner.h"
#include "wire/shim6_wire.h"

#define QMAX 16

struct host {
	struct shim6d d;
	uint8_t addr[16];
	struct pkt_info pi[QMAX];
	uint8_t buf[QMAX][1280];
	size_t len[QMAX];
	int nq;
	int reap_inputs;
	uint8_t last_reap_type;
	struct shim6_ctx *last_reap_ctx;
};

static uint64_t f_now(void *arg)
{
	(void)arg;
	return 1000000;
}

static int f_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct host *h = arg;

	if (h->nq == QMAX || len > sizeof(h->buf[0]))
		return -ENOBUFS;
	h->pi[h->nq] = *pi;
	memcpy(h->buf[h->nq], buf, len);
	h->len[h->nq++] = len;
	return 0;
}

static void f_timer_set(void *arg, struct shim6_ctx *c, uint64_t delay)
{
	(void)arg; (void)c; (void)delay;
}

static void f_timer_clear(void *arg, struct shim6_ctx *c)
{
	(void)arg; (void)c;
}

static int f_up(void *arg, struct shim6_ctx *c)
{
	(void)arg; (void)c;
	return 0;
}

static void f_down(void *arg, struct shim6_ctx *c)
{
	(void)arg; (void)c;
}

static void f_free(void *arg, struct shim6_ctx *c)
{
	(void)arg; (void)c;
}

static void f_reap_input(void *arg, struct shim6_ctx *c, const struct shim6_msg *m,
			 const struct pkt_info *pi)
{
	struct host *h = arg;

	(void)pi;
	h->reap_inputs++;
	h->last_reap_type = m->type;
	h->last_reap_ctx = c;
}

static const struct shim6d_io io_with_reap = {
	.now_ms = f_now, .send = f_send, .timer_set = f_timer_set,
	.timer_clear = f_timer_clear, .ctx_up = f_up, .ctx_down = f_down, .ctx_free = f_free,
	.reap_input = f_reap_input,
};

static void host_init(struct host *h, const char *addr, uint32_t send_timeout_ms)
{
	struct config cfg;

	memset(h, 0, sizeof(*h));
	log_set_level(LOG_WARNING);
	config_defaults(&cfg);
	if (send_timeout_ms)
		cfg.timers.send_timeout_ms = send_timeout_ms;
	inet_pton(AF_INET6, addr, h->addr);
	core_init(&h->d, &cfg, &io_with_reap, h);
}

/* Deliver what `from` sent to `to`; the types seen, in order, into types[]. */
static int deliver(struct host *from, struct host *to, uint16_t *ka_opt)
{
	int n = from->nq;

	from->nq = 0;
	for (int i = 0; i < n; i++) {
		struct shim6_msg m;

		if (ka_opt && shim6_msg_decode(from->buf[i], from->len[i], 0, &m, NULL) == 0 &&
		    (m.type == SHIM6_TYPE_I2 || m.type == SHIM6_TYPE_R2))
			*ka_opt = reap_opt_get(&m);
		proto_input(&to->d, from->buf[i], from->len[i], &from->pi[i]);
	}
	return n;
}

TEST(reap_proto_ka_option_and_dispatch)
{
	uint16_t i2_opt = 0xffff, r2_opt = 0xffff;
	struct shim6_ctx *ca, *cb;
	struct host a, b;

	host_init(&a, "2001:db8:a::1", 5000);	/* A: Send Timeout 5 s */
	host_init(&b, "2001:db8:b::1", 0);	/* B: the default */
	if (!ASSERT_OK(proto_start(&a.d, a.addr, b.addr, &ca), "start"))
		goto out;
	deliver(&a, &b, NULL);			/* I1 */
	deliver(&b, &a, NULL);			/* R1 */
	deliver(&a, &b, &i2_opt);		/* I2 */
	deliver(&b, &a, &r2_opt);		/* R2 */
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (!ASSERT_OK_PTR(cb, "B's context") ||
	    !ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A established"))
		goto out;
	ASSERT_EQ(i2_opt, 5, "A's I2 announces its 5 s Send Timeout");
	ASSERT_EQ(r2_opt, 0, "B's R2 carries no option (default Send Timeout)");
	ASSERT_EQ(cb->peer_ka_timeout_s, 5, "B recorded A's Keepalive Timeout");
	ASSERT_EQ(ca->peer_ka_timeout_s, 0, "A has nothing to record");

	/* Keepalive and Probe for the established context go to REAP */
	{
		struct shim6_msg m;
		struct pkt_info pi = { 0 };
		uint8_t buf[256];
		ssize_t n;

		memcpy(pi.src, a.addr, 16);
		memcpy(pi.dst, b.addr, 16);
		shim6_msg_init(&m, SHIM6_TYPE_PROBE);
		m.probe.recv_tag = cb->ct_local;
		m.probe.state = SHIM6_PROBE_EXPLORING;
		m.probe.psent = 1;
		memcpy(m.probe.sent[0].src, a.addr, 16);
		memcpy(m.probe.sent[0].dst, b.addr, 16);
		m.probe.sent[0].nonce = 42;
		n = shim6_msg_encode(&m, buf, sizeof(buf));
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(b.reap_inputs, 1, "Probe handed to REAP");
		ASSERT_EQ(b.last_reap_type, SHIM6_TYPE_PROBE, "as a Probe");
		ASSERT_TRUE(b.last_reap_ctx == cb, "for the right context");
		shim6_msg_init(&m, SHIM6_TYPE_KEEPALIVE);
		m.keepalive.recv_tag = cb->ct_local;
		n = shim6_msg_encode(&m, buf, sizeof(buf));
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(b.reap_inputs, 2, "Keepalive handed to REAP");
		/* unknown tag: not REAP's business (R1bis) */
		m.keepalive.recv_tag = cb->ct_local ^ 0x5;
		n = shim6_msg_encode(&m, buf, sizeof(buf));
		b.nq = 0;
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(b.reap_inputs, 2, "unknown tag not handed to REAP");
	}
out:
	core_fini(&a.d);
	core_fini(&b.d);
}

TEST(reap_config_keys)
{
	static const char ok[] = "[timers]\nsend-timeout 500ms\nkeepalive-interval 100ms\n";
	static const char low[] = "[timers]\nsend-timeout 100ms\n";
	static const char jit[] = "[timers]\nreap-jitter 0\n";
	static const char jit_high[] = "[timers]\nreap-jitter 51\n";
	struct config c;
	char err[256];

	config_defaults(&c);
	ASSERT_EQ(c.timers.send_timeout_ms, 15000, "default Send Timeout 15 s");
	ASSERT_EQ(c.timers.keepalive_interval_ms, 0, "default: a third of the peer's");
	ASSERT_OK(config_parse_buf(&c, "t", ok, sizeof(ok) - 1, err, sizeof(err)), "parse");
	ASSERT_EQ(c.timers.send_timeout_ms, 500, "send-timeout");
	ASSERT_EQ(c.timers.keepalive_interval_ms, 100, "keepalive-interval");
	config_defaults(&c);
	ASSERT_EQ(config_parse_buf(&c, "t", low, sizeof(low) - 1, err, sizeof(err)), -EINVAL,
		  "below 0.2 s refused");
	config_defaults(&c);
	ASSERT_EQ(c.timers.reap_jitter_pct, 10, "default randomisation 10 %");
	ASSERT_OK(config_parse_buf(&c, "t", jit, sizeof(jit) - 1, err, sizeof(err)), "reap-jitter 0");
	ASSERT_EQ(c.timers.reap_jitter_pct, 0, "reap-jitter");
	ASSERT_EQ(config_parse_buf(&c, "t", jit_high, sizeof(jit_high) - 1, err, sizeof(err)),
		  -EINVAL, "reap-jitter above 50 refused");
}

/* The Keepalive Timeout option of the Update Requests A sent, -1 if none. */
static int update_ka_opt(struct host *from)
{
	int v = -1;

	for (int i = 0; i < from->nq; i++) {
		struct shim6_msg m;

		if (shim6_msg_decode(from->buf[i], from->len[i], 0, &m, NULL) == 0 &&
		    m.type == SHIM6_TYPE_UPDATE_REQ)
			v = shim6_msg_find_opt(&m, SHIM6_OPT_KA_TIMEOUT) ? reap_opt_get(&m) : 0;
	}
	return v;
}

/*
 * set tsend on an established context: the new Send Timeout goes to the
 * peer in an Update Request (Keepalive Timeout option) and becomes the
 * peer's Keepalive Timeout; going back to the default 15 s is announced
 * too; the Update is acknowledged.
 */
TEST(reap_proto_set_tsend_update)
{
	struct shim6_ctx *ca, *cb;
	struct host a, b;

	host_init(&a, "2001:db8:a::1", 5000);
	host_init(&b, "2001:db8:b::1", 0);
	if (!ASSERT_OK(proto_start(&a.d, a.addr, b.addr, &ca), "start"))
		goto out;
	deliver(&a, &b, NULL);
	deliver(&b, &a, NULL);
	deliver(&a, &b, NULL);
	deliver(&b, &a, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (!ASSERT_OK_PTR(cb, "B's context") || !ASSERT_EQ(cb->peer_ka_timeout_s, 5, "5 s"))
		goto out;

	for (int k = 0; k < 2; k++) {
		uint32_t ms = k == 0 ? 3000 : 15000;

		if (!SUBTEST("A's context to %u ms", ms))
			continue;
		ca->send_timeout_ms = ms;	/* what set-tsend tag … does */
		if (!ASSERT_OK(proto_announce_send_timeout(&a.d, ca), "announce"))
			continue;
		ASSERT_TRUE(ca->update_pending, "Update outstanding");
		ASSERT_EQ(update_ka_opt(&a), (int)(ms / 1000), "Update carries the option");
		deliver(&a, &b, NULL);
		ASSERT_EQ(cb->peer_ka_timeout_s, ms / 1000, "B's Keepalive Timeout follows");
		deliver(&b, &a, NULL);			/* Update Acknowledgement */
		ASSERT_FALSE(ca->update_pending, "acknowledged");
	}
	if (SUBTEST("not established")) {
		enum ctx_state st = ca->state;

		ca->state = CTX_I1_SENT;
		ASSERT_EQ(proto_announce_send_timeout(&a.d, ca), -ENOTCONN, "refused");
		ca->state = st;
	}
	if (SUBTEST("I2/R2 still carry it only when not the default")) {
		struct shim6_msg m;

		shim6_msg_init(&m, SHIM6_TYPE_R2);
		ASSERT_OK(reap_opt_add(&b.d, cb, &m, false), "add");
		ASSERT_EQ(reap_opt_get(&m), 0, "B default: no option in R2");
		shim6_msg_init(&m, SHIM6_TYPE_UPDATE_REQ);
		ASSERT_OK(reap_opt_add(&b.d, cb, &m, true), "add");
		ASSERT_EQ(reap_opt_get(&m), 15, "but said in an Update");
	}
out:
	core_fini(&a.d);
	core_fini(&b.d);
}

/*
 * A restarted daemon keeps REAP's per-context values: our Send Timeout set
 * by set-tsend and the peer's Keepalive Timeout (else it would fall back to
 * 15 s / 3 between keepalives and a peer with a short Send Timeout would
 * explore for nothing).  Out-of-range values in the file are ignored.
 */
TEST(reap_state_persisted)
{
	char path[] = "/tmp/shim6d-reap-state-XXXXXX";
	uint8_t a[16], b[16];
	struct ctx_table t, u;
	struct shim6_ctx *c, *r;
	int fd;

	fd = mkstemp(path);
	if (!ASSERT_TRUE(fd >= 0, "temp file"))
		return;
	close(fd);
	ctx_table_init(&t, 16);
	ctx_table_init(&u, 16);
	inet_pton(AF_INET6, "2001:db8:a::1", a);
	inet_pton(AF_INET6, "2001:db8:b::1", b);
	c = ctx_create(&t, a, b, 0);
	c->state = CTX_ESTABLISHED;
	ctx_set_peer_tag(&t, c, 0x77);
	c->send_timeout_ms = 2500;
	c->peer_ka_timeout_s = 3;
	SUBTEST("save and load");
	if (!ASSERT_OK(state_save(&t, path), "save") ||
	    !ASSERT_EQ(state_load(&u, path, true, 0), 1, "load"))
		goto out;
	r = ctx_find_tag(&u, c->ct_local);
	if (ASSERT_OK_PTR(r, "context")) {
		ASSERT_EQ(r->send_timeout_ms, 2500, "our Send Timeout");
		ASSERT_EQ(r->peer_ka_timeout_s, 3, "the peer's Keepalive Timeout");
	}
	SUBTEST("out of range: ignored");
	{
		FILE *f = fopen(path, "w");
		char buf[32];

		if (!ASSERT_OK_PTR(f, "rewrite the file"))
			goto out;
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)c->ct_local);
		fprintf(f, "{\"version\":1,\"contexts\":[{\"local_tag\":\"%s\",\"peer_tag\":\"0x77\","
			"\"ulid_local\":\"2001:db8:a::1\",\"ulid_peer\":\"2001:db8:b::1\","
			"\"locator_local\":\"2001:db8:a::1\",\"locator_peer\":\"2001:db8:b::1\","
			"\"fii\":0,\"send_timeout_ms\":100,\"peer_ka_timeout_s\":70000}]}", buf);
		fclose(f);
		ctx_table_destroy(&u, NULL, NULL);
		ctx_table_init(&u, 16);
		if (ASSERT_EQ(state_load(&u, path, true, 0), 1, "load")) {
			r = ctx_find_tag(&u, c->ct_local);
			if (ASSERT_OK_PTR(r, "context")) {
				ASSERT_EQ(r->send_timeout_ms, 0, "100 ms refused: the host's");
				ASSERT_EQ(r->peer_ka_timeout_s, 0, "70000 s refused");
			}
		}
	}
out:
	ctx_table_destroy(&t, NULL, NULL);
	ctx_table_destroy(&u, NULL, NULL);
	unlink(path);
}
