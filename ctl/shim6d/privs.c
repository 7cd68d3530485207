// SPDX-License-Identifier: GPL-2.0
/*
 * Capability drop with the raw interfaces (prctl PR_CAPBSET_DROP, capset):
 * two system calls do not justify a library, and libcap's text form is not
 * needed here.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctl/shim6d/log.h"
#include "ctl/shim6d/privs.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

uint64_t privs_keep_mask(void)
{
	return 1ULL << CAP_NET_ADMIN | 1ULL << CAP_NET_RAW | 1ULL << CAP_BPF |
	       1ULL << CAP_PERFMON;
}

static int last_cap(void)
{
	int c;

	/* the kernel knows up to cap_last_cap; PR_CAPBSET_READ fails beyond */
	for (c = 40; c < 64; c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0)
			return c - 1;
	return 63;
}

int privs_drop(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uint64_t keep = privs_keep_mask(), have;
	int c, last = last_cap(), bnd_err = 0;

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	have = (uint64_t)data[1].effective << 32 | data[0].effective;
	/*
	 * The bounding set first: that needs CAP_SETPCAP, dropped below.  A
	 * service manager may have withheld CAP_SETPCAP (and bounded the set
	 * itself): then the effective and permitted sets are still dropped.
	 */
	for (c = 0; c <= last; c++) {
		if (keep & (1ULL << c) || prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && !bnd_err) {
			bnd_err = errno;
			log_notice("cannot shrink the capability bounding set: %s",
				   strerror(errno));
		}
	}
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	keep &= have;
	data[0].effective = data[0].permitted = (uint32_t)keep;
	data[1].effective = data[1].permitted = (uint32_t)(keep >> 32);
	data[0].inheritable = data[1].inheritable = 0;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}
