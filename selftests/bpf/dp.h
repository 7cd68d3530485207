/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test harness for the production data-plane objects: open both skeletons,
 * load them WITHOUT pinning or attaching (the ingress object reuses the
 * egress object's maps, as pinning by name does in production), fill the
 * maps as shim6d would, run programs with BPF_PROG_TEST_RUN, read counters
 * and ring-buffer events.
 */
#ifndef SHIM6_TEST_DP_H
#define SHIM6_TEST_DP_H

#include <linux/types.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "shim6_shared.h"
#include "shim6_egress.skel.h"
#include "shim6_ingress.skel.h"

struct dp {
	struct shim6_egress *eg;
	struct shim6_ingress *in;
	struct ring_buffer *rb;
	struct shim6_event ev[16];
	int nev;
};

struct dp_ctx {
	struct in6_addr ulid_local, ulid_peer, loc_local, loc_peer;
	uint64_t local_tag, peer_tag;
	uint32_t ifindex;
	/* extra locators (besides the ULIDs and the current pair) */
	struct in6_addr extra_local, extra_peer;
	bool has_extra_local, has_extra_peer;
};

/* Open and load; max_ctx 0 keeps the default.  Returns 0 or -errno. */
int dp_open(struct dp *dp, uint32_t max_ctx);
void dp_close(struct dp *dp);
int dp_ctx_add(struct dp *dp, const struct dp_ctx *c);
int dp_cfg_set(struct dp *dp, const struct shim6_cfg *cfg);
/*
 * The loader's view of the test maps (every fd, shim6_fbd mapped), for
 * loader calls such as shim6_ctx_add; dp_maps_release() unmaps it.
 */
struct shim6_maps;
void dp_maps(struct dp *dp, struct shim6_maps *m);
void dp_maps_release(struct shim6_maps *m);

struct dp_run {
	const void *in;
	uint32_t in_len;
	uint8_t out[4096];
	uint32_t out_len;
	uint32_t retval;
	uint32_t gso_size, gso_segs;	/* tc only: pretend a GSO skb */
	uint32_t mark;			/* tc only: skb->mark */
	uint32_t repeat;
	uint32_t duration;		/* ns per run, when repeat > 1 */
};

int dp_run_tc(int prog_fd, struct dp_run *r);
int dp_run_xdp(int prog_fd, struct dp_run *r);

/* Sum of a reason's per-CPU packet counters. */
uint64_t dp_count(struct dp *dp, enum shim6_reason reason);
/* Zero every counter. */
void dp_count_reset(struct dp *dp);
/* Drain the ring buffer into dp->ev; returns the number of new events. */
int dp_events(struct dp *dp);

#endif
