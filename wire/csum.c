// SPDX-License-Identifier: GPL-2.0
/*
 * Shim6 checksum (RFC 5533 §5.3): the 16-bit one's complement of the one's
 * complement sum of the whole Shim6 header, from Next Header to the end given
 * by Hdr Ext Len.  Unlike ICMPv6 there is no pseudo-header, so a locator
 * change never changes the checksum; a payload after the header is excluded.
 */
#include "wire/shim6_wire.h"
#include "wire/wire_int.h"

static uint32_t sum16(const uint8_t *p, size_t len)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8; /* odd byte padded with zero */
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t shim6_csum(const void *buf, size_t len)
{
	return (uint16_t)~sum16(buf, len);
}

void shim6_csum_set(void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len < 6)
		return;
	p[4] = p[5] = 0;
	put16(p + 4, shim6_csum(p, len));
}

bool shim6_csum_ok(const void *buf, size_t len)
{
	/* Summing the header with its checksum in place gives 0xffff (or 0). */
	return len >= 6 && shim6_csum(buf, len) == 0;
}
