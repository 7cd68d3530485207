// SPDX-License-Identifier: GPL-2.0
/*
 * CGA (RFC 3972): the Appendix A known-answer vector, the parameters codec,
 * generation for Sec 0/1 with RSA 1024/2048, and every tampering rejected
 * with its own reason.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cga.h"
#include "crypto/key.h"
#include "selftests/runner.h"
#include "selftests/unit/crypto_helpers.h"

#define RFC_VECTOR "cga_rfc3972_appendixA.params"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char rfc_mod_initial[] = "89a8a8b2e858d8b8f2633f44d2d4ce9a";
static const char rfc_mod_final[] = "89a8a8b2e858d8b8f2633f44d2d4ce9b";
static const char rfc_hash2_initial[] = "436b9a70dbfddbf1926e6e6629c0";
static const char rfc_hash2_final[] = "000001ca680b83888d0912dffcce";
static const char rfc_hash1[] = "fd4a5bf6ffb4ca6c";
static const uint8_t rfc_addr[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
				      0x3c, 0x4a, 0x5b, 0xf6, 0xff, 0xb4, 0xca, 0x6c };

static bool load_rfc(struct cga_params *p, uint8_t *raw, long *raw_len)
{
	uint8_t buf[CGA_PARAMS_MAX];
	long n = ct_data_read(RFC_VECTOR, raw ? raw : buf, CGA_PARAMS_MAX);

	if (!ASSERT_EQ(n, 119, "vector file length"))
		return false;
	if (raw_len)
		*raw_len = n;
	return ASSERT_OK(cga_params_decode(p, raw ? raw : buf, (size_t)n), "decode vector");
}

TEST(cga_rfc3972_vector_decode)
{
	uint8_t raw[CGA_PARAMS_MAX], enc[CGA_PARAMS_MAX], want[16];
	struct cga_params p;
	long n;

	if (!load_rfc(&p, raw, &n))
		return;
	ct_unhex(rfc_mod_final, want, sizeof(want));
	ASSERT_MEMEQ(p.modifier, 16, want, 16, "modifier");
	ASSERT_MEMEQ(p.prefix, 8, rfc_addr, 8, "subnet prefix fe80::");
	ASSERT_EQ(p.collision_count, 0, "collision count");
	ASSERT_EQ(p.pubkey_len, 94, "public key length (512-bit RSA SPKI)");
	ASSERT_EQ(p.ext_len, 0, "no extension fields");
	ASSERT_EQ(cga_params_encode(&p, enc, sizeof(enc)), n, "encoded length");
	ASSERT_MEMEQ(enc, (size_t)n, raw, (size_t)n, "encode(decode(x)) == x");
}

TEST(cga_rfc3972_vector_hashes)
{
	uint8_t h1[8], h2[14], want[16];
	struct cga_params p;

	if (!load_rfc(&p, NULL, NULL))
		return;
	cga_hash1(&p, h1);
	ct_unhex(rfc_hash1, want, 8);
	ASSERT_MEMEQ(h1, 8, want, 8, "Hash1");
	cga_hash2(&p, h2);
	ct_unhex(rfc_hash2_final, want, 14);
	ASSERT_MEMEQ(h2, 14, want, 14, "Hash2 of the final modifier");
	ASSERT_TRUE(cga_hash2_ok(h2, 1), "final Hash2 has 16 zero bits");
	ASSERT_FALSE(cga_hash2_ok(h2, 2), "final Hash2 lacks 32 zero bits");

	ct_unhex(rfc_mod_initial, p.modifier, 16);
	cga_hash2(&p, h2);
	ct_unhex(rfc_hash2_initial, want, 14);
	ASSERT_MEMEQ(h2, 14, want, 14, "Hash2 of the initial modifier");
	ASSERT_FALSE(cga_hash2_ok(h2, 1), "initial Hash2 rejected at Sec 1");
}

/* Generation from the RFC's starting modifier, with 1, 2 and 3 threads. */
TEST(cga_rfc3972_vector_generate)
{
	static const unsigned int threads[] = { 1, 2, 3 };
	uint8_t start[16], want_mod[16], addr[16];
	struct cga_params ref;
	unsigned int i;

	if (!load_rfc(&ref, NULL, NULL))
		return;
	ct_unhex(rfc_mod_initial, start, 16);
	ct_unhex(rfc_mod_final, want_mod, 16);
	for (i = 0; i < ARRAY_SIZE(threads); i++) {
		struct cga_gen_opts o = { .sec = 1, .threads = threads[i], .start_modifier = start };
		struct cga_gen_stats st;
		struct cga_params p = ref;

		SUBTEST("threads %u", threads[i]);
		memset(p.modifier, 0, 16);
		p.collision_count = 7;
		if (!ASSERT_OK(cga_gen(&p, &o, addr, &st), "cga_gen"))
			continue;
		ASSERT_MEMEQ(p.modifier, 16, want_mod, 16, "final modifier");
		ASSERT_EQ(p.collision_count, 0, "collision count");
		ASSERT_MEMEQ(addr, 16, rfc_addr, 16, "address fe80::3c4a:5bf6:ffb4:ca6c");
		ASSERT_TRUE(st.tries >= 2, "at least two tries counted");
		ASSERT_EQ(st.threads, threads[i], "threads used");
	}
}

