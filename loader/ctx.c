// SPDX-License-Identifier: GPL-2.0
/*
 * Static contexts written straight into the pinned maps (shim6ctl context
 * add/del, path set; shim6d uses the same calls).  What must stay consistent
 * per context (tag = CT(local)) is described in bpf/shim6_shared.h:
 * shim6_ulid, shim6_tag, shim6_loc, shim6_ptag.  The egress entry goes in
 * last and out first, so the data plane never rewrites for a context whose
 * ingress half is missing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "loader/fbd.h"
#include "loader/loader.h"
#include "loader/path.h"

static bool addr_eq(const union shim6_addr *a, const union shim6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static int loc_or(int fd, uint64_t tag, const union shim6_addr *a, uint32_t bits)
{
	struct shim6_loc_key k = { .local_tag = tag, .addr = *a };
	uint32_t v = 0;

	bpf_map_lookup_elem(fd, &k, &v);
	v |= bits;
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY) ? -errno : 0;
}

static uint32_t loc_kind(int fd, uint64_t tag, const union shim6_addr *a)
{
	struct shim6_loc_key k = { .local_tag = tag, .addr = *a };
	uint32_t v = 0;

	if (bpf_map_lookup_elem(fd, &k, &v))
		return 0;
	return v;
}

static int ptag_set(const struct shim6_maps *m, uint64_t peer_tag, const union shim6_addr *ll,
		    const union shim6_addr *lp, const struct shim6_ulid_key *ulids)
{
	struct shim6_ptag_key k = { .peer_tag = peer_tag, .loc_local = *ll, .loc_peer = *lp };

	if (m->ptag < 0)
		return 0;
	return bpf_map_update_elem(m->ptag, &k, ulids, BPF_ANY) ? -errno : 0;
}

static void ptag_del(const struct shim6_maps *m, uint64_t peer_tag, const union shim6_addr *ll,
		     const union shim6_addr *lp)
{
	struct shim6_ptag_key k = { .peer_tag = peer_tag, .loc_local = *ll, .loc_peer = *lp };

	if (m->ptag >= 0)
		bpf_map_delete_elem(m->ptag, &k);
}

/* Deletes every shim6_loc entry of a context (walks the whole map). */
static void loc_del_all(int fd, uint64_t tag)
{
	struct shim6_loc_key k, next, victims[64];
	bool more = true;
	int n, i;

	while (more) {
		void *prev = NULL;

		n = 0;
		more = false;
		while (bpf_map_get_next_key(fd, prev, &next) == 0) {
			k = next;
			prev = &k;
			if (next.local_tag != tag)
				continue;
			if (n == 64) {
				more = true;
				break;
			}
			victims[n++] = next;
		}
		for (i = 0; i < n; i++)
			bpf_map_delete_elem(fd, &victims[i]);
	}
}

