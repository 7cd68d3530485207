// SPDX-License-Identifier: GPL-2.0
/* shim6d's event loop and I/O layer; see daemon.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/types.h>

#include "bpf/shim6_shared.h"
#include "loader/loader.h"
#include "ctl/shim6d/autoconf.h"
#include "ctl/shim6d/daemon.h"
#include "ctl/shim6d/mon.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/reap_daemon.h"
#include "ctl/shim6d/state.h"
#include "ctl/shim6d/trigger.h"
#include "ctl/shim6d/mpath.h"

/* ---- the core's I/O operations ------------------------------------------ */

static uint64_t io_now(void *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t daemon_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int io_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct daemon *dm = arg;

	return rawsock_send(dm->raw_fd, buf, len, pi);
}

struct ctx_timer {
	struct event *ev;
	struct daemon *dm;
	struct shim6_ctx *c;
};

static void on_ctx_timer(evutil_socket_t fd, short what, void *arg)
{
	struct ctx_timer *t = arg;

	proto_timer(&t->dm->core, t->c);
}

static void io_timer_set(void *arg, struct shim6_ctx *c, uint64_t delay_ms)
{
	struct daemon *dm = arg;
	struct ctx_timer *t = c->timer;
	struct timeval tv = { .tv_sec = delay_ms / 1000, .tv_usec = (delay_ms % 1000) * 1000 };

	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			log_err("no memory for a timer");
			return;
		}
		t->dm = dm;
		t->c = c;
		t->ev = evtimer_new(dm->base, on_ctx_timer, t);
		if (!t->ev) {
			free(t);
			log_err("no memory for a timer");
			return;
		}
		c->timer = t;
	}
	evtimer_add(t->ev, &tv);
}

static void io_timer_clear(void *arg, struct shim6_ctx *c)
{
	struct ctx_timer *t = c->timer;

	if (t)
		evtimer_del(t->ev);
}

static void io_ctx_free(void *arg, struct shim6_ctx *c)
{
	struct ctx_timer *t = c->timer;

	mon_ctx_deleted(c);
	reap_d_detach(arg, c);
	if (t) {
		event_free(t->ev);
		free(t);
		c->timer = NULL;
	}
}

static int io_ctx_up(void *arg, struct shim6_ctx *c)
{
	struct daemon *dm = arg;
	int err;

	if (c->start_us && !c->setup_us)
		c->setup_us = daemon_now_us() - c->start_us;
	if (!dm->maps.ok)
		return -ENODEV;
	err = maps_ctx_write(&dm->maps, c);
	if (err)
		log_err("context 0x%llx: cannot write the data-plane maps: %s",
			(unsigned long long)c->ct_local, strerror(-err));
	else
		reap_d_attach(dm, c);	/* (after in_maps is set: see proto.c establish) */
	return err;
}

static void io_ctx_down(void *arg, struct shim6_ctx *c)
{
	struct daemon *dm = arg;

	reap_d_detach(dm, c);
	maps_ctx_delete(&dm->maps, c);
}

static void io_loc_gone(void *arg, struct shim6_ctx *c, const uint8_t addr[16], bool peer)
{
	struct daemon *dm = arg;

	if (c->in_maps)
		maps_loc_delete(&dm->maps, c->ct_local, addr);
}

static const struct shim6d_io daemon_io = {
	.now_ms = io_now, .send = io_send, .timer_set = io_timer_set,
	.timer_clear = io_timer_clear, .ctx_up = io_ctx_up, .ctx_down = io_ctx_down,
	.ctx_free = io_ctx_free, .loc_gone = io_loc_gone,
	.reap_input = reap_d_input,
	.state_changed = mon_ctx_state,		/* shim6ctl monitor */
};

/* ---- sockets, ring buffer, signals, GC ---------------------------------- */

static void on_raw(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	struct pkt_info pi;
	uint8_t buf[2048];
	ssize_t n;
	int i;

	for (i = 0; i < 64; i++) { /* bounded: let timers run under load */
		n = rawsock_recv(fd, buf, sizeof(buf), &pi);
		if (n == -EAGAIN)
			return;
		if (n < 0) {
			log_warn("receiving on the Shim6 socket: %s", strerror((int)-n));
			return;
		}
		proto_input(&dm->core, buf, (size_t)n, &pi);
	}
}

static void on_icmp(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	struct pkt_info pi;
	uint8_t buf[1500];
	ssize_t n;

	while ((n = rawsock_recv(fd, buf, sizeof(buf), &pi)) >= 0)
		proto_icmp_input(&dm->core, buf, (size_t)n, &pi);
}

