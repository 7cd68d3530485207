// SPDX-License-Identifier: GPL-2.0
/*
 * shim6d control-plane benchmarks (figures, not tests), in process on one
 * core: two protocol cores exchange the real encoded messages (checksums,
 * validators, Locator Lists, signatures) through memory, no sockets.
 *
 *   handshakes      full I1/R1/I2/R2 exchanges per second, fresh peers
 *   i2 SIZES        I2 processing time at the responder holding N contexts
 *   modes           I1->R2 time by security mode (HBA, CGA-compatible HBA, CGA
 *                   RSA-1024 and RSA-2048) and locator count (2, 5, 10), the
 *                   seed's Fig. 7
 *   memory          bytes per context (heap growth / contexts)
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto/cga.h"
#include "crypto/hba.h"
#include "crypto/key.h"
#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/reap.h"

#define QMAX 8

struct bhost {
	struct shim6d d;
	struct locset ls;
	struct { struct pkt_info pi; uint8_t buf[1280]; size_t len; } q[QMAX];
	int nq;
};

static uint64_t b_now(void *arg) { return 1000; }
static int b_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct bhost *h = arg;

	if (h->nq == QMAX)
		return -1;
	h->q[h->nq].pi = *pi;
	memcpy(h->q[h->nq].buf, buf, len);
	h->q[h->nq++].len = len;
	return 0;
}
static void b_tset(void *arg, struct shim6_ctx *c, uint64_t ms) { }
static void b_tclr(void *arg, struct shim6_ctx *c) { }
static int b_up(void *arg, struct shim6_ctx *c) { return 0; }
static void b_down(void *arg, struct shim6_ctx *c) { }
static const struct shim6d_io b_io = {
	.now_ms = b_now, .send = b_send, .timer_set = b_tset, .timer_clear = b_tclr,
	.ctx_up = b_up, .ctx_down = b_down,
};

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static void bhost_init(struct bhost *h, uint32_t max)
{
	struct config cfg;

	memset(h, 0, sizeof(*h));
	config_defaults(&cfg);
	cfg.max_contexts = max;
	core_init(&h->d, &cfg, &b_io, h);
	locset_init(&h->ls);
	h->d.ls = &h->ls;
}

static void bhost_fini(struct bhost *h)
{
	core_fini(&h->d);
	locset_free(&h->ls);
}

static void deliver(struct bhost *from, struct bhost *to)
{
	int i, n = from->nq;

	from->nq = 0;
	for (i = 0; i < n; i++)
		proto_input(&to->d, from->q[i].buf, from->q[i].len, &from->q[i].pi);
}

static void peer_addr(uint8_t a[16], uint32_t i)
{
	inet_pton(AF_INET6, "2001:db8:b::", a);
	a[12] = i >> 24;
	a[13] = i >> 16;
	a[14] = i >> 8;
	a[15] = i;
}

/* CPU seconds the responder spent in handshake() (bench_handshakes). */
static double responder_s;
static bool time_responder;

static void deliver_to_responder(struct bhost *a, struct bhost *b)
{
	double t0;

	if (!time_responder) {
		deliver(a, b);
		return;
	}
	t0 = cpu_s();
	deliver(a, b);
	responder_s += cpu_s() - t0;
}

static int handshake(struct bhost *a, struct bhost *b, const uint8_t al[16],
		     const uint8_t bp[16])
{
	if (proto_start(&a->d, al, bp, NULL))
		return -1;
	deliver_to_responder(a, b);	/* I1 -> R1 */
	deliver(b, a);			/* R1 -> I2 */
	deliver_to_responder(a, b);	/* I2 -> R2 */
	deliver(b, a);			/* R2 */
	return 0;
}

static void bench_handshakes(uint32_t n)
{
	struct bhost *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	uint8_t al[16], bp[16];
	double t0, t;
	uint32_t i;

	bhost_init(a, n + 1);
	bhost_init(b, n + 1);
	inet_pton(AF_INET6, "2001:db8:a::1", al);
	t0 = cpu_s();
	for (i = 0; i < n; i++) {
		peer_addr(bp, i);
		handshake(a, b, al, bp);
	}
	t = cpu_s() - t0;
	printf("handshakes: %u full I1/R1/I2/R2 exchanges (both ends on this core) in %.3f s "
	       "CPU: %.0f handshakes/s, %.1f us each; established A %llu B %llu\n", n, t, n / t,
	       t / n * 1e6, (unsigned long long)a->d.st.established,
	       (unsigned long long)b->d.st.established);
	/* the responder's share: what one core serving handshakes must do (I1->R1, I2->R2) */
	bhost_fini(a);
	bhost_fini(b);
	bhost_init(a, n + 1);
	bhost_init(b, n + 1);
	responder_s = 0;
	time_responder = true;
	for (i = 0; i < n; i++) {
		peer_addr(bp, i);
		handshake(a, b, al, bp);
	}
	time_responder = false;
	printf("handshakes: responder only (I1->R1 and I2->R2, CPU time incl. 4 clock reads): "
	       "%.0f handshakes/s on one core, %.1f us each; %llu established (goal >= 10,000/s)\n",
	       n / responder_s, responder_s / n * 1e6, (unsigned long long)b->d.st.established);
	bhost_fini(a);
	bhost_fini(b);
	free(a);
	free(b);
}

