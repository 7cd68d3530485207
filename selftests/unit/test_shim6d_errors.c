// SPDX-License-Identifier: GPL-2.0
/*
 * Received Shim6 Error messages (RFC 5533 §5.14, dispatched by the packet in
 * error as §12.4 says) and the §10.5 R2, on the fake network (fake_host.h):
 * two protocol cores whose messages land in queues, a clock and timers
 * driven by hand.  Errors are either produced by the peer's core (a forged
 * Locator List gets code 2) or built here around a message the core really
 * sent, as a peer would.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "selftests/runner.h"
#include "selftests/unit/fake_host.h"
#include "selftests/unit/shim6d_locgen.h"
#include "wire/shim6_wire.h"

/* The clock starts far from 0; the core's warnings stay quiet. */
static void ehost_init(struct fake_host *h, const uint8_t addr[16])
{
	fake_host_init(h, addr, 1000000, LOG_ERR);
}

/* An HBA host A (both addresses present) and a plain host B. */
static bool hba_pair(struct fake_host *a, struct fake_host *b, uint8_t addrs[2][16])
{
	uint8_t params[4096], bp[16];
	size_t plen;

	if (!locgen_hba(addrs, params, &plen))
		return false;
	inet_pton(AF_INET6, "2001:db8:b1::b", bp);
	ehost_init(a, addrs[0]);
	ehost_init(b, bp);
	fake_host_add_pair(a, addrs[0], addrs[1], params, plen, NULL, NULL, FAKE_BOTH);
	return true;
}

/*
 * What a peer sends about message i of `from`'s queue: an Error with
 * `code`, the packet in error being the IPv6 header + that message (cut to
 * a multiple of 8 octets, as shim6d does), from its destination to its
 * source.  Delivered to `to`.
 */
static void error_about(struct fake_host *from, int i, uint8_t code, struct fake_host *to,
			const uint8_t *err_src)
{
	uint8_t pkt[1280], out[1400];
	struct pkt_info pi = { 0 };
	struct shim6_msg m;
	size_t n = from->q[i].len;
	ssize_t len;

	memset(pkt, 0, 40);
	pkt[0] = 0x60;
	pkt[4] = (uint8_t)(n >> 8);
	pkt[5] = (uint8_t)n;
	pkt[6] = SHIM6_IPPROTO;
	pkt[7] = 64;
	memcpy(pkt + 8, from->q[i].pi.src, 16);
	memcpy(pkt + 24, from->q[i].pi.dst, 16);
	if (n > 1024)
		n = 1024;
	memcpy(pkt + 40, from->q[i].buf, n);
	shim6_msg_init(&m, SHIM6_TYPE_ERROR);
	m.error.code = code;
	m.error.pointer = 40 + 2;
	m.error.data = pkt;
	m.error.len = (uint16_t)((40 + n) & ~7u);
	len = shim6_msg_encode(&m, out, sizeof(out));
	if (len < 0)
		return;
	memcpy(pi.src, err_src ? err_src : from->q[i].pi.dst, 16);
	memcpy(pi.dst, from->q[i].pi.src, 16);
	proto_input(&to->d, out, (size_t)len, &pi);
}

