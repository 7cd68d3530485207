// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 5533 §8: ICMPv6 errors quoting a packet we sent with locators and a
 * Shim6 payload header reach the transport as if the ULIDs had been used.
 * Same table for XDP and tc; the expected packets are built from scratch
 * (checksum included), so the incremental checksum update is checked too.
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

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define RT "2001:db8:ff::1"

struct icmp_case {
	const char *name;
	const char *from;			/* who sends the error (to our locator A2) */
	uint8_t type, code;
	uint32_t data, want_data;
	const char *qsrc, *qdst, *qlayers;	/* the packet in error, as sent */
	uint64_t qtag;
	const char *wlayers;			/* the quote after translation; NULL: untouched */
	size_t qcut;				/* quote only this many bytes (0: all) */
	size_t wcut;
	enum shim6_reason reason;
};

static const struct icmp_case cases[] = {
	{ "packet too big", RT, 2, 0, 1400, 1392, A2, B3, "shim,udp,pay32", TAG2_PEER, "udp,pay32", 0,
	  0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "packet too big, tcp", RT, 2, 0, 1500, 1492, A2, B3, "shim,tcp,pay64", TAG2_PEER, "tcp,pay64",
	  0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "packet too big at the 1280 floor", RT, 2, 0, 1284, 1280, A2, B3, "shim,udp,pay32", TAG2_PEER,
	  "udp,pay32", 0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "port unreachable from the peer", B3, 1, 4, 0, 0, A2, B3, "shim,udp,pay32", TAG2_PEER,
	  "udp,pay32", 0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "time exceeded", RT, 3, 0, 0, 0, A2, B3, "shim,udp,pay32", TAG2_PEER, "udp,pay32", 0, 0,
	  SHIM6_PASS_ICMP_TRANSLATED },
	{ "quote with hbh before shim6", RT, 2, 0, 1400, 1392, A2, B3, "hbh8,shim,udp,pay8", TAG2_PEER,
	  "hbh8,udp,pay8", 0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "quote with hbh+rt and dst/frag after", RT, 1, 0, 0, 0, A2, B3,
	  "hbh8,rt24,shim,dst8,frag0,udp,pay8", TAG2_PEER, "hbh8,rt24,dst8,frag0,udp,pay8", 0, 0,
	  SHIM6_PASS_ICMP_TRANSLATED },
	{ "truncated quote", RT, 2, 0, 1400, 1392, A2, B3, "shim,udp,pay200", TAG2_PEER, "udp,pay200",
	  40 + 8 + 8 + 16, 40 + 8 + 16, SHIM6_PASS_ICMP_TRANSLATED },
	{ "param problem behind shim6", RT, 4, 0, 40 + 8 + 4, 40 + 4, A2, B3, "shim,udp,pay32",
	  TAG2_PEER, "udp,pay32", 0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "param problem before shim6", RT, 4, 0, 6, 6, A2, B3, "shim,udp,pay32", TAG2_PEER,
	  "udp,pay32", 0, 0, SHIM6_PASS_ICMP_TRANSLATED },
	{ "param problem inside shim6 (not translated)", RT, 4, 0, 40 + 2, 0, A2, B3,
	  "shim,udp,pay32", TAG2_PEER, NULL, 0, 0, SHIM6_PASS_ICMP },
	{ "quote without shim6 (not ours)", RT, 2, 0, 1400, 0, A1, B1, "udp,pay32", 0, NULL, 0, 0,
	  SHIM6_PASS_ICMP },
	{ "unknown peer tag", RT, 2, 0, 1400, 0, A2, B3, "shim,udp,pay32", 0x5555, NULL, 0, 0,
	  SHIM6_PASS_ICMP },
	{ "other locator pair", RT, 2, 0, 1400, 0, A2, B9, "shim,udp,pay32", TAG2_PEER, NULL, 0, 0,
	  SHIM6_PASS_ICMP },
	{ "quoted control message", RT, 1, 0, 0, 0, A2, B3, "ctrl", 0, NULL, 0, 0, SHIM6_PASS_ICMP },
	{ "quote cut inside shim6", RT, 2, 0, 1400, 0, A2, B3, "shim,udp,pay32", TAG2_PEER, NULL,
	  40 + 4, 0, SHIM6_PASS_ICMP },
};

static void icmp_error(struct pb *out, const char *from, uint8_t type, uint8_t code, uint32_t data,
		       const struct pb *quoted, size_t cut)
{
	struct in6_addr s = pb_addr(from), d = pb_addr(A2);

	pb_init(out);
	pb_eth(out);
	pb_ipv6(out, &s, &d);
	pb_icmp6(out, type, code, data);
	pb_bytes(out, quoted->d + 14, cut ? cut : quoted->len - 14);
	pb_finish(out, NULL, NULL);
}

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

TEST(icmp_errors)
{
	static struct dp_run r;
	struct pb q, wq, in, want;
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	for (int xdp = 1; xdp >= 0; xdp--) {
		int fd = xdp ? bpf_program__fd(dp.in->progs.shim6_xdp_in)
			     : bpf_program__fd(dp.in->progs.shim6_tc_in);

		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			const struct icmp_case *c = &cases[i];

			SUBTEST("%s/%s", xdp ? "xdp" : "tc", c->name);
			/* as our egress sent it: locators, Shim6 header, checksum over ULIDs */
			fx_build(&q, c->qsrc, c->qdst, c->qlayers, c->qtag, A1, B2);
			icmp_error(&in, c->from, c->type, c->code, c->data, &q, c->qcut);
			if (c->wlayers) {
				fx_build(&wq, A1, B2, c->wlayers, 0, A1, B2);
				icmp_error(&want, c->from, c->type, c->code, c->want_data, &wq,
					   c->wcut);
			} else {
				want = in;
			}
			dp_count_reset(&dp);
			memset(&r, 0, sizeof(r));
			r.in = in.d;
			r.in_len = in.len;
			if (!ASSERT_OK(xdp ? dp_run_xdp(fd, &r) : dp_run_tc(fd, &r), "test_run"))
				continue;
			ASSERT_EQ(r.retval, xdp ? XDP_PASS : TC_ACT_OK, "verdict");
			ASSERT_MEMEQ(r.out, r.out_len, want.d, want.len, "output packet");
			ASSERT_EQ(dp_count(&dp, c->reason), 1, "reason counter");
		}
	}
	dp_close(&dp);
}

/* An ICMPv6 echo is not an error: plain accounting, untouched. */
TEST(icmp_echo)
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
	fx_build(&in, NC, A1, "icmp128,pay32", 0, NULL, NULL);
	dp_count_reset(&dp);
	r.in = in.d;
	r.in_len = in.len;
	if (ASSERT_OK(dp_run_xdp(bpf_program__fd(dp.in->progs.shim6_xdp_in), &r), "test_run")) {
		ASSERT_EQ(r.retval, XDP_PASS, "verdict");
		ASSERT_MEMEQ(r.out, r.out_len, in.d, in.len, "untouched");
		ASSERT_EQ(dp_count(&dp, SHIM6_PASS_NO_CTX), 1, "no context");
	}
	dp_close(&dp);
}
