// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl daemon { status | context [show] | context start ulid-local ADDR
 *                   ulid-peer ADDR | context { del | keepalive } tag TAG | stats |
 *                   log-level LEVEL }
 *
 * Talks to shim6d over its control socket ($SHIM6D_SOCKET or
 * /run/shim6/shim6d.sock).  The reply is printed through the common print
 * layer: -j gives the daemon's object as JSON, text mode one "key value"
 * per line, contexts one per block.
 */
#include <arpa/inet.h>
#include <inttypes.h>

#include "ctl/common/daemon_client.h"
#include "ctl/shim6ctl/cli.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl daemon status\n"
		   "       shim6ctl daemon context [show]\n"
		   "       shim6ctl daemon context start ulid-local ADDR ulid-peer ADDR\n"
		   "       shim6ctl daemon context { del | keepalive } tag TAG\n"
		   "       shim6ctl daemon path set tag TAG local ADDR peer ADDR\n"
		   "       shim6ctl daemon stats\n"
		   "       shim6ctl daemon autoconf [show]   (CGAs from Router Advertisements)\n"
		   "       shim6ctl daemon log-level { error | warning | notice | info | debug }\n"
		   "The daemon's control socket is $SHIM6D_SOCKET, else %s.\n",
		SHIM6D_SOCKET_DEFAULT);
	return status;
}

/* Print a JSON value through the print layer (one path for text and JSON). */
static void print_value(const char *key, json_t *v, int indent)
{
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (key)
			print_text("%*s%s:\n", indent, "", key);
		print_open_object(key);
		json_object_foreach(v, k, x)
			print_value(k, x, key ? indent + 2 : indent);
		print_close_object();
		break;
	case JSON_ARRAY:
		print_text("%*s%s:\n", indent, "", key ? key : "");
		print_open_array(key);
		json_array_foreach(v, i, x) {
			print_value(NULL, x, indent + 2);
			print_text("\n");
		}
		print_close_array();
		break;
	case JSON_STRING:
		print_text("%*s%s ", indent, "", key ? key : "");
		print_string(PRINT_ANY, key, "%s\n", json_string_value(v));
		break;
	case JSON_INTEGER:
		print_text("%*s%s ", indent, "", key ? key : "");
		print_int(PRINT_ANY, key, "%" PRId64 "\n", json_integer_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		print_text("%*s%s ", indent, "", key ? key : "");
		print_bool(PRINT_ANY, key, "%s\n", json_is_true(v));
		break;
	default:
		break;
	}
}

static int call(json_t *req)
{
	json_t *rep;

	if (shim6d_call(req, &rep, "request"))
		return 1;
	json_object_del(rep, "ok");
	print_value(NULL, rep, 0);
	json_decref(rep);
	return 0;
}

static int do_context(int argc, char **argv)
{
	if (argc == 0 || matches(*argv, "show"))
		return call(json_pack("{s:s}", "cmd", "context-show"));
	if (is_help(*argv))
		return usage(stdout, 0);
	if (matches(*argv, "del") || matches(*argv, "keepalive")) {
		const char *cmd = matches(*argv, "del") ? "context-del" : "context-keepalive";
		uint64_t tag;
		char buf[24];

		argc--, argv++;
		if (argc < 2 || !matches(*argv, "tag"))
			return cli_error("\"context %s\" needs \"tag TAG\"", cmd + 8);
		if (parse_tag("tag", argv[1], &tag))
			return 1;
		snprintf(buf, sizeof(buf), "0x%" PRIx64, tag);
		return call(json_pack("{s:s, s:s}", "cmd", cmd, "tag", buf));
	}
	if (matches(*argv, "start")) {
		const char *l = NULL, *p = NULL;
		uint8_t a[16];

		while (--argc > 0) {
			argv++;
			if (matches(*argv, "ulid-local")) {
				NEXT_ARG("ulid-local");
				l = *argv;
			} else if (matches(*argv, "ulid-peer")) {
				NEXT_ARG("ulid-peer");
				p = *argv;
			} else {
				return cli_error("unknown argument \"%s\", try \"shim6ctl daemon help\"",
						 *argv);
			}
		}
		if (!l || !p)
			return cli_error("\"context start\" needs ulid-local ADDR and ulid-peer ADDR");
		if (parse_in6("ulid-local", l, a) || parse_in6("ulid-peer", p, a))
			return 1;
		return call(json_pack("{s:s, s:s, s:s}", "cmd", "context-start", "ulid_local", l,
				      "ulid_peer", p));
	}
	return cli_error("unknown command \"context %s\", try \"shim6ctl daemon help\"", *argv);
}

static int do_path(int argc, char **argv)
{
	const char *l = NULL, *p = NULL;
	uint64_t tag = 0;
	bool have_tag = false;
	uint8_t a[16];
	char buf[24];

	if (argc == 0 || is_help(*argv))
		return usage(argc ? stdout : stderr, argc ? 0 : 1);
	if (!matches(*argv, "set"))
		return cli_error("unknown command \"path %s\", try \"shim6ctl daemon help\"", *argv);
	while (--argc > 0) {
		argv++;
		if (matches(*argv, "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", *argv, &tag))
				return 1;
			have_tag = true;
		} else if (matches(*argv, "local")) {
			NEXT_ARG("local");
			l = *argv;
		} else if (matches(*argv, "peer")) {
			NEXT_ARG("peer");
			p = *argv;
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl daemon help\"", *argv);
		}
	}
	if (!have_tag || !l || !p)
		return cli_error("\"path set\" needs tag TAG local ADDR peer ADDR");
	if (parse_in6("local", l, a) || parse_in6("peer", p, a))
		return 1;
	snprintf(buf, sizeof(buf), "0x%" PRIx64, tag);
	return call(json_pack("{s:s, s:s, s:s, s:s}", "cmd", "path-set", "tag", buf, "local", l,
			      "peer", p));
}

static int do_daemon(int argc, char **argv)
{
	if (argc == 0 || matches(*argv, "status"))
		return call(json_pack("{s:s}", "cmd", "status"));
	if (is_help(*argv))
		return usage(stdout, 0);
	if (matches(*argv, "context"))
		return do_context(argc - 1, argv + 1);
	if (matches(*argv, "stats"))
		return call(json_pack("{s:s}", "cmd", "stats"));
	if (matches(*argv, "path"))
		return do_path(argc - 1, argv + 1);
	if (matches(*argv, "autoconf")) {
		if (argc > 1 && is_help(argv[1]))
			return usage(stdout, 0);
		if (argc > 1 && !matches(argv[1], "show"))
			return cli_error("unknown argument \"%s\" to \"autoconf\", try "
					 "\"shim6ctl daemon help\"", argv[1]);
		return call(json_pack("{s:s}", "cmd", "autoconf-show"));
	}
	if (matches(*argv, "log-level")) {
		if (argc < 2)
			return cli_error("\"log-level\" needs a value");
		return call(json_pack("{s:s, s:s}", "cmd", "log-level", "level", argv[1]));
	}
	return cli_error("unknown command \"%s\", try \"shim6ctl daemon help\"", *argv);
}

SHIM6CTL_OBJECT("daemon", do_daemon, "talk to a running shim6d: status, contexts, counters");
