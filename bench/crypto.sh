#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CGA/HBA/signature benchmarks (figures, not tests): see bench/bench_crypto.c.
#   CRYPTO_RUNS=N   runs for the Sec 1 and HBA generation figures (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${OUTPUT:-.output}/bench/bench_crypto
[ -x "$bin" ] || { echo "crypto: $bin not built (make bench builds it)"; exit 1; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs," \
	"SHA-NI: $(grep -qw sha_ni /proc/cpuinfo && echo yes || echo no); $(openssl version)"
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg) (the figures below share the machine)"
"$bin" all runs "${CRYPTO_RUNS:-100}"
