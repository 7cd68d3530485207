#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shim6d control-plane benchmarks (figures, not tests): see bench/bench_shim6d.c.
# In process, one core, real messages through memory (no socket syscalls).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${OUTPUT:-.output}/bench/bench_shim6d
[ -x "$bin" ] || { echo "shim6d: $bin not built (make bench builds it)"; exit 1; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), pinned to CPU 0;" \
	"load average before: $(cut -d" " -f1-3 /proc/loadavg)"
taskset -c 0 "$bin" all
