#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make reliability`: the long runs of issue 8, then docs/RELIABILITY.md
# rewritten from their results.
#   1. every libFuzzer target, FUZZ_RUNS executions each (default 10 million;
#      REL_FUZZ=reuse keeps the results of an earlier run in
#      .output/reliability/fuzz.tsv instead of fuzzing again);
#   2. the BPF packet fuzzer with PKTFUZZ_N packets (default 1,000,000);
#   3. the ASan+UBSan unit suite;
#   4. selftests/netns/test_reliability.sh with LONG=1 (10 s I1 flood at
#      100,000 I1/s, a minute of link flapping, a minute of loss + reordering).
# Every step runs even when an earlier one failed; exit 1 if any failed.
# REL_STEPS="pktfuzz netns" runs only those steps (fuzz pktfuzz asan netns);
# the others keep their last results in the table.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=.output/reliability
mkdir -p "$OUT"
rc=0
steps=" ${REL_STEPS:-fuzz pktfuzz asan netns} "
step() { [[ $steps == *" $1 "* ]]; }

if step fuzz && { [ "${REL_FUZZ:-run}" != reuse ] || [ ! -s "$OUT/fuzz.tsv" ]; }; then
	rm -f "$OUT/fuzz.tsv"
	FUZZ_RUNS=${FUZZ_RUNS:-10000000} scripts/fuzz_long.sh .output/fuzz/fuzz_* || rc=1
fi

if step pktfuzz; then
echo "== BPF packet fuzzing: ${PKTFUZZ_N:-1000000} packets"
t0=$(date +%s)
PKTFUZZ_N=${PKTFUZZ_N:-1000000} .output/bpf_tests -s bpf -t pktfuzz >"$OUT/pktfuzz.log" 2>&1
prc=$?
t1=$(date +%s)
tail -n 3 "$OUT/pktfuzz.log"
[ $prc = 0 ] && res=PASS || { res=FAIL; rc=1; }
printf '%s\t%s\t%s\t%s\n' pktfuzz "$res" "$((t1 - t0))" \
	"$(sed -n 's/^pktfuzz: //p' "$OUT/pktfuzz.log" | tail -n1)" >"$OUT/pktfuzz.tsv"
fi

if step asan; then
echo "== ASan+UBSan unit suite"
t0=$(date +%s)
.output/asan/unit_tests -s asan >"$OUT/asan.log" 2>&1
arc=$?
t1=$(date +%s)
tail -n 1 "$OUT/asan.log"
[ $arc = 0 ] && res=PASS || { res=FAIL; rc=1; }
printf '%s\t%s\t%s\t%s\n' asan "$res" "$((t1 - t0))" "$(tail -n1 "$OUT/asan.log")" >"$OUT/asan.tsv"
fi

if step netns; then
echo "== netns reliability tests (LONG=1)"
rm -f "$OUT/netns.tsv"
LONG=1 RESULTS=$PWD/$OUT/netns.tsv bash selftests/netns/test_reliability.sh || rc=1
fi

scripts/reliability_report.sh >docs/RELIABILITY.md && echo "docs/RELIABILITY.md rewritten"
exit $rc
