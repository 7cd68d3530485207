// SPDX-License-Identifier: GPL-2.0
/*
 * shim6d's state machine (RFC 5533 §7, Appendix B) driven without sockets:
 * two protocol cores, A and B, whose sent messages land in queues that the
 * test delivers (or drops, or tampers with) one by one; timers are fired by
 * hand; the clock is a variable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/retrans.h"
#include "ctl/shim6d/validator.h"
#include "selftests/runner.h"
#include "selftests/unit/fake_host.h"
#include "wire/shim6_wire.h"

/*
 * A host of the fake network (fake_host.h) at `addr`, without a locator set:
 * these tests run the protocol on the ULIDs alone.
 */
static void host_init(struct fake_host *h, const char *addr)
{
	uint8_t a[16];

	inet_pton(AF_INET6, addr, a);
	fake_host_init(h, a, 1000000, LOG_WARNING);
	h->d.ls = NULL;
}

static struct shim6_ctx *ctx_of(struct fake_host *h, struct fake_host *peer)
{
	return ctx_find_ulid(&h->d.ctxs, h->addr, peer->addr, 0);
}

TEST(shim6d_proto_handshake)
{
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	if (!ASSERT_OK(proto_start(&a.d, a.addr, b.addr, &ca), "start"))
		goto out;
	ASSERT_EQ(ca->state, CTX_I1_SENT, "A: I1-SENT");
	ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_I1, "A sent I1");
	ASSERT_EQ(m.i1.init_tag, ca->ct_local, "I1 carries CT(local)");
	ASSERT_TRUE(fake_timer_armed(ca), "I1 retransmission timer");
	ASSERT_EQ(proto_start(&a.d, a.addr, b.addr, NULL), -EEXIST, "second start refused");

	fake_deliver(&a, &b);
	ASSERT_EQ(b.d.ctxs.count, 0, "stateless responder: no state after I1");
	ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R1, "B answered R1");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_I2_SENT, "A: I2-SENT");
	ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_I2, "A sent I2");
	fake_deliver(&a, &b);
	cb = ctx_of(&b, &a);
	if (!ASSERT_OK_PTR(cb, "B created the context on I2"))
		goto out;
	ASSERT_EQ(cb->state, CTX_ESTABLISHED, "B: ESTABLISHED");
	ASSERT_EQ(b.ups, 1, "B wrote the maps once");
	ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R2, "B answered R2");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A: ESTABLISHED");
	ASSERT_FALSE(fake_timer_armed(ca), "A's timer stopped");
	ASSERT_EQ(a.ups, 1, "A wrote the maps once");
	ASSERT_EQ(ca->ct_peer, cb->ct_local, "A's CT(peer) = B's CT(local)");
	ASSERT_EQ(cb->ct_peer, ca->ct_local, "B's CT(peer) = A's CT(local)");

	/* a retransmitted I1 (our R2 lost) gets an R2, not a new context */
	a.nq = 0;
	{
		struct shim6_msg i1;
		uint8_t buf[64];
		struct pkt_info pi = { 0 };
		ssize_t n;

		shim6_msg_init(&i1, SHIM6_TYPE_I1);
		i1.i1.init_tag = ca->ct_local;
		i1.i1.init_nonce = 77;
		n = shim6_msg_encode(&i1, buf, sizeof(buf));
		memcpy(pi.src, a.addr, 16);
		memcpy(pi.dst, b.addr, 16);
		b.nq = 0;
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R2, "I1 with the known tag: R2");
		ASSERT_EQ(m.r2.init_nonce, 77, "R2 echoes the nonce");
		ASSERT_EQ(b.d.ctxs.count, 1, "still one context");
		/* the peer lost its context: I1 with another tag gets R1 */
		i1.i1.init_tag = ca->ct_local ^ 1;
		n = shim6_msg_encode(&i1, buf, sizeof(buf));
		b.nq = 0;
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R1, "I1 with another tag: R1");
		ASSERT_EQ(cb->state, CTX_ESTABLISHED, "context untouched by I1");
	}
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_validator_tamper)
{
	struct fake_host a, b;
	struct shim6_ctx *ca;
	struct shim6_msg m;
	struct fake_msg s;
	const struct shim6_opt *v;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	s = a.q[0]; /* the I2 */
	a.nq = 0;

	SUBTEST("flipped validator byte");
	{
		struct fake_msg t = s;

		if (ASSERT_EQ(fake_qtype(&a, 0, &m), -1, "queue empty") &&
		    shim6_msg_decode(t.buf, t.len, 0, &m, NULL) == 0) {
			v = shim6_msg_find_opt(&m, SHIM6_OPT_RESP_VALIDATOR);
			t.buf[v->data - t.buf] ^= 1;
			shim6_csum_set(t.buf, t.len);
			proto_input(&b.d, t.buf, t.len, &t.pi);
			ASSERT_EQ(b.d.ctxs.count, 0, "no context");
			ASSERT_EQ(b.d.st.validator_bad, 1, "counted");
		}
	}
	SUBTEST("I2 from another locator");
	{
		struct fake_msg t = s;

		t.pi.src[15] ^= 2;
		proto_input(&b.d, t.buf, t.len, &t.pi);
		ASSERT_EQ(b.d.ctxs.count, 0, "no context");
	}
	SUBTEST("I2 with another initiator tag");
	{
		struct fake_msg t = s;

		t.buf[8] ^= 0x10;	/* inside the 47-bit tag */
		shim6_csum_set(t.buf, t.len);
		proto_input(&b.d, t.buf, t.len, &t.pi);
		ASSERT_EQ(b.d.ctxs.count, 0, "no context");
	}
	SUBTEST("stale: two rotations later");
	{
		struct fake_msg t = s;

		validator_rotate(&b.d.vk, b.now);
		validator_rotate(&b.d.vk, b.now);
		proto_input(&b.d, t.buf, t.len, &t.pi);
		ASSERT_EQ(b.d.ctxs.count, 0, "no context");
	}
	fake_host_fini(&b);
	host_init(&b, "2001:db8:b::1");
	SUBTEST("one rotation later: previous secret accepted");
	{
		a.nq = 0;
		proto_ctx_delete(&a.d, ca);
		proto_start(&a.d, a.addr, b.addr, &ca);
		fake_deliver(&a, &b);
		fake_deliver(&b, &a);
		b.now += b.d.cfg.timers.validator_lifetime_ms; /* rotates on the next use */
		fake_deliver(&a, &b);
		ASSERT_EQ(b.d.ctxs.count, 1, "context created");
		ASSERT_EQ(b.d.vk.have_prev, true, "secret rotated");
	}
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_retransmit_efailed)
{
	const struct config_timers *t;
	struct shim6_ctx *ca;
	struct fake_host a, b;
	uint32_t i;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	t = &a.d.cfg.timers;
	proto_start(&a.d, a.addr, b.addr, &ca);
	for (i = 0; i <= t->i1_retries; i++) {
		uint64_t nominal = retrans_nominal_ms(t->i1_timeout_ms, i, 0);

		SUBTEST("I1 attempt %u: timeout in [0.5, 1.5] x %llu ms", i,
			(unsigned long long)nominal);
		ASSERT_EQ(ca->state, CTX_I1_SENT, "I1-SENT");
		ASSERT_TRUE(fake_timer_armed(ca), "armed");
		ASSERT_TRUE(fake_timer_delay(ca) >= nominal / 2 && fake_timer_delay(ca) <= nominal * 3 / 2,
			    "randomised back-off");
		proto_timer(&a.d, ca);
	}
	SUBTEST("after I1_RETRIES_MAX: E-FAILED with hold-down");
	ASSERT_EQ(a.nq, (int)t->i1_retries + 1, "1 + I1_RETRIES_MAX I1 sent");
	ASSERT_EQ(ca->state, CTX_E_FAILED, "E-FAILED");
	ASSERT_EQ(fake_timer_delay(ca), t->no_r1_holddown_ms, "NO_R1_HOLDDOWN_TIME");
	ASSERT_EQ(proto_start(&a.d, a.addr, b.addr, NULL), -EBUSY, "no retry during hold-down");
	ASSERT_EQ(a.ups, 0, "never in the maps");
	proto_timer(&a.d, ca);
	ASSERT_EQ(a.d.ctxs.count, 0, "forgotten after the hold-down");
	ASSERT_OK(proto_start(&a.d, a.addr, b.addr, NULL), "may start again");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_i2_retransmit_fallback)
{
	struct shim6_ctx *ca;
	struct fake_host a, b;
	struct shim6_msg m;
	uint32_t i;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	a.nq = 0;
	for (i = 0; i < a.d.cfg.timers.i2_retries; i++)
		proto_timer(&a.d, ca);
	ASSERT_EQ(a.nq, (int)a.d.cfg.timers.i2_retries, "I2 retransmitted");
	ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_I2, "an I2");
	proto_timer(&a.d, ca);
	ASSERT_EQ(ca->state, CTX_I1_SENT, "fell back to I1-SENT");
	ASSERT_EQ(fake_qtype(&a, a.nq - 1, &m), SHIM6_TYPE_I1, "an I1 again");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_crossing_i1)
{
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	proto_start(&b.d, b.addr, a.addr, &cb);
	/* the I1s cross: each host answers the other's I1 with R2 (§7.4, Fig. 4) */
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_R2, "A answered B's I1 with R2");
	ASSERT_EQ(fake_qtype(&b, b.nq - 1, &m), -1, "B's queue was delivered");
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A established by B's R2");
	fake_deliver(&a, &b);
	ASSERT_EQ(cb->state, CTX_ESTABLISHED, "B established by A's R2");
	ASSERT_EQ(ca->ct_peer, cb->ct_local, "A's CT(peer)");
	ASSERT_EQ(cb->ct_peer, ca->ct_local, "B's CT(peer)");
	ASSERT_EQ(a.d.ctxs.count + b.d.ctxs.count, 2, "one context each");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_crossing_i2_i1)
{
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	/* Fig. 5: A's I1, B's R1; then B starts (I1) while A's I2 is in flight */
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);			/* R1 -> A sends I2 */
	proto_start(&b.d, b.addr, a.addr, &cb);	/* B: I1-SENT */
	fake_deliver(&a, &b);			/* I2 -> B established, R2 */
	ASSERT_EQ(cb->state, CTX_ESTABLISHED, "B established by I2 in I1-SENT");
	fake_deliver(&b, &a);			/* B's I1 and R2 */
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A established");
	fake_deliver(&a, &b);			/* A's R2 to B's I1: ignored, B established */
	ASSERT_EQ(cb->state, CTX_ESTABLISHED, "B still established");
	ASSERT_EQ(ca->ct_peer, cb->ct_local, "A's CT(peer)");
	ASSERT_EQ(cb->ct_peer, ca->ct_local, "B's CT(peer)");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_recovery_r1bis)
{
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;
	uint64_t old_tag;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	old_tag = ca->ct_peer;
	/* B loses everything (restart with its state wiped) */
	fake_host_fini(&b);
	host_init(&b, "2001:db8:b::1");
	/* A's payload with the old tag reaches B's data plane: unknown tag event */
	proto_unknown_tag(&b.d, old_tag, a.addr, b.addr);
	ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R1BIS, "B answered R1bis");
	ASSERT_EQ(m.r1bis.pkt_tag, old_tag, "R1bis names the tag");
	ASSERT_EQ(b.d.ctxs.count, 0, "no state at B before I2bis");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_I2BIS_SENT, "A: I2BIS-SENT");
	ASSERT_EQ(a.downs, 0, "A keeps the context in the maps meanwhile");
	ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_I2BIS, "A sent I2bis");
	fake_deliver(&a, &b);
	cb = ctx_of(&b, &a);
	if (!ASSERT_OK_PTR(cb, "B re-created the context"))
		goto out;
	ASSERT_EQ(cb->state, CTX_ESTABLISHED, "B established");
	ASSERT_NEQ(cb->ct_local, old_tag, "B picked a new tag, not the Packet Context Tag");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A established again");
	ASSERT_EQ(ca->ct_peer, cb->ct_local, "A learnt B's new tag");
	ASSERT_EQ(a.ups, 2, "A rewrote the maps with the new peer tag");

	SUBTEST("Update for an unknown tag gets R1bis");
	{
		struct shim6_msg u;
		uint8_t buf[64];
		struct pkt_info pi = { 0 };
		ssize_t n;

		shim6_msg_init(&u, SHIM6_TYPE_UPDATE_REQ);
		u.update.recv_tag = 0x1234;
		u.update.req_nonce = 1;
		n = shim6_msg_encode(&u, buf, sizeof(buf));
		memcpy(pi.src, a.addr, 16);
		memcpy(pi.dst, b.addr, 16);
		b.nq = 0;
		proto_input(&b.d, buf, (size_t)n, &pi);
		ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R1BIS, "R1bis");
		ASSERT_EQ(m.r1bis.pkt_tag, 0x1234, "for that tag");
	}
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}

