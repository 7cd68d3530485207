// SPDX-License-Identifier: GPL-2.0
/* shim6ctl objects and a running shim6d; see via_daemon.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "ctl/common/daemon_client.h"
#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/via_daemon.h"

json_t *via_daemon_tag(uint64_t tag)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, tag);
	return json_string(buf);
}

/*
 * The exchange itself: VIA_DAEMON_ABSENT when nobody listens or the daemon
 * runs other maps, -errno (err set) when a daemon is there but the talk
 * failed, else 0 with the reply in *rep (whatever its "ok").
 */
static int talk(json_t *req, json_t **rep, char *err, size_t errlen)
{
	const char *code;
	int ret;

	json_object_set_new(req, "bpffs", json_string(cli.bpffs));
	ret = shim6d_request(shim6d_socket_path(), req, rep, err, errlen);
	/* no socket file, a stale one (daemon killed), not a socket */
	if (ret == -ENOENT || ret == -ECONNREFUSED || ret == -ENOTDIR || ret == -ENOTSOCK)
		return VIA_DAEMON_ABSENT;
	if (ret)
		return ret;
	code = json_string_value(json_object_get(*rep, "code"));
	if (code && strcmp(code, "other-maps") == 0) {
		json_decref(*rep);
		*rep = NULL;
		return VIA_DAEMON_ABSENT;
	}
	return 0;
}

int via_daemon(json_t *req, json_t **rep)
{
	json_t *r = NULL;
	char err[256];
	int ret;

	if (rep)
		*rep = NULL;
	ret = talk(req, &r, err, sizeof(err));
	json_decref(req);
	if (ret == VIA_DAEMON_ABSENT)
		return ret;
	if (ret)
		return cli_error("%s", err);
	if (shim6d_reply_ok(r, "request"))
		return 1;
	if (rep)
		*rep = r;
	else
		json_decref(r);
	return 0;
}

static json_t *view;	/* context-show's "contexts" array, NULL: no daemon */

void daemon_view_load(void)
{
	json_t *req = json_pack("{s:s}", "cmd", "context-show"), *rep = NULL, *arr;
	char err[256];
	int ret;

	view = NULL;

	ret = talk(req, &rep, err, sizeof(err));
	json_decref(req);
	if (ret || !json_is_true(json_object_get(rep, "ok"))) {
		if (ret != VIA_DAEMON_ABSENT)
			fprintf(stderr, "shim6ctl: (shim6d's view not shown: %s)\n",
				ret ? err : "context-show failed");
		json_decref(rep);
		return;
	}
	arr = json_incref(json_object_get(rep, "contexts"));
	json_decref(rep);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return;
	}
	view = arr;
}

json_t *daemon_view_contexts(void)
{
	return view;
}

void daemon_view_free(void)
{
	json_decref(view);
	view = NULL;
}

static uint64_t jtag_value(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strtoull(s, NULL, 16) : 0;
}

static json_t *view_find(uint64_t tag)
{
	json_t *o;
	size_t i;

	json_array_foreach(view, i, o)
		if (jtag_value(o, "local_tag") == tag)
			return o;
	return NULL;
}

static void print_jaddr(const char *key, const char *fmt, json_t *v)
{
	uint8_t a[16];
	const char *s = json_string_value(v);

	if (s && inet_pton(AF_INET6, s, a) == 1)
		print_in6(PRINT_ANY, key, fmt, a);
}

/* Anything the daemon adds that this file does not know (REAP's state...). */
static void print_generic(const char *key, json_t *v, int indent)
{
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		/* an element of an array: "{k v, k v}" on the array's line */
		print_text(key ? "%*s%s:" : " {", key ? indent : 0, "", key ? key : "");
		print_open_object(key);
		json_object_foreach(v, k, x) {
			if (json_is_object(x) || json_is_array(x)) {
				print_text("\n");
				print_generic(k, x, indent + 2);
			} else {
				print_generic(k, x, 1);
			}
		}
		print_close_object();
		print_text(key ? "\n" : " }");
		break;
	case JSON_ARRAY:
		print_text("%*s%s:", indent, "", key ? key : "");
		print_open_array(key);
		json_array_foreach(v, i, x)
			print_generic(NULL, x, 1);
		print_close_array();
		print_text("\n");
		break;
	case JSON_STRING:
		print_text("%*s%s%s", indent, "", key ? key : "", key ? " " : "");
		print_string(PRINT_ANY, key, "%s", json_string_value(v));
		break;
	case JSON_INTEGER:
		print_text("%*s%s%s", indent, "", key ? key : "", key ? " " : "");
		print_int(PRINT_ANY, key, "%" PRId64, json_integer_value(v));
		break;
	case JSON_REAL:
		print_text("%*s%s%s", indent, "", key ? key : "", key ? " " : "");
		print_float(PRINT_ANY, key, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		print_text("%*s%s%s", indent, "", key ? key : "", key ? " " : "");
		print_bool(PRINT_ANY, key, "%s", json_is_true(v));
		break;
	default:
		break;
	}
}

