#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# REAP (RFC 5534) behaviour on the site topology with shim6d on A and B
# (reap_lib.sh: a context between A's and B's ISP1 locators, Send Timeout
# 2 s): 30 % loss on the active path does not make the context flap;
# restoring a cut link causes no needless switch; keepalives only when the
# traffic is one-way; `shim6ctl set tsend` reaches the peer; `shim6ctl
# monitor` streams the daemon's events; `context show` has REAP columns.
# Loss and cuts are nftables egress rules at the routers (no sch_netem in
# this kernel).  Waits poll with a bound; the fixed-length observation
# windows only decide how long we watch, no assertion is about time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"
. "$(dirname "$0")/reap_lib.sh"

# UDP traffic between the ULIDs (payload for the data plane, unlike ICMP
# echo which is not guaranteed to count):
#   echo ADDR PORT                     B: answer every datagram (bound to ADDR,
#                                      so the answer leaves from the ULID)
#   sink ADDR PORT                     B: swallow every datagram
#   send SRC DST PORT INTERVAL COUNT   A: COUNT datagrams, print "sent N replies M"
UDPTOOL='
import socket, sys, time, select
mode = sys.argv[1]
if mode in ("echo", "sink"):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], int(sys.argv[3])))
    while True:
        d, a = s.recvfrom(2048)
        if mode == "echo":
            s.sendto(d, a)
src, dst, port, ival, count = sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((src, 0))
s.setblocking(False)
replies = 0
for i in range(count):
    s.sendto(b"x" * 200, (dst, port))
    end = time.time() + ival
    while True:
        left = end - time.time()
        if left <= 0:
            break
        if select.select([s], [], [], left)[0]:
            try:
                s.recv(2048)
                replies += 1
            except BlockingIOError:
                pass
print("sent", count, "replies", replies, flush=True)
'
udp() { local n=$1; shift; ns_exec "$n" python3 -c "$UDPTOOL" "$@"; }
udp_listening() { ip netns exec "$(ns_name "$1")" ss -Huln "sport = :$2" | grep -q .; }
# udp_bg NAME N MODE ...: in the background; a server is waited for
udp_bg() {
	local name=$1 n=$2; shift 2
	start_bg "$name" "$n" python3 -c "$UDPTOOL" "$@"
	case $1 in echo|sink) wait_for 5 udp_listening "$n" "$3" ||
		{ fail "UDP $1 server on $n: $(bg_log "$name")"; return 1; };; esac
}

# count_ev FILE FILTER [N]: events of a monitor log matching the jq FILTER
# (line by line: a line being written does not spoil the others); with N,
# succeed when there are at least N
count_ev() {
	local c
	c=$(jq -c "select($2)" "$1" 2>/dev/null | grep -c .)
	if [ -n "${3:-}" ]; then [ "$c" -ge "$3" ]; else echo "$c"; fi
}

snap() { # N: the REAP counters that must not move, one line
	ctx_field "$1" '.contexts[0].reap | [.explorations, .path_changes, .pair_local, .pair_peer] | @tsv'
}

# 30 % of the packets on the active path lost, both ways (SA -> ISP1 and
# ISP1 -> SA), two-way traffic every 50 ms for 20 s (10 Send Timeouts): no
# exploration, no path change on either side, the context still agrees.
test_reap_loss_no_flap() {
	local out
	reap_bed || return
	lossy SA sa-i1 30 && lossy ISP1 i1-sa 30 || { fail "nft loss rules"; return 1; }
	udp_bg echo B echo "$HB1" 6000 || return 1
	out=$(udp A send "$HA1" "$HB1" 6000 0.05 400) || { fail "udp sender: $out"; return 1; }
	log "$out; dropped SA $(dropped SA sa-i1) ISP1 $(dropped ISP1 i1-sa)"
	# the loss was real (about half the round trips lost), and traffic got through
	[ "$(dropped SA sa-i1)" -ge 40 ] && [ "$(dropped ISP1 i1-sa)" -ge 20 ] ||
		{ fail "the loss rules dropped too little: $(dropped SA sa-i1) / $(dropped ISP1 i1-sa)"; return 1; }
	[ "$(awk '{print $4}' <<<"$out")" -ge 100 ] || { fail "too few replies: $out"; return 1; }
	for n in A B; do
		field_is $n explorations 0 && field_is $n path_changes 0 ||
			{ fail "$n flapped under 30 % loss: $(ctx_field $n .contexts[0].reap)"; return 1; }
	done
	both_agree
}

