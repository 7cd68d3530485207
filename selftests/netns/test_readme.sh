#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# README.md "Deploying on a host with two ISPs" and "Troubleshooting", run as
# written (generated addresses in place of the example ones, each namespace
# with its own pin root and control socket): a host H with eth0/eth1 and a
# peer P with p0/p1, both with an HBA set over 2001:db8:1::/64 and
# 2001:db8:2::/64, source-prefix routing through fe80::1.  If the README's
# commands stop working, these tests fail.
#
#   bash selftests/netns/test_readme.sh
#   TESTS="test_readme_daemon" V=1 bash selftests/netns/test_readme.sh
. "$(dirname "$0")/lib.sh"

SHIM6D=${SHIM6D:-$SHIM6_TOP/.output/shim6d}

h() { ns_shim6ctl H "$@"; }
p() { ns_shim6ctl P "$@"; }

# counter N NAME: packets of a verdict/drop counter of N's data plane
counter() {
	ns_shim6ctl "$1" -j stats | jq -r --arg r "$2" \
		'[.reasons[] | select(.reason == $r) | .packets] | add // 0'
}

# The bed and steps 1-2 of the README; sets A1 A2 (H) and B1 B2 (P).
readme_bed() {
	local n
	require_cmd jq tcpdump bpftool || return 1
	ns_add H && ns_add P || return 1
	set_host H && set_host P
	link_add H eth0 P p0 && link_add H eth1 P p1 || return 1
	for n in p0 p1; do check ns_exec P ip -6 addr add fe80::1/64 dev $n || return 1; done
	mkdir -p "$TEST_TMP/H" "$TEST_TMP/P"
	# 1. addresses: an HBA set per host
	read -r A1 A2 < <(h -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 \
		out "$TEST_TMP/H/set.params" | jq -r '.addresses | join(" ")')
	read -r B1 B2 < <(p -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 \
		out "$TEST_TMP/P/set.params" | jq -r '.addresses | join(" ")')
	[ -n "$A2" ] && [ -n "$B2" ] || { fail "hba gen gave no addresses"; return 1; }
	check h hba verify address "$A2" params "$TEST_TMP/H/set.params" >/dev/null || return 1
	check ns_exec H ip -6 addr add "$A1/64" dev eth0 && check ns_exec H ip -6 addr add "$A2/64" dev eth1 &&
	check ns_exec P ip -6 addr add "$B1/64" dev p0 && check ns_exec P ip -6 addr add "$B2/64" dev p1 ||
		return 1
	# 2. routing by source prefix
	check ns_exec H ip -6 rule add from 2001:db8:1::/64 table 101 &&
	check ns_exec H ip -6 route add default via fe80::1 dev eth0 table 101 &&
	check ns_exec H ip -6 rule add from 2001:db8:2::/64 table 102 &&
	check ns_exec H ip -6 route add default via fe80::1 dev eth1 table 102 || return 1
	wait_for 5 ns_exec H ping -c1 -W1 -I "$A2" "$B1" >/dev/null ||
		{ fail "no route from $A2 to $B1 before shim6"; return 1; }
	# 4. attach
	check h attach dev eth0 && check h attach dev eth1 &&
	check p attach dev p0 && check p attach dev p1 || return 1
	h status | grep -q "segmentation stage shim6seg0 ifindex [1-9]" ||
		{ fail "status shows no segmentation stage: $(h status)"; return 1; }
}

