// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed Shim6 headers: each input is rejected with its own error code and
 * the offset of the defect.  Inputs are hex (spaces for readability);
 * FIX_CSUM rows get a correct checksum first, so that the row's defect, not
 * the checksum, is what the decoder must find.  Every input is decoded from a
 * heap copy of exactly its length, so the ASan build catches any read past it.
 */
#include <ctype.h>
#include <stdlib.h>

#include "selftests/unit/wire_test.h"

#define FIX_CSUM 0x1
#define STRICT 0x2

/* Heads reused by the rows (checksum bytes cccc are fixed or left wrong). */
#define I1H(hel) "3b" hel "0100 cccc 000000000001 00000002 "
#define I2H(hel) "3b" hel "0300 cccc 000000000005 00000001 00000002 00000000 " \
		 "0002 0002 7676 0000 " /* Responder Validator "vv" */
#define UPDH(hel) "3b" hel "4000 cccc 000000000077 00000099 "
#define LOC "20010db8000100000000000000000001 "
#define Z8 "0000000000000000 "
#define Z40 Z8 Z8 Z8 Z8 Z8

static const struct {
	const char *name;
	const char *hex;
	unsigned int flags;
	int err;       /* SHIM6_WERR_* */
	uint32_t offset;
	int rfc_code;  /* Error message code, -1 when none */
} rows[] = {
	/* common header */
	{ "empty buffer", "", 0, SHIM6_WERR_TRUNC_COMMON, 0, -1 },
	{ "7 bytes", "3b010100 22f8 12", 0, SHIM6_WERR_TRUNC_COMMON, 0, -1 },
	{ "P=1 given to the control decoder", "11008000 00000001", 0, SHIM6_WERR_NOT_CONTROL, 2, -1 },
	{ "Hdr Ext Len 3, 16 bytes (truncated I1)", "3b030100 22f8 123456789abc deadbeef", 0,
	  SHIM6_WERR_HDRLEN_PAST_END, 1, -1 },
	{ "Hdr Ext Len 255, 16 bytes", "3bff0100 cccc 000000000001 00000002", 0,
	  SHIM6_WERR_HDRLEN_PAST_END, 1, -1 },
	{ "I1 with Hdr Ext Len 0", "3b000100 cccc 0000", FIX_CSUM, SHIM6_WERR_HDRLEN_TOO_SMALL, 1, -1 },
	{ "R1 with Hdr Ext Len 0", "3b000200 cccc 0000", FIX_CSUM, SHIM6_WERR_HDRLEN_TOO_SMALL, 1, -1 },
	{ "I2 with Hdr Ext Len 1", "3b010300 cccc 000000000005 00000001", FIX_CSUM,
	  SHIM6_WERR_HDRLEN_TOO_SMALL, 1, -1 },
	{ "I2bis with Hdr Ext Len 2", "3b020600 cccc 000000000005 00000001 00000002 00000000", FIX_CSUM,
	  SHIM6_WERR_HDRLEN_TOO_SMALL, 1, -1 },
	{ "Error with Hdr Ext Len 0", "3b004402 cccc 0000", FIX_CSUM, SHIM6_WERR_HDRLEN_TOO_SMALL, 1, -1 },
	{ "S bit set (HIP format)", "3b010101 cccc 000000000001 00000002", FIX_CSUM, SHIM6_WERR_S_BIT,
	  3, -1 },
	{ "bad checksum (tshark probe frame 2)", "3b010100 30cc 123456789abc deadbeef", 0,
	  SHIM6_WERR_CHECKSUM, 4, -1 },
	{ "checksum field zero", "3b010100 0000 123456789abc deadbeef", 0, SHIM6_WERR_CHECKSUM, 4, -1 },
	{ "unknown type with a bad checksum: checksum first", "3b010700 0000 000000000001 00000002", 0,
	  SHIM6_WERR_CHECKSUM, 4, -1 },
	{ "unknown type 7", "3b010700 cccc 000000000001 00000002", FIX_CSUM, SHIM6_WERR_UNKNOWN_TYPE, 2, 0 },
	{ "reserved type 0", "3b010000 cccc 000000000001 00000002", FIX_CSUM, SHIM6_WERR_UNKNOWN_TYPE, 2, 0 },
	{ "experimental type 127", "3b017f00 cccc 000000000001 00000002", FIX_CSUM,
	  SHIM6_WERR_UNKNOWN_TYPE, 2, 0 },
	/* option TLVs */
	{ "option Length 100 in 8 bytes", I1H("02") "0012 0064 abcd0000", FIX_CSUM,
	  SHIM6_WERR_OPT_PAST_END, 18, -1 },
	{ "option Length 5: padding runs past the end", I1H("02") "0012 0005 abcd0000", FIX_CSUM,
	  SHIM6_WERR_OPT_PAST_END, 18, -1 },
	{ "option Length 0xffff", I1H("02") "0012 ffff abcd0000", FIX_CSUM, SHIM6_WERR_OPT_PAST_END, 18, -1 },
	{ "unknown option type 9 with C=1", I1H("02") "0013 0002 abcd0000", FIX_CSUM,
	  SHIM6_WERR_OPT_CRITICAL, 16, 1 },
	{ "experimental option 32767 with C=1", I1H("02") "ffff 0002 abcd0000", FIX_CSUM,
	  SHIM6_WERR_OPT_CRITICAL, 16, 1 },
	{ "reserved option type 0 with C=1", I1H("02") "0001 0002 abcd0000", FIX_CSUM,
	  SHIM6_WERR_OPT_CRITICAL, 16, 1 },
	{ "critical option after a valid one", I1H("03") "000e 0004 00000001 0013 0002 abcd0000",
	  FIX_CSUM, SHIM6_WERR_OPT_CRITICAL, 24, 1 },
	{ "ULID Pair with Length 32", I1H("06") "000c 0020" Z8 Z8 Z8 Z8 "00000000", FIX_CSUM,
	  SHIM6_WERR_OPT_LEN, 18, -1 },
	{ "Forked Instance Identifier with Length 8", I1H("03") "000e 0008 00000001 00000002 00000000",
	  FIX_CSUM, SHIM6_WERR_OPT_LEN, 18, -1 },
	{ "Keepalive Timeout with Length 2", I2H("04") "0014 0002 0000 0000", FIX_CSUM,
	  SHIM6_WERR_OPT_LEN, 34, -1 },
	{ "empty Responder Validator", "3b020200 cccc 0000 00000001 00000002 0002 0000 00000000",
	  FIX_CSUM, SHIM6_WERR_OPT_LEN, 18, -1 },
	{ "empty CGA Parameter Data Structure", I2H("04") "0008 0000 00000000", FIX_CSUM,
	  SHIM6_WERR_OPT_LEN, 34, -1 },
	{ "empty CGA Signature", I2H("04") "000a 0000 00000000", FIX_CSUM, SHIM6_WERR_OPT_LEN, 34, -1 },
	{ "Locator List with Length 4", UPDH("02") "0004 0004 00000001", FIX_CSUM, SHIM6_WERR_OPT_LEN,
	  18, -1 },
	{ "Locator List with Num Locators 0", UPDH("03") "0004 0005 00000001 00 000000 00000000",
	  FIX_CSUM, SHIM6_WERR_LOCLIST_EMPTY, 24, -1 },
	{ "Locator List: 2 locators, Length for 1", UPDH("05") "0004 001c 00000001 02 0101 0000000000" LOC,
	  FIX_CSUM, SHIM6_WERR_LOCLIST_COUNT, 24, -1 },
	{ "Locator List: 1 locator, Length for 2", UPDH("07") "0004 002c 00000001 01 01 000000000000" LOC LOC,
	  FIX_CSUM, SHIM6_WERR_LOCLIST_COUNT, 24, -1 },
	{ "Locator List: 255 locators in 28 bytes", UPDH("05") "0004 001c 00000001 ff 01 000000000000" LOC,
	  FIX_CSUM, SHIM6_WERR_LOCLIST_COUNT, 24, -1 },
	{ "Locator Preferences with Length 4", UPDH("02") "0006 0004 00000001", FIX_CSUM,
	  SHIM6_WERR_OPT_LEN, 18, -1 },
	{ "Locator Preferences with Element Len 0", UPDH("03") "0006 0007 00000001 00 0102 0000000000",
	  FIX_CSUM, SHIM6_WERR_LOCPREF_ELEMLEN, 24, -1 },
	{ "Locator Preferences: 4 bytes of 3-byte elements", UPDH("03") "0006 0009 00000001 03 01020304 000000",
	  FIX_CSUM, SHIM6_WERR_LOCPREF_COUNT, 18, -1 },
	{ "Locator Preferences without elements", UPDH("03") "0006 0005 00000001 01 000000 00000000",
	  FIX_CSUM, SHIM6_WERR_LOCPREF_COUNT, 18, -1 },
	{ "2 preferences for 1 locator, same generation",
	  UPDH("07") "0004 001c 00000001 01 01 000000000000" LOC "0006 0007 00000001 01 0000 0000000000",
	  FIX_CSUM, SHIM6_WERR_LOCPREF_MISMATCH, 48, 4 },
	{ "Forked Instance Identifier twice", I1H("03") "000e 0004 00000001 000e 0004 00000002", FIX_CSUM,
	  SHIM6_WERR_OPT_DUPLICATE, 24, -1 },
	{ "R1 without Responder Validator", "3b010200 cccc 0000 00000001 00000002", FIX_CSUM,
	  SHIM6_WERR_OPT_MISSING, 16, -1 },
	{ "I2 without Responder Validator", "3b020300 cccc 000000000005 00000001 00000002 00000000",
	  FIX_CSUM, SHIM6_WERR_OPT_MISSING, 24, -1 },
	{ "non-zero option padding (strict)", I1H("02") "0012 0002 abcd005a", FIX_CSUM | STRICT,
	  SHIM6_WERR_OPT_PADDING, 16, -1 },
	{ "non-zero Locator List internal padding (strict)", UPDH("05") "0004 001c 00000001 01 01 ff0000000000" LOC,
	  FIX_CSUM | STRICT, SHIM6_WERR_OPT_PADDING, 16, -1 },
	/* Probe (RFC 5534 §5.2) */
	{ "Probe with Psent 0", "3b064300 cccc 000000000001 00 000000" Z40, FIX_CSUM,
	  SHIM6_WERR_PROBE_PSENT, 12, -1 },
	{ "Probe with Sta 3", "3b064300 cccc 000000000001 01 c00000" Z40, FIX_CSUM,
	  SHIM6_WERR_PROBE_STATE, 13, -1 },
	{ "Probe with 1 report and Hdr Ext Len 1", "3b014300 cccc 000000000001 01 000000", FIX_CSUM,
	  SHIM6_WERR_PROBE_REPORTS, 12, -1 },
	{ "Probe claiming 15 + 15 reports in 56 bytes", "3b064300 cccc 000000000001 ff 000000" Z40,
	  FIX_CSUM, SHIM6_WERR_PROBE_REPORTS, 12, -1 },
};

