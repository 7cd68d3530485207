// SPDX-License-Identifier: GPL-2.0
/*
 * shim6_egress / shim6_seg_in through BPF_PROG_TEST_RUN, one table row per
 * branch: exact output bytes, verdict, reason counter.
 */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <string.h>

/* positional table rows; trailing fields default to 0 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define SEG_IFINDEX 1000	/* any number: test_run does not follow the redirect */

struct eg_case {
	const char *name;
	int seg;			/* run shim6_seg_in instead of shim6_egress */
	const char *src, *dst, *layers;
	const char *osrc, *odst, *olayers;	/* NULL: output = input */
	int retval;
	enum shim6_reason reason;
	uint32_t gso_size;
	uint32_t cfg_flags, seg_ifindex;
	int patch_off, patch_val;	/* patch one input byte (patch_off > 0) */
};

#define OK TC_ACT_OK
#define SHOT TC_ACT_SHOT
#define REDIR TC_ACT_REDIRECT
#define NOR SHIM6_CFG_F_NO_REDIRECT

static const struct eg_case eg_cases[] = {
	{ "no context udp", 0, A1, NC, "udp,pay32", NULL, NULL, NULL, OK, SHIM6_PASS_NO_CTX, 0, NOR },
	/* our kernel's "unrecognized next header 140": NO-SUPPORT only without shim6d */
	{ "own param prob nh 140, shim6d runs", 0, A1, NC, "icmp4nh140,pay16", NULL, NULL, NULL, SHOT,
	  SHIM6_DROP_OWN_PARAM_PROB, 0, NOR | SHIM6_CFG_F_DAEMON },
	{ "own param prob nh 140, no shim6d", 0, A1, NC, "icmp4nh140,pay16", NULL, NULL, NULL, OK,
	  SHIM6_PASS_NO_CTX, 0, NOR },
	{ "param prob other next header, shim6d runs", 0, A1, NC, "icmp4nh140,pay16", NULL, NULL, NULL,
	  OK, SHIM6_PASS_NO_CTX, 0, NOR | SHIM6_CFG_F_DAEMON, 0, 14 + 40 + 8 + 6, 17 },
	{ "ulid=loc udp", 0, A1, B1, "udp,pay32", NULL, NULL, NULL, OK, SHIM6_PASS_ULID_EQ_LOC, 0, NOR },
	{ "ulid=loc tcp", 0, A1, B1, "tcp,pay100", NULL, NULL, NULL, OK, SHIM6_PASS_ULID_EQ_LOC, 0, NOR },
	{ "rewrite udp", 0, A1, B2, "udp,pay32", A2, B3, "shim,udp,pay32", OK, SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite tcp", 0, A1, B2, "tcp,pay100", A2, B3, "shim,tcp,pay100", OK, SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite icmp echo", 0, A1, B2, "icmp128,pay16", A2, B3, "shim,icmp128,pay16", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite after hbh", 0, A1, B2, "hbh8,udp,pay8", A2, B3, "hbh8,shim,udp,pay8", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite after hbh+routing", 0, A1, B2, "hbh8,rt24,udp", A2, B3, "hbh8,rt24,shim,udp", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite after dstopts+routing", 0, A1, B2, "dst8,rt24,udp", A2, B3, "dst8,rt24,shim,udp",
	  OK, SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite before endpoint dstopts", 0, A1, B2, "dst16,udp", A2, B3, "shim,dst16,udp", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite before fragment", 0, A1, B2, "frag0,udp,pay16", A2, B3, "shim,frag0,udp,pay16", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite non-first fragment", 0, A1, B2, "hbh8,frag1,pay16", A2, B3, "hbh8,shim,frag1,pay16",
	  OK, SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite hbh+rt+dst+frag", 0, A1, B2, "hbh8,rt24,dst8,frag0,udp", A2, B3,
	  "hbh8,rt24,shim,dst8,frag0,udp", OK, SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "rewrite large hbh (128)", 0, A1, B2, "hbh128,udp", A2, B3, "hbh128,shim,udp", OK,
	  SHIM6_PASS_REWRITTEN, 0, NOR },
	{ "routing headers too long (136)", 0, A1, B2, "hbh136,udp", NULL, NULL, NULL, SHOT,
	  SHIM6_DROP_EXTHDR_CHAIN, 0, NOR },
	{ "rewrite + redirect by locator", 0, A1, B2, "udp,pay32", A2, B3, "shim,udp,pay32", REDIR,
	  SHIM6_PASS_REWRITTEN, 0, 0 },
	{ "control on locators", 0, A2, B3, "ctrl", NULL, NULL, NULL, OK, SHIM6_PASS_CONTROL, 0, NOR },
	{ "control on ULID pair", 0, A1, B2, "ctrl", NULL, NULL, NULL, OK, SHIM6_PASS_CONTROL, 0, NOR },
	{ "control after hbh", 0, A1, B2, "hbh8,ctrl", NULL, NULL, NULL, OK, SHIM6_PASS_CONTROL, 0, NOR },
	{ "already shimmed", 0, A2, B3, "shim,udp", NULL, NULL, NULL, OK, SHIM6_PASS_SHIMMED, 0, NOR },
	{ "ndisc NS on context pair", 0, A1, B2, "icmp135,pay24", NULL, NULL, NULL, OK,
	  SHIM6_PASS_NDISC, 0, NOR },
	{ "ndisc after hbh", 0, A1, B2, "hbh8,icmp136,pay24", NULL, NULL, NULL, OK, SHIM6_PASS_NDISC, 0,
	  NOR },
	{ "gso without segmentation stage", 0, A1, B2, "tcp,pay100", NULL, NULL, NULL, SHOT,
	  SHIM6_DROP_GSO, 1400, NOR },
	{ "gso to segmentation stage", 0, A1, B2, "tcp,pay100", NULL, NULL, NULL, REDIR,
	  SHIM6_PASS_TO_SEGMENT, 1400, NOR, SEG_IFINDEX },
	{ "gso on ulid=loc context", 0, A1, B1, "tcp,pay100", NULL, NULL, NULL, OK,
	  SHIM6_PASS_ULID_EQ_LOC, 1400, NOR },
	{ "seg_in: rewrite segment", 1, A1, B2, "tcp,pay100", A2, B3, "shim,tcp,pay100", REDIR,
	  SHIM6_PASS_REWRITTEN, 0, 0, SEG_IFINDEX },
	{ "seg_in: still gso (GRO on the stage)", 1, A1, B2, "tcp,pay100", NULL, NULL, NULL, SHOT,
	  SHIM6_DROP_GSO, 1400, 0, SEG_IFINDEX },
	{ "seg_in: ulid=loc goes out unchanged", 1, A1, B1, "tcp,pay100", NULL, NULL, NULL, REDIR,
	  SHIM6_PASS_ULID_EQ_LOC, 0, 0 },
	{ "seg_in: no context", 1, A1, NC, "tcp,pay100", NULL, NULL, NULL, SHOT, SHIM6_DROP_FIB, 0, 0 },
	{ "8 extension headers", 0, A1, NC, "dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,udp", NULL, NULL,
	  NULL, OK, SHIM6_PASS_NO_CTX, 0, NOR },
	{ "9 extension headers", 0, A1, NC, "dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,udp", NULL,
	  NULL, NULL, SHOT, SHIM6_DROP_EXTHDR_CHAIN, 0, NOR },
	{ "hbh length past payload", 0, A1, B2, "hbh8,udp", NULL, NULL, NULL, SHOT,
	  SHIM6_DROP_MALFORMED, 0, NOR, 0, 14 + 40 + 1, 5 },
	{ "ip version 4 in ipv6 frame", 0, A1, B2, "udp", NULL, NULL, NULL, SHOT, SHIM6_DROP_MALFORMED,
	  0, NOR, 0, 14, 0x40 },
	{ "payload_len past frame", 0, A1, B2, "udp,pay8", NULL, NULL, NULL, SHOT, SHIM6_DROP_MALFORMED,
	  0, NOR, 0, 14 + 5, 200 },
};

