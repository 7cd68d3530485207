// SPDX-License-Identifier: GPL-2.0
/*
 * REAP state machine, RFC 5534 §6: Operational / Exploring / InboundOk,
 * the Send and Keepalive Timers (§4.1, driven by the data plane's FBD
 * stamps, see reap.h), Keepalive and Probe messages with their reports,
 * probe retransmission with back-off (§4.3), pair choice from the peer's
 * reports (so each direction may end on a different pair).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/reap.h"
#include "wire/shim6_wire.h"

#define NEVER UINT64_MAX

static const char *const state_names[] = {
	[REAP_OPERATIONAL] = "operational",
	[REAP_EXPLORING] = "exploring",
	[REAP_INBOUND_OK] = "inbound_ok",
};

const char *reap_state_name(enum reap_state s)
{
	return (unsigned int)s < 3 ? state_names[s] : "?";
}

const char *reap_event_name(enum reap_event ev)
{
	switch (ev) {
	case REAP_EV_SEND_TIMEOUT: return "send_timeout";
	case REAP_EV_INBOUND_OK: return "inbound_ok";
	case REAP_EV_OPERATIONAL: return "operational";
	case REAP_EV_PATH_CHANGED: return "path_changed";
	case REAP_EV_PEER_EXPLORING: return "peer_exploring";
	case REAP_EV_PROBE_SENT: return "probe_sent";
	case REAP_EV_PROBE_RECEIVED: return "probe_received";
	}
	return "?";
}

static uint64_t now(struct reap *r)
{
	return r->io->now_ms(r->io_arg);
}

static void event(struct reap *r, enum reap_event ev)
{
	if (r->io->event)
		r->io->event(r->io_arg, r, ev);
}

static bool addr_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16) == 0;
}

uint64_t reap_jitter(uint64_t base_ms, uint32_t below_pct, uint32_t above_pct, uint32_t rnd)
{
	/* lo + (hi - lo) * rnd / 2^32, in per-mille of base to stay in integers */
	uint64_t lo = base_ms * (100 - below_pct) * 10;	/* base x 1000 x (1 - below) */
	uint64_t span = base_ms * (below_pct + above_pct) * 10;

	return (lo + ((span * rnd) >> 32)) / 1000;
}

/* A random draw of `base` within the configured randomisation. */
static uint64_t jit(struct reap *r, uint64_t base, bool above)
{
	if (!r->jitter_pct)
		return base;
	return reap_jitter(base, r->jitter_pct, above ? r->jitter_pct : 0,
			   r->io->random(r->io_arg));
}

uint32_t reap_ka_interval(const struct reap *r)
{
	uint32_t i = r->ka_interval_ms ? r->ka_interval_ms : r->ka_timeout_ms / 3;

	return i ? i : 1;
}

/* ---- exploration order ---- */

static void shuffle(struct reap_pair *p, int n, uint32_t (*rnd)(void *), void *arg)
{
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rnd(arg) % (uint32_t)(i + 1));
		struct reap_pair t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
}

/* Stable insertion sort of p[0..n) by prio[] (small n: at most 16 x 16 pairs). */
static void sort_by_prio(struct reap_pair *p, uint8_t *prio, int n)
{
	for (int i = 1; i < n; i++) {
		struct reap_pair t = p[i];
		uint8_t tp = prio[i];
		int j = i;

		for (; j > 0 && prio[j - 1] > tp; j--) {
			p[j] = p[j - 1];
			prio[j] = prio[j - 1];
		}
		p[j] = t;
		prio[j] = tp;
	}
}

int reap_order_pairs(const uint8_t (*local)[16], int n_local, const uint8_t (*peer)[16],
		     int n_peer, const uint8_t *peer_prio, const struct reap_pair *failed,
		     uint32_t (*rnd)(void *arg), void *rnd_arg, struct reap_pair *out, int max)
{
	uint8_t prio[256];
	int n = 0;

	if (max > 256)
		max = 256;

	/* group 0: share nothing; 1: share one address; 2: the failed pair */
	for (int g = 0; g < 3; g++) {
		int start = n;

		for (int i = 0; i < n_local; i++) {
			for (int j = 0; j < n_peer; j++) {
				int shared = addr_eq(local[i], failed->local) +
					     addr_eq(peer[j], failed->peer);

				if (shared != g || n >= max)
					continue;
				memcpy(out[n].local, local[i], 16);
				memcpy(out[n].peer, peer[j], 16);
				n++;
			}
		}
		shuffle(out + start, n - start, rnd, rnd_arg);
		if (!peer_prio)
			continue;
		for (int k = start; k < n; k++) {
			prio[k] = 0;
			for (int j = 0; j < n_peer; j++)
				if (addr_eq(out[k].peer, peer[j]))
					prio[k] = peer_prio[j];
		}
		sort_by_prio(out + start, prio + start, n - start);
	}
	return n;
}