int shim6_ctx_add(const struct shim6_maps *m, const struct shim6_ctx_spec *c)
{
	struct shim6_ulid_key ulids = { .local = c->ulid_local, .peer = c->ulid_peer };
	struct shim6_ingress_ctx in = { .ulid_local = c->ulid_local, .ulid_peer = c->ulid_peer };
	struct shim6_egress_ctx eg = {
		.loc_local = c->loc_local,
		.loc_peer = c->loc_peer,
		.peer_tag = c->peer_tag,
		.local_tag = c->local_tag,
	};
	int i, err;

	if (c->local_tag > SHIM6_TAG_MASK || c->peer_tag > SHIM6_TAG_MASK)
		return -ERANGE;
	if (!bpf_map_lookup_elem(m->tag, &c->local_tag, &in))
		return -EEXIST;
	if (!bpf_map_lookup_elem(m->ulid, &ulids, &eg))
		return -EEXIST;
	/* the lookups may have overwritten them */
	in = (struct shim6_ingress_ctx){ .ulid_local = c->ulid_local, .ulid_peer = c->ulid_peer };
	eg = (struct shim6_egress_ctx){
		.loc_local = c->loc_local,
		.loc_peer = c->loc_peer,
		.peer_tag = c->peer_tag,
		.local_tag = c->local_tag,
		.ifindex = c->ifindex,
	};
	if (!addr_eq(&c->loc_local, &c->ulid_local) || !addr_eq(&c->loc_peer, &c->ulid_peer))
		eg.flags |= SHIM6_CTX_F_REWRITE;

	/* the ULIDs are locators of their own context */
	err = loc_or(m->loc, c->local_tag, &c->ulid_local, SHIM6_LOC_LOCAL);
	if (!err)
		err = loc_or(m->loc, c->local_tag, &c->ulid_peer, SHIM6_LOC_PEER);
	for (i = 0; !err && i < c->n_local; i++)
		err = loc_or(m->loc, c->local_tag, &c->local_locs[i], SHIM6_LOC_LOCAL);
	for (i = 0; !err && i < c->n_peer; i++)
		err = loc_or(m->loc, c->local_tag, &c->peer_locs[i], SHIM6_LOC_PEER);
	if (err)
		goto undo;
	if (!(loc_kind(m->loc, c->local_tag, &c->loc_local) & SHIM6_LOC_LOCAL) ||
	    !(loc_kind(m->loc, c->local_tag, &c->loc_peer) & SHIM6_LOC_PEER)) {
		err = -EINVAL;
		goto undo;
	}
	err = ptag_set(m, c->peer_tag, &c->loc_local, &c->loc_peer, &ulids);
	if (err)
		goto undo;
	in.fbd_slot = shim6_fbd_claim(m, c->local_tag);
	if (bpf_map_update_elem(m->tag, &c->local_tag, &in, BPF_NOEXIST)) {
		err = -errno;
		goto undo_ptag;
	}
	if (bpf_map_update_elem(m->ulid, &ulids, &eg, BPF_NOEXIST)) {
		err = -errno;
		bpf_map_delete_elem(m->tag, &c->local_tag);
		goto undo_ptag;
	}
	return 0;

undo_ptag:
	shim6_fbd_release(m, in.fbd_slot, c->local_tag);
	ptag_del(m, c->peer_tag, &c->loc_local, &c->loc_peer);
undo:
	loc_del_all(m->loc, c->local_tag);
	return err;
}

int shim6_ctx_get(const struct shim6_maps *m, uint64_t local_tag, struct shim6_ulid_key *ulids,
		  struct shim6_egress_ctx *eg, struct shim6_ingress_ctx *in)
{
	struct shim6_ingress_ctx tmp_in;
	struct shim6_egress_ctx tmp_eg;

	if (!in)
		in = &tmp_in;
	if (!eg)
		eg = &tmp_eg;
	if (bpf_map_lookup_elem(m->tag, &local_tag, in))
		return -errno == -ENOENT ? -ENOENT : -errno;
	ulids->local = in->ulid_local;
	ulids->peer = in->ulid_peer;
	if (bpf_map_lookup_elem(m->ulid, ulids, eg))
		return -ENOENT;
	return 0;
}

int shim6_ctx_del(const struct shim6_maps *m, uint64_t local_tag, struct shim6_ulid_key *removed)
{
	struct shim6_ingress_ctx in = {};
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	int err;

	err = shim6_ctx_get(m, local_tag, &ulids, &eg, &in);
	if (err == -ENOENT) {
		/* half a context (an interrupted add): remove what is there */
		if (bpf_map_lookup_elem(m->tag, &local_tag, &in) ||
		    bpf_map_delete_elem(m->tag, &local_tag))
			return -ENOENT;
		shim6_fbd_release(m, in.fbd_slot, local_tag);
		loc_del_all(m->loc, local_tag);
		return 0;
	}
	if (err)
		return err;
	shim6_path_purge(m, local_tag);
	bpf_map_delete_elem(m->ulid, &ulids);
	ptag_del(m, eg.peer_tag, &eg.loc_local, &eg.loc_peer);
	bpf_map_delete_elem(m->tag, &local_tag);
	shim6_fbd_release(m, in.fbd_slot, local_tag);
	loc_del_all(m->loc, local_tag);
	if (removed)
		*removed = ulids;
	return 0;
}

