// SPDX-License-Identifier: GPL-2.0
/* Context table: two SipHash-keyed chained hash tables; see ctx.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctl/shim6d/ctx.h"

static const char *const state_names[] = {
	[CTX_IDLE] = "idle",		[CTX_I1_SENT] = "i1-sent",
	[CTX_I2_SENT] = "i2-sent",	[CTX_I2BIS_SENT] = "i2bis-sent",
	[CTX_ESTABLISHED] = "established", [CTX_E_FAILED] = "e-failed",
	[CTX_NO_SUPPORT] = "no-support",
};

const char *ctx_state_name(enum ctx_state s)
{
	if ((unsigned int)s >= sizeof(state_names) / sizeof(state_names[0]))
		return "?";
	return state_names[s];
}

static uint64_t siphash(const struct ctx_table *t, const void *in, size_t len)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	crypto_shorthash(out, in, len, t->key);
	memcpy(&h, out, sizeof(h));
	return h;
}

static uint32_t ulid_bucket(const struct ctx_table *t, const uint8_t *l, const uint8_t *p,
			    uint32_t fii, uint32_t nb)
{
	uint8_t k[36];

	memcpy(k, l, 16);
	memcpy(k + 16, p, 16);
	memcpy(k + 32, &fii, 4);
	return (uint32_t)siphash(t, k, sizeof(k)) & (nb - 1);
}

static uint32_t tag_bucket(const struct ctx_table *t, uint64_t tag, uint32_t nb)
{
	return (uint32_t)siphash(t, &tag, sizeof(tag)) & (nb - 1);
}

int ctx_table_init(struct ctx_table *t, uint32_t initial_buckets)
{
	uint32_t nb = 16;

	if (sodium_init() < 0)
		return -EIO;
	while (nb < initial_buckets && nb < (1U << 30))
		nb <<= 1;
	memset(t, 0, sizeof(*t));
	t->by_ulid = calloc(nb, sizeof(*t->by_ulid));
	t->by_tag = calloc(nb, sizeof(*t->by_tag));
	t->by_ptag = calloc(nb, sizeof(*t->by_ptag));
	if (!t->by_ulid || !t->by_tag || !t->by_ptag) {
		free(t->by_ulid);
		free(t->by_tag);
		free(t->by_ptag);
		return -ENOMEM;
	}
	t->nbuckets = nb;
	randombytes_buf(t->key, sizeof(t->key));
	return 0;
}

static void link_ctx(struct ctx_table *t, struct shim6_ctx *c)
{
	uint32_t b;

	b = ulid_bucket(t, c->ulid_local, c->ulid_peer, c->fii, t->nbuckets);
	c->next_ulid = t->by_ulid[b];
	t->by_ulid[b] = c;
	b = tag_bucket(t, c->ct_local, t->nbuckets);
	c->next_tag = t->by_tag[b];
	t->by_tag[b] = c;
	if (c->ct_peer) {
		/* a different hash input than CT(local): kind byte in the top bits */
		b = tag_bucket(t, c->ct_peer | 1ULL << 63, t->nbuckets);
		c->next_ptag = t->by_ptag[b];
		t->by_ptag[b] = c;
	}
}

static void unlink_ptag(struct ctx_table *t, struct shim6_ctx *c)
{
	struct shim6_ctx **pp;

	if (!c->ct_peer)
		return;
	pp = &t->by_ptag[tag_bucket(t, c->ct_peer | 1ULL << 63, t->nbuckets)];
	while (*pp && *pp != c)
		pp = &(*pp)->next_ptag;
	if (*pp)
		*pp = c->next_ptag;
	c->next_ptag = NULL;
}

void ctx_set_peer_tag(struct ctx_table *t, struct shim6_ctx *c, uint64_t ct_peer)
{
	uint32_t b;

	if (c->ct_peer == ct_peer)
		return;
	unlink_ptag(t, c);
	c->ct_peer = ct_peer;
	if (ct_peer) {
		b = tag_bucket(t, ct_peer | 1ULL << 63, t->nbuckets);
		c->next_ptag = t->by_ptag[b];
		t->by_ptag[b] = c;
	}
}

int ctx_for_each_peer_tag(const struct ctx_table *t, uint64_t ct_peer,
			  int (*fn)(struct shim6_ctx *, void *), void *arg)
{
	struct shim6_ctx *c, *n;
	int ret;

	c = t->by_ptag[tag_bucket(t, ct_peer | 1ULL << 63, t->nbuckets)];
	for (; c; c = n) {
		n = c->next_ptag;
		if (c->ct_peer != ct_peer)
			continue;
		ret = fn(c, arg);
		if (ret)
			return ret;
	}
	return 0;
}

