/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The raw IPv6 sockets of shim6d.
 *
 * Protocol 140 (Shim6): the kernel hands us whatever follows the IPv6 header
 * chain when the next header is 140 (control messages, and payload packets
 * the data plane did not consume); with a raw socket bound to 140 open the
 * kernel also stops answering 140 with ICMPv6 Parameter Problem.
 * IPV6_CHECKSUM is NOT set: the Shim6 checksum (RFC 5533 §5.3) covers the
 * Shim6 header only, without a pseudo-header, so we compute and check it
 * ourselves.  IPV6_RECVPKTINFO gives the destination (our locator) and
 * interface; IPV6_PKTINFO on send picks the source locator.
 *
 * ICMPv6, filtered to Parameter Problem: an "unrecognized next header"
 * (type 4, code 1) quoting our I1 means the peer has no Shim6 (NO-SUPPORT).
 */
#ifndef SHIM6D_RAWSOCK_H
#define SHIM6D_RAWSOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pkt_info {
	uint8_t	src[16];
	uint8_t	dst[16];
	int	ifindex;
};

int rawsock_open_shim6(void);
int rawsock_open_icmp6(void);

/* Receive one datagram; -EAGAIN when there is none. */
ssize_t rawsock_recv(int fd, void *buf, size_t len, struct pkt_info *pi);
/* Send from pi->src (any address if all-zero) to pi->dst. */
int rawsock_send(int fd, const void *buf, size_t len, const struct pkt_info *pi);

#endif
