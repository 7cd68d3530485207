/* SPDX-License-Identifier: GPL-2.0 */
/*
 * REAP in the running daemon: one struct reap per ESTABLISHED context
 * (c->reap), its timer an evtimer on the daemon's libevent base, its
 * messages on the raw socket, its FBD stamps read from the context's two
 * map entries (shim6_ulid last_send, shim6_tag last_recv, in jiffies,
 * converted to CLOCK_MONOTONIC milliseconds) only when its timer fires,
 * and a new pair written with maps_ctx_set_path (loader/shim6_ctx_set_path).
 */
#ifndef SHIM6D_REAP_DAEMON_H
#define SHIM6D_REAP_DAEMON_H

#include <jansson.h>

struct daemon;
struct shim6_ctx;
struct shim6_msg;
struct pkt_info;

/* The context is in the maps: start REAP on it (no-op if running). */
void reap_d_attach(struct daemon *dm, struct shim6_ctx *c);
/* Start REAP on every established context in the maps (after a restart). */
void reap_d_attach_all(struct daemon *dm);
/* It leaves the maps or is freed: stop REAP. */
void reap_d_detach(struct daemon *dm, struct shim6_ctx *c);
/* struct shim6d_io.reap_input: a Keepalive or Probe for an established context. */
void reap_d_input(void *arg, struct shim6_ctx *c, const struct shim6_msg *m,
		  const struct pkt_info *pi);
/* The operator moved the pair (path-set): REAP follows. */
void reap_d_path_followed(struct shim6_ctx *c);
/* "reap": {...} in the context's JSON. */
void reap_d_json(const struct shim6_ctx *c, json_t *o);
/*
 * Control commands of REAP ("set-tsend"); NULL if `cmd` is not one of them,
 * else the reply.
 */
json_t *reap_d_command(struct daemon *dm, const char *cmd, json_t *req);

#endif
