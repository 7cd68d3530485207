#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run each libFuzzer target for FUZZ_SECONDS on its corpus in
# selftests/fuzz/corpus/<target>/.  New interesting inputs go to
# .output/fuzz/new/<target>/, not into the repository: promote the few worth
# keeping by hand (libFuzzer's -merge=1 picks a minimal set).
set -euo pipefail
secs=${FUZZ_SECONDS:-60}
rc=0
for bin in "$@"; do
	n=$(basename "$bin"); n=${n#fuzz_}
	corpus=selftests/fuzz/corpus/$n
	new=.output/fuzz/new/$n
	mkdir -p "$corpus" "$new" .output/fuzz/artifacts
	echo "== fuzz $n for ${secs}s (corpus $corpus)"
	if ! "$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix=.output/fuzz/artifacts/ "$new" "$corpus" 2>&1 | tail -n 12; then
		echo "fuzz $n: FOUND A CRASH (see .output/fuzz/artifacts/)"; rc=1
	fi
done
exit $rc
