// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: shim6d's protocol core on arbitrary input, the way the
 * daemon feeds it — a Shim6 header from the raw socket, an ICMPv6 error, an
 * unknown-tag event, a timer — against a core that already holds an
 * established context (so tags, nonces and Update paths are reachable).
 * Input: byte 0 picks the entry point and the addresses, the rest is the
 * message.  Everything the core sends is decoded again (it must be valid).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "wire/shim6_wire.h"

struct fhost {
	struct shim6d d;
	struct shim6d *peer;
	uint8_t addr[16];
	uint64_t now;
	int sent;
	int (*forward)(struct fhost *h, const struct pkt_info *pi, const void *b, size_t n);
};

static struct fhost A, B;
static int delivering;

static uint64_t f_now(void *arg) { return ((struct fhost *)arg)->now; }

static int f_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct fhost *h = arg;
	struct shim6_msg m;

	if (shim6_msg_decode(buf, len, 0, &m, NULL))
		abort();	/* the core must only send valid messages */
	h->sent++;
	/* during setup, deliver to the peer (bounded recursion) */
	if (delivering && h->peer && delivering < 16) {
		delivering++;
		proto_input(h->peer, buf, len, pi);
		delivering--;
	}
	return 0;
}

static void f_tset(void *arg, struct shim6_ctx *c, uint64_t ms) { c->timer = (void *)1; }
static void f_tclr(void *arg, struct shim6_ctx *c) { c->timer = NULL; }
static int f_up(void *arg, struct shim6_ctx *c) { return 0; }
static void f_down(void *arg, struct shim6_ctx *c) { }
static void f_free(void *arg, struct shim6_ctx *c) { c->timer = NULL; }

static const struct shim6d_io io = {
	.now_ms = f_now, .send = f_send, .timer_set = f_tset, .timer_clear = f_tclr,
	.ctx_up = f_up, .ctx_down = f_down, .ctx_free = f_free,
};

static void setup(void)
{
	struct config cfg;

	log_set_level(LOG_EMERG);
	config_defaults(&cfg);
	cfg.max_contexts = 64;
	inet_pton(AF_INET6, "2001:db8::a", A.addr);
	inet_pton(AF_INET6, "2001:db8::b", B.addr);
	A.now = B.now = 1000;
	core_init(&A.d, &cfg, &io, &A);
	core_init(&B.d, &cfg, &io, &B);
	A.peer = &B.d;
	B.peer = &A.d;
	delivering = 1;
	proto_start(&A.d, A.addr, B.addr, NULL);	/* I1..R2 through f_send */
	delivering = 0;
	if (A.d.st.established != 1 || B.d.st.established != 1)
		abort();	/* the premise of this target: an established context */
}

static int timer_visit(struct shim6_ctx *c, void *arg)
{
	if (c->timer) {
		proto_timer(arg, c);
		return 1;	/* one per input: the table may have changed */
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct pkt_info pi = { 0 };
	uint64_t tag = 0;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	/* sources: the peer, or another host; destination: our address */
	memcpy(pi.src, data[0] & 1 ? B.addr : A.addr, 16);
	if (data[0] & 2)
		pi.src[15] ^= 0x55;
	memcpy(pi.dst, data[0] & 1 ? A.addr : B.addr, 16);
	switch ((data[0] >> 2) & 3) {
	case 0:
		proto_input(data[0] & 1 ? &A.d : &B.d, data + 1, size - 1, &pi);
		break;
	case 1:
		proto_icmp_input(data[0] & 1 ? &A.d : &B.d, data + 1, size - 1, &pi);
		break;
	case 2:
		memcpy(&tag, data + 1, size - 1 < 8 ? size - 1 : 8);
		proto_unknown_tag(&B.d, tag & 0x7fffffffffffULL, pi.src, pi.dst);
		break;
	case 3:
		A.now += 5000;
		B.now += 5000;
		ctx_for_each(&A.d.ctxs, timer_visit, &A.d);
		ctx_for_each(&B.d.ctxs, timer_visit, &B.d);
		break;
	}
	return 0;
}
