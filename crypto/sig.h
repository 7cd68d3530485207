/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Shim6 CGA Signature (RFC 5533 §5.15.5, RFC 3972 §6) and the
 * verification of a peer's Locator List (RFC 5533 §7.2).
 *
 * Signed octets: the 128-bit Shim6 CGA Message Type tag, the 32-bit Locator
 * List Generation (network order), then the locators whose verification
 * method is CGA, in list order.  RSASSA-PKCS1-v1_5 with SHA-1.
 *
 * Sign once per change of the local locator set (sig_sign_locators) and keep
 * the bytes; handshakes reuse them.  Everything here is independent of the
 * wire library: locators are 16-byte arrays, methods one byte each.
 */
#ifndef SHIM6_CRYPTO_SIG_H
#define SHIM6_CRYPTO_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "crypto/cga.h"

/* RFC 5533 §5.15.5 (IANA CGA Message Type for Shim6). */
#define SHIM6_CGA_TAG                                                                   \
	{ 0x4a, 0x30, 0x56, 0x62, 0x48, 0x58, 0x57, 0x4b, 0x36, 0x55, 0x41, 0x6f, 0x50, \
	  0x6a, 0x6d, 0x48 }
#define SIG_MAX_LOCATORS 255
#define SIG_MAX_LEN 512 /* RSA-4096 */

/* Verification Method octets: RFC 5533 §5.15.2 Table 4 (also Wireshark's). */
enum sig_verif_method {	/* same values as wire's enum shim6_verif_method */
	SHIM6_VM_HBA = 1,
	SHIM6_VM_CGA = 2,
};

/* Per-locator verdicts: stable values, append only. */
enum loc_verdict {
	LOC_OK = 0,
	LOC_ERR_METHOD_UNKNOWN = 1,	 /* method octet is neither HBA nor CGA */
	LOC_ERR_METHOD_INCONSISTENT = 2, /* HBA, but the params have no Multi-Prefix ext */
	LOC_ERR_ULID = 3,		 /* the ULID does not verify against the params */
	LOC_ERR_HBA = 4,		 /* not a member of the HBA set (see .cga) */
	LOC_ERR_NO_SIGNATURE = 5,	 /* CGA method but no signature given */
	LOC_ERR_KEY = 6,		 /* CGA method but the params hold no usable RSA key */
	LOC_ERR_SIGNATURE = 7,		 /* the signature does not verify */
	LOC_ERR_PARAMS = 8,		 /* the params do not decode */
	LOC_VERDICT_MAX,
};

struct loc_result {
	uint8_t verdict;	/* enum loc_verdict */
	uint8_t cga;		/* enum cga_verdict behind LOC_ERR_ULID / LOC_ERR_HBA */
};

const char *loc_strerror(enum loc_verdict v);

/* The octets to sign (tag ‖ generation ‖ CGA locators); length or -ENOSPC. */
int sig_input(uint32_t generation, const uint8_t (*locs)[16], const uint8_t *methods,
	      unsigned int n, uint8_t *buf, size_t len);

/* Sign arbitrary octets (already prefixed with the tag) with RSASSA-PKCS1-v1_5/SHA-1. */
int sig_sign(EVP_PKEY *key, const uint8_t *msg, size_t msg_len, uint8_t *sig,
	     size_t *sig_len);
/* 0 if valid, -EBADMSG if not, other -errno on failure. */
int sig_verify(EVP_PKEY *pub, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
	       size_t sig_len);

/*
 * Sign a Locator List.  *sig_len: in, the size of sig; out, the length.
 * Call when the local locator set or its generation changes.
 */
int sig_sign_locators(EVP_PKEY *key, uint32_t generation, const uint8_t (*locs)[16],
		      const uint8_t *methods, unsigned int n, uint8_t *sig, size_t *sig_len);

/*
 * Verify a peer's Locator List (RFC 5533 §7.2).  ulid: the peer's ULID,
 * which must verify against the params (as an HBA-set member when they
 * carry a Multi-Prefix extension, else as a CGA): that is what binds the
 * params to the peer.  Then each locator by its method — HBA: member of the
 * set (RFC 5535 §7.2); CGA: covered by a valid signature from the params'
 * key (RFC 3972 §6).  sig may be NULL when no locator uses CGA.
 * res[i] gets each locator's verdict.  Returns 0 when every locator
 * verified, -EBADMSG when at least one did not (the caller must then ignore
 * the whole list, §7.2), -EINVAL on bad arguments.
 */
int sig_verify_locators(const uint8_t ulid[16], const uint8_t *params, size_t params_len,
			uint32_t generation, const uint8_t (*locs)[16], const uint8_t *methods,
			unsigned int n, const uint8_t *sig, size_t sig_len,
			struct loc_result *res);

#endif
