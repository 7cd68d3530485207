/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space context table (RFC 5533 §6.1): one struct shim6_ctx per
 * ULID-pair context, found by (ULID pair, FII) and by CT(local).
 *
 * Two chained hash tables keyed with SipHash (libsodium crypto_shorthash)
 * under a random key, so a peer choosing ULIDs or tags cannot make chains
 * long.  Tables grow by doubling; a lookup is O(1) at any size (the
 * benchmark measures I2 processing at 1k..1M contexts).
 */
#ifndef SHIM6D_CTX_H
#define SHIM6D_CTX_H

#include <stdbool.h>
#include <stdint.h>

/*
 * No bpf/shim6_shared.h here: it and wire/shim6_wire.h both define
 * SHIM6_TAG_MASK, and the protocol files include the wire header.
 */
#define CTX_TAG_MASK		0x7fffffffffffULL	/* 47-bit context tags */

/* RFC 5533 §6.2 / Appendix B states. */
enum ctx_state {
	CTX_IDLE = 0,
	CTX_I1_SENT,
	CTX_I2_SENT,
	CTX_I2BIS_SENT,
	CTX_ESTABLISHED,
	CTX_E_FAILED,
	CTX_NO_SUPPORT,
};

const char *ctx_state_name(enum ctx_state s);

#define CTX_VALIDATOR_MAX	64
#define CTX_MAX_LOCS		16	/* = SHIM6_MAX_LOCATORS of the maps */

struct ctx_loc {
	uint8_t	addr[16];
	uint8_t	pref;		/* Locator Preferences priority (RFC 5533 §5.15.3), 0 if none */
	uint8_t	flags;		/* Locator Preferences flags (BROKEN, TRANSIENT) */
	uint8_t	method;		/* verification method of the Locator List */
	uint8_t	verified;	/* HBA/CGA verification passed */
};

struct shim6_ctx {
	struct shim6_ctx *next_ulid;	/* hash chains */
	struct shim6_ctx *next_tag;
	struct shim6_ctx *next_ptag;	/* chain by CT(peer), when ct_peer != 0 */

	enum ctx_state state;
	uint8_t	ulid_local[16];
	uint8_t	ulid_peer[16];
	uint32_t fii;			/* Forked Instance Identifier, 0 default */
	uint64_t ct_local;		/* 47 bits, ours */
	uint64_t ct_peer;		/* 47 bits, the peer's (valid when established) */

	uint8_t	lp_local[16];		/* current locator pair */
	uint8_t	lp_peer[16];
	int	n_ls_peer;
	struct ctx_loc ls_peer[CTX_MAX_LOCS];
	int	n_ls_local;		/* what we announced (besides the ULID) */
	uint8_t	ls_local[CTX_MAX_LOCS][16];
	uint32_t peer_gen;		/* generation of the last verified peer list */
	bool	peer_gen_valid;

	/* establishment (§6.2 "state information") */
	uint32_t init_nonce;
	uint32_t resp_nonce;
	uint64_t r1bis_tag;		/* CT(R1bis): Packet Context Tag of the R1bis */
	uint16_t validator_len;
	uint8_t	validator[CTX_VALIDATOR_MAX];
	bool	initiator;		/* we sent the I1 */

	/* peer's CGA Parameter Data Structure, kept for Update Requests without one */
	uint8_t	*peer_pds;
	uint16_t peer_pds_len;

	/* our Update Request (RFC 5533 §10): at most one outstanding */
	bool	update_pending;
	uint32_t update_nonce;
	uint32_t update_retries;
	uint32_t update_gen;		/* the generation it carries */
	bool	update_resynced;	/* resent whole after an out-of-sync Error (once) */

	/* retransmission and hold-down */
	uint32_t retries;		/* retransmissions done in the current state */
	uint64_t holddown_until_ms;	/* E-FAILED / NO-SUPPORT: no I1 before this */
	uint64_t created_ms;
	uint64_t established_ms;
	uint64_t last_active_ms;	/* for idle GC */

	void	*timer;			/* owned by the I/O layer (libevent event) */
	bool	in_maps;		/* written to the BPF maps */
	bool	in_moved;		/* in struct shim6d's moved list (core.c) */
	uint64_t dp_activity;		/* data-plane last_send + last_recv (jiffies) at the
					 * last check: it moves when traffic does */
	uint32_t fbd_slot;		/* shim6_fbd slot REAP reads, 0: not known yet */
	uint64_t maps_read_ms;		/* REAP read the map entries then (the GC trusts it), 0: not */

	/* REAP (RFC 5534; reap.h, reap_daemon.c) */
	struct reap *reap;		/* running while in the maps, NULL otherwise */
	uint32_t send_timeout_ms;	/* per-context Send Timeout, 0: the host's */
	uint16_t peer_ka_timeout_s;	/* the peer's Keepalive Timeout option, 0: none */

	/* I1->R2 as the daemon saw it (control socket, benchmarks); 0: not measured */
	uint64_t start_us;		/* CLOCK_MONOTONIC when the operator started it */
	uint64_t setup_us;		/* start to ESTABLISHED (written to the maps) */
};

struct ctx_table {
	struct shim6_ctx **by_ulid;
	struct shim6_ctx **by_tag;
	struct shim6_ctx **by_ptag;	/* by CT(peer): R1bis lookup, context confusion */
	uint32_t nbuckets;		/* power of two, both tables */
	uint32_t count;
	uint8_t	key[16];		/* SipHash key */
};

int ctx_table_init(struct ctx_table *t, uint32_t initial_buckets);
/* Frees every context; `release` (may be NULL) sees each one first. */
void ctx_table_destroy(struct ctx_table *t, void (*release)(struct shim6_ctx *, void *),
		       void *arg);

/*
 * A fresh context (state IDLE) for the ULID pair, with a new unique random
 * CT(local), linked in both tables.  NULL with errno ENOMEM.
 */
struct shim6_ctx *ctx_create(struct ctx_table *t, const uint8_t ulid_local[16],
			     const uint8_t ulid_peer[16], uint32_t fii);
/* Insert a context whose tag is given (restart: resumed from the maps). -EEXIST if taken. */
int ctx_insert_with_tag(struct ctx_table *t, struct shim6_ctx *c);
void ctx_destroy(struct ctx_table *t, struct shim6_ctx *c);

struct shim6_ctx *ctx_find_ulid(const struct ctx_table *t, const uint8_t ulid_local[16],
				const uint8_t ulid_peer[16], uint32_t fii);
struct shim6_ctx *ctx_find_tag(const struct ctx_table *t, uint64_t ct_local);
/* Set CT(peer) (0: none) keeping the CT(peer) index right. */
void ctx_set_peer_tag(struct ctx_table *t, struct shim6_ctx *c, uint64_t ct_peer);
/* Visit every context whose CT(peer) is ct_peer (fn may not destroy other contexts). */
int ctx_for_each_peer_tag(const struct ctx_table *t, uint64_t ct_peer,
			  int (*fn)(struct shim6_ctx *, void *), void *arg);

/* Visit every context (fn may destroy the one it gets); stop early if fn returns non-zero (which is returned). */
int ctx_for_each(const struct ctx_table *t, int (*fn)(struct shim6_ctx *, void *), void *arg);

/*
 * A new 47-bit tag: all 47 bits from libsodium's CSPRNG (RFC 5533 §7.1
 * wants at least 30 random bits), never 0, not used by any context.
 */
uint64_t ctx_new_tag(const struct ctx_table *t);

bool ctx_peer_has_locator(const struct shim6_ctx *c, const uint8_t addr[16]);

#endif