int shim6_ctx_del_known(const struct shim6_maps *m, const struct shim6_ctx_spec *c)
{
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	struct shim6_ingress_ctx in;
	struct shim6_loc_key k = { .local_tag = c->local_tag };
	int err, i;

	err = shim6_ctx_get(m, c->local_tag, &ulids, &eg, &in);
	if (err)
		return err;
	if (!addr_eq(&ulids.local, &c->ulid_local) || !addr_eq(&ulids.peer, &c->ulid_peer))
		return -EINVAL;
	shim6_path_purge(m, c->local_tag);
	bpf_map_delete_elem(m->ulid, &ulids);
	ptag_del(m, eg.peer_tag, &eg.loc_local, &eg.loc_peer);
	bpf_map_delete_elem(m->tag, &c->local_tag);
	shim6_fbd_release(m, in.fbd_slot, c->local_tag);
	k.addr = c->ulid_local;
	bpf_map_delete_elem(m->loc, &k);
	k.addr = c->ulid_peer;
	bpf_map_delete_elem(m->loc, &k);
	for (i = 0; i < c->n_local; i++) {
		k.addr = c->local_locs[i];
		bpf_map_delete_elem(m->loc, &k);
	}
	for (i = 0; i < c->n_peer; i++) {
		k.addr = c->peer_locs[i];
		bpf_map_delete_elem(m->loc, &k);
	}
	return 0;
}

int shim6_ctx_set_path(const struct shim6_maps *m, uint64_t local_tag,
		       const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		       uint32_t ifindex, struct shim6_ulid_key *ulids)
{
	struct shim6_egress_ctx eg, old;
	int err;

	err = shim6_ctx_get(m, local_tag, ulids, &eg, NULL);
	if (err)
		return err;
	if (!(loc_kind(m->loc, local_tag, loc_local) & SHIM6_LOC_LOCAL) ||
	    !(loc_kind(m->loc, local_tag, loc_peer) & SHIM6_LOC_PEER))
		return -EINVAL;
	old = eg;
	err = ptag_set(m, eg.peer_tag, loc_local, loc_peer, ulids);
	if (err)
		return err;
	eg.loc_local = *loc_local;
	eg.loc_peer = *loc_peer;
	eg.ifindex = ifindex;
	if (addr_eq(loc_local, &ulids->local) && addr_eq(loc_peer, &ulids->peer))
		eg.flags &= ~SHIM6_CTX_F_REWRITE;
	else
		eg.flags |= SHIM6_CTX_F_REWRITE;
	if (bpf_map_update_elem(m->ulid, ulids, &eg, BPF_EXIST))
		return -errno;
	/* the old pair's ICMP mapping stays while a multipath path uses it */
	if ((!addr_eq(&old.loc_local, loc_local) || !addr_eq(&old.loc_peer, loc_peer)) &&
	    !shim6_path_uses_pair(m, local_tag, &old.loc_local, &old.loc_peer))
		ptag_del(m, old.peer_tag, &old.loc_local, &old.loc_peer);
	return 0;
}

int shim6_ctx_for_each_loc(const struct shim6_maps *m, uint64_t local_tag,
			   void (*fn)(const union shim6_addr *a, uint32_t kind, void *arg),
			   void *arg)
{
	struct shim6_loc_key k, next;
	void *prev = NULL;
	uint32_t v;
	int n = 0;

	while (bpf_map_get_next_key(m->loc, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (next.local_tag != local_tag || bpf_map_lookup_elem(m->loc, &next, &v))
			continue;
		fn(&next.addr, v, arg);
		n++;
	}
	return n;
}