static int setup(struct dp *dp)
{
	struct dp_ctx c1 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B1),
		.loc_local = pb_addr(A1), .loc_peer = pb_addr(B1),
		.local_tag = TAG1_LOCAL, .peer_tag = TAG1_PEER, .ifindex = 1,
	};
	struct dp_ctx c2 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER, .ifindex = 1,
	};
	int err = dp_open(dp, 0);

	if (err)
		return err;
	err = dp_ctx_add(dp, &c1) ?: dp_ctx_add(dp, &c2);
	if (err)
		dp_close(dp);
	return err;
}

/* Every counter zero except `reason` == 1. */
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

TEST(egress)
{
	struct dp dp;
	struct pb in, want;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (size_t i = 0; i < sizeof(eg_cases) / sizeof(eg_cases[0]); i++) {
		const struct eg_case *c = &eg_cases[i];
		struct shim6_cfg cfg = { .flags = c->cfg_flags, .seg_ifindex = c->seg_ifindex };
		int fd = bpf_program__fd(c->seg ? dp.eg->progs.shim6_seg_in : dp.eg->progs.shim6_egress);

		SUBTEST("%s", c->name);
		fx_build(&in, c->src, c->dst, c->layers, TAG2_PEER, NULL, NULL);
		if (c->patch_off)
			in.d[c->patch_off] = c->patch_val;
		if (c->olayers)
			fx_build(&want, c->osrc, c->odst, c->olayers, TAG2_PEER, c->src, c->dst);
		else
			want = in;
		dp_cfg_set(&dp, &cfg);
		dp_count_reset(&dp);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		r.gso_size = c->gso_size;
		r.gso_segs = c->gso_size ? 2 : 0;
		if (!ASSERT_OK(dp_run_tc(fd, &r), "test_run"))
			continue;
		ASSERT_EQ(r.retval, c->retval, "verdict");
		if (c->retval != SHOT)
			ASSERT_MEMEQ(r.out, r.out_len, want.d, want.len, "output packet");
		counters_are(&dp, c->reason);
	}
	dp_close(&dp);
}

