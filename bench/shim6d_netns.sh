#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# I1->R2 over real sockets: two namespaces joined by a veth pair, the data
# plane attached on both, a shim6d in each; A's daemon starts a context to
# B (`shim6ctl daemon context start`) and reports the time from its I1 to
# the R2 that established it (setup_us: CLOCK_MONOTONIC in the daemon, raw
# sockets, both daemons' event loops, the kernel in between).  Per mode
# (A's ULID: no parameters, an HBA address, a CGA RSA-1024 address; 2
# locators each) ROUNDS contexts are made and torn down; median, p10, p90.
# A figure, not a test; needs root (namespaces, bpffs).
#
#   ROUNDS=N   contexts per mode (default 25)
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUTPUT:-$TOP/.output}
SHIM6D=$OUT/shim6d
SHIM6CTL=$OUT/shim6ctl
ROUNDS=${ROUNDS:-25}

if [ "$(id -u)" -ne 0 ]; then
	echo "shim6d_netns: skipped (needs root)"
	exit 0
fi
[ -x "$SHIM6D" ] && [ -x "$SHIM6CTL" ] || { echo "shim6d_netns: $SHIM6D or $SHIM6CTL not built"; exit 1; }
if [ -z "${SHIM6D_BENCH_UNSHARED:-}" ]; then
	export SHIM6D_BENCH_UNSHARED=1
	exec unshare -m --propagation private -- bash "$0" "$@"
fi

TMP=$(mktemp -d /tmp/shim6d-bench.XXXXXX)
NSA=shim6db-$$-A
NSB=shim6db-$$-B
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	umount "$TMP/bpffs" 2>/dev/null
	umount /run/netns 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$TMP/bpffs" /run/netns
mount -t bpf bpf "$TMP/bpffs" || { echo "shim6d_netns: cannot mount bpffs"; exit 1; }
mount -t tmpfs -o size=1m shim6db-netns /run/netns 2>/dev/null || true

A=2001:db8:1::a
B=2001:db8:1::b
nsx() { local n=$1; shift; ip netns exec "shim6db-$$-$n" "$@"; }
ctl() { local n=$1; shift; SHIM6D_SOCKET=$TMP/$n.sock "$SHIM6CTL" "$@"; }

ip netns add "$NSA" && ip netns add "$NSB" || exit 1
ip link add a0 netns "$NSA" type veth peer name b0 netns "$NSB" || exit 1
for n in A B; do
	nsx $n ip link set lo up
	nsx $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 >/dev/null
done
nsx A ip addr add $A/64 dev a0 nodad && nsx A ip link set a0 up &&
nsx B ip addr add $B/64 dev b0 nodad && nsx B ip link set b0 up || exit 1

# A's HBA set (2001:db8:1::/64 + 2001:db8:2::/64) and two RSA-1024 CGAs
j=$("$SHIM6CTL" -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 sec 0 out "$TMP/hba.params") || exit 1
HBA1=$(jq -r '.addresses[0]' <<<"$j"); HBA2=$(jq -r '.addresses[1]' <<<"$j")
"$SHIM6CTL" key gen out "$TMP/a.key" bits 1024 >/dev/null || exit 1
CGA1=$("$SHIM6CTL" -j cga gen prefix 2001:db8:1::/64 key "$TMP/a.key" sec 0 out "$TMP/c1.params" | jq -r .address)
CGA2=$("$SHIM6CTL" -j cga gen prefix 2001:db8:2::/64 key "$TMP/a.key" sec 0 out "$TMP/c2.params" | jq -r .address)
for x in $HBA1 $HBA2 $CGA1 $CGA2; do nsx A ip addr add "$x/64" dev a0 nodad || exit 1; done

for n in A B; do
	dev=$([ $n = A ] && echo a0 || echo b0)
	nsx $n "$SHIM6CTL" --bpffs "$TMP/bpffs/$n" attach dev $dev ingress tc >/dev/null || exit 1
	{
		printf '[daemon]\nlog-level warning\nidle-timeout 0\nstate-file %s\n' "$TMP/$n.state"
		if [ $n = A ]; then
			printf '[address %s]\nparams %s\n' "$HBA1" "$TMP/hba.params" "$HBA2" "$TMP/hba.params"
			printf '[address %s]\nparams %s\nkey %s\n' "$CGA1" "$TMP/c1.params" "$TMP/a.key" \
				"$CGA2" "$TMP/c2.params" "$TMP/a.key"
		fi
	} >"$TMP/$n.conf"
	(exec nsenter --net=/run/netns/"shim6db-$$-$n" -- "$SHIM6D" --config "$TMP/$n.conf" \
		--socket "$TMP/$n.sock" --bpffs "$TMP/bpffs/$n" >>"$TMP/$n.log" 2>&1) &
	PIDS+=($!)
