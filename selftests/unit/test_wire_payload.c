// SPDX-License-Identifier: GPL-2.0
/* The 8-byte payload extension header (RFC 5533 §5.2): vectors and defects. */
#include "selftests/unit/wire_test.h"

/* tshark probe frame 8: payload header in front of UDP. */
static const uint8_t v_payload[] = {
	0x11,			      /* Next Header: UDP (17) */
	0x00,			      /* Hdr Ext Len: 0 */
	0x92, 0x34, 0x56, 0x78, 0x9a, 0xbc, /* P=1, Receiver Context Tag 0x123456789abc */
};

static const uint8_t v_payload_max[] = {
	0x06,			      /* Next Header: TCP */
	0x00,			      /* Hdr Ext Len 0 */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* P=1, tag 0x7fffffffffff (all 47 bits) */
};

TEST(wire_payload_vectors)
{
	static const struct {
		const char *name;
		const uint8_t *vec;
		uint8_t nh;
		uint64_t tag;
	} rows[] = {
		{ "UDP, tag 0x123456789abc", v_payload, 17, 0x123456789abcULL },
		{ "TCP, tag 2^47-1", v_payload_max, 6, 0x7fffffffffffULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct shim6_payload_hdr ph = { 0 }, want = { rows[i].nh, rows[i].tag };
		uint8_t out[8];

		SUBTEST("%s", rows[i].name);
		ASSERT_TRUE(shim6_is_payload(rows[i].vec, 8), "P=1");
		if (ASSERT_OK(shim6_payload_decode(rows[i].vec, 8, &ph, NULL), "decode")) {
			ASSERT_EQ(ph.next_hdr, rows[i].nh, "Next Header");
			ASSERT_EQ(ph.tag, rows[i].tag, "Receiver Context Tag");
		}
		if (ASSERT_EQ(shim6_payload_encode(&want, out, sizeof(out)), 8, "encode"))
			ASSERT_MEMEQ(out, 8, rows[i].vec, 8, "encoder vs hand vector");
	}
}

TEST(wire_payload_malformed)
{
	static const struct {
		const char *name;
		uint8_t bytes[8];
		size_t len;
		int err;
		uint32_t offset;
	} rows[] = {
		{ "7 bytes", { 0x11, 0x00, 0x92, 0x34, 0x56, 0x78, 0x9a }, 7, SHIM6_WERR_TRUNC_COMMON, 0 },
		{ "P=0 (a control message)", { 0x3b, 0x01, 0x01, 0x00, 0x22, 0xf8, 0x12, 0x34 }, 8,
		  SHIM6_WERR_NOT_PAYLOAD, 2 },
		{ "Hdr Ext Len 1", { 0x11, 0x01, 0x92, 0x34, 0x56, 0x78, 0x9a, 0xbc }, 8,
		  SHIM6_WERR_PAYLOAD_HDRLEN, 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct shim6_payload_hdr ph;
		struct shim6_wire_diag d;

		SUBTEST("%s", rows[i].name);
		if (ASSERT_EQ(shim6_payload_decode(rows[i].bytes, rows[i].len, &ph, &d), -rows[i].err,
			      shim6_wire_errname(rows[i].err)))
			ASSERT_EQ(d.offset, rows[i].offset, "offset");
	}
	SUBTEST("encode refuses a 48-bit tag and a short buffer");
	{
		struct shim6_payload_hdr ph = { 17, 0x800000000000ULL };
		uint8_t out[8];

		ASSERT_EQ(shim6_payload_encode(&ph, out, 8), -SHIM6_WERR_INVALID, "tag");
		ph.tag = 1;
		ASSERT_EQ(shim6_payload_encode(&ph, out, 7), -SHIM6_WERR_NOSPACE, "7 bytes");
	}
}
