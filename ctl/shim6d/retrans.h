/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Retransmission timeouts (RFC 5533 §7.8, §14): binary exponential back-off
 * of the nominal timeout, then a uniform random factor in [0.5, 1.5]
 * ("randomization is applied after the binary exponential backoff").
 */
#ifndef SHIM6D_RETRANS_H
#define SHIM6D_RETRANS_H

#include <stdint.h>

/* Nominal timeout of attempt n (0 = first send): base * 2^n, at most cap (0: no cap). */
uint64_t retrans_nominal_ms(uint32_t base_ms, uint32_t attempt, uint32_t cap_ms);
/* The same, randomised in [0.5, 1.5] x nominal with libsodium's CSPRNG. */
uint64_t retrans_timeout_ms(uint32_t base_ms, uint32_t attempt, uint32_t cap_ms);

#endif
