// SPDX-License-Identifier: GPL-2.0
/*
 * Packet fuzzing of the production data plane through BPF_PROG_TEST_RUN:
 * random and mutated packets (mutations of valid payload, control, ICMPv6
 * error, neighbour discovery and plain packets) go through shim6_xdp_in,
 * shim6_tc_in and shim6_egress with two contexts in the maps.  For every
 * run the harness checks:
 *  - exactly one reason counter moved, by one packet, and it is a known
 *    reason; a verdict reason (< 64) came with a pass return code, a drop
 *    reason (>= 64) with a drop code (the counters add up to the runs);
 *  - packets passed unchanged by their reason are byte-identical;
 *  - a rewritten packet (egress) carries the context's locators and one
 *    Shim6 header with the peer's tag, 8 bytes more; a restored packet
 *    (ingress) carries the context's ULIDs and no Shim6 header any more,
 *    8 bytes less; an ICMP error translated is 8 bytes less;
 *  - payload_len matches the frame length on output when it did on input;
 *  - a TCP/UDP/ICMPv6 checksum (over the ULIDs; for ICMP errors over the
 *    outer addresses) that verified on input still verifies on output.
 * Deterministic seed (PKTFUZZ_SEED, default 1); PKTFUZZ_N packets, each run
 * through the three programs: 100,000 in `make check` (about 25 s here),
 * 1,000,000 in `make reliability`.
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

#define ETH	14
#define IP6	40
#define L3	(ETH + IP6)

struct ctxdef {
	const char *ulid_local, *ulid_peer, *loc_local, *loc_peer;
	uint64_t local_tag, peer_tag;
};

static const struct ctxdef ctxs[] = {
	{ A1, B1, A1, B1, TAG1_LOCAL, TAG1_PEER },
	{ A1, B2, A2, B3, TAG2_LOCAL, TAG2_PEER },
};

static const char *const pool[] = { A1, A2, A9, B1, B2, B3, B9, NC };
static const uint64_t tags[] = { TAG1_LOCAL, TAG1_PEER, TAG2_LOCAL, TAG2_PEER, 0x999, 0 };

static uint64_t rng_s;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, no libc state */
	rng_s ^= rng_s >> 12;
	rng_s ^= rng_s << 25;
	rng_s ^= rng_s >> 27;
	return rng_s * 2685821657736338717ULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* ---- reading a packet ---- */

struct walk {
	int ok;			/* chain walked to a transport / end */
	uint8_t proto;		/* transport protocol (6, 17, 58) or what stopped the walk */
	uint32_t l4;		/* its offset */
	int n_shim;		/* Shim6 payload headers seen */
	uint64_t shim_tag;	/* tag of the first one */
	int frag;		/* a Fragment header is in the chain */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int is_ipv6(const uint8_t *p, uint32_t len)
{
	return len >= L3 && p[12] == 0x86 && p[13] == 0xdd && (p[ETH] >> 4) == 6;
}

static void walk_chain(const uint8_t *p, uint32_t len, struct walk *w)
{
	uint32_t off = L3;
	uint8_t nh = p[ETH + 6];

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < 12; i++) {
		if (nh == 0 || nh == 43 || nh == 60) {
			if (off + 2 > len)
				return;
			uint8_t next = p[off];

			off += (p[off + 1] + 1u) * 8;
			nh = next;
		} else if (nh == 44) {
			if (off + 8 > len)
				return;
			w->frag = 1;
			nh = p[off];
			off += 8;
		} else if (nh == 140) {
			if (off + 8 > len)
				return;
			if (!(p[off + 2] & 0x80)) {	/* control message: the end */
				w->ok = 1;
				w->proto = 140;
				w->l4 = off;
				return;
			}
			if (!w->n_shim++)
				w->shim_tag = (uint64_t)(p[off + 2] & 0x7f) << 40 |
					      (uint64_t)p[off + 3] << 32 | (uint64_t)p[off + 4] << 24 |
					      (uint64_t)p[off + 5] << 16 | (uint64_t)p[off + 6] << 8 |
					      p[off + 7];
			nh = p[off];
			off += 8;
		} else {
			w->ok = off <= len;
			w->proto = nh;
			w->l4 = off;
			return;
		}
	}
}

