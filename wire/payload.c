// SPDX-License-Identifier: GPL-2.0
/*
 * The 8-byte Shim6 payload extension header (RFC 5533 §5.2):
 * Next Header, Hdr Ext Len = 0, P = 1, 47-bit Receiver Context Tag.
 */
#include "wire/shim6_wire.h"
#include "wire/wire_int.h"

bool shim6_is_payload(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	return len >= 3 && (p[2] & 0x80);
}

int shim6_payload_decode(const void *buf, size_t len, struct shim6_payload_hdr *ph,
			 struct shim6_wire_diag *diag)
{
	const uint8_t *p = buf;

	if (diag) {
		*diag = (struct shim6_wire_diag){ .rfc_code = -1 };
	}
	if (len < SHIM6_PAYLOAD_HDR_LEN)
		return wire_fail(diag, SHIM6_WERR_TRUNC_COMMON, 0, len, SHIM6_PAYLOAD_HDR_LEN);
	if (!(p[2] & 0x80))
		return wire_fail(diag, SHIM6_WERR_NOT_PAYLOAD, 2, 0, 1);
	if (p[1] != 0)
		return wire_fail(diag, SHIM6_WERR_PAYLOAD_HDRLEN, 1, p[1], 0);
	ph->next_hdr = p[0];
	ph->tag = get_tag(p + 2);
	return 0;
}

ssize_t shim6_payload_encode(const struct shim6_payload_hdr *ph, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (ph->tag & ~SHIM6_TAG_MASK)
		return -SHIM6_WERR_INVALID;
	if (len < SHIM6_PAYLOAD_HDR_LEN)
		return -SHIM6_WERR_NOSPACE;
	p[0] = ph->next_hdr;
	p[1] = 0;
	p[2] = 0x80; /* P = 1 */
	put_tag(p + 2, ph->tag);
	return SHIM6_PAYLOAD_HDR_LEN;
}
