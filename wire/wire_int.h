/* SPDX-License-Identifier: GPL-2.0 */
/* Private helpers of the wire library: big-endian access, diagnostics. */
#ifndef SHIM6_WIRE_INT_H
#define SHIM6_WIRE_INT_H

#include <stdint.h>

#include "wire/shim6_wire.h"

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* 47-bit context tag in 6 bytes whose top bit is R (or P, for the payload header). */
static inline uint64_t get_tag(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 6; i++)
		v = v << 8 | p[i];
	return v & SHIM6_TAG_MASK;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/* Writes the 47-bit tag; the top bit of p[0] (R or P) is left as the caller set it. */
static inline void put_tag(uint8_t *p, uint64_t tag)
{
	int i;

	p[0] = (p[0] & 0x80) | ((tag >> 40) & 0x7f);
	for (i = 1; i < 6; i++)
		p[i] = (tag >> (8 * (5 - i))) & 0xff;
}

/* Record an error in diag (may be NULL) and return -err. */
int wire_fail(struct shim6_wire_diag *d, int err, uint32_t offset, uint32_t got, uint32_t want);

/* Options (opt.c), used by msg.c. */
int wire_opts_decode(const uint8_t *hdr, uint32_t start, uint32_t end, unsigned int flags,
		     struct shim6_msg *m, struct shim6_wire_diag *d);
int wire_opts_check(const struct shim6_msg *m, struct shim6_wire_diag *d);
/* Encodes the options at buf[0..room); returns bytes or -SHIM6_WERR_*. */
int wire_opts_encode(const struct shim6_msg *m, uint8_t *buf, size_t room);

#endif
