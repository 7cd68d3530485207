// SPDX-License-Identifier: GPL-2.0
/*
 * Every Shim6 option (RFC 5533 §5.15.1-5.15.7, RFC 5534 §5.3), each carried
 * in a message that defines it: a hand-assembled vector per option (and per
 * Locator Preferences element length 1, 2, 3), compared with the encoder and
 * decoded back.  The bytes marked CK are checksums computed separately
 * (python, one's complement sum of the header).  Also: the C bit, unknown and
 * misplaced options.
 */
#include "selftests/unit/wire_test.h"

#define A1 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01
#define B2 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02
#define A3 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01
static const uint8_t a1[16] = { A1 }, b2[16] = { B2 };
static const uint8_t locs3[3][16] = { { A1 }, { A3 }, { B2 } };

/* An I2 header: NH 59, Type 3, tag 0x5, nonces 1 and 2, then a validator "vv". */
#define I2_HEAD(hel)                                                                     \
	0x3b, (hel), 0x03, 0x00,      /* NH 59, Hdr Ext Len, P=0 Type=3 (I2), Rsvd1/S */ \
	/*CK*/ 0x00, 0x00,	      /* Checksum (patched per vector below) */          \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x05, /* R=0, Initiator Context Tag 5 */           \
	0x00, 0x00, 0x00, 0x01,	      /* Initiator Nonce */                              \
	0x00, 0x00, 0x00, 0x02,	      /* Responder Nonce */                              \
	0x00, 0x00, 0x00, 0x00,	      /* Reserved2 */                                    \
	0x00, 0x02, 0x00, 0x02,	      /* Responder Validator, C=0, Length 2 */           \
	0x76, 0x76,		      /* Validator "vv" */                               \
	0x00, 0x00		      /* Padding: 7 - ((2 + 3) mod 8) = 2 */
static const uint8_t vv[2] = { 0x76, 0x76 };

/* An Update Request header: NH 59, Type 64, tag 0x77, nonce 0x99. */
#define UPD_HEAD(hel)                                                                    \
	0x3b, (hel), 0x40, 0x00,      /* NH 59, Hdr Ext Len, Type=64 (Update Request) */ \
	0x00, 0x00,		      /* Checksum (patched) */                           \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x77, /* R=0, Receiver Context Tag 0x77 */         \
	0x00, 0x00, 0x00, 0x99	      /* Request Nonce */

/* ULID Pair in an I1 (§5.15.6: Length 36, Reserved2, Sender ULID, Receiver ULID). */
static uint8_t v_ulid[] = {
	0x3b, 0x06, 0x01, 0x00,	      /* NH 59, Hdr Ext Len 6 (56 bytes), Type=1 (I1) */
	/*CK*/ 0x00, 0x00,	      /* Checksum */
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, /* Initiator Context Tag */
	0x00, 0x00, 0x00, 0x01,	      /* Initiator Nonce */
	0x00, 0x0c, 0x00, 0x24,	      /* Type=6 C=0 (0x000c), Length=36 */
	0x00, 0x00, 0x00, 0x00,	      /* Reserved2 */
	A1,			      /* Sender ULID 2001:db8:1::1 */
	B2,			      /* Receiver ULID 2001:db8:2::2 */
};

/* Forked Instance Identifier in an I1 (§5.15.7: Length 4). */
static uint8_t v_fii[] = {
	0x3b, 0x02, 0x01, 0x00,	      /* NH 59, Hdr Ext Len 2 (24 bytes), Type=1 (I1) */
	/*CK*/ 0x00, 0x00,	      /* Checksum */
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, /* Initiator Context Tag */
	0x00, 0x00, 0x00, 0x01,	      /* Initiator Nonce */
	0x00, 0x0e, 0x00, 0x04,	      /* Type=7 C=0 (0x000e), Length=4 */
	0x00, 0x00, 0x00, 0x03,	      /* Forked Instance Identifier 3 */
};

