// SPDX-License-Identifier: GPL-2.0
/* Kernel SLAAC off on our interfaces while we run; see slaac_handover.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/shim6d/log.h"
#include "ctl/shim6d/slaac_handover.h"

static int sysctl_get(const struct slaac_handover *h, const char *dev, int *v)
{
	char path[CONFIG_PATH_MAX + 64], buf[32], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/autoconf", h->sysctl_dir, dev);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*v = (int)strtol(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

static int sysctl_set(const struct slaac_handover *h, const char *dev, int v)
{
	char path[CONFIG_PATH_MAX + 64], buf[16];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "%s/%s/autoconf", h->sysctl_dir, dev);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%d\n", v);
	if (write(fd, buf, (size_t)n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

static int find(const struct slaac_handover *h, const char *dev)
{
	int j;

	for (j = 0; j < h->n; j++)
		if (strcmp(h->saved[j].dev, dev) == 0)
			return j;
	return -1;
}

int slaac_handover_take(struct slaac_handover *h, const char *sysctl_dir, const char *state_dir,
			const char (*devs)[CONFIG_IFNAME_MAX], int n)
{
	char dev[CONFIG_IFNAME_MAX];
	int i, j, v, err, taken = 0;
	FILE *f;

	memset(h, 0, sizeof(*h));
	snprintf(h->sysctl_dir, sizeof(h->sysctl_dir), "%s", sysctl_dir);
	snprintf(h->saved_file, sizeof(h->saved_file), "%s/" SLAAC_SAVED_FILE, state_dir);
	f = fopen(h->saved_file, "re");
	if (f) {
		/* a previous instance did not restore: its values are the originals */
		while (h->n < CONFIG_MAX_IFACES && fscanf(f, "%15s %d", dev, &v) == 2) {
			snprintf(h->saved[h->n].dev, CONFIG_IFNAME_MAX, "%s", dev);
			h->saved[h->n++].autoconf = v;
		}
		fclose(f);
	}
	for (i = 0; i < n; i++) {
		j = find(h, devs[i]);
		if (j < 0) {
			if (h->n == CONFIG_MAX_IFACES)
				break;
			err = sysctl_get(h, devs[i], &v);
			if (err) {
				log_warn("autoconf: no net.ipv6.conf.%s.autoconf (%s): kernel SLAAC "
					 "not handed over there", devs[i], strerror(-err));
				continue;
			}
			j = h->n++;
			snprintf(h->saved[j].dev, CONFIG_IFNAME_MAX, "%s", devs[i]);
			h->saved[j].autoconf = v;
		}
		err = sysctl_set(h, devs[i], 0);
		if (err) {
			log_warn("autoconf: cannot set net.ipv6.conf.%s.autoconf=0: %s", devs[i],
				 strerror(-err));
			continue;
		}
		taken++;
		log_info("autoconf: kernel SLAAC off on %s (was %d)", devs[i], h->saved[j].autoconf);
	}
	f = fopen(h->saved_file, "we");
	if (!f) {
		log_warn("autoconf: cannot write %s: %s (a crash would leave SLAAC off)",
			 h->saved_file, strerror(errno));
		return taken;
	}
	for (j = 0; j < h->n; j++)
		fprintf(f, "%s %d\n", h->saved[j].dev, h->saved[j].autoconf);
	fclose(f);
	return taken;
}

void slaac_handover_restore(struct slaac_handover *h)
{
	int j, err;

	if (!h->n)
		return;
	for (j = 0; j < h->n; j++) {
		err = sysctl_set(h, h->saved[j].dev, h->saved[j].autoconf);
		/* a device that went away has nothing to restore */
		if (err && err != -ENOENT)
			log_warn("autoconf: cannot restore net.ipv6.conf.%s.autoconf=%d: %s",
				 h->saved[j].dev, h->saved[j].autoconf, strerror(-err));
	}
	unlink(h->saved_file);
	log_info("autoconf: kernel SLAAC settings restored on %d interfaces", h->n);
	h->n = 0;
}