/* An ICMPv6 Parameter Problem quoting `s` (an IPv6 header is rebuilt around it). */
static size_t make_param_problem(uint8_t *out, const struct fake_msg *s, uint32_t pointer)
{
	memset(out, 0, 48);
	out[0] = 4;
	out[1] = 1;
	out[4] = pointer >> 24;
	out[5] = pointer >> 16;
	out[6] = pointer >> 8;
	out[7] = pointer;
	out[8] = 0x60;
	out[8 + 4] = s->len >> 8;
	out[8 + 5] = s->len & 0xff;
	out[8 + 6] = 140;
	out[8 + 7] = 64;
	memcpy(out + 16, s->pi.src, 16);
	memcpy(out + 32, s->pi.dst, 16);
	memcpy(out + 48, s->buf, s->len);
	return 48 + s->len;
}

TEST(shim6d_proto_no_support)
{
	struct shim6_ctx *ca;
	struct fake_host a, b;
	uint8_t icmp[1400];
	struct pkt_info pi = { 0 };
	size_t n;

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	memcpy(pi.src, b.addr, 16);
	memcpy(pi.dst, a.addr, 16);

	SUBTEST("a Parameter Problem quoting another nonce is ignored");
	{
		struct fake_msg s = a.q[0];

		s.buf[12] ^= 0xff; /* Initiator Nonce */
		n = make_param_problem(icmp, &s, 6);
		proto_icmp_input(&a.d, icmp, n, &pi);
		ASSERT_EQ(ca->state, CTX_I1_SENT, "still I1-SENT");
	}
	SUBTEST("pointer elsewhere than the Next Header is ignored");
	n = make_param_problem(icmp, &a.q[0], 7);
	proto_icmp_input(&a.d, icmp, n, &pi);
	ASSERT_EQ(ca->state, CTX_I1_SENT, "still I1-SENT");

	SUBTEST("our I1 quoted: NO-SUPPORT, long hold-down, no retry");
	n = make_param_problem(icmp, &a.q[0], 6);
	proto_icmp_input(&a.d, icmp, n, &pi);
	ASSERT_EQ(ca->state, CTX_NO_SUPPORT, "NO-SUPPORT");
	ASSERT_EQ(fake_timer_delay(ca), a.d.cfg.timers.icmp_holddown_ms, "ICMP_HOLDDOWN_TIME");
	a.nq = 0;
	ASSERT_EQ(proto_start(&a.d, a.addr, b.addr, NULL), -EBUSY, "no new I1");
	ASSERT_EQ(a.nq, 0, "nothing sent");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_confusion)
{
	struct shim6_ctx *ca, *cb, *c2;
	struct fake_host a, b;
	uint8_t a3[16];

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	cb = ctx_of(&b, &a);
	/*
	 * B loses its state and reuses its old tag X for a context with another
	 * ULID of A (A3): A must drop the old <A1, B1, X> (§7.6, §7.15).
	 */
	inet_pton(AF_INET6, "2001:db8:a::3", a3);
	fake_host_fini(&b);
	host_init(&b, "2001:db8:b::1");
	proto_start(&b.d, b.addr, a3, &c2);
	ctx_set_peer_tag(&b.d.ctxs, c2, 0);
	{
		/* force B's new context to use the old tag X */
		uint64_t x = ca->ct_peer;
		struct shim6_ctx *n;

		proto_ctx_delete(&b.d, c2);
		n = ctx_create(&b.d.ctxs, b.addr, a3, 0);
		ctx_destroy(&b.d.ctxs, n);
		n = calloc(1, sizeof(*n));
		memcpy(n->ulid_local, b.addr, 16);
		memcpy(n->ulid_peer, a3, 16);
		memcpy(n->lp_local, b.addr, 16);
		memcpy(n->lp_peer, a3, 16);
		n->ct_local = x;
		ctx_insert_with_tag(&b.d.ctxs, n);
		b.nq = 0;
		n->init_nonce = 99;
		n->state = CTX_IDLE;
		proto_timer(&b.d, n); /* IDLE: nothing */
		/* B sends I1 from its tag X towards A3 */
		{
			struct shim6_msg i1;
			uint8_t buf[64];
			ssize_t len;

			shim6_msg_init(&i1, SHIM6_TYPE_I1);
			i1.i1.init_tag = x;
			i1.i1.init_nonce = 99;
			len = shim6_msg_encode(&i1, buf, sizeof(buf));
			b.d.io->send(b.d.io_arg, &(struct pkt_info){ 0 }, buf, (size_t)len);
			memcpy(b.q[0].pi.src, b.addr, 16);
			memcpy(b.q[0].pi.dst, a3, 16);
			n->state = CTX_I1_SENT;
		}
		fake_deliver(&b, &a);	/* A: R1 */
		ASSERT_EQ(ca->state, CTX_ESTABLISHED, "an I1 does not remove the old context");
		fake_deliver(&a, &b);	/* B: I2 */
		fake_deliver(&b, &a);	/* A: new context with CT(peer) = X, R2 */
	}
	ASSERT_EQ(a.d.st.confusion, 1, "confusion detected");
	ASSERT_TRUE(ctx_of(&a, &b) == NULL, "old <A1, B1> context removed");
	ASSERT_EQ(a.downs, 1, "and taken out of the maps");
	(void)cb;
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_proto_max_contexts)
{
	struct fake_host a;
	uint8_t peer[16];
	int i;

	host_init(&a, "2001:db8:a::1");
	a.d.cfg.max_contexts = 3;
	inet_pton(AF_INET6, "2001:db8:b::1", peer);
	for (i = 0; i < 3; i++) {
		peer[15] = (uint8_t)i;
		ASSERT_OK(proto_start(&a.d, a.addr, peer, NULL), "under the cap");
	}
	peer[15] = 9;
	ASSERT_EQ(proto_start(&a.d, a.addr, peer, NULL), -ENOSPC, "cap reached");
	ASSERT_EQ(a.d.st.refused_max, 1, "counted");
	fake_host_fini(&a);
}