/* Responder Validator alone in an R1 (§5.15.1), 12 bytes: 4 + 12 = 16, no padding. */
static uint8_t v_validator[] = {
	0x3b, 0x03, 0x02, 0x00,	      /* NH 59, Hdr Ext Len 3 (32 bytes), Type=2 (R1) */
	/*CK*/ 0x00, 0x00,	      /* Checksum */
	0x00, 0x00,		      /* Reserved2 */
	0x00, 0x00, 0x00, 0x01,	      /* Initiator Nonce */
	0x00, 0x00, 0x00, 0x02,	      /* Responder Nonce */
	0x00, 0x02, 0x00, 0x0c,	      /* Type=1 C=0, Length=12 */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, /* Validator */
};
static const uint8_t val12[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

/* Locator List with 3 locators (§5.15.2): 4 + (1 + 3 + 4 pad) + 48 = 60 = Length. */
static uint8_t v_loclist[] = {
	UPD_HEAD(0x09),		      /* Hdr Ext Len 9: 16 + 64 = 80 bytes */
	0x00, 0x04, 0x00, 0x3c,	      /* Type=2 C=0 (0x0004), Length=60 */
	0x00, 0x00, 0x01, 0x00,	      /* Locator List Generation 256 */
	0x03,			      /* Num Locators 3 */
	0x01, 0x02, 0x02,	      /* Verification Methods: HBA, CGA, CGA */
	0x00, 0x00, 0x00, 0x00,	      /* padding so the locators start 8-aligned */
	A1, A3, B2,		      /* Locators 1..3 */
};
static const uint8_t meth3[3] = { SHIM6_VERIF_HBA, SHIM6_VERIF_CGA, SHIM6_VERIF_CGA };

/* Locator Preferences, Element Len 1 (flags), 2 elements: Length 7, pad 5. */
static uint8_t v_pref1[] = {
	UPD_HEAD(0x03),		      /* 16 + 16 = 32 bytes */
	0x00, 0x06, 0x00, 0x07,	      /* Type=3 C=0 (0x0006), Length=7 */
	0x00, 0x00, 0x00, 0x09,	      /* Locator List Generation 9 */
	0x01,			      /* Element Len 1 */
	0x01,			      /* Element[1]: flags BROKEN */
	0x02,			      /* Element[2]: flags TRANSIENT */
	0x00, 0x00, 0x00, 0x00, 0x00, /* Padding: 7 - ((7 + 3) mod 8) = 5 */
};
static const uint8_t pref1[] = { 0x01, 0x02 };

/* Element Len 2 (flags, priority), 2 elements: Length 9, pad 3. */
static uint8_t v_pref2[] = {
	UPD_HEAD(0x03),
	0x00, 0x06, 0x00, 0x09,	      /* Type=3, Length=9 */
	0x00, 0x00, 0x00, 0x09,	      /* Generation 9 */
	0x02,			      /* Element Len 2 */
	0x00, 0x0a,		      /* Element[1]: flags 0, priority 10 */
	0x01, 0x14,		      /* Element[2]: BROKEN, priority 20 */
	0x00, 0x00, 0x00,	      /* Padding 3 */
};
static const uint8_t pref2[] = { 0x00, 0x0a, 0x01, 0x14 };

/* Element Len 3 (flags, priority, weight), 2 elements: Length 11, pad 1. */
static uint8_t v_pref3[] = {
	UPD_HEAD(0x03),
	0x00, 0x06, 0x00, 0x0b,	      /* Type=3, Length=11 */
	0x00, 0x00, 0x00, 0x09,	      /* Generation 9 */
	0x03,			      /* Element Len 3 */
	0x02, 0x01, 0x32,	      /* Element[1]: TRANSIENT, priority 1, weight 50 */
	0x00, 0x01, 0x64,	      /* Element[2]: flags 0, priority 1, weight 100 */
	0x00,			      /* Padding 1 */
};
static const uint8_t pref3[] = { 0x02, 0x01, 0x32, 0x00, 0x01, 0x64 };

/* CGA Parameter Data Structure (§5.15.4), opaque here, 10 bytes: pad 2. */
static uint8_t v_pds[] = {
	I2_HEAD(0x05),		      /* 24 + 8 + 16 = 48 bytes */
	0x00, 0x08, 0x00, 0x0a,	      /* Type=4 C=0 (0x0008), Length=10 */
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, /* PDS bytes */
	0x00, 0x00,		      /* Padding 2 */
};
static const uint8_t pds10[10] = { 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9 };

/* CGA Signature (§5.15.5), opaque, 17 bytes: 4 + 17 = 21, pad 3 -> 24. */
static uint8_t v_sig[] = {
	I2_HEAD(0x06),		      /* 24 + 8 + 24 = 56 bytes */
	0x00, 0x0a, 0x00, 0x11,	      /* Type=5 C=0 (0x000a), Length=17 */
	0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, /* signature bytes */
	0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61,
	0x00, 0x00, 0x00,	      /* Padding 3 */
};
static const uint8_t sig17[17] = { 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
				   0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61 };

/* Keepalive Timeout (RFC 5534 §5.3: Length 4, Reserved, seconds) in an I2. */
static uint8_t v_ka[] = {
	I2_HEAD(0x04),		      /* 24 + 8 + 8 = 40 bytes */
	0x00, 0x14, 0x00, 0x04,	      /* Type=10 C=0 (0x0014), Length=4 */
	0x00, 0x00,		      /* Reserved */
	0x00, 0x1e,		      /* Keepalive Timeout 30 s */
};

static void build_i1(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_I1);
	m->i1.init_tag = 0x123456789abcULL;
	m->i1.init_nonce = 1;
}

