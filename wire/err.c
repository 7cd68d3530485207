// SPDX-License-Identifier: GPL-2.0
/* Names of message types, options, codes and decoding errors; precise reasons. */
#include <stdio.h>

#include "wire/shim6_wire.h"

static const struct {
	const char *name; /* snake_case, for JSON and scripts */
	const char *text; /* one sentence */
} errs[SHIM6_WERR_MAX_] = {
	[SHIM6_WIRE_OK] = { "ok", "no error" },
	[SHIM6_WERR_TRUNC_COMMON] = { "truncated", "shorter than the 8-byte common Shim6 header" },
	[SHIM6_WERR_HDRLEN_PAST_END] = { "hdr_ext_len_past_end",
					 "Hdr Ext Len claims more bytes than the packet holds" },
	[SHIM6_WERR_HDRLEN_TOO_SMALL] = { "hdr_ext_len_too_small",
					  "Hdr Ext Len is below the minimum for the message type" },
	[SHIM6_WERR_PAYLOAD_HDRLEN] = { "payload_hdr_ext_len",
					"payload extension header (P=1) with Hdr Ext Len not 0" },
	[SHIM6_WERR_NOT_CONTROL] = { "not_control",
				     "P=1: a payload extension header, not a control message" },
	[SHIM6_WERR_NOT_PAYLOAD] = { "not_payload",
				     "P=0: a control message, not a payload extension header" },
	[SHIM6_WERR_S_BIT] = { "s_bit_set", "S bit is 1: a HIP-format message, not Shim6" },
	[SHIM6_WERR_CHECKSUM] = { "bad_checksum", "checksum does not verify" },
	[SHIM6_WERR_UNKNOWN_TYPE] = { "unknown_type", "unknown message type (Error code 0)" },
	[SHIM6_WERR_OPT_TRUNC] = { "option_truncated",
				   "fewer than 4 bytes left for an option header" },
	[SHIM6_WERR_OPT_PAST_END] = { "option_past_end",
				      "option Length plus padding runs past the end of the header" },
	[SHIM6_WERR_OPT_PADDING] = { "bad_padding", "option padding is not zero" },
	[SHIM6_WERR_OPT_CRITICAL] = { "unknown_critical_option",
				      "unrecognized option with the C bit set (Error code 1)" },
	[SHIM6_WERR_OPT_LEN] = { "option_length", "option Length is invalid for its type" },
	[SHIM6_WERR_OPT_DUPLICATE] = { "duplicate_option", "the same option appears twice" },
	[SHIM6_WERR_OPT_MISSING] = { "missing_option", "a mandatory option is missing" },
	[SHIM6_WERR_TOO_MANY_OPTS] = { "too_many_options", "more options than the decoder keeps" },
	[SHIM6_WERR_LOCLIST_EMPTY] = { "locator_list_empty", "Locator List with Num Locators 0" },
	[SHIM6_WERR_LOCLIST_COUNT] = { "locator_count",
				       "Num Locators does not fit the Locator List option Length" },
	[SHIM6_WERR_LOCPREF_ELEMLEN] = { "element_len_zero",
					 "Locator Preferences with Element Len 0" },
	[SHIM6_WERR_LOCPREF_COUNT] = { "element_count",
				       "Locator Preferences elements are not a whole positive number" },
	[SHIM6_WERR_LOCPREF_MISMATCH] = {
		"preference_count_mismatch",
		"Locator Preferences count differs from the Locator List of the same generation (Error code 4)" },
	[SHIM6_WERR_PROBE_PSENT] = { "probe_psent_zero", "Probe with Psent 0" },
	[SHIM6_WERR_PROBE_REPORTS] = { "probe_reports_past_end",
				       "Probe reports (Psent + Precvd) do not fit Hdr Ext Len" },
	[SHIM6_WERR_PROBE_STATE] = { "probe_state", "Probe Sta field is 3 (not a REAP state)" },
	[SHIM6_WERR_NOSPACE] = { "no_space", "output buffer too small" },
	[SHIM6_WERR_INVALID] = { "invalid_field", "a field is out of range for encoding" },
};

