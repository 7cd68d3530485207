// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl path { add | del | state | show | mark-rule }: the multipath path
 * table of a context (docs/MULTIPATH.md), written straight into the pinned
 * maps like `path set`.  Index 0 is the default path (the current pair,
 * moved by `path set` or REAP); indexes 1..15 are extra pairs chosen per
 * packet by the skb mark: index = (mark & mask) >> shift.
 */
#include <stdlib.h>

#include <bpf/bpf.h>

#include "ctl/shim6ctl/dp_maps.h"
#include "ctl/shim6ctl/path_multi.h"
#include "loader/path.h"

void path_multi_usage(FILE *f)
{
	fprintf(f,
		"       shim6ctl path add tag TAG index N local ADDR peer ADDR\n"
		"       shim6ctl path del tag TAG index N\n"
		"       shim6ctl path state tag TAG index N { ok | broken }\n"
		"       shim6ctl path show [ tag TAG ]\n"
		"       shim6ctl path mark-rule [ mask MASK [ shift SHIFT ] [ probe BITS ] | off ]\n"
		"Multipath: index N (1..%d) is an extra locator pair of the context, used by\n"
		"packets whose skb mark (SO_MARK, nft meta mark) gives (mark & MASK) >> SHIFT\n"
		"= N; index 0 and packets without a matching rule use the default path (the\n"
		"current pair, `path set`).  An index without a path, or a path in state\n"
		"broken, falls back to the default path and is counted (pass_path_missing,\n"
		"pass_path_broken).  mark-rule without arguments shows the rule; mask 0\n"
		"(off, the default) ignores marks.  A packet whose mark has a probe bit (outside\n"
		"MASK) uses its path even when broken: shim6d probes broken paths that way.\n",
		SHIM6_MAX_PATHS - 1);
}

struct path_args {
	uint64_t tag;
	uint64_t index;
	uint8_t l[16], p[16];
	bool have_tag, have_index, have_l, have_p;
	int state;	/* -1 none, 0 ok, 1 broken */
};

static int parse_args(int argc, char **argv, struct path_args *a)
{
	a->state = -1;
	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", argv[0], &a->tag))
				return 1;
			a->have_tag = true;
		} else if (matches(argv[0], "index")) {
			NEXT_ARG("index");
			if (parse_u64("index", argv[0], SHIM6_MAX_PATHS - 1, &a->index))
				return 1;
			if (a->index == 0)
				return cli_error("index 0 is the default path: move it with "
						 "\"shim6ctl path set\"");
			a->have_index = true;
		} else if (matches(argv[0], "local")) {
			NEXT_ARG("local");
			if (parse_in6("local", argv[0], a->l))
				return 1;
			a->have_l = true;
		} else if (matches(argv[0], "peer")) {
			NEXT_ARG("peer");
			if (parse_in6("peer", argv[0], a->p))
				return 1;
			a->have_p = true;
		} else if (matches(argv[0], "ok")) {
			a->state = 0;
		} else if (matches(argv[0], "broken")) {
			a->state = 1;
		} else if (is_help(argv[0])) {
			path_multi_usage(stdout);
			return 2;
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl path help\"",
					 argv[0]);
		}
	}
	return 0;
}

/* Open the maps and take the lock; prints why not. */
static int open_locked(struct shim6_maps *m, int *lock)
{
	if (dp_open(m))
		return 1;
	*lock = shim6_lock(cli.bpffs);
	if (*lock < 0) {
		shim6_maps_close(m);
		return 1;
	}
	return 0;
}

static void close_locked(struct shim6_maps *m, int lock)
{
	shim6_unlock(lock);
	shim6_maps_close(m);
}

static int report(int err, const struct path_args *a, const char *what)
{
	if (!err)
		return 0;
	if (err == -ENOENT && !a->have_index)
		return cli_error("no context with tag 0x%llx", (unsigned long long)a->tag);
	if (err == -ENOENT)
		return cli_error("no context 0x%llx or no path %llu in it",
				 (unsigned long long)a->tag, (unsigned long long)a->index);
	if (err == -EINVAL)
		return cli_error("local and peer must be a local and a peer locator of context "
				 "0x%llx", (unsigned long long)a->tag);
	if (err == -ENOTSUP)
		return 1; /* the loader said why */
	return cli_error("cannot %s path %llu of 0x%llx: %s", what,
			 (unsigned long long)a->index, (unsigned long long)a->tag, strerror(-err));
}

