// SPDX-License-Identifier: GPL-2.0
/*
 * CGA Parameters encoding, Hash1/Hash2 and verification (RFC 3972 §3, §5).
 * The Hash2 search lives in cga_search.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/cga.h"

static const char *const verdict_names[CGA_VERDICT_MAX] = {
	[CGA_OK] = "verified",
	[CGA_ERR_MALFORMED] = "malformed CGA Parameters",
	[CGA_ERR_COLLISION_COUNT] = "collision count greater than 2",
	[CGA_ERR_PREFIX] = "subnet prefix differs from the address prefix",
	[CGA_ERR_HASH1] = "Hash1 does not match the interface identifier",
	[CGA_ERR_SEC_UNSUPPORTED] = "Sec value greater than 2 is not supported (RFC 4982)",
	[CGA_ERR_HASH2] = "Hash2 does not have 16*Sec leading zero bits",
	[CGA_ERR_NO_MULTI_PREFIX] = "no Multi-Prefix extension (not an HBA set)",
	[CGA_ERR_PREFIX_NOT_IN_SET] = "address prefix is not in the HBA set",
	[CGA_ERR_BAD_MULTI_PREFIX] = "malformed Multi-Prefix extension",
};

const char *cga_strerror(enum cga_verdict v)
{
	if ((unsigned int)v >= CGA_VERDICT_MAX || !verdict_names[v])
		return "unknown CGA verdict";
	return verdict_names[v];
}

int cga_der_seq_len(const uint8_t *buf, size_t len)
{
	size_t hdr, body, i, nlen;

	if (len < 2 || buf[0] != 0x30)
		return -EBADMSG;
	if (buf[1] < 0x80) {
		hdr = 2;
		body = buf[1];
	} else {
		/* Long form: 0x81..0x82 is plenty for a key; 0x80 is indefinite (BER). */
		nlen = buf[1] & 0x7f;
		if (nlen == 0 || nlen > 2 || len < 2 + nlen)
			return -EBADMSG;
		body = 0;
		for (i = 0; i < nlen; i++)
			body = body << 8 | buf[2 + i];
		hdr = 2 + nlen;
	}
	if (body > len - hdr)
		return -EBADMSG;
	return (int)(hdr + body);
}

/* Check that ext holds a whole number of RFC 4581 TLVs. */
static int ext_check(const uint8_t *ext, size_t len)
{
	size_t off = 0, dlen;

	while (off < len) {
		if (len - off < 4)
			return -EBADMSG;
		dlen = (size_t)ext[off + 2] << 8 | ext[off + 3];
		if (dlen > len - off - 4)
			return -EBADMSG;
		off += 4 + dlen;
	}
	return 0;
}

int cga_params_decode(struct cga_params *p, const uint8_t *buf, size_t len)
{
	int klen;
	size_t ext_len;

	if (len < CGA_FIXED_LEN)
		return -EBADMSG;
	klen = cga_der_seq_len(buf + CGA_FIXED_LEN, len - CGA_FIXED_LEN);
	if (klen < 0)
		return klen;
	if (klen > CGA_PUBKEY_MAX)
		return -EMSGSIZE;
	ext_len = len - CGA_FIXED_LEN - klen;
	if (ext_len > CGA_EXT_MAX)
		return -EMSGSIZE;
	if (ext_check(buf + CGA_FIXED_LEN + klen, ext_len))
		return -EBADMSG;
	memcpy(p->modifier, buf, CGA_MODIFIER_LEN);
	memcpy(p->prefix, buf + CGA_MODIFIER_LEN, CGA_PREFIX_LEN);
	p->collision_count = buf[CGA_MODIFIER_LEN + CGA_PREFIX_LEN];
	p->pubkey_len = (uint16_t)klen;
	memcpy(p->pubkey, buf + CGA_FIXED_LEN, klen);
	p->ext_len = (uint16_t)ext_len;
	memcpy(p->ext, buf + CGA_FIXED_LEN + klen, ext_len);
	return 0;
}

size_t cga_params_len(const struct cga_params *p)
{
	return CGA_FIXED_LEN + p->pubkey_len + p->ext_len;
}

int cga_params_encode(const struct cga_params *p, uint8_t *buf, size_t len)
{
	size_t need = cga_params_len(p);

	if (need > len)
		return -ENOSPC;
	memcpy(buf, p->modifier, CGA_MODIFIER_LEN);
	memcpy(buf + CGA_MODIFIER_LEN, p->prefix, CGA_PREFIX_LEN);
	buf[CGA_MODIFIER_LEN + CGA_PREFIX_LEN] = p->collision_count;
	memcpy(buf + CGA_FIXED_LEN, p->pubkey, p->pubkey_len);
	memcpy(buf + CGA_FIXED_LEN + p->pubkey_len, p->ext, p->ext_len);
	return (int)need;
}

int cga_params_set_pubkey(struct cga_params *p, const uint8_t *spki, size_t len)
{
	int klen = cga_der_seq_len(spki, len);

	if (klen < 0 || (size_t)klen != len)
		return -EINVAL;
	if (len > CGA_PUBKEY_MAX)
		return -EMSGSIZE;
	memcpy(p->pubkey, spki, len);
	p->pubkey_len = (uint16_t)len;
	return 0;
}

int cga_params_add_ext(struct cga_params *p, uint16_t type, const uint8_t *data, size_t len)
{
	uint8_t *e;

	if (len > 0xffff)
		return -EINVAL;
	if (p->ext_len + 4 + len > CGA_EXT_MAX)
		return -ENOSPC;
	e = p->ext + p->ext_len;
	e[0] = type >> 8;
	e[1] = type & 0xff;
	e[2] = len >> 8;
	e[3] = len & 0xff;
	if (len)
		memcpy(e + 4, data, len);
	p->ext_len += 4 + len;
	return 0;
}

