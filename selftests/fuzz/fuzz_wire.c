// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Shim6 wire decoder.
 *
 * Each input is decoded as it is (so the checksum check and every early
 * rejection are exercised), as an IPv6 packet carrying a Shim6 header, then again with its checksum corrected (so the
 * mutations reach the type and option parsers), and as a payload header.
 * Every buffer has exactly the input's size: ASan reports any read past it.
 * Properties checked beyond "no crash":
 *  - a diagnosed offset never lies past the data;
 *  - a failure with an Error code gives an Error reply that encodes within 1280;
 *  - a message that decodes re-encodes to the same length, and the encoding
 *    decodes again to the same type and option count.
 */
#include <stdlib.h>
#include <string.h>

#include "wire/shim6_wire.h"

static struct shim6_msg m, again;

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

static void decode_one(const uint8_t *p, size_t size, unsigned int flags)
{
	uint8_t out[SHIM6_MAX_HDR_LEN];
	struct shim6_wire_diag d;
	char text[256];
	ssize_t n;
	int err;

	err = shim6_msg_decode(p, size, flags, &m, &d);
	shim6_wire_diag_format(&d, text, sizeof(text));
	if (err) {
		check(err == -d.err && d.offset <= size);
		/* A failure with an Error code yields an Error message that encodes. */
		if (d.rfc_code >= 0) {
			check(shim6_msg_init_error(&again, &d, p, size, 0) == 0);
			n = shim6_msg_encode(&again, out, sizeof(out));
			check(n >= 16 && n <= SHIM6_MIN_MTU - 40);
		}
		return;
	}
	check(m.length <= size && m.nopts <= SHIM6_MAX_OPTS);
	n = shim6_msg_encode(&m, out, sizeof(out));
	check(n == m.length);
	err = shim6_msg_decode(out, (size_t)n, flags & ~SHIM6_DEC_NO_CSUM, &again, &d);
	check(err == 0 && again.type == m.type && again.nopts == m.nopts &&
	      again.length == m.length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shim6_payload_hdr ph;
	struct shim6_wire_diag d;
	struct shim6_ip6_loc loc;
	uint8_t *copy;

	/* As an IPv6 packet: the Shim6 header found must lie inside it. */
	if (shim6_ip6_find(data, size, &loc) == 0) {
		check(loc.shim6_off <= size && loc.shim6_len <= size - loc.shim6_off);
		decode_one(data + loc.shim6_off, loc.shim6_len, 0);
	}

	decode_one(data, size, 0);
	decode_one(data, size, SHIM6_DEC_STRICT);
	if (shim6_payload_decode(data, size, &ph, &d) == 0)
		check(ph.tag <= SHIM6_TAG_MASK);

	/* The same bytes with a checksum that verifies, in an exact-size copy. */
	if (size >= 8 && (data[1] + 1u) * 8 <= size) {
		copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		shim6_csum_set(copy, (copy[1] + 1u) * 8);
		decode_one(copy, size, 0);
		decode_one(copy, size, SHIM6_DEC_STRICT);
		free(copy);
	}
	return 0;
}
