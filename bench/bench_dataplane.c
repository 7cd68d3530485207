// SPDX-License-Identifier: GPL-2.0
/*
 * Data-plane cost per packet through BPF_PROG_TEST_RUN, each figure minus an
 * empty program of the same type measured the same way, in the same run:
 *
 *   egress, context on its ULID pair (locators = ULIDs)      goal <= 60 ns
 *   egress, rewrite + push
 *   ingress pop + restore, XDP and tc
 *   the same with 1,000,000 contexts / with 1 context        goal <= 1.3
 *
 * Paths that leave the packet unchanged are timed with test_run's own
 * loop (repeat).  Paths that change it cannot be (the kernel reruns the
 * program on the already rewritten buffer), so they are the mean `duration`
 * of many single runs (repeat = 1) minus the empty program timed the same
 * way: the timer overhead cancels, but every run starts from a freshly
 * copied packet and colder caches, so these figures are upper bounds (the
 * ULID-pair path is printed both ways to show the difference).  Rounds are
 * interleaved and the median round is reported (shared, noisy machine).
 * Root needed.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim6_shared.h"
#include "shim6_egress.skel.h"
#include "shim6_ingress.skel.h"

#define RUNS	20000
#define REPEAT	200000
#define ROUNDS	7
#define BIG	1000000

struct plane {
	struct shim6_egress *eg;
	struct shim6_ingress *in;
};

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static struct in6_addr addr(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

/* ---- packets (eth | ipv6 | [shim6] | udp | 32 bytes) ------------------- */
static size_t build(uint8_t *p, const char *src, const char *dst, int shim, uint64_t tag)
{
	struct in6_addr s = addr(src), d = addr(dst);
	size_t off = 0, plen = 8 + 32 + (shim ? 8 : 0);

	memset(p, 0, 256);
	p[0] = 2, p[5] = 0xb1, p[6] = 2, p[11] = 0xa1, p[12] = 0x86, p[13] = 0xdd;
	off = 14;
	p[off] = 0x60;
	p[off + 4] = plen >> 8, p[off + 5] = plen & 0xff;
	p[off + 6] = shim ? 140 : 17;
	p[off + 7] = 64;
	memcpy(p + off + 8, &s, 16);
	memcpy(p + off + 24, &d, 16);
	off += 40;
	if (shim) {
		p[off] = 17;
		p[off + 2] = 0x80 | ((tag >> 40) & 0x7f);
		p[off + 3] = tag >> 32;
		p[off + 4] = tag >> 24, p[off + 5] = tag >> 16, p[off + 6] = tag >> 8, p[off + 7] = tag;
		off += 8;
	}
	p[off + 1] = 100, p[off + 3] = 200, p[off + 5] = 40;	/* udp ports, length */
	off += 8;
	for (int i = 0; i < 32; i++)
		p[off++] = i;
	return off;
}

/* ---- maps ------------------------------------------------------------------ */
static int loc_add(int fd, uint64_t tag, const char *a, uint32_t side)
{
	struct shim6_loc_key k = { .local_tag = tag };
	struct in6_addr x = addr(a);

	memcpy(&k.addr, &x, 16);
	return bpf_map_update_elem(fd, &k, &side, BPF_ANY);
}

static int ctx_add(struct plane *pl, const char *ul, const char *up, const char *ll,
		   const char *lp, uint64_t ltag, uint64_t ptag)
{
	struct shim6_ulid_key k = {};
	struct shim6_egress_ctx e = { .local_tag = ltag, .peer_tag = ptag, .ifindex = 1 };
	struct shim6_ingress_ctx i = {};
	struct in6_addr a;
	int loc = bpf_map__fd(pl->eg->maps.shim6_loc);

	a = addr(ul), memcpy(&k.local, &a, 16), memcpy(&i.ulid_local, &a, 16);
	a = addr(up), memcpy(&k.peer, &a, 16), memcpy(&i.ulid_peer, &a, 16);
	a = addr(ll), memcpy(&e.loc_local, &a, 16);
	a = addr(lp), memcpy(&e.loc_peer, &a, 16);
	if (strcmp(ul, ll) || strcmp(up, lp))
		e.flags = SHIM6_CTX_F_REWRITE;
	return bpf_map_update_elem(bpf_map__fd(pl->eg->maps.shim6_ulid), &k, &e, BPF_ANY) ?:
	       bpf_map_update_elem(bpf_map__fd(pl->eg->maps.shim6_tag), &ltag, &i, BPF_ANY) ?:
	       loc_add(loc, ltag, lp, SHIM6_LOC_PEER) ?: loc_add(loc, ltag, ll, SHIM6_LOC_LOCAL);
}

