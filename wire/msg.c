// SPDX-License-Identifier: GPL-2.0
/*
 * Shim6 control messages (RFC 5533 §5.3-5.14, RFC 5534 §5.1-5.2): the common
 * header, each type's fixed part, and the order in which a received header is
 * checked (RFC 5533 §12.3: length against the packet, checksum, then type).
 */
#include <string.h>

#include "wire/shim6_wire.h"
#include "wire/wire_int.h"

#define PROBE_REPORT_LEN 40 /* source, destination, nonce, data */

/* Fixed part of each type, in bytes (the minimum header is 16: Hdr Ext Len >= 1). */
static int fixed_len(uint8_t type)
{
	switch (type) {
	case SHIM6_TYPE_I1:
	case SHIM6_TYPE_R1:
	case SHIM6_TYPE_R2:
	case SHIM6_TYPE_R1BIS:
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
	case SHIM6_TYPE_KEEPALIVE:
	case SHIM6_TYPE_PROBE: /* plus 40 bytes per probe report */
		return 16;
	case SHIM6_TYPE_I2:
		return 24;
	case SHIM6_TYPE_I2BIS:
		return 32;
	case SHIM6_TYPE_ERROR:
		return 8; /* plus the packet in error, at least 8 bytes */
	default:
		return -1;
	}
}

int shim6_msg_min_hdrlen(uint8_t type)
{
	int f = fixed_len(type);

	if (f < 0)
		return -1;
	return f < 16 ? 1 : f / 8 - 1;
}

void shim6_msg_init(struct shim6_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->next_hdr = SHIM6_NO_NXT_HDR;
}

int shim6_msg_init_error(struct shim6_msg *m, const struct shim6_wire_diag *diag,
			 const void *pkt, size_t len, size_t shim6_off)
{
	/* IPv6 header (40) + Error fixed part (8) + packet in error <= 1280 */
	const size_t max = SHIM6_MIN_MTU - 40 - 8;

	if (diag->rfc_code < 0 || diag->rfc_code > 127 || shim6_off + diag->offset > 0xffff)
		return -SHIM6_WERR_INVALID;
	shim6_msg_init(m, SHIM6_TYPE_ERROR);
	m->error.code = (uint8_t)diag->rfc_code;
	m->error.pointer = (uint16_t)(shim6_off + diag->offset);
	m->error.data = pkt;
	m->error.len = (uint16_t)(len < max ? len : max);
	return 0;
}

const struct shim6_opt *shim6_msg_find_opt(const struct shim6_msg *m, uint16_t type)
{
	unsigned int i;

	for (i = 0; i < m->nopts && i < SHIM6_MAX_OPTS; i++)
		if (m->opts[i].type == type && !(m->opts[i].flags & SHIM6_OPTF_IGNORED))
			return &m->opts[i];
	return NULL;
}

int wire_fail(struct shim6_wire_diag *d, int err, uint32_t offset, uint32_t got, uint32_t want)
{
	if (d) {
		d->err = err;
		d->offset = offset;
		d->got = got;
		d->want = want;
	}
	return -err;
}

static bool any_set(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return true;
	return false;
}

static void read_report(const uint8_t *p, struct shim6_probe_report *r)
{
	memcpy(r->src, p, 16);
	memcpy(r->dst, p + 16, 16);
	r->nonce = get32(p + 32);
	r->data = get32(p + 36);
}

/* Probe (RFC 5534 §5.2): counts, state, then the reports; returns the fixed length. */
static int decode_probe(const uint8_t *p, uint32_t total, struct shim6_msg *m,
			struct shim6_wire_diag *d)
{
	uint32_t need;
	unsigned int i;

