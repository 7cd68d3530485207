# SPDX-License-Identifier: GPL-2.0
# The two-namespace bed of the reliability tests (sourced by
# test_reliability.sh and scripts/reliability.sh): the same shape as
# test_shim6d.sh's — A 2001:db8:1::a a0 ---- b0 2001:db8:1::b B, the data plane
# attached on both veths (tc), a shim6d per side — plus B's default route
# via A so that answers to spoofed off-link sources leave B without
# neighbour discovery.  Names carry $$; the caller runs under `unshare -m`.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHIM6D=${SHIM6D:-$TOP/.output/shim6d}
SHIM6CTL=${SHIM6CTL:-$TOP/.output/shim6ctl}
SKIP_CODE=249
. "$TOP/selftests/netns/shim6d_lib.sh"
NSA=rel-$$-A
NSB=rel-$$-B
ADDR_A=2001:db8:1::a
ADDR_B=2001:db8:1::b
declare -A PIDS=()
FAIL_REASON=
SKIP_REASON=

TMP=$(mktemp -d /tmp/shim6-rel.XXXXXX)
mkdir -p "$TMP/bpffs"
mount -t bpf bpf "$TMP/bpffs" || { echo "[test_reliability] SKIP (cannot mount bpffs)";
	echo "0 passed, 0 failed, 1 skipped"; rm -rf "$TMP"; exit 0; }
mkdir -p /run/netns
mount -t tmpfs -o size=1m rel-netns /run/netns 2>/dev/null || true

log() { [ "${V:-0}" = 1 ] && echo "  $*" >&2; return 0; }
fail() { FAIL_REASON=$*; return 1; }
nsx() { local n=$1; shift; ip netns exec "rel-$$-$n" "$@"; }
bpffs() { echo "$TMP/bpffs/$1"; }
sock() { echo "$TMP/$1.sock"; }
ctl() { local n=$1; shift; SHIM6D_SOCKET=$(sock "$n") "$SHIM6CTL" "$@"; }
dev_of() { [ "$1" = A ] && echo a0 || echo b0; }
dp() { local n=$1; shift; nsx "$n" "$SHIM6CTL" --bpffs "$(bpffs "$n")" "$@"; }
wait_for() {
	local i n=$(($1 * 10)); shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
check_ok() { "$@" >/dev/null 2>"$TMP/err" || fail "$* failed: $(cat "$TMP/err")"; }
map_count() { bpftool -j map dump pinned "$(bpffs "$1")/$2" | jq length; }
ctx_field() { ctl "$1" -j daemon context show 2>/dev/null | jq -r "$2"; }
state_is() { [ "$(ctx_field "$1" '.contexts[0].state')" = "$2" ]; }
stat_of() { ctl "$1" -j daemon stats | jq -r "$2"; }
ctx_count_is() { [ "$(ctx_field "$1" '.contexts | length')" = "$2" ]; }
# packets of the data plane of N with reason CODE
dp_reason() { dp "$1" -j stats | jq "[.. | objects | select(.code? == $2) | .packets] | add // 0"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

make_maps() {
	local n=$1
	rm -rf "$(bpffs "$n")"
	dp "$n" attach dev "$(dev_of "$n")" ingress tc no-segmentation >"$TMP/attach.err" 2>&1 ||
		fail "attach on $n: $(cat "$TMP/attach.err")"
}

write_conf() { # NAME EXTRA-LINES
	shim6d_conf "$TMP" "$1" <<EOC
log-level ${LOGLEVEL:-info}
idle-timeout 0
[timers]
i1-timeout 200ms
i1-retries ${I1_RETRIES:-2}
i2-timeout 200ms
i2bis-timeout 200ms
validator-lifetime ${VLIFE:-30s}
$2
EOC
}

# start_d NAME [EXTRA-CONFIG]; WRAP="valgrind ..." runs shim6d under it,
# START_WAIT (default 5) is how long it may take to answer
start_d() {
	write_conf "$1" "${2:-}"
	shim6d_start "PIDS[$1]" "rel-$$-$1" "$TMP" "$1" "${START_WAIT:-5}"
}

kill9_d() { shim6d_stop "PIDS[$1]" KILL; }

setup() {
	ip netns add "$NSA" && ip netns add "$NSB" || return 1
	local n
	for n in A B; do
		nsx $n ip link set lo up
		nsx $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.all.keep_addr_on_down=1 net.ipv6.conf.default.keep_addr_on_down=1 >/dev/null
	done
	ip link add a0 netns "$NSA" type veth peer name b0 netns "$NSB" || return 1
	nsx A ip addr add $ADDR_A/64 dev a0 nodad && nsx A ip link set a0 up &&
	nsx B ip addr add $ADDR_B/64 dev b0 nodad && nsx B ip link set b0 up || return 1
	nsx B ip -6 route add default via $ADDR_A dev b0 || return 1
	make_maps A && make_maps B || return 1
	wait_for 5 nsx A ping -c1 -W1 $ADDR_B || return 1
}

teardown() {
	local n
	for n in "${!PIDS[@]}"; do
		kill "${PIDS[$n]}" 2>/dev/null
		wait "${PIDS[$n]}" 2>/dev/null
	done
	PIDS=()
	for n in "${BGPIDS[@]}"; do kill "$n" 2>/dev/null; wait "$n" 2>/dev/null; done
	BGPIDS=()
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$TMP"/bpffs/A "$TMP"/bpffs/B "$TMP"/*.sock "$TMP"/*.log "$TMP"/*.conf \
		"$TMP"/*.params "$TMP"/*.key "$TMP"/*.addrs "$TMP"/*.state "$TMP"/*.json "$TMP"/vg.*
}
BGPIDS=()

cleanup_all() {
	teardown
	umount "$TMP/bpffs" 2>/dev/null
	umount /run/netns 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup_all EXIT

establish() {
	check_ok ctl A daemon context start ulid-local $ADDR_A ulid-peer $ADDR_B || return 1
	wait_for "${EST_WAIT:-5}" state_is A established || fail "A not established: $(ctx_field A .contexts[0].state)" || return 1
	wait_for 5 state_is B established || fail "B not established" || return 1
}

# gen_hba N: an HBA set over 2001:db8:1::/64 and 2001:db8:2::/64 on N's veth (HBA1 HBA2)
gen_hba() {
	local n=$1 dev j
	dev=$(dev_of "$n")
	j=$("$SHIM6CTL" -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 sec 0 \
		out "$TMP/$n.params") || return 1
	HBA1=$(jq -r '.addresses[0]' <<<"$j"); HBA2=$(jq -r '.addresses[1]' <<<"$j")
	nsx "$n" ip addr add "$HBA1/64" dev $dev nodad &&
	nsx "$n" ip addr add "$HBA2/64" dev $dev nodad
}

# A TCP server on B (port 5001) echoing everything; a client on A streaming
# for SECONDS, checking every byte comes back in order.  tcp_stream_start
# SECONDS starts both in the background; tcp_stream_wait returns the client's status.
tcp_stream_start() {
	nsx B python3 -c '
import socket
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 5001)); s.listen(1); s.settimeout(30)
c, _ = s.accept(); c.settimeout(None)
while True:
    d = c.recv(65536)
    if not d: break
    c.sendall(d)' &
	STREAM_SRV=$!
	BGPIDS+=("$STREAM_SRV")
	wait_for 5 nsx B sh -c "ss -Hltn | grep -q :5001" || return 1
	nsx A python3 -c '
import socket, sys, time, hashlib
secs = float(sys.argv[2])
c = socket.create_connection((sys.argv[1], 5001), timeout=120)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 0)
sent = got = 0; end = time.time() + secs; i = 0
h_out = hashlib.sha256(); h_in = hashlib.sha256()
while time.time() < end:
    chunk = (b"%08d" % i) * 128; i += 1
    c.sendall(chunk); h_out.update(chunk); sent += len(chunk)
    while got < sent:
        d = c.recv(65536)
        if not d: sys.exit("connection closed by the peer")
        h_in.update(d); got += len(d)
    time.sleep(0.01)
c.close()
sys.exit(0 if h_in.digest() == h_out.digest() else "corrupted echo")
print(sent)' "$ADDR_B" "$1" >"$TMP/stream.out" 2>&1 &
	STREAM_CLI=$!
	BGPIDS+=("$STREAM_CLI")
	# the connection is up before any fault starts
	wait_for 10 nsx A sh -c "ss -Htn state established '( dport = :5001 )' | grep -q ." ||
		fail "the TCP stream did not connect"
}
tcp_stream_wait() {
	local rc
	wait "$STREAM_CLI"; rc=$?
	kill "$STREAM_SRV" 2>/dev/null; wait "$STREAM_SRV" 2>/dev/null
	[ $rc = 0 ] || fail "TCP stream broke: $(tail -2 "$TMP/stream.out")"
}

