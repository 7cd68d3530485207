/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data plane's pinned maps as seen by shim6d, written through loader/
 * (shim6_ctx_add/_del keep shim6_ulid, shim6_tag, shim6_loc and shim6_ptag
 * consistent, under the pin root's lock), so the map layout is known in one
 * place.  If the data plane is not loaded the daemon runs without maps
 * (contexts then only exist in user space) and says so.
 */
#ifndef SHIM6D_MAPS_H
#define SHIM6D_MAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Opaque types: the loader's and the core's headers stay out of this one. */
struct shim6_ctx;
struct ctx_table;
struct shim6_maps;

struct dp_maps {
	struct shim6_maps *m;		/* loader's fds (NULL until maps_open) */
	int	events_fd;		/* the ring buffer, -1 if absent */
	char	root[256];
	bool	ok;			/* the context maps are open */
	bool	routes;			/* install per-peer routes (MTU - 8) */
};

/*
 * Attach the data plane to a device through loader/ (tc egress, tc or XDP
 * ingress; maps pinned under root, reused when present).  0 or -errno.
 */
int maps_attach(const char *root, const char *ifname, bool xdp, uint32_t max_ctx);

/* Open what is pinned under `root`; 0, or -errno if the context maps are not there. */
int maps_open(struct dp_maps *m, const char *root);
void maps_close(struct dp_maps *m);

/* Write an ESTABLISHED context (replacing what the maps hold for its tag or ULID pair). */
int maps_ctx_write(struct dp_maps *m, const struct shim6_ctx *c);
/* Move the context to another locator pair (both must be its locators). */
int maps_ctx_set_path(struct dp_maps *m, const struct shim6_ctx *c);
/* Remove it; missing entries are not an error. */
void maps_ctx_delete(struct dp_maps *m, const struct shim6_ctx *c);
/* Remove one locator of a context from shim6_loc. */
void maps_loc_delete(struct dp_maps *m, uint64_t tag, const uint8_t addr[16]);
/*
 * The context's data-plane activity: last_send + last_recv (jiffies), which
 * moves whenever it sends or receives (the same sum REAP reads from the FBD
 * slot); -errno if not in the maps.
 */
int maps_ctx_activity(struct dp_maps *m, const struct shim6_ctx *c, uint64_t *activity);
/* CONFIG_HZ of the running kernel (the data plane's stamps are jiffies). */
unsigned int maps_kernel_hz(void);
/*
 * Contexts in the maps the daemon does not own (static ones, `shim6ctl
 * context add`), changed on the operator's request through the control
 * socket: delete (and its per-peer route), or move to another pair of its
 * locators.  -ENOENT if the maps have no such tag, -EINVAL for a pair that
 * is not the context's, else 0 or -errno.
 */
int maps_static_del(struct dp_maps *m, uint64_t tag);
int maps_static_set_path(struct dp_maps *m, uint64_t tag, const uint8_t l[16],
			 const uint8_t p[16]);
/* Zero the data plane's counters (loader/dp_stats.c). */
int maps_stats_reset(struct dp_maps *m);
/* Trigger thresholds and server mode into shim6_cfg[0]. */
int maps_set_cfg(struct dp_maps *m, uint64_t trigger_bytes, uint32_t trigger_ms, bool no_trigger);
/*
 * SHIM6_CFG_F_DAEMON: on while shim6d holds its protocol-140 raw socket, so
 * the egress program drops our kernel's Parameter Problems for next header
 * 140 (they then mean "socket queue full", not "no Shim6").
 */
int maps_set_daemon(struct dp_maps *m, bool running);

/*
 * Restart without loss: rebuild every context the data plane holds
 * (ESTABLISHED, in_maps) into the table — tags, ULIDs, locator pair, peer
 * locators.  Returns the number resumed or -errno.
 */
int maps_resume(struct dp_maps *m, struct ctx_table *t, uint64_t now_ms);

#endif
