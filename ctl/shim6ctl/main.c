// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl [OPTIONS] OBJECT { COMMAND | help }
 *
 * The object table is filled by the object files themselves (SHIM6CTL_OBJECT);
 * this file parses the global options and dispatches.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6ctl/cli.h"

#define MAX_OBJECTS 32

struct cli_opts cli;
static const struct cli_object *objects[MAX_OBJECTS];
static int nobjects;

void cli_register(const struct cli_object *obj)
{
	if (nobjects < MAX_OBJECTS)
		objects[nobjects++] = obj;
}

static int cmp_objects(const void *a, const void *b)
{
	return strcmp((*(const struct cli_object *const *)a)->name,
		      (*(const struct cli_object *const *)b)->name);
}

static int usage(FILE *f, int status)
{
	int i;

	fprintf(f, "Usage: shim6ctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		   "where  OBJECT := {");
	for (i = 0; i < nobjects; i++)
		fprintf(f, "%s %s", i ? " |" : "", objects[i]->name);
	fprintf(f, " }\n"
		   "       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -d[etails] |\n"
		   "                    -V[ersion] | --bpffs DIR }\n\n");
	for (i = 0; i < nobjects; i++)
		fprintf(f, "  %-10s %s\n", objects[i]->name, objects[i]->summary);
	fprintf(f, "\nThe pin root is --bpffs DIR, else $SHIM6_BPFFS, else %s.\n"
		   "`shim6ctl OBJECT help` describes each object's commands.\n",
		SHIM6_BPFFS_DEFAULT);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "statistics", no_argument, NULL, 's' },
		{ "details", no_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "bpffs", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *obj;
	int opt, i, ret;

	qsort(objects, nobjects, sizeof(objects[0]), cmp_objects);
	cli.bpffs = getenv("SHIM6_BPFFS");
	if (!cli.bpffs || !*cli.bpffs)
		cli.bpffs = SHIM6_BPFFS_DEFAULT;

	/* "+": stop at the first non-option, the OBJECT. */
	while ((opt = getopt_long(argc, argv, "+jpsdVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': cli.json = true; break;
		case 'p': cli.pretty = true; break;
		case 's': cli.stats = true; break;
		case 'd': cli.details = true; break;
		case 'B': cli.bpffs = optarg; break;
		case 'V': printf("shim6ctl %s\n", SHIM6_VERSION); return 0;
		case 'h': return usage(stdout, 0);
		default: return usage(stderr, 1);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage(stderr, 1);
	obj = argv[0];
	if (is_help(obj))
		return usage(stdout, 0);

	print_init(cli.json, cli.pretty);
	for (i = 0; i < nobjects; i++) {
		if (matches(obj, objects[i]->name)) {
			ret = objects[i]->fn(argc - 1, argv + 1);
			if (print_finish() < 0 && ret == 0)
				ret = 1;
			return ret;
		}
	}
	fprintf(stderr, "Object \"%s\" is unknown, try \"shim6ctl help\".\n", obj);
	return 1;
}
