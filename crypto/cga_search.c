// SPDX-License-Identifier: GPL-2.0
/*
 * The Hash2 search (RFC 3972 §4 steps 1-3), the hot loop of CGA and HBA
 * generation, and the rest of the generation algorithm.
 *
 * Speed: the Hash2 input is modifier(16) ‖ 9 zero octets ‖ public key ‖
 * extensions.  The modifier sits in the first SHA-1 block, so nothing can be
 * carried over from one try to the next: every try costs every block.  What
 * can be saved is everything around the compression function.  Each thread
 * builds the message once, already padded the way SHA-1 pads it (0x80, zeros,
 * 64-bit bit length), so a try is: bump the modifier in place, reset the five
 * chaining words, run OpenSSL's block function over all blocks (SHA-NI on
 * this CPU, through SHA1_Update's whole-block path, which neither copies nor
 * pads), and look at the first chaining word — the leftmost 32 bits of the
 * digest are all a Sec 1 or Sec 2 check needs.  No allocation, no EVP
 * dispatch, no SHA1_Final per try.  bench/bench_crypto.c compares this with
 * EVP_MD_CTX reuse and one-shot SHA1().
 *
 * Threads: the modifier space after the start is cut into chunks that
 * threads claim in increasing order from an atomic counter.  A thread that
 * finds a hit lowers the shared "best" offset; threads stop claiming chunks
 * past it but finish the ones before it, so the lowest hit wins and the
 * result equals the sequential algorithm's for any number of threads.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA1_Init/SHA1_Update: the block-level API */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "crypto/cga.h"

#define CHUNK 1024 /* tries per claimed chunk: an atomic op per ~100 µs */

struct search {
	const uint8_t *msg; /* padded Hash2 message, the start modifier in place */
	size_t msg_len;	    /* multiple of 64 */
	uint32_t mask;	    /* bits of the first digest word that must be zero */
	atomic_uint_fast64_t next_chunk;
	atomic_uint_fast64_t best; /* lowest hit offset, UINT64_MAX if none yet */
	atomic_uint_fast64_t tries;
	atomic_bool *cancel;
	atomic_bool stop; /* a worker failed */
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	unsigned int running;
};

unsigned int cga_default_threads(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned int)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned int)n : 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void atomic_min(atomic_uint_fast64_t *v, uint64_t x)
{
	uint_fast64_t cur = atomic_load(v);

	while (x < cur && !atomic_compare_exchange_weak(v, &cur, x))
		;
}

