#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim6d end to end: two namespaces A and B joined by a veth pair, the data
# plane attached to each side (`shim6ctl attach`, maps pinned in a private
# bpffs), a shim6d in each (or not); contexts established over real raw
# sockets and written to the real maps; TCP traffic triggers contexts.
#
#   A  2001:db8:1::a  a0 ---- b0  2001:db8:1::b  B
#
# The harness is lib.sh's, the bed ab_bed.sh's: each test builds it from nothing
# and tears it down; names carry $$; the script runs in its own mount
# namespace so the bpffs mount dies with it.  Waiting for a state polls with
# a bound (wait_for), never a timed assertion.  TESTS="test_a test_b" runs a
# subset; V=1 is verbose (and shows the daemon logs of a failing test).
set -u
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/ab_bed.sh"

# 0x1234 -> "34 12 00 00 00 00 00 00" (a __u64 key, little endian)
tag_key() {
	local v=$(($1)) i out=
	for ((i = 0; i < 8; i++)); do
		out+=$(printf '%02x ' $(((v >> (8 * i)) & 0xff)))
	done
	echo "$out"
}

# peer_tag stored in shim6_ulid for the pair (local, peer) of namespace N, as 0x…
map_peer_tag() {
	local n=$1 key
	key=$(python3 -c 'import ipaddress,sys; print(" ".join("%02x" % b for a in sys.argv[1:] for b in ipaddress.IPv6Address(a).packed))' "$2" "$3")
	bpftool -j map lookup pinned "$(bpffs_of "$n")/shim6_ulid" key hex $key |
		python3 -c 'import json,sys; v=json.load(sys.stdin)["value"]; b=bytes(int(x,16) for x in v[32:40]); print(hex(int.from_bytes(b,"little")))'
}

# ---- tests -------------------------------------------------------------

test_handshake() {
	start_d A && start_d B || return 1
	[ "$(map_count A shim6_tag)" = 0 ] || fail "maps not empty before" || return 1
	establish || return 1
	local at ap bt bp
	at=$(ctx_field A '.contexts[0].local_tag'); ap=$(ctx_field A '.contexts[0].peer_tag')
	bt=$(ctx_field B '.contexts[0].local_tag'); bp=$(ctx_field B '.contexts[0].peer_tag')
	log "A $at/$ap B $bt/$bp"
	[ "$ap" = "$bt" ] && [ "$bp" = "$at" ] || fail "tags disagree: A $at/$ap, B $bt/$bp" || return 1
	[ "$(ctx_field A '.contexts[0].in_maps')" = true ] || fail "A not in maps" || return 1
	bpftool map lookup pinned "$(bpffs_of A)/shim6_tag" key hex $(tag_key "$at") >/dev/null ||
		fail "A's tag not in shim6_tag" || return 1
	bpftool map lookup pinned "$(bpffs_of B)/shim6_tag" key hex $(tag_key "$bt") >/dev/null ||
		fail "B's tag not in shim6_tag" || return 1
	[ "$(map_peer_tag A $ADDR_A $ADDR_B)" = "$ap" ] || fail "A's shim6_ulid peer_tag wrong" || return 1
	[ "$(map_peer_tag B $ADDR_B $ADDR_A)" = "$bp" ] || fail "B's shim6_ulid peer_tag wrong" || return 1
	[ "$(stat_of B '.tx_by_type.r1')" = 1 ] && [ "$(stat_of B '.tx_by_type.r2')" = 1 ] ||
		fail "B did not send exactly one R1 and one R2" || return 1
	# TCP leaves room for the Shim6 header: a /128 route with MTU - 8 (protocol 86)
	ns_exec A ip -6 route show table all "$ADDR_B/128" proto 86 | grep -q " mtu " ||
		fail "A has no per-peer MTU route to B" || return 1
	# the operator removes it: gone from the daemon and from the maps
	check_ok dctl A daemon context del tag "$at" || return 1
	[ -z "$(ns_exec A ip -6 route show table all "$ADDR_B/128" proto 86)" ] ||
		fail "A's per-peer route outlived the context" || return 1
	[ "$(ctx_field A '.contexts | length')" = 0 ] || fail "A still lists it" || return 1
	bpftool map lookup pinned "$(bpffs_of A)/shim6_tag" key hex $(tag_key "$at") >/dev/null 2>&1 &&
		fail "A's tag still in shim6_tag" && return 1
	[ "$(map_count A shim6_ulid)" = 0 ] || fail "A's shim6_ulid not empty" || return 1
	# removed from B's maps behind its daemon's back: B's daemon follows
	# when REAP next reads the entries (idle look, 5 s at the default timers)
	check_ok dp_direct B context del tag "$bt" || return 1
	wait_for 12 ctx_count_is B 0 || fail "B's daemon kept a context the data plane lost" || return 1
}

test_no_support() {
	start_d A || return 1	# no shim6d on B: its kernel answers Parameter Problem
	check_ok dctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B || return 1
	wait_for 5 state_is A no-support || fail "A: $(ctx_field A .contexts[0].state), want no-support" || return 1
	# hold-down: no new attempt, no retry storm
	dctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B 2>/dev/null &&
		fail "a new context was allowed during the hold-down" && return 1
	# let the I1 retransmission timer (200 ms, randomised up to 300 ms) pass twice over
	sleep 1
	[ "$(stat_of A '.tx_by_type.i1')" = 1 ] || fail "A sent $(stat_of A '.tx_by_type.i1') I1, want 1" || return 1
	[ "$(map_count A shim6_tag)" = 0 ] || fail "a NO-SUPPORT context reached the maps" || return 1
	# shim6ctl context show (the maps' view) adds the daemon's contexts not in the maps
	dp A -j context show >"$TEST_TMP/cs.json" || fail "context show failed" || return 1
	jq -e '.contexts | length == 1 and .[0].daemon.state == "no-support" and
		.[0].daemon.in_maps == false' "$TEST_TMP/cs.json" >/dev/null ||
		fail "context show: $(cat "$TEST_TMP/cs.json")" || return 1
	dp A context show | grep -q "shim6d: no-support" || fail "text: $(dp A context show)" || return 1
}

