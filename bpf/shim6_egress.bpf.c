// SPDX-License-Identifier: GPL-2.0
/*
 * shim6 egress (tc clsact egress of every uplink), RFC 5533 §11.
 *
 * For a packet whose (source, destination) is the ULID pair of a context:
 *  - locators = ULIDs: pass unchanged, record the FBD last-send time;
 *  - otherwise: rewrite the addresses to the current locator pair, insert the
 *    8-byte payload extension header carrying CT(peer) behind the routing
 *    sublayer headers (§4.6), fix payload_len, and send it out of the device
 *    that owns the source locator (bpf_redirect_neigh does the output route
 *    lookup on the NEW addresses and the neighbour resolution, so source
 *    routing rules and a second interface work).
 * Packets without a context feed the trigger heuristic.  Shim6 control
 * messages, our own already-shimmed packets (they come back through this hook
 * after the redirect) and neighbour discovery pass untouched.
 *
 * GSO: the kernel cannot segment an skb that carries next header 140
 * (ipv6_gso_pull_exthdrs() knows no offload for it), so a GSO skb of a
 * rewritten context is not pushed here but redirected to the segmentation
 * stage (shim6_cfg.seg_ifindex, a veth with GSO off); shim6_seg_in, on the
 * far end of that pair, gets the segments and does the rewrite.
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
#include "lib/trigger.h"
#include "lib/fbd.h"
#include "lib/ptb.h"
#include "lib/mpath.h"
#include "lib/nhcache.h"

char LICENSE[] SEC("license") = "GPL";

SHIM6_DEFINE_WALK(shim6_walk_tc, struct __sk_buff, PKT_TC)

/* Rewrite the addresses and insert the payload header.  Returns a reason. */
static __always_inline int egress_rewrite(const struct pkt *p, const struct hdr_walk *w,
					  const struct mpath_sel *sel, __u64 peer_tag, __u16 plen,
					  __u8 hop_limit)
{
	struct shim6_ip6_tail t;
	struct shim6_hdr sh;
	__u8 nh = SHIM6_NEXTHDR;

	if (w->ins_off - (ETH_HLEN + IPV6_HLEN) > SHIM6_MAX_PREFIX)
		return -SHIM6_DROP_EXTHDR_CHAIN;
	if ((__u32)plen + SHIM6_PAYLOAD_HLEN > 0xffff)
		return -SHIM6_DROP_TOO_BIG;	/* would need a jumbogram */

	/* usual case, no extension header in front of the Shim6 header:
	 * open the hole first, then bytes 4..47 (fixed header tail + payload
	 * header) in one store - helper calls are what costs here */
	if (w->ins_off == ETH_HLEN + IPV6_HLEN) {
		struct {
			struct shim6_ip6_tail	t;
			struct shim6_hdr	sh;
		} __attribute__((packed)) th;
		struct shim6_hdr ph;

		th.t.payload_len = bpf_htons(plen + SHIM6_PAYLOAD_HLEN);
		th.t.nexthdr = SHIM6_NEXTHDR;
		th.t.hop_limit = hop_limit;
		__builtin_memcpy((void *)&th.t.saddr, sel->loc_local, 16);
		__builtin_memcpy((void *)&th.t.daddr, sel->loc_peer, 16);
		shim6_payload_hdr(&ph, w->nh_first, peer_tag);
		__builtin_memcpy(&th.sh, &ph, sizeof(ph));
		if (bpf_skb_adjust_room(pkt_skb(p), 8, BPF_ADJ_ROOM_NET, 0))
			return -SHIM6_DROP_ADJUST_ROOM;
		if (pkt_store(p, ETH_HLEN + SHIM6_IP6_TAIL_OFF, &th, sizeof(th)))
			return -SHIM6_DROP_STORE;
		return SHIM6_PASS_REWRITTEN;
	}

	/* payload_len, Next Header (if the Shim6 header follows the fixed
	 * header), hop limit and both addresses in one store */
	t.payload_len = bpf_htons(plen + SHIM6_PAYLOAD_HLEN);
	t.nexthdr = w->ins_nh_off == ETH_HLEN + 6 ? SHIM6_NEXTHDR : w->nh_first;
	t.hop_limit = hop_limit;
	__builtin_memcpy(&t.saddr, sel->loc_local, 16);
	__builtin_memcpy(&t.daddr, sel->loc_peer, 16);
	if (pkt_store(p, ETH_HLEN + SHIM6_IP6_TAIL_OFF, &t, sizeof(t)))
		return -SHIM6_DROP_STORE;
	if (w->ins_nh_off != ETH_HLEN + 6 && pkt_store(p, w->ins_nh_off, &nh, 1))
		return -SHIM6_DROP_STORE;
	if (pkt_push8(p, ETH_HLEN, w->ins_off))
		return -SHIM6_DROP_ADJUST_ROOM;
	shim6_payload_hdr(&sh, w->ins_nh, peer_tag);
	if (pkt_store(p, w->ins_off, &sh, sizeof(sh)))
		return -SHIM6_DROP_STORE;
	return SHIM6_PASS_REWRITTEN;
}

