#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the benchmarks: every bench/*.sh in name order, or those whose name
# contains one of the words given (make bench BENCH="crypto dataplane").
# Benchmarks are not tests: they print figures (ratios measured side by side
# in one run), they do not pass or fail on speed.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
for b in bench/*.sh; do
	name=$(basename "$b" .sh)
	if [ $# -gt 0 ]; then
		keep=0
		for w in "$@"; do [[ $name == *"$w"* ]] && keep=1; done
		[ $keep -eq 1 ] || continue
	fi
	echo "===== bench $name"
	bash "$b" || { echo "bench $name: exited $?"; rc=1; }
done
exit $rc
