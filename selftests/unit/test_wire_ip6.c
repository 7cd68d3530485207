// SPDX-License-Identifier: GPL-2.0
/* Locating the Shim6 header in an IPv6 packet: the extension-header walk. */
#include <errno.h>

#include "selftests/unit/wire_test.h"

/* IPv6 header with payload length plen and next header nh; 40 bytes. */
static size_t ip6(uint8_t *p, uint16_t plen, uint8_t nh)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = plen >> 8, p[5] = plen & 0xff;
	p[6] = nh;
	p[7] = 64;
	return 40;
}

TEST(wire_ip6_find)
{
	uint8_t p[256];
	struct shim6_ip6_loc loc;
	size_t o;

	SUBTEST("Shim6 right after IPv6");
	o = ip6(p, 16, 140);
	ASSERT_OK(shim6_ip6_find(p, o + 16, &loc), "found");
	ASSERT_EQ(loc.shim6_off, 40, "offset");
	ASSERT_EQ(loc.shim6_len, 16, "length");

	SUBTEST("Payload Length bounds the header, not the frame");
	ASSERT_OK(shim6_ip6_find(p, o + 16 + 6, &loc), "found");
	ASSERT_EQ(loc.shim6_len, 16, "trailer excluded");

	SUBTEST("Payload Length beyond the data: the data bounds it");
	ASSERT_OK(shim6_ip6_find(p, o + 10, &loc), "found");
	ASSERT_EQ(loc.shim6_len, 10, "captured part");

	SUBTEST("Hop-by-Hop, Routing, Destination Options, AH");
	o = ip6(p, 8 + 24 + 8 + 16 + 8, 0);
	memset(p + o, 0, 64);
	p[o] = 43;				/* HBH (8): next Routing */
	p[o + 8] = 60, p[o + 9] = 2;		/* Routing (24): next DestOpts */
	p[o + 32] = 51;				/* DestOpts (8): next AH */
	p[o + 40] = 140, p[o + 41] = 2;		/* AH (2 + 2) * 4 = 16: next Shim6 */
	ASSERT_OK(shim6_ip6_find(p, o + 64, &loc), "found");
	ASSERT_EQ(loc.shim6_off, 40 + 56, "offset");

	SUBTEST("first fragment walked, later fragment not");
	o = ip6(p, 8 + 16, 44);
	memset(p + o, 0, 24);
	p[o] = 140, p[o + 3] = 0x01;		/* offset 0, M=1 */
	ASSERT_OK(shim6_ip6_find(p, o + 24, &loc), "first fragment");
	p[o + 3] = 0x08;			/* offset 1 */
	ASSERT_EQ(shim6_ip6_find(p, o + 24, &loc), -ENOENT, "later fragment");
	ASSERT_STREQ(loc.why, "non-first fragment", "reason");

	SUBTEST("IPv6-in-IPv6");
	o = ip6(p, 40 + 16, 41);
	ip6(p + o, 16, 140);
	ASSERT_OK(shim6_ip6_find(p, o + 56, &loc), "found inside");
	ASSERT_EQ(loc.shim6_off, 80, "offset");

	SUBTEST("extension header longer than the packet");
	o = ip6(p, 16, 60);
	memset(p + o, 0, 16);
	p[o] = 140, p[o + 1] = 5;		/* 48 bytes claimed, 16 present */
	ASSERT_EQ(shim6_ip6_find(p, o + 16, &loc), -ENOENT, "truncated");
	ASSERT_STREQ(loc.why, "truncated IPv6 extension header", "reason");

	SUBTEST("not IPv6, too short, other protocol");
	o = ip6(p, 8, 17);
	ASSERT_EQ(shim6_ip6_find(p, o + 8, &loc), -ENOENT, "UDP");
	ASSERT_STREQ(loc.why, "no Shim6 header", "reason");
	p[0] = 0x45;
	ASSERT_EQ(shim6_ip6_find(p, o + 8, &loc), -ENOENT, "IPv4");
	ASSERT_STREQ(loc.why, "not an IPv6 packet", "reason");
	ASSERT_EQ(shim6_ip6_find(p, 39, &loc), -ENOENT, "39 bytes");
}
