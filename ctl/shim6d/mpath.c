// SPDX-License-Identifier: GPL-2.0
/* Multipath path tables and per-pair failure detection in shim6d; see mpath.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <bpf/bpf.h>

#include <linux/types.h>
#include "bpf/shim6_shared.h"
#include "loader/loader.h"
#include "loader/path.h"
#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/maps.h"
#include "ctl/shim6d/mpath.h"
#include "ctl/shim6d/reap.h"

static void add_unique(union shim6_addr *set, int *n, const uint8_t a[16])
{
	for (int i = 0; i < *n; i++)
		if (memcmp(set[i].b, a, 16) == 0)
			return;
	if (*n < SHIM6_MAX_LOCATORS)
		memcpy(set[(*n)++].b, a, 16);
}

static bool rule_on(struct dp_maps *m)
{
	struct shim6_mark_rule r;

	return m->ok && shim6_mark_rule_get(m->m, &r) == 0 && r.mask;
}

int mpath_sync(struct dp_maps *m, const struct shim6_ctx *c)
{
	union shim6_addr loc[SHIM6_MAX_LOCATORS], peer[SHIM6_MAX_LOCATORS];
	int nl = 0, np = 0, i, j, err = 0, lock;
	uint32_t idx = 1;

	if (!rule_on(m))
		return 0;
	add_unique(loc, &nl, c->ulid_local);
	for (i = 0; i < c->n_ls_local; i++)
		add_unique(loc, &nl, c->ls_local[i]);
	add_unique(peer, &np, c->ulid_peer);
	for (i = 0; i < c->n_ls_peer; i++)
		if (c->ls_peer[i].verified)
			add_unique(peer, &np, c->ls_peer[i].addr);
	lock = shim6_lock(m->root);
	if (lock < 0)
		return lock;
	for (i = 0; i < nl && idx < SHIM6_MAX_PATHS; i++) {
		for (j = 0; j < np && idx < SHIM6_MAX_PATHS; j++, idx++) {
			struct shim6_path pa;
			int oif;

			if (shim6_path_get(m->m, c->ct_local, idx, &pa) == 0 &&
			    !memcmp(&pa.loc_local, &loc[i], 16) && !memcmp(&pa.loc_peer, &peer[j], 16))
				continue;
			oif = shim6_route_oif(loc[i].b, peer[j].b);
			err = shim6_path_add(m->m, c->ct_local, idx, &loc[i], &peer[j],
					     oif > 0 ? (uint32_t)oif : 0);
			if (err) {
				log_warn("context 0x%llx: cannot write path %u: %s",
					 (unsigned long long)c->ct_local, idx, strerror(-err));
				goto out;
			}
		}
	}
	for (; idx < SHIM6_MAX_PATHS; idx++)	/* locators that went away */
		shim6_path_del(m->m, c->ct_local, idx);
out:
	shim6_unlock(lock);
	return err;
}

int mpath_check(struct dp_maps *m, const struct shim6_ctx *c, uint32_t send_timeout_ms,
		unsigned int hz)
{
	uint64_t t;
	struct shim6_ulid_key uk;
	struct shim6_egress_ctx eg;
	int changed = 0;

	if (!send_timeout_ms)
		send_timeout_ms = REAP_SEND_TIMEOUT_MS;
	t = (uint64_t)send_timeout_ms * (hz ? hz : 250) / 1000;
	if (!m->ok || shim6_ctx_get(m->m, c->ct_local, &uk, &eg, NULL) ||
	    !(eg.flags & SHIM6_CTX_F_PATHS))
		return 0;
	for (uint32_t i = 1; i < SHIM6_MAX_PATHS; i++) {
		struct shim6_pair_rx rx = { 0 };
		struct shim6_path pa;
		bool broken;

		if (shim6_path_get(m->m, c->ct_local, i, &pa))
			continue;
		shim6_pair_get(m->m, c->ct_local, &pa.loc_local, &pa.loc_peer, &rx);
		broken = pa.flags & SHIM6_PATH_F_BROKEN;
		if (!broken && rx.last_recv && pa.last_send > rx.last_recv + t) {
			shim6_path_set_broken(m->m, c->ct_local, i, true);
			log_notice("context 0x%llx: path %u broken (sent for %llu ms without "
				   "receiving on its pair): its packets take the default path",
				   (unsigned long long)c->ct_local, i,
				   (unsigned long long)send_timeout_ms);
			changed++;
		} else if (broken && (rx.last_recv > pa.last_send ||
				      eg.last_send > pa.last_send + 2 * t)) {
			/* the pair receives again, or retry it after a hold-down */
			shim6_path_set_broken(m->m, c->ct_local, i, false);
			log_notice("context 0x%llx: path %u %s", (unsigned long long)c->ct_local, i,
				   rx.last_recv > pa.last_send ? "receives again: ok" :
								 "retried after hold-down");
			changed++;
		}
	}
	return changed;
}

int mpath_gc_visit(struct shim6_ctx *c, void *arg)
{
	struct mpath_gc *g = arg;

	if (c->state != CTX_ESTABLISHED || !c->in_maps || !rule_on(g->maps))
		return 0;
	mpath_sync(g->maps, c);
	mpath_check(g->maps, c, c->reap ? c->reap->send_timeout_ms : 0, g->hz);
	return 0;
}
