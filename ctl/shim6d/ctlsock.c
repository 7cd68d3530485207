// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a Unix stream socket (default /run/shim6/shim6d.sock,
 * mode 0600).  Protocol: the client writes one JSON object on one line,
 * {"cmd": "...", ...}; the daemon answers one JSON object on one line,
 * {"ok": true, ...} or {"ok": false, "error": "reason"}, and closes.
 *
 *   status                                   daemon and table summary
 *   autoconf-show                            CGAs from Router Advertisements (autoconf.c)
 *   context-show                             every context
 *   context-del   tag "0x…"                  remove one (out of the maps too)
 *   context-start ulid_local, ulid_peer      send I1 now (operator / tests)
 *   path-set      tag, local, peer           current locator pair (verified locators only)
 *   context-keepalive tag "0x…"              send one Keepalive to the peer (tests
 *                                            recovery: a peer without the context
 *                                            answers R1bis)
 *   stats                                    protocol counters
 *   stats-reset                              zero them and the data plane's counters
 *
 * context-del and path-set also act on contexts the daemon does not own
 * (static ones in the maps, `shim6ctl context add`), so that shim6ctl goes
 * through the daemon for every change while it runs.  A request may carry
 * "bpffs": the client's pin root; a daemon running other maps answers
 * {"ok": false, "code": "other-maps"} and the client acts on its maps itself.
 *   log-level     level "debug"|…            change the log level
 *   monitor       [probes true]              the connection stays open: an event
 *                                            stream, one object per line (mon.h)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <jansson.h>

#include "ctl/common/utf8.h"
#include "ctl/shim6d/autoconf.h"
#include "ctl/shim6d/ctx_json.h"
#include "ctl/shim6d/daemon.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/mon.h"
#include "ctl/shim6d/reap_daemon.h"
#include "wire/shim6_wire.h"

#define REQ_MAX 4096

__attribute__((format(printf, 1, 2)))
static json_t *err_reply(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/*
	 * The message may quote the client's bytes or jansson's parse error
	 * (which quotes them raw), and vsnprintf may cut a character in two:
	 * jansson would refuse the string and the client would get no reply.
	 */
	utf8_scrub(buf);
	return json_pack("{s:b, s:s}", "ok", 0, "error", buf);
}

/* The reply to a request on a static context (one in the maps, not shim6d's). */
static json_t *static_reply(const char *tag, int err)
{
	if (err == -ENOENT || err == -ENODEV)
		return err_reply("no context with local tag %s", tag);
	if (err)
		return err_reply("no context with local tag %s: %s", tag, strerror(-err));
	return json_pack("{s:b, s:b}", "ok", 1, "static", 1);
}

static int ctx_json(struct shim6_ctx *c, void *arg)
{
	json_t *arr = arg, *o, *locs;
	int i;

	o = json_object();
	json_object_set_new(o, "state", json_string(ctx_state_name(c->state)));
	ctx_json_identity(c, o);
	json_object_set_new(o, "in_maps", json_boolean(c->in_maps));
	json_object_set_new(o, "update_pending", json_boolean(c->update_pending));
	if (c->peer_gen_valid)
		json_object_set_new(o, "peer_generation", json_integer(c->peer_gen));
	locs = json_array();
	for (i = 0; i < c->n_ls_peer; i++)
		json_array_append_new(locs, json_addr(c->ls_peer[i].addr));
	json_object_set_new(o, "peer_locators", locs);
	locs = json_array();
	for (i = 0; i < c->n_ls_peer; i++)
		json_array_append_new(locs, json_pack("{s:i, s:i}", "priority", c->ls_peer[i].pref,
						      "flags", c->ls_peer[i].flags));
	json_object_set_new(o, "peer_preferences", locs);
	/* the same with what verified them (RFC 5533 §7.2), for shim6ctl context show */
	locs = json_array();
	for (i = 0; i < c->n_ls_peer; i++)
		json_array_append_new(locs, json_pack("{s:o, s:b, s:s, s:i, s:i}", "address",
						      json_addr(c->ls_peer[i].addr), "verified",
						      c->ls_peer[i].verified, "method",
						      c->ls_peer[i].method == 1 ? "hba" :
						      c->ls_peer[i].method == 2 ? "cga" : "none",
						      "priority", c->ls_peer[i].pref,
						      "flags", c->ls_peer[i].flags));
	json_object_set_new(o, "peer_locator_set", locs);
	locs = json_array();
	for (i = 0; i < c->n_ls_local; i++)
		json_array_append_new(locs, json_addr(c->ls_local[i]));
	json_object_set_new(o, "local_locators", locs);
	if (c->setup_us)
		json_object_set_new(o, "setup_us", json_integer((json_int_t)c->setup_us));
	reap_d_json(c, o);
	json_array_append_new(arr, o);
	return 0;
}

