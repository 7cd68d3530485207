// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl context { show | add | del }: static, unauthenticated contexts
 * written straight into the pinned maps (testing, debugging, and the model
 * of what shim6d writes after a handshake).
 */
#include <stdlib.h>

#include <bpf/bpf.h>

#include "ctl/shim6ctl/dp_maps.h"
#include "loader/fbd.h"
#include "ctl/shim6ctl/path_multi.h"
#include "ctl/shim6ctl/reap_cols.h"
#include "ctl/shim6ctl/via_daemon.h"

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: shim6ctl context [ show ] [ tag TAG | ulid-local ADDR ulid-peer ADDR ]\n"
		"       shim6ctl context add ulid-local ADDR ulid-peer ADDR local-tag TAG peer-tag TAG\n"
		"                            local-locators ADDR[,ADDR...] peer-locators ADDR[,ADDR...]\n"
		"                            [ path LOCAL-LOCATOR PEER-LOCATOR ]\n"
		"       shim6ctl context del tag TAG\n"
		"TAG is a 47-bit context tag in 0x hex: local-tag is ours (the peer puts it on\n"
		"packets to us), peer-tag the peer's.  The ULIDs count as locators.  Without\n"
		"path, the locator pair is the ULID pair (no rewriting).  add also installs a\n"
		"route to the peer ULID with MTU = device MTU - 8 so TCP leaves room for the\n"
		"Shim6 header; del removes it.\n"
		"While shim6d runs (its control socket, $SHIM6D_SOCKET, answers for this pin\n"
		"root), del goes through it, and show adds what shim6d knows: state, verified\n"
		"locator sets, contexts not yet in the maps, and each context's REAP view\n"
		"(state, current pair, Send and Keepalive Timeouts, probes and keepalives\n"
		"sent/received, explorations, path changes, the last one's age and recovery\n"
		"time).\n");
	return status;
}

/* ---- show ---- */

struct loc_entry {
	uint64_t tag;
	union shim6_addr addr;
	uint32_t kind;
};

struct loc_table {
	struct loc_entry *v;
	size_t n;
};

static int cmp_loc(const void *a, const void *b)
{
	const struct loc_entry *x = a, *y = b;

	if (x->tag != y->tag)
		return x->tag < y->tag ? -1 : 1;
	return memcmp(&x->addr, &y->addr, 16);
}

/* One pass over shim6_loc, sorted by tag: show-all stays linear. */
static int loc_table_load(int fd, struct loc_table *t)
{
	struct shim6_loc_key k, next;
	void *prev = NULL;
	size_t cap = 0;

	t->v = NULL;
	t->n = 0;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint32_t kind;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &next, &kind))
			continue;
		if (t->n == cap) {
			struct loc_entry *nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(t->v, cap * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			t->v = nv;
		}
		t->v[t->n++] = (struct loc_entry){ next.local_tag, next.addr, kind };
	}
	qsort(t->v, t->n, sizeof(*t->v), cmp_loc);
	return 0;
}

