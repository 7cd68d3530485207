// SPDX-License-Identifier: GPL-2.0
/*
 * Shim6 header printer: one block per message, fields named as in RFC 5533
 * and RFC 5534 in text, snake_case keys in JSON (tags and nonces as "0x..."
 * strings, addresses as strings, lengths and counts as numbers).
 */
#include <inttypes.h>
#include <stdio.h>

#include "ctl/common/print.h"
#include "ctl/common/wire_print.h"

static int ind;

/* Text format "<indent><label> <conv>\n" for a value printed with conv. */
static const char *fmt(const char *label, const char *conv)
{
	static char f[160];

	snprintf(f, sizeof(f), "%*s%s %s\n", ind, "", label, conv);
	return f;
}

static void f_hex(const char *key, const char *label, uint64_t v)
{
	print_hex(PRINT_ANY, key, fmt(label, "%s"), v);
}

static void f_uint(const char *key, const char *label, uint64_t v)
{
	print_uint(PRINT_ANY, key, fmt(label, "%" PRIu64), v);
}

static void f_str(const char *key, const char *label, const char *s)
{
	print_string(PRINT_ANY, key, fmt(label, "%s"), s);
}

static void f_in6(const char *key, const char *label, const uint8_t *a)
{
	print_in6(PRINT_ANY, key, fmt(label, "%s"), a);
}

static void f_bytes(const char *key, const char *label, const uint8_t *b, unsigned int n)
{
	print_hexbuf(PRINT_ANY, key, fmt(label, "%s"), b, n);
}

static void print_report(const struct shim6_probe_report *r, const char *what, unsigned int i)
{
	print_open_object(NULL);
	print_text("%*s%s probe %u\n", ind, "", what, i + 1);
	ind += 2;
	f_in6("source", "Source address", r->src);
	f_in6("destination", "Destination address", r->dst);
	f_hex("nonce", "Probe Nonce", r->nonce);
	f_hex("data", "Probe Data", r->data);
	ind -= 2;
	print_close_object();
}

static void print_fixed(const struct shim6_msg *m)
{
	unsigned int i;

	switch (m->type) {
	case SHIM6_TYPE_I1:
		f_hex("initiator_context_tag", "Initiator Context Tag", m->i1.init_tag);
		f_hex("initiator_nonce", "Initiator Nonce", m->i1.init_nonce);
		break;
	case SHIM6_TYPE_R1:
		f_hex("initiator_nonce", "Initiator Nonce", m->r1.init_nonce);
		f_hex("responder_nonce", "Responder Nonce", m->r1.resp_nonce);
		break;
	case SHIM6_TYPE_I2:
		f_hex("initiator_context_tag", "Initiator Context Tag", m->i2.init_tag);
		f_hex("initiator_nonce", "Initiator Nonce", m->i2.init_nonce);
		f_hex("responder_nonce", "Responder Nonce", m->i2.resp_nonce);
		break;
	case SHIM6_TYPE_R2:
		f_hex("responder_context_tag", "Responder Context Tag", m->r2.resp_tag);
		f_hex("initiator_nonce", "Initiator Nonce", m->r2.init_nonce);
		break;
	case SHIM6_TYPE_R1BIS:
		f_hex("packet_context_tag", "Packet Context Tag", m->r1bis.pkt_tag);
		f_hex("responder_nonce", "Responder Nonce", m->r1bis.resp_nonce);
		break;
	case SHIM6_TYPE_I2BIS:
		f_hex("initiator_context_tag", "Initiator Context Tag", m->i2bis.init_tag);
		f_hex("initiator_nonce", "Initiator Nonce", m->i2bis.init_nonce);
		f_hex("responder_nonce", "Responder Nonce", m->i2bis.resp_nonce);
		f_hex("packet_context_tag", "Packet Context Tag", m->i2bis.pkt_tag);
		break;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
		f_hex("receiver_context_tag", "Receiver Context Tag", m->update.recv_tag);
		f_hex("request_nonce", "Request Nonce", m->update.req_nonce);
		break;
	case SHIM6_TYPE_KEEPALIVE:
		f_hex("receiver_context_tag", "Receiver Context Tag", m->keepalive.recv_tag);
		break;
	case SHIM6_TYPE_PROBE:
		f_hex("receiver_context_tag", "Receiver Context Tag", m->probe.recv_tag);
		f_uint("psent", "Psent", m->probe.psent);
		f_uint("precvd", "Precvd", m->probe.precvd);
		f_str("state", "Sta", shim6_probe_state_name(m->probe.state));
		print_open_array("probes_sent");
		for (i = 0; i < m->probe.psent; i++)
			print_report(&m->probe.sent[i], "sent", i);
		print_close_array();
		print_open_array("probes_received");
		for (i = 0; i < m->probe.precvd; i++)
			print_report(&m->probe.recvd[i], "received", i);
		print_close_array();
		break;
	case SHIM6_TYPE_ERROR: {
		const char *cn = shim6_error_code_name(m->error.code);

		print_uint(PRINT_JSON, "error_code", NULL, m->error.code);
		print_string(PRINT_JSON, "error_name", NULL, cn ? cn : "unknown");
		print_text("%*sError Code %u (%s)\n", ind, "", m->error.code, cn ? cn : "unknown");
		f_uint("pointer", "Pointer", m->error.pointer);
		f_bytes("packet_in_error", "Packet in error", m->error.data, m->error.len);
		break;
	}
	}
}

