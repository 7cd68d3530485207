#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multipath aggregate throughput (docs/MULTIPATH.md), site topology with
# each of site A's uplinks (SA -> ISP1, SA -> ISP2) rate-limited by tc tbf
# to RATE (default 200mbit, well below what the CPU moves, so the links are
# the bottleneck).  Contexts A(A1,B1) / B(B1,A1): default path = ULIDs over
# ISP1, path 1 = (A2,B2) over ISP2; mark rule mask 0xff; nft on A marks TCP
# to port 7102 with 1.  Per round, side by side:
#
#   one      one TCP flow (port 7101, default path)
#   two-same two flows, both unmarked (both on the default path): ~1.0,
#            the control - more flows alone do not help
#   two-mp   two flows, the second marked (port 7102 -> path 1)
#
# Figures: the ratios two-mp / one (goal >= 1.8) and two-same / one, per
# round and the median.
#
#   bash bench/multipath.sh                 ROUNDS=3 SECONDS_PER_RUN=4 RATE=200mbit
. "$(dirname "$0")/../selftests/netns/lib.sh"
. "$(dirname "$0")/../selftests/netns/topo.sh"

ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_RUN:-4}
RATE=${RATE:-200mbit}

bed() {
	topo_site &&
	ns_shim6ctl A attach dev a0 >/dev/null && ns_shim6ctl B attach dev b0 >/dev/null &&
	ns_shim6ctl A context add ulid-local $A1 ulid-peer $B1 local-tag 0xa peer-tag 0xb \
		local-locators $A1,$A2 peer-locators $B1,$B2 &&
	ns_shim6ctl B context add ulid-local $B1 ulid-peer $A1 local-tag 0xb peer-tag 0xa \
		local-locators $B1,$B2 peer-locators $A1,$A2 &&
	ns_shim6ctl A path add tag 0xa index 1 local $A2 peer $B2 &&
	ns_shim6ctl B path add tag 0xb index 1 local $B2 peer $A2 &&
	ns_shim6ctl A path mark-rule mask 0xff && ns_shim6ctl B path mark-rule mask 0xff &&
	ns_exec A nft "table inet mpbench { chain out { type filter hook output priority 0; tcp dport 7102 meta mark set 1; }; }" &&
	ns_exec SA tc qdisc add dev sa-i1 root tbf rate "$RATE" burst 256kb latency 50ms &&
	ns_exec SA tc qdisc add dev sa-i2 root tbf rate "$RATE" burst 256kb latency 50ms &&
	ns_exec A ping -c1 -W2 -I $A1 $B1 >/dev/null
}

wait_listen() {
	for _ in $(seq 50); do
		[ -n "$(ns_exec B ss -Hltn "sport = :$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

bps() { jq -r '.end.sum_received.bits_per_second // 0' "$1" 2>/dev/null || echo 0; }

# run_flows PORT...: one iperf3 client per port at the same time; prints the sum (bit/s)
run_flows() {
	local p i=0 pids=() sum=0
	for p; do
		start_bg "srv$p" B iperf3 -s -1 -B $B1 -p "$p"
		wait_listen "$p" || { echo 0; return; }
	done
	for p; do
		ns_exec A timeout $((SECS + 20)) iperf3 -c $B1 -B $A1 -p "$p" -t "$SECS" -J \
			>"$TEST_TMP/flow$p.json" 2>/dev/null &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait "$i"; done
	for p; do
		stop_bg "srv$p"
		sum=$(awk -v a="$sum" -v b="$(bps "$TEST_TMP/flow$p.json")" 'BEGIN { printf "%.0f", a + b }')
	done
	echo "$sum"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

main() {
	local r one same mp rmp="" rsame="" line
	command -v iperf3 >/dev/null && command -v nft >/dev/null && command -v jq >/dev/null ||
		{ echo "multipath: needs iperf3, nft, jq"; exit 1; }
	bed || { echo "multipath: cannot build the test bed: $FAIL_REASON"; exit 1; }
	printf 'multipath: site bed, uplinks of A limited to %s each (tbf), %d rounds x %d s\n' \
		"$RATE" "$ROUNDS" "$SECS"
	for ((r = 1; r <= ROUNDS; r++)); do
		one=$(run_flows 7101)
		same=$(run_flows 7101 7103)
		mp=$(run_flows 7101 7102)
		line=$(awk -v o="$one" -v s="$same" -v m="$mp" 'BEGIN {
			printf "%.3f %.3f %.1f %.1f %.1f", (o > 0 ? m / o : 0), (o > 0 ? s / o : 0),
				o / 1e6, s / 1e6, m / 1e6 }')
		set -- $line
		printf '  round %d: one %s Mbit/s, two-same %s Mbit/s, two-mp %s Mbit/s: two-mp/one %s, two-same/one %s\n' \
			"$r" "$3" "$4" "$5" "$1" "$2"
		rmp+="$1 "
		rsame+="$2 "
	done
	printf '  median two-mp/one %s (goal >= 1.8), two-same/one %s (runs: %s/ %s)\n' \
		"$(tr ' ' '\n' <<<"$rmp" | grep . | median)" \
		"$(tr ' ' '\n' <<<"$rsame" | grep . | median)" "$rmp" "$rsame"
	ns_shim6ctl A context show tag 0xa | sed -n '/paths:/,$p'
}
main
