/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Keepalive Timeout option (RFC 5534 §5.3) in the establishment and
 * Update messages: protocol-core side, no daemon needed.
 */
#ifndef SHIM6D_REAP_OPT_H
#define SHIM6D_REAP_OPT_H

#include <stdbool.h>
#include <stdint.h>

struct shim6d;
struct shim6_ctx;
struct shim6_msg;

/*
 * Add the context's Send Timeout (its own value, else the host's) as a
 * Keepalive Timeout option when it is not the default, or always when
 * `always` (an Update re-announcing a changed value: going back to the
 * default must be said too).
 */
int reap_opt_add(const struct shim6d *d, const struct shim6_ctx *c, struct shim6_msg *m,
		 bool always);
/* The value (seconds) reap_opt_add announces for the context. */
uint16_t reap_opt_seconds(const struct shim6d *d, const struct shim6_ctx *c);
/* The option's value in seconds, 0 if absent. */
uint16_t reap_opt_get(const struct shim6_msg *m);
/* Record the peer's value on the context (and its running REAP); 0 is ignored. */
void reap_opt_apply(struct shim6_ctx *c, uint16_t seconds);

#endif