# Cut A's ISP1 link under two-way traffic: both move away from HA1 (the
# monitors see the failure on one side, exploration, path change with its
# recovery time, Operational with the recovery time);
# then the link comes back: for 4 Send Timeouts of traffic nothing moves.
test_reap_restore_no_switch() {
	local a b n_pc
	require_cmd jq || return $SKIP_CODE
	reap_bed || return
	start_bg mon A env SHIM6D_SOCKET="$(sock A)" "$SHIM6CTL" -j monitor
	start_bg monp A env SHIM6D_SOCKET="$(sock A)" "$SHIM6CTL" -j monitor probes
	start_bg monB B env SHIM6D_SOCKET="$(sock B)" "$SHIM6CTL" -j monitor
	udp_bg echo B echo "$HB1" 6000 || return 1
	udp_bg send A send "$HA1" "$HB1" 6000 0.05 100000
	wait_for 5 field_ge A keepalives_received 0 || return 1
	sleep 1
	cut_link SA sa-i1 ISP1 i1-sa || { fail "cut"; return 1; }
	wait_for 60 pair_avoids A "$HA1" || { fail "A did not leave HA1: $(ctx_field A .contexts[0].reap)"; return 1; }
	wait_for 60 pair_avoids B "$HA1" || { fail "B did not leave HA1: $(ctx_field B .contexts[0].reap)"; return 1; }
	wait_for 30 both_agree || { both_agree; return 1; }
	a=$(snap A) b=$(snap B)
	log "after the cut: A $a / B $b"
	restore_link SA sa-i1 ISP1 i1-sa
	sleep 8		# observation window: 4 Send Timeouts of traffic
	[ "$(snap A)" = "$a" ] && [ "$(snap B)" = "$b" ] ||
		{ fail "restoring the link moved something: A $a -> $(snap A), B $b -> $(snap B)"; return 1; }
	both_agree || return 1
	# the monitor's account of it (shim6d's stream, one JSON object per
	# line; read line by line, the monitor still runs)
	local m="$TEST_TMP/bg.mon.log"
	n_ev() { count_ev "$m" "$1"; }
	# whichever side's Send Timer expired first reports the failure; the
	# other explores because of the peer's probes
	[ $(($(n_ev '.event == "reap_failure"') + $(count_ev "$TEST_TMP/bg.monB.log" '.event == "reap_failure"'))) -ge 1 ] &&
	[ "$(n_ev '.event == "exploration_started"')" -ge 1 ] &&
	[ "$(n_ev '.event == "reap_state" and .state == "operational" and (.recovery_ms | type) == "number"')" -ge 1 ] ||
		{ fail "monitor missed failure/exploration/recovery: $(jq -c '[.event, .state]' "$m" 2>&1 | tr '\n' ' ' | head -c 600)"; return 1; }
	n_pc=$(n_ev ".event == \"path_changed\" and .old_local == \"$HA1\" and (.recovery_ms | type) == \"number\"")
	[ "$n_pc" -ge 1 ] || { fail "no path_changed away from HA1 with a recovery time: $(grep path_changed "$m" | head -3)"; return 1; }
	# probes only for the monitor that asked for them
	local mp="$TEST_TMP/bg.monp.log"
	[ "$(count_ev "$mp" '.event == "probe_sent"')" -ge 1 ] &&
	[ "$(count_ev "$mp" '.event == "probe_received"')" -ge 1 ] &&
	[ "$(count_ev "$m" '.event == "probe_sent" or .event == "probe_received"')" = 0 ] ||
		{ fail "probe events: $(count_ev "$mp" '.event == "probe_sent"') sent / $(count_ev "$mp" '.event == "probe_received"') received with probes, $(count_ev "$m" '.event == "probe_sent"') without"; return 1; }
	# one path_changed event per change REAP counted
	[ "$(n_ev '.event == "path_changed"')" = "$(reap_field A path_changes)" ] ||
		{ fail "monitor path_changed events $(n_ev '.event == "path_changed"') != path_changes $(reap_field A path_changes)"; return 1; }
}

