// SPDX-License-Identifier: GPL-2.0
/*
 * HBA sets (RFC 5535): generation over 1, 2, 5 and 10 prefixes, pure and
 * CGA-compatible; membership verification (§7.2) and its failures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "crypto/hba.h"
#include "crypto/key.h"
#include "selftests/runner.h"
#include "selftests/unit/crypto_helpers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void make_prefixes(uint8_t (*p)[8], unsigned int n, uint8_t tag)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		static const uint8_t base[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0 };

		memcpy(p[i], base, 8);
		p[i][4] = tag;
		p[i][5] = (uint8_t)i;
		p[i][7] = (uint8_t)(i * 7 + 1);
	}
}

static struct hba_set *new_set(void)
{
	return calloc(1, sizeof(struct hba_set));
}

TEST(hba_generate_verify)
{
	static const unsigned int sizes[] = { 1, 2, 5, 10 };
	unsigned int s, kind;

	for (kind = 0; kind < 2; kind++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			uint8_t pfx[10][8], spki[CGA_PUBKEY_MAX], wire[CGA_PARAMS_MAX];
			struct cga_gen_opts o = { .sec = 1 };
			struct hba_set *set = new_set();
			struct cga_params q;
			const uint8_t *mp;
			unsigned int i, n = sizes[s], mpn;
			int klen = 0, len;
			bool pf;

			SUBTEST("%s, %u prefixes", kind ? "CGA-compatible" : "pure HBA", n);
			if (!ASSERT_OK_PTR(set, "alloc"))
				return;
			make_prefixes(pfx, n, (uint8_t)(0x10 * kind + s));
			if (kind) {
				klen = key_spki(ct_rsa_key(1024), spki, sizeof(spki));
				if (!ASSERT_TRUE(klen > 0, "spki"))
					goto next;
			}
			if (!ASSERT_OK(hba_gen(set, (const uint8_t (*)[8])pfx, n, kind ? spki : NULL,
					       (size_t)klen, &o, NULL), "hba_gen"))
				goto next;
			ASSERT_EQ(set->n, n, "set size");
			ASSERT_MEMEQ(set->params.prefix, 8, pfx[0], 8, "subnet prefix = first prefix");
			if (!ASSERT_OK(hba_multi_prefix_get(&set->params, &mp, &mpn, &pf), "multi-prefix"))
				goto next;
			ASSERT_EQ(mpn, n, "prefixes in the extension");
			ASSERT_MEMEQ(mp, 8 * n, pfx, 8 * n, "prefix vector");
			ASSERT_EQ(pf, kind == 1, "P flag");
			if (!kind) {
				/* §6: the nonce is an rsaEncryption SPKI of a 384-bit "modulus". */
				const unsigned char *d = set->params.pubkey;
				EVP_PKEY *k = d2i_PUBKEY(NULL, &d, set->params.pubkey_len);

				if (ASSERT_OK_PTR(k, "nonce parses as an SPKI")) {
					ASSERT_TRUE(EVP_PKEY_is_a(k, "RSA"), "rsaEncryption");
					ASSERT_EQ(EVP_PKEY_get_bits(k), 384, "384 bits");
					EVP_PKEY_free(k);
				}
			} else {
				ASSERT_MEMEQ(set->params.pubkey, set->params.pubkey_len, spki,
					     (size_t)klen, "the real key");
			}
			len = cga_params_encode(&set->params, wire, sizeof(wire));
			for (i = 0; i < n; i++) {
				ASSERT_MEMEQ(set->addrs[i], 8, pfx[i], 8, "address prefix");
				ASSERT_EQ(cga_addr_sec(set->addrs[i]), 1, "Sec 1");
				ASSERT_EQ(hba_verify_bytes(set->addrs[i], wire, (size_t)len), CGA_OK,
					  "member verifies");
				/* §7.1: with its own prefix in place it is a plain CGA too. */
				q = set->params;
				memcpy(q.prefix, pfx[i], 8);
				ASSERT_EQ(cga_verify(set->addrs[i], &q), CGA_OK, "CGA with own prefix");
				if (i > 0)
					ASSERT_EQ(cga_verify(set->addrs[i], &set->params), CGA_ERR_PREFIX,
						  "plain CGA check of another member: prefix differs");
			}
		next:
			free(set);
		}
	}
}

