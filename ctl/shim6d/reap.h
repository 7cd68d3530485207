/* SPDX-License-Identifier: GPL-2.0 */
/*
 * REAP (RFC 5534): failure detection and path exploration for one Shim6
 * context, independent of sockets, clocks and maps.
 *
 * Everything REAP does to the outside goes through struct reap_io, in the
 * style of struct shim6d_io: the daemon plugs in the raw socket, a libevent
 * timer per context and the BPF maps; the unit tests plug in a fake network
 * and a fake clock and drive two instances against each other with the real
 * encoded Keepalive and Probe messages.
 *
 * Failure detection does not see packets.  The data plane keeps, per
 * context, the time of the last payload sent and received (Forced
 * Bidirectional Detection stamps in the BPF maps); REAP reads them through
 * io->fbd() only when its timer fires (reap_timer()) or a REAP message
 * arrives, turns their changes into the RFC 5534 §6.1/§6.2 events
 * ("incoming payload", "outgoing payload"), and arms its one timer at the
 * next deadline (Send Timer, next Keepalive, next Probe, or an idle check).
 * So a context costs one map read per deadline, never a scan of all maps.
 *
 * The stamps are sampled, but the data plane also records when the Send
 * Timer really started: the first payload sent after the last one received
 * (shim6_egress_ctx.send_start).  So the Send Timer runs from that moment
 * and fires Send Timeout after it, however late REAP reads.  Only when a
 * Keepalive or Probe (which the data plane does not see) arrived after
 * that moment does REAP fall back to the last send it saw: later than the
 * real start, so the timer can then fire late, never early.
 */
#ifndef SHIM6D_REAP_H
#define SHIM6D_REAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct shim6_msg;

/* Values = the Probe's Sta field (RFC 5534 §5.2). */
enum reap_state {
	REAP_OPERATIONAL = 0,
	REAP_EXPLORING = 1,
	REAP_INBOUND_OK = 2,
};

const char *reap_state_name(enum reap_state s);

/* RFC 5534 §7 and §4.3. */
#define REAP_SEND_TIMEOUT_MS		15000	/* default Send Timeout */
#define REAP_KA_TIMEOUT_MS		15000	/* peer's Send Timeout when it sent no option */
#define REAP_INITIAL_PROBE_MS		500	/* Initial Probe Timeout */
#define REAP_INITIAL_PROBES		4	/* Number of Initial Probes */
#define REAP_MAX_PROBE_MS		60000	/* Max Probe Timeout */
#define REAP_MIN_TIMEOUT_MS		200	/* lowest Send Timeout we accept (0.2 s) */
#define REAP_MAX_TIMEOUT_MS		(65535u * 1000u)	/* what the option can say */

#define REAP_JITTER_MAX_PCT	50	/* randomisation of the timeouts, at most ±50 % */

#define REAP_SENT_KEEP		8	/* our recent probes, reported back by the peer */
#define REAP_RECVD_KEEP		8	/* the peer's probes since we entered Exploring */
#define REAP_MAX_PAIRS		256	/* 16 x 16 locators */

struct reap_pair {
	uint8_t local[16];
	uint8_t peer[16];
};

struct reap_probe {
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t nonce;
	uint32_t data;
};

/* Monitor events (io->event). */
enum reap_event {
	REAP_EV_SEND_TIMEOUT,	/* no return traffic for Send Timeout: exploring */
	REAP_EV_INBOUND_OK,	/* the peer's packets arrive again; ours may not */
	REAP_EV_OPERATIONAL,	/* exploration over (both sides know) */
	REAP_EV_PATH_CHANGED,	/* a new pair for our outgoing packets */
	REAP_EV_PEER_EXPLORING,	/* the peer's Probe says it sees nothing from us */
	REAP_EV_PROBE_SENT,	/* r->sent[0] just left */
	REAP_EV_PROBE_RECEIVED,	/* r->last_in arrived, with Sta r->last_in_state */
};

const char *reap_event_name(enum reap_event ev);

struct reap;