TEST(cga_rfc3972_vector_verify)
{
	struct cga_params p;

	if (!load_rfc(&p, NULL, NULL))
		return;
	ASSERT_EQ(cga_verify(rfc_addr, &p), CGA_OK, "RFC 3972 example verifies");
}

/* Tampering with the RFC example: each change rejected with its reason. */
TEST(cga_tamper_rfc_vector)
{
	struct cga_params ref;
	unsigned int i;
	static const struct {
		const char *what;
		int field; /* 0 modifier, 1 params prefix, 2 cc, 3 sec bits, 4 pubkey, 5 iid, 6 addr prefix, 7 both prefixes */
		unsigned int value;
		enum cga_verdict want;
	} rows[] = {
		{ "modifier last byte", 0, 0x01, CGA_ERR_HASH1 },
		{ "modifier first byte", 0, 0x80, CGA_ERR_HASH1 },
		{ "params subnet prefix", 1, 0x01, CGA_ERR_PREFIX },
		{ "collision count 1", 2, 1, CGA_ERR_HASH1 },
		{ "collision count 2", 2, 2, CGA_ERR_HASH1 },
		{ "collision count 3", 2, 3, CGA_ERR_COLLISION_COUNT },
		{ "collision count 255", 2, 255, CGA_ERR_COLLISION_COUNT },
		{ "Sec bits 1 -> 2", 3, 2, CGA_ERR_HASH2 },
		{ "Sec bits 1 -> 3", 3, 3, CGA_ERR_SEC_UNSUPPORTED },
		{ "Sec bits 1 -> 7", 3, 7, CGA_ERR_SEC_UNSUPPORTED },
		{ "public key modulus byte", 4, 0x01, CGA_ERR_HASH1 },
		{ "public key exponent byte", 4, 0x02, CGA_ERR_HASH1 },
		{ "interface id last byte", 5, 0x01, CGA_ERR_HASH1 },
		{ "address prefix", 6, 0x01, CGA_ERR_PREFIX },
		{ "prefix changed in both", 7, 0x01, CGA_ERR_HASH1 },
	};

	if (!load_rfc(&ref, NULL, NULL))
		return;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct cga_params p = ref;
		uint8_t addr[16];

		memcpy(addr, rfc_addr, 16);
		SUBTEST("%s", rows[i].what);
		switch (rows[i].field) {
		case 0: p.modifier[rows[i].value == 0x80 ? 0 : 15] ^= rows[i].value; break;
		case 1: p.prefix[7] ^= rows[i].value; break;
		case 2: p.collision_count = (uint8_t)rows[i].value; break;
		case 3: addr[8] = (uint8_t)((addr[8] & 0x1f) | rows[i].value << 5); break;
		case 4: p.pubkey[rows[i].value == 1 ? 40 : p.pubkey_len - 1] ^= 0x01; break;
		case 5: addr[15] ^= rows[i].value; break;
		case 6: addr[1] ^= rows[i].value; break;
		case 7: p.prefix[3] ^= 1; addr[3] ^= 1; break;
		}
		ASSERT_STREQ(cga_strerror(cga_verify(addr, &p)), cga_strerror(rows[i].want),
			     "verdict");
	}
}

