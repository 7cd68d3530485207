/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A local ICMPv6 Packet Too Big for a packet that fits the device but not
 * with the 8 bytes of the Shim6 header (tc egress only).  The packet itself
 * becomes the error: truncated so the error fits 1280 bytes, a new IPv6 +
 * ICMPv6 header in front (from the peer's ULID to ours, MTU = device MTU -
 * 8), MAC addresses swapped so our device accepts it, and redirected to the
 * ingress of the device it was leaving.  The stack then lowers the PMTU of
 * the ULID route and the socket hears about it, as for a PTB from the path.
 *
 * Rarely needed: user space lowers the route MTU of protected destinations
 * by 8; this covers the window before it does and senders that ignore it.
 */
#ifndef SHIM6_LIB_PTB_H
#define SHIM6_LIB_PTB_H

#define PTB_MIN_MTU	1280
#define PTB_HLEN	(IPV6_HLEN + 8)
#define PTB_QUOTE_MAX	(PTB_MIN_MTU - PTB_HLEN)	/* 1232 */
#define PTB_CHUNKS	((PTB_QUOTE_MAX + PKT_MOVE_MAX - 1) / PKT_MOVE_MAX)

struct ptb_hdr {
	struct ipv6hdr	ip6;
	__u8		type;
	__u8		code;
	__u16		csum;
	__be32		mtu;
};

struct ptb_pseudo {
	union shim6_addr src;
	union shim6_addr dst;
	__be32	len;
	__u8	zero[3];
	__u8	nexthdr;
};

/* Ones' complement sum of `len` packet bytes from `off`, through the scratch buffer. */
static __always_inline __s64 ptb_sum(const struct pkt *p, __u32 off, __u32 len, __s64 seed)
{
	struct pkt_scratch *s;
	__u32 zero = 0, i;

	s = bpf_map_lookup_elem(&shim6_scratch, &zero);
	if (!s)
		return -1;
	for (i = 0; i < PTB_CHUNKS; i++) {
		__u32 done = i * PKT_MOVE_MAX;
		__u64 n, n4;	/* 64-bit: no zero-extension copy between check and use */

		if (done >= len)
			break;
		n = len - done;
		if (n > PKT_MOVE_MAX)
			n = PKT_MOVE_MAX;
		/* launder through the map, as in pkt_move() */
		s->n = n;
		asm volatile("" ::: "memory");
		n = s->n;
		if (n == 0 || n > PKT_MOVE_MAX)
			return -1;
		PKT_LEN_BOUND(n, PKT_MOVE_MAX);
		if (pkt_load(p, off + done, s->buf, n))
			return -1;
		/* pad the last chunk with zeros to a multiple of 4 */
		n4 = (n + 3) & ~3ULL;
		if (n4 > PKT_MOVE_MAX)
			return -1;
		if (n4 != n) {
			__u64 pad = n4 - n, at = n;

			if (at > PKT_MOVE_MAX - 3)
				return -1;
			s->buf[at & (PKT_MOVE_MAX - 1)] = 0;
			if (pad > 1)
				s->buf[(at + 1) & (PKT_MOVE_MAX - 1)] = 0;
			if (pad > 2)
				s->buf[(at + 2) & (PKT_MOVE_MAX - 1)] = 0;
		}
		seed = bpf_csum_diff(NULL, 0, (__be32 *)s->buf, n4, seed);
		if (seed < 0)
			return -1;
	}
	return seed;
}

static __always_inline __u16 ptb_fold(__s64 sum)
{
	__u64 s = (__u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/*
 * Turn the packet (still as the transport sent it: ULID pair, no Shim6
 * header) into the error and redirect it.  Returns SHIM6_PASS_PTB_SENT with
 * *action = TC_ACT_REDIRECT, or -SHIM6_DROP_TOO_BIG when that failed.
 */
static __always_inline int shim6_ptb_local(struct __sk_buff *skb, const struct shim6_ulid_key *ulids,
					   __u32 dev_mtu, int *action)
{
	struct pkt p = { .ctx = skb, .kind = PKT_TC };
	struct ptb_pseudo ph = {};
	struct ptb_hdr h = {};
	__u8 mac[2 * ETH_ALEN], swapped[2 * ETH_ALEN];
	__u32 qlen = skb->len - ETH_HLEN;
	__s64 sum;

	if (dev_mtu < PTB_MIN_MTU + SHIM6_PAYLOAD_HLEN)
		return -SHIM6_DROP_TOO_BIG;	/* cannot promise the transport 1280 */
	if (qlen > PTB_QUOTE_MAX) {
		qlen = PTB_QUOTE_MAX;
		if (bpf_skb_change_tail(skb, ETH_HLEN + qlen, 0))
			return -SHIM6_DROP_TOO_BIG;
	}
	if (pkt_load(&p, 0, mac, sizeof(mac)))
		return -SHIM6_DROP_TOO_BIG;
	if (bpf_skb_adjust_room(skb, PTB_HLEN, BPF_ADJ_ROOM_MAC, 0))
		return -SHIM6_DROP_TOO_BIG;

	h.ip6.version = 6;
	h.ip6.payload_len = bpf_htons(8 + qlen);
	h.ip6.nexthdr = NEXTHDR_ICMP;
	h.ip6.hop_limit = 255;
	__builtin_memcpy(&h.ip6.saddr, &ulids->peer, 16);
	__builtin_memcpy(&h.ip6.daddr, &ulids->local, 16);
	h.type = ICMPV6_PKT_TOOBIG;
	h.mtu = bpf_htonl(dev_mtu - SHIM6_PAYLOAD_HLEN);

	__builtin_memcpy(&ph.src, &ulids->peer, 16);
	__builtin_memcpy(&ph.dst, &ulids->local, 16);
	ph.len = bpf_htonl(8 + qlen);
	ph.nexthdr = NEXTHDR_ICMP;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)&ph, sizeof(ph), 0);
	if (sum >= 0)
		sum = bpf_csum_diff(NULL, 0, (__be32 *)&h.type, 8, sum);
	if (sum >= 0)
		sum = ptb_sum(&p, ETH_HLEN + PTB_HLEN, qlen, sum);
	if (sum < 0)
		return -SHIM6_DROP_TOO_BIG;
	h.csum = ptb_fold(sum);

	if (pkt_store(&p, ETH_HLEN, &h, sizeof(h)))
		return -SHIM6_DROP_TOO_BIG;
	/* to our own device: destination = the source MAC it was leaving with */
	__builtin_memcpy(swapped, mac + ETH_ALEN, ETH_ALEN);
	__builtin_memcpy(swapped + ETH_ALEN, mac, ETH_ALEN);
	if (pkt_store_l2(&p, 0, swapped, sizeof(swapped)))
		return -SHIM6_DROP_TOO_BIG;
	*action = bpf_redirect(skb->ifindex, BPF_F_INGRESS);
	if (*action != TC_ACT_REDIRECT)
		return -SHIM6_DROP_TOO_BIG;
	return SHIM6_PASS_PTB_SENT;
}

#endif
