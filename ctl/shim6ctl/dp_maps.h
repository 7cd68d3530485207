/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the shim6ctl objects that work on the pinned maps. */
#ifndef SHIM6CTL_DP_MAPS_H
#define SHIM6CTL_DP_MAPS_H

#include <string.h>
#include <arpa/inet.h>

#include "ctl/shim6ctl/cli.h"
#include "loader/loader.h"

static inline union shim6_addr addr_of(const uint8_t b[16])
{
	union shim6_addr a;

	memcpy(a.b, b, 16);
	return a;
}

static inline const char *addr_str(const union shim6_addr *a, char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, a->b, buf, INET6_ADDRSTRLEN);
}

/* Opens the pinned maps of the pin root; prints why not. */
static inline int dp_open(struct shim6_maps *m)
{
	return shim6_maps_open(cli.bpffs, m) ? 1 : 0;
}

#endif
