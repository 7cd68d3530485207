#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multipath (docs/MULTIPATH.md) on the site topology with both ISPs up:
# contexts A(A1,B1) / B(B1,A1) whose default path is the ULID pair (ISP1),
# path 1 = (A2,B2) / (B2,A2) (ISP2, rewritten), mark rule mask 0xff.
# Where each flow went is read ON THE WIRE in the ISP namespaces (nft
# counters in their forward hook): plain packets to a port, and shimmed
# packets (next header 140) whose transport header, 8 bytes further, has
# that destination port.
#
#   bash selftests/netns/test_mpath.sh
#   TESTS=test_mpath_mptcp V=1 bash selftests/netns/test_mpath.sh
# Needs root, python3, nft, jq.  No timed assertions: waits are bounded
# polls for a state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/reap_lib.sh"

TAG_A=0x1a1a
TAG_B=0x2b2b
APP="python3 $SHIM6_TOP/selftests/netns/mpath_app.py"
PORTS="7011 7012 7013 7021 7022 5002"

need_tools() { require_cmd jq nft python3 sha256sum; }

# mpath_site: the bed, shim6 on both hosts, contexts and path 1 on both
mpath_site() {
	topo_site || return 1
	check ns_shim6ctl A attach dev a0 && check ns_shim6ctl B attach dev b0 || return 1
	check ns_shim6ctl A context add ulid-local $A1 ulid-peer $B1 \
		local-tag $TAG_A peer-tag $TAG_B local-locators $A1,$A2 peer-locators $B1,$B2 &&
	check ns_shim6ctl B context add ulid-local $B1 ulid-peer $A1 \
		local-tag $TAG_B peer-tag $TAG_A local-locators $B1,$B2 peer-locators $A1,$A2 &&
	check ns_shim6ctl A path add tag $TAG_A index 1 local $A2 peer $B2 &&
	check ns_shim6ctl B path add tag $TAG_B index 1 local $B2 peer $A2 &&
	check ns_shim6ctl A path mark-rule mask 0xff &&
	check ns_shim6ctl B path mark-rule mask 0xff || return 1
	wire_setup
}

# nft counters in both ISPs: pPORT plain TCP/UDP to PORT, sPORT shimmed
wire_setup() {
	local isp p rules
	for isp in ISP1 ISP2; do
		rules="table inet mpwire {"
		for p in $PORTS; do
			rules+=" counter p$p { }; counter s$p { };"
		done
		rules+=" chain fw { type filter hook forward priority 0; policy accept;"
		for p in $PORTS; do
			rules+=" ip6 nexthdr { tcp, udp } th dport $p counter name p$p;"
			rules+=" ip6 nexthdr 140 @nh,400,16 $p counter name s$p;"
		done
		rules+=" }; }"
		check ns_exec $isp nft "$rules" || return 1
	done
}

# wire_pk|wire_by ISP p|s PORT: packets / bytes counted on the wire
wire_pk() { ns_exec "$1" nft list counter inet mpwire "$2$3" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }
wire_by() { ns_exec "$1" nft list counter inet mpwire "$2$3" | sed -n 's/.*bytes \([0-9]*\).*/\1/p'; }

counter() {
	ns_shim6ctl "$1" -j stats | jq -r --arg r "$2" \
		'[.reasons[] | select(.reason == $r) | .packets] | add // 0'
}

lines_at_least() { [ "$(wc -l <"$TEST_TMP/bg.$1.log" 2>/dev/null || echo 0)" -ge "$2" ]; }
nlines() { wc -l <"$TEST_TMP/bg.$1.log" 2>/dev/null || echo 0; }
listening() { [ -n "$(ns_exec "$1" ss -Hln"$2" "sport = :$3")" ]; }

# expect COND MESSAGE: fail with MESSAGE (and the wire counters) unless COND
expect() {
	eval "$1" && return 0
	local w="" isp p
	for isp in ISP1 ISP2; do
		for p in $PORTS; do w+=" $isp:p$p=$(wire_pk $isp p $p)/s$p=$(wire_pk $isp s $p)"; done
	done
	fail "$2 (wire:$w)"
}