/* Parse hex with spaces; returns a malloc'd buffer of exactly *len bytes. */
static uint8_t *unhex(const char *s, size_t *len)
{
	uint8_t *buf = malloc(strlen(s) / 2 + 1);
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		v = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	*len = n;
	/* Shrink to the exact size so ASan sees a read past the data. */
	return n ? realloc(buf, n) : buf;
}

TEST(wire_malformed)
{
	static struct shim6_msg m;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct shim6_wire_diag d;
		size_t len;
		uint8_t *buf = unhex(rows[i].hex, &len);
		unsigned int flags = rows[i].flags & STRICT ? SHIM6_DEC_STRICT : 0;
		int err;

		SUBTEST("%s", rows[i].name);
		if ((rows[i].flags & FIX_CSUM) && len >= 8 && (buf[1] + 1u) * 8 <= len)
			shim6_csum_set(buf, (buf[1] + 1u) * 8);
		err = shim6_msg_decode(len ? buf : NULL, len, flags, &m, &d);
		if (ASSERT_EQ(err, -rows[i].err, shim6_wire_errname(rows[i].err))) {
			ASSERT_EQ(d.err, rows[i].err, "diag.err");
			ASSERT_EQ(d.offset, rows[i].offset, "offset of the defect");
			ASSERT_EQ(d.rfc_code, rows[i].rfc_code, "Error message code");
		}
		free(buf);
	}
}

