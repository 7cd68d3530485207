// SPDX-License-Identifier: GPL-2.0
/* Persisted context state (JSON through jansson); see state.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/ctx_json.h"
#include "ctl/shim6d/state.h"

#define STATE_VERSION 1

static int gaddr(json_t *o, const char *key, uint8_t out[16])
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && inet_pton(AF_INET6, s, out) == 1 ? 0 : -EINVAL;
}

static int gtag(json_t *o, const char *key, uint64_t *out)
{
	const char *s = json_string_value(json_object_get(o, key));
	char *end;

	if (!s || strncmp(s, "0x", 2))
		return -EINVAL;
	*out = strtoull(s + 2, &end, 16);
	return *end || *out > CTX_TAG_MASK ? -EINVAL : 0;
}

static int save_one(struct shim6_ctx *c, void *arg)
{
	json_t *arr = arg, *o, *locs;
	int i;

	if (c->state != CTX_ESTABLISHED && c->state != CTX_I2BIS_SENT)
		return 0;
	o = json_object();
	ctx_json_identity(c, o);
	/* REAP (RFC 5534): our per-context Send Timeout, the peer's Keepalive Timeout */
	if (c->send_timeout_ms)
		json_object_set_new(o, "send_timeout_ms", json_integer(c->send_timeout_ms));
	if (c->peer_ka_timeout_s)
		json_object_set_new(o, "peer_ka_timeout_s", json_integer(c->peer_ka_timeout_s));
	if (c->peer_gen_valid)
		json_object_set_new(o, "peer_generation", json_integer(c->peer_gen));
	locs = json_array();
	for (i = 0; i < c->n_ls_peer; i++)
		json_array_append_new(locs, json_pack("{s:o, s:i, s:i, s:i}", "address",
				      json_addr(c->ls_peer[i].addr), "method", c->ls_peer[i].method,
				      "priority", c->ls_peer[i].pref, "flags",
				      c->ls_peer[i].flags));
	json_object_set_new(o, "peer_locators", locs);
	locs = json_array();
	for (i = 0; i < c->n_ls_local; i++)
		json_array_append_new(locs, json_addr(c->ls_local[i]));
	json_object_set_new(o, "local_locators", locs);
	if (c->peer_pds) {
		char *hex = malloc(2 * (size_t)c->peer_pds_len + 1);

		if (hex) {
			sodium_bin2hex(hex, 2 * (size_t)c->peer_pds_len + 1, c->peer_pds,
				       c->peer_pds_len);
			json_object_set_new(o, "peer_pds", json_string(hex));
			free(hex);
		}
	}
	json_array_append_new(arr, o);
	return 0;
}

