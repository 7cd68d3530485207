// SPDX-License-Identifier: GPL-2.0
/* shim6ctl stats [ show | reset ]: per-reason counters, per-context traffic. */
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ctl/common/reasons.h"
#include "loader/dp_stats.h"
#include "ctl/shim6ctl/dp_maps.h"
#include "loader/path.h"
#include "ctl/shim6ctl/via_daemon.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl stats [ show | reset ]\n"
		   "show: the data plane's verdict and drop counters (summed over CPUs), each\n"
		   "with its stable code and name, then the traffic of each context.  Codes\n"
		   "below 64 are packets that went on, from 64 drops.  Zero counters are\n"
		   "shown with -d only.\n"
		   "While shim6d runs ($SHIM6D_SOCKET, this pin root), show adds its protocol\n"
		   "counters.\n"
		   "reset: zero all of them (through shim6d when it runs: its counters too).\n");
	return status;
}

static int stats_show(const struct shim6_maps *m)
{
	int ncpu = libbpf_num_possible_cpus();
	struct shim6_counter *vals;
	uint64_t key, next;
	void *prev = NULL;
	uint32_t code;
	int c;

	if (ncpu <= 0)
		return cli_error("cannot count the CPUs: %s", strerror(-ncpu));
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return cli_error("out of memory");
	print_open_object(NULL);
	print_open_array("reasons");
	print_text("%5s %-22s %12s %14s\n", "code", "reason", "packets", "bytes");
	for (code = 0; code < SHIM6_REASON_MAX; code++) {
		uint64_t pk = 0, by = 0;
		const char *name = shim6_reason_name(code);

		if (bpf_map_lookup_elem(m->stats, &code, vals))
			continue;
		for (c = 0; c < ncpu; c++) {
			pk += vals[c].packets;
			by += vals[c].bytes;
		}
		if (!name && !pk)
			continue;
		if (!pk && !cli.details && !print_is_json())
			continue;
		print_open_object(NULL);
		print_uint(PRINT_ANY, "code", "%5llu", code);
		print_string(PRINT_ANY, "reason", " %-22s", name ?: "unnamed");
		print_uint(PRINT_ANY, "packets", " %12llu", pk);
		print_uint(PRINT_ANY, "bytes", " %14llu\n", by);
		print_close_object();
	}
	print_close_array();
	free(vals);

	print_open_array("contexts");
	print_text("contexts:\n");
	while (bpf_map_get_next_key(m->tag, prev, &next) == 0) {
		struct shim6_ulid_key ulids;
		struct shim6_egress_ctx eg;
		struct shim6_ingress_ctx in;

		key = next;
		prev = &key;
		if (shim6_ctx_get(m, key, &ulids, &eg, &in))
			continue;
		print_open_object(NULL);
		print_hex(PRINT_ANY, "local_tag", "  tag %s", key);
		print_uint(PRINT_ANY, "tx_packets", " tx %llu packets", eg.tx_packets);
		print_uint(PRINT_ANY, "tx_bytes", " %llu bytes", eg.tx_bytes);
		print_uint(PRINT_ANY, "rx_packets", " rx %llu packets", in.rx_packets);
		print_uint(PRINT_ANY, "rx_bytes", " %llu bytes\n", in.rx_bytes);
		print_close_object();
	}
	print_close_array();
	daemon_stats_print();	/* shim6d's protocol counters, if it runs */
	print_close_object();
	return 0;
}

static int stats_reset(const struct shim6_maps *m)
{
	unsigned int code = 0;
	int err = dp_stats_reset(m, cli.bpffs, &code);

	if (err)
		return cli_error("cannot reset counter %u: %s", code, strerror(-err));
	return 0;
}

static int do_stats(int argc, char **argv)
{
	struct shim6_maps m;
	int ret;

	if (argc > 1)
		return cli_error("too many arguments, try \"shim6ctl stats help\"");
	if (argc == 1 && is_help(argv[0]))
		return usage(stdout, 0);
	if (argc == 1 && !matches(argv[0], "show") && !matches(argv[0], "reset"))
		return cli_error("unknown stats command \"%s\", try \"shim6ctl stats help\"",
				 argv[0]);
	if (argc == 1 && matches(argv[0], "reset")) {
		/* shim6d runs: it zeroes the maps' counters and its own */
		ret = via_daemon(json_pack("{s:s}", "cmd", "stats-reset"), NULL);
		if (ret != VIA_DAEMON_ABSENT)
			return ret;
	}
	if (dp_open(&m))
		return 1;
	if (argc == 1 && matches(argv[0], "reset"))
		ret = stats_reset(&m);
	else
		ret = stats_show(&m);
	shim6_maps_close(&m);
	return ret;
}

SHIM6CTL_OBJECT("stats", do_stats, "verdict and drop counters, per-context traffic")