# Keepalives (§4.1 item 5): one-way A -> B on a fresh context -> B (the
# receiver) sends them, A receives them and does not explore (they are its
# return traffic), A (which never received payload) sends none; then
# two-way traffic: once it runs (3 s settle: a Keepalive Timer started by
# the one-way phase may still send one), neither side sends any.
test_reap_keepalives_one_way_only() {
	local out ka kb
	# Send Timeout 6 s: Keepalive Interval 2 s, so a stall of the test's
	# sender on a loaded machine (a real pause in both directions, after
	# which B rightly sends keepalives) must last 2 s to matter
	REAP_TSEND=6s reap_bed || return
	udp_bg sink B sink "$HB1" 6001 || return 1
	udp_bg echo B echo "$HB1" 6000 || return 1
	out=$(udp A send "$HA1" "$HB1" 6001 0.05 200) || { fail "udp: $out"; return 1; }	# 10 s one way
	log "one-way: A $(ctx_field A .contexts[0].reap) B $(ctx_field B .contexts[0].reap)"
	field_ge B keepalives_sent 2 && field_ge A keepalives_received 2 ||
		{ fail "no keepalives with one-way traffic: B sent $(reap_field B keepalives_sent), A received $(reap_field A keepalives_received)"; return 1; }
	field_is A keepalives_sent 0 || { fail "the sender sent keepalives: $(reap_field A keepalives_sent)"; return 1; }
	field_is A explorations 0 || { fail "A explored although B's keepalives came: $(ctx_field A .contexts[0].reap)"; return 1; }
	udp_bg send A send "$HA1" "$HB1" 6000 0.05 200	# 10 s two-way
	sleep 3
	ka=$(reap_field A keepalives_sent) kb=$(reap_field B keepalives_sent)
	wait_for 30 bash -c "! kill -0 ${BG_PIDS[send]} 2>/dev/null" || { fail "the two-way sender did not finish"; return 1; }
	out=$(bg_log send)
	log "two-way: $out; A $(ctx_field A .contexts[0].reap) B $(ctx_field B .contexts[0].reap)"
	[ "$(awk '{print $4}' <<<"$out")" -ge 180 ] || { fail "two-way traffic did not flow: $out"; return 1; }
	field_is A keepalives_sent "$ka" && field_is B keepalives_sent "$kb" ||
		{ fail "keepalives with two-way traffic: A $ka -> $(reap_field A keepalives_sent), B $kb -> $(reap_field B keepalives_sent)"; return 1; }
	both_agree
}

