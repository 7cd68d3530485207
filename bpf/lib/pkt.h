/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thin packet-context layer so one packet library serves XDP and tc
 * (cilium's __ctx_buff idea, done with a constant instead of a second
 * compilation): every function is always_inline and takes `struct pkt`
 * whose `kind` is a literal at the entry point, so clang folds the branch
 * and each program only contains the helpers its type may call.
 *
 * Offsets are from the start of the frame (the Ethernet header) in both
 * program types.  Loads and stores go through the helpers (bounded, work on
 * non-linear skbs); direct access is used only for the fixed headers on the
 * fast path (see pkt_ptr()).
 */
#ifndef SHIM6_LIB_PKT_H
#define SHIM6_LIB_PKT_H

enum pkt_kind {
	PKT_TC	= 1,
	PKT_XDP	= 2,
};

struct pkt {
	void	*ctx;
	int	kind;
};

/* Largest block moved by pkt_pop8()/pkt_push8() (headers kept in front). */
#define PKT_MOVE_MAX	256

static __always_inline struct __sk_buff *pkt_skb(const struct pkt *p)
{
	return (struct __sk_buff *)p->ctx;
}

static __always_inline struct xdp_md *pkt_xdp(const struct pkt *p)
{
	return (struct xdp_md *)p->ctx;
}

/*
 * ctx->data / data_end loaded with a fixed offset in one instruction: clang
 * likes to keep "ctx + 76" in a register and dereference it later, which
 * the verifier rejects (modified ctx pointer).
 */
#define PKT_CTX_LOAD(ctx, type, field)                                         \
	({                                                                     \
		void *__v;                                                     \
		asm volatile("%0 = *(u32 *)(%1 + %2)"                          \
			     : "=r"(__v)                                       \
			     : "r"(ctx), "i"(offsetof(type, field)));          \
		__v;                                                           \
	})

static __always_inline void *pkt_data(const struct pkt *p)
{
	if (p->kind == PKT_XDP)
		return PKT_CTX_LOAD(p->ctx, struct xdp_md, data);
	return PKT_CTX_LOAD(p->ctx, struct __sk_buff, data);
}

static __always_inline void *pkt_data_end(const struct pkt *p)
{
	if (p->kind == PKT_XDP)
		return PKT_CTX_LOAD(p->ctx, struct xdp_md, data_end);
	return PKT_CTX_LOAD(p->ctx, struct __sk_buff, data_end);
}

/* Whole frame length (tc: skb->len including non-linear parts). */
static __always_inline __u32 pkt_len(const struct pkt *p)
{
	if (p->kind == PKT_XDP)
		return (__u32)(pkt_xdp(p)->data_end - pkt_xdp(p)->data);
	return pkt_skb(p)->len;
}

static __always_inline __u32 pkt_ifindex(const struct pkt *p)
{
	if (p->kind == PKT_XDP)
		return pkt_xdp(p)->ingress_ifindex;
	return pkt_skb(p)->ifindex;
}

/*
 * A pointer to `len` linear bytes at `off`, or NULL.  On tc, pulls the
 * headers into the linear area first when needed (only then: pull_data
 * may reallocate).
 */
#define pkt_ptr(p, off, len)                                                   \
	({                                                                     \
		void *__d = pkt_data(p), *__e = pkt_data_end(p);               \
		if ((p)->kind == PKT_TC && __d + (off) + (len) > __e) {        \
			bpf_skb_pull_data(pkt_skb(p), (off) + (len));          \
			__d = pkt_data(p);                                     \
			__e = pkt_data_end(p);                                 \
		}                                                              \
		__d + (off) + (len) > __e ? NULL : __d + (off);                \
	})

static __always_inline int pkt_load(const struct pkt *p, __u32 off, void *to, __u32 len)
{
	if (p->kind == PKT_XDP)
		return bpf_xdp_load_bytes(pkt_xdp(p), off, to, len);
	return bpf_skb_load_bytes(pkt_skb(p), off, to, len);
}

/*
 * Copy `len` (constant) bytes at `off` to `to`: direct access when `off` is
 * the constant `fast_off` and the bytes are linear (the usual case: a
 * header right behind the fixed IPv6 header), a helper call otherwise.
 * Helper calls are what a packet costs on the rewritten path
 * (docs/DATAPLANE.md §2.1).
 */
#define pkt_load_at(p, off, fast_off, to, len)                                 \
	({                                                                     \
		int __r = -1;                                                  \
		if ((off) == (fast_off)) {                                     \
			void *__s = pkt_ptr(p, fast_off, len);                 \
			if (__s) {                                             \
				__builtin_memcpy(to, __s, len);                \
				__r = 0;                                       \
			}                                                      \
		}                                                              \
		if (__r)                                                       \
			__r = pkt_load(p, off, to, len);                       \
		__r;                                                           \
	})

/*
 * Store bytes.  On tc, BPF_F_RECOMPUTE_CSUM keeps a CHECKSUM_COMPLETE skb's
 * csum right (ingress; a no-op for CHECKSUM_PARTIAL on egress).  Only ever
 * used at offsets >= ETH_HLEN: the Ethernet header is not covered by
 * skb->csum, so recomputing over it would be wrong.
 */
static __always_inline int pkt_store(const struct pkt *p, __u32 off, const void *from, __u32 len)
{
	if (p->kind == PKT_XDP)
		return bpf_xdp_store_bytes(pkt_xdp(p), off, (void *)from, len);
	return bpf_skb_store_bytes(pkt_skb(p), off, from, len, BPF_F_RECOMPUTE_CSUM);
}

