/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client side of shim6d's control socket (protocol: ctl/shim6d/ctlsock.c):
 * one JSON request line, one JSON reply line.  Used by shim6ctl objects
 * that change state while the daemon runs.
 */
#ifndef SHIM6_DAEMON_CLIENT_H
#define SHIM6_DAEMON_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#define SHIM6D_SOCKET_DEFAULT "/run/shim6/shim6d.sock"

/* $SHIM6D_SOCKET if set, else the default. */
const char *shim6d_socket_path(void);

/*
 * Send req (not consumed) and return the reply object in *rep (caller
 * decrefs).  -errno if the daemon cannot be reached or answers garbage,
 * with the reason in err.  A reply {"ok": false, "error": …} is returned as
 * is: check "ok".
 */
int shim6d_request(const char *path, json_t *req, json_t **rep, char *err, size_t errlen);

/*
 * A reply must say {"ok": true}: 0, or 1 after "shim6ctl: shim6d: <its
 * error>" (or "<what> failed") on stderr and dropping rep.
 */
int shim6d_reply_ok(json_t *rep, const char *what);

/*
 * One request to the daemon at shim6d_socket_path() (req consumed) whose
 * reply must be ok: 0 with the reply in *rep (caller decrefs), or 1 after
 * the reason on stderr.
 */
int shim6d_call(json_t *req, json_t **rep, const char *what);

#endif
