// SPDX-License-Identifier: GPL-2.0
/* Multipath path tables and per-pair failure detection in shim6d; see mpath.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

bool mpath_rule_on(struct dp_maps *m)
{
	struct shim6_mark_rule r;

	return m->ok && shim6_mark_rule_get(m->m, &r) == 0 && r.mask;
}

int mpath_sync(struct dp_maps *m, const struct shim6_ctx *c)
{
	union shim6_addr loc[SHIM6_MAX_LOCATORS], peer[SHIM6_MAX_LOCATORS];
	int nl = 0, np = 0, i, j, err = 0, lock;
	uint32_t idx = 1;

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

/*
 * Probes of broken paths: an ICMPv6 Echo Request from our ULID to the
 * peer's, marked with the path's index and the rule's probe bit, so the
 * data plane sends it on that (broken) path; the peer's kernel answers on
 * its own choice of pair.  A reply proves our direction of the path works
 * again (and the request's arrival refreshes the peer's receive stamp of
 * the pair).  One raw socket for all; replies are read at the next tick.
 */
#define PROBE_ID	0x5336
#define PROBE_MAGIC	0x6d706174U	/* "mpat" */

struct probe_payload {
	uint32_t magic;
	uint32_t index;
	uint64_t tag;
};

static int probe_fd = -1;

static int probe_sock(void)
{
	struct icmp6_filter f;

	if (probe_fd >= 0)
		return probe_fd;
	probe_fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (probe_fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	setsockopt(probe_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	return probe_fd;
}

static int probe_send(const struct shim6_ctx *c, uint32_t index, const struct shim6_mark_rule *r)
{
	struct {
		struct icmp6_hdr h;
		struct probe_payload p;
	} __attribute__((packed)) msg = {
		.h = { .icmp6_type = ICMP6_ECHO_REQUEST },
		.p = { .magic = PROBE_MAGIC, .index = index, .tag = c->ct_local },
	};
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 }, dst = { .sin6_family = AF_INET6 };
	uint32_t mark = ((index << r->shift) & r->mask) | (r->probe & -r->probe);
	int fd = probe_sock(), s;

	if (fd < 0)
		return fd;
	msg.h.icmp6_id = htons(PROBE_ID);
	msg.h.icmp6_seq = htons((uint16_t)index);
	memcpy(&src.sin6_addr, c->ulid_local, 16);
	memcpy(&dst.sin6_addr, c->ulid_peer, 16);
	/* the source must be our ULID: a second socket bound to it, per probe */
	s = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (s < 0)
		return -errno;
	if (setsockopt(s, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) ||
	    bind(s, (struct sockaddr *)&src, sizeof(src)) ||
	    sendto(s, &msg, sizeof(msg), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		int err = -errno;

		close(s);
		return err;
	}
	close(s);
	return 0;
}

/* Replies to our probes: the path they name is ok again. */
static int probe_drain(struct dp_maps *m)
{
	struct {
		struct icmp6_hdr h;
		struct probe_payload p;
	} __attribute__((packed)) msg;
	struct sockaddr_in6 from;
	socklen_t fl = sizeof(from);
	int n = 0;

	if (probe_fd < 0)
		return 0;
	for (;;) {
		struct shim6_ulid_key uk;
		struct shim6_egress_ctx eg;
		struct shim6_path pa;
		ssize_t len = recvfrom(probe_fd, &msg, sizeof(msg), 0, (struct sockaddr *)&from, &fl);

		if (len < 0)
			break;
		if (len != sizeof(msg) || msg.h.icmp6_type != ICMP6_ECHO_REPLY ||
		    msg.h.icmp6_id != htons(PROBE_ID) || msg.p.magic != PROBE_MAGIC)
			continue;
		if (shim6_ctx_get(m->m, msg.p.tag, &uk, &eg, NULL) ||
		    memcmp(uk.peer.b, &from.sin6_addr, 16) ||
		    shim6_path_get(m->m, msg.p.tag, msg.p.index, &pa) ||
		    !(pa.flags & SHIM6_PATH_F_BROKEN))
			continue;
		shim6_path_set_broken(m->m, msg.p.tag, msg.p.index, false);
		log_notice("context 0x%llx: path %u answers probes again: ok",
			   (unsigned long long)msg.p.tag, msg.p.index);
		n++;
	}
	return n;
}

int mpath_check(struct dp_maps *m, const struct shim6_ctx *c, uint32_t send_timeout_ms,
		unsigned int hz)
{
	struct shim6_mark_rule rule = { 0 };
	struct shim6_ulid_key uk;
	struct shim6_egress_ctx eg;
	int changed = 0;
	uint64_t t;

	if (!send_timeout_ms)
		send_timeout_ms = REAP_SEND_TIMEOUT_MS;
	t = (uint64_t)send_timeout_ms * (hz ? hz : 250) / 1000;
	if (!m->ok || shim6_ctx_get(m->m, c->ct_local, &uk, &eg, NULL) ||
	    !(eg.flags & SHIM6_CTX_F_PATHS))
		return 0;
	shim6_mark_rule_get(m->m, &rule);
	changed += probe_drain(m);
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
		} else if (broken && rx.last_recv > pa.last_send) {
			/* the peer's packets arrive on the pair again */
			shim6_path_set_broken(m->m, c->ct_local, i, false);
			log_notice("context 0x%llx: path %u receives again: ok",
				   (unsigned long long)c->ct_local, i);
			changed++;
		} else if (broken && rule.probe) {
			probe_send(c, i, &rule);
		} else if (broken && eg.last_send > pa.last_send + 2 * t) {
			/* no probe bit: retry it after a hold-down of context activity */
			shim6_path_set_broken(m->m, c->ct_local, i, false);
			log_notice("context 0x%llx: path %u retried after hold-down",
				   (unsigned long long)c->ct_local, i);
			changed++;
		}
	}
	return changed;
}

int mpath_gc_visit(struct shim6_ctx *c, void *arg)
{
	struct mpath_gc *g = arg;

	if (c->state != CTX_ESTABLISHED || !c->in_maps)
		return 0;
	mpath_sync(g->maps, c);
	mpath_check(g->maps, c, c->reap ? c->reap->send_timeout_ms : 0, g->hz);
	return 0;
}
