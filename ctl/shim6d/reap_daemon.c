// SPDX-License-Identifier: GPL-2.0
/* REAP plugged into the daemon; see reap_daemon.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <zlib.h>

#include "bpf/shim6_shared.h"
#include "loader/loader.h"
#include "ctl/shim6d/ctx_json.h"
#include "ctl/shim6d/daemon.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/mon.h"
#include "ctl/shim6d/reap.h"
#include "ctl/shim6d/reap_daemon.h"
#include "loader/fbd.h"
#include "ctl/shim6d/reap_tcp.h"

/* ---- jiffies (the data plane's FBD stamps) to CLOCK_MONOTONIC ms ---- */

static struct {
	bool	ok;
	unsigned int hz;
	uint64_t j0;		/* jiffies at ... */
	uint64_t ms0;		/* ... this CLOCK_MONOTONIC time */
	uint64_t read_ms;	/* when the pair was read (refreshed hourly) */
} jclock;

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static unsigned int config_hz(void)
{
	char line[128];
	unsigned int v;
	gzFile gz = gzopen("/proc/config.gz", "rb");

	if (!gz)
		return 250;	/* what the data plane assumes too (shim6_hz) */
	while (gzgets(gz, line, sizeof(line)))
		if (sscanf(line, "CONFIG_HZ=%u", &v) == 1 && v) {
			gzclose(gz);
			return v;
		}
	gzclose(gz);
	return 250;
}

/*
 * /proc/timer_list starts with "now at N nsecs" (ktime_get, i.e.
 * CLOCK_MONOTONIC) and soon after "jiffies: J": one read gives a
 * (monotonic, jiffies) pair a few microseconds apart, exact to a tick.
 */
static int jclock_sync(void)
{
	unsigned long long ns = 0, j = 0;
	bool got_ns = false, got_j = false;
	char line[256];
	FILE *f = fopen("/proc/timer_list", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && !(got_ns && got_j)) {
		if (!got_ns && sscanf(line, "now at %llu nsecs", &ns) == 1)
			got_ns = true;
		else if (!got_j && sscanf(line, "jiffies: %llu", &j) == 1)
			got_j = true;
	}
	fclose(f);
	if (!got_ns || !got_j)
		return -ENOENT;
	if (!jclock.hz)
		jclock.hz = config_hz();
	jclock.j0 = j;
	jclock.ms0 = ns / 1000000;
	jclock.read_ms = mono_ms();
	jclock.ok = true;
	return 0;
}

static uint64_t jiffies_to_ms(uint64_t j)
{
	int64_t dj;

	if (!j)
		return 0;
	dj = (int64_t)(j - jclock.j0);
	return (uint64_t)((int64_t)jclock.ms0 + dj * 1000 / (int64_t)jclock.hz);
}

/* ---- reap_io ---- */

/*
 * REAP's timers: one per context, on a hashed timing wheel (WHEEL_SLOTS
 * slots of WHEEL_TICK_MS) driven by ONE libevent timer.  A libevent timer
 * per context kept 100,000 entries in libevent's min-heap: a third of
 * shim6d's CPU at 100k contexts went to heap operations
 * (bench/reap_scale.sh).  Arming is O(1) here; a timer fires at most one
 * tick late.
 */
#define WHEEL_TICK_MS	10
#define WHEEL_SLOTS	4096		/* 41 s per turn; later deadlines wait turns */

struct reap_timer {
	struct reap *r;
	uint64_t due_ms;
	struct reap_timer *next, **pprev;	/* in a slot's list; pprev NULL: not armed */
};

static struct {
	struct event *ev;
	struct reap_timer *slot[WHEEL_SLOTS];
	uint64_t tick;			/* the last tick processed */
	size_t armed;
} wheel;

static void wheel_unlink(struct reap_timer *t)
{
	if (!t->pprev)
		return;
	if (t->next)
		t->next->pprev = t->pprev;
	*t->pprev = t->next;
	t->pprev = NULL;
	t->next = NULL;
	wheel.armed--;
}

static void wheel_link(struct reap_timer *t)
{
	uint64_t tick = (t->due_ms + WHEEL_TICK_MS - 1) / WHEEL_TICK_MS;
	struct reap_timer **head;

	if (tick <= wheel.tick)
		tick = wheel.tick + 1;	/* due now: the next tick */
	head = &wheel.slot[tick % WHEEL_SLOTS];
	t->next = *head;
	if (t->next)
		t->next->pprev = &t->next;
	t->pprev = head;
	*head = t;
	wheel.armed++;
}

