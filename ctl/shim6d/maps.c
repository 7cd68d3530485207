// SPDX-License-Identifier: GPL-2.0
/* shim6d's view of the pinned maps, written through loader/; see maps.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <zlib.h>

#include <bpf/bpf.h>

#include <linux/types.h>
#include "bpf/shim6_shared.h"
#include "loader/loader.h"
#include "loader/dp_stats.h"
#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/maps.h"

int maps_attach(const char *root, const char *ifname, bool xdp, uint32_t max_ctx)
{
	struct shim6_attach_opts o = {
		.ifname = ifname,
		.ingress = xdp ? SHIM6_INGRESS_XDP : SHIM6_INGRESS_TC,
		.max_ctx = max_ctx,
	};

	return shim6_attach(root, &o);
}

int maps_open(struct dp_maps *m, const char *root)
{
	int err;

	snprintf(m->root, sizeof(m->root), "%s", root);
	m->events_fd = -1;
	m->ok = false;
	m->m = malloc(sizeof(*m->m));
	if (!m->m)
		return -ENOMEM;
	err = shim6_maps_open(root, m->m);
	if (err) {
		free(m->m);
		m->m = NULL;
		return err;
	}
	m->ok = m->m->ulid >= 0 && m->m->tag >= 0 && m->m->loc >= 0;
	m->events_fd = m->m->events;
	return m->ok ? 0 : -ENOENT;
}

void maps_close(struct dp_maps *m)
{
	if (m->m) {
		shim6_maps_close(m->m);
		free(m->m);
	}
	m->m = NULL;
	m->events_fd = -1;
	m->ok = false;
}

static void add_unique(union shim6_addr *set, int *n, const uint8_t a[16])
{
	int i;

	for (i = 0; i < *n; i++)
		if (memcmp(set[i].b, a, 16) == 0)
			return;
	if (*n < SHIM6_MAX_LOCATORS)
		memcpy(set[(*n)++].b, a, 16);
}

/* What the maps hold for this ULID pair under another tag (a previous life). */
static void drop_stale(struct dp_maps *m, const struct shim6_ctx *c)
{
	struct shim6_ulid_key uk = { 0 };
	struct shim6_egress_ctx e;

	shim6_ctx_del(m->m, c->ct_local, NULL);
	memcpy(uk.local.b, c->ulid_local, 16);
	memcpy(uk.peer.b, c->ulid_peer, 16);
	if (bpf_map_lookup_elem(m->m->ulid, &uk, &e) == 0)
		shim6_ctx_del(m->m, e.local_tag, NULL);
}

int maps_ctx_write(struct dp_maps *m, const struct shim6_ctx *c)
{
	struct shim6_ctx_spec s;
	int i, err, oif, lock;

	if (!m->ok)
		return -ENODEV;
	memset(&s, 0, sizeof(s));
	memcpy(s.ulid_local.b, c->ulid_local, 16);
	memcpy(s.ulid_peer.b, c->ulid_peer, 16);
	s.local_tag = c->ct_local;
	s.peer_tag = c->ct_peer;
	add_unique(s.local_locs, &s.n_local, c->ulid_local);
	add_unique(s.local_locs, &s.n_local, c->lp_local);
	for (i = 0; i < c->n_ls_local; i++)
		add_unique(s.local_locs, &s.n_local, c->ls_local[i]);
	add_unique(s.peer_locs, &s.n_peer, c->ulid_peer);
	add_unique(s.peer_locs, &s.n_peer, c->lp_peer);
	for (i = 0; i < c->n_ls_peer; i++)
		if (c->ls_peer[i].verified)
			add_unique(s.peer_locs, &s.n_peer, c->ls_peer[i].addr);
	memcpy(s.loc_local.b, c->lp_local, 16);
	memcpy(s.loc_peer.b, c->lp_peer, 16);
	{
		/*
		 * Rewriting a context (new peer tag or locator set) keeps the
		 * pair in use (chosen by the operator or path exploration) while
		 * both ends of it are still locators of the context.
		 */
		struct shim6_ingress_ctx in;
		struct shim6_egress_ctx e;
		struct shim6_ulid_key uk;
		bool l = false, p = false;

		if (shim6_ctx_get(m->m, c->ct_local, &uk, &e, &in) == 0) {
			for (i = 0; i < s.n_local; i++)
				l |= memcmp(s.local_locs[i].b, e.loc_local.b, 16) == 0;
			for (i = 0; i < s.n_peer; i++)
				p |= memcmp(s.peer_locs[i].b, e.loc_peer.b, 16) == 0;
			if (l && p) {
				s.loc_local = e.loc_local;
				s.loc_peer = e.loc_peer;
			}
		}
	}
	oif = shim6_route_oif(s.loc_local.b, s.loc_peer.b);
	s.ifindex = oif > 0 ? (uint32_t)oif : 0;

	lock = shim6_lock(m->root);
	if (lock < 0)
		return lock;
	err = shim6_ctx_add(m->m, &s);
	if (err == -EEXIST) {
		/* an update (new CT(peer), new locators) or a stale entry: replace */
		drop_stale(m, c);
		err = shim6_ctx_add(m->m, &s);
	}
	shim6_unlock(lock);
	if (!err && m->routes) {
		/* TCP must leave room for the 8-byte header once the path moves */
		int rerr = shim6_peer_route_add(c->ulid_local, c->ulid_peer,
						 (int)s.ifindex);

		if (rerr)
			log_warn("context 0x%llx: no per-peer route (MTU - 8): %s",
				 (unsigned long long)c->ct_local, strerror(-rerr));
	}
	return err;
}

