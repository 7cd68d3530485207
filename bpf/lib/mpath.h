/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multipath (docs/MULTIPATH.md): several locator pairs per context, one
 * chosen per packet from its skb mark.  Index 0 is the default path (the
 * context's current REAP pair in shim6_egress_ctx); indexes 1..15 are in
 * shim6_path.  Only contexts flagged SHIM6_CTX_F_PATHS look anything up.
 */
#ifndef SHIM6_LIB_MPATH_H
#define SHIM6_LIB_MPATH_H

/* The pair a packet leaves on: the default one or a path's. */
struct mpath_sel {
	const union shim6_addr *loc_local;
	const union shim6_addr *loc_peer;
	__u64	*last_send;
	__u64	*tx_packets;
	__u64	*tx_bytes;
	__u32	ifindex;
	__u32	rewrite;
	__u32	chosen;		/* a path of the table, not the default */
};

static __always_inline void mpath_default(struct mpath_sel *s, struct shim6_egress_ctx *ctx)
{
	s->loc_local = &ctx->loc_local;
	s->loc_peer = &ctx->loc_peer;
	s->last_send = &ctx->last_send;
	s->tx_packets = &ctx->tx_packets;
	s->tx_bytes = &ctx->tx_bytes;
	s->ifindex = ctx->ifindex;
	s->rewrite = ctx->flags & SHIM6_CTX_F_REWRITE;
	s->chosen = 0;
}

/* Count a packet leaving on the chosen pair (context totals and the path's own). */
static __always_inline void mpath_sent(const struct mpath_sel *s, struct shim6_egress_ctx *ctx,
				       __u32 extra, __u32 len)
{
	shim6_ctx_count(&ctx->tx_packets, &ctx->tx_bytes, len);
	if (s->chosen) {
		shim6_fbd_touch(s->last_send);
		shim6_ctx_count(s->tx_packets, s->tx_bytes, len);
	}
	if (extra)
		shim6_count(extra, len);
}

/*
 * Choose the pair for this packet: fills *s (default path or the path its
 * mark selects) and returns the extra counter the caller counts where the
 * packet finally leaves (0: none): PASS_PATH_CHOSEN, or PASS_PATH_MISSING /
 * PASS_PATH_BROKEN when the mark selects an index without a path or a path
 * known broken and the packet falls back to the default path.  Not counted
 * here: a GSO skb sent to the segmentation stage comes back as segments and
 * is counted then, once per segment.
 */
static __always_inline __u32 mpath_choose(struct mpath_sel *s, struct shim6_egress_ctx *ctx,
					  __u32 mark)
{
	struct shim6_mark_rule *rule;
	struct shim6_path_key k;
	struct shim6_path *pa;
	__u32 zero = 0, idx;

	mpath_default(s, ctx);
	if (!(ctx->flags & SHIM6_CTX_F_PATHS) || !mark)
		return 0;
	rule = bpf_map_lookup_elem(&shim6_mark, &zero);
	if (!rule || !rule->mask)
		return 0;
	idx = (mark & rule->mask) >> (rule->shift & 31);
	if (!idx)
		return 0;
	k.local_tag = ctx->local_tag;
	k.index = idx;
	k.pad = 0;
	pa = bpf_map_lookup_elem(&shim6_path, &k);
	if (!pa || idx >= SHIM6_MAX_PATHS)
		return SHIM6_PASS_PATH_MISSING;
	if ((pa->flags & SHIM6_PATH_F_BROKEN) && !(mark & rule->probe))
		return SHIM6_PASS_PATH_BROKEN;
	s->loc_local = &pa->loc_local;
	s->loc_peer = &pa->loc_peer;
	s->last_send = &pa->last_send;
	s->tx_packets = &pa->tx_packets;
	s->tx_bytes = &pa->tx_bytes;
	s->ifindex = pa->ifindex;
	s->rewrite = pa->flags & SHIM6_PATH_F_REWRITE;
	s->chosen = 1;
	return SHIM6_PASS_PATH_CHOSEN;
}

/* Ingress: last-receive and counters of the pair a payload came on. */
static __always_inline void mpath_rx(__u64 tag, const void *dst, const void *src, __u32 len)
{
	struct shim6_pair_key k;
	struct shim6_pair_rx *rx, init;

	k.local_tag = tag;
	__builtin_memcpy(&k.loc_local, dst, 16);
	__builtin_memcpy(&k.loc_peer, src, 16);
	rx = bpf_map_lookup_elem(&shim6_pair, &k);
	if (rx) {
		shim6_fbd_touch(&rx->last_recv);
		shim6_ctx_count(&rx->rx_packets, &rx->rx_bytes, len);
		return;
	}
	/* first packet on this pair: both addresses were checked to be
	 * locators of the context, so at most 16 x 16 entries per context */
	init.last_recv = bpf_jiffies64();
	init.rx_packets = 1;
	init.rx_bytes = len;
	bpf_map_update_elem(&shim6_pair, &k, &init, BPF_NOEXIST);
}

#endif
