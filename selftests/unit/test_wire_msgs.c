// SPDX-License-Identifier: GPL-2.0
/*
 * Every Shim6 control message type (RFC 5533 §5.4-5.14, RFC 5534 §5.1-5.2):
 * a vector assembled by hand from the RFC figure, byte by byte, compared with
 * the encoder's output and decoded back.  Checksums were computed separately
 * (python, one's complement sum over the header, the bytes marked CK) and written in
 * as constants.
 */
#include "selftests/unit/wire_test.h"

/* 2001:db8:1::1, 2001:db8:2::2 and friends, for ULIDs, locators and probes. */
#define A1 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01
#define B2 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02
#define A3 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01
#define B4 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02
static const uint8_t a1[16] = { A1 }, b2[16] = { B2 }, a3[16] = { A3 }, b4[16] = { B4 };

static const uint8_t v_i1[] = {
	0x3b,			      /* Next Header: NO_NXT_HDR (59) */
	0x01,			      /* Hdr Ext Len: 1 -> 16 bytes */
	0x01,			      /* P=0, Type=1 (I1) */
	0x00,			      /* Reserved1=0, S=0 */
	/*CK*/ 0x22, 0xf8,	      /* Checksum */
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, /* R=0, Initiator Context Tag 0x123456789abc */
	0xde, 0xad, 0xbe, 0xef,	      /* Initiator Nonce */
};

static const uint8_t v_r1[] = {
	0x3b, 0x03, 0x02, 0x00,	      /* NH 59, Hdr Ext Len 3 (32 bytes), P=0 Type=2, Rsvd1/S 0 */
	/*CK*/ 0xc7, 0x58,	      /* Checksum */
	0x00, 0x00,		      /* Reserved2 */
	0x11, 0x22, 0x33, 0x44,	      /* Initiator Nonce */
	0x55, 0x66, 0x77, 0x88,	      /* Responder Nonce */
	0x00, 0x02, 0x00, 0x05,	      /* option: Type=1 C=0 (0x0002), Length=5 */
	0xa1, 0xa2, 0xa3, 0xa4, 0xa5, /* Validator */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* Padding: 7 - ((5 + 3) mod 8) = 7 */
};
static const uint8_t val5[5] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5 };

static const uint8_t v_i2[] = {
	0x3b, 0x04, 0x03, 0x00,	      /* NH 59, Hdr Ext Len 4 (40 bytes), Type=3 (I2) */
	/*CK*/ 0xd8, 0xbd,	      /* Checksum */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, /* R=0, Initiator Context Tag 0x010203040506 */
	0x11, 0x22, 0x33, 0x44,	      /* Initiator Nonce */
	0x55, 0x66, 0x77, 0x88,	      /* Responder Nonce */
	0x00, 0x00, 0x00, 0x00,	      /* Reserved2 (32 bits) */
	0x00, 0x02, 0x00, 0x08,	      /* option: Responder Validator, C=0, Length=8 */
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, /* Validator */
	0x00, 0x00, 0x00, 0x00,	      /* Padding: 7 - ((8 + 3) mod 8) = 4 */
};
static const uint8_t val8[8] = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 };

static const uint8_t v_r2[] = {
	0x3b, 0x01, 0x04, 0x00,	      /* NH 59, Hdr Ext Len 1, Type=4 (R2) */
	/*CK*/ 0xfc, 0x99,	      /* Checksum */
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xfe, /* R=0, Responder Context Tag 0x7ffffffffffe */
	0x11, 0x22, 0x33, 0x44,	      /* Initiator Nonce */
};

static const uint8_t v_r1bis[] = {
	0x3b, 0x02, 0x05, 0x00,	      /* NH 59, Hdr Ext Len 2 (24 bytes), Type=5 (R1bis) */
	/*CK*/ 0x2b, 0x59,	      /* Checksum */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x2a, /* R=0, Packet Context Tag 42 */
	0x99, 0x88, 0x77, 0x66,	      /* Responder Nonce */
	0x00, 0x02, 0x00, 0x04,	      /* option: Responder Validator, Length=4 */
	0xc0, 0xc1, 0xc2, 0xc3,	      /* Validator; no padding: 4 + 4 = 8 */
};
static const uint8_t val4[4] = { 0xc0, 0xc1, 0xc2, 0xc3 };