done
for n in A B; do
	for ((i = 0; i < 50; i++)); do ctl $n daemon status >/dev/null 2>&1 && break; sleep 0.1; done
done
nsx A ping -c1 -W2 $B >/dev/null || { echo "shim6d_netns: no connectivity"; exit 1; }
# the peer's route to A's second prefix goes back over the veth
nsx B ip -6 route add 2001:db8:2::/64 dev b0 2>/dev/null

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs;" \
	"load average before: $(cut -d" " -f1-3 /proc/loadavg)"

# one_round ULID: start, wait for ESTABLISHED, print setup_us, tear both ends down
one_round() {
	local ulid=$1 i js st us at pt
	ctl A daemon context start ulid-local "$ulid" ulid-peer $B >/dev/null 2>&1 || return 1
	for ((i = 0; i < 500; i++)); do
		js=$(ctl A -j daemon context show)
		st=$(jq -r '.contexts[0].state' <<<"$js")
		[ "$st" = established ] && break
		sleep 0.01
	done
	[ "$st" = established ] || return 1
	us=$(jq -r '.contexts[0].setup_us // empty' <<<"$js")
	at=$(jq -r '.contexts[0].local_tag' <<<"$js"); pt=$(jq -r '.contexts[0].peer_tag' <<<"$js")
	ctl A daemon context del tag "$at" >/dev/null 2>&1
	for ((i = 0; i < 100; i++)); do ctl B daemon context del tag "$pt" >/dev/null 2>&1 && break; sleep 0.01; done
	[ -n "$us" ] && echo "$us"
}

run_mode() { # NAME ULID
	local name=$1 ulid=$2 r v=()
	for ((r = 0; r < ROUNDS; r++)); do
		x=$(one_round "$ulid") && v+=("$x")
	done
	if [ ${#v[@]} -eq 0 ]; then
		echo "modes-netns: $name: no context established"
		return
	fi
	printf '%s\n' "${v[@]}" | sort -n | awk -v name="$name" -v want="$ROUNDS" '
		{ x[NR] = $1 }
		END { printf "modes-netns: %-28s %8.1f us per I1->R2 (real raw sockets, two shim6d in a netns pair; median of %d/%d, p10 %.1f p90 %.1f)\n",
			name, x[int((NR + 1) / 2)], NR, want, x[int(0.1 * (NR - 1)) + 1], x[int(0.9 * (NR - 1)) + 1] }'
}

# memory per context in the kernel: the context maps allocate entries on
# use, and bpftool's bytes_memlock is the kernel's accounting of what a map
# holds (map_mem_usage); NCTX static contexts with 2+2 locators (what shim6d
# writes for an HBA pair) are added to A's maps, the growth divided by NCTX
NCTX=${NCTX:-200}
maps_bytes() {
	local m sum=0 v
	for m in shim6_ulid shim6_tag shim6_ptag shim6_loc; do
		v=$(bpftool -j map show pinned "$TMP/bpffs/A/$m" 2>/dev/null | jq '.bytes_memlock // 0')
		sum=$((sum + ${v:-0}))
	done
	echo $sum
}
m0=$(maps_bytes)
for ((i = 1; i <= NCTX; i++)); do
	nsx A "$SHIM6CTL" --bpffs "$TMP/bpffs/A" context add ulid-local $A ulid-peer 2001:db8:1::1:$i \
		local-tag "$(printf 0x%x $((0x100000 + i)))" peer-tag "$(printf 0x%x $((0x200000 + i)))" local-locators $A,$HBA2 \
		peer-locators 2001:db8:1::1:$i,2001:db8:2::1:$i >/dev/null 2>"$TMP/add.err" || { echo "shim6d_netns: context add: $(cat "$TMP/add.err")"; break; }
done
m1=$(maps_bytes)
n=$(bpftool -j map dump pinned "$TMP/bpffs/A/shim6_tag" | jq length)
if [ "$n" -gt 0 ] && [ "$m1" -gt "$m0" ]; then
	echo "memory: kernel maps: $(( (m1 - m0) / n )) bytes per context with 2+2 locators" \
		"(bytes_memlock of shim6_ulid/tag/ptag/loc grew by $((m1 - m0)) for $n contexts)"
fi
for ((i = 1; i <= n; i++)); do
	nsx A "$SHIM6CTL" --bpffs "$TMP/bpffs/A" context del tag "$(printf 0x%x $((0x100000 + i)))" >/dev/null 2>&1
done

run_mode "none (ULID only)" $A
run_mode "HBA, 2 locators" "$HBA1"
run_mode "CGA RSA-1024, 2 locators" "$CGA1"
