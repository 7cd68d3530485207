// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl monitor: events as they happen.  With shim6d running, its event
 * stream over the control socket (context, REAP, fast TCP recovery and the
 * data-plane events it consumed; ctl/shim6d/mon.h); without it, the data
 * plane's ring buffer read directly.
 */
#include <inttypes.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <jansson.h>

#include "ctl/common/daemon_client.h"
#include "ctl/shim6ctl/dp_maps.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl monitor [ probes ]\n"
		   "Prints events until interrupted, one per line (with -j, one JSON object per\n"
		   "line).\n"
		   "With shim6d running (its control socket: $SHIM6D_SOCKET, else %s),\n"
		   "its event stream: context_state, context_established, context_deleted,\n"
		   "reap_failure (Send Timeout), exploration_started, reap_state (inbound_ok,\n"
		   "operational with recovery_ms), path_changed (old and new pair, recovery_ms),\n"
		   "tcp_kick (connections taken out of back-off), trigger and unknown_tag (the\n"
		   "data-plane events shim6d consumed), lost (this reader was too slow).\n"
		   "probes: also probe_sent / probe_received, at most 20 per second (suppressed:\n"
		   "how many were left out).\n"
		   "Without shim6d, the data plane's ring buffer: trigger (a ULID pair without\n"
		   "a context crossed the trigger threshold) and unknown-tag (a payload packet\n"
		   "for a tag we do not have).  A ring buffer has one consumer: while shim6d\n"
		   "runs it takes them, and passes them on in its stream.\n",
		SHIM6D_SOCKET_DEFAULT);
	return status;
}

/* ---- shim6d's event stream ---- */

/* One event object through the print layer: "TIME EVENT key value ...". */
static void print_stream_event(json_t *ev)
{
	const char *k, *name = json_string_value(json_object_get(ev, "event"));
	const char *time = json_string_value(json_object_get(ev, "time"));
	json_t *v;

	print_open_object(NULL);
	print_string(PRINT_ANY, "time", "%s ", time ? time : "-");
	print_string(PRINT_ANY, "event", "%s", name ? name : "?");
	json_object_foreach(ev, k, v) {
		char label[64];
		size_t i;

		if (!strcmp(k, "time") || !strcmp(k, "event"))
			continue;
		/* text labels in the CLI's style: ulid_local -> ulid-local */
		for (i = 0; k[i] && i < sizeof(label) - 1; i++)
			label[i] = k[i] == '_' ? '-' : k[i];
		label[i] = '\0';
		print_text(" %s ", label);
		switch (json_typeof(v)) {
		case JSON_STRING:
			print_string(PRINT_ANY, k, "%s", json_string_value(v));
			break;
		case JSON_INTEGER:
			print_int(PRINT_ANY, k, "%" PRId64, json_integer_value(v));
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			print_bool(PRINT_ANY, k, "%s", json_is_true(v));
			break;
		case JSON_REAL:
			print_float(PRINT_ANY, k, "%g", json_real_value(v));
			break;
		default:
			print_null(PRINT_ANY, k, "-");
			break;
		}
	}
	print_text("\n");
	print_close_object();
	print_finish(); /* one line per event, now */
}

/*
 * Connect to shim6d and ask for the stream.  Returns the socket, -ENOENT /
 * -ECONNREFUSED when no daemon listens (the caller falls back to the ring
 * buffer), other -errno on failure.
 */
static int stream_open(const char *path, bool probes)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *req;
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	req = json_dumps(json_pack("{s:s, s:b}", "cmd", "monitor", "probes", probes),
			 JSON_COMPACT);
	if (!req || dprintf(fd, "%s\n", req) < 0) {
		err = req ? -errno : -ENOMEM;
		free(req);
		close(fd);
		return err;
	}
	free(req);
	return fd;
}

static int stream_run(int fd)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	bool first = true;
	int ret = 0;

	if (!f) {
		close(fd);
		return cli_error("cannot read the event stream: %s", strerror(errno));
	}
	while (!stop) {
		json_error_t jerr;
		json_t *ev;

		errno = 0;
		if (getline(&line, &cap, f) < 0) {
			if (errno == EINTR && !stop) {
				clearerr(f);
				continue;
			}
			if (!stop)
				ret = cli_error("shim6d closed the event stream");
			break;
		}
		ev = json_loads(line, 0, &jerr);
		if (!json_is_object(ev)) {
			json_decref(ev);
			ret = cli_error("shim6d sent a line that is not a JSON object");
			break;
		}
		if (first) {	/* the reply to the request */
			first = false;
			if (!json_is_true(json_object_get(ev, "ok"))) {
				const char *e = json_string_value(json_object_get(ev, "error"));

				ret = cli_error("shim6d: %s", e ? e : "monitor refused");
				json_decref(ev);
				break;
			}
			json_decref(ev);
			continue;
		}
		print_stream_event(ev);
		json_decref(ev);
	}
	free(line);
	fclose(f);
	return ret;
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
	bool probes = false;
	int err = 0, fd;

	for (; argc > 0; argc--, argv++) {
		if (is_help(argv[0]))
			return usage(stdout, 0);
		if (!matches(argv[0], "probes"))
			return cli_error("unknown argument \"%s\", try \"shim6ctl monitor help\"",
					 argv[0]);
		probes = true;
	}
	/* no SA_RESTART: a signal ends the blocking read */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = stream_open(shim6d_socket_path(), probes);
	if (fd >= 0)
		return stream_run(fd);
	if (fd != -ENOENT && fd != -ECONNREFUSED)
		return cli_error("cannot reach shim6d at %s: %s", shim6d_socket_path(),
				 strerror(-fd));
	if (probes)
		return cli_error("probes needs a running shim6d (none at %s)",
				 shim6d_socket_path());
	/* no daemon: the data plane's ring buffer */
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

SHIM6CTL_OBJECT("monitor", do_monitor, "print shim6d and data-plane events as they happen")
