// SPDX-License-Identifier: GPL-2.0
/*
 * Shim6 option TLVs (RFC 5533 §5.15, RFC 5534 §5.3).
 *
 *   Type (15 bits) | C | Length (16 bits) | Contents | Padding to 8
 *
 * Length counts the Contents only; the padded total is a multiple of 8.
 * An option that is unknown, or known but not defined for the message type,
 * is skipped when C=0 (and reported: SHIM6_OPTF_IGNORED) and fails the whole
 * message when C=1 (the receiver answers with Error code 1 pointing at the
 * option's Type field).
 */
#include <string.h>

#include "wire/shim6_wire.h"
#include "wire/wire_int.h"

#define BIT(t) (1u << (t))
#define ESTABLISH_OPTS                                                                    \
	(BIT(SHIM6_OPT_LOC_LIST) | BIT(SHIM6_OPT_LOC_PREF) | BIT(SHIM6_OPT_CGA_PDS) |     \
	 BIT(SHIM6_OPT_CGA_SIG) | BIT(SHIM6_OPT_KA_TIMEOUT))

/* Options each message type defines (RFC 5533 §5.4-5.11, RFC 5534 §5.3). */
static uint32_t allowed_mask(uint8_t msg_type)
{
	switch (msg_type) {
	case SHIM6_TYPE_I1:
		return BIT(SHIM6_OPT_ULID_PAIR) | BIT(SHIM6_OPT_FII);
	case SHIM6_TYPE_R1:
	case SHIM6_TYPE_R1BIS:
		return BIT(SHIM6_OPT_RESP_VALIDATOR);
	case SHIM6_TYPE_I2:
	case SHIM6_TYPE_I2BIS:
		return BIT(SHIM6_OPT_RESP_VALIDATOR) | BIT(SHIM6_OPT_ULID_PAIR) |
		       BIT(SHIM6_OPT_FII) | ESTABLISH_OPTS;
	case SHIM6_TYPE_R2:
	case SHIM6_TYPE_UPDATE_REQ:
		return ESTABLISH_OPTS;
	default: /* Update Ack, Keepalive, Probe, Error: none defined */
		return 0;
	}
}

static bool known_opt(uint16_t type)
{
	return (type >= SHIM6_OPT_RESP_VALIDATOR && type <= SHIM6_OPT_FII) ||
	       type == SHIM6_OPT_KA_TIMEOUT;
}

bool shim6_opt_allowed(uint8_t msg_type, uint16_t opt_type)
{
	return known_opt(opt_type) && (allowed_mask(msg_type) & BIT(opt_type));
}

const uint8_t *shim6_loclist_locator(const struct shim6_opt_loclist *l, unsigned int i)
{
	return i < l->count ? l->locators + 16 * i : NULL;
}

void shim6_locpref_get(const struct shim6_opt_locpref *p, unsigned int i, uint8_t *flags,
		       uint8_t *priority, uint8_t *weight)
{
	const uint8_t *e = p->elems + (size_t)i * p->elem_len;

	*flags = *priority = *weight = 0;
	if (i >= p->count || p->elem_len == 0)
		return;
	*flags = e[0];
	if (p->elem_len >= 2)
		*priority = e[1];
	if (p->elem_len >= 3)
		*weight = e[2];
}

/* Where the locators of a Locator List start, from the start of the Contents. */
static uint32_t loclist_locs_off(unsigned int n)
{
	/* generation (4) + Num Locators (1) + N methods, padded so that the
	 * locators start on an 8-byte boundary of the option (4-byte header). */
	return 4 + ((1 + n + 7) & ~7u);
}

/*
 * The typed view of a known option.  `o` has type, len and data set; off is
 * the option's offset in the header (errors point into it).
 */
