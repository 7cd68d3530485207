// SPDX-License-Identifier: GPL-2.0
/* Zeroing the data plane's counters; see dp_stats.h. */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/dp_stats.h"
#include "loader/loader.h"
#include "loader/path.h"

int dp_stats_reset(const struct shim6_maps *m, const char *root, unsigned int *failed_code)
{
	int ncpu = libbpf_num_possible_cpus();
	struct shim6_counter *zero;
	uint64_t key, next;
	void *prev = NULL;
	uint32_t code;
	int lock = -1, err = 0;

	zero = calloc(ncpu > 0 ? (size_t)ncpu : 1, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	if (root)
		lock = shim6_lock(root);
	for (code = 0; code < SHIM6_REASON_MAX; code++) {
		if (bpf_map_update_elem(m->stats, &code, zero, BPF_ANY)) {
			err = -errno;
			if (failed_code)
				*failed_code = code;
			break;
		}
	}
	/* per-context counters: read-modify-write; a packet counted in between
	 * is lost from the count, which a reset may do */
	while (!err && bpf_map_get_next_key(m->tag, prev, &next) == 0) {
		struct shim6_ulid_key ulids;
		struct shim6_egress_ctx eg;
		struct shim6_ingress_ctx in;

		key = next;
		prev = &key;
		if (shim6_ctx_get(m, key, &ulids, &eg, &in))
			continue;
		eg.tx_packets = eg.tx_bytes = 0;
		in.rx_packets = in.rx_bytes = 0;
		bpf_map_update_elem(m->ulid, &ulids, &eg, BPF_EXIST);
		bpf_map_update_elem(m->tag, &key, &in, BPF_EXIST);
		if ((eg.flags & SHIM6_CTX_F_PATHS) || (in.flags & SHIM6_ICTX_F_PATHS))
			shim6_path_reset_counters(m, key);	/* multipath */
	}
	if (lock >= 0)
		shim6_unlock(lock);
	free(zero);
	return err;
}
