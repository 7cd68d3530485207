// SPDX-License-Identifier: GPL-2.0
/*
 * Multipath through BPF_PROG_TEST_RUN against the production objects: the
 * path table is written by the loader (loader/path.c, as shim6ctl and shim6d
 * do), packets carry an skb mark, one table row per branch of the choice:
 * exact output bytes, verdict, and the exact set of counters (the packet's
 * verdict plus the multipath counter).
 */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/fixture.h"
#include "loader/path.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define SEG_IFINDEX 1000
#define OK TC_ACT_OK
#define SHOT TC_ACT_SHOT
#define REDIR TC_ACT_REDIRECT
#define NOR SHIM6_CFG_F_NO_REDIRECT

/*
 * Context 1: ULIDs (A1, B1), default path = ULIDs (no rewrite), locators A2
 * and B3 too; path 1 = (A2, B3), path 2 = (A2, B1) flagged broken,
 * path 3 = (A1, B3).  Context 2: ULIDs (A1, B2), default path (A2, B3)
 * (rewritten); path 1 = (A1, B2), the ULID pair (no rewrite).
 */
struct mp_case {
	const char *name;
	int seg;
	const char *src, *dst, *layers;
	uint32_t mark, mask, shift;
	const char *osrc, *odst, *olayers;	/* NULL: output = input */
	uint64_t otag;				/* tag in the output's Shim6 header */
	int retval;
	enum shim6_reason reason, extra;	/* extra 0: no multipath counter */
	uint32_t gso_size;
	int redirect;			/* 0: SHIM6_CFG_F_NO_REDIRECT */
	uint32_t seg_ifindex;
};

static const struct mp_case mp_cases[] = {
	{ "no mark: default path (ULIDs)", 0, A1, B1, "udp,pay32", 0, 0xf, 0, NULL, NULL, NULL, 0,
	  OK, SHIM6_PASS_ULID_EQ_LOC },
	{ "mark 1 -> path 1 (A2,B3) rewritten", 0, A1, B1, "udp,pay32", 1, 0xf, 0, A2, B3,
	  "shim,udp,pay32", TAG1_PEER, OK, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN },
	{ "mark 3 -> path 3 (A1,B3) tcp", 0, A1, B1, "tcp,pay100", 3, 0xf, 0, A1, B3,
	  "shim,tcp,pay100", TAG1_PEER, OK, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN },
	{ "mark 0x10 mask 0xf0 shift 4 -> path 1", 0, A1, B1, "udp,pay8", 0x10, 0xf0, 4, A2, B3,
	  "shim,udp,pay8", TAG1_PEER, OK, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN },
	{ "mark 0x1 mask 0xf0 shift 4 -> index 0", 0, A1, B1, "udp,pay8", 0x1, 0xf0, 4, NULL, NULL,
	  NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC },
	{ "mark 5: no such path -> default + counter", 0, A1, B1, "udp,pay32", 5, 0xf, 0, NULL, NULL,
	  NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC, SHIM6_PASS_PATH_MISSING },
	{ "mark 0x20: index 32 out of range -> default + counter", 0, A1, B1, "udp", 0x20, 0xff, 0,
	  NULL, NULL, NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC, SHIM6_PASS_PATH_MISSING },
	{ "mark 2: broken path -> default + counter", 0, A1, B1, "udp,pay32", 2, 0xf, 0, NULL, NULL,
	  NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC, SHIM6_PASS_PATH_BROKEN },
	{ "mark 2 + probe bit: broken path used (a probe)", 0, A1, B1, "icmp128,pay16", 0x102, 0xf, 0,
	  A2, B1, "shim,icmp128,pay16", TAG1_PEER, OK, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN },
	{ "probe bit alone: index 0", 0, A1, B1, "icmp128,pay16", 0x100, 0xf, 0, NULL, NULL, NULL, 0,
	  OK, SHIM6_PASS_ULID_EQ_LOC },
	{ "rule off (mask 0): mark ignored", 0, A1, B1, "udp,pay32", 1, 0, 0, NULL, NULL, NULL, 0,
	  OK, SHIM6_PASS_ULID_EQ_LOC },
	{ "context 2 default: rewritten (A2,B3)", 0, A1, B2, "udp,pay32", 0, 0xf, 0, A2, B3,
	  "shim,udp,pay32", TAG2_PEER, OK, SHIM6_PASS_REWRITTEN },
	{ "context 2 mark 1 -> ULID pair, unchanged", 0, A1, B2, "udp,pay32", 1, 0xf, 0, NULL, NULL,
	  NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC, SHIM6_PASS_PATH_CHOSEN },
	{ "context 2 mark 2: missing -> default rewrite", 0, A1, B2, "udp,pay32", 2, 0xf, 0, A2, B3,
	  "shim,udp,pay32", TAG2_PEER, OK, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_MISSING },
	{ "mark 1 + redirect to the path's device", 0, A1, B1, "udp,pay32", 1, 0xf, 0, A2, B3,
	  "shim,udp,pay32", TAG1_PEER, REDIR, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN, 0, 1 },
	{ "gso + mark 1 -> segmentation stage, counted there", 0, A1, B1, "tcp,pay100", 1, 0xf, 0,
	  NULL, NULL, NULL, 0, REDIR, SHIM6_PASS_TO_SEGMENT, 0, 1400, 0, SEG_IFINDEX },
	{ "gso, no mark, ULID default: not segmented", 0, A1, B1, "tcp,pay100", 0, 0xf, 0, NULL,
	  NULL, NULL, 0, OK, SHIM6_PASS_ULID_EQ_LOC, 0, 1400, 0, SEG_IFINDEX },
	{ "seg_in: segment with mark 1 -> path 1", 1, A1, B1, "tcp,pay100", 1, 0xf, 0, A2, B3,
	  "shim,tcp,pay100", TAG1_PEER, REDIR, SHIM6_PASS_REWRITTEN, SHIM6_PASS_PATH_CHOSEN, 0, 1,
	  SEG_IFINDEX },
	{ "seg_in: segment with mark 2 (broken) -> default", 1, A1, B1, "tcp,pay100", 2, 0xf, 0,
	  NULL, NULL, NULL, 0, REDIR, SHIM6_PASS_ULID_EQ_LOC, SHIM6_PASS_PATH_BROKEN, 0, 1,
	  SEG_IFINDEX },
};

