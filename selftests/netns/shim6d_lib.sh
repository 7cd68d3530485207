#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim6d in a test namespace: the one way the netns tests write its
# configuration, start it and stop it.  lib.sh sources this file (and wraps
# shim6d_start as ns_shim6d for the beds of topo.sh); ab_bed.sh and
# test_autoconf.sh call shim6d_start for daemons of their own.  Only
# definitions: sourcing it starts nothing and mounts nothing.
#
# Host N's files follow one convention under the bed's directory DIR:
#   DIR/N.conf   configuration       DIR/N.state   state file
#   DIR/N.sock   control socket      DIR/bpffs/N   pin root of its data plane
#   DIR/N.log    output (unless the caller names another file)
# The harness provides wait_for SECONDS CMD... (bounded polling for a state,
# never a timed assertion) and fail MESSAGE (sets FAIL_REASON, returns 1).
#
#   shim6d_conf DIR N <<EOC ... EOC
#       writes DIR/N.conf: [daemon] with the state file DIR/N.state, then
#       the lines on stdin (more [daemon] keys first, then the sections)
#   shim6d_start PIDVAR NETNS DIR N [WAIT [LOG]]
#       starts shim6d for N on its files in the network namespace NETNS (a
#       name under /run/netns), its output appended to LOG (default
#       DIR/N.log), under the command $WRAP when set (e.g. valgrind);
#       stores its PID in the variable PIDVAR ("PIDS[A]"), then waits up to
#       WAIT seconds (default 5; 0: no wait) until its control socket answers
#   shim6d_stop PIDVAR [SIGNAL]
#       sends SIGNAL (default TERM) to that PID, waits for it, unsets PIDVAR

SHIM6D=${SHIM6D:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.output/shim6d}
SHIM6CTL=${SHIM6CTL:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.output/shim6ctl}

shim6d_conf() {
	{
		printf '[daemon]\nstate-file %s\n' "$1/$2.state"
		cat
	} >"$1/$2.conf"
}

# shim6d_answers SOCKET: the daemon behind SOCKET answers `daemon status`
shim6d_answers() { SHIM6D_SOCKET=$1 "$SHIM6CTL" daemon status; }

shim6d_start() {
	local pidvar=$1 netns=$2 dir=$3 n=$4 secs=${5:-5} log=${6:-$3/$4.log}
	# nsenter (net only) execs without forking, and so does a wrapper such
	# as valgrind: the PID is shim6d's (or the wrapper's) own, so kill -9
	# and the teardown reach the daemon, and `wait` gets its exit status
	(exec nsenter --net="/run/netns/$netns" -- ${WRAP:-} "$SHIM6D" --config "$dir/$n.conf" \
		--socket "$dir/$n.sock" --bpffs "$dir/bpffs/$n" >>"$log" 2>&1) &
	printf -v "$pidvar" %s "$!"
	[ "$secs" = 0 ] && return 0
	wait_for "$secs" shim6d_answers "$dir/$n.sock" ||
		fail "shim6d in $n did not come up: $(tail -3 "$log" 2>/dev/null)"
}

shim6d_stop() {
	local pid=${!1:-}
	[ -n "$pid" ] || return 0
	kill -"${2:-TERM}" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "$1"
	return 0
}