	m->probe.recv_tag = get_tag(p + 6);
	m->probe.precvd = p[12] >> 4;
	m->probe.psent = p[12] & 0x0f;
	m->probe.state = p[13] >> 6;
	if (m->probe.psent == 0)
		return wire_fail(d, SHIM6_WERR_PROBE_PSENT, 12, 0, 1);
	if (m->probe.state > SHIM6_PROBE_INBOUND_OK)
		return wire_fail(d, SHIM6_WERR_PROBE_STATE, 13, m->probe.state, 2);
	need = 16 + PROBE_REPORT_LEN * (m->probe.psent + m->probe.precvd);
	if (need > total)
		return wire_fail(d, SHIM6_WERR_PROBE_REPORTS, 12, total, need);
	if ((p[13] & 0x3f) || p[14] || p[15])
		m->warnings |= SHIM6_WARN_RESERVED;
	for (i = 0; i < m->probe.psent; i++)
		read_report(p + 16 + PROBE_REPORT_LEN * i, &m->probe.sent[i]);
	for (i = 0; i < m->probe.precvd; i++)
		read_report(p + 16 + PROBE_REPORT_LEN * (m->probe.psent + i), &m->probe.recvd[i]);
	return (int)need;
}

/* The type's fixed fields; returns where the options start, or -err. */
static int decode_fixed(const uint8_t *p, uint32_t total, struct shim6_msg *m,
			struct shim6_wire_diag *d)
{
	bool rsv = false;

	switch (m->type) {
	case SHIM6_TYPE_I1:
		m->i1.init_tag = get_tag(p + 6);
		m->i1.init_nonce = get32(p + 12);
		break;
	case SHIM6_TYPE_R1:
		rsv = p[6] || p[7];
		m->r1.init_nonce = get32(p + 8);
		m->r1.resp_nonce = get32(p + 12);
		break;
	case SHIM6_TYPE_I2:
		m->i2.init_tag = get_tag(p + 6);
		m->i2.init_nonce = get32(p + 12);
		m->i2.resp_nonce = get32(p + 16);
		rsv = any_set(p + 20, 4);
		break;
	case SHIM6_TYPE_R2:
		m->r2.resp_tag = get_tag(p + 6);
		m->r2.init_nonce = get32(p + 12);
		break;
	case SHIM6_TYPE_R1BIS:
		m->r1bis.pkt_tag = get_tag(p + 6);
		m->r1bis.resp_nonce = get32(p + 12);
		break;
	case SHIM6_TYPE_I2BIS:
		m->i2bis.init_tag = get_tag(p + 6);
		m->i2bis.init_nonce = get32(p + 12);
		m->i2bis.resp_nonce = get32(p + 16);
		rsv = any_set(p + 20, 6) || (p[26] & 0x80); /* 49-bit Reserved2 */
		m->i2bis.pkt_tag = get_tag(p + 26);
		break;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
		m->update.recv_tag = get_tag(p + 6);
		m->update.req_nonce = get32(p + 12);
		break;
	case SHIM6_TYPE_KEEPALIVE:
		m->keepalive.recv_tag = get_tag(p + 6);
		rsv = any_set(p + 12, 4);
		break;
	case SHIM6_TYPE_PROBE:
		return decode_probe(p, total, m, d);
	case SHIM6_TYPE_ERROR:
		m->error.code = p[3] >> 1;
		m->error.pointer = get16(p + 6);
		m->error.data = p + 8;
		m->error.len = (uint16_t)(total - 8);
		return (int)total; /* no options: the rest is the packet in error */
	}
	if (rsv)
		m->warnings |= SHIM6_WARN_RESERVED;
	return fixed_len(m->type);
}

/* Types whose bytes 6-11 are R + a 47-bit tag. */
static bool has_r_bit(uint8_t type)
{
	return type != SHIM6_TYPE_R1 && type != SHIM6_TYPE_ERROR;
}

int shim6_msg_decode(const void *buf, size_t len, unsigned int flags, struct shim6_msg *m,
		     struct shim6_wire_diag *diag)
{
	const uint8_t *p = buf;
	struct shim6_wire_diag dummy;
	struct shim6_wire_diag *d = diag ? diag : &dummy;
	uint32_t total;
	int min, start, err;

