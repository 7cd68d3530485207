/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hash-Based Addresses (RFC 5535): HBA sets over N prefixes, bound together
 * by the Multi-Prefix CGA extension (type 0x0012).
 *
 * Pure HBA (§6): a random 384-bit value, encoded as an rsaEncryption
 * SubjectPublicKeyInfo, stands in for the public key (P flag 0).
 * CGA-compatible HBA: a real public key (P flag 1), so that a prefix learnt
 * later can be used as a plain CGA locator signed with the key.
 *
 * One CGA Parameters structure describes the whole set: its subnet prefix is
 * the first prefix of the set and its Multi-Prefix extension lists all of
 * them.  That is the PARAMS-FILE format of `shim6ctl hba gen` (the wire form,
 * binary), and what a Shim6 CGA Parameter Data Structure option carries.
 * Verification (§7.2) substitutes the address's prefix.
 */
#ifndef SHIM6_CRYPTO_HBA_H
#define SHIM6_CRYPTO_HBA_H

#include "crypto/cga.h"

#define HBA_EXT_MULTI_PREFIX 0x0012 /* RFC 5535 §10 */
#define HBA_MAX_PREFIXES 255	    /* a Shim6 Locator List holds at most 255 locators */
#define HBA_NONCE_BITS 384	    /* RFC 5535 §6 step 2 */
#define HBA_P_FLAG 0x80		    /* first octet of the P/Reserved word */

struct hba_set {
	struct cga_params params; /* prefix = prefixes[0], Multi-Prefix ext lists all */
	unsigned int sec;
	unsigned int n;
	uint8_t prefixes[HBA_MAX_PREFIXES][8];
	uint8_t addrs[HBA_MAX_PREFIXES][16]; /* addrs[i] is in prefixes[i] */
};

/*
 * Generate an HBA set over n prefixes (§6).  spki/spki_len: the DER
 * SubjectPublicKeyInfo for a CGA-compatible set, or NULL for pure HBA
 * (then a 384-bit random nonce is used).  o->dad, if given, is asked about
 * every address; any collision bumps the set's collision count and every
 * address is recomputed (§6 step 6.4 goes back to step 6).  Returns 0,
 * -EINVAL (n = 0, n > 255, duplicate prefixes, Sec > 2), -EADDRINUSE, or
 * the search's errors.
 */
int hba_gen(struct hba_set *set, const uint8_t (*prefixes)[8], unsigned int n,
	    const uint8_t *spki, size_t spki_len, const struct cga_gen_opts *o,
	    struct cga_gen_stats *st);

/* The Multi-Prefix extension's data (P/Reserved word, then the prefixes). */
int hba_multi_prefix_encode(const uint8_t (*prefixes)[8], unsigned int n, bool p_flag,
			    uint8_t *out, size_t len);
/*
 * Find and check the Multi-Prefix extension: 0 with *prefixes (n × 8 bytes
 * inside p->ext) and *p_flag set, -ENOENT if absent, -EBADMSG if malformed.
 */
int hba_multi_prefix_get(const struct cga_params *p, const uint8_t **prefixes,
			 unsigned int *n, bool *p_flag);

/* A 384-bit random nonce as an rsaEncryption SubjectPublicKeyInfo; length or -errno. */
int hba_nonce_spki(uint8_t *out, size_t len);

/* RFC 5535 §7.2: does addr belong to the HBA set these params describe? */
enum cga_verdict hba_verify(const uint8_t addr[16], const struct cga_params *p);
enum cga_verdict hba_verify_bytes(const uint8_t addr[16], const uint8_t *buf, size_t len);

/* Fill set->prefixes/addrs/sec from set params (e.g. loaded from a file). */
int hba_set_from_params(struct hba_set *set, const struct cga_params *p, unsigned int sec);

#endif
