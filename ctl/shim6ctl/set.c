// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl set tsend SECONDS [tag TAG]: change REAP's Send Timeout in the
 * running shim6d (control command "set-tsend"), for the host or one
 * context; shim6d tells each affected peer in an Update Request with the
 * Keepalive Timeout option (RFC 5534 §5.3), so its keepalives follow.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "ctl/common/daemon_client.h"
#include "ctl/shim6ctl/cli.h"

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: shim6ctl set tsend SECONDS [ tag TAG ]\n"
		"REAP Send Timeout (RFC 5534): how long sent traffic may stay unanswered\n"
		"before shim6d explores other locator pairs.  SECONDS: 0.2 to 65535, decimals\n"
		"allowed, or a number with \"ms\" or \"s\" (250ms, 2s).  Without tag: the host\n"
		"default and every context without its own value; with tag: that context\n"
		"only.  The peers of the contexts whose announced value (whole seconds, at\n"
		"least 1) changes are told in an Update Request, and their keepalives follow.\n"
		"Needs a running shim6d (its control socket: $SHIM6D_SOCKET, else %s).\n",
		SHIM6D_SOCKET_DEFAULT);
	return status;
}

/* "0.25", "2", "250ms", "2s" -> milliseconds; -EINVAL otherwise. */
static int parse_seconds_ms(const char *arg, uint32_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || !isfinite(v) || v < 0)
		return -EINVAL;
	if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (*end && strcmp(end, "s") != 0)
		return -EINVAL;
	if (v * 1000 > UINT32_MAX)
		return -ERANGE;
	*ms = (uint32_t)llround(v * 1000);
	return 0;
}

static int set_tsend(int argc, char **argv)
{
	bool have_ms = false, have_tag = false;
	uint64_t tag = 0;
	uint32_t ms = 0;
	char buf[24];
	json_t *req, *rep;

	for (; argc > 0; argc--, argv++) {
		if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else if (matches(argv[0], "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", argv[0], &tag))
				return 1;
			have_tag = true;
		} else if (!have_ms) {
			if (parse_seconds_ms(argv[0], &ms) || ms < 200 || ms > 65535u * 1000u)
				return cli_error("tsend \"%s\": give 0.2 to 65535 seconds (e.g. 0.5, 2s, "
						 "250ms)", argv[0]);
			have_ms = true;
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl set help\"",
					 argv[0]);
		}
	}
	if (!have_ms)
		return cli_error("\"tsend\" needs a value in seconds");
	req = json_pack("{s:s, s:i}", "cmd", "set-tsend", "ms", (json_int_t)ms);
	if (have_tag) {
		snprintf(buf, sizeof(buf), "0x%" PRIx64, tag);
		json_object_set_new(req, "tag", json_string(buf));
	}
	if (shim6d_call(req, &rep, "set-tsend"))
		return 1;
	print_open_object(NULL);
	if (have_tag)
		print_hex(PRINT_ANY, "tag", "context %s: ", tag);
	else
		print_text("host: ");
	print_uint(PRINT_ANY, "send_timeout_ms", "send timeout %llu ms",
		   (uint64_t)json_integer_value(json_object_get(rep, "send_timeout_ms")));
	print_uint(PRINT_ANY, "peers_told", ", %llu peer(s) told\n",
		   (uint64_t)json_integer_value(json_object_get(rep, "announced")));
	print_close_object();
	json_decref(rep);
	return 0;
}

static int do_set(int argc, char **argv)
{
	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1 ? 1 : 0);
	if (matches(argv[0], "tsend"))
		return set_tsend(argc - 1, argv + 1);
	return cli_error("unknown setting \"%s\", try \"shim6ctl set help\"", argv[0]);
}

SHIM6CTL_OBJECT("set", do_set, "change shim6d settings at run time: REAP Send Timeout (tsend)")
