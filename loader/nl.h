/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal rtnetlink request/ack helper over libmnl (loader-internal). */
#ifndef SHIM6_LOADER_NL_H
#define SHIM6_LOADER_NL_H

#include <libmnl/libmnl.h>

/* Sends the request in buf and waits for the ACK (or the answers, each
 * given to cb).  Returns 0 or -errno (the kernel's error). */
int shim6_nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

#endif