static const uint8_t v_i2bis[] = {
	0x3b, 0x04, 0x06, 0x00,	      /* NH 59, Hdr Ext Len 4 (40 bytes), Type=6 (I2bis) */
	/*CK*/ 0xd6, 0x06,	      /* Checksum */
	0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, /* R=0, Initiator Context Tag 0x0a0b0c0d0e0f */
	0x10, 0x20, 0x30, 0x40,	      /* Initiator Nonce */
	0x50, 0x60, 0x70, 0x80,	      /* Responder Nonce */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* Reserved2: 49 bits (these 48 ...) */
	0x40, 0x00, 0x00, 0x00, 0x00, 0x01, /* ... + top bit 0; Packet Context Tag 0x400000000001 */
	0x00, 0x02, 0x00, 0x04,	      /* option: Responder Validator, Length=4 */
	0xc0, 0xc1, 0xc2, 0xc3,	      /* Validator */
};

static const uint8_t v_update_req[] = {
	0x3b, 0x05, 0x40, 0x00,	      /* NH 59, Hdr Ext Len 5 (48 bytes), Type=64 (Update Request) */
	/*CK*/ 0x8b, 0x06,	      /* Checksum */
	0x00, 0x00, 0x00, 0x00, 0x10, 0x01, /* R=0, Receiver Context Tag 0x1001 */
	0xca, 0xfe, 0xf0, 0x0d,	      /* Request Nonce */
	0x00, 0x04, 0x00, 0x1c,	      /* option: Type=2 (Locator List), C=0, Length=28 */
	0x00, 0x00, 0x00, 0x07,	      /* Locator List Generation 7 */
	0x01,			      /* Num Locators 1 */
	0x02,			      /* Verification Method[1]: 2 = CGA */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* internal padding to 8 (in Length) */
	A3,			      /* Locator 1: 2001:db8:3::1 */
};
static const uint8_t meth_cga[1] = { SHIM6_VERIF_CGA };

static const uint8_t v_update_ack[] = {
	0x3b, 0x01, 0x41, 0x00,	      /* NH 59, Hdr Ext Len 1, Type=65 (Update Ack) */
	/*CK*/ 0xb8, 0xf0,	      /* Checksum */
	0x00, 0x00, 0x00, 0x00, 0x10, 0x01, /* R=0, Receiver Context Tag 0x1001 */
	0xca, 0xfe, 0xf0, 0x0d,	      /* Request Nonce (copied) */
};

static const uint8_t v_keepalive[] = {
	0x3b, 0x01, 0x42, 0x00,	      /* NH 59, Hdr Ext Len 1, Type=66 (Keepalive) */
	/*CK*/ 0xd5, 0xfb,	      /* Checksum */
	0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, /* R=0, Receiver Context Tag 0x123456789a */
	0x00, 0x00, 0x00, 0x00,	      /* Reserved2 */
};

static const uint8_t v_probe[] = {
	0x3b, 0x0b, 0x43, 0x00,	      /* NH 59, Hdr Ext Len 11 (96 bytes), Type=67 (Probe) */
	/*CK*/ 0xb8, 0xbe,	      /* Checksum */
	0x00, 0x00, 0x00, 0x00, 0x20, 0x02, /* R=0, Receiver Context Tag 0x2002 */
	0x11,			      /* Precvd=1, Psent=1 */
	0x80,			      /* Sta=2 (InboundOk), Reserved2 */
	0x00, 0x00,		      /* Reserved2 */
	A1,			      /* 1st probe sent: source 2001:db8:1::1 */
	B2,			      /* 1st probe sent: destination 2001:db8:2::2 */
	0x00, 0x00, 0x01, 0x01,	      /* 1st probe sent: nonce */
	0x00, 0x00, 0x00, 0x00,	      /* 1st probe sent: data */
	B4,			      /* 1st probe received: source 2001:db8:4::2 */
	A3,			      /* 1st probe received: destination 2001:db8:3::1 */
	0x00, 0x00, 0x02, 0x02,	      /* 1st probe received: nonce */
	0xff, 0xee, 0xdd, 0xcc,	      /* 1st probe received: data */
};

