// SPDX-License-Identifier: GPL-2.0
/*
 * 1,000,000 contexts: the maps sized by the loader's rule (shim6_loc holds
 * SHIM6_LOC_PER_CTX entries per context) accept a million contexts written
 * with bpf_map_update_batch(), refuse one more, and the egress program still
 * finds and rewrites the last one.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/pkt.h"
#include "loader/loader.h"

#define N_CTX	1000000u
#define CHUNK	100000u

static void ulid_peer_of(union shim6_addr *a, uint32_t i)
{
	struct in6_addr base = pb_addr("fd00:1::");

	memcpy(a->b, &base, 16);
	a->w[3] = htonl(i);
}

/* Writes n entries [first, first+n) of shim6_ulid and shim6_tag in batches. */
static int fill(struct dp *dp, uint32_t first, uint32_t n)
{
	struct in6_addr ul = pb_addr("fd00::1"), ll = pb_addr("fd00:a::1"), lp = pb_addr("fd00:b::1");
	struct shim6_ulid_key *uk = calloc(CHUNK, sizeof(*uk));
	struct shim6_egress_ctx *ev = calloc(CHUNK, sizeof(*ev));
	struct shim6_ingress_ctx *iv = calloc(CHUNK, sizeof(*iv));
	uint64_t *tk = calloc(CHUNK, sizeof(*tk));
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t done = 0, i, cnt;
	int err = 0;

	if (!uk || !ev || !iv || !tk) {
		err = -ENOMEM;
		goto out;
	}
	while (done < n) {
		uint32_t m = n - done < CHUNK ? n - done : CHUNK;

		for (i = 0; i < m; i++) {
			uint32_t idx = first + done + i;

			memcpy(uk[i].local.b, &ul, 16);
			ulid_peer_of(&uk[i].peer, idx);
			memset(&ev[i], 0, sizeof(ev[i]));
			memcpy(ev[i].loc_local.b, &ll, 16);
			memcpy(ev[i].loc_peer.b, &lp, 16);
			ev[i].local_tag = idx + 1;
			ev[i].peer_tag = idx + 1;
			ev[i].flags = SHIM6_CTX_F_REWRITE;
			tk[i] = idx + 1;
			memset(&iv[i], 0, sizeof(iv[i]));
			iv[i].ulid_local = uk[i].local;
			iv[i].ulid_peer = uk[i].peer;
		}
		cnt = m;
		if (bpf_map_update_batch(bpf_map__fd(dp->eg->maps.shim6_ulid), uk, ev, &cnt, &opts)) {
			err = -errno;
			goto out;
		}
		cnt = m;
		if (bpf_map_update_batch(bpf_map__fd(dp->eg->maps.shim6_tag), tk, iv, &cnt, &opts)) {
			err = -errno;
			goto out;
		}
		done += m;
	}
out:
	free(uk);
	free(ev);
	free(iv);
	free(tk);
	return err;
}

TEST(ctx_capacity_1m)
{
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT };
	struct in6_addr ul = pb_addr("fd00::1"), up, lp = pb_addr("fd00:b::1");
	union shim6_addr last;
	struct dp_run r = {};
	struct pb b;
	struct dp dp;

	SUBTEST("1e6 contexts");
	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(dp_open(&dp, N_CTX), "open+load with 1e6 contexts"))
		return;
	if (!ASSERT_EQ(bpf_map__max_entries(dp.eg->maps.shim6_loc), N_CTX * SHIM6_LOC_PER_CTX,
		       "shim6_loc sized like the loader does"))
		goto out;
	if (!ASSERT_OK(fill(&dp, 0, N_CTX), "batch-insert 1e6 contexts"))
		goto out;
	ASSERT_EQ(shim6_map_count(bpf_map__fd(dp.eg->maps.shim6_ulid)), (long)N_CTX,
		  "shim6_ulid holds 1e6 entries");
	ASSERT_EQ(shim6_map_count(bpf_map__fd(dp.eg->maps.shim6_tag)), (long)N_CTX,
		  "shim6_tag holds 1e6 entries");
	ASSERT_EQ(fill(&dp, N_CTX, 1), -E2BIG, "context 1e6+1 refused (map full)");

	/* the data plane finds the last one */
	ASSERT_OK(dp_cfg_set(&dp, &cfg), "cfg: no redirect");
	ulid_peer_of(&last, N_CTX - 1);
	memcpy(&up, last.b, 16);
	pb_init(&b);
	pb_eth(&b);
	pb_ipv6(&b, &ul, &up);
	pb_udp(&b, 1000, 2000);
	pb_pattern(&b, 64);
	pb_finish(&b, NULL, NULL);
	r.in = b.d;
	r.in_len = (uint32_t)b.len;
	if (ASSERT_OK(dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r), "run egress")) {
		ASSERT_EQ(r.out_len, (uint32_t)b.len + SHIM6_PAYLOAD_HLEN, "header pushed");
		ASSERT_EQ(r.out[14 + 6], SHIM6_NEXTHDR, "next header 140");
		ASSERT_MEMEQ(r.out + 14 + 24, 16, &lp, 16, "destination = peer locator");
	}
out:
	dp_close(&dp);
}
