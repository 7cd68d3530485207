// SPDX-License-Identifier: GPL-2.0
#include "selftests/bpf/dp.h"
#include "loader/fbd.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int on_event(void *arg, void *data, size_t size)
{
	struct dp *dp = arg;

	if (size < sizeof(struct shim6_event) || dp->nev == (int)(sizeof(dp->ev) / sizeof(dp->ev[0])))
		return 0;
	memcpy(&dp->ev[dp->nev++], data, sizeof(struct shim6_event));
	return 0;
}

static void unpin_all(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
		bpf_map__set_pin_path(m, NULL);
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN || getenv("SHIM6_TEST_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

int dp_open(struct dp *dp, uint32_t max_ctx)
{
	static const char *shared[] = { "shim6_ulid", "shim6_tag", "shim6_loc", "shim6_ptag",
					"shim6_flow", "shim6_cfg", "shim6_stats", "shim6_events",
					"shim6_path", "shim6_pair", "shim6_mark", "shim6_fbd" };
	int err;

	memset(dp, 0, sizeof(*dp));
	libbpf_set_print(silent);
	dp->eg = shim6_egress__open();
	dp->in = shim6_ingress__open();
	if (!dp->eg || !dp->in) {
		err = -errno;
		goto fail;
	}
	unpin_all(dp->eg->obj);
	unpin_all(dp->in->obj);
	if (max_ctx) {
		bpf_map__set_max_entries(dp->eg->maps.shim6_ulid, max_ctx);
		bpf_map__set_max_entries(dp->eg->maps.shim6_tag, max_ctx);
		bpf_map__set_max_entries(dp->eg->maps.shim6_loc, max_ctx * 4);
		bpf_map__set_max_entries(dp->eg->maps.shim6_ptag, max_ctx);
		bpf_map__set_max_entries(dp->eg->maps.shim6_fbd, max_ctx + 1);
	}
	err = shim6_egress__load(dp->eg);
	if (err)
		goto fail;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		struct bpf_map *src = bpf_object__find_map_by_name(dp->eg->obj, shared[i]);
		struct bpf_map *dst = bpf_object__find_map_by_name(dp->in->obj, shared[i]);

		err = bpf_map__reuse_fd(dst, bpf_map__fd(src));
		if (err)
			goto fail;
	}
	err = shim6_ingress__load(dp->in);
	if (err)
		goto fail;
	dp->rb = ring_buffer__new(bpf_map__fd(dp->eg->maps.shim6_events), on_event, dp, NULL);
	if (!dp->rb) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	dp_close(dp);
	return err ? err : -EINVAL;
}

void dp_maps(struct dp *dp, struct shim6_maps *m)
{
	m->ulid = bpf_map__fd(dp->eg->maps.shim6_ulid);
	m->tag = bpf_map__fd(dp->eg->maps.shim6_tag);
	m->loc = bpf_map__fd(dp->eg->maps.shim6_loc);
	m->ptag = bpf_map__fd(dp->eg->maps.shim6_ptag);
	m->flow = bpf_map__fd(dp->eg->maps.shim6_flow);
	m->cfg = bpf_map__fd(dp->eg->maps.shim6_cfg);
	m->stats = bpf_map__fd(dp->eg->maps.shim6_stats);
	m->events = bpf_map__fd(dp->eg->maps.shim6_events);
	m->path = bpf_map__fd(dp->eg->maps.shim6_path);
	m->pair = bpf_map__fd(dp->eg->maps.shim6_pair);
	m->mark = bpf_map__fd(dp->eg->maps.shim6_mark);
	m->fbd = bpf_map__fd(dp->eg->maps.shim6_fbd);
	shim6_fbd_mmap(m);
}

void dp_maps_release(struct shim6_maps *m)
{
	shim6_fbd_munmap(m);
}

void dp_close(struct dp *dp)
{
	ring_buffer__free(dp->rb);
	shim6_ingress__destroy(dp->in);
	shim6_egress__destroy(dp->eg);
	memset(dp, 0, sizeof(*dp));
}

static int loc_add(int fd, uint64_t tag, const struct in6_addr *a, uint32_t side)
{
	struct shim6_loc_key k = { .local_tag = tag };
	uint32_t v = 0;

	memcpy(&k.addr, a, 16);
	bpf_map_lookup_elem(fd, &k, &v);
	v |= side;
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY);
}