# Two UDP flows from A1 to B1, marks 0 and 1, and one with mark 5 (no path 5)
test_mpath_udp_marks() {
	local j
	need_tools || return $SKIP_CODE
	mpath_site || return 1
	for p in 7011 7012 7013; do
		start_bg r$p B $APP udp-recv $B1 $p
		wait_for 5 listening B u $p || return 1
	done
	check ns_exec A $APP udp-send $A1 $B1 7011 0 50 1 &&
	check ns_exec A $APP udp-send $A1 $B1 7012 1 50 1 &&
	check ns_exec A $APP udp-send $A1 $B1 7013 5 50 1 || return 1
	for p in 7011 7012 7013; do wait_for 10 lines_at_least r$p 50 || return 1; done
	# mark 0: plain over ISP1; mark 1: shimmed (A2,B2) over ISP2; mark 5: default
	expect '[ "$(wire_pk ISP1 p 7011)" -ge 50 ] && [ "$(wire_pk ISP2 p 7011)" = 0 ] &&
		[ "$(wire_pk ISP2 s 7011)" = 0 ]' "mark 0 did not stay on the default path" || return 1
	expect '[ "$(wire_pk ISP2 s 7012)" -ge 50 ] && [ "$(wire_pk ISP1 p 7012)" = 0 ] &&
		[ "$(wire_pk ISP1 s 7012)" = 0 ]' "mark 1 did not leave on path 1 (ISP2)" || return 1
	expect '[ "$(wire_pk ISP1 p 7013)" -ge 50 ] && [ "$(wire_pk ISP2 s 7013)" = 0 ]' \
		"mark 5 (no path) did not fall back to the default path" || return 1
	[ "$(counter A pass_path_chosen)" -ge 50 ] || { fail "A: pass_path_chosen $(counter A pass_path_chosen)"; return 1; }
	[ "$(counter A pass_path_missing)" -ge 50 ] || { fail "A: pass_path_missing $(counter A pass_path_missing)"; return 1; }
	# per-path traffic in context show (JSON and text, one print path)
	j=$(ns_shim6ctl A -j context show tag $TAG_A) || { fail "context show -j"; return 1; }
	jq -e '.contexts[0].paths | length == 2 and .[0].index == 0 and .[0].state == "default"
		and .[1].index == 1 and .[1].state == "ok" and .[1].local == "2001:db8:a2::a"
		and .[1].peer == "2001:db8:b2::b" and .[1].tx_packets >= 50 and .[1].rewrite
		and .[0].tx_packets >= 100' <<<"$j" >/dev/null ||
		{ fail "A's path table: $(jq -c '.contexts[0].paths' <<<"$j")"; return 1; }
	# B received path 1's packets on its pair (B2 <- A2)
	ns_shim6ctl B -j context show tag $TAG_B | jq -e '.contexts[0].paths[1].rx_packets >= 50
		and .contexts[0].paths[1].last_recv > 0' >/dev/null ||
		{ fail "B's path 1 rx: $(ns_shim6ctl B -j context show tag $TAG_B | jq -c '.contexts[0].paths')"; return 1; }
	ns_shim6ctl A context show tag $TAG_A | grep -q "^      1 2001:db8:a2::a 2001:db8:b2::b ok rewritten" ||
		{ fail "text context show: $(ns_shim6ctl A context show tag $TAG_A | tr '\n' '|')"; return 1; }
	# stats reset zeroes the paths' counters too
	check ns_shim6ctl A stats reset || return 1
	ns_shim6ctl A -j context show tag $TAG_A | jq -e '.contexts[0].paths | all(.tx_packets == 0)' >/dev/null ||
		{ fail "stats reset left path counters: $(ns_shim6ctl A -j context show tag $TAG_A | jq -c '.contexts[0].paths')"; return 1; }
	# CLI: refusals, the rule shown, del clears the table
	! ns_shim6ctl A path add tag $TAG_A index 2 local 2001:db8:a9::9 peer $B2 2>/dev/null ||
		{ fail "path add accepted a foreign local locator"; return 1; }
	! ns_shim6ctl A path add tag 0x4242 index 2 local $A2 peer $B2 2>/dev/null ||
		{ fail "path add accepted an unknown tag"; return 1; }
	ns_shim6ctl A -j path mark-rule | jq -e '.mark_rule.mask == "0xff" and .mark_rule.shift == 0' >/dev/null ||
		{ fail "mark-rule show: $(ns_shim6ctl A -j path mark-rule)"; return 1; }
	check ns_shim6ctl A path del tag $TAG_A index 1 || return 1
	ns_shim6ctl A -j path show tag $TAG_A | jq -e '.contexts[0].paths | length == 1' >/dev/null ||
		{ fail "path del left the table: $(ns_shim6ctl A -j path show tag $TAG_A)"; return 1; }
	[ -z "$(ns_shim6ctl A context show tag $TAG_A | grep paths:)" ] ||
		{ fail "text context show lists paths of a context without a table"; return 1; }
}

