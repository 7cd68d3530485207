// SPDX-License-Identifier: GPL-2.0
/*
 * The segmentation stage: a veth pair with TSO/GSO off in the host's
 * namespace.  shim6_egress redirects a GSO skb of a rewritten context to
 * SHIM6_SEG_DEV; transmitting it there makes the kernel segment plain TCP in
 * software (the one thing it cannot do once the Shim6 header is in, since
 * protocol 140 has no GSO offload); each segment arrives on SHIM6_SEG_PEER,
 * whose tc ingress program (shim6_seg_in) pushes the header and redirects
 * it to the uplink.  See docs/DATAPLANE.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "loader/loader.h"
#include "loader/nl.h"

static int write_sysctl(const char *path, const char *value)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int link_set_up(const char *ifname)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = if_nametoindex(ifname);
	if (!ifm->ifi_index)
		return -ENODEV;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return shim6_nl_talk(nlh, NULL, NULL);
}

static int veth_create(const char *name, const char *peer)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlattr *linkinfo, *data, *peerinfo;
	struct ifinfomsg *ifm, *pifm;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peerinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	memset(pifm, 0, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, peerinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return shim6_nl_talk(nlh, NULL, NULL);
}

static int link_del(const char *ifname)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = if_nametoindex(ifname);
	if (!ifm->ifi_index)
		return -ENODEV;
	return shim6_nl_talk(nlh, NULL, NULL);
}

int shim6_seg_ifindex(void)
{
	return (int)if_nametoindex(SHIM6_SEG_DEV);
}

int shim6_seg_create(void)
{
	static const char *const devs[] = { SHIM6_SEG_DEV, SHIM6_SEG_PEER };
	char path[128];
	unsigned int i;
	int err;

	if (!if_nametoindex(SHIM6_SEG_DEV)) {
		err = veth_create(SHIM6_SEG_DEV, SHIM6_SEG_PEER);
		if (err && err != -EEXIST) {
			pr_err("cannot create the segmentation stage %s/%s: %s\n",
				SHIM6_SEG_DEV, SHIM6_SEG_PEER, strerror(-err));
			return err;
		}
	}
	for (i = 0; i < 2; i++) {
		/* no addresses, no ND/MLD chatter: the pair only carries
		 * packets between two BPF programs */
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", devs[i]);
		write_sysctl(path, "1");
		/* bpf_fib_lookup() refuses (FWD_DISABLED) when the device it is
		 * given does not forward: the programs may look routes up "as
		 * if received on" SHIM6_SEG_PEER without turning hosts into
		 * routers on their uplinks */
		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", devs[i]);
		write_sysctl(path, "1");
		err = shim6_dev_offloads_off(devs[i]);
		if (err)
			return err;
		err = link_set_up(devs[i]);
		if (err) {
			pr_err("cannot set %s up: %s\n", devs[i], strerror(-err));
			return err;
		}
	}
	return shim6_seg_ifindex() ?: -ENODEV;
}

int shim6_seg_destroy(void)
{
	int err;

	if (!if_nametoindex(SHIM6_SEG_DEV))
		return 0;
	err = link_del(SHIM6_SEG_DEV); /* takes its peer with it */
	if (err)
		pr_err("cannot delete %s: %s\n", SHIM6_SEG_DEV, strerror(-err));
	return err;
}