static void print_locs(const struct loc_table *t, uint64_t tag, uint32_t kind, const char *key,
		       const char *label)
{
	size_t lo = 0, hi = t->n, i;
	bool first = true;

	while (lo < hi) { /* first entry of the tag */
		size_t mid = (lo + hi) / 2;

		if (t->v[mid].tag < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	print_open_array(key);
	print_text("    %s ", label);
	for (i = lo; i < t->n && t->v[i].tag == tag; i++) {
		if (!(t->v[i].kind & kind))
			continue;
		if (!first)
			print_text(",");
		print_in6(PRINT_ANY, NULL, "%s", &t->v[i].addr);
		first = false;
	}
	print_text("\n");
	print_close_array();
}

/* The context's FBD slot (JSON only, like last_send): where REAP reads it. */
static void print_fbd(const struct shim6_maps *m, uint64_t tag, uint32_t slot)
{
	struct shim6_fbd f;

	print_uint(PRINT_JSON, "fbd_slot", NULL, slot);
	if (!slot || shim6_fbd_read(m, slot, tag, &f))
		return;
	print_open_object("fbd");
	print_uint(PRINT_JSON, "last_send", NULL, f.last_send);
	print_uint(PRINT_JSON, "last_recv", NULL, f.last_recv);
	print_uint(PRINT_JSON, "send_start", NULL, f.send_start);
	print_close_object();
}

static int show_one(const struct shim6_maps *m, const struct loc_table *t, uint64_t tag)
{
	struct shim6_ulid_key ulids;
	struct shim6_egress_ctx eg;
	struct shim6_ingress_ctx in;
	int err;

	err = shim6_ctx_get(m, tag, &ulids, &eg, &in);
	if (err)
		return err;
	print_open_object(NULL);
	print_hex(PRINT_ANY, "local_tag", "tag %s", tag);
	print_hex(PRINT_ANY, "peer_tag", " peer-tag %s", eg.peer_tag);
	print_in6(PRINT_ANY, "ulid_local", " ulid-local %s", &ulids.local);
	print_in6(PRINT_ANY, "ulid_peer", " ulid-peer %s\n", &ulids.peer);
	print_in6(PRINT_ANY, "loc_local", "    path %s", &eg.loc_local);
	print_in6(PRINT_ANY, "loc_peer", " %s", &eg.loc_peer);
	print_bool(PRINT_ANY, "rewrite", NULL, !!(eg.flags & SHIM6_CTX_F_REWRITE));
	print_text("%s", eg.flags & SHIM6_CTX_F_REWRITE ? " (rewritten)" : " (ULIDs)");
	print_uint(PRINT_ANY, "ifindex", " ifindex %llu\n", eg.ifindex);
	print_locs(t, tag, SHIM6_LOC_LOCAL, "local_locators", "local-locators");
	print_locs(t, tag, SHIM6_LOC_PEER, "peer_locators", "peer-locators");
	print_uint(PRINT_ANY, "tx_packets", "    tx %llu packets", eg.tx_packets);
	print_uint(PRINT_ANY, "tx_bytes", " %llu bytes", eg.tx_bytes);
	print_uint(PRINT_ANY, "rx_packets", " rx %llu packets", in.rx_packets);
	print_uint(PRINT_ANY, "rx_bytes", " %llu bytes\n", in.rx_bytes);
	print_uint(PRINT_ANY, "last_send", NULL, eg.last_send);
	print_uint(PRINT_ANY, "last_recv", NULL, in.last_recv);
	print_fbd(m, tag, in.fbd_slot);
	path_multi_print(m, tag);
	reap_cols_print(daemon_view_contexts(), tag);
	daemon_view_print_ctx(tag);	/* what shim6d knows, if it runs */
	print_close_object();
	return 0;
}

static int context_show(int argc, char **argv)
{
	bool by_tag = false, has_ul = false, has_up = false;
	struct loc_table t = { 0 };
	uint8_t ul[16], up[16];
	struct shim6_maps m;
	uint64_t tag = 0, key, next;
	void *prev = NULL;
	int err, ret = 0;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", argv[0], &tag))
				return 1;
			by_tag = true;
		} else if (matches(argv[0], "ulid-local")) {
			NEXT_ARG("ulid-local");
			if (parse_in6("ulid-local", argv[0], ul))
				return 1;
			has_ul = true;
		} else if (matches(argv[0], "ulid-peer")) {
			NEXT_ARG("ulid-peer");
			if (parse_in6("ulid-peer", argv[0], up))
				return 1;
			has_up = true;
		} else if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl context help\"",
					 argv[0]);
		}
	}
	if (has_ul != has_up)
		return cli_error("give both ulid-local and ulid-peer");
	if (dp_open(&m))
		return 1;
	if (has_ul) {
		struct shim6_ulid_key k = { .local = addr_of(ul), .peer = addr_of(up) };
		struct shim6_egress_ctx eg;

		if (bpf_map_lookup_elem(m.ulid, &k, &eg)) {
			shim6_maps_close(&m);
			char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

			return cli_error("no context for ulid-local %s ulid-peer %s",
					 addr_str(&k.local, b1), addr_str(&k.peer, b2));
		}
		tag = eg.local_tag;
		by_tag = true;
	}
	err = loc_table_load(m.loc, &t);
	if (err) {
		shim6_maps_close(&m);
		return cli_error("cannot read shim6_loc: %s", strerror(-err));
	}
	daemon_view_load();
	print_open_object(NULL);
	print_open_array("contexts");
	if (by_tag) {
		err = show_one(&m, &t, tag);
		if (err == -ENOENT && daemon_view_print_rest(tag))
			err = 0;	/* shim6d's, not (yet) in the maps */
		if (err == -ENOENT)
			ret = cli_error("no context with tag 0x%llx", (unsigned long long)tag);
		else if (err)
			ret = cli_error("cannot read context 0x%llx: %s", (unsigned long long)tag,
					strerror(-err));
	} else {
		while (bpf_map_get_next_key(m.tag, prev, &next) == 0) {
			key = next;
			prev = &key;
			show_one(&m, &t, key);
		}
		daemon_view_print_rest(0);
	}
	print_close_array();
	print_close_object();
	daemon_view_free();
	free(t.v);
	shim6_maps_close(&m);
	return ret;
}