static void build_upd(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_UPDATE_REQ);
	m->update.recv_tag = 0x77;
	m->update.req_nonce = 0x99;
}

static void build_i2(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_I2);
	m->i2.init_tag = 5;
	m->i2.init_nonce = 1;
	m->i2.resp_nonce = 2;
	shim6_msg_add_validator(m, vv, sizeof(vv));
}

static void b_ulid(struct shim6_msg *m)
{
	build_i1(m);
	shim6_msg_add_ulid_pair(m, a1, b2);
}

static void b_fii(struct shim6_msg *m)
{
	build_i1(m);
	shim6_msg_add_fii(m, 3);
}

static void b_validator(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_R1);
	m->r1.init_nonce = 1;
	m->r1.resp_nonce = 2;
	shim6_msg_add_validator(m, val12, sizeof(val12));
}

static void b_loclist(struct shim6_msg *m)
{
	build_upd(m);
	shim6_msg_add_loclist(m, 256, 3, meth3, locs3);
}

static void b_pref1(struct shim6_msg *m)
{
	build_upd(m);
	shim6_msg_add_locpref(m, 9, 1, 2, pref1);
}

static void b_pref2(struct shim6_msg *m)
{
	build_upd(m);
	shim6_msg_add_locpref(m, 9, 2, 2, pref2);
}

static void b_pref3(struct shim6_msg *m)
{
	build_upd(m);
	shim6_msg_add_locpref(m, 9, 3, 2, pref3);
}

static void b_pds(struct shim6_msg *m)
{
	build_i2(m);
	shim6_msg_add_cga_pds(m, pds10, sizeof(pds10));
}

static void b_sig(struct shim6_msg *m)
{
	build_i2(m);
	shim6_msg_add_cga_sig(m, sig17, sizeof(sig17));
}

static void b_ka(struct shim6_msg *m)
{
	build_i2(m);
	shim6_msg_add_ka_timeout(m, 30);
}

static const struct {
	const char *name;
	uint8_t *vec;
	size_t len;
	void (*build)(struct shim6_msg *m);
} opt_rows[] = {
	{ "Responder Validator", v_validator, sizeof(v_validator), b_validator },
	{ "Locator List", v_loclist, sizeof(v_loclist), b_loclist },
	{ "Locator Preferences elem 1", v_pref1, sizeof(v_pref1), b_pref1 },
	{ "Locator Preferences elem 2", v_pref2, sizeof(v_pref2), b_pref2 },
	{ "Locator Preferences elem 3", v_pref3, sizeof(v_pref3), b_pref3 },
	{ "CGA Parameter Data Structure", v_pds, sizeof(v_pds), b_pds },
	{ "CGA Signature", v_sig, sizeof(v_sig), b_sig },
	{ "ULID Pair", v_ulid, sizeof(v_ulid), b_ulid },
	{ "Forked Instance Identifier", v_fii, sizeof(v_fii), b_fii },
	{ "Keepalive Timeout", v_ka, sizeof(v_ka), b_ka },
};

/*
 * The vectors sharing the I2/Update heads need a checksum per vector; these
 * constants were computed with python from the bytes above (not by the code
 * under test) and are written in place before the rows run.
 */
static const uint16_t opt_csums[] = {
	0x9ec1, 0xf46d, 0x80d5, 0x63d3, 0x1b9d, 0x2339, 0x2791, 0x64e7, 0xc07e, 0x4b43,
};

TEST(wire_opt_vectors)
{
	static struct shim6_msg want;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(opt_rows); i++) {
		SUBTEST("%s", opt_rows[i].name);
		opt_rows[i].vec[4] = opt_csums[i] >> 8;
		opt_rows[i].vec[5] = opt_csums[i] & 0xff;
		opt_rows[i].build(&want);
		wt_check_vector(opt_rows[i].vec, opt_rows[i].len, &want);
	}
}

