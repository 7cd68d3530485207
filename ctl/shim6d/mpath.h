/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multipath in shim6d (docs/MULTIPATH.md): the path table of each
 * established context, filled from its verified locator sets, and a per-pair
 * failure detector on the data plane's per-path send and per-pair receive
 * stamps.  Only while the mark rule is on (`shim6ctl path mark-rule mask M`):
 * without it no packet can choose a path, and contexts keep no table (the
 * data plane then does no per-pair accounting).
 *
 * Index assignment: index 1 + i * n_peer + j for local locator i (the ULID
 * first, then the announced ones) and peer locator j (the ULID first, then
 * the verified ones), up to index 15.  With two locators a side:
 * 1 = (L1,P1), 2 = (L1,P2), 3 = (L2,P1), 4 = (L2,P2).
 */
#ifndef SHIM6D_MPATH_H
#define SHIM6D_MPATH_H

#include <stdint.h>

struct dp_maps;
struct shim6_ctx;

/* Bring the context's table in line with its locator sets; entries whose
 * pair is unchanged keep their state and counters.  0, or -errno.  Only
 * while the mark rule is on: the caller checks mpath_rule_on() once per
 * walk (one map read, not one per context). */
int mpath_sync(struct dp_maps *m, const struct shim6_ctx *c);

/*
 * Per-pair failure detection, one pass over the context's paths (called from
 * the daemon's GC tick):
 *  - an ok path that sent more than send_timeout_ms after the last payload
 *    received on its pair is flagged broken (its packets take the default
 *    path) - only once the peer has used the pair at all, so a pair that
 *    only carries one-way traffic is never declared broken;
 *  - a broken path whose pair receives again is ok;
 *  - a broken path is probed (when the mark rule has a probe bit): an ICMPv6
 *    Echo Request between the ULIDs, marked with the path's index and the
 *    probe bit, so the data plane sends it on the broken path; a reply
 *    makes it ok (and the request refreshes the peer's stamp of the pair);
 *  - without a probe bit, a broken path is retried (flagged ok) after twice
 *    send_timeout_ms of context activity; if it did not heal, it is
 *    flagged again.
 * send_timeout_ms 0: REAP's default.  hz: the kernel's CONFIG_HZ (stamps are
 * jiffies).  Returns the number of paths whose state changed.
 */
int mpath_check(struct dp_maps *m, const struct shim6_ctx *c, uint32_t send_timeout_ms,
		unsigned int hz);

/* GC visitor: sync + check every established context in the maps. */
struct mpath_gc {
	struct dp_maps *maps;
	unsigned int hz;	/* CONFIG_HZ: the stamps are jiffies */
};
/* ctx_for_each() visitor: sync and check one context; the caller has
 * checked mpath_rule_on(). */
int mpath_gc_visit(struct shim6_ctx *c, void *arg);
/* Is the skb-mark -> path rule on (mask != 0)?  Without it there are no path tables. */
bool mpath_rule_on(struct dp_maps *m);

#endif
