// SPDX-License-Identifier: GPL-2.0
/*
 * shim6_xdp_in and shim6_tc_in through BPF_PROG_TEST_RUN: the SAME table for
 * both program types (one packet library, two contexts).
 */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <string.h>

/* positional table rows; trailing fields default to 0 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define RT "2001:db8:ff::1"	/* a router on the path */

enum { PASS, DROP };

struct in_case {
	const char *name;
	const char *src, *dst, *layers;
	uint64_t tag;
	const char *osrc, *odst, *olayers;	/* NULL: output = input */
	int verdict;				/* PASS / DROP */
	enum shim6_reason reason;
	int patch_off, patch_val;
	int cut;				/* truncate the input to `cut` bytes */
};

static const struct in_case in_cases[] = {
	{ "no context udp", NC, A1, "udp,pay32", 0, NULL, NULL, NULL, PASS, SHIM6_PASS_NO_CTX },
	{ "ulid pair without header", B1, A1, "udp,pay32", 0, NULL, NULL, NULL, PASS,
	  SHIM6_PASS_ULID_EQ_LOC },
	{ "restore udp", B3, A2, "shim,udp,pay32", TAG2_LOCAL, B2, A1, "udp,pay32", PASS,
	  SHIM6_PASS_RESTORED },
	{ "restore tcp", B3, A2, "shim,tcp,pay100", TAG2_LOCAL, B2, A1, "tcp,pay100", PASS,
	  SHIM6_PASS_RESTORED },
	{ "restore icmp echo", B3, A2, "shim,icmp129,pay16", TAG2_LOCAL, B2, A1, "icmp129,pay16", PASS,
	  SHIM6_PASS_RESTORED },
	{ "restore after hbh", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, B2, A1, "hbh8,udp,pay8",
	  PASS, SHIM6_PASS_RESTORED },
	{ "restore after hbh+routing", B3, A2, "hbh8,rt24,shim,udp", TAG2_LOCAL, B2, A1,
	  "hbh8,rt24,udp", PASS, SHIM6_PASS_RESTORED },
	{ "restore after large hbh (128)", B3, A2, "hbh128,shim,udp", TAG2_LOCAL, B2, A1,
	  "hbh128,udp", PASS, SHIM6_PASS_RESTORED },
	{ "restore before fragment", B3, A2, "shim,frag0,udp,pay16", TAG2_LOCAL, B2, A1,
	  "frag0,udp,pay16", PASS, SHIM6_PASS_RESTORED },
	{ "restore non-first fragment", B3, A2, "shim,frag1,pay16", TAG2_LOCAL, B2, A1, "frag1,pay16",
	  PASS, SHIM6_PASS_RESTORED },
	{ "restore before dstopts", B3, A2, "shim,dst16,udp", TAG2_LOCAL, B2, A1, "dst16,udp", PASS,
	  SHIM6_PASS_RESTORED },
	{ "restore hbh+rt+shim+dst+frag", B3, A2, "hbh8,rt24,shim,dst8,frag0,udp", TAG2_LOCAL, B2, A1,
	  "hbh8,rt24,dst8,frag0,udp", PASS, SHIM6_PASS_RESTORED },
	{ "restore from the peer's ULID as locator", B2, A2, "shim,udp", TAG2_LOCAL, B2, A1, "udp",
	  PASS, SHIM6_PASS_RESTORED },
	{ "control message", B3, A2, "ctrl", 0, NULL, NULL, NULL, PASS, SHIM6_PASS_CONTROL },
	{ "control after hbh", B3, A2, "hbh8,ctrl", 0, NULL, NULL, NULL, PASS, SHIM6_PASS_CONTROL },
	{ "unknown tag", B3, A2, "shim,udp", 0x999, NULL, NULL, NULL, DROP, SHIM6_DROP_UNKNOWN_TAG },
	{ "foreign source locator", B9, A2, "shim,udp", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_FOREIGN_SRC },
	{ "foreign destination", B3, A9, "shim,udp", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_FOREIGN_DST },
	{ "source is one of OUR locators", A1, A2, "shim,udp", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_FOREIGN_SRC },
	{ "destination is the PEER's locator", B3, B2, "shim,udp", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_FOREIGN_DST },
	{ "payload header with hdr ext len 1", B3, A2, "shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL,
	  DROP, SHIM6_DROP_MALFORMED, 14 + 40 + 1, 1 },
	{ "ndisc NA", NC, A1, "icmp136,pay24", 0, NULL, NULL, NULL, PASS, SHIM6_PASS_NDISC },
	{ "non-first fragment without context", NC, A1, "frag1,pay16", 0, NULL, NULL, NULL, PASS,
	  SHIM6_PASS_FRAGMENT },
	{ "9 extension headers", NC, A1, "dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,udp", 0, NULL,
	  NULL, NULL, DROP, SHIM6_DROP_EXTHDR_CHAIN },
	{ "routing headers too long (136)", B3, A2, "hbh136,shim,udp", TAG2_LOCAL, NULL, NULL, NULL,
	  DROP, SHIM6_DROP_EXTHDR_CHAIN },
	{ "payload_len past frame", B3, A2, "shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 14 + 5, 200 },
	{ "hbh length past payload", B3, A2, "hbh8,shim,udp", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 14 + 40 + 1, 6 },
	/* 14 eth | 40 ipv6 | 8 hbh | 8 shim | 8 udp | 8 payload = 86 */
	{ "cut at 14 (no ipv6 header)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL,
	  DROP, SHIM6_DROP_MALFORMED, 0, 0, 14 },
	{ "cut at 15", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 15 },
	{ "cut at 53", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 53 },
	{ "cut at 54 (end of ipv6)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 54 },
	{ "cut at 58 (inside hbh)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 58 },
	{ "cut at 62 (end of hbh)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 62 },
	{ "cut at 66 (inside shim6)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 66 },
	{ "cut at 70 (end of shim6)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 70 },
	{ "cut at 78 (end of udp)", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 78 },
	{ "cut at 85", B3, A2, "hbh8,shim,udp,pay8", TAG2_LOCAL, NULL, NULL, NULL, DROP,
	  SHIM6_DROP_MALFORMED, 0, 0, 85 },
};

struct variant {
	const char *name;
	int xdp;
	int pass, drop;
};

static const struct variant variants[] = {
	{ "xdp", 1, XDP_PASS, XDP_DROP },
	{ "tc", 0, TC_ACT_OK, TC_ACT_SHOT },
};

static int setup(struct dp *dp)
{
	struct dp_ctx c1 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B1),
		.loc_local = pb_addr(A1), .loc_peer = pb_addr(B1),
		.local_tag = TAG1_LOCAL, .peer_tag = TAG1_PEER,
	};
	struct dp_ctx c2 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER,
	};
	int err = dp_open(dp, 0);

	if (err)
		return err;
	err = dp_ctx_add(dp, &c1) ?: dp_ctx_add(dp, &c2);
	if (err)
		dp_close(dp);
	return err;
}

static bool counters_are(struct dp *dp, enum shim6_reason reason)
{
	bool ok = true;

	for (int r = 0; r < SHIM6_REASON_MAX; r++) {
		uint64_t n = dp_count(dp, r);

		if (n != (r == (int)reason ? 1u : 0u)) {
			char what[64];

			snprintf(what, sizeof(what), "counter %d", r);
			ok = ASSERT_EQ(n, r == (int)reason ? 1 : 0, what) && ok;
		}
	}
	return ok;
}

static int run(struct dp *dp, const struct variant *v, struct dp_run *r)
{
	if (v->xdp)
		return dp_run_xdp(bpf_program__fd(dp->in->progs.shim6_xdp_in), r);
	return dp_run_tc(bpf_program__fd(dp->in->progs.shim6_tc_in), r);
}

TEST(ingress)
{
	static struct dp_run r;
	struct pb in, want;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (size_t vi = 0; vi < 2; vi++) {
		const struct variant *v = &variants[vi];

		for (size_t i = 0; i < sizeof(in_cases) / sizeof(in_cases[0]); i++) {
			const struct in_case *c = &in_cases[i];
			/* ULIDs for the transport checksum: what the sender's ULP used */
			const char *ps = c->osrc ? c->osrc : c->src, *pd = c->odst ? c->odst : c->dst;

			SUBTEST("%s/%s", v->name, c->name);
			if (!v->xdp && c->cut && c->cut < 54) {
				SKIP("tc test_run refuses IPv6 frames shorter than eth+ipv6");
				continue;
			}
			fx_build(&in, c->src, c->dst, c->layers, c->tag, ps, pd);
			if (c->patch_off)
				in.d[c->patch_off] = c->patch_val;
			if (c->olayers)
				fx_build(&want, c->osrc, c->odst, c->olayers, 0, ps, pd);
			else
				want = in;
			dp_count_reset(&dp);
			memset(&r, 0, sizeof(r));
			r.in = in.d;
			r.in_len = c->cut ? (uint32_t)c->cut : in.len;
			if (!ASSERT_OK(run(&dp, v, &r), "test_run"))
				continue;
			ASSERT_EQ(r.retval, c->verdict == PASS ? v->pass : v->drop, "verdict");
			if (c->verdict == PASS)
				ASSERT_MEMEQ(r.out, r.out_len, want.d, want.len, "output packet");
			counters_are(&dp, c->reason);
		}
	}
	dp_events(&dp);	/* drain the unknown-tag events of the table */
	dp_close(&dp);
}

TEST(ingress_not_ipv6)
{
	static const uint8_t arp[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0xa1,
					 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1 };
	static struct dp_run r;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (size_t vi = 0; vi < 2; vi++) {
		SUBTEST("%s", variants[vi].name);
		dp_count_reset(&dp);
		memset(&r, 0, sizeof(r));
		r.in = arp;
		r.in_len = sizeof(arp);
		if (!ASSERT_OK(run(&dp, &variants[vi], &r), "test_run"))
			continue;
		ASSERT_EQ(r.retval, variants[vi].pass, "verdict");
		ASSERT_MEMEQ(r.out, r.out_len, arp, sizeof(arp), "unchanged");
		counters_are(&dp, SHIM6_PASS_NOT_IPV6);
	}
	dp_close(&dp);
}

/* Unknown tag: one ring-buffer event per packet, within the rate budget. */
TEST(ingress_unknown_tag_event)
{
	static struct dp_run r;
	struct pb in;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (size_t vi = 0; vi < 2; vi++) {
		SUBTEST("%s", variants[vi].name);
		fx_build(&in, B3, A2, "shim,udp,pay8", 0x4242abcdULL, NULL, NULL);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		dp.nev = 0;
		if (!ASSERT_OK(run(&dp, &variants[vi], &r), "test_run"))
			continue;
		if (!ASSERT_EQ(dp_events(&dp), 1, "one event"))
			continue;
		ASSERT_EQ(dp.ev[0].type, SHIM6_EV_UNKNOWN_TAG, "type");
		ASSERT_EQ(dp.ev[0].tag, 0x4242abcdULL, "tag");
		ASSERT_EQ(dp.ev[0].ifindex, 1, "ifindex (test_run: lo)");
		ASSERT_MEMEQ(&dp.ev[0].src, 16, &in.d[22], 16, "src");
		ASSERT_MEMEQ(&dp.ev[0].dst, 16, &in.d[38], 16, "dst");
	}
	dp_close(&dp);
}

/* FBD last-receive and per-context counters, with and without header. */
TEST(ingress_fbd)
{
	static struct dp_run r;
	struct pb in;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (size_t vi = 0; vi < 2; vi++) {
		static const struct {
			const char *name, *src, *dst, *layers;
			uint64_t tag;
		} k[] = {
			{ "with header", B3, A2, "shim,udp,pay32", TAG2_LOCAL },
			{ "ulid pair", B1, A1, "udp,pay32", TAG1_LOCAL },
		};

		for (int i = 0; i < 2; i++) {
			struct shim6_ingress_ctx ic;
			uint64_t tag = k[i].tag;

			int tag_fd = bpf_map__fd(dp.eg->maps.shim6_tag);
			uint32_t slot = 3 + (uint32_t)i;
			struct shim6_fbd f;

			SUBTEST("%s/%s", variants[vi].name, k[i].name);
			/* an FBD slot, as shim6_ctx_add gives */
			if (!ASSERT_OK(bpf_map_lookup_elem(tag_fd, &tag, &ic), "lookup"))
				continue;
			ic.fbd_slot = slot;
			ASSERT_OK(bpf_map_update_elem(tag_fd, &tag, &ic, BPF_EXIST), "slot");
			fx_build(&in, k[i].src, k[i].dst, k[i].layers, tag, NULL, NULL);
			memset(&r, 0, sizeof(r));
			r.in = in.d;
			r.in_len = in.len;
			ASSERT_OK(run(&dp, &variants[vi], &r), "run 1");
			ASSERT_OK(run(&dp, &variants[vi], &r), "run 2");
			if (!ASSERT_OK(bpf_map_lookup_elem(tag_fd, &tag, &ic), "lookup") ||
			    !ASSERT_OK(bpf_map_lookup_elem(bpf_map__fd(dp.eg->maps.shim6_fbd), &slot,
							   &f), "slot lookup"))
				continue;
			ASSERT_NEQ(ic.last_recv, 0, "last_recv");
			ASSERT_EQ(f.last_recv, ic.last_recv, "last_recv copied into the FBD slot");
			ASSERT_EQ(f.last_send, 0, "no send stamped by ingress");
			ASSERT_EQ(ic.rx_packets, 2, "rx_packets");
			ASSERT_EQ(ic.rx_bytes, 2 * (in.len - 14 - (i ? 0 : 8)), "rx_bytes (restored)");
		}
		/* fresh maps for the other variant */
		dp_close(&dp);
		if (!ASSERT_OK(setup(&dp), "reload"))
			return;
	}
	dp_close(&dp);
}

/*
 * Round trip: host A's egress output fed to host B's ingress (its own maps,
 * the mirrored context) gives back A's packet as B's transport must see it.
 */
TEST(roundtrip)
{
	static const char *layers[] = { "udp,pay32", "tcp,pay200", "hbh8,rt24,dst8,frag0,udp,pay8",
					 "hbh8,frag1,pay16" };
	struct dp a, b;
	static struct dp_run ra, rb;
	struct pb in;
	struct dp_ctx ca = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER, .ifindex = 1,
	};
	struct dp_ctx cb = {
		.ulid_local = pb_addr(B2), .ulid_peer = pb_addr(A1),
		.loc_local = pb_addr(B3), .loc_peer = pb_addr(A2),
		.local_tag = TAG2_PEER, .peer_tag = TAG2_LOCAL, .ifindex = 1,
	};
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT };

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(dp_open(&a, 0), "host A"))
		return;
	if (!ASSERT_OK(dp_open(&b, 0), "host B")) {
		dp_close(&a);
		return;
	}
	if (!ASSERT_OK(dp_ctx_add(&a, &ca) ?: dp_ctx_add(&b, &cb) ?: dp_cfg_set(&a, &cfg), "maps"))
		goto out;
	for (size_t vi = 0; vi < 2; vi++) {
		for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
			SUBTEST("%s/%s", variants[vi].name, layers[i]);
			fx_build(&in, A1, B2, layers[i], 0, NULL, NULL);
			memset(&ra, 0, sizeof(ra));
			ra.in = in.d;
			ra.in_len = in.len;
			if (!ASSERT_OK(dp_run_tc(bpf_program__fd(a.eg->progs.shim6_egress), &ra),
				       "A egress") ||
			    !ASSERT_EQ(ra.out_len, in.len + 8, "pushed"))
				continue;
			memset(&rb, 0, sizeof(rb));
			rb.in = ra.out;
			rb.in_len = ra.out_len;
			if (!ASSERT_OK(run(&b, &variants[vi], &rb), "B ingress"))
				continue;
			ASSERT_EQ(rb.retval, variants[vi].pass, "B verdict");
			ASSERT_MEMEQ(rb.out, rb.out_len, in.d, in.len, "B sees A's packet");
		}
	}
out:
	dp_close(&b);
	dp_close(&a);
}

/*
 * The unknown-tag event budget: with unknown_tag_rate = 1 a burst of 5
 * packets raises 1 event (2 if the burst happens to straddle a second
 * boundary), never 5; every packet is still dropped and counted.
 */
TEST(ingress_unknown_tag_rate)
{
	struct shim6_cfg cfg = { .unknown_tag_rate = 1 };
	static struct dp_run r;
	struct pb in;
	struct dp dp;
	int n = 0;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	dp_cfg_set(&dp, &cfg);
	dp_count_reset(&dp);
	fx_build(&in, B3, A2, "shim,udp,pay8", 0x777ULL, NULL, NULL);
	for (int i = 0; i < 5; i++) {
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_xdp(bpf_program__fd(dp.in->progs.shim6_xdp_in), &r), "run");
	}
	n = dp_events(&dp);
	ASSERT_TRUE(n >= 1 && n <= 2, "1 event (2 across a second boundary) for 5 packets");
	ASSERT_EQ(dp_count(&dp, SHIM6_DROP_UNKNOWN_TAG), 5, "all 5 dropped and counted");
	dp_close(&dp);
}
