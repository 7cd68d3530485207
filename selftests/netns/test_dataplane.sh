#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Data-plane integration tests: shim6ctl attach/detach and static contexts
# on the site and laptop topologies (topo.sh), traffic across rewritten
# locator pairs (locators != ULIDs, so every packet carries the 8-byte Shim6
# payload header), path changes under a live TCP connection, Packet Too Big.
#
#   bash selftests/netns/test_dataplane.sh          all tests
#   TESTS="test_tcp_bulk" V=1 bash selftests/netns/test_dataplane.sh
#   DEBUG_TESTENV=1 TESTS=test_ping bash selftests/netns/test_dataplane.sh
# Needs root, iperf3, socat, ethtool, jq.  No timed assertions: waits are
# bounded polls for a state, the transfers are checked by content (SHA-256).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

TAG_A=0x1a1a	# A's context tag (B puts it on packets to A)
TAG_B=0x2b2b	# B's
BULK_MB=${BULK_MB:-200}

# ---- helpers ------------------------------------------------------------------

need_tools() { require_cmd jq socat iperf3 ethtool ping ss; }

# attach_site [ARGS...]: shim6 on A's and B's uplinks
attach_site() {
	check ns_shim6ctl A attach dev a0 "$@" && check ns_shim6ctl B attach dev b0 "$@"
}

# ctx_site LA LB: A's context (ULIDs A1,B1) with path (LA, LB) and B's mirror
# (ULIDs B1,A1) with path (LB, LA).  Every locator of both hosts is listed.
ctx_site() {
	check ns_shim6ctl A context add ulid-local $A1 ulid-peer $B1 \
		local-tag $TAG_A peer-tag $TAG_B local-locators $A1,$A2 \
		peer-locators $B1,$B2 path "$1" "$2" &&
	check ns_shim6ctl B context add ulid-local $B1 ulid-peer $A1 \
		local-tag $TAG_B peer-tag $TAG_A local-locators $B1,$B2 \
		peer-locators $A1,$A2 path "$2" "$1"
}

# counter N NAME: a verdict/drop counter of N's data plane (packets)
counter() {
	ns_shim6ctl "$1" -j stats | jq -r --arg r "$2" \
		'[.reasons[] | select(.reason == $r) | .packets] | add // 0'
}

# listening N t|u PORT: a TCP/UDP socket listens on PORT in N
listening() {
	[ -n "$(ns_exec "$1" ss -Hln"$2" "sport = :$3")" ]
}

size_at_least() {
	[ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -ge "$2" ]
}

make_blob() {
	head -c "${1}M" /dev/urandom >"$TEST_TMP/blob" && sha256sum <"$TEST_TMP/blob" | cut -d' ' -f1
}

# tcp_copy SRCNS SRC DSTNS DST FILE: send FILE from SRC to DST over TCP with
# socat and check that what arrived has the same SHA-256.
tcp_copy() {
	local sns=$1 src=$2 dns=$3 dst=$4 file=$5 sum got
	sum=$(sha256sum <"$file" | cut -d' ' -f1)
	rm -f "$TEST_TMP/recv"
	start_bg sink "$dns" socat -u "TCP6-LISTEN:7001,bind=[$dst],reuseaddr" \
		"OPEN:$TEST_TMP/recv,creat,trunc"
	wait_for 5 listening "$dns" t 7001 || return 1
	check ns_exec "$sns" timeout 120 socat -u "OPEN:$file" "TCP6:[$dst]:7001,bind=[$src]" \
		|| return 1
	wait_for 30 sh -c "! kill -0 ${BG_PIDS[sink]} 2>/dev/null" || return 1
	stop_bg sink
	got=$(sha256sum <"$TEST_TMP/recv" | cut -d' ' -f1)
	[ "$got" = "$sum" ] || fail "SHA-256 mismatch after TCP copy: sent $sum, got $got ($(stat -c %s "$TEST_TMP/recv") bytes)"
}

