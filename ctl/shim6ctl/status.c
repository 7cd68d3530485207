// SPDX-License-Identifier: GPL-2.0
/* shim6ctl status: attached devices, program ids, map fill. */
#include <unistd.h>

#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/via_daemon.h"
#include "loader/loader.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl status\n"
		   "Devices shim6 is attached to (program ids, whether the attachment is still\n"
		   "in place), the segmentation stage and how full the maps are.  Reads the pin\n"
		   "root; needs no daemon.  Then whether shim6d runs for this pin root\n"
		   "($SHIM6D_SOCKET, else /run/shim6/shim6d.sock) and its state.\n");
	return status;
}

static int print_dev(const struct shim6_dev_status *st, void *arg)
{
	print_open_object(NULL);
	print_string(PRINT_ANY, "dev", "dev %s", st->ifname);
	print_int(PRINT_ANY, "ifindex", " ifindex %lld", st->ifindex);
	print_uint(PRINT_ANY, "egress_prog_id", " egress tc prog %llu", st->egress_id);
	print_string(PRINT_ANY, "ingress", " ingress %s",
		     st->ingress == SHIM6_INGRESS_XDP ? "xdp" : "tc");
	print_uint(PRINT_ANY, "ingress_prog_id", " prog %llu", st->ingress_id);
	print_bool(PRINT_ANY, "attached", NULL, st->egress_ok && st->ingress_ok);
	print_text("%s\n", st->egress_ok && st->ingress_ok ? "" : " (NOT attached any more)");
	print_close_object();
	return 0;
}

static void map_fill(const char *key, const char *label, int fd)
{
	long n;

	if (fd < 0)
		return;
	n = shim6_map_count(fd);
	print_open_object(key);
	print_text("  %-9s ", label);
	print_int(PRINT_ANY, "entries", "%lld", n);
	print_uint(PRINT_ANY, "max_entries", "/%llu\n", shim6_map_max_entries(fd));
	print_close_object();
}

static int do_status(int argc, char **argv)
{
	char path[4096];
	struct shim6_maps m;
	int n, seg;

	if (argc > 0)
		return is_help(argv[0]) ? usage(stdout, 0) : usage(stderr, 1);

	print_open_object(NULL);
	print_string(PRINT_ANY, "pin_root", "pin root %s\n", cli.bpffs);
	print_open_array("devices");
	n = shim6_for_each_dev(cli.bpffs, print_dev, NULL);
	print_close_array();
	if (n < 0) {
		print_close_object();
		return cli_error("cannot read %s/dev: %s", cli.bpffs, strerror(-n));
	}
	if (n == 0)
		print_text("not attached to any device\n");
	seg = shim6_seg_ifindex();
	print_open_object("segmentation");
	print_string(PRINT_ANY, "dev", "segmentation stage %s", SHIM6_SEG_DEV);
	print_int(PRINT_ANY, "ifindex", " ifindex %lld", seg);
	print_text("%s\n", seg ? "" : " (absent)");
	print_close_object();

	snprintf(path, sizeof(path), "%s/shim6_ulid", cli.bpffs);
	if (access(path, F_OK) == 0 && shim6_maps_open(cli.bpffs, &m) == 0) {
		print_text("maps:\n");
		print_open_object("maps");
		map_fill("contexts", "contexts", m.ulid);
		map_fill("tags", "tags", m.tag);
		map_fill("locators", "locators", m.loc);
		map_fill("peer_tags", "peer-tags", m.ptag);
		map_fill("flows", "flows", m.flow);
		print_close_object();
		shim6_maps_close(&m);
	} else {
		print_text("no maps pinned\n");
	}
	daemon_status_print();
	print_close_object();
	return 0;
}

SHIM6CTL_OBJECT("status", do_status, "attached devices, program ids, map fill, daemon state")