/* Checksum of the transport over pseudo-header (src, dst): 1 verifies, 0 not / none. */
static int l4_verifies(const uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst)
{
	uint32_t end, sum = 0, n, i;
	struct walk w;

	if (!is_ipv6(p, len))
		return 0;
	walk_chain(p, len, &w);
	if (!w.ok || w.frag || (w.proto != 6 && w.proto != 17 && w.proto != 58))
		return 0;
	end = L3 + get16(p + ETH + 4);
	if (end > len || w.l4 + (w.proto == 6 ? 20 : 8) > end)
		return 0;
	if (w.proto == 17 && get16(p + w.l4 + 6) == 0)
		return 0;	/* zero UDP checksum: invalid in IPv6 */
	n = end - w.l4;
	for (i = 0; i < 16; i += 2)
		sum += get16(src + i) + get16(dst + i);
	sum += (n >> 16) + (n & 0xffff) + w.proto;
	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + w.l4 + i);
	if (n & 1)
		sum += p[w.l4 + n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* Recompute the transport checksum over (src, dst) (when the chain allows it). */
static void l4_fix(uint8_t *p, uint32_t len, const uint8_t *src, const uint8_t *dst)
{
	uint32_t end, sum = 0, n, i, co;
	struct walk w;

	if (!is_ipv6(p, len))
		return;
	walk_chain(p, len, &w);
	if (!w.ok || w.frag || (w.proto != 6 && w.proto != 17 && w.proto != 58))
		return;
	end = L3 + get16(p + ETH + 4);
	co = w.l4 + (w.proto == 6 ? 16 : w.proto == 17 ? 6 : 2);
	if (end > len || co + 2 > end)
		return;
	p[co] = p[co + 1] = 0;
	n = end - w.l4;
	for (i = 0; i < 16; i += 2)
		sum += get16(src + i) + get16(dst + i);
	sum += (n >> 16) + (n & 0xffff) + w.proto;
	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + w.l4 + i);
	if (n & 1)
		sum += p[w.l4 + n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	if (!sum)
		sum = 0xffff;
	p[co] = sum >> 8;
	p[co + 1] = sum & 0xff;
}

/* ---- the packets ---- */

struct addrs {
	uint8_t a[sizeof(pool) / sizeof(pool[0])][16];
	struct {
		uint8_t ul[16], up[16], ll[16], lp[16];
	} c[2];
};

static struct addrs AD;

static void addrs_init(void)
{
	for (size_t i = 0; i < sizeof(pool) / sizeof(pool[0]); i++) {
		struct in6_addr x = pb_addr(pool[i]);

		memcpy(AD.a[i], &x, 16);
	}
	for (int i = 0; i < 2; i++) {
		struct in6_addr x;

		x = pb_addr(ctxs[i].ulid_local); memcpy(AD.c[i].ul, &x, 16);
		x = pb_addr(ctxs[i].ulid_peer);  memcpy(AD.c[i].up, &x, 16);
		x = pb_addr(ctxs[i].loc_local);  memcpy(AD.c[i].ll, &x, 16);
		x = pb_addr(ctxs[i].loc_peer);   memcpy(AD.c[i].lp, &x, 16);
	}
}

static const char *const layer_sets[] = {
	"udp,pay32", "tcp,pay100", "icmp128,pay16", "icmp129,pay16", "hbh8,udp,pay8",
	"hbh8,rt24,udp", "dst16,udp", "frag0,udp,pay16", "frag1,pay16", "icmp135,pay24",
	"icmp136,pay24", "ctrl", "hbh8,ctrl", "shim,udp,pay32", "shim,tcp,pay64",
	"hbh8,shim,udp,pay8", "shim,dst8,frag0,udp", "shim,icmp129,pay16", "hbh128,udp",
	"dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,dst8,udp",
};

/* A valid packet: random layers between addresses of the pool. */
static void gen_valid(struct pb *b)
{
	const char *src = pool[rn(8)], *dst = pool[rn(8)], *ps = NULL, *pd = NULL;
	const char *ly = layer_sets[rn(sizeof(layer_sets) / sizeof(layer_sets[0]))];
	uint64_t tag = tags[rn(sizeof(tags) / sizeof(tags[0]))];
	int c = rn(2);

	switch (rn(4)) {
	case 0:	/* egress of a context: ULIDs */
		src = ctxs[c].ulid_local;
		dst = ctxs[c].ulid_peer;
		break;
	case 1:	/* ingress of a context: the peer's locators, our tag, ULID checksum */
		src = ctxs[c].loc_peer;
		dst = ctxs[c].loc_local;
		tag = ctxs[c].local_tag;
		ps = ctxs[c].ulid_peer;
		pd = ctxs[c].ulid_local;
		break;
	}
	fx_build(b, src, dst, ly, tag, ps, pd);
}

/* An ICMPv6 error quoting a packet we sent with locators (or not). */
static void gen_icmp_error(struct pb *b)
{
	static const uint8_t types[] = { 1, 2, 3, 4 };
	int c = rn(2);
	struct pb q;
	struct in6_addr s, d;

	fx_build(&q, rn(4) ? ctxs[c].loc_local : pool[rn(8)], rn(4) ? ctxs[c].loc_peer : pool[rn(8)],
		 rn(2) ? "shim,udp,pay16" : "shim,tcp,pay32", rn(4) ? ctxs[c].peer_tag : rnd() & 0xffff,
		 ctxs[c].ulid_local, ctxs[c].ulid_peer);
	s = pb_addr(rn(4) ? B9 : ctxs[c].loc_peer);
	d = pb_addr(ctxs[c].loc_local);
	pb_init(b);
	pb_eth(b);
	pb_ipv6(b, &s, &d);
	pb_icmp6(b, types[rn(4)], 0, rn(2) ? 1280 : rn(64));
	pb_bytes(b, q.d + ETH, q.len - ETH - rn(3) * rn(40));
	pb_finish(b, NULL, NULL);
}

static void set_plen_from_len(uint8_t *p, uint32_t len)
{
	uint32_t v = len > L3 ? len - L3 : 0;

	p[ETH + 4] = v >> 8;
	p[ETH + 5] = v & 0xff;
}

/* Mutate in place; returns the new length. */
static uint32_t mutate(uint8_t *p, uint32_t len, uint32_t cap)
{
	int k = 1 + rn(3);

	while (k--) {
		switch (rn(9)) {
		case 0: case 1: {	/* flip bytes, mostly in the headers */
			int n = 1 + rn(4);

			while (n-- && len) {
				uint32_t at = rn(3) ? rn(len < 120 ? len : 120) : rn(len);

				p[at] ^= (uint8_t)(1 + rn(255));
			}
			break;
		}
		case 2:	/* truncate */
			if (len > 1)
				len = rn(4) ? len - 1 - rn(len > 16 ? 16 : len - 1) : rn(len);
			break;
		case 3: {	/* append */
			uint32_t n = 1 + rn(64);

			if (len + n <= cap) {
				for (uint32_t i = 0; i < n; i++)
					p[len + i] = (uint8_t)rnd();
				len += n;
			}
			if (rn(2))
				set_plen_from_len(p, len);
			break;
		}
		case 4:	/* payload_len */
			if (len > ETH + 6) {
				uint16_t v = (uint16_t)(rn(3) ? get16(p + ETH + 4) + rn(17) - 8 : rn(65536));

				p[ETH + 4] = v >> 8;
				p[ETH + 5] = v & 0xff;
			}
			break;
		case 5: {	/* a Next Header field in the chain */
			static const uint8_t nhs[] = { 0, 43, 44, 60, 140, 6, 17, 58, 59 };
			uint8_t v = rn(4) ? nhs[rn(sizeof(nhs))] : (uint8_t)rnd();
			uint32_t at = rn(2) || len < L3 + 8 ? ETH + 6 : L3 + 8 * rn((len - L3) / 8);

			if (at < len)
				p[at] = v;
			break;
		}
		case 6:	/* an address from the pool */
			if (len >= L3)
				memcpy(p + ETH + (rn(2) ? 8 : 24), AD.a[rn(8)], 16);
			break;
		case 7: {	/* a known tag into any 8-byte aligned slot after the IPv6 header */
			if (len >= L3 + 8) {
				uint32_t at = L3 + 8 * rn((len - L3) / 8);
				uint8_t h[8];

				pb_shim6_bytes(h, p[at], tags[rn(sizeof(tags) / sizeof(tags[0]))]);
				if (rn(4) == 0)
					h[2] &= 0x7f;	/* control */
				memcpy(p + at + 1, h + 1, 7);
			}
			break;
		}
		case 8:	/* a Hdr Ext Len */
			if (len > L3 + 1)
				p[L3 + 1 + 8 * rn((len - L3 - 1) / 8)] = rn(2) ? rn(3) : (uint8_t)rnd();
			break;
		}
	}
	return len;
}

/* Fill a packet: valid, mutated or random. */
static uint32_t gen(uint8_t *p, uint32_t cap)
{
	uint32_t len, r = rn(16);
	struct pb b;

	if (r == 0) {	/* random bytes, mostly with an IPv6 header start */
		len = rn(300);
		for (uint32_t i = 0; i < len; i++)
			p[i] = (uint8_t)rnd();
		if (len > L3 && rn(8)) {
			p[12] = 0x86;
			p[13] = 0xdd;
			p[ETH] = 0x60 | (p[ETH] & 0x0f);
			if (rn(2))
				set_plen_from_len(p, len);
		}
		return len;
	}
	if (r < 4)
		gen_icmp_error(&b);
	else
		gen_valid(&b);
	memcpy(p, b.d, b.len);
	len = b.len;
	if (r >= 6)
		len = mutate(p, len, cap);
	if (rn(2) && len >= L3) {
		/* make the transport checksum right again over a plausible pair */
		const uint8_t *s = p + ETH + 8, *d = p + ETH + 24;
		struct walk w;

		walk_chain(p, len, &w);
		for (int c = 0; c < 2 && w.n_shim; c++)
			if (w.shim_tag == ctxs[c].local_tag) {
				s = AD.c[c].up;
				d = AD.c[c].ul;
			}
		l4_fix(p, len, s, d);
	}
	return len;
}

/* ---- the checks ---- */

struct stats {
	uint64_t runs, refused, passed, dropped, cksum_checked;
	uint64_t by_reason[SHIM6_REASON_MAX];
};

static int counters_read(int fd, int ncpu, uint64_t *sum)
{
	static struct shim6_counter *v;
	uint32_t key;

	if (!v)
		v = calloc((size_t)ncpu, sizeof(*v));
	for (key = 0; key < SHIM6_REASON_MAX; key++)
		sum[key] = 0;
	/* one batch call for the whole per-CPU array */
	{
		static uint32_t keys[SHIM6_REASON_MAX];
		static struct shim6_counter *vals;
		uint32_t out_batch, count = SHIM6_REASON_MAX;
		LIBBPF_OPTS(bpf_map_batch_opts, o);
		int err;

		if (!vals)
			vals = calloc((size_t)ncpu * SHIM6_REASON_MAX, sizeof(*vals));
		err = bpf_map_lookup_batch(fd, NULL, &out_batch, keys, vals, &count, &o);
		if (err && errno != ENOENT)
			return -errno;
		for (uint32_t i = 0; i < count; i++)
			for (int c = 0; c < ncpu; c++)
				sum[keys[i]] += vals[(size_t)i * ncpu + c].packets;
	}
	return 0;
}

static int reason_known(int r)
{
	return (r >= SHIM6_PASS_NOT_IPV6 && r <= SHIM6_PASS_PTB_SENT) ||
	       (r >= SHIM6_DROP_MALFORMED && r <= SHIM6_DROP_REDIRECT);
}

static void hexdump(const char *what, const uint8_t *p, uint32_t len)
{
	fprintf(stderr, "  %s (%u bytes):", what, len);
	for (uint32_t i = 0; i < len && i < 160; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n    ", p[i]);
	fprintf(stderr, "\n");
}

enum prog { P_XDP, P_TC_IN, P_EGRESS };
static const char *const prog_name[] = { "xdp_in", "tc_in", "egress" };

/*
 * Check one run; returns NULL if every invariant holds, else what broke.
 */
static const char *check(enum prog pg, const uint8_t *in, uint32_t in_len, const struct dp_run *r,
			 int reason)
{
	int pass = pg == P_XDP ? (int)r->retval == XDP_PASS
		   : ((int)r->retval == TC_ACT_OK || (int)r->retval == TC_ACT_REDIRECT);
	int drop = pg == P_XDP ? (int)r->retval == XDP_DROP : (int)r->retval == TC_ACT_SHOT;
	const uint8_t *out = r->out;
	uint32_t out_len = r->out_len;
	struct walk wi, wo;
	int c;

	if (!reason_known(reason))
		return "unknown reason code";
	if (reason < SHIM6_VERDICT_MAX_ ? !pass : !drop)
		return "return code disagrees with the reason";
	if (drop)
		return NULL;
	switch (reason) {
	case SHIM6_PASS_REWRITTEN:
	case SHIM6_PASS_RESTORED:
	case SHIM6_PASS_ICMP_TRANSLATED:
	case SHIM6_PASS_PTB_SENT:
		break;
	default:
		if (out_len != in_len || memcmp(in, out, in_len))
			return "packet changed by a pass-through reason";
		return NULL;
	}
	if (!is_ipv6(out, out_len))
		return "output is not IPv6";
	if (is_ipv6(in, in_len) && get16(in + ETH + 4) + (uint32_t)L3 == in_len &&
	    get16(out + ETH + 4) + (uint32_t)L3 != out_len)
		return "payload_len does not match the frame any more";
	walk_chain(in, in_len, &wi);
	walk_chain(out, out_len, &wo);
	if (reason == SHIM6_PASS_REWRITTEN) {
		for (c = 0; c < 2; c++)
			if (!memcmp(in + ETH + 8, AD.c[c].ul, 16) && !memcmp(in + ETH + 24, AD.c[c].up, 16))
				break;
		if (c == 2)
			return "rewritten packet was not from a context's ULID pair";
		if (memcmp(out + ETH + 8, AD.c[c].ll, 16) || memcmp(out + ETH + 24, AD.c[c].lp, 16))
			return "rewritten packet does not carry the context's locators";
		if (out_len != in_len + 8)
			return "rewritten packet is not 8 bytes longer";
		if (wo.n_shim != wi.n_shim + 1 || wo.shim_tag != ctxs[c].peer_tag)
			return "rewritten packet lacks the Shim6 header with the peer's tag";
		if (l4_verifies(in, in_len, AD.c[c].ul, AD.c[c].up)) {
			if (!l4_verifies(out, out_len, AD.c[c].ul, AD.c[c].up))
				return "transport checksum broken by the rewrite";
			return "";	/* checked */
		}
		return NULL;
	}
	if (reason == SHIM6_PASS_RESTORED) {
		for (c = 0; c < 2; c++)
			if (wi.n_shim && wi.shim_tag == ctxs[c].local_tag)
				break;
		if (c == 2)
			return "restored packet had no known tag";
		if (memcmp(out + ETH + 8, AD.c[c].up, 16) || memcmp(out + ETH + 24, AD.c[c].ul, 16))
			return "restored packet does not carry the context's ULIDs";
		if (out_len + 8 != in_len)
			return "restored packet is not 8 bytes shorter";
		if (wo.n_shim)
			return "restored packet still has a Shim6 payload header";
		if (l4_verifies(in, in_len, AD.c[c].up, AD.c[c].ul)) {
			if (!l4_verifies(out, out_len, AD.c[c].up, AD.c[c].ul))
				return "transport checksum broken by the restore";
			return "";
		}
		return NULL;
	}
	if (reason == SHIM6_PASS_ICMP_TRANSLATED) {
		if (out_len + 8 != in_len)
			return "translated ICMP error is not 8 bytes shorter";
		if (memcmp(in + ETH + 8, out + ETH + 8, 32))
			return "translated ICMP error changed the outer addresses";
		if (l4_verifies(in, in_len, in + ETH + 8, in + ETH + 24)) {
			if (!l4_verifies(out, out_len, out + ETH + 8, out + ETH + 24))
				return "ICMPv6 checksum broken by the translation";
			return "";
		}
	}
	return NULL;
}

static int run_prog(struct dp *dp, enum prog pg, struct dp_run *r)
{
	switch (pg) {
	case P_XDP:
		return dp_run_xdp(bpf_program__fd(dp->in->progs.shim6_xdp_in), r);
	case P_TC_IN:
		return dp_run_tc(bpf_program__fd(dp->in->progs.shim6_tc_in), r);
	default:
		return dp_run_tc(bpf_program__fd(dp->eg->progs.shim6_egress), r);
	}
}

static int setup(struct dp *dp)
{
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT };
	int err = dp_open(dp, 0);

	if (err)
		return err;
	for (int i = 0; i < 2; i++) {
		struct dp_ctx c = {
			.ulid_local = pb_addr(ctxs[i].ulid_local), .ulid_peer = pb_addr(ctxs[i].ulid_peer),
			.loc_local = pb_addr(ctxs[i].loc_local), .loc_peer = pb_addr(ctxs[i].loc_peer),
			.local_tag = ctxs[i].local_tag, .peer_tag = ctxs[i].peer_tag,
		};

		err = err ?: dp_ctx_add(dp, &c);
	}
	err = err ?: dp_cfg_set(dp, &cfg);
	if (err)
		dp_close(dp);
	return err;
}

TEST(pktfuzz)
{
	static uint8_t pkt[2048];
	static struct dp_run r;
	static uint64_t before[SHIM6_REASON_MAX], after[SHIM6_REASON_MAX];
	uint64_t n = 100000, seed = 1;
	int ncpu = libbpf_num_possible_cpus(), stats_fd, failures = 0;
	struct stats st = { 0 };
	struct dp dp;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	if (getenv("PKTFUZZ_N"))
		n = strtoull(getenv("PKTFUZZ_N"), NULL, 0);
	if (getenv("PKTFUZZ_SEED"))
		seed = strtoull(getenv("PKTFUZZ_SEED"), NULL, 0);
	rng_s = seed * 0x9e3779b97f4a7c15ULL + 1;
	addrs_init();
	if (!ASSERT_OK(setup(&dp), "load and fill maps"))
		return;
	stats_fd = bpf_map__fd(dp.eg->maps.shim6_stats);
	dp_count_reset(&dp);
	if (!ASSERT_OK(counters_read(stats_fd, ncpu, before), "read the counters"))
		goto out;
	for (uint64_t i = 0; i < n && failures < 5; i++) {
		uint32_t len = gen(pkt, sizeof(pkt) - 64);

		for (int pg = P_XDP; pg <= P_EGRESS; pg++) {
			const char *why;
			int moved = -1, nmoved = 0;

			r.in = pkt;
			r.in_len = len;
			r.out_len = 0;
			if (run_prog(&dp, pg, &r)) {
				/* the kernel refuses some frames (tc: shorter than eth+ipv6,
				 * xdp: shorter than eth): nothing ran, nothing counted */
				st.refused++;
				continue;
			}
			st.runs++;
			counters_read(stats_fd, ncpu, after);
			for (int k = 0; k < SHIM6_REASON_MAX; k++)
				if (after[k] != before[k]) {
					nmoved += (int)(after[k] - before[k]);
					moved = k;
				}
			memcpy(before, after, sizeof(before));
			if (nmoved != 1)
				why = "not exactly one reason counted";
			else
				why = check(pg, pkt, len, &r, moved);
			if (why && !*why) {
				st.cksum_checked++;
				why = NULL;
			}
			if (moved >= 0 && nmoved == 1) {
				st.by_reason[moved]++;
				if (moved < SHIM6_VERDICT_MAX_)
					st.passed++;
				else
					st.dropped++;
			}
			if (why) {
				fprintf(stderr, "pktfuzz: packet %llu on %s: %s (reason %d, retval %u)\n",
					(unsigned long long)i, prog_name[pg], why, moved, r.retval);
				hexdump("in", pkt, len);
				hexdump("out", r.out, r.out_len);
				failures++;
			}
		}
		if ((i & 1023) == 0)
			ring_buffer__consume(dp.rb);
	}
	fprintf(stderr, "pktfuzz: %llu packets, %llu runs (%llu refused by test_run): %llu passed, "
		"%llu dropped, %llu checksums carried over; reasons:",
		(unsigned long long)n, (unsigned long long)st.runs, (unsigned long long)st.refused,
		(unsigned long long)st.passed, (unsigned long long)st.dropped,
		(unsigned long long)st.cksum_checked);
	for (int k = 0; k < SHIM6_REASON_MAX; k++)
		if (st.by_reason[k])
			fprintf(stderr, " %d:%llu", k, (unsigned long long)st.by_reason[k]);
	fprintf(stderr, "\n");
	ASSERT_EQ(failures, 0, "packets breaking an invariant");
	ASSERT_EQ(st.passed + st.dropped, st.runs, "every run passed or dropped with a reason");
	ASSERT_TRUE(st.by_reason[SHIM6_PASS_REWRITTEN] && st.by_reason[SHIM6_PASS_RESTORED] &&
		    st.by_reason[SHIM6_PASS_ICMP_TRANSLATED] && st.by_reason[SHIM6_DROP_MALFORMED],
		    "rewrite, restore, ICMP translation and drops were all reached");
	ASSERT_TRUE(st.cksum_checked > 0, "checksums carried over were checked");
out:
	dp_close(&dp);
}
