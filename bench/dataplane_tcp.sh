#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TCP throughput through the shim6 data plane, as ratios to plain IPv6
# measured on the same veth pair in the same run (the machine is shared and
# noisy: only the ratios mean something).  Runs are interleaved, ROUNDS
# rounds of SECONDS each; the figure per configuration is the median.
#
#   plain       no shim6 at all
#   ctx-ulid    shim6 attached, a context on the ULID pair, locators = ULIDs
#               (goal >= 0.97 of plain)
#   rewritten   the same context with another locator pair: every packet is
#               rewritten and carries the 8-byte header; GSO skbs go through
#               the segmentation stage (goal >= 0.3 of plain)
#   rewr-xdp    rewritten, ingress by XDP instead of tc (shows why tc is the
#               default ingress on veth)
#   rewr-xdp-gro rewritten, XDP ingress and GRO on the receiver's veth: the
#               pop runs before GRO, so the receiver aggregates plain TCP
#               again (on veth XDP copies every skb first: skb_pp_cow_data)
#   plain-swgso plain IPv6 with TSO/GSO off on the sender's device: TCP
#               segmented in software and every segment crossing the veth
#               alone - the per-packet cost the rewritten path cannot avoid
#               (the receiver cannot GRO packets that carry next header 140)
#   swgso-gro   plain-swgso with GRO on the receiver's veth: the ceiling of
#               any design that segments on the sender and aggregates again
#               on the receiver
#
#   bash bench/dataplane_tcp.sh          ROUNDS=3 SECONDS_PER_RUN=4 by default
#   CONFIGS="plain ctx-ulid" ROUNDS=7 bash bench/dataplane_tcp.sh
. "$(dirname "$0")/../selftests/netns/lib.sh"

ROUNDS=${ROUNDS:-3}
CONFIGS=${CONFIGS:-plain ctx-ulid rewritten rewr-xdp rewr-xdp-gro plain-swgso swgso-gro}	# plain first: the reference
SECS=${SECONDS_PER_RUN:-4}
A1=fd00:1::a A2=fd00:2::a B1=fd00:1::b B2=fd00:2::b

bed() {
	ns_add A && ns_add B && set_host A && set_host B &&
	link_add A a0 B b0 &&
	addr_add A a0 $A1/64 && addr_add A a0 $A2/64 &&
	addr_add B b0 $B1/64 && addr_add B b0 $B2/64 &&
	ns_exec A ping -c1 -W2 $B1 >/dev/null && ns_exec A ping -c1 -W2 $B2 >/dev/null
}

shim_on() {
	ns_shim6ctl A attach dev a0 "$@" && ns_shim6ctl B attach dev b0 "$@" &&
	ns_shim6ctl A context add ulid-local $A1 ulid-peer $B1 local-tag 0xa peer-tag 0xb \
		local-locators $A1,$A2 peer-locators $B1,$B2 &&
	ns_shim6ctl B context add ulid-local $B1 ulid-peer $A1 local-tag 0xb peer-tag 0xa \
		local-locators $B1,$B2 peer-locators $A1,$A2
}

shim_off() {
	ns_shim6ctl A context del tag 0xa 2>/dev/null
	ns_shim6ctl B context del tag 0xb 2>/dev/null
	ns_shim6ctl A detach dev a0 2>/dev/null
	ns_shim6ctl B detach dev b0 2>/dev/null
	return 0
}

rewrite() {
	ns_shim6ctl A path set tag 0xa local $A2 peer $B2 &&
	ns_shim6ctl B path set tag 0xb local $B2 peer $A2
}

# CPU time (1/100 s ticks) of the softirq threads: part of the packet work
# runs there rather than in iperf3's own context
ksoftirqd_ticks() {
	local p
	for p in $(pgrep -x 'ksoftirqd/[0-9]+'); do
		awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null
	done | awk '{s += $1} END {print s + 0}'
}

