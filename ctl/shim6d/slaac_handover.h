/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SLAAC hand-over: shim6d's autoconf takes address creation over from the
 * kernel on its interfaces by setting net.ipv6.conf.DEV.autoconf to 0, and
 * gives the previous values back on exit.  accept_ra is left alone: the
 * kernel keeps learning default routes, MTU and timers from the RAs.
 *
 * The replaced values are written to STATE-DIR/kernel-slaac.saved until
 * they are restored, so after a SIGKILL the next instance restores the
 * originals, not the 0 it finds.  The sysctl directory is a parameter so
 * the logic is unit-tested on a plain directory tree.
 */
#ifndef SHIM6D_SLAAC_HANDOVER_H
#define SHIM6D_SLAAC_HANDOVER_H

#include "ctl/shim6d/config.h"

#define SLAAC_SYSCTL_DIR	"/proc/sys/net/ipv6/conf"
#define SLAAC_SAVED_FILE	"kernel-slaac.saved"

struct slaac_handover {
	char	sysctl_dir[CONFIG_PATH_MAX];
	char	saved_file[CONFIG_PATH_MAX + 32];
	int	n;
	struct {
		char	dev[CONFIG_IFNAME_MAX];
		int	autoconf;	/* the value before we set 0 */
	} saved[CONFIG_MAX_IFACES];
};

/*
 * Set DIR/DEV/autoconf to 0 for each of the n devices, remembering the
 * values (those in the saved file win: they are the originals).  Returns
 * how many devices were handed over; failures are logged.
 */
int slaac_handover_take(struct slaac_handover *h, const char *sysctl_dir, const char *state_dir,
			const char (*devs)[CONFIG_IFNAME_MAX], int n);
/* Write the remembered values back and remove the saved file. */
void slaac_handover_restore(struct slaac_handover *h);

#endif