static void on_wheel(evutil_socket_t fd, short what, void *arg)
{
	uint64_t now = mono_ms(), last = now / WHEEL_TICK_MS;

	(void)fd;
	(void)what;
	(void)arg;
	if (last - wheel.tick > WHEEL_SLOTS)
		wheel.tick = last - WHEEL_SLOTS;	/* asleep for a whole turn */
	while (wheel.tick < last) {
		struct reap_timer *list, *t;

		wheel.tick++;
		/* take the slot's list: what fires may re-arm into this slot */
		list = wheel.slot[wheel.tick % WHEEL_SLOTS];
		wheel.slot[wheel.tick % WHEEL_SLOTS] = NULL;
		if (list)
			list->pprev = &list;
		while ((t = list)) {
			wheel_unlink(t);
			if (t->due_ms > now)
				wheel_link(t);		/* a later turn */
			else
				reap_timer(t->r);	/* may re-arm t */
		}
	}
}

static uint64_t io_now(void *arg)
{
	(void)arg;
	return mono_ms();
}

static int io_send(void *arg, struct reap *r, const uint8_t src[16], const uint8_t dst[16],
		   const void *buf, size_t len)
{
	struct daemon *dm = arg;
	struct pkt_info pi;
	int err;

	(void)r;
	memset(&pi, 0, sizeof(pi));
	memcpy(pi.src, src, 16);
	memcpy(pi.dst, dst, 16);
	err = rawsock_send(dm->raw_fd, buf, len, &pi);
	dm->core.st.tx++;
	dm->core.st.tx_type[((const uint8_t *)buf)[2] & 127]++;
	if (err)
		dm->core.st.tx_errors++;
	return err;
}

static void io_timer_set(void *arg, struct reap *r, uint64_t delay_ms)
{
	struct daemon *dm = arg;
	struct reap_timer *t = r->timer;

	if (!wheel.ev) {
		struct timeval tick = { .tv_usec = WHEEL_TICK_MS * 1000 };

		wheel.ev = event_new(dm->base, -1, EV_PERSIST, on_wheel, NULL);
		if (!wheel.ev) {
			log_err("no memory for the REAP timer wheel");
			return;
		}
		wheel.tick = mono_ms() / WHEEL_TICK_MS;
		event_add(wheel.ev, &tick);
	}
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t) {
			log_err("no memory for a REAP timer");
			return;
		}
		t->r = r;
		r->timer = t;
	}
	wheel_unlink(t);
	t->due_ms = mono_ms() + delay_ms;
	wheel_link(t);
}

/*
 * FBD stamps, normally from the context's shim6_fbd slot in the shared
 * mapping (memory reads, no system call: REAP reads every context every
 * few seconds); from the hash maps (two lookups) when the slot is not
 * known yet, no longer the context's, or the data plane has none.
 */
static int io_fbd(void *arg, struct reap *r, uint64_t *last_send, uint64_t *last_recv,
		  uint64_t *send_start)
{
	struct daemon *dm = arg;
	struct shim6_ctx *c = r->user;
	struct shim6_egress_ctx e;
	struct shim6_ingress_ctx in;
	struct shim6_ulid_key uk;
	struct shim6_fbd f;
	uint64_t now, act;

	if (!dm->maps.ok)
		return -ENODEV;
	if (!jclock.ok || mono_ms() - jclock.read_ms > 3600 * 1000)
		if (jclock_sync())
			return -ENOENT;
	now = mono_ms();
	if (!c->fbd_slot || shim6_fbd_read(dm->maps.m, c->fbd_slot, c->ct_local, &f)) {
		if (shim6_ctx_get(dm->maps.m, c->ct_local, &uk, &e, &in)) {
			/* gone from the maps? the GC looks itself, now (not from inside REAP) */
			c->maps_read_ms = 0;
			c->fbd_slot = 0;
			if (dm->ev_gc)
				event_active(dm->ev_gc, EV_TIMEOUT, 0);
			return -ENOENT;
		}
		f.last_send = e.last_send;
		f.last_recv = in.last_recv;
		f.send_start = 0;	/* not known: REAP uses the last send */
		if (in.fbd_slot &&
		    !shim6_fbd_read(dm->maps.m, in.fbd_slot, c->ct_local, &f))
			c->fbd_slot = in.fbd_slot;
	}
	/* = e.last_send + in.last_recv: the data plane writes both copies together */
	act = f.last_send + f.last_recv;
	/* what the idle GC would read: it skips its own lookups (daemon.c gc_visit) */
	if (act != c->dp_activity) {
		c->dp_activity = act;
		c->last_active_ms = now;
	}
	c->maps_read_ms = now;
	*last_send = jiffies_to_ms(f.last_send);
	*last_recv = jiffies_to_ms(f.last_recv);
	*send_start = jiffies_to_ms(f.send_start);
	return 0;
}