int dp_ctx_add(struct dp *dp, const struct dp_ctx *c)
{
	struct shim6_ulid_key uk = {};
	struct shim6_egress_ctx ec = {};
	struct shim6_ingress_ctx ic = {};
	struct shim6_ptag_key pk = {};
	int loc = bpf_map__fd(dp->eg->maps.shim6_loc);
	int err;

	memcpy(&uk.local, &c->ulid_local, 16);
	memcpy(&uk.peer, &c->ulid_peer, 16);
	memcpy(&ec.loc_local, &c->loc_local, 16);
	memcpy(&ec.loc_peer, &c->loc_peer, 16);
	ec.peer_tag = c->peer_tag;
	ec.local_tag = c->local_tag;
	ec.ifindex = c->ifindex;
	if (memcmp(&c->ulid_local, &c->loc_local, 16) || memcmp(&c->ulid_peer, &c->loc_peer, 16))
		ec.flags |= SHIM6_CTX_F_REWRITE;
	err = bpf_map_update_elem(bpf_map__fd(dp->eg->maps.shim6_ulid), &uk, &ec, BPF_ANY);
	if (err)
		return err;
	memcpy(&ic.ulid_local, &c->ulid_local, 16);
	memcpy(&ic.ulid_peer, &c->ulid_peer, 16);
	err = bpf_map_update_elem(bpf_map__fd(dp->eg->maps.shim6_tag), &c->local_tag, &ic, BPF_ANY);
	if (err)
		return err;
	err = loc_add(loc, c->local_tag, &c->ulid_local, SHIM6_LOC_LOCAL) ?:
	      loc_add(loc, c->local_tag, &c->loc_local, SHIM6_LOC_LOCAL) ?:
	      loc_add(loc, c->local_tag, &c->ulid_peer, SHIM6_LOC_PEER) ?:
	      loc_add(loc, c->local_tag, &c->loc_peer, SHIM6_LOC_PEER);
	if (!err && c->has_extra_local)
		err = loc_add(loc, c->local_tag, &c->extra_local, SHIM6_LOC_LOCAL);
	if (!err && c->has_extra_peer)
		err = loc_add(loc, c->local_tag, &c->extra_peer, SHIM6_LOC_PEER);
	if (err)
		return err;
	pk.peer_tag = c->peer_tag;
	memcpy(&pk.loc_local, &c->loc_local, 16);
	memcpy(&pk.loc_peer, &c->loc_peer, 16);
	return bpf_map_update_elem(bpf_map__fd(dp->eg->maps.shim6_ptag), &pk, &uk, BPF_ANY);
}

int dp_cfg_set(struct dp *dp, const struct shim6_cfg *cfg)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(bpf_map__fd(dp->eg->maps.shim6_cfg), &zero, cfg, BPF_ANY);
}

int dp_run_tc(int prog_fd, struct dp_run *r)
{
	struct __sk_buff skb = {};
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = r->in, .data_size_in = r->in_len,
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .repeat = r->repeat);
	int err;

	if (r->gso_size || r->mark) {
		skb.gso_size = r->gso_size;
		skb.gso_segs = r->gso_segs;
		skb.mark = r->mark;
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	err = bpf_prog_test_run_opts(prog_fd, &o);
	r->out_len = o.data_size_out;
	r->retval = o.retval;
	r->duration = o.duration;
	return err ? -errno : 0;
}

int dp_run_xdp(int prog_fd, struct dp_run *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = r->in, .data_size_in = r->in_len,
		    .data_out = r->out, .data_size_out = sizeof(r->out),
		    .repeat = r->repeat);
	int err;

	err = bpf_prog_test_run_opts(prog_fd, &o);
	r->out_len = o.data_size_out;
	r->retval = o.retval;
	r->duration = o.duration;
	return err ? -errno : 0;
}

uint64_t dp_count(struct dp *dp, enum shim6_reason reason)
{
	int ncpu = libbpf_num_possible_cpus();
	struct shim6_counter *c;
	uint32_t key = reason;
	uint64_t sum = 0;

	if (ncpu <= 0)
		return 0;
	c = calloc(ncpu, sizeof(*c));
	if (!c)
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(dp->eg->maps.shim6_stats), &key, c))
		for (int i = 0; i < ncpu; i++)
			sum += c[i].packets;
	free(c);
	return sum;
}

void dp_count_reset(struct dp *dp)
{
	int ncpu = libbpf_num_possible_cpus();
	struct shim6_counter *c = calloc(ncpu > 0 ? ncpu : 1, sizeof(*c));

	if (!c)
		return;
	for (uint32_t k = 0; k < SHIM6_REASON_MAX; k++)
		bpf_map_update_elem(bpf_map__fd(dp->eg->maps.shim6_stats), &k, c, BPF_ANY);
	free(c);
}

int dp_events(struct dp *dp)
{
	int before = dp->nev;

	ring_buffer__consume(dp->rb);
	return dp->nev - before;
}