/* Keys of the daemon's context object printed by daemon_context_print() itself. */
static const char *const known_keys[] = {
	"state", "local_tag", "peer_tag", "ulid_local", "ulid_peer", "locator_local",
	"locator_peer", "fii", "initiator", "in_maps", "update_pending", "peer_generation",
	"peer_locators", "peer_preferences", "peer_locator_set", "local_locators", "setup_us",
	"reap",		/* printed at the context's level by reap_cols.c */
	"_shown", NULL,
};

static bool known(const char *k)
{
	int i;

	for (i = 0; known_keys[i]; i++)
		if (strcmp(k, known_keys[i]) == 0)
			return true;
	return false;
}

static void print_ctx(json_t *d)
{
	json_t *v, *set;
	const char *k;
	size_t i;

	json_object_set_new(d, "_shown", json_true());
	print_open_object("daemon");
	print_string(PRINT_ANY, "state", "    shim6d: %s",
		     json_string_value(json_object_get(d, "state")) ?: "?");
	print_bool(PRINT_ANY, "initiator", NULL, json_is_true(json_object_get(d, "initiator")));
	print_text("%s", json_is_true(json_object_get(d, "initiator")) ? ", initiator" :
		   ", responder");
	print_bool(PRINT_ANY, "in_maps", NULL, json_is_true(json_object_get(d, "in_maps")));
	if (!json_is_true(json_object_get(d, "in_maps")))
		print_text(", not in the maps");
	v = json_object_get(d, "fii");
	if (json_integer_value(v))
		print_uint(PRINT_ANY, "fii", ", fii %llu", (uint64_t)json_integer_value(v));
	v = json_object_get(d, "peer_generation");
	if (json_is_integer(v))
		print_hex(PRINT_ANY, "peer_generation", ", peer generation %s",
			  (uint64_t)json_integer_value(v));
	if (json_is_true(json_object_get(d, "update_pending"))) {
		print_bool(PRINT_JSON, "update_pending", NULL, true);
		print_text(", Update Request outstanding");
	} else {
		print_bool(PRINT_JSON, "update_pending", NULL, false);
	}
	v = json_object_get(d, "setup_us");
	if (json_is_integer(v))
		print_uint(PRINT_ANY, "setup_us", ", I1->R2 %llu us", (uint64_t)json_integer_value(v));
	print_text("\n");
	print_jaddr("locator_local", "    shim6d path %s", json_object_get(d, "locator_local"));
	print_jaddr("locator_peer", " %s\n", json_object_get(d, "locator_peer"));

	/* the peer's Locator List as verified (RFC 5533 §7.2), with preferences */
	set = json_object_get(d, "peer_locator_set");
	print_open_array("peer_locator_set");
	print_text("    peer locator set:");
	json_array_foreach(set, i, v) {
		print_open_object(NULL);
		print_jaddr("address", i ? ", %s" : " %s", json_object_get(v, "address"));
		print_bool(PRINT_ANY, "verified", NULL, json_is_true(json_object_get(v, "verified")));
		print_text(" (%s", json_is_true(json_object_get(v, "verified")) ? "verified" :
			   "NOT verified");
		print_string(PRINT_ANY, "method", " %s",
			     json_string_value(json_object_get(v, "method")) ?: "none");
		print_uint(PRINT_ANY, "priority", ", priority %llu",
			   (uint64_t)json_integer_value(json_object_get(v, "priority")));
		print_hex(PRINT_ANY, "flags", ", flags %s)",
			  (uint64_t)json_integer_value(json_object_get(v, "flags")));
		print_close_object();
	}
	if (!json_array_size(set))
		print_text(" (none: the ULID only)");
	print_text("\n");
	print_close_array();

	set = json_object_get(d, "local_locators");
	print_open_array("local_locator_set");
	print_text("    announced locator set:");
	json_array_foreach(set, i, v)
		print_jaddr(NULL, i ? ", %s" : " %s", v);
	if (!json_array_size(set))
		print_text(" (none: the ULID only)");
	print_text("\n");
	print_close_array();

	json_object_foreach(d, k, v)
		if (!known(k))
			print_generic(k, v, 4);
	print_close_object();
}