/*
 * Truncated at every header boundary (and inside each header).  tc's
 * test_run refuses IPv6 frames shorter than eth + ipv6 (EINVAL), so the cuts
 * inside the fixed header are run through the XDP ingress table instead.
 */
TEST(egress_truncated)
{
	static const size_t cuts[] = { 14 + 40, 14 + 47, 14 + 48, 14 + 71, 14 + 72,
				       14 + 80, 14 + 87, 14 + 88, 14 + 95, 14 + 96, 14 + 103 };
	struct dp dp;
	struct pb in;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	{
		struct shim6_cfg cfg = { .flags = NOR };

		dp_cfg_set(&dp, &cfg);
	}
	/* 14 eth | 40 ipv6 | 8 hbh | 24 rt | 8 dst | 8 frag | 8 udp | 8 payload = 118 */
	fx_build(&in, A1, B2, "hbh8,rt24,dst8,frag0,udp,pay8", TAG2_PEER, NULL, NULL);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		SUBTEST("cut at %zu of %zu", cuts[i], in.len);
		dp_count_reset(&dp);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = cuts[i];
		if (!ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "test_run"))
			continue;
		ASSERT_EQ(r.retval, SHOT, "verdict");
		counters_are(&dp, SHIM6_DROP_MALFORMED);
	}
	dp_close(&dp);
}

TEST(egress_not_ipv6)
{
	static const uint8_t arp[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0xa1,
					 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1 };
	struct dp dp;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	dp_count_reset(&dp);
	r.in = arp;
	r.in_len = sizeof(arp);
	if (ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "test_run")) {
		ASSERT_EQ(r.retval, OK, "verdict");
		ASSERT_MEMEQ(r.out, r.out_len, arp, sizeof(arp), "unchanged");
		counters_are(&dp, SHIM6_PASS_NOT_IPV6);
	}
	dp_close(&dp);
}

/* FBD last-send and per-context counters, on both kinds of context. */
TEST(egress_fbd)
{
	static const char *peers[] = { B1, B2 };
	struct dp dp;
	struct pb in;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	{
		struct shim6_cfg cfg = { .flags = NOR };

		dp_cfg_set(&dp, &cfg);
	}
	for (int i = 0; i < 2; i++) {
		struct shim6_ulid_key k = {};
		struct shim6_egress_ctx ec;

		SUBTEST("%s", i ? "rewritten context" : "ulid=loc context");
		fx_build(&in, A1, peers[i], "udp,pay32", TAG2_PEER, NULL, NULL);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		/* three runs (not repeat = 3: test_run would rerun the rewritten skb) */
		for (int n = 0; n < 3; n++)
			ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "run");
		k.local = *(union shim6_addr *)&in.d[14 + 8];
		k.peer = *(union shim6_addr *)&in.d[14 + 24];
		if (!ASSERT_OK(bpf_map_lookup_elem(bpf_map__fd(dp.eg->maps.shim6_ulid), &k, &ec),
			       "lookup"))
			continue;
		ASSERT_NEQ(ec.last_send, 0, "last_send recorded");
		ASSERT_EQ(ec.tx_packets, 3, "tx_packets");
		ASSERT_EQ(ec.tx_bytes, 3 * (in.len - 14 + (i ? 8 : 0)), "tx_bytes (as sent)");
	}
	dp_close(&dp);
}