static const uint8_t v_error[] = {
	0x3b, 0x02, 0x44,	      /* NH 59, Hdr Ext Len 2 (24 bytes), Type=68 (Error) */
	0x02,			      /* Error Code 1 (critical option), S=0 */
	/*CK*/ 0x66, 0xb9,	      /* Checksum */
	0x00, 0x38,		      /* Pointer 56 */
	0x60, 0x00, 0x00, 0x00, 0x00, 0x10, 0x8c, 0x40, /* Packet in error (12 bytes) */
	0x20, 0x01, 0x0d, 0xb8,
	0x00, 0x00, 0x00, 0x00,	      /* zero padding to a multiple of 8 */
};
static const uint8_t pie[12] = { 0x60, 0, 0, 0, 0, 0x10, 0x8c, 0x40, 0x20, 0x01, 0x0d, 0xb8 };

static void build_i1(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_I1);
	m->i1.init_tag = 0x123456789abcULL;
	m->i1.init_nonce = 0xdeadbeef;
}

static void build_r1(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_R1);
	m->r1.init_nonce = 0x11223344;
	m->r1.resp_nonce = 0x55667788;
	shim6_msg_add_validator(m, val5, sizeof(val5));
}

static void build_i2(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_I2);
	m->i2.init_tag = 0x010203040506ULL;
	m->i2.init_nonce = 0x11223344;
	m->i2.resp_nonce = 0x55667788;
	shim6_msg_add_validator(m, val8, sizeof(val8));
}

static void build_r2(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_R2);
	m->r2.resp_tag = 0x7ffffffffffeULL;
	m->r2.init_nonce = 0x11223344;
}

static void build_r1bis(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_R1BIS);
	m->r1bis.pkt_tag = 42;
	m->r1bis.resp_nonce = 0x99887766;
	shim6_msg_add_validator(m, val4, sizeof(val4));
}

static void build_i2bis(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_I2BIS);
	m->i2bis.init_tag = 0x0a0b0c0d0e0fULL;
	m->i2bis.init_nonce = 0x10203040;
	m->i2bis.resp_nonce = 0x50607080;
	m->i2bis.pkt_tag = 0x400000000001ULL;
	shim6_msg_add_validator(m, val4, sizeof(val4));
}

static void build_update_req(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_UPDATE_REQ);
	m->update.recv_tag = 0x1001;
	m->update.req_nonce = 0xcafef00d;
	shim6_msg_add_loclist(m, 7, 1, meth_cga, &a3);
}

static void build_update_ack(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_UPDATE_ACK);
	m->update.recv_tag = 0x1001;
	m->update.req_nonce = 0xcafef00d;
}

static void build_keepalive(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_KEEPALIVE);
	m->keepalive.recv_tag = 0x123456789aULL;
}

static void build_probe(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_PROBE);
	m->probe.recv_tag = 0x2002;
	m->probe.state = SHIM6_PROBE_INBOUND_OK;
	m->probe.psent = 1;
	m->probe.precvd = 1;
	memcpy(m->probe.sent[0].src, a1, 16);
	memcpy(m->probe.sent[0].dst, b2, 16);
	m->probe.sent[0].nonce = 0x0101;
	memcpy(m->probe.recvd[0].src, b4, 16);
	memcpy(m->probe.recvd[0].dst, a3, 16);
	m->probe.recvd[0].nonce = 0x0202;
	m->probe.recvd[0].data = 0xffeeddcc;
}

static void build_error(struct shim6_msg *m)
{
	shim6_msg_init(m, SHIM6_TYPE_ERROR);
	m->error.code = SHIM6_ERR_CRITICAL_OPT;
	m->error.pointer = 56;
	m->error.data = pie;
	m->error.len = sizeof(pie);
}

