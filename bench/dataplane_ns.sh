#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ns/packet of the eBPF data plane (BPF_PROG_TEST_RUN), and the
# 1M-contexts / 1-context ratio; see bench/bench_dataplane.c.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${OUTPUT:-.output}/bench/bench_dataplane
if [ ! -x "$bin" ]; then
	echo "dataplane_ns: $bin not built (make bench)"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "dataplane_ns: skipped (needs root)"
	exit 0
fi
exec "$bin"
