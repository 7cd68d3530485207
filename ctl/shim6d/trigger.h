/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trigger heuristic's decision: the data plane raises an event when a
 * ULID pair crossed the byte or time threshold (it counts, shim6_cfg holds
 * the thresholds); shim6d decides whether to start a context.
 */
#ifndef SHIM6D_TRIGGER_H
#define SHIM6D_TRIGGER_H

#include <stdbool.h>
#include <stdint.h>

struct shim6d;

/* Interface identifier with ff:fe in its middle (bytes 11-12): an EUI-64 address. */
bool trigger_is_eui64(const uint8_t addr[16]);

/*
 * Start a context for the pair if policy allows: not in server mode, not an
 * EUI-64 peer when skip-eui64 is set, under max-contexts, no context or
 * hold-down already.  Returns 0 if an I1 went out, else the reason (-EPERM
 * server mode, -EADDRNOTAVAIL EUI-64 hint, or proto_start's error).
 */
int trigger_event(struct shim6d *d, const uint8_t ulid_local[16], const uint8_t ulid_peer[16]);

#endif