test_e_failed() {
	start_d A && start_d B || return 1
	# a peer that never answers: its prefix is routed to B, which does not
	# forward (it answers "no route" at most, which is not a Shim6 answer)
	ns_exec A ip -6 route add 2001:db8:ff::/64 via $ADDR_B || return 1
	check_ok dctl A daemon context start ulid-local $ADDR_A ulid-peer 2001:db8:ff::1 || return 1
	wait_for 10 state_is A e-failed || fail "A: $(ctx_field A .contexts[0].state), want e-failed" || return 1
	[ "$(stat_of A '.tx_by_type.i1')" = 3 ] || fail "want 1 + i1-retries(2) I1, got $(stat_of A '.tx_by_type.i1')" || return 1
	dctl A daemon context start ulid-local $ADDR_A ulid-peer 2001:db8:ff::1 2>/dev/null &&
		fail "retry allowed during NO_R1_HOLDDOWN" && return 1
	return 0
}

test_recovery_r1bis() {
	start_d A && start_d B || return 1
	establish || return 1
	local at old_bt bt
	at=$(ctx_field A '.contexts[0].local_tag')
	old_bt=$(ctx_field B '.contexts[0].local_tag')
	# B crashes and comes back with its state wiped (maps recreated empty)
	kill9_d B
	rm -f "$TEST_TMP/B.state"
	make_maps B || return 1
	start_d B || return 1
	local nb; nb=$(ctx_field B ".contexts | length"); [ "$nb" = 0 ] || fail "B still has contexts: $nb" || return 1
	# A uses the context: B has no state for the tag -> R1bis, I2bis, R2
	check_ok dctl A daemon context keepalive tag "$at" || return 1
	wait_for 5 state_is B established || fail "B did not recover the context" || return 1
	wait_for 5 state_is A established || fail "A not established again" || return 1
	bt=$(ctx_field B '.contexts[0].local_tag')
	[ "$(ctx_field A '.contexts[0].peer_tag')" = "$bt" ] || fail "A's CT(peer) not B's new tag" || return 1
	[ "$bt" != "$old_bt" ] || fail "B reused its lost tag" || return 1
	[ "$(stat_of B '.r1bis_sent')" -ge 1 ] && [ "$(stat_of A '.tx_by_type.i2bis')" -ge 1 ] ||
		fail "no R1bis/I2bis exchange seen" || return 1
	[ "$(map_peer_tag A $ADDR_A $ADDR_B)" = "$bt" ] || fail "A's maps not updated" || return 1
}

test_recovery_by_payload() {
	# A sends from its second HBA locator (payload with B's tag in a Shim6
	# header); B loses everything; A's next data packets reach B's data plane
	# with a tag it does not know -> event -> R1bis -> I2bis -> recovered, and
	# the TCP exchange goes through
	gen_hba A || fail "hba gen" || return 1
	# B reaches A's second prefix over the veth (R1bis goes to the locator the payload came from)
	ns_exec B ip -6 route add 2001:db8:2::/64 dev b0 || return 1
	# after the recovery B sends to A's second locator too (the I2bis came from
	# it): rewritten GSO packets are dropped by a data plane attached without
	# the segmentation stage (drop_gso), so B's TCP must not build them
	ns_exec B ethtool -K b0 tso off gso off >/dev/null || return 1
	start_d A "$(cat "$TEST_TMP/A.addrs")" && start_d B || return 1
	check_ok dctl A daemon context start ulid-local "$HBA1" ulid-peer $ADDR_B || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	wait_for 5 state_is A established || fail "A not established" || return 1
	local at old_bt
	at=$(ctx_field A '.contexts[0].local_tag'); old_bt=$(ctx_field B '.contexts[0].local_tag')
	check_ok dp A path set tag "$at" local "$HBA2" peer $ADDR_B || return 1
	kill9_d B
	rm -f "$TEST_TMP/B.state"
	make_maps B || return 1
	start_d B || return 1
	[ "$(stat_of A .tx_by_type.i2bis)" = 0 ] || fail "I2bis before any packet" || return 1
	tcp_exchange A $ADDR_B 65536 "$HBA1" || fail "TCP did not get through the recovery" || return 1
	wait_for 5 state_is B established || fail "B did not recover" || return 1
	[ "$(stat_of B .r1bis_sent)" -ge 1 ] && [ "$(stat_of A .tx_by_type.i2bis)" -ge 1 ] ||
		fail "no R1bis/I2bis exchange" || return 1
	[ "$(dp B -j stats | jq '[.. | objects | select(.reason? == "drop_unknown_tag") | .packets] | add')" -ge 1 ] ||
		fail "B's data plane saw no unknown tag" || return 1
	[ "$(ctx_field A '.contexts[0].peer_tag')" = "$(ctx_field B '.contexts[0].local_tag')" ] &&
	[ "$(ctx_field B '.contexts[0].local_tag')" != "$old_bt" ] || fail "tags after recovery" || return 1
	# B verified A's list again: the rewritten pair is accepted
	[ "$(ctx_field B '.contexts[0].peer_locators | length')" = 2 ] || fail "B lacks A's locators" || return 1
	tcp_exchange A $ADDR_B 65536 "$HBA1" ||
		fail "TCP after recovery: A $(ctx_field A -c '.contexts[0] | del(.peer_preferences)')" \
			"B $(ctx_field B -c '.contexts[0] | del(.peer_preferences)')" \
			"B dp $(dp B -j stats | jq -c '[.reasons[] | select(.packets > 0) | {reason, packets}]')" || return 1
}

