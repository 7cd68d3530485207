#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run each libFuzzer target for FUZZ_SECONDS on its corpus in
# selftests/fuzz/corpus/<target>/.  New interesting inputs go to
# .output/fuzz/new/<target>/, not into the repository: promote the few worth
# keeping by hand (libFuzzer's -merge=1 picks a minimal set).
#
# Each target's full output is kept in .output/fuzz/<target>.log.  A finding
# (crash, sanitizer report, leak, out-of-memory, timeout) is reported again at
# the very end with the sanitizer's report and the input in hex, because CI
# keeps only the last lines of what a run prints.
set -uo pipefail
secs=${FUZZ_SECONDS:-60}
failed=()
mkdir -p .output/fuzz/artifacts
for bin in "$@"; do
	n=$(basename "$bin"); n=${n#fuzz_}
	corpus=selftests/fuzz/corpus/$n
	new=.output/fuzz/new/$n
	log=.output/fuzz/$n.log
	mkdir -p "$corpus" "$new"
	echo "== fuzz $n for ${secs}s (corpus $corpus)"
	"$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix=".output/fuzz/artifacts/$n-" "$new" "$corpus" >"$log" 2>&1
	rc=$?
	grep -E '^(Done|stat::(number_of_executed_units|new_units_added|peak_rss_mb))' "$log"
	if [ $rc -ne 0 ]; then
		echo "fuzz $n: FINDING (exit $rc)"; failed+=("$n")
	fi
done
[ ${#failed[@]} -eq 0 ] && { echo "fuzz: no findings in ${#@} targets"; exit 0; }

for n in "${failed[@]}"; do
	log=.output/fuzz/$n.log
	echo "======== fuzz $n: finding ($(grep -m1 -o 'Seed: [0-9]*' "$log")); full log $log"
	# The sanitizer's or libFuzzer's own report, from its first line on.
	sed -n '/^==[0-9]*==\(ERROR\|WARNING\)\|runtime error:\|^==[0-9]*== ERROR: libFuzzer\|^ERROR: libFuzzer/,$p' "$log" |
		grep -v '^ *#[0-9]* 0x[0-9a-f]* in \(__libc\|_start\|fuzzer::\|main \)' | head -n 40
	for a in $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log"); do
		[ -f "$a" ] || continue
		echo "---- input $a ($(stat -c %s "$a") bytes), replay: .output/fuzz/fuzz_$n $a"
		od -A x -t x1z -v "$a" | head -n 16
	done
done
echo "fuzz: FINDINGS in ${failed[*]}"
exit 1