static void print_loclist(const struct shim6_opt_loclist *l)
{
	unsigned int i;

	f_uint("generation", "Locator List Generation", l->gen);
	f_uint("num_locators", "Num Locators", l->count);
	print_open_array("locators");
	for (i = 0; i < l->count; i++) {
		print_open_object(NULL);
		print_in6(PRINT_ANY, "address", fmt("Locator", "%s"), l->locators + 16 * i);
		print_uint(PRINT_JSON, "verification_method", NULL, l->methods[i]);
		print_string(PRINT_JSON, "verification_method_name", NULL,
			     shim6_verif_method_name(l->methods[i]));
		/* Text: the method on the same line as the locator. */
		print_text("%*s  verification method %u (%s)\n", ind, "", l->methods[i],
			   shim6_verif_method_name(l->methods[i]));
		print_close_object();
	}
	print_close_array();
}

static void print_locpref(const struct shim6_opt_locpref *p)
{
	unsigned int i;

	f_uint("generation", "Locator List Generation", p->gen);
	f_uint("element_len", "Element Len", p->elem_len);
	print_open_array("elements");
	for (i = 0; i < p->count; i++) {
		uint8_t fl, pr, w;

		shim6_locpref_get(p, i, &fl, &pr, &w);
		print_open_object(NULL);
		print_text("%*sElement[%u] flags 0x%02x%s%s", ind, "", i + 1, fl,
			   fl & SHIM6_LOCPREF_BROKEN ? " BROKEN" : "",
			   fl & SHIM6_LOCPREF_TRANSIENT ? " TRANSIENT" : "");
		print_hex(PRINT_JSON, "flags", NULL, fl);
		print_bool(PRINT_JSON, "broken", NULL, fl & SHIM6_LOCPREF_BROKEN);
		print_bool(PRINT_JSON, "transient", NULL, fl & SHIM6_LOCPREF_TRANSIENT);
		if (p->elem_len >= 2)
			print_uint(PRINT_ANY, "priority", " priority %" PRIu64, pr);
		if (p->elem_len >= 3)
			print_uint(PRINT_ANY, "weight", " weight %" PRIu64, w);
		print_text("\n");
		print_close_object();
	}
	print_close_array();
}

