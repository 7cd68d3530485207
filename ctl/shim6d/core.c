// SPDX-License-Identifier: GPL-2.0
/* Core life cycle and context removal; see core.h. */
#include <errno.h>
#include <stdlib.h>
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

static void moved_remove(struct shim6d *d, struct shim6_ctx *c)
{
	unsigned int i;

	for (i = 0; i < d->n_moved; i++)
		if (d->moved[i] == c) {
			d->moved[i] = d->moved[--d->n_moved];
			break;
		}
	c->in_moved = false;
}

void core_moved_update(struct shim6d *d, struct shim6_ctx *c)
{
	bool want = (c->state == CTX_I1_SENT || c->state == CTX_I2_SENT ||
		     c->state == CTX_I2BIS_SENT) &&
		    (memcmp(c->lp_local, c->ulid_local, 16) != 0 ||
		     memcmp(c->lp_peer, c->ulid_peer, 16) != 0);

	if (want == c->in_moved)
		return;
	if (!want) {
		moved_remove(d, c);
		return;
	}
	if (d->n_moved == d->cap_moved) {
		unsigned int cap = d->cap_moved ? d->cap_moved * 2 : 16;
		struct shim6_ctx **nv = realloc(d->moved, cap * sizeof(*nv));

		if (!nv)
			return;	/* its R1/R2 will not be matched: it times out to E-FAILED */
		d->moved = nv;
		d->cap_moved = cap;
	}
	d->moved[d->n_moved++] = c;
	c->in_moved = true;
}

struct shim6_ctx *core_moved_find(struct shim6d *d, const uint8_t local[16],
				  const uint8_t peer[16], uint32_t init_nonce)
{
	unsigned int i;

	for (i = 0; i < d->n_moved; i++) {
		struct shim6_ctx *c = d->moved[i];

		if (c->init_nonce == init_nonce && memcmp(c->lp_local, local, 16) == 0 &&
		    memcmp(c->lp_peer, peer, 16) == 0)
			return c;
	}
	return NULL;
}

/* Contexts stay in the maps on exit: the data plane keeps running (restart without loss). */
void core_fini(struct shim6d *d)
{
	ctx_table_destroy(&d->ctxs, release, d);
	free(d->moved);
	d->moved = NULL;
	d->n_moved = d->cap_moved = 0;
}

void proto_ctx_delete(struct shim6d *d, struct shim6_ctx *c)
{
	if (c->in_maps) {
		d->io->ctx_down(d->io_arg, c);
		c->in_maps = false;
	}
	if (c->in_moved)
		moved_remove(d, c);
	release(c, d);
	ctx_destroy(&d->ctxs, c);
}
