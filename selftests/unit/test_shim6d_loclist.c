// SPDX-License-Identifier: GPL-2.0
/*
 * Locator Lists in the handshake: A announces its HBA set or its CGA-signed
 * list in I2; B records the list only after crypto/ verified it, and drops
 * the I2 (no context) when the list is forged.  Keys and addresses are
 * generated here (Sec 0: instant).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "selftests/runner.h"
#include "selftests/unit/fake_host.h"
#include "selftests/unit/shim6d_locgen.h"
#include "wire/shim6_wire.h"

/* The clock at 0; the core's warnings shown. */
static void lhost_init(struct fake_host *h, const uint8_t addr[16])
{
	fake_host_init(h, addr, 0, LOG_WARNING);
}

/* Run I1..R2 with A's I2 passed through `tamper` (may be NULL). */
static void handshake(struct fake_host *a, struct fake_host *b, void (*tamper)(uint8_t *, size_t))
{
	proto_start(&a->d, a->addr, b->addr, NULL);
	fake_deliver(a, b);
	fake_deliver(b, a);
	if (tamper && a->nq == 1) {
		tamper(a->q[0].buf, a->q[0].len);
		shim6_csum_set(a->q[0].buf, a->q[0].len);
	}
	fake_deliver(a, b);
	fake_deliver(b, a);
}

static void drop_pds(uint8_t *buf, size_t len)
{
	const struct shim6_opt *o;
	struct shim6_msg m;

	if (shim6_msg_decode(buf, len, 0, &m, NULL))
		return;
	o = shim6_msg_find_opt(&m, SHIM6_OPT_CGA_PDS);
	if (o)	/* turn the PDS into an unknown non-critical option (type 100) */
		buf[o->offset + 1] = 100 << 1;
}