static json_t *do_stats(struct daemon *dm)
{
	const struct shim6d_stats *s = &dm->core.st;
	json_t *o = json_object(), *tx = json_object(), *rx = json_object();
	int t;

	json_object_set_new(o, "ok", json_true());
	json_object_set_new(o, "rx", json_integer(s->rx));
	json_object_set_new(o, "rx_malformed", json_integer(s->rx_malformed));
	json_object_set_new(o, "rx_checksum", json_integer(s->rx_checksum));
	json_object_set_new(o, "rx_unknown_type", json_integer(s->rx_unknown_type));
	json_object_set_new(o, "rx_dropped", json_integer(s->rx_dropped));
	json_object_set_new(o, "tx", json_integer(s->tx));
	json_object_set_new(o, "tx_errors", json_integer(s->tx_errors));
	json_object_set_new(o, "validator_bad", json_integer(s->validator_bad));
	json_object_set_new(o, "established", json_integer(s->established));
	json_object_set_new(o, "e_failed", json_integer(s->e_failed));
	json_object_set_new(o, "no_support", json_integer(s->no_support));
	json_object_set_new(o, "confusion", json_integer(s->confusion));
	json_object_set_new(o, "gc", json_integer(s->gc));
	json_object_set_new(o, "refused_max", json_integer(s->refused_max));
	json_object_set_new(o, "r1bis_sent", json_integer(s->r1bis_sent));
	json_object_set_new(o, "loclist_ok", json_integer(s->loclist_ok));
	json_object_set_new(o, "loclist_bad", json_integer(s->loclist_bad));
	json_object_set_new(o, "updates_sent", json_integer(s->updates_sent));
	json_object_set_new(o, "updates_acked", json_integer(s->updates_acked));
	json_object_set_new(o, "updates_received", json_integer(s->updates_received));
	json_object_set_new(o, "errors_sent", json_integer(s->errors_sent));
	json_object_set_new(o, "errors_acted", json_integer(s->errors_acted));
	json_object_set_new(o, "errors_unmatched", json_integer(s->errors_unmatched));
	json_object_set_new(o, "update_resyncs", json_integer(s->update_resyncs));
	json_object_set_new(o, "updates_abandoned", json_integer(s->updates_abandoned));
	json_object_set_new(o, "triggers", json_integer(dm->triggers));
	json_object_set_new(o, "triggers_refused", json_integer(dm->trigger_refused));
	for (t = 0; t < 128; t++) {
		const char *n = shim6_msg_type_name((uint8_t)t);
		char key[32];
		unsigned int i;

		if (!n)
			continue;
		/* "Update Request" -> "update_request" */
		for (i = 0; n[i] && i < sizeof(key) - 1; i++)
			key[i] = n[i] == ' ' ? '_' : (char)(n[i] | 0x20);
		key[i] = '\0';
		json_object_set_new(tx, key, json_integer(s->tx_type[t]));
		json_object_set_new(rx, key, json_integer(s->rx_type[t]));
	}
	json_object_set_new(o, "tx_by_type", tx);
	json_object_set_new(o, "rx_by_type", rx);
	return o;
}