/* Double both tables when the load factor reaches 1; failure only costs speed. */
static void maybe_grow(struct ctx_table *t)
{
	struct shim6_ctx **ou = t->by_ulid, **ot = t->by_tag, **op = t->by_ptag, *c, *n;
	uint32_t onb = t->nbuckets, nb = onb * 2, i;

	if (t->count < onb || onb >= (1U << 30))
		return;
	t->by_ulid = calloc(nb, sizeof(*t->by_ulid));
	t->by_tag = calloc(nb, sizeof(*t->by_tag));
	t->by_ptag = calloc(nb, sizeof(*t->by_ptag));
	if (!t->by_ulid || !t->by_tag || !t->by_ptag) {
		free(t->by_ulid);
		free(t->by_tag);
		free(t->by_ptag);
		t->by_ulid = ou;
		t->by_tag = ot;
		t->by_ptag = op;
		return;
	}
	t->nbuckets = nb;
	for (i = 0; i < onb; i++)
		for (c = ou[i]; c; c = n) {
			n = c->next_ulid;
			link_ctx(t, c);
		}
	free(ou);
	free(ot);
	free(op);
}

void ctx_table_destroy(struct ctx_table *t, void (*release)(struct shim6_ctx *, void *),
		       void *arg)
{
	struct shim6_ctx *c, *n;
	uint32_t i;

	if (!t->by_ulid)
		return;
	for (i = 0; i < t->nbuckets; i++)
		for (c = t->by_ulid[i]; c; c = n) {
			n = c->next_ulid;
			if (release)
				release(c, arg);
			free(c->peer_pds);
			free(c);
		}
	free(t->by_ulid);
	free(t->by_tag);
	free(t->by_ptag);
	memset(t, 0, sizeof(*t));
}

uint64_t ctx_new_tag(const struct ctx_table *t)
{
	uint64_t tag;

	do {
		randombytes_buf(&tag, sizeof(tag));
		tag &= CTX_TAG_MASK;
	} while (tag == 0 || ctx_find_tag(t, tag));
	return tag;
}

struct shim6_ctx *ctx_create(struct ctx_table *t, const uint8_t ulid_local[16],
			     const uint8_t ulid_peer[16], uint32_t fii)
{
	struct shim6_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	memcpy(c->ulid_local, ulid_local, 16);
	memcpy(c->ulid_peer, ulid_peer, 16);
	memcpy(c->lp_local, ulid_local, 16);
	memcpy(c->lp_peer, ulid_peer, 16);
	c->fii = fii;
	c->ct_local = ctx_new_tag(t);
	c->state = CTX_IDLE;
	maybe_grow(t);
	link_ctx(t, c);
	t->count++;
	return c;
}

int ctx_insert_with_tag(struct ctx_table *t, struct shim6_ctx *c)
{
	if (!c->ct_local || c->ct_local > CTX_TAG_MASK)
		return -EINVAL;
	if (ctx_find_tag(t, c->ct_local) || ctx_find_ulid(t, c->ulid_local, c->ulid_peer, c->fii))
		return -EEXIST;
	maybe_grow(t);
	link_ctx(t, c);
	t->count++;
	return 0;
}

void ctx_destroy(struct ctx_table *t, struct shim6_ctx *c)
{
	struct shim6_ctx **pp;

	pp = &t->by_ulid[ulid_bucket(t, c->ulid_local, c->ulid_peer, c->fii, t->nbuckets)];
	while (*pp && *pp != c)
		pp = &(*pp)->next_ulid;
	if (*pp)
		*pp = c->next_ulid;
	pp = &t->by_tag[tag_bucket(t, c->ct_local, t->nbuckets)];
	while (*pp && *pp != c)
		pp = &(*pp)->next_tag;
	if (*pp)
		*pp = c->next_tag;
	unlink_ptag(t, c);
	t->count--;
	free(c->peer_pds);
	free(c);
}

struct shim6_ctx *ctx_find_ulid(const struct ctx_table *t, const uint8_t ulid_local[16],
				const uint8_t ulid_peer[16], uint32_t fii)
{
	struct shim6_ctx *c;

	c = t->by_ulid[ulid_bucket(t, ulid_local, ulid_peer, fii, t->nbuckets)];
	for (; c; c = c->next_ulid)
		if (c->fii == fii && memcmp(c->ulid_local, ulid_local, 16) == 0 &&
		    memcmp(c->ulid_peer, ulid_peer, 16) == 0)
			return c;
	return NULL;
}

struct shim6_ctx *ctx_find_tag(const struct ctx_table *t, uint64_t ct_local)
{
	struct shim6_ctx *c = t->by_tag[tag_bucket(t, ct_local, t->nbuckets)];

	for (; c; c = c->next_tag)
		if (c->ct_local == ct_local)
			return c;
	return NULL;
}

int ctx_for_each(const struct ctx_table *t, int (*fn)(struct shim6_ctx *, void *), void *arg)
{
	struct shim6_ctx *c, *n;
	uint32_t i;
	int ret;

	for (i = 0; i < t->nbuckets; i++)
		for (c = t->by_ulid[i]; c; c = n) {
			n = c->next_ulid; /* fn may destroy c */
			ret = fn(c, arg);
			if (ret)
				return ret;
		}
	return 0;
}

bool ctx_peer_has_locator(const struct shim6_ctx *c, const uint8_t addr[16])
{
	int i;

	if (memcmp(c->ulid_peer, addr, 16) == 0)
		return true;
	for (i = 0; i < c->n_ls_peer; i++)
		if (memcmp(c->ls_peer[i].addr, addr, 16) == 0)
			return true;
	return false;
}
