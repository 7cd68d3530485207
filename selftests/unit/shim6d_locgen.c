// SPDX-License-Identifier: GPL-2.0
/* HBA/CGA material for the shim6d tests; see shim6d_locgen.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/cga.h"
#include "crypto/hba.h"
#include "crypto/key.h"
#include "selftests/unit/shim6d_locgen.h"

bool locgen_hba(uint8_t addrs[2][16], uint8_t *params, size_t *plen)
{
	static const uint8_t pfx[2][8] = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xa1, 0, 0 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xa2, 0, 0 },
	};
	struct cga_gen_opts o = { .sec = 0, .threads = 1 };
	struct hba_set *set = calloc(1, sizeof(*set));
	int n;

	if (!set || hba_gen(set, pfx, 2, NULL, 0, &o, NULL)) {
		free(set);
		return false;
	}
	memcpy(addrs[0], set->addrs[0], 16);
	memcpy(addrs[1], set->addrs[1], 16);
	n = cga_params_encode(&set->params, params, 4096);
	free(set);
	if (n < 0)
		return false;
	*plen = (size_t)n;
	return true;
}

bool locgen_cga(uint8_t addr[16], uint8_t *params, size_t *plen, void **keyp)
{
	static const uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xa1, 0, 0 };
	struct cga_gen_opts o = { .sec = 0, .threads = 1 };
	struct cga_params *p = calloc(1, sizeof(*p));
	EVP_PKEY *key = NULL;
	uint8_t spki[1100];
	bool ok = false;
	int n;

	if (!p || key_generate(1024, &key))
		goto out;
	n = key_spki(key, spki, sizeof(spki));
	memcpy(p->prefix, pfx, 8);
	if (n <= 0 || cga_params_set_pubkey(p, spki, (size_t)n) || cga_gen(p, &o, addr, NULL))
		goto out;
	n = cga_params_encode(p, params, 4096);
	if (n < 0)
		goto out;
	*plen = (size_t)n;
	*keyp = key;
	key = NULL;
	ok = true;
out:
	EVP_PKEY_free(key);
	free(p);
	return ok;
}

void *locgen_key(void)
{
	EVP_PKEY *key = NULL;

	return key_generate(1024, &key) ? NULL : key;
}

void locgen_key_ref(void *key)
{
	EVP_PKEY_up_ref(key);
}

void locgen_key_free(void *key)
{
	EVP_PKEY_free(key);
}
