/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local addresses over rtnetlink (libmnl): a dump at start, then
 * RTM_NEWADDR / RTM_DELADDR notifications (RTNLGRP_IPV6_IFADDR).  Each
 * address seen or gone is reported to a callback; tentative (DAD) addresses
 * count as absent until DAD is over.
 */
#ifndef SHIM6D_RTNL_H
#define SHIM6D_RTNL_H

#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

typedef void (*rtnl_addr_fn)(const uint8_t addr[16], int ifindex, bool present, void *arg);

struct rtnl {
	struct mnl_socket *mon;		/* notifications */
	rtnl_addr_fn fn;
	void *arg;
};

/* Open the monitor, then dump the current addresses through fn.  0 or -errno. */
int rtnl_open(struct rtnl *r, rtnl_addr_fn fn, void *arg);
/* The fd to poll for notifications. */
int rtnl_fd(const struct rtnl *r);
/* Read pending notifications; 0 or -errno. */
int rtnl_process(struct rtnl *r);
void rtnl_close(struct rtnl *r);

/*
 * An IPv6 RTM_NEWADDR / RTM_DELADDR message: its address (16 bytes inside
 * nlh), device and flags (IFA_FLAGS, else ifa_flags); NULL for anything
 * else or a malformed message.
 */
const uint8_t *rtnl_ifaddr(const struct nlmsghdr *nlh, int *ifindex, uint32_t *flags);

#endif