static int make_cga(EVP_PKEY *key, unsigned int i, uint8_t addr[16], uint8_t *params,
		    size_t *plen);

/* Cost of one pair of cpu_s() calls (a syscall each), subtracted from per-message times. */
static double clock_pair_ns(void)
{
	double v[1001], t0;
	int i;

	for (i = 0; i < 1001; i++) {
		t0 = cpu_s();
		v[i] = (cpu_s() - t0) * 1e9;
	}
	qsort(v, 1001, sizeof(v[0]), cmp_double);
	return v[500];
}

struct i2_result {
	double median, p99, mean;	/* ns per I2, CPU time */
	uint64_t established;
};

/*
 * I2 processing at a responder that already holds `size` contexts: m valid
 * I2s are captured first, then each is timed on its own (thread CPU time,
 * the clock's own cost subtracted).  key != NULL: the initiator's ULID is a
 * CGA of that key with a second CGA locator, so every I2 carries a signed
 * Locator List that the responder verifies (RSA, through crypto/).
 */
static struct i2_result i2_run(uint32_t size, uint32_t m, EVP_PKEY *key)
{
	struct bhost *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct { struct pkt_info pi; uint8_t buf[1280]; size_t len; } *i2s;
	uint8_t al[16], bp[16], x[16], p2[4096];
	double *ns, t0, clk = clock_pair_ns(), sum = 0;
	struct i2_result r = { 0 };
	size_t l2;
	uint32_t i;

	i2s = malloc(sizeof(*i2s) * m);
	ns = malloc(sizeof(*ns) * m);
	bhost_init(a, m + 1);
	bhost_init(b, size + m + 1);
	inet_pton(AF_INET6, "2001:db8:a::1", al);
	if (key) {
		uint8_t a2[16];

		if (make_cga(key, 0, al, p2, &l2) ||
		    locset_add(&a->ls, al, p2, l2, key, "/k", 0))
			goto out;
		EVP_PKEY_up_ref(key);
		if (make_cga(key, 1, a2, p2, &l2) ||
		    locset_add(&a->ls, a2, p2, l2, key, "/k", 0))
			goto out;
		EVP_PKEY_up_ref(key);
		locset_set_present(&a->ls, al, true);
		locset_set_present(&a->ls, a2, true);
	}
	inet_pton(AF_INET6, "2001:db8:b::1", bp);
	inet_pton(AF_INET6, "2001:db8:c::", x);
	for (i = 0; i < size; i++) { /* background contexts */
		x[12] = i >> 24; x[13] = i >> 16; x[14] = i >> 8; x[15] = i;
		ctx_create(&b->d.ctxs, bp, x, 0);
	}
	for (i = 0; i < m; i++) { /* m valid I2s, captured */
		peer_addr(bp, i);
		proto_start(&a->d, al, bp, NULL);
		deliver(a, b);
		deliver(b, a);
		i2s[i].pi = a->q[0].pi;
		memcpy(i2s[i].buf, a->q[0].buf, a->q[0].len);
		i2s[i].len = a->q[0].len;
		a->nq = 0;
	}
	for (i = 0; i < m; i++) {
		t0 = cpu_s();
		proto_input(&b->d, i2s[i].buf, i2s[i].len, &i2s[i].pi);
		ns[i] = (cpu_s() - t0) * 1e9 - clk;
		sum += ns[i];
		b->nq = 0;
	}
	qsort(ns, m, sizeof(*ns), cmp_double);
	r.median = ns[m / 2];
	r.p99 = ns[(size_t)(m * 0.99)];
	r.mean = sum / m;
	r.established = b->d.st.established;
out:
	bhost_fini(a);
	bhost_fini(b);
	free(a);
	free(b);
	free(i2s);
	free(ns);
	return r;
}