# iperf_nonzero SRCNS SRC DSTNS DST: 5 s of iperf3, some bytes must arrive
iperf_nonzero() {
	local out bytes
	start_bg iperf "$3" iperf3 -s -1 -B "$4" -p 7002
	wait_for 5 listening "$3" t 7002 || return 1
	out=$(ns_exec "$1" timeout 30 iperf3 -c "$4" -B "$2" -p 7002 -t 5 -J 2>&1)
	stop_bg iperf
	bytes=$(jq -r '.end.sum_received.bytes // 0' <<<"$out" 2>/dev/null)
	log "iperf3 received ${bytes:-?} bytes, $(jq -r '.end.sum_received.bits_per_second // 0' <<<"$out" 2>/dev/null) bit/s"
	[ "${bytes:-0}" -gt 1000000 ] 2>/dev/null ||
		fail "iperf3 moved ${bytes:-no} bytes: $(jq -r '.error // empty' <<<"$out" 2>/dev/null | head -c 120)"
}

no_leftovers() {
	local n=$1 dev=$2
	[ -z "$(ns_exec "$n" tc filter show dev "$dev" egress)" ] ||
		{ fail "tc egress filter left on $dev"; return 1; }
	[ -z "$(ns_exec "$n" tc filter show dev "$dev" ingress)" ] ||
		{ fail "tc ingress filter left on $dev"; return 1; }
	! ns_exec "$n" tc qdisc show dev "$dev" | grep -q clsact ||
		{ fail "clsact qdisc left on $dev"; return 1; }
	! ns_exec "$n" ip link show dev "$dev" | grep -q "prog/xdp" ||
		{ fail "XDP program left on $dev"; return 1; }
	! ns_exec "$n" ip link show dev shim6seg0 >/dev/null 2>&1 ||
		{ fail "segmentation device left"; return 1; }
}

# ---- tests --------------------------------------------------------------------------

test_attach_detach() {
	local st
	need_tools || return $SKIP_CODE
	topo_site || return 1
	check ns_shim6ctl A attach dev a0 || return 1
	check ns_shim6ctl A attach dev a0 || return 1	# idempotent
	[ "$(ns_exec A tc filter show dev a0 egress | grep -c 'handle 0x5336')" = 1 ] ||
		{ fail "expected one egress filter after attaching twice"; return 1; }
	[ "$(ns_exec A tc filter show dev a0 ingress | grep -c 'handle 0x5336')" = 1 ] ||
		{ fail "expected one tc ingress filter on veth (default ingress)"; return 1; }
	st=$(ns_shim6ctl A -j status) || { fail "status failed"; return 1; }
	jq -e '.devices | length == 1 and .[0].dev == "a0" and .[0].attached' <<<"$st" >/dev/null ||
		{ fail "status: $st"; return 1; }
	jq -e '.segmentation.ifindex > 0' <<<"$st" >/dev/null || { fail "no seg stage: $st"; return 1; }
	ns_exec A ethtool -k shim6seg0 | grep -q '^generic-segmentation-offload: off' ||
		{ fail "GSO still on on shim6seg0"; return 1; }
	# re-attach with XDP replaces the tc ingress filter
	check ns_shim6ctl A attach dev a0 ingress xdp xdp-mode generic || return 1
	ns_exec A ip link show dev a0 | grep -q "prog/xdp" || { fail "no XDP on a0"; return 1; }
	[ -z "$(ns_exec A tc filter show dev a0 ingress)" ] ||
		{ fail "tc ingress filter left after switching to XDP"; return 1; }
	ns_shim6ctl A -j status | jq -e '.devices[0].ingress == "xdp" and .devices[0].attached' \
		>/dev/null || { fail "status does not show XDP"; return 1; }
	# the maps outlive shim6ctl: a context written now is seen by the next run
	check ns_shim6ctl A context add ulid-local $A1 ulid-peer $B1 local-tag 0x5 \
		peer-tag 0x6 local-locators $A2 peer-locators $B2 || return 1
	check ns_shim6ctl A detach dev a0 || return 1
	no_leftovers A a0 || return 1
	ns_shim6ctl A detach dev a0 2>/dev/null && { fail "second detach succeeded"; return 1; }
	ns_shim6ctl A -j context show tag 0x5 | jq -e '.contexts | length == 1' >/dev/null ||
		{ fail "context lost with the detach"; return 1; }
	# attach again: the pinned maps are reused, the context is still there
	check ns_shim6ctl A attach dev a0 || return 1
	ns_shim6ctl A -j context show tag 0x5 | jq -e '.contexts | length == 1' >/dev/null ||
		{ fail "context lost on re-attach"; return 1; }
	check ns_shim6ctl A detach dev a0 && no_leftovers A a0
}