static int get_addr(json_t *req, const char *key, uint8_t out[16])
{
	const char *s = json_string_value(json_object_get(req, key));

	return s && inet_pton(AF_INET6, s, out) == 1 ? 0 : -EINVAL;
}

/* The client's pin root is ours (both resolved: trailing slashes, symlinks). */
static bool same_maps(struct daemon *dm, const char *root)
{
	char a[PATH_MAX], b[PATH_MAX];

	if (!dm->maps.ok)
		return false;
	if (!realpath(root, a) || !realpath(dm->maps.root, b))
		return strcmp(root, dm->maps.root) == 0;
	return strcmp(a, b) == 0;
}

/* Zero our protocol counters and the data plane's (shim6ctl stats reset). */
static json_t *stats_reset(struct daemon *dm)
{
	int err = dm->maps.ok ? maps_stats_reset(&dm->maps) : 0;

	if (err)
		return err_reply("cannot reset the data plane's counters: %s", strerror(-err));
	memset(&dm->core.st, 0, sizeof(dm->core.st));
	dm->triggers = dm->trigger_refused = 0;
	dm->saved_sig = ~0ULL;	/* the counters sign the state file: save it anew */
	return json_pack("{s:b}", "ok", 1);
}

static json_t *handle(struct daemon *dm, json_t *req)
{
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	const char *root = json_string_value(json_object_get(req, "bpffs"));
	struct shim6_ctx *c;
	json_t *o;

	if (!cmd)
		return err_reply("request has no \"cmd\" string");
	if (root && !same_maps(dm, root))
		return json_pack("{s:b, s:s, s:s}", "ok", 0, "code", "other-maps", "error",
				 dm->maps.ok ? "shim6d runs another pin root" :
				 "shim6d has no data-plane maps");
	if (strcmp(cmd, "stats-reset") == 0)
		return stats_reset(dm);
	o = reap_d_command(dm, cmd, req);	/* set-tsend */
	if (o)
		return o;
	o = autoconf_command(dm->ac, cmd);	/* autoconf-show */
	if (o)
		return o;
	if (strcmp(cmd, "status") == 0) {
		json_t *locs = json_array();
		int i;

		for (i = 0; i < dm->ls.n; i++)
			json_array_append_new(locs, json_pack("{s:o, s:b, s:s}", "address",
					      json_addr(dm->ls.a[i].addr), "present",
					      dm->ls.a[i].present, "kind",
					      dm->ls.a[i].hba ? "hba" : "cga"));
		return json_pack("{s:b, s:s, s:I, s:I, s:b, s:b, s:s, s:I, s:o}", "ok", 1,
				 "version", SHIM6_VERSION, "contexts",
				 (json_int_t)dm->core.ctxs.count, "max_contexts",
				 (json_int_t)dm->core.cfg.max_contexts, "maps", dm->maps.ok,
				 "server_mode", dm->core.cfg.server_mode, "log_level",
				 log_level_name(log_get_level()), "locator_generation",
				 (json_int_t)dm->ls.gen, "local_addresses", locs);
	}
	if (strcmp(cmd, "context-show") == 0) {
		json_t *arr = json_array();

		ctx_for_each(&dm->core.ctxs, ctx_json, arr);
		return json_pack("{s:b, s:o}", "ok", 1, "contexts", arr);
	}
	if (strcmp(cmd, "stats") == 0)
		return do_stats(dm);
	if (strcmp(cmd, "context-del") == 0) {
		const char *s = json_string_value(json_object_get(req, "tag"));
		unsigned long long tag;
		char *end;

		if (!s || strncmp(s, "0x", 2) != 0)
			return err_reply("\"tag\" must be a 0x-prefixed hex string");
		tag = strtoull(s, &end, 16);
		if (*end)
			return err_reply("\"tag\" \"%s\" is not hex", s);
		c = ctx_find_tag(&dm->core.ctxs, tag);
		if (!c) {
			/* not ours: a static context in the maps? */
			return static_reply(s, maps_static_del(&dm->maps, tag));
		}
		proto_ctx_delete(&dm->core, c);
		return json_pack("{s:b}", "ok", 1);
	}
	if (strcmp(cmd, "context-keepalive") == 0) {
		const char *s = json_string_value(json_object_get(req, "tag"));
		unsigned long long tag;
		char *end;
		int err;

		if (!s || strncmp(s, "0x", 2) != 0)
			return err_reply("\"tag\" must be a 0x-prefixed hex string");
		tag = strtoull(s, &end, 16);
		c = *end ? NULL : ctx_find_tag(&dm->core.ctxs, tag);
		if (!c)
			return err_reply("no context with local tag %s", s);
		err = proto_send_keepalive(&dm->core, c);
		if (err)
			return err_reply("cannot send a Keepalive: %s", err == -ENOTCONN
					 ? "the context is not established" : strerror(-err));
		return json_pack("{s:b}", "ok", 1);
	}
	if (strcmp(cmd, "path-set") == 0) {
		const char *s = json_string_value(json_object_get(req, "tag"));
		uint8_t l[16], p[16], ol[16], op[16];
		unsigned long long tag;
		char *end;
		int err, i;
		bool ok_l, ok_p;

		if (!s || strncmp(s, "0x", 2) != 0 || get_addr(req, "local", l) ||
		    get_addr(req, "peer", p))
			return err_reply("path-set needs \"tag\" (0x…), \"local\" and \"peer\" addresses");
		tag = strtoull(s, &end, 16);
		if (*end)
			return err_reply("\"tag\" \"%s\" is not hex", s);
		c = ctx_find_tag(&dm->core.ctxs, tag);
		if (!c) {
			/* not ours: a static context in the maps? */
			err = maps_static_set_path(&dm->maps, tag, l, p);
			if (err == -EINVAL)
				return err_reply("local / peer: not a local and a peer locator "
						 "of context %s", s);
			return static_reply(s, err);
		}
		if (c->state != CTX_ESTABLISHED)
			return err_reply("no established context with local tag %s", s);
		/* only our locators and the peer's verified ones (§7.2) */
		ok_l = !memcmp(l, c->ulid_local, 16);
		for (i = 0; i < c->n_ls_local; i++)
			ok_l |= !memcmp(l, c->ls_local[i], 16);
		ok_p = !memcmp(p, c->ulid_peer, 16);
		for (i = 0; i < c->n_ls_peer; i++)
			ok_p |= c->ls_peer[i].verified && !memcmp(p, c->ls_peer[i].addr, 16);
		if (!ok_l || !ok_p)
			return err_reply("%s is not a %s of the context", !ok_l ? "local" : "peer",
					 !ok_l ? "local locator" : "verified peer locator");
		memcpy(ol, c->lp_local, 16);
		memcpy(op, c->lp_peer, 16);
		memcpy(c->lp_local, l, 16);
		memcpy(c->lp_peer, p, 16);
		err = c->in_maps ? maps_ctx_set_path(&dm->maps, c) : 0;
		if (err) {
			memcpy(c->lp_local, ol, 16);
			memcpy(c->lp_peer, op, 16);
			return err_reply("the data plane refused the path: %s", strerror(-err));
		}
		reap_d_path_followed(c);
		return json_pack("{s:b}", "ok", 1);
	}
	if (strcmp(cmd, "context-start") == 0) {
		uint8_t l[16], p[16];
		uint64_t t0;
		int err;

		if (get_addr(req, "ulid_local", l) || get_addr(req, "ulid_peer", p))
			return err_reply("\"ulid_local\" and \"ulid_peer\" must be IPv6 addresses");
		t0 = daemon_now_us();
		err = proto_start(&dm->core, l, p, &c);
		if (!err)
			c->start_us = t0;	/* io_ctx_up measures the I1->R2 time */
		if (err)
			return err_reply("cannot start the context: %s",
					 err == -EEXIST ? "a context exists for this ULID pair"
					 : err == -EBUSY ? "hold-down after a failure (E-FAILED/NO-SUPPORT)"
					 : err == -ENOSPC ? "max-contexts reached" : strerror(-err));
		o = json_pack("{s:b, s:o}", "ok", 1, "local_tag", json_tag(c->ct_local));
		return o;
	}
	if (strcmp(cmd, "log-level") == 0) {
		const char *s = json_string_value(json_object_get(req, "level"));
		int lvl = s ? log_level_from_name(s) : -1;

		if (lvl < LOG_ERR)
			return err_reply("\"level\" must be error, warning, notice, info or debug");
		log_set_level(lvl);
		return json_pack("{s:b}", "ok", 1);
	}
	return err_reply("unknown command \"%s\"", cmd);
}

