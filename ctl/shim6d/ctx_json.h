/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHIM6D_CTX_JSON_H
#define SHIM6D_CTX_JSON_H

#include <stdint.h>

#include <jansson.h>

#include "ctl/shim6d/ctx.h"

/* An IPv6 address as a JSON string ("2001:db8::1"). */
json_t *json_addr(const uint8_t a[16]);

/* A context tag as a JSON string ("0x1a2b"): 47 bits do not fit a double. */
json_t *json_tag(uint64_t tag);

/*
 * What names context c, into object o: local_tag, peer_tag, ulid_local,
 * ulid_peer, locator_local, locator_peer, fii, initiator.  The state file
 * and `daemon context show` both start with it (and state_load reads these
 * keys back).
 */
void ctx_json_identity(const struct shim6_ctx *c, json_t *o);

#endif
