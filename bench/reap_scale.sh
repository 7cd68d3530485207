#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# REAP at scale: shim6d's CPU with SCALE_CONTEXTS (default 100,000)
# established contexts whose data plane sees steady two-way traffic.  A
# figure, not a test (the issue's goal: under 5 % of one core).
#
# The contexts are put into the pinned maps of a private pin root
# (bench_reap_scale fill); shim6d starts on them, resumes them from the maps
# and runs REAP on every one (the same path as a restart).  bench_reap_scale
# stamp then plays the data plane: every SCALE_PERIOD ms it advances every
# context's last_send / last_recv stamps (jiffies) and packet counters in two
# batch updates (either side may have sent last, or both in the same
# jiffy: REAP's most frequent reading, see bench_reap_scale.c).  After
# SCALE_WARMUP s, shim6d's user + system CPU time is read from
# /proc/PID/stat over SCALE_SECONDS s.  The same with no traffic at all
# (stamps frozen) and with 0 contexts, one after the other.
#
#   SCALE_CONTEXTS=N  SCALE_SECONDS=S (30)  SCALE_WARMUP=S (15)
#   SCALE_PERIOD=MS (1000)  SCALE_TSEND=DURATION (15s, the RFC default)
#   SCALE_PERF=1      also `perf record` shim6d for 10 s and print its top symbols
#   SCALE_SHIM6D=PATH the shim6d binary (default .output/shim6d)
#   SCALE_BEFORE=PATH also measure this binary (a before/after comparison)
TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${SCALE_CONTEXTS:-100000}
SECS=${SCALE_SECONDS:-30}
WARM=${SCALE_WARMUP:-15}
PERIOD=${SCALE_PERIOD:-1000}
TSEND=${SCALE_TSEND:-15s}
HELPER=${OUTPUT:-$TOP/.output}/bench/bench_reap_scale
SHIM6D=${SCALE_SHIM6D:-$TOP/.output/shim6d}

if [ "$(id -u)" -ne 0 ]; then
	echo "reap_scale: skipped (needs root: BPF maps)"
	exit 0
fi
for b in "$HELPER" "$SHIM6D" "$TOP/.output/shim6ctl"; do
	[ -x "$b" ] || { echo "reap_scale: $b is not built (make bench builds it)"; exit 1; }
done

. "$TOP/selftests/netns/lib.sh"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ_TCK=$(getconf CLK_TCK)

# bed N: a namespace with the data plane attached to a veth and N contexts
# in its maps (filled once: ~1 min at 100k on a busy machine)
bed() {
	local n=$1
	ns_add S || return 1
	link_add S d0 S d1 || return 1	# no dummy driver here: a veth pair
	ns_shim6ctl S attach dev d0 max-contexts $((n > 65536 ? n * 2 : 65536)) >/dev/null ||
		{ echo "reap_scale: attach failed"; return 1; }
	[ "$n" -eq 0 ] || "$HELPER" fill "$(bpffs_of S)" "$n" >/dev/null
}

# run_case LABEL CONTEXTS TRAFFIC(mixed|equal|no) [SHIM6D]: one shim6d on
# the bed, prints its CPU share
run_case() {
	local label=$1 n=$2 traffic=$3 bin=${4:-$SHIM6D} pid t0 t1 c0 c1 spid= s0=0 s1=0
	rm -f "$TEST_TMP/s.state"
	cat >"$TEST_TMP/s.conf" <<EOC
[daemon]
log-level notice
state-file $TEST_TMP/s.state
[timers]
send-timeout $TSEND
EOC
	start_bg d S "$bin" --foreground --config "$TEST_TMP/s.conf" \
		--socket "$TEST_TMP/s.sock" --bpffs "$(bpffs_of S)"
	pid=${BG_PIDS[d]}
	SHIM6D_SOCKET=$TEST_TMP/s.sock wait_for 120 "$SHIM6CTL" daemon status ||
		{ echo "reap_scale: shim6d did not start: $(bg_log d | tail -2)"; stop_bg d; return 1; }
	if [ "$traffic" != no ] && [ "$n" -gt 0 ]; then
		start_bg stamp S "$HELPER" stamp "$(bpffs_of S)" "$n" $((WARM + SECS + 5)) "$PERIOD" "$traffic"
		spid=${BG_PIDS[stamp]}
	fi
	sleep "$WARM"
	c0=$(cpu_ticks "$pid") t0=$(date +%s.%N)
	[ -n "$spid" ] && s0=$(cpu_ticks "$spid")
	sleep "$SECS"
	c1=$(cpu_ticks "$pid") t1=$(date +%s.%N)
	[ -n "$spid" ] && s1=$(cpu_ticks "$spid")
	if [ "${SCALE_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
		perf record -q -g -p "$pid" -o "$TEST_TMP/perf.data" -- sleep 10 >/dev/null 2>&1
		perf report -q -i "$TEST_TMP/perf.data" --no-children --sort symbol -g none 2>/dev/null |
			grep -v '^$' | grep '%' | head -12 | sed 's/^/      /'
	fi
	awk -v l="$label" -v c="$((c1 - c0))" -v s="$((s1 - s0))" -v hz="$HZ_TCK" -v a="$t0" -v b="$t1" \
		-v traf="$traffic" -v r="$(grep -o 'resumed [0-9]*' "$TEST_TMP/bg.d.log" | head -1)" 'BEGIN {
		printf "  %-38s shim6d %5.2f %% of one core", l, 100 * c / hz / (b - a)
		if (traf != "no") printf "   (stamping helper %.1f %%)", 100 * s / hz / (b - a)
		printf "   [%s]\n", r == "" ? "nothing resumed" : r }'
	stop_bg stamp
	stop_bg d
}

echo "reap_scale: $N contexts, Send Timeout $TSEND, stamps every $PERIOD ms, CPU over $SECS s after $WARM s;" \
	"$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
if bed "$N"; then
	run_case "$N ctx, two-way, either side last" "$N" mixed
	run_case "$N ctx, two-way, same jiffy" "$N" equal
	if [ -n "${SCALE_BEFORE:-}" ] && [ -x "$SCALE_BEFORE" ]; then
		run_case "$N ctx, either side last, BEFORE" "$N" mixed "$SCALE_BEFORE"
	fi
	run_case "$N ctx, no traffic" "$N" no
else
	echo "reap_scale: cannot build the bed with $N contexts"
fi
teardown
bed 0 && run_case "0 contexts" 0 no