static void *worker(void *arg)
{
	struct search *s = arg;
	/* Per-thread copy of the message, 64-byte aligned for the block code. */
	uint8_t *buf = aligned_alloc(64, s->msg_len);
	SHA_CTX c;

	if (!buf) {
		atomic_store(&s->stop, true);
		goto out;
	}
	for (;;) {
		uint64_t chunk = atomic_fetch_add(&s->next_chunk, 1);
		uint64_t off = chunk * CHUNK, i;

		if (off > atomic_load(&s->best) || atomic_load(&s->stop) ||
		    (s->cancel && atomic_load(s->cancel)))
			break;
		memcpy(buf, s->msg, s->msg_len);
		cga_modifier_add(buf, off);
		for (i = 0; i < CHUNK; i++) {
			SHA1_Init(&c);
			SHA1_Update(&c, buf, s->msg_len); /* whole blocks: straight to the asm */
			if (!(c.h0 & s->mask)) {
				atomic_min(&s->best, off + i);
				i++;
				break;
			}
			/* Increment the modifier (big-endian 128-bit) in place. */
			for (int b = CGA_MODIFIER_LEN - 1; b >= 0 && ++buf[b] == 0; b--)
				;
		}
		atomic_fetch_add(&s->tries, i);
	}
	free(buf);
out:
	pthread_mutex_lock(&s->lock);
	s->running--;
	pthread_cond_signal(&s->done_cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Build modifier ‖ 9 zeros ‖ pubkey ‖ ext with SHA-1 padding; returns malloc'd buffer. */
static uint8_t *padded_hash2_msg(const struct cga_params *p, const uint8_t modifier[16],
				 size_t *out_len)
{
	size_t len = CGA_FIXED_LEN + p->pubkey_len + p->ext_len;
	size_t padded = (len + 1 + 8 + 63) / 64 * 64;
	uint64_t bits = (uint64_t)len * 8;
	uint8_t *m = calloc(1, padded);
	int i;

	if (!m)
		return NULL;
	memcpy(m, modifier, CGA_MODIFIER_LEN);
	memcpy(m + CGA_FIXED_LEN, p->pubkey, p->pubkey_len);
	memcpy(m + CGA_FIXED_LEN + p->pubkey_len, p->ext, p->ext_len);
	m[len] = 0x80;
	for (i = 0; i < 8; i++)
		m[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
	*out_len = padded;
	return m;
}

int cga_hash2_search(struct cga_params *p, const struct cga_gen_opts *o,
		     struct cga_gen_stats *st)
{
	struct search s = { .best = UINT64_MAX };
	struct cga_gen_stats local, *stats = st ? st : &local;
	unsigned int n = o->threads ? o->threads : cga_default_threads(), started = 0, i;
	uint8_t start[CGA_MODIFIER_LEN], h2[14];
	pthread_t *tids = NULL;
	double t0 = now_s();
	int ret = 0;

	memset(stats, 0, sizeof(*stats));
	if (o->sec > CGA_SEC_MAX_SUPPORTED)
		return -EINVAL;
	if (o->start_modifier)
		memcpy(start, o->start_modifier, sizeof(start));
	else if (RAND_bytes(start, sizeof(start)) != 1)
		return -EIO;
	memcpy(p->modifier, start, sizeof(start));
	if (o->sec == 0) /* §4: steps 2-3 can be skipped */
		goto out;
	if (n > 1024)
		n = 1024;

	s.msg = padded_hash2_msg(p, start, &s.msg_len);
	tids = calloc(n, sizeof(*tids));
	if (!s.msg || !tids) {
		ret = -ENOMEM;
		goto out_free;
	}
	/* h0 holds the leftmost 32 digest bits; Sec 1 needs 16 of them zero, Sec 2 all. */
	s.mask = o->sec == 1 ? 0xffff0000u : 0xffffffffu;
	s.cancel = o->cancel;
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.done_cond, NULL);

	pthread_mutex_lock(&s.lock);
	for (i = 0; i < n; i++) {
		if (pthread_create(&tids[i], NULL, worker, &s))
			break;
		s.running++;
		started++;
	}
	if (!started) {
		pthread_mutex_unlock(&s.lock);
		ret = -EAGAIN;
		goto out_destroy;
	}
	while (s.running) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s.done_cond, &s.lock, &ts);
		if (s.running && o->progress) {
			stats->tries = atomic_load(&s.tries);
			stats->seconds = now_s() - t0;
			stats->threads = started;
			pthread_mutex_unlock(&s.lock);
			o->progress(stats, o->sec, o->progress_arg);
			pthread_mutex_lock(&s.lock);
		}
	}
	pthread_mutex_unlock(&s.lock);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);

	stats->tries = atomic_load(&s.tries);
	stats->threads = started;
	if (atomic_load(&s.best) == UINT64_MAX) {
		ret = (o->cancel && atomic_load(o->cancel)) ? -ECANCELED : -ENOMEM;
		goto out_destroy;
	}
	cga_modifier_add(p->modifier, atomic_load(&s.best));
	/* Self-check through the plain path: a padding bug must not go unnoticed. */
	cga_hash2(p, h2);
	if (!cga_hash2_ok(h2, o->sec))
		ret = -EPROTO;
out_destroy:
	pthread_cond_destroy(&s.done_cond);
	pthread_mutex_destroy(&s.lock);
out_free:
	free((void *)s.msg);
	free(tids);
out:
	stats->seconds = now_s() - t0;
	if (!stats->threads)
		stats->threads = 1;
	return ret;
}

int cga_gen(struct cga_params *p, const struct cga_gen_opts *o, uint8_t addr[16],
	    struct cga_gen_stats *st)
{
	struct cga_gen_stats local, *stats = st ? st : &local;
	double t0 = now_s();
	int ret;

	ret = cga_hash2_search(p, o, stats);
	if (ret)
		return ret;
	/* §4 steps 4-8: up to three collision counts. */
	for (p->collision_count = 0; p->collision_count <= CGA_COLLISIONS_MAX;
	     p->collision_count++) {
		cga_address(p, o->sec, addr);
		if (!o->dad || !o->dad(addr, o->dad_arg))
			break;
	}
	stats->seconds = now_s() - t0;
	if (p->collision_count > CGA_COLLISIONS_MAX)
		return -EADDRINUSE;
	return 0;
}