static void bench_i2(int argc, char **argv)
{
	static const uint32_t def[] = { 1000, 100000, 1000000 };
	uint32_t sizes[8], n = 0, i, m = 20000;
	struct i2_result r;
	EVP_PKEY *key = NULL;
	double base = 0;

	for (i = 0; i < (uint32_t)argc && n < 8; i++)
		sizes[n++] = (uint32_t)strtoul(argv[i], NULL, 0);
	if (!n)
		for (; n < 3; n++)
			sizes[n] = def[n];
	for (i = 0; i < n; i++) {
		r = i2_run(sizes[i], m, NULL);
		if (!i)
			base = r.median;
		printf("i2: responder holding %8u contexts: %7.0f ns per I2 (median; p99 %.0f, "
		       "mean %.0f; CPU time of %u I2, %llu established; validator, context "
		       "creation, R2), x%.2f of the first size\n", sizes[i], r.median, r.p99,
		       r.mean, m, (unsigned long long)r.established, r.median / base);
	}
	/* the goal: <= 50 us median at 1,000,000 contexts with RSA-1024 CGA */
	if (key_generate(1024, &key))
		return;
	for (i = 0; i < n; i++) {
		r = i2_run(sizes[i], 2000, key);
		printf("i2 CGA RSA-1024 (signed 2-locator list verified): responder holding %8u "
		       "contexts: %7.0f ns per I2 (median; p99 %.0f, mean %.0f; %llu/2000 "
		       "established)\n", sizes[i], r.median, r.p99, r.mean,
		       (unsigned long long)r.established);
	}
	EVP_PKEY_free(key);
}

static void bench_memory(uint32_t n)
{
	struct ctx_table t;
	struct mallinfo2 m0, m1;
	uint8_t l[16] = { 0x20, 1 }, p[16] = { 0x20, 2 };
	uint32_t i;

	ctx_table_init(&t, 16);
	m0 = mallinfo2();
	for (i = 0; i < n; i++) {
		memcpy(p + 12, &i, 4);
		ctx_create(&t, l, p, 0);
	}
	m1 = mallinfo2();
	printf("memory: %u contexts: %.0f bytes per context in user space (struct %zu + "
	       "3 hash buckets, %u buckets), plus REAP's struct reap (%zu bytes + its exploration "
	       "order) while the context is in the maps; the kernel maps' share is measured by "
	       "bench/shim6d_netns.sh (root)\n", n,
	       (double)((m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd)) / n,
	       sizeof(struct shim6_ctx), t.nbuckets, sizeof(struct reap));
	ctx_table_destroy(&t, NULL, NULL);
}

/* ---- security modes ---------------------------------------------------- */

/*
 * An HBA set over nloc prefixes; key != NULL: CGA-compatible (RFC 5535 §4:
 * the CGA Parameters carry that public key instead of a random nonce).
 */
static int make_hba(unsigned int nloc, EVP_PKEY *key, uint8_t (*addrs)[16], uint8_t *params,
		    size_t *plen)
{
	struct cga_gen_opts o = { .sec = 0, .threads = 1 };
	struct hba_set *set = calloc(1, sizeof(*set));
	uint8_t pfx[16][8], spki[1100];
	unsigned int i;
	int n, sl = 0;

	for (i = 0; i < nloc; i++) {
		uint8_t p[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, (uint8_t)(0xa0 + i), 0, 0 };

		memcpy(pfx[i], p, 8);
	}
	if (key) {
		sl = key_spki(key, spki, sizeof(spki));
		if (sl <= 0)
			return -1;
	}
	if (!set || hba_gen(set, (const uint8_t (*)[8])pfx, nloc, key ? spki : NULL,
			    (size_t)sl, &o, NULL))
		return -1;
	for (i = 0; i < nloc; i++)
		memcpy(addrs[i], set->addrs[i], 16);
	n = cga_params_encode(&set->params, params, 4096);
	free(set);
	*plen = (size_t)n;
	return n < 0 ? -1 : 0;
}

static int make_cga(EVP_PKEY *key, unsigned int i, uint8_t addr[16], uint8_t *params,
		    size_t *plen)
{
	struct cga_gen_opts o = { .sec = 0, .threads = 1 };
	struct cga_params *p = calloc(1, sizeof(*p));
	uint8_t spki[1100];
	uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, (uint8_t)(0xa0 + i), 0, 0 };
	int n;

	n = key_spki(key, spki, sizeof(spki));
	memcpy(p->prefix, pfx, 8);
	if (n <= 0 || cga_params_set_pubkey(p, spki, (size_t)n) || cga_gen(p, &o, addr, NULL))
		return -1;
	n = cga_params_encode(p, params, 4096);
	free(p);
	*plen = (size_t)n;
	return n < 0 ? -1 : 0;
}

#define MODE_ROUNDS 5

/*
 * Handshakes in MODE_ROUNDS rounds; the figure is the median round's CPU
 * time per I1->R2 (both ends: this thread does all of it, no syscalls), so
 * time the shared core spends on other processes does not count; the
 * rounds' spread is printed with it.
 */
