// SPDX-License-Identifier: GPL-2.0
/*
 * shim6 ingress, RFC 5533 §12 and §8, built twice from the same code:
 * SEC("xdp") shim6_xdp_in and SEC("tc") shim6_tc_in (clsact ingress).
 *
 *  - Shim6 payload header (P=1): find the context by CT(local), accept only
 *    if the source is one of the peer's locators and the destination one of
 *    ours (shim6_loc), restore the ULIDs, remove the header, fix
 *    payload_len, record the FBD last-receive time;
 *  - control message (P=0): up to the stack (shim6d's raw socket);
 *  - unknown tag: drop, count, and a rate-limited event so shim6d can answer
 *    with R1bis (§7.17);
 *  - ICMPv6 error quoting one of our shimmed packets: translate (lib/icmp.h);
 *  - a packet on a context's ULID pair without header: record last-receive.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "shim6_shared.h"
#include "lib/compat.h"
#include "lib/wire.h"
#include "lib/pkt.h"
#include "lib/maps.h"
#include "lib/stats.h"
#include "lib/events.h"
#include "lib/parse.h"
#include "lib/fbd.h"
#include "lib/icmp.h"
#include "lib/mpath.h"

char LICENSE[] SEC("license") = "GPL";

SHIM6_DEFINE_WALK(shim6_walk_tc, struct __sk_buff, PKT_TC)
SHIM6_DEFINE_WALK(shim6_walk_xdp, struct xdp_md, PKT_XDP)

#define SHIM6_UNKNOWN_TAG_RATE_DEFAULT	10

/* Unknown-tag event budget: per second, shared by all CPUs (racy by design:
 * a CPU more or less does not matter for a rate limit). */
__u64 shim6_rl_second;
__u32 shim6_rl_count;

static __always_inline void unknown_tag_event(const struct pkt *p, __u64 tag,
					      const struct ipv6hdr *ip6)
{
	struct shim6_cfg *cfg = shim6_get_cfg();
	__u32 rate = cfg && cfg->unknown_tag_rate ? cfg->unknown_tag_rate
						 : SHIM6_UNKNOWN_TAG_RATE_DEFAULT;
	__u64 sec = bpf_ktime_get_ns() / 1000000000ULL;

	if (sec != shim6_rl_second) {
		shim6_rl_second = sec;
		shim6_rl_count = 0;
	}
	if (shim6_rl_count >= rate)
		return;
	shim6_rl_count++;
	shim6_emit(SHIM6_EV_UNKNOWN_TAG, pkt_ifindex(p), tag, 0,
		   (const union shim6_addr *)&ip6->saddr, (const union shim6_addr *)&ip6->daddr);
}

static __always_inline int is_locator(__u64 tag, const void *addr, __u32 side)
{
	struct shim6_loc_key k;
	__u32 *v;

	k.local_tag = tag;
	__builtin_memcpy(&k.addr, addr, sizeof(k.addr));
	v = bpf_map_lookup_elem(&shim6_loc, &k);
	return v && (*v & side);
}

/* P=1 payload header at w->off: restore and pop.  `ip6` is a stack copy. */
static __always_inline int ingress_payload(const struct pkt *p, const struct hdr_walk *w,
					   const struct ipv6hdr *ip6, const struct shim6_hdr *sh)
{
	struct shim6_ingress_ctx *ictx;
	struct shim6_ip6_tail t;
	__u64 tag;

	/* a second Shim6 header behind the payload header means nothing
	 * (RFC 5533 §5): popping one would hand the stack a Shim6 header */
	if (sh->hdrlen != 0 || sh->nexthdr == SHIM6_NEXTHDR)
		return -SHIM6_DROP_MALFORMED;
	if (ipv6_is_exthdr(sh->nexthdr)) {
		/* ... also further down the chain (found by test_pktfuzz):
		 * walk what follows, as if it followed a fixed header */
		struct hdr_walk rest;
		__u32 after = w->off + SHIM6_PAYLOAD_HLEN;

		if (after > w->end || after < IPV6_HLEN)
			return -SHIM6_DROP_MALFORMED;
		if (ipv6_walk(p, &rest, after - IPV6_HLEN, sh->nexthdr,
			      (__u16)(w->end - after)) == 0 &&
		    rest.nh == SHIM6_NEXTHDR && !rest.later)
			return -SHIM6_DROP_MALFORMED;
	}
	if (w->off - (w->l3off + IPV6_HLEN) > SHIM6_MAX_PREFIX)
		return -SHIM6_DROP_EXTHDR_CHAIN;
	tag = shim6_hdr_tag(sh);
	ictx = bpf_map_lookup_elem(&shim6_tag, &tag);
	if (!ictx) {
		unknown_tag_event(p, tag, ip6);
		return -SHIM6_DROP_UNKNOWN_TAG;
	}
	if (!is_locator(tag, &ip6->saddr, SHIM6_LOC_PEER))
		return -SHIM6_DROP_FOREIGN_SRC;
	if (!is_locator(tag, &ip6->daddr, SHIM6_LOC_LOCAL))
		return -SHIM6_DROP_FOREIGN_DST;

	/* the packet now comes from the peer's ULID to ours; payload_len,
	 * Next Header (if the Shim6 header followed the fixed header), hop
	 * limit and addresses in one store */
	t.payload_len = bpf_htons(bpf_ntohs(ip6->payload_len) - SHIM6_PAYLOAD_HLEN);
	t.nexthdr = w->nh_off == w->l3off + 6 ? sh->nexthdr : ip6->nexthdr;
	t.hop_limit = ip6->hop_limit;
	__builtin_memcpy(&t.saddr, &ictx->ulid_peer, 16);
	__builtin_memcpy(&t.daddr, &ictx->ulid_local, 16);
	if (p->kind == PKT_XDP && w->l3off == ETH_HLEN && w->off == ETH_HLEN + IPV6_HLEN &&
	    pkt_xdp_pop8_front(p, &t) == 0)
		goto done;
	if (pkt_store(p, w->l3off + SHIM6_IP6_TAIL_OFF, &t, sizeof(t)))
		return -SHIM6_DROP_STORE;
	if (w->nh_off != w->l3off + 6 && pkt_store(p, w->nh_off, &sh->nexthdr, 1))
		return -SHIM6_DROP_STORE;
	if (pkt_pop8(p, w->l3off, w->off))
		return -SHIM6_DROP_ADJUST_ROOM;
done:

	shim6_fbd_received(ictx);
	shim6_ctx_count(&ictx->rx_packets, &ictx->rx_bytes,
			bpf_ntohs(ip6->payload_len) - SHIM6_PAYLOAD_HLEN + IPV6_HLEN);
	if (ictx->flags & SHIM6_ICTX_F_PATHS)
		mpath_rx(tag, &ip6->daddr, &ip6->saddr,
			 bpf_ntohs(ip6->payload_len) - SHIM6_PAYLOAD_HLEN + IPV6_HLEN);
	return SHIM6_PASS_RESTORED;
}

