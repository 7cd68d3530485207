// SPDX-License-Identifier: GPL-2.0
/* shim6ctl path set tag TAG local ADDR peer ADDR */
#include "ctl/shim6ctl/dp_maps.h"
#include "ctl/shim6ctl/path_multi.h"
#include "ctl/shim6ctl/via_daemon.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl path set tag TAG local ADDR peer ADDR\n");
	path_multi_usage(f);
	fprintf(f, "set makes (ADDR, ADDR) the context's current locator pair (the default\n"
		   "path, index 0); both must be locators of the context (the ULIDs are).\n"
		   "Takes effect on the next packet.  While shim6d runs ($SHIM6D_SOCKET, this\n"
		   "pin root) set goes through it: the peer locator must be one it verified,\n"
		   "and it keeps the pair.\n");
	return status;
}

static int do_path(int argc, char **argv)
{
	bool have_tag = false, have_l = false, have_p = false;
	struct shim6_ulid_key ulids;
	uint8_t l[16], p[16];
	union shim6_addr ll, lp;
	struct shim6_maps m;
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN];
	uint64_t tag = 0;
	int lock, err, ifindex;

	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1);
	if (!matches(argv[0], "set")) {
		int r = path_multi(argc, argv);

		if (r >= 0)
			return r;
	}
	if (!matches(argv[0], "set"))
		return cli_error("unknown path command \"%s\", try \"shim6ctl path help\"", argv[0]);
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (matches(argv[0], "tag")) {
			NEXT_ARG("tag");
			if (parse_tag("tag", argv[0], &tag))
				return 1;
			have_tag = true;
		} else if (matches(argv[0], "local")) {
			NEXT_ARG("local");
			if (parse_in6("local", argv[0], l))
				return 1;
			have_l = true;
		} else if (matches(argv[0], "peer")) {
			NEXT_ARG("peer");
			if (parse_in6("peer", argv[0], p))
				return 1;
			have_p = true;
		} else if (is_help(argv[0])) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\", try \"shim6ctl path help\"",
					 argv[0]);
		}
	}
	if (!have_tag || !have_l || !have_p)
		return cli_error("path set needs tag, local and peer");
	ll = addr_of(l);
	lp = addr_of(p);
	/* shim6d runs: it checks the pair against the verified locators and keeps it */
	err = via_daemon(json_pack("{s:s, s:o, s:s, s:s}", "cmd", "path-set", "tag",
				   via_daemon_tag(tag), "local", addr_str(&ll, b1), "peer",
				   addr_str(&lp, b2)), NULL);
	if (err != VIA_DAEMON_ABSENT)
		return err;
	ifindex = shim6_route_oif(l, p);
	if (ifindex < 0)
		return cli_error("no route from %s to %s: %s", addr_str(&ll, b1), addr_str(&lp, b2),
				 strerror(-ifindex));
	if (dp_open(&m))
		return 1;
	lock = shim6_lock(cli.bpffs);
	if (lock < 0) {
		shim6_maps_close(&m);
		return 1;
	}
	err = shim6_ctx_set_path(&m, tag, &ll, &lp, (uint32_t)ifindex, &ulids);
	if (err == -ENOENT)
		cli_error("no context with tag 0x%llx", (unsigned long long)tag);
	else if (err == -EINVAL)
		cli_error("local %s / peer %s: not a local and a peer locator of context 0x%llx",
			  addr_str(&ll, b1), addr_str(&lp, b2), (unsigned long long)tag);
	else if (err)
		cli_error("cannot set the path of 0x%llx: %s", (unsigned long long)tag,
			  strerror(-err));
	else
		shim6_peer_route_add(ulids.local.b, ulids.peer.b, ifindex); /* new MTU */
	shim6_unlock(lock);
	shim6_maps_close(&m);
	return err ? 1 : 0;
}

SHIM6CTL_OBJECT("path", do_path, "a context's current locator pair and its multipath table")