test_attach_errors() {
	local err
	need_tools || return $SKIP_CODE
	topo_site || return 1
	err=$(ns_shim6ctl A attach dev nosuch0 2>&1) && { fail "attach to a missing device worked"; return 1; }
	grep -q "no such device" <<<"$err" || { fail "unclear error: $err"; return 1; }
	err=$(ns_shim6ctl A context show 2>&1) && { fail "context show without maps worked"; return 1; }
	grep -q "attach" <<<"$err" || { fail "unclear error: $err"; return 1; }
	check ns_shim6ctl A attach dev a0 || return 1
	err=$(ns_shim6ctl A context add ulid-local 2001:db8::zz ulid-peer $B1 local-tag 0x1 \
		peer-tag 0x2 local-locators $A1 peer-locators $B1 2>&1) &&
		{ fail "malformed address accepted"; return 1; }
	err=$(ns_shim6ctl A path set tag 0x77 local $A1 peer $B1 2>&1) &&
		{ fail "path set on an unknown tag worked"; return 1; }
	grep -q "no context with tag 0x77" <<<"$err" || { fail "unclear error: $err"; return 1; }
	check ns_shim6ctl B attach dev b0 || return 1
	ctx_site $A2 $B2 || return 1
	err=$(ns_shim6ctl A path set tag $TAG_A local 2001:db8:99::1 peer $B2 2>&1) &&
		{ fail "path set with a foreign locator worked"; return 1; }
	err=$(ns_shim6ctl A attach dev a0 max-contexts 1000 2>&1) &&
		{ fail "resizing pinned maps was accepted"; return 1; }
	err=$(SHIM6_BPFFS=/tmp/not-a-bpffs/x ns_exec A "$SHIM6CTL" attach dev a0 2>&1) &&
		{ fail "pin root outside a bpffs accepted"; return 1; }
	grep -q "bpffs" <<<"$err" || { fail "unclear error: $err"; return 1; }
	return 0
}

test_capacity_option() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	check ns_shim6ctl A attach dev a0 max-contexts 1000000 || return 1
	ns_shim6ctl A -j status | jq -e '.maps.contexts.max_entries == 1000000 and
		.maps.tags.max_entries == 1000000' >/dev/null ||
		{ fail "maps not sized for 1e6 contexts"; return 1; }
}

