/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced Bidirectional Detection timestamps (RFC 5534 §4.1): the data plane
 * records when a context last sent and received payload; REAP in shim6d
 * reads them.  jiffies64 (a few ns) rather than ktime (tens of ns), and the
 * field is written only when the value moved: at most HZ writes a second,
 * not one cache-line transfer per packet.
 *
 * Needs lib/maps.h (shim6_tag) before it.
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

/*
 * A payload leaves on context `ctx`.  At most once per jiffy (where its own
 * last_send moves) the context's shim6_fbd slot gets last_send and, on the
 * first send after the last receive, send_start (RFC 5534 §4.1: the Send
 * Timer starts at a packet sent with no Send Timer running and stops at the
 * next one received).  Without send_start, REAP (which only samples the
 * stamps) started the timer at the first unanswered send it happened to
 * see, and detected a failure up to 2 x Send Timeout late.
 */
static __always_inline void shim6_fbd_sent(struct shim6_egress_ctx *ctx)
{
	struct shim6_ingress_ctx *ictx;
	struct shim6_fbd *f;
	__u64 now = bpf_jiffies64();

	if (ctx->last_send == now)
		return;
	ctx->last_send = now;
	ictx = bpf_map_lookup_elem(&shim6_tag, &ctx->local_tag);
	if (!ictx || !ictx->fbd_slot)
		return;
	f = bpf_map_lookup_elem(&shim6_fbd, &ictx->fbd_slot);
	if (!f)
		return;
	f->last_send = now;
	/* a send in the jiffy of the last receive is not "after" it: the
	 * next jiffy's send starts the timer (at most one tick late) */
	if (f->send_start <= f->last_recv)
		f->send_start = now;
}

/* A payload arrived on the context (once per jiffy, like shim6_fbd_sent). */
static __always_inline void shim6_fbd_received(struct shim6_ingress_ctx *ictx)
{
	struct shim6_fbd *f;
	__u64 now = bpf_jiffies64();

	if (ictx->last_recv == now)
		return;
	ictx->last_recv = now;
	if (!ictx->fbd_slot)
		return;
	f = bpf_map_lookup_elem(&shim6_fbd, &ictx->fbd_slot);
	if (f)
		f->last_recv = now;
}

static __always_inline void shim6_ctx_count(__u64 *packets, __u64 *bytes, __u32 len)
{
	if (!shim6_ctx_counters)
		return;
	__sync_fetch_and_add(packets, 1);
	__sync_fetch_and_add(bytes, len);
}

#endif
