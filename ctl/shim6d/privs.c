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
	int c, last = last_cap();

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	have = (uint64_t)data[1].effective << 32 | data[0].effective;
	/* the bounding set first: that needs CAP_SETPCAP, dropped below */
	for (c = 0; c <= last; c++) {
		if (keep & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) {
			log_warn("cannot drop capability %d from the bounding set: %s", c,
				 strerror(errno));
			return -errno;
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
