#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the test suites and close with one line "N passed, N failed, N skipped"
# summed over all of them; exit 1 if anything failed or a suite crashed.
#
#   selftests/run.sh [SUITE...]     SUITE: unit asan bpf netns fuzzsmoke (default: all)
#   TESTS=GLOB selftests/run.sh     only tests whose name matches GLOB (unit/asan/bpf)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUTPUT:-.output}
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(unit asan bpf netns fuzzsmoke)

tp=0 tf=0 ts=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

# run_suite NAME CMD...: stream the output, then add its closing counts.
run_suite() {
	local name=$1; shift
	echo "== suite $name: $*"
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local last
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1)
	if [ -z "$last" ]; then
		echo "[$name] FAIL (suite exited $rc without a summary line)"
		tf=$((tf + 1))
		return
	fi
	read -r p _ f _ s _ <<<"${last//,/}"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[$name] FAIL (suite exited $rc)"
		tf=$((tf + 1))
	fi
}

skip_suite() {
	echo "[$1] SKIP ($2)"
	ts=$((ts + 1))
}

filter=()
[ -n "${TESTS:-}" ] && filter=(-t "$TESTS")

for s in "${SUITES[@]}"; do
	case $s in
	unit)  run_suite unit "$OUT/unit_tests" -s unit "${filter[@]}" ;;
	asan)  run_suite asan "$OUT/asan/unit_tests" -s asan "${filter[@]}" ;;
	bpf)
		if [ ! -x "$OUT/bpf_tests" ]; then skip_suite bpf "no BPF test runner built"
		elif [ "$(id -u)" -ne 0 ]; then skip_suite bpf "BPF_PROG_TEST_RUN needs root"
		else run_suite bpf "$OUT/bpf_tests" -s bpf "${filter[@]}"; fi ;;
	netns)
		shopt -s nullglob
		for t in selftests/netns/test_*.sh; do
			if [ "$(id -u)" -ne 0 ]; then skip_suite "netns/$(basename "$t" .sh)" "needs root"
			else run_suite "netns/$(basename "$t" .sh)" bash "$t"; fi
		done ;;
	fuzzsmoke)
		# Replay every fuzz corpus once through its target (seconds, not a fuzz run).
		shopt -s nullglob
		for f in "$OUT"/fuzz/fuzz_*; do
			n=$(basename "$f")
			run_suite "fuzz/$n" selftests/fuzz/replay.sh "$f" "selftests/fuzz/corpus/${n#fuzz_}"
		done ;;
	*) echo "run.sh: unknown suite '$s'" >&2; exit 2 ;;
	esac
done

echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