static void add_unique(uint8_t (*set)[16], int *n, int max, const uint8_t a[16])
{
	for (int i = 0; i < *n; i++)
		if (!memcmp(set[i], a, 16))
			return;
	if (*n < max)
		memcpy(set[(*n)++], a, 16);
}

static int io_locators(void *arg, struct reap *r, uint8_t (*local)[16], int *n_local,
		       uint8_t (*peer)[16], int *n_peer, int max)
{
	struct shim6_ctx *c = r->user;

	(void)arg;
	*n_local = *n_peer = 0;
	add_unique(local, n_local, max, c->ulid_local);
	for (int i = 0; i < c->n_ls_local; i++)
		add_unique(local, n_local, max, c->ls_local[i]);
	add_unique(peer, n_peer, max, c->ulid_peer);
	/* only verified peer locators (§7.2); none flagged BROKEN */
	for (int i = 0; i < c->n_ls_peer; i++)
		if (c->ls_peer[i].verified && !(c->ls_peer[i].flags & 0x01 /* BROKEN, §5.15.3 */))
			add_unique(peer, n_peer, max, c->ls_peer[i].addr);
	return 0;
}

/* The peer's Locator Preferences priority of `addr` (0, the best, if none was sent). */
static uint8_t io_peer_priority(void *arg, struct reap *r, const uint8_t addr[16])
{
	struct shim6_ctx *c = r->user;

	(void)arg;
	for (int i = 0; i < c->n_ls_peer; i++)
		if (!memcmp(c->ls_peer[i].addr, addr, 16))
			return c->ls_peer[i].pref;
	return 0;
}

static int io_path_set(void *arg, struct reap *r, const uint8_t local[16], const uint8_t peer[16])
{
	struct daemon *dm = arg;
	struct shim6_ctx *c = r->user;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	json_t *ev = NULL;
	int err;

	if (mon_active(false)) {
		/* old pair, new pair, time since the failure was detected */
		ev = mon_ctx_obj("path_changed", c);
		mon_set_addr(ev, "old_local", c->lp_local);
		mon_set_addr(ev, "old_peer", c->lp_peer);
		mon_set_addr(ev, "new_local", local);
		mon_set_addr(ev, "new_peer", peer);
		json_object_set_new(ev, "recovery_ms", r->state != REAP_OPERATIONAL &&
				    r->st.last_failure_ms ?
				    json_integer((json_int_t)(mono_ms() - r->st.last_failure_ms)) :
				    json_null());
	}
	memcpy(c->lp_local, local, 16);
	memcpy(c->lp_peer, peer, 16);
	err = c->in_maps ? maps_ctx_set_path(&dm->maps, c) : 0;
	log_notice("reap: context 0x%llx: new pair %s -> %s%s%s", (unsigned long long)c->ct_local,
		   inet_ntop(AF_INET6, local, a, sizeof(a)), inet_ntop(AF_INET6, peer, b, sizeof(b)),
		   err ? ": cannot write the maps: " : "", err ? strerror(-err) : "");
	if (ev) {
		json_object_set_new(ev, "maps_written", json_boolean(!err));
		mon_emit(ev);
	}
	if (!err && dm->core.cfg.timers.fast_tcp_recovery) {
		/* the new pair works (the peer reported our probe): TCP, retransmit now */
		int k = reap_tcp_kick(c->ulid_local, c->ulid_peer);

		if (k > 0) {
			r->st.tcp_kicked += (uint64_t)k;
			if (mon_active(false)) {
				ev = mon_ctx_obj("tcp_kick", c);
				json_object_set_new(ev, "connections", json_integer(k));
				mon_emit(ev);
			}
		} else if (k < 0) {
			log_warn("reap: context 0x%llx: cannot end TCP back-off: %s",
				 (unsigned long long)c->ct_local, strerror(-k));
		}
	}
	return err;
}

