/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-plane loader: everything that puts shim6's BPF programs on a
 * device and keeps them there after the loading process exits.
 *
 * Layout of a pin root (default /sys/fs/bpf/shim6, a directory in a bpffs):
 *
 *   <root>/shim6_ulid ... shim6_events   maps, pinned by libbpf (PIN_BY_NAME)
 *   <root>/.lock                         not a file: flock() is taken on the
 *                                        root directory itself
 *   <root>/dev/<ifname>/egress           the tc egress program we attached
 *   <root>/dev/<ifname>/tc_in            the tc ingress program we attached, or
 *   <root>/dev/<ifname>/xdp_link         the XDP link (owns the attachment)
 *   <root>/dev/<ifname>/qdisc/           directory present iff we created clsact
 *   <root>/seg/seg_in                    program on the segmentation stage
 *
 * The pins are the record of what was attached: `detach` removes exactly the
 * filters whose program id matches a pin, and the clsact qdisc only if we
 * created it.  Every mutation runs under flock(LOCK_EX) on the root.
 *
 * All functions return 0 or -errno and print one line saying what failed
 * (through the libbpf print callback set by shim6_loader_log_init()).
 */
#ifndef SHIM6_LOADER_H
#define SHIM6_LOADER_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <linux/types.h>

#include "bpf/shim6_shared.h"