test_restart_resume() {
	start_d A && start_d B || return 1
	establish || return 1
	local at ap
	at=$(ctx_field A '.contexts[0].local_tag'); ap=$(ctx_field A '.contexts[0].peer_tag')
	kill9_d A
	# the maps survive the daemon; the new daemon resumes from them
	start_d A || return 1
	[ "$(ctx_field A '.contexts[0].local_tag')" = "$at" ] &&
	[ "$(ctx_field A '.contexts[0].peer_tag')" = "$ap" ] &&
	[ "$(ctx_field A '.contexts[0].state')" = established ] ||
		fail "A did not resume $at/$ap: $(ctx_field A -c .contexts)" || return 1
	# and it still works with B: a Keepalive is accepted, no recovery needed
	check_ok dctl A daemon context keepalive tag "$at" || return 1
	wait_for 5 stat_is B '.rx_by_type.keepalive' 1 || fail "B did not get the Keepalive" || return 1
	[ "$(stat_of B '.r1bis_sent')" = 0 ] || fail "B answered R1bis: context lost" || return 1
}

test_idle_gc() {
	start_d A && IDLE=1s start_d B || return 1
	# (not establish(): B may collect the context before we look at it)
	check_ok dctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B || return 1
	wait_for 5 state_is A established || fail "A not established" || return 1
	[ "$(stat_of B .established)" = 1 ] || fail "B never established" || return 1
	# B collects the idle context (no traffic) and takes it out of its maps
	wait_for 10 ctx_count_is B 0 || fail "B kept the idle context" || return 1
	[ "$(map_count B shim6_tag)" = 0 ] && [ "$(map_count B shim6_ulid)" = 0 ] ||
		fail "B's maps still hold it" || return 1
	[ "$(stat_of B '.gc')" = 1 ] || fail "gc counter" || return 1
	[ "$(ctx_field A '.contexts | length')" = 1 ] || fail "A (idle-timeout 0) lost its context" || return 1
}

# gen_hba N: an HBA set for namespace N over 2001:db8:1::/64 and 2001:db8:2::/64,
# both addresses on its veth; sets HBA1 HBA2 and writes the [address] sections
gen_hba() {
	local n=$1 dev j
	dev=$([ "$n" = A ] && echo a0 || echo b0)
	j=$("$SHIM6CTL" -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 sec 0 \
		out "$TEST_TMP/$n.params") || return 1
	HBA1=$(jq -r '.addresses[0]' <<<"$j"); HBA2=$(jq -r '.addresses[1]' <<<"$j")
	printf '[address %s]\nparams %s\n[address %s]\nparams %s\n' \
		"$HBA1" "$TEST_TMP/$n.params" "$HBA2" "$TEST_TMP/$n.params" >"$TEST_TMP/$n.addrs"
	ns_exec "$n" ip addr add "$HBA1/64" dev $dev nodad &&
	ns_exec "$n" ip addr add "$HBA2/64" dev $dev nodad
}

peer_locs_of() { dctl "$1" -j daemon context show | jq -c '[.contexts[0].peer_locators[]] | sort'; }

test_hba_locators() {
	gen_hba A || fail "hba gen" || return 1
	start_d A "$(cat "$TEST_TMP/A.addrs")" && start_d B || return 1
	[ "$(dctl A -j daemon status | jq -r '[.local_addresses[] | select(.present)] | length')" = 2 ] ||
		fail "A does not see its two HBA addresses present" || return 1
	check_ok dctl A daemon context start ulid-local "$HBA1" ulid-peer $ADDR_B || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	wait_for 5 state_is A established || fail "A not established" || return 1
	local want
	want=$(jq -cn --arg a "$HBA1" --arg b "$HBA2" '[$a, $b] | sort')
	[ "$(peer_locs_of B)" = "$want" ] || fail "B's peer locators $(peer_locs_of B), want $want" || return 1
	[ "$(stat_of B .loclist_ok)" = 1 ] || fail "B verified no list" || return 1
	# the verified second locator is in B's shim6_loc as a peer locator
	local bt key
	bt=$(ctx_field B '.contexts[0].local_tag')
	key="$(tag_key "$bt")$(python3 -c 'import ipaddress,sys; print(" ".join("%02x" % b for b in ipaddress.IPv6Address(sys.argv[1]).packed))' "$HBA2")"
	bpftool map lookup pinned "$(bpffs_of B)/shim6_loc" key hex $key >/dev/null ||
		fail "HBA2 not in B's shim6_loc" || return 1
	# shim6ctl context show: the maps' context with the daemon's verified set
	dp B -j context show tag "$bt" >"$TEST_TMP/cs.json" || fail "context show failed" || return 1
	jq -e --argjson w "$want" '.contexts[0].daemon.state == "established" and
		([.contexts[0].daemon.peer_locator_set[] | select(.verified and .method == "hba") |
		  .address] | sort) == $w and (.contexts[0].peer_locators | sort) == $w' \
		"$TEST_TMP/cs.json" >/dev/null || fail "context show: $(cat "$TEST_TMP/cs.json")" || return 1
	# B restarts (kill -9): the maps and its state file give back the whole context
	local gen
	gen=$(ctx_field B '.contexts[0].peer_generation')
	wait_for 5 grep -q "$bt" "$TEST_TMP/B.state" || fail "B's state file lacks the context" || return 1
	kill9_d B
	start_d B || return 1
	[ "$(ctx_field B '.contexts[0].local_tag')" = "$bt" ] &&
	[ "$(peer_locs_of B)" = "$want" ] &&
	[ "$(ctx_field B '.contexts[0].peer_generation')" = "$gen" ] ||
		fail "B after restart: $(dctl B -j daemon context show)" || return 1
}