/*
 * Nonces, exploration orders and timer randomisation.  Drawn from the
 * kernel's CSPRNG (libsodium) 1,024 at a time: each REAP timer run draws
 * one, and one getrandom() per draw was a tenth of shim6d's CPU at 100,000
 * contexts (bench/reap_scale.sh).
 */
static uint32_t io_random(void *arg)
{
	static uint32_t pool[1024];
	static unsigned int left;

	(void)arg;
	if (!left) {
		randombytes_buf(pool, sizeof(pool));
		left = sizeof(pool) / sizeof(pool[0]);
	}
	left--;
	return pool[left];
}

static const char *sta_name(uint8_t sta)
{
	return sta <= REAP_INBOUND_OK ? reap_state_name((enum reap_state)sta) : "?";
}

static void probe_event(struct reap *r, enum reap_event ev)
{
	const struct reap_probe *p = ev == REAP_EV_PROBE_SENT ? &r->sent[0] : &r->last_in;
	json_t *o = mon_ctx_obj(reap_event_name(ev), r->user);

	mon_set_addr(o, "src", p->src);
	mon_set_addr(o, "dst", p->dst);
	json_object_set_new(o, "nonce", json_integer(p->nonce));
	json_object_set_new(o, "sta", json_string(ev == REAP_EV_PROBE_SENT ?
						   reap_state_name(r->state) :
						   sta_name(r->last_in_state)));
	mon_emit_probe(o, mono_ms());
}

/* REAP's events: the log, and the `shim6ctl monitor` stream (mon.h). */
static void io_event(void *arg, struct reap *r, enum reap_event ev)
{
	struct shim6_ctx *c = r->user;
	json_t *o;

	(void)arg;
	if (ev == REAP_EV_PROBE_SENT || ev == REAP_EV_PROBE_RECEIVED) {
		if (mon_active(true))
			probe_event(r, ev);
		return;
	}
	log_notice("reap: context 0x%llx: %s (state %s, probes sent %llu received %llu)",
		   (unsigned long long)c->ct_local, reap_event_name(ev), reap_state_name(r->state),
		   (unsigned long long)r->st.probes_sent, (unsigned long long)r->st.probes_recvd);
	if (!mon_active(false))
		return;
	switch (ev) {
	case REAP_EV_SEND_TIMEOUT:
		o = mon_ctx_obj("reap_failure", c);
		json_object_set_new(o, "reason", json_string("send_timeout"));
		mon_set_addr(o, "pair_local", r->cur.local);
		mon_set_addr(o, "pair_peer", r->cur.peer);
		json_object_set_new(o, "send_timeout_ms", json_integer(r->send_timeout_ms));
		mon_emit(o);
		/* FALLTHROUGH */
	case REAP_EV_PEER_EXPLORING:
		o = mon_ctx_obj("exploration_started", c);
		json_object_set_new(o, "by", json_string(ev == REAP_EV_SEND_TIMEOUT ? "us" : "peer"));
		if (ev == REAP_EV_SEND_TIMEOUT)	/* (the peer's case builds its list next) */
			json_object_set_new(o, "candidate_pairs", json_integer(r->n_order));
		mon_emit(o);
		break;
	case REAP_EV_INBOUND_OK:
	case REAP_EV_OPERATIONAL:
		o = mon_ctx_obj("reap_state", c);
		json_object_set_new(o, "state", json_string(reap_state_name(r->state)));
		mon_set_addr(o, "pair_local", r->cur.local);
		mon_set_addr(o, "pair_peer", r->cur.peer);
		if (ev == REAP_EV_OPERATIONAL)
			json_object_set_new(o, "recovery_ms", r->st.recoveries ?
					    json_integer((json_int_t)r->st.last_recovery_ms) :
					    json_null());
		mon_emit(o);
		break;
	default:
		break;	/* path_changed: from io_path_set, which knows the old pair */
	}
}

