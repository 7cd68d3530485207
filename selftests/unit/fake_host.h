/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake network of the shim6d protocol tests: a host is a protocol core
 * (struct shim6d) with its locator set whose messages land in a queue
 * instead of a raw socket (struct shim6d_io), a clock that moves only when
 * the test moves it, and a record of the timer and maps calls the core made.
 * fake_deliver() hands one host's queue to another's proto_input, so a test
 * drives a handshake message by message and can change a message on the way.
 */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/shim6d/core.h"
#include "wire/shim6_wire.h"

#define FAKE_HOST_QMAX 64

/* One message a host sent. */
struct fake_msg {
	struct pkt_info pi;
	uint8_t buf[1280];
	size_t len;
};

struct fake_host {
	struct shim6d d;
	struct locset ls;
	uint64_t now;			/* what now_ms answers */
	struct fake_msg q[FAKE_HOST_QMAX];	/* sent and not delivered yet */
	int nq;
	uint8_t addr[16];
	uint64_t last_timer;		/* delay of the last timer armed, any context */
	bool timer_armed;		/* armed and not cleared since, any context */
	int timers_set;			/* timers armed so far */
	int ups, downs;			/* contexts written to / taken out of the maps */
	int up_n_ls_local;		/* local locators of the last context written */
};

/*
 * A host with address `addr` (its own copy), default configuration, an empty
 * locator set and the clock at `now_ms`.  Sets the log level to `log_level`
 * (LOG_ERR, LOG_WARNING ...: which of the core's complaints the test shows).
 */
void fake_host_init(struct fake_host *h, const uint8_t addr[16], uint64_t now_ms,
		    int log_level);
void fake_host_fini(struct fake_host *h);

/* Which of the two locators of fake_host_add_pair are configured on the host. */
enum { FAKE_NONE = 0, FAKE_FIRST = 1, FAKE_SECOND = 2, FAKE_BOTH = 3 };

/*
 * Adds two local locators sharing one parameter set to h's locator set,
 * preference 0: an HBA set (key and key_path NULL) or CGAs signed with
 * `key`, of which one reference per locator is taken (locset_add owns it).
 * Marks `present` (FAKE_FIRST | FAKE_SECOND) as configured; the others are
 * known but absent.
 */
void fake_host_add_pair(struct fake_host *h, const uint8_t first[16], const uint8_t second[16],
			const uint8_t *params, size_t plen, void *key, const char *key_path,
			unsigned int present);

/* Everything `from` sent so far goes to `to`'s proto_input, in order; how many. */
int fake_deliver(struct fake_host *from, struct fake_host *to);

/* Context c's own timer (the core arms one per context): armed, and its delay. */
bool fake_timer_armed(const struct shim6_ctx *c);
uint64_t fake_timer_delay(const struct shim6_ctx *c);

/* Decodes message i of h's queue into m: its type, or -1 (no such message, or undecodable). */
int fake_qtype(const struct fake_host *h, int i, struct shim6_msg *m);

/*
 * Flips a bit of the second locator of the message's Locator List (when it
 * has two) and sets the checksum again: a list its signature or HBA set no
 * longer covers.
 */
void fake_forge_second_locator(uint8_t *buf, size_t len);

#endif