# shim6ctl set tsend: per context (tag) on A, then host-wide on B; each
# time the peer's Keepalive Timeout follows (Update Request, RFC 5534 §5.3);
# restarted daemons keep the per-context values (state file).
test_reap_set_tsend() {
	local tag out
	reap_bed || return
	field_is B keepalive_timeout_ms 2000 || { fail "B does not know A's 2 s: $(reap_field B keepalive_timeout_ms)"; return 1; }
	tag=$(ctx_field A .contexts[0].local_tag)
	out=$(dctl A -j set tsend 5 tag "$tag") || { fail "set tsend tag: $out"; return 1; }
	[ "$(jq -r .peers_told <<<"$out")" = 1 ] || { fail "set tsend: $out"; return 1; }
	field_is A send_timeout_ms 5000 || { fail "A's Send Timeout $(reap_field A send_timeout_ms)"; return 1; }
	wait_for 10 field_is B keepalive_timeout_ms 5000 ||
		{ fail "B's Keepalive Timeout did not follow: $(reap_field B keepalive_timeout_ms)"; return 1; }
	field_is B keepalive_interval_ms 1666 || { fail "B's interval $(reap_field B keepalive_interval_ms)"; return 1; }
	# both daemons restarted: the values come back from the state files
	restart_d A && restart_d B || return 1
	wait_for 5 field_is A send_timeout_ms 5000 || { fail "A forgot its context's Send Timeout: $(reap_field A send_timeout_ms)"; return 1; }
	wait_for 5 field_is B keepalive_timeout_ms 5000 || { fail "B forgot A's Keepalive Timeout: $(reap_field B keepalive_timeout_ms)"; return 1; }
	# host-wide on B (text output), A's view follows
	out=$(dctl B set tsend 3s) || { fail "set tsend: $out"; return 1; }
	grep -q "send timeout 3000 ms, 1 peer(s) told" <<<"$out" || { fail "text: $out"; return 1; }
	wait_for 10 field_is A keepalive_timeout_ms 3000 ||
		{ fail "A's Keepalive Timeout did not follow: $(reap_field A keepalive_timeout_ms)"; return 1; }
	# the same announced value again: nobody to tell; A's own context value wins over A's host value
	[ "$(dctl B -j set tsend 3400ms | jq -r .peers_told)" = 0 ] || { fail "3.4 s is still 3 s on the wire"; return 1; }
	[ "$(dctl A -j set tsend 7 | jq -r .peers_told)" = 0 ] || { fail "A's context has its own value"; return 1; }
	field_is A send_timeout_ms 5000 || { fail "the host value overrode the context's"; return 1; }
	# refused values
	! dctl A set tsend 0.1 2>/dev/null && ! dctl A set tsend 70000 2>/dev/null &&
		! dctl A set tsend 2 tag 0x1234 2>/dev/null || { fail "bad values accepted"; return 1; }
	both_agree
}

# shim6ctl monitor: context events from the start; context show's REAP
# columns (text and JSON) with the daemon; deletion seen in the stream.
test_reap_monitor_and_show() {
	local tag m="$TEST_TMP/bg.mon.log" out
	reap_bed_daemons || return
	start_bg mon A env SHIM6D_SOCKET="$(sock A)" "$SHIM6CTL" -j monitor
	start_bg mont B env SHIM6D_SOCKET="$(sock B)" "$SHIM6CTL" monitor
	sleep 0.5
	reap_bed_context || return
	tag=$(ctx_field A .contexts[0].local_tag)
	wait_for 5 count_ev "$m" ".event == \"context_established\" and .tag == \"$tag\"" 1 ||
		{ fail "no context_established in A's stream: $(cat "$m")"; return 1; }
	count_ev "$m" '.event == "context_state" and .new == "i1-sent"' 1 ||
		{ fail "no context_state i1-sent: $(head -c 400 "$m")"; return 1; }
	wait_for 5 grep -q "context_established tag" "$TEST_TMP/bg.mont.log" ||
		{ fail "B's text stream: $(cat "$TEST_TMP/bg.mont.log")"; return 1; }
	# context show: the maps' view plus the daemon's REAP columns
	out=$(SHIM6D_SOCKET=$(sock A) ns_shim6ctl A -j context show) || { fail "context show: $out"; return 1; }
	[ "$(jq -r .contexts[0].reap.state <<<"$out")" = operational ] &&
	[ "$(jq -r .contexts[0].reap.pair_local <<<"$out")" = "$HA1" ] &&
	[ "$(jq -r .contexts[0].reap.probes_sent <<<"$out")" = 0 ] &&
	[ "$(jq -r .contexts[0].reap.last_recovery_ms <<<"$out")" = null ] ||
		{ fail "REAP columns (JSON): $out"; return 1; }
	out=$(SHIM6D_SOCKET=$(sock A) ns_shim6ctl A context show) || return 1
	grep -q "reap operational pair $HA1 $HB1" <<<"$out" && grep -q "path-changes 0" <<<"$out" ||
		{ fail "REAP columns (text): $out"; return 1; }
	# the context's FBD slot (what REAP reads through the mapping) gets the
	# stamps of a real exchange: send, Send Timer start, receive
	ns_exec A ping -c1 -W2 -I "$HA1" "$HB1" >/dev/null || { fail "ping $HA1 -> $HB1"; return 1; }
	out=$(SHIM6D_SOCKET=$TEST_TMP/none.sock ns_shim6ctl A -j context show) || return 1
	jq -e '.contexts[0] | .fbd_slot > 0 and .fbd.last_send > 0 and .fbd.send_start > 0
		and .fbd.last_recv >= .fbd.last_send' <<<"$out" >/dev/null ||
		{ fail "FBD slot not stamped: $(jq -c '.contexts[0] | {fbd_slot, fbd, last_send, last_recv}' <<<"$out")"; return 1; }
	# without a daemon: the maps only
	out=$(SHIM6D_SOCKET=$TEST_TMP/none.sock ns_shim6ctl A -j context show) || return 1
	[ "$(jq -r .contexts[0].reap <<<"$out")" = null ] && [ "$(jq -r .contexts[0].local_tag <<<"$out")" = "$tag" ] ||
		{ fail "context show without daemon: $out"; return 1; }
	check dctl A daemon context del tag "$tag" || return 1
	wait_for 5 count_ev "$m" ".event == \"context_deleted\" and .tag == \"$tag\"" 1 ||
		{ fail "no context_deleted: $(tail -3 "$m")"; return 1; }
	# every line is one JSON object with event and time
	[ "$(count_ev "$m" '(.event | type) == "string" and (.time | type) == "string"')" = "$(grep -c . "$m")" ] ||
		{ fail "malformed stream: $(head -c 400 "$m")"; return 1; }
}

