// SPDX-License-Identifier: GPL-2.0
/* Keepalive Timeout option (RFC 5534 §5.3); see reap_opt.h. */
#include "ctl/shim6d/core.h"
#include "ctl/shim6d/reap.h"
#include "ctl/shim6d/reap_opt.h"
#include "wire/shim6_wire.h"

uint16_t reap_opt_seconds(const struct shim6d *d, const struct shim6_ctx *c)
{
	struct reap r = { .send_timeout_ms = c && c->send_timeout_ms ? c->send_timeout_ms
					     : d->cfg.timers.send_timeout_ms };
	uint16_t s;

	if (!r.send_timeout_ms)
		r.send_timeout_ms = REAP_SEND_TIMEOUT_MS;
	s = reap_ka_option_seconds(&r);
	return s ? s : REAP_SEND_TIMEOUT_MS / 1000;
}

int reap_opt_add(const struct shim6d *d, const struct shim6_ctx *c, struct shim6_msg *m,
		 bool always)
{
	uint16_t s = reap_opt_seconds(d, c);

	/* §5.3: a node with a non-default Send Timeout MUST announce it */
	if (!always && s == REAP_SEND_TIMEOUT_MS / 1000)
		return 0;
	return shim6_msg_add_ka_timeout(m, s);
}

uint16_t reap_opt_get(const struct shim6_msg *m)
{
	const struct shim6_opt *o = shim6_msg_find_opt(m, SHIM6_OPT_KA_TIMEOUT);

	return o ? o->u.ka_timeout : 0;
}

void reap_opt_apply(struct shim6_ctx *c, uint16_t seconds)
{
	if (!seconds)
		return;
	c->peer_ka_timeout_s = seconds;
	if (c->reap)
		reap_set_peer_ka_timeout(c->reap, seconds);
}
