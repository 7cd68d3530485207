/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMPv6 errors about packets we sent with locators and a Shim6 payload
 * header (RFC 5533 §8): the "packet in error" is not what the transport
 * sent, so translate it back before the stack dispatches the error: quoted
 * addresses to the ULIDs, quoted Shim6 header removed (and the Next Header
 * chain and payload_len with it), Packet Too Big MTU minus 8 (we add 8
 * bytes to every packet of that context), a Parameter Problem pointer
 * behind the Shim6 header minus 8 (one pointing INTO it is about Shim6 and
 * is left untranslated for shim6d), ICMPv6 checksum updated
 * incrementally, outer payload_len minus 8.
 *
 * The context is found by the quoted header's tag, which is CT(peer), and
 * the quoted locator pair (§12.4): map shim6_ptag.
 *
 * The outer destination is left alone: it is our locator, a local address,
 * so the stack accepts the error; icmpv6_notify() then finds the socket and
 * the route (PMTU) from the translated quoted header, i.e. by ULIDs.
 */
#ifndef SHIM6_LIB_ICMP_H
#define SHIM6_LIB_ICMP_H

#include "csum.h"

struct icmp6_hdr_s {
	__u8	type;
	__u8	code;
	__u16	csum;		/* as in memory (see csum.h) */
	__be32	data;		/* PTB: MTU */
};

static __always_inline int icmp6_is_error(__u8 type)
{
	return type >= ICMPV6_DEST_UNREACH && type <= ICMPV6_PARAMPROB;
}

/*
 * `w` is the walk of the outer packet, stopped at the ICMPv6 header.
 * Returns SHIM6_PASS_ICMP_TRANSLATED, SHIM6_PASS_ICMP (not ours: untouched)
 * or -reason.
 */