static void print_opt(const struct shim6_opt *o, uint8_t msg_type)
{
	const char *name = shim6_opt_type_name(o->type);
	bool ignored = o->flags & SHIM6_OPTF_IGNORED;

	print_open_object(NULL);
	print_uint(PRINT_JSON, "type", NULL, o->type);
	print_string(PRINT_JSON, "name", NULL, name ? name : "unknown");
	print_bool(PRINT_JSON, "critical", NULL, o->critical);
	print_uint(PRINT_JSON, "length", NULL, o->len);
	print_uint(PRINT_JSON, "offset", NULL, o->offset);
	print_bool(PRINT_JSON, "ignored", NULL, ignored);
	print_text("%*soption %s (type %u, C=%d, Length %u) at offset %u\n", ind, "",
		   name ? name : "unknown", o->type, o->critical, o->len, o->offset);
	ind += 2;
	if (ignored) {
		const char *mt = shim6_msg_type_name(msg_type);
		char why[96];

		if (name)
			snprintf(why, sizeof(why), "not defined for %s", mt ? mt : "this message");
		else
			snprintf(why, sizeof(why), "unknown option type");
		print_string(PRINT_JSON, "ignored_reason", NULL, why);
		print_text("%*signored (C=0): %s\n", ind, "", why);
	}
	if (!(o->flags & SHIM6_OPTF_TYPED)) {
		f_bytes("contents", "Contents", o->data, o->len);
	} else {
		switch (o->type) {
		case SHIM6_OPT_RESP_VALIDATOR:
			f_bytes("validator", "Validator", o->data, o->len);
			break;
		case SHIM6_OPT_LOC_LIST:
			print_loclist(&o->u.loclist);
			break;
		case SHIM6_OPT_LOC_PREF:
			print_locpref(&o->u.locpref);
			break;
		case SHIM6_OPT_CGA_PDS:
			f_bytes("cga_parameters", "CGA Parameter Data Structure", o->data, o->len);
			break;
		case SHIM6_OPT_CGA_SIG:
			f_bytes("cga_signature", "CGA Signature", o->data, o->len);
			break;
		case SHIM6_OPT_ULID_PAIR:
			f_in6("sender_ulid", "Sender ULID", o->u.ulid.sender);
			f_in6("receiver_ulid", "Receiver ULID", o->u.ulid.receiver);
			break;
		case SHIM6_OPT_FII:
			f_hex("forked_instance_id", "Forked Instance Identifier", o->u.fii);
			break;
		case SHIM6_OPT_KA_TIMEOUT:
			f_uint("keepalive_timeout", "Keepalive Timeout (s)", o->u.ka_timeout);
			break;
		}
	}
	if (o->flags & SHIM6_OPTF_PAD_NONZERO) {
		print_bool(PRINT_JSON, "padding_nonzero", NULL, true);
		print_text("%*swarning: non-zero padding (ignored on receipt)\n", ind, "");
	}
	ind -= 2;
	print_close_object();
}

static const struct {
	uint32_t bit;
	const char *key, *text;
} warnings[] = {
	{ SHIM6_WARN_NEXT_HDR, "next_header_not_59", "Next Header is not NO_NXT_HDR (59)" },
	{ SHIM6_WARN_RESERVED, "reserved_nonzero", "a reserved field is non-zero (ignored)" },
	{ SHIM6_WARN_PADDING, "padding_nonzero", "option padding is non-zero (ignored)" },
	{ SHIM6_WARN_IGNORED_OPT, "option_ignored", "an option was skipped (C=0)" },
};

