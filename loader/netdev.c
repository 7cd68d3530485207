// SPDX-License-Identifier: GPL-2.0
/* Device queries and offload switches through the ethtool ioctl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "loader/loader.h"

static int dev_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd, err = 0;

	if (strlen(ifname) >= IF_NAMESIZE)
		return -ENAMETOOLONG;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strncpy(ifr->ifr_name, ifname, IF_NAMESIZE - 1);
	if (ioctl(fd, req, ifr))
		err = -errno;
	close(fd);
	return err;
}

int shim6_dev_driver(const char *ifname, char *buf, size_t len)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { .ifr_data = (void *)&info };
	int err;

	err = dev_ioctl(ifname, SIOCETHTOOL, &ifr);
	if (err)
		return err;
	snprintf(buf, len, "%s", info.driver);
	return 0;
}

int shim6_dev_mtu(int ifindex)
{
	char name[IF_NAMESIZE];
	struct ifreq ifr = {};
	int err;

	if (!if_indextoname(ifindex, name))
		return -errno;
	err = dev_ioctl(name, SIOCGIFMTU, &ifr);
	return err ? err : ifr.ifr_mtu;
}

static int ethtool_set(const char *ifname, __u32 cmd, __u32 value)
{
	struct ethtool_value ev = { .cmd = cmd, .data = value };
	struct ifreq ifr = { .ifr_data = (void *)&ev };

	return dev_ioctl(ifname, SIOCETHTOOL, &ifr);
}

/*
 * TSO and GSO off: a GSO skb sent out of such a device is segmented by
 * validate_xmit_skb() in software - plain TCP, before any Shim6 header
 * exists, which is the whole point of the segmentation stage.
 */
int shim6_dev_offloads_off(const char *ifname)
{
	int err;

	err = ethtool_set(ifname, ETHTOOL_STSO, 0);
	if (!err)
		err = ethtool_set(ifname, ETHTOOL_SGSO, 0);
	if (!err)
		err = ethtool_set(ifname, ETHTOOL_SGRO, 0);
	if (err)
		pr_err("cannot turn offloads off on %s: %s\n", ifname, strerror(-err));
	return err;
}
