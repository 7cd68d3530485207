// SPDX-License-Identifier: GPL-2.0
/* The `shim6ctl monitor` event stream; see mon.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/bufferevent.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <linux/types.h>

#include "bpf/shim6_shared.h"
#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/ctx_json.h"
#include "ctl/shim6d/mon.h"

struct sub {
	struct bufferevent *bev;
	bool probes;
	uint64_t lost;		/* events dropped while its backlog was full */
};

static struct sub subs[MON_MAX_SUBSCRIBERS];
static int n_subs;
static struct mon_bucket probe_bucket;

static void drop(struct sub *s)
{
	bufferevent_free(s->bev);
	*s = subs[--n_subs];
	memset(&subs[n_subs], 0, sizeof(subs[n_subs]));
}

static struct sub *find(struct bufferevent *bev)
{
	for (int i = 0; i < n_subs; i++)
		if (subs[i].bev == bev)
			return &subs[i];
	return NULL;
}

/* A subscriber says nothing more; anything it writes is ignored. */
static void on_read(struct bufferevent *bev, void *arg)
{
	(void)arg;
	evbuffer_drain(bufferevent_get_input(bev), evbuffer_get_length(bufferevent_get_input(bev)));
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct sub *s;

	(void)arg;
	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	s = find(bev);
	if (s)
		drop(s);
	else
		bufferevent_free(bev);
}

static void write_line(struct bufferevent *bev, const char *line)
{
	bufferevent_write(bev, line, strlen(line));
	bufferevent_write(bev, "\n", 1);
}

int mon_subscribe(struct bufferevent *bev, bool probes)
{
	json_t *o;
	char *hello;

	if (n_subs == MON_MAX_SUBSCRIBERS)
		return -ENOSPC;
	subs[n_subs++] = (struct sub){ .bev = bev, .probes = probes };
	o = json_pack("{s:b, s:b, s:i}", "ok", 1, "probes", probes, "probe_rate", MON_PROBE_RATE);
	hello = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	bufferevent_setcb(bev, on_read, NULL, on_event, NULL);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	if (hello) {
		write_line(bev, hello);
		free(hello);
	}
	return 0;
}

static void on_refused_written(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_free(bev);
}

bool mon_request(struct bufferevent *bev, const char *line, size_t len)
{
	json_t *req = json_loadb(line, len, 0, NULL);
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	bool probes = json_is_true(json_object_get(req, "probes"));
	char err[96];

	if (!cmd || strcmp(cmd, "monitor") != 0) {
		json_decref(req);
		return false;
	}
	json_decref(req);
	if (mon_subscribe(bev, probes) == 0)
		return true;
	snprintf(err, sizeof(err), "{\"ok\":false,\"error\":\"too many monitors (%d)\"}",
		 MON_MAX_SUBSCRIBERS);
	bufferevent_disable(bev, EV_READ);
	bufferevent_setcb(bev, NULL, on_refused_written, NULL, NULL);
	write_line(bev, err);
	return true;
}

int mon_active(bool probes)
{
	int n = 0;

	for (int i = 0; i < n_subs; i++)
		n += !probes || subs[i].probes;
	return n;
}

static void stamp(json_t *ev)
{
	struct timespec ts;
	struct tm tm;
	char buf[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03ldZ", ts.tv_nsec / 1000000);
	json_object_set_new(ev, "time", json_string(buf));
}

static void send_all(json_t *ev, bool probe)
{
	char *line;

	stamp(ev);
	line = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	if (!line)
		return;
	for (int i = 0; i < n_subs; i++) {
		struct sub *s = &subs[i];
		struct evbuffer *out = bufferevent_get_output(s->bev);

		if (probe && !s->probes)
			continue;
		if (evbuffer_get_length(out) > MON_MAX_BACKLOG) {
			s->lost++;	/* a slow reader must not make the daemon grow */
			continue;
		}
		if (s->lost) {
			char lost[64];

			snprintf(lost, sizeof(lost), "{\"event\":\"lost\",\"count\":%llu}",
				 (unsigned long long)s->lost);
			write_line(s->bev, lost);
			s->lost = 0;
		}
		write_line(s->bev, line);
	}
	free(line);
}

void mon_emit(json_t *ev)
{
	if (!ev)
		return;
	if (!n_subs) {
		json_decref(ev);
		return;
	}
	send_all(ev, false);
}

bool mon_bucket_take(struct mon_bucket *b, uint64_t now_ms, double rate, uint64_t *suppressed)
{
	if (!b->last_ms) {
		b->tokens = rate;	/* a full second's burst to start with */
	} else if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * rate / 1000.0;
		if (b->tokens > rate)
			b->tokens = rate;
	}
	if (now_ms > b->last_ms || !b->last_ms)
		b->last_ms = now_ms ? now_ms : 1;
	if (b->tokens < 1.0) {
		b->suppressed++;
		return false;
	}
	b->tokens -= 1.0;
	*suppressed = b->suppressed;
	b->suppressed = 0;
	return true;
}

