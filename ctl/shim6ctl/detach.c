// SPDX-License-Identifier: GPL-2.0
/* shim6ctl detach dev DEV */
#include "ctl/shim6ctl/cli.h"
#include "loader/loader.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl detach dev DEV\n"
		   "Removes exactly what `attach` added to DEV (its tc filters or XDP link, the\n"
		   "clsact qdisc if attach created it).  Detaching the last device also removes\n"
		   "the segmentation stage.  The maps (contexts) stay pinned.\n");
	return status;
}

static int do_detach(int argc, char **argv)
{
	const char *ifname = NULL;

	for (; argc > 0; argc--, argv++) {
		if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else if (matches(argv[0], "dev")) {
			NEXT_ARG("dev");
			ifname = argv[0];
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl detach help\"",
					 argv[0]);
		}
	}
	if (!ifname)
		return cli_error("detach needs \"dev DEV\", try \"shim6ctl detach help\"");
	shim6_loader_log_init(cli.details);
	return shim6_detach(cli.bpffs, ifname) ? 1 : 0;
}

SHIM6CTL_OBJECT("detach", do_detach, "remove the data plane from a device")
