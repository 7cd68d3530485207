/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants that uapi headers #define (so vmlinux.h cannot carry them) and the
 * few attributes every BPF unit of shim6 uses.  Included first, right after
 * vmlinux.h and libbpf's helper headers.
 */
#ifndef SHIM6_LIB_COMPAT_H
#define SHIM6_LIB_COMPAT_H

#define ETH_HLEN	14
#define ETH_ALEN	6
#define ETH_P_IPV6	0x86DD

#define TC_ACT_OK		0
#define TC_ACT_SHOT		2
#define TC_ACT_REDIRECT		7

#define NEXTHDR_HOP		0
#define NEXTHDR_TCP		6
#define NEXTHDR_UDP		17
#define NEXTHDR_ROUTING		43
#define NEXTHDR_FRAGMENT	44
#define NEXTHDR_ESP		50
#define NEXTHDR_AUTH		51
#define NEXTHDR_ICMP		58
#define NEXTHDR_NONE		59
#define NEXTHDR_DEST		60

#define ICMPV6_DEST_UNREACH	1
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define ICMPV6_PARAMPROB	4
#define NDISC_ROUTER_SOLICITATION	133
#define NDISC_REDIRECT			137

#define IPV6_HLEN	40

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* Trace output only in a debug build: make EXTRA_BPF_CFLAGS=-DSHIM6_DEBUG */
#ifdef SHIM6_DEBUG
#define shim6_dbg(fmt, ...) bpf_printk("shim6: " fmt, ##__VA_ARGS__)
#else
#define shim6_dbg(fmt, ...) do { } while (0)
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#endif