/* A random key field that is not an RSA key: the verifier only hashes it. */
TEST(hba_opaque_public_key)
{
	static const uint8_t not_rsa[] = { 0x30, 0x06, 0x04, 0x04, 0xde, 0xad, 0xbe, 0xef };
	struct cga_gen_opts o = { .sec = 1 };
	struct hba_set *set = new_set();
	uint8_t pfx[3][8], wire[CGA_PARAMS_MAX];
	unsigned int i;
	int len;

	if (!ASSERT_OK_PTR(set, "alloc"))
		return;
	make_prefixes(pfx, 3, 0x77);
	if (ASSERT_OK(hba_gen(set, (const uint8_t (*)[8])pfx, 3, not_rsa, sizeof(not_rsa), &o,
			      NULL), "gen with an opaque key field")) {
		len = cga_params_encode(&set->params, wire, sizeof(wire));
		ASSERT_TRUE(key_from_spki(set->params.pubkey, set->params.pubkey_len) == NULL,
			    "key field is not an RSA key");
		for (i = 0; i < 3; i++)
			ASSERT_EQ(hba_verify_bytes(set->addrs[i], wire, (size_t)len), CGA_OK,
				  "member verifies anyway");
	}
	free(set);
}

TEST(hba_tamper)
{
	struct cga_gen_opts o = { .sec = 1 };
	struct hba_set *set = new_set();
	uint8_t pfx[5][8], addr[16];
	unsigned int i;
	static const struct {
		const char *what;
		int kind;
		enum cga_verdict want;
	} rows[] = {
		{ "modifier", 0, CGA_ERR_HASH1 },
		{ "prefix in the extension list", 1, CGA_ERR_HASH1 },
		{ "address prefix outside the set", 2, CGA_ERR_PREFIX_NOT_IN_SET },
		{ "collision count 1", 3, CGA_ERR_HASH1 },
		{ "collision count 3", 4, CGA_ERR_COLLISION_COUNT },
		{ "Sec bits raised to 2", 5, CGA_ERR_HASH2 },
		{ "Sec bits 4", 6, CGA_ERR_SEC_UNSUPPORTED },
		{ "P flag byte", 7, CGA_ERR_HASH1 },
		{ "reserved byte of the extension", 8, CGA_ERR_HASH1 },
		{ "nonce byte", 9, CGA_ERR_HASH1 },
		{ "Multi-Prefix type changed", 10, CGA_ERR_NO_MULTI_PREFIX },
		{ "Multi-Prefix length not 4+8n", 11, CGA_ERR_BAD_MULTI_PREFIX },
		{ "interface id", 12, CGA_ERR_HASH1 },
		{ "stored subnet prefix (ignored by §7.2)", 13, CGA_OK },
	};

	if (!ASSERT_OK_PTR(set, "alloc"))
		return;
	make_prefixes(pfx, 5, 0x33);
	if (!ASSERT_OK(hba_gen(set, (const uint8_t (*)[8])pfx, 5, NULL, 0, &o, NULL), "gen"))
		goto out;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cga_params p = set->params;
		uint8_t h2[14];

		SUBTEST("%s", rows[i].what);
		memcpy(addr, set->addrs[2], 16);
		/* ext layout: type(2) len(2) P/reserved(4) prefixes */
		switch (rows[i].kind) {
		case 0: p.modifier[9] ^= 1; break;
		case 1: p.ext[8 + 8 * 1 + 3] ^= 1; break; /* prefix 1, not the address's */
		case 2: addr[6] ^= 0x40; break;
		case 3: p.collision_count = 1; break;
		case 4: p.collision_count = 3; break;
		case 5:
			cga_hash2(&p, h2);
			if (cga_hash2_ok(h2, 2)) {
				SKIP("this set happens to satisfy Sec 2");
				continue;
			}
			addr[8] = (uint8_t)((addr[8] & 0x1f) | 2 << 5);
			break;
		case 6: addr[8] = (uint8_t)((addr[8] & 0x1f) | 4 << 5); break;
		case 7: p.ext[4] ^= 0x80; break;
		case 8: p.ext[6] ^= 0x01; break;
		case 9: p.pubkey[p.pubkey_len - 10] ^= 0x04; break;
		case 10: p.ext[1] ^= 0x01; break;
		case 11: p.ext[3] -= 4; p.ext_len -= 4; break;
		case 12: addr[12] ^= 0x08; break;
		case 13: p.prefix[0] ^= 0xff; break;
		}
		ASSERT_STREQ(cga_strerror(hba_verify(addr, &p)), cga_strerror(rows[i].want),
			     "verdict");
	}
