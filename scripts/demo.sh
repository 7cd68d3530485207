#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: shim6 keeps a TCP connection alive across an ISP failure.
#
# On a namespace test bed it builds itself (selftests/netns/topo.sh), with
# shim6d on both hosts: a TCP transfer starts between the hosts' first
# addresses (the ULIDs), the trigger heuristic forms a Shim6 context, the
# primary uplink is cut, REAP (RFC 5534) detects the failure and moves the
# context to another locator pair, and the same connection finishes. The
# summary gives the pair before and after, the recovery time and whether the
# received bytes match (SHA-256). Exit status 0 only if the flow survived.
#
# Everything lives in namespaces named shim6-<pid>-* and a private bpffs, and
# is torn down at the end (unless --keep). Traffic stays inside them.

usage() {
	cat <<'EOF'
Usage: make demo [DEMO_ARGS="OPTIONS"]      or      scripts/demo.sh [OPTIONS]

  --topology site|laptop  site: hosts A and B each behind a site router with two
                          ISPs, A's ISP1 uplink is cut (default);
                          laptop: host L with two interfaces talks to P, L's
                          first interface is cut
  --tsend SECONDS         REAP Send Timeout (default 1; RFC 5534 default 15)
  --size MB               bytes to transfer, in MiB (default 48)
  --keep                  leave the test bed up at the end and print how to
                          explore it with shim6ctl and bpftool
  -h, --help              this text

Needs root (network namespaces, BPF) and a build (make). Exit status 0 if the
TCP connection survived the failure with every byte intact, 1 otherwise.
EOF
}

TOPO=site TSEND=1 SIZE_MB=48 KEEP=0
ARGS=("$@")	# lib.sh re-executes the script with them
while [ $# -gt 0 ]; do
	case $1 in
	--topology) TOPO=${2:-}; shift ;;
	--tsend) TSEND=${2:-}; shift ;;
	--size) SIZE_MB=${2:-}; shift ;;
	--keep) KEEP=1 ;;
	-h|--help|help) usage; exit 0 ;;
	*) echo "demo: unknown option '$1' (try --help)" >&2; exit 1 ;;
	esac
	shift