# tcp-rto-min: the per-peer route carries a locked rto_min, and the kernel
# uses it: a TCP connection to the peer gets an RTO near 20 ms instead of
# the 200 ms floor (what bounds the wait after a TCP-LD kick, REAP.md).
rto_of() { ns_exec A ss -tni state established dst "[$HB1]" | grep -o ' rto:[0-9.]*' | head -1 | cut -d: -f2; }
test_reap_tcp_rto_min() {
	require_cmd socat python3 || return $SKIP_CODE
	local REAP_EXTRA_TIMERS="tcp-rto-min 20ms" rto route
	reap_bed_daemons || return
	reap_bed_context || return
	route=$(ns_exec A ip -6 route show table all "$HB1/128" proto 86)
	grep -q "rto_min lock 20ms" <<<"$route" || { fail "A's per-peer route: $route"; return 1; }
	start_bg sink B socat -u TCP6-LISTEN:7001,bind="[$HB1]",reuseaddr OPEN:/dev/null
	wait_for 5 eval 'ns_exec B ss -Hltn "sport = :7001" | grep -q .' || { fail "no listener"; return 1; }
	start_bg src A python3 -c 'import socket, sys, time
s = socket.create_connection((sys.argv[2], 7001), source_address=(sys.argv[1], 0))
while True:
    s.send(b"x" * 100)
    time.sleep(0.05)' "$HA1" "$HB1"
	wait_for 5 eval '[ -n "$(rto_of)" ]' ||
		{ fail "no TCP connection A -> B: $(bg_log src) $(bg_log sink) $(ns_exec A ss -tni)"; return 1; }
	sleep 0.5
	rto=$(rto_of)
	log "A's RTO towards B: $rto ms"
	awk -v r="$rto" 'BEGIN { exit !(r >= 20 && r < 100) }' ||
		{ fail "RTO $rto ms: the route's rto_min is not used"; return 1; }
}

ALL_TESTS="test_reap_tcp_rto_min test_reap_monitor_and_show test_reap_set_tsend test_reap_keepalives_one_way_only test_reap_loss_no_flap test_reap_restore_no_switch"
run_tests