static int on_rb_event(void *arg, void *data, size_t size)
{
	struct daemon *dm = arg;
	const struct shim6_event *e = data;
	int err;

	if (size < sizeof(*e))
		return 0;
	mon_dp_event(e);	/* shim6ctl monitor still sees what the daemon consumes */
	switch (e->type) {
	case SHIM6_EV_TRIGGER:
		dm->triggers++;
		err = trigger_event(&dm->core, e->src.b, e->dst.b);
		if (err && err != -EEXIST)
			dm->trigger_refused++;
		break;
	case SHIM6_EV_UNKNOWN_TAG:
		proto_unknown_tag(&dm->core, e->tag, e->src.b, e->dst.b);
		break;
	}
	return 0;
}

static void on_rb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;

	ring_buffer__consume(dm->rb);
}

static void on_addr(const uint8_t addr[16], int ifindex, bool present, void *arg)
{
	struct daemon *dm = arg;
	char b[INET6_ADDRSTRLEN];

	if (!locset_set_present(&dm->ls, addr, present))
		return;
	inet_ntop(AF_INET6, addr, b, sizeof(b));
	/* new contexts announce the new set; established peers get an Update */
	log_notice("locator %s %s: local set generation %u, %d peers updated", b,
		   present ? "appeared" : "disappeared", dm->ls.gen,
		   proto_locators_changed(&dm->core));
}

static void on_rtnl(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	int err = rtnl_process(&dm->rtnl);

	if (err)
		log_warn("reading rtnetlink: %s", strerror(-err));
}

/* the GC trusts REAP's reading of a context's map entries this long */
#ifndef GC_TRUST_REAP_MS
#define GC_TRUST_REAP_MS	60000	/* (1: always look, as before) */
#endif

static int gc_visit(struct shim6_ctx *c, void *arg)
{
	struct daemon *dm = arg;
	uint64_t now = core_now(&dm->core), act;
	bool idle = dm->core.cfg.idle_timeout_ms &&
		    now - c->last_active_ms >= dm->core.cfg.idle_timeout_ms;
	int err;

	if (c->state != CTX_ESTABLISHED)
		return 0;
	/*
	 * REAP reads every context's entries every few seconds and keeps
	 * dp_activity / last_active_ms for us: without that, this walk did
	 * two map lookups per context per second (20 % of a core at 100k
	 * contexts, bench/reap_scale.sh).  Before collecting, look ourselves.
	 */
	if (c->in_maps && (idle || !c->reap || !c->maps_read_ms ||
			   now - c->maps_read_ms >= GC_TRUST_REAP_MS)) {
		err = maps_ctx_activity(&dm->maps, c, &act);
		if (err == -ENOENT) {
			/* removed from the maps behind our back (shim6ctl context del) */
			log_notice("context 0x%llx was removed from the data plane: forgotten",
				   (unsigned long long)c->ct_local);
			c->in_maps = false;
			proto_ctx_delete(&dm->core, c);
			return 0;
		}
		if (!err && act != c->dp_activity) {
			c->dp_activity = act;
			c->last_active_ms = now;
			return 0;
		}
	}
	if (dm->core.cfg.idle_timeout_ms && now - c->last_active_ms >= dm->core.cfg.idle_timeout_ms) {
		log_info("context 0x%llx idle for %llu ms: removed", (unsigned long long)c->ct_local,
			 (unsigned long long)(now - c->last_active_ms));
		dm->core.st.gc++;
		proto_ctx_delete(&dm->core, c);
	}
	return 0;
}

static void on_gc(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;

	ctx_for_each(&dm->core.ctxs, gc_visit, dm);
}

/*
 * Multipath tables and per-pair failure detection, every second, on a timer
 * of their own: the idle GC walks only every 10 s (cheap at 100k contexts),
 * a broken path must be noticed within about a Send Timeout.  One map read
 * per tick when the mark rule is off, no walk.
 */
static void on_mpath(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *dm = arg;
	struct mpath_gc mg = { .maps = &dm->maps, .hz = maps_kernel_hz() };

	if (mpath_rule_on(&dm->maps))
		ctx_for_each(&dm->core.ctxs, mpath_gc_visit, &mg);
}

/*
 * Something the state file records changed since the last save?  The
 * counters move whenever a context is established, updated or removed.
 */
static uint64_t state_sig(const struct daemon *dm)
{
	const struct shim6d_stats *s = &dm->core.st;

	/* updates_sent: also a Send Timeout changed by set-tsend (announced in an Update) */
	return s->established + s->updates_received + s->updates_sent + s->loclist_ok + s->gc +
	       s->confusion + dm->core.ctxs.count * 1000003ULL;
}

