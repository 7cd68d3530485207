// SPDX-License-Identifier: GPL-2.0
/*
 * TCP socket iterator for REAP's fast TCP recovery (ctl/shim6d/reap_tcp.c):
 * for every IPv6 TCP socket in back-off, one record with its addresses,
 * ports, snd_una and back-off count.  User space filters by ULID pair and
 * sends the RFC 6069 ICMPv6 that revert the back-off (see REAP.md).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct shim6_tcp_rec {
	__u8	saddr[16];
	__u8	daddr[16];
	__u16	sport;		/* host order */
	__u16	dport;		/* host order */
	__u32	snd_una;
	__u32	backoff;
	__u32	pad;
};

SEC("iter/tcp")
int shim6_tcp_backoff(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct shim6_tcp_rec r = {};
	struct tcp_sock *tp;

	if (!skc)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp || skc->skc_family != 10 /* AF_INET6 */)
		return 0;
	r.backoff = tp->inet_conn.icsk_backoff;
	if (!r.backoff)
		return 0;
	__builtin_memcpy(r.saddr, &skc->skc_v6_rcv_saddr, 16);
	__builtin_memcpy(r.daddr, &skc->skc_v6_daddr, 16);
	r.sport = skc->skc_num;
	r.dport = __builtin_bswap16(skc->skc_dport);
	r.snd_una = tp->snd_una;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
