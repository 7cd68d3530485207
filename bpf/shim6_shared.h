/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything that crosses the BPF / user-space boundary: map keys and values,
 * ring-buffer events, verdict and drop-reason codes.
 *
 * Rules (xdp-tools "kern_user" header, cilium's append-only enums):
 *  - no #include: included after vmlinux.h (BPF) or <linux/types.h> (user);
 *  - fixed-width types only, explicit padding, a size assert per struct;
 *  - addresses as union shim6_addr, never struct in6_addr;
 *  - enums have explicit values and are append-only: never renumber, never
 *    reuse a retired value (the numbers are shown by `shim6ctl stats` and
 *    read by scripts);
 *  - when a map's value layout changes, the map gets a new name (_v2).
 *
 * Maps (pinned under the pin root, /sys/fs/bpf/shim6 by default):
 *  shim6_ulid   HASH   shim6_ulid_key -> shim6_egress_ctx   egress: ULID pair -> locators
 *  shim6_tag    HASH   __u64 local tag -> shim6_ingress_ctx  ingress: tag -> ULIDs
 *  shim6_loc    HASH   shim6_loc_key -> __u32 SHIM6_LOC_*    locator membership per context
 *  shim6_flow   LRU    shim6_ulid_key -> shim6_flow          trigger-heuristic accounting
 *  shim6_cfg    ARRAY  [0] -> shim6_cfg                      run-time tunables
 *  shim6_stats  PERCPU_ARRAY [reason] -> shim6_counter       verdict/drop counters
 *  shim6_events RINGBUF shim6_event                          to shim6d / shim6ctl monitor
 *  shim6_ptag   HASH   shim6_ptag_key -> shim6_ulid_key      ICMP errors: (CT(peer), Lp) -> ULIDs
 *  shim6_path   HASH   shim6_path_key -> shim6_path          multipath: (tag, index 1..15) -> pair
 *  shim6_pair   HASH   shim6_pair_key -> shim6_pair_rx       multipath: receive stamps per pair
 *  shim6_mark   ARRAY  [0] -> shim6_mark_rule                multipath: skb mark -> path index
 *  shim6_fbd    ARRAY  [slot] -> shim6_fbd (mmapable)        FBD stamps for REAP, slot in the ingress ctx
 *
 * Programs: shim6_egress.bpf.o has SEC("tc") shim6_egress (clsact egress of
 * every uplink) and SEC("tc") shim6_seg_in (clsact ingress of the far end of
 * the segmentation veth pair, see seg_ifindex); shim6_ingress.bpf.o has
 * SEC("xdp") shim6_xdp_in and SEC("tc") shim6_tc_in (the same code; attach
 * one of them per uplink).  Both objects declare every map, pinned by name,
 * so loading both under one pin root shares the maps.
 *
 * What user space keeps consistent per established context (tag = CT(local)):
 *  shim6_ulid[{ulid_local, ulid_peer}] = egress ctx (flags REWRITE iff the
 *      locator pair differs from the ULID pair);
 *  shim6_tag[local_tag]                = ingress ctx;
 *  shim6_loc[{local_tag, addr}]        = LOCAL for each of Ls(local), PEER for
 *      each verified locator of Ls(peer) (ULIDs included);
 *  shim6_ptag[{peer_tag, loc_local, loc_peer}] = {ulid_local, ulid_peer} for
 *      the CURRENT locator pair (replace it when the pair changes);
 *  shim6_fbd[slot].owner = SHIM6_FBD_OWNED | local_tag with slot =
 *      shim6_tag[local_tag].fbd_slot (0: none), given back on delete.
 *
 * Multipath (docs/MULTIPATH.md): path index 0 is the default path, the
 * context's current (REAP) pair in shim6_ulid.  Indexes 1..SHIM6_MAX_PATHS-1
 * live in shim6_path[{local_tag, index}]; both their addresses must be
 * locators of the context.  A context with such entries has
 * SHIM6_CTX_F_PATHS in its egress flags and SHIM6_ICTX_F_PATHS in its
 * ingress flags (contexts without them pay one flag test).  Egress maps
 * skb->mark to an index with shim6_mark[0] (index = (mark & mask) >> shift);
 * index 0, an index without entry (counted PASS_PATH_MISSING) or a path
 * flagged BROKEN (PASS_PATH_BROKEN) use the default path.  Ingress keeps
 * last-receive and counters per locator pair in shim6_pair (entries created
 * by the data plane for pairs of verified locators; user space deletes them
 * with the context).
 */
#ifndef SHIM6_SHARED_H
#define SHIM6_SHARED_H

#define SHIM6_NEXTHDR		140	/* IANA protocol number of the Shim6 header */
#define SHIM6_PAYLOAD_HLEN	8	/* payload extension header, Hdr Ext Len = 0 */
#define SHIM6_TAG_BITS		47
#define SHIM6_TAG_MASK		((1ULL << SHIM6_TAG_BITS) - 1)

#ifndef SHIM6_MAX_CTX
#define SHIM6_MAX_CTX		65536	/* default; the loader may resize before load */
#endif
#ifndef SHIM6_MAX_FLOWS
#define SHIM6_MAX_FLOWS		65536
#endif
#define SHIM6_MAX_LOCATORS	16	/* per side of one context */
#define SHIM6_MAX_EXTHDRS	8	/* extension headers walked before giving up */
#define SHIM6_MAX_PREFIX	128	/* bytes of HbH/Routing headers before the Shim6 header */

union shim6_addr {
	__u8	b[16];
	__be32	w[4];
	__u64	d[2];
};
_Static_assert(sizeof(union shim6_addr) == 16, "shim6_addr ABI");

/* Key of shim6_ulid and shim6_flow: the pair as the application sees it. */
struct shim6_ulid_key {
	union shim6_addr local;
	union shim6_addr peer;
};
_Static_assert(sizeof(struct shim6_ulid_key) == 32, "shim6_ulid_key ABI");

/* shim6_egress_ctx.flags */
#define SHIM6_CTX_F_REWRITE	(1U << 0)	/* locators differ from ULIDs: rewrite + push */

#define SHIM6_CTX_F_PATHS	(1U << 1)	/* has a path table: map the skb mark to a path */

/* Value of shim6_ulid: what egress needs for one context. */
struct shim6_egress_ctx {
	union shim6_addr loc_local;	/* current locator pair */
	union shim6_addr loc_peer;
	__u64	peer_tag;		/* 47-bit tag put on egress, host order */
	__u64	local_tag;		/* key into shim6_tag / shim6_loc */
	__u64	last_send;		/* FBD: jiffies64 of the last payload sent */
	__u64	tx_packets;
	__u64	tx_bytes;
	__u32	ifindex;		/* device owning loc_local, 0: route by FIB */
	__u32	flags;			/* SHIM6_CTX_F_* */
};
_Static_assert(sizeof(struct shim6_egress_ctx) == 80, "shim6_egress_ctx ABI");

/* Value of shim6_tag: what ingress needs for one context. */
struct shim6_ingress_ctx {
	union shim6_addr ulid_local;
	union shim6_addr ulid_peer;
	__u64	last_recv;		/* FBD: jiffies64 of the last payload received */
	__u64	rx_packets;
	__u64	rx_bytes;
	__u32	flags;
	__u32	fbd_slot;		/* index into shim6_fbd, 0: none (was padding) */
};
_Static_assert(sizeof(struct shim6_ingress_ctx) == 64, "shim6_ingress_ctx ABI");

/*
 * Value of shim6_fbd[slot]: a context's Forced Bidirectional Detection
 * stamps (jiffies64) where shim6d reads them without a system call (the
 * array is BPF_F_MMAPABLE; REAP reads each context every few seconds, and
 * at 100,000 contexts two hash lookups per read were most of its CPU).
 * Slot 0 is never given out: a context with fbd_slot 0 has no stamps here
 * (REAP then reads the hash maps).  owner = SHIM6_FBD_OWNED | local tag of
 * the context holding the slot, 0 when free; user space claims a slot with
 * a compare-and-swap on owner (shim6ctl and shim6d may add contexts at the
 * same time).
 */
struct shim6_fbd {
	__u64	last_send;		/* the last payload sent */
	__u64	last_recv;		/* the last payload received */
	__u64	send_start;		/* the first payload sent after the last received:
					 * when RFC 5534's Send Timer started */
	__u64	owner;
};
_Static_assert(sizeof(struct shim6_fbd) == 32, "shim6_fbd ABI");
#define SHIM6_FBD_OWNED		(1ULL << 63)

/* shim6_ingress_ctx.flags */
#define SHIM6_ICTX_F_PATHS	(1U << 0)	/* multipath: account receive per pair (shim6_pair) */

/* Key of shim6_loc: is `addr` one of context `local_tag`'s locators? */
struct shim6_loc_key {
	__u64	local_tag;
	union shim6_addr addr;
};
_Static_assert(sizeof(struct shim6_loc_key) == 24, "shim6_loc_key ABI");

/* Value of shim6_loc (bit set; an address can be both in tests on one host) */
#define SHIM6_LOC_LOCAL		(1U << 0)
#define SHIM6_LOC_PEER		(1U << 1)

/* Key of shim6_ptag: how an ICMP error quoting our packet finds its context
 * (RFC 5533 §8, §12.4: CT(peer) with Lp(local) as source, Lp(peer) as
 * destination of the packet in error).  Value: struct shim6_ulid_key. */
struct shim6_ptag_key {
	__u64	peer_tag;
	union shim6_addr loc_local;
	union shim6_addr loc_peer;
};
_Static_assert(sizeof(struct shim6_ptag_key) == 40, "shim6_ptag_key ABI");

/* ---- multipath ---- */
#define SHIM6_MAX_PATHS		16	/* path indexes per context: 0 (default) .. 15 */
#ifndef SHIM6_MAX_PATH_ENTRIES
#define SHIM6_MAX_PATH_ENTRIES	65536	/* shim6_path and shim6_pair capacity */
#endif

/* Key of shim6_path. */
struct shim6_path_key {
	__u64	local_tag;
	__u32	index;			/* 1 .. SHIM6_MAX_PATHS - 1 */
	__u32	pad;
};
_Static_assert(sizeof(struct shim6_path_key) == 16, "shim6_path_key ABI");

/* shim6_path.flags */
#define SHIM6_PATH_F_REWRITE	(1U << 0)	/* pair differs from the ULIDs: rewrite + push */
#define SHIM6_PATH_F_BROKEN	(1U << 1)	/* known broken (REAP / operator): use the default */

/* Value of shim6_path: one extra locator pair of a context. */
struct shim6_path {
	union shim6_addr loc_local;
	union shim6_addr loc_peer;
	__u32	ifindex;		/* device owning loc_local, 0: route by FIB */
	__u32	flags;			/* SHIM6_PATH_F_* */
	__u64	last_send;		/* jiffies64 of the last payload sent on this path */
	__u64	tx_packets;
	__u64	tx_bytes;
};
_Static_assert(sizeof(struct shim6_path) == 64, "shim6_path ABI");

/* Key of shim6_pair: a locator pair of a context as seen on receive
 * (loc_local = destination, loc_peer = source of the packet). */
struct shim6_pair_key {
	__u64	local_tag;
	union shim6_addr loc_local;
	union shim6_addr loc_peer;
};
_Static_assert(sizeof(struct shim6_pair_key) == 40, "shim6_pair_key ABI");

/* Value of shim6_pair: FBD per pair (RFC 5534 per locator pair). */
struct shim6_pair_rx {
	__u64	last_recv;		/* jiffies64 */
	__u64	rx_packets;
	__u64	rx_bytes;
};
_Static_assert(sizeof(struct shim6_pair_rx) == 24, "shim6_pair_rx ABI");

/* Value of shim6_mark[0]: path index = (skb->mark & mask) >> shift.
 * mask 0 (the default): marks are ignored, every packet takes the default path.
 * probe: a packet whose mark has one of these bits (disjoint from mask) uses
 * its path even when it is flagged broken - shim6d's path probes. */
struct shim6_mark_rule {
	__u32	mask;
	__u32	shift;
	__u32	flags;			/* none yet */
	__u32	probe;
};
_Static_assert(sizeof(struct shim6_mark_rule) == 16, "shim6_mark_rule ABI");

/* Value of shim6_flow: per ULID pair without a context (trigger heuristic). */
struct shim6_flow {
	__u64	first_seen;		/* jiffies64 */
	__u64	bytes;
	__u32	triggered;		/* an event was raised for this pair */
	__u32	pad;
};
_Static_assert(sizeof(struct shim6_flow) == 24, "shim6_flow ABI");

/* Value of shim6_cfg[0]: tunables changed at run time without reloading.
 * A zero field means the default (an all-zero map is a working setup). */
struct shim6_cfg {
	__u64	trigger_bytes;		/* 0: 2048 */
	__u64	trigger_jiffies;	/* 0: 60 s (60 * the .rodata shim6_hz, default 250) */
	__u32	flags;			/* SHIM6_CFG_F_* */
	__u32	seg_ifindex;		/* segmentation-stage device for GSO skbs, 0: none */
	__u32	unknown_tag_rate;	/* max unknown-tag events per second, 0: 10 */
	__u32	pad;
};
_Static_assert(sizeof(struct shim6_cfg) == 32, "shim6_cfg ABI");

#define SHIM6_CFG_F_TRIGGER	(1U << 0)	/* ignored: accounting is on unless NO_TRIGGER */
#define SHIM6_CFG_F_NO_REDIRECT	(1U << 1)	/* egress: do not route rewritten packets by
						 * locator (TC_ACT_OK on the current device);
						 * for single-interface hosts and tests */
#define SHIM6_CFG_F_NO_TRIGGER	(1U << 2)	/* no accounting of flows without context
						 * (server mode) */
#define SHIM6_CFG_F_DAEMON	(1U << 3)	/* shim6d runs and holds a raw socket for
						 * next header 140.  A Parameter Problem
						 * "unrecognized next header 140" from our own
						 * kernel then only means that socket's queue
						 * overflowed (Linux answers so when a raw
						 * socket's queue is full, e.g. under an I1
						 * flood): egress drops it, so that a flood
						 * cannot make real initiators conclude
						 * NO-SUPPORT.  Cleared when shim6d exits. */

/* Counter slot in shim6_stats (PERCPU_ARRAY indexed by enum shim6_reason). */
struct shim6_counter {
	__u64	packets;
	__u64	bytes;
};
_Static_assert(sizeof(struct shim6_counter) == 16, "shim6_counter ABI");

/*
 * Verdicts and drop reasons: index into shim6_stats.  Append only; a retired
 * value is kept with a _RETIRED suffix.  Values below 64 are verdicts of
 * packets that went on, values from 64 are drops.
 */
enum shim6_reason {
	SHIM6_PASS_NOT_IPV6		= 0,
	SHIM6_PASS_NO_CTX		= 1,
	SHIM6_PASS_ULID_EQ_LOC		= 2,	/* context, locators = ULIDs: no header */
	SHIM6_PASS_REWRITTEN		= 3,	/* egress rewrite + push */
	SHIM6_PASS_RESTORED		= 4,	/* ingress pop + restore */
	SHIM6_PASS_CONTROL		= 5,	/* P=0 control message to the stack */
	SHIM6_PASS_NDISC		= 6,
	SHIM6_PASS_ICMP_TRANSLATED	= 7,	/* RFC 5533 §8 error rewritten to ULIDs */
	SHIM6_PASS_TO_SEGMENT		= 8,	/* GSO skb sent through the segmentation stage */
	SHIM6_PASS_SHIMMED		= 9,	/* egress: already carries a Shim6 payload header
						 * (our own redirected packet) */
	SHIM6_PASS_FRAGMENT		= 10,	/* ingress: non-first fragment, nothing to do */
	SHIM6_PASS_ICMP			= 11,	/* ingress: ICMPv6 error not about a shimmed packet */
	SHIM6_PASS_PTB_SENT		= 12,	/* egress: too big after the push; answered with a
						 * local ICMPv6 Packet Too Big (MTU - 8) */
	/*
	 * Multipath (32..39): counted IN ADDITION to the packet's verdict above
	 * (a packet sent on path 2 counts PASS_REWRITTEN and PASS_PATH_CHOSEN).
	 */
	SHIM6_PASS_PATH_CHOSEN		= 32,	/* egress: sent on a non-default path (its mark) */
	SHIM6_PASS_PATH_MISSING		= 33,	/* egress: mark -> index without a path: default */
	SHIM6_PASS_PATH_BROKEN		= 34,	/* egress: mark -> path known broken: default */
	SHIM6_VERDICT_MAX_		= 64,

	SHIM6_DROP_MALFORMED		= 64,	/* truncated / inconsistent headers */
	SHIM6_DROP_UNKNOWN_TAG		= 65,
	SHIM6_DROP_FOREIGN_SRC		= 66,	/* source not a peer locator of the context */
	SHIM6_DROP_FOREIGN_DST		= 67,	/* destination not one of our locators */
	SHIM6_DROP_TOO_BIG		= 68,	/* would exceed the MTU after the push */
	SHIM6_DROP_ADJUST_ROOM		= 69,	/* bpf_skb_adjust_room / adjust_head failed */
	SHIM6_DROP_FIB			= 70,	/* no device for the source locator (seg stage, ifindex 0) */
	SHIM6_DROP_EXTHDR_CHAIN		= 71,	/* more than SHIM6_MAX_EXTHDRS extension headers,
						 * or HbH/Routing over SHIM6_MAX_PREFIX bytes */
	SHIM6_DROP_GSO			= 72,	/* GSO skb of a rewritten context and no
						 * segmentation stage (seg_ifindex 0) */
	SHIM6_DROP_STORE		= 73,	/* bpf_skb_store_bytes / load failed */
	SHIM6_DROP_REDIRECT		= 74,	/* bpf_redirect* refused */
	SHIM6_DROP_OWN_PARAM_PROB	= 75,	/* egress: our kernel's Parameter Problem for
						 * next header 140 while shim6d runs
						 * (SHIM6_CFG_F_DAEMON) */
	SHIM6_REASON_MAX		= 96,	/* size of shim6_stats */
};

/* Ring-buffer events (shim6_events). */
enum shim6_event_type {
	SHIM6_EV_TRIGGER	= 1,	/* a ULID pair crossed the trigger threshold */
	SHIM6_EV_UNKNOWN_TAG	= 2,	/* payload for an unknown tag: answer R1bis */
};

struct shim6_event {
	__u32	type;			/* enum shim6_event_type */
	__u32	ifindex;
	__u64	tag;			/* UNKNOWN_TAG: the tag received */
	__u64	bytes;			/* TRIGGER: bytes seen */
	union shim6_addr src;		/* TRIGGER: ULID local; UNKNOWN_TAG: packet source */
	union shim6_addr dst;		/* TRIGGER: ULID peer;  UNKNOWN_TAG: packet destination */
};
_Static_assert(sizeof(struct shim6_event) == 56, "shim6_event ABI");

#endif