static void build_order(struct reap *r)
{
	uint8_t local[16][16], peer[16][16], prio[16];
	int nl = 0, np = 0;

	free(r->order);
	r->order = NULL;
	r->n_order = 0;
	r->next_pair = 0;
	if (r->io->locators(r->io_arg, r, local, &nl, peer, &np, 16) || !nl || !np)
		return;
	r->order = calloc((size_t)nl * (size_t)np, sizeof(*r->order));
	if (!r->order)
		return;
	for (int j = 0; j < np && r->io->peer_priority; j++)
		prio[j] = r->io->peer_priority(r->io_arg, r, peer[j]);
	r->n_order = (uint16_t)reap_order_pairs((const uint8_t (*)[16])local, nl,
						(const uint8_t (*)[16])peer, np,
						r->io->peer_priority ? prio : NULL, &r->cur,
						r->io->random, r->io_arg, r->order, nl * np);
}

static void end_exploration(struct reap *r)
{
	free(r->order);
	r->order = NULL;
	r->n_order = 0;
	r->n_sent = 0;
}

/* ---- sending ---- */

static void push_probe(struct reap_probe *ring, uint8_t *n, int keep, const struct reap_probe *p)
{
	int cnt = *n < keep ? *n + 1 : keep;

	memmove(ring + 1, ring, (size_t)(cnt - 1) * sizeof(*ring));
	ring[0] = *p;
	*n = (uint8_t)cnt;
}

static int send_msg(struct reap *r, struct shim6_msg *m, const uint8_t src[16],
		    const uint8_t dst[16])
{
	uint8_t buf[SHIM6_MAX_HDR_LEN];
	ssize_t n = shim6_msg_encode(m, buf, sizeof(buf));

	if (n < 0)
		return -EINVAL;
	return r->io->send(r->io_arg, r, src, dst, buf, (size_t)n);
}

static void send_keepalive(struct reap *r, uint64_t t)
{
	struct shim6_msg m;

	shim6_msg_init(&m, SHIM6_TYPE_KEEPALIVE);
	m.keepalive.recv_tag = r->peer_tag;
	send_msg(r, &m, r->cur.local, r->cur.peer);
	r->last_ka_ms = t;
	r->st.keepalives_sent++;
}

/*
 * Send a Probe whose Sta is the state we are in (after the transition, as
 * §6.1 wants), on `pair`, or on the next pair of the exploration order.
 */
static void send_probe(struct reap *r, const struct reap_pair *pair)
{
	struct reap_probe p;
	struct shim6_msg m;

	if (!pair) {
		if (!r->n_order)
			build_order(r);
		pair = r->n_order ? &r->order[r->next_pair++ % r->n_order] : &r->cur;
	}
	memcpy(p.src, pair->local, 16);
	memcpy(p.dst, pair->peer, 16);
	p.nonce = r->io->random(r->io_arg);
	p.data = 0;
	push_probe(r->sent, &r->n_sent, REAP_SENT_KEEP, &p);

	shim6_msg_init(&m, SHIM6_TYPE_PROBE);
	m.probe.recv_tag = r->peer_tag;
	m.probe.state = (uint8_t)r->state;
	m.probe.psent = r->n_sent;
	m.probe.precvd = r->n_recvd;
	memcpy(m.probe.sent, r->sent, r->n_sent * sizeof(r->sent[0]));
	memcpy(m.probe.recvd, r->recvd, r->n_recvd * sizeof(r->recvd[0]));
	send_msg(r, &m, p.src, p.dst);
	r->st.probes_sent++;
	event(r, REAP_EV_PROBE_SENT);
}

/* Probe retransmission schedule (§4.3): 4 at 0.5 s, then doubling to 60 s. */
static void schedule_next_probe(struct reap *r, uint64_t t)
{
	if (++r->probes_this_round >= REAP_INITIAL_PROBES) {
		r->probe_interval_ms *= 2;
		if (r->probe_interval_ms > REAP_MAX_PROBE_MS)
			r->probe_interval_ms = REAP_MAX_PROBE_MS;
	}
	r->next_probe_ms = t + jit(r, r->probe_interval_ms, true);
}

static void reset_backoff(struct reap *r)
{
	r->probes_this_round = 0;
	r->probe_interval_ms = REAP_INITIAL_PROBE_MS;
}