test_context_cli() {
	local j
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	j=$(ns_shim6ctl A -j context show ulid-local $A1 ulid-peer $B1)
	jq -e --arg a "$A2" --arg b "$B2" '.contexts[0] | .local_tag == "0x1a1a" and
		.peer_tag == "0x2b2b" and .loc_local == $a and .loc_peer == $b and .rewrite and
		(.local_locators | length == 2) and (.peer_locators | length == 2)' <<<"$j" \
		>/dev/null || { fail "context show: $j"; return 1; }
	# a second context on the same tag is refused
	ns_shim6ctl A context add ulid-local $A2 ulid-peer $B2 local-tag $TAG_A peer-tag 0x9 \
		local-locators $A2 peer-locators $B2 2>/dev/null && { fail "duplicate tag accepted"; return 1; }
	# the per-peer route leaves room for the header
	ns_exec A ip -6 route show $B1 | grep -q "mtu 1492" ||
		{ fail "no MTU route to $B1: $(ns_exec A ip -6 route show $B1)"; return 1; }
	check ns_shim6ctl A path set tag $TAG_A local $A1 peer $B1 || return 1
	ns_shim6ctl A -j context show tag $TAG_A | jq -e '.contexts[0].rewrite == false' \
		>/dev/null || { fail "path back to the ULIDs still rewrites"; return 1; }
	check ns_shim6ctl A context del tag $TAG_A || return 1
	[ -z "$(ns_exec A ip -6 route show $B1)" ] || { fail "MTU route left after del"; return 1; }
	ns_shim6ctl A -j status | jq -e '.maps.contexts.entries == 0 and .maps.peer_tags.entries == 0 and
		.maps.locators.entries == 0 and .maps.tags.entries == 0' >/dev/null ||
		{ fail "context del left entries: $(ns_shim6ctl A -j status | jq -c .maps)"; return 1; }
}

# ping A1 -> B1 over (A2, B2): the packets must cross ISP2, not ISP1
test_ping() {
	local i2 i1 rw
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	i1=$(link_packets ISP1 i1-sa rx)
	i2=$(link_packets ISP2 i2-sa rx)
	check ns_exec A ping -c 20 -i 0.01 -W 2 -I $A1 $B1 || return 1
	[ $(($(link_packets ISP2 i2-sa rx) - i2)) -ge 20 ] ||
		{ fail "pings did not go through ISP2"; return 1; }
	[ $(($(link_packets ISP1 i1-sa rx) - i1)) -lt 10 ] ||
		{ fail "pings went through ISP1"; return 1; }
	rw=$(counter A pass_rewritten)
	[ "$rw" -ge 20 ] || { fail "A rewrote $rw packets"; return 1; }
	[ "$(counter B pass_restored)" -ge 20 ] || { fail "B restored too few packets"; return 1; }
	# and the reply path: B1 -> A1 over (B2, A2)
	check ns_exec B ping -c 5 -i 0.01 -W 2 -I $B1 $A1
}

test_udp() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	start_bg udp B socat -u "UDP6-RECV:7003,bind=[$B1]" "OPEN:$TEST_TMP/udp,creat,trunc"
	wait_for 5 listening B u 7003 || return 1
	echo "shim6 udp payload $$" | check ns_exec A socat -u - "UDP6-SENDTO:[$B1]:7003,bind=[$A1]" ||
		return 1
	wait_for 5 grep -q "shim6 udp payload $$" "$TEST_TMP/udp" || return 1
	stop_bg udp
	[ "$(counter B pass_restored)" -ge 1 ] || fail "the datagram was not restored by B"
}

# bulk TCP over a rewritten pair: iperf3 5 s (behaviour, not speed) and a
# BULK_MB transfer whose SHA-256 must match
bulk_tcp() {
	iperf_nonzero A $A1 B $B1 || return 1
	make_blob "$BULK_MB" >/dev/null || return 1
	tcp_copy A $A1 B $B1 "$TEST_TMP/blob" || return 1
	[ "$(counter A pass_rewritten)" -gt 1000 ] || { fail "A rewrote too little"; return 1; }
	[ "$(counter A drop_gso)" = 0 ] || { fail "GSO drops on A"; return 1; }
}

test_tcp_bulk() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	bulk_tcp || return 1
	[ "$(counter A pass_to_segment)" -gt 0 ] ||
		fail "no GSO skb went through the segmentation stage (offloads were on)"
}

test_tcp_bulk_csum_off() {
	local n d
	need_tools || return $SKIP_CODE
	topo_site || return 1
	for n in "A a0" "SA sa-a" "B b0" "SB sb-b"; do
		set -- $n
		check ns_exec "$1" ethtool -K "$2" tx off rx off || return 1
	done
	attach_site && ctx_site $A2 $B2 || return 1
	bulk_tcp
}