/* More options than the decoder keeps: 33 unknown C=0 options after an I1 head. */
TEST(wire_malformed_too_many_opts)
{
	static struct shim6_msg m;
	static uint8_t v[16 + 33 * 8];
	struct shim6_wire_diag d;
	unsigned int i;
	static const uint8_t head[16] = { 0x3b, (sizeof(v) / 8) - 1, 0x01, 0x00, 0, 0,
					  0, 0, 0, 0, 0, 1, 0, 0, 0, 2 };

	memcpy(v, head, 16);
	for (i = 0; i < 33; i++) {
		uint8_t *o = v + 16 + 8 * i;

		o[0] = 0x00, o[1] = 0x12, o[2] = 0x00, o[3] = 0x04; /* type 9, C=0, Length 4 */
	}
	shim6_csum_set(v, sizeof(v));
	ASSERT_EQ(shim6_msg_decode(v, sizeof(v), 0, &m, &d), -SHIM6_WERR_TOO_MANY_OPTS, "33 options");
	ASSERT_EQ(d.offset, 16 + 32 * 8, "offset of the 33rd");
}

/* Every prefix of a valid message fails as truncated, never reading past the prefix. */
TEST(wire_malformed_truncations)
{
	static const char *const valid[] = {
		"3b010100 22f8 123456789abc deadbeef",
		/* tshark probe frame 7: I2 with validator and locator list */
		"3b0b0300b519123456789abc00000001000000020000000000020014aaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaa0004002c00000005020101000000000020010db80001000000000000000000012001"
		"0db8000300000000000000000001",
	};
	static struct shim6_msg m;
	unsigned int i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		size_t len, cut;
		uint8_t *full = unhex(valid[i], &len);

		SUBTEST("vector %u: all %zu prefixes", i, len);
		bad = 0;
		if (!ASSERT_OK(shim6_msg_decode(full, len, 0, &m, NULL), "full vector decodes"))
			continue;
		for (cut = 0; cut < len; cut++) {
			uint8_t *p = malloc(cut ? cut : 1);
			int err;

			memcpy(p, full, cut);
			err = shim6_msg_decode(p, cut, 0, &m, NULL);
			if (err != (cut < 8 ? -SHIM6_WERR_TRUNC_COMMON : -SHIM6_WERR_HDRLEN_PAST_END))
				bad++;
			free(p);
		}
		ASSERT_EQ(bad, 0, "prefixes with another result");
		free(full);
	}
}

