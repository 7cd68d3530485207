/* SPDX-License-Identifier: GPL-2.0 */
/*
 * REAP columns of `shim6ctl context show`: what shim6d knows of each
 * context's failure detection (the maps do not hold it), fetched once per
 * command over the control socket.  Without a daemon there is nothing to
 * add and context show prints what the maps say.
 */
#ifndef SHIM6CTL_REAP_COLS_H
#define SHIM6CTL_REAP_COLS_H

#include <stdint.h>

#include <jansson.h>

/* shim6d's "context-show" contexts array, or NULL (no daemon, or an error). */
json_t *reap_cols_load(void);
/* The "reap" object of context `tag` as text columns / a "reap" JSON object. */
void reap_cols_print(json_t *contexts, uint64_t tag);
/*
 * The same from one daemon context object's "reap" member (for any code
 * that already holds shim6d's context-show reply); nothing if not an object.
 */
void reap_cols_print_reap(json_t *reap);

#endif
