/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure rules of stateless address autoconfiguration (RFC 4862 §5.5.3)
 * that shim6d's autoconf module applies to a Prefix Information option:
 * which prefixes make an address, and what a received lifetime does to an
 * address that exists.  No I/O, no clock: unit-tested on their own.
 */
#ifndef SHIM6D_SLAAC_H
#define SHIM6D_SLAAC_H

#include <stdbool.h>
#include <stdint.h>

#include "wire/nd_ra.h"

#define SLAAC_TWO_HOURS 7200u

/* Why a prefix makes no address (stable names for logs and counters). */
enum slaac_verdict {
	SLAAC_USE = 0,
	SLAAC_NOT_AUTONOMOUS,		/* §5.5.3 a) A flag clear */
	SLAAC_LINK_LOCAL,		/* b) fe80::/10 */
	SLAAC_PREFERRED_GT_VALID,	/* c) */
	SLAAC_PREFIX_LEN,		/* d) a CGA has a 64-bit interface identifier */
	SLAAC_MULTICAST,		/* ff00::/8 is no unicast prefix */
};

const char *slaac_verdict_name(enum slaac_verdict v);

/* Can this prefix give a CGA (RFC 4862 §5.5.3 a-d, /64 only)? */
enum slaac_verdict slaac_prefix_check(const struct nd_ra_prefix *p);

/*
 * §5.5.3 e): the valid lifetime (seconds, ND_LIFETIME_INFINITY allowed) an
 * existing address gets from a received Valid Lifetime, given what remains
 * of its current one.  With the two-hour rule a short received lifetime
 * cannot cut the address below two hours (nor a lifetime of 0 remove it):
 * an unauthenticated RA must not kill addresses.  Without it the received
 * value is taken as it is (0: remove now).
 */
uint32_t slaac_valid_lifetime(uint32_t received, uint32_t remaining, bool two_hour_rule);

/* The preferred lifetime to set: the received one, never above valid. */
uint32_t slaac_preferred_lifetime(uint32_t received_pref, uint32_t valid);

/* Seconds left until `until_ms` at `now_ms` (UINT64_MAX = infinite), rounded down. */
uint32_t slaac_remaining(uint64_t until_ms, uint64_t now_ms);

/* The deadline for a lifetime received at now_ms (UINT64_MAX if infinite). */
uint64_t slaac_deadline(uint32_t lifetime, uint64_t now_ms);

#endif
