/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the wire-format tests: compare two messages field by
 * field (type-specific fields and every option), and run the standard
 * vector checks (decode, compare, encode byte-exact, round trip).
 */
#ifndef SHIM6_WIRE_TEST_H
#define SHIM6_WIRE_TEST_H

#include <stdio.h>
#include <string.h>

#include "selftests/runner.h"
#include "wire/shim6_wire.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline bool wt_opt_same(const struct shim6_opt *a, const struct shim6_opt *b, char *why,
			       size_t n)
{
	const uint8_t *ac = a->data, *bc = b->data;

	if (a->type != b->type || a->critical != b->critical)
		return snprintf(why, n, "option type %u/%d vs %u/%d", a->type, a->critical, b->type,
				b->critical), false;
	if ((a->flags & SHIM6_OPTF_TYPED) && (b->flags & SHIM6_OPTF_TYPED)) {
		switch (a->type) {
		case SHIM6_OPT_LOC_LIST:
			if (a->u.loclist.gen != b->u.loclist.gen ||
			    a->u.loclist.count != b->u.loclist.count ||
			    memcmp(a->u.loclist.methods, b->u.loclist.methods, a->u.loclist.count) ||
			    memcmp(a->u.loclist.locators, b->u.loclist.locators,
				   16u * a->u.loclist.count))
				return snprintf(why, n, "locator list differs"), false;
			return true;
		case SHIM6_OPT_LOC_PREF:
			if (a->u.locpref.gen != b->u.locpref.gen ||
			    a->u.locpref.elem_len != b->u.locpref.elem_len ||
			    a->u.locpref.count != b->u.locpref.count ||
			    memcmp(a->u.locpref.elems, b->u.locpref.elems,
				   (size_t)a->u.locpref.count * a->u.locpref.elem_len))
				return snprintf(why, n, "locator preferences differ"), false;
			return true;
		case SHIM6_OPT_ULID_PAIR:
			if (memcmp(&a->u.ulid, &b->u.ulid, sizeof(a->u.ulid)))
				return snprintf(why, n, "ULID pair differs"), false;
			return true;
		case SHIM6_OPT_FII:
			if (a->u.fii != b->u.fii)
				return snprintf(why, n, "FII %u vs %u", a->u.fii, b->u.fii), false;
			return true;
		case SHIM6_OPT_KA_TIMEOUT:
			if (a->u.ka_timeout != b->u.ka_timeout)
				return snprintf(why, n, "KA timeout %u vs %u", a->u.ka_timeout,
						b->u.ka_timeout), false;
			return true;
		default:
			break;
		}
	}
	if (a->len != b->len || (a->len && memcmp(ac, bc, a->len)))
		return snprintf(why, n, "option %u contents differ (len %u vs %u)", a->type, a->len,
				b->len), false;
	return true;
}

static inline bool wt_report_same(const struct shim6_probe_report *a,
				  const struct shim6_probe_report *b)
{
	return !memcmp(a->src, b->src, 16) && !memcmp(a->dst, b->dst, 16) && a->nonce == b->nonce &&
	       a->data == b->data;
}