static union shim6_addr U(const char *s)
{
	struct in6_addr a = pb_addr(s);
	union shim6_addr u;

	memcpy(u.b, &a, 16);
	return u;
}

static int setup(struct dp *dp, struct shim6_maps *m)
{
	struct dp_ctx c1 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B1),
		.loc_local = pb_addr(A1), .loc_peer = pb_addr(B1),
		.local_tag = TAG1_LOCAL, .peer_tag = TAG1_PEER, .ifindex = 1,
		.extra_local = pb_addr(A2), .has_extra_local = true,
		.extra_peer = pb_addr(B3), .has_extra_peer = true,
	};
	struct dp_ctx c2 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER, .ifindex = 1,
	};
	union shim6_addr a1 = U(A1), a2 = U(A2), b1 = U(B1), b2 = U(B2), b3 = U(B3);
	int err = dp_open(dp, 0);

	if (err)
		return err;
	dp_maps(dp, m);
	err = dp_ctx_add(dp, &c1) ?: dp_ctx_add(dp, &c2) ?:
	      shim6_path_add(m, TAG1_LOCAL, 1, &a2, &b3, 1) ?:
	      shim6_path_add(m, TAG1_LOCAL, 2, &a2, &b1, 1) ?:
	      shim6_path_set_broken(m, TAG1_LOCAL, 2, true) ?:
	      shim6_path_add(m, TAG1_LOCAL, 3, &a1, &b3, 1) ?:
	      shim6_path_add(m, TAG2_LOCAL, 1, &a1, &b2, 1);
	if (err) {
		dp_maps_release(m);
		dp_close(dp);
	}
	return err;
}

/* Every counter zero except `a` and `b` (if not 0) == 1. */
static bool counters_are(struct dp *dp, enum shim6_reason a, enum shim6_reason b)
{
	bool ok = true;

	for (int r = 0; r < SHIM6_REASON_MAX; r++) {
		uint64_t want = (r == (int)a || (b && r == (int)b)) ? 1 : 0;
		uint64_t n = dp_count(dp, r);

		if (n != want) {
			char what[64];

			snprintf(what, sizeof(what), "counter %d", r);
			ok = ASSERT_EQ(n, want, what) && ok;
		}
	}
	return ok;
}