static const struct {
	const char *name;
	const uint8_t *vec;
	size_t len;
	void (*build)(struct shim6_msg *m);
} msg_rows[] = {
	{ "I1", v_i1, sizeof(v_i1), build_i1 },
	{ "R1", v_r1, sizeof(v_r1), build_r1 },
	{ "I2", v_i2, sizeof(v_i2), build_i2 },
	{ "R2", v_r2, sizeof(v_r2), build_r2 },
	{ "R1bis", v_r1bis, sizeof(v_r1bis), build_r1bis },
	{ "I2bis", v_i2bis, sizeof(v_i2bis), build_i2bis },
	{ "Update Request", v_update_req, sizeof(v_update_req), build_update_req },
	{ "Update Acknowledgement", v_update_ack, sizeof(v_update_ack), build_update_ack },
	{ "Keepalive", v_keepalive, sizeof(v_keepalive), build_keepalive },
	{ "Probe", v_probe, sizeof(v_probe), build_probe },
	{ "Error", v_error, sizeof(v_error), build_error },
};

TEST(wire_msg_vectors)
{
	static struct shim6_msg want;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msg_rows); i++) {
		SUBTEST("%s", msg_rows[i].name);
		msg_rows[i].build(&want);
		wt_check_vector(msg_rows[i].vec, msg_rows[i].len, &want);
	}
}

/* The decoded fields themselves, read against the figures (not only "equal to the builder"). */
TEST(wire_msg_fields)
{
	static struct shim6_msg m;
	const struct shim6_opt *o;

	SUBTEST("I2bis tags and nonces");
	if (ASSERT_OK(shim6_msg_decode(v_i2bis, sizeof(v_i2bis), 0, &m, NULL), "decode")) {
		ASSERT_EQ(m.type, SHIM6_TYPE_I2BIS, "type");
		ASSERT_EQ(m.hdr_ext_len, 4, "Hdr Ext Len");
		ASSERT_EQ(m.i2bis.init_tag, 0x0a0b0c0d0e0fULL, "Initiator Context Tag");
		ASSERT_EQ(m.i2bis.pkt_tag, 0x400000000001ULL, "Packet Context Tag");
		ASSERT_EQ(m.i2bis.resp_nonce, 0x50607080, "Responder Nonce");
		o = shim6_msg_find_opt(&m, SHIM6_OPT_RESP_VALIDATOR);
		if (ASSERT_OK_PTR(o, "validator"))
			ASSERT_MEMEQ(o->data, o->len, val4, sizeof(val4), "validator bytes");
	}
	SUBTEST("Probe reports");
	if (ASSERT_OK(shim6_msg_decode(v_probe, sizeof(v_probe), 0, &m, NULL), "decode")) {
		ASSERT_EQ(m.probe.psent, 1, "Psent");
		ASSERT_EQ(m.probe.precvd, 1, "Precvd");
		ASSERT_EQ(m.probe.state, SHIM6_PROBE_INBOUND_OK, "Sta");
		ASSERT_MEMEQ(m.probe.recvd[0].src, 16, b4, 16, "received probe source");
		ASSERT_EQ(m.probe.recvd[0].data, 0xffeeddcc, "received probe data");
		ASSERT_EQ(m.nopts, 0, "no options");
	}
	SUBTEST("Error code, pointer, packet in error");
	if (ASSERT_OK(shim6_msg_decode(v_error, sizeof(v_error), 0, &m, NULL), "decode")) {
		ASSERT_EQ(m.error.code, 1, "Error Code");
		ASSERT_EQ(m.error.pointer, 56, "Pointer");
		ASSERT_EQ(m.error.len, 16, "packet in error with padding");
		ASSERT_MEMEQ(m.error.data, 12, pie, 12, "packet in error");
	}
	SUBTEST("R1 minimum Hdr Ext Len per type");
	ASSERT_EQ(shim6_msg_min_hdrlen(SHIM6_TYPE_I1), 1, "I1");
	ASSERT_EQ(shim6_msg_min_hdrlen(SHIM6_TYPE_I2), 2, "I2");
	ASSERT_EQ(shim6_msg_min_hdrlen(SHIM6_TYPE_I2BIS), 3, "I2bis");
	ASSERT_EQ(shim6_msg_min_hdrlen(SHIM6_TYPE_ERROR), 1, "Error");
	ASSERT_EQ(shim6_msg_min_hdrlen(7), -1, "unknown type 7");
}