/* Same message?  Error's packet in error is compared on b's length (a may carry padding). */
static inline bool wt_msg_same(const struct shim6_msg *a, const struct shim6_msg *b, char *why,
			       size_t n)
{
	unsigned int i;
	bool ok = true;

	if (a->type != b->type || a->next_hdr != b->next_hdr)
		return snprintf(why, n, "type/next header %u/%u vs %u/%u", a->type, a->next_hdr,
				b->type, b->next_hdr), false;
	switch (a->type) {
	case SHIM6_TYPE_I1:
		ok = a->i1.init_tag == b->i1.init_tag && a->i1.init_nonce == b->i1.init_nonce;
		break;
	case SHIM6_TYPE_R1:
		ok = a->r1.init_nonce == b->r1.init_nonce && a->r1.resp_nonce == b->r1.resp_nonce;
		break;
	case SHIM6_TYPE_I2:
		ok = a->i2.init_tag == b->i2.init_tag && a->i2.init_nonce == b->i2.init_nonce &&
		     a->i2.resp_nonce == b->i2.resp_nonce;
		break;
	case SHIM6_TYPE_R2:
		ok = a->r2.resp_tag == b->r2.resp_tag && a->r2.init_nonce == b->r2.init_nonce;
		break;
	case SHIM6_TYPE_R1BIS:
		ok = a->r1bis.pkt_tag == b->r1bis.pkt_tag &&
		     a->r1bis.resp_nonce == b->r1bis.resp_nonce;
		break;
	case SHIM6_TYPE_I2BIS:
		ok = a->i2bis.init_tag == b->i2bis.init_tag &&
		     a->i2bis.init_nonce == b->i2bis.init_nonce &&
		     a->i2bis.resp_nonce == b->i2bis.resp_nonce &&
		     a->i2bis.pkt_tag == b->i2bis.pkt_tag;
		break;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
		ok = a->update.recv_tag == b->update.recv_tag &&
		     a->update.req_nonce == b->update.req_nonce;
		break;
	case SHIM6_TYPE_KEEPALIVE:
		ok = a->keepalive.recv_tag == b->keepalive.recv_tag;
		break;
	case SHIM6_TYPE_PROBE:
		ok = a->probe.recv_tag == b->probe.recv_tag && a->probe.state == b->probe.state &&
		     a->probe.psent == b->probe.psent && a->probe.precvd == b->probe.precvd;
		for (i = 0; ok && i < a->probe.psent; i++)
			ok = wt_report_same(&a->probe.sent[i], &b->probe.sent[i]);
		for (i = 0; ok && i < a->probe.precvd; i++)
			ok = wt_report_same(&a->probe.recvd[i], &b->probe.recvd[i]);
		break;
	case SHIM6_TYPE_ERROR:
		ok = a->error.code == b->error.code && a->error.pointer == b->error.pointer &&
		     a->error.len >= b->error.len &&
		     !memcmp(a->error.data, b->error.data, b->error.len);
		break;
	}
	if (!ok)
		return snprintf(why, n, "%s fields differ", shim6_msg_type_name(a->type)), false;
	if (a->nopts != b->nopts)
		return snprintf(why, n, "%u options vs %u", a->nopts, b->nopts), false;
	for (i = 0; i < a->nopts; i++)
		if (!wt_opt_same(&a->opts[i], &b->opts[i], why, n))
			return false;
	return true;
}

/*
 * The checks every valid vector gets: it decodes without warnings, equals the
 * message built by hand, the encoder reproduces it byte for byte from that
 * message and from the decoded one, and the encoder's output decodes back.
 */
static inline void wt_check_vector(const uint8_t *vec, size_t len, const struct shim6_msg *want)
{
	static struct shim6_msg got, again;
	struct shim6_wire_diag d;
	uint8_t out[SHIM6_MAX_HDR_LEN];
	char why[160] = "";
	ssize_t n;
	int err;

	err = shim6_msg_decode(vec, len, 0, &got, &d);
	if (!ASSERT_EQ(err, 0, "decode hand-assembled vector"))
		return;
	ASSERT_EQ(got.warnings, 0, "no warnings");
	ASSERT_EQ(got.length, len, "decoded length");
	if (!wt_msg_same(&got, want, why, sizeof(why)))
		runner_fail(__FILE__, __LINE__, "%s", why);
	n = shim6_msg_encode(want, out, sizeof(out));
	if (ASSERT_EQ(n, (long long)len, "encode length"))
		ASSERT_MEMEQ(out, (size_t)n, vec, len, "encoder output vs hand vector");
	n = shim6_msg_encode(&got, out, sizeof(out));
	if (ASSERT_EQ(n, (long long)len, "re-encode length"))
		ASSERT_MEMEQ(out, (size_t)n, vec, len, "decode+encode round trip");
	n = shim6_msg_encode(want, out, sizeof(out));
	if (n > 0 && ASSERT_EQ(shim6_msg_decode(out, (size_t)n, 0, &again, NULL), 0,
			       "decode encoder output")) {
		if (!wt_msg_same(&again, want, why, sizeof(why)))
			runner_fail(__FILE__, __LINE__, "%s", why);
	}
	/* An encoder given one byte too few must refuse, not overflow. */
	ASSERT_EQ(shim6_msg_encode(want, out, len - 1), -SHIM6_WERR_NOSPACE, "short buffer");
}

#endif