static void start_send_timer(struct reap *r, uint64_t t, bool restart)
{
	if (r->send_running && !restart)
		return;
	r->send_running = true;
	r->send_start_ms = t;
	r->send_len_ms = jit(r, r->send_timeout_ms, true);
}

/* ---- state transitions ---- */

static void stop_ka(struct reap *r)
{
	r->ka_running = false;
}


static void goto_state(struct reap *r, enum reap_state s, uint64_t t)
{
	if (r->state == s)
		return;
	if (r->state == REAP_OPERATIONAL) {
		/* a new exploration: new order around the failing pair, fresh back-off */
		build_order(r);
		reset_backoff(r);
		r->next_probe_ms = NEVER;
		r->n_sent = 0;
		r->st.last_failure_ms = t;
		stop_ka(r);
	}
	if (s == REAP_EXPLORING)
		r->n_recvd = 0;	/* Precvd: probes received since entering Exploring */
	if (s == REAP_OPERATIONAL) {
		if (r->st.last_failure_ms) {
			r->st.last_recovery_ms = t - r->st.last_failure_ms;
			r->st.recoveries++;
		}
		end_exploration(r);
	}
	r->state = s;
	event(r, s == REAP_OPERATIONAL ? REAP_EV_OPERATIONAL :
		 s == REAP_EXPLORING ? REAP_EV_SEND_TIMEOUT : REAP_EV_INBOUND_OK);
}

/* A probe now (§6.1, §6.4, §6.7), then the retransmission schedule. */
static void probe_now(struct reap *r, uint64_t t)
{
	send_probe(r, NULL);
	schedule_next_probe(r, t);
}

static void start_ka(struct reap *r, uint64_t at)
{
	if (r->ka_running)
		return;
	r->ka_running = true;
	r->ka_start_ms = at;
	r->ka_next_ms = at + jit(r, reap_ka_interval(r), false);
	if (r->ka_next_ms > at + r->ka_timeout_ms)
		r->ka_next_ms = at + r->ka_timeout_ms;
}

/*
 * §6.1, §6.6: traffic from the peer.  `payload`: a payload packet (starts
 * the Keepalive Timer); a Keepalive or Probe only stops the Send Timer.
 */
static void incoming(struct reap *r, uint64_t t, uint64_t at, bool payload)
{
	if (at > r->recv_ms)
		r->recv_ms = at;
	switch (r->state) {
	case REAP_OPERATIONAL:
		r->send_running = false;
		if (payload)
			start_ka(r, at);
		break;
	case REAP_INBOUND_OK:
		r->send_running = false;
		break;
	case REAP_EXPLORING:
		goto_state(r, REAP_INBOUND_OK, t);
		probe_now(r, t);
		start_send_timer(r, t, false);
		break;
	}
}

/* §6.2: payload sent after the last incoming packet. */
static void outgoing(struct reap *r, uint64_t at)
{
	if (at <= r->recv_ms)
		return;		/* the peer answered after it: no timer to start */
	switch (r->state) {
	case REAP_OPERATIONAL:
		stop_ka(r);
		start_send_timer(r, at, false);
		break;
	case REAP_INBOUND_OK:
		start_send_timer(r, at, false);
		break;
	case REAP_EXPLORING:
		break;
	}
}

/*
 * Read the FBD stamps and turn their changes into §6.1/§6.2 events, in the
 * order they happened.
 */
static void read_fbd(struct reap *r, uint64_t t)
{
	uint64_t s, rv, start = 0;
	bool new_s, new_r;

	if (r->io->fbd(r->io_arg, r, &s, &rv, &start))
		return;
	new_s = s > r->seen_send;
	new_r = rv > r->seen_recv;
	if (new_s)
		r->seen_send = s;
	if (new_r)
		r->seen_recv = rv;
	if (new_s && new_r && s < rv) {
		outgoing(r, s);
		incoming(r, t, rv, true);
	} else {
		if (new_r)
			incoming(r, t, rv, true);
		/*
		 * The Send Timer started at the first send after the last
		 * receive, which the data plane recorded; if a Keepalive or
		 * Probe came after that (recv_ms), the last send seen is
		 * the best we know (late, never early).
		 */
		if (new_s)
			outgoing(r, start > r->recv_ms && start <= s ? start : s);
	}
}

/* When the Keepalive Timer needs a look next, or NEVER. */
static uint64_t keepalive_due(const struct reap *r)
{
	if (r->state != REAP_OPERATIONAL || !r->ka_running)
		return NEVER;
	return r->ka_next_ms;
}

/*
 * The Keepalive Timer's check (§4.1 item 5, §6.3): a Keepalive every
 * Keepalive Interval while it runs and one last at its expiry, except when
 * we sent a payload packet within the last Keepalive Interval (the stamps
 * are sampled: a send and a receive seen together do not say which came
 * first, so this rule, not the order, decides).
 */