struct reap_io {
	uint64_t (*now_ms)(void *arg);		/* monotonic milliseconds */
	/* Send an encoded Shim6 control message (Keepalive, Probe) from src to dst. */
	int (*send)(void *arg, struct reap *r, const uint8_t src[16], const uint8_t dst[16],
		    const void *buf, size_t len);
	/* (Re)arm the context's REAP timer: reap_timer() after delay_ms. */
	void (*timer_set)(void *arg, struct reap *r, uint64_t delay_ms);
	/*
	 * FBD stamps: when (now_ms clock) the data plane last sent and
	 * received a payload packet on the context, and when it sent the
	 * first payload after the last one received (the Send Timer's start);
	 * 0 = never / not known.  Returns 0 or -errno (then REAP keeps what it
	 * saw last).
	 */
	int (*fbd)(void *arg, struct reap *r, uint64_t *last_send_ms, uint64_t *last_recv_ms,
		   uint64_t *send_start_ms);
	/*
	 * The context's locators, read when an exploration starts: ours
	 * (ULID included) and the peer's verified ones.  Returns 0 or -errno.
	 */
	int (*locators)(void *arg, struct reap *r, uint8_t (*local)[16], int *n_local,
			uint8_t (*peer)[16], int *n_peer, int max);
	/* Our outgoing pair changed: write it into the data plane. */
	int (*path_set)(void *arg, struct reap *r, const uint8_t local[16],
			const uint8_t peer[16]);
	uint32_t (*random)(void *arg);		/* nonces and the exploration order */
	/*
	 * Optional: the peer's Locator Preferences priority of one of its
	 * locators (RFC 5533 §5.15.3; lower is preferred); NULL: all equal.
	 */
	uint8_t (*peer_priority)(void *arg, struct reap *r, const uint8_t peer[16]);
	/* Optional: monitor events. */
	void (*event)(void *arg, struct reap *r, enum reap_event ev);
};

struct reap_stats {
	uint64_t probes_sent, probes_recvd;
	uint64_t keepalives_sent, keepalives_recvd;
	uint64_t explorations;		/* Send Timer expiries */
	uint64_t path_changes;
	uint64_t last_change_ms;	/* when the last new pair was chosen, 0 never */
	uint64_t last_failure_ms;	/* when the last exploration started, 0 never */
	uint64_t last_recovery_ms;	/* duration of the last exploration to Operational
					 * (0 is a value: the first probe can come back
					 * within the millisecond; see recoveries) */
	uint64_t recoveries;		/* explorations that ended in Operational */
	uint64_t tcp_kicked;		/* TCP connections taken out of back-off (daemon) */
};

struct reap {
	const struct reap_io *io;
	void	*io_arg;
	void	*user;			/* the daemon's context */
	void	*timer;			/* owned by the I/O layer */

	enum reap_state state;
	uint64_t peer_tag;		/* Receiver Context Tag of what we send */
	struct reap_pair cur;		/* our outgoing pair */

	uint32_t send_timeout_ms;	/* ours; announced in the Keepalive Timeout option */
	uint32_t ka_timeout_ms;		/* the peer's Send Timeout (Keepalive Timeout) */
	uint32_t ka_interval_ms;	/* 0: a third of ka_timeout_ms */
	uint32_t jitter_pct;		/* §4.1 randomisation, 0 = exact (reap_set_jitter) */

	/* what the FBD stamps said at the last read, and the timers built on them */
	uint64_t seen_send, seen_recv;
	uint64_t recv_ms;		/* last incoming payload, Keepalive or Probe */
	uint64_t send_start_ms;		/* Send Timer start, valid when send_running */
	uint64_t send_len_ms;		/* this run's (randomised) Send Timeout */
	bool	send_running;
	bool	ka_running;		/* Keepalive Timer */
	uint64_t ka_start_ms;
	uint64_t ka_next_ms;		/* its next check */
	uint64_t last_ka_ms;		/* our last Keepalive */
	uint64_t deadline_ms;		/* the armed timer, 0 none */

	/* exploration */
	struct reap_pair *order;	/* candidate pairs (allocated while exploring) */
	uint16_t n_order, next_pair;
	uint32_t probes_this_round;
	uint32_t probe_interval_ms;
	uint64_t next_probe_ms;
	uint8_t	n_sent, n_recvd;
	struct reap_probe sent[REAP_SENT_KEEP];		/* newest first */
	struct reap_probe recvd[REAP_RECVD_KEEP];	/* newest first */
	struct reap_probe last_in;	/* the last Probe received (monitor) */
	uint8_t	last_in_state;

	struct reap_stats st;
};

