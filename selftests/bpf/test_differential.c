// SPDX-License-Identifier: GPL-2.0
/*
 * Differential and accounting properties over many mutated packets
 * (deterministic PRNG, so a failure is reproducible):
 *  - shim6_xdp_in and shim6_tc_in, one packet library, give the same verdict
 *    and the same output bytes for every input;
 *  - every run of every program counts exactly one reason.
 */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 400

static uint64_t rng = 0x5eed5eed12345678ULL;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static uint64_t total(struct dp *dp)
{
	uint64_t n = 0;

	for (int r = 0; r < SHIM6_REASON_MAX; r++)
		n += dp_count(dp, r);
	return n;
}

static int setup(struct dp *dp)
{
	struct dp_ctx c2 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER, .ifindex = 1,
	};
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT, .unknown_tag_rate = 1 };
	int err = dp_open(dp, 0);

	if (err)
		return err;
	err = dp_ctx_add(dp, &c2) ?: dp_cfg_set(dp, &cfg);
	if (err)
		dp_close(dp);
	return err;
}

TEST(differential)
{
	static const struct {
		const char *src, *dst, *layers;
	} base[] = {
		{ B3, A2, "shim,udp,pay32" },
		{ B3, A2, "hbh8,rt24,shim,dst8,frag0,udp,pay8" },
		{ A1, B2, "hbh8,udp,pay16" },
		{ B1, A1, "icmp135,pay24" },
		{ B3, A2, "ctrl" },
	};
	static struct dp_run rx, rt, re;
	struct pb in, icmp_q;
	struct dp dp;
	int mismatches = 0, miscount = 0;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	/* an ICMP error quoting a shimmed packet, as a sixth base */
	fx_build(&icmp_q, A2, B3, "shim,udp,pay32", TAG2_PEER, A1, B2);

	for (int i = 0; i < ROUNDS; i++) {
		size_t b = next_rand() % 6, nmut = 1 + next_rand() % 3;
		uint64_t before;

		if (b < 5) {
			fx_build(&in, base[b].src, base[b].dst, base[b].layers, TAG2_LOCAL, NULL,
				 NULL);
		} else {
			struct in6_addr s = pb_addr("2001:db8:ff::1"), d = pb_addr(A2);

			pb_init(&in);
			pb_eth(&in);
			pb_ipv6(&in, &s, &d);
			pb_icmp6(&in, 2, 0, 1400);
			pb_bytes(&in, icmp_q.d + 14, icmp_q.len - 14);
			pb_finish(&in, NULL, NULL);
		}
		/* mutate bytes after the Ethernet header, sometimes cut the tail */
		for (size_t m = 0; m < nmut; m++)
			in.d[14 + next_rand() % (in.len - 14)] = next_rand();
		if (next_rand() % 4 == 0)
			in.len = 54 + next_rand() % (in.len - 54 + 1);

		memset(&rx, 0, sizeof(rx));
		memset(&rt, 0, sizeof(rt));
		memset(&re, 0, sizeof(re));
		rx.in = rt.in = re.in = in.d;
		rx.in_len = rt.in_len = re.in_len = in.len;

		before = total(&dp);
		if (dp_run_xdp(bpf_program__fd(dp.in->progs.shim6_xdp_in), &rx) ||
		    dp_run_tc(bpf_program__fd(dp.in->progs.shim6_tc_in), &rt) ||
		    dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &re)) {
			runner_fail(__FILE__, __LINE__, "test_run failed in round %d", i);
			break;
		}
		if (total(&dp) - before != 3)
			miscount++;
		if ((rx.retval == XDP_PASS) != (rt.retval == TC_ACT_OK) ||
		    (rx.retval == XDP_PASS && (rx.out_len != rt.out_len ||
					       memcmp(rx.out, rt.out, rx.out_len)))) {
			if (mismatches++ == 0) {
				printf("    round %d: xdp %u tc %u\n", i, rx.retval, rt.retval);
				runner_hexdiff("xdp vs tc", rx.out, rx.out_len, rt.out, rt.out_len);
			}
		}
	}
	dp_events(&dp);
	/* the mutations must leave enough packets intact to mean something */
	ASSERT_TRUE(dp_count(&dp, SHIM6_PASS_RESTORED) >= ROUNDS / 20, "some packets restored");
	ASSERT_TRUE(dp_count(&dp, SHIM6_PASS_ICMP_TRANSLATED) >= 2, "some ICMP errors translated");
	ASSERT_TRUE(dp_count(&dp, SHIM6_DROP_MALFORMED) >= ROUNDS / 20, "some malformed");
	if (getenv("SHIM6_TEST_VERBOSE"))
		for (int r = 0; r < SHIM6_REASON_MAX; r++)
			if (dp_count(&dp, r))
				printf("    reason %d: %llu\n", r,
				       (unsigned long long)dp_count(&dp, r));
	ASSERT_EQ(mismatches, 0, "rounds where XDP and tc ingress differ");
	ASSERT_EQ(miscount, 0, "rounds not counting exactly one reason per program");
	dp_close(&dp);
}