/* n filler contexts (distinct ULID pairs, tags, locators), batched. */
static int fill(struct plane *pl, uint32_t n)
{
	const uint32_t chunk = 10000;
	struct shim6_ulid_key *uk = calloc(chunk, sizeof(*uk));
	struct shim6_egress_ctx *ev = calloc(chunk, sizeof(*ev));
	uint64_t *tk = calloc(chunk, sizeof(*tk));
	struct shim6_ingress_ctx *iv = calloc(chunk, sizeof(*iv));
	struct shim6_loc_key *lk = calloc(2 * chunk, sizeof(*lk));
	uint32_t *lv = calloc(2 * chunk, sizeof(*lv));
	int err = -ENOMEM;

	if (!uk || !ev || !tk || !iv || !lk || !lv)
		goto out;
	for (uint32_t base = 0; base < n; base += chunk) {
		uint32_t cnt = n - base < chunk ? n - base : chunk, lcnt = 2 * cnt;

		for (uint32_t j = 0; j < cnt; j++) {
			uint32_t id = base + j + 1;

			memset(&uk[j], 0, sizeof(uk[j]));
			uk[j].local.w[0] = htonl(0x20010db8), uk[j].local.w[3] = htonl(id);
			uk[j].peer.w[0] = htonl(0x20010db9), uk[j].peer.w[3] = htonl(id);
			memset(&ev[j], 0, sizeof(ev[j]));
			ev[j].loc_local = uk[j].local, ev[j].loc_peer = uk[j].peer;
			ev[j].local_tag = ev[j].peer_tag = 0x100000000ULL + id;
			tk[j] = ev[j].local_tag;
			memset(&iv[j], 0, sizeof(iv[j]));
			iv[j].ulid_local = uk[j].local, iv[j].ulid_peer = uk[j].peer;
			lk[2 * j].local_tag = lk[2 * j + 1].local_tag = tk[j];
			lk[2 * j].addr = uk[j].local, lv[2 * j] = SHIM6_LOC_LOCAL;
			lk[2 * j + 1].addr = uk[j].peer, lv[2 * j + 1] = SHIM6_LOC_PEER;
		}
		err = bpf_map_update_batch(bpf_map__fd(pl->eg->maps.shim6_ulid), uk, ev, &cnt, NULL);
		if (!err)
			err = bpf_map_update_batch(bpf_map__fd(pl->eg->maps.shim6_tag), tk, iv, &cnt,
						   NULL);
		if (!err)
			err = bpf_map_update_batch(bpf_map__fd(pl->eg->maps.shim6_loc), lk, lv, &lcnt,
						   NULL);
		if (err)
			goto out;
	}
out:
	free(uk), free(ev), free(tk), free(iv), free(lk), free(lv);
	return err;
}