/*
 * Start REAP on an established context: Operational on `cur`, timers from
 * now.  send_timeout_ms 0 = the default; ka_interval_ms 0 = a third of the
 * peer's Keepalive Timeout.  Does not arm the timer until reap_start().
 */
void reap_init(struct reap *r, const struct reap_io *io, void *io_arg, void *user,
	       uint64_t peer_tag, const uint8_t cur_local[16], const uint8_t cur_peer[16],
	       uint32_t send_timeout_ms, uint32_t ka_interval_ms);
/* Read the FBD stamps once and arm the timer. */
void reap_start(struct reap *r);
void reap_fini(struct reap *r);

/* The timer fired: read the stamps, act, re-arm. */
void reap_timer(struct reap *r);

/*
 * A Keepalive or Probe for this context arrived from src to dst (the
 * caller found the context by the Receiver Context Tag and checked that src
 * is a verified peer locator and dst one of ours).  Returns 0, or -EINVAL
 * for another message type.
 */
int reap_input(struct reap *r, const struct shim6_msg *m, const uint8_t src[16],
	       const uint8_t dst[16]);

/* Any other Shim6 control message from the peer counts as incoming payload (§6.1). */
void reap_peer_activity(struct reap *r);

/* Send Timeout of this context (REAP_MIN_TIMEOUT_MS..REAP_MAX_TIMEOUT_MS), -ERANGE otherwise. */
int reap_set_send_timeout(struct reap *r, uint32_t ms);
/*
 * Randomise the timeouts by `pct` percent (RFC 5534 §4.1: "The actual
 * value SHOULD be randomized in order to prevent synchronization"), each
 * draw from io->random:
 *  - each run of the Send Timer lasts Send Timeout x [1 - pct, 1 + pct]
 *    (the median detection time stays the Send Timeout);
 *  - each Keepalive Interval lasts Interval x [1 - pct, 1] (never later:
 *    the peer's Send Timer counts on it);
 *  - each Probe retransmission interval (§4.3) x [1 - pct, 1 + pct].
 * 0 (reap_init's default) keeps them exact.  -ERANGE above
 * REAP_JITTER_MAX_PCT.
 */
int reap_set_jitter(struct reap *r, uint32_t pct);
/*
 * base_ms scaled by a factor uniform in [1 - below%, 1 + above%], drawn
 * from the 32-bit random value rnd (exposed for the unit tests).
 */
uint64_t reap_jitter(uint64_t base_ms, uint32_t below_pct, uint32_t above_pct, uint32_t rnd);
/* Keepalive Interval override (0: a third of the peer's timeout). */
void reap_set_ka_interval(struct reap *r, uint32_t ms);
/*
 * The peer's Keepalive Timeout option (seconds) from I2, I2bis, R2 or an
 * Update: it becomes our Keepalive Timeout.  0 is ignored.
 */
void reap_set_peer_ka_timeout(struct reap *r, uint16_t seconds);
/*
 * The Keepalive Timeout option value to announce, in whole seconds, or 0
 * when the Send Timeout is the default (RFC 5534 §5.3: MUST announce a
 * non-default one).  A sub-second Send Timeout is announced as 1 s: the
 * option cannot say less, so the peer must be configured with a matching
 * keepalive-interval (see REAP.md).
 */
uint16_t reap_ka_option_seconds(const struct reap *r);
/* The Keepalive Interval in use. */
uint32_t reap_ka_interval(const struct reap *r);

/* The operator (or an Update) moved the outgoing pair: REAP follows. */
void reap_set_current(struct reap *r, const uint8_t local[16], const uint8_t peer[16]);

/*
 * Exploration order (RFC 5534 §4.3, ARCHITECTURE.md): every pair of
 * local x peer, pairs sharing no address with `failed` first, then pairs
 * sharing one, then `failed` itself; each group in random order, then
 * stably sorted by the peer locator's Locator Preferences priority
 * (peer_prio[j] for peer[j], lower first as in DNS SRV, RFC 5533 §5.15.3;
 * NULL: no preferences), so equal priorities stay in random order.  Returns
 * the number of pairs written (at most max).
 */
int reap_order_pairs(const uint8_t (*local)[16], int n_local, const uint8_t (*peer)[16],
		     int n_peer, const uint8_t *peer_prio, const struct reap_pair *failed,
		     uint32_t (*rnd)(void *arg), void *rnd_arg, struct reap_pair *out, int max);

#endif