done
case $TOPO in site|laptop) ;; *) echo "demo: --topology is site or laptop, not '$TOPO'" >&2; exit 1 ;; esac
[[ $TSEND =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk "BEGIN{exit !($TSEND >= 0.2 && $TSEND <= 60)}" ||
	{ echo "demo: --tsend takes seconds between 0.2 and 60, not '$TSEND'" >&2; exit 1; }
[[ $SIZE_MB =~ ^[0-9]+$ ]] && [ "$SIZE_MB" -ge 4 ] && [ "$SIZE_MB" -le 4096 ] ||
	{ echo "demo: --size takes MiB between 4 and 4096, not '$SIZE_MB'" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "demo: needs root (network namespaces and BPF)" >&2; exit 1; }

TOP=$(cd "$(dirname "$0")/.." && pwd)
SHIM6D=$TOP/.output/shim6d
for b in "$TOP/.output/shim6ctl" "$SHIM6D"; do
	[ -x "$b" ] || { echo "demo: $b is not built (run make)" >&2; exit 1; }
done
for c in jq socat python3 sha256sum; do
	command -v "$c" >/dev/null || { echo "demo: $c is missing (make demo installs it)" >&2; exit 1; }
done

# The harness re-executes this script in a private mount namespace and
# removes namespaces, bpffs and background processes on exit.
set -- "${ARGS[@]}"
. "$TOP/selftests/netns/lib.sh"
. "$TOP/selftests/netns/topo.sh"

if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' N=$'\e[0m'; else B= G= R= N=; fi
step() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
say() { printf '   %s\n' "$*"; }
die() { printf '\n%sdemo failed: %s%s\n' "$R" "$*" "$N"; exit 1; }
now_ms() { date +%s%3N; }

ctx() { dctl "$1" -j daemon context show 2>/dev/null | jq -r ".contexts[0]$2 // empty"; }
ctx_is() { [ "$(ctx "$1" "$2")" = "$3" ]; }	# for wait_for: evaluated on every try

# hba_host N DEV1 PFX1 [DEV2 PFX2]: an HBA set over the host's prefixes, the
# first address on DEV1, the second on DEV2; sets X1 (the ULID) and X2.
hba_host() {
	local n=$1 dev1=$2 p1=$3 dev2=${4:-} p2=${5:-} j
	j=$("$SHIM6CTL" -j hba gen prefixes "$p1${p2:+,$p2}" sec 0 out "$TEST_TMP/$n.params") ||
		die "shim6ctl hba gen for $n"
	X1=$(jq -r '.addresses[0]' <<<"$j") X2=$(jq -r '.addresses[1] // empty' <<<"$j")
	printf '[address %s]\nparams %s\n' "$X1" "$TEST_TMP/$n.params" >"$TEST_TMP/$n.addrs"
	addr_add "$n" "$dev1" "$X1/64" || die "address $X1 on $n"
	if [ -n "$X2" ]; then
		printf '[address %s]\nparams %s\n' "$X2" "$TEST_TMP/$n.params" >>"$TEST_TMP/$n.addrs"
		addr_add "$n" "$dev2" "$X2/64" || die "address $X2 on $n"
	fi
}

# start_d N DEV...: attach the data plane to DEV... and start shim6d
start_d() {
	local n=$1 dev; shift
	shim6d_conf "$TEST_TMP" "$n" <<EOC
log-level info
[trigger]
bytes 2048
[timers]
send-timeout ${TSEND}s
$(cat "$TEST_TMP/$n.addrs")
EOC
	for dev; do
		ns_shim6ctl "$n" attach dev "$dev" >/dev/null 2>"$TEST_TMP/attach.err" ||
			die "shim6ctl attach dev $dev on $n: $(cat "$TEST_TMP/attach.err")"
	done
	ns_shim6d "$n" || die "shim6d on $n did not start: $(bg_log "d$n" | tail -3)"
}

# The sender paces itself (64 KiB every 20 ms, about 3 MB/s) so that the
# failure happens in the middle of the transfer.
SENDER='
import socket, sys, time
src, dst, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
s = socket.create_connection((dst, port), source_address=(src, 0))
with open(path, "rb") as f:
    while True:
        b = f.read(65536)
        if not b:
            break
        s.sendall(b)
        time.sleep(0.02)
s.shutdown(socket.SHUT_WR)
s.recv(1)
'

# ---- 1. the bed ----------------------------------------------------------------
if [ $TOPO = site ]; then
	step "1. Test bed: hosts A and B, each behind a site router with two ISPs"
	topo_site || die "$FAIL_REASON"
	hba_host A a0 2001:db8:a1::/64 a0 2001:db8:a2::/64; U1=$X1 U2=$X2
	hba_host B b0 2001:db8:b1::/64 b0 2001:db8:b2::/64; V1=$X1 V2=$X2
	H1=A H2=B DEVS1=(a0) DEVS2=(b0)
	CUT=(cut_link SA sa-i1 ISP1 i1-sa) CUT_TXT="A's site router <-> ISP1 (both directions)"
else
	step "1. Test bed: laptop L with two interfaces (two routers) and a peer P"
	topo_laptop || die "$FAIL_REASON"
	hba_host L l0 2001:db8:c1::/64 l1 2001:db8:c2::/64; U1=$X1 U2=$X2
	hba_host P p0 2001:db8:d::/64; V1=$X1 V2=
	H1=L H2=P DEVS1=(l0 l1) DEVS2=(p0)
	# Cut behind the first router (its uplink): a cut on L's own device would
	# hide the sends from the data plane (nft egress runs before tc egress).
	CUT=(cut_link R1 r1-c C c-r1) CUT_TXT="the uplink of L's first router R1 (both directions)"
fi
say "$H1: HBA addresses $U1 (ULID) and $U2"
[ $TOPO = site ] && say "$H2: HBA addresses $V1 (ULID) and $V2" || say "$H2: HBA address $V1"
wait_for 5 ns_exec $H1 ping -c1 -W1 -I "$U1" "$V1" >/dev/null || die "no IPv6 between $U1 and $V1"

step "2. Data plane attached, shim6d started on $H1 and $H2 (Send Timeout ${TSEND} s)"
start_d $H1 "${DEVS1[@]}"
start_d $H2 "${DEVS2[@]}"
ns_shim6ctl $H1 status | sed 's/^/   /'

# ---- 2. the transfer and the context -----------------------------------------------
SIZE=$((SIZE_MB * 1024 * 1024))
head -c $SIZE /dev/urandom >"$TEST_TMP/data"
start_bg recv $H2 socat -u TCP6-LISTEN:5001,reuseaddr OPEN:"$TEST_TMP/recv",creat,trunc
listening() { ns_exec "$1" ss -Hltn "sport = :$2" | grep -q .; }
wait_for 5 listening $H2 5001 || die "receiver did not start"
step "3. TCP transfer $H1 [$U1] -> $H2 [$V1], $SIZE_MB MiB"
start_bg send $H1 python3 -c "$SENDER" "$U1" "$V1" 5001 "$TEST_TMP/data"
wait_for 15 ctx_is $H1 .state established ||
	die "no context formed: $(dctl $H1 -j daemon context show)"
wait_for 5 ctx_is $H2 .state established || die "$H2 did not reach ESTABLISHED"
say "after 2 KiB the trigger heuristic started the handshake; the context on $H1:"
dctl $H1 daemon context show | sed 's/^/     /'
TAG=$(ctx $H1 .local_tag) PTAG=$(ctx $H1 .peer_tag)
BEFORE="$(ctx $H1 .reap.pair_local) -> $(ctx $H1 .reap.pair_peer)"
[ "$(ctx $H1 .reap.state)" ] || die "REAP is not running on the context"

size() { stat -c %s "$TEST_TMP/recv" 2>/dev/null || echo 0; }
LAST_PRINT=0
progress() { # a live line on a terminal, a line every 2 s otherwise
	local t line
	line=$(printf '%6.1f / %d MiB  REAP %-11s pair %s -> %s' \
		"$(awk "BEGIN{print $(size)/1048576}")" "$SIZE_MB" "$(ctx $H1 .reap.state)" \
		"$(ctx $H1 .reap.pair_local)" "$(ctx $H1 .reap.pair_peer)")
	if [ -t 1 ]; then
		printf '\r   %s   ' "$line"
	else
		t=$(now_ms)
		[ $((t - LAST_PRINT)) -ge 2000 ] && { printf '   %s\n' "$line"; LAST_PRINT=$t; }
	fi
	return 0
}
# Let a quarter of the data through, then fail the link.
while [ "$(size)" -lt $((SIZE / 4)) ]; do
	kill -0 "${BG_PIDS[send]}" 2>/dev/null || die "the sender stopped early: $(bg_log send)"
	progress; sleep 0.2
done
[ -t 1 ] && echo

# ---- 3. the failure -----------------------------------------------------------------
step "4. Cutting $CUT_TXT"
# Recovery as the application sees it: the longest stall of the receiver
# after the cut (from the last byte before the failure to the first after).
"${CUT[@]}" || die "cut failed"
T_CUT=$(now_ms) last=$(size) t_last=$T_CUT stall=0 moved=0
while kill -0 "${BG_PIDS[send]}" 2>/dev/null; do
	s=$(size) t=$(now_ms)
	if [ "$s" != "$last" ]; then
		gap=$((t - t_last)); [ $gap -gt $stall ] && stall=$gap
		last=$s t_last=$t
	fi
	if [ $moved = 0 ] && [ "$(ctx $H1 .reap.path_changes)" -gt 0 ] 2>/dev/null; then
		moved=$(( $(now_ms) - T_CUT ))
		[ -t 1 ] && echo
		printf '   REAP moved the context %d ms after the cut: %s -> %s\n' "$moved" \
			"$(ctx $H1 .reap.pair_local)" "$(ctx $H1 .reap.pair_peer)"
	fi
	[ $(( t - T_CUT )) -gt 180000 ] && { echo; die "the transfer did not finish within 180 s of the cut"; }
	progress; sleep 0.05
done
[ -t 1 ] && echo
size_is() { [ "$(size)" = "$1" ]; }
wait_for 10 size_is $SIZE || say "${R}the sender ended early: $(bg_log send | tail -2)${N}"

# ---- 4. the summary ------------------------------------------------------------------
AFTER="$(ctx $H1 .reap.pair_local) -> $(ctx $H1 .reap.pair_peer)"
OK=1
[ "$(sha256sum <"$TEST_TMP/data")" = "$(sha256sum <"$TEST_TMP/recv")" ] || OK=0
step "5. Summary"
say "context        $H1 tag $TAG, $H2 tag $PTAG, ULIDs $U1 -> $V1"
say "locator pair   before $BEFORE"
say "               after  $AFTER"
say "REAP           $(ctx $H1 .reap.explorations) exploration(s), $(ctx $H1 .reap.probes_sent) probes sent, time from failure detection to the new pair: $(ctx $H1 .reap.last_recovery_ms | sed "s/^$/-/") ms"
say "application    longest stall after the cut: $stall ms (Send Timeout ${TSEND} s)"
say "bytes moved    $(size) of $SIZE"
if [ $OK = 1 ] && [ "$BEFORE" != "$AFTER" ]; then
	say "integrity      ${G}SHA-256 matches: the same TCP connection survived the failure${N}"
else
	say "integrity      ${R}FAILED: $( [ $OK = 1 ] && echo 'the pair did not change' || echo 'SHA-256 differs')${N}"
	say "shim6d on $H1, last lines:"
	bg_log "d$H1" | tail -n 8 | sed 's/^/     /' 
fi

if [ $KEEP = 1 ]; then
	step "The test bed stays up (--keep). From another shell:"
	say "nsenter -t $$ -m -- ip netns exec $(ns_name $H1) bash"
	say "  then: shim6ctl --bpffs $(bpffs_of $H1) context show | stats | status"
	say "        SHIM6D_SOCKET=$(sock $H1) shim6ctl daemon context show"
	say "        bpftool map dump pinned $(bpffs_of $H1)/shim6_ulid"
	say "press Enter to tear everything down"
	read -r _ </dev/tty 2>/dev/null || true
fi
[ $OK = 1 ] && [ "$BEFORE" != "$AFTER" ]
