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
 *  - when a map's value layout changes, the map gets a new name.
 */
#ifndef SHIM6_SHARED_H
#define SHIM6_SHARED_H

#define SHIM6_NEXTHDR		140	/* IANA protocol number of the Shim6 header */
#define SHIM6_PAYLOAD_HLEN	8	/* payload extension header, Hdr Ext Len = 0 */
#define SHIM6_TAG_BITS		47
#define SHIM6_TAG_MASK		((1ULL << SHIM6_TAG_BITS) - 1)

union shim6_addr {
	__u8	b[16];
	__be32	w[4];
	__u64	d[2];
};
_Static_assert(sizeof(union shim6_addr) == 16, "shim6_addr ABI");

/* Why a packet was dropped (per-CPU counters, `shim6ctl stats`). Append only. */
enum shim6_drop {
	SHIM6_DROP_NONE		= 0,
	SHIM6_DROP_MAX_		= 1,	/* the data plane extends this list */
};

#endif