static void mode_run(const char *name, struct bhost *a, const uint8_t ulid[16], int reps)
{
	struct bhost *b = malloc(sizeof(*b));
	double per[MODE_ROUNDS], t0;
	int i, r, per_round = reps / MODE_ROUNDS, n = 0;
	uint8_t bp[16];

	bhost_init(b, reps + 1);
	/* sign (if CGA) outside the timing: signatures are made per set change */
	locset_announce(&a->ls, ulid);
	for (r = 0; r < MODE_ROUNDS; r++) {
		t0 = cpu_s();
		for (i = 0; i < per_round; i++, n++) {
			peer_addr(bp, (uint32_t)n);
			handshake(a, b, ulid, bp);
		}
		per[r] = (cpu_s() - t0) / per_round * 1e6;
	}
	qsort(per, MODE_ROUNDS, sizeof(per[0]), cmp_double);
	printf("modes: %-28s %8.1f us per I1->R2 (both ends, CPU time, median of %d rounds of %d; "
	       "min %.1f max %.1f), %llu/%d established, %llu lists verified, %llu signatures "
	       "made\n", name, per[MODE_ROUNDS / 2], MODE_ROUNDS, per_round, per[0],
	       per[MODE_ROUNDS - 1], (unsigned long long)b->d.st.established, n,
	       (unsigned long long)b->d.st.loclist_ok, (unsigned long long)a->ls.signatures);
	bhost_fini(b);
	free(b);
}

static void bench_modes(void)
{
	static const unsigned int counts[] = { 2, 5, 10 };
	uint8_t addrs[16][16], params[4096], ulid[16];
	EVP_PKEY *key = NULL;
	struct bhost *a = malloc(sizeof(*a));
	unsigned int c, i, mode;
	size_t plen;
	char name[64];
	int reps = 2000;

	bhost_init(a, 1 << 20);
	inet_pton(AF_INET6, "2001:db8:a::1", ulid);
	mode_run("none (ULID only)", a, ulid, reps);
	bhost_fini(a);

	/* HBA: the set's hashes only; CGA-compatible HBA: the same with a real key */
	if (key_generate(1024, &key))
		return;
	for (mode = 0; mode < 2; mode++)
		for (c = 0; c < 3; c++) {
			if (make_hba(counts[c], mode ? key : NULL, addrs, params, &plen))
				return;
			bhost_init(a, 1 << 20);
			for (i = 0; i < counts[c]; i++) {
				if (mode)
					EVP_PKEY_up_ref(key);
				locset_add(&a->ls, addrs[i], params, plen, mode ? key : NULL,
					   mode ? "/k" : NULL, 0);
				locset_set_present(&a->ls, addrs[i], true);
			}
			snprintf(name, sizeof(name), "%s, %u locators",
				 mode ? "CGA-compatible HBA" : "HBA", counts[c]);
			mode_run(name, a, addrs[0], reps);
			bhost_fini(a);
		}
	EVP_PKEY_free(key);
	/* CGA: one CGA per prefix under one key, the list signed (once per set) */
	for (mode = 0; mode < 2; mode++) {
		int bits = mode == 0 ? 1024 : 2048;

		if (key_generate((unsigned int)bits, &key))
			return;
		for (c = 0; c < 3; c++) {
			bhost_init(a, 1 << 20);
			for (i = 0; i < counts[c]; i++) {
				uint8_t p2[4096];
				size_t l2;

				if (make_cga(key, i, addrs[i], p2, &l2))
					return;
				EVP_PKEY_up_ref(key);
				locset_add(&a->ls, addrs[i], p2, l2, key, "/k", 0);
				locset_set_present(&a->ls, addrs[i], true);
			}
			snprintf(name, sizeof(name), "CGA RSA-%d, %u locators", bits, counts[c]);
			mode_run(name, a, addrs[0], reps / 4);
			bhost_fini(a);
		}
		EVP_PKEY_free(key);
	}
	free(a);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";

	log_set_level(LOG_ERR);
	if (!strcmp(what, "handshakes") || !strcmp(what, "all"))
		bench_handshakes(argc > 2 && !strcmp(what, "handshakes") ?
				 (uint32_t)strtoul(argv[2], NULL, 0) : 100000);
	if (!strcmp(what, "i2") || !strcmp(what, "all"))
		bench_i2(!strcmp(what, "i2") ? argc - 2 : 0, argv + 2);
	if (!strcmp(what, "memory") || !strcmp(what, "all"))
		bench_memory(1000000);
	if (!strcmp(what, "modes") || !strcmp(what, "all"))
		bench_modes();
	return 0;
}
