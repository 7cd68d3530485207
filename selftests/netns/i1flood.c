// SPDX-License-Identifier: GPL-2.0
/*
 * Spoofed I1 flood for the reliability tests: Ethernet frames with an IPv6
 * header from a random source in 2001:db8:f000::/36 (off-link: the
 * responder's answers go to its default router, no neighbour discovery) and
 * a valid I1 (random tag and nonce, right checksum), sent with sendmmsg on
 * an AF_PACKET socket, paced to RATE per second for SECONDS.
 *   i1flood IFACE DST DST-MAC SECONDS RATE
 * Prints "SENT RATE-ACHIEVED".  Runs inside the test's namespace only.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	256
#define FLEN	(14 + 40 + 16)

static uint64_t s = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return s * 2685821657736338717ULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* RFC 5533 §5.1: over the Shim6 message only, no pseudo-header */
static uint16_t csum(const uint8_t *f)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i < 16; i += 2)
		sum += f[54 + i] << 8 | f[55 + i];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void fill(uint8_t *f)
{
	uint64_t r = rnd(), t = rnd();
	uint16_t c;

	/* source 2001:db8:f000::/36 + random */
	f[22] = 0x20; f[23] = 0x01; f[24] = 0x0d; f[25] = 0xb8;
	f[26] = 0xf0 | (r & 0x0f);
	memcpy(f + 27, &t, 8);
	f[35] = (uint8_t)(r >> 8); f[36] = (uint8_t)(r >> 16); f[37] = (uint8_t)(r >> 24);
	/* I1: 59, hdrlen 1, P=0 type 1, 0, checksum, tag (47 bits), nonce */
	f[54] = 59; f[55] = 1; f[56] = 1; f[57] = 0; f[58] = f[59] = 0;
	t = rnd();
	memcpy(f + 60, &t, 6);
	f[60] &= 0x7f;
	memcpy(f + 66, (uint8_t *)&t + 6, 2);
	f[68] = (uint8_t)(r >> 32); f[69] = (uint8_t)(r >> 40);
	c = csum(f);
	f[58] = c >> 8;
	f[59] = c & 0xff;
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FLEN];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6) };
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	unsigned int mac[6];
	uint64_t sent = 0;
	double secs, rate, t0, t;
	uint8_t dst[16];
	int fd, i;

	if (argc != 6 || inet_pton(AF_INET6, argv[2], dst) != 1 ||
	    sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		   &mac[5]) != 6) {
		fprintf(stderr, "usage: i1flood IFACE DST DST-MAC SECONDS RATE\n");
		return 2;
	}
	secs = atof(argv[4]);
	rate = atof(argv[5]);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (fd < 0 || !sll.sll_ifindex) {
		perror("i1flood: socket/interface");
		return 1;
	}
	/* straight to the driver: no qdisc, no tc egress hook on the sender's
	 * side (the load is for the responder) */
	i = 1;
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &i, sizeof(i));
	for (i = 0; i < BATCH; i++) {
		uint8_t *f = frames[i];

		memset(f, 0, FLEN);
		for (int k = 0; k < 6; k++)
			f[k] = (uint8_t)mac[k];
		f[6] = 0x02; f[11] = 0x42;	/* a made-up source MAC */
		f[12] = 0x86; f[13] = 0xdd;
		f[14] = 0x60; f[19] = 16; f[20] = 140; f[21] = 64;
		memcpy(f + 38, dst, 16);
		iov[i].iov_base = f;
		iov[i].iov_len = FLEN;
		memset(&mm[i], 0, sizeof(mm[i]));
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_name = &sll;
		mm[i].msg_hdr.msg_namelen = sizeof(sll);
	}
	t0 = now();
	while ((t = now() - t0) < secs) {
		int n;

		if (sent > rate * t) {		/* ahead of the pace: wait a little */
			usleep(200);
			continue;
		}
		for (i = 0; i < BATCH; i++)
			fill(frames[i]);
		n = sendmmsg(fd, mm, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN)
				continue;
			perror("i1flood: sendmmsg");
			return 1;
		}
		sent += (uint64_t)n;
	}
	t = now() - t0;
	printf("%llu %llu\n", (unsigned long long)sent, (unsigned long long)(sent / t));
	return 0;
}
