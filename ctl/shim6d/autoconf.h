/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address autoconfiguration with CGAs (docs/AUTOCONF.md): shim6d listens
 * for Router Advertisements on its [interface] devices and, for every
 * autonomous /64 prefix (RFC 4862 §5.5.3), configures a CGA (RFC 3972)
 * made with the [autoconf] key, with the prefix's lifetimes.
 *
 *   RA (raw ICMPv6 socket, filter: type 134 only)
 *     -> nd_ra_parse, slaac_prefix_check
 *     -> new prefix: params from STATE-DIR if there, else a generation job
 *        (acgen: worker thread, result back through a pipe on the loop)
 *     -> locset_add (the address's CGA Parameters are known to the locator
 *        set BEFORE the address exists)
 *     -> RTM_NEWADDR with IFA_CACHEINFO (create or renew), RTM_DELADDR
 *        when a lifetime of 0 is taken (two-hour rule permitting); the
 *        kernel removes an address whose valid lifetime runs out
 *     -> rtnetlink reports the address (rtnl.c) -> locset_set_present ->
 *        new generation -> Update Requests to the peers (proto.c).
 *
 * Why a raw socket and not RTM_NEWPREFIX: the kernel sends RTM_NEWPREFIX
 * only when it processes the RA itself (accept_ra, forwarding off,
 * accept_ra_pinfo), and never says which RA it came from; the raw socket
 * sees every RA on the managed interfaces whatever the sysctls, so
 * handing SLAAC over from the kernel does not depend on them.
 */
#ifndef SHIM6D_AUTOCONF_H
#define SHIM6D_AUTOCONF_H

#include <event2/event.h>
#include <jansson.h>

#include "ctl/shim6d/config.h"
#include "ctl/shim6d/locset.h"

struct autoconf;

/*
 * Start autoconfiguration if [autoconf] enable is set (*out stays NULL if
 * not): load the key and the persisted params (added to ls, so call before
 * the first rtnetlink dump), hand SLAAC over if configured, open the RA
 * socket, send a Router Solicitation.  0 or -errno (logged).
 */
int autoconf_init(struct autoconf **out, struct event_base *base, const struct config *cfg,
		  struct locset *ls);
/* Stop generation, give the kernel its SLAAC sysctls back; addresses stay. */
void autoconf_fini(struct autoconf *ac);

/* Control socket: "autoconf-show" -> reply object, other commands NULL. */
json_t *autoconf_command(struct autoconf *ac, const char *cmd);

#endif