/* One line on stderr, prefixed like cli_error(): "shim6ctl: what failed: why". */
#define pr_err(fmt, ...) \
	fprintf(stderr, "%s: " fmt, program_invocation_short_name, ##__VA_ARGS__)

#define SHIM6_DEFAULT_MAX_CTX	65536
#define SHIM6_LOC_PER_CTX	4	/* shim6_loc holds 4 entries per context */
#define SHIM6_TC_HANDLE		0x5336	/* "S6": our tc filter, handle + priority */
#define SHIM6_TC_PRIO		0x36
#define SHIM6_SEG_DEV		"shim6seg0"	/* GSO skbs are sent out here... */
#define SHIM6_SEG_PEER		"shim6seg1"	/* ...and come back segmented here */
#define SHIM6_PEER_ROUTE_PROTO	0x56	/* rtm_protocol of our per-peer MTU routes */

enum shim6_ingress_mode {
	SHIM6_INGRESS_AUTO = 0,	/* TC on veth (XDP costs 3x there), XDP elsewhere */
	SHIM6_INGRESS_TC,
	SHIM6_INGRESS_XDP,
};

enum shim6_xdp_mode {
	SHIM6_XDP_MODE_AUTO = 0,	/* native if the driver has it, else generic */
	SHIM6_XDP_MODE_NATIVE,
	SHIM6_XDP_MODE_GENERIC,
};

struct shim6_attach_opts {
	const char *ifname;
	enum shim6_ingress_mode ingress;
	enum shim6_xdp_mode xdp_mode;
	uint32_t max_ctx;	/* 0: the pinned maps' size, else the default */
	bool no_seg;		/* no segmentation stage (GSO skbs of rewritten
				 * contexts are then dropped: SHIM6_DROP_GSO) */
};

/* What `status` shows for one attached device. */
struct shim6_dev_status {
	char ifname[IF_NAMESIZE];
	int ifindex;		/* 0: the device is gone */
	uint32_t egress_id;	/* program ids, 0: not attached (any more) */
	uint32_t ingress_id;
	enum shim6_ingress_mode ingress;	/* TC or XDP */
	bool egress_ok;		/* the filter on the device still runs our program */
	bool ingress_ok;
};

/* File descriptors of the pinned maps (bpf_obj_get), -1 when absent. */
struct shim6_maps {
	int ulid, tag, loc, ptag, flow, cfg, stats, events;
	int path, pair, mark;	/* multipath (loader/path.h); -1 when absent */
	int fbd;		/* FBD stamp slots (loader/fbd.h); -1 when absent */
	struct shim6_fbd *fbd_mem;	/* its shared mapping, NULL when not mapped */
	uint32_t fbd_n;		/* entries of fbd_mem (slot 0 unused) */
};

/* ---- pin root (pinroot.c) ---- */
void shim6_loader_log_init(bool verbose);
/* Checks root/BTF/bpffs, mounts /sys/fs/bpf if it is the default root's
 * parent and not mounted, creates the root 0700. */
int shim6_pin_root_prepare(const char *root);
/* flock(LOCK_EX) on the root directory; returns the fd to pass to unlock. */
int shim6_lock(const char *root);
void shim6_unlock(int fd);
/* Opens the pinned maps read/write; -ENOENT (with a hint) when nothing is
 * pinned under root. */
int shim6_maps_open(const char *root, struct shim6_maps *m);
void shim6_maps_close(struct shim6_maps *m);
/* Number of entries of a hash map (walks the keys). */
long shim6_map_count(int fd);
uint32_t shim6_map_max_entries(int fd);

/* ---- attach / detach (attach.c) ---- */
int shim6_attach(const char *root, const struct shim6_attach_opts *o);
int shim6_detach(const char *root, const char *ifname);
/* Calls fn for each device with pins under root; returns the count or -errno. */
int shim6_for_each_dev(const char *root,
		       int (*fn)(const struct shim6_dev_status *st, void *arg), void *arg);

/* ---- segmentation stage (seg.c) ---- */
/* Creates the veth pair with GSO/TSO off (idempotent); returns the ifindex
 * of SHIM6_SEG_DEV or -errno. */
int shim6_seg_create(void);
int shim6_seg_destroy(void);
int shim6_seg_ifindex(void); /* 0 when absent */

/* ---- device helpers (netdev.c) ---- */
/* Name of the device's driver ("veth", "mlx5_core", ...). */
int shim6_dev_driver(const char *ifname, char *buf, size_t len);
int shim6_dev_mtu(int ifindex);
/* Turns the given legacy ethtool offload off (ETHTOOL_STSO, _SGSO, _SGRO). */
int shim6_dev_offloads_off(const char *ifname);

/* ---- per-peer routes (route.c) ---- */
/* Installs (replaces) a /128 route to peer, in the table, with the gateway
 * and device the kernel uses now for local -> peer, and MTU = the smaller of
 * that device's and loc_ifindex's (the current locator's device, 0: none)
 * MTU - SHIM6_PAYLOAD_HLEN, advmss to match, so that TCP leaves room for the
 * Shim6 header.  Called again when the path changes. */
int shim6_peer_route_add(const uint8_t local[16], const uint8_t peer[16], int loc_ifindex);
/*
 * Minimum TCP RTO (ms) the per-peer routes installed from now on carry
 * (locked `rto_min`: the kernel uses a route's only when locked); 0 = none,
 * the kernel's 200 ms.  After a path change, TCP-LD's RTO revert still
 * waits what is left of the base RTO since the last retransmission: this
 * bounds that wait for the shimmed peers only (ctl/shim6d/REAP.md).
 */
void shim6_peer_route_set_rto_min(uint32_t ms);
/* The device the kernel sends src -> dst out of (policy routing included):
 * the egress context's ifindex for a locator pair.  ifindex or -errno. */
int shim6_route_oif(const uint8_t src[16], const uint8_t dst[16]);
/* Removes it (only a route we installed: protocol SHIM6_PEER_ROUTE_PROTO). */
int shim6_peer_route_del(const uint8_t local[16], const uint8_t peer[16]);

/* ---- static contexts (ctx.c) ---- */
struct shim6_ctx_spec {
	union shim6_addr ulid_local, ulid_peer;
	uint64_t local_tag, peer_tag;
	union shim6_addr local_locs[SHIM6_MAX_LOCATORS];
	union shim6_addr peer_locs[SHIM6_MAX_LOCATORS];
	int n_local, n_peer;
	union shim6_addr loc_local, loc_peer;	/* current pair */
	uint32_t ifindex;	/* device owning loc_local (shim6_route_oif) */
};

/* Fills shim6_ulid, shim6_tag, shim6_loc, shim6_ptag; -EEXIST if the tag or
 * the ULID pair is already used. */
int shim6_ctx_add(const struct shim6_maps *m, const struct shim6_ctx_spec *c);
/* Removes a context; walks shim6_loc for its locators (O(map entries): fine
 * for the CLI, too slow for a daemon that deletes many). */
int shim6_ctx_del(const struct shim6_maps *m, uint64_t local_tag,
		  struct shim6_ulid_key *removed);
/* The same in O(locators), for a caller that knows the context's locator
 * sets (shim6d): c's ULIDs, tag and locator lists; -EINVAL if the ULIDs do
 * not match the context with that tag. */
int shim6_ctx_del_known(const struct shim6_maps *m, const struct shim6_ctx_spec *c);
/* Current locator pair; both must be locators of the context (-EINVAL). */
int shim6_ctx_set_path(const struct shim6_maps *m, uint64_t local_tag,
		       const union shim6_addr *loc_local, const union shim6_addr *loc_peer,
		       uint32_t ifindex, struct shim6_ulid_key *ulids);
/* Looks up a context by tag; fills the ULIDs and both halves. */
int shim6_ctx_get(const struct shim6_maps *m, uint64_t local_tag, struct shim6_ulid_key *ulids,
		  struct shim6_egress_ctx *eg, struct shim6_ingress_ctx *in);
/* Locators of a context: calls fn for each (walks shim6_loc). */
int shim6_ctx_for_each_loc(const struct shim6_maps *m, uint64_t local_tag,
			   void (*fn)(const union shim6_addr *a, uint32_t kind, void *arg),
			   void *arg);

#endif
