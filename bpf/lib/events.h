/* SPDX-License-Identifier: GPL-2.0 */
/* Ring-buffer events to shim6d (layout: struct shim6_event). */
#ifndef SHIM6_LIB_EVENTS_H
#define SHIM6_LIB_EVENTS_H

static __always_inline void shim6_emit(__u32 type, __u32 ifindex, __u64 tag, __u64 bytes,
				       const union shim6_addr *src, const union shim6_addr *dst)
{
	struct shim6_event *ev;

	ev = bpf_ringbuf_reserve(&shim6_events, sizeof(*ev), 0);
	if (!ev)
		return;		/* ring full: the daemon is behind, it will see the next one */
	ev->type = type;
	ev->ifindex = ifindex;
	ev->tag = tag;
	ev->bytes = bytes;
	__builtin_memcpy(&ev->src, src, sizeof(ev->src));
	__builtin_memcpy(&ev->dst, dst, sizeof(ev->dst));
	bpf_ringbuf_submit(ev, 0);
}

#endif