test_tcp_bulk_xdp() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site ingress xdp || return 1
	ctx_site $A2 $B2 || return 1
	bulk_tcp || return 1
	ns_exec B ip link show dev b0 | grep -q "prog/xdp" || fail "B has no XDP program"
}

test_tcp_bulk_tc_ingress() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site ingress tc || return 1
	ctx_site $A2 $B2 || return 1
	bulk_tcp
}

# two_phase_copy SRCNS SRC DSTNS DST CMD...: send a blob in two halves over
# one TCP connection; CMD runs between them (when the first half arrived)
two_phase_copy() {
	local sns=$1 src=$2 dns=$3 dst=$4 half sum got
	shift 4
	half=$((BULK_MB / 2))
	make_blob "$BULK_MB" >/dev/null || return 1
	sum=$(sha256sum <"$TEST_TMP/blob" | cut -d' ' -f1)
	head -c "${half}M" "$TEST_TMP/blob" >"$TEST_TMP/h1"
	tail -c +$((half * 1048576 + 1)) "$TEST_TMP/blob" >"$TEST_TMP/h2"
	rm -f "$TEST_TMP/recv" "$TEST_TMP/fifo"
	mkfifo "$TEST_TMP/fifo"
	start_bg sink "$dns" socat -u "TCP6-LISTEN:7004,bind=[$dst],reuseaddr" \
		"OPEN:$TEST_TMP/recv,creat,trunc"
	wait_for 5 listening "$dns" t 7004 || return 1
	start_bg src "$sns" socat -u "OPEN:$TEST_TMP/fifo" "TCP6:[$dst]:7004,bind=[$src]"
	exec 7>"$TEST_TMP/fifo"
	cat "$TEST_TMP/h1" >&7
	wait_for 60 size_at_least "$TEST_TMP/recv" $((half * 1048576)) ||
		{ exec 7>&-; return 1; }
	"$@" || { exec 7>&-; return 1; }
	cat "$TEST_TMP/h2" >&7
	exec 7>&-
	wait_for 60 sh -c "! kill -0 ${BG_PIDS[sink]} 2>/dev/null" || return 1
	stop_bg src
	stop_bg sink
	got=$(sha256sum <"$TEST_TMP/recv" | cut -d' ' -f1)
	[ "$got" = "$sum" ] ||
		fail "SHA-256 mismatch: $(stat -c %s "$TEST_TMP/recv") bytes arrived of $((BULK_MB * 1048576))"
}

# after the first half: move A's side to (A1, B2) - it now leaves through ISP1
switch_site_path() {
	I1_BEFORE=$(link_packets ISP1 i1-sa rx)
	check ns_shim6ctl A path set tag $TAG_A local $A1 peer $B2 &&
	check ns_shim6ctl B path set tag $TAG_B local $B2 peer $A1
}

test_path_switch() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	two_phase_copy A $A1 B $B1 switch_site_path || return 1
	# the second half (tens of thousands of segments) went through ISP1
	[ $(($(link_packets ISP1 i1-sa rx) - I1_BEFORE)) -gt 10000 ] ||
		fail "the flow did not move to ISP1 ($(($(link_packets ISP1 i1-sa rx) - I1_BEFORE)) packets)"
}

switch_laptop_path() {
	L1_BEFORE=$(link_packets L l1 tx)
	check ns_shim6ctl L path set tag $TAG_A local $L2 peer $P1 &&
	check ns_shim6ctl P path set tag $TAG_B local $P1 peer $L2
}

