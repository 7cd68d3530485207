// SPDX-License-Identifier: GPL-2.0
/* REAP columns of `shim6ctl context show`; see reap_cols.h. */
#include <stdlib.h>

#include "ctl/common/daemon_client.h"
#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/reap_cols.h"

json_t *reap_cols_load(void)
{
	json_t *req = json_pack("{s:s}", "cmd", "context-show"), *rep = NULL, *arr;
	char err[256];

	if (shim6d_request(shim6d_socket_path(), req, &rep, err, sizeof(err))) {
		json_decref(req);
		return NULL;	/* no daemon: the maps are all there is */
	}
	json_decref(req);
	arr = json_object_get(rep, "contexts");
	if (!json_is_true(json_object_get(rep, "ok")) || !json_is_array(arr)) {
		json_decref(rep);
		return NULL;
	}
	json_incref(arr);
	json_decref(rep);
	return arr;
}

static json_t *find_reap(json_t *contexts, uint64_t tag)
{
	json_t *c;
	size_t i;

	json_array_foreach(contexts, i, c) {
		const char *s = json_string_value(json_object_get(c, "local_tag"));

		if (s && strtoull(s, NULL, 16) == tag)
			return json_object_get(c, "reap");
	}
	return NULL;
}

static uint64_t num(json_t *r, const char *key)
{
	return (uint64_t)json_integer_value(json_object_get(r, key));
}

/* A number, or null (text "-") when the daemon has none (never happened). */
static void opt_ms(json_t *r, const char *key, const char *label)
{
	json_t *v = json_object_get(r, key);

	print_text(" %s ", label);
	if (json_is_integer(v))
		print_uint(PRINT_ANY, key, "%llu ms", (uint64_t)json_integer_value(v));
	else
		print_null(PRINT_ANY, key, "-");
}

void reap_cols_print(json_t *contexts, uint64_t tag)
{
	reap_cols_print_reap(contexts ? find_reap(contexts, tag) : NULL);
}

void reap_cols_print_reap(json_t *r)
{
	const char *state;

	if (!json_is_object(r))
		return;
	state = json_string_value(json_object_get(r, "state"));
	print_open_object("reap");
	print_string(PRINT_ANY, "state", "    reap %s", state ? state : "?");
	print_string(PRINT_ANY, "pair_local", " pair %s",
		     json_string_value(json_object_get(r, "pair_local")));
	print_string(PRINT_ANY, "pair_peer", " %s",
		     json_string_value(json_object_get(r, "pair_peer")));
	print_uint(PRINT_ANY, "send_timeout_ms", " send-timeout %llu ms",
		   num(r, "send_timeout_ms"));
	print_uint(PRINT_ANY, "keepalive_timeout_ms", " keepalive-timeout %llu ms\n",
		   num(r, "keepalive_timeout_ms"));
	print_uint(PRINT_ANY, "probes_sent", "    probes sent %llu", num(r, "probes_sent"));
	print_uint(PRINT_ANY, "probes_received", " received %llu", num(r, "probes_received"));
	print_uint(PRINT_ANY, "keepalives_sent", " keepalives sent %llu",
		   num(r, "keepalives_sent"));
	print_uint(PRINT_ANY, "keepalives_received", " received %llu",
		   num(r, "keepalives_received"));
	print_uint(PRINT_ANY, "explorations", " explorations %llu", num(r, "explorations"));
	print_uint(PRINT_ANY, "tcp_kicked", " tcp-kicked %llu\n", num(r, "tcp_kicked"));
	print_uint(PRINT_ANY, "path_changes", "    path-changes %llu", num(r, "path_changes"));
	opt_ms(r, "last_path_change_ago_ms", "last-change-ago");
	opt_ms(r, "last_recovery_ms", "recovery");
	print_text("\n");
	print_close_object();
}
