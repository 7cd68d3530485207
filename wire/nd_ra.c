// SPDX-License-Identifier: GPL-2.0
/* Router Advertisement parser; see nd_ra.h. */
#include <errno.h>
#include <string.h>

#include "wire/nd_ra.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void prefix_option(struct nd_ra *ra, const uint8_t *o)
{
	struct nd_ra_prefix *p;

	if (ra->n_prefixes == ND_RA_MAX_PREFIXES) {
		ra->dropped_prefixes++;
		return;
	}
	p = &ra->prefixes[ra->n_prefixes++];
	p->len = o[2];
	p->onlink = o[3] & 0x80;
	p->autonomous = o[3] & 0x40;
	p->valid = get32(o + 4);
	p->preferred = get32(o + 8);
	/* o[12..15] reserved */
	memcpy(p->prefix, o + 16, 16);
}

int nd_ra_parse(const uint8_t *buf, size_t len, struct nd_ra *ra)
{
	size_t off;

	memset(ra, 0, sizeof(*ra));
	if (len < ND_RA_HDR_LEN || buf[0] != ND_RA_TYPE || buf[1] != 0)
		return -EBADMSG;
	ra->cur_hop_limit = buf[4];
	ra->flags = buf[5];
	ra->router_lifetime = (uint16_t)(buf[6] << 8 | buf[7]);
	ra->reachable_ms = get32(buf + 8);
	ra->retrans_ms = get32(buf + 12);

	/* §6.1.2: every option has a length > 0 (and, ours, fits the message).
	 * Check them all before using any, so a bad RA changes nothing. */
	for (off = ND_RA_HDR_LEN; off < len;) {
		size_t olen;

		if (len - off < 2)
			return -EBADMSG;
		olen = (size_t)buf[off + 1] * 8;
		if (olen == 0 || olen > len - off)
			return -EBADMSG;
		off += olen;
	}
	for (off = ND_RA_HDR_LEN; off < len; off += (size_t)buf[off + 1] * 8) {
		if (buf[off] != ND_OPT_PREFIX_INFO)
			continue;
		if ((size_t)buf[off + 1] * 8 != ND_OPT_PREFIX_INFO_LEN) {
			ra->bad_prefix_opts++;
			continue;
		}
		prefix_option(ra, buf + off);
	}
	return 0;
}

bool nd_ra_source_ok(const uint8_t src[16], int hop_limit)
{
	return hop_limit == 255 && src[0] == 0xfe && (src[1] & 0xc0) == 0x80;
}

size_t nd_rs_encode(uint8_t *buf, size_t len)
{
	if (len < 8)
		return 0;
	memset(buf, 0, 8);
	buf[0] = ND_RS_TYPE;	/* code 0, checksum by the kernel, reserved 0 */
	return 8;
}
