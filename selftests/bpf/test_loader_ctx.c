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
#include "loader/fbd.h"
#include "loader/loader.h"

static union shim6_addr A(const char *s)
{
	struct in6_addr a = pb_addr(s);
	union shim6_addr u;

	memcpy(u.b, &a, 16);
	return u;
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
	dp_maps(&dp, &m);
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

	SUBTEST("add: an FBD slot, stamped by egress, read through the mapping");
	{
		struct shim6_ingress_ctx in;
		struct shim6_fbd f;

		if (ASSERT_OK(shim6_ctx_get(&m, c.local_tag, &ulids, &eg, &in), "ctx_get") &&
		    ASSERT_NEQ(in.fbd_slot, 0, "a slot")) {
			ASSERT_OK(shim6_fbd_read(&m, in.fbd_slot, c.local_tag, &f), "read");
			ASSERT_NEQ(f.last_send, 0, "the egress run stamped last_send");
			ASSERT_EQ(f.send_start, f.last_send, "first send: the Send Timer starts");
			ASSERT_EQ(shim6_fbd_read(&m, in.fbd_slot, c.local_tag + 1, &f), -ENOENT,
				  "another tag does not own it");
		}
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
	{
		struct shim6_ingress_ctx in = {};

		shim6_ctx_get(&m, c.local_tag, &ulids, &eg, &in);
		ASSERT_OK(shim6_ctx_del(&m, c.local_tag, &ulids), "ctx_del");
		ASSERT_TRUE(in.fbd_slot && !m.fbd_mem[in.fbd_slot].owner &&
			    !m.fbd_mem[in.fbd_slot].last_send, "slot given back, stamps cleared");
	}
	maps_empty(&m, "after ctx_del");
	ASSERT_EQ(shim6_ctx_del(&m, c.local_tag, NULL), -ENOENT, "second del");
	if (ASSERT_OK(shim6_ctx_add(&m, &c), "add again")) {
		bad = c;
		bad.ulid_peer = A("2001:db8:c1::c");
		ASSERT_EQ(shim6_ctx_del_known(&m, &bad), -EINVAL, "del_known with other ULIDs");
		ASSERT_OK(shim6_ctx_del_known(&m, &c), "ctx_del_known");
		maps_empty(&m, "after ctx_del_known");
		for (uint32_t i = 1; i < m.fbd_n; i++)
			if (!ASSERT_EQ(m.fbd_mem[i].owner, 0, "every slot free again"))
				break;
	}
	dp_maps_release(&m);
	dp_close(&dp);
}

/* The slot allocator on a small array: unique slots, full, reuse, ownership. */
TEST(loader_fbd_slots)
{
	struct shim6_maps m;
	uint32_t got[4];
	struct shim6_fbd f;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(dp_open(&dp, 4), "open+load with 4 contexts"))
		return;
	dp_maps(&dp, &m);
	if (!ASSERT_OK_PTR(m.fbd_mem, "mapped") || !ASSERT_EQ(m.fbd_n, 5, "4 slots + unused 0"))
		goto out;
	for (int i = 0; i < 4; i++) {
		got[i] = shim6_fbd_claim(&m, 0x100 + (uint64_t)i);
		ASSERT_TRUE(got[i] >= 1 && got[i] <= 4, "a slot in 1..4");
		for (int j = 0; j < i; j++)
			ASSERT_NEQ(got[i], got[j], "not given twice");
	}
	ASSERT_EQ(shim6_fbd_claim(&m, 0x200), 0, "full: no slot (the context works without)");
	m.fbd_mem[got[1]].last_recv = 77;
	ASSERT_OK(shim6_fbd_read(&m, got[1], 0x101, &f), "owner reads");
	ASSERT_EQ(f.last_recv, 77, "what the data plane wrote");
	shim6_fbd_release(&m, got[1], 0x999);
	ASSERT_EQ(m.fbd_mem[got[1]].owner, SHIM6_FBD_OWNED | 0x101, "a stranger cannot release it");
	shim6_fbd_release(&m, got[1], 0x101);
	ASSERT_EQ(shim6_fbd_read(&m, got[1], 0x101, &f), -ENOENT, "released");
	ASSERT_EQ(shim6_fbd_claim(&m, 0x300), got[1], "the freed slot is reused");
	ASSERT_EQ(m.fbd_mem[got[1]].last_recv, 0, "with its stamps cleared");
out:
	dp_maps_release(&m);
	dp_close(&dp);
}