/*
 * One request line in, one reply out (malloc'd JSON text, NULL if out of
 * memory).  No socket here, so the fuzz target drives it directly.
 */
char *ctlsock_reply(struct daemon *dm, const char *line, size_t n)
{
	json_error_t jerr;
	json_t *req, *rep;
	char *out;

	req = json_loadb(line, n, 0, &jerr);
	if (!req || !json_is_object(req))
		rep = err_reply("request is not a JSON object: %s", req ? "" : jerr.text);
	else
		rep = handle(dm, req);
	json_decref(req);
	out = json_dumps(rep, JSON_COMPACT);
	json_decref(rep);
	return out;
}

static void on_written(struct bufferevent *bev, void *arg)
{
	bufferevent_free(bev);
}

static void on_conn_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		bufferevent_free(bev);
}

static void on_request(struct bufferevent *bev, void *arg)
{
	struct daemon *dm = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line, *out;

	line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
	if (!line) {
		if (evbuffer_get_length(in) > REQ_MAX)
			bufferevent_free(bev);
		return;
	}
	if (mon_request(bev, line, n)) {	/* {"cmd":"monitor"}: a stream now (mon.c) */
		free(line);
		return;
	}
	out = ctlsock_reply(dm, line, n);
	free(line);
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, on_written, on_conn_event, dm);
	if (out) {
		bufferevent_write(bev, out, strlen(out));
		bufferevent_write(bev, "\n", 1);
		free(out);
	} else {
		/* a client waiting for its line gets one even now */
		static const char oom[] = "{\"ok\":false,\"error\":\"shim6d is out of memory\"}\n";

		bufferevent_write(bev, oom, sizeof(oom) - 1);
	}
}