/* Reserved fields: ignored on receipt (RFC: MUST be ignored), reported as a warning. */
TEST(wire_msg_reserved_ignored)
{
	static struct shim6_msg m;
	uint8_t v[sizeof(v_i2)];

	memcpy(v, v_i2, sizeof(v));
	v[3] = 0xfe;  /* Reserved1 all ones, S=0 */
	v[6] |= 0x80; /* R bit */
	v[23] = 0x01; /* Reserved2 */
	shim6_csum_set(v, sizeof(v));
	if (ASSERT_OK(shim6_msg_decode(v, sizeof(v), 0, &m, NULL), "decode")) {
		ASSERT_EQ(m.warnings, SHIM6_WARN_RESERVED, "reserved warning only");
		ASSERT_EQ(m.i2.init_tag, 0x010203040506ULL, "R bit not in the tag");
	}
}

/* The checksum is over the header only, no pseudo-header: RFC 5533 §5.3. */
TEST(wire_csum)
{
	uint8_t v[sizeof(v_i1)];

	SUBTEST("known I1 checksum");
	memcpy(v, v_i1, sizeof(v));
	v[4] = v[5] = 0;
	ASSERT_EQ(shim6_csum(v, sizeof(v)), 0x22f8, "computed over 16 bytes");
	SUBTEST("verifies in place");
	(void)ASSERT_TRUE(shim6_csum_ok(v_i1, sizeof(v_i1)), "vector verifies");
	SUBTEST("any single bit flip is caught");
	{
		unsigned int bit, missed = 0;

		for (bit = 0; bit < 8 * sizeof(v); bit++) {
			memcpy(v, v_i1, sizeof(v));
			v[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			if (shim6_csum_ok(v, sizeof(v)))
				missed++;
		}
		ASSERT_EQ(missed, 0, "undetected flips");
	}
	SUBTEST("odd length pads with zero");
	{
		const uint8_t odd[3] = { 0x12, 0x34, 0x56 };

		/* 0x1234 + 0x5600 = 0x6834 -> ~ = 0x97cb */
		ASSERT_EQ(shim6_csum(odd, 3), 0x97cb, "odd");
	}
}

/* Encoder refusals: fields out of range never produce bytes. */
TEST(wire_encode_invalid)
{
	static struct shim6_msg m;
	uint8_t out[SHIM6_MAX_HDR_LEN];
	static uint8_t big[2100];

	SUBTEST("tag wider than 47 bits");
	build_i1(&m);
	m.i1.init_tag = 0x800000000000ULL;
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "tag");
	SUBTEST("unknown type");
	shim6_msg_init(&m, 9);
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "type 9");
	SUBTEST("Probe with Psent 0");
	build_probe(&m);
	m.probe.psent = 0;
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "Psent");
	SUBTEST("Probe with Sta 3");
	build_probe(&m);
	m.probe.state = 3;
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "Sta");
	SUBTEST("header over 2048 bytes");
	build_r1(&m);
	m.nopts = 0;
	shim6_msg_add_validator(&m, big, sizeof(big));
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "too big");
	SUBTEST("Error with options");
	build_error(&m);
	shim6_msg_add_fii(&m, 1);
	ASSERT_EQ(shim6_msg_encode(&m, out, sizeof(out)), -SHIM6_WERR_INVALID, "Error + option");
	SUBTEST("too many options");
	{
		int i, err = 0;

		build_i1(&m);
		for (i = 0; i <= SHIM6_MAX_OPTS && !err; i++)
			err = shim6_msg_add_fii(&m, (uint32_t)i);
		ASSERT_EQ(err, -SHIM6_WERR_TOO_MANY_OPTS, "33rd option");
	}
}
