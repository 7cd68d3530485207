// SPDX-License-Identifier: GPL-2.0
/* Writing contexts into the pinned BPF maps; see maps.h. */
#include <errno.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/types.h>

#include "bpf/shim6_shared.h"
#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/maps.h"

static int open_pinned(const char *root, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int maps_open(struct dp_maps *m, const char *root)
{
	m->ulid_fd = open_pinned(root, "shim6_ulid");
	m->tag_fd = open_pinned(root, "shim6_tag");
	m->loc_fd = open_pinned(root, "shim6_loc");
	m->events_fd = open_pinned(root, "shim6_events");
	m->ok = m->ulid_fd >= 0 && m->tag_fd >= 0 && m->loc_fd >= 0;
	if (m->ok)
		return 0;
	return m->ulid_fd < 0 ? m->ulid_fd : m->tag_fd < 0 ? m->tag_fd : m->loc_fd;
}

void maps_close(struct dp_maps *m)
{
	if (m->ulid_fd >= 0)
		close(m->ulid_fd);
	if (m->tag_fd >= 0)
		close(m->tag_fd);
	if (m->loc_fd >= 0)
		close(m->loc_fd);
	if (m->events_fd >= 0)
		close(m->events_fd);
	m->ulid_fd = m->tag_fd = m->loc_fd = m->events_fd = -1;
	m->ok = false;
}

static void loc_key(struct shim6_loc_key *k, uint64_t tag, const uint8_t addr[16])
{
	memset(k, 0, sizeof(*k));
	k->local_tag = tag;
	memcpy(k->addr.b, addr, 16);
}

/* Set bits in one locator's membership value (an address may be both in tests). */
static int loc_or(struct dp_maps *m, uint64_t tag, const uint8_t addr[16], __u32 bit)
{
	struct shim6_loc_key k;
	__u32 v = 0;

	loc_key(&k, tag, addr);
	bpf_map_lookup_elem(m->loc_fd, &k, &v);
	v |= bit;
	return bpf_map_update_elem(m->loc_fd, &k, &v, BPF_ANY) ? -errno : 0;
}

int maps_ctx_write(struct dp_maps *m, const struct shim6_ctx *c)
{
	struct shim6_ulid_key uk = { 0 };
	struct shim6_egress_ctx e = { 0 };
	struct shim6_ingress_ctx in = { 0 };
	int i, err;

	if (!m->ok)
		return -ENODEV;
	/*
	 * Order: locators, then ingress, then egress — the peer may send with
	 * our tag as soon as it has our R2, and egress only starts rewriting
	 * once everything it points to exists.
	 */
	err = loc_or(m, c->ct_local, c->lp_local, SHIM6_LOC_LOCAL);
	if (!err)
		err = loc_or(m, c->ct_local, c->ulid_local, SHIM6_LOC_LOCAL);
	for (i = 0; !err && i < c->n_ls_local; i++)
		err = loc_or(m, c->ct_local, c->ls_local[i], SHIM6_LOC_LOCAL);
	if (!err)
		err = loc_or(m, c->ct_local, c->ulid_peer, SHIM6_LOC_PEER);
	for (i = 0; !err && i < c->n_ls_peer; i++)
		if (c->ls_peer[i].verified)
			err = loc_or(m, c->ct_local, c->ls_peer[i].addr, SHIM6_LOC_PEER);
	if (err)
		return err;

	memcpy(in.ulid_local.b, c->ulid_local, 16);
	memcpy(in.ulid_peer.b, c->ulid_peer, 16);
	if (bpf_map_update_elem(m->tag_fd, &c->ct_local, &in, BPF_ANY))
		return -errno;

	memcpy(uk.local.b, c->ulid_local, 16);
	memcpy(uk.peer.b, c->ulid_peer, 16);
	memcpy(e.loc_local.b, c->lp_local, 16);
	memcpy(e.loc_peer.b, c->lp_peer, 16);
	e.peer_tag = c->ct_peer;
	e.local_tag = c->ct_local;
	if (memcmp(c->lp_local, c->ulid_local, 16) || memcmp(c->lp_peer, c->ulid_peer, 16))
		e.flags |= SHIM6_CTX_F_REWRITE;
	if (bpf_map_update_elem(m->ulid_fd, &uk, &e, BPF_ANY))
		return -errno;
	return 0;
}

void maps_ctx_delete(struct dp_maps *m, const struct shim6_ctx *c)
{
	struct shim6_ulid_key uk = { 0 };
	struct shim6_loc_key k;
	int i;

	if (!m->ok)
		return;
	memcpy(uk.local.b, c->ulid_local, 16);
	memcpy(uk.peer.b, c->ulid_peer, 16);
	bpf_map_delete_elem(m->ulid_fd, &uk);
	bpf_map_delete_elem(m->tag_fd, &c->ct_local);
	loc_key(&k, c->ct_local, c->lp_local);
	bpf_map_delete_elem(m->loc_fd, &k);
	loc_key(&k, c->ct_local, c->ulid_local);
	bpf_map_delete_elem(m->loc_fd, &k);
	loc_key(&k, c->ct_local, c->ulid_peer);
	bpf_map_delete_elem(m->loc_fd, &k);
	for (i = 0; i < c->n_ls_peer; i++) {
		loc_key(&k, c->ct_local, c->ls_peer[i].addr);
		bpf_map_delete_elem(m->loc_fd, &k);
	}
	for (i = 0; i < c->n_ls_local; i++) {
		loc_key(&k, c->ct_local, c->ls_local[i]);
		bpf_map_delete_elem(m->loc_fd, &k);
	}
}

int maps_ctx_packets(struct dp_maps *m, const struct shim6_ctx *c, uint64_t *packets)
{
	struct shim6_ulid_key uk = { 0 };
	struct shim6_egress_ctx e;
	struct shim6_ingress_ctx in;

	if (!m->ok)
		return -ENODEV;
	memcpy(uk.local.b, c->ulid_local, 16);
	memcpy(uk.peer.b, c->ulid_peer, 16);
	if (bpf_map_lookup_elem(m->ulid_fd, &uk, &e) ||
	    bpf_map_lookup_elem(m->tag_fd, &c->ct_local, &in))
		return -errno;
	*packets = e.tx_packets + in.rx_packets;
	return 0;
}

/* Peer locators of `tag` other than the ULID (verified before they were written). */
static void resume_locators(struct dp_maps *m, struct shim6_ctx *c)
{
	struct shim6_loc_key k, next;
	void *prev = NULL;
	__u32 v;

	while (bpf_map_get_next_key(m->loc_fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (k.local_tag != c->ct_local || bpf_map_lookup_elem(m->loc_fd, &k, &v) ||
		    !(v & SHIM6_LOC_PEER) || memcmp(k.addr.b, c->ulid_peer, 16) == 0 ||
		    c->n_ls_peer == CTX_MAX_LOCS)
			continue;
		memcpy(c->ls_peer[c->n_ls_peer].addr, k.addr.b, 16);
		c->ls_peer[c->n_ls_peer].verified = 1;
		c->n_ls_peer++;
	}
}

int maps_resume(struct dp_maps *m, struct ctx_table *t, uint64_t now_ms)
{
	__u64 tag, next, *prev = NULL;
	int n = 0;

	if (!m->ok)
		return -ENODEV;
	while (bpf_map_get_next_key(m->tag_fd, prev, &next) == 0) {
		struct shim6_ulid_key uk = { 0 };
		struct shim6_ingress_ctx in;
		struct shim6_egress_ctx e;
		struct shim6_ctx *c;

		tag = next;
		prev = &tag;
		if (bpf_map_lookup_elem(m->tag_fd, &tag, &in))
			continue;
		uk.local = in.ulid_local;
		uk.peer = in.ulid_peer;
		if (bpf_map_lookup_elem(m->ulid_fd, &uk, &e) || e.local_tag != tag)
			continue; /* half-written: the daemon died between the two updates */
		c = calloc(1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		memcpy(c->ulid_local, in.ulid_local.b, 16);
		memcpy(c->ulid_peer, in.ulid_peer.b, 16);
		memcpy(c->lp_local, e.loc_local.b, 16);
		memcpy(c->lp_peer, e.loc_peer.b, 16);
		c->ct_local = tag;
		c->state = CTX_ESTABLISHED;
		c->in_maps = true;
		c->dp_packets = e.tx_packets + in.rx_packets;
		c->created_ms = c->established_ms = c->last_active_ms = now_ms;
		if (ctx_insert_with_tag(t, c)) {
			free(c);
			continue;
		}
		ctx_set_peer_tag(t, c, e.peer_tag);
		resume_locators(m, c);
		n++;
	}
	return n;
}

void maps_loc_delete(struct dp_maps *m, uint64_t tag, const uint8_t addr[16])
{
	struct shim6_loc_key k;

	if (!m->ok)
		return;
	loc_key(&k, tag, addr);
	bpf_map_delete_elem(m->loc_fd, &k);
}
