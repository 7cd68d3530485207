/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persisted state of the ESTABLISHED contexts (JSON, written atomically:
 * temporary file + rename), so that a restarted shim6d knows what the maps
 * cannot hold: the peer's verified Locator List with its methods,
 * preferences and generation, the peer's CGA Parameter Data Structure, our
 * announced locators.  The daemon saves it at most once a second when
 * something changed, and on exit; after kill -9 it is at most a second old.
 *
 * On start the maps are the authority on which contexts exist (the data
 * plane kept running): state_load() completes the contexts resumed from
 * them.  Without maps, the state file alone re-creates the contexts.
 */
#ifndef SHIM6D_STATE_H
#define SHIM6D_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct ctx_table;

int state_save(const struct ctx_table *t, const char *path);
/*
 * Complete the contexts of t from the file; with `create`, also create the
 * ESTABLISHED contexts it lists that t does not have.  Returns the number of
 * contexts completed or created, 0 if there is no file, -errno on a bad file.
 */
int state_load(struct ctx_table *t, const char *path, bool create, uint64_t now_ms);

#endif
