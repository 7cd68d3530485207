/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data plane's pinned maps as seen by shim6d (layout: bpf/shim6_shared.h).
 * Opened by path under the pin root with bpf_obj_get(); if the data plane
 * is not loaded the daemon runs without them (contexts then only exist in
 * user space) and says so.
 */
#ifndef SHIM6D_MAPS_H
#define SHIM6D_MAPS_H

#include <stdbool.h>
#include <stdint.h>

struct shim6_ctx;

struct dp_maps {
	int ulid_fd, tag_fd, loc_fd, events_fd;
	bool ok;			/* ulid, tag and loc are open */
};

/* Open what is pinned under `root`; 0 if all three context maps are there, else -errno. */
int maps_open(struct dp_maps *m, const char *root);
void maps_close(struct dp_maps *m);

/* Write an ESTABLISHED context (egress by ULID pair, ingress by tag, locator set). */
int maps_ctx_write(struct dp_maps *m, const struct shim6_ctx *c);
/* Remove it; missing entries are not an error. */
void maps_ctx_delete(struct dp_maps *m, const struct shim6_ctx *c);
/* Remove one locator of a context from shim6_loc. */
void maps_loc_delete(struct dp_maps *m, uint64_t tag, const uint8_t addr[16]);
/* Packets sent + received on the context by the data plane; -errno if not in the maps. */
int maps_ctx_packets(struct dp_maps *m, const struct shim6_ctx *c, uint64_t *packets);

/*
 * Restart without loss: rebuild every context the data plane holds
 * (ESTABLISHED, in_maps) into the table — tags, ULIDs, locator pair, peer
 * locators.  Returns the number resumed or -errno.
 */
struct ctx_table;
int maps_resume(struct dp_maps *m, struct ctx_table *t, uint64_t now_ms);

#endif
