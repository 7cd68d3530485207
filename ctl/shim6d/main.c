// SPDX-License-Identifier: GPL-2.0
/*
 * shim6d [--config FILE] [--foreground] [--socket PATH] [--bpffs DIR]
 *        [--log-level LEVEL] [--check-config]
 *
 * The Shim6 control-plane daemon (RFC 5533): context establishment over a
 * raw socket, contexts written to the data plane's pinned maps, a control
 * socket for shim6ctl.  Runs in the foreground (systemd Type=simple); without
 * --foreground it still does, as daemonising is the service manager's job,
 * but logs say so.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/config.h"
#include "ctl/shim6d/daemon.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/privs.h"

#define DEFAULT_CONFIG "/etc/shim6/shim6d.conf"

static void usage(FILE *f)
{
	fprintf(f, "Usage: shim6d [--config FILE] [--foreground] [--socket PATH] [--bpffs DIR]\n"
		   "              [--log-level LEVEL] [--check-config]\n"
		   "  --config FILE     configuration (default %s; absent: defaults)\n"
		   "  --foreground      accepted for service files: shim6d never daemonises\n"
		   "  --socket PATH     control socket (overrides the config)\n"
		   "  --bpffs DIR       pin root of the data-plane maps (overrides the config)\n"
		   "  --log-level L     error, warning, notice, info, debug\n"
		   "  --check-config    parse the configuration and exit\n", DEFAULT_CONFIG);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "socket", required_argument, NULL, 's' },
		{ "bpffs", required_argument, NULL, 'B' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NULL, *sock = NULL, *bpffs = NULL, *level = NULL;
	bool check = false;
	struct config cfg;
	struct daemon dm;
	char err[512];
	int opt, ret, lvl;

	while ((opt = getopt_long(argc, argv, "c:fs:B:l:CVh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': conf = optarg; break;
		case 'f': break; /* always in the foreground */
		case 's': sock = optarg; break;
		case 'B': bpffs = optarg; break;
		case 'l': level = optarg; break;
		case 'C': check = true; break;
		case 'V': printf("shim6d %s\n", SHIM6_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	config_defaults(&cfg);
	ret = config_parse_file(&cfg, conf ? conf : DEFAULT_CONFIG, err, sizeof(err));
	if (ret == -ENOENT && !conf) {
		/* no file at the default path: run on defaults */
	} else if (ret) {
		fprintf(stderr, "shim6d: %s\n", err);
		return 1;
	}
	if (check)
		return 0;
	if (sock && snprintf(cfg.control_socket, sizeof(cfg.control_socket), "%s", sock) >=
		    (int)sizeof(cfg.control_socket)) {
		fprintf(stderr, "shim6d: --socket path too long\n");
		return 1;
	}
	if (bpffs && snprintf(cfg.bpffs, sizeof(cfg.bpffs), "%s", bpffs) >= (int)sizeof(cfg.bpffs)) {
		fprintf(stderr, "shim6d: --bpffs path too long\n");
		return 1;
	}
	if (level) {
		lvl = log_level_from_name(level);
		if (lvl < LOG_ERR) {
			fprintf(stderr, "shim6d: unknown log level \"%s\"\n", level);
			return 1;
		}
		cfg.log_level = lvl;
	}
	log_set_level(cfg.log_level);

	ret = daemon_init(&dm, &cfg);
	if (ret) {
		log_err("cannot start: %s", strerror(-ret));
		daemon_fini(&dm);
		return 1;
	}
	/* sockets and maps are open: keep only what the running daemon needs */
	ret = privs_drop();
	if (ret)
		log_warn("cannot drop capabilities: %s (running with all of them)", strerror(-ret));
	log_notice("shim6d %s running: control socket %s, %s mode", SHIM6_VERSION,
		   cfg.control_socket, cfg.server_mode ? "server" : "client/peer");
	ret = daemon_run(&dm);
	daemon_fini(&dm);
	return ret ? 1 : 0;
}
