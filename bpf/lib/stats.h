/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One place that turns a reason into an action and counts it (xdp-tools'
 * xdp_stats_record_action() shape, cilium's drop reasons): helpers return a
 * shim6_reason (passes) or a negative one (drops); the entry point calls
 * shim6_count() once per packet.
 */
#ifndef SHIM6_LIB_STATS_H
#define SHIM6_LIB_STATS_H

static __always_inline int shim6_is_drop(__u32 reason)
{
	return reason >= SHIM6_VERDICT_MAX_;
}

static __always_inline void shim6_count(__u32 reason, __u64 bytes)
{
	struct shim6_counter *c;

	if (reason >= SHIM6_REASON_MAX)
		return;
	if (shim6_is_drop(reason))
		shim6_dbg("drop reason %u len %llu", reason, bytes);
	c = bpf_map_lookup_elem(&shim6_stats, &reason);
	if (!c)
		return;
	/* per-CPU slot: plain adds, no atomics */
	c->packets++;
	c->bytes += bytes;
}


#endif
