#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the VM runner itself (each boots a guest: about 15 s under TCG).
#
#   selftests/vm/test_vmtest.sh [NAME_GLOB]     on VMTEST_KERNEL (default 6.1)
#
# status      the guest's exit status becomes the runner's
# smoke       in the guest: netns + veth + ping6, BPF_PROG_TEST_RUN of a test
#             XDP program (two verdicts), the program attached to the veth
#             sees the ping (its counter moves), module autoload (veth)
# denylist    a DENYLIST entry turns a test into a SKIP with its reason; an
#             entry without a reason is an error
# hang        a guest that never finishes ends the run at VMTEST_TIMEOUT, 124,
#             after the guest kernel printed its blocked tasks (sysrq)
# crash       a guest kernel panic ends the run with 125 and says so
# no9p        a guest that cannot mount the host root over 9p: 125, says so
#
# Prints "[vmtest/NAME] PASS|FAIL" per test and "N passed, N failed, N skipped".
# `test_vmtest.sh --guest-smoke OBJ` is the smoke test's guest half (the
# "smoke" suite of guest.sh; vmtest.sh builds OBJ from progs/vm_smoke.bpf.c).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
OUT=${OUTPUT:-.output}
VMTEST=selftests/vm/vmtest.sh
export VMTEST_KERNELS=${VMTEST_KERNEL:-6.1}
unset VMTEST_SUITES VMTEST_TESTS VMTEST_FAULT VMTEST_DENYLIST

# ---- guest half of the smoke test ---------------------------------------
# Runs in the guest; uses its own bpffs mount and namespaces, removed on exit.
guest_smoke() {
	local obj=$1 out seen
	S_A=vmsA$$ S_B=vmsB$$ S_TMP=$(mktemp -d /tmp/vm_smoke_XXXXXX) np=0 nf=0
	local pin=$S_TMP/bpffs/prog maps=$S_TMP/bpffs/maps
	# shellcheck disable=SC2317 # called by the EXIT trap
	guest_cleanup() {
		ip netns del "$S_A" 2>/dev/null
		ip netns del "$S_B" 2>/dev/null
		umount "$S_TMP/bpffs" 2>/dev/null
		rm -rf "$S_TMP"
	}
	trap guest_cleanup EXIT
	res() { # res NAME STATUS DETAIL: STATUS 0 is a pass
		if [ "$2" -eq 0 ]; then echo "[smoke/$1] PASS"; np=$((np + 1))
		else echo "[smoke/$1] FAIL ($3)"; nf=$((nf + 1)); fi
	}
	mkdir "$S_TMP/bpffs" && mount -t bpf bpf "$S_TMP/bpffs" || return 1

	# veth is a module on Debian kernels: creating one also proves that the
	# guest kernel's on-demand module loading reaches /lib/modules/KVER.
	out=$({ ip netns add "$S_A" && ip netns add "$S_B" &&
		ip link add veth0 netns "$S_A" type veth peer name veth1 netns "$S_B"; } 2>&1)
	res veth_create $? "ip link add ... type veth: $out"
	ip -n "$S_A" link set dev lo up
	ip -n "$S_B" link set dev lo up
	ip -n "$S_A" addr add fd00:5eed::1/64 dev veth0 nodad
	ip -n "$S_B" addr add fd00:5eed::2/64 dev veth1 nodad
	ip -n "$S_A" link set dev veth0 up
	ip -n "$S_B" link set dev veth1 up
	out=$(ip netns exec "$S_A" ping -6 -c 2 -i 0.2 -W 5 fd00:5eed::2 2>&1)
	res ping6 $? "ping -6 fd00:5eed::2 from $S_A: $(tail -n1 <<<"$out")"

	out=$(bpftool prog load "$obj" "$pin" type xdp pinmaps "$maps" 2>&1)
	res bpf_load $? "bpftool prog load: $out"
	# 14-byte Ethernet header + 40 zero bytes: ethertype IPv6, then IPv4.
	{ printf '\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x86\xdd'; head -c 40 /dev/zero; } >"$S_TMP/v6"
	{ printf '\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00'; head -c 40 /dev/zero; } >"$S_TMP/v4"
	out=$(bpftool prog run pinned "$pin" data_in "$S_TMP/v6" 2>&1)
	grep -qE 'Return value: 2([^0-9]|$)' <<<"$out"
	res test_run_ipv6_pass $? "want XDP_PASS (2): $(tr '\n' ' ' <<<"$out")"
	out=$(bpftool prog run pinned "$pin" data_in "$S_TMP/v4" 2>&1)
	grep -qE 'Return value: 1([^0-9]|$)' <<<"$out"
	res test_run_ipv4_drop $? "want XDP_DROP (1): $(tr '\n' ' ' <<<"$out")"

	out=$(ip -n "$S_B" link set dev veth1 xdpdrv pinned "$pin" 2>&1)
	res xdp_attach $? "ip link set veth1 xdpdrv pinned: $out"
	out=$(ip netns exec "$S_A" ping -6 -c 2 -i 0.2 -W 5 fd00:5eed::2 2>&1)
	res ping6_through_xdp $? "$(tail -n1 <<<"$out")"
	out=$(bpftool -j map lookup pinned "$maps/ipv6_seen" key 0 0 0 0 2>&1)
	seen=$(jq -r '.formatted.value // .value' <<<"$out" 2>/dev/null)
	[[ $seen =~ ^[0-9]+$ ]] && [ "$seen" -gt 0 ]
	res xdp_counted_ipv6 $? "ipv6_seen counter: $out"

	echo "$np passed, $nf failed, 0 skipped"
	[ "$nf" -eq 0 ]
}

