/* SPDX-License-Identifier: GPL-2.0 */
/*
 * After start-up shim6d keeps only the capabilities its running work needs
 * (RFC 4218 §9's "do not make things worse": a bug in the message parser
 * must not hand out root):
 *   CAP_NET_ADMIN  per-peer MTU routes over rtnetlink (every new context);
 *   CAP_NET_RAW    REAP's ICMPv6 socket, opened lazily at the first path
 *                  change (reap_tcp.c); the protocol sockets are open already;
 *   CAP_BPF        map lookups/updates (bpf() with unprivileged BPF
 *                  disabled), REAP's TCP iterator, also loaded lazily;
 *   CAP_PERFMON    that iterator (a tracing program reading kernel memory).
 * Everything else (CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, CAP_SETPCAP, ...)
 * leaves the effective, permitted, inheritable, ambient and bounding sets,
 * so neither this process nor anything it could exec gets them back.
 * Measured: test_shim6d.sh, test_reap.sh (its TCP revert loads the
 * iterator after the drop), test_demo.sh and test_reliability.sh pass with
 * exactly these four.
 */
#ifndef SHIM6D_PRIVS_H
#define SHIM6D_PRIVS_H

#include <stdint.h>

/* The capabilities kept, as a bit mask (1ULL << CAP_*). */
uint64_t privs_keep_mask(void);
/* Drop the rest; 0 or -errno (-EPERM when not privileged enough to drop). */
int privs_drop(void);

#endif