TEST(shim6d_proto_malformed_dropped)
{
	struct fake_host b;
	struct pkt_info pi = { 0 };
	struct shim6_msg m;
	uint8_t buf[64];
	ssize_t n;

	host_init(&b, "2001:db8:b::1");
	shim6_msg_init(&m, SHIM6_TYPE_I1);
	m.i1.init_tag = 5;
	n = shim6_msg_encode(&m, buf, sizeof(buf));
	pi.src[0] = 0x20;
	memcpy(pi.dst, b.addr, 16);
	buf[4] ^= 1; /* checksum */
	proto_input(&b.d, buf, (size_t)n, &pi);
	ASSERT_EQ(b.d.st.rx_checksum, 1, "bad checksum counted");
	ASSERT_EQ(b.nq, 0, "no answer");
	buf[4] ^= 1;
	pi.src[0] = 0xff; /* multicast source */
	proto_input(&b.d, buf, (size_t)n, &pi);
	ASSERT_EQ(b.d.st.rx_malformed, 1, "multicast source dropped");
	ASSERT_EQ(b.nq, 0, "no answer");
	fake_host_fini(&b);
}

TEST(shim6d_proto_responder_cap)
{
	struct fake_host a, b, c;

	host_init(&a, "2001:db8:a::1");
	host_init(&c, "2001:db8:c::1");
	host_init(&b, "2001:db8:b::1");
	b.d.cfg.max_contexts = 1;
	proto_start(&a.d, a.addr, b.addr, NULL);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	fake_deliver(&a, &b);
	ASSERT_EQ(b.d.ctxs.count, 1, "first peer admitted");
	proto_start(&c.d, c.addr, b.addr, NULL);
	fake_deliver(&c, &b);	/* I1: R1 costs no state, still answered */
	ASSERT_EQ(b.nq, 2, "R2 to A, R1 to C");
	b.nq = 0;
	fake_host_fini(&c);
	host_init(&c, "2001:db8:c::1");
	proto_start(&c.d, c.addr, b.addr, NULL);
	fake_deliver(&c, &b);
	fake_deliver(&b, &c);
	fake_deliver(&c, &b);	/* I2 over the cap */
	ASSERT_EQ(b.d.ctxs.count, 1, "second peer refused at I2");
	ASSERT_EQ(b.d.st.refused_max, 1, "counted");
	ASSERT_EQ(b.nq, 0, "no R2");
	fake_host_fini(&a);
	fake_host_fini(&b);
	fake_host_fini(&c);
}

