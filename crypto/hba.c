// SPDX-License-Identifier: GPL-2.0
/* HBA-set generation and verification (RFC 5535 §5-§7). */
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "crypto/hba.h"

int hba_multi_prefix_encode(const uint8_t (*prefixes)[8], unsigned int n, bool p_flag,
			    uint8_t *out, size_t len)
{
	size_t need = 4 + (size_t)n * 8;

	if (n == 0 || n > HBA_MAX_PREFIXES)
		return -EINVAL;
	if (len < need)
		return -ENOSPC;
	memset(out, 0, 4); /* Reserved: zero (§5) */
	if (p_flag)
		out[0] = HBA_P_FLAG;
	memcpy(out + 4, prefixes, (size_t)n * 8);
	return (int)need;
}

int hba_multi_prefix_get(const struct cga_params *p, const uint8_t **prefixes,
			 unsigned int *n, bool *p_flag)
{
	const uint8_t *d;
	uint16_t l;

	if (cga_params_find_ext(p, HBA_EXT_MULTI_PREFIX, &d, &l))
		return -ENOENT;
	if (l < 4 + 8 || (l - 4) % 8)
		return -EBADMSG;
	*prefixes = d + 4;
	*n = (l - 4) / 8;
	*p_flag = d[0] & HBA_P_FLAG; /* the rest of the word is reserved: ignored */
	return 0;
}

/*
 * RFC 5535 §6 step 2: the Extended Modifier is a 384-bit random value
 * encoded as an RSA public key (rsaEncryption, RSAPublicKey).  We put it in
 * the modulus, with the top bit set so that the INTEGER is exactly 384 bits,
 * and use 65537 as the exponent.  OpenSSL does the DER; it never checks that
 * the "modulus" is a product of primes, and nobody must: this is not a key.
 */
int hba_nonce_spki(uint8_t *out, size_t len)
{
	uint8_t nonce[HBA_NONCE_BITS / 8];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	unsigned char *der = NULL;
	int ret = -EIO, dlen;

	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return -EIO;
	nonce[0] |= 0x80;
	n = BN_bin2bn(nonce, sizeof(nonce), NULL);
	e = BN_new();
	bld = OSSL_PARAM_BLD_new();
	if (!n || !e || !bld || !BN_set_word(e, 65537) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	dlen = i2d_PUBKEY(pkey, &der);
	if (dlen <= 0)
		goto out;
	if ((size_t)dlen > len) {
		ret = -ENOSPC;
		goto out;
	}
	memcpy(out, der, dlen);
	ret = dlen;
out:
	OPENSSL_free(der);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	return ret;
}

int hba_set_from_params(struct hba_set *set, const struct cga_params *p, unsigned int sec)
{
	const uint8_t *pfx;
	unsigned int n, i;
	bool pf;
	int ret;

	ret = hba_multi_prefix_get(p, &pfx, &n, &pf);
	if (ret)
		return ret;
	if (n > HBA_MAX_PREFIXES)
		return -EMSGSIZE;
	if (&set->params != p)
		set->params = *p;
	set->sec = sec;
	set->n = n;
	memcpy(set->prefixes, pfx, (size_t)n * 8);
	for (i = 0; i < n; i++) {
		struct cga_params one = set->params;

		memcpy(one.prefix, set->prefixes[i], 8);
		cga_address(&one, sec, set->addrs[i]);
	}
	return 0;
}

int hba_gen(struct hba_set *set, const uint8_t (*prefixes)[8], unsigned int n,
	    const uint8_t *spki, size_t spki_len, const struct cga_gen_opts *o,
	    struct cga_gen_stats *st)
{
	uint8_t ext[4 + HBA_MAX_PREFIXES * 8], nonce[128];
	struct cga_params *p = &set->params;
	unsigned int i, j;
	int ret, len;

	if (n == 0 || n > HBA_MAX_PREFIXES || o->sec > CGA_SEC_MAX_SUPPORTED)
		return -EINVAL;
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (!memcmp(prefixes[i], prefixes[j], 8))
				return -EINVAL;
	memset(p, 0, sizeof(*p));
	if (!spki) {
		len = hba_nonce_spki(nonce, sizeof(nonce));
		if (len < 0)
			return len;
		spki = nonce;
		spki_len = (size_t)len;
	}
	ret = cga_params_set_pubkey(p, spki, spki_len);
	if (ret)
		return ret;
	/* Step 1: the Multi-Prefix extension; P says whether a real key is there. */
	len = hba_multi_prefix_encode(prefixes, n, spki != nonce, ext, sizeof(ext));
	if (len < 0)
		return len;
	ret = cga_params_add_ext(p, HBA_EXT_MULTI_PREFIX, ext, (size_t)len);
	if (ret)
		return ret;
	memcpy(p->prefix, prefixes[0], 8);

	/* Steps 2-4: one Hash2 search for the whole set. */
	ret = cga_hash2_search(p, o, st);
	if (ret)
		return ret;

	/* Steps 5-6: one collision count for the set, since one PDS covers it. */
	for (p->collision_count = 0; p->collision_count <= CGA_COLLISIONS_MAX;
	     p->collision_count++) {
		bool collided = false;

		ret = hba_set_from_params(set, p, o->sec);
		if (ret)
			return ret;
		for (i = 0; o->dad && i < n && !collided; i++)
			collided = o->dad(set->addrs[i], o->dad_arg);
		if (!collided)
			return 0;
	}
	return -EADDRINUSE;
}

enum cga_verdict hba_verify(const uint8_t addr[16], const struct cga_params *p)
{
	struct cga_params sub;
	const uint8_t *pfx;
	unsigned int n, i;
	bool pf;
	int ret;

	ret = hba_multi_prefix_get(p, &pfx, &n, &pf);
	if (ret == -ENOENT)
		return CGA_ERR_NO_MULTI_PREFIX;
	if (ret)
		return CGA_ERR_BAD_MULTI_PREFIX;
	for (i = 0; i < n; i++)
		if (!memcmp(pfx + 8 * i, addr, 8))
			break;
	if (i == n)
		return CGA_ERR_PREFIX_NOT_IN_SET;
	/* §7.2 step 1: substitute the address's prefix, then RFC 3972 §5. */
	sub = *p;
	memcpy(sub.prefix, addr, 8);
	return cga_verify(addr, &sub);
}

enum cga_verdict hba_verify_bytes(const uint8_t addr[16], const uint8_t *buf, size_t len)
{
	struct cga_params p;

	if (cga_params_decode(&p, buf, len))
		return CGA_ERR_MALFORMED;
	return hba_verify(addr, &p);
}
