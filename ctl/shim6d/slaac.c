// SPDX-License-Identifier: GPL-2.0
/* RFC 4862 §5.5.3 rules; see slaac.h. */
#include <stdint.h>

#include "ctl/shim6d/slaac.h"

const char *slaac_verdict_name(enum slaac_verdict v)
{
	switch (v) {
	case SLAAC_USE: return "use";
	case SLAAC_NOT_AUTONOMOUS: return "not-autonomous";
	case SLAAC_LINK_LOCAL: return "link-local";
	case SLAAC_PREFERRED_GT_VALID: return "preferred-gt-valid";
	case SLAAC_PREFIX_LEN: return "prefix-length";
	case SLAAC_MULTICAST: return "multicast";
	}
	return "?";
}

enum slaac_verdict slaac_prefix_check(const struct nd_ra_prefix *p)
{
	if (!p->autonomous)
		return SLAAC_NOT_AUTONOMOUS;
	if (p->prefix[0] == 0xfe && (p->prefix[1] & 0xc0) == 0x80)
		return SLAAC_LINK_LOCAL;
	if (p->prefix[0] == 0xff)
		return SLAAC_MULTICAST;
	if (p->preferred > p->valid)
		return SLAAC_PREFERRED_GT_VALID;
	if (p->len != 64)
		return SLAAC_PREFIX_LEN;
	return SLAAC_USE;
}

uint32_t slaac_valid_lifetime(uint32_t received, uint32_t remaining, bool two_hour_rule)
{
	if (!two_hour_rule)
		return received;
	/* 1. more than two hours, or more than what remains: take it */
	if (received > SLAAC_TWO_HOURS || received > remaining)
		return received;
	/* 2. two hours or less remain: the option does not touch them */
	if (remaining <= SLAAC_TWO_HOURS)
		return remaining;
	/* 3. otherwise cut to two hours */
	return SLAAC_TWO_HOURS;
}

uint32_t slaac_preferred_lifetime(uint32_t received_pref, uint32_t valid)
{
	return received_pref < valid ? received_pref : valid;
}

uint32_t slaac_remaining(uint64_t until_ms, uint64_t now_ms)
{
	uint64_t s;

	if (until_ms == UINT64_MAX)
		return ND_LIFETIME_INFINITY;
	if (until_ms <= now_ms)
		return 0;
	s = (until_ms - now_ms) / 1000;
	return s >= ND_LIFETIME_INFINITY ? ND_LIFETIME_INFINITY - 1 : (uint32_t)s;
}

uint64_t slaac_deadline(uint32_t lifetime, uint64_t now_ms)
{
	if (lifetime == ND_LIFETIME_INFINITY)
		return UINT64_MAX;
	return now_ms + (uint64_t)lifetime * 1000;
}
