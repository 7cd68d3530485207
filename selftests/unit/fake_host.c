// SPDX-License-Identifier: GPL-2.0
/*
 * The fake network of the shim6d protocol tests (fake_host.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/log.h"
#include "selftests/unit/fake_host.h"
#include "selftests/unit/shim6d_locgen.h"

static uint64_t fake_now(void *arg)
{
	return ((struct fake_host *)arg)->now;
}

static int fake_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct fake_host *h = arg;

	if (h->nq == FAKE_HOST_QMAX || len > sizeof(h->q[0].buf))
		return -ENOBUFS;
	h->q[h->nq].pi = *pi;
	memcpy(h->q[h->nq].buf, buf, len);
	h->q[h->nq++].len = len;
	return 0;
}

/* what c->timer points to (the daemon keeps a libevent event there) */
struct fake_timer {
	bool armed;
	uint64_t delay;
};

static void fake_timer_set(void *arg, struct shim6_ctx *c, uint64_t ms)
{
	struct fake_host *h = arg;
	struct fake_timer *t = c->timer;

	h->last_timer = ms;
	h->timer_armed = true;
	h->timers_set++;
	if (!t)
		t = c->timer = calloc(1, sizeof(*t));
	if (t) {
		t->armed = true;
		t->delay = ms;
	}
}

static void fake_timer_clear(void *arg, struct shim6_ctx *c)
{
	struct fake_timer *t = c->timer;

	((struct fake_host *)arg)->timer_armed = false;
	if (t)
		t->armed = false;
}

static void fake_ctx_free(void *arg, struct shim6_ctx *c)
{
	free(c->timer);
	c->timer = NULL;
}

bool fake_timer_armed(const struct shim6_ctx *c)
{
	return c->timer && ((const struct fake_timer *)c->timer)->armed;
}

uint64_t fake_timer_delay(const struct shim6_ctx *c)
{
	return c->timer ? ((const struct fake_timer *)c->timer)->delay : 0;
}

static int fake_ctx_up(void *arg, struct shim6_ctx *c)
{
	struct fake_host *h = arg;

	h->ups++;
	h->up_n_ls_local = c->n_ls_local;
	return 0;
}

static void fake_ctx_down(void *arg, struct shim6_ctx *c)
{
	((struct fake_host *)arg)->downs++;
}

static const struct shim6d_io fake_io = {
	.now_ms = fake_now, .send = fake_send, .timer_set = fake_timer_set,
	.timer_clear = fake_timer_clear, .ctx_up = fake_ctx_up, .ctx_down = fake_ctx_down,
	.ctx_free = fake_ctx_free,
};

void fake_host_init(struct fake_host *h, const uint8_t addr[16], uint64_t now_ms,
		    int log_level)
{
	struct config cfg;

	memset(h, 0, sizeof(*h));
	log_set_level(log_level);
	config_defaults(&cfg);
	h->now = now_ms;
	memcpy(h->addr, addr, 16);
	core_init(&h->d, &cfg, &fake_io, h);
	locset_init(&h->ls);
	h->d.ls = &h->ls;
}

void fake_host_fini(struct fake_host *h)
{
	core_fini(&h->d);
	locset_free(&h->ls);
}

void fake_host_add_pair(struct fake_host *h, const uint8_t first[16], const uint8_t second[16],
			const uint8_t *params, size_t plen, void *key, const char *key_path,
			unsigned int present)
{
	const uint8_t *loc[2] = { first, second };
	int i;

	for (i = 0; i < 2; i++) {
		if (key)
			locgen_key_ref(key);
		locset_add(&h->ls, loc[i], params, plen, key, key_path, 0);
	}
	for (i = 0; i < 2; i++)
		if (present & (1u << i))
			locset_set_present(&h->ls, loc[i], true);
}

int fake_deliver(struct fake_host *from, struct fake_host *to)
{
	int i, n = from->nq;

	from->nq = 0;
	for (i = 0; i < n; i++)
		proto_input(&to->d, from->q[i].buf, from->q[i].len, &from->q[i].pi);
	return n;
}

int fake_qtype(const struct fake_host *h, int i, struct shim6_msg *m)
{
	if (i < 0 || i >= h->nq || shim6_msg_decode(h->q[i].buf, h->q[i].len, 0, m, NULL))
		return -1;
	return m->type;
}

void fake_forge_second_locator(uint8_t *buf, size_t len)
{
	const struct shim6_opt *o;
	struct shim6_msg m;

	if (shim6_msg_decode(buf, len, 0, &m, NULL))
		return;
	o = shim6_msg_find_opt(&m, SHIM6_OPT_LOC_LIST);
	if (o && o->u.loclist.count >= 2)
		buf[shim6_loclist_locator(&o->u.loclist, 1) - buf + 15] ^= 0x5a;
	shim6_csum_set(buf, len);
}
