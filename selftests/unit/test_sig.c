// SPDX-License-Identifier: GPL-2.0
/*
 * Shim6 CGA signatures (RFC 5533 §5.15.5) and Locator List verification
 * (§7.2), plus PEM key storage and its permission checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rsa.h>

#include "crypto/hba.h"
#include "crypto/key.h"
#include "crypto/sig.h"
#include "selftests/runner.h"
#include "selftests/unit/crypto_helpers.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

TEST(sig_input_layout)
{
	static const uint8_t tag[16] = SHIM6_CGA_TAG;
	uint8_t locs[3][16], buf[128];
	const uint8_t methods[3] = { SHIM6_VM_CGA, SHIM6_VM_HBA, SHIM6_VM_CGA };
	int len;

	memset(locs[0], 0xa0, 16);
	memset(locs[1], 0xb1, 16);
	memset(locs[2], 0xc2, 16);
	len = sig_input(0x01020304, (const uint8_t (*)[16])locs, methods, 3, buf, sizeof(buf));
	if (!ASSERT_EQ(len, 16 + 4 + 32, "tag + generation + the two CGA locators"))
		return;
	ASSERT_MEMEQ(buf, 16, tag, 16, "tag 0x4A305662485857 4B3655416F506A6D48");
	ASSERT_MEMEQ(buf + 16, 4, "\x01\x02\x03\x04", 4, "generation, network order");
	ASSERT_MEMEQ(buf + 20, 16, locs[0], 16, "first CGA locator");
	ASSERT_MEMEQ(buf + 36, 16, locs[2], 16, "second CGA locator, list order");
	ASSERT_EQ(sig_input(1, (const uint8_t (*)[16])locs, methods, 3, buf, 40), -ENOSPC,
		  "short buffer");
}

TEST(sig_sign_verify)
{
	static const unsigned int bits[] = { 1024, 2048, 3072 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		EVP_PKEY *k = ct_rsa_key(bits[i]), *pub;
		uint8_t sig[SIG_MAX_LEN], spki[CGA_PUBKEY_MAX];
		const uint8_t msg[] = "tag and locators";
		size_t sl = sizeof(sig);
		int n;

		SUBTEST("RSA %u", bits[i]);
		if (!ASSERT_OK_PTR(k, "key"))
			continue;
		if (!ASSERT_OK(sig_sign(k, msg, sizeof(msg), sig, &sl), "sign"))
			continue;
		ASSERT_EQ(sl, bits[i] / 8, "signature is the modulus size");
		n = key_spki(k, spki, sizeof(spki));
		pub = key_from_spki(spki, (size_t)n);
		if (!ASSERT_OK_PTR(pub, "public key from SPKI"))
			continue;
		ASSERT_OK(sig_verify(pub, msg, sizeof(msg), sig, sl), "verifies");
		sig[sl / 2] ^= 1;
		ASSERT_EQ(sig_verify(pub, msg, sizeof(msg), sig, sl), -EBADMSG, "tampered signature");
		sig[sl / 2] ^= 1;
		ASSERT_EQ(sig_verify(pub, msg, sizeof(msg) - 1, sig, sl), -EBADMSG, "other message");
		sl = 16;
		ASSERT_EQ(sig_sign(k, msg, sizeof(msg), sig, &sl), -ENOSPC, "short signature buffer");
		EVP_PKEY_free(pub);
	}
}

/*
 * A CGA-compatible HBA set over three prefixes, plus a fourth locator from a
 * prefix learnt later, announced with the CGA method and signed.
 */
struct fixture {
	struct hba_set set;
	uint8_t wire[CGA_PARAMS_MAX];
	int wire_len;
	uint8_t locs[4][16];
	uint8_t methods[4];
	uint8_t sig[SIG_MAX_LEN];
	size_t sig_len;
	uint32_t gen;
};

static struct fixture *fixture(bool pure)
{
	static const uint8_t pfx[3][8] = { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0 },
					   { 0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0 },
					   { 0xfd, 0, 0, 0, 0, 3, 0, 0 } };
	struct cga_gen_opts o = { .sec = 1 };
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t spki[CGA_PUBKEY_MAX];
	int klen = key_spki(ct_rsa_key(1024), spki, sizeof(spki));
	unsigned int i;

	if (!f || klen <= 0 || hba_gen(&f->set, pfx, 3, pure ? NULL : spki, (size_t)klen, &o, NULL))
		goto fail;
	f->wire_len = cga_params_encode(&f->set.params, f->wire, sizeof(f->wire));
	for (i = 0; i < 3; i++) {
		memcpy(f->locs[i], f->set.addrs[i], 16);
		f->methods[i] = SHIM6_VM_HBA;
	}
	memcpy(f->locs[3], "\x20\x01\x0d\xb8\x00\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16);
	f->methods[3] = SHIM6_VM_CGA;
	f->gen = 42;
	f->sig_len = sizeof(f->sig);
	if (!pure && sig_sign_locators(ct_rsa_key(1024), f->gen, (const uint8_t (*)[16])f->locs,
				       f->methods, 4, f->sig, &f->sig_len))
		goto fail;
	if (pure)
		f->sig_len = 0;
	return f;
fail:
	free(f);
	return NULL;
}

