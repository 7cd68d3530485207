// SPDX-License-Identifier: GPL-2.0
/*
 * The `shim6ctl monitor` stream (ctl/shim6d/mon.c): a subscriber on a
 * socketpair gets the hello line, then one JSON object per event with
 * "event" and "time"; probe events only when asked for, rate-limited; a
 * subscriber that hangs up is dropped.  And the rate limiter on its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "ctl/shim6d/mon.h"
#include "selftests/runner.h"

/* Everything readable on fd now, split into lines; returns how many lines. */
static int read_lines(struct event_base *base, int fd, json_t **out, int max)
{
	static char buf[1 << 16];
	ssize_t n, len = 0;
	int cnt = 0;
	char *p, *nl;

	event_base_loop(base, EVLOOP_NONBLOCK);	/* flush the bufferevents */
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	buf[len] = '\0';
	for (p = buf; (nl = strchr(p, '\n')) && cnt < max; p = nl + 1) {
		*nl = '\0';
		out[cnt++] = json_loads(p, 0, NULL);
	}
	return cnt;
}

static void free_lines(json_t **v, int n)
{
	for (int i = 0; i < n; i++)
		json_decref(v[i]);
}

static const char *ev_name(json_t *o)
{
	return json_string_value(json_object_get(o, "event")) ?: "";
}

TEST(reap_mon_stream)
{
	struct event_base *base = event_base_new();
	int sp[2][2];
	struct bufferevent *bev[2];
	json_t *l[16];
	int n;

	if (!ASSERT_OK_PTR(base, "event base"))
		return;
	for (int i = 0; i < 2; i++) {
		if (!ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp[i]), "pair"))
			return;
		bev[i] = bufferevent_socket_new(base, sp[i][0], BEV_OPT_CLOSE_ON_FREE);
		/* subscriber 0: no probes; 1: probes */
		ASSERT_OK(mon_subscribe(bev[i], i == 1), "subscribe");
	}
	ASSERT_EQ(mon_active(false), 2, "two subscribers");
	ASSERT_EQ(mon_active(true), 1, "one wants probes");
	n = read_lines(base, sp[0][1], l, 16);
	if (ASSERT_EQ(n, 1, "hello line"))
		ASSERT_TRUE(json_is_true(json_object_get(l[0], "ok")), "hello ok");
	free_lines(l, n);
	n = read_lines(base, sp[1][1], l, 16);
	ASSERT_EQ(n, 1, "hello line (probes)");
	free_lines(l, n);

	mon_emit(json_pack("{s:s, s:s}", "event", "path_changed", "tag", "0x1"));
	for (int k = 0; k < 50; k++)	/* one second's burst is 20 */
		mon_emit_probe(json_pack("{s:s}", "event", "probe_sent"), 5000);
	mon_emit_probe(json_pack("{s:s}", "event", "probe_sent"), 6000);	/* refilled */

	n = read_lines(base, sp[0][1], l, 16);
	if (ASSERT_EQ(n, 1, "subscriber 0: the path event only")) {
		ASSERT_STREQ(ev_name(l[0]), "path_changed", "event name");
		ASSERT_TRUE(json_is_string(json_object_get(l[0], "time")), "time stamped");
	}
	free_lines(l, n);
	{
		json_t *m[64];
		int probes = 0;

		n = read_lines(base, sp[1][1], m, 64);
		for (int i = 0; i < n; i++)
			probes += !strcmp(ev_name(m[i]), "probe_sent");
		ASSERT_EQ(n, 1 + MON_PROBE_RATE + 1, "subscriber 1: path + 20 probes + 1 later");
		ASSERT_EQ(probes, MON_PROBE_RATE + 1, "probes rate-limited");
		if (n > 0)
			ASSERT_EQ(json_integer_value(json_object_get(m[n - 1], "suppressed")), 30,
				  "the later probe says how many were left out");
		free_lines(m, n);
	}
	/* subscriber 0 hangs up: dropped on the next loop */
	close(sp[0][1]);
	event_base_loop(base, EVLOOP_NONBLOCK);
	ASSERT_EQ(mon_active(false), 1, "hung-up subscriber dropped");
	mon_close_all();
	ASSERT_EQ(mon_active(false), 0, "all closed");
	close(sp[1][1]);
	event_base_free(base);
}

TEST(reap_mon_bucket)
{
	struct mon_bucket b = { 0 };
	uint64_t sup = 99;
	int ok = 0;

	for (int i = 0; i < 30; i++)
		ok += mon_bucket_take(&b, 1000, 10, &sup);
	ASSERT_EQ(ok, 10, "a burst of one second's worth");
	ASSERT_FALSE(mon_bucket_take(&b, 1050, 10, &sup), "half a token after 50 ms");
	ASSERT_TRUE(mon_bucket_take(&b, 1100, 10, &sup), "one token after 100 ms");
	ASSERT_EQ(sup, 21, "21 refused before it");
	ok = 0;
	for (int i = 0; i < 30; i++)
		ok += mon_bucket_take(&b, 100000, 10, &sup);
	ASSERT_EQ(ok, 10, "a long pause refills one second's worth, no more");
}

/* The control socket hands every first line to mon_request: only "monitor" is taken. */
TEST(reap_mon_request)
{
	static const char other[] = "{\"cmd\":\"status\"}";
	static const char mon[] = "{\"cmd\":\"monitor\",\"probes\":true}";
	struct event_base *base = event_base_new();
	struct bufferevent *bev[MON_MAX_SUBSCRIBERS + 1];
	int sp[MON_MAX_SUBSCRIBERS + 1][2];
	json_t *l[4];
	int n;

	if (!ASSERT_OK_PTR(base, "event base"))
		return;
	for (int i = 0; i <= MON_MAX_SUBSCRIBERS; i++) {
		if (!ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp[i]), "pair"))
			return;
		bev[i] = bufferevent_socket_new(base, sp[i][0], BEV_OPT_CLOSE_ON_FREE);
	}
	ASSERT_FALSE(mon_request(bev[0], other, sizeof(other) - 1), "status is not taken");
	ASSERT_FALSE(mon_request(bev[0], "garbage", 7), "garbage is not taken");
	ASSERT_EQ(mon_active(false), 0, "no subscriber yet");
	for (int i = 0; i < MON_MAX_SUBSCRIBERS; i++)
		ASSERT_TRUE(mon_request(bev[i], mon, sizeof(mon) - 1), "monitor taken");
	ASSERT_EQ(mon_active(true), MON_MAX_SUBSCRIBERS, "all subscribed, with probes");
	ASSERT_TRUE(mon_request(bev[MON_MAX_SUBSCRIBERS], mon, sizeof(mon) - 1),
		    "one too many: answered");
	n = read_lines(base, sp[MON_MAX_SUBSCRIBERS][1], l, 4);
	if (ASSERT_EQ(n, 1, "one error line")) {
		ASSERT_TRUE(json_is_false(json_object_get(l[0], "ok")), "ok false");
		ASSERT_OK_PTR(json_string_value(json_object_get(l[0], "error")), "error text");
	}
	free_lines(l, n);
	ASSERT_EQ(mon_active(false), MON_MAX_SUBSCRIBERS, "the refused one is not counted");
	mon_close_all();
	for (int i = 0; i <= MON_MAX_SUBSCRIBERS; i++)
		close(sp[i][1]);
	event_base_free(base);
}