out:
	free(set);
}

TEST(hba_no_multi_prefix)
{
	struct cga_params p;
	uint8_t buf[CGA_PARAMS_MAX];
	static const uint8_t addr[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
					  0x3c, 0x4a, 0x5b, 0xf6, 0xff, 0xb4, 0xca, 0x6c };
	long n = ct_data_read("cga_rfc3972_appendixA.params", buf, sizeof(buf));

	if (!ASSERT_EQ(n, 119, "vector") || !ASSERT_OK(cga_params_decode(&p, buf, 119), "decode"))
		return;
	ASSERT_EQ(hba_verify(addr, &p), CGA_ERR_NO_MULTI_PREFIX, "a plain CGA is no HBA set");
	ASSERT_EQ(hba_verify_bytes(addr, buf, 20), CGA_ERR_MALFORMED, "truncated params");
}

TEST(hba_generation_args)
{
	struct cga_gen_opts o = { .sec = 0 };
	struct hba_set *set = new_set();
	uint8_t pfx[3][8];
	int calls = 0;

	if (!ASSERT_OK_PTR(set, "alloc"))
		return;
	make_prefixes(pfx, 3, 0x44);
	memcpy(pfx[2], pfx[0], 8);
	ASSERT_EQ(hba_gen(set, (const uint8_t (*)[8])pfx, 3, NULL, 0, &o, NULL), -EINVAL,
		  "duplicate prefixes refused");
	ASSERT_EQ(hba_gen(set, (const uint8_t (*)[8])pfx, 0, NULL, 0, &o, NULL), -EINVAL,
		  "empty set refused");
	o.sec = 3;
	ASSERT_EQ(hba_gen(set, (const uint8_t (*)[8])pfx, 2, NULL, 0, &o, NULL), -EINVAL,
		  "Sec 3 refused");
	free(set);
	(void)calls;
}

static bool dad_second_addr_once(const uint8_t addr[16], void *arg)
{
	int *calls = arg;

	(void)addr;
	return ++*calls == 2; /* the second address of the first round collides */
}

TEST(hba_collision)
{
	int calls = 0;
	struct cga_gen_opts o = { .sec = 0, .dad = dad_second_addr_once, .dad_arg = &calls };
	struct hba_set *set = new_set();
	uint8_t pfx[3][8], wire[CGA_PARAMS_MAX];
	unsigned int i;
	int len;

	if (!ASSERT_OK_PTR(set, "alloc"))
		return;
	make_prefixes(pfx, 3, 0x55);
	if (ASSERT_OK(hba_gen(set, (const uint8_t (*)[8])pfx, 3, NULL, 0, &o, NULL), "gen")) {
		ASSERT_EQ(set->params.collision_count, 1, "one collision: count 1 for the set");
		ASSERT_EQ(calls, 2 + 3, "two DAD queries, then all three again");
		len = cga_params_encode(&set->params, wire, sizeof(wire));
		for (i = 0; i < 3; i++)
			ASSERT_EQ(hba_verify_bytes(set->addrs[i], wire, (size_t)len), CGA_OK,
				  "member verifies");
	}
	free(set);
}