/* The five ignored bits: u/g never matter; Sec 1 -> 0 is a weaker, still valid, claim. */
TEST(cga_ignored_bits)
{
	struct cga_params p;
	uint8_t addr[16];

	if (!load_rfc(&p, NULL, NULL))
		return;
	memcpy(addr, rfc_addr, 16);
	addr[8] ^= 0x03;
	ASSERT_EQ(cga_verify(addr, &p), CGA_OK, "u and g bits are ignored (RFC 3972 §5 step 4)");
	memcpy(addr, rfc_addr, 16);
	addr[8] &= 0x1f;
	ASSERT_EQ(cga_verify(addr, &p), CGA_OK, "Sec 0 claim over a Sec 1 modifier verifies");
}

/* The Sec 2 code path: a committed Sec 2 parameter file, and the zero-bit check itself. */
TEST(cga_sec2)
{
	uint8_t buf[CGA_PARAMS_MAX], addr[16], h2[14];
	struct cga_params p;
	long n;

	SUBTEST("zero-bit check");
	memset(h2, 0, sizeof(h2));
	h2[4] = 0x80;
	ASSERT_TRUE(cga_hash2_ok(h2, 2), "32 zero bits pass Sec 2");
	h2[3] = 0x01;
	ASSERT_FALSE(cga_hash2_ok(h2, 2), "bit 31 set fails Sec 2");
	ASSERT_TRUE(cga_hash2_ok(h2, 1), "but passes Sec 1");
	h2[1] = 0x01;
	ASSERT_FALSE(cga_hash2_ok(h2, 1), "bit 15 set fails Sec 1");
	ASSERT_TRUE(cga_hash2_ok(h2, 0), "Sec 0 never fails");

	SUBTEST("precomputed Sec 2 parameters");
	n = ct_data_read("cga_sec2.params", buf, sizeof(buf));
	if (n < 0) {
		SKIP("selftests/unit/data/cga_sec2.params missing");
		return;
	}
	if (!ASSERT_OK(cga_params_decode(&p, buf, (size_t)n), "decode"))
		return;
	cga_hash2(&p, h2);
	ASSERT_TRUE(cga_hash2_ok(h2, 2), "Hash2 has 32 zero bits");
	cga_address(&p, 2, addr);
	ASSERT_EQ(cga_addr_sec(addr), 2, "address says Sec 2");
	ASSERT_EQ(cga_verify(addr, &p), CGA_OK, "Sec 2 CGA verifies");
	p.modifier[15] ^= 1;
	cga_address(&p, 2, addr); /* a matching Hash1, but Hash2 now random */
	ASSERT_EQ(cga_verify(addr, &p), CGA_ERR_HASH2, "modified modifier fails Hash2");
}

TEST(cga_modifier_increment)
{
	uint8_t m[16] = { 0 }, want[16] = { 0 };
	unsigned int i;

	/* README §2: 2^24 increments from zero give 00..00 01 00 00 00. */
	for (i = 0; i < (1u << 24); i += 1u << 20)
		cga_modifier_add(m, 1u << 20);
	want[12] = 1;
	ASSERT_MEMEQ(m, 16, want, 16, "2^24 increments from zero");
	memset(m, 0xff, 16);
	m[15] = 0xfe;
	for (i = 0; i < 3; i++)
		cga_modifier_add(m, 1);
	memset(want, 0, 16);
	want[15] = 1;
	ASSERT_MEMEQ(m, 16, want, 16, "ff..fe + 3 wraps to 00..01");
	memset(m, 0, 16);
	m[7] = 0xff;
	m[8] = 0xff;
	m[15] = 0xff;
	cga_modifier_add(m, 0xffffffffffffffffull);
	/* 0x00..ff ff00..00ff + 0xffff_ffff_ffff_ffff */
	memset(want, 0, 16);
	want[6] = 0x01;
	want[7] = 0x00;
	want[8] = 0xff;
	want[15] = 0xfe;
	ASSERT_MEMEQ(m, 16, want, 16, "64-bit add with carries");
}