TEST(mpath_egress)
{
	struct shim6_maps m;
	struct dp dp;
	struct pb in, want;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp, &m), "load, fill maps and path tables"))
		return;
	for (size_t i = 0; i < sizeof(mp_cases) / sizeof(mp_cases[0]); i++) {
		const struct mp_case *c = &mp_cases[i];
		struct shim6_cfg cfg = { .flags = c->redirect ? 0 : NOR,
					.seg_ifindex = c->seg_ifindex };
		struct shim6_mark_rule rule = { .mask = c->mask, .shift = c->shift, .probe = 0x100 };
		int fd = bpf_program__fd(c->seg ? dp.eg->progs.shim6_seg_in : dp.eg->progs.shim6_egress);

		SUBTEST("%s", c->name);
		fx_build(&in, c->src, c->dst, c->layers, 0, NULL, NULL);
		if (c->olayers)
			fx_build(&want, c->osrc, c->odst, c->olayers, c->otag, c->src, c->dst);
		else
			want = in;
		dp_cfg_set(&dp, &cfg);
		ASSERT_OK(shim6_mark_rule_set(&m, &rule), "mark rule");
		dp_count_reset(&dp);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		r.mark = c->mark;
		r.gso_size = c->gso_size;
		r.gso_segs = c->gso_size ? 2 : 0;
		if (!ASSERT_OK(dp_run_tc(fd, &r), "test_run"))
			continue;
		ASSERT_EQ(r.retval, c->retval, "verdict");
		ASSERT_MEMEQ(r.out, r.out_len, want.d, want.len, "output packet");
		counters_are(&dp, c->reason, c->extra);
	}
	dp_maps_release(&m);
	dp_close(&dp);
}

