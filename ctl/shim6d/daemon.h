/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running daemon: the protocol core plugged into libevent, the raw
 * sockets, the BPF maps and ring buffer, and the control socket.
 *
 * Event loop: libevent 2.1.  Every context has one timer (an evtimer), and
 * libevent keeps timers in a min-heap, so a million pending timers cost
 * O(log n) per operation with no code of ours; sockets, the ring buffer's
 * epoll fd and signals are events on the same base.
 */
#ifndef SHIM6D_DAEMON_H
#define SHIM6D_DAEMON_H

#include <event2/event.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/locset.h"
#include "ctl/shim6d/maps.h"
#include "ctl/shim6d/rtnl.h"

struct ring_buffer;
struct autoconf;

struct daemon {
	struct shim6d core;
	struct event_base *base;
	int raw_fd, icmp_fd, ctl_fd;
	struct event *ev_raw, *ev_icmp, *ev_ctl, *ev_gc, *ev_mpath, *ev_rb, *ev_rtnl, *ev_save;
	struct event *ev_sigint, *ev_sigterm, *ev_sighup;
	struct dp_maps maps;
	struct ring_buffer *rb;
	struct locset ls;		/* configured local addresses, present or not */
	struct rtnl rtnl;
	struct autoconf *ac;		/* CGAs from Router Advertisements, NULL if off */
	uint64_t triggers, trigger_refused;
	uint64_t saved_sig;		/* what the state file holds (a change counter) */
};

/* CLOCK_MONOTONIC in microseconds (I1->R2 measurements). */
uint64_t daemon_now_us(void);

int daemon_init(struct daemon *dm, const struct config *cfg);
int daemon_run(struct daemon *dm);
void daemon_fini(struct daemon *dm);

/* Control socket (ctlsock.c). */
int ctlsock_open(struct daemon *dm, const char *path);
void ctlsock_close(struct daemon *dm, const char *path);
/* One request line -> the reply (malloc'd JSON); no socket (fuzz target). */
char *ctlsock_reply(struct daemon *dm, const char *line, size_t n);

#endif
