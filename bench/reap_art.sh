#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Application Recovery Time (ART) of REAP against the Send Timeout (the
# seed's Fig. 9), with and without fast TCP recovery, and the same failure
# under Linux MPTCP as the reference.  A figure, not a test.
#
# ART (the seed's definition): from the last packet the receiving
# application got before the failure to the first one it got after the
# recovery.  The receiver (a Python TCP server on B) stamps every recv() and
# logs each gap over 20 ms; a failure's ART is the gap that spans its cut.
#
# Bed: the site topology (selftests/netns/topo.sh), shim6d on A and B with
# HBA addresses, one paced TCP connection A -> B (1000 bytes every 5 ms,
# TCP_NODELAY) between the ULIDs for the whole bed.  A failure = both
# directions of A's site uplink carrying the context's current outgoing
# pair (SA:sa-iN / ISPN:iN-sa, nft drop) are cut; when B's application
# receives again the link is restored, the flow settles (ART_SETTLE s plus
# a random part of Tsend, REAP Operational on A), and the uplink now in use
# is cut next.  One bed per
# (mode, Tsend), ART_FAILURES failures in one long transfer.
#
# First retransmission after the path change (fast recovery's promise): a
# capture on A (tcpdump -i any: a0 and lo, one clock) gives, per failure,
#   probe->retx  the arrival of the last REAP Probe before A's first data
#                segment on the new pair, to that segment (the Probe is what
#                makes shim6d switch: an upper bound of path change -> retx)
#   kick->retx   the first TCP-LD ICMPv6 shim6d sent to itself (lo), to it
# Without fast recovery the same figures show TCP's own RTO wait.
#
# MPTCP: the same bed without shim6; A has an MPTCP subflow endpoint on its
# second address (two subflows A1->B1 via ISP1, A2->B1 via ISP2), a fresh
# MPTCP connection per failure (same pacing), and the SA uplink carrying
# the data (the busier tx counter) is cut.
#
# Environment:
#   ART_FAILURES=N        failures per point (default 20)
#   ART_TSEND="0.25 1"    Send Timeouts in seconds (default 0.25 0.5 1 2 3 5 10)
#   ART_MODES="fast nofast mptcp"   what to measure (default all three)
#   ART_JITTER=PCT        shim6d's reap-jitter (default 10, shim6d's own default):
#                         each Send Timer lasts Tsend x [1 - PCT, 1 + PCT], so an
#                         ART can be shorter than Tsend
#   ART_RTO_MIN=DURATION  shim6d's tcp-rto-min (default 0: the kernel's 200 ms);
#                         e.g. 20ms bounds the wait of a kicked connection
#   ART_SETTLE=S          seconds between a restore and the next cut (default 2),
#                         plus a random fraction of Tsend (the cut's phase against
#                         REAP's reads of the data-plane stamps is then random)
#   ART_DIR=DIR           output directory (default .output/bench): art_raw.csv
#                         (one row per failure), art.csv (summary), art.txt
#   ART_APPEND=1          append to art_raw.csv instead of starting it anew
#                         (several runs in parallel, e.g. one per mode)
#   ART_SUMMARY_ONLY=1    only summarise an existing art_raw.csv
#
#   make bench BENCH=art        ART_FAILURES=3 ART_TSEND="0.25 1" make bench BENCH=art
TOP=$(cd "$(dirname "$0")/.." && pwd)
FAILURES=${ART_FAILURES:-20}
TSENDS=${ART_TSEND:-0.25 0.5 1 2 3 5 10}
MODES=${ART_MODES:-fast nofast mptcp}
SETTLE=${ART_SETTLE:-2}
JITTER=${ART_JITTER:-10}
RTO_MIN=${ART_RTO_MIN:-0}
[ "$RTO_MIN" = 0 ] || RTO_MIN_TAG=-rto$RTO_MIN
DIR=${ART_DIR:-$TOP/.output/bench}
RAW=$DIR/art_raw.csv
SHIM6D=$TOP/.output/shim6d
RAW_HEADER="mode,tsend_s,failure,art_s,art_minus_tsend_s,cut,pair_before,pair_after,probe_to_retx_ms,kick_to_retx_ms,tcp_kicked"

