// SPDX-License-Identifier: GPL-2.0
/* Core life cycle and context removal; see core.h. */
#include <errno.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"

uint64_t core_now(struct shim6d *d)
{
	return d->io->now_ms(d->io_arg);
}

int core_init(struct shim6d *d, const struct config *cfg, const struct shim6d_io *io, void *arg)
{
	int err;

	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->io = io;
	d->io_arg = arg;
	err = ctx_table_init(&d->ctxs, 1024);
	if (err)
		return err;
	validator_init(&d->vk, cfg->timers.validator_lifetime_ms, core_now(d));
	return 0;
}

static void release(struct shim6_ctx *c, void *arg)
{
	struct shim6d *d = arg;

	d->io->timer_clear(d->io_arg, c);
	if (d->io->ctx_free)
		d->io->ctx_free(d->io_arg, c);
}

/* Contexts stay in the maps on exit: the data plane keeps running (restart without loss). */
void core_fini(struct shim6d *d)
{
	ctx_table_destroy(&d->ctxs, release, d);
}

void proto_ctx_delete(struct shim6d *d, struct shim6_ctx *c)
{
	if (c->in_maps) {
		d->io->ctx_down(d->io_arg, c);
		c->in_maps = false;
	}
	release(c, d);
	ctx_destroy(&d->ctxs, c);
}