/* ---- add / del ---- */

static int parse_locs(const char *what, const char *arg, union shim6_addr *out, int *n)
{
	uint8_t tmp[SHIM6_MAX_LOCATORS][16];
	int i;

	if (parse_in6_list(what, arg, tmp, SHIM6_MAX_LOCATORS, n))
		return 1;
	for (i = 0; i < *n; i++)
		out[i] = addr_of(tmp[i]);
	return 0;
}

static int context_add(int argc, char **argv)
{
	struct shim6_ctx_spec c = {};
	bool have_ul = false, have_up = false, have_lt = false, have_pt = false, have_path = false;
	uint8_t a[16], b[16];
	struct shim6_maps m;
	int lock, err;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "ulid-local")) {
			NEXT_ARG("ulid-local");
			if (parse_in6("ulid-local", argv[0], a))
				return 1;
			c.ulid_local = addr_of(a);
			have_ul = true;
		} else if (matches(argv[0], "ulid-peer")) {
			NEXT_ARG("ulid-peer");
			if (parse_in6("ulid-peer", argv[0], a))
				return 1;
			c.ulid_peer = addr_of(a);
			have_up = true;
		} else if (matches(argv[0], "local-tag")) {
			NEXT_ARG("local-tag");
			if (parse_tag("local-tag", argv[0], &c.local_tag))
				return 1;
			have_lt = true;
		} else if (matches(argv[0], "peer-tag")) {
			NEXT_ARG("peer-tag");
			if (parse_tag("peer-tag", argv[0], &c.peer_tag))
				return 1;
			have_pt = true;
		} else if (matches(argv[0], "local-locators")) {
			NEXT_ARG("local-locators");
			if (parse_locs("local-locators", argv[0], c.local_locs, &c.n_local))
				return 1;
		} else if (matches(argv[0], "peer-locators")) {
			NEXT_ARG("peer-locators");
			if (parse_locs("peer-locators", argv[0], c.peer_locs, &c.n_peer))
				return 1;
		} else if (matches(argv[0], "path")) {
			NEXT_ARG("path");
			if (parse_in6("path local locator", argv[0], a))
				return 1;
			NEXT_ARG("path");
			if (parse_in6("path peer locator", argv[0], b))
				return 1;
			c.loc_local = addr_of(a);
			c.loc_peer = addr_of(b);
			have_path = true;
		} else if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl context help\"",
					 argv[0]);
		}
	}
	if (!have_ul || !have_up || !have_lt || !have_pt)
		return cli_error("context add needs ulid-local, ulid-peer, local-tag and peer-tag");
	if (c.local_tag == 0)
		return cli_error("local-tag 0x0 is reserved");
	if (!have_path) {
		c.loc_local = c.ulid_local;
		c.loc_peer = c.ulid_peer;
	}
	/* the device the current source locator leaves through */
	err = shim6_route_oif(c.loc_local.b, c.loc_peer.b);
	if (err < 0) {
		char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];

		return cli_error("no route from %s to %s: %s", addr_str(&c.loc_local, b1),
				 addr_str(&c.loc_peer, b2), strerror(-err));
	}
	c.ifindex = (uint32_t)err;
	if (dp_open(&m))
		return 1;
	lock = shim6_lock(cli.bpffs);
	if (lock < 0) {
		shim6_maps_close(&m);
		return 1;
	}
	err = shim6_ctx_add(&m, &c);
	if (err == -EEXIST)
		cli_error("a context with local-tag 0x%llx or this ULID pair exists already",
			  (unsigned long long)c.local_tag);
	else if (err == -EINVAL)
		cli_error("the path must be a local locator and a peer locator of the context");
	else if (err == -E2BIG || err == -ENOMEM)
		cli_error("the context maps are full (%s)", strerror(-err));
	else if (err)
		cli_error("cannot add the context: %s", strerror(-err));
	if (!err) {
		err = shim6_peer_route_add(c.ulid_local.b, c.ulid_peer.b, (int)c.ifindex);
		if (err)
			shim6_ctx_del(&m, c.local_tag, NULL);
	}
	shim6_unlock(lock);
	shim6_maps_close(&m);
	return err ? 1 : 0;
}