/*
 * FBD slot (shim6_fbd, RFC 5534 §4.1 Send Timer start): a send copies
 * last_send into the context's slot; with a receive since the recorded
 * send_start it moves send_start to now, with none since it keeps it (the
 * timer runs from the first unanswered send).  The egress entry's own
 * last_send is zeroed before each run so the once-per-jiffy gate is open.
 */
TEST(egress_fbd_send_start)
{
	static const struct {
		const char *name;
		uint64_t start, last_recv;
		bool moves;
	} rows[] = {
		{ "never sent: starts now", 0, 0, true },
		{ "received since the start: restarts now", 1, 2, true },
		{ "received in the start's jiffy: restarts now", 3, 3, true },
		{ "nothing received since: kept", 5, 2, false },
	};
	const uint32_t slot = 5;
	struct dp dp;
	struct pb in;
	static struct dp_run r;
	struct shim6_ulid_key k = {};
	struct shim6_egress_ctx ec;
	struct shim6_ingress_ctx ic;
	int ulid_fd, tag_fd, fbd_fd;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	ulid_fd = bpf_map__fd(dp.eg->maps.shim6_ulid);
	tag_fd = bpf_map__fd(dp.eg->maps.shim6_tag);
	fbd_fd = bpf_map__fd(dp.eg->maps.shim6_fbd);
	fx_build(&in, A1, B2, "udp,pay32", TAG2_PEER, NULL, NULL);
	k.local = *(union shim6_addr *)&in.d[14 + 8];
	k.peer = *(union shim6_addr *)&in.d[14 + 24];
	if (!ASSERT_OK(bpf_map_lookup_elem(ulid_fd, &k, &ec), "egress lookup") ||
	    !ASSERT_OK(bpf_map_lookup_elem(tag_fd, &ec.local_tag, &ic), "ingress lookup"))
		goto out;
	ic.fbd_slot = slot;
	ASSERT_OK(bpf_map_update_elem(tag_fd, &ec.local_tag, &ic, BPF_EXIST), "give it a slot");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct shim6_fbd f = { .send_start = rows[i].start, .last_recv = rows[i].last_recv };

		SUBTEST("%s", rows[i].name);
		ec.last_send = 0;
		ASSERT_OK(bpf_map_update_elem(ulid_fd, &k, &ec, BPF_EXIST), "set egress");
		ASSERT_OK(bpf_map_update_elem(fbd_fd, &slot, &f, BPF_ANY), "set slot");
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "run");
		ASSERT_OK(bpf_map_lookup_elem(ulid_fd, &k, &ec), "egress lookup");
		ASSERT_OK(bpf_map_lookup_elem(fbd_fd, &slot, &f), "slot lookup");
		ASSERT_TRUE(ec.last_send > 5, "the entry's last_send is now (jiffies)");
		ASSERT_EQ(f.last_send, ec.last_send, "copied into the slot");
		ASSERT_EQ(f.last_recv, rows[i].last_recv, "last_recv untouched by egress");
		if (rows[i].moves)
			ASSERT_EQ(f.send_start, f.last_send, "send_start = this send");
		else
			ASSERT_EQ(f.send_start, rows[i].start, "send_start kept");
	}

	SUBTEST("no slot (fbd_slot 0): slot 0 stays untouched");
	{
		const uint32_t zero = 0;
		struct shim6_fbd f0;

		ic.fbd_slot = 0;
		ASSERT_OK(bpf_map_update_elem(tag_fd, &ec.local_tag, &ic, BPF_EXIST), "no slot");
		ec.last_send = 0;
		ASSERT_OK(bpf_map_update_elem(ulid_fd, &k, &ec, BPF_EXIST), "set egress");
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "run");
		ASSERT_OK(bpf_map_lookup_elem(fbd_fd, &zero, &f0), "slot 0 lookup");
		ASSERT_EQ(f0.last_send | f0.send_start, 0, "nothing written");
	}
out:
	dp_close(&dp);
}