static int verify(struct fixture *f, const uint8_t *ulid, struct loc_result *res)
{
	return sig_verify_locators(ulid, f->wire, (size_t)f->wire_len, f->gen,
				   (const uint8_t (*)[16])f->locs, f->methods, 4,
				   f->sig_len ? f->sig : NULL, f->sig_len, res);
}

TEST(sig_locator_list)
{
	struct fixture *base = fixture(false);
	struct loc_result res[4];
	unsigned int i, j;
	static const struct {
		const char *what;
		int kind;
		uint8_t want[4]; /* per-locator verdicts */
	} rows[] = {
		{ "untouched", 0, { LOC_OK, LOC_OK, LOC_OK, LOC_OK } },
		{ "signature byte", 1, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_SIGNATURE } },
		{ "CGA locator changed", 2, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_SIGNATURE } },
		{ "HBA locator changed", 3, { LOC_OK, LOC_ERR_HBA, LOC_OK, LOC_OK } },
		{ "generation number", 4, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_SIGNATURE } },
		{ "HBA locator relabelled CGA", 5, { LOC_OK, LOC_ERR_SIGNATURE, LOC_OK, LOC_ERR_SIGNATURE } },
		{ "CGA locator relabelled HBA", 6, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_HBA } },
		{ "unknown method 7", 7, { LOC_ERR_METHOD_UNKNOWN, LOC_OK, LOC_OK, LOC_OK } },
		{ "no signature", 8, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_NO_SIGNATURE } },
		{ "params modifier", 9, { LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID } },
		{ "params extension byte", 10, { LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID } },
		{ "params truncated", 11, { LOC_ERR_PARAMS, LOC_ERR_PARAMS, LOC_ERR_PARAMS, LOC_ERR_PARAMS } },
		{ "ULID not in the set", 12, { LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID, LOC_ERR_ULID } },
		{ "signature truncated", 13, { LOC_OK, LOC_OK, LOC_OK, LOC_ERR_SIGNATURE } },
	};

	if (!ASSERT_OK_PTR(base, "fixture"))
		return;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct fixture *f = malloc(sizeof(*f));
		uint8_t ulid[16];
		int ret;
		bool all_ok = true;

		SUBTEST("%s", rows[i].what);
		if (!ASSERT_OK_PTR(f, "alloc"))
			break;
		*f = *base;
		memcpy(ulid, f->set.addrs[0], 16);
		switch (rows[i].kind) {
		case 1: f->sig[f->sig_len - 1] ^= 1; break;
		case 2: f->locs[3][15] ^= 1; break;
		case 3: f->locs[1][15] ^= 1; break;
		case 4: f->gen++; break;
		case 5: f->methods[1] = SHIM6_VM_CGA; break;
		case 6: f->methods[3] = SHIM6_VM_HBA; break;
		case 7: f->methods[0] = 7; break;
		case 8: f->sig_len = 0; break;
		case 9: f->wire[3] ^= 1; break;
		case 10: f->wire[f->wire_len - 1] ^= 1; break;
		case 11: f->wire_len = 60; break;
		case 12: ulid[3] ^= 1; break;
		case 13: f->sig_len -= 1; break;
		}
		ret = verify(f, ulid, res);
		for (j = 0; j < 4; j++) {
			char what[64];

			snprintf(what, sizeof(what), "locator %u verdict (%s)", j,
				 loc_strerror(res[j].verdict));
			ASSERT_EQ(res[j].verdict, rows[i].want[j], what);
			all_ok &= rows[i].want[j] == LOC_OK;
		}
		ASSERT_EQ(ret, all_ok ? 0 : -EBADMSG, "return value");
		if (rows[i].kind == 3)
			ASSERT_EQ(res[1].cga, CGA_ERR_HASH1, "HBA failure detail");
		if (rows[i].kind == 12)
			ASSERT_EQ(res[0].cga, CGA_ERR_PREFIX_NOT_IN_SET, "ULID failure detail");
		free(f);
	}
	free(base);
}

