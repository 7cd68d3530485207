/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cryptographically Generated Addresses (RFC 3972, RFC 4581 extension
 * fields, RFC 4982 Sec registry: Sec 0/1/2 = SHA-1 with 0/16/32 zero bits
 * of Hash2).
 *
 * The API takes and returns plain byte buffers (16-byte addresses, 8-byte
 * prefixes, the CGA Parameters as they appear on the wire) so that it does
 * not depend on the wire/ library.
 *
 * Verification returns an enum cga_verdict whose values are stable (they
 * may be logged, counted or sent over the control socket): append only.
 */
#ifndef SHIM6_CRYPTO_CGA_H
#define SHIM6_CRYPTO_CGA_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGA_MODIFIER_LEN 16
#define CGA_PREFIX_LEN 8
/* modifier + subnet prefix + collision count: the fixed head of the params */
#define CGA_FIXED_LEN (CGA_MODIFIER_LEN + CGA_PREFIX_LEN + 1)
/* Large enough for an RSA-8192 SubjectPublicKeyInfo (about 1.06 KiB). */
#define CGA_PUBKEY_MAX 1100
/* Large enough for a Multi-Prefix extension with 255 prefixes plus others. */
#define CGA_EXT_MAX 2400
#define CGA_PARAMS_MAX (CGA_FIXED_LEN + CGA_PUBKEY_MAX + CGA_EXT_MAX)
#define CGA_SEC_MAX_SUPPORTED 2 /* RFC 4982: only Sec 0..2 are defined (SHA-1) */
#define CGA_COLLISIONS_MAX 2	/* RFC 3972 §3: collision count 0, 1 or 2 */

/* RFC 4581 experimental extension types, handy for tests. */
#define CGA_EXT_TYPE_EXP_FFFD 0xfffd

/* The CGA Parameters data structure (RFC 3972 §3), decoded. */
struct cga_params {
	uint8_t modifier[CGA_MODIFIER_LEN];
	uint8_t prefix[CGA_PREFIX_LEN];
	uint8_t collision_count;
	uint16_t pubkey_len;
	uint16_t ext_len;
	/* DER SubjectPublicKeyInfo; only its outer SEQUENCE is parsed here. */
	uint8_t pubkey[CGA_PUBKEY_MAX];
	/* Extension fields, RFC 4581 TLVs (type 16, length 16, data). */
	uint8_t ext[CGA_EXT_MAX];
};

/* Verification outcome: stable values, append only. */
enum cga_verdict {
	CGA_OK = 0,
	CGA_ERR_MALFORMED = 1,	     /* params do not parse (truncated, bad DER/TLV) */
	CGA_ERR_COLLISION_COUNT = 2, /* collision count > 2 (§5 step 1) */
	CGA_ERR_PREFIX = 3,	     /* subnet prefix differs from the address (§5 step 2) */
	CGA_ERR_HASH1 = 4,	     /* Hash1 differs from the interface id (§5 step 4) */
	CGA_ERR_SEC_UNSUPPORTED = 5, /* Sec 3..7: no hash defined (RFC 4982 §6) */
	CGA_ERR_HASH2 = 6,	     /* the 16*Sec leftmost bits of Hash2 are not zero */
	CGA_ERR_NO_MULTI_PREFIX = 7, /* HBA: no Multi-Prefix extension (RFC 5535 §7.2) */
	CGA_ERR_PREFIX_NOT_IN_SET = 8, /* HBA: address prefix not in the set */
	CGA_ERR_BAD_MULTI_PREFIX = 9,  /* HBA: Multi-Prefix extension malformed */
	CGA_VERDICT_MAX,
};

const char *cga_strerror(enum cga_verdict v);

/* Parse wire bytes; 0, -EBADMSG (malformed) or -EMSGSIZE (field too big). */
int cga_params_decode(struct cga_params *p, const uint8_t *buf, size_t len);
/* Serialise; returns the length written or -ENOSPC. */
int cga_params_encode(const struct cga_params *p, uint8_t *buf, size_t len);
/* Length of the encoded form. */
size_t cga_params_len(const struct cga_params *p);

/* Set the public key (a DER SubjectPublicKeyInfo; any SEQUENCE is accepted). */
int cga_params_set_pubkey(struct cga_params *p, const uint8_t *spki, size_t len);
/* Append one RFC 4581 extension field; 0 or -ENOSPC/-EINVAL. */
int cga_params_add_ext(struct cga_params *p, uint16_t type, const uint8_t *data, size_t len);
/* Find the first extension of a type; 0 with data/len set, or -ENOENT. */
int cga_params_find_ext(const struct cga_params *p, uint16_t type, const uint8_t **data,
			uint16_t *len);

