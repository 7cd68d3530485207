/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6 Router Advertisements (RFC 4861 §4.2) and their Prefix Information
 * options (§4.6.2): just enough to drive address autoconfiguration (RFC 4862
 * §5.5.3) in shim6d.
 *
 * nd_ra_parse() takes the ICMPv6 message as a raw ICMPv6 socket returns it
 * (the kernel has checked the checksum) and applies the §6.1.2 checks that
 * need only the message: type 134, code 0, at least 16 octets, every option
 * with a non-zero length that fits.  Checks that need the IPv6 header (hop
 * limit 255, link-local source) are nd_ra_source_ok().  A Prefix Information
 * option whose Length is not 4 is skipped (counted in `bad_prefix_opts`), as
 * an unknown option would be, without discarding the rest.
 */
#ifndef SHIM6_WIRE_ND_RA_H
#define SHIM6_WIRE_ND_RA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_RA_TYPE		134
#define ND_RS_TYPE		133
#define ND_RA_HDR_LEN		16	/* type, code, cksum, hop, flags, lifetime, 2 timers */
#define ND_OPT_PREFIX_INFO	3
#define ND_OPT_PREFIX_INFO_LEN	32	/* Length 4, in 8-octet units */
#define ND_RA_MAX_PREFIXES	16	/* more are counted in dropped_prefixes */
#define ND_LIFETIME_INFINITY	0xffffffffu

struct nd_ra_prefix {
	uint8_t	prefix[16];	/* as sent; bits beyond len are not cleared */
	uint8_t	len;		/* Prefix Length, 0..128 (larger values are kept: caller checks) */
	bool	onlink;		/* L */
	bool	autonomous;	/* A */
	uint32_t valid;		/* seconds, ND_LIFETIME_INFINITY = infinite */
	uint32_t preferred;
};

struct nd_ra {
	uint8_t	cur_hop_limit;
	uint8_t	flags;		/* M (0x80), O (0x40), ... */
	uint16_t router_lifetime;
	uint32_t reachable_ms, retrans_ms;
	unsigned int n_prefixes;
	struct nd_ra_prefix prefixes[ND_RA_MAX_PREFIXES];
	unsigned int dropped_prefixes;	/* beyond ND_RA_MAX_PREFIXES */
	unsigned int bad_prefix_opts;	/* Prefix Information with Length != 4 */
};

/*
 * Parse an ICMPv6 Router Advertisement.  0, or -EBADMSG (not an RA, short,
 * zero-length or overrunning option: RFC 4861 §6.1.2 says discard it).
 */
int nd_ra_parse(const uint8_t *buf, size_t len, struct nd_ra *ra);

/* §6.1.2: IP Hop Limit 255 and a link-local source address. */
bool nd_ra_source_ok(const uint8_t src[16], int hop_limit);

/* Encode a Router Solicitation without options (§4.1) into buf (8 octets). */
size_t nd_rs_encode(uint8_t *buf, size_t len);

#endif