TEST(shim6d_error_i2_list_refused)
{
	uint8_t addrs[2][16];
	struct shim6_ctx *ca;
	struct fake_host a, b;
	struct shim6_msg m;

	if (!ASSERT_TRUE(hba_pair(&a, &b, addrs), "HBA set"))
		return;
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);	/* I1 */
	fake_deliver(&b, &a);	/* R1 */
	fake_forge_second_locator(a.q[0].buf, a.q[0].len);
	fake_deliver(&a, &b);	/* forged I2 */
	ASSERT_EQ(b.d.ctxs.count, 0, "B: no context on a forged list");
	if (ASSERT_EQ(fake_qtype(&b, 0, &m), SHIM6_TYPE_ERROR, "B answered an Error (§7.2)")) {
		ASSERT_EQ(m.error.code, SHIM6_ERR_VERIF_METHOD, "code 2");
		ASSERT_EQ(m.error.data[m.error.pointer], SHIM6_VERIF_HBA,
			  "pointer at the verification method octet");
	}
	ASSERT_EQ(b.nq, 1, "and nothing else (no R2)");
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_E_FAILED, "A: E-FAILED, not retrying into a wall");
	ASSERT_EQ(a.last_timer, a.d.cfg.timers.no_r1_holddown_ms, "NO_R1 hold-down armed");
	ASSERT_EQ(a.d.st.errors_acted, 1, "counted as acted on");
	ASSERT_EQ(a.nq, 0, "A sent nothing");
	ASSERT_EQ(proto_start(&a.d, a.addr, b.addr, NULL), -EBUSY, "no new attempt meanwhile");
	ASSERT_EQ(a.ups, 0, "never in the maps");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_error_matching)
{
	uint8_t a_addr[16], b_addr[16], other[16];
	struct shim6_ctx *ca;
	struct fake_host a, b;

	inet_pton(AF_INET6, "2001:db8:a::1", a_addr);
	inet_pton(AF_INET6, "2001:db8:b::1", b_addr);
	inet_pton(AF_INET6, "2001:db8:c::1", other);
	ehost_init(&a, a_addr);
	ehost_init(&b, b_addr);
	proto_start(&a.d, a.addr, b.addr, &ca);

	SUBTEST("an Error from another address than the I1 went to: dropped");
	error_about(&a, 0, SHIM6_ERR_UNKNOWN_TYPE, &a, other);
	ASSERT_EQ(ca->state, CTX_I1_SENT, "still I1-SENT");
	ASSERT_EQ(a.d.st.errors_unmatched, 1, "unmatched");

	SUBTEST("an Error quoting another Initiator Nonce: dropped");
	a.q[0].buf[15] ^= 1;
	shim6_csum_set(a.q[0].buf, a.q[0].len);
	error_about(&a, 0, SHIM6_ERR_UNKNOWN_TYPE, &a, NULL);
	a.q[0].buf[15] ^= 1;
	shim6_csum_set(a.q[0].buf, a.q[0].len);
	ASSERT_EQ(ca->state, CTX_I1_SENT, "still I1-SENT");
	ASSERT_EQ(a.d.st.errors_unmatched, 2, "unmatched");

	SUBTEST("our I1 refused (unknown type): E-FAILED, no retry storm");
	error_about(&a, 0, SHIM6_ERR_UNKNOWN_TYPE, &a, NULL);
	ASSERT_EQ(ca->state, CTX_E_FAILED, "E-FAILED");
	ASSERT_EQ(a.d.st.errors_acted, 1, "acted on");
	a.nq = 0;
	proto_timer(&a.d, ca);	/* the hold-down ends: forgotten, nothing sent */
	ASSERT_EQ(a.nq, 0, "no I1 sent");
	ASSERT_EQ(a.d.ctxs.count, 0, "context forgotten");
	fake_host_fini(&a);
	fake_host_fini(&b);
}

/* A (HBA, HBA2 absent) established with B, then HBA2 appears: A's Update is a.q[0]. */
static bool update_pending(struct fake_host *a, struct fake_host *b, struct shim6_ctx **ca,
			   struct shim6_ctx **cb)
{
	uint8_t addrs[2][16];

	if (!hba_pair(a, b, addrs))
		return false;
	locset_set_present(&a->ls, addrs[1], false);
	proto_start(&a->d, a->addr, b->addr, ca);
	fake_deliver(a, b);
	fake_deliver(b, a);
	fake_deliver(a, b);
	fake_deliver(b, a);
	*cb = ctx_find_ulid(&b->d.ctxs, b->addr, a->addr, 0);
	if (!*cb || (*ca)->state != CTX_ESTABLISHED)
		return false;
	locset_set_present(&a->ls, addrs[1], true);
	return proto_locators_changed(&a->d) == 1 && a->nq == 1;
}

