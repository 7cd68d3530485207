// SPDX-License-Identifier: GPL-2.0
/*
 * The loader's context writer (loader/ctx.c, used by `shim6ctl context` and
 * `path set`) against the production objects: after shim6_ctx_add() the
 * egress program rewrites and the ingress program restores; set_path moves
 * the pair and the ICMP map entry; refused inputs leave nothing behind;
 * both delete paths empty every map.
 */
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/pkt.h"
#include "loader/loader.h"

static union shim6_addr A(const char *s)
{
	struct in6_addr a = pb_addr(s);
	union shim6_addr u;

	memcpy(u.b, &a, 16);
	return u;
}

static void maps_of(struct dp *dp, struct shim6_maps *m)
{
	m->ulid = bpf_map__fd(dp->eg->maps.shim6_ulid);
	m->tag = bpf_map__fd(dp->eg->maps.shim6_tag);
	m->loc = bpf_map__fd(dp->eg->maps.shim6_loc);
	m->ptag = bpf_map__fd(dp->eg->maps.shim6_ptag);
	m->flow = bpf_map__fd(dp->eg->maps.shim6_flow);
	m->cfg = bpf_map__fd(dp->eg->maps.shim6_cfg);
	m->stats = bpf_map__fd(dp->eg->maps.shim6_stats);
	m->events = bpf_map__fd(dp->eg->maps.shim6_events);
	m->path = bpf_map__fd(dp->eg->maps.shim6_path);
	m->pair = bpf_map__fd(dp->eg->maps.shim6_pair);
	m->mark = bpf_map__fd(dp->eg->maps.shim6_mark);
}

static struct shim6_ctx_spec spec(void)
{
	struct shim6_ctx_spec c = {
		.ulid_local = A("2001:db8:a1::a"),
		.ulid_peer = A("2001:db8:b1::b"),
		.local_tag = 0x1a1a,
		.peer_tag = 0x2b2b,
		.n_local = 1,
		.n_peer = 1,
		.loc_local = A("2001:db8:a2::a"),
		.loc_peer = A("2001:db8:b2::b"),
	};

	c.local_locs[0] = c.loc_local;
	c.peer_locs[0] = c.loc_peer;
	return c;
}

static bool maps_empty(const struct shim6_maps *m, const char *what)
{
	bool ok = true;

	ok &= ASSERT_EQ(shim6_map_count(m->ulid), 0, what);
	ok &= ASSERT_EQ(shim6_map_count(m->tag), 0, what);
	ok &= ASSERT_EQ(shim6_map_count(m->loc), 0, what);
	ok &= ASSERT_EQ(shim6_map_count(m->ptag), 0, what);
	return ok;
}

/* A->B UDP on the ULIDs through shim6_egress; returns the output length. */
static uint32_t run_egress(struct dp *dp, struct dp_run *r, struct pb *b)
{
	struct in6_addr s = pb_addr("2001:db8:a1::a"), d = pb_addr("2001:db8:b1::b");

	pb_init(b);
	pb_eth(b);
	pb_ipv6(b, &s, &d);
	pb_udp(b, 1000, 2000);
	pb_pattern(b, 64);
	pb_finish(b, NULL, NULL);
	memset(r, 0, sizeof(*r));
	r->in = b->d;
	r->in_len = (uint32_t)b->len;
	if (dp_run_tc(bpf_program__fd(dp->eg->progs.shim6_egress), r))
		return 0;
	return r->out_len;
}

TEST(loader_ctx)
{
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT };
	struct shim6_ctx_spec c = spec(), bad;
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	union shim6_addr ul, up;
	struct shim6_maps m;
	struct dp_run r;
	struct pb b;
	struct dp dp;

	if (!runner_is_root()) {
		SUBTEST("loader context writer");
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(dp_open(&dp, 0), "open+load"))
		return;
	maps_of(&dp, &m);
	dp_cfg_set(&dp, &cfg);

	SUBTEST("add: maps filled, egress rewrites to the path");
	if (ASSERT_OK(shim6_ctx_add(&m, &c), "ctx_add")) {
		ASSERT_EQ(shim6_map_count(m.loc), 4, "ULIDs + one locator per side");
		ASSERT_EQ(shim6_map_count(m.ptag), 1, "ICMP reverse entry");
		ASSERT_OK(shim6_ctx_get(&m, c.local_tag, &ulids, &eg, NULL), "ctx_get");
		ASSERT_TRUE(eg.flags & SHIM6_CTX_F_REWRITE, "rewrite flag");
		ASSERT_EQ(run_egress(&dp, &r, &b), (uint32_t)b.len + SHIM6_PAYLOAD_HLEN, "pushed");
		ASSERT_MEMEQ(r.out + 14 + 8, 32, &c.loc_local, 32, "addresses = locator pair");
	}

	SUBTEST("refused: duplicate tag, duplicate ULIDs, path outside the sets");
	ASSERT_EQ(shim6_ctx_add(&m, &c), -EEXIST, "same context again");
	bad = c;
	bad.local_tag = 0x77;
	ASSERT_EQ(shim6_ctx_add(&m, &bad), -EEXIST, "same ULID pair, other tag");
	bad = spec();
	bad.local_tag = 0x78;
	bad.ulid_peer = A("2001:db8:c1::c");
	bad.loc_peer = A("2001:db8:99::9");
	bad.n_peer = 0;
	ASSERT_EQ(shim6_ctx_add(&m, &bad), -EINVAL, "path not in the peer set");
	ASSERT_EQ(shim6_map_count(m.loc), 4, "refused add left no locator");
	ASSERT_EQ(shim6_map_count(m.tag), 1, "refused add left no tag");

	SUBTEST("set_path: back to the ULIDs, then to a foreign locator");
	ul = c.ulid_local;
	up = c.ulid_peer;
	if (ASSERT_OK(shim6_ctx_set_path(&m, c.local_tag, &ul, &up, 3, &ulids), "to ULIDs")) {
		ASSERT_OK(shim6_ctx_get(&m, c.local_tag, &ulids, &eg, NULL), "ctx_get");
		ASSERT_FALSE(eg.flags & SHIM6_CTX_F_REWRITE, "no rewrite on the ULID pair");
		ASSERT_EQ(eg.ifindex, 3, "ifindex stored");
		ASSERT_EQ(shim6_map_count(m.ptag), 1, "old ICMP entry replaced");
		ASSERT_EQ(run_egress(&dp, &r, &b), (uint32_t)b.len, "passes unchanged");
	}
	up = A("2001:db8:99::9");
	ASSERT_EQ(shim6_ctx_set_path(&m, c.local_tag, &ul, &up, 3, &ulids), -EINVAL, "foreign");
	ASSERT_EQ(shim6_ctx_set_path(&m, 0x4242, &ul, &ul, 3, &ulids), -ENOENT, "unknown tag");

	SUBTEST("del (walk) and del_known empty every map");
	ASSERT_OK(shim6_ctx_del(&m, c.local_tag, &ulids), "ctx_del");
	maps_empty(&m, "after ctx_del");
	ASSERT_EQ(shim6_ctx_del(&m, c.local_tag, NULL), -ENOENT, "second del");
	if (ASSERT_OK(shim6_ctx_add(&m, &c), "add again")) {
		bad = c;
		bad.ulid_peer = A("2001:db8:c1::c");
		ASSERT_EQ(shim6_ctx_del_known(&m, &bad), -EINVAL, "del_known with other ULIDs");
		ASSERT_OK(shim6_ctx_del_known(&m, &c), "ctx_del_known");
		maps_empty(&m, "after ctx_del_known");
	}
	dp_close(&dp);
}
