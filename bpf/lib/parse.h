/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded walk of an IPv6 extension-header chain (xdp-tools' hdr_cursor idea).
 *
 * The walk stops at the Shim6 header (140: never skipped silently), at a
 * Fragment header of a non-first fragment, at ESP, and at any upper-layer
 * protocol.  On the way it records where RFC 5533 §4.6 / §11.1 puts a Shim6
 * header: behind the "routing sublayer" headers (Hop-by-Hop, Routing, and a
 * Destination Options header that precedes a Routing header), before
 * Fragment, Destination Options, AH, ESP and the ULP.
 *
 * Errors are negative shim6_reason values, as everywhere in bpf/lib.
 */
#ifndef SHIM6_LIB_PARSE_H
#define SHIM6_LIB_PARSE_H

struct hdr_walk {
	__u32	l3off;		/* fixed IPv6 header */
	__u32	end;		/* l3off + 40 + payload_len */
	__u32	off;		/* header of type `nh` starts here */
	__u32	nh_off;		/* byte that holds `nh` (Next Header of the previous header) */
	__u32	ins_off;	/* where a Shim6 header goes (§4.6) */
	__u32	ins_nh_off;	/* the Next Header byte in front of ins_off */
	__u8	nh;		/* type of the header at `off` */
	__u8	nh_first;	/* Next Header of the fixed header */
	__u8	ins_nh;		/* the value at ins_nh_off */
	__u8	fragment;	/* a Fragment header was passed */
	__u8	later;		/* non-first fragment: no upper-layer header */
	__u8	pad[3];
};

static __always_inline int ipv6_is_exthdr(__u8 nh)
{
	return nh == NEXTHDR_HOP || nh == NEXTHDR_ROUTING || nh == NEXTHDR_DEST ||
	       nh == NEXTHDR_FRAGMENT || nh == NEXTHDR_AUTH;
}

static __always_inline void walk_init(struct hdr_walk *w, __u32 l3off, __u8 nexthdr,
				      __u16 payload_len)
{
	w->l3off = l3off;
	w->end = l3off + IPV6_HLEN + payload_len;
	w->off = l3off + IPV6_HLEN;
	w->nh_off = l3off + 6;
	w->nh = nexthdr;
	w->nh_first = nexthdr;
	w->ins_off = w->off;
	w->ins_nh_off = w->nh_off;
	w->ins_nh = nexthdr;
	w->fragment = 0;
	w->later = 0;
}

/*
 * Walk from the fixed header at l3off.  `end` bounds the walk (payload_len);
 * the caller has checked the fixed header is there.
 */
static __always_inline int __ipv6_walk(const struct pkt *p, struct hdr_walk *w, __u32 l3off,
				       __u8 nexthdr, __u16 payload_len)
{
	int routing = 1;	/* still in the routing sublayer */
	__u32 i;

	walk_init(w, l3off, nexthdr, payload_len);

	for (i = 0; i < SHIM6_MAX_EXTHDRS; i++) {
		struct shim6_opt_hdr oh;
		__u32 len;

		if (!ipv6_is_exthdr(w->nh) || w->later)
			return 0;	/* 140, ESP, ULP, No Next Header, fragment data */
		if (w->off + 8 > w->end)
			return -SHIM6_DROP_MALFORMED;
		if (pkt_load(p, w->off, &oh, sizeof(oh)))
			return -SHIM6_DROP_MALFORMED;

		switch (w->nh) {
		case NEXTHDR_FRAGMENT: {
			__be16 frag_off;

			if (pkt_load(p, w->off + 2, &frag_off, sizeof(frag_off)))
				return -SHIM6_DROP_MALFORMED;
			w->fragment = 1;
			/* offset bits 15..3; a non-first fragment has no ULP header */
			if (bpf_ntohs(frag_off) & 0xfff8)
				w->later = 1;
			len = 8;
			routing = 0;
			break;
		}
		case NEXTHDR_AUTH:
			len = ((__u32)oh.hdrlen + 2) * 4;
			routing = 0;
			break;
		case NEXTHDR_DEST:
			/* part of the routing sublayer only in front of a Routing header */
			if (oh.nexthdr != NEXTHDR_ROUTING)
				routing = 0;
			len = ((__u32)oh.hdrlen + 1) * 8;
			break;
		default:	/* Hop-by-Hop, Routing */
			len = ((__u32)oh.hdrlen + 1) * 8;
			break;
		}
		if (w->off + len > w->end)
			return -SHIM6_DROP_MALFORMED;
		w->nh_off = w->off;
		w->nh = oh.nexthdr;
		w->off += len;
		if (routing) {
			w->ins_off = w->off;
			w->ins_nh_off = w->nh_off;
			w->ins_nh = w->nh;
		}
	}
	if (ipv6_is_exthdr(w->nh) && !w->later)
		return -SHIM6_DROP_EXTHDR_CHAIN;
	return 0;
}

/*
 * The walk as a global (separately verified) function per program type.
 * The verifier checks it once, and its results are plain unknown scalars
 * for the caller: without this, every path through the loop multiplied
 * the states of everything after it (two walks in the ingress program -
 * outer packet and ICMP quote - went past the 1M instruction limit).
 * Offsets it returns are only used through bounds-checked helpers.
 */
#define SHIM6_DEFINE_WALK(name, ctx_type, pkt_kind)                            \
	__attribute__((noinline)) int name(ctx_type *ctx, struct hdr_walk *w,  \
					   __u32 l3off, __u32 nexthdr,         \
					   __u32 payload_len)                  \
	{                                                                      \
		struct pkt p = { .ctx = ctx, .kind = pkt_kind };               \
                                                                               \
		if (!w)                                                        \
			return -SHIM6_DROP_MALFORMED;                          \
		return __ipv6_walk(&p, w, l3off, nexthdr, payload_len);        \
	}

int shim6_walk_tc(struct __sk_buff *ctx, struct hdr_walk *w, __u32 l3off, __u32 nexthdr,
		  __u32 payload_len);
int shim6_walk_xdp(struct xdp_md *ctx, struct hdr_walk *w, __u32 l3off, __u32 nexthdr,
		   __u32 payload_len);

static __always_inline int ipv6_walk(const struct pkt *p, struct hdr_walk *w, __u32 l3off,
				     __u8 nexthdr, __u16 payload_len)
{
	/* fast path, most packets: no extension header at all */
	if (!ipv6_is_exthdr(nexthdr)) {
		walk_init(w, l3off, nexthdr, payload_len);
		return 0;
	}
	if (p->kind == PKT_XDP)
		return shim6_walk_xdp(pkt_xdp(p), w, l3off, nexthdr, payload_len);
	return shim6_walk_tc(pkt_skb(p), w, l3off, nexthdr, payload_len);
}

#endif