/* Store into the Ethernet header (no checksum bookkeeping). */
static __always_inline int pkt_store_l2(const struct pkt *p, __u32 off, const void *from,
					__u32 len)
{
	if (p->kind == PKT_XDP)
		return bpf_xdp_store_bytes(pkt_xdp(p), off, (void *)from, len);
	return bpf_skb_store_bytes(pkt_skb(p), off, from, len, 0);
}

/*
 * Make a length in [1, max] (max a power of two) visible to every verifier
 * as such: 6.1's does not learn "not zero" from `n == 0` being false, and
 * clang would drop a plain re-check it can prove redundant.
 */
#define PKT_LEN_BOUND(n, max)                                                  \
	do {                                                                   \
		asm volatile("" : "+r"(n));                                    \
		(n) = (((n) - 1) & ((max) - 1)) + 1;                           \
	} while (0)

/* Bounce buffer for pkt_move(): too big for the 512-byte BPF stack. */
struct pkt_scratch {
	__u8	buf[PKT_MOVE_MAX];
	__u64	n;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkt_scratch);
} shim6_scratch SEC(".maps");

/* Copy n bytes (0 <= n <= PKT_MOVE_MAX) from `from` to `to` inside the packet. */
static __always_inline int pkt_move(const struct pkt *p, __u32 from, __u32 to, __u64 n)
{
	struct pkt_scratch *s;
	__u32 zero = 0;
	__u8 *buf;

	if (n == 0)
		return 0;
	if (n > PKT_MOVE_MAX)
		return -1;
	s = bpf_map_lookup_elem(&shim6_scratch, &zero);
	if (!s)
		return -1;
	/*
	 * Launder n through the map: the verifier would otherwise track the
	 * length back to every header offset of the walk (precision) and
	 * could not prune the walk's states.  Then test it again where the
	 * verifier sees it (clang cannot drop this check: it knows nothing
	 * about the value read back).
	 */
	s->n = n;
	asm volatile("" ::: "memory");
	n = s->n;
	if (n == 0 || n > PKT_MOVE_MAX)
		return -1;
	PKT_LEN_BOUND(n, PKT_MOVE_MAX);
	buf = s->buf;
	if (pkt_load(p, from, buf, n))
		return -1;
	if (pkt_store(p, to, buf, n))
		return -1;
	return 0;
}

/*
 * Remove the 8 bytes at `at` (an offset after the fixed IPv6 header at
 * l3off).  tc: move the bytes between the fixed IPv6 header and `at` up by 8,
 * then shrink at BPF_ADJ_ROOM_NET, which removes the 8 bytes right behind
 * the fixed header (bpf_skb_generic_pop() does skb_postpull_rcsum(), so a
 * CHECKSUM_COMPLETE csum stays right; flags 0 also demotes
 * CHECKSUM_UNNECESSARY to NONE: the stack then checks the transport checksum
 * itself, over the restored ULIDs).  XDP: move everything before `at` up by 8
 * and drop the first 8 bytes with bpf_xdp_adjust_head().
 */
static __always_inline int pkt_pop8(const struct pkt *p, __u32 l3off, __u32 at)
{
	if (p->kind == PKT_XDP) {
		if (pkt_move(p, 0, 8, at))
			return -1;
		return bpf_xdp_adjust_head(pkt_xdp(p), 8) ? -1 : 0;
	}
	if (at < l3off + IPV6_HLEN)
		return -1;
	if (pkt_move(p, l3off + IPV6_HLEN, l3off + IPV6_HLEN + 8, at - (l3off + IPV6_HLEN)))
		return -1;
	return bpf_skb_adjust_room(pkt_skb(p), -8, BPF_ADJ_ROOM_NET, 0) ? -1 : 0;
}

/*
 * XDP, Shim6 header right behind the fixed IPv6 header (the usual case):
 * write the new bytes 4..39 of the IPv6 header (`tail`, 36 bytes) and drop
 * the 8 bytes at l3off + 40 with direct packet access and one
 * bpf_xdp_adjust_head(): Ethernet + the first 4 IPv6 bytes move up by 8,
 * the tail is written right behind them.  Returns -1 if the packet is not
 * linear that far (the caller falls back to the helpers).
 */
static __always_inline int pkt_xdp_pop8_front(const struct pkt *p, const void *tail)
{
	__u8 head[ETH_HLEN + 4];
	void *d = pkt_data(p), *e = pkt_data_end(p);

	if (d + ETH_HLEN + IPV6_HLEN + 8 > e)
		return -1;
	__builtin_memcpy(head, d, sizeof(head));
	__builtin_memcpy(d + 8 + sizeof(head), tail, IPV6_HLEN - 4);
	__builtin_memcpy(d + 8, head, sizeof(head));
	return bpf_xdp_adjust_head(pkt_xdp(p), 8) ? -1 : 0;
}

/*
 * Open an 8-byte hole at `at` (>= end of the fixed IPv6 header), tc only:
 * grow at BPF_ADJ_ROOM_NET (8 zero bytes behind the fixed header; zeros do
 * not change a CHECKSUM_COMPLETE sum), then move the headers that must stay
 * in front of the hole (HbH, Routing) down by 8.
 */
static __always_inline int pkt_push8(const struct pkt *p, __u32 l3off, __u32 at)
{
	if (p->kind != PKT_TC || at < l3off + IPV6_HLEN)
		return -1;
	if (bpf_skb_adjust_room(pkt_skb(p), 8, BPF_ADJ_ROOM_NET, 0))
		return -1;
	return pkt_move(p, l3off + IPV6_HLEN + 8, l3off + IPV6_HLEN, at - (l3off + IPV6_HLEN));
}

#endif