static int idx(int err)
{
	if (err < 0)
		err = -err;
	return err < SHIM6_WERR_MAX_ && errs[err].name ? err : -1;
}

const char *shim6_wire_strerror(int err)
{
	int i = idx(err);

	return i < 0 ? "unknown wire error" : errs[i].text;
}

const char *shim6_wire_errname(int err)
{
	int i = idx(err);

	return i < 0 ? "unknown" : errs[i].name;
}

const char *shim6_msg_type_name(uint8_t type)
{
	switch (type) {
	case SHIM6_TYPE_I1: return "I1";
	case SHIM6_TYPE_R1: return "R1";
	case SHIM6_TYPE_I2: return "I2";
	case SHIM6_TYPE_R2: return "R2";
	case SHIM6_TYPE_R1BIS: return "R1bis";
	case SHIM6_TYPE_I2BIS: return "I2bis";
	case SHIM6_TYPE_UPDATE_REQ: return "Update Request";
	case SHIM6_TYPE_UPDATE_ACK: return "Update Acknowledgement";
	case SHIM6_TYPE_KEEPALIVE: return "Keepalive";
	case SHIM6_TYPE_PROBE: return "Probe";
	case SHIM6_TYPE_ERROR: return "Error";
	default: return NULL;
	}
}

const char *shim6_opt_type_name(uint16_t type)
{
	switch (type) {
	case SHIM6_OPT_RESP_VALIDATOR: return "Responder Validator";
	case SHIM6_OPT_LOC_LIST: return "Locator List";
	case SHIM6_OPT_LOC_PREF: return "Locator Preferences";
	case SHIM6_OPT_CGA_PDS: return "CGA Parameter Data Structure";
	case SHIM6_OPT_CGA_SIG: return "CGA Signature";
	case SHIM6_OPT_ULID_PAIR: return "ULID Pair";
	case SHIM6_OPT_FII: return "Forked Instance Identifier";
	case SHIM6_OPT_KA_TIMEOUT: return "Keepalive Timeout";
	default: return NULL;
	}
}

const char *shim6_error_code_name(uint8_t code)
{
	switch (code) {
	case SHIM6_ERR_UNKNOWN_TYPE: return "Unknown Shim6 message type";
	case SHIM6_ERR_CRITICAL_OPT: return "Critical option not recognized";
	case SHIM6_ERR_VERIF_METHOD: return "Locator verification method failed";
	case SHIM6_ERR_GEN_OUT_OF_SYNC: return "Locator List Generation number out of sync";
	case SHIM6_ERR_LOC_COUNT: return "Error in the number of locators";
	default: return code >= 120 && code <= 127 ? "Reserved for debugging" : NULL;
	}
}

const char *shim6_verif_method_name(uint8_t m)
{
	if (m == SHIM6_VERIF_HBA)
		return "HBA";
	if (m == SHIM6_VERIF_CGA)
		return "CGA";
	if (m == 0 || m == 255)
		return "reserved";
	return m >= 201 ? "experimental" : "unassigned";
}

const char *shim6_probe_state_name(uint8_t state)
{
	switch (state) {
	case SHIM6_PROBE_OPERATIONAL: return "Operational";
	case SHIM6_PROBE_EXPLORING: return "Exploring";
	case SHIM6_PROBE_INBOUND_OK: return "InboundOk";
	default: return NULL;
	}
}