# the laptop moves a live flow to its second interface
test_laptop_move() {
	need_tools || return $SKIP_CODE
	topo_laptop || return 1
	check ns_shim6ctl L attach dev l0 && check ns_shim6ctl L attach dev l1 &&
	check ns_shim6ctl P attach dev p0 || return 1
	check ns_shim6ctl L context add ulid-local $L1 ulid-peer $P1 local-tag $TAG_A \
		peer-tag $TAG_B local-locators $L1,$L2 peer-locators $P1 || return 1
	check ns_shim6ctl P context add ulid-local $P1 ulid-peer $L1 local-tag $TAG_B \
		peer-tag $TAG_A local-locators $P1 peer-locators $L1,$L2 || return 1
	two_phase_copy L $L1 P $P1 switch_laptop_path || return 1
	[ $(($(link_packets L l1 tx) - L1_BEFORE)) -gt 10000 ] ||
		fail "the flow did not move to l1 ($(($(link_packets L l1 tx) - L1_BEFORE)) packets)"
}

# ISP2's link to SB has MTU 1400: ISP2 answers A's rewritten full-size
# packets with Packet Too Big, which must reach A's TCP as a PMTU for B1
test_ptb() {
	local blob
	need_tools || return $SKIP_CODE
	topo_site || return 1
	check ns_exec ISP2 ip link set dev i2-sb mtu 1400 &&
	check ns_exec SB ip link set dev sb-i2 mtu 1400 || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	BULK_MB=20 make_blob 20 >/dev/null || return 1
	tcp_copy A $A1 B $B1 "$TEST_TMP/blob" || return 1
	ns_exec A ip -6 route get $B1 from $A1 | grep -Eq "mtu 1(3[0-9][0-9]|400)" ||
		{ fail "PMTU to $B1 did not drop: $(ns_exec A ip -6 route get $B1 from $A1)"; return 1; }
	[ "$(counter A pass_icmp_translated)" -ge 1 ] || fail "no ICMPv6 error was translated"
}

# Without the segmentation stage, GSO skbs of a rewritten context cannot be
# sent (the kernel cannot segment next header 140): they are dropped and
# counted.  This is the failure the stage exists for.
test_no_segmentation_drops_gso() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site no-segmentation && ctx_site $A2 $B2 || return 1
	ns_exec A ip link show dev shim6seg0 >/dev/null 2>&1 && { fail "seg stage created"; return 1; }
	start_bg iperf B iperf3 -s -1 -B $B1 -p 7005
	wait_for 5 listening B t 7005 || return 1
	ns_exec A timeout 20 iperf3 -c $B1 -B $A1 -p 7005 -t 2 >/dev/null 2>&1
	stop_bg iperf
	[ "$(counter A drop_gso)" -gt 0 ] || { fail "no GSO drop counted"; return 1; }
	[ "$(counter A pass_to_segment)" = 0 ] || fail "GSO skbs went to a stage that should not exist"
}

# monitor prints the trigger event of a ULID pair without context (JSON lines)
test_monitor() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site || return 1
	start_bg mon A env SHIM6_BPFFS="$(bpffs_of A)" "$SHIM6CTL" -j monitor
	sleep 0.5	# let it open the ring buffer (the events are not lost anyway)
	check ns_exec A ping -c 5 -i 0.01 -s 1000 -W 2 -I $A1 $B1 || return 1
	wait_for 10 grep -q '"event":"trigger"' "$TEST_TMP/bg.mon.log" || return 1
	stop_bg mon
	grep '"event":"trigger"' "$TEST_TMP/bg.mon.log" | head -n1 |
		jq -e --arg a "$A1" --arg b "$B1" '.ulid_local == $a and .ulid_peer == $b' >/dev/null ||
		fail "trigger event: $(head -n1 "$TEST_TMP/bg.mon.log")"
}

test_stats_reset() {
	need_tools || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	check ns_exec A ping -c 3 -i 0.01 -W 2 -I $A1 $B1 || return 1
	[ "$(counter A pass_rewritten)" -ge 3 ] || { fail "nothing counted"; return 1; }
	ns_shim6ctl A -j context show tag $TAG_A | jq -e '.contexts[0].tx_packets >= 3' >/dev/null ||
		{ fail "per-context tx not counted"; return 1; }
	check ns_shim6ctl A stats reset || return 1
	[ "$(counter A pass_rewritten)" = 0 ] || { fail "reset left counters"; return 1; }
	ns_shim6ctl A -j stats | jq -e '[.contexts[] | .tx_packets] | add == 0' >/dev/null ||
		fail "reset left per-context counters"
}

