// SPDX-License-Identifier: GPL-2.0
/* Local and peer locator sets through crypto/; see locset.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/cga.h"
#include "crypto/hba.h"
#include "crypto/key.h"
#include "crypto/sig.h"
#include "ctl/common/parse.h"
#include "ctl/shim6d/locset.h"
#include "ctl/shim6d/log.h"

void locset_init(struct locset *s)
{
	memset(s, 0, sizeof(*s));
}

void locset_free(struct locset *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		free(s->a[i].params);
		EVP_PKEY_free(s->a[i].key);
	}
	memset(s, 0, sizeof(*s));
}

static bool params_have_mp(const uint8_t *params, size_t len)
{
	struct cga_params *p = malloc(sizeof(*p));
	const uint8_t *pfx;
	unsigned int n;
	bool flag, mp = false;

	if (p && cga_params_decode(p, params, len) == 0)
		mp = hba_multi_prefix_get(p, &pfx, &n, &flag) == 0;
	free(p);
	return mp;
}

int locset_add(struct locset *s, const uint8_t addr[16], const uint8_t *params, size_t len,
	       void *key, const char *key_path, uint8_t pref)
{
	struct locset_addr *a;

	if (s->n == LOCSET_MAX || len > LOCSET_PARAMS_MAX)
		return -ENOSPC;
	a = &s->a[s->n];
	memset(a, 0, sizeof(*a));
	a->params = malloc(len);
	if (!a->params)
		return -ENOMEM;
	memcpy(a->params, params, len);
	a->params_len = len;
	memcpy(a->addr, addr, 16);
	a->key = key;
	snprintf(a->key_path, sizeof(a->key_path), "%s", key_path ? key_path : "");
	a->hba = params_have_mp(params, len);
	a->pref = pref;
	s->n++;
	return 0;
}

int locset_load(struct locset *s, const struct config *cfg, char *err, size_t errlen)
{
	uint8_t *buf = malloc(LOCSET_PARAMS_MAX);
	EVP_PKEY *key;
	int i, ret = 0;
	long n;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < cfg->n_addrs && !ret; i++) {
		const struct config_addr *ca = &cfg->addrs[i];
		char kerr[KEY_ERR_LEN];

		n = read_file(ca->params, buf, LOCSET_PARAMS_MAX);
		if (n < 0) {
			snprintf(err, errlen, "cannot read the parameters %s (line %d): %s",
				 ca->params, ca->line, strerror((int)-n));
			ret = (int)n;
			break;
		}
		if (cga_verify_bytes(ca->addr, buf, (size_t)n) != CGA_OK &&
		    hba_verify_bytes(ca->addr, buf, (size_t)n) != CGA_OK) {
			snprintf(err, errlen, "%s (line %d) are not the CGA/HBA parameters of "
				 "the address", ca->params, ca->line);
			ret = -EINVAL;
			break;
		}
		key = NULL;
		if (ca->key[0]) {
			ret = key_load_pem(ca->key, &key, kerr, sizeof(kerr));
			if (ret) {
				snprintf(err, errlen, "key %s (line %d): %s", ca->key, ca->line,
					 kerr);
				break;
			}
		}
		ret = locset_add(s, ca->addr, buf, (size_t)n, key, ca->key, ca->preference);
		if (ret) {
			EVP_PKEY_free(key);
			snprintf(err, errlen, "address of line %d: %s", ca->line, strerror(-ret));
		}
	}
	free(buf);
	return ret;
}

bool locset_set_present(struct locset *s, const uint8_t addr[16], bool present)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (memcmp(s->a[i].addr, addr, 16) == 0) {
			if (s->a[i].present == present)
				return false;
			s->a[i].present = present;
			/* §10.1: a new random generation number for a new list */
			do
				s->gen = randombytes_random();
			while (s->gen == 0);
			return true;
		}
	return false;
}

const struct locset_addr *locset_find(const struct locset *s, const uint8_t addr[16])
{
	int i;

	for (i = 0; i < s->n; i++)
		if (memcmp(s->a[i].addr, addr, 16) == 0)
			return &s->a[i];
	return NULL;
}

static int build(struct locset *s, int u, struct locset_announce *an)
{
	const struct locset_addr *ul = &s->a[u];
	bool any_cga = false;
	size_t sig_len;
	int i, err;

	an->n = 0;
	an->sig_len = 0;
	an->any_pref = false;
	/* the ULID first: a peer may prefer the first locator */
	for (i = -1; i < s->n && an->n < LOCSET_LIST_MAX; i++) {
		const struct locset_addr *a = &s->a[i < 0 ? u : i];
		uint8_t method;

		if (i == u || (i >= 0 && !a->present))
			continue;
		if (ul->hba && hba_verify_bytes(a->addr, ul->params, ul->params_len) == CGA_OK)
			method = SHIM6_VM_HBA;
		else if (ul->key && (a == ul || strcmp(a->key_path, ul->key_path) == 0))
			method = SHIM6_VM_CGA;
		else
			continue;
		memcpy(an->locs[an->n], a->addr, 16);
		an->prefs[an->n] = a->pref;
		an->pref_elems[2 * an->n] = 0;
		an->pref_elems[2 * an->n + 1] = a->pref;
		an->any_pref |= a->pref != 0;
		an->methods[an->n++] = method;
		any_cga |= method == SHIM6_VM_CGA;
	}
	if (any_cga) {
		sig_len = sizeof(an->sig);
		err = sig_sign_locators(ul->key, s->gen, (const uint8_t (*)[16])an->locs,
					an->methods, an->n, an->sig, &sig_len);
		if (err)
			return err;
		an->sig_len = sig_len;
		s->signatures++;
	}
	an->gen = s->gen;
	an->valid = true;
	return 0;
}

const struct locset_announce *locset_announce(struct locset *s, const uint8_t ulid[16])
{
	struct locset_announce *an;
	int u, err;

	for (u = 0; u < s->n; u++)
		if (memcmp(s->a[u].addr, ulid, 16) == 0)
			break;
	if (u == s->n)
		return NULL;
	an = &s->ann[u];
	if (an->valid && an->gen == s->gen)
		return an;
	err = build(s, u, an);
	if (err) {
		log_err("cannot sign the locator list: %s", strerror(-err));
		an->valid = false;
		return NULL;
	}
	return an;
}

int locset_verify_peer(const uint8_t ulid[16], const uint8_t *params, size_t params_len,
		       uint32_t gen, const uint8_t *locs, const uint8_t *methods, unsigned int n,
		       const uint8_t *sig, size_t sig_len)
{
	struct loc_result res[SIG_MAX_LOCATORS];

	if (n == 0)
		return cga_verify_bytes(ulid, params, params_len) == CGA_OK ||
		       hba_verify_bytes(ulid, params, params_len) == CGA_OK ? 0 : -EBADMSG;
	return sig_verify_locators(ulid, params, params_len, gen, (const uint8_t (*)[16])locs,
				   methods, n, sig, sig_len, res) ? -EBADMSG : 0;
}
