/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Next-hop cache for rewritten packets (egress, tc only).
 *
 * bpf_redirect_neigh(ifindex, NULL) makes the kernel do a full IPv6 output
 * route lookup for every packet (ip6_route_output: policy rules, FIB walk,
 * dst) before the neighbour lookup.  On the rewritten path every TCP segment
 * takes it; measured, it was about a tenth of the CPU time of a bulk
 * transfer (docs/DATAPLANE.md §5).  Given a next hop,
 * bpf_redirect_neigh(ifindex, &nh) skips the route lookup and only resolves
 * the neighbour, exactly as the kernel would after its own lookup.
 *
 * So the next hop of (device, locator pair) is looked up with
 * bpf_fib_lookup() - the same policy rules and tables as the kernel's own
 * lookup - and remembered per CPU for 1/SHIM6_NH_TTL_DIV s.  The lookup is
 * done "as if received on" the segmentation stage's device: bpf_fib_lookup()
 * refuses any device that does not forward (even with
 * BPF_FIB_LOOKUP_OUTPUT), hosts do not forward on their uplinks, and the
 * stage's devices do (loader/seg.c).  The result is used only if it leaves
 * through the device the context names.  Consequences, by design:
 *  - a path change (new locators, another device) misses the cache at once:
 *    the entry records what it was computed for;
 *  - a routing change under an unchanged locator pair (a gateway moves) is
 *    seen within 1/SHIM6_NH_TTL_DIV s; the neighbour itself is never
 *    cached (the kernel resolves it on every packet);
 *  - anything unusual - a packet mark (fwmark rules), a lookup that fails
 *    or lands on another device - takes the uncached path.
 */
#ifndef SHIM6_LIB_NHCACHE_H
#define SHIM6_LIB_NHCACHE_H

#ifndef AF_INET6
#define AF_INET6	10
#endif

#define SHIM6_NH_TTL_DIV	10	/* entries live 1/10 s */
#define SHIM6_NH_MAX		16384

struct shim6_nh_entry {
	union shim6_addr	loc_local;	/* what the entry was computed for */
	union shim6_addr	loc_peer;
	struct bpf_redir_neigh	nh;		/* AF_INET6 + next-hop address */
	__u64			stamp;		/* jiffies64 of the lookup */
	__u32			ifindex;
	__u32			pad;
};

/* Per CPU: no atomics, no cache-line transfers; keyed by CT(local). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, SHIM6_NH_MAX);
	__type(key, __u64);
	__type(value, struct shim6_nh_entry);
} shim6_nhcache SEC(".maps");

static __always_inline int nh_entry_fresh(const struct shim6_nh_entry *e,
					  const struct shim6_egress_ctx *ctx, __u32 ifindex,
					  __u64 now)
{
	return e->ifindex == ifindex && now - e->stamp < shim6_hz / SHIM6_NH_TTL_DIV &&
	       e->loc_peer.d[0] == ctx->loc_peer.d[0] &&
	       e->loc_peer.d[1] == ctx->loc_peer.d[1] &&
	       e->loc_local.d[0] == ctx->loc_local.d[0] &&
	       e->loc_local.d[1] == ctx->loc_local.d[1];
}

/*
 * Fill `e` for ctx's locator pair out of `ifindex`, looked up as if received
 * on `lookup_if`; 0, or -1: let the kernel route.
 */
static __always_inline int nh_lookup(struct __sk_buff *skb, const struct shim6_egress_ctx *ctx,
				     __u32 ifindex, __u32 lookup_if, struct shim6_nh_entry *e,
				     __u64 now)
{
	struct bpf_fib_lookup fib = {};
	long ret;

	fib.family = AF_INET6;
	fib.ifindex = lookup_if;
	fib.tot_len = IPV6_HLEN;	/* MTU: bpf_check_mtu() did it already */
	__builtin_memcpy(fib.ipv6_src, &ctx->loc_local, 16);
	__builtin_memcpy(fib.ipv6_dst, &ctx->loc_peer, 16);
	ret = bpf_fib_lookup(skb, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	if (ret != BPF_FIB_LKUP_RET_SUCCESS || fib.ifindex != ifindex)
		return -1;
	__builtin_memcpy(&e->loc_local, &ctx->loc_local, 16);
	__builtin_memcpy(&e->loc_peer, &ctx->loc_peer, 16);
	__builtin_memset(&e->nh, 0, sizeof(e->nh));
	e->nh.nh_family = AF_INET6;
	__builtin_memcpy(e->nh.ipv6_nh, fib.ipv6_dst, 16);	/* gateway, or the peer if on-link */
	e->stamp = now;
	e->ifindex = ifindex;
	e->pad = 0;
	return 0;
}

/*
 * Redirect a rewritten packet out of `ifindex` (neighbour resolution by the
 * kernel); returns the tc action of bpf_redirect_neigh().  lookup_if: the
 * segmentation stage's device, 0 if there is none (no cache then).
 */
static __always_inline long shim6_redirect_out(struct __sk_buff *skb,
					       const struct shim6_egress_ctx *ctx, __u32 ifindex,
					       __u32 lookup_if)
{
	struct shim6_nh_entry *e, fresh;
	__u64 key = ctx->local_tag;
	__u64 now;

	if (skb->mark || !lookup_if)
		return bpf_redirect_neigh(ifindex, NULL, 0, 0);	/* fwmark rules: kernel */
	now = bpf_jiffies64();
	e = bpf_map_lookup_elem(&shim6_nhcache, &key);
	if (e && nh_entry_fresh(e, ctx, ifindex, now))
		return bpf_redirect_neigh(ifindex, &e->nh, sizeof(e->nh), 0);
	if (nh_lookup(skb, ctx, ifindex, lookup_if, &fresh, now))
		return bpf_redirect_neigh(ifindex, NULL, 0, 0);
	bpf_map_update_elem(&shim6_nhcache, &key, &fresh, BPF_ANY);
	return bpf_redirect_neigh(ifindex, &fresh.nh, sizeof(fresh.nh), 0);
}

#endif