static const struct reap_io reap_daemon_io = {
	.now_ms = io_now,
	.send = io_send,
	.timer_set = io_timer_set,
	.fbd = io_fbd,
	.locators = io_locators,
	.peer_priority = io_peer_priority,
	.path_set = io_path_set,
	.random = io_random,
	.event = io_event,
};

/* ---- life cycle ---- */

void reap_d_attach(struct daemon *dm, struct shim6_ctx *c)
{
	const struct config_timers *t = &dm->core.cfg.timers;
	struct reap *r;

	if (c->reap || !c->ct_peer)
		return;
	r = calloc(1, sizeof(*r));
	if (!r) {
		log_err("context 0x%llx: no memory for REAP", (unsigned long long)c->ct_local);
		return;
	}
	reap_init(r, &reap_daemon_io, dm, c, c->ct_peer, c->lp_local, c->lp_peer,
		  c->send_timeout_ms ? c->send_timeout_ms : t->send_timeout_ms,
		  t->keepalive_interval_ms);
	reap_set_jitter(r, t->reap_jitter_pct);	/* the config parser bounds it */
	if (c->peer_ka_timeout_s)
		reap_set_peer_ka_timeout(r, c->peer_ka_timeout_s);
	c->reap = r;
	reap_start(r);
	if (t->fast_tcp_recovery) {
		/* not on the failure's critical path: load the TCP iterator now */
		static bool warned;
		int err = reap_tcp_prepare();

		if (err && !warned)
			log_warn("reap: fast TCP recovery unavailable: %s", strerror(-err));
		warned |= err != 0;
	}
}

static int attach_one(struct shim6_ctx *c, void *arg)
{
	if (c->state == CTX_ESTABLISHED && c->in_maps)
		reap_d_attach(arg, c);
	return 0;
}

void reap_d_attach_all(struct daemon *dm)
{
	ctx_for_each(&dm->core.ctxs, attach_one, dm);
}

void reap_d_detach(struct daemon *dm, struct shim6_ctx *c)
{
	struct reap *r = c->reap;
	struct reap_timer *t;

	(void)dm;
	if (!r)
		return;
	t = r->timer;
	if (t) {
		wheel_unlink(t);
		free(t);
	}
	reap_fini(r);
	free(r);
	c->reap = NULL;
}

void reap_d_input(void *arg, struct shim6_ctx *c, const struct shim6_msg *m,
		  const struct pkt_info *pi)
{
	struct daemon *dm = arg;

	if (!c->reap)
		reap_d_attach(dm, c);
	if (!c->reap) {
		dm->core.st.rx_dropped++;
		return;
	}
	if (c->reap->peer_tag != c->ct_peer)
		c->reap->peer_tag = c->ct_peer;
	reap_input(c->reap, m, pi->src, pi->dst);
}

void reap_d_path_followed(struct shim6_ctx *c)
{
	if (c->reap)
		reap_set_current(c->reap, c->lp_local, c->lp_peer);
}

void reap_d_json(const struct shim6_ctx *c, json_t *o)
{
	const struct reap *r = c->reap;
	json_t *j;

	if (!r)
		return;
	j = json_object();
	json_object_set_new(j, "state", json_string(reap_state_name(r->state)));
	json_object_set_new(j, "pair_local", json_addr(r->cur.local));
	json_object_set_new(j, "pair_peer", json_addr(r->cur.peer));
	json_object_set_new(j, "send_timeout_ms", json_integer(r->send_timeout_ms));
	json_object_set_new(j, "keepalive_timeout_ms", json_integer(r->ka_timeout_ms));
	json_object_set_new(j, "keepalive_interval_ms", json_integer(reap_ka_interval(r)));
	json_object_set_new(j, "probes_sent", json_integer((json_int_t)r->st.probes_sent));
	json_object_set_new(j, "probes_received", json_integer((json_int_t)r->st.probes_recvd));
	json_object_set_new(j, "keepalives_sent", json_integer((json_int_t)r->st.keepalives_sent));
	json_object_set_new(j, "keepalives_received",
			    json_integer((json_int_t)r->st.keepalives_recvd));
	json_object_set_new(j, "explorations", json_integer((json_int_t)r->st.explorations));
	json_object_set_new(j, "path_changes", json_integer((json_int_t)r->st.path_changes));
	json_object_set_new(j, "tcp_kicked", json_integer((json_int_t)r->st.tcp_kicked));
	/* ages, not clock values: the monotonic clock means nothing to a reader */
	json_object_set_new(j, "last_path_change_ago_ms", r->st.last_change_ms ?
			    json_integer((json_int_t)(mono_ms() - r->st.last_change_ms)) :
			    json_null());
	json_object_set_new(j, "recoveries", json_integer((json_int_t)r->st.recoveries));
	json_object_set_new(j, "last_recovery_ms", r->st.recoveries ?
			    json_integer((json_int_t)r->st.last_recovery_ms) : json_null());
	json_object_set_new(o, "reap", j);
}