/* Every message from the diag gets a sentence with its numbers. */
TEST(wire_diag_text)
{
	static struct shim6_msg m;
	struct shim6_wire_diag d;
	char buf[256];
	size_t len;
	uint8_t *v = unhex("3b010100 30cc 123456789abc deadbeef", &len);

	shim6_msg_decode(v, len, 0, &m, &d);
	shim6_wire_diag_format(&d, buf, sizeof(buf));
	ASSERT_STREQ(buf, "bad_checksum at offset 4: bad checksum: field 0x30cc, computed 0x22f8",
		     "checksum reason");
	free(v);
	v = unhex("3b030100 22f8 123456789abc deadbeef", &len);
	shim6_msg_decode(v, len, 0, &m, &d);
	shim6_wire_diag_format(&d, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "hdr_ext_len_past_end at offset 1: Hdr Ext Len 3 means 32 bytes but only 16 are present",
		     "length reason");
	free(v);
	ASSERT_STREQ(shim6_wire_errname(-SHIM6_WERR_OPT_CRITICAL), "unknown_critical_option", "name");
	ASSERT_STREQ(shim6_wire_errname(999), "unknown", "out of range");
}

/* Every error code has a name and a sentence of its own (JSON and messages rely on them). */
TEST(wire_err_names)
{
	static const int codes[] = {
		SHIM6_WERR_TRUNC_COMMON, SHIM6_WERR_HDRLEN_PAST_END, SHIM6_WERR_HDRLEN_TOO_SMALL,
		SHIM6_WERR_PAYLOAD_HDRLEN, SHIM6_WERR_NOT_CONTROL, SHIM6_WERR_NOT_PAYLOAD,
		SHIM6_WERR_S_BIT, SHIM6_WERR_CHECKSUM, SHIM6_WERR_UNKNOWN_TYPE, SHIM6_WERR_OPT_TRUNC,
		SHIM6_WERR_OPT_PAST_END, SHIM6_WERR_OPT_PADDING, SHIM6_WERR_OPT_CRITICAL,
		SHIM6_WERR_OPT_LEN, SHIM6_WERR_OPT_DUPLICATE, SHIM6_WERR_OPT_MISSING,
		SHIM6_WERR_TOO_MANY_OPTS, SHIM6_WERR_LOCLIST_EMPTY, SHIM6_WERR_LOCLIST_COUNT,
		SHIM6_WERR_LOCPREF_ELEMLEN, SHIM6_WERR_LOCPREF_COUNT, SHIM6_WERR_LOCPREF_MISMATCH,
		SHIM6_WERR_PROBE_PSENT, SHIM6_WERR_PROBE_REPORTS, SHIM6_WERR_PROBE_STATE,
		SHIM6_WERR_NOSPACE, SHIM6_WERR_INVALID,
	};
	unsigned int i, j, dup = 0, unnamed = 0;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		if (!strcmp(shim6_wire_errname(codes[i]), "unknown"))
			unnamed++;
		for (j = 0; j < i; j++)
			if (!strcmp(shim6_wire_errname(codes[i]), shim6_wire_errname(codes[j])) ||
			    !strcmp(shim6_wire_strerror(codes[i]), shim6_wire_strerror(codes[j])))
				dup++;
	}
	ASSERT_EQ(unnamed, 0, "codes without a name");
	ASSERT_EQ(dup, 0, "codes sharing a name or sentence");
	ASSERT_STREQ(shim6_msg_type_name(SHIM6_TYPE_UPDATE_ACK), "Update Acknowledgement", "type 65");
	ASSERT_TRUE(shim6_msg_type_name(7) == NULL, "type 7 unknown");
	ASSERT_STREQ(shim6_opt_type_name(SHIM6_OPT_KA_TIMEOUT), "Keepalive Timeout", "option 10");
	ASSERT_TRUE(shim6_opt_type_name(8) == NULL, "option 8 unassigned");
	ASSERT_STREQ(shim6_verif_method_name(1), "HBA", "Table 4: 1 = HBA");
	ASSERT_STREQ(shim6_verif_method_name(2), "CGA", "Table 4: 2 = CGA");
	ASSERT_STREQ(shim6_error_code_name(4), "Error in the number of locators", "code 4");
	ASSERT_TRUE(shim6_probe_state_name(3) == NULL, "Sta 3");
}