int state_save(const struct ctx_table *t, const char *path)
{
	json_t *root = json_object(), *arr = json_array();
	char tmp[512];
	int ret;

	json_object_set_new(root, "version", json_integer(STATE_VERSION));
	ctx_for_each(t, save_one, arr);
	json_object_set_new(root, "contexts", arr);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ret = json_dump_file(root, tmp, JSON_COMPACT) ? -EIO : 0;
	json_decref(root);
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* Fill c's non-map fields from o. */
static void complete(struct shim6_ctx *c, json_t *o)
{
	json_t *locs, *x, *v;
	const char *hex;
	size_t i;

	c->initiator = json_is_true(json_object_get(o, "initiator"));
	v = json_object_get(o, "send_timeout_ms");
	if (json_is_integer(v) && json_integer_value(v) >= 200 &&
	    json_integer_value(v) <= 65535LL * 1000)
		c->send_timeout_ms = (uint32_t)json_integer_value(v);
	v = json_object_get(o, "peer_ka_timeout_s");
	if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= 65535)
		c->peer_ka_timeout_s = (uint16_t)json_integer_value(v);
	v = json_object_get(o, "peer_generation");
	if (json_is_integer(v)) {
		c->peer_gen = (uint32_t)json_integer_value(v);
		c->peer_gen_valid = true;
	}
	locs = json_object_get(o, "peer_locators");
	if (json_is_array(locs)) {
		c->n_ls_peer = 0;
		json_array_foreach(locs, i, x) {
			struct ctx_loc *l = &c->ls_peer[c->n_ls_peer];

			if (c->n_ls_peer == CTX_MAX_LOCS || gaddr(x, "address", l->addr))
				continue;
			l->method = (uint8_t)json_integer_value(json_object_get(x, "method"));
			l->pref = (uint8_t)json_integer_value(json_object_get(x, "priority"));
			l->flags = (uint8_t)json_integer_value(json_object_get(x, "flags"));
			l->verified = 1;
			c->n_ls_peer++;
		}
	}
	locs = json_object_get(o, "local_locators");
	if (json_is_array(locs)) {
		c->n_ls_local = 0;
		json_array_foreach(locs, i, x) {
			const char *s = json_string_value(x);

			if (s && c->n_ls_local < CTX_MAX_LOCS &&
			    inet_pton(AF_INET6, s, c->ls_local[c->n_ls_local]) == 1)
				c->n_ls_local++;
		}
	}
	hex = json_string_value(json_object_get(o, "peer_pds"));
	if (hex && strlen(hex) / 2 <= 65535) {
		size_t n = strlen(hex) / 2, got;
		uint8_t *p = malloc(n ? n : 1);

		if (p && sodium_hex2bin(p, n, hex, strlen(hex), NULL, &got, NULL) == 0) {
			free(c->peer_pds);
			c->peer_pds = p;
			c->peer_pds_len = (uint16_t)got;
		} else {
			free(p);
		}
	}
}

int state_load(struct ctx_table *t, const char *path, bool create, uint64_t now_ms)
{
	json_error_t jerr;
	json_t *root, *arr, *o;
	size_t i;
	int n = 0;

	if (access(path, F_OK) < 0)
		return 0;
	root = json_load_file(path, 0, &jerr);
	if (!root)
		return -EBADMSG;
	if (json_integer_value(json_object_get(root, "version")) != STATE_VERSION ||
	    !json_is_array(arr = json_object_get(root, "contexts"))) {
		json_decref(root);
		return -EBADMSG;
	}
	json_array_foreach(arr, i, o) {
		uint8_t ul[16], up[16];
		uint64_t tag, ptag;
		struct shim6_ctx *c;
		uint32_t fii;

		if (gtag(o, "local_tag", &tag) || gtag(o, "peer_tag", &ptag) ||
		    gaddr(o, "ulid_local", ul) || gaddr(o, "ulid_peer", up))
			continue;
		fii = (uint32_t)json_integer_value(json_object_get(o, "fii"));
		c = ctx_find_tag(t, tag);
		if (c) {
			/* the maps' context: same pair and peer tag, or the file is stale */
			if (memcmp(c->ulid_local, ul, 16) || memcmp(c->ulid_peer, up, 16) ||
			    c->ct_peer != ptag)
				continue;
		} else {
			if (!create)
				continue;
			c = calloc(1, sizeof(*c));
			if (!c)
				break;
			memcpy(c->ulid_local, ul, 16);
			memcpy(c->ulid_peer, up, 16);
			if (gaddr(o, "locator_local", c->lp_local) ||
			    gaddr(o, "locator_peer", c->lp_peer)) {
				memcpy(c->lp_local, ul, 16);
				memcpy(c->lp_peer, up, 16);
			}
			c->ct_local = tag;
			c->fii = fii;
			c->state = CTX_ESTABLISHED;
			c->created_ms = c->established_ms = c->last_active_ms = now_ms;
			if (ctx_insert_with_tag(t, c)) {
				free(c);
				continue;
			}
			ctx_set_peer_tag(t, c, ptag);
		}
		complete(c, o);
		n++;
	}
	json_decref(root);
	return n;
}
