/* SPDX-License-Identifier: GPL-2.0 */
/* Multipath commands of `shim6ctl path` and the path table of `context show`. */
#ifndef SHIM6CTL_PATH_MULTI_H
#define SHIM6CTL_PATH_MULTI_H

#include <stdint.h>
#include <stdio.h>

struct shim6_maps;

/* `path add|del|state|show|mark-rule ...` (argv[0] is the command); NULL-safe
 * to call for any other word: returns -1 then (not a multipath command). */
int path_multi(int argc, char **argv);
/* The usage lines of those commands. */
void path_multi_usage(FILE *f);
/* "paths": [...] of one context (text: only for contexts with a path table). */
void path_multi_print(const struct shim6_maps *m, uint64_t local_tag);

#endif