mkdir -p "$DIR"

# ---- summary (no root needed) ------------------------------------------------------
# per (mode, Tsend): failures measured, median / p5 / p95 of ART and of ART - Tsend,
# and median / p95 of the first-retransmission delays (nearest-rank percentiles)
summarise() {
	[ -s "$RAW" ] || { echo "art: no data in $RAW"; return 1; }
	python3 - "$RAW" "$DIR/art.csv" "$JITTER" <<'EOF' | tee "$DIR/art.txt"
import csv, math, sys
jit = float(sys.argv[3]) / 100
rows = list(csv.DictReader(open(sys.argv[1])))
def pct(v, p):
    v = sorted(v)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)] if v else float('nan')
def med(v):
    v = sorted(v)
    n = len(v)
    return float('nan') if not n else (v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2)
keys = []
for r in rows:
    k = (r['mode'], float(r['tsend_s']))
    if k not in keys:
        keys.append(k)
order = {'fast': 0, 'nofast': 1, 'mptcp': 2}
keys.sort(key=lambda k: (order.get(k[0], 9), k[1]))
out = open(sys.argv[2], 'w')
cols = ['mode', 'tsend_s', 'failures', 'lost', 'missed', 'art_median_s', 'art_p5_s', 'art_p95_s',
        'art_minus_tsend_median_s', 'art_minus_tsend_p5_s', 'art_minus_tsend_p95_s',
        'probe_to_retx_median_ms', 'probe_to_retx_p95_ms', 'kick_to_retx_median_ms',
        'kick_to_retx_p95_ms']
out.write(','.join(cols) + '\n')
print('ART (s): median [p5, p95] over the failures; ART - Tsend; first data segment on the new pair')
print('after the Probe that made A switch (probe->retx) and after the TCP-LD kick (kick->retx), ms')
print('n: failures measured; lost: no recovery seen; missed: stall < half the shortest Send Timer')
print('(Tsend x (1 - %g %%), reap-jitter), the cut missed the flow' % (jit * 100))
print('%-7s %6s %4s %4s %6s  %-26s %-26s %-16s %-16s' % ('mode', 'Tsend', 'n', 'lost', 'missed', 'ART median [p5, p95]',
      'ART-Tsend median [p5, p95]', 'probe->retx m/p95', 'kick->retx m/p95'))
for mode, ts in keys:
    sel = [r for r in rows if r['mode'] == mode and float(r['tsend_s']) == ts]
    art = [float(r['art_s']) for r in sel if r['art_s'] not in ('', 'nan')]
    lost = len(sel) - len(art)
    # REAP cannot recover before its (randomised) Send Timer, at least
    # Tsend x (1 - jitter): a much shorter stall means the cut missed the
    # flow (the pair read just before the cut was stale)
    short = ts * (1 - jit) / 2
    missed = len([a for a in art if mode != 'mptcp' and a < short])
    art = [a for a in art if mode == 'mptcp' or a >= short]
    d = [a - ts for a in art] if mode != 'mptcp' else art
    pr = [float(r['probe_to_retx_ms']) for r in sel if r['probe_to_retx_ms'] not in ('', 'nan')]
    kr = [float(r['kick_to_retx_ms']) for r in sel if r['kick_to_retx_ms'] not in ('', 'nan')]
    vals = [med(art), pct(art, 5), pct(art, 95), med(d), pct(d, 5), pct(d, 95),
            med(pr), pct(pr, 95), med(kr), pct(kr, 95)]
    out.write('%s,%g,%d,%d,%d,' % (mode, ts, len(art), lost, missed) +
              ','.join('' if math.isnan(x) else '%.4f' % x for x in vals) + '\n')
    f = lambda x, k=3: '-' if math.isnan(x) else '%.*f' % (k, x)
    print('%-7s %6s %4d %4d %6d  %-26s %-26s %-16s %-16s' % (mode, '-' if mode == 'mptcp' else '%g' % ts,
          len(art), lost, missed, '%s [%s, %s]' % (f(vals[0]), f(vals[1]), f(vals[2])),
          '-' if mode == 'mptcp' else '%s [%s, %s]' % (f(vals[3]), f(vals[4]), f(vals[5])),
          '%s / %s' % (f(vals[6], 1), f(vals[7], 1)), '%s / %s' % (f(vals[8], 1), f(vals[9], 1))))
