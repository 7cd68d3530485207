/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fast TCP recovery after a REAP path change: every TCP connection on the
 * ULID pair that is in RTO back-off gets, from us to ourselves, one ICMPv6
 * Destination Unreachable (no route) per back-off step quoting its snd_una;
 * RFC 6069 TCP-LD in the kernel (tcp_ld_RTO_revert) undoes the back-off and
 * retransmits at once.  The connections come from a BPF TCP socket iterator
 * (bpf/shim6_tcpiter.bpf.c).  See REAP.md.
 */
#ifndef SHIM6D_REAP_TCP_H
#define SHIM6D_REAP_TCP_H

#include <stdint.h>

/* Connections kicked (>= 0) or -errno (no iterator, no raw socket). */
int reap_tcp_kick(const uint8_t ulid_local[16], const uint8_t ulid_peer[16]);
/*
 * Load the iterator and open the socket now (idempotent): the first path
 * change then does not pay for the BPF load (~0.1 s measured, bench/reap_art.sh).
 */
int reap_tcp_prepare(void);
void reap_tcp_fini(void);

#endif
