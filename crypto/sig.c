// SPDX-License-Identifier: GPL-2.0
/* Shim6 CGA signatures and Locator List verification; see sig.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rsa.h>

#include "crypto/hba.h"
#include "crypto/key.h"
#include "crypto/sig.h"

static const uint8_t shim6_tag[16] = SHIM6_CGA_TAG;

static const char *const loc_names[LOC_VERDICT_MAX] = {
	[LOC_OK] = "verified",
	[LOC_ERR_METHOD_UNKNOWN] = "unknown verification method",
	[LOC_ERR_METHOD_INCONSISTENT] = "HBA method but the parameters have no Multi-Prefix extension",
	[LOC_ERR_ULID] = "the ULID does not verify against the CGA parameters",
	[LOC_ERR_HBA] = "not a member of the HBA set",
	[LOC_ERR_NO_SIGNATURE] = "CGA method but no CGA signature",
	[LOC_ERR_KEY] = "CGA method but the parameters hold no usable RSA key",
	[LOC_ERR_SIGNATURE] = "CGA signature does not verify",
	[LOC_ERR_PARAMS] = "malformed CGA parameters",
};

const char *loc_strerror(enum loc_verdict v)
{
	if ((unsigned int)v >= LOC_VERDICT_MAX || !loc_names[v])
		return "unknown locator verdict";
	return loc_names[v];
}

int sig_input(uint32_t generation, const uint8_t (*locs)[16], const uint8_t *methods,
	      unsigned int n, uint8_t *buf, size_t len)
{
	size_t off = sizeof(shim6_tag) + 4;
	unsigned int i;

	if (len < off)
		return -ENOSPC;
	memcpy(buf, shim6_tag, sizeof(shim6_tag));
	buf[16] = generation >> 24;
	buf[17] = generation >> 16;
	buf[18] = generation >> 8;
	buf[19] = generation;
	for (i = 0; i < n; i++) {
		if (methods[i] != SHIM6_VM_CGA)
			continue;
		if (len - off < 16)
			return -ENOSPC;
		memcpy(buf + off, locs[i], 16);
		off += 16;
	}
	return (int)off;
}

int sig_sign(EVP_PKEY *key, const uint8_t *msg, size_t msg_len, uint8_t *sig,
	     size_t *sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	size_t need = 0;
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestSignInit_ex(ctx, &pctx, "SHA1", NULL, NULL, key, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_DigestSign(ctx, NULL, &need, msg, msg_len) != 1)
		goto out;
	if (need > *sig_len) {
		ret = -ENOSPC;
		goto out;
	}
	/* EVP_DigestSign may be called once per init: start over for the real one. */
	if (EVP_DigestSignInit_ex(ctx, &pctx, "SHA1", NULL, NULL, key, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
		goto out;
	need = *sig_len;
	if (EVP_DigestSign(ctx, sig, &need, msg, msg_len) != 1)
		goto out;
	*sig_len = need;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int sig_verify(EVP_PKEY *pub, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
	       size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ret = -EIO, r;

	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA1", NULL, NULL, pub, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
		goto out;
	r = EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len);
	ret = r == 1 ? 0 : -EBADMSG;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int sig_sign_locators(EVP_PKEY *key, uint32_t generation, const uint8_t (*locs)[16],
		      const uint8_t *methods, unsigned int n, uint8_t *sig, size_t *sig_len)
{
	uint8_t buf[20 + SIG_MAX_LOCATORS * 16];
	int len;

	if (n > SIG_MAX_LOCATORS)
		return -EINVAL;
	len = sig_input(generation, locs, methods, n, buf, sizeof(buf));
	if (len < 0)
		return len;
	return sig_sign(key, buf, (size_t)len, sig, sig_len);
}

static void set_all(struct loc_result *res, unsigned int n, uint8_t v, uint8_t cga)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		res[i].verdict = v;
		res[i].cga = cga;
	}
}

int sig_verify_locators(const uint8_t ulid[16], const uint8_t *params, size_t params_len,
			uint32_t generation, const uint8_t (*locs)[16], const uint8_t *methods,
			unsigned int n, const uint8_t *sig, size_t sig_len,
			struct loc_result *res)
{
	uint8_t buf[20 + SIG_MAX_LOCATORS * 16];
	const uint8_t *pfx;
	struct cga_params *p;
	enum cga_verdict uv;
	unsigned int i, npfx, bad = 0;
	int sig_state = 1; /* 1: not checked yet, 0: valid, <0: verdict to give */
	bool has_mp, pflag = false;

	if (n > SIG_MAX_LOCATORS || !ulid || !res || (n && (!locs || !methods)))
		return -EINVAL;
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (cga_params_decode(p, params, params_len)) {
		set_all(res, n, LOC_ERR_PARAMS, CGA_ERR_MALFORMED);
		free(p);
		return n ? -EBADMSG : 0;
	}
	has_mp = hba_multi_prefix_get(p, &pfx, &npfx, &pflag) != -ENOENT;

	/* The ULID binds the params to the peer: without it nothing holds. */
	uv = has_mp ? hba_verify(ulid, p) : cga_verify(ulid, p);
	if (uv != CGA_OK) {
		set_all(res, n, LOC_ERR_ULID, uv);
		free(p);
		return n ? -EBADMSG : 0;
	}

	for (i = 0; i < n; i++) {
		res[i].verdict = LOC_OK;
		res[i].cga = CGA_OK;
		if (methods[i] == SHIM6_VM_HBA) {
			if (!has_mp) {
				res[i].verdict = LOC_ERR_METHOD_INCONSISTENT;
			} else {
				uv = hba_verify(locs[i], p);
				if (uv != CGA_OK) {
					res[i].verdict = LOC_ERR_HBA;
					res[i].cga = uv;
				}
			}
		} else if (methods[i] == SHIM6_VM_CGA) {
			if (sig_state == 1) {
				EVP_PKEY *pub;
				int len;

				if (!sig || !sig_len) {
					sig_state = -LOC_ERR_NO_SIGNATURE;
				} else if (has_mp && !pflag) {
					/* RFC 5535 §5: P = 0, the key field is a nonce. */
					sig_state = -LOC_ERR_KEY;
				} else if (!(pub = key_from_spki(p->pubkey, p->pubkey_len))) {
					sig_state = -LOC_ERR_KEY;
				} else {
					len = sig_input(generation, locs, methods, n, buf,
							sizeof(buf));
					sig_state = len >= 0 && sig_verify(pub, buf, (size_t)len,
									   sig, sig_len) == 0
							    ? 0
							    : -LOC_ERR_SIGNATURE;
					EVP_PKEY_free(pub);
				}
			}
			if (sig_state)
				res[i].verdict = (uint8_t)-sig_state;
		} else {
			res[i].verdict = LOC_ERR_METHOD_UNKNOWN;
		}
		if (res[i].verdict != LOC_OK)
			bad++;
	}
	free(p);
	return bad ? -EBADMSG : 0;
}