static void keepalive_check(struct reap *r, uint64_t t)
{
	uint64_t end = r->ka_start_ms + r->ka_timeout_ms;
	uint64_t kai = reap_ka_interval(r), next;

	if (r->seen_send + kai <= t)
		send_keepalive(r, t);
	if (t >= end) {
		r->ka_running = false;
		return;
	}
	next = t + jit(r, kai, false);
	r->ka_next_ms = next < end ? next : end;
}

static void arm(struct reap *r, uint64_t t)
{
	uint64_t next = NEVER, d;

	if (r->send_running && r->state != REAP_EXPLORING)
		next = r->send_start_ms + r->send_len_ms;
	d = keepalive_due(r);
	if (d < next)
		next = d;
	if (r->state != REAP_OPERATIONAL && r->next_probe_ms < next)
		next = r->next_probe_ms;
	if (next == NEVER) {
		/*
		 * Idle: no timer of the RFC runs, but the stamps are only seen
		 * when read.  Look again after half a Send Timeout (or the
		 * Keepalive Interval if shorter) to start the timers of new
		 * traffic.
		 */
		uint64_t idle = r->send_timeout_ms / 2;

		if (reap_ka_interval(r) < idle)
			idle = reap_ka_interval(r);
		next = t + idle;
	}
	if (next < t)
		next = t;
	r->deadline_ms = next;
	r->io->timer_set(r->io_arg, r, next - t);
}

static void run(struct reap *r, uint64_t t)
{
	read_fbd(r, t);

	if (r->state != REAP_EXPLORING && r->send_running &&
	    t >= r->send_start_ms + r->send_len_ms) {
		/* §6.4: no return traffic for Send Timeout */
		r->send_running = false;
		r->st.explorations++;
		goto_state(r, REAP_EXPLORING, t);
		probe_now(r, t);
	}
	if (r->state != REAP_OPERATIONAL && t >= r->next_probe_ms) {
		/* §6.5 */
		probe_now(r, t);
		if (r->state == REAP_INBOUND_OK)
			start_send_timer(r, t, false);
	}
	if (keepalive_due(r) <= t)
		keepalive_check(r, t);
	arm(r, t);
}

/* ---- public ---- */

void reap_init(struct reap *r, const struct reap_io *io, void *io_arg, void *user,
	       uint64_t peer_tag, const uint8_t cur_local[16], const uint8_t cur_peer[16],
	       uint32_t send_timeout_ms, uint32_t ka_interval_ms)
{
	memset(r, 0, sizeof(*r));
	r->io = io;
	r->io_arg = io_arg;
	r->user = user;
	r->state = REAP_OPERATIONAL;
	r->peer_tag = peer_tag;
	memcpy(r->cur.local, cur_local, 16);
	memcpy(r->cur.peer, cur_peer, 16);
	r->send_timeout_ms = send_timeout_ms ? send_timeout_ms : REAP_SEND_TIMEOUT_MS;
	r->ka_timeout_ms = REAP_KA_TIMEOUT_MS;
	r->ka_interval_ms = ka_interval_ms;
	r->next_probe_ms = NEVER;
	reset_backoff(r);
}

void reap_start(struct reap *r)
{
	uint64_t t = now(r), s = 0, rv = 0, start;

	/* what happened before REAP started is history: timers start from now */
	if (r->io->fbd(r->io_arg, r, &s, &rv, &start) == 0) {
		r->seen_send = s;
		r->seen_recv = rv;
		r->recv_ms = rv;
	}
	arm(r, t);
}

void reap_fini(struct reap *r)
{
	end_exploration(r);
}

void reap_timer(struct reap *r)
{
	run(r, now(r));
}

void reap_peer_activity(struct reap *r)
{
	uint64_t t = now(r);

	read_fbd(r, t);
	incoming(r, t, t, true);
	run(r, t);
}

/* The pair of the newest of our probes the peer reports having received. */
static const struct reap_probe *reported(const struct reap *r, const struct shim6_msg *m)
{
	for (int i = 0; i < r->n_sent; i++)
		for (int j = 0; j < m->probe.precvd; j++)
			if (m->probe.recvd[j].nonce == r->sent[i].nonce &&
			    addr_eq(m->probe.recvd[j].src, r->sent[i].src) &&
			    addr_eq(m->probe.recvd[j].dst, r->sent[i].dst))
				return &r->sent[i];
	return NULL;
}