EOF
}

if [ "${ART_SUMMARY_ONLY:-0}" = 1 ]; then
	summarise
	exit
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "reap_art: skipped (needs root: namespaces, BPF)"
	exit 0
fi
for b in "$TOP/.output/shim6ctl" "$SHIM6D"; do
	[ -x "$b" ] || { echo "reap_art: $b is not built (make)"; exit 1; }
done
for c in jq python3 tcpdump nft; do
	command -v "$c" >/dev/null || { echo "reap_art: $c is missing"; exit 1; }
done

. "$TOP/selftests/netns/lib.sh"
. "$TOP/selftests/netns/topo.sh"

[ "${ART_APPEND:-0}" = 1 ] && [ -s "$RAW" ] || echo "$RAW_HEADER" >"$RAW"

now() { date +%s.%N; }
say() { printf '%s\n' "$*"; }
ctx() { dctl "$1" -j daemon context show 2>/dev/null | jq -r ".contexts[0]$2 // empty"; }
ctx_is() { [ "$(ctx "$1" "$2")" = "$3" ]; }

# Sender: 1000 bytes every 5 ms, TCP_NODELAY, until killed.  argv: src dst port mptcp
SENDER='
import socket, sys, time
src, dst, port, mp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_MPTCP if mp else 0)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.bind((src, 0))
s.connect((dst, port))
buf = b"x" * 1000
t = time.monotonic()
while True:
    s.sendall(buf)
    t += 0.005
    d = t - time.monotonic()
    if d > 0:
        time.sleep(d)
    else:
        t = time.monotonic()
'
# Receiver: every gap between two recv() over 20 ms as "start end" (CLOCK_REALTIME s).
RECEIVER='
import socket, sys, time
addr, port, log, mp = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
l = socket.socket(socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_MPTCP if mp else 0)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((addr, port))
l.listen(4)
out = open(log, "a", buffering=1)
while True:
    c, _ = l.accept()
    last = None
    while True:
        b = c.recv(65536)
        t = time.time()
        if not b:
            break
        if last is not None and t - last > 0.020:
            out.write("%.6f %.6f\n" % (last, t))
        last = t
    c.close()
'

# hba_host N P1 P2: an HBA set over the two prefixes, both addresses on N's
# device; X1 (the ULID) and X2
hba_host() {
	local n=$1 dev=$2 p1=$3 p2=$4 j
	j=$("$SHIM6CTL" -j hba gen prefixes "$p1,$p2" sec 0 out "$TEST_TMP/$n.params") || return 1
	X1=$(jq -r '.addresses[0]' <<<"$j") X2=$(jq -r '.addresses[1]' <<<"$j")
	printf '[address %s]\nparams %s\n[address %s]\nparams %s\n' "$X1" "$TEST_TMP/$n.params" \
		"$X2" "$TEST_TMP/$n.params" >"$TEST_TMP/$n.addrs"
	addr_add "$n" "$dev" "$X1/64" && addr_add "$n" "$dev" "$X2/64"
}