int cga_params_find_ext(const struct cga_params *p, uint16_t type, const uint8_t **data,
			uint16_t *len)
{
	size_t off = 0;

	while (off + 4 <= p->ext_len) {
		uint16_t t = p->ext[off] << 8 | p->ext[off + 1];
		uint16_t l = p->ext[off + 2] << 8 | p->ext[off + 3];

		if (off + 4 + l > p->ext_len)
			break;
		if (t == type) {
			*data = p->ext + off + 4;
			*len = l;
			return 0;
		}
		off += 4 + l;
	}
	return -ENOENT;
}

/* SHA-1 over up to three pieces; one-shot EVP context per call (not the hot loop). */
static void sha1_3(const void *a, size_t alen, const void *b, size_t blen, const void *c,
		   size_t clen, uint8_t md[20])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int mdlen = 20;

	/* Allocation failure leaves md zeroed: verification then fails closed. */
	memset(md, 0, 20);
	if (!ctx)
		return;
	if (EVP_DigestInit_ex2(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    EVP_DigestUpdate(ctx, b, blen) == 1 && EVP_DigestUpdate(ctx, c, clen) == 1)
		EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
}

void cga_hash1(const struct cga_params *p, uint8_t out[8])
{
	uint8_t head[CGA_FIXED_LEN], md[20];

	memcpy(head, p->modifier, CGA_MODIFIER_LEN);
	memcpy(head + CGA_MODIFIER_LEN, p->prefix, CGA_PREFIX_LEN);
	head[CGA_FIXED_LEN - 1] = p->collision_count;
	sha1_3(head, sizeof(head), p->pubkey, p->pubkey_len, p->ext, p->ext_len, md);
	memcpy(out, md, 8);
}

void cga_hash2(const struct cga_params *p, uint8_t out[14])
{
	uint8_t head[CGA_FIXED_LEN] = { 0 }, md[20];

	memcpy(head, p->modifier, CGA_MODIFIER_LEN); /* then 9 zero octets */
	sha1_3(head, sizeof(head), p->pubkey, p->pubkey_len, p->ext, p->ext_len, md);
	memcpy(out, md, 14);
}

bool cga_hash2_ok(const uint8_t hash2[14], unsigned int sec)
{
	unsigned int i;

	if (sec > 7)
		return false;
	for (i = 0; i < 2 * sec; i++)
		if (hash2[i])
			return false;
	return true;
}

void cga_address(const struct cga_params *p, unsigned int sec, uint8_t addr[16])
{
	uint8_t h1[8];

	cga_hash1(p, h1);
	memcpy(addr, p->prefix, CGA_PREFIX_LEN);
	memcpy(addr + 8, h1, 8);
	addr[8] = (uint8_t)((addr[8] & 0x1c) | (sec & 7) << 5); /* Sec; u and g (0x03) cleared */
}

enum cga_verdict cga_verify(const uint8_t addr[16], const struct cga_params *p)
{
	uint8_t h1[8], h2[14];
	unsigned int sec;

	if (p->collision_count > CGA_COLLISIONS_MAX)
		return CGA_ERR_COLLISION_COUNT;
	if (memcmp(p->prefix, addr, CGA_PREFIX_LEN) != 0)
		return CGA_ERR_PREFIX;
	cga_hash1(p, h1);
	/* Ignore the three Sec bits and the u/g bits (bits 6 and 7 = 0x03). */
	if ((h1[0] & 0x1c) != (addr[8] & 0x1c) || memcmp(h1 + 1, addr + 9, 7) != 0)
		return CGA_ERR_HASH1;
	sec = cga_addr_sec(addr);
	if (sec > CGA_SEC_MAX_SUPPORTED)
		return CGA_ERR_SEC_UNSUPPORTED;
	if (sec == 0)
		return CGA_OK;
	cga_hash2(p, h2);
	return cga_hash2_ok(h2, sec) ? CGA_OK : CGA_ERR_HASH2;
}

enum cga_verdict cga_verify_bytes(const uint8_t addr[16], const uint8_t *buf, size_t len)
{
	struct cga_params p;

	if (cga_params_decode(&p, buf, len))
		return CGA_ERR_MALFORMED;
	return cga_verify(addr, &p);
}

void cga_modifier_add(uint8_t m[CGA_MODIFIER_LEN], uint64_t n)
{
	unsigned int carry = 0;
	int i;

	for (i = CGA_MODIFIER_LEN - 1; i >= 0; i--) {
		unsigned int s = m[i] + (unsigned int)(n & 0xff) + carry;

		m[i] = (uint8_t)s;
		carry = s >> 8;
		n >>= 8;
		if (!n && !carry)
			break;
	}
}

int cga_params_read_file(const char *path, struct cga_params *p)
{
	static const size_t max = CGA_PARAMS_MAX;
	uint8_t *buf = malloc(max + 1);
	FILE *f;
	size_t n;
	int ret;

	if (!buf)
		return -ENOMEM;
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		free(buf);
		return ret;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f))
		ret = -EIO;
	else if (n > max)
		ret = -EFBIG;
	else
		ret = cga_params_decode(p, buf, n);
	fclose(f);
	free(buf);
	return ret;
}

unsigned int cga_params_max_sec(const struct cga_params *p)
{
	uint8_t h2[14];
	unsigned int sec = 0;

	cga_hash2(p, h2);
	while (sec < CGA_SEC_MAX_SUPPORTED && cga_hash2_ok(h2, sec + 1))
		sec++;
	return sec;
}