/* Per-path traffic and last-send; the default path's share in the listing. */
TEST(mpath_egress_counters)
{
	struct shim6_path_info pi[SHIM6_MAX_PATHS];
	struct shim6_mark_rule rule = { .mask = 0xf };
	struct shim6_maps m;
	struct shim6_path pa;
	struct dp dp;
	struct pb in;
	static struct dp_run r;
	int fd, n;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp, &m), "load, fill maps and path tables"))
		return;
	{
		struct shim6_cfg cfg = { .flags = NOR };

		dp_cfg_set(&dp, &cfg);
	}
	shim6_mark_rule_set(&m, &rule);
	fd = bpf_program__fd(dp.eg->progs.shim6_egress);
	fx_build(&in, A1, B1, "udp,pay32", 0, NULL, NULL);	/* 80 bytes of IPv6 */
	memset(&r, 0, sizeof(r));
	r.in = in.d;
	r.in_len = in.len;
	SUBTEST("3 packets on path 1, 2 on the default, 1 to the broken path 2");
	r.mark = 1;
	for (int i = 0; i < 3; i++)
		ASSERT_OK(dp_run_tc(fd, &r), "run mark 1");
	r.mark = 0;
	for (int i = 0; i < 2; i++)
		ASSERT_OK(dp_run_tc(fd, &r), "run mark 0");
	r.mark = 2;
	ASSERT_OK(dp_run_tc(fd, &r), "run mark 2");
	if (ASSERT_OK(shim6_path_get(&m, TAG1_LOCAL, 1, &pa), "path 1")) {
		ASSERT_EQ(pa.tx_packets, 3, "path 1 tx_packets");
		ASSERT_EQ(pa.tx_bytes, 3 * 88, "path 1 tx_bytes (with the Shim6 header)");
		ASSERT_NEQ(pa.last_send, 0, "path 1 last_send");
	}
	if (ASSERT_OK(shim6_path_get(&m, TAG1_LOCAL, 2, &pa), "path 2")) {
		ASSERT_EQ(pa.tx_packets, 0, "broken path 2 sent nothing");
		ASSERT_EQ(pa.last_send, 0, "broken path 2 no last_send");
	}
	n = shim6_path_list(&m, TAG1_LOCAL, pi, SHIM6_MAX_PATHS);
	if (ASSERT_EQ(n, 4, "default + 3 paths listed")) {
		ASSERT_EQ(pi[0].index, 0, "row 0 is the default");
		ASSERT_EQ(pi[0].tx_packets, 3, "default path: 2 unmarked + 1 fallback");
		ASSERT_EQ(pi[1].index, 1, "row 1");
		ASSERT_EQ(pi[1].tx_packets, 3, "row 1 tx");
		ASSERT_TRUE(pi[2].flags & SHIM6_PATH_F_BROKEN, "row 2 broken");
		ASSERT_EQ(pi[3].index, 3, "row 3");
	}
	SUBTEST("path 2 back to ok: its packets take it");
	ASSERT_OK(shim6_path_set_broken(&m, TAG1_LOCAL, 2, false), "state ok");
	dp_count_reset(&dp);
	ASSERT_OK(dp_run_tc(fd, &r), "run mark 2");
	ASSERT_EQ(dp_count(&dp, SHIM6_PASS_PATH_CHOSEN), 1, "chosen");
	ASSERT_EQ(dp_count(&dp, SHIM6_PASS_REWRITTEN), 1, "rewritten");
	SUBTEST("path del: its index falls back, the last one clears the flag");
	ASSERT_OK(shim6_path_del(&m, TAG1_LOCAL, 2), "del 2");
	dp_count_reset(&dp);
	ASSERT_OK(dp_run_tc(fd, &r), "run mark 2");
	ASSERT_EQ(dp_count(&dp, SHIM6_PASS_PATH_MISSING), 1, "missing");
	ASSERT_EQ(shim6_path_del(&m, TAG1_LOCAL, 2), -ENOENT, "del 2 again");
	ASSERT_OK(shim6_path_del(&m, TAG1_LOCAL, 1), "del 1");
	ASSERT_OK(shim6_path_del(&m, TAG1_LOCAL, 3), "del 3");
	{
		struct shim6_ulid_key uk;
		struct shim6_egress_ctx eg;
		struct shim6_ingress_ctx ic;

		if (ASSERT_OK(shim6_ctx_get(&m, TAG1_LOCAL, &uk, &eg, &ic), "ctx")) {
			ASSERT_FALSE(eg.flags & SHIM6_CTX_F_PATHS, "egress PATHS cleared");
			ASSERT_FALSE(ic.flags & SHIM6_ICTX_F_PATHS, "ingress PATHS cleared");
		}
	}
	dp_count_reset(&dp);
	r.mark = 1;
	ASSERT_OK(dp_run_tc(fd, &r), "run mark 1");
	ASSERT_EQ(dp_count(&dp, SHIM6_PASS_PATH_MISSING), 0, "no table: mark not looked at");
	ASSERT_EQ(dp_count(&dp, SHIM6_PASS_ULID_EQ_LOC), 1, "default");
	SUBTEST("loader checks: index range, locators, context");
	{
		union shim6_addr a1 = U(A1), a9 = U(A9), b1 = U(B1);

		ASSERT_EQ(shim6_path_add(&m, TAG1_LOCAL, 0, &a1, &b1, 1), -ERANGE, "index 0");
		ASSERT_EQ(shim6_path_add(&m, TAG1_LOCAL, 16, &a1, &b1, 1), -ERANGE, "index 16");
		ASSERT_EQ(shim6_path_add(&m, TAG1_LOCAL, 1, &a9, &b1, 1), -EINVAL, "foreign local");
		ASSERT_EQ(shim6_path_add(&m, TAG1_LOCAL, 1, &a1, &a1, 1), -EINVAL, "local as peer");
		ASSERT_EQ(shim6_path_add(&m, 0x4242, 1, &a1, &b1, 1), -ENOENT, "no context");
		{
			struct shim6_mark_rule bad = { .mask = 0xff, .probe = 0x80 };

			ASSERT_EQ(shim6_mark_rule_set(&m, &bad), -EINVAL, "probe bit inside the mask");
			bad.probe = 0;
			bad.shift = 32;
			ASSERT_EQ(shim6_mark_rule_set(&m, &bad), -ERANGE, "shift 32");
		}
	}
	dp_maps_release(&m);
	dp_close(&dp);
}