test_forged_list() {
	# A has no shim6d: a bare script plays the initiator with a chosen list
	gen_hba A || fail "hba gen" || return 1
	start_d B || return 1
	local forge="$SHIM6_TOP/selftests/netns/shim6_forge.py"
	# the genuine list: the script is right, B establishes
	ns_exec A python3 "$forge" "$HBA1" $ADDR_B "$TEST_TMP/A.params" "$HBA1,$HBA2" ||
		fail "the genuine list was not accepted" || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	[ "$(ctx_field B '.contexts[0].peer_locators | length')" = 2 ] || fail "list not recorded" || return 1
	check_ok dctl B daemon context del tag "$(ctx_field B '.contexts[0].local_tag')" || return 1
	# a locator outside the HBA set: B refuses the I2, no R2, no context
	ns_exec A python3 "$forge" "$HBA1" $ADDR_B "$TEST_TMP/A.params" "$HBA1,2001:db8:2::dead" &&
		fail "B answered R2 to a forged list" && return 1
	[ "$(ctx_field B '.contexts | length')" = 0 ] || fail "a context formed on a forged list" || return 1
	[ "$(stat_of B .loclist_bad)" = 1 ] || fail "refusal not counted" || return 1
	[ "$(stat_of B .tx_by_type.error)" = 1 ] || fail "B sent no Error code 2 (RFC 5533 §7.2)" || return 1
	[ "$(map_count B shim6_tag)" = 0 ] || fail "something reached B's maps" || return 1
}

test_cga_locators() {
	local j c1 c2
	"$SHIM6CTL" key gen out "$TEST_TMP/A.key" bits 1024 >/dev/null || fail "key gen" || return 1
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:1::/64 key "$TEST_TMP/A.key" sec 0 out "$TEST_TMP/A1.params") &&
	c1=$(jq -r .address <<<"$j") &&
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:2::/64 key "$TEST_TMP/A.key" sec 0 out "$TEST_TMP/A2.params") &&
	c2=$(jq -r .address <<<"$j") || fail "cga gen" || return 1
	ns_exec A ip addr add "$c1/64" dev a0 nodad && ns_exec A ip addr add "$c2/64" dev a0 nodad || return 1
	start_d A "$(printf '[address %s]\nparams %s\nkey %s\n[address %s]\nparams %s\nkey %s\n' \
		"$c1" "$TEST_TMP/A1.params" "$TEST_TMP/A.key" "$c2" "$TEST_TMP/A2.params" "$TEST_TMP/A.key")" && start_d B || return 1
	check_ok dctl A daemon context start ulid-local "$c1" ulid-peer $ADDR_B || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	local want
	want=$(jq -cn --arg a "$c1" --arg b "$c2" '[$a, $b] | sort')
	[ "$(peer_locs_of B)" = "$want" ] || fail "B's peer locators $(peer_locs_of B), want $want" || return 1
}

test_address_change() {
	gen_hba A || fail "hba gen" || return 1
	ns_exec A ip addr del "$HBA2/64" dev a0 || return 1
	start_d A "$(cat "$TEST_TMP/A.addrs")" && start_d B || return 1
	check_ok dctl A daemon context start ulid-local "$HBA1" ulid-peer $ADDR_B || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	[ "$(ctx_field B '.contexts[0].peer_locators | length')" = 1 ] ||
		fail "B sees more than the ULID" || return 1
	local g0
	g0=$(dctl A -j daemon status | jq .locator_generation)
	# the address appears: rtnetlink -> new generation -> Update Request -> B
	ns_exec A ip addr add "$HBA2/64" dev a0 nodad || return 1
	wait_for 5 peer_locs_count_is B 2 || fail "B did not learn HBA2 by Update" || return 1
	wait_for 5 stat_is A .updates_acked 1 || fail "A's Update not acknowledged" || return 1
	[ "$(dctl A -j daemon status | jq .locator_generation)" != "$g0" ] ||
		fail "generation unchanged" || return 1
	[ "$(ctx_field B '.contexts[0].peer_generation')" = "$(dctl A -j daemon status | jq .locator_generation)" ] ||
		fail "B's peer generation differs from A's" || return 1
	# and disappears again
	ns_exec A ip addr del "$HBA2/64" dev a0 || return 1
	wait_for 5 peer_locs_count_is B 1 || fail "B still lists HBA2" || return 1
	wait_for 5 stat_is A .updates_acked 2 || fail "second Update not acknowledged" || return 1
	[ "$(dctl A -j daemon status | jq '[.local_addresses[] | select(.present)] | length')" = 1 ] ||
		fail "A still counts the removed address" || return 1
}
peer_locs_count_is() { [ "$(ctx_field "$1" '.contexts[0].peer_locators | length')" = "$2" ]; }

# tcp_exchange FROM TO-ADDR BYTES [SRC-ADDR]: one TCP connection, BYTES each way
tcp_exchange() {
	local from=$1 to=$2 bytes=$3 src=${4:-::} srv
	srv=$([ "$from" = A ] && echo B || echo A)
	ns_exec "$srv" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 5001)); s.listen(1); s.settimeout(10)
c, _ = s.accept(); n = int(sys.argv[1]); got = 0
while got < n:
    d = c.recv(65536)
    if not d: break
    got += len(d)
c.sendall(b"y" * n); c.close()' "$bytes" &
	local spid=$!
	wait_for 5 ns_exec "$srv" sh -c "ss -Hltn | grep -q :5001" || { kill $spid; return 1; }
	ns_exec "$from" python3 -c '
import socket, sys
c = socket.create_connection((sys.argv[1], 5001), timeout=10, source_address=(sys.argv[3], 0))
n = int(sys.argv[2])
c.sendall(b"x" * n); got = 0
while got < n:
    d = c.recv(65536)
    if not d: break
    got += len(d)
sys.exit(0 if got == n else 1)' "$to" "$bytes" "$src"
	local rc=$?
	wait $spid
	return $rc
}