/* Typed views read against the figures. */
TEST(wire_opt_fields)
{
	static struct shim6_msg m;
	const struct shim6_opt *o;
	uint8_t f, p, w;

	v_loclist[4] = opt_csums[1] >> 8, v_loclist[5] = opt_csums[1] & 0xff;
	v_pref3[4] = opt_csums[4] >> 8, v_pref3[5] = opt_csums[4] & 0xff;
	v_pref1[4] = opt_csums[2] >> 8, v_pref1[5] = opt_csums[2] & 0xff;
	v_ka[4] = opt_csums[9] >> 8, v_ka[5] = opt_csums[9] & 0xff;

	SUBTEST("Locator List");
	if (ASSERT_OK(shim6_msg_decode(v_loclist, sizeof(v_loclist), 0, &m, NULL), "decode") &&
	    ASSERT_OK_PTR((o = shim6_msg_find_opt(&m, SHIM6_OPT_LOC_LIST)), "option")) {
		ASSERT_EQ(o->u.loclist.gen, 256, "generation");
		ASSERT_EQ(o->u.loclist.count, 3, "Num Locators");
		ASSERT_EQ(o->u.loclist.methods[0], SHIM6_VERIF_HBA, "method 1 = HBA (Table 4)");
		ASSERT_EQ(o->u.loclist.methods[2], SHIM6_VERIF_CGA, "method 3 = CGA");
		ASSERT_MEMEQ(shim6_loclist_locator(&o->u.loclist, 2), 16, b2, 16, "locator 3");
		ASSERT_TRUE(shim6_loclist_locator(&o->u.loclist, 3) == NULL, "no locator 4");
		ASSERT_EQ(o->offset, 16, "option offset");
	}
	SUBTEST("Locator Preferences elem 3");
	if (ASSERT_OK(shim6_msg_decode(v_pref3, sizeof(v_pref3), 0, &m, NULL), "decode") &&
	    ASSERT_OK_PTR((o = shim6_msg_find_opt(&m, SHIM6_OPT_LOC_PREF)), "option")) {
		ASSERT_EQ(o->u.locpref.count, 2, "elements");
		shim6_locpref_get(&o->u.locpref, 1, &f, &p, &w);
		ASSERT_EQ(f, 0, "flags 2");
		ASSERT_EQ(p, 1, "priority 2");
		ASSERT_EQ(w, 100, "weight 2");
	}
	SUBTEST("Locator Preferences elem 1");
	if (ASSERT_OK(shim6_msg_decode(v_pref1, sizeof(v_pref1), 0, &m, NULL), "decode") &&
	    ASSERT_OK_PTR((o = shim6_msg_find_opt(&m, SHIM6_OPT_LOC_PREF)), "option")) {
		shim6_locpref_get(&o->u.locpref, 0, &f, &p, &w);
		ASSERT_EQ(f, SHIM6_LOCPREF_BROKEN, "flags 1");
		ASSERT_EQ(p, 0, "no priority with elem len 1");
	}
	SUBTEST("Keepalive Timeout");
	if (ASSERT_OK(shim6_msg_decode(v_ka, sizeof(v_ka), 0, &m, NULL), "decode") &&
	    ASSERT_OK_PTR((o = shim6_msg_find_opt(&m, SHIM6_OPT_KA_TIMEOUT)), "option"))
		ASSERT_EQ(o->u.ka_timeout, 30, "seconds");
}

/* I1 with one extra option appended: Type field given, Length 2, 2 content bytes. */
static size_t i1_with_opt(uint8_t *v, uint16_t type_c)
{
	static const uint8_t head[] = {
		0x3b, 0x02, 0x01, 0x00, 0x00, 0x00,	/* NH, HEL 2, I1, -, checksum */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/* tag 1 */
		0x00, 0x00, 0x00, 0x02,			/* nonce 2 */
	};

	memcpy(v, head, sizeof(head));
	v[16] = type_c >> 8;
	v[17] = type_c & 0xff;
	v[18] = 0x00, v[19] = 0x02;	/* Length 2 */
	v[20] = 0xab, v[21] = 0xcd;	/* contents */
	v[22] = v[23] = 0;		/* padding */
	shim6_csum_set(v, 24);
	return 24;
}