TEST(cga_params_decode_table)
{
	uint8_t rfc[CGA_PARAMS_MAX];
	long n = ct_data_read(RFC_VECTOR, rfc, sizeof(rfc));
	unsigned int i;
	struct {
		const char *what;
		size_t len;
		int set_at, set_val; /* -1: none */
		int append;	     /* bytes of TLV to append: 0 none */
		const char *tlv;
		int want;
	} rows[] = {
		{ "the vector", 119, -1, 0, 0, NULL, 0 },
		{ "empty", 0, -1, 0, 0, NULL, -EBADMSG },
		{ "fixed part only", 25, -1, 0, 0, NULL, -EBADMSG },
		{ "one byte of key", 26, -1, 0, 0, NULL, -EBADMSG },
		{ "key truncated", 118, -1, 0, 0, NULL, -EBADMSG },
		{ "key not a SEQUENCE", 119, 25, 0x31, 0, NULL, -EBADMSG },
		{ "indefinite length", 119, 26, 0x80, 0, NULL, -EBADMSG },
		{ "length of length 3", 119, 26, 0x83, 0, NULL, -EBADMSG },
		{ "key longer than data", 119, 26, 0x5d, 0, NULL, -EBADMSG },
		{ "key shorter: rest not TLV", 119, 26, 0x5b, 0, NULL, -EBADMSG },
		{ "one good TLV", 119, -1, 0, 6, "fffd00021234", 0 },
		{ "empty TLV", 119, -1, 0, 4, "fffe0000", 0 },
		{ "two TLVs", 119, -1, 0, 9, "fffd0001aafffe0000", 0 },
		{ "TLV header cut", 119, -1, 0, 3, "fffd00", -EBADMSG },
		{ "TLV length too big", 119, -1, 0, 6, "fffd00031234", -EBADMSG },
	};

	if (!ASSERT_EQ(n, 119, "vector"))
		return;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		uint8_t buf[CGA_PARAMS_MAX];
		struct cga_params p;
		size_t len = rows[i].len;

		SUBTEST("%s", rows[i].what);
		memcpy(buf, rfc, 119);
		if (rows[i].set_at >= 0)
			buf[rows[i].set_at] = (uint8_t)rows[i].set_val;
		if (rows[i].tlv)
			len += ct_unhex(rows[i].tlv, buf + len, sizeof(buf) - len);
		ASSERT_EQ(cga_params_decode(&p, buf, len), rows[i].want, "decode");
		ASSERT_EQ(cga_verify_bytes(rfc_addr, buf, len) == CGA_ERR_MALFORMED,
			  rows[i].want != 0, "verify says malformed exactly when decode fails");
	}
}

TEST(cga_params_long_form_and_limits)
{
	struct cga_params p = { 0 };
	uint8_t buf[CGA_PARAMS_MAX + 16], spki[300];
	const uint8_t *d;
	uint16_t dl;

	/* A SEQUENCE with a two-byte length (like any RSA-2048 SPKI). */
	spki[0] = 0x30;
	spki[1] = 0x82;
	spki[2] = 0x01;
	spki[3] = 0x00;
	memset(spki + 4, 0xab, 256);
	ASSERT_OK(cga_params_set_pubkey(&p, spki, 260), "set 260-byte key");
	ASSERT_EQ(cga_params_set_pubkey(&p, spki, 259), -EINVAL, "length mismatch refused");
	ASSERT_OK(cga_params_add_ext(&p, 0xfffd, (const uint8_t *)"abc", 3), "add ext");
	ASSERT_OK(cga_params_add_ext(&p, 0x0012, (const uint8_t *)"defg", 4), "add ext 2");
	ASSERT_EQ(cga_params_encode(&p, buf, 10), -ENOSPC, "encode into a short buffer");
	ASSERT_EQ(cga_params_encode(&p, buf, sizeof(buf)), 25 + 260 + 7 + 8, "encode");
	memset(&p, 0, sizeof(p));
	ASSERT_OK(cga_params_decode(&p, buf, 25 + 260 + 15), "decode long form");
	ASSERT_EQ(p.pubkey_len, 260, "key length");
	ASSERT_OK(cga_params_find_ext(&p, 0x0012, &d, &dl), "find ext");
	ASSERT_MEMEQ(d, dl, "defg", 4, "ext data");
	ASSERT_EQ(cga_params_find_ext(&p, 0x0013, &d, &dl), -ENOENT, "absent ext");
	/* Extensions bigger than the struct can hold: refused, not truncated. */
	memset(buf + 285, 0, sizeof(buf) - 285);
	buf[285] = 0xff;
	buf[286] = 0xfd;
	buf[287] = (CGA_EXT_MAX) >> 8;
	buf[288] = (CGA_EXT_MAX)&0xff;
	ASSERT_EQ(cga_params_decode(&p, buf, 285 + 4 + CGA_EXT_MAX), -EMSGSIZE,
		  "oversized extensions");
}