test_trigger_tcp() {
	start_d A && start_d B || return 1
	[ "$(ctx_field A '.contexts | length')" = 0 ] || fail "contexts before traffic" || return 1
	# a context forms by itself after 2 KiB of TCP (data-plane trigger event)
	tcp_exchange A $ADDR_B 8192 || fail "TCP exchange failed" || return 1
	wait_for 5 state_is A established || fail "A: no context after 8 KiB: $(ctx_field A -c .contexts)" || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	[ "$(ctx_field A '.contexts[0].peer_tag')" = "$(ctx_field B '.contexts[0].local_tag')" ] &&
	[ "$(ctx_field B '.contexts[0].peer_tag')" = "$(ctx_field A '.contexts[0].local_tag')" ] ||
		fail "A and B disagree on the tags" || return 1
	[ "$(stat_of A .triggers)" -ge 1 ] || fail "no trigger event counted" || return 1
	agree $ADDR_A $ADDR_B || return 1
	# traffic keeps flowing over the context
	tcp_exchange A $ADDR_B 4096 || fail "TCP after establishment failed" || return 1
}

# agree ULID-A ULID-B: `shim6ctl -j context show` (the maps, with the daemons'
# view) on A and B describe one context: tags crossed, ULIDs mirrored, A's
# locators are B's peer locators (and the reverse), both established and
# verified, in the maps
agree() {
	local ua=$1 ub=$2 ja jb
	ja=$(dp A -j context show) && jb=$(dp B -j context show) || fail "context show failed" || return 1
	jq -n -e --argjson a "$ja" --argjson b "$jb" --arg ua "$ua" --arg ub "$ub" '
		($a.contexts | length) == 1 and ($b.contexts | length) == 1 and
		($a.contexts[0]) as $x | ($b.contexts[0]) as $y |
		$x.local_tag == $y.peer_tag and $x.peer_tag == $y.local_tag and
		$x.ulid_local == $ua and $x.ulid_peer == $ub and
		$y.ulid_local == $ub and $y.ulid_peer == $ua and
		($x.local_locators | sort) == ($y.peer_locators | sort) and
		($x.peer_locators | sort) == ($y.local_locators | sort) and
		$x.daemon.state == "established" and $y.daemon.state == "established" and
		$x.daemon.in_maps and $y.daemon.in_maps and
		([$y.daemon.peer_locator_set[] | select(.verified | not)] | length) == 0 and
		([$x.daemon.peer_locator_set[] | select(.verified | not)] | length) == 0' >/dev/null ||
		fail "A and B disagree: A $(jq -c . <<<"$ja") B $(jq -c . <<<"$jb")"
}

# test_trigger_tcp with A's source an HBA / a CGA address: the context that
# forms by itself carries A's verified Locator List to B
trigger_with_set() { # ULID1 ULID2 ADDRESS-SECTIONS
	local u1=$1 u2=$2
	start_d A "$3" && start_d B || return 1
	tcp_exchange A $ADDR_B 8192 "$u1" || fail "TCP exchange failed" || return 1
	wait_for 5 state_is A established || fail "A: no context: $(ctx_field A -c .contexts)" || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	local want
	want=$(jq -cn --arg a "$u1" --arg b "$u2" '[$a, $b] | sort')
	[ "$(peer_locs_of B)" = "$want" ] || fail "B's peer locators $(peer_locs_of B), want $want" || return 1
	agree "$u1" $ADDR_B
}

test_trigger_tcp_hba() {
	gen_hba A || fail "hba gen" || return 1
	trigger_with_set "$HBA1" "$HBA2" "$(cat "$TEST_TMP/A.addrs")"
}

test_trigger_tcp_cga() {
	local j c1 c2
	"$SHIM6CTL" key gen out "$TEST_TMP/A.key" bits 1024 >/dev/null || fail "key gen" || return 1
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:1::/64 key "$TEST_TMP/A.key" sec 0 out "$TEST_TMP/A1.params") &&
	c1=$(jq -r .address <<<"$j") &&
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:2::/64 key "$TEST_TMP/A.key" sec 0 out "$TEST_TMP/A2.params") &&
	c2=$(jq -r .address <<<"$j") || fail "cga gen" || return 1
	ns_exec A ip addr add "$c1/64" dev a0 nodad && ns_exec A ip addr add "$c2/64" dev a0 nodad || return 1
	trigger_with_set "$c1" "$c2" "$(printf '[address %s]\nparams %s\nkey %s\n[address %s]\nparams %s\nkey %s\n' \
		"$c1" "$TEST_TMP/A1.params" "$TEST_TMP/A.key" "$c2" "$TEST_TMP/A2.params" "$TEST_TMP/A.key")"
}

test_trigger_time() {
	# far below the byte threshold, but exchanging for longer than "time"
	TRIG_BYTES=1000000 TRIG_TIME=1s start_d A && start_d B || return 1
	ns_exec B python3 -c '
import socket
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 5002)); s.listen(1); s.settimeout(10)
c, _ = s.accept()
while c.recv(100): c.sendall(b"k")' &
	local spid=$!
	wait_for 5 ns_exec B sh -c "ss -Hltn | grep -q :5002" || { kill $spid; return 1; }
	ns_exec A python3 -c '
import socket, sys, time
c = socket.create_connection((sys.argv[1], 5002), timeout=10)
for i in range(4):
    c.sendall(b"ping"); c.recv(10); time.sleep(0.5)
c.close()' $ADDR_B || { kill $spid; fail "exchange failed"; return 1; }
	wait $spid
	wait_for 5 state_is A established || fail "no context after 2 s of exchange: $(stat_of A .triggers) triggers" || return 1
}