static int context_del(int argc, char **argv)
{
	struct shim6_ulid_key removed;
	struct shim6_maps m;
	uint64_t tag = 0;
	bool have_tag = false;
	int lock, err;

	for (; argc > 0; argc--, argv++) {
		if (matches(argv[0], "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", argv[0], &tag))
				return 1;
			have_tag = true;
		} else if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl context help\"",
					 argv[0]);
		}
	}
	if (!have_tag)
		return cli_error("context del needs \"tag TAG\"");
	err = via_daemon(json_pack("{s:s, s:o}", "cmd", "context-del", "tag", via_daemon_tag(tag)),
			 NULL);
	if (err != VIA_DAEMON_ABSENT)
		return err;	/* shim6d removed it (maps, route, its state) or said why not */
	if (dp_open(&m))
		return 1;
	lock = shim6_lock(cli.bpffs);
	if (lock < 0) {
		shim6_maps_close(&m);
		return 1;
	}
	memset(&removed, 0, sizeof(removed));
	err = shim6_ctx_del(&m, tag, &removed);
	if (err == -ENOENT)
		cli_error("no context with tag 0x%llx", (unsigned long long)tag);
	else if (err)
		cli_error("cannot delete context 0x%llx: %s", (unsigned long long)tag,
			  strerror(-err));
	else
		shim6_peer_route_del(removed.local.b, removed.peer.b);
	shim6_unlock(lock);
	shim6_maps_close(&m);
	return err ? 1 : 0;
}

static int do_context(int argc, char **argv)
{
	if (argc < 1)
		return context_show(0, argv);
	if (is_help(argv[0]))
		return usage(stdout, 0);
	if (matches(argv[0], "show"))
		return context_show(argc - 1, argv + 1);
	if (matches(argv[0], "add"))
		return context_add(argc - 1, argv + 1);
	if (matches(argv[0], "del"))
		return context_del(argc - 1, argv + 1);
	/* `context tag 0x1` = `context show tag 0x1` */
	if (matches(argv[0], "tag") || matches(argv[0], "ulid-local"))
		return context_show(argc, argv);
	return cli_error("unknown context command \"%s\", try \"shim6ctl context help\"",
			 argv[0]);
}

SHIM6CTL_OBJECT("context", do_context, "show, add and delete (static) contexts")