/* ---- generate, then verify, with real RSA keys ---------------------------- */

static bool dad_first_two(const uint8_t addr[16], void *arg)
{
	int *calls = arg;

	(void)addr;
	return (*calls)++ < 2;
}

static bool dad_always(const uint8_t addr[16], void *arg)
{
	(void)addr;
	(void)arg;
	return true;
}

TEST(cga_generate_verify)
{
	static const unsigned int bits[] = { 1024, 2048 };
	static const unsigned int secs[] = { 0, 1 };
	unsigned int b, s;

	for (b = 0; b < ARRAY_SIZE(bits); b++) {
		for (s = 0; s < ARRAY_SIZE(secs); s++) {
			struct cga_gen_opts o = { .sec = secs[s] };
			struct cga_params p = { 0 }, q;
			uint8_t spki[CGA_PUBKEY_MAX], addr[16], wire[CGA_PARAMS_MAX];
			EVP_PKEY *k = ct_rsa_key(bits[b]);
			int len;

			SUBTEST("RSA %u Sec %u", bits[b], secs[s]);
			if (!ASSERT_OK_PTR(k, "key"))
				continue;
			len = key_spki(k, spki, sizeof(spki));
			if (!ASSERT_TRUE(len > 0, "spki") ||
			    !ASSERT_OK(cga_params_set_pubkey(&p, spki, (size_t)len), "set key"))
				continue;
			memcpy(p.prefix, "\x20\x01\x0d\xb8\x00\x01\x00\x02", 8);
			if (!ASSERT_OK(cga_gen(&p, &o, addr, NULL), "gen"))
				continue;
			ASSERT_EQ(cga_addr_sec(addr), secs[s], "Sec in address");
			ASSERT_EQ(addr[8] & 0x03, 0, "u and g bits zero");
			ASSERT_MEMEQ(addr, 8, p.prefix, 8, "prefix");
			len = cga_params_encode(&p, wire, sizeof(wire));
			ASSERT_EQ(cga_verify_bytes(addr, wire, (size_t)len), CGA_OK, "verifies");
			/* Round trip through the codec, then tamper with each part. */
			ASSERT_OK(cga_params_decode(&q, wire, (size_t)len), "decode");
			q.pubkey[q.pubkey_len / 2] ^= 0x10;
			ASSERT_EQ(cga_verify(addr, &q), CGA_ERR_HASH1, "key byte");
			q = p;
			q.modifier[0] ^= 0x40;
			ASSERT_EQ(cga_verify(addr, &q), CGA_ERR_HASH1, "modifier");
		}
	}
}

TEST(cga_generate_with_extension)
{
	struct cga_gen_opts o = { .sec = 1 };
	struct cga_params p = { 0 }, q;
	uint8_t spki[CGA_PUBKEY_MAX], addr[16];
	EVP_PKEY *k = ct_rsa_key(1024);
	int len;

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	len = key_spki(k, spki, sizeof(spki));
	ASSERT_OK(cga_params_set_pubkey(&p, spki, (size_t)len), "key");
	ASSERT_OK(cga_params_add_ext(&p, CGA_EXT_TYPE_EXP_FFFD, (const uint8_t *)"shim6", 5),
		  "extension");
	if (!ASSERT_OK(cga_gen(&p, &o, addr, NULL), "gen"))
		return;
	ASSERT_EQ(cga_verify(addr, &p), CGA_OK, "verifies with an unknown extension");
	q = p;
	q.ext[6] ^= 0x01; /* a data byte of the extension */
	ASSERT_EQ(cga_verify(addr, &q), CGA_ERR_HASH1, "extension byte tampered");
	q = p;
	q.ext_len = 0; /* extension stripped */
	ASSERT_EQ(cga_verify(addr, &q), CGA_ERR_HASH1, "extension removed");
}