# Seq numbers of a receiver's log are 0..n-1 without a gap
no_gap() { awk '{ if ($2 != NR - 1) exit 1 }' "$TEST_TMP/bg.$1.log"; }

# Cutting path 1 (ISP2) moves only the flow on it; the default-path flow
# loses nothing.  Static contexts: the pair is declared broken by the
# operator (`path state ... broken`, what shim6d does from per-pair FBD).
test_mpath_cut() {
	local n1 n2 w
	need_tools || return $SKIP_CODE
	mpath_site || return 1
	for p in 7011 7012; do
		start_bg r$p B $APP udp-recv $B1 $p
		wait_for 5 listening B u $p || return 1
	done
	start_bg s7011 A $APP udp-send $A1 $B1 7011 0 4000 5
	start_bg s7012 A $APP udp-send $A1 $B1 7012 1 4000 5
	wait_for 10 lines_at_least r7011 20 && wait_for 10 lines_at_least r7012 20 || return 1
	cut_link SA sa-i2 ISP2 i2-sa || { fail "cut"; return 1; }
	# path 1 is dead: flow 2 stalls while flow 1 goes on
	n2=$(nlines r7012)
	n1=$(nlines r7011)
	wait_for 10 lines_at_least r7011 $((n1 + 100)) || return 1
	[ "$(nlines r7012)" -le $((n2 + 2)) ] ||
		{ fail "flow 2 still arrives across the cut path ($n2 -> $(nlines r7012))"; return 1; }
	w=$(wire_pk ISP1 p 7012)
	[ "$w" = 0 ] || { fail "flow 2 on ISP1 before the fallback ($w)"; return 1; }
	check ns_shim6ctl A path state tag $TAG_A index 1 broken || return 1
	n2=$(nlines r7012)
	wait_for 10 lines_at_least r7012 $((n2 + 50)) || return 1
	[ "$(wire_pk ISP1 p 7012)" -ge 50 ] || { fail "flow 2 did not move to ISP1"; return 1; }
	[ "$(counter A pass_path_broken)" -ge 50 ] || { fail "A: pass_path_broken $(counter A pass_path_broken)"; return 1; }
	ns_shim6ctl A -j context show tag $TAG_A | jq -e '.contexts[0].paths[1].state == "broken"' >/dev/null ||
		{ fail "path 1 not shown broken"; return 1; }
	# back: restore the link, path 1 ok, flow 2 returns to ISP2
	restore_link SA sa-i2 ISP2 i2-sa
	check ns_shim6ctl A path state tag $TAG_A index 1 ok || return 1
	w=$(wire_pk ISP2 s 7012)
	wait_for 10 sh -c "[ \$(ip netns exec $(ns_name ISP2) nft list counter inet mpwire s7012 | sed -n 's/.*packets \([0-9]*\).*/\1/p') -ge $((w + 50)) ]" || return 1
	stop_bg s7011
	stop_bg s7012
	no_gap r7011 || { fail "the default-path flow lost datagrams"; return 1; }
	! no_gap r7012 || { fail "flow 2 lost nothing: the cut did not hit it"; return 1; }
}

