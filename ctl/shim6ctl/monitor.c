// SPDX-License-Identifier: GPL-2.0
/* shim6ctl monitor: the data plane's ring-buffer events as they happen. */
#include <signal.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "ctl/shim6ctl/dp_maps.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl monitor\n"
		   "Prints the data plane's events (trigger: a ULID pair without a context\n"
		   "crossed the trigger threshold; unknown-tag: a payload packet for a tag we do\n"
		   "not have) until interrupted.  With -j, one JSON object per line.\n"
		   "Note: a ring buffer has one consumer; while shim6d runs it takes the events.\n");
	return status;
}

static int on_event(void *ctx, void *data, size_t len)
{
	const struct shim6_event *ev = data;

	(void)ctx;
	if (len < sizeof(*ev))
		return 0;
	print_open_object(NULL);
	switch (ev->type) {
	case SHIM6_EV_TRIGGER:
		print_string(PRINT_ANY, "event", "%s", "trigger");
		print_in6(PRINT_ANY, "ulid_local", " ulid-local %s", &ev->src);
		print_in6(PRINT_ANY, "ulid_peer", " ulid-peer %s", &ev->dst);
		print_uint(PRINT_ANY, "bytes", " bytes %llu", ev->bytes);
		break;
	case SHIM6_EV_UNKNOWN_TAG:
		print_string(PRINT_ANY, "event", "%s", "unknown-tag");
		print_hex(PRINT_ANY, "tag", " tag %s", ev->tag);
		print_in6(PRINT_ANY, "src", " src %s", &ev->src);
		print_in6(PRINT_ANY, "dst", " dst %s", &ev->dst);
		break;
	default:
		print_uint(PRINT_ANY, "event_type", "event %llu", ev->type);
		break;
	}
	print_uint(PRINT_ANY, "ifindex", " ifindex %llu\n", ev->ifindex);
	print_close_object();
	print_finish(); /* one line per event, now */
	return 0;
}

static int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct ring_buffer *rb;
	struct shim6_maps m;
	int err = 0;

	if (argc > 0)
		return is_help(argv[0]) ? usage(stdout, 0) : usage(stderr, 1);
	if (dp_open(&m))
		return 1;
	if (m.events < 0) {
		shim6_maps_close(&m);
		return cli_error("no event ring buffer (shim6_events) under %s", cli.bpffs);
	}
	rb = ring_buffer__new(m.events, on_event, NULL, NULL);
	if (!rb) {
		err = -errno;
		shim6_maps_close(&m);
		return cli_error("cannot open the event ring buffer: %s", strerror(-err));
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!stop) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR) {
			err = 0;
			continue;
		}
		if (err < 0)
			break;
		err = 0;
	}
	ring_buffer__free(rb);
	shim6_maps_close(&m);
	if (err)
		return cli_error("reading events failed: %s", strerror(-err));
	return 0;
}

SHIM6CTL_OBJECT("monitor", do_monitor, "print data-plane events as they happen")