# The laptop's second uplink has MTU 1400: moving a live flow there lowers
# the route MTU to the peer ULID (path set refreshes the per-peer route), so
# nothing is dropped as too big and the transfer completes intact
test_laptop_small_mtu() {
	need_tools || return $SKIP_CODE
	topo_laptop || return 1
	check ns_exec L ip link set dev l1 mtu 1400 && check ns_exec R2 ip link set dev r2-l mtu 1400 ||
		return 1
	check ns_shim6ctl L attach dev l0 && check ns_shim6ctl L attach dev l1 &&
	check ns_shim6ctl P attach dev p0 || return 1
	check ns_shim6ctl L context add ulid-local $L1 ulid-peer $P1 local-tag $TAG_A \
		peer-tag $TAG_B local-locators $L1,$L2 peer-locators $P1 || return 1
	check ns_shim6ctl P context add ulid-local $P1 ulid-peer $L1 local-tag $TAG_B \
		peer-tag $TAG_A local-locators $P1 peer-locators $L1,$L2 || return 1
	ns_exec L ip -6 route show table all $P1 | grep -q "mtu 1492" || { fail "no 1492 route first"; return 1; }
	two_phase_copy L $L1 P $P1 switch_laptop_path || return 1
	ns_exec L ip -6 route show table all $P1 | grep -q "mtu 1392" ||
		{ fail "route MTU not lowered: $(ns_exec L ip -6 route show table all $P1)"; return 1; }
	log "local Packet Too Big sent: $(counter L pass_ptb_sent)"
	[ "$(counter L drop_too_big)" = 0 ] || fail "$(counter L drop_too_big) packets dropped as too big"
}

shrink_l1() {
	check ns_exec L ip link set dev l1 mtu 1400 && check ns_exec R2 ip link set dev r2-l mtu 1400
}

# The uplink's MTU drops under a live flow (the per-peer route still says
# 1492): the data plane answers the packets that no longer fit with a local
# Packet Too Big (MTU - 8), TCP resegments, the transfer completes intact
test_local_ptb() {
	need_tools || return $SKIP_CODE
	topo_laptop || return 1
	check ns_shim6ctl L attach dev l0 && check ns_shim6ctl L attach dev l1 &&
	check ns_shim6ctl P attach dev p0 || return 1
	check ns_shim6ctl L context add ulid-local $L1 ulid-peer $P1 local-tag $TAG_A \
		peer-tag $TAG_B local-locators $L1,$L2 peer-locators $P1 path $L2 $P1 || return 1
	check ns_shim6ctl P context add ulid-local $P1 ulid-peer $L1 local-tag $TAG_B \
		peer-tag $TAG_A local-locators $P1 peer-locators $L1,$L2 path $P1 $L2 || return 1
	BULK_MB=40 two_phase_copy L $L1 P $P1 shrink_l1 || return 1
	[ "$(counter L pass_ptb_sent)" -ge 1 ] || fail "no local Packet Too Big was sent"
}

# Two uplinks share one segmentation stage; it goes with the last detach
test_detach_last_device() {
	need_tools || return $SKIP_CODE
	topo_laptop || return 1
	check ns_shim6ctl L attach dev l0 && check ns_shim6ctl L attach dev l1 || return 1
	[ "$(ns_exec L ip -o link show | grep -c shim6seg)" = 2 ] || { fail "expected one seg pair"; return 1; }
	check ns_shim6ctl L detach dev l0 || return 1
	ns_exec L ip link show dev shim6seg0 >/dev/null 2>&1 ||
		{ fail "seg stage removed while l1 is attached"; return 1; }
	ns_shim6ctl L -j status | jq -e '[.devices[].dev] == ["l1"] and .segmentation.ifindex > 0' \
		>/dev/null || { fail "status after detaching l0: $(ns_shim6ctl L -j status | jq -c .devices)"; return 1; }
	[ -z "$(ns_exec L tc filter show dev l0 egress)" ] || { fail "filter left on l0"; return 1; }
	check ns_shim6ctl L detach dev l1 || return 1
	no_leftovers L l0 && no_leftovers L l1
}

