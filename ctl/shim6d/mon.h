/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event stream behind `shim6ctl monitor` (control command "monitor").
 *
 * A client sends {"cmd":"monitor"[,"probes":true]}, gets {"ok":true,...}
 * and then one JSON object per line for every event until it hangs up:
 *
 *   context_state        a context changed state (old, new)
 *   context_established  it reached ESTABLISHED (also a context_state)
 *   context_deleted      it was freed
 *   reap_failure         Send Timeout: no return traffic (REAP §6.4)
 *   exploration_started  REAP explores (by "us" after a failure, or by "peer")
 *   reap_state           REAP state changed (inbound_ok, operational + recovery_ms)
 *   path_changed         a new outgoing pair (old, new, recovery_ms so far)
 *   tcp_kick             connections taken out of RTO back-off (fast TCP recovery)
 *   probe_sent / probe_received   only with "probes", at most MON_PROBE_RATE/s
 *                                 ("suppressed": how many were not shown)
 *   trigger / unknown_tag the data plane's ring-buffer events shim6d consumed
 *   lost                 this subscriber was too slow: "count" events dropped
 *
 * Every event has "event" and "time" (UTC, ISO 8601 with milliseconds).
 * Nothing is built when nobody listens (mon_active()).
 */
#ifndef SHIM6D_MON_H
#define SHIM6D_MON_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct bufferevent;

#define MON_MAX_SUBSCRIBERS	32
#define MON_PROBE_RATE		20		/* probe events per second, all subscribers */
#define MON_MAX_BACKLOG		(1u << 20)	/* bytes queued to a slow subscriber */

/*
 * Take over a control connection whose request was {"cmd":"monitor"}: the
 * reply line is written now, events follow.  The stream owns bev from here
 * (freed when the client hangs up).  -ENOSPC: too many subscribers (the
 * caller answers the error and frees bev).
 */
int mon_subscribe(struct bufferevent *bev, bool probes);
/*
 * The control socket's first request line: if it is {"cmd":"monitor"...},
 * subscribe (or answer the error and close) and return true: the caller
 * forgets bev.  false: not a monitor request, handle it as usual.
 */
bool mon_request(struct bufferevent *bev, const char *line, size_t len);
/* Subscribers (with probes: that want probe events); 0: build nothing. */
int mon_active(bool probes);
/*
 * Send an event (consumed) to every subscriber; "time" is added.
 * Probe events go only to those that asked, through the rate limit,
 * judged on now_ms (monotonic).
 */
void mon_emit(json_t *ev);
void mon_emit_probe(json_t *ev, uint64_t now_ms);
/* Context events (struct shim6d_io.state_changed, ctx_free) and data-plane events. */
struct shim6_ctx;
struct shim6_event;
void mon_ctx_state(void *arg, struct shim6_ctx *c, int old_state);
void mon_ctx_deleted(const struct shim6_ctx *c);
void mon_dp_event(const struct shim6_event *e);
/* {"event": name, "tag": "0x…", "ulid_local", "ulid_peer"} for a context. */
json_t *mon_ctx_obj(const char *name, const struct shim6_ctx *c);
/* Set key to the address as a string. */
void mon_set_addr(json_t *o, const char *key, const uint8_t a[16]);

/* Drop every subscriber (daemon exit). */
void mon_close_all(void);

/* Rate limit of probe events (exposed for the unit tests). */
struct mon_bucket {
	uint64_t last_ms;
	double tokens;
	uint64_t suppressed;
};
/* true: emit (and *suppressed = how many were refused since the last one). */
bool mon_bucket_take(struct mon_bucket *b, uint64_t now_ms, double rate, uint64_t *suppressed);

#endif
