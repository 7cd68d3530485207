// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of bench/reap_scale.sh: puts N established contexts into the
 * pinned data-plane maps of a pin root (what shim6d resumes at start, and
 * then runs REAP on), and plays the data plane of N contexts with steady
 * two-way traffic by advancing their FBD stamps (shim6_egress_ctx.last_send,
 * shim6_ingress_ctx.last_recv and the context's shim6_fbd slot, in jiffies) and packet counters, in batches
 * (BPF_MAP_UPDATE_BATCH), every PERIOD ms.  The helper's own CPU is not
 * the figure: reap_scale.sh measures shim6d's.
 *
 *   bench_reap_scale fill ROOT N
 *   bench_reap_scale stamp ROOT N SECONDS PERIOD_MS [equal|mixed]
 *
 * equal: both stamps of every context get the same jiffy (REAP sees a send
 * and a receive together: no Send Timer, it looks again after the Keepalive
 * Interval, its most frequent reading); mixed (default): per context and
 * round, at random, the send or the receive is one jiffy newer, as with
 * traffic in both directions where either side may have sent last.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <zlib.h>

#include "shim6_shared.h"
#include "loader/loader.h"

static void addr_of(union shim6_addr *a, uint16_t net, uint32_t i)
{
	memset(a, 0, sizeof(*a));
	a->b[0] = 0xfd;
	a->b[1] = 0x00;
	a->b[2] = net >> 8;
	a->b[3] = net & 0xff;
	a->b[12] = i >> 24;
	a->b[13] = i >> 16;
	a->b[14] = i >> 8;
	a->b[15] = i;
}

/* context i (0-based): ULIDs fd00:a::i -> fd00:b::i, second locators fd00:c::i, fd00:d::i */
static void spec_of(struct shim6_ctx_spec *s, uint32_t i)
{
	memset(s, 0, sizeof(*s));
	addr_of(&s->ulid_local, 0xa, i + 1);
	addr_of(&s->ulid_peer, 0xb, i + 1);
	s->local_tag = 0x100000ULL + i;
	s->peer_tag = 0x200000000ULL + i;
	s->local_locs[0] = s->ulid_local;
	addr_of(&s->local_locs[1], 0xc, i + 1);
	s->peer_locs[0] = s->ulid_peer;
	addr_of(&s->peer_locs[1], 0xd, i + 1);
	s->n_local = s->n_peer = 2;
	s->loc_local = s->ulid_local;
	s->loc_peer = s->ulid_peer;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* jiffies now = jc_j0 + (mono - jc_ns0) * HZ, from one read of /proc/timer_list (as shim6d) */
static uint64_t jc_j0, jc_ns0;
static unsigned int hz = 250;

static int jclock_init(void)
{
	unsigned long long ns = 0, j = 0;
	char line[256];
	unsigned int v;
	int got = 0;
	FILE *f = fopen("/proc/timer_list", "re");
	gzFile gz = gzopen("/proc/config.gz", "rb");

	if (gz) {
		while (gzgets(gz, line, sizeof(line)))
			if (sscanf(line, "CONFIG_HZ=%u", &v) == 1 && v)
				hz = v;
		gzclose(gz);
	}
	if (!f)
		return -errno;
	while (got != 3 && fgets(line, sizeof(line), f)) {
		if (!(got & 1) && sscanf(line, "now at %llu nsecs", &ns) == 1)
			got |= 1;
		else if (!(got & 2) && sscanf(line, "jiffies: %llu", &j) == 1)
			got |= 2;
	}
	fclose(f);
	if (got != 3)
		return -ENOENT;
	jc_j0 = j;
	jc_ns0 = ns;
	return 0;
}

static uint64_t jiffies_now(void)
{
	return jc_j0 + (mono_ns() - jc_ns0) * hz / 1000000000ULL;
}

static int fill(const struct shim6_maps *m, uint32_t n)
{
	struct shim6_ctx_spec s;

	for (uint32_t i = 0; i < n; i++) {
		int err;

		spec_of(&s, i);
		err = shim6_ctx_add(m, &s);
		if (err) {
			fprintf(stderr, "bench_reap_scale: context %u: %s\n", i, strerror(-err));
			return 1;
		}
	}
	printf("fill: %u contexts in the maps\n", n);
	return 0;
}

static int stamp(const struct shim6_maps *m, uint32_t n, unsigned int secs, unsigned int period_ms,
		 bool mixed)
{
	struct shim6_ulid_key *uk = calloc(n, sizeof(*uk));
	struct shim6_egress_ctx *eg = calloc(n, sizeof(*eg));
	uint64_t *tag = calloc(n, sizeof(*tag));
	struct shim6_ingress_ctx *in = calloc(n, sizeof(*in));
	uint64_t start = mono_ns(), next = start, rounds = 0;
	struct shim6_ctx_spec s;
	int err = 0;

	if (!uk || !eg || !tag || !in)
		return 1;
	if (jclock_init()) {
		fprintf(stderr, "bench_reap_scale: cannot read jiffies from /proc/timer_list\n");
		return 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		spec_of(&s, i);
		tag[i] = s.local_tag;
		if (shim6_ctx_get(m, tag[i], &uk[i], &eg[i], &in[i])) {
			fprintf(stderr, "bench_reap_scale: context %u is not in the maps\n", i);
			return 1;
		}
	}
	while (mono_ns() - start < (uint64_t)secs * 1000000000ULL) {
		uint64_t j = jiffies_now();
		uint32_t cnt;
		LIBBPF_OPTS(bpf_map_batch_opts, o);

		/* every context sent and received since the last round */
		for (uint32_t i = 0; i < n; i++) {
			bool send_last = mixed && (random() & 1);
			uint64_t sent = j - (mixed && !send_last), rcvd = j - send_last;
			struct shim6_fbd *f = m->fbd_mem && in[i].fbd_slot < m->fbd_n ?
					      &m->fbd_mem[in[i].fbd_slot] : NULL;

			eg[i].last_send = sent;
			eg[i].tx_packets++;
			in[i].last_recv = rcvd;
			if (f && in[i].fbd_slot) {
				/* the receive before this send, then the send (bpf/lib/fbd.h
				 * shim6_fbd_sent), then the receive after it if any */
				if (send_last)
					f->last_recv = rcvd;
				if (f->send_start <= f->last_recv)
					f->send_start = sent;
				f->last_send = sent;
				f->last_recv = rcvd;
			}
			in[i].rx_packets++;
		}
		cnt = n;
		if (bpf_map_update_batch(m->ulid, uk, eg, &cnt, &o) || cnt != n) {
			err = -errno;
			break;
		}
		cnt = n;
		if (bpf_map_update_batch(m->tag, tag, in, &cnt, &o) || cnt != n) {
			err = -errno;
			break;
		}
		rounds++;
		next += (uint64_t)period_ms * 1000000ULL;
		while (mono_ns() < next)
			usleep(1000);
	}
	if (err)
		fprintf(stderr, "bench_reap_scale: batch update: %s\n", strerror(-err));
	else
		printf("stamp: %u contexts, %llu rounds of %u ms\n", n, (unsigned long long)rounds,
		       period_ms);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct shim6_maps m;
	int err;

	if (argc < 4 || (strcmp(argv[1], "fill") && strcmp(argv[1], "stamp")) ||
	    (!strcmp(argv[1], "stamp") && argc < 6)) {
		fprintf(stderr, "usage: bench_reap_scale fill ROOT N | stamp ROOT N SECONDS PERIOD_MS [equal|mixed]\n");
		return 2;
	}
	err = shim6_maps_open(argv[2], &m);
	if (err) {
		fprintf(stderr, "bench_reap_scale: maps under %s: %s\n", argv[2], strerror(-err));
		return 1;
	}
	if (!strcmp(argv[1], "fill"))
		return fill(&m, (uint32_t)strtoul(argv[3], NULL, 0));
	return stamp(&m, (uint32_t)strtoul(argv[3], NULL, 0), (unsigned int)atoi(argv[4]),
		     (unsigned int)atoi(argv[5]), !(argc > 6 && !strcmp(argv[6], "equal")));
}