TEST(shim6d_proto_recovery_moved)
{
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;
	uint8_t a2[16];

	host_init(&a, "2001:db8:a::1");
	host_init(&b, "2001:db8:b::1");
	inet_pton(AF_INET6, "2001:db8:a2::1", a2);
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	/* A sends from its second locator (operator / REAP moved the pair) */
	memcpy(ca->ls_local[0], a2, 16);
	ca->n_ls_local = 1;
	memcpy(ca->lp_local, a2, 16);
	fake_host_fini(&b);
	host_init(&b, "2001:db8:b::1");
	/* B lost everything; A's payload from A2 brings an unknown tag */
	proto_unknown_tag(&b.d, ca->ct_peer, a2, b.addr);
	ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_R1BIS, "R1bis to A2");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_I2BIS_SENT, "A: I2BIS-SENT");
	ASSERT_EQ(a.d.n_moved, 1, "waiting on a pair that is not the ULID pair");
	if (ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_I2BIS, "I2bis") )
		ASSERT_OK_PTR(shim6_msg_find_opt(&m, SHIM6_OPT_ULID_PAIR), "with the ULID Pair option");
	fake_deliver(&a, &b);
	cb = ctx_of(&b, &a);
	if (!ASSERT_OK_PTR(cb, "B re-created the context for the ULID pair"))
		goto out;
	ASSERT_MEMEQ(b.q[0].pi.dst, 16, a2, 16, "R2 to the locator the I2bis came from");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "A matched the R2 by locators and nonce (§12.4)");
	ASSERT_EQ(ca->ct_peer, cb->ct_local, "A learnt B's new tag");
	ASSERT_EQ(a.d.n_moved, 0, "out of the moved list");
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}