static int plane_open(struct plane *pl, uint32_t max_ctx)
{
	static const char *shared[] = { "shim6_ulid", "shim6_tag", "shim6_loc", "shim6_ptag",
					"shim6_flow", "shim6_cfg", "shim6_stats", "shim6_events" };
	struct shim6_cfg cfg = { .flags = SHIM6_CFG_F_NO_REDIRECT };
	struct bpf_map *m;
	uint32_t zero = 0;
	int err;

	pl->eg = shim6_egress__open();
	pl->in = shim6_ingress__open();
	if (!pl->eg || !pl->in)
		return -errno;
	bpf_object__for_each_map(m, pl->eg->obj)
		bpf_map__set_pin_path(m, NULL);
	bpf_object__for_each_map(m, pl->in->obj)
		bpf_map__set_pin_path(m, NULL);
	bpf_map__set_max_entries(pl->eg->maps.shim6_ulid, max_ctx);
	bpf_map__set_max_entries(pl->eg->maps.shim6_tag, max_ctx);
	bpf_map__set_max_entries(pl->eg->maps.shim6_loc, 4 * max_ctx);
	bpf_map__set_max_entries(pl->eg->maps.shim6_ptag, max_ctx);
	err = shim6_egress__load(pl->eg);
	for (size_t i = 0; !err && i < sizeof(shared) / sizeof(shared[0]); i++)
		err = bpf_map__reuse_fd(bpf_object__find_map_by_name(pl->in->obj, shared[i]),
					bpf_map__fd(bpf_object__find_map_by_name(pl->eg->obj,
										 shared[i])));
	if (!err)
		err = shim6_ingress__load(pl->in);
	if (!err)
		err = bpf_map_update_elem(bpf_map__fd(pl->eg->maps.shim6_cfg), &zero, &cfg, BPF_ANY);
	if (!err)	/* ULIDs = locators, and a rewritten one */
		err = ctx_add(pl, "2001:db8:a1::1", "2001:db8:b1::1", "2001:db8:a1::1",
			      "2001:db8:b1::1", 0x1111, 0x2222) ?:
		      ctx_add(pl, "2001:db8:a1::1", "2001:db8:b2::2", "2001:db8:a2::1",
			      "2001:db8:b3::2", 0x3333, 0x4444);
	return err;
}

static int empty_prog(enum bpf_prog_type type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = type == BPF_PROG_TYPE_XDP ? XDP_PASS : TC_ACT_OK },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(type, "shim6_empty", "GPL", insns, 2, NULL);
}

/* Mean ns of `runs` single test runs (see the header comment). */
static double measure(int fd, const uint8_t *pkt, size_t len)
{
	static uint8_t out[512];
	uint64_t total = 0;

	for (int i = 0; i < RUNS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

		if (bpf_prog_test_run_opts(fd, &o)) {
			perror("bpf_prog_test_run");
			exit(1);
		}
		total += o.duration;
	}
	return (double)total / RUNS;
}

/* Paths that leave the packet unchanged: the kernel's own loop, REPEAT runs. */
static double measure_rep(int fd, const uint8_t *pkt, size_t len)
{
	static uint8_t out[512];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = REPEAT);

	if (bpf_prog_test_run_opts(fd, &o)) {
		perror("bpf_prog_test_run");
		exit(1);
	}
	return o.duration;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum {
	EG_ULID, EG_NOCTX, EG_ULID_1, EG_REWRITE, IN_XDP, IN_TC,
	EG_ULID_BIG, IN_XDP_BIG, IN_TC_BIG, NCASES
};