static void on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	struct bufferevent *bev;
	int cfd;

	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	bev = bufferevent_socket_new(dm->base, cfd, BEV_OPT_CLOSE_ON_FREE);
	if (!bev) {
		close(cfd);
		return;
	}
	bufferevent_setcb(bev, on_request, NULL, on_conn_event, dm);
	bufferevent_enable(bev, EV_READ);
}

/* mkdir -p of the socket's directory (/run/shim6 is not there after boot). */
static void make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *p;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return;
	*p = '\0';
	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	mkdir(dir, 0755);
}

int ctlsock_open(struct daemon *dm, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	make_parent(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path); /* a stale socket of a killed daemon */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, 16) < 0) {
		err = -errno;
		log_err("cannot listen on the control socket %s: %s", path, strerror(errno));
		close(fd);
		return err;
	}
	dm->ctl_fd = fd;
	dm->ev_ctl = event_new(dm->base, fd, EV_READ | EV_PERSIST, on_accept, dm);
	event_add(dm->ev_ctl, NULL);
	return 0;
}

void ctlsock_close(struct daemon *dm, const char *path)
{
	mon_close_all();
	if (dm->ev_ctl)
		event_free(dm->ev_ctl);
	dm->ev_ctl = NULL;
	if (dm->ctl_fd >= 0) {
		close(dm->ctl_fd);
		unlink(path);
	}
	dm->ctl_fd = -1;
}