TEST(shim6d_error_update_out_of_sync)
{
	struct shim6_ctx *ca = NULL, *cb = NULL;
	struct fake_host a, b;
	struct shim6_msg m;
	uint32_t nonce;

	if (!ASSERT_TRUE(update_pending(&a, &b, &ca, &cb), "A's Update outstanding"))
		goto out;
	nonce = ca->update_nonce;

	SUBTEST("code 3 (generation out of sync): the whole list again, new nonce");
	error_about(&a, 0, SHIM6_ERR_GEN_OUT_OF_SYNC, &a, NULL);
	ASSERT_EQ(a.d.st.update_resyncs, 1, "resync counted");
	ASSERT_TRUE(ca->update_pending, "still outstanding");
	ASSERT_NEQ(ca->update_nonce, nonce, "a new Request Nonce (§10.3)");
	if (ASSERT_EQ(fake_qtype(&a, 1, &m), SHIM6_TYPE_UPDATE_REQ, "Update Request resent")) {
		ASSERT_EQ(m.update.req_nonce, ca->update_nonce, "with the new nonce");
		ASSERT_OK_PTR(shim6_msg_find_opt(&m, SHIM6_OPT_LOC_LIST), "the Locator List");
		ASSERT_OK_PTR(shim6_msg_find_opt(&m, SHIM6_OPT_CGA_PDS), "and the PDS");
	}

	SUBTEST("an Error about the abandoned request: ignored");
	error_about(&a, 0, SHIM6_ERR_GEN_OUT_OF_SYNC, &a, NULL);
	ASSERT_EQ(a.d.st.update_resyncs, 1, "no second resync");
	ASSERT_TRUE(ca->update_pending, "still outstanding");
	ASSERT_EQ(a.nq, 2, "nothing sent");

	SUBTEST("code 3 again on the resent one: abandoned, retransmissions stop");
	error_about(&a, 1, SHIM6_ERR_GEN_OUT_OF_SYNC, &a, NULL);
	ASSERT_FALSE(ca->update_pending, "abandoned");
	ASSERT_EQ(a.d.st.updates_abandoned, 1, "counted");
	ASSERT_FALSE(a.timer_armed, "Update timer stopped");
	a.nq = 0;
	proto_timer(&a.d, ca);
	ASSERT_EQ(a.nq, 0, "no retransmission");
	ASSERT_EQ(ca->state, CTX_ESTABLISHED, "the context stays");

	SUBTEST("the next change starts afresh (resync allowed again)");
	locset_set_present(&a.ls, ca->ls_local[0], false);
	proto_locators_changed(&a.d);
	ASSERT_TRUE(ca->update_pending, "a new Update");
	error_about(&a, 0, SHIM6_ERR_LOC_COUNT, &a, NULL);
	ASSERT_EQ(a.d.st.update_resyncs, 2, "code 4 resyncs too");
	fake_deliver(&a, &b);	/* B takes both Updates, acknowledges */
	fake_deliver(&b, &a);
	ASSERT_FALSE(ca->update_pending, "the resent Update acknowledged");
	ASSERT_EQ(cb->peer_gen, a.ls.gen, "B has A's current generation");
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_error_update_refused)
{
	struct shim6_ctx *ca = NULL, *cb = NULL;
	struct fake_host a, b;
	uint8_t code;

	for (code = 0; code <= 2; code++) {
		SUBTEST("code %u about our Update: abandoned at once", code);
		if (!ASSERT_TRUE(update_pending(&a, &b, &ca, &cb), "A's Update outstanding")) {
			fake_host_fini(&a);
			fake_host_fini(&b);
			continue;
		}
		error_about(&a, 0, code, &a, NULL);
		ASSERT_FALSE(ca->update_pending, "abandoned");
		ASSERT_EQ(a.d.st.updates_abandoned, 1, "counted");
		ASSERT_EQ(a.d.st.update_resyncs, 0, "not resent");
		ASSERT_EQ(ca->state, CTX_ESTABLISHED, "context kept");
		fake_host_fini(&a);
		fake_host_fini(&b);
	}
}

