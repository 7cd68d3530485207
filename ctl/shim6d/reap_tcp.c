// SPDX-License-Identifier: GPL-2.0
/* Fast TCP recovery through TCP-LD; see reap_tcp.h. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shim6_tcpiter.skel.h"
#include "ctl/shim6d/reap_tcp.h"

struct shim6_tcp_rec {		/* = bpf/shim6_tcpiter.bpf.c */
	uint8_t	saddr[16];
	uint8_t	daddr[16];
	uint16_t sport;
	uint16_t dport;
	uint32_t snd_una;
	uint32_t backoff;
	uint32_t pad;
};

static struct shim6_tcpiter *skel;
static struct bpf_link *iter_link;
static int icmp_fd = -1;

static int setup(void)
{
	int err;

	if (iter_link && icmp_fd >= 0)
		return 0;
	if (!skel) {
		skel = shim6_tcpiter__open_and_load();
		if (!skel)
			return -errno ? -errno : -EINVAL;
	}
	if (!iter_link) {
		iter_link = bpf_program__attach_iter(skel->progs.shim6_tcp_backoff, NULL);
		if (!iter_link) {
			err = -errno;
			return err ? err : -EINVAL;
		}
	}
	if (icmp_fd < 0) {
		/* ICMPv6 raw socket: the kernel computes the checksum */
		icmp_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
		if (icmp_fd < 0)
			return -errno;
	}
	return 0;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

/* ICMPv6 type 1 code 0 quoting an IPv6 + 20-byte TCP header of the connection. */
static int send_revert(const struct shim6_tcp_rec *r)
{
	uint8_t m[8 + 40 + 20];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	uint8_t *ip = m + 8, *tcp = m + 48;

	memset(m, 0, sizeof(m));
	m[0] = 1;			/* Destination Unreachable */
	m[1] = 0;			/* no route to destination */
	ip[0] = 0x60;
	put16(ip + 4, 20);
	ip[6] = IPPROTO_TCP;
	ip[7] = 64;
	memcpy(ip + 8, r->saddr, 16);
	memcpy(ip + 24, r->daddr, 16);
	put16(tcp, r->sport);
	put16(tcp + 2, r->dport);
	put32(tcp + 4, r->snd_una);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;
	memcpy(&to.sin6_addr, r->saddr, 16);
	return sendto(icmp_fd, m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -errno : 0;
}

int reap_tcp_kick(const uint8_t ulid_local[16], const uint8_t ulid_peer[16])
{
	struct shim6_tcp_rec r;
	int fd, err, kicked = 0;
	ssize_t n;

	err = setup();
	if (err)
		return err;
	fd = bpf_iter_create(bpf_link__fd(iter_link));
	if (fd < 0)
		return -errno;
	while ((n = read(fd, &r, sizeof(r))) == (ssize_t)sizeof(r)) {
		if (memcmp(r.saddr, ulid_local, 16) || memcmp(r.daddr, ulid_peer, 16))
			continue;
		/* one message undoes one doubling (tcp_ld_RTO_revert) */
		for (uint32_t i = 0; i < r.backoff && i < 16; i++)
			if (send_revert(&r))
				break;
		kicked++;
	}
	close(fd);
	return kicked;
}

int reap_tcp_prepare(void)
{
	return setup();
}

void reap_tcp_fini(void)
{
	bpf_link__destroy(iter_link);
	iter_link = NULL;
	shim6_tcpiter__destroy(skel);
	skel = NULL;
	if (icmp_fd >= 0)
		close(icmp_fd);
	icmp_fd = -1;
}