TEST(sig_locator_list_method_consistency)
{
	struct fixture *f = fixture(true);
	struct loc_result res[4];
	uint8_t buf[CGA_PARAMS_MAX], sig[SIG_MAX_LEN];
	static const uint8_t rfc_addr[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
					      0x3c, 0x4a, 0x5b, 0xf6, 0xff, 0xb4, 0xca, 0x6c };
	const uint8_t loc[1][16] = { { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				       0x3c, 0x4a, 0x5b, 0xf6, 0xff, 0xb4, 0xca, 0x6c } };
	const uint8_t hba = SHIM6_VM_HBA;
	long n;

	if (!ASSERT_OK_PTR(f, "pure HBA fixture"))
		return;
	SUBTEST("pure HBA set, CGA method");
	memset(sig, 0x55, 128);
	f->sig_len = 128;
	memcpy(f->sig, sig, 128);
	ASSERT_EQ(verify(f, f->set.addrs[1], res), -EBADMSG, "rejected");
	ASSERT_EQ(res[0].verdict, LOC_OK, "HBA members fine");
	ASSERT_EQ(res[3].verdict, LOC_ERR_KEY, "the nonce is no key to verify with");

	SUBTEST("plain CGA params, HBA method");
	n = ct_data_read("cga_rfc3972_appendixA.params", buf, sizeof(buf));
	if (ASSERT_EQ(n, 119, "vector")) {
		ASSERT_EQ(sig_verify_locators(rfc_addr, buf, (size_t)n, 1, loc, &hba, 1, NULL, 0, res),
			  -EBADMSG, "rejected");
		ASSERT_EQ(res[0].verdict, LOC_ERR_METHOD_INCONSISTENT, "inconsistent method");
	}
	free(f);
}

/* A plain CGA ULID (no Multi-Prefix) with CGA-signed locators only. */
TEST(sig_locator_list_plain_cga)
{
	struct cga_params p = { 0 };
	struct cga_gen_opts o = { .sec = 0 };
	EVP_PKEY *k = ct_rsa_key(2048);
	uint8_t ulid[16], wire[CGA_PARAMS_MAX], sig[SIG_MAX_LEN], locs[2][16];
	const uint8_t m[2] = { SHIM6_VM_CGA, SHIM6_VM_CGA };
	struct loc_result res[2];
	size_t sl = sizeof(sig);
	int n;

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	n = key_spki(k, p.pubkey, sizeof(p.pubkey));
	p.pubkey_len = (uint16_t)n;
	memcpy(p.prefix, "\xfd\x00\x00\x00\x00\x00\x00\x07", 8);
	if (!ASSERT_OK(cga_gen(&p, &o, ulid, NULL), "gen"))
		return;
	n = cga_params_encode(&p, wire, sizeof(wire));
	memcpy(locs[0], ulid, 16);
	memset(locs[1], 0x2a, 16);
	if (!ASSERT_OK(sig_sign_locators(k, 7, (const uint8_t (*)[16])locs, m, 2, sig, &sl), "sign"))
		return;
	ASSERT_OK(sig_verify_locators(ulid, wire, (size_t)n, 7, (const uint8_t (*)[16])locs, m, 2,
				      sig, sl, res), "both locators verify");
	ASSERT_EQ(sig_verify_locators(ulid, wire, (size_t)n, 8, (const uint8_t (*)[16])locs, m, 2,
				      sig, sl, res), -EBADMSG, "wrong generation");
	ASSERT_EQ(res[1].verdict, LOC_ERR_SIGNATURE, "signature verdict");
}

/* ---- PEM key files ------------------------------------------------------- */