# start_d N DEV TSEND FAST: data plane on DEV, shim6d with Send Timeout TSEND
start_d() {
	local n=$1 dev=$2 tsend=$3 fast=$4 ka
	# the Keepalive Timeout option speaks whole seconds: below 1 s the
	# interval must be configured (REAP.md); the peer's third otherwise
	ka=$(awk -v t="$tsend" 'BEGIN { print (t < 1 ? int(t * 1000 / 3) "ms" : 0) }')
	cat >"$TEST_TMP/$n.conf" <<EOC
[daemon]
log-level notice
state-file $TEST_TMP/$n.state
[trigger]
bytes 2048
[timers]
send-timeout $(awk -v t="$tsend" 'BEGIN { print int(t * 1000) }')ms
reap-jitter $JITTER
keepalive-interval $ka
fast-tcp-recovery $fast
tcp-rto-min $RTO_MIN
$(cat "$TEST_TMP/$n.addrs")
EOC
	ns_shim6ctl "$n" attach dev "$dev" >/dev/null || return 1
	start_bg "d$n" "$n" "$SHIM6D" --foreground --config "$TEST_TMP/$n.conf" \
		--socket "$(sock "$n")" --bpffs "$(bpffs_of "$n")"
	wait_for 5 dctl "$n" daemon status
}

# gap_of T: the receiver's gap that spans time T ("start end"), if logged yet
gap_of() {
	awk -v t="$1" '$1 <= t && $2 > t { print; exit }' "$TEST_TMP/gaps" 2>/dev/null
}

# uplink_of ADDR: the SA uplink a source address leaves through (1 or 2)
uplink_of() { case $1 in 2001:db8:a1:*) echo 1 ;; 2001:db8:a2:*) echo 2 ;; *) echo 0 ;; esac; }

# one nft run per side (lib.sh's cut_link takes four: ~80 ms between the
# first and the last rule); same tables, so restore_link removes them
cut_fast() {
	local t
	t=$(_cut_table "$2")
	ns_exec "$1" nft -f - <<<"add table netdev $t
add chain netdev $t out { type filter hook egress device \"$2\" priority 0; policy drop; }"
}
cut_up() { cut_fast SA "sa-i$1" && cut_fast "ISP$1" "i$1-sa"; }
restore_up() { restore_link SA "sa-i$1" "ISP$1" "i$1-sa"; }

# wait_gap T LIMIT: wait until the gap spanning T is logged (its end came), at
# most LIMIT seconds; prints it
wait_gap() {
	local t=$1 limit=$2 g end
	end=$(awk -v a="$(now)" -v l="$limit" 'BEGIN { printf "%.3f", a + l }')
	while :; do
		g=$(gap_of "$t")
		[ -n "$g" ] && { echo "$g"; return 0; }
		awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }' && return 1
		sleep 0.05
	done
}