/* A packet without Shim6 header: is it on a context's ULID pair? */
static __always_inline int ingress_plain(const struct ipv6hdr *ip6, __u32 len)
{
	struct shim6_ingress_ctx *ictx;
	struct shim6_egress_ctx *ectx;
	struct shim6_ulid_key key;

	__builtin_memcpy(&key.local, &ip6->daddr, 16);
	__builtin_memcpy(&key.peer, &ip6->saddr, 16);
	ectx = bpf_map_lookup_elem(&shim6_ulid, &key);
	if (!ectx)
		return SHIM6_PASS_NO_CTX;
	ictx = bpf_map_lookup_elem(&shim6_tag, &ectx->local_tag);
	if (ictx) {
		shim6_fbd_received(ictx);
		shim6_ctx_count(&ictx->rx_packets, &ictx->rx_bytes, len);
		if (ictx->flags & SHIM6_ICTX_F_PATHS)
			mpath_rx(ectx->local_tag, &ip6->daddr, &ip6->saddr, len);
	}
	return SHIM6_PASS_ULID_EQ_LOC;
}

static __always_inline int ingress(const struct pkt *p)
{
	struct ipv6hdr ip6, *hp;
	struct shim6_hdr sh;
	struct hdr_walk w;
	__u32 len = pkt_len(p);
	int icmp_error = 0;
	__u16 plen;
	__be16 *proto;
	int ret;

	proto = pkt_ptr(p, 12, 2);
	if (!proto || *proto != bpf_htons(ETH_P_IPV6))
		return SHIM6_PASS_NOT_IPV6;
	hp = pkt_ptr(p, ETH_HLEN, IPV6_HLEN);
	if (!hp)
		return -SHIM6_DROP_MALFORMED;
	__builtin_memcpy(&ip6, hp, sizeof(ip6));
	if (ip6.version != 6)
		return -SHIM6_DROP_MALFORMED;
	plen = bpf_ntohs(ip6.payload_len);
	if (ETH_HLEN + IPV6_HLEN + (__u32)plen > len)
		return -SHIM6_DROP_MALFORMED;

	ret = ipv6_walk(p, &w, ETH_HLEN, ip6.nexthdr, plen);
	if (ret < 0)
		return ret;

	if (w.nh == SHIM6_NEXTHDR) {
		if (w.off + sizeof(sh) > w.end ||
		    pkt_load_at(p, w.off, ETH_HLEN + IPV6_HLEN, &sh, sizeof(sh)))
			return -SHIM6_DROP_MALFORMED;
		if (!shim6_is_payload(&sh))
			return SHIM6_PASS_CONTROL;
		return ingress_payload(p, &w, &ip6, &sh);
	}
	if (w.nh == NEXTHDR_ICMP && !w.later) {
		__u8 type;

		if (w.off + 8 > w.end || pkt_load(p, w.off, &type, 1))
			return -SHIM6_DROP_MALFORMED;
		if (type >= NDISC_ROUTER_SOLICITATION && type <= NDISC_REDIRECT)
			return SHIM6_PASS_NDISC;
		if (icmp6_is_error(type)) {
			ret = shim6_icmp_translate(p, &w, plen);
			if (ret != SHIM6_PASS_ICMP)
				return ret;
			icmp_error = 1;
		}
	}
	ret = ingress_plain(&ip6, len - ETH_HLEN);
	if (ret == SHIM6_PASS_NO_CTX && w.later)
		return SHIM6_PASS_FRAGMENT;
	if (ret == SHIM6_PASS_NO_CTX && icmp_error)
		return SHIM6_PASS_ICMP;
	return ret;
}

SEC("xdp")
int shim6_xdp_in(struct xdp_md *xdp)
{
	struct pkt p = { .ctx = xdp, .kind = PKT_XDP };
	__u32 len = pkt_len(&p);
	int ret = ingress(&p);

	if (ret < 0) {
		shim6_count(-ret, len);
		return XDP_DROP;
	}
	shim6_count(ret, len);
	return XDP_PASS;
}

SEC("tc")
int shim6_tc_in(struct __sk_buff *skb)
{
	struct pkt p = { .ctx = skb, .kind = PKT_TC };
	__u32 len = skb->len;
	int ret = ingress(&p);

	if (ret < 0) {
		shim6_count(-ret, len);
		return TC_ACT_SHOT;
	}
	shim6_count(ret, len);
	return TC_ACT_OK;
}