void shim6_print_msg(const struct shim6_msg *m, int indent)
{
	const char *tn = shim6_msg_type_name(m->type);
	unsigned int i;

	ind = indent;
	print_bool(PRINT_JSON, "valid", NULL, true);
	print_uint(PRINT_JSON, "p", NULL, 0);
	print_uint(PRINT_JSON, "type", NULL, m->type);
	print_string(PRINT_JSON, "type_name", NULL, tn);
	print_uint(PRINT_JSON, "next_header", NULL, m->next_hdr);
	print_uint(PRINT_JSON, "hdr_ext_len", NULL, m->hdr_ext_len);
	print_uint(PRINT_JSON, "length", NULL, m->length);
	print_hex(PRINT_JSON, "checksum", NULL, m->checksum);
	print_text("%*s%s (type %u), %u bytes, Next Header %u, Hdr Ext Len %u, Checksum 0x%04x\n",
		   ind, "", tn ? tn : "?", m->type, m->length, m->next_hdr, m->hdr_ext_len,
		   m->checksum);
	ind += 2;
	print_fixed(m);
	print_open_array("options");
	for (i = 0; i < m->nopts; i++)
		print_opt(&m->opts[i], m->type);
	print_close_array();
	print_open_array("warnings");
	for (i = 0; i < sizeof(warnings) / sizeof(warnings[0]); i++) {
		if (!(m->warnings & warnings[i].bit))
			continue;
		print_string(PRINT_JSON, NULL, NULL, warnings[i].key);
		print_text("%*swarning: %s\n", ind, "", warnings[i].text);
	}
	print_close_array();
	ind -= 2;
}

static int print_payload(const uint8_t *p, size_t len, int indent, struct shim6_wire_diag *d)
{
	struct shim6_payload_hdr ph;
	int err = shim6_payload_decode(p, len, &ph, d);

	if (err)
		return err;
	print_bool(PRINT_JSON, "valid", NULL, true);
	print_uint(PRINT_JSON, "p", NULL, 1);
	print_string(PRINT_JSON, "type_name", NULL, "Payload Extension Header");
	print_uint(PRINT_JSON, "next_header", NULL, ph.next_hdr);
	print_hex(PRINT_JSON, "receiver_context_tag", NULL, ph.tag);
	print_text("%*sPayload Extension Header (P=1), 8 bytes, Next Header %u, "
		   "Receiver Context Tag 0x%" PRIx64 "\n",
		   indent, "", ph.next_hdr, ph.tag);
	return 0;
}

static void print_defect(const struct shim6_wire_diag *d, size_t len, int indent)
{
	const char *tn = d->msg_type ? shim6_msg_type_name(d->msg_type) : NULL;
	char reason[256];

	shim6_wire_diag_format(d, reason, sizeof(reason));
	print_bool(PRINT_JSON, "valid", NULL, false);
	if (d->msg_type) {
		print_uint(PRINT_JSON, "type", NULL, d->msg_type);
		print_string(PRINT_JSON, "type_name", NULL, tn);
	}
	print_uint(PRINT_JSON, "length", NULL, len);
	print_string(PRINT_JSON, "defect", NULL, shim6_wire_errname(d->err));
	print_uint(PRINT_JSON, "defect_code", NULL, (uint64_t)d->err);
	print_uint(PRINT_JSON, "defect_offset", NULL, d->offset);
	print_string(PRINT_JSON, "reason", NULL, reason);
	if (d->rfc_code >= 0)
		print_uint(PRINT_JSON, "rfc_error_code", NULL, (uint64_t)d->rfc_code);
	if (tn)
		print_text("%*sMALFORMED %s (type %u), %zu bytes: %s\n", indent, "", tn,
			   d->msg_type, len, reason);
	else
		print_text("%*sMALFORMED Shim6 header, %zu bytes: %s\n", indent, "", len, reason);
}

int shim6_print_header(const void *buf, size_t len, unsigned int flags, int indent)
{
	static struct shim6_msg m;
	struct shim6_wire_diag d;
	int err;

	if (shim6_is_payload(buf, len)) {
		err = print_payload(buf, len, indent, &d);
		if (!err)
			return 0;
	} else {
		err = shim6_msg_decode(buf, len, flags, &m, &d);
		if (!err) {
			shim6_print_msg(&m, indent);
			if (len > m.length) {
				/* Not part of the header (nor of its checksum). */
				print_uint(PRINT_JSON, "trailing_bytes", NULL, len - m.length);
				print_text("%*s  %zu bytes follow the header (Next Header %u)\n", indent,
					   "", len - m.length, m.next_hdr);
			}
			return 0;
		}
	}
	print_defect(&d, len, indent);
	return err;
}
