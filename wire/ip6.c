// SPDX-License-Identifier: GPL-2.0
/*
 * Find the Shim6 header in an IPv6 packet: walk the extension-header chain
 * (RFC 8200 §4; RFC 5533 §4.6 puts Shim6 after Hop-by-Hop and Routing
 * headers, before Fragment and Destination Options, but a receiver just
 * processes headers in order) to Next Header 140.  Used by `shim6ctl decode`
 * on captures and by shim6d on the packet quoted in an Error message.
 */
#include <errno.h>

#include "wire/shim6_wire.h"
#include "wire/wire_int.h"

#define IPV6_HDR_LEN 40
#define NH_HOPOPTS 0
#define NH_IPV6 41
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_AH 51
#define NH_DSTOPTS 60
#define MAX_NESTING 4

static int notfound(struct shim6_ip6_loc *loc, const char *why)
{
	loc->why = why;
	return -ENOENT;
}

int shim6_ip6_find(const void *pkt, size_t len, struct shim6_ip6_loc *loc)
{
	const uint8_t *p = pkt;
	size_t off = 0;
	int depth;

	*loc = (struct shim6_ip6_loc){ 0 };
	for (depth = 0; depth < MAX_NESTING; depth++) {
		size_t end;
		uint16_t plen;
		uint8_t nh;

		if (len < off + IPV6_HDR_LEN)
			return notfound(loc, "truncated IPv6 header");
		if ((p[off] >> 4) != 6)
			return notfound(loc, "not an IPv6 packet");
		plen = get16(p + off + 4);
		/* The packet ends at its Payload Length (link padding excluded);
		 * 0 (jumbogram) or a longer claim: the data we have. */
		end = off + IPV6_HDR_LEN + plen;
		if (plen == 0 || end > len)
			end = len;
		nh = p[off + 6];
		off += IPV6_HDR_LEN;
		for (;;) {
			size_t hlen;

			if (nh == SHIM6_IPPROTO) {
				loc->shim6_off = off;
				loc->shim6_len = end - off;
				return 0;
			}
			if (nh == NH_IPV6) {
				len = end; /* the inner packet lies within the outer one */
				break;
			}
			if (nh != NH_HOPOPTS && nh != NH_ROUTING && nh != NH_DSTOPTS &&
			    nh != NH_FRAGMENT && nh != NH_AH)
				return notfound(loc, "no Shim6 header");
			if (end < off + 8)
				return notfound(loc, "truncated IPv6 extension header");
			if (nh == NH_FRAGMENT) {
				if (get16(p + off + 2) & 0xfff8)
					return notfound(loc, "non-first fragment");
				hlen = 8;
			} else if (nh == NH_AH) {
				hlen = (p[off + 1] + 2u) * 4;
			} else {
				hlen = (p[off + 1] + 1u) * 8;
			}
			nh = p[off];
			off += hlen;
			if (off > end)
				return notfound(loc, "truncated IPv6 extension header");
		}
	}
	return notfound(loc, "IPv6-in-IPv6 nested too deep");
}