	*d = (struct shim6_wire_diag){ .rfc_code = -1 };
	memset(m, 0, offsetof(struct shim6_msg, opts));
	if (len < SHIM6_COMMON_LEN)
		return wire_fail(d, SHIM6_WERR_TRUNC_COMMON, 0, (uint32_t)len, SHIM6_COMMON_LEN);
	if (p[2] & 0x80)
		return wire_fail(d, SHIM6_WERR_NOT_CONTROL, 2, 1, 0);
	d->msg_type = p[2] & 0x7f; /* so that later errors can name the message */
	total = (p[1] + 1u) * 8;
	if (total > len)
		return wire_fail(d, SHIM6_WERR_HDRLEN_PAST_END, 1, (uint32_t)len, total);
	if (p[3] & 0x01)
		return wire_fail(d, SHIM6_WERR_S_BIT, 3, 1, 0);
	m->type = p[2] & 0x7f;
	m->next_hdr = p[0];
	m->hdr_ext_len = p[1];
	m->checksum = get16(p + 4);
	m->length = (uint16_t)total;
	if (!(flags & SHIM6_DEC_NO_CSUM) && !shim6_csum_ok(p, total)) {
		uint8_t tmp[SHIM6_MAX_HDR_LEN];

		memcpy(tmp, p, total);
		shim6_csum_set(tmp, total);
		return wire_fail(d, SHIM6_WERR_CHECKSUM, 4, m->checksum, get16(tmp + 4));
	}
	min = shim6_msg_min_hdrlen(m->type);
	if (min < 0) {
		d->rfc_code = SHIM6_ERR_UNKNOWN_TYPE;
		return wire_fail(d, SHIM6_WERR_UNKNOWN_TYPE, 2, m->type, 0);
	}
	if (p[1] < min)
		return wire_fail(d, SHIM6_WERR_HDRLEN_TOO_SMALL, 1, p[1], (uint32_t)min);
	if (m->next_hdr != SHIM6_NO_NXT_HDR)
		m->warnings |= SHIM6_WARN_NEXT_HDR;
	if (m->type != SHIM6_TYPE_ERROR && (p[3] >> 1))
		m->warnings |= SHIM6_WARN_RESERVED;
	if (has_r_bit(m->type) && (p[6] & 0x80))
		m->warnings |= SHIM6_WARN_RESERVED;
	start = decode_fixed(p, total, m, d);
	if (start < 0)
		return start;
	err = wire_opts_decode(p, (uint32_t)start, total, flags, m, d);
	if (err)
		return err;
	return wire_opts_check(m, d);
}

static void write_report(uint8_t *p, const struct shim6_probe_report *r)
{
	memcpy(p, r->src, 16);
	memcpy(p + 16, r->dst, 16);
	put32(p + 32, r->nonce);
	put32(p + 36, r->data);
}

static bool tag_ok(uint64_t tag)
{
	return !(tag & ~SHIM6_TAG_MASK);
}