static int path_add(int argc, char **argv)
{
	struct path_args a = {};
	union shim6_addr l, p;
	struct shim6_maps m;
	int lock, err, oif, r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r == 2 ? 0 : r;
	if (!a.have_tag || !a.have_index || !a.have_l || !a.have_p)
		return cli_error("path add needs tag, index, local and peer");
	l = addr_of(a.l);
	p = addr_of(a.p);
	oif = shim6_route_oif(a.l, a.p);
	if (oif < 0) {
		char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

		return cli_error("no route from %s to %s: %s", addr_str(&l, b1), addr_str(&p, b2),
				 strerror(-oif));
	}
	if (open_locked(&m, &lock))
		return 1;
	err = shim6_path_add(&m, a.tag, (uint32_t)a.index, &l, &p, (uint32_t)oif);
	close_locked(&m, lock);
	return report(err, &a, "add");
}

static int path_del(int argc, char **argv)
{
	struct path_args a = {};
	struct shim6_maps m;
	int lock, err, r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r == 2 ? 0 : r;
	if (!a.have_tag || !a.have_index)
		return cli_error("path del needs tag and index");
	if (open_locked(&m, &lock))
		return 1;
	err = shim6_path_del(&m, a.tag, (uint32_t)a.index);
	close_locked(&m, lock);
	return report(err, &a, "delete");
}

static int path_state(int argc, char **argv)
{
	struct path_args a = {};
	struct shim6_maps m;
	int lock, err, r;

	r = parse_args(argc, argv, &a);
	if (r)
		return r == 2 ? 0 : r;
	if (!a.have_tag || !a.have_index || a.state < 0)
		return cli_error("path state needs tag, index and ok or broken");
	if (open_locked(&m, &lock))
		return 1;
	err = shim6_path_set_broken(&m, a.tag, (uint32_t)a.index, a.state == 1);
	close_locked(&m, lock);
	return report(err, &a, "set the state of");
}

void path_multi_print(const struct shim6_maps *m, uint64_t local_tag)
{
	struct shim6_path_info pi[SHIM6_MAX_PATHS];
	struct shim6_egress_ctx eg;
	struct shim6_ulid_key uk;
	int n, i;

	if (shim6_ctx_get(m, local_tag, &uk, &eg, NULL))
		return;
	n = shim6_path_list(m, local_tag, pi, SHIM6_MAX_PATHS);
	if (n < 0)
		return;
	/* text: the table only for contexts that have one (JSON: always) */
	if (!(eg.flags & SHIM6_CTX_F_PATHS) && !print_is_json())
		return;
	print_open_array("paths");
	print_text("    paths:\n");
	for (i = 0; i < n; i++) {
		const char *state = pi[i].index == 0 ? "default" :
				    pi[i].flags & SHIM6_PATH_F_BROKEN ? "broken" : "ok";

		print_open_object(NULL);
		print_uint(PRINT_ANY, "index", "      %llu", pi[i].index);
		print_in6(PRINT_ANY, "local", " %s", &pi[i].loc_local);
		print_in6(PRINT_ANY, "peer", " %s", &pi[i].loc_peer);
		print_string(PRINT_ANY, "state", " %s", state);
		print_bool(PRINT_ANY, "rewrite", NULL, !!(pi[i].flags & SHIM6_PATH_F_REWRITE));
		print_text("%s", pi[i].flags & SHIM6_PATH_F_REWRITE ? " rewritten" : " ulids");
		print_uint(PRINT_ANY, "ifindex", " ifindex %llu", pi[i].ifindex);
		print_uint(PRINT_ANY, "tx_packets", " tx %llu packets", pi[i].tx_packets);
		print_uint(PRINT_ANY, "tx_bytes", " %llu bytes", pi[i].tx_bytes);
		print_uint(PRINT_ANY, "rx_packets", " rx %llu packets", pi[i].rx_packets);
		print_uint(PRINT_ANY, "rx_bytes", " %llu bytes\n", pi[i].rx_bytes);
		print_uint(PRINT_ANY, "last_send", NULL, pi[i].last_send);
		print_uint(PRINT_ANY, "last_recv", NULL, pi[i].last_recv);
		print_close_object();
	}
	print_close_array();
}

