/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet builder for the BPF tests: eth | ipv6 | extension headers | shim6 |
 * udp | tcp | icmpv6 | payload, with the Next Header chain, payload_len and
 * transport checksums filled in by pb_finish().
 *
 *	struct pb b;
 *	pb_init(&b);
 *	pb_eth(&b); pb_ipv6(&b, &src, &dst); pb_shim6(&b, tag); pb_udp(&b, 1, 2);
 *	pb_pattern(&b, 32);
 *	pb_finish(&b, &ulid_src, &ulid_dst);	// pseudo-header addresses (NULL: the header's)
 */
#ifndef SHIM6_TEST_PKT_H
#define SHIM6_TEST_PKT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define PB_MAX		2048
#define PB_MAX_LAYERS	16

enum pb_layer {
	PB_ETH = 1,
	PB_IPV6,
	PB_EXT,		/* HbH, Routing, Destination Options, Fragment: nexthdr at +0 */
	PB_SHIM6,
	PB_UDP,
	PB_TCP,
	PB_ICMP6,
	PB_RAW,		/* opaque bytes (a quoted packet, payload) */
};

struct pb {
	uint8_t d[PB_MAX];
	size_t len;
	int nl;
	struct {
		enum pb_layer kind;
		uint8_t proto;	/* protocol number of this layer (for the chain) */
		size_t off;
	} l[PB_MAX_LAYERS];
};

void pb_init(struct pb *b);
void pb_eth(struct pb *b);
void pb_eth_type(struct pb *b, uint16_t ethertype);
void pb_ipv6(struct pb *b, const struct in6_addr *src, const struct in6_addr *dst);
/* Hop-by-Hop (0), Routing (43), Destination Options (60): `len` bytes, multiple of 8 */
void pb_ext(struct pb *b, uint8_t type, size_t len);
void pb_frag(struct pb *b, uint16_t offset8, int more, uint32_t id);
void pb_shim6(struct pb *b, uint64_t tag);
/* control message: type, 8 bytes + `body` zero bytes (multiple of 8) */
void pb_shim6_ctrl(struct pb *b, uint8_t type, size_t body);
void pb_udp(struct pb *b, uint16_t sport, uint16_t dport);
void pb_tcp(struct pb *b, uint16_t sport, uint16_t dport);
void pb_icmp6(struct pb *b, uint8_t type, uint8_t code, uint32_t data);
void pb_bytes(struct pb *b, const void *p, size_t n);
void pb_pattern(struct pb *b, size_t n);
/* Close the chain, lengths and checksums.  psrc/pdst: transport pseudo-header
 * addresses (the ULIDs for a shimmed packet), NULL for the IPv6 header's. */
void pb_finish(struct pb *b, const struct in6_addr *psrc, const struct in6_addr *pdst);

/* Shim6 payload extension header bytes for (nexthdr, tag). */
void pb_shim6_bytes(uint8_t out[8], uint8_t nexthdr, uint64_t tag);
struct in6_addr pb_addr(const char *s);

#endif