TEST(cga_collision_count)
{
	struct cga_params p = { 0 }, q;
	uint8_t addr[16], addr0[16], spki[CGA_PUBKEY_MAX];
	EVP_PKEY *k = ct_rsa_key(1024);
	int calls = 0, len;
	struct cga_gen_opts o = { .sec = 0, .dad = dad_first_two, .dad_arg = &calls };

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	len = key_spki(k, spki, sizeof(spki));
	cga_params_set_pubkey(&p, spki, (size_t)len);
	if (!ASSERT_OK(cga_gen(&p, &o, addr, NULL), "gen with two collisions"))
		return;
	ASSERT_EQ(p.collision_count, 2, "collision count after two collisions");
	ASSERT_EQ(calls, 3, "DAD asked three times");
	ASSERT_EQ(cga_verify(addr, &p), CGA_OK, "verifies");
	q = p;
	q.collision_count = 0;
	cga_address(&q, 0, addr0);
	ASSERT_FALSE(memcmp(addr0, addr, 16) == 0, "collision count changes the address");
	o.dad = dad_always;
	ASSERT_EQ(cga_gen(&p, &o, addr, NULL), -EADDRINUSE, "three collisions: give up");
}

/* The search result does not depend on the thread count. */
TEST(cga_search_deterministic)
{
	uint8_t start[16], spki[CGA_PUBKEY_MAX];
	struct cga_params base = { 0 }, p1, pn;
	EVP_PKEY *k = ct_rsa_key(1024);
	unsigned int t;
	int len;

	if (!ASSERT_OK_PTR(k, "key"))
		return;
	len = key_spki(k, spki, sizeof(spki));
	cga_params_set_pubkey(&base, spki, (size_t)len);
	memset(start, 0x5a, sizeof(start));
	p1 = base;
	{
		struct cga_gen_opts o = { .sec = 1, .threads = 1, .start_modifier = start };

		if (!ASSERT_OK(cga_hash2_search(&p1, &o, NULL), "1 thread"))
			return;
	}
	for (t = 2; t <= 4; t++) {
		struct cga_gen_opts o = { .sec = 1, .threads = t, .start_modifier = start };

		SUBTEST("%u threads", t);
		pn = base;
		if (ASSERT_OK(cga_hash2_search(&pn, &o, NULL), "search"))
			ASSERT_MEMEQ(pn.modifier, 16, p1.modifier, 16, "same modifier");
	}
}

TEST(cga_search_cancel_and_args)
{
	struct cga_params p = { 0 };
	atomic_bool cancel = true;
	struct cga_gen_opts o = { .sec = 2, .threads = 2, .cancel = &cancel };
	struct cga_gen_stats st;
	uint8_t addr[16];

	p.pubkey[0] = 0x30;
	p.pubkey_len = 2;
	ASSERT_EQ(cga_hash2_search(&p, &o, &st), -ECANCELED, "cancelled before the first chunk");
	o.sec = 3;
	ASSERT_EQ(cga_gen(&p, &o, addr, NULL), -EINVAL, "Sec 3 generation refused");
}

TEST(cga_params_file_and_max_sec)
{
	char path[512];
	struct cga_params p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/rfc.params", ct_tmpdir());
	f = fopen(path, "wb");
	if (!ASSERT_OK_PTR(f, "temp file"))
		return;
	{
		uint8_t buf[256];
		long n = ct_data_read(RFC_VECTOR, buf, sizeof(buf));

		fwrite(buf, 1, n > 0 ? (size_t)n : 0, f);
		fclose(f);
	}
	if (ASSERT_OK(cga_params_read_file(path, &p), "read the RFC example file")) {
		ASSERT_EQ(cga_params_max_sec(&p), 1, "RFC example: Sec 1 (Hash2 000001ca...)");
		ASSERT_EQ(cga_verify(rfc_addr, &p), CGA_OK, "verifies");
	}
	ASSERT_EQ(cga_params_read_file("/nonexistent/x", &p), -ENOENT, "missing file");
	ASSERT_EQ(cga_params_read_file("/dev/null", &p), -EBADMSG, "empty file");
	{
		uint8_t buf[CGA_PARAMS_MAX];
		long n = ct_data_read("cga_sec2.params", buf, sizeof(buf));

		if (n > 0 && ASSERT_OK(cga_params_decode(&p, buf, (size_t)n), "sec2 params"))
			ASSERT_EQ(cga_params_max_sec(&p), 2, "committed Sec 2 params");
	}
}