int maps_ctx_set_path(struct dp_maps *m, const struct shim6_ctx *c)
{
	struct shim6_ulid_key ulids;	/* filled by the loader (not optional) */
	union shim6_addr l, p;
	int oif, lock, err;

	if (!m->ok)
		return -ENODEV;
	memcpy(l.b, c->lp_local, 16);
	memcpy(p.b, c->lp_peer, 16);
	oif = shim6_route_oif(c->lp_local, c->lp_peer);
	if (oif < 0)
		return oif;
	lock = shim6_lock(m->root);
	if (lock < 0)
		return lock;
	err = shim6_ctx_set_path(m->m, c->ct_local, &l, &p, (uint32_t)oif, &ulids);
	shim6_unlock(lock);
	if (!err && m->routes)	/* the new locator's device may have a smaller MTU */
		shim6_peer_route_add(ulids.local.b, ulids.peer.b, oif);
	return err;
}

void maps_ctx_delete(struct dp_maps *m, const struct shim6_ctx *c)
{
	int lock;

	if (!m->ok)
		return;
	lock = shim6_lock(m->root);
	shim6_ctx_del(m->m, c->ct_local, NULL);
	if (lock >= 0)
		shim6_unlock(lock);
	if (m->routes)
		shim6_peer_route_del(c->ulid_local, c->ulid_peer);
}

void maps_loc_delete(struct dp_maps *m, uint64_t tag, const uint8_t addr[16])
{
	struct shim6_loc_key k;

	if (!m->ok)
		return;
	memset(&k, 0, sizeof(k));
	k.local_tag = tag;
	memcpy(k.addr.b, addr, 16);
	bpf_map_delete_elem(m->m->loc, &k);
}

int maps_ctx_activity(struct dp_maps *m, const struct shim6_ctx *c, uint64_t *activity)
{
	struct shim6_ulid_key uk;
	struct shim6_egress_ctx e;
	struct shim6_ingress_ctx in;

	if (!m->ok)
		return -ENODEV;
	if (shim6_ctx_get(m->m, c->ct_local, &uk, &e, &in))
		return -ENOENT;
	*activity = e.last_send + in.last_recv;
	return 0;
}

int maps_static_del(struct dp_maps *m, uint64_t tag)
{
	struct shim6_ulid_key removed;
	int lock, err;

	if (!m->ok)
		return -ENODEV;
	lock = shim6_lock(m->root);
	if (lock < 0)
		return lock;
	memset(&removed, 0, sizeof(removed));
	err = shim6_ctx_del(m->m, tag, &removed);
	shim6_unlock(lock);
	if (!err)
		shim6_peer_route_del(removed.local.b, removed.peer.b);
	return err;
}

int maps_static_set_path(struct dp_maps *m, uint64_t tag, const uint8_t l[16],
			 const uint8_t p[16])
{
	struct shim6_ulid_key ulids;
	union shim6_addr ll, lp;
	int oif, lock, err;

	if (!m->ok)
		return -ENODEV;
	memcpy(ll.b, l, 16);
	memcpy(lp.b, p, 16);
	oif = shim6_route_oif(l, p);
	if (oif < 0)
		return oif;
	lock = shim6_lock(m->root);
	if (lock < 0)
		return lock;
	err = shim6_ctx_set_path(m->m, tag, &ll, &lp, (uint32_t)oif, &ulids);
	shim6_unlock(lock);
	if (!err)	/* the new locator's device may have a smaller MTU */
		shim6_peer_route_add(ulids.local.b, ulids.peer.b, oif);
	return err;
}

int maps_stats_reset(struct dp_maps *m)
{
	if (!m->ok || m->m->stats < 0)
		return -ENODEV;
	return dp_stats_reset(m->m, m->root, NULL);
}

/*
 * The kernel's HZ, to express the trigger time in jiffies: CONFIG_HZ from
 * /proc/config.gz or /boot/config-RELEASE, else 250 (what the data plane
 * assumes, shim6_hz).
 */
static unsigned int kernel_hz(void)
{
	char path[128], line[128];
	unsigned int hz = 250, v;
	struct utsname u;
	gzFile gz;
	FILE *f;

	gz = gzopen("/proc/config.gz", "rb");
	if (gz) {
		while (gzgets(gz, line, sizeof(line)))
			if (sscanf(line, "CONFIG_HZ=%u", &v) == 1 && v) {
				gzclose(gz);
				return v;
			}
		gzclose(gz);
	}
	if (uname(&u))
		return hz;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "r");
	if (!f)
		return hz;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CONFIG_HZ=%u", &hz) == 1)
			break;
	fclose(f);
	return hz ? hz : 250;
}

