// SPDX-License-Identifier: GPL-2.0
/* A context's identity as JSON; see ctx_json.h. */
#include "ctl/shim6d/ctx_json.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>

json_t *json_addr(const uint8_t a[16])
{
	char b[INET6_ADDRSTRLEN];

	return json_string(inet_ntop(AF_INET6, a, b, sizeof(b)));
}

json_t *json_tag(uint64_t tag)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%" PRIx64, tag);
	return json_string(b);
}

void ctx_json_identity(const struct shim6_ctx *c, json_t *o)
{
	json_object_set_new(o, "local_tag", json_tag(c->ct_local));
	json_object_set_new(o, "peer_tag", json_tag(c->ct_peer));
	json_object_set_new(o, "ulid_local", json_addr(c->ulid_local));
	json_object_set_new(o, "ulid_peer", json_addr(c->ulid_peer));
	json_object_set_new(o, "locator_local", json_addr(c->lp_local));
	json_object_set_new(o, "locator_peer", json_addr(c->lp_peer));
	json_object_set_new(o, "fii", json_integer(c->fii));
	json_object_set_new(o, "initiator", json_boolean(c->initiator));
}
