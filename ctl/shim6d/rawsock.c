// SPDX-License-Identifier: GPL-2.0
/* Raw IPv6 sockets for Shim6 (140) and ICMPv6 errors; see rawsock.h. */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/shim6d/rawsock.h"
#include <linux/types.h>
#include "bpf/shim6_shared.h"

static int set_pktinfo(int fd)
{
	int on = 1;

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0)
		return -errno;
	return 0;
}

int rawsock_open_shim6(void)
{
	int fd, err;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, SHIM6_NEXTHDR);
	if (fd < 0)
		return -errno;
	err = set_pktinfo(fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int rawsock_open_icmp6(void)
{
	struct icmp6_filter filt;
	int fd, err;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &filt);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	err = set_pktinfo(fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

ssize_t rawsock_recv(int fd, void *buf, size_t len, struct pkt_info *pi)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct sockaddr_in6 from;
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	memset(pi, 0, sizeof(*pi));
	memcpy(pi->src, &from.sin6_addr, 16);
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo ip;

			memcpy(&ip, CMSG_DATA(cm), sizeof(ip));
			memcpy(pi->dst, &ip.ipi6_addr, 16);
			pi->ifindex = (int)ip.ipi6_ifindex;
		}
	}
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	return n;
}

int rawsock_send(int fd, const void *buf, size_t len, const struct pkt_info *pi)
{
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct in6_pktinfo ip = { 0 };
	struct cmsghdr *cm;

	memcpy(&to.sin6_addr, pi->dst, 16);
	memcpy(&ip.ipi6_addr, pi->src, 16);
	ip.ipi6_ifindex = 0;
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(ip));
	memcpy(CMSG_DATA(cm), &ip, sizeof(ip));
	if (sendmsg(fd, &mh, 0) < 0)
		return -errno;
	return 0;
}
