/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multipath path tables (docs/MULTIPATH.md, bpf/shim6_shared.h): extra
 * locator pairs of a context under indexes 1..SHIM6_MAX_PATHS-1, the
 * skb-mark -> index rule, and the per-pair receive stamps.  Index 0 is the
 * default path, the context's current pair (shim6_ctx_set_path / REAP).
 * Functions return 0 or -errno; the maps are struct shim6_maps' path, pair
 * and mark (-ENOTSUP when the pin root predates multipath: re-attach).
 */
#ifndef SHIM6_LOADER_PATH_H
#define SHIM6_LOADER_PATH_H

#include "loader/loader.h"

/* One row of a context's path table, as shown by `context show`. */
struct shim6_path_info {
	uint32_t index;			/* 0: the default path */
	union shim6_addr loc_local, loc_peer;
	uint32_t ifindex, flags;	/* SHIM6_PATH_F_* (index 0: REWRITE only) */
	uint64_t last_send, last_recv;	/* jiffies64, 0 never */
	uint64_t tx_packets, tx_bytes;	/* index 0: the context's minus the paths' */
	uint64_t rx_packets, rx_bytes;	/* of the pair (all indexes with this pair) */
};

/*
 * Adds or replaces path `index` (1..15) of context `local_tag`; both
 * addresses must be locators of the context (-EINVAL), index out of range
 * -ERANGE, no context -ENOENT.  Sets the context's PATHS flags and the
 * shim6_ptag entry of the pair (ICMP errors quoting packets sent on it).
 */
int shim6_path_add(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
		   const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		   uint32_t ifindex);
/* Removes path `index`; the PATHS flags go with the last one.  -ENOENT. */
int shim6_path_del(const struct shim6_maps *m, uint64_t local_tag, uint32_t index);
/* Flags path `index` broken (egress falls back to the default path) or not. */
int shim6_path_set_broken(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
			  bool broken);
/* Is (l, p) the pair of one of the context's paths (1..15)? */
bool shim6_path_uses_pair(const struct shim6_maps *m, uint64_t local_tag,
			  const union shim6_addr *l, const union shim6_addr *p);
/* Path `index` (1..15) as stored; -ENOENT. */
int shim6_path_get(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
		   struct shim6_path *out);
/* Receive stamps of a pair; -ENOENT when nothing arrived on it yet. */
int shim6_pair_get(const struct shim6_maps *m, uint64_t local_tag,
		   const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		   struct shim6_pair_rx *out);
/*
 * The context's table: the default path then every stored index, in index
 * order.  Returns the number of rows written (at most max) or -errno.
 */
int shim6_path_list(const struct shim6_maps *m, uint64_t local_tag,
		    struct shim6_path_info *out, int max);
/* Removes every path and pair entry of a context (context deletion). */
void shim6_path_purge(const struct shim6_maps *m, uint64_t local_tag);

/* Zeroes the traffic counters of a context's paths and pairs (stats reset). */
void shim6_path_reset_counters(const struct shim6_maps *m, uint64_t local_tag);

int shim6_mark_rule_get(const struct shim6_maps *m, struct shim6_mark_rule *r);
/* mask 0 turns the choice by mark off; shift must be < 32 (-ERANGE); probe
 * bits must not overlap the mask (-EINVAL). */
int shim6_mark_rule_set(const struct shim6_maps *m, const struct shim6_mark_rule *r);

#endif