int main(void)
{
	static const char *names[NCASES] = {
		"egress, context on its ULID pair", "egress, no context (trigger accounting)",
		"egress, ULID pair (single runs)", "egress, rewrite + push (single runs)",
		"ingress pop + restore, xdp (single runs)", "ingress pop + restore, tc (single runs)",
		"egress, ULID pair, 1M contexts", "ingress pop xdp, 1M contexts (single)",
		"ingress pop tc, 1M contexts (single)",
	};
	static double res[NCASES][ROUNDS];
	uint8_t p_ulid[256], p_push[256], p_pop[256], p_noctx[256];
	size_t l_ulid, l_push, l_pop, l_noctx;
	struct plane one = {}, big = {};
	double med[NCASES];
	int e_tc, e_xdp;

	if (geteuid()) {
		printf("bench_dataplane: skipped (BPF_PROG_TEST_RUN needs root)\n");
		return 0;
	}
	libbpf_set_print(libbpf_quiet);
	if (plane_open(&one, SHIM6_MAX_CTX) || plane_open(&big, BIG) || fill(&big, BIG - 2)) {
		fprintf(stderr, "bench_dataplane: cannot load or fill the data plane: %s\n",
			strerror(errno));
		return 1;
	}
	e_tc = empty_prog(BPF_PROG_TYPE_SCHED_CLS);
	e_xdp = empty_prog(BPF_PROG_TYPE_XDP);
	if (e_tc < 0 || e_xdp < 0) {
		fprintf(stderr, "bench_dataplane: cannot load the empty programs\n");
		return 1;
	}
	l_ulid = build(p_ulid, "2001:db8:a1::1", "2001:db8:b1::1", 0, 0);
	l_noctx = build(p_noctx, "2001:db8:a1::1", "2001:db8:ee::7", 0, 0);
	l_push = build(p_push, "2001:db8:a1::1", "2001:db8:b2::2", 0, 0);
	l_pop = build(p_pop, "2001:db8:b3::2", "2001:db8:a2::1", 1, 0x3333);

	for (int r = 0; r < ROUNDS; r++) {
		int eg1 = bpf_program__fd(one.eg->progs.shim6_egress);
		int egb = bpf_program__fd(big.eg->progs.shim6_egress);
		double etr = measure_rep(e_tc, p_ulid, l_ulid);
		double etc = measure(e_tc, p_ulid, l_ulid), exdp = measure(e_xdp, p_pop, l_pop);

		res[EG_ULID][r] = measure_rep(eg1, p_ulid, l_ulid) - etr;
		res[EG_ULID_BIG][r] = measure_rep(egb, p_ulid, l_ulid) - etr;
		res[EG_NOCTX][r] = measure_rep(eg1, p_noctx, l_noctx) - etr;
		res[EG_ULID_1][r] = measure(eg1, p_ulid, l_ulid) - etc;
		res[EG_REWRITE][r] = measure(eg1, p_push, l_push) - etc;
		res[IN_XDP][r] = measure(bpf_program__fd(one.in->progs.shim6_xdp_in), p_pop,
					 l_pop) - exdp;
		res[IN_XDP_BIG][r] = measure(bpf_program__fd(big.in->progs.shim6_xdp_in), p_pop,
					     l_pop) - exdp;
		res[IN_TC][r] = measure(bpf_program__fd(one.in->progs.shim6_tc_in), p_pop, l_pop) -
				etc;
		res[IN_TC_BIG][r] = measure(bpf_program__fd(big.in->progs.shim6_tc_in), p_pop,
					    l_pop) - etc;
	}
	for (int c = 0; c < NCASES; c++) {
		qsort(res[c], ROUNDS, sizeof(double), cmp_double);
		med[c] = res[c][ROUNDS / 2];
	}
	printf("dataplane: ns/packet added over an empty program of the same type\n");
	printf("(BPF_PROG_TEST_RUN; repeat=%d, or the mean of %d single runs; median of %d "
	       "interleaved rounds)\n", REPEAT, RUNS, ROUNDS);
	for (int c = 0; c < NCASES; c++)
		printf("  %-44s %7.1f ns%s\n", names[c], med[c],
		       c == EG_ULID ? "   (goal <= 60)" : "");
	printf("ratio 1,000,000 contexts / 1 context (goal <= 1.3):\n");
	printf("  egress ULID pair %.2f   ingress pop xdp %.2f   ingress pop tc %.2f\n",
	       med[EG_ULID_BIG] / med[EG_ULID], med[IN_XDP_BIG] / med[IN_XDP],
	       med[IN_TC_BIG] / med[IN_TC]);
	close(e_tc);
	close(e_xdp);
	shim6_ingress__destroy(big.in);
	shim6_egress__destroy(big.eg);
	shim6_ingress__destroy(one.in);
	shim6_egress__destroy(one.eg);
	return 0;
}
