/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocol core of shim6d, independent of sockets and of the event loop.
 *
 * Everything the core does to the outside world goes through struct
 * shim6d_io: the daemon plugs in the raw socket, libevent timers and the
 * BPF maps; the unit tests plug in a capture buffer and a fake clock, and
 * drive the state machine with crafted messages.
 */
#ifndef SHIM6D_CORE_H
#define SHIM6D_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/shim6d/config.h"
#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/locset.h"
#include "ctl/shim6d/rawsock.h"
#include "ctl/shim6d/validator.h"

struct shim6_msg;

struct shim6d_io {
	uint64_t (*now_ms)(void *arg);		/* monotonic milliseconds */
	int (*send)(void *arg, const struct pkt_info *pi, const void *buf, size_t len);
	/* (Re)arm the context's one timer to fire proto_timer() after delay_ms. */
	void (*timer_set)(void *arg, struct shim6_ctx *c, uint64_t delay_ms);
	void (*timer_clear)(void *arg, struct shim6_ctx *c);
	/* The context is ESTABLISHED with a verified peer: write it to the maps. */
	int (*ctx_up)(void *arg, struct shim6_ctx *c);
	/* Remove it from the maps (it leaves ESTABLISHED or is destroyed). */
	void (*ctx_down)(void *arg, struct shim6_ctx *c);
	/* The context is about to be freed: release what the I/O layer attached. */
	void (*ctx_free)(void *arg, struct shim6_ctx *c);
	/* Optional: a locator left the context's set (peer's if `peer`): unmap it. */
	void (*loc_gone)(void *arg, struct shim6_ctx *c, const uint8_t addr[16], bool peer);
	/* Optional: c->state just changed from old_state (shim6ctl monitor, mon.c). */
	void (*state_changed)(void *arg, struct shim6_ctx *c, int old_state);
	/* Optional: a Keepalive or Probe for an established context (REAP, reap_daemon.c). */
	void (*reap_input)(void *arg, struct shim6_ctx *c, const struct shim6_msg *m,
			   const struct pkt_info *pi);
};

/* Counters shown by `shim6ctl daemon stats` (JSON names in ctlsock.c). */
struct shim6d_stats {
	uint64_t rx, rx_malformed, rx_checksum, rx_unknown_type, rx_dropped;
	uint64_t tx, tx_errors;
	uint64_t tx_type[128];			/* by message type */
	uint64_t rx_type[128];
	uint64_t validator_bad;			/* I2 / I2bis with a bad or stale validator */
	uint64_t established, e_failed, no_support, confusion, gc, refused_max;
	uint64_t r1bis_sent;
	uint64_t loclist_bad;			/* forged / unverifiable Locator Lists refused */
	uint64_t loclist_ok;			/* peer Locator Lists verified */
	uint64_t updates_sent, updates_acked, updates_received, errors_sent;
	/* received Error messages (§5.14) about one of our messages (proto.c recv_error) */
	uint64_t errors_acted;			/* E-FAILED, Update resent or abandoned... */
	uint64_t errors_unmatched;		/* no context sent the quoted message: dropped */
	uint64_t update_resyncs;		/* full-list Update after code 3 / 4 */
	uint64_t updates_abandoned;		/* the peer refuses our Update (code 0, 1, 2) */
};

struct shim6d {
	struct config cfg;
	struct ctx_table ctxs;
	struct validator_keys vk;
	const struct shim6d_io *io;
	void *io_arg;
	struct shim6d_stats st;
	struct locset *ls;			/* our locators; NULL: announce nothing */
	/*
	 * Contexts waiting for an R1 or R2 on a locator pair other than their
	 * ULID pair (I2bis after a move, its I1 fall-back): R1/R2 carry neither
	 * ULIDs nor a tag, so they are found here by locators and nonce (§12.4)
	 * instead of through the ULID table.  Few: only recovering contexts.
	 */
	struct shim6_ctx **moved;
	unsigned int n_moved, cap_moved;
};

/* Keep c's membership of d->moved right after a state change. */
void core_moved_update(struct shim6d *d, struct shim6_ctx *c);
/* The moved context with this locator pair (ours, the peer's) and Initiator Nonce. */
struct shim6_ctx *core_moved_find(struct shim6d *d, const uint8_t local[16],
				  const uint8_t peer[16], uint32_t init_nonce);

int core_init(struct shim6d *d, const struct config *cfg, const struct shim6d_io *io, void *arg);
void core_fini(struct shim6d *d);
uint64_t core_now(struct shim6d *d);

/*
 * Start a context for a ULID pair (trigger or operator): send I1.
 * -EEXIST a context exists (any state but a hold-down), -EBUSY a hold-down
 * (E-FAILED, NO-SUPPORT) is running, -ENOSPC max-contexts reached.
 */
int proto_start(struct shim6d *d, const uint8_t ulid_local[16], const uint8_t ulid_peer[16],
		struct shim6_ctx **out);
/* A Shim6 header received on the raw socket (src/dst from the IPv6 header). */
void proto_input(struct shim6d *d, const uint8_t *buf, size_t len, const struct pkt_info *pi);
/* An ICMPv6 Parameter Problem (whole ICMPv6 message) received. */
void proto_icmp_input(struct shim6d *d, const uint8_t *buf, size_t len,
		      const struct pkt_info *pi);
/* Payload for an unknown tag reported by the data plane: answer R1bis (§7.17). */
void proto_unknown_tag(struct shim6d *d, uint64_t tag, const uint8_t src[16],
		       const uint8_t dst[16]);
/*
 * Our locator set changed: send an Update Request with the new Locator
 * List on every ESTABLISHED context that announces it (RFC 5533 §10.1,
 * §10.3: a newer list abandons an unacknowledged one).  Returns how many.
 */
int proto_locators_changed(struct shim6d *d);
/*
 * The context's Send Timeout changed (set-tsend): tell the peer in an
 * Update Request carrying the Keepalive Timeout option (RFC 5534 §5.3),
 * retransmitted until acknowledged like any Update.  -ENOTCONN if not
 * ESTABLISHED.
 */
int proto_announce_send_timeout(struct shim6d *d, struct shim6_ctx *c);
/* Send one Keepalive (RFC 5534 §5.1) on an ESTABLISHED context; -ENOTCONN otherwise. */
int proto_send_keepalive(struct shim6d *d, struct shim6_ctx *c);
/* The context's timer fired. */
void proto_timer(struct shim6d *d, struct shim6_ctx *c);
/* Remove a context (operator, GC): out of the maps, timer stopped, freed. */
void proto_ctx_delete(struct shim6d *d, struct shim6_ctx *c);

#endif