void daemon_view_print_ctx(uint64_t tag)
{
	json_t *d = view ? view_find(tag) : NULL;

	if (d)
		print_ctx(d);
}

int daemon_view_print_rest(uint64_t tag)
{
	json_t *o;
	size_t i;
	int count = 0;

	json_array_foreach(view, i, o) {
		uint64_t t = jtag_value(o, "local_tag");

		if (json_is_true(json_object_get(o, "_shown")) || (tag && t != tag))
			continue;
		print_open_object(NULL);
		print_hex(PRINT_ANY, "local_tag", "tag %s", t);
		print_hex(PRINT_ANY, "peer_tag", " peer-tag %s", jtag_value(o, "peer_tag"));
		print_jaddr("ulid_local", " ulid-local %s", json_object_get(o, "ulid_local"));
		print_jaddr("ulid_peer", " ulid-peer %s\n", json_object_get(o, "ulid_peer"));
		print_ctx(o);
		print_close_object();
		count++;
	}
	return count;
}

void daemon_stats_print(void)
{
	json_t *req = json_pack("{s:s}", "cmd", "stats"), *rep = NULL;
	char err[256];
	const char *k;
	json_t *v;
	int ret;

	ret = talk(req, &rep, err, sizeof(err));
	json_decref(req);
	if (ret || !json_is_true(json_object_get(rep, "ok"))) {
		if (ret != VIA_DAEMON_ABSENT)
			fprintf(stderr, "shim6ctl: (shim6d's counters not shown: %s)\n",
				ret ? err : "stats failed");
		json_decref(rep);
		return;
	}
	json_object_del(rep, "ok");
	print_open_object("daemon");
	print_text("shim6d (protocol counters):\n");
	json_object_foreach(rep, k, v) {
		const char *k2;
		json_t *x;

		if (json_is_integer(v)) {
			if (!json_integer_value(v) && !cli.details) {
				print_int(PRINT_JSON, k, NULL, 0);
				continue;
			}
			print_int(PRINT_ANY, k, "  %12" PRId64, json_integer_value(v));
			print_text("  %s\n", k);
			continue;
		}
		if (!json_is_object(v)) {
			print_generic(k, v, 2);
			print_text("\n");
			continue;
		}
		/* tx_by_type / rx_by_type: the non-zero ones in text (all with -d) */
		print_open_object(k);
		print_text("  %s:", k);
		json_object_foreach(v, k2, x) {
			if (!json_integer_value(x) && !cli.details) {
				print_int(PRINT_JSON, k2, NULL, 0);
				continue;
			}
			print_text(" %s", k2);
			print_int(PRINT_ANY, k2, " %" PRId64, json_integer_value(x));
		}
		print_close_object();
		print_text("\n");
	}
	print_close_object();
	json_decref(rep);
}

void daemon_status_print(void)
{
	json_t *req = json_pack("{s:s}", "cmd", "status"), *rep = NULL, *v;
	char err[256];
	const char *k;
	int ret;

	ret = talk(req, &rep, err, sizeof(err));
	json_decref(req);
	print_open_object("daemon");
	if (ret || !json_is_true(json_object_get(rep, "ok"))) {
		print_bool(PRINT_JSON, "running", NULL, false);
		print_string(PRINT_ANY, "socket", "shim6d: not running for this pin root (%s)\n",
			     shim6d_socket_path());
		if (ret && ret != VIA_DAEMON_ABSENT)
			print_string(PRINT_ANY, "error", "  %s\n", err);
		print_close_object();
		json_decref(rep);
		return;
	}
	json_object_del(rep, "ok");
	print_bool(PRINT_JSON, "running", NULL, true);
	print_string(PRINT_ANY, "socket", "shim6d: running (%s)\n", shim6d_socket_path());
	json_object_foreach(rep, k, v) {
		if (json_is_array(v) || json_is_object(v)) {
			print_generic(k, v, 2);
			continue;
		}
		print_generic(k, v, 2);
		print_text("\n");
	}
	print_close_object();
	json_decref(rep);
}