static int decode_typed(struct shim6_opt *o, struct shim6_wire_diag *d)
{
	const uint8_t *c = o->data;
	uint32_t off = o->offset, want;

	switch (o->type) {
	case SHIM6_OPT_RESP_VALIDATOR:
	case SHIM6_OPT_CGA_PDS:
	case SHIM6_OPT_CGA_SIG:
		if (o->len == 0)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, 0, 1);
		break;
	case SHIM6_OPT_LOC_LIST:
		if (o->len < 5)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, o->len, 5);
		o->u.loclist.gen = get32(c);
		o->u.loclist.count = c[4];
		if (c[4] == 0)
			return wire_fail(d, SHIM6_WERR_LOCLIST_EMPTY, off + 8, 0, 1);
		want = loclist_locs_off(c[4]) + 16u * c[4];
		if (o->len != want)
			return wire_fail(d, SHIM6_WERR_LOCLIST_COUNT, off + 8, o->len, want);
		o->u.loclist.methods = c + 5;
		o->u.loclist.locators = c + loclist_locs_off(c[4]);
		/* Internal padding between the methods and the locators. */
		for (want = 5u + c[4]; want < loclist_locs_off(c[4]); want++)
			if (c[want])
				o->flags |= SHIM6_OPTF_PAD_NONZERO;
		break;
	case SHIM6_OPT_LOC_PREF:
		if (o->len < 5)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, o->len, 5);
		o->u.locpref.gen = get32(c);
		o->u.locpref.elem_len = c[4];
		if (c[4] == 0)
			return wire_fail(d, SHIM6_WERR_LOCPREF_ELEMLEN, off + 8, 0, 1);
		if (o->len == 5 || (o->len - 5u) % c[4])
			return wire_fail(d, SHIM6_WERR_LOCPREF_COUNT, off + 2, o->len - 5u, c[4]);
		o->u.locpref.count = (uint16_t)((o->len - 5u) / c[4]);
		o->u.locpref.elems = c + 5;
		break;
	case SHIM6_OPT_ULID_PAIR:
		if (o->len != 36)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, o->len, 36);
		memcpy(o->u.ulid.sender, c + 4, 16);
		memcpy(o->u.ulid.receiver, c + 20, 16);
		break;
	case SHIM6_OPT_FII:
		if (o->len != 4)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, o->len, 4);
		o->u.fii = get32(c);
		break;
	case SHIM6_OPT_KA_TIMEOUT:
		if (o->len != 4)
			return wire_fail(d, SHIM6_WERR_OPT_LEN, off + 2, o->len, 4);
		o->u.ka_timeout = get16(c + 2);
		break;
	default:
		return 0;
	}
	o->flags |= SHIM6_OPTF_TYPED;
	return 0;
}

/* Reserved fields inside options (ULID Pair Reserved2, KA Timeout Reserved). */
static bool opt_reserved_set(const struct shim6_opt *o)
{
	if (!(o->flags & SHIM6_OPTF_TYPED))
		return false;
	if (o->type == SHIM6_OPT_ULID_PAIR)
		return o->data[0] || o->data[1] || o->data[2] || o->data[3];
	if (o->type == SHIM6_OPT_KA_TIMEOUT)
		return o->data[0] || o->data[1];
	return false;
}

int wire_opts_decode(const uint8_t *hdr, uint32_t start, uint32_t end, unsigned int flags,
		     struct shim6_msg *m, struct shim6_wire_diag *d)
{
	uint32_t off = start;

	m->nopts = 0;
	while (off < end) {
		struct shim6_opt *o;
		uint16_t tc, len;
		uint32_t total, i;
		int err;

		if (end - off < 4)
			return wire_fail(d, SHIM6_WERR_OPT_TRUNC, off, end - off, 4);
		tc = get16(hdr + off);
		len = get16(hdr + off + 2);
		total = shim6_opt_total_len(len);
		if (total > end - off) {
			d->opt_type = tc >> 1;
			return wire_fail(d, SHIM6_WERR_OPT_PAST_END, off + 2, end - off, total);
		}
		if (m->nopts == SHIM6_MAX_OPTS)
			return wire_fail(d, SHIM6_WERR_TOO_MANY_OPTS, off, m->nopts + 1,
					 SHIM6_MAX_OPTS);
		o = &m->opts[m->nopts];
		memset(o, 0, sizeof(*o));
		o->type = tc >> 1;
		o->critical = tc & 1;
		o->offset = (uint16_t)off;
		o->len = len;
		o->data = hdr + off + 4;
		for (i = 4 + len; i < total; i++) {
			if (hdr[off + i]) {
				o->flags |= SHIM6_OPTF_PAD_NONZERO;
				break;
			}
		}
		if (!shim6_opt_allowed(m->type, o->type)) {
			if (o->critical) {
				d->rfc_code = SHIM6_ERR_CRITICAL_OPT;
				d->opt_type = o->type;
				return wire_fail(d, SHIM6_WERR_OPT_CRITICAL, off, o->type, 0);
			}
			/* Skipped; still decoded for display when the type is known. */
			o->flags |= SHIM6_OPTF_IGNORED;
			m->warnings |= SHIM6_WARN_IGNORED_OPT;
			if (known_opt(o->type)) {
				struct shim6_wire_diag scratch;

				if (decode_typed(o, &scratch) < 0)
					o->flags &= ~SHIM6_OPTF_TYPED;
			}
		} else {
			err = decode_typed(o, d);
			if (err) {
				d->opt_type = o->type;
				return err;
			}
			if (opt_reserved_set(o))
				m->warnings |= SHIM6_WARN_RESERVED;
		}
		if (o->flags & SHIM6_OPTF_PAD_NONZERO) {
			if (flags & SHIM6_DEC_STRICT) {
				d->opt_type = o->type;
				return wire_fail(d, SHIM6_WERR_OPT_PADDING, off, 1, 0);
			}
			m->warnings |= SHIM6_WARN_PADDING;
		}
		m->nopts++;
		off += total;
	}
	return 0;
}

