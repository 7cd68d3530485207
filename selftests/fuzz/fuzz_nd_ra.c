// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the Router Advertisement parser (wire/nd_ra.c) and the
 * RFC 4862 rules applied to what it returns (ctl/shim6d/slaac.c).  Beyond
 * "no crash, no read past the input" (the input is copied into a buffer of
 * exactly its size):
 *  - an accepted RA's options tile the message exactly (§6.1.2 checks);
 *  - no more prefixes than kept, and the counters add up;
 *  - a prefix that is used is a /64, autonomous, not link-local/multicast,
 *    preferred <= valid;
 *  - the two-hour rule never returns a lifetime other than the received
 *    one, what remains, or two hours, and never removes an address
 *    (returns 0) while it has time left.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/slaac.h"
#include "wire/nd_ra.h"

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	unsigned int i, n_opts_prefix = 0;
	struct nd_ra ra;
	size_t off;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (nd_ra_parse(buf, size, &ra) == 0) {
		check(size >= ND_RA_HDR_LEN && buf[0] == ND_RA_TYPE && buf[1] == 0);
		for (off = ND_RA_HDR_LEN; off < size; off += (size_t)buf[off + 1] * 8) {
			check(size - off >= 2 && buf[off + 1] != 0);
			if (buf[off] == ND_OPT_PREFIX_INFO)
				n_opts_prefix++;
		}
		check(off == size);
		check(ra.n_prefixes <= ND_RA_MAX_PREFIXES);
		check(ra.n_prefixes + ra.dropped_prefixes + ra.bad_prefix_opts == n_opts_prefix);
		for (i = 0; i < ra.n_prefixes; i++) {
			const struct nd_ra_prefix *p = &ra.prefixes[i];
			uint32_t rem = ra.prefixes[(i + 1) % ra.n_prefixes].valid, v;

			if (slaac_prefix_check(p) == SLAAC_USE)
				check(p->len == 64 && p->autonomous && p->preferred <= p->valid &&
				      p->prefix[0] != 0xff &&
				      !(p->prefix[0] == 0xfe && (p->prefix[1] & 0xc0) == 0x80));
			v = slaac_valid_lifetime(p->valid, rem, true);
			check(v == p->valid || v == rem || v == SLAAC_TWO_HOURS);
			check(v != 0 || rem == 0);
			check(slaac_preferred_lifetime(p->preferred, v) <= v);
		}
	}
	free(buf);
	return 0;
}
