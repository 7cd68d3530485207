// SPDX-License-Identifier: GPL-2.0
/* rtnetlink address tracking with libmnl; see rtnl.h. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "ctl/shim6d/rtnl.h"

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((type == IFA_ADDRESS || type == IFA_LOCAL) && mnl_attr_get_payload_len(a) != 16)
		return MNL_CB_OK;
	if (type == IFA_FLAGS && mnl_attr_get_payload_len(a) != 4)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

const uint8_t *rtnl_ifaddr(const struct nlmsghdr *nlh, int *ifindex, uint32_t *flags)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	if ((nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) ||
	    ifa->ifa_family != AF_INET6)
		return NULL;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, tb);
	a = tb[IFA_ADDRESS] ? tb[IFA_ADDRESS] : tb[IFA_LOCAL];
	if (!a)
		return NULL;
	*ifindex = (int)ifa->ifa_index;
	*flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	return mnl_attr_get_payload(a);
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl *r = data;
	const uint8_t *addr;
	uint32_t flags;
	int ifindex;
	bool present;

	addr = rtnl_ifaddr(nlh, &ifindex, &flags);
	if (!addr)
		return MNL_CB_OK;
	present = nlh->nlmsg_type == RTM_NEWADDR &&
		  !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	r->fn(addr, ifindex, present, r->arg);
	return MNL_CB_OK;
}

static int dump(struct rtnl *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		mnl_socket_close(nl);
		return ret;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		mnl_socket_close(nl);
		return ret;
	}
	ret = MNL_CB_OK;
	while (ret > 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			ret = -errno;
			break;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, addr_cb, r);
	}
	mnl_socket_close(nl);
	return ret < 0 ? (errno ? -errno : -EIO) : 0;
}

int rtnl_open(struct rtnl *r, rtnl_addr_fn fn, void *arg)
{
	int ret;

	r->fn = fn;
	r->arg = arg;
	/* monitor first, so nothing is missed between the dump and the events */
	r->mon = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!r->mon)
		return -errno;
	if (mnl_socket_bind(r->mon, 1U << (RTNLGRP_IPV6_IFADDR - 1), MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		rtnl_close(r);
		return ret;
	}
	ret = dump(r);
	if (ret)
		rtnl_close(r);
	return ret;
}

int rtnl_fd(const struct rtnl *r)
{
	return mnl_socket_get_fd(r->mon);
}

int rtnl_process(struct rtnl *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;

	for (;;) {
		n = mnl_socket_recvfrom(r->mon, buf, sizeof(buf));
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		mnl_cb_run(buf, (size_t)n, 0, 0, addr_cb, r);
	}
}

void rtnl_close(struct rtnl *r)
{
	if (r->mon)
		mnl_socket_close(r->mon);
	r->mon = NULL;
}