/* §5.15: C=0 unknown or misplaced options are skipped and reported; C=1 fails (code 1). */
TEST(wire_opt_critical_bit)
{
	static struct shim6_msg m;
	struct shim6_wire_diag d;
	uint8_t v[24];
	size_t n;

	SUBTEST("unknown C=0 skipped and reported");
	n = i1_with_opt(v, 9 << 1 | 0);
	if (ASSERT_OK(shim6_msg_decode(v, n, 0, &m, &d), "decode")) {
		ASSERT_EQ(m.nopts, 1, "kept in the list");
		ASSERT_EQ(m.opts[0].type, 9, "type");
		ASSERT_TRUE(m.opts[0].flags & SHIM6_OPTF_IGNORED, "flagged ignored");
		ASSERT_TRUE(m.warnings & SHIM6_WARN_IGNORED_OPT, "message warning");
		ASSERT_TRUE(shim6_msg_find_opt(&m, 9) == NULL, "find_opt skips it");
	}
	SUBTEST("unknown C=1 fails with Error code 1");
	n = i1_with_opt(v, 9 << 1 | 1);
	ASSERT_EQ(shim6_msg_decode(v, n, 0, &m, &d), -SHIM6_WERR_OPT_CRITICAL, "error");
	ASSERT_EQ(d.rfc_code, SHIM6_ERR_CRITICAL_OPT, "Error code 1");
	ASSERT_EQ(d.offset, 16, "Pointer at the option's Type field");
	ASSERT_EQ(d.opt_type, 9, "option type reported");
	SUBTEST("experimental type 16384 C=1");
	n = i1_with_opt(v, (uint16_t)(16384u << 1 | 1));
	ASSERT_EQ(shim6_msg_decode(v, n, 0, &m, &d), -SHIM6_WERR_OPT_CRITICAL, "error");
	ASSERT_EQ(d.opt_type, 16384, "option type");
	SUBTEST("Validator in an I1 with C=1 is not defined there: code 1");
	n = i1_with_opt(v, SHIM6_OPT_RESP_VALIDATOR << 1 | 1);
	ASSERT_EQ(shim6_msg_decode(v, n, 0, &m, &d), -SHIM6_WERR_OPT_CRITICAL, "error");
	SUBTEST("Validator in an I1 with C=0 is skipped");
	n = i1_with_opt(v, SHIM6_OPT_RESP_VALIDATOR << 1);
	if (ASSERT_OK(shim6_msg_decode(v, n, 0, &m, &d), "decode"))
		ASSERT_TRUE(m.opts[0].flags & SHIM6_OPTF_IGNORED, "ignored");
	SUBTEST("known option with C=1 where defined is accepted");
	{
		uint8_t w[24];

		i1_with_opt(w, SHIM6_OPT_FII << 1 | 1);
		w[19] = 4, w[22] = 0x00, w[23] = 0x07; /* Length 4, FII 0xabcd0007 */
		shim6_csum_set(w, 24);
		if (ASSERT_OK(shim6_msg_decode(w, 24, 0, &m, &d), "decode")) {
			ASSERT_TRUE(m.opts[0].critical, "C kept");
			ASSERT_EQ(m.opts[0].u.fii, 0xabcd0007, "FII");
		}
	}
	SUBTEST("Keepalive Timeout in a Keepalive: ignored, value still shown");
	{
		/* As in the tshark probe capture, frame 5. */
		static const uint8_t ka[] = {
			0x3b, 0x02, 0x42, 0x00, 0x7f, 0x72, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0a,
		};

		if (ASSERT_OK(shim6_msg_decode(ka, sizeof(ka), 0, &m, &d), "decode")) {
			ASSERT_TRUE(m.opts[0].flags & SHIM6_OPTF_IGNORED, "ignored");
			ASSERT_TRUE(m.opts[0].flags & SHIM6_OPTF_TYPED, "typed");
			ASSERT_EQ(m.opts[0].u.ka_timeout, 10, "10 s");
		}
	}
	SUBTEST("unknown option re-encodes as it came");
	{
		uint8_t out[64];
		ssize_t len;

		n = i1_with_opt(v, 9 << 1);
		if (ASSERT_OK(shim6_msg_decode(v, n, 0, &m, &d), "decode")) {
			len = shim6_msg_encode(&m, out, sizeof(out));
			ASSERT_MEMEQ(out, len > 0 ? (size_t)len : 0, v, n, "bytes");
		}
	}
}

/* Non-zero padding: the receiver SHOULD NOT check it; a warning, an error only in strict mode. */
TEST(wire_opt_padding)
{
	static struct shim6_msg m;
	struct shim6_wire_diag d;
	uint8_t v[24];
	size_t n = i1_with_opt(v, 9 << 1);

	v[23] = 0x5a;
	shim6_csum_set(v, n);
	SUBTEST("default: warning");
	if (ASSERT_OK(shim6_msg_decode(v, n, 0, &m, &d), "decode"))
		ASSERT_TRUE(m.warnings & SHIM6_WARN_PADDING, "padding warning");
	SUBTEST("strict: error");
	ASSERT_EQ(shim6_msg_decode(v, n, SHIM6_DEC_STRICT, &m, &d), -SHIM6_WERR_OPT_PADDING,
		  "strict");
	ASSERT_EQ(d.offset, 16, "offset of the option");
}
