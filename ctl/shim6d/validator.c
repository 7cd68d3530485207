// SPDX-License-Identifier: GPL-2.0
/* Stateless-responder validators: HMAC-SHA-256 with a rotating secret; see validator.h. */
#include <string.h>

#include <sodium.h>

#include "ctl/shim6d/validator.h"

/* Domain separation: an R1 validator is never accepted as an R1bis one. */
enum { KIND_R1 = 1, KIND_R1BIS = 2 };

void validator_rotate(struct validator_keys *k, uint64_t now_ms)
{
	memcpy(k->prev, k->cur, sizeof(k->prev));
	k->have_prev = true;
	randombytes_buf(k->cur, sizeof(k->cur));
	k->gen++;
	k->rotated_ms = now_ms;
}

void validator_init(struct validator_keys *k, uint32_t lifetime_ms, uint64_t now_ms)
{
	memset(k, 0, sizeof(*k));
	randombytes_buf(k->cur, sizeof(k->cur));
	k->gen = (uint16_t)randombytes_uniform(65536);
	k->lifetime_ms = lifetime_ms;
	k->rotated_ms = now_ms;
}

/*
 * Rotation is lazy (on the next R1 or I2), so it goes by epochs of one
 * lifetime counted from the last rotation: when more than one epoch has
 * passed, the current secret's epoch ended over a lifetime ago and it must
 * not survive as "previous" (else an idle responder would accept a
 * validator of any age: found by test_expired_validator).
 */
bool validator_maybe_rotate(struct validator_keys *k, uint64_t now_ms)
{
	uint64_t epochs;

	if (now_ms - k->rotated_ms < k->lifetime_ms)
		return false;
	epochs = (now_ms - k->rotated_ms) / k->lifetime_ms;
	validator_rotate(k, k->rotated_ms + epochs * k->lifetime_ms);
	if (epochs > 1)
		k->have_prev = false;
	return true;
}

uint32_t validator_nonce(const struct validator_keys *k)
{
	return (uint32_t)k->gen << 16 | randombytes_uniform(65536);
}

/* The secret for a nonce's generation, or NULL if it is neither cur nor prev. */
static const uint8_t *secret_for(const struct validator_keys *k, uint32_t nonce)
{
	uint16_t gen = nonce >> 16;

	if (gen == k->gen)
		return k->cur;
	if (k->have_prev && gen == (uint16_t)(k->gen - 1))
		return k->prev;
	return NULL;
}

static void put64(crypto_auth_hmacsha256_state *st, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	crypto_auth_hmacsha256_update(st, b, sizeof(b));
}

static void mac(const uint8_t *secret, uint8_t kind, uint32_t nonce, const void *a, size_t alen,
		uint64_t tag, uint32_t fii, uint8_t out[VALIDATOR_LEN])
{
	uint8_t full[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, secret, VALIDATOR_SECRET_LEN);
	crypto_auth_hmacsha256_update(&st, &kind, 1);
	put64(&st, nonce);
	put64(&st, tag);
	put64(&st, fii);
	crypto_auth_hmacsha256_update(&st, a, alen);
	crypto_auth_hmacsha256_final(&st, full);
	memcpy(out, full, VALIDATOR_LEN);
	sodium_memzero(&st, sizeof(st));
}

static void r1_addrs(const struct r1_input *in, uint8_t a[64])
{
	memcpy(a, in->ulid_src, 16);
	memcpy(a + 16, in->ulid_dst, 16);
	memcpy(a + 32, in->loc_src, 16);
	memcpy(a + 48, in->loc_dst, 16);
}

void validator_r1(const struct validator_keys *k, uint32_t resp_nonce,
		  const struct r1_input *in, uint8_t out[VALIDATOR_LEN])
{
	const uint8_t *s = secret_for(k, resp_nonce);
	uint8_t a[64];

	r1_addrs(in, a);
	mac(s ? s : k->cur, KIND_R1, resp_nonce, a, sizeof(a), in->init_tag, in->fii, out);
}

void validator_r1bis(const struct validator_keys *k, uint32_t resp_nonce,
		     const struct r1bis_input *in, uint8_t out[VALIDATOR_LEN])
{
	const uint8_t *s = secret_for(k, resp_nonce);
	uint8_t a[32];

	memcpy(a, in->loc_src, 16);
	memcpy(a + 16, in->loc_dst, 16);
	mac(s ? s : k->cur, KIND_R1BIS, resp_nonce, a, sizeof(a), in->packet_tag, 0, out);
}

bool validator_check_r1(const struct validator_keys *k, uint32_t resp_nonce,
			const struct r1_input *in, const uint8_t *v, unsigned int len)
{
	const uint8_t *s = secret_for(k, resp_nonce);
	uint8_t want[VALIDATOR_LEN], a[64];

	if (!s || len != VALIDATOR_LEN)
		return false;
	r1_addrs(in, a);
	mac(s, KIND_R1, resp_nonce, a, sizeof(a), in->init_tag, in->fii, want);
	return sodium_memcmp(want, v, VALIDATOR_LEN) == 0;
}

bool validator_check_r1bis(const struct validator_keys *k, uint32_t resp_nonce,
			   const struct r1bis_input *in, const uint8_t *v, unsigned int len)
{
	const uint8_t *s = secret_for(k, resp_nonce);
	uint8_t want[VALIDATOR_LEN], a[32];

	if (!s || len != VALIDATOR_LEN)
		return false;
	memcpy(a, in->loc_src, 16);
	memcpy(a + 16, in->loc_dst, 16);
	mac(s, KIND_R1BIS, resp_nonce, a, sizeof(a), in->packet_tag, 0, want);
	return sodium_memcmp(want, v, VALIDATOR_LEN) == 0;
}