unsigned int maps_kernel_hz(void)
{
	static unsigned int hz;

	if (!hz)
		hz = kernel_hz();
	return hz;
}

int maps_set_cfg(struct dp_maps *m, uint64_t trigger_bytes, uint32_t trigger_ms, bool no_trigger)
{
	struct shim6_cfg cfg = { 0 };
	__u32 zero = 0;

	if (!m->m || m->m->cfg < 0)
		return -ENOENT;
	bpf_map_lookup_elem(m->m->cfg, &zero, &cfg);
	cfg.trigger_bytes = trigger_bytes;
	/* 0 is the data plane's default (60 s); anything else in jiffies */
	cfg.trigger_jiffies = trigger_ms == 60000 ? 0 : (uint64_t)trigger_ms * kernel_hz() / 1000;
	if (no_trigger)
		cfg.flags |= SHIM6_CFG_F_NO_TRIGGER;
	else
		cfg.flags &= ~SHIM6_CFG_F_NO_TRIGGER;
	return bpf_map_update_elem(m->m->cfg, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

int maps_set_daemon(struct dp_maps *m, bool running)
{
	struct shim6_cfg cfg = { 0 };
	__u32 zero = 0;

	if (!m->m || m->m->cfg < 0)
		return -ENOENT;
	bpf_map_lookup_elem(m->m->cfg, &zero, &cfg);
	if (running)
		cfg.flags |= SHIM6_CFG_F_DAEMON;
	else
		cfg.flags &= ~SHIM6_CFG_F_DAEMON;
	return bpf_map_update_elem(m->m->cfg, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

/* Peer locators of a resumed context other than the ULID (verified before they were written). */
struct resume_arg {
	struct shim6_ctx *c;
};

static void resume_loc(const union shim6_addr *a, uint32_t kind, void *arg)
{
	struct shim6_ctx *c = ((struct resume_arg *)arg)->c;

	if ((kind & SHIM6_LOC_PEER) && memcmp(a->b, c->ulid_peer, 16) != 0 &&
	    c->n_ls_peer < CTX_MAX_LOCS) {
		memcpy(c->ls_peer[c->n_ls_peer].addr, a->b, 16);
		c->ls_peer[c->n_ls_peer++].verified = 1;
	}
	if ((kind & SHIM6_LOC_LOCAL) && memcmp(a->b, c->ulid_local, 16) != 0 &&
	    c->n_ls_local < CTX_MAX_LOCS)
		memcpy(c->ls_local[c->n_ls_local++], a->b, 16);
}

int maps_resume(struct dp_maps *m, struct ctx_table *t, uint64_t now_ms)
{
	__u64 tag, next, *prev = NULL;
	struct resume_arg ra;
	int n = 0;

	if (!m->ok)
		return -ENODEV;
	while (bpf_map_get_next_key(m->m->tag, prev, &next) == 0) {
		struct shim6_ingress_ctx in;
		struct shim6_egress_ctx e;
		struct shim6_ulid_key uk;
		struct shim6_ctx *c;

		tag = next;
		prev = &tag;
		if (shim6_ctx_get(m->m, tag, &uk, &e, &in) || e.local_tag != tag)
			continue; /* half-written: the daemon died between two updates */
		c = calloc(1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		memcpy(c->ulid_local, uk.local.b, 16);
		memcpy(c->ulid_peer, uk.peer.b, 16);
		memcpy(c->lp_local, e.loc_local.b, 16);
		memcpy(c->lp_peer, e.loc_peer.b, 16);
		c->ct_local = tag;
		c->state = CTX_ESTABLISHED;
		c->in_maps = true;
		c->dp_activity = e.last_send + in.last_recv;
		c->created_ms = c->established_ms = c->last_active_ms = now_ms;
		if (ctx_insert_with_tag(t, c)) {
			free(c);
			continue;
		}
		ctx_set_peer_tag(t, c, e.peer_tag);
		n++;
	}
	/*
	 * The locators: one walk of shim6_loc for all contexts (a walk per
	 * context, shim6_ctx_for_each_loc, is O(contexts^2): hours at 100k).
	 * Resume runs at start, on an empty table: every context found by
	 * the tag is one resumed above.
	 */
	{
		struct shim6_loc_key k, lnext, *lprev = NULL;
		__u32 v;

		while (bpf_map_get_next_key(m->m->loc, lprev, &lnext) == 0) {
			k = lnext;
			lprev = &k;
			ra.c = ctx_find_tag(t, k.local_tag);
			if (ra.c && ra.c->in_maps && !bpf_map_lookup_elem(m->m->loc, &k, &v))
				resume_loc(&k.addr, v, &ra);
		}
	}
	return n;
}