test_server_mode() {
	SERVER=yes start_d A && SERVER=yes start_d B || return 1
	tcp_exchange A $ADDR_B 8192 || fail "TCP exchange failed" || return 1
	tcp_exchange B $ADDR_A 8192 || fail "TCP exchange failed" || return 1
	sleep 0.5	# let any (wrong) trigger event reach the daemons
	[ "$(stat_of A .tx_by_type.i1)" = 0 ] && [ "$(stat_of B .tx_by_type.i1)" = 0 ] ||
		fail "a server sent an I1" || return 1
	[ "$(ctx_field A '.contexts | length')" = 0 ] || fail "a context formed between servers" || return 1
	# a server still answers: a client A establishes with server B
	kill9_d A
	start_d A || return 1
	tcp_exchange A $ADDR_B 8192 || fail "TCP exchange failed" || return 1
	wait_for 5 state_is B established || fail "server B did not answer" || return 1
	[ "$(stat_of B .tx_by_type.i1)" = 0 ] || fail "server B sent an I1" || return 1
}

test_restart_under_traffic() {
	start_d A && start_d B || return 1
	establish || return 1
	local at
	at=$(ctx_field A '.contexts[0].local_tag')
	# kill -9 shim6d on A: the data plane keeps the context, traffic flows
	kill9_d A
	tcp_exchange A $ADDR_B 65536 || fail "traffic broke without the daemon" || return 1
	start_d A || return 1
	[ "$(ctx_field A '.contexts[0].local_tag')" = "$at" ] || fail "context not resumed" || return 1
	tcp_exchange A $ADDR_B 65536 || fail "traffic broke after the restart" || return 1
	[ "$(ctx_field A '.contexts | length')" = 1 ] || fail "a second context formed" || return 1
}

# packets the data plane of N rewrote (verdict SHIM6_PASS_REWRITTEN, code 3)
rewritten() { dp "$1" -j stats | jq '[.. | objects | select(.code? == 3) | .packets] | add // 0'; }
rewritten_above() { [ "$(rewritten "$1")" -gt "$2" ]; }

test_rewrite_without_daemon() {
	gen_hba A || fail "hba gen" || return 1
	start_d A "$(cat "$TEST_TMP/A.addrs")" && start_d B || return 1
	check_ok dctl A daemon context start ulid-local "$HBA1" ulid-peer $ADDR_B || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
	wait_for 5 state_is A established || fail "A not established" || return 1
	# A sends from its second, verified locator: rewrite + Shim6 header, B restores
	local at r0
	at=$(ctx_field A '.contexts[0].local_tag')
	# an unverified peer locator is refused
	dctl A daemon path set tag "$at" local "$HBA2" peer 2001:db8:1::dead 2>/dev/null &&
		fail "path to an unverified peer locator accepted" && return 1
	check_ok dctl A daemon path set tag "$at" local "$HBA2" peer $ADDR_B || return 1
	[ "$(ctx_field A '.contexts[0].locator_local')" = "$HBA2" ] || fail "daemon's path" || return 1
	[ "$(dp_path_local A "$at")" = "$HBA2" ] || fail "data plane's path" || return 1
	r0=$(rewritten A)
	tcp_exchange A $ADDR_B 65536 "$HBA1" || fail "TCP over the rewritten path failed" || return 1
	rewritten_above A "$r0" || fail "A's data plane rewrote nothing" || return 1
	# no daemon on either side: the pinned maps carry the flow on
	kill9_d A
	kill9_d B
	r0=$(rewritten A)
	tcp_exchange A $ADDR_B 65536 "$HBA1" || fail "TCP broke without the daemons" || return 1
	rewritten_above A "$r0" || fail "not rewritten any more" || return 1
}

# the data plane's current source locator of context TAG in namespace N
dp_path_local() { dp "$1" -j context show tag "$2" | jq -r '.. | objects | select(has("loc_local")) | .loc_local' | head -1; }

test_path_kept_on_update() {
	# A and B both have HBA sets; A moves its context to HBA2 (operator)
	gen_hba A || fail "hba gen A" || return 1
	local a1=$HBA1 a2=$HBA2 aaddrs
	aaddrs=$(cat "$TEST_TMP/A.addrs")
	gen_hba B || fail "hba gen B" || return 1
	ns_exec B ip addr del "$HBA2/64" dev b0 || return 1
	start_d A "$aaddrs" && start_d B "$(cat "$TEST_TMP/B.addrs")" || return 1
	check_ok dctl A daemon context start ulid-local "$a1" ulid-peer "$HBA1" || return 1
	wait_for 5 state_is A established || fail "A not established" || return 1
	local at
	at=$(ctx_field A '.contexts[0].local_tag')
	# shim6ctl path set goes through A's shim6d: the daemon's pair and the maps' move
	check_ok dp A path set tag "$at" local "$a2" peer "$HBA1" || return 1
	[ "$(dp_path_local A "$at")" = "$a2" ] || fail "path not set: $(dp_path_local A "$at")" || return 1
	[ "$(ctx_field A '.contexts[0].locator_local')" = "$a2" ] ||
		fail "A's daemon did not take the pair: $(ctx_field A '.contexts[0].locator_local')" || return 1
	# a peer locator the daemon has not verified is refused (the maps alone would not know)
	dp A path set tag "$at" local "$a2" peer 2001:db8:2::dead 2>"$TEST_TMP/err" &&
		fail "path set to an unverified peer locator accepted" && return 1
	grep -q "shim6d: peer is not a verified peer locator" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
	# B's second address appears: B's Update makes A rewrite its maps
	ns_exec B ip addr add "$HBA2/64" dev b0 nodad || return 1
	wait_for 5 stat_is A .updates_received 1 || fail "A got no Update" || return 1
	wait_for 5 peer_locs_count_is A 2 || fail "A did not record B's new locator" || return 1
	[ "$(dp_path_local A "$at")" = "$a2" ] || fail "the Update reset the path to $(dp_path_local A "$at")" || return 1
	[ "$(ctx_field A '.contexts[0].locator_local')" = "$a2" ] || fail "the Update reset the daemon's pair" || return 1
}

