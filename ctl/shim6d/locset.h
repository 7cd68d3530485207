/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Locator sets: ours (what we announce) and the peer's (what we verify).
 *
 * Local: the [address] sections of the config, each with its CGA/HBA
 * parameters (and key, for CGA signing), marked present when the address is
 * on an interface (rtnetlink).  For a context whose local ULID is one of
 * them, the announced Locator List is every present address that the ULID's
 * parameters can vouch for: the members of its HBA set (method HBA), and,
 * when a key is configured for the ULID, every other present address that
 * uses the same key file (method CGA, covered by one signature).  The list
 * and its signature are computed when the set changes (a new random
 * generation, RFC 5533 §10.1), not per handshake.
 *
 * Peer: a received Locator List is verified with crypto/ (RFC 5533 §7.2)
 * against the peer ULID and the CGA Parameter Data Structure; any failure
 * rejects the whole list (and the message carrying it).
 *
 * This file does not include the wire header: crypto/ and wire/ both define
 * enum shim6_verif_method.
 */
#ifndef SHIM6D_LOCSET_H
#define SHIM6D_LOCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/shim6d/config.h"

#define LOCSET_MAX		CONFIG_MAX_ADDRS
#define LOCSET_PARAMS_MAX	4096
#define LOCSET_SIG_MAX		512
#define LOCSET_LIST_MAX		16	/* locators announced per context (1280-byte limit) */

struct locset_addr {
	uint8_t	addr[16];
	uint8_t	*params;		/* CGA Parameters, wire bytes */
	size_t	params_len;
	void	*key;			/* EVP_PKEY *, NULL for pure HBA */
	char	key_path[CONFIG_PATH_MAX];
	bool	hba;			/* params carry a Multi-Prefix extension */
	bool	present;		/* assigned to an interface */
	uint8_t	pref;
};

/* The announcement for one ULID, cached until the set changes. */
struct locset_announce {
	uint32_t gen;			/* generation it was made for */
	bool	valid;
	unsigned int n;
	uint8_t	locs[LOCSET_LIST_MAX][16];
	uint8_t	methods[LOCSET_LIST_MAX];
	uint8_t	prefs[LOCSET_LIST_MAX];	/* configured preference (priority) per locator */
	uint8_t	pref_elems[2 * LOCSET_LIST_MAX];	/* Locator Preferences elements
							 * (flags, priority), kept for
							 * the encoder */
	bool	any_pref;		/* send a Locator Preferences option */
	uint8_t	sig[LOCSET_SIG_MAX];
	size_t	sig_len;		/* 0: no CGA locator, no signature */
};

struct locset {
	int	n;
	struct locset_addr a[LOCSET_MAX];
	struct locset_announce ann[LOCSET_MAX];	/* per address used as a ULID */
	uint32_t gen;			/* Locator List Generation, random on each change */
	uint64_t signatures;		/* how many times we signed (tests, stats) */
};

void locset_init(struct locset *s);
void locset_free(struct locset *s);

/*
 * Add one local address with its params bytes (copied) and an optional key
 * (EVP_PKEY *, ownership taken).  Not present until locset_set_present().
 */
int locset_add(struct locset *s, const uint8_t addr[16], const uint8_t *params, size_t len,
	       void *key, const char *key_path, uint8_t pref);
/* Load every [address] of the config (params files, keys); -errno with err set. */
int locset_load(struct locset *s, const struct config *cfg, char *err, size_t errlen);

/* An address appeared or disappeared; true if the announced set changed. */
bool locset_set_present(struct locset *s, const uint8_t addr[16], bool present);

/* Our entry for a ULID, or NULL if the ULID has no configured parameters. */
const struct locset_addr *locset_find(const struct locset *s, const uint8_t addr[16]);

/*
 * The Locator List to announce on a context whose local ULID is `ulid`
 * (signed once per generation).  NULL if the ULID has no parameters: the
 * context then announces nothing and uses its ULID only.
 */
const struct locset_announce *locset_announce(struct locset *s, const uint8_t ulid[16]);

/*
 * Verify a peer's Locator List (locs/methods/n; n = 0: only check that the
 * params belong to the ULID).  0 if everything verified, -EBADMSG if not.
 */
int locset_verify_peer(const uint8_t ulid[16], const uint8_t *params, size_t params_len,
		       uint32_t gen, const uint8_t *locs, const uint8_t *methods, unsigned int n,
		       const uint8_t *sig, size_t sig_len);

#endif