# ---- one shim6 bed: MODE (fast|nofast), TSEND -----------------------------------------
shim6_bed() {
	local mode=$1 tsend=$2 fast=yes i t g art pb pa up cuts=() tag
	[ "$mode" = nofast ] && fast=no
	: >"$TEST_TMP/gaps"
	topo_site || { say "art: $FAIL_REASON"; return 1; }
	hba_host A a0 2001:db8:a1::/64 2001:db8:a2::/64 || { say "art: addresses of A"; return 1; }
	U1=$X1
	hba_host B b0 2001:db8:b1::/64 2001:db8:b2::/64 || { say "art: addresses of B"; return 1; }
	V1=$X1
	wait_for 5 ns_exec A ping -c1 -W1 -I "$U1" "$V1" || { say "art: no IPv6 $U1 -> $V1"; return 1; }
	start_d A a0 "$tsend" $fast && start_d B b0 "$tsend" $fast ||
		{ say "art: shim6d did not start: $(bg_log dA | tail -2) $(bg_log dB | tail -2)"; return 1; }
	start_bg cap A tcpdump -i any -n -s 160 -U -w "$TEST_TMP/cap.pcap" ip6
	start_bg recv B python3 -c "$RECEIVER" "$V1" 5001 "$TEST_TMP/gaps" 0
	wait_for 5 eval 'ns_exec B ss -Hltn "sport = :5001" | grep -q .' || { say "art: receiver"; return 1; }
	start_bg send A python3 -c "$SENDER" "$U1" "$V1" 5001 0
	wait_for 20 ctx_is A .state established && wait_for 5 ctx_is B .state established &&
		wait_for 10 ctx_is A .reap.state operational ||
		{ say "art: no context: $(dctl A -j daemon context show)"; return 1; }
	tag=$(ctx A .local_tag)
	sleep "$SETTLE"
	: >"$TEST_TMP/cuts"
	for ((i = 1; i <= FAILURES; i++)); do
		pb="$(ctx A .reap.pair_local)>$(ctx A .reap.pair_peer)"
		up=$(uplink_of "${pb%%>*}")
		[ "$up" != 0 ] || { say "art: pair $pb leaves through no known uplink"; break; }
		cut_up "$up"
		t=$(now)	# the cut is complete: the gap spanning t is the failure's
		g=$(wait_gap "$t" "$(awk -v s="$tsend" 'BEGIN { print 6 * s + 60 }')")
		restore_up "$up"
		pa="$(ctx A .reap.pair_local)>$(ctx A .reap.pair_peer)"
		if [ -n "$g" ]; then
			art=$(awk -v g="$g" 'BEGIN { split(g, v, " "); printf "%.4f", v[2] - v[1] }')
		else
			art=nan
			say "  (no gap spans the cut at $t; receiver gaps near it: $(awk -v t="$t" '$2 > t - 5 && $1 < t + 5' "$TEST_TMP/gaps" | tr '\n' ' '))"
		fi
		echo "$i $t $up ${pb%%>*} $art $pb $pa" >>"$TEST_TMP/cuts"
		say "  $mode Tsend $tsend s failure $i/$FAILURES: cut SA-ISP$up, ART $art s, pair $pb -> $pa"
		wait_for 30 ctx_is A .reap.state operational
		# plus a random part of a Tsend: REAP reads the data plane's stamps
		# at intervals that restart at the recovery, so a fixed delay would
		# always cut at the same phase of them
		sleep "$(awk -v s="$SETTLE" -v t="$tsend" -v r="$RANDOM" 'BEGIN { printf "%.3f", s + t * r / 32768 }')"
	done
	local kicked
	kicked=$(ctx A .reap.tcp_kicked)
	stop_bg send
	sleep 0.3
	stop_bg cap
	# first data segment from A on another source locator after each cut,
	# the last Probe (type 67) A received before it, the first TCP-LD kick on lo
	ns_exec A tcpdump -r "$TEST_TMP/cap.pcap" -tt -n 'ip6 and greater 900 and (src net 2001:db8:a1::/64 or src net 2001:db8:a2::/64)' 2>/dev/null |
		awk '$3 == "Out" { print $1, $5 }' >"$TEST_TMP/data.txt"
	ns_exec A tcpdump -r "$TEST_TMP/cap.pcap" -tt -n 'ip6[6] = 140 and ip6[42] = 67' 2>/dev/null |
		awk '$3 == "In" { print $1 }' >"$TEST_TMP/probes.txt"
	ns_exec A tcpdump -r "$TEST_TMP/cap.pcap" -tt -n 'icmp6 and ip6[40] = 1' 2>/dev/null |
		awk '$2 == "lo" && $3 == "In" { print $1 }' >"$TEST_TMP/kicks.txt"
	# a run with tcp-rto-min is its own mode in the table (fast-rto20ms)
	python3 - "$TEST_TMP" "$mode${RTO_MIN_TAG:-}" "$tsend" "$kicked" >>"$RAW" <<'EOF'
import bisect, sys
d, mode, tsend, kicked = sys.argv[1:5]
cuts = [l.split() for l in open(d + '/cuts')]
data = [(float(t), a) for t, a in (l.split() for l in open(d + '/data.txt'))]
probes = [float(l) for l in open(d + '/probes.txt')]
kicks = [float(l) for l in open(d + '/kicks.txt')]
for k, c in enumerate(cuts):
    i, t, up, old, art, pb, pa = c
    t = float(t)
    t_next = float(cuts[k + 1][1]) if k + 1 < len(cuts) else float('inf')
    pr = kr = 'nan'
    # first data segment after the cut that does not leave from the old locator
    seg = next((ts for ts, a in data if t < ts < t_next and a.split('.')[0].rstrip(':') != old), None)
    if seg is not None and art != 'nan':
        j = bisect.bisect_left(probes, seg) - 1
        if j >= 0 and probes[j] > t:
            pr = '%.3f' % ((seg - probes[j]) * 1000)
        kk = [x for x in kicks if t < x <= seg]
        if kk:
            kr = '%.3f' % ((seg - kk[0]) * 1000)
    amt = 'nan' if art == 'nan' else '%.4f' % (float(art) - float(tsend))
    print(','.join([mode, tsend, i, art, amt, 'SA-ISP' + up, pb, pa, pr, kr, kicked]))
EOF
	teardown
}

