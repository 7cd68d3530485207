/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim6ctl plumbing shared by the object files (iproute2 style).
 *
 * Each OBJECT lives in its own file with its own usage() and registers
 * itself with SHIM6CTL_OBJECT(name, do_fn, summary); main.c needs no edit
 * when an object is added.  do_fn(argc, argv) receives the arguments after
 * the object name and returns the process exit status (0 or 1).
 */
#ifndef SHIM6CTL_CLI_H
#define SHIM6CTL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ctl/common/parse.h"
#include "ctl/common/print.h"

struct cli_opts {
	bool json, pretty, stats, details;
	const char *bpffs; /* pin root: --bpffs, $SHIM6_BPFFS, or the default */
};
extern struct cli_opts cli;

#define SHIM6_BPFFS_DEFAULT "/sys/fs/bpf/shim6"

typedef int (*object_fn)(int argc, char **argv);

struct cli_object {
	const char *name;
	object_fn fn;
	const char *summary; /* one line for `shim6ctl help` */
};

void cli_register(const struct cli_object *obj);

#define SHIM6CTL_OBJECT(oname, ofn, osummary)                                     \
	static const struct cli_object cli_obj_##ofn = { oname, ofn, osummary };  \
	__attribute__((constructor)) static void cli_reg_##ofn(void)           \
	{                                                                         \
		cli_register(&cli_obj_##ofn);                                     \
	}

/* Full-keyword match (no abbreviations: iproute2 deprecates them). */
static inline bool matches(const char *arg, const char *keyword)
{
	return strcmp(arg, keyword) == 0;
}

static inline bool is_help(const char *arg)
{
	return matches(arg, "help") || matches(arg, "-h") || matches(arg, "--help");
}

/* Advance to a keyword's value or fail: `"KEY" needs a value`. */
#define NEXT_ARG(kw)                                                      \
	do {                                                              \
		argc--, argv++;                                           \
		if (argc <= 0)                                            \
			return cli_error("\"%s\" needs a value", (kw));  \
	} while (0)

#endif
