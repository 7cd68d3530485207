#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim6 network-namespace test harness (xdp-tools' test_runner.sh shape).
#
# A test script sources this file, then topo.sh, defines its tests as shell
# functions and ends with `run_tests`:
#
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/topo.sh"
#   test_ping() { topo_site || return; ns_exec A ping -c1 -W2 "$B1" >/dev/null; }
#   ALL_TESTS="test_ping"
#   run_tests
#
# The script re-executes itself once under `unshare -m` so that every mount it
# makes (the private bpffs, the /run/netns bind mounts of its namespaces) dies
# with it.  Namespace names carry $$ so concurrent runs never collide.
#
# Test protocol
#   A test function returns 0 (PASS), $SKIP_CODE (SKIP; put the reason in
#   SKIP_REASON) or anything else (FAIL; FAIL_REASON says why, or the last
#   failing `check` line).  run_test prints exactly one line:
#     [name] PASS | [name] FAIL (reason) | [name] SKIP (reason)
#   A passing test may put a short account of what it measured in DETAIL:
#     [name] PASS (detail)
#   run_tests ends with "N passed, N failed, N skipped" and exits 1 on failure.
#   RESULTS=FILE also appends a row per test to FILE: name, PASS|FAIL|SKIP,
#   seconds, detail or reason (tab-separated; scripts/reliability.sh).
#   Each test starts from an empty bed: teardown runs after every test.
#   TESTS="test_a test_b" runs a subset.
#
# Environment
#   V=1               show the commands' output (otherwise only failures)
#   DEBUG_TESTENV=1   after the first failing (or the only selected) test,
#                     leave the bed up, print how to enter it and wait for Enter
#   SHIM6CTL=PATH     the shim6ctl binary (default: .output/shim6ctl); the
#                     tests SKIP when it is not built, unless the script sets
#                     NEEDS_SHIM6CTL=0 (tests of the bed itself)
#
# Helpers (all namespace arguments are short names: A, B, SA, ISP1 ...)
#   ns_name N            the real namespace name of N (shim6-$$-N)
#   ns_add N             create namespace N (lo up, DAD/RA/forwarding sysctls)
#   ns_create N          create namespace N with lo up, the kernel's defaults
#   ns_exec N CMD...     run CMD inside N
#   ns_shim6ctl N ARGS   run shim6ctl inside N with N's private pin root
#   bpffs_of N           N's pin root (a directory of the private bpffs)
#   link_add N1 IF1 N2 IF2 [MTU]   veth pair N1:IF1 <-> N2:IF2, both up
#   addr_add N IF ADDR/LEN         address without DAD, static neighbour entry
#                                  for it on the other end of the link
#   check CMD...         run CMD; on failure record "CMD failed" and return 1
#   start_bg NAME N CMD...   start CMD in N in the background (killed at teardown)
#   stop_bg NAME             stop it (by PID) and wait for it
#   wait_for SECONDS CMD...  retry CMD every 0.1 s until it succeeds (bounded
#                            polling for a state, not a timed assertion)
#   skip REASON          set SKIP_REASON; use as `skip "why"; return $SKIP_CODE`
#   cut_link N1 IF1 N2 IF2       drop everything in both directions
#   cut_one_way N IF             drop what N sends on IF (nft netdev egress hook)
#   restore_link N1 IF1 [N2 IF2] remove the cut(s) again
#   require_cmd CMD...   sets SKIP_REASON and returns 1 when a command is missing
#   link_packets N IF rx|tx   packet counter of a device (where did a flow go?)
#   bg_log NAME          output of a background command
#   ns_shim6d N [WAIT]   shim6d in N on $TEST_TMP/N.conf (shim6d_conf), as the
#                        background process dN; see shim6d_lib.sh
#   sock N / dctl N ARGS the control socket of N's shim6d / shim6ctl through it
#   ctx_field N JQ       a value of N's `daemon context show` (state_is N S)
#   skip_all REASON      before run_tests: every selected test SKIPs (a tool
#                        the whole script needs is missing)
#
# Hooks a script may define (a bed every one of its tests shares)
#   bed_setup            builds the bed before each test; when it fails the
#                        test FAILs with "cannot build the test bed"
#   bed_teardown         runs first in each teardown (end what the script
#                        started on its own, remove its per-test files)
# With V=1 a failing test also shows the last lines of every $TEST_TMP/*.log
# (the shim6d logs and the background commands' output).

SKIP_CODE=249
SHIM6_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHIM6CTL=${SHIM6CTL:-$SHIM6_TOP/.output/shim6ctl}
NS_PREFIX=shim6-$$-