# next hops the egress program of N's DEV has cached for context TAG (one
# line per CPU holding an entry; bpf/lib/nhcache.h: the map is not pinned,
# it is found through the program's map ids)
nh_cached() {
	local n=$1 dev=$2 tag=$3 prog map key
	prog=$(ns_exec "$n" tc filter show dev "$dev" egress | grep -o ' id [0-9]*' | awk '{print $2}')
	[ -n "$prog" ] || return 1
	for map in $(bpftool prog show id "$prog" -j | jq '.map_ids[]'); do
		bpftool map show id "$map" -j | jq -e '.name == "shim6_nhcache"' >/dev/null && break
		map=
	done
	[ -n "$map" ] || return 1
	key=$(printf '%016x' $((tag)) | sed 's/../& /g' | awk '{for (i = 8; i >= 1; i--) printf "%s ", $i}')
	# value: loc_local[16] loc_peer[16] nh_family(u32) ipv6_nh[16] ... (72 bytes)
	bpftool map lookup id "$map" key hex $key -j 2>/dev/null |
		jq -r '.values[] | select(.value[32] == "0x0a") | .value[36:52] | map(.[2:]) | join("")' |
		python3 -c 'import ipaddress, sys
for l in sys.stdin:
    print(ipaddress.IPv6Address(bytes.fromhex(l.strip())))'
}

# The egress program caches the next hop of a rewritten context's locator
# pair (bpf_redirect_neigh with a next hop skips the per-packet route
# lookup): the cached next hop must be the one the kernel's own route lookup
# gives for that locator pair - the ISP2 gateway on the site topology - and
# follow a path change to the other pair at once.
test_nexthop_cache() {
	local want got
	need_tools || return $SKIP_CODE
	require_cmd bpftool python3 || return $SKIP_CODE
	topo_site || return 1
	attach_site && ctx_site $A2 $B2 || return 1
	iperf_nonzero A $A1 B $B1 || return 1
	want=$(ns_exec A ip -6 route get $B2 from $A2 | grep -o 'via [^ ]*' | awk '{print $2}')
	[ -n "$want" ] || { fail "no gateway for $A2 -> $B2 on A"; return 1; }
	got=$(nh_cached A a0 $TAG_A | sort -u)
	[ "$got" = "$want" ] || { fail "cached next hop '$got', the kernel routes via '$want'"; return 1; }
	check ns_shim6ctl A path set tag $TAG_A local $A1 peer $B2 || return 1
	check ns_shim6ctl B path set tag $TAG_B local $B2 peer $A1 || return 1
	iperf_nonzero A $A1 B $B1 || return 1
	want=$(ns_exec A ip -6 route get $B2 from $A1 | grep -o 'via [^ ]*' | awk '{print $2}')
	got=$(nh_cached A a0 $TAG_A | sort -u)
	[ "$got" = "$want" ] || fail "after path set: cached next hop '$got', the kernel routes via '$want'"
}

ALL_TESTS="test_attach_detach test_attach_errors test_capacity_option test_context_cli
	test_ping test_udp test_tcp_bulk test_tcp_bulk_csum_off test_tcp_bulk_xdp
	test_tcp_bulk_tc_ingress test_path_switch test_laptop_move test_ptb
	test_no_segmentation_drops_gso test_monitor test_stats_reset test_laptop_small_mtu
	test_local_ptb test_detach_last_device test_nexthop_cache"
run_tests