/* Writes the type's fixed part (buffer already zeroed); returns its length or -err. */
static int encode_fixed(const struct shim6_msg *m, uint8_t *p, size_t room)
{
	int flen = fixed_len(m->type);
	unsigned int i;

	if (flen < 0)
		return -SHIM6_WERR_INVALID;
	if (m->type == SHIM6_TYPE_PROBE) {
		if (m->probe.psent < 1 || m->probe.psent > SHIM6_MAX_PROBES ||
		    m->probe.precvd > SHIM6_MAX_PROBES || m->probe.state > SHIM6_PROBE_INBOUND_OK)
			return -SHIM6_WERR_INVALID;
		flen += PROBE_REPORT_LEN * (m->probe.psent + m->probe.precvd);
	}
	if ((size_t)flen > room)
		return -SHIM6_WERR_NOSPACE;

	switch (m->type) {
	case SHIM6_TYPE_I1:
		if (!tag_ok(m->i1.init_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->i1.init_tag);
		put32(p + 12, m->i1.init_nonce);
		break;
	case SHIM6_TYPE_R1:
		put32(p + 8, m->r1.init_nonce);
		put32(p + 12, m->r1.resp_nonce);
		break;
	case SHIM6_TYPE_I2:
		if (!tag_ok(m->i2.init_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->i2.init_tag);
		put32(p + 12, m->i2.init_nonce);
		put32(p + 16, m->i2.resp_nonce);
		break;
	case SHIM6_TYPE_R2:
		if (!tag_ok(m->r2.resp_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->r2.resp_tag);
		put32(p + 12, m->r2.init_nonce);
		break;
	case SHIM6_TYPE_R1BIS:
		if (!tag_ok(m->r1bis.pkt_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->r1bis.pkt_tag);
		put32(p + 12, m->r1bis.resp_nonce);
		break;
	case SHIM6_TYPE_I2BIS:
		if (!tag_ok(m->i2bis.init_tag) || !tag_ok(m->i2bis.pkt_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->i2bis.init_tag);
		put32(p + 12, m->i2bis.init_nonce);
		put32(p + 16, m->i2bis.resp_nonce);
		put_tag(p + 26, m->i2bis.pkt_tag);
		break;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
		if (!tag_ok(m->update.recv_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->update.recv_tag);
		put32(p + 12, m->update.req_nonce);
		break;
	case SHIM6_TYPE_KEEPALIVE:
		if (!tag_ok(m->keepalive.recv_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->keepalive.recv_tag);
		break;
	case SHIM6_TYPE_PROBE:
		if (!tag_ok(m->probe.recv_tag))
			return -SHIM6_WERR_INVALID;
		put_tag(p + 6, m->probe.recv_tag);
		p[12] = (uint8_t)(m->probe.precvd << 4 | m->probe.psent);
		p[13] = (uint8_t)(m->probe.state << 6);
		for (i = 0; i < m->probe.psent; i++)
			write_report(p + 16 + PROBE_REPORT_LEN * i, &m->probe.sent[i]);
		for (i = 0; i < m->probe.precvd; i++)
			write_report(p + 16 + PROBE_REPORT_LEN * (m->probe.psent + i),
				     &m->probe.recvd[i]);
		break;
	case SHIM6_TYPE_ERROR:
		if (m->error.code > 127)
			return -SHIM6_WERR_INVALID;
		p[3] = (uint8_t)(m->error.code << 1);
		put16(p + 6, m->error.pointer);
		break;
	}
	return flen;
}

ssize_t shim6_msg_encode(const struct shim6_msg *m, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t room = len < SHIM6_MAX_HDR_LEN ? len : SHIM6_MAX_HDR_LEN;
	size_t total;
	int flen, olen;

	if (m->nopts > SHIM6_MAX_OPTS)
		return -SHIM6_WERR_INVALID;
	if (len < 16)
		return -SHIM6_WERR_NOSPACE;
	memset(p, 0, room);
	flen = encode_fixed(m, p, room);
	if (flen < 0)
		return flen;
	if (m->type == SHIM6_TYPE_ERROR) {
		/* The packet in error, zero-padded to a multiple of 8 and to 16 in all. */
		if (m->nopts || (m->error.len && !m->error.data))
			return -SHIM6_WERR_INVALID;
		total = (8 + (size_t)m->error.len + 7) & ~(size_t)7;
		if (total < 16)
			total = 16;
		if (total > room)
			return total > SHIM6_MAX_HDR_LEN ? -SHIM6_WERR_INVALID : -SHIM6_WERR_NOSPACE;
		if (m->error.len)
			memcpy(p + 8, m->error.data, m->error.len);
	} else {
		olen = wire_opts_encode(m, p + flen, room - (size_t)flen);
		/* Past 2048 bytes no buffer helps: Hdr Ext Len cannot say it. */
		if (olen == -SHIM6_WERR_NOSPACE && len >= SHIM6_MAX_HDR_LEN)
			return -SHIM6_WERR_INVALID;
		if (olen < 0)
			return olen;
		total = (size_t)flen + (size_t)olen;
	}
	if (total > SHIM6_MAX_HDR_LEN)
		return -SHIM6_WERR_INVALID;
	p[0] = m->next_hdr;
	p[1] = (uint8_t)(total / 8 - 1);
	p[2] = m->type & 0x7f; /* P = 0 */
	shim6_csum_set(p, total);
	return (ssize_t)total;
}