/* Rules across options: no duplicates, MUST options, preference count. */
int wire_opts_check(const struct shim6_msg *m, struct shim6_wire_diag *d)
{
	const struct shim6_opt *ll, *lp;
	uint32_t seen = 0;
	unsigned int i;

	for (i = 0; i < m->nopts; i++) {
		const struct shim6_opt *o = &m->opts[i];

		if (o->flags & SHIM6_OPTF_IGNORED)
			continue;
		if (seen & BIT(o->type)) {
			d->opt_type = o->type;
			return wire_fail(d, SHIM6_WERR_OPT_DUPLICATE, o->offset, 2, 1);
		}
		seen |= BIT(o->type);
	}
	if ((m->type == SHIM6_TYPE_R1 || m->type == SHIM6_TYPE_I2) &&
	    !(seen & BIT(SHIM6_OPT_RESP_VALIDATOR))) {
		d->opt_type = SHIM6_OPT_RESP_VALIDATOR;
		return wire_fail(d, SHIM6_WERR_OPT_MISSING, m->length, 0, 1);
	}
	ll = shim6_msg_find_opt(m, SHIM6_OPT_LOC_LIST);
	lp = shim6_msg_find_opt(m, SHIM6_OPT_LOC_PREF);
	if (ll && lp && ll->u.loclist.gen == lp->u.locpref.gen &&
	    ll->u.loclist.count != lp->u.locpref.count) {
		d->opt_type = SHIM6_OPT_LOC_PREF;
		d->rfc_code = SHIM6_ERR_LOC_COUNT;
		return wire_fail(d, SHIM6_WERR_LOCPREF_MISMATCH, lp->offset, lp->u.locpref.count,
				 ll->u.loclist.count);
	}
	return 0;
}

/* Contents of a typed option, written at c (zeroed); returns its length or -err. */
static int encode_typed(const struct shim6_opt *o, uint8_t *c, size_t room)
{
	unsigned int n, i;
	size_t need;

	switch (o->type) {
	case SHIM6_OPT_LOC_LIST:
		n = o->u.loclist.count;
		if (n == 0 || !o->u.loclist.methods || !o->u.loclist.locators)
			return -SHIM6_WERR_INVALID;
		need = loclist_locs_off(n) + 16 * n;
		if (need > room)
			return -SHIM6_WERR_NOSPACE;
		put32(c, o->u.loclist.gen);
		c[4] = (uint8_t)n;
		memcpy(c + 5, o->u.loclist.methods, n);
		for (i = 0; i < n; i++)
			memcpy(c + loclist_locs_off(n) + 16 * i, o->u.loclist.locators + 16 * i, 16);
		return (int)need;
	case SHIM6_OPT_LOC_PREF:
		if (o->u.locpref.elem_len == 0 || o->u.locpref.count == 0 || !o->u.locpref.elems)
			return -SHIM6_WERR_INVALID;
		need = 5 + (size_t)o->u.locpref.elem_len * o->u.locpref.count;
		if (need > 0xffff)
			return -SHIM6_WERR_INVALID;
		if (need > room)
			return -SHIM6_WERR_NOSPACE;
		put32(c, o->u.locpref.gen);
		c[4] = o->u.locpref.elem_len;
		memcpy(c + 5, o->u.locpref.elems, need - 5);
		return (int)need;
	case SHIM6_OPT_ULID_PAIR:
		if (room < 36)
			return -SHIM6_WERR_NOSPACE;
		memcpy(c + 4, o->u.ulid.sender, 16);
		memcpy(c + 20, o->u.ulid.receiver, 16);
		return 36;
	case SHIM6_OPT_FII:
		if (room < 4)
			return -SHIM6_WERR_NOSPACE;
		put32(c, o->u.fii);
		return 4;
	case SHIM6_OPT_KA_TIMEOUT:
		if (room < 4)
			return -SHIM6_WERR_NOSPACE;
		put16(c + 2, o->u.ka_timeout);
		return 4;
	default: /* validator, CGA PDS, CGA Signature: the contents are data/len */
		if (o->len == 0 || !o->data)
			return -SHIM6_WERR_INVALID;
		if (o->len > room)
			return -SHIM6_WERR_NOSPACE;
		memcpy(c, o->data, o->len);
		return o->len;
	}
}