/* From a rejected packet to the Error message a receiver sends back (§5.14, §12.3). */
TEST(wire_error_reply)
{
	static struct shim6_msg m, reply, back;
	static uint8_t pkt[40 + 1400];
	struct shim6_wire_diag d;
	uint8_t out[SHIM6_MAX_HDR_LEN];
	size_t len;
	uint8_t *v = unhex(I1H("02") "0013 0002 abcd0000", &len);
	ssize_t n;

	memset(pkt, 0x60, 40); /* stand-in IPv6 header */
	shim6_csum_set(v, len);
	memcpy(pkt + 40, v, len);
	free(v);

	SUBTEST("critical option: code 1, Pointer at the option in the packet");
	ASSERT_EQ(shim6_msg_decode(pkt + 40, len, 0, &m, &d), -SHIM6_WERR_OPT_CRITICAL, "rejected");
	if (ASSERT_OK(shim6_msg_init_error(&reply, &d, pkt, 40 + len, 40), "build")) {
		n = shim6_msg_encode(&reply, out, sizeof(out));
		if (ASSERT_EQ(n, 8 + 40 + 24, "encoded size") &&
		    ASSERT_OK(shim6_msg_decode(out, (size_t)n, 0, &back, NULL), "decodes")) {
			ASSERT_EQ(back.error.code, SHIM6_ERR_CRITICAL_OPT, "Error Code");
			ASSERT_EQ(back.error.pointer, 40 + 16, "Pointer");
			ASSERT_MEMEQ(back.error.data, 64, pkt, 64, "packet in error");
		}
	}
	SUBTEST("a large invoking packet is cut to fit 1280 bytes");
	if (ASSERT_OK(shim6_msg_init_error(&reply, &d, pkt, sizeof(pkt), 40), "build")) {
		n = shim6_msg_encode(&reply, out, sizeof(out));
		ASSERT_EQ(n + 40, SHIM6_MIN_MTU, "IPv6 packet of 1280 bytes");
	}
	SUBTEST("bad checksum: no Error message (silent drop)");
	pkt[40 + 4] ^= 0xff;
	ASSERT_EQ(shim6_msg_decode(pkt + 40, len, 0, &m, &d), -SHIM6_WERR_CHECKSUM, "rejected");
	ASSERT_EQ(shim6_msg_init_error(&reply, &d, pkt, 40 + len, 40), -SHIM6_WERR_INVALID,
		  "no Error code");
}