if [ "${1:-}" = --guest-smoke ]; then
	guest_smoke "$2"
	exit
fi

# ---- host half -------------------------------------------------------------
filter=${1:-*}
np=0 nf=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

result() { # result NAME STATUS DETAIL: STATUS 0 is a pass
	if [ "$2" -eq 0 ]; then
		echo "[vmtest/$1] PASS"
		np=$((np + 1))
	else
		echo "[vmtest/$1] FAIL ($3)"
		nf=$((nf + 1))
		echo "    --- runner output:"
		sed 's/^/    | /' "$log"
	fi
}

# vm [ENV=VAL...] -- [ARGS...]: run the runner; output in $log, status in $rc.
vm() {
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$VMTEST" "$@" >"$log" 2>&1
	rc=$?
}
has() { grep -q -E -- "$1" "$log"; }
# shellcheck disable=SC2053 # NAME_GLOB is a glob
want() { [[ $1 == $filter ]]; }

if want status; then
	vm -- -- sh -c 'exit 3'
	[ $rc -eq 3 ] && has 'guest exited 3'
	result status $? "runner exited $rc, want 3"
fi

if want smoke; then
	vm VMTEST_SUITES=smoke --
	grep '^\[smoke/' "$log"
	[ $rc -eq 0 ] && has '^8 passed, 0 failed, 0 skipped$'
	result smoke $? "runner exited $rc, want 0 and 8 smoke results passed"
fi

if want denylist; then
	d=$OUT/vm/test-denylist
	mkdir -p "$OUT/vm"
	printf '# test deny-list\nunit/parse_tag*   # reason given by test_vmtest\n' >"$d"
	vm VMTEST_SUITES=unit VMTEST_DENYLIST="$d" --
	[ $rc -eq 0 ] &&
		has '^\[unit/parse_tag\] SKIP \(deny-listed on [^:]*: reason given by test_vmtest\)$' &&
		! has '^\[unit/parse_tag/' && has '^\[unit/parse_prefix64/.*PASS' &&
		has '^[1-9][0-9]* passed, 0 failed, 1 skipped$'
	result denylist_skips $? "runner exited $rc, want 0, unit/parse_tag skipped, the rest run"
	printf 'unit/parse_tag*\n' >"$d"
	vm VMTEST_SUITES=unit VMTEST_DENYLIST="$d" --
	[ $rc -eq 2 ] && has "entry without a '# reason'"
	result denylist_needs_reason $? "runner exited $rc, want 2 and a complaint about the missing reason"
	rm -f "$d"
fi

if want hang; then
	vm VMTEST_TIMEOUT=60 -- -- sleep 100000
	[ $rc -eq 124 ] && has 'did not finish within 60s' && has 'sysrq: Show Blocked State'
	result hang $? "runner exited $rc, want 124, the timeout named and the guest's blocked tasks"
fi

if want crash; then
	vm -- -- sh -c 'echo c >/proc/sysrq-trigger; sleep 100000'
	[ $rc -eq 125 ] && has 'guest kernel crashed: Kernel panic'
	result crash $? "runner exited $rc, want 125 and the panic named"
fi

if want no9p; then
	vm VMTEST_FAULT=no9p -- -- true
	[ $rc -eq 125 ] && has 'cannot mount the host root over 9p'
	result no9p $? "runner exited $rc, want 125 and the 9p mount named"
fi

echo "$np passed, $nf failed, 0 skipped"
[ "$nf" -eq 0 ]
