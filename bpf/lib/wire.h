/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Shim6 headers as the data plane sees them (RFC 5533 §5.1, §5.2).
 * The first 17 bits are common: Next Header, Hdr Ext Len, and the P bit that
 * tells the 8-byte payload extension header (P=1, followed by the 47-bit
 * receiver context tag) from a control message (P=0).
 */
#ifndef SHIM6_LIB_WIRE_H
#define SHIM6_LIB_WIRE_H

struct shim6_hdr {
	__u8	nexthdr;
	__u8	hdrlen;		/* in 8-octet units, not counting the first 8 */
	__u8	p_tag_hi;	/* P bit, then tag bits 46..40 */
	__u8	tag_b3;		/* tag bits 39..32 */
	__be32	tag_lo;		/* tag bits 31..0 */
};
_Static_assert(sizeof(struct shim6_hdr) == SHIM6_PAYLOAD_HLEN, "payload header is 8 bytes");

#define SHIM6_P_BIT	0x80

static __always_inline int shim6_is_payload(const struct shim6_hdr *h)
{
	return h->p_tag_hi & SHIM6_P_BIT;
}

static __always_inline __u64 shim6_hdr_tag(const struct shim6_hdr *h)
{
	return ((__u64)(h->p_tag_hi & 0x7f) << 40) | ((__u64)h->tag_b3 << 32) |
	       bpf_ntohl(h->tag_lo);
}

static __always_inline void shim6_payload_hdr(struct shim6_hdr *h, __u8 nexthdr, __u64 tag)
{
	h->nexthdr = nexthdr;
	h->hdrlen = 0;
	h->p_tag_hi = SHIM6_P_BIT | ((tag >> 40) & 0x7f);
	h->tag_b3 = (tag >> 32) & 0xff;
	h->tag_lo = bpf_htonl((__u32)tag);
}

/* Bytes 4..39 of the fixed IPv6 header: what the shim rewrites, in one store. */
struct shim6_ip6_tail {
	__be16	payload_len;
	__u8	nexthdr;
	__u8	hop_limit;
	union shim6_addr saddr;
	union shim6_addr daddr;
} __attribute__((packed));
_Static_assert(sizeof(struct shim6_ip6_tail) == 36, "ipv6 header bytes 4..39");
#define SHIM6_IP6_TAIL_OFF	4

/* Generic IPv6 extension header prefix (HbH, Routing, Destination Options). */
struct shim6_opt_hdr {
	__u8	nexthdr;
	__u8	hdrlen;
};

#endif