static void choose_pair(struct reap *r, const struct shim6_msg *m, uint64_t t)
{
	const struct reap_probe *p = reported(r, m);

	if (!p || (addr_eq(p->src, r->cur.local) && addr_eq(p->dst, r->cur.peer)))
		return;
	memcpy(r->cur.local, p->src, 16);
	memcpy(r->cur.peer, p->dst, 16);
	r->st.path_changes++;
	r->st.last_change_ms = t;
	r->io->path_set(r->io_arg, r, r->cur.local, r->cur.peer);
	event(r, REAP_EV_PATH_CHANGED);
}

static void probe_input(struct reap *r, const struct shim6_msg *m, const uint8_t src[16],
			const uint8_t dst[16], uint64_t t)
{
	struct reap_probe in;

	/* what we report back: the addresses it really came on, its nonce and data */
	memcpy(in.src, src, 16);
	memcpy(in.dst, dst, 16);
	in.nonce = m->probe.sent[0].nonce;
	in.data = m->probe.sent[0].data;
	r->st.probes_recvd++;
	r->recv_ms = t;
	r->last_in = in;
	r->last_in_state = m->probe.state;
	event(r, REAP_EV_PROBE_RECEIVED);

	switch (m->probe.state) {
	case SHIM6_PROBE_EXPLORING:		/* §6.7 */
		if (r->state == REAP_OPERATIONAL)
			event(r, REAP_EV_PEER_EXPLORING);
		goto_state(r, REAP_INBOUND_OK, t);
		push_probe(r->recvd, &r->n_recvd, REAP_RECVD_KEEP, &in);
		stop_ka(r);
		probe_now(r, t);
		start_send_timer(r, t, true);
		break;
	case SHIM6_PROBE_INBOUND_OK:		/* §6.8 */
		push_probe(r->recvd, &r->n_recvd, REAP_RECVD_KEEP, &in);
		choose_pair(r, m, t);
		goto_state(r, REAP_OPERATIONAL, t);
		stop_ka(r);
		send_probe(r, &r->cur);
		start_send_timer(r, t, true);
		r->n_sent = 0;
		r->n_recvd = 0;
		break;
	case SHIM6_PROBE_OPERATIONAL:		/* §6.9 */
		choose_pair(r, m, t);
		r->send_running = false;
		goto_state(r, REAP_OPERATIONAL, t);
		start_ka(r, t);
		r->n_sent = 0;
		r->n_recvd = 0;
		break;
	}
}

int reap_input(struct reap *r, const struct shim6_msg *m, const uint8_t src[16],
	       const uint8_t dst[16])
{
	uint64_t t = now(r);

	if (m->type != SHIM6_TYPE_KEEPALIVE && m->type != SHIM6_TYPE_PROBE)
		return -EINVAL;
	read_fbd(r, t);
	if (m->type == SHIM6_TYPE_KEEPALIVE) {
		r->st.keepalives_recvd++;
		incoming(r, t, t, false);	/* §6.6 */
	} else {
		probe_input(r, m, src, dst, t);
	}
	run(r, t);
	return 0;
}

int reap_set_jitter(struct reap *r, uint32_t pct)
{
	if (pct > REAP_JITTER_MAX_PCT)
		return -ERANGE;
	r->jitter_pct = pct;
	return 0;
}

int reap_set_send_timeout(struct reap *r, uint32_t ms)
{
	if (ms < REAP_MIN_TIMEOUT_MS || ms > REAP_MAX_TIMEOUT_MS)
		return -ERANGE;
	r->send_timeout_ms = ms;
	if (r->send_running)	/* a running Send Timer takes the new value now */
		r->send_len_ms = r->io ? jit(r, ms, true) : ms;
	if (r->io)
		run(r, now(r));
	return 0;
}

void reap_set_ka_interval(struct reap *r, uint32_t ms)
{
	r->ka_interval_ms = ms;
}

void reap_set_peer_ka_timeout(struct reap *r, uint16_t seconds)
{
	if (!seconds)
		return;
	r->ka_timeout_ms = (uint32_t)seconds * 1000u;
	if (r->io && r->deadline_ms)
		run(r, now(r));	/* the idle look and the Keepalive Timer use it */
}

uint16_t reap_ka_option_seconds(const struct reap *r)
{
	if (r->send_timeout_ms == REAP_SEND_TIMEOUT_MS)
		return 0;
	if (r->send_timeout_ms < 1000)
		return 1;
	return (uint16_t)(r->send_timeout_ms / 1000);
}

void reap_set_current(struct reap *r, const uint8_t local[16], const uint8_t peer[16])
{
	memcpy(r->cur.local, local, 16);
	memcpy(r->cur.peer, peer, 16);
}
