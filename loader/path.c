// SPDX-License-Identifier: GPL-2.0
/*
 * Multipath path tables in the pinned maps (see loader/path.h).  The data
 * plane updates the counters and stamps of shim6_path entries in place; the
 * read-modify-writes here (flags) may lose a count that lands in between,
 * as a stats reset may.
 */
#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

#include "loader/path.h"

static bool addr_eq(const union shim6_addr *a, const union shim6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static int need_maps(const struct shim6_maps *m)
{
	if (m->path < 0 || m->pair < 0 || m->mark < 0) {
		pr_err("the pinned maps have no multipath tables (shim6_path, shim6_pair, "
		       "shim6_mark): detach, remove the pin root and attach again\n");
		return -ENOTSUP;
	}
	return 0;
}

static uint32_t loc_kind(int fd, uint64_t tag, const union shim6_addr *a)
{
	struct shim6_loc_key k = { .local_tag = tag, .addr = *a };
	uint32_t v = 0;

	if (bpf_map_lookup_elem(fd, &k, &v))
		return 0;
	return v;
}

/* Sets or clears the PATHS flags of both halves of the context. */
static int ctx_paths_flag(const struct shim6_maps *m, uint64_t tag, bool on)
{
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	struct shim6_ingress_ctx in;
	int err;

	err = shim6_ctx_get(m, tag, &ulids, &eg, &in);
	if (err)
		return err;
	if (on) {
		eg.flags |= SHIM6_CTX_F_PATHS;
		in.flags |= SHIM6_ICTX_F_PATHS;
	} else {
		eg.flags &= ~SHIM6_CTX_F_PATHS;
		in.flags &= ~SHIM6_ICTX_F_PATHS;
	}
	/* ingress first: receive accounting is harmless before egress uses paths */
	if (bpf_map_update_elem(m->tag, &tag, &in, BPF_EXIST))
		return -errno;
	if (bpf_map_update_elem(m->ulid, &ulids, &eg, BPF_EXIST))
		return -errno;
	return 0;
}

static bool pair_used(const struct shim6_maps *m, uint64_t tag, const struct shim6_egress_ctx *eg,
		      const union shim6_addr *l, const union shim6_addr *p, uint32_t skip)
{
	struct shim6_path pa;
	uint32_t i;

	if (addr_eq(&eg->loc_local, l) && addr_eq(&eg->loc_peer, p))
		return true;
	for (i = 1; i < SHIM6_MAX_PATHS; i++)
		if (i != skip && shim6_path_get(m, tag, i, &pa) == 0 &&
		    addr_eq(&pa.loc_local, l) && addr_eq(&pa.loc_peer, p))
			return true;
	return false;
}

static void ptag_set(const struct shim6_maps *m, uint64_t peer_tag, const union shim6_addr *l,
		     const union shim6_addr *p, const struct shim6_ulid_key *ulids)
{
	struct shim6_ptag_key k = { .peer_tag = peer_tag, .loc_local = *l, .loc_peer = *p };

	if (m->ptag >= 0)
		bpf_map_update_elem(m->ptag, &k, ulids, BPF_ANY);
}

static void ptag_del(const struct shim6_maps *m, uint64_t peer_tag, const union shim6_addr *l,
		     const union shim6_addr *p)
{
	struct shim6_ptag_key k = { .peer_tag = peer_tag, .loc_local = *l, .loc_peer = *p };

	if (m->ptag >= 0)
		bpf_map_delete_elem(m->ptag, &k);
}

bool shim6_path_uses_pair(const struct shim6_maps *m, uint64_t local_tag,
			  const union shim6_addr *l, const union shim6_addr *p)
{
	struct shim6_path pa;

	for (uint32_t i = 1; i < SHIM6_MAX_PATHS && m->path >= 0; i++)
		if (shim6_path_get(m, local_tag, i, &pa) == 0 && addr_eq(&pa.loc_local, l) &&
		    addr_eq(&pa.loc_peer, p))
			return true;
	return false;
}

int shim6_path_get(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
		   struct shim6_path *out)
{
	struct shim6_path_key k = { .local_tag = local_tag, .index = index };

	if (m->path < 0)
		return -ENOTSUP;
	return bpf_map_lookup_elem(m->path, &k, out) ? -errno : 0;
}

int shim6_path_add(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
		   const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		   uint32_t ifindex)
{
	struct shim6_path_key k = { .local_tag = local_tag, .index = index };
	struct shim6_path pa = { .loc_local = *loc_local, .loc_peer = *loc_peer,
				 .ifindex = ifindex };
	struct shim6_path old;
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	bool had;
	int err;

	err = need_maps(m);
	if (err)
		return err;
	if (index < 1 || index >= SHIM6_MAX_PATHS)
		return -ERANGE;
	err = shim6_ctx_get(m, local_tag, &ulids, &eg, NULL);
	if (err)
		return err;
	if (!(loc_kind(m->loc, local_tag, loc_local) & SHIM6_LOC_LOCAL) ||
	    !(loc_kind(m->loc, local_tag, loc_peer) & SHIM6_LOC_PEER))
		return -EINVAL;
	if (!addr_eq(loc_local, &ulids.local) || !addr_eq(loc_peer, &ulids.peer))
		pa.flags |= SHIM6_PATH_F_REWRITE;
	had = shim6_path_get(m, local_tag, index, &old) == 0;
	ptag_set(m, eg.peer_tag, loc_local, loc_peer, &ulids);
	if (bpf_map_update_elem(m->path, &k, &pa, BPF_ANY))
		return -errno;
	if (had && !pair_used(m, local_tag, &eg, &old.loc_local, &old.loc_peer, 0))
		ptag_del(m, eg.peer_tag, &old.loc_local, &old.loc_peer);
	err = ctx_paths_flag(m, local_tag, true);
	if (err) {
		bpf_map_delete_elem(m->path, &k);
		return err;
	}
	return 0;
}

int shim6_path_del(const struct shim6_maps *m, uint64_t local_tag, uint32_t index)
{
	struct shim6_path_key k = { .local_tag = local_tag, .index = index };
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	struct shim6_path pa;
	uint32_t i;
	int err;

	err = need_maps(m);
	if (err)
		return err;
	if (index < 1 || index >= SHIM6_MAX_PATHS)
		return -ERANGE;
	err = shim6_path_get(m, local_tag, index, &pa);
	if (err)
		return err;
	if (bpf_map_delete_elem(m->path, &k))
		return -errno;
	if (shim6_ctx_get(m, local_tag, &ulids, &eg, NULL))
		return 0; /* the context went meanwhile */
	if (!pair_used(m, local_tag, &eg, &pa.loc_local, &pa.loc_peer, index))
		ptag_del(m, eg.peer_tag, &pa.loc_local, &pa.loc_peer);
	for (i = 1; i < SHIM6_MAX_PATHS; i++)
		if (shim6_path_get(m, local_tag, i, &pa) == 0)
			return 0;
	return ctx_paths_flag(m, local_tag, false);
}

int shim6_path_set_broken(const struct shim6_maps *m, uint64_t local_tag, uint32_t index,
			  bool broken)
{
	struct shim6_path_key k = { .local_tag = local_tag, .index = index };
	struct shim6_path pa;
	int err;

	err = need_maps(m);
	if (err)
		return err;
	err = shim6_path_get(m, local_tag, index, &pa);
	if (err)
		return err;
	if (broken == !!(pa.flags & SHIM6_PATH_F_BROKEN))
		return 0;
	if (broken)
		pa.flags |= SHIM6_PATH_F_BROKEN;
	else
		pa.flags &= ~SHIM6_PATH_F_BROKEN;
	return bpf_map_update_elem(m->path, &k, &pa, BPF_EXIST) ? -errno : 0;
}

int shim6_pair_get(const struct shim6_maps *m, uint64_t local_tag,
		   const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		   struct shim6_pair_rx *out)
{
	struct shim6_pair_key k = { .local_tag = local_tag, .loc_local = *loc_local,
				    .loc_peer = *loc_peer };

	if (m->pair < 0)
		return -ENOTSUP;
	return bpf_map_lookup_elem(m->pair, &k, out) ? -errno : 0;
}

static void fill_rx(const struct shim6_maps *m, uint64_t tag, struct shim6_path_info *pi)
{
	struct shim6_pair_rx rx;

	if (shim6_pair_get(m, tag, &pi->loc_local, &pi->loc_peer, &rx))
		return;
	pi->last_recv = rx.last_recv;
	pi->rx_packets = rx.rx_packets;
	pi->rx_bytes = rx.rx_bytes;
}

int shim6_path_list(const struct shim6_maps *m, uint64_t local_tag,
		    struct shim6_path_info *out, int max)
{
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	uint64_t tx_p = 0, tx_b = 0;
	struct shim6_path pa;
	uint32_t i;
	int n = 0, err;

	if (max < 1)
		return -EINVAL;
	err = shim6_ctx_get(m, local_tag, &ulids, &eg, NULL);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out[0].loc_local = eg.loc_local;
	out[0].loc_peer = eg.loc_peer;
	out[0].ifindex = eg.ifindex;
	out[0].flags = eg.flags & SHIM6_CTX_F_REWRITE ? SHIM6_PATH_F_REWRITE : 0;
	out[0].last_send = eg.last_send;
	fill_rx(m, local_tag, &out[0]);
	n = 1;
	for (i = 1; i < SHIM6_MAX_PATHS && m->path >= 0; i++) {
		struct shim6_path_info *pi = &out[n];

		if (shim6_path_get(m, local_tag, i, &pa))
			continue;
		tx_p += pa.tx_packets;
		tx_b += pa.tx_bytes;
		if (n == max)
			continue;
		memset(pi, 0, sizeof(*pi));
		pi->index = i;
		pi->loc_local = pa.loc_local;
		pi->loc_peer = pa.loc_peer;
		pi->ifindex = pa.ifindex;
		pi->flags = pa.flags;
		pi->last_send = pa.last_send;
		pi->tx_packets = pa.tx_packets;
		pi->tx_bytes = pa.tx_bytes;
		fill_rx(m, local_tag, pi);
		n++;
	}
	/* the default path carried what the context sent minus the paths' share */
	out[0].tx_packets = eg.tx_packets > tx_p ? eg.tx_packets - tx_p : 0;
	out[0].tx_bytes = eg.tx_bytes > tx_b ? eg.tx_bytes - tx_b : 0;
	return n;
}

void shim6_path_purge(const struct shim6_maps *m, uint64_t local_tag)
{
	struct shim6_path_key pk = { .local_tag = local_tag };
	struct shim6_pair_key k, next, victims[64];
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	struct shim6_ingress_ctx in;
	struct shim6_path pa;
	bool more = true;
	uint32_t i;
	int n, j;

	if (m->path < 0 || m->pair < 0)
		return;
	/* only contexts that had paths have entries: the others cost nothing */
	if (shim6_ctx_get(m, local_tag, &ulids, &eg, &in) == 0 &&
	    !(eg.flags & SHIM6_CTX_F_PATHS) && !(in.flags & SHIM6_ICTX_F_PATHS))
		return;
	for (i = 1; i < SHIM6_MAX_PATHS; i++) {
		pk.index = i;
		if (shim6_path_get(m, local_tag, i, &pa))
			continue;
		if (!addr_eq(&pa.loc_local, &eg.loc_local) || !addr_eq(&pa.loc_peer, &eg.loc_peer))
			ptag_del(m, eg.peer_tag, &pa.loc_local, &pa.loc_peer);
		bpf_map_delete_elem(m->path, &pk);
	}
	while (more) {
		void *prev = NULL;

		n = 0;
		more = false;
		while (bpf_map_get_next_key(m->pair, prev, &next) == 0) {
			k = next;
			prev = &k;
			if (next.local_tag != local_tag)
				continue;
			if (n == 64) {
				more = true;
				break;
			}
			victims[n++] = next;
		}
		for (j = 0; j < n; j++)
			bpf_map_delete_elem(m->pair, &victims[j]);
	}
}

void shim6_path_reset_counters(const struct shim6_maps *m, uint64_t local_tag)
{
	struct shim6_path_key pk = { .local_tag = local_tag };
	struct shim6_pair_key k, next;
	struct shim6_pair_rx rx;
	struct shim6_path pa;
	void *prev = NULL;

	if (m->path < 0 || m->pair < 0)
		return;
	for (uint32_t i = 1; i < SHIM6_MAX_PATHS; i++) {
		pk.index = i;
		if (bpf_map_lookup_elem(m->path, &pk, &pa))
			continue;
		pa.tx_packets = pa.tx_bytes = 0;
		bpf_map_update_elem(m->path, &pk, &pa, BPF_EXIST);
	}
	while (bpf_map_get_next_key(m->pair, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (next.local_tag != local_tag || bpf_map_lookup_elem(m->pair, &next, &rx))
			continue;
		rx.rx_packets = rx.rx_bytes = 0;
		bpf_map_update_elem(m->pair, &next, &rx, BPF_EXIST);
	}
}

int shim6_mark_rule_get(const struct shim6_maps *m, struct shim6_mark_rule *r)
{
	uint32_t zero = 0;
	int err = need_maps(m);

	if (err)
		return err;
	return bpf_map_lookup_elem(m->mark, &zero, r) ? -errno : 0;
}

int shim6_mark_rule_set(const struct shim6_maps *m, const struct shim6_mark_rule *r)
{
	uint32_t zero = 0;
	int err = need_maps(m);

	if (err)
		return err;
	if (r->shift >= 32)
		return -ERANGE;
	if (r->probe & r->mask)
		return -EINVAL;	/* a probe bit would also select an index */
	return bpf_map_update_elem(m->mark, &zero, r, BPF_ANY) ? -errno : 0;
}
