// SPDX-License-Identifier: GPL-2.0
/* Exponential back-off with randomisation; see retrans.h. */
#include <sodium.h>

#include "ctl/shim6d/retrans.h"

uint64_t retrans_nominal_ms(uint32_t base_ms, uint32_t attempt, uint32_t cap_ms)
{
	uint64_t t = base_ms;

	while (attempt-- && t < (1ULL << 40))
		t <<= 1;
	if (cap_ms && t > cap_ms)
		t = cap_ms;
	return t;
}

uint64_t retrans_timeout_ms(uint32_t base_ms, uint32_t attempt, uint32_t cap_ms)
{
	uint64_t t = retrans_nominal_ms(base_ms, attempt, cap_ms);

	/* factor in permille, uniform over [500, 1500] */
	return t * (500 + randombytes_uniform(1001)) / 1000;
}