static void save_state(struct daemon *dm, bool force)
{
	uint64_t sig = state_sig(dm);
	int err;

	if (!force && sig == dm->saved_sig)
		return;
	err = state_save(&dm->core.ctxs, dm->core.cfg.state_file);
	if (err)
		log_warn("cannot save the state to %s: %s", dm->core.cfg.state_file,
			 strerror(-err));
	else
		dm->saved_sig = sig;
}

static void on_save(evutil_socket_t fd, short what, void *arg)
{
	save_state(arg, false);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *dm = arg;

	if (sig == SIGHUP) {
		validator_rotate(&dm->core.vk, core_now(&dm->core));
		log_notice("SIGHUP: validator secret rotated");
		return;
	}
	log_notice("signal %d: exiting; established contexts stay in the data plane", (int)sig);
	event_base_loopbreak(dm->base);
}

static struct event *add_fd(struct daemon *dm, int fd, event_callback_fn cb)
{
	struct event *ev = event_new(dm->base, fd, EV_READ | EV_PERSIST, cb, dm);

	if (ev)
		event_add(ev, NULL);
	return ev;
}

int daemon_init(struct daemon *dm, const struct config *cfg)
{
	int err;

	memset(dm, 0, sizeof(*dm));
	dm->raw_fd = dm->icmp_fd = dm->ctl_fd = -1;
	dm->maps.events_fd = -1;
	dm->base = event_base_new();
	if (!dm->base)
		return -ENOMEM;
	err = core_init(&dm->core, cfg, &daemon_io, dm);
	if (err)
		return err;
	locset_init(&dm->ls);
	{
		char msg[512];

		err = locset_load(&dm->ls, cfg, msg, sizeof(msg));
		if (err) {
			log_err("%s", msg);
			return err;
		}
	}
	dm->core.ls = &dm->ls;
	/* before the rtnetlink dump: persisted CGAs join the locator set first */
	err = autoconf_init(&dm->ac, dm->base, cfg, &dm->ls);
	if (err)
		return err;
	err = rtnl_open(&dm->rtnl, on_addr, dm);
	if (err) {
		log_err("cannot follow the local addresses over rtnetlink: %s", strerror(-err));
		return err;
	}
	dm->ev_rtnl = add_fd(dm, rtnl_fd(&dm->rtnl), on_rtnl);

	dm->raw_fd = rawsock_open_shim6();
	if (dm->raw_fd < 0) {
		log_err("cannot open the raw IPv6 socket for protocol 140: %s",
			strerror(-dm->raw_fd));
		return dm->raw_fd;
	}
	dm->icmp_fd = rawsock_open_icmp6();
	if (dm->icmp_fd < 0) {
		log_err("cannot open the ICMPv6 socket: %s", strerror(-dm->icmp_fd));
		return dm->icmp_fd;
	}
	dm->ev_raw = add_fd(dm, dm->raw_fd, on_raw);
	dm->ev_icmp = add_fd(dm, dm->icmp_fd, on_icmp);

	if (cfg->attach) {
		int i;

		shim6_loader_log_init(log_get_level() >= LOG_DEBUG);
		for (i = 0; i < cfg->n_ifaces; i++) {
			err = maps_attach(cfg->bpffs, cfg->ifaces[i].name,
					  cfg->ifaces[i].ingress == CONFIG_INGRESS_XDP,
					  cfg->max_contexts);
			if (err) {
				log_err("cannot attach the data plane to %s: %s",
					cfg->ifaces[i].name, strerror(-err));
				return err;
			}
			log_info("data plane attached to %s", cfg->ifaces[i].name);
		}
	}
	err = maps_open(&dm->maps, cfg->bpffs);
	if (err) {
		log_notice("no data-plane maps under %s (%s): contexts stay in user space",
			   cfg->bpffs, strerror(-err));
	} else {
		/* TCP must leave room for the 8-byte header once a path moves:
		 * every context gets a route to its peer ULID with MTU - 8. */
		dm->maps.routes = true;
		shim6_peer_route_set_rto_min(cfg->timers.tcp_rto_min_ms);
		/* restart without loss: the data plane kept running on the pinned maps */
		err = maps_resume(&dm->maps, &dm->core.ctxs, core_now(&dm->core));
		if (err > 0)
			log_notice("resumed %d established contexts from the maps", err);
		else if (err < 0)
			log_warn("cannot resume contexts from the maps: %s", strerror(-err));
	}
	/* the maps say which contexts exist; the state file completes them */
	err = state_load(&dm->core.ctxs, cfg->state_file, !dm->maps.ok, core_now(&dm->core));
	if (err > 0)
		log_notice("completed %d contexts from %s", err, cfg->state_file);
	else if (err < 0)
		log_warn("ignoring the state file %s: %s", cfg->state_file, strerror(-err));
	dm->saved_sig = state_sig(dm);
	reap_d_attach_all(dm);	/* resumed contexts: REAP watches them again */
	{
		struct timeval one = { .tv_sec = 1 };

		dm->ev_save = event_new(dm->base, -1, EV_PERSIST, on_save, dm);
		event_add(dm->ev_save, &one);
	}
	if (dm->maps.ok) {
		err = maps_set_cfg(&dm->maps, cfg->trigger_bytes, cfg->trigger_ms,
				   cfg->server_mode);
		if (err)
			log_warn("cannot write the trigger settings to shim6_cfg: %s",
				 strerror(-err));
		if (dm->raw_fd >= 0 && (err = maps_set_daemon(&dm->maps, true)))
			log_warn("cannot set the daemon flag in shim6_cfg: %s", strerror(-err));
	}
	if (dm->maps.events_fd >= 0) {
		dm->rb = ring_buffer__new(dm->maps.events_fd, on_rb_event, dm, NULL);
		if (dm->rb)
			dm->ev_rb = add_fd(dm, ring_buffer__epoll_fd(dm->rb), on_rb);
		else
			log_warn("cannot read the event ring buffer: %s", strerror(errno));
	}

	err = ctlsock_open(dm, cfg->control_socket);
	if (err)
		return err;

	{
		/*
		 * idle GC and map consistency: idle-timeout / 4, at most 10 s
		 * (it walks every context: 1 % of a core each second at 100k).
		 * A context REAP finds gone from the maps wakes the GC at once.
		 */
		uint32_t period = cfg->idle_timeout_ms ? cfg->idle_timeout_ms / 4 : 10000;
		struct timeval tv;

		if (period > 10000)
			period = 10000;
		if (period < 250)
			period = 250;
		tv.tv_sec = period / 1000;
		tv.tv_usec = (period % 1000) * 1000;
		dm->ev_gc = event_new(dm->base, -1, EV_PERSIST, on_gc, dm);
		event_add(dm->ev_gc, &tv);
	}
	if (dm->maps.ok) {
		struct timeval one = { .tv_sec = 1 };

		dm->ev_mpath = event_new(dm->base, -1, EV_PERSIST, on_mpath, dm);
		event_add(dm->ev_mpath, &one);
	}
	dm->ev_sigint = evsignal_new(dm->base, SIGINT, on_signal, dm);
	dm->ev_sigterm = evsignal_new(dm->base, SIGTERM, on_signal, dm);
	dm->ev_sighup = evsignal_new(dm->base, SIGHUP, on_signal, dm);
	event_add(dm->ev_sigint, NULL);
	event_add(dm->ev_sigterm, NULL);
	event_add(dm->ev_sighup, NULL);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int daemon_run(struct daemon *dm)
{
	return event_base_dispatch(dm->base) < 0 ? -EIO : 0;
}

static void free_ev(struct event **ev)
{
	if (*ev)
		event_free(*ev);
	*ev = NULL;
}

void daemon_fini(struct daemon *dm)
{
	if (dm->ev_save)
		save_state(dm, true);
	free_ev(&dm->ev_save);
	autoconf_fini(dm->ac);
	dm->ac = NULL;
	ctlsock_close(dm, dm->core.cfg.control_socket);
	core_fini(&dm->core);
	free_ev(&dm->ev_raw);
	free_ev(&dm->ev_icmp);
	free_ev(&dm->ev_gc);
	free_ev(&dm->ev_mpath);
	free_ev(&dm->ev_rb);
	free_ev(&dm->ev_rtnl);
	rtnl_close(&dm->rtnl);
	locset_free(&dm->ls);
	free_ev(&dm->ev_sigint);
	free_ev(&dm->ev_sigterm);
	free_ev(&dm->ev_sighup);
	ring_buffer__free(dm->rb);
	if (dm->maps.ok)
		maps_set_daemon(&dm->maps, false);	/* the kernel's PP means NO-SUPPORT again */
	maps_close(&dm->maps);
	if (dm->raw_fd >= 0)
		close(dm->raw_fd);
	if (dm->icmp_fd >= 0)
		close(dm->icmp_fd);
	if (dm->base)
		event_base_free(dm->base);
}
