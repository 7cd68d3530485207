# SPDX-License-Identifier: GPL-2.0
# The two-host bed of test_shim6d.sh and test_reliability.sh, on lib.sh's
# harness (source lib.sh first):
#
#   A  2001:db8:1::a  a0 ---- b0  2001:db8:1::b  B
#
# bed_setup builds it before each test: the data plane attached to both
# veths (tc ingress, maps pinned under each host's private pin root); a test
# starts a shim6d per side itself (start_d).  AB_B_DEFAULT_VIA_A=1 gives B a
# default route via A, so that answers to spoofed off-link sources leave B
# without neighbour discovery (the reliability tests).
#
# shim6d's configuration (write_conf) follows these variables, read when a
# daemon starts: LOGLEVEL (debug), IDLE (idle-timeout 0), SERVER (no),
# TRIG_BYTES / TRIG_TIME (the daemon's 2048 / 60s), I1_RETRIES (2), VLIFE
# (validator-lifetime 30s); START_WAIT (5 s) bounds its start, EST_WAIT (5 s)
# the handshake of `establish`.

ADDR_A=2001:db8:1::a
ADDR_B=2001:db8:1::b
declare -A PIDS=()	# the daemons, by host
BGPIDS=()		# other background commands a test started itself

dev_of() { [ "$1" = A ] && echo a0 || echo b0; }
# shim6ctl on N's maps; state-changing commands go through N's shim6d when it runs
dp() { local n=$1; shift; SHIM6D_SOCKET=$(sock "$n") ns_exec "$n" "$SHIM6CTL" --bpffs "$(bpffs_of "$n")" "$@"; }
# the same, acting on the maps behind the daemon's back (no control socket)
dp_direct() { local n=$1; shift; SHIM6D_SOCKET=$TEST_TMP/none.sock ns_exec "$n" "$SHIM6CTL" --bpffs "$(bpffs_of "$n")" "$@"; }

# The data plane on N's veth, with fresh maps (everything under N's pin root
# is removed first: a "wiped" host).
make_maps() {
	local n=$1
	dp_direct "$n" detach dev "$(dev_of "$n")" >/dev/null 2>&1
	rm -rf "$(bpffs_of "$n")"
	dp_direct "$n" attach dev "$(dev_of "$n")" ingress tc no-segmentation >"$TEST_TMP/attach.err" 2>&1 ||
		fail "attach on $n: $(cat "$TEST_TMP/attach.err")"
}

map_count() { bpftool -j map dump pinned "$(bpffs_of "$1")/$2" | jq length; }

write_conf() { # NAME EXTRA-LINES
	shim6d_conf "$TEST_TMP" "$1" <<EOC
log-level ${LOGLEVEL:-debug}
idle-timeout ${IDLE:-0}
server-mode ${SERVER:-no}
[trigger]
bytes ${TRIG_BYTES:-2048}
time ${TRIG_TIME:-60s}
[timers]
i1-timeout 200ms
i1-retries ${I1_RETRIES:-2}
i2-timeout 200ms
i2bis-timeout 200ms
validator-lifetime ${VLIFE:-30s}
$2
EOC
}

# start_d NAME [EXTRA-CONFIG]; WRAP="valgrind ..." runs shim6d under it
start_d() {
	write_conf "$1" "${2:-}"
	shim6d_start "PIDS[$1]" "$(ns_name "$1")" "$TEST_TMP" "$1" "${START_WAIT:-5}"
}

kill9_d() { shim6d_stop "PIDS[$1]" KILL; }

bed_setup() {
	local n
	for n in A B; do ns_add $n && set_host $n || return 1; done
	ip link add a0 netns "$(ns_name A)" type veth peer name b0 netns "$(ns_name B)" || return 1
	ns_exec A ip addr add $ADDR_A/64 dev a0 nodad && ns_exec A ip link set a0 up &&
	ns_exec B ip addr add $ADDR_B/64 dev b0 nodad && ns_exec B ip link set b0 up || return 1
	if [ "${AB_B_DEFAULT_VIA_A:-0}" = 1 ]; then
		ns_exec B ip -6 route add default via $ADDR_A dev b0 || return 1
	fi
	make_maps A && make_maps B || return 1
	wait_for 5 ns_exec A ping -c1 -W1 $ADDR_B || return 1
}

# the daemons and background commands (started here, not by start_bg) and
# this test's files
bed_teardown() {
	local n
	for n in "${!PIDS[@]}"; do shim6d_stop "PIDS[$n]"; done
	for n in "${BGPIDS[@]}"; do kill "$n" 2>/dev/null; wait "$n" 2>/dev/null; done
	BGPIDS=()
	rm -rf "$TEST_TMP"/*.sock "$TEST_TMP"/*.log "$TEST_TMP"/*.conf "$TEST_TMP"/*.params \
		"$TEST_TMP"/*.key "$TEST_TMP"/*.addrs "$TEST_TMP"/*.state "$TEST_TMP"/*.json \
		"$TEST_TMP"/vg.*
}

# stat_of N JQ: one value of `shim6ctl -j daemon stats` of namespace N
stat_of() { dctl "$1" -j daemon stats | jq -r "$2"; }
# polled conditions (wait_for re-runs them)
ctx_count_is() { [ "$(ctx_field "$1" '.contexts | length')" = "$2" ]; }
stat_is() { [ "$(stat_of "$1" "$2")" = "$3" ]; }

establish() {
	check_ok dctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B || return 1
	wait_for "${EST_WAIT:-5}" state_is A established ||
		fail "A not established: $(ctx_field A .contexts[0].state)" || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
}

check_ok() { "$@" >/dev/null 2>"$TEST_TMP/err" || fail "$* failed: $(cat "$TEST_TMP/err")"; }