# run_tests TEST...: the harness of test_shim6d.sh (one line per test)
run_tests() {
	local pass=0 failc=0 skipc=0 t rc t0
	for t in "$@"; do
		FAIL_REASON= SKIP_REASON= DETAIL=
		if ! setup; then
			echo "[$t] FAIL (cannot build the test bed)"
			failc=$((failc + 1)); teardown; continue
		fi
		t0=$(date +%s)
		$t; rc=$?
		if [ $rc = 0 ]; then
			echo "[$t] PASS${DETAIL:+ ($DETAIL)}"; pass=$((pass + 1))
		elif [ $rc = $SKIP_CODE ]; then
			echo "[$t] SKIP ($SKIP_REASON)"; skipc=$((skipc + 1))
		else
			echo "[$t] FAIL (${FAIL_REASON:-exit $rc})"; failc=$((failc + 1))
			[ "${V:-0}" = 1 ] && for f in "$TMP"/*.log; do echo "--- $f"; tail -20 "$f"; done
		fi
		if [ -n "${RESULTS:-}" ]; then
			local res=PASS why=$DETAIL
			[ $rc = $SKIP_CODE ] && res=SKIP why=$SKIP_REASON
			[ $rc != 0 ] && [ $rc != $SKIP_CODE ] && res=FAIL why=$FAIL_REASON
			printf '%s\t%s\t%s\t%s\n' "$t" "$res" "$(($(date +%s) - t0))" \
				"$(tr '\n\t' '  ' <<<"$why")" >>"$RESULTS"
		fi
		teardown
	done
	echo "$pass passed, $failc failed, $skipc skipped"
	[ $failc = 0 ]
}