/* The numbers behind each error, in words. */
static int detail(const struct shim6_wire_diag *d, char *buf, size_t size)
{
	const char *on = d->opt_type ? shim6_opt_type_name(d->opt_type) : NULL;
	char opt[64];

	if (d->opt_type)
		snprintf(opt, sizeof(opt), "%s option (type %u)", on ? on : "unknown", d->opt_type);
	else
		snprintf(opt, sizeof(opt), "option");

	switch (d->err) {
	case SHIM6_WERR_TRUNC_COMMON:
		return snprintf(buf, size, "only %u bytes, a Shim6 header has at least %u", d->got,
				d->want);
	case SHIM6_WERR_HDRLEN_PAST_END:
		return snprintf(buf, size, "Hdr Ext Len %u means %u bytes but only %u are present",
				d->want / 8 - 1, d->want, d->got);
	case SHIM6_WERR_HDRLEN_TOO_SMALL:
		return snprintf(buf, size, "Hdr Ext Len %u, %s needs at least %u", d->got,
				shim6_msg_type_name(d->msg_type) ?: "this type", d->want);
	case SHIM6_WERR_PAYLOAD_HDRLEN:
		return snprintf(buf, size, "payload extension header (P=1) with Hdr Ext Len %u, must be 0",
				d->got);
	case SHIM6_WERR_CHECKSUM:
		return snprintf(buf, size, "bad checksum: field 0x%04x, computed 0x%04x", d->got,
				d->want);
	case SHIM6_WERR_UNKNOWN_TYPE:
		return snprintf(buf, size, "unknown message type %u (answer: Error code 0)", d->got);
	case SHIM6_WERR_OPT_TRUNC:
		return snprintf(buf, size, "%u bytes left after the last option, too few for an option header",
				d->got);
	case SHIM6_WERR_OPT_PAST_END:
		return snprintf(buf, size, "%s needs %u bytes with padding, only %u left in the header",
				opt, d->want, d->got);
	case SHIM6_WERR_OPT_PADDING:
		return snprintf(buf, size, "%s has non-zero padding", opt);
	case SHIM6_WERR_OPT_CRITICAL:
		return snprintf(buf, size,
				"option type %u with C=1 is %s (answer: Error code 1, Pointer %u)",
				d->opt_type,
				shim6_opt_type_name(d->opt_type) ? "not defined for this message"
								 : "not recognized",
				d->offset);
	case SHIM6_WERR_OPT_LEN:
		return snprintf(buf, size, "%s with Length %u, must be %s%u", opt, d->got,
				d->want == 1 || d->want == 5 ? "at least " : "", d->want);
	case SHIM6_WERR_OPT_DUPLICATE:
		return snprintf(buf, size, "%s appears more than once", opt);
	case SHIM6_WERR_OPT_MISSING:
		return snprintf(buf, size, "%s is missing, %s MUST carry it", opt,
				shim6_msg_type_name(d->msg_type) ?: "this message");
	case SHIM6_WERR_TOO_MANY_OPTS:
		return snprintf(buf, size, "more than %u options", d->want);
	case SHIM6_WERR_LOCLIST_COUNT:
		return snprintf(buf, size, "Locator List Length %u, but Num Locators needs %u", d->got,
				d->want);
	case SHIM6_WERR_LOCPREF_COUNT:
		return snprintf(buf, size, "%u element bytes are not a positive multiple of Element Len %u",
				d->got, d->want);
	case SHIM6_WERR_LOCPREF_MISMATCH:
		return snprintf(buf, size,
				"%u preference elements for %u locators of the same generation (answer: Error code 4)",
				d->got, d->want);
	case SHIM6_WERR_PROBE_REPORTS:
		return snprintf(buf, size, "Psent + Precvd need %u bytes, Hdr Ext Len gives %u",
				d->want, d->got);
	default:
		return snprintf(buf, size, "%s", shim6_wire_strerror(d->err));
	}
}

int shim6_wire_diag_format(const struct shim6_wire_diag *d, char *buf, size_t size)
{
	char what[192];

	detail(d, what, sizeof(what));
	return snprintf(buf, size, "%s at offset %u: %s", shim6_wire_errname(d->err), d->offset,
			what);
}