/*
 * Length of the DER element (tag, length, contents) at buf, or -EBADMSG.
 * Only SEQUENCE (0x30) with a definite length is accepted: that is all the
 * decoder needs to find where the public key ends.
 */
int cga_der_seq_len(const uint8_t *buf, size_t len);

/*
 * Read a PARAMS-FILE (the wire form, as `shim6ctl cga gen ... out` writes
 * it) and decode it; 0, -errno from open/read, -EFBIG, -EBADMSG, -EMSGSIZE.
 */
int cga_params_read_file(const char *path, struct cga_params *p);

/*
 * The highest Sec (0..2) the params satisfy.  A params file does not store
 * Sec (the address does); a loader that knows only the file can use this,
 * knowing that with probability 2^-16 a Sec 0 modifier also passes Sec 1.
 */
unsigned int cga_params_max_sec(const struct cga_params *p);

/* Hash1 (64 bits) and Hash2 (112 bits) of the params (RFC 3972 §3). */
void cga_hash1(const struct cga_params *p, uint8_t out[8]);
void cga_hash2(const struct cga_params *p, uint8_t out[14]);
/* Do the 16*sec leftmost bits of hash2 equal zero? */
bool cga_hash2_ok(const uint8_t hash2[14], unsigned int sec);

/* The address for params and Sec (§4 steps 5-7). */
void cga_address(const struct cga_params *p, unsigned int sec, uint8_t addr[16]);
/* Sec from an address's interface identifier. */
static inline unsigned int cga_addr_sec(const uint8_t addr[16])
{
	return addr[8] >> 5;
}

/* RFC 3972 §5 verification. */
enum cga_verdict cga_verify(const uint8_t addr[16], const struct cga_params *p);
/* The same on wire bytes (CGA_ERR_MALFORMED when they do not decode). */
enum cga_verdict cga_verify_bytes(const uint8_t addr[16], const uint8_t *buf, size_t len);

/* 128-bit big-endian modifier arithmetic (wraps around). */
void cga_modifier_add(uint8_t m[CGA_MODIFIER_LEN], uint64_t n);

/* ---- generation ------------------------------------------------------- */

struct cga_gen_stats {
	uint64_t tries;	    /* Hash2 computations */
	double seconds;	    /* wall time of the whole generation */
	unsigned int threads;
};

typedef void (*cga_progress_fn)(const struct cga_gen_stats *so_far, unsigned int sec, void *arg);
/* Duplicate address detection hook: true when addr is already in use. */
typedef bool (*cga_dad_fn)(const uint8_t addr[16], void *arg);

struct cga_gen_opts {
	unsigned int sec;		/* 0..2 */
	unsigned int threads;		/* 0: every CPU this process may run on */
	const uint8_t *start_modifier;	/* NULL: random (RAND_bytes) */
	atomic_bool *cancel;		/* optional: set to true to stop (-ECANCELED) */
	cga_progress_fn progress;	/* optional: called about 4 times a second */
	void *progress_arg;
	cga_dad_fn dad;			/* optional: collision detection (§4 step 8) */
	void *dad_arg;
};

/*
 * Hash2 search (§4 steps 1-3): find the first modifier at or after the
 * start whose Hash2 over (modifier, 9 zero bytes, pubkey, ext) has 16*sec
 * leading zero bits.  Multi-threaded; the result is the same as the
 * sequential algorithm's (the lowest hit wins) whatever the thread count.
 * p->prefix and p->collision_count are not used.  Returns 0, -ECANCELED,
 * -EINVAL or -ENOMEM/-errno.
 */
int cga_hash2_search(struct cga_params *p, const struct cga_gen_opts *o,
		     struct cga_gen_stats *st);

/*
 * Full generation (§4): p holds prefix, pubkey and extensions on input; on
 * success it holds the final modifier and collision count and addr the CGA.
 * -EADDRINUSE after three collisions.
 */
int cga_gen(struct cga_params *p, const struct cga_gen_opts *o, uint8_t addr[16],
	    struct cga_gen_stats *st);

/* Number of CPUs this process may run on (the default thread count). */
unsigned int cga_default_threads(void);

#endif