test_logging() {
	# levels: debug shows the state changes; after "log-level warning" an
	# established context (info) is not logged any more
	start_d A && start_d B || return 1
	establish || return 1
	grep -q "shim6d: debug: context 0x[0-9a-f]*: i1-sent -> i2-sent" "$TEST_TMP/A.log" ||
		fail "no debug line in A's log" || return 1
	grep -q "shim6d: info: context 0x[0-9a-f]* established" "$TEST_TMP/A.log" || fail "no info line" || return 1
	check_ok dctl A daemon log-level warning || return 1
	check_ok dctl A daemon context del tag "$(ctx_field A '.contexts[0].local_tag')" || return 1
	check_ok dctl B daemon context del tag "$(ctx_field B '.contexts[0].local_tag')" || return 1
	local n0; n0=$(grep -c . "$TEST_TMP/A.log")
	establish || return 1
	[ "$(grep -c . "$TEST_TMP/A.log")" = "$n0" ] || fail "logged below warning: $(tail -n +$((n0 + 1)) "$TEST_TMP/A.log")" || return 1
	dctl A daemon log-level loud 2>/dev/null && fail "a bad level accepted" && return 1
	# under systemd (JOURNAL_STREAM names stderr) lines carry <N> priority prefixes
	kill9_d A
	: >"$TEST_TMP/A.log"
	JOURNAL_STREAM=$(stat -c %d:%i "$TEST_TMP/A.log") start_d A || return 1
	grep -q "^<5>shim6d .* running" "$TEST_TMP/A.log" || grep -q "^<5>" "$TEST_TMP/A.log" ||
		fail "no journal priority prefix: $(head -3 "$TEST_TMP/A.log")" || return 1
	grep -q "^shim6d: " "$TEST_TMP/A.log" && fail "plain lines under the journal" && return 1
	return 0
}

test_ctl_through_daemon() {
	start_d A && start_d B || return 1
	establish || return 1
	local at bt
	at=$(ctx_field A '.contexts[0].local_tag'); bt=$(ctx_field B '.contexts[0].local_tag')
	dp A context show | grep -q "shim6d: established, initiator" || fail "text: $(dp A context show)" || return 1
	# shim6ctl status adds the daemon's state (CLI.md); none for another socket
	dp A -j status | jq -e '.daemon.running and .daemon.contexts == 1 and .devices[0].dev == "a0"' >/dev/null ||
		fail "status: $(dp A -j status)" || return 1
	dp_direct A -j status | jq -e '.daemon.running == false and .maps.contexts.entries == 1' >/dev/null ||
		fail "status without the daemon: $(dp_direct A -j status)" || return 1
	dp A status | grep -q "shim6d: running" || fail "status text: $(dp A status)" || return 1
	[ "$(dp A -j context show | jq -r '.contexts[0].daemon.setup_us > 0')" = true ] ||
		fail "no I1->R2 time: $(dp A -j context show)" || return 1
	# shim6ctl context del (not "daemon context del") with A's daemon running:
	# the daemon's context, the maps' entries and the route go at once
	check_ok dp A context del tag "$at" || return 1
	[ "$(ctx_field A '.contexts | length')" = 0 ] || fail "A's daemon kept the context" || return 1
	[ "$(map_count A shim6_tag)" = 0 ] && [ "$(map_count A shim6_ulid)" = 0 ] ||
		fail "A's maps still hold it" || return 1
	[ -z "$(ns_exec A ip -6 route show table all "$ADDR_B/128" proto 86)" ] ||
		fail "A's per-peer route outlived the context" || return 1
	dp A context del tag "$at" 2>"$TEST_TMP/err" && fail "deleted twice" && return 1
	grep -q "shim6d: no context with local tag" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
	# the peer still has it: its next message gets R1bis from A, and I2bis recovers
	check_ok dctl B daemon context keepalive tag "$bt" || return 1
	wait_for 5 state_is A established || fail "A did not recover the context" || return 1
	wait_for 5 state_is B established || fail "B not established again" || return 1
	[ "$(stat_of A .r1bis_sent)" -ge 1 ] || fail "A sent no R1bis" || return 1
	[ "$(ctx_field B '.contexts[0].peer_tag')" = "$(ctx_field A '.contexts[0].local_tag')" ] ||
		fail "B's CT(peer) is not A's new tag" || return 1
	[ "$(map_count A shim6_tag)" = 1 ] || fail "A's recovered context not in the maps" || return 1
}