/* Trigger heuristic: accounting in shim6_flow, one event per pair. */
TEST(egress_trigger)
{
	struct dp dp;
	struct pb in;
	static struct dp_run r;
	int fd;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	fd = bpf_program__fd(dp.eg->progs.shim6_egress);
	/* 14 + 40 + 8 + 32: 80 bytes of IPv6 packet */
	fx_build(&in, A1, NC, "udp,pay32", 0, NULL, NULL);

	SUBTEST("bytes threshold");
	{
		struct shim6_cfg cfg = { .trigger_bytes = 150, .trigger_jiffies = 1ULL << 40 };
		struct shim6_ulid_key k = {};
		struct shim6_flow f;

		dp_cfg_set(&dp, &cfg);
		k.local = *(union shim6_addr *)&in.d[22];
		k.peer = *(union shim6_addr *)&in.d[38];
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(fd, &r), "run 1");
		ASSERT_EQ(dp_events(&dp), 0, "no event below the threshold");
		ASSERT_OK(dp_run_tc(fd, &r), "run 2");
		ASSERT_EQ(dp_events(&dp), 1, "one event when crossing 150 bytes");
		ASSERT_OK(dp_run_tc(fd, &r), "run 3");
		ASSERT_EQ(dp_events(&dp), 0, "no second event");
		if (dp.nev == 1) {
			ASSERT_EQ(dp.ev[0].type, SHIM6_EV_TRIGGER, "event type");
			ASSERT_EQ(dp.ev[0].bytes, 160, "event bytes");
			ASSERT_MEMEQ(&dp.ev[0].src, 16, &in.d[22], 16, "event src = ULID local");
			ASSERT_MEMEQ(&dp.ev[0].dst, 16, &in.d[38], 16, "event dst = ULID peer");
			ASSERT_EQ(dp.ev[0].ifindex, 1, "event ifindex");
		}
		if (ASSERT_OK(bpf_map_lookup_elem(bpf_map__fd(dp.eg->maps.shim6_flow), &k, &f),
			      "flow entry")) {
			ASSERT_EQ(f.bytes, 240, "flow bytes");
			ASSERT_EQ(f.triggered, 1, "flow triggered");
			ASSERT_NEQ(f.first_seen, 0, "first_seen");
		}
	}

	SUBTEST("time threshold");
	{
		struct shim6_cfg cfg = { .trigger_bytes = 1ULL << 40 };	/* default 60 s */
		struct shim6_flow old = { .first_seen = 1, .bytes = 10 };
		struct shim6_ulid_key k = {};

		dp_cfg_set(&dp, &cfg);
		dp.nev = 0;
		fx_build(&in, A1, "2001:db8:ee::8", "udp,pay32", 0, NULL, NULL);
		k.local = *(union shim6_addr *)&in.d[22];
		k.peer = *(union shim6_addr *)&in.d[38];
		/* a pair first seen at jiffy 1: long more than 60 s ago */
		bpf_map_update_elem(bpf_map__fd(dp.eg->maps.shim6_flow), &k, &old, BPF_ANY);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(fd, &r), "run");
		if (ASSERT_EQ(dp_events(&dp), 1, "one event after 60 s of exchange"))
			ASSERT_EQ(dp.ev[0].bytes, 90, "event bytes");
	}

	SUBTEST("server mode (NO_TRIGGER)");
	{
		struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_TRIGGER, .trigger_bytes = 1 };
		struct shim6_ulid_key k = {};
		struct shim6_flow f;

		dp_cfg_set(&dp, &cfg);
		fx_build(&in, A1, "2001:db8:ee::9", "udp,pay32", 0, NULL, NULL);
		k.local = *(union shim6_addr *)&in.d[22];
		k.peer = *(union shim6_addr *)&in.d[38];
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(fd, &r), "run");
		ASSERT_EQ(dp_events(&dp), 0, "no event");
		ASSERT_TRUE(bpf_map_lookup_elem(bpf_map__fd(dp.eg->maps.shim6_flow), &k, &f) != 0,
			    "no flow entry");
	}

	SUBTEST("multicast destination not accounted");
	{
		struct shim6_cfg cfg = { .trigger_bytes = 1 };
		struct shim6_ulid_key k = {};
		struct shim6_flow f;

		dp_cfg_set(&dp, &cfg);
		fx_build(&in, A1, "ff02::1:3", "udp,pay32", 0, NULL, NULL);
		k.local = *(union shim6_addr *)&in.d[22];
		k.peer = *(union shim6_addr *)&in.d[38];
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(fd, &r), "run");
		ASSERT_EQ(dp_events(&dp), 0, "no event");
		ASSERT_TRUE(bpf_map_lookup_elem(bpf_map__fd(dp.eg->maps.shim6_flow), &k, &f) != 0,
			    "no flow entry");
	}
	dp_close(&dp);
}