# ---- MPTCP: the same failure, two subflows, no shim6 ----------------------------------
mptcp_bed() {
	local i t g art up tx1 tx2
	: >"$TEST_TMP/gaps"
	[ "$(sysctl -n net.mptcp.enabled 2>/dev/null)" = 1 ] || { say "art: net.mptcp.enabled is not 1"; return 1; }
	topo_site || { say "art: $FAIL_REASON"; return 1; }
	ns_exec A sysctl -qw net.mptcp.enabled=1 && ns_exec B sysctl -qw net.mptcp.enabled=1 &&
	ns_exec A ip mptcp limits set subflow 2 add_addr_accepted 2 &&
	ns_exec B ip mptcp limits set subflow 2 add_addr_accepted 2 &&
	ns_exec A ip mptcp endpoint add "$A2" dev a0 subflow || { say "art: ip mptcp setup failed"; return 1; }
	wait_for 5 ns_exec A ping -c1 -W1 -I "$A1" "$B1" || { say "art: no IPv6"; return 1; }
	start_bg recv B python3 -c "$RECEIVER" "$B1" 5001 "$TEST_TMP/gaps" 1
	wait_for 5 eval 'ns_exec B ss -Hltn "sport = :5001" | grep -q .' || { say "art: receiver"; return 1; }
	for ((i = 1; i <= FAILURES; i++)); do
		start_bg send A python3 -c "$SENDER" "$A1" "$B1" 5001 1
		wait_for 5 eval '[ "$(ns_exec A ss -Htn state established "dport = :5001" | wc -l)" -ge 2 ]' ||
			{ say "art: the second MPTCP subflow did not come up"; return 1; }
		sleep 1
		tx1=$(link_packets SA sa-i1 tx) tx2=$(link_packets SA sa-i2 tx)
		sleep 0.5
		tx1=$(( $(link_packets SA sa-i1 tx) - tx1 )) tx2=$(( $(link_packets SA sa-i2 tx) - tx2 ))
		up=1; [ "$tx2" -gt "$tx1" ] && up=2
		cut_up "$up"
		t=$(now)
		g=$(wait_gap "$t" 60)
		restore_up "$up"
		if [ -n "$g" ]; then
			art=$(awk -v g="$g" 'BEGIN { split(g, v, " "); printf "%.4f", v[2] - v[1] }')
		else
			art=nan
		fi
		say "  mptcp failure $i/$FAILURES: cut SA-ISP$up (data there: $tx1 / $tx2 packets in 0.5 s), ART $art s"
		echo "mptcp,0,$i,$art,$art,SA-ISP$up,subflows,subflows,nan,nan," >>"$RAW"
		stop_bg send
		sleep 0.5
	done
	teardown
}

say "reap_art: $FAILURES failures per point, Tsend: $TSENDS; modes: $MODES; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $MODES; do
	case $mode in
	fast|nofast) for ts in $TSENDS; do shim6_bed "$mode" "$ts" || teardown; done ;;
	mptcp) mptcp_bed || teardown ;;
	*) say "art: unknown mode $mode (fast nofast mptcp)" ;;
	esac
done
summarise