TEST(shim6d_error_r2_refused)
{
	uint8_t addrs[2][16];
	struct shim6_ctx *ca, *cb;
	struct fake_host a, b;
	struct shim6_msg m;

	/* here B is the HBA host and the responder: its R2 carries its list */
	if (!ASSERT_TRUE(hba_pair(&b, &a, addrs), "HBA set"))
		return;
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);
	fake_deliver(&a, &b);	/* I2: B established, R2 queued */
	cb = ctx_find_ulid(&b.d.ctxs, b.addr, a.addr, 0);
	if (!ASSERT_OK_PTR(cb, "B established") || !ASSERT_EQ(b.nq, 1, "R2 queued"))
		goto out;
	fake_forge_second_locator(b.q[0].buf, b.q[0].len);
	fake_deliver(&b, &a);
	ASSERT_EQ(ca->state, CTX_I2_SENT, "A ignored the R2");
	if (!ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_ERROR, "A answered Error code 2") ||
	    !ASSERT_EQ(m.error.code, SHIM6_ERR_VERIF_METHOD, "code 2"))
		goto out;
	fake_deliver(&a, &b);
	ASSERT_EQ(b.d.ctxs.count, 0, "B removed the context the peer refused");
	ASSERT_EQ(b.downs, 1, "and took it out of the maps");
	ASSERT_EQ(b.d.st.errors_acted, 1, "acted on");
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}

TEST(shim6d_update_ack_in_i2_sent)
{
	uint8_t a_addr[16], b_addr[16], buf[64];
	struct pkt_info pi = { 0 };
	struct shim6_ctx *ca;
	struct fake_host a, b;
	struct shim6_msg m;
	ssize_t n;

	inet_pton(AF_INET6, "2001:db8:a::1", a_addr);
	inet_pton(AF_INET6, "2001:db8:b::1", b_addr);
	ehost_init(&a, a_addr);
	ehost_init(&b, b_addr);
	SUBTEST("§10.5: an Acknowledgement in I2-SENT gets R2 and is processed");
	proto_start(&a.d, a.addr, b.addr, &ca);
	fake_deliver(&a, &b);
	fake_deliver(&b, &a);	/* R1: A in I2-SENT, I2 queued */
	a.nq = 0;
	if (!ASSERT_EQ(ca->state, CTX_I2_SENT, "A: I2-SENT"))
		goto out;
	ca->update_pending = true;	/* as if an Update had been outstanding */
	ca->update_nonce = 4242;
	shim6_msg_init(&m, SHIM6_TYPE_UPDATE_ACK);
	m.update.recv_tag = ca->ct_local;
	m.update.req_nonce = 4242;
	n = shim6_msg_encode(&m, buf, sizeof(buf));
	memcpy(pi.src, b.addr, 16);
	memcpy(pi.dst, a.addr, 16);
	proto_input(&a.d, buf, (size_t)n, &pi);
	if (ASSERT_EQ(fake_qtype(&a, 0, &m), SHIM6_TYPE_R2, "§10.5: R2 sent in I2-SENT")) {
		ASSERT_EQ(m.r2.resp_tag, ca->ct_local, "carrying our tag");
		ASSERT_MEMEQ(a.q[0].pi.dst, 16, b.addr, 16, "to the peer");
	}
	ASSERT_FALSE(ca->update_pending, "and the acknowledgement processed");
	ASSERT_EQ(ca->state, CTX_I2_SENT, "state unchanged");
	SUBTEST("in I1-SENT the Acknowledgement is discarded");
	{
		struct shim6_ctx *c2;
		uint8_t p2[16];

		inet_pton(AF_INET6, "2001:db8:b::2", p2);
		proto_start(&a.d, a.addr, p2, &c2);
		a.nq = 0;
		m.update.recv_tag = c2->ct_local;
		n = shim6_msg_encode(&m, buf, sizeof(buf));
		memcpy(pi.src, p2, 16);
		proto_input(&a.d, buf, (size_t)n, &pi);
		ASSERT_EQ(a.nq, 0, "nothing sent");
	}
out:
	fake_host_fini(&a);
	fake_host_fini(&b);
}