# One MPTCP connection, two subflows (the server announces B1 port 7022);
# nft marks the second subflow (tcp port 7022) with 1 on both hosts, so its
# packets take path 1 while the first subflow stays on the default path.
# SO_MARK cannot do it: MPTCP copies the MPTCP socket's mark to every
# subflow (net/mptcp/sockopt.c), so subflows are marked by their 5-tuple.
test_mpath_mptcp() {
	local sum got
	need_tools || return $SKIP_CODE
	[ "$(sysctl -n net.mptcp.enabled 2>/dev/null)" = 1 ] || { skip "net.mptcp.enabled is not 1"; return $SKIP_CODE; }
	mpath_site || return 1
	ns_exec A sysctl -qw net.mptcp.enabled=1 && ns_exec B sysctl -qw net.mptcp.enabled=1
	check ns_exec A ip mptcp limits set subflows 2 add_addr_accepted 2 &&
	check ns_exec B ip mptcp limits set subflows 2 add_addr_accepted 0 &&
	check ns_exec B ip mptcp endpoint add $B1 port 7022 signal || return 1
	# an IPv6 ADD_ADDR with a port (30 bytes) does not fit next to TCP
	# timestamps: measured AddAddrTxDrop, no second subflow; without them it is sent
	check ns_exec B sysctl -qw net.ipv4.tcp_timestamps=0 || return 1
	# the in-kernel path manager leaves the join's source address to the
	# route lookup, which may pick A2 (no context for (A2, B1)): deprecate
	# A2 so the subflow starts from the ULID A1 (shim6 still uses A2 as a
	# locator, preferred_lft does not matter to it)
	check ns_exec A ip -6 addr change $A2/64 dev a0 preferred_lft 0 || return 1
	check ns_exec A nft "table inet mpmark { chain out { type filter hook output priority 0; tcp dport 7022 meta mark set 1; }; }" &&
	check ns_exec B nft "table inet mpmark { chain out { type filter hook output priority 0; tcp sport 7022 meta mark set 1; }; }" || return 1
	# both uplinks of site A at 50 Mbit/s, so that one path alone is the
	# bottleneck and the scheduler has a reason to use both
	check ns_exec SA tc qdisc add dev sa-i1 root tbf rate 50mbit burst 64kb latency 50ms &&
	check ns_exec SA tc qdisc add dev sa-i2 root tbf rate 50mbit burst 64kb latency 50ms || return 1
	head -c 20M /dev/urandom >"$TEST_TMP/blob"
	sum=$(sha256sum <"$TEST_TMP/blob" | cut -d' ' -f1)
	rm -f "$TEST_TMP/recv"
	start_bg sink B $APP mptcp-sink $B1 7021 "$TEST_TMP/recv"
	wait_for 5 listening B t 7021 || return 1
	check ns_exec A timeout 120 $APP mptcp-send $A1 $B1 7021 "$TEST_TMP/blob" || return 1
	wait_for 30 sh -c "! kill -0 ${BG_PIDS[sink]} 2>/dev/null" || return 1
	got=$(sha256sum <"$TEST_TMP/recv" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || { fail "SHA-256 mismatch after the MPTCP transfer"; return 1; }
	# subflow 1 (port 7021): plain, ISP1; subflow 2 (port 7022): shimmed, ISP2
	# each carried at least a tenth of the 20 MB (the join comes after the first segments)
	log "wire bytes: subflow 1 on ISP1 $(wire_by ISP1 p 7021), subflow 2 on ISP2 $(wire_by ISP2 s 7022)"
	expect '[ "$(wire_by ISP1 p 7021)" -ge 2000000 ] && [ "$(wire_pk ISP2 s 7021)" = 0 ] &&
		[ "$(wire_pk ISP2 p 7021)" = 0 ]' \
		"subflow 1 did not carry its share on the default path" || return 1
	expect '[ "$(wire_by ISP2 s 7022)" -ge 2000000 ] && [ "$(wire_pk ISP1 p 7022)" = 0 ] &&
		[ "$(wire_pk ISP1 s 7022)" = 0 ]' \
		"subflow 2 did not carry its share on path 1" || return 1
	[ "$(counter A pass_path_chosen)" -gt 0 ] || { fail "A chose no path"; return 1; }
	# the bulk went through the segmentation stage: the mark survived it
	[ "$(counter A pass_to_segment)" -gt 0 ] || { fail "no GSO skb went to the segmentation stage"; return 1; }
}

# Routing by the chosen source locator on a host with two interfaces: the
# laptop L (L1 on l0, L2 on l1), peer P (one address).  Path 1 = (L2, P1)
# must leave through l1, the default (L1, P1) through l0.
test_mpath_laptop() {
	local tx0 tx1
	need_tools || return $SKIP_CODE
	topo_laptop || return 1
	check ns_shim6ctl L attach dev l0 && check ns_shim6ctl L attach dev l1 &&
	check ns_shim6ctl P attach dev p0 || return 1
	check ns_shim6ctl L context add ulid-local $L1 ulid-peer $P1 local-tag $TAG_A peer-tag $TAG_B \
		local-locators $L1,$L2 peer-locators $P1 &&
	check ns_shim6ctl P context add ulid-local $P1 ulid-peer $L1 local-tag $TAG_B peer-tag $TAG_A \
		local-locators $P1 peer-locators $L1,$L2 &&
	check ns_shim6ctl L path add tag $TAG_A index 1 local $L2 peer $P1 &&
	check ns_shim6ctl L path mark-rule mask 0xff || return 1
	ns_shim6ctl L -j path show | jq -e --arg i "$(ns_exec L cat /sys/class/net/l1/ifindex)" \
		'.contexts[0].paths[1].ifindex == ($i | tonumber)' >/dev/null ||
		{ fail "path 1's device is not l1: $(ns_shim6ctl L -j path show | jq -c .contexts[0].paths)"; return 1; }
	for p in 7011 7012; do
		start_bg r$p P $APP udp-recv $P1 $p
		wait_for 5 listening P u $p || return 1
	done
	tx0=$(link_packets L l0 tx); tx1=$(link_packets L l1 tx)
	check ns_exec L $APP udp-send $L1 $P1 7012 1 50 1 || return 1
	wait_for 10 lines_at_least r7012 50 || return 1
	[ $(($(link_packets L l1 tx) - tx1)) -ge 50 ] ||
		{ fail "mark 1 did not leave through l1 ($(($(link_packets L l1 tx) - tx1)) packets)"; return 1; }
	[ $(($(link_packets L l0 tx) - tx0)) -lt 10 ] ||
		{ fail "mark 1 left through l0 ($(($(link_packets L l0 tx) - tx0)) packets)"; return 1; }
	tx0=$(link_packets L l0 tx); tx1=$(link_packets L l1 tx)
	check ns_exec L $APP udp-send $L1 $P1 7011 0 50 1 || return 1
	wait_for 10 lines_at_least r7011 50 || return 1
	[ $(($(link_packets L l0 tx) - tx0)) -ge 50 ] && [ $(($(link_packets L l1 tx) - tx1)) -lt 10 ] ||
		{ fail "the unmarked flow did not stay on l0"; return 1; }
}

# ---- with shim6d: tables from the locator sets, per-pair failure detection ----
# (the bed of the REAP tests, reap_lib.sh, with the mark rule on)

# path_of N LOCAL PEER: index of N's path with that pair ("" if none)
path_of() {
	ns_shim6ctl "$1" -j path show | jq -r --arg l "$2" --arg p "$3" \
		'[.contexts[0].paths[] | select(.index > 0 and .local == $l and .peer == $p) | .index][0] // empty'
}
path_state() {
	ns_shim6ctl "$1" -j path show | jq -r --argjson i "$2" \
		'.contexts[0].paths[] | select(.index == $i) | .state'
}
path_state_is() { [ "$(path_state "$1" "$2")" = "$3" ]; }

SENDER='
import socket, sys, time
src, dst, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.bind((src, 0))
s.connect((dst, port))
with open(path, "rb") as f:
    while True:
        b = f.read(16384)
        if not b:
            break
        s.sendall(b)
        time.sleep(0.02)
s.shutdown(socket.SHUT_WR)
s.recv(1)
s.close()
'

# shim6d fills the tables (local x verified peer locators); a TCP flow
# marked on both ends takes the (HA2, HB2) path; ISP2 is cut: shim6d on A
# notices that this pair no longer receives while the default path works,
# flags it broken, the flow moves to the default path and completes
# intact; REAP's default pair never moves.  The link comes back: shim6d's
# probes find the path working, it is ok again and carries a new transfer.
test_mpath_shim6d() {
	local ia ib sum got w
	need_tools || return $SKIP_CODE
	require_cmd socat || return $SKIP_CODE
	REAP_MARK_RULE="mask 0xff probe 0x100" reap_bed_daemons || return
	wire_setup || return 1
	check dctl A daemon context start ulid-local "$HA1" ulid-peer "$HB1" || return 1
	wait_for 10 state_is A established && wait_for 10 state_is B established ||
		{ fail "not established"; return 1; }
	# the tables: default + 2 x 2 pairs on both sides
	wait_for 10 sh -c "[ -n \"\$(ns_shim6ctl A -j path show 2>/dev/null)\" ]" 2>/dev/null
	wait_for 10 path_of A "$HA2" "$HB2" >/dev/null
	ia=$(path_of A "$HA2" "$HB2"); ib=$(path_of B "$HB2" "$HA2")
	[ -n "$ia" ] && [ -n "$ib" ] ||
		{ fail "no (HA2,HB2) path: A $(ns_shim6ctl A -j path show | jq -c .contexts[0].paths) B $(ns_shim6ctl B -j path show | jq -c .contexts[0].paths)"; return 1; }
	[ "$(ns_shim6ctl A -j path show | jq '.contexts[0].paths | length')" = 5 ] ||
		{ fail "A's table is not default + 4 pairs"; return 1; }
	# port 5002 in both directions on that path, port 5003 on the default
	check ns_exec A nft "table inet mpmark { chain out { type filter hook output priority 0; tcp dport 5002 meta mark set $ia; }; }" &&
	check ns_exec B nft "table inet mpmark { chain out { type filter hook output priority 0; tcp sport 5002 meta mark set $ib; }; }" || return 1
	rm -f "$TEST_TMP/recv"	# TEST_TMP is shared by the tests of this script
	head -c $((12 * 1024 * 1024)) /dev/urandom >"$TEST_TMP/data"
	sum=$(sha256sum <"$TEST_TMP/data" | cut -d' ' -f1)
	start_bg recv B socat -u TCP6-LISTEN:5002,reuseaddr OPEN:"$TEST_TMP/recv",creat,trunc
	wait_for 5 listening B t 5002 || return 1
	start_bg send A python3 -c "$SENDER" "$HA1" "$HB1" 5002 "$TEST_TMP/data"
	wait_for 20 sh -c "[ \$(stat -c %s '$TEST_TMP/recv' 2>/dev/null || echo 0) -gt 1000000 ]" ||
		{ fail "the transfer did not start"; return 1; }
	[ "$(wire_by ISP2 s 5002)" -gt 500000 ] 2>/dev/null ||
		{ fail "the marked flow is not on (HA2,HB2): ISP2 s5002 $(wire_by ISP2 s 5002) bytes, ISP1 p5002 $(wire_by ISP1 p 5002)"; return 1; }
	# traffic both ways on the default path, so the context as a whole
	# works (REAP's context-wide FBD stays happy) while path $ia dies
	start_bg ping A ping -i 0.1 -I "$HA1" "$HB1"
	cut_link SA sa-i2 ISP2 i2-sa || { fail "cut"; return 1; }
	wait_for 20 path_state_is A "$ia" broken ||
		{ fail "A did not flag path $ia broken: $(ns_shim6ctl A -j path show | jq -c .contexts[0].paths)"; return 1; }
	wait_for 120 sh -c "! kill -0 ${BG_PIDS[send]} 2>/dev/null" ||
		{ fail "the transfer did not finish: $(stat -c %s "$TEST_TMP/recv") bytes"; return 1; }
	wait_for 10 sh -c "[ \$(stat -c %s '$TEST_TMP/recv') = $((12 * 1024 * 1024)) ]" ||
		{ fail "received $(stat -c %s "$TEST_TMP/recv") bytes"; return 1; }
	got=$(sha256sum <"$TEST_TMP/recv" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || { fail "SHA-256 differs"; return 1; }
	expect '[ "$(wire_by ISP1 p 5002)" -gt 0 ]' "the flow never moved to the default path (A: chosen $(counter A pass_path_chosen) broken $(counter A pass_path_broken) missing $(counter A pass_path_missing); $(bg_log dA | grep path | tail -3 | tr '\n' '|'))" || return 1
	# REAP kept the default pair: the default path was never broken
	[ "$(ctx_field A '.contexts[0].locator_local')" = "$HA1" ] ||
		{ fail "A's default pair moved: $(ctx_field A .contexts[0])"; return 1; }
	[ "$(counter A pass_path_broken)" -gt 0 ] || { fail "no fallback counted"; return 1; }
	# heal: A probes its broken path (ICMPv6 echo between the ULIDs, marked
	# with the index and the probe bit: sent on the broken path); the reply
	# makes it ok, the request refreshes B's stamp of the pair, so B's path
	# comes back too; a second marked transfer returns to ISP2
	restore_link SA sa-i2 ISP2 i2-sa
	w=$(wire_by ISP2 s 5002)
	rm -f "$TEST_TMP/recv"
	start_bg recv B socat -u TCP6-LISTEN:5002,reuseaddr OPEN:"$TEST_TMP/recv",creat,trunc
	wait_for 5 listening B t 5002 || return 1
	start_bg send A python3 -c "$SENDER" "$HA1" "$HB1" 5002 "$TEST_TMP/data"
	wait_for 60 sh -c "[ \$(ip netns exec $(ns_name ISP2) nft list counter inet mpwire s5002 | sed -n 's/.*bytes \([0-9]*\).*/\1/p') -gt $((w + 500000)) ]" ||
		{ fail "the marked flow did not return to (HA2,HB2): $(ns_shim6ctl A -j path show | jq -c .contexts[0].paths)"; return 1; }
	path_state_is A "$ia" ok || { fail "path $ia carries the flow but is not ok"; return 1; }
	wait_for 120 sh -c "! kill -0 ${BG_PIDS[send]} 2>/dev/null" ||
		{ fail "the second transfer did not finish"; return 1; }
	bg_log dA | grep -q "path $ia broken" || { fail "shim6d did not log the failure"; return 1; }
	# whichever end's probe got through first: its path answers probes, the
	# other end's receives again (the probe arrived on its pair)
	{ bg_log dA; bg_log dB; } | grep -q "answers probes again" ||
		{ fail "no path came back through a probe: A: $(bg_log dA | grep path | tr '\n' '|') B: $(bg_log dB | grep path | tr '\n' '|')"; return 1; }
}

ALL_TESTS="test_mpath_udp_marks test_mpath_cut test_mpath_mptcp test_mpath_laptop test_mpath_shim6d"
run_tests
