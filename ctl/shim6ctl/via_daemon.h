/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim6ctl objects and a running shim6d (CLI.md: "commands that change
 * state while shim6d runs go through its control socket; read-only commands
 * work without the daemon").
 *
 * A daemon "runs for these maps" when its control socket ($SHIM6D_SOCKET,
 * else /run/shim6/shim6d.sock) accepts a connection and the daemon's pin
 * root is ours (`--bpffs`): every request carries our pin root and a daemon
 * with other maps answers {"ok": false, "code": "other-maps"}.  Otherwise
 * (no socket, nobody listening, other maps) the object acts on the maps
 * directly, as it does for static contexts on a host without shim6d.
 */
#ifndef SHIM6CTL_VIA_DAEMON_H
#define SHIM6CTL_VIA_DAEMON_H

#include <stdint.h>

#include <jansson.h>

/* via_daemon() result: no daemon runs for these maps, act on them directly. */
#define VIA_DAEMON_ABSENT	(-1)

/*
 * Send req (consumed; "bpffs" is added) to the daemon.  VIA_DAEMON_ABSENT,
 * 0 (ok; *rep, if rep is not NULL, is the reply to decref) or 1 (failed,
 * the reason printed on stderr as "shim6ctl: shim6d: …").
 */
int via_daemon(json_t *req, json_t **rep);

/* "0x…" for a tag (JSON requests). */
json_t *via_daemon_tag(uint64_t tag);

/*
 * The daemon's view of its contexts, for `context show` (read-only: it
 * reads the maps and adds what only the daemon knows).  load: ask the
 * daemon (nothing if none runs for these maps; a daemon that cannot be read
 * is named on stderr and the maps are shown alone).
 */
void daemon_view_load(void);
void daemon_view_free(void);
/* The loaded context-show "contexts" array (borrowed), NULL without a daemon. */
json_t *daemon_view_contexts(void);
/*
 * Print context `tag`'s daemon-side information as a "daemon" object
 * (text: indented lines): state, role, locator sets with verification and
 * preferences, peer generation, pending Update, setup time; nothing if the
 * daemon does not know the tag (a static context).
 */
void daemon_view_print_ctx(uint64_t tag);
/*
 * Print, as elements of the current array, the daemon's contexts not
 * printed by daemon_view_print_ctx (not in the maps: being established,
 * E-FAILED, NO-SUPPORT hold-downs); tag != 0: only that one.  Returns how
 * many.
 */
int daemon_view_print_rest(uint64_t tag);

/*
 * Print a "daemon" object for `shim6ctl status`: running or not (for this
 * pin root), and if it runs its status reply (version, contexts, mode,
 * locator generation, local addresses).
 */
void daemon_status_print(void);

/* Print the daemon's protocol counters ("stats" reply) as a "daemon" object. */
void daemon_stats_print(void);

#endif