static __always_inline int shim6_icmp_translate(const struct pkt *p, const struct hdr_walk *w,
						__u16 outer_plen)
{
	__u32 frame = pkt_len(p), icmp = w->off, q = icmp + 8, qlen, tmp;
	struct shim6_ulid_key *ulids;
	struct shim6_ptag_key pk;
	struct icmp6_hdr_s ih;
	struct ipv6hdr qip;
	struct hdr_walk qw;
	struct shim6_hdr sh;
	struct csum_acc acc;
	__u16 old_w, new_w, ulp_len;
	__be16 be;
	__be32 mtu;
	int ret;

	if (pkt_load(p, icmp, &ih, sizeof(ih)))
		return SHIM6_PASS_ICMP;
	if (q + IPV6_HLEN > frame || pkt_load(p, q, &qip, sizeof(qip)))
		return SHIM6_PASS_ICMP;		/* too short to quote anything */
	if (qip.version != 6)
		return SHIM6_PASS_ICMP;

	/* the quote is truncated: walk what is there */
	qlen = frame - q - IPV6_HLEN;
	tmp = bpf_ntohs(qip.payload_len);
	if (tmp < qlen)
		qlen = tmp;
	ret = ipv6_walk(p, &qw, q, qip.nexthdr, qlen);
	if (ret < 0 || qw.nh != SHIM6_NEXTHDR)
		return SHIM6_PASS_ICMP;
	if (qw.off + sizeof(sh) > qw.end || pkt_load(p, qw.off, &sh, sizeof(sh)))
		return SHIM6_PASS_ICMP;
	if (!shim6_is_payload(&sh))
		return SHIM6_PASS_ICMP;		/* a control message in error: shim6d's */

	pk.peer_tag = shim6_hdr_tag(&sh);
	__builtin_memcpy(&pk.loc_local, &qip.saddr, 16);
	__builtin_memcpy(&pk.loc_peer, &qip.daddr, 16);
	ulids = bpf_map_lookup_elem(&shim6_ptag, &pk);
	if (!ulids)
		return SHIM6_PASS_ICMP;
	if (qw.off > PKT_MOVE_MAX || bpf_ntohs(qip.payload_len) < SHIM6_PAYLOAD_HLEN ||
	    outer_plen < (icmp - w->l3off - IPV6_HLEN) + 8 + IPV6_HLEN + SHIM6_PAYLOAD_HLEN)
		return SHIM6_PASS_ICMP;

	csum_acc_init(&acc, ih.csum);
	/* pseudo-header upper-layer length (32 bits, upper half zero) */
	ulp_len = outer_plen - (icmp - w->l3off - IPV6_HLEN);
	old_w = bpf_htons(ulp_len);
	new_w = bpf_htons(ulp_len - SHIM6_PAYLOAD_HLEN);
	csum_acc_replace(&acc, &old_w, &new_w, 2);
	/* quoted addresses */
	csum_acc_replace(&acc, &qip.saddr, ulids, 32);
	/* quoted payload_len */
	old_w = qip.payload_len;
	new_w = bpf_htons(bpf_ntohs(qip.payload_len) - SHIM6_PAYLOAD_HLEN);
	csum_acc_replace(&acc, &old_w, &new_w, 2);
	/* the Next Header byte in front of the Shim6 header (first byte of a word) */
	if (pkt_load(p, qw.nh_off, &old_w, 2))
		return SHIM6_PASS_ICMP;
	new_w = old_w;
	*(__u8 *)&new_w = sh.nexthdr;
	csum_acc_replace(&acc, &old_w, &new_w, 2);
	/* the removed Shim6 header */
	csum_acc_replace(&acc, &sh, NULL, 8);
	mtu = ih.data;
	if (ih.type == ICMPV6_PKT_TOOBIG) {
		/* the transport may send 8 bytes less than the path takes */
		__u32 m = bpf_ntohl(ih.data);

		mtu = bpf_htonl(m > 1280 + SHIM6_PAYLOAD_HLEN ? m - SHIM6_PAYLOAD_HLEN : 1280);
		csum_acc_replace(&acc, &ih.data, &mtu, 4);
	} else if (ih.type == ICMPV6_PARAMPROB) {
		/* the pointer is an offset into the packet in error */
		__u32 ptr = bpf_ntohl(ih.data), at = qw.off - q;

		if (ptr >= at && ptr < at + SHIM6_PAYLOAD_HLEN)
			return SHIM6_PASS_ICMP;	/* a Shim6 parameter: shim6d's business (§8) */
		if (ptr >= at + SHIM6_PAYLOAD_HLEN) {
			mtu = bpf_htonl(ptr - SHIM6_PAYLOAD_HLEN);
			csum_acc_replace(&acc, &ih.data, &mtu, 4);
		}
	}
	ih.csum = csum_acc_final(&acc);

	/* every store before the pop: offsets are still the received ones */
	if (pkt_store(p, q + offsetof(struct ipv6hdr, saddr), ulids, 32) ||
	    pkt_store(p, qw.nh_off, &sh.nexthdr, 1))
		return -SHIM6_DROP_STORE;
	be = bpf_htons(bpf_ntohs(qip.payload_len) - SHIM6_PAYLOAD_HLEN);
	if (pkt_store(p, q + offsetof(struct ipv6hdr, payload_len), &be, 2))
		return -SHIM6_DROP_STORE;
	if (mtu != ih.data && pkt_store(p, icmp + 4, &mtu, 4))
		return -SHIM6_DROP_STORE;
	if (pkt_store(p, icmp + 2, &ih.csum, 2))
		return -SHIM6_DROP_STORE;
	be = bpf_htons(outer_plen - SHIM6_PAYLOAD_HLEN);
	if (pkt_store(p, w->l3off + offsetof(struct ipv6hdr, payload_len), &be, 2))
		return -SHIM6_DROP_STORE;
	if (pkt_pop8(p, w->l3off, qw.off))
		return -SHIM6_DROP_ADJUST_ROOM;
	return SHIM6_PASS_ICMP_TRANSLATED;
}

#endif
