/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Responder Validators of the stateless responder (RFC 5533 §7.10.1, §7.17.1).
 *
 * validator = HMAC-SHA-256(S, kind || Responder Nonce || the fields the RFC
 * names), truncated to 16 bytes.  S is a 32-byte secret from libsodium that
 * rotates every `lifetime`; the previous secret is still accepted, so a
 * validator lives between one and two lifetimes (VALIDATOR_MIN_LIFETIME is a
 * minimum).  The Responder Nonce carries the secret's generation in its top
 * 16 bits (the RFC's running counter C) and 16 random bits, so the
 * verifier knows which secret to use and rejects older ones without state.
 */
#ifndef SHIM6D_VALIDATOR_H
#define SHIM6D_VALIDATOR_H

#include <stdbool.h>
#include <stdint.h>

#define VALIDATOR_LEN		16
#define VALIDATOR_SECRET_LEN	32

struct validator_keys {
	uint8_t	cur[VALIDATOR_SECRET_LEN];
	uint8_t	prev[VALIDATOR_SECRET_LEN];
	uint16_t gen;			/* generation of cur; prev is gen - 1 */
	bool	have_prev;
	uint64_t rotated_ms;		/* when cur was made */
	uint32_t lifetime_ms;
};

/* What an R1 validator covers (§7.10.1): from the I1 (and checked on the I2). */
struct r1_input {
	uint64_t init_tag;		/* Initiator Context Tag */
	uint8_t	ulid_src[16];		/* initiator's ULID */
	uint8_t	ulid_dst[16];		/* responder's ULID */
	uint8_t	loc_src[16];		/* IPv6 source of the I1 */
	uint8_t	loc_dst[16];		/* IPv6 destination of the I1 */
	uint32_t fii;
};

/* What an R1bis validator covers (§7.17.1): the packet that referred to a lost context. */
struct r1bis_input {
	uint64_t packet_tag;		/* the Receiver Context Tag we did not know */
	uint8_t	loc_src[16];		/* source of that packet (the peer's locator) */
	uint8_t	loc_dst[16];		/* its destination (ours) */
};

void validator_init(struct validator_keys *k, uint32_t lifetime_ms, uint64_t now_ms);
/* Rotate if cur is older than the lifetime; returns true if it rotated. */
bool validator_maybe_rotate(struct validator_keys *k, uint64_t now_ms);
/* Rotate now (tests; also on SIGHUP). */
void validator_rotate(struct validator_keys *k, uint64_t now_ms);

/* A Responder Nonce for the current generation. */
uint32_t validator_nonce(const struct validator_keys *k);

void validator_r1(const struct validator_keys *k, uint32_t resp_nonce,
		  const struct r1_input *in, uint8_t out[VALIDATOR_LEN]);
void validator_r1bis(const struct validator_keys *k, uint32_t resp_nonce,
		     const struct r1bis_input *in, uint8_t out[VALIDATOR_LEN]);

/*
 * Does `v` (len bytes, as echoed in an I2 / I2bis) match the validator we
 * would have made for this nonce and input with the current or previous
 * secret?  Constant-time comparison.
 */
bool validator_check_r1(const struct validator_keys *k, uint32_t resp_nonce,
			const struct r1_input *in, const uint8_t *v, unsigned int len);
bool validator_check_r1bis(const struct validator_keys *k, uint32_t resp_nonce,
			   const struct r1bis_input *in, const uint8_t *v, unsigned int len);

#endif
