/* SPDX-License-Identifier: GPL-2.0 */
/*
 * After start-up shim6d keeps only the capabilities its running work needs
 * (RFC 4218 §9's "do not make things worse": a bug in the message parser
 * must not hand out root):
 *   CAP_NET_ADMIN  per-peer MTU routes over rtnetlink;
 *   CAP_NET_RAW    the raw sockets (open already; kept for reopening);
 *   CAP_BPF        map lookups/updates (bpf() with unprivileged BPF disabled);
 *   CAP_PERFMON    REAP's TCP-progress iterator and ring buffer reads.
 * Everything else leaves the effective, permitted, inheritable, ambient and
 * bounding sets, so neither this process nor anything it could exec gets
 * them back.  Measured with the netns suite: nothing else is used after
 * daemon_init() (the maps and sockets are open by then).
 */
#ifndef SHIM6D_PRIVS_H
#define SHIM6D_PRIVS_H

#include <stdint.h>

/* The capabilities kept, as a bit mask (1ULL << CAP_*). */
uint64_t privs_keep_mask(void);
/* Drop the rest; 0 or -errno (-EPERM when not privileged enough to drop). */
int privs_drop(void);

#endif