/*
 * Classify; returns a reason (>= 0) or -reason for drops; *action is the tc
 * verdict for passes.  from_seg: called on the segmentation stage's ingress.
 */
static __always_inline int egress(struct __sk_buff *skb, const int from_seg, int *action)
{
	struct pkt p = { .ctx = skb, .kind = PKT_TC };
	struct shim6_egress_ctx *ctx;
	struct shim6_ulid_key key;
	struct shim6_cfg *cfg;
	struct ipv6hdr *ip6;
	struct mpath_sel sel;
	struct hdr_walk w;
	__u32 out_if, mtu, extra;
	__u16 plen;
	__u8 nexthdr, hop;
	int ret;

	*action = TC_ACT_OK;
	if (skb->protocol != bpf_htons(ETH_P_IPV6))
		return SHIM6_PASS_NOT_IPV6;
	ip6 = pkt_ptr(&p, ETH_HLEN, IPV6_HLEN);
	if (!ip6 || ip6->version != 6)
		return -SHIM6_DROP_MALFORMED;
	plen = bpf_ntohs(ip6->payload_len);
	nexthdr = ip6->nexthdr;
	hop = ip6->hop_limit;
	__builtin_memcpy(&key.local, &ip6->saddr, sizeof(key.local));
	__builtin_memcpy(&key.peer, &ip6->daddr, sizeof(key.peer));
	if (ETH_HLEN + IPV6_HLEN + (__u32)plen > skb->len)
		return -SHIM6_DROP_MALFORMED;

	ret = ipv6_walk(&p, &w, ETH_HLEN, nexthdr, plen);
	if (ret < 0)
		return ret;
	if (w.nh == SHIM6_NEXTHDR) {
		struct shim6_hdr sh;

		if (w.off + sizeof(sh) > w.end ||
		    pkt_load_at(&p, w.off, ETH_HLEN + IPV6_HLEN, &sh, sizeof(sh)))
			return -SHIM6_DROP_MALFORMED;
		return shim6_is_payload(&sh) ? SHIM6_PASS_SHIMMED : SHIM6_PASS_CONTROL;
	}
	if (w.nh == NEXTHDR_ICMP && !w.later) {
		__u8 type;

		if (w.off + 1 > w.end || pkt_load(&p, w.off, &type, 1))
			return -SHIM6_DROP_MALFORMED;
		if (type >= NDISC_ROUTER_SOLICITATION && type <= NDISC_REDIRECT)
			return SHIM6_PASS_NDISC;
		if (type == 4 /* Parameter Problem */ && !from_seg) {
			struct shim6_cfg *cfg = shim6_get_cfg();
			__u8 code, quoted_nh;

			/* code 1 (unrecognized next header) quoting a packet
			 * whose first next header is 140: see SHIM6_CFG_F_DAEMON */
			if (cfg && (cfg->flags & SHIM6_CFG_F_DAEMON) &&
			    w.off + 8 + 7 <= w.end &&
			    !pkt_load(&p, w.off + 1, &code, 1) &&
			    !pkt_load(&p, w.off + 8 + 6, &quoted_nh, 1) &&
			    code == 1 && quoted_nh == SHIM6_NEXTHDR)
				return -SHIM6_DROP_OWN_PARAM_PROB;
		}
	}

	ctx = bpf_map_lookup_elem(&shim6_ulid, &key);
	if (!ctx) {
		if (from_seg)
			return -SHIM6_DROP_FIB;	/* context gone meanwhile: no device to use */
		shim6_trigger_account(shim6_get_cfg(), &key, skb->len - ETH_HLEN, skb->ifindex);
		return SHIM6_PASS_NO_CTX;
	}
	shim6_fbd_sent(ctx);
	extra = mpath_choose(&sel, ctx, skb->mark);

	if (!sel.rewrite) {
		mpath_sent(&sel, ctx, extra, skb->len - ETH_HLEN);
		if (from_seg) {
			if (!sel.ifindex)
				return -SHIM6_DROP_FIB;
			*action = bpf_redirect_neigh(sel.ifindex, NULL, 0, 0);
			if (*action != TC_ACT_REDIRECT)
				return -SHIM6_DROP_REDIRECT;
		}
		return SHIM6_PASS_ULID_EQ_LOC;
	}

	cfg = shim6_get_cfg();
	if (from_seg && skb->gso_size)
		return -SHIM6_DROP_GSO;	/* GRO re-merged on the stage: must be off there */
	if (!from_seg && skb->gso_size) {
		__u32 seg = cfg ? cfg->seg_ifindex : 0;

		if (!seg)
			return -SHIM6_DROP_GSO;
		if (seg == skb->ifindex)
			return SHIM6_PASS_TO_SEGMENT;	/* attached on the stage itself: let it go */
		*action = bpf_redirect(seg, 0);
		if (*action != TC_ACT_REDIRECT)
			return -SHIM6_DROP_REDIRECT;
		return SHIM6_PASS_TO_SEGMENT;
	}

	out_if = sel.ifindex;
	if (!out_if && !from_seg)
		out_if = skb->ifindex;
	if (cfg && (cfg->flags & SHIM6_CFG_F_NO_REDIRECT))
		out_if = 0;	/* stay on this device: check its MTU */
	else if (!out_if)
		return -SHIM6_DROP_FIB;

	mtu = 0;
	ret = bpf_check_mtu(skb, out_if, &mtu, SHIM6_PAYLOAD_HLEN, 0);
	if (ret < 0)
		return -SHIM6_DROP_FIB;
	if (ret > 0) {
		if (from_seg)
			return -SHIM6_DROP_TOO_BIG;	/* the socket is not on this path */
		return shim6_ptb_local(skb, &key, mtu, action);
	}

	ret = egress_rewrite(&p, &w, &sel, ctx->peer_tag, plen, hop);
	if (ret < 0)
		return ret;
	mpath_sent(&sel, ctx, extra, skb->len - ETH_HLEN);
	if (out_if) {
		*action = shim6_redirect_out(skb, ctx, out_if, cfg ? cfg->seg_ifindex : 0);
		if (*action != TC_ACT_REDIRECT)
			return -SHIM6_DROP_REDIRECT;
	}
	return SHIM6_PASS_REWRITTEN;
}

static __always_inline int egress_entry(struct __sk_buff *skb, const int from_seg)
{
	__u32 len = skb->len;
	int action, ret;

	ret = egress(skb, from_seg, &action);
	if (ret < 0) {
		shim6_count(-ret, len);
		return TC_ACT_SHOT;
	}
	shim6_count(ret, len);
	return action;
}

SEC("tc")
int shim6_egress(struct __sk_buff *skb)
{
	return egress_entry(skb, 0);
}

/* Far end of the segmentation veth pair (tc ingress): one segment at a time. */
SEC("tc")
int shim6_seg_in(struct __sk_buff *skb)
{
	return egress_entry(skb, 1);
}