static void print_rule(const struct shim6_mark_rule *r)
{
	print_open_object("mark_rule");
	print_hex(PRINT_ANY, "mask", "mark-rule mask %s", r->mask);
	print_uint(PRINT_ANY, "shift", " shift %llu", r->shift);
	print_hex(PRINT_ANY, "probe", " probe %s", r->probe);
	print_text("%s\n", r->mask ? "" : " (off: marks are ignored)");
	print_close_object();
}

static int path_show(int argc, char **argv)
{
	struct path_args a = {};
	struct shim6_mark_rule rule = {};
	struct shim6_maps m;
	uint64_t key, next;
	void *prev = NULL;
	bool found = false;
	int r, ret = 0;

	r = parse_args(argc, argv, &a);
	if (r)
		return r == 2 ? 0 : r;
	if (a.have_index || a.have_l || a.have_p || a.state >= 0)
		return cli_error("path show takes only \"tag TAG\"");
	if (dp_open(&m))
		return 1;
	print_open_object(NULL);
	if (shim6_mark_rule_get(&m, &rule) == 0)
		print_rule(&rule);
	print_open_array("contexts");
	while (bpf_map_get_next_key(m.tag, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (a.have_tag && key != a.tag)
			continue;
		print_open_object(NULL);
		print_hex(PRINT_ANY, "local_tag", "tag %s\n", key);
		path_multi_print(&m, key);
		print_close_object();
		found = true;
		if (a.have_tag)
			break;
	}
	print_close_array();
	print_close_object();
	if (a.have_tag && !found)
		ret = cli_error("no context with tag 0x%llx", (unsigned long long)a.tag);
	shim6_maps_close(&m);
	return ret;
}

static int path_mark_rule(int argc, char **argv)
{
	struct shim6_mark_rule rule = {};
	bool have_mask = false, have_shift = false, have_probe = false, off = false;
	uint64_t v;
	struct shim6_maps m;
	int lock, err;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "mask")) {
			NEXT_ARG("mask");
			if (parse_u64("mask", argv[0], UINT32_MAX, &v))
				return 1;
			rule.mask = (uint32_t)v;
			have_mask = true;
		} else if (matches(argv[0], "shift")) {
			NEXT_ARG("shift");
			if (parse_u64("shift", argv[0], 31, &v))
				return 1;
			rule.shift = (uint32_t)v;
			have_shift = true;
		} else if (matches(argv[0], "probe")) {
			NEXT_ARG("probe");
			if (parse_u64("probe", argv[0], UINT32_MAX, &v))
				return 1;
			rule.probe = (uint32_t)v;
			have_probe = true;
		} else if (matches(argv[0], "off")) {
			off = true;
		} else if (is_help(argv[0])) {
			path_multi_usage(stdout);
			return 0;
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl path help\"",
					 argv[0]);
		}
	}
	if (off && (have_mask || have_shift || have_probe))
		return cli_error("mark-rule off takes no mask, shift or probe");
	if ((have_shift || have_probe) && !have_mask)
		return cli_error("mark-rule shift and probe need a mask");
	if (!off && !have_mask) {
		if (dp_open(&m))
			return 1;
		err = shim6_mark_rule_get(&m, &rule);
		shim6_maps_close(&m);
		if (err)
			return err == -ENOTSUP ? 1 : cli_error("cannot read the mark rule: %s",
							       strerror(-err));
		print_open_object(NULL);
		print_rule(&rule);
		print_close_object();
		return 0;
	}
	if (open_locked(&m, &lock))
		return 1;
	err = shim6_mark_rule_set(&m, &rule);
	close_locked(&m, lock);
	if (err == -ENOTSUP)
		return 1;
	if (err == -EINVAL)
		return cli_error("the probe bits 0x%x overlap the mask 0x%x", rule.probe, rule.mask);
	if (err)
		return cli_error("cannot set the mark rule: %s", strerror(-err));
	return 0;
}

int path_multi(int argc, char **argv)
{
	if (argc < 1)
		return -1;
	if (matches(argv[0], "add"))
		return path_add(argc - 1, argv + 1);
	if (matches(argv[0], "del"))
		return path_del(argc - 1, argv + 1);
	if (matches(argv[0], "state"))
		return path_state(argc - 1, argv + 1);
	if (matches(argv[0], "show"))
		return path_show(argc - 1, argv + 1);
	if (matches(argv[0], "mark-rule"))
		return path_mark_rule(argc - 1, argv + 1);
	return -1;
}