test_ctl_static_with_daemon() {
	start_d A || return 1
	# a static context next to the daemon: path set, stats reset and del go
	# through shim6d, which acts on the maps for a context it does not own
	check_ok dp A context add ulid-local $ADDR_A ulid-peer $ADDR_B local-tag 0x77 peer-tag 0x88 \
		local-locators $ADDR_A peer-locators $ADDR_B,2001:db8:1::bb || return 1
	ns_exec A ip -6 neigh replace 2001:db8:1::bb lladdr 02:00:00:00:00:bb dev a0 || return 1
	[ "$(dp A -j context show tag 0x77 | jq '.contexts[0] | has("daemon")')" = false ] ||
		fail "a static context has daemon state" || return 1
	check_ok dp A path set tag 0x77 local $ADDR_A peer 2001:db8:1::bb || return 1
	[ "$(dp_path_local A 0x77)" = $ADDR_A ] &&
	[ "$(dp A -j context show tag 0x77 | jq -r .contexts[0].loc_peer)" = 2001:db8:1::bb ] ||
		fail "static path not set: $(dp A -j context show tag 0x77)" || return 1
	dp A path set tag 0x77 local $ADDR_A peer 2001:db8:1::cc 2>"$TEST_TMP/err" &&
		fail "a pair outside the static context accepted" && return 1
	grep -q "shim6d: local / peer: not a local and a peer locator" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
	check_ok dp A path set tag 0x77 local $ADDR_A peer $ADDR_B || return 1
	# traffic on the context, and a daemon counter that moved
	ns_exec A ping -c 3 -i 0.2 -W 1 $ADDR_B >/dev/null || fail "ping over the static context" || return 1
	# (B runs no shim6d: NO-SUPPORT at once, nothing retransmitted after the reset)
	check_ok dctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B || return 1
	wait_for 5 state_is A no-support || fail "A: $(ctx_field A .contexts[0].state), want no-support" || return 1
	[ "$(dp A -j stats | jq '.contexts[] | select(.local_tag == "0x77") | .tx_packets')" -ge 3 ] &&
	[ "$(dp A -j stats | jq .daemon.tx_by_type.i1)" -ge 1 ] ||
		fail "nothing counted: $(dp A -j stats | jq -c '[.contexts, .daemon.tx_by_type]')" || return 1
	check_ok dp A stats reset || return 1
	[ "$(dp A -j stats | jq '.contexts[] | select(.local_tag == "0x77") | .tx_packets')" = 0 ] ||
		fail "per-context counters not reset" || return 1
	[ "$(stat_of A .tx_by_type.i1)" = 0 ] && [ "$(stat_of A .tx)" = 0 ] ||
		fail "the daemon's counters not reset: $(stat_of A -c .)" || return 1
	check_ok dp A context del tag 0x77 || return 1
	[ "$(map_count A shim6_tag)" = 0 ] || fail "static context still in the maps" || return 1
	# a daemon running another pin root is not asked: shim6ctl acts on its maps
	check_ok dp_direct A context add ulid-local $ADDR_A ulid-peer $ADDR_B local-tag 0x79 peer-tag 0x88 \
		local-locators $ADDR_A peer-locators $ADDR_B || return 1
	mkdir -p "$TEST_TMP/bpffs/other"
	SHIM6D_SOCKET=$(sock A) ns_exec A "$SHIM6CTL" --bpffs "$TEST_TMP/bpffs/other" context del tag 0x79 2>"$TEST_TMP/err" &&
		fail "del on an empty pin root succeeded" && return 1
	grep -q "shim6d" "$TEST_TMP/err" && fail "the daemon of another pin root was asked: $(cat "$TEST_TMP/err")" && return 1
	[ "$(map_count A shim6_tag)" = 1 ] || fail "the other pin root's del reached A's maps" || return 1
	return 0
}

test_daemon_attach() {
	# A's data plane is attached by shim6d itself from its [interface] section
	dp A detach dev a0 >/dev/null 2>&1
	rm -rf "$(bpffs_of A)"
	start_d A "$(printf '[interface a0]\ningress tc\n')" && start_d B || return 1
	[ "$(dctl A -j daemon status | jq .maps)" = true ] || fail "A's daemon has no maps" || return 1
	dp A -j status >"$TEST_TMP/st.json" 2>&1 || fail "shim6ctl status: $(cat "$TEST_TMP/st.json")" || return 1
	grep -q a0 "$TEST_TMP/st.json" || fail "a0 not attached: $(cat "$TEST_TMP/st.json")" || return 1
	tcp_exchange A $ADDR_B 8192 || fail "TCP exchange failed" || return 1
	wait_for 5 state_is A established || fail "no context through the daemon-attached plane" || return 1
}

test_ctl_errors() {
	start_d A || return 1
	dctl A daemon context del tag 0x1234 2>"$TEST_TMP/err" && fail "deleting a missing tag succeeded" && return 1
	grep -q "no context with local tag 0x1234" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
	dctl A daemon bogus 2>/dev/null && fail "unknown command accepted" && return 1
	# Bytes that are not UTF-8 in a bad request (a fuzz finding: jansson's
	# parse error quotes them raw) and a message cut inside a character:
	# each still gets its one JSON reply line.
	python3 - "$(sock A)" <<'PY' || fail "a request with non-UTF-8 bytes got no reply" || return 1
import json, socket, sys
for req in (b'{"cmd":"autoconfw","\\\xc3\x9c\x1c\x00@Q\x00\x00:"}',
            b'{"cmd":"' + b'a' * 237 + '\u2026'.encode() + b'"}'):
    s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
    s.sendall(req + b'\n')
    rep = json.loads(s.makefile('rb').readline())
    assert rep['ok'] is False and rep['error'], rep
    s.close()
PY
	SHIM6D_SOCKET=$TEST_TMP/none.sock "$SHIM6CTL" daemon status 2>"$TEST_TMP/err" && fail "no daemon: success?" && return 1
	grep -q "cannot reach shim6d" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
	"$SHIM6D" --config /nonexistent.conf 2>"$TEST_TMP/err" && fail "missing config accepted" && return 1
	printf '[daemon]\nbogus 1\n' >"$TEST_TMP/bad.conf"
	"$SHIM6D" --config "$TEST_TMP/bad.conf" --check-config 2>"$TEST_TMP/err" && fail "bad config accepted" && return 1
	grep -q "bad.conf:2: unknown key \"bogus\"" "$TEST_TMP/err" || fail "message: $(cat "$TEST_TMP/err")" || return 1
}

ALL_TESTS="test_handshake test_no_support test_e_failed test_recovery_r1bis test_recovery_by_payload
	test_restart_resume
	test_idle_gc test_hba_locators test_forged_list test_cga_locators test_address_change test_trigger_tcp
	test_trigger_tcp_hba test_trigger_tcp_cga
	test_trigger_time
	test_server_mode test_restart_under_traffic test_rewrite_without_daemon test_path_kept_on_update
	test_daemon_attach
	test_ctl_errors test_ctl_through_daemon test_ctl_static_with_daemon test_logging"

run_tests