/*
 * {"cmd":"set-tsend","ms":N[,"tag":"0x…"]}: one context, or the host default
 * and every context without its own value.  A context whose announced value
 * (whole seconds, RFC 5534 §5.3) changes tells its peer in an Update
 * Request, so the peer's Keepalive Interval follows.
 */
struct set_tsend {
	struct daemon *dm;
	uint32_t ms;
	uint32_t old_host_ms;	/* the host value before the command */
	int announced;
};

/* What the Keepalive Timeout option says for a Send Timeout (15 when default). */
static uint16_t announced_s(uint32_t ms)
{
	struct reap r = { .send_timeout_ms = ms };
	uint16_t s = reap_ka_option_seconds(&r);

	return s ? s : REAP_SEND_TIMEOUT_MS / 1000;
}

static void apply_tsend(struct set_tsend *st, struct shim6_ctx *c, bool own)
{
	uint16_t before = announced_s(c->send_timeout_ms ? c->send_timeout_ms : st->old_host_ms);

	if (own)
		c->send_timeout_ms = st->ms;
	if (c->reap)
		reap_set_send_timeout(c->reap, st->ms);
	if (announced_s(st->ms) != before && proto_announce_send_timeout(&st->dm->core, c) == 0)
		st->announced++;
}

static int set_one(struct shim6_ctx *c, void *arg)
{
	struct set_tsend *st = arg;

	if (c->send_timeout_ms)
		return 0;	/* a per-context value wins over the host's */
	apply_tsend(st, c, false);
	return 0;
}

json_t *reap_d_command(struct daemon *dm, const char *cmd, json_t *req)
{
	json_t *jms, *jtag;
	struct set_tsend st = { .dm = dm, .old_host_ms = dm->core.cfg.timers.send_timeout_ms };
	struct reap probe_range = { 0 };

	if (strcmp(cmd, "set-tsend") != 0)
		return NULL;
	jms = json_object_get(req, "ms");
	if (!json_is_integer(jms) || json_integer_value(jms) < 0 ||
	    json_integer_value(jms) > REAP_MAX_TIMEOUT_MS)
		return json_pack("{s:b, s:s}", "ok", 0, "error",
				 "set-tsend needs \"ms\", an integer number of milliseconds");
	st.ms = (uint32_t)json_integer_value(jms);
	if (reap_set_send_timeout(&probe_range, st.ms))
		return json_pack("{s:b, s:s}", "ok", 0, "error",
				 "the Send Timeout must be between 200 ms and 65535 s");
	jtag = json_object_get(req, "tag");
	if (jtag) {
		const char *s = json_string_value(jtag);
		struct shim6_ctx *c;
		char *end;
		unsigned long long tag;

		if (!s || strncmp(s, "0x", 2) != 0)
			return json_pack("{s:b, s:s}", "ok", 0, "error",
					 "\"tag\" must be a 0x-prefixed hex string");
		tag = strtoull(s, &end, 16);
		c = *end ? NULL : ctx_find_tag(&dm->core.ctxs, tag);
		if (!c)
			return json_pack("{s:b, s:s}", "ok", 0, "error", "no context with that tag");
		apply_tsend(&st, c, true);
	} else {
		/* the Updates carry the new host value: set it first */
		dm->core.cfg.timers.send_timeout_ms = st.ms;
		ctx_for_each(&dm->core.ctxs, set_one, &st);
	}
	log_notice("reap: Send Timeout %u ms%s%s; %d peer(s) told", st.ms,
		   jtag ? " on context " : " (host)", jtag ? json_string_value(jtag) : "",
		   st.announced);
	return json_pack("{s:b, s:i, s:i}", "ok", 1, "send_timeout_ms", (int)st.ms, "announced",
			 st.announced);
}