/* Receive: any pair of the context is accepted, and accounted per pair. */
TEST(mpath_ingress)
{
	static const struct {
		const char *name, *src, *dst, *layers;
		uint64_t tag;
		const char *osrc, *odst, *olayers;
		enum shim6_reason reason;
	} rows[] = {
		{ "path pair (B3 -> A2)", B3, A2, "shim,udp,pay32", TAG1_LOCAL, B1, A1, "udp,pay32",
		  SHIM6_PASS_RESTORED },
		{ "again on (B3 -> A2)", B3, A2, "shim,udp,pay32", TAG1_LOCAL, B1, A1, "udp,pay32",
		  SHIM6_PASS_RESTORED },
		{ "a pair not in the table (B1 -> A2)", B1, A2, "shim,udp,pay32", TAG1_LOCAL, B1, A1,
		  "udp,pay32", SHIM6_PASS_RESTORED },
		{ "ULID pair without header", B1, A1, "udp,pay32", 0, NULL, NULL, NULL,
		  SHIM6_PASS_ULID_EQ_LOC },
		{ "foreign source still dropped", B9, A2, "shim,udp", TAG1_LOCAL, NULL, NULL, NULL,
		  SHIM6_DROP_FOREIGN_SRC },
	};
	static const struct {
		const char *l, *p;
		uint64_t packets;
	} want[] = { { A2, B3, 2 }, { A2, B1, 1 }, { A1, B1, 1 }, { A2, B9, 0 } };
	struct shim6_maps m;
	struct dp dp;
	struct pb in, out;
	static struct dp_run r;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp, &m), "load, fill maps and path tables"))
		return;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		SUBTEST("tc: %s", rows[i].name);
		fx_build(&in, rows[i].src, rows[i].dst, rows[i].layers, rows[i].tag,
			 rows[i].osrc ?: rows[i].src, rows[i].odst ?: rows[i].dst);
		if (rows[i].olayers)
			fx_build(&out, rows[i].osrc, rows[i].odst, rows[i].olayers, 0, NULL, NULL);
		else
			out = in;
		dp_count_reset(&dp);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		if (!ASSERT_OK(dp_run_tc(bpf_program__fd(dp.in->progs.shim6_tc_in), &r), "test_run"))
			continue;
		ASSERT_EQ(r.retval, rows[i].reason >= SHIM6_VERDICT_MAX_ ? SHOT : OK, "verdict");
		if (rows[i].reason < SHIM6_VERDICT_MAX_)
			ASSERT_MEMEQ(r.out, r.out_len, out.d, out.len, "output packet");
		counters_are(&dp, rows[i].reason, 0);
	}
	SUBTEST("per-pair receive stamps and counters");
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		union shim6_addr l = U(want[i].l), p = U(want[i].p);
		struct shim6_pair_rx rx;
		char what[96];
		int err = shim6_pair_get(&m, TAG1_LOCAL, &l, &p, &rx);

		snprintf(what, sizeof(what), "pair %s <- %s", want[i].l, want[i].p);
		if (!want[i].packets) {
			ASSERT_EQ(err, -ENOENT, what);
			continue;
		}
		if (!ASSERT_OK(err, what))
			continue;
		ASSERT_EQ(rx.rx_packets, want[i].packets, what);
		ASSERT_NEQ(rx.last_recv, 0, what);
	}
	SUBTEST("xdp: path pair accounted too");
	{
		union shim6_addr l = U(A1), p = U(B3);
		struct shim6_pair_rx rx;

		fx_build(&in, B3, A1, "shim,udp,pay32", TAG1_LOCAL, B1, A1);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_xdp(bpf_program__fd(dp.in->progs.shim6_xdp_in), &r), "test_run");
		if (ASSERT_OK(shim6_pair_get(&m, TAG1_LOCAL, &l, &p, &rx), "pair A1 <- B3"))
			ASSERT_EQ(rx.rx_packets, 1, "rx_packets");
	}
	SUBTEST("context without a table: no pair entries");
	{
		union shim6_addr l = U(A2), p = U(B3);
		struct shim6_pair_rx rx;

		shim6_path_del(&m, TAG2_LOCAL, 1);
		fx_build(&in, B3, A2, "shim,udp,pay32", TAG2_LOCAL, B2, A1);
		memset(&r, 0, sizeof(r));
		r.in = in.d;
		r.in_len = in.len;
		ASSERT_OK(dp_run_tc(bpf_program__fd(dp.in->progs.shim6_tc_in), &r), "test_run");
		ASSERT_EQ(shim6_pair_get(&m, TAG2_LOCAL, &l, &p, &rx), -ENOENT, "no entry");
	}
	SUBTEST("context del purges paths and pairs");
	{
		union shim6_addr l = U(A2), p = U(B3);
		struct shim6_pair_rx rx;
		struct shim6_path pa;

		ASSERT_OK(shim6_ctx_del(&m, TAG1_LOCAL, NULL), "ctx del");
		ASSERT_EQ(shim6_path_get(&m, TAG1_LOCAL, 1, &pa), -ENOENT, "path 1 gone");
		ASSERT_EQ(shim6_pair_get(&m, TAG1_LOCAL, &l, &p, &rx), -ENOENT, "pair gone");
	}
	dp_maps_release(&m);
	dp_close(&dp);
}
