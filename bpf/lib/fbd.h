/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced Bidirectional Detection timestamps (RFC 5534 §4.1): the data plane
 * records when a context last sent and received payload; REAP in shim6d
 * reads them.  jiffies64 (a few ns) rather than ktime (tens of ns), and the
 * field is written only when the value moved: at most HZ writes a second,
 * not one cache-line transfer per packet.
 */
#ifndef SHIM6_LIB_FBD_H
#define SHIM6_LIB_FBD_H

/* Per-context packet/byte counters (atomic: several CPUs send on one context). */
const volatile __u8 shim6_ctx_counters = 1;

static __always_inline void shim6_fbd_touch(__u64 *stamp)
{
	__u64 now = bpf_jiffies64();

	if (*stamp != now)
		*stamp = now;
}

static __always_inline void shim6_ctx_count(__u64 *packets, __u64 *bytes, __u32 len)
{
	if (!shim6_ctx_counters)
		return;
	__sync_fetch_and_add(packets, 1);
	__sync_fetch_and_add(bytes, len);
}

#endif