TEST(key_pem_permissions)
{
	char path[512], err[KEY_ERR_LEN];
	EVP_PKEY *k = ct_rsa_key(1024), *l = NULL;
	struct stat st;
	FILE *f;

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	snprintf(path, sizeof(path), "%s/key.pem", ct_tmpdir());
	unlink(path);
	if (!ASSERT_OK(key_save_pem(path, k), "save"))
		return;
	if (ASSERT_OK(stat(path, &st), "stat"))
		ASSERT_EQ(st.st_mode & 07777, 0600, "created 0600");
	ASSERT_EQ(key_save_pem(path, k), -EEXIST, "never overwrites");
	if (ASSERT_OK(key_load_pem(path, &l, err, sizeof(err)), "load 0600")) {
		ASSERT_TRUE(EVP_PKEY_eq(k, l) == 1, "same key back");
		EVP_PKEY_free(l);
	}
	chmod(path, 0400);
	ASSERT_OK(key_load_pem(path, &l, err, sizeof(err)), "load 0400");
	EVP_PKEY_free(l);
	chmod(path, 0640);
	ASSERT_EQ(key_load_pem(path, &l, err, sizeof(err)), -EPERM, "0640 refused");
	ASSERT_TRUE(strstr(err, "group or others") != NULL, "reason names the mode");
	chmod(path, 0604);
	ASSERT_EQ(key_load_pem(path, &l, err, sizeof(err)), -EPERM, "0604 refused");
	snprintf(path, sizeof(path), "%s/missing.pem", ct_tmpdir());
	ASSERT_EQ(key_load_pem(path, &l, err, sizeof(err)), -ENOENT, "missing file");
	snprintf(path, sizeof(path), "%s/garbage.pem", ct_tmpdir());
	f = fopen(path, "w");
	if (ASSERT_OK_PTR(f, "garbage file")) {
		fputs("not a key\n", f);
		fclose(f);
		chmod(path, 0600);
		ASSERT_EQ(key_load_pem(path, &l, err, sizeof(err)), -EBADMSG, "not PEM");
	}
	ASSERT_EQ(key_load_pem(ct_tmpdir(), &l, err, sizeof(err)), -EPERM, "a directory");
	ASSERT_FALSE(key_bits_valid(512), "512 bits refused");
	ASSERT_EQ(key_generate(1000, &l), -EINVAL, "odd size refused");
}

/*
 * The signature really is RSASSA-PKCS1-v1_5 with SHA-1 over tag ‖ generation
 * ‖ CGA locators: recover the encoded block with the raw RSA public
 * operation and compare it with the SHA-1 DigestInfo (RFC 3447 §9.2).
 */
TEST(sig_is_pkcs1_sha1)
{
	static const uint8_t sha1_prefix[15] = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
						 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
	uint8_t locs[2][16], msg[64], sig[SIG_MAX_LEN], rec[SIG_MAX_LEN], want[35];
	const uint8_t m[2] = { SHIM6_VM_CGA, SHIM6_VM_HBA };
	EVP_PKEY *k = ct_rsa_key(2048);
	EVP_PKEY_CTX *ctx;
	size_t sl = sizeof(sig), rl = sizeof(rec);
	unsigned int dl = 20;
	int ml;

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	memset(locs[0], 0x11, 16);
	memset(locs[1], 0x22, 16);
	if (!ASSERT_OK(sig_sign_locators(k, 0xdeadbeef, (const uint8_t (*)[16])locs, m, 2, sig, &sl),
		       "sign"))
		return;
	ml = sig_input(0xdeadbeef, (const uint8_t (*)[16])locs, m, 2, msg, sizeof(msg));
	ASSERT_EQ(ml, 36, "tag + generation + one CGA locator");
	memcpy(want, sha1_prefix, 15);
	EVP_Digest(msg, (size_t)ml, want + 15, &dl, EVP_sha1(), NULL);
	ctx = EVP_PKEY_CTX_new(k, NULL);
	if (!ASSERT_OK_PTR(ctx, "ctx"))
		return;
	if (ASSERT_EQ(EVP_PKEY_verify_recover_init(ctx), 1, "recover init") &&
	    ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1, "padding") &&
	    ASSERT_EQ(EVP_PKEY_verify_recover(ctx, rec, &rl, sig, sl), 1, "recover"))
		ASSERT_MEMEQ(rec, rl, want, sizeof(want), "DigestInfo(SHA-1, tag ‖ gen ‖ locator)");
	EVP_PKEY_CTX_free(ctx);
}

TEST(sig_locator_list_limits)
{
	static uint8_t locs[256][16], methods[256];
	struct loc_result res[256];
	uint8_t sig[SIG_MAX_LEN];
	size_t sl = sizeof(sig);

	ASSERT_EQ(sig_sign_locators(ct_rsa_key(1024), 1, (const uint8_t (*)[16])locs, methods, 256,
				    sig, &sl), -EINVAL, "256 locators refused (Num Locators is 8 bits)");
	ASSERT_EQ(sig_verify_locators(locs[0], sig, 0, 1, (const uint8_t (*)[16])locs, methods, 256,
				      NULL, 0, res), -EINVAL, "256 locators refused on verify");
	ASSERT_EQ(sig_verify_locators(NULL, sig, 0, 1, (const uint8_t (*)[16])locs, methods, 1, NULL,
				      0, res), -EINVAL, "no ULID");
}
