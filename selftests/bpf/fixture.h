/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table fixtures for the data-plane tests (katran style): a packet is
 * described by its addresses and a layer string, built with pkt.c, run
 * through a production program, and compared byte for byte with the
 * expected packet, plus the verdict and the reason counter.
 *
 * Layer tokens (comma separated, after eth|ipv6):
 *   hbhN rtN dstN   Hop-by-Hop / Routing / Destination Options of N bytes
 *   frag0 frag1     Fragment header, first / non-first fragment
 *   shim            Shim6 payload header with the case's tag
 *   ctrl            Shim6 control message (P=0), 16 bytes
 *   udp tcp         transport header
 *   icmpT           ICMPv6 header of type T
 *   payN            N pattern bytes
 */
#ifndef SHIM6_TEST_FIXTURE_H
#define SHIM6_TEST_FIXTURE_H

#include "selftests/bpf/pkt.h"

/* Addresses of the fixtures */
#define A1 "2001:db8:a1::1"	/* our ULID */
#define A2 "2001:db8:a2::1"	/* our second locator */
#define A9 "2001:db8:a9::9"	/* not ours */
#define B1 "2001:db8:b1::1"	/* peer ULID of context 1 (locators = ULIDs) */
#define B2 "2001:db8:b2::2"	/* peer ULID of context 2 (rewritten) */
#define B3 "2001:db8:b3::2"	/* peer locator of context 2 */
#define B9 "2001:db8:b9::9"	/* not the peer's */
#define NC "2001:db8:ee::7"	/* a peer without context */

#define TAG1_LOCAL	0x1111ULL
#define TAG1_PEER	0x2222ULL
#define TAG2_LOCAL	0x3333ULL
#define TAG2_PEER	0x7abcdeadbeefULL

/* Build eth|ipv6(src,dst)|layers; transport checksums over (psrc, pdst). */
void fx_build(struct pb *b, const char *src, const char *dst, const char *layers, uint64_t tag,
	      const char *psrc, const char *pdst);

#endif
