// SPDX-License-Identifier: GPL-2.0
/*
 * Per-peer routes that leave room for the Shim6 payload header.
 *
 * A rewritten packet is SHIM6_PAYLOAD_HLEN bytes longer than what TCP built.
 * TCP sizes its segments from the route MTU (and advertises an MSS from
 * advmss), so a /128 route to the peer ULID with MTU = device MTU - 8 makes
 * every segment fit after the push.  The route is a copy of the one the
 * kernel uses now for (local ULID -> peer ULID) - same table (policy routing
 * by source prefix), gateway and device - plus the metrics.
 *
 * No `mtu lock`: a locked MTU makes the kernel ignore Packet Too Big
 * (rt6_do_update_pmtu), and PMTU discovery must still lower it when a link
 * on the path is smaller.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "loader/loader.h"
#include "loader/nl.h"

struct route_info {
	uint32_t table;
	uint32_t oif;
	uint8_t gw[16];
	int has_gw;
	int found;
};

static int route_attr_cb(const struct nlattr *attr, void *data)
{
	struct route_info *ri = data;

	switch (mnl_attr_get_type(attr)) {
	case RTA_TABLE:
		ri->table = mnl_attr_get_u32(attr);
		break;
	case RTA_OIF:
		ri->oif = mnl_attr_get_u32(attr);
		break;
	case RTA_GATEWAY:
		if (mnl_attr_get_payload_len(attr) == 16) {
			memcpy(ri->gw, mnl_attr_get_payload(attr), 16);
			ri->has_gw = 1;
		}
		break;
	}
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_info *ri = data;
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	ri->table = rtm->rtm_table;
	ri->found = 1;
	return mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, data);
}

static int route_get(const uint8_t *src, const uint8_t dst[16], struct route_info *ri)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int err;

	memset(ri, 0, sizeof(*ri));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	mnl_attr_put(nlh, RTA_DST, 16, dst);
	if (src) {
		rtm->rtm_src_len = 128;
		mnl_attr_put(nlh, RTA_SRC, 16, src);
	}
	err = shim6_nl_talk(nlh, route_cb, ri);
	if (!err && (!ri->found || !ri->oif))
		err = -ENETUNREACH;
	return err;
}

int shim6_route_oif(const uint8_t src[16], const uint8_t dst[16])
{
	struct route_info ri;
	int err;

	err = route_get(src, dst, &ri);
	return err ? err : (int)ri.oif;
}

static uint32_t peer_rto_min_ms;

void shim6_peer_route_set_rto_min(uint32_t ms)
{
	peer_rto_min_ms = ms;
}

int shim6_peer_route_add(const uint8_t local[16], const uint8_t peer[16], int loc_ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], addr[INET6_ADDRSTRLEN];
	struct route_info ri;
	struct nlmsghdr *nlh;
	struct nlattr *metrics;
	struct rtmsg *rtm;
	int mtu, err;

	inet_ntop(AF_INET6, peer, addr, sizeof(addr));
	err = route_get(local, peer, &ri);
	if (err) {
		pr_err("no route to peer %s: %s\n", addr, strerror(-err));
		return err;
	}
	mtu = shim6_dev_mtu(ri.oif);
	if (mtu < 0)
		return mtu;
	/* the rewritten packets leave through the current locator's device */
	if (loc_ifindex > 0 && (int)ri.oif != loc_ifindex) {
		int lmtu = shim6_dev_mtu(loc_ifindex);

		if (lmtu > 0 && lmtu < mtu)
			mtu = lmtu;
	}
	mtu -= SHIM6_PAYLOAD_HLEN;
	if (mtu < 1280)
		mtu = 1280;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_table = ri.table < 256 ? ri.table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = SHIM6_PEER_ROUTE_PROTO;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 16, peer);
	mnl_attr_put_u32(nlh, RTA_TABLE, ri.table);
	mnl_attr_put_u32(nlh, RTA_OIF, ri.oif);
	if (ri.has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, 16, ri.gw);
	metrics = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, mtu);
	mnl_attr_put_u32(nlh, RTAX_ADVMSS, mtu - 60); /* IPv6 40 + TCP 20 */
	if (peer_rto_min_ms) {
		mnl_attr_put_u32(nlh, RTAX_LOCK, 1U << RTAX_RTO_MIN);
		mnl_attr_put_u32(nlh, RTAX_RTO_MIN, peer_rto_min_ms);
	}
	mnl_attr_nest_end(nlh, metrics);
	err = shim6_nl_talk(nlh, NULL, NULL);
	if (err)
		pr_err("cannot install the route to peer %s (mtu %d): %s\n", addr, mtu,
			strerror(-err));
	return err;
}

int shim6_peer_route_del(const uint8_t local[16], const uint8_t peer[16])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct route_info ri;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int err;

	err = route_get(local, peer, &ri);
	if (err)
		return err == -ENETUNREACH ? 0 : err;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_table = ri.table < 256 ? ri.table : RT_TABLE_UNSPEC;
	/* only ours: the kernel matches the protocol on delete */
	rtm->rtm_protocol = SHIM6_PEER_ROUTE_PROTO;
	mnl_attr_put(nlh, RTA_DST, 16, peer);
	mnl_attr_put_u32(nlh, RTA_TABLE, ri.table);
	err = shim6_nl_talk(nlh, NULL, NULL);
	if (err == -ESRCH || err == -ENOENT)
		err = 0; /* none of ours */
	return err;
}
