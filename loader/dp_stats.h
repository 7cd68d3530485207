/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zeroing the data plane's counters (shim6_stats per reason, per-context
 * traffic in shim6_ulid / shim6_tag), shared by `shim6ctl stats reset`
 * (no daemon running) and shim6d's "stats-reset" control command, so the
 * map layout is walked in one place.
 */
#ifndef SHIM6_DP_STATS_H
#define SHIM6_DP_STATS_H

struct shim6_maps;

/*
 * Zero every reason counter and every context's tx/rx counters, under the
 * pin root's lock (root may be NULL: no lock).  0 or -errno; *failed_code
 * is the reason counter that could not be written (when -errno).
 */
int dp_stats_reset(const struct shim6_maps *m, const char *root, unsigned int *failed_code);

#endif