# ---- re-exec in a private mount namespace ---------------------------------
if [ -z "${SHIM6_DID_UNSHARE:-}" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "[$(basename "$0" .sh)] SKIP (needs root)"
		echo "0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	export SHIM6_DID_UNSHARE=1
	exec unshare -m --propagation private -- bash "$0" "$@"
fi

TEST_TMP=$(mktemp -d /tmp/shim6-netns.XXXXXX)
BPFFS_ROOT=$TEST_TMP/bpffs
mkdir -p "$BPFFS_ROOT"
if ! mount -t bpf bpf "$BPFFS_ROOT" 2>/dev/null; then
	echo "[$(basename "$0" .sh)] SKIP (cannot mount a private bpffs)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
# ip netns keeps its bind mounts under /run/netns: make that private to us.
mkdir -p /run/netns
mount -t tmpfs -o size=1m shim6-netns /run/netns 2>/dev/null || true

NAMESPACES=()
declare -A BG_PIDS=()
declare -A PEER_OF=()	# "N:IF" -> "N2:IF2", the other end of a veth
FAIL_REASON=
SKIP_REASON=

log() { [ "${V:-0}" = 1 ] && echo "  $*" >&2; return 0; }

ns_name() { echo "$NS_PREFIX$1"; }
bpffs_of() { echo "$BPFFS_ROOT/$1"; }

ns_exec() {
	local n=$1; shift
	ip netns exec "$(ns_name "$n")" "$@"
}

ns_shim6ctl() {
	local n=$1; shift
	SHIM6_BPFFS=$(bpffs_of "$n") ip netns exec "$(ns_name "$n")" "$SHIM6CTL" "$@"
}

# ns_create N: the namespace with lo up and nothing else set (a bed that
# wants the kernel's defaults: DAD, RAs); teardown removes it
ns_create() {
	ip netns add "$(ns_name "$1")" || return 1
	NAMESPACES+=("$1")
	mkdir -p "$(bpffs_of "$1")"
	ns_exec "$1" ip link set lo up
}

ns_add() {
	local n=$1
	ns_create "$n" || return 1
	ns_exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.all.forwarding=1 net.ipv6.conf.all.keep_addr_on_down=1 \
		net.ipv6.conf.all.dad_transmits=0 net.ipv6.conf.default.dad_transmits=0 >/dev/null
}

# Hosts forward too (harmless, and lets a host with two uplinks accept a
# redirected packet); set_host N turns forwarding off for pure hosts.
set_host() { ns_exec "$1" sysctl -qw net.ipv6.conf.all.forwarding=0 >/dev/null; }

link_add() {
	local n1=$1 if1=$2 n2=$3 if2=$4 mtu=${5:-}
	ip link add "$if1" netns "$(ns_name "$n1")" type veth peer name "$if2" \
		netns "$(ns_name "$n2")" || return 1
	PEER_OF[$n1:$if1]=$n2:$if2
	PEER_OF[$n2:$if2]=$n1:$if1
	for side in "$n1 $if1" "$n2 $if2"; do
		set -- $side
		ns_exec "$1" sysctl -qw "net.ipv6.conf.$2.accept_dad=0" "net.ipv6.conf.$2.accept_ra=0"
		# a link-local address now, not when the kernel gets round to it
		[ -n "$mtu" ] && ns_exec "$1" ip link set dev "$2" mtu "$mtu"
		ns_exec "$1" ip link set dev "$2" up
	done
}

# addr_add N IF ADDR/LEN: the address without DAD, and a permanent
# neighbour entry for it on the other end of the link, so that no ND is
# needed (a one-way cut would otherwise break ND, and with it the direction
# that still works)
addr_add() {
	local peer mac
	ns_exec "$1" ip -6 addr add "$3" dev "$2" nodad || return 1
	peer=${PEER_OF[$1:$2]:-}
	[ -n "$peer" ] || return 0
	mac=$(ns_exec "$1" cat "/sys/class/net/$2/address") || return 1
	ns_exec "${peer%%:*}" ip -6 neigh replace "${3%/*}" lladdr "$mac" \
		dev "${peer#*:}" nud permanent
}

# ---- background processes ---------------------------------------------------
start_bg() {
	local name=$1 n=$2; shift 2
	# `ip netns exec` execs CMD: $! is CMD's own PID, so stop_bg kills it
	# (through a shell function it would kill a subshell and orphan CMD)
	ip netns exec "$(ns_name "$n")" "$@" >"$TEST_TMP/bg.$name.log" 2>&1 &
	BG_PIDS[$name]=$!
	log "started $name (pid ${BG_PIDS[$name]}) in $n: $*"
}

stop_bg() {
	local pid=${BG_PIDS[$1]:-}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "BG_PIDS[$1]"
	return 0
}

bg_log() { cat "$TEST_TMP/bg.$1.log" 2>/dev/null; }

# ---- shim6d -------------------------------------------------------------------
. "$SHIM6_TOP/selftests/netns/shim6d_lib.sh"

# ns_shim6d N [WAIT]: shim6d_start for host N of this bed (files under
# $TEST_TMP, N's pin root), as the background process dN: bg_log dN shows
# its output since this start, stop_bg dN stops it, teardown ends it
ns_shim6d() {
	: >"$TEST_TMP/bg.d$1.log"
	shim6d_start "BG_PIDS[d$1]" "$(ns_name "$1")" "$TEST_TMP" "$1" "${2:-5}" "$TEST_TMP/bg.d$1.log"
}

# sock N: the control socket of N's shim6d; dctl N ARGS: shim6ctl through it
sock() { echo "$TEST_TMP/$1.sock"; }
dctl() { local n=$1; shift; SHIM6D_SOCKET=$(sock "$n") "$SHIM6CTL" "$@"; }
# ctx_field N JQ: one value of N's `daemon context show`; state_is N STATE:
# its first context is in STATE (a condition for wait_for)
ctx_field() { dctl "$1" -j daemon context show 2>/dev/null | jq -r "$2"; }
state_is() { [ "$(ctx_field "$1" '.contexts[0].state')" = "$2" ]; }

# ---- assertions -------------------------------------------------------------
check() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	[ "${V:-0}" = 1 ] && [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/    /' >&2
	if [ $rc -ne 0 ]; then
		FAIL_REASON="'$*' exited $rc: $(printf '%s' "$out" | tail -n1 | cut -c1-160)"
		return 1
	fi
	return 0
}

fail() { FAIL_REASON=$*; return 1; }

skip() { SKIP_REASON=$*; }

wait_for() {
	local secs=$1 i; shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	FAIL_REASON="gave up after ${secs}s waiting for: $*"
	return 1
}

require_cmd() {
	local c
	for c; do
		command -v "$c" >/dev/null || { skip "$c not installed"; return 1; }
	done
}

# ---- link failures ------------------------------------------------------------
# An nftables netdev table with an egress-hook chain, policy drop, on the
# device: everything N sends on IF is dropped (netem is not in every kernel;
# this one has no sch_netem).  One device = one direction; both ends = cut.
# The hook runs before tc egress; prefer cutting at routers, where no BPF
# program redirects packets past it.
_cut_table() { echo "shim6cut_${1//-/_}"; }

cut_one_way() {
	local t
	t=$(_cut_table "$2")
	ns_exec "$1" nft add table netdev "$t" &&
	ns_exec "$1" nft add chain netdev "$t" out \
		"{ type filter hook egress device \"$2\" priority 0; policy drop; }"
}

cut_link() {
	cut_one_way "$1" "$2" && cut_one_way "$3" "$4"
}

restore_link() {
	ns_exec "$1" nft delete table netdev "$(_cut_table "$2")" 2>/dev/null
	[ -n "${3:-}" ] && ns_exec "$3" nft delete table netdev "$(_cut_table "$4")" 2>/dev/null
	return 0
}

# Packets a device transmitted (tx) or received (rx): to see where a flow went.
link_packets() {
	ns_exec "$1" cat "/sys/class/net/$2/statistics/${3}_packets"
}

# ---- teardown -------------------------------------------------------------------
teardown() {
	local name n pid
	declare -F bed_teardown >/dev/null && bed_teardown
	for name in "${!BG_PIDS[@]}"; do stop_bg "$name"; done
	# every namespace of this run, also those a killed subshell created
	for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX"); do
		# whatever a test started in its namespaces and left running
		for pid in $(ip netns pids "$n" 2>/dev/null); do kill "$pid" 2>/dev/null; done
		ip netns del "$n" 2>/dev/null
	done
	for n in "${NAMESPACES[@]}"; do
		# pinned objects of this host: programs/links go away with the
		# namespace's devices, maps with the pins
		rm -rf "$(bpffs_of "$n")" 2>/dev/null
	done
	NAMESPACES=()
}

final_cleanup() {
	teardown
	umount /run/netns 2>/dev/null
	umount "$BPFFS_ROOT" 2>/dev/null
	rm -rf "$TEST_TMP"
}
trap final_cleanup EXIT
trap 'exit 130' INT TERM

debug_shell_hint() {
	local n
	{
	echo "  DEBUG_TESTENV: test bed of '$1' is up. Enter it from another shell with:"
	echo "    nsenter -t $$ -m -- ip netns exec $(ns_name "${NAMESPACES[0]:-A}") bash"
	echo "  namespaces:"
	for n in "${NAMESPACES[@]}"; do
		echo "    $n = $(ns_name "$n")  (SHIM6_BPFFS=$(bpffs_of "$n"))"
	done
	echo "  press Enter to tear down"
	} >&2
	{ read -r _ </dev/tty; } 2>/dev/null || true
}

# ---- runner -------------------------------------------------------------------------
N_PASS=0 N_FAIL=0 N_SKIP=0

# run_test NAME FN: run FN as test NAME, print its one result line.
run_test() {
	local name=$1 fn=$2 rc t0=$SECONDS
	log "---- $name"
	( _run_fn "$fn" )
	rc=$?
	# again out here: a subshell that died (set -u, exit) skipped its own
	teardown
	_finish_test "$name" $rc $((SECONDS - t0))
}

# Runs one test function in a subshell so that its variables and traps do
# not leak; its FAIL_REASON / SKIP_REASON are passed back in a file.
_run_fn() {
	local fn=$1 rc f
	DETAIL=
	if declare -F bed_setup >/dev/null && ! bed_setup; then
		FAIL_REASON="cannot build the test bed${FAIL_REASON:+: $FAIL_REASON}"
		rc=1
	else
		"$fn"
		rc=$?
	fi
	if [ $rc -ne 0 ] && [ $rc -ne $SKIP_CODE ] && [ "${V:-0}" = 1 ]; then
		for f in "$TEST_TMP"/*.log; do
			[ -s "$f" ] && { echo "--- $f"; tail -n 30 "$f"; } >&2
		done
	fi
	if [ $rc -eq $SKIP_CODE ]; then
		echo "$SKIP_REASON" >"$TEST_TMP/reason"
	elif [ $rc -ne 0 ]; then
		echo "$FAIL_REASON" >"$TEST_TMP/reason"
	else
		echo "${DETAIL:-}" >"$TEST_TMP/reason"
	fi
	if [ "${DEBUG_TESTENV:-0}" = 1 ] && { [ $rc -ne 0 ] || [ "$_N_SELECTED" = 1 ]; }; then
		debug_shell_hint "$fn"
	fi
	teardown
	return $rc
}

skip_all() {
	local t selected=${TESTS:-$ALL_TESTS}
	for t in $selected; do echo "[$t] SKIP ($*)"; done
	echo "0 passed, 0 failed, $(echo $selected | wc -w) skipped"
	exit 0
}

run_tests() {
	local t selected=${TESTS:-$ALL_TESTS}
	_N_SELECTED=$(echo $selected | wc -w)
	if [ "${NEEDS_SHIM6CTL:-1}" = 1 ] && [ ! -x "$SHIM6CTL" ]; then
		skip_all "$SHIM6CTL not built"
	fi
	for t in $selected; do
		run_test "$t" "$t"
	done
	echo "$N_PASS passed, $N_FAIL failed, $N_SKIP skipped"
	[ $N_FAIL -eq 0 ]
	exit $?
}

_finish_test() {
	local name=$1 rc=$2 secs=${3:-0} reason= res
	[ -f "$TEST_TMP/reason" ] && { reason=$(cat "$TEST_TMP/reason"); rm -f "$TEST_TMP/reason"; }
	if [ $rc -eq 0 ]; then
		res=PASS
		echo "[$name] PASS${reason:+ ($reason)}"
		N_PASS=$((N_PASS + 1))
	elif [ $rc -eq $SKIP_CODE ]; then
		res=SKIP reason=${reason:-no reason given}
		echo "[$name] SKIP ($reason)"
		N_SKIP=$((N_SKIP + 1))
	else
		res=FAIL reason=${reason:-exit status $rc}
		echo "[$name] FAIL ($reason)"
		N_FAIL=$((N_FAIL + 1))
	fi
	[ -n "${RESULTS:-}" ] &&
		printf '%s\t%s\t%s\t%s\n' "$name" "$res" "$secs" "$(tr '\n\t' '  ' <<<"$reason")" >>"$RESULTS"
	return 0
}
