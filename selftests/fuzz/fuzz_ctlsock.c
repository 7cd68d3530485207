// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: shim6d's control-socket requests (ctlsock.c) on
 * arbitrary bytes, the way on_request() hands a line to ctlsock_reply().
 * The daemon behind it holds an established context (built by two protocol
 * cores talking to each other), so context-del, path-set, context-keepalive
 * and context-start reach real state; the data-plane maps and REAP's
 * daemon glue are replaced by stubs (no BPF here).
 * The context's local tag is random, so "@T" in the input stands for it
 * ("0x…"): the fuzzer reaches the commands that need a known tag.
 * Every reply must be one JSON object with a boolean "ok", and an "error"
 * string when it is false; the context table must stay within its limits.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* The request handler is static; compile it into this target. */
#include "ctl/shim6d/ctlsock.c"

/* ---- stubs of the daemon glue that needs BPF / libevent timers ---- */
json_t *reap_d_command(struct daemon *dm, const char *cmd, json_t *req)
{
	return NULL;
}

void reap_d_json(const struct shim6_ctx *c, json_t *o) { }
void reap_d_path_followed(struct shim6_ctx *c) { }

int maps_ctx_set_path(struct dp_maps *m, const struct shim6_ctx *c)
{
	return 0;
}

/* static contexts and counters live only in the maps: none here */
int maps_static_del(struct dp_maps *m, uint64_t tag)
{
	return -ENOENT;
}

int maps_static_set_path(struct dp_maps *m, uint64_t tag, const uint8_t l[16], const uint8_t p[16])
{
	return -ENOENT;
}

int maps_stats_reset(struct dp_maps *m)
{
	return 0;
}


/* ---- the daemon and its peer (a bare protocol core) ---- */
static struct daemon dm;
static struct shim6d peer;
static uint8_t addr_a[16], addr_b[16];
static uint64_t now_ms = 1000;

/* the fuzzed daemon's clock is the fake one (deterministic runs) */
uint64_t daemon_now_us(void)
{
	return now_ms * 1000;
}
static int delivering;

static uint64_t f_now(void *arg) { return now_ms; }

static int f_send(void *arg, const struct pkt_info *pi, const void *buf, size_t len)
{
	struct shim6d *to = arg == (void *)&dm ? &peer : &dm.core;

	if (delivering && delivering < 16) {
		delivering++;
		proto_input(to, buf, len, pi);
		delivering--;
	}
	return 0;
}

static void f_tset(void *arg, struct shim6_ctx *c, uint64_t ms) { c->timer = (void *)1; }
static void f_tclr(void *arg, struct shim6_ctx *c) { c->timer = NULL; }
static int f_up(void *arg, struct shim6_ctx *c) { c->in_maps = true; return 0; }
static void f_down(void *arg, struct shim6_ctx *c) { c->in_maps = false; }
static void f_free(void *arg, struct shim6_ctx *c) { c->timer = NULL; }

static const struct shim6d_io io = {
	.now_ms = f_now, .send = f_send, .timer_set = f_tset, .timer_clear = f_tclr,
	.ctx_up = f_up, .ctx_down = f_down, .ctx_free = f_free,
};

/* (Re)build the established context the commands work on. */
static void establish(void)
{
	if (dm.core.ctxs.count)
		return;
	delivering = 1;
	proto_start(&dm.core, addr_a, addr_b, NULL);
	delivering = 0;
}

static void setup(void)
{
	struct config cfg;

	log_set_level(LOG_EMERG);
	config_defaults(&cfg);
	cfg.max_contexts = 8;
	inet_pton(AF_INET6, "2001:db8::a", addr_a);
	inet_pton(AF_INET6, "2001:db8::b", addr_b);
	dm.raw_fd = dm.icmp_fd = dm.ctl_fd = -1;
	if (core_init(&dm.core, &cfg, &io, &dm) || core_init(&peer, &cfg, &io, &peer))
		abort();
	establish();
	if (dm.core.st.established != 1)
		abort();	/* the premise: an established context to act on */
}

static int first_tag(struct shim6_ctx *c, void *arg)
{
	*(uint64_t *)arg = c->ct_local;
	return 1;
}

/* Copy of the input with each "@T" replaced by the context's tag. */
static char *expand(const uint8_t *data, size_t size, size_t *len)
{
	char tag[24], *buf;
	uint64_t t = 0;
	size_t i, n = 0, tl;

	ctx_for_each(&dm.core.ctxs, first_tag, &t);
	tl = (size_t)snprintf(tag, sizeof(tag), "0x%" PRIx64, t);
	buf = malloc(size * tl + 1);
	if (!buf)
		abort();
	for (i = 0; i < size; i++) {
		if (data[i] == '@' && i + 1 < size && data[i + 1] == 'T') {
			memcpy(buf + n, tag, tl);
			n += tl;
			i++;
		} else {
			buf[n++] = (char)data[i];
		}
	}
	*len = n;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	json_t *rep, *ok;
	json_error_t jerr;
	char *out, *line;
	size_t n;

	if (!ready) {
		setup();
		ready = 1;
	}
	establish();
	line = expand(data, size, &n);
	out = ctlsock_reply(&dm, line, n);
	free(line);
	if (!out)
		abort();	/* only out of memory may give no reply */
	rep = json_loads(out, 0, &jerr);
	if (!rep || !json_is_object(rep))
		abort();	/* the reply is one JSON object */
	ok = json_object_get(rep, "ok");
	if (!json_is_boolean(ok))
		abort();
	if (json_is_false(ok) && !json_is_string(json_object_get(rep, "error")))
		abort();
	json_decref(rep);
	free(out);
	if (dm.core.ctxs.count > dm.core.cfg.max_contexts)
		abort();
	log_set_level(LOG_EMERG);	/* a "log-level" request must not slow the run */
	now_ms += 100;
	return 0;
}
