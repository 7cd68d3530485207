// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the CGA Parameters decoder (RFC 3972 §3, RFC 4581 TLVs,
 * RFC 5535 Multi-Prefix) and the verifiers behind it.
 *
 * Invariants checked: decode never reads out of bounds; whatever decodes
 * re-encodes to the same bytes; an address computed from decoded params
 * verifies (CGA with its prefix, HBA with every prefix of its set).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/cga.h"
#include "crypto/hba.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cga_params p, q;
	static uint8_t buf[CGA_PARAMS_MAX];
	const uint8_t *pfx;
	uint8_t addr[16];
	unsigned int n, i;
	bool pf;
	int len;

	if (cga_params_decode(&p, data, size))
		return 0;
	len = cga_params_encode(&p, buf, sizeof(buf));
	if (len < 0 || (size_t)len != size || memcmp(buf, data, size) != 0)
		abort(); /* decode/encode must round-trip */

	/* Sec 0 never depends on Hash2; a valid collision count must verify. */
	cga_address(&p, 0, addr);
	if (cga_verify(addr, &p) != (p.collision_count > 2 ? CGA_ERR_COLLISION_COUNT : CGA_OK))
		abort();
	(void)cga_verify_bytes(data, data, size);

	if (hba_multi_prefix_get(&p, &pfx, &n, &pf) == 0 && p.collision_count <= 2) {
		for (i = 0; i < n && i < 8; i++) {
			q = p;
			memcpy(q.prefix, pfx + 8 * i, 8);
			cga_address(&q, 0, addr);
			if (hba_verify(addr, &p) != CGA_OK)
				abort();
		}
	}
	return 0;
}