TEST(shim6d_loclist_hba)
{
	uint8_t addrs[2][16], bad[16], params[4096];
	struct fake_host a, b;
	struct shim6_ctx *cb;
	size_t plen;

	if (!ASSERT_TRUE(locgen_hba(addrs, params, &plen), "HBA set generated"))
		return;
	inet_pton(AF_INET6, "2001:db8:b1::b", bad);

	SUBTEST("HBA set announced in I2 and verified");
	lhost_init(&a, addrs[0]);
	lhost_init(&b, bad);
	fake_host_add_pair(&a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_BOTH);
	handshake(&a, &b, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (ASSERT_OK_PTR(cb, "B has the context") &&
	    ASSERT_EQ(cb->n_ls_peer, 2, "two peer locators")) {
		ASSERT_MEMEQ(cb->ls_peer[0].addr, 16, addrs[0], 16, "ULID first");
		ASSERT_MEMEQ(cb->ls_peer[1].addr, 16, addrs[1], 16, "second HBA locator");
		ASSERT_EQ(cb->ls_peer[1].method, 1, "method HBA");
		ASSERT_TRUE(ctx_peer_has_locator(cb, addrs[1]), "usable");
		ASSERT_EQ(cb->state, CTX_ESTABLISHED, "established");
	}
	ASSERT_EQ(b.d.st.loclist_ok, 1, "one list verified");
	ASSERT_EQ(a.ls.signatures, 0, "HBA needs no signature");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("responder's own set is in the context when it reaches the maps");
	lhost_init(&a, bad);
	lhost_init(&b, addrs[0]);
	fake_host_add_pair(&b, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_BOTH);
	b.up_n_ls_local = -1;
	handshake(&a, &b, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (ASSERT_OK_PTR(cb, "B has the context")) {
		/* B writes its maps on I2, before its R2 announces the set */
		ASSERT_EQ(b.up_n_ls_local, 1, "B's second locator known at ctx_up");
		ASSERT_MEMEQ(cb->ls_local[0], 16, addrs[1], 16, "the second HBA locator");
	}
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("forged HBA locator: I2 dropped, no context");
	lhost_init(&a, addrs[0]);
	lhost_init(&b, bad);
	fake_host_add_pair(&a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_BOTH);
	handshake(&a, &b, fake_forge_second_locator);
	ASSERT_EQ(b.d.ctxs.count, 0, "no context at B");
	ASSERT_EQ(b.d.st.loclist_bad, 1, "refusal counted");
	ASSERT_EQ(b.nq, 0, "no R2");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("list without its parameters: dropped");
	lhost_init(&a, addrs[0]);
	lhost_init(&b, bad);
	fake_host_add_pair(&a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_SECOND);
	handshake(&a, &b, drop_pds);
	ASSERT_EQ(b.d.ctxs.count, 0, "no context at B");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("an absent address is not announced");
	lhost_init(&a, addrs[0]);
	lhost_init(&b, bad);
	fake_host_add_pair(&a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_NONE);
	handshake(&a, &b, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (ASSERT_OK_PTR(cb, "B has the context"))
		ASSERT_EQ(cb->n_ls_peer, 1, "only the ULID");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_loclist_cga)
{
	uint8_t ulid[16], other[16], bpeer[16], params[4096];
	void *key = NULL, *key2 = NULL;
	struct fake_host a, b;
	struct shim6_ctx *cb;
	size_t plen;

	if (!ASSERT_TRUE(locgen_cga(ulid, params, &plen, &key), "CGA generated"))
		return;
	inet_pton(AF_INET6, "2001:db8:a2::5", other);
	inet_pton(AF_INET6, "2001:db8:b1::b", bpeer);

	SUBTEST("CGA-signed list verified; signed once for two handshakes");
	lhost_init(&a, ulid);
	lhost_init(&b, bpeer);
	fake_host_add_pair(&a, ulid, other, params, plen, key, "/k", FAKE_BOTH);
	handshake(&a, &b, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (ASSERT_OK_PTR(cb, "B has the context") &&
	    ASSERT_EQ(cb->n_ls_peer, 2, "two peer locators")) {
		ASSERT_MEMEQ(cb->ls_peer[1].addr, 16, other, 16, "the other locator");
		ASSERT_EQ(cb->ls_peer[1].method, 2, "method CGA");
	}
	/* a second peer: the signature is reused, not recomputed */
	{
		struct fake_host c;
		uint8_t caddr[16];

		inet_pton(AF_INET6, "2001:db8:c1::c", caddr);
		lhost_init(&c, caddr);
		handshake(&a, &c, NULL);
		ASSERT_EQ(c.d.ctxs.count, 1, "C has the context");
		ASSERT_EQ(a.ls.signatures, 1, "one signature for both");
		/* the set changes: a new generation, signed again */
		locset_set_present(&a.ls, other, false);
		proto_ctx_delete(&c.d, ctx_find_ulid(&c.d.ctxs, c.addr, a.addr, 0));
		proto_ctx_delete(&a.d, ctx_find_ulid(&a.d.ctxs, a.addr, c.addr, 0));
		handshake(&a, &c, NULL);
		ASSERT_EQ(a.ls.signatures, 2, "re-signed after the change");
		fake_host_fini(&c);
	}
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("forged CGA-signed locator: I2 dropped, no context");
	lhost_init(&a, ulid);
	lhost_init(&b, bpeer);
	fake_host_add_pair(&a, ulid, other, params, plen, key, "/k", FAKE_BOTH);
	handshake(&a, &b, fake_forge_second_locator);
	ASSERT_EQ(b.d.ctxs.count, 0, "no context at B");
	ASSERT_EQ(b.d.st.loclist_bad, 1, "refusal counted");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("signed with another key: dropped");
	key2 = locgen_key();
	if (ASSERT_OK_PTR(key2, "second key")) {
		lhost_init(&a, ulid);
		lhost_init(&b, bpeer);
		fake_host_add_pair(&a, ulid, other, params, plen, key2, "/k2", FAKE_SECOND);
		handshake(&a, &b, NULL);
		ASSERT_EQ(b.d.ctxs.count, 0, "no context at B");
		ASSERT_EQ(b.d.st.loclist_bad, 1, "refusal counted");
		fake_host_fini(&a);
		fake_host_fini(&b);
	}
	locgen_key_free(key);
	locgen_key_free(key2);
}

/* A established with B announcing only its ULID (HBA2 absent); returns B's context. */
static struct shim6_ctx *setup_update(struct fake_host *a, struct fake_host *b, uint8_t addrs[2][16],
				      const uint8_t *params, size_t plen)
{
	uint8_t bad[16];

	inet_pton(AF_INET6, "2001:db8:b1::b", bad);
	lhost_init(a, addrs[0]);
	lhost_init(b, bad);
	fake_host_add_pair(a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_FIRST);
	handshake(a, b, NULL);
	return ctx_find_ulid(&b->d.ctxs, b->addr, a->addr, 0);
}

TEST(shim6d_update)
{
	uint8_t addrs[2][16], params[4096];
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;
	uint32_t nonce;
	size_t plen;
	int i;

	if (!ASSERT_TRUE(locgen_hba(addrs, params, &plen), "HBA set"))
		return;

	SUBTEST("address appears: Update Request, verified, acknowledged");
	cb = setup_update(&a, &b, addrs, params, plen);
	ca = ctx_find_ulid(&a.d.ctxs, a.addr, b.addr, 0);
	if (ASSERT_OK_PTR(cb, "B context") && ASSERT_EQ(cb->n_ls_peer, 1, "ULID only first")) {
		locset_set_present(&a.ls, addrs[1], true);
		ASSERT_EQ(proto_locators_changed(&a.d), 1, "one peer updated");
		ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_UPDATE_REQ, "Update Request sent");
		ASSERT_EQ(m.update.recv_tag, cb->ct_local, "to B's tag");
		ASSERT_TRUE(ca->update_pending, "outstanding");
		fake_deliver(&a, &b);
		ASSERT_EQ(cb->n_ls_peer, 2, "B has both locators");
		ASSERT_EQ(cb->peer_gen, a.ls.gen, "B recorded the generation");
		ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_UPDATE_ACK, "B acknowledged");
		fake_deliver(&b, &a);
		ASSERT_FALSE(ca->update_pending, "A: acknowledged");
		ASSERT_EQ(a.d.st.updates_acked, 1, "counted");
	}
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("lost Update: retransmitted, same nonce, back-off capped at MAX_UPDATE_TIMEOUT");
	cb = setup_update(&a, &b, addrs, params, plen);
	ca = ctx_find_ulid(&a.d.ctxs, a.addr, b.addr, 0);
	locset_set_present(&a.ls, addrs[1], true);
	proto_locators_changed(&a.d);
	nonce = ca->update_nonce;
	for (i = 0; i < 8; i++) {
		a.nq = 0;
		proto_timer(&a.d, ca);
		if (!ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_UPDATE_REQ, "retransmitted") ||
		    !ASSERT_EQ(m.update.req_nonce, nonce, "same nonce"))
			break;
	}
	ASSERT_TRUE(a.last_timer <= a.d.cfg.timers.max_update_timeout_ms * 3 / 2 &&
		    a.last_timer >= a.d.cfg.timers.max_update_timeout_ms / 2, "capped back-off");
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	ASSERT_FALSE(ca->update_pending, "acknowledged at last");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("forged Update: Error code 2, list kept");
	cb = setup_update(&a, &b, addrs, params, plen);
	locset_set_present(&a.ls, addrs[1], true);
	proto_locators_changed(&a.d);
	fake_forge_second_locator(a.q[0].buf, a.q[0].len);
	fake_deliver(&a, &b);
	ASSERT_EQ(cb->n_ls_peer, 1, "B kept the old list");
	if (ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_ERROR, "B sent an Error"))
		ASSERT_EQ(m.error.code, 2, "code 2: verification failed");
	fake_host_fini(&a);
	fake_host_fini(&b);

	SUBTEST("newer information abandons the outstanding Update (§10.3)");
	cb = setup_update(&a, &b, addrs, params, plen);
	ca = ctx_find_ulid(&a.d.ctxs, a.addr, b.addr, 0);
	locset_set_present(&a.ls, addrs[1], true);
	proto_locators_changed(&a.d);
	nonce = ca->update_nonce;
	fake_deliver(&a, &b);	/* B acks the first */
	locset_set_present(&a.ls, addrs[1], false);
	proto_locators_changed(&a.d);
	ASSERT_NEQ(ca->update_nonce, nonce, "a new nonce");
	ASSERT_EQ(fake_qtype(&a, a.nq - 1, &m), SHIM6_TYPE_UPDATE_REQ, "the new Update went out");
	a.nq = 0;
	fake_deliver(&b, &a);	/* the old ack: ignored */
	ASSERT_TRUE(ca->update_pending, "old ack ignored");
	ASSERT_EQ(a.nq, 0, "nothing sent on it");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

/* An Update Request from A to B carrying only a Locator Preferences option. */
static void send_pref(struct fake_host *a, struct fake_host *b, struct shim6_ctx *cb, uint32_t gen,
		      uint16_t count)
{
	static const uint8_t elems[4] = { 0 };
	struct pkt_info pi = { 0 };
	struct shim6_msg m;
	uint8_t buf[128];
	ssize_t n;

	shim6_msg_init(&m, SHIM6_TYPE_UPDATE_REQ);
	m.update.recv_tag = cb->ct_local;
	m.update.req_nonce = 5;
	shim6_msg_add_locpref(&m, gen, 1, count, elems);
	n = shim6_msg_encode(&m, buf, sizeof(buf));
	memcpy(pi.src, a->addr, 16);
	memcpy(pi.dst, b->addr, 16);
	b->nq = 0;
	proto_input(&b->d, buf, (size_t)n, &pi);
}

TEST(shim6d_update_preferences)
{
	uint8_t addrs[2][16], params[4096];
	struct shim6_ctx *cb;
	struct fake_host a, b;
	struct shim6_msg m;
	size_t plen;

	if (!ASSERT_TRUE(locgen_hba(addrs, params, &plen), "HBA set"))
		return;
	cb = setup_update(&a, &b, addrs, params, plen);
	if (!ASSERT_OK_PTR(cb, "context"))
		goto out;
	SUBTEST("generation out of sync: Error code 3");
	send_pref(&a, &b, cb, cb->peer_gen + 1, 1);
	if (ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_ERROR, "Error"))
		ASSERT_EQ(m.error.code, 3, "code 3");
	SUBTEST("wrong number of elements: Error code 4");
	send_pref(&a, &b, cb, cb->peer_gen, 3);
	if (ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_ERROR, "Error"))
		ASSERT_EQ(m.error.code, 4, "code 4");
	SUBTEST("matching preferences recorded and acknowledged");
	send_pref(&a, &b, cb, cb->peer_gen, 1);
	ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_UPDATE_ACK, "acknowledged");
	ASSERT_EQ(m.update.req_nonce, 5, "nonce echoed");
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_preferences_sent)
{
	uint8_t addrs[2][16], params[4096], bp[16];
	struct shim6_ctx *cb;
	struct fake_host a, b;
	size_t plen;

	if (!ASSERT_TRUE(locgen_hba(addrs, params, &plen), "HBA set"))
		return;
	inet_pton(AF_INET6, "2001:db8:b1::b", bp);
	lhost_init(&a, addrs[0]);
	lhost_init(&b, bp);
	locset_add(&a.ls, addrs[0], params, plen, NULL, NULL, 7);
	locset_add(&a.ls, addrs[1], params, plen, NULL, NULL, 3);
	locset_set_present(&a.ls, addrs[0], true);
	locset_set_present(&a.ls, addrs[1], true);
	handshake(&a, &b, NULL);
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (ASSERT_OK_PTR(cb, "context") && ASSERT_EQ(cb->n_ls_peer, 2, "two locators")) {
		ASSERT_EQ(cb->ls_peer[0].pref, 7, "ULID's priority sent and recorded");
		ASSERT_EQ(cb->ls_peer[1].pref, 3, "second locator's priority");
	}
	fake_host_fini(&a);
	fake_host_fini(&b);
}