int wire_opts_encode(const struct shim6_msg *m, uint8_t *buf, size_t room)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < m->nopts; i++) {
		const struct shim6_opt *o = &m->opts[i];
		int clen;

		if (o->type > 0x7fff)
			return -SHIM6_WERR_INVALID;
		if (room - off < 4)
			return -SHIM6_WERR_NOSPACE;
		if (o->flags & SHIM6_OPTF_TYPED) {
			clen = encode_typed(o, buf + off + 4, room - off - 4);
			if (clen < 0)
				return clen;
		} else {
			if (o->len && !o->data)
				return -SHIM6_WERR_INVALID;
			if (o->len > room - off - 4)
				return -SHIM6_WERR_NOSPACE;
			if (o->len)
				memcpy(buf + off + 4, o->data, o->len);
			clen = o->len;
		}
		if (shim6_opt_total_len((unsigned int)clen) > room - off)
			return -SHIM6_WERR_NOSPACE;
		put16(buf + off, (uint16_t)(o->type << 1 | o->critical));
		put16(buf + off + 2, (uint16_t)clen);
		off += shim6_opt_total_len((unsigned int)clen); /* padding already zero */
	}
	return (int)off;
}

static struct shim6_opt *add_opt(struct shim6_msg *m, uint16_t type)
{
	struct shim6_opt *o;

	if (m->nopts >= SHIM6_MAX_OPTS)
		return NULL;
	o = &m->opts[m->nopts++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->flags = SHIM6_OPTF_TYPED;
	return o;
}

int shim6_msg_add_validator(struct shim6_msg *m, const void *v, uint16_t len)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_RESP_VALIDATOR);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->data = v;
	o->len = len;
	return 0;
}

int shim6_msg_add_loclist(struct shim6_msg *m, uint32_t gen, uint8_t count,
			  const uint8_t *methods, const uint8_t (*locators)[16])
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_LOC_LIST);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->u.loclist.gen = gen;
	o->u.loclist.count = count;
	o->u.loclist.methods = methods;
	o->u.loclist.locators = locators ? &locators[0][0] : NULL;
	return 0;
}

int shim6_msg_add_locpref(struct shim6_msg *m, uint32_t gen, uint8_t elem_len, uint16_t count,
			  const uint8_t *elems)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_LOC_PREF);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->u.locpref.gen = gen;
	o->u.locpref.elem_len = elem_len;
	o->u.locpref.count = count;
	o->u.locpref.elems = elems;
	return 0;
}

int shim6_msg_add_cga_pds(struct shim6_msg *m, const void *pds, uint16_t len)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_CGA_PDS);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->data = pds;
	o->len = len;
	return 0;
}

int shim6_msg_add_cga_sig(struct shim6_msg *m, const void *sig, uint16_t len)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_CGA_SIG);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->data = sig;
	o->len = len;
	return 0;
}

int shim6_msg_add_ulid_pair(struct shim6_msg *m, const uint8_t sender[16],
			    const uint8_t receiver[16])
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_ULID_PAIR);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	memcpy(o->u.ulid.sender, sender, 16);
	memcpy(o->u.ulid.receiver, receiver, 16);
	return 0;
}

int shim6_msg_add_fii(struct shim6_msg *m, uint32_t fii)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_FII);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->u.fii = fii;
	return 0;
}

int shim6_msg_add_ka_timeout(struct shim6_msg *m, uint16_t seconds)
{
	struct shim6_opt *o = add_opt(m, SHIM6_OPT_KA_TIMEOUT);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->u.ka_timeout = seconds;
	return 0;
}

int shim6_msg_add_raw(struct shim6_msg *m, uint16_t type, bool critical, const void *data,
		      uint16_t len)
{
	struct shim6_opt *o = add_opt(m, type);

	if (!o)
		return -SHIM6_WERR_TOO_MANY_OPTS;
	o->flags = 0; /* written from data/len */
	o->critical = critical;
	o->data = data;
	o->len = len;
	return 0;
}
