#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The long fuzz run of `make reliability`: each libFuzzer target runs
# FUZZ_RUNS executions (default 10 million) on a copy of its corpus, under
# the ASan+UBSan build.  One result line per target goes to
# .output/reliability/fuzz.tsv: name, executions done, seconds, result.
# FUZZ_WORKERS=N splits a target's executions over N processes (different
# seeds, one work directory each) and adds their counts up; FUZZ_MAX_LEN
# caps the input size (libFuzzer -max_len; default: from the corpus).
#   scripts/fuzz_long.sh BIN...
set -uo pipefail
runs=${FUZZ_RUNS:-10000000}
out=.output/reliability
mkdir -p "$out" .output/fuzz/artifacts
rc=0
for bin in "$@"; do
	n=$(basename "$bin"); n=${n#fuzz_}
	corpus=selftests/fuzz/corpus/$n
	work=.output/fuzz/long/$n
	mkdir -p "$work"
	log=$out/fuzz_$n.log
	echo "== fuzz $n: $runs executions (log $log)"
	t0=$(date +%s)
	w=${FUZZ_WORKERS:-1} frc=0 pids=()
	for ((k = 0; k < w; k++)); do
		mkdir -p "$work/$k"
		"$bin" -runs=$((runs / w)) -seed=$((k + 1)) ${FUZZ_MAX_LEN:+-max_len=$FUZZ_MAX_LEN} \
			-print_final_stats=1 -rss_limit_mb=2048 \
			-artifact_prefix=.output/fuzz/artifacts/ "$work/$k" "$corpus" >"$log.$k" 2>&1 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || frc=1; done
	cat "$log".* >"$log"
	rm -f "$log".*
	t1=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | awk '{ n += $1 } END { print n + 0 }')
	if [ "$frc" -eq 0 ]; then res=PASS; else res=FAIL; rc=1; fi
	sed -i "/^$n	/d" "$out/fuzz.tsv" 2>/dev/null
	printf '%s\t%s\t%s\t%s\t%s\n' "$n" "${execs:-0}" "$((t1 - t0))" "$res" \
		"$w process(es)${FUZZ_MAX_LEN:+, max_len $FUZZ_MAX_LEN}" >>"$out/fuzz.tsv"
	echo "fuzz $n: ${execs:-0} executions in $((t1 - t0)) s: $res"
done
exit $rc