void mon_emit_probe(json_t *ev, uint64_t now_ms)
{
	uint64_t suppressed = 0;

	if (!ev)
		return;
	if (!mon_active(true) || !mon_bucket_take(&probe_bucket, now_ms, MON_PROBE_RATE,
						  &suppressed)) {
		json_decref(ev);
		return;
	}
	if (suppressed)
		json_object_set_new(ev, "suppressed", json_integer((json_int_t)suppressed));
	send_all(ev, true);
}

void mon_close_all(void)
{
	while (n_subs)
		drop(&subs[n_subs - 1]);
}

/* ---- builders ---- */

void mon_set_addr(json_t *o, const char *key, const uint8_t a[16])
{
	json_object_set_new(o, key, json_addr(a));
}

static void set_tag(json_t *o, const char *key, uint64_t tag)
{
	json_object_set_new(o, key, json_tag(tag));
}

json_t *mon_ctx_obj(const char *name, const struct shim6_ctx *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "event", json_string(name));
	set_tag(o, "tag", c->ct_local);
	mon_set_addr(o, "ulid_local", c->ulid_local);
	mon_set_addr(o, "ulid_peer", c->ulid_peer);
	return o;
}

void mon_ctx_state(void *arg, struct shim6_ctx *c, int old_state)
{
	json_t *o;

	(void)arg;
	if (!n_subs)
		return;
	o = mon_ctx_obj(c->state == CTX_ESTABLISHED ? "context_established" : "context_state", c);
	json_object_set_new(o, "old", json_string(ctx_state_name((enum ctx_state)old_state)));
	json_object_set_new(o, "new", json_string(ctx_state_name(c->state)));
	if (c->state == CTX_ESTABLISHED) {
		set_tag(o, "peer_tag", c->ct_peer);
		mon_set_addr(o, "locator_local", c->lp_local);
		mon_set_addr(o, "locator_peer", c->lp_peer);
	}
	mon_emit(o);
}

void mon_ctx_deleted(const struct shim6_ctx *c)
{
	json_t *o;

	if (!n_subs)
		return;
	o = mon_ctx_obj("context_deleted", c);
	json_object_set_new(o, "state", json_string(ctx_state_name(c->state)));
	mon_emit(o);
}

void mon_dp_event(const struct shim6_event *e)
{
	json_t *o;

	if (!n_subs)
		return;
	o = json_object();
	switch (e->type) {
	case SHIM6_EV_TRIGGER:
		json_object_set_new(o, "event", json_string("trigger"));
		mon_set_addr(o, "ulid_local", e->src.b);
		mon_set_addr(o, "ulid_peer", e->dst.b);
		json_object_set_new(o, "bytes", json_integer((json_int_t)e->bytes));
		break;
	case SHIM6_EV_UNKNOWN_TAG:
		json_object_set_new(o, "event", json_string("unknown_tag"));
		set_tag(o, "tag", e->tag);
		mon_set_addr(o, "src", e->src.b);
		mon_set_addr(o, "dst", e->dst.b);
		break;
	default:
		json_object_set_new(o, "event", json_string("dataplane"));
		json_object_set_new(o, "event_type", json_integer(e->type));
		break;
	}
	json_object_set_new(o, "ifindex", json_integer(e->ifindex));
	mon_emit(o);
}