# Static contexts, path set, the per-peer route, troubleshooting commands.
test_readme_static() {
	local before
	readme_bed || return 1
	check h context add ulid-local "$A1" ulid-peer "$B1" local-tag 0x1a1 peer-tag 0x1b1 \
		local-locators "$A1,$A2" peer-locators "$B1,$B2" &&
	check p context add ulid-local "$B1" ulid-peer "$A1" local-tag 0x1b1 peer-tag 0x1a1 \
		local-locators "$B1,$B2" peer-locators "$A1,$A2" || return 1
	# 6. the per-peer route, in the table that serves the local ULID
	ns_exec H ip -6 route show table 101 | grep -q "^$B1 via fe80::1 dev eth0 proto 86 .*mtu 1492 advmss 1432" ||
		{ fail "no per-peer route in table 101: $(ns_exec H ip -6 route show table 101)"; return 1; }
	check h path set tag 0x1a1 local "$A2" peer "$B2" || return 1
	check p path set tag 0x1b1 local "$B2" peer "$A2" || return 1
	h context show | grep -q "path $A2 $B2 (rewritten)" ||
		{ fail "context show: $(h context show)"; return 1; }
	# troubleshooting: capture, decode, stats, bpftool
	before=$(counter H pass_rewritten)
	start_bg cap H tcpdump -i eth1 -U -w "$TEST_TMP/cap.pcap" -c 2 'ip6[6] == 140'
	wait_for 5 test -s "$TEST_TMP/cap.pcap" || { fail "tcpdump did not start"; return 1; }
	check ns_exec H ping -c3 -i 0.2 -W2 -I "$A1" "$B1" >/dev/null || return 1
	wait_for 5 sh -c "! kill -0 ${BG_PIDS[cap]} 2>/dev/null" || { fail "capture saw no Shim6 packet"; return 1; }
	h decode pcap "$TEST_TMP/cap.pcap" | grep -q "Receiver Context Tag 0x1b1" ||
		{ fail "decode pcap: $(h decode pcap "$TEST_TMP/cap.pcap")"; return 1; }
	[ "$(counter H pass_rewritten)" -ge $((before + 3)) ] || { fail "pass_rewritten did not grow by 3"; return 1; }
	h -d stats | grep -q "drop_foreign_dst" || { fail "stats -d lacks the zero counters"; return 1; }
	bpftool map dump pinned "$(bpffs_of H)/shim6_ulid" | grep -q '"value"' ||
		{ fail "bpftool map dump of shim6_ulid shows no entry"; return 1; }
	ns_exec H bpftool net | grep -q "eth1(.*clsact/egress shim6_egress" ||
		{ fail "bpftool net: $(ns_exec H bpftool net)"; return 1; }
	# the operator's route (README step 6, for the daemon)
	check ns_exec H ip -6 route replace "$B1/128" via fe80::1 dev eth0 table 101 mtu 1492 advmss 1432 ||
		return 1
	check h detach dev eth0 && check h detach dev eth1 || return 1
	ns_exec H ip link show shim6seg0 >/dev/null 2>&1 && { fail "last detach left the stage"; return 1; }
	return 0
}

# Step 5: shim6d on both ends with the README's configuration.
test_readme_daemon() {
	local n tag before
	[ -x "$SHIM6D" ] || { skip "$SHIM6D not built"; return $SKIP_CODE; }
	readme_bed || return 1
	for n in H P; do
		local l1=$A1 l2=$A2 d0=eth0 d1=eth1
		[ $n = P ] && l1=$B1 l2=$B2 d0=p0 d1=p1
		cat >"$TEST_TMP/$n/shim6d.conf" <<-EOC
		[daemon]
		control-socket $TEST_TMP/$n/sock
		state-file $TEST_TMP/$n/state
		bpffs $(bpffs_of $n)
		[interface $d0]
		[interface $d1]
		[address $l1]
		params $TEST_TMP/$n/set.params
		[address $l2]
		params $TEST_TMP/$n/set.params
		EOC
		check "$SHIM6D" --config "$TEST_TMP/$n/shim6d.conf" --check-config || return 1
		start_bg "d$n" $n "$SHIM6D" --config "$TEST_TMP/$n/shim6d.conf"
		wait_for 5 env SHIM6D_SOCKET="$TEST_TMP/$n/sock" "$SHIM6CTL" daemon status >/dev/null ||
			{ fail "shim6d in $n did not come up: $(bg_log d$n | tail -3)"; return 1; }
	done
	export SHIM6D_SOCKET=$TEST_TMP/H/sock
	check h daemon context start ulid-local "$A1" ulid-peer "$B1" >/dev/null || return 1
	wait_for 5 sh -c "'$SHIM6CTL' -j daemon context | jq -e '.contexts[] | select(.state == \"established\")' >/dev/null" ||
		{ fail "no established context: $(h daemon context)"; return 1; }
	tag=$(h -j daemon context | jq -r '.contexts[0].local_tag')
	# move the flow to our second locator (the peer's ULID stays the peer locator)
	check h daemon path set tag "$tag" local "$A2" peer "$B1" || return 1
	before=$(counter H pass_rewritten)
	check ns_exec H ping -c3 -i 0.2 -W2 -I "$A1" "$B1" >/dev/null || return 1
	[ "$(counter H pass_rewritten)" -ge $((before + 3)) ] || { fail "pings were not rewritten"; return 1; }
	return 0
}

ALL_TESTS="test_readme_static test_readme_daemon"
run_tests