# one iperf3 run A1 -> B1; prints "bit/s CPU-seconds-per-GB": iperf3's own
# CPU time on both ends (softirq work done in their context is charged to
# them: no IRQ time accounting here) plus the softirq threads' during the run
run_iperf() {
	local out k1 k2
	start_bg iperf B iperf3 -s -1 -B $B1 -p 7100
	for _ in $(seq 50); do
		[ -n "$(ns_exec B ss -Hltn 'sport = :7100')" ] && break
		sleep 0.1
	done
	k1=$(ksoftirqd_ticks)
	out=$(ns_exec A timeout $((SECS + 20)) iperf3 -c $B1 -B $A1 -p 7100 -t "$SECS" -J 2>/dev/null)
	k2=$(ksoftirqd_ticks)
	stop_bg iperf
	jq -r --argjson secs "$SECS" --argjson ks "$((k2 - k1))" '.end as $e |
		($e.sum_received.bytes // 0) as $b |
		(($e.cpu_utilization_percent.host_total + $e.cpu_utilization_percent.remote_total)
		 / 100 * $secs + $ks / 100) as $cpu |
		"\($e.sum_received.bits_per_second // 0) \(if $b > 0 then $cpu / ($b / 1e9) else 0 end)"' \
		<<<"$out" 2>/dev/null || echo "0 0"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# setup_CFG: bring the bed into configuration CFG (from any other)
setup_plain() { shim_off; }
setup_ctx_ulid() { shim_off; shim_on ingress tc; }
setup_rewritten() { shim_off; shim_on ingress tc && rewrite; }
setup_rewr_xdp() { shim_off; shim_on ingress xdp && rewrite; }
setup_rewr_xdp_gro() { shim_off; shim_on ingress xdp && rewrite && ns_exec B ethtool -K b0 gro on >/dev/null; }
setup_plain_swgso() { shim_off; ns_exec A ethtool -K a0 tso off gso off >/dev/null; }
setup_swgso_gro() {
	shim_off; ns_exec A ethtool -K a0 tso off gso off >/dev/null &&
	ns_exec B ethtool -K b0 gro on >/dev/null
}

main() {
	local r cfg one
	declare -A res cpu
	bed || { echo "dataplane_tcp: cannot build the test bed"; exit 1; }
	for ((r = 1; r <= ROUNDS; r++)); do
		for cfg in $CONFIGS; do
			"setup_${cfg//-/_}" || { echo "dataplane_tcp: cannot set up $cfg"; exit 1; }
			one=$(run_iperf)
			res[$cfg]+="${one% *} "
			cpu[$cfg]+="${one#* } "
			ns_exec A ethtool -K a0 tso on gso on >/dev/null
			ns_exec B ethtool -K b0 gro off >/dev/null
		done
	done
	shim_off
	local plain plain_cpu
	plain=$(tr ' ' '\n' <<<"${res[plain]}" | grep . | median)
	plain_cpu=$(tr ' ' '\n' <<<"${cpu[plain]}" | grep . | median)
	printf 'dataplane_tcp: veth pair, %d rounds x %d s, median of each (Gbit/s), ratio to plain\n' \
		"$ROUNDS" "$SECS"
	printf '  (cpu-ratio: CPU time per byte of plain / of the configuration, medians;\n'
	printf '   the throughput ratio a CPU-bound run would show, less sensitive to other load)\n'
	for cfg in $CONFIGS; do
		local m c
		m=$(tr ' ' '\n' <<<"${res[$cfg]}" | grep . | median)
		c=$(tr ' ' '\n' <<<"${cpu[$cfg]}" | grep . | median)
		awk -v c="$cfg" -v m="$m" -v p="$plain" -v cc="$c" -v pc="$plain_cpu" \
			-v all="${res[$cfg]}" 'BEGIN {
			printf "  %-12s %6.2f Gbit/s  ratio %.2f  cpu-ratio %.2f  (runs:", c, m / 1e9,
				(p > 0 ? m / p : 0), (cc > 0 ? pc / cc : 0)
			n = split(all, v, " "); for (i = 1; i <= n; i++) printf " %.2f", v[i] / 1e9
			printf ")\n" }'
	done
}
main
