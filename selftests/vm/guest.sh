#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (started by init.sh, as root, in the guest's copy-on-write
# view of the host's root, from the work tree shared read-write).
#
#   guest.sh RUNDIR
#
# RUNDIR (relative to the work tree) holds what vmtest.sh wrote:
#   env   VMTEST_KNAME, VMTEST_SUITES, VMTEST_TESTS, VMTEST_DENYLIST, OUTPUT
#   cmd   optional: a command (NUL-separated argv) to run instead of the suites
# Without cmd it runs the suites in $VMTEST_SUITES through selftests/run.sh
# (TESTS=$VMTEST_TESTS) minus what the deny-list
# (selftests/vm/DENYLIST.$VMTEST_KNAME) lists, and ends with the line
# "N passed, N failed, N skipped".  Its exit status is the guest's.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
RUNDIR=$1
# shellcheck source=/dev/null
. "$RUNDIR/env" || { echo "guest: cannot read $RUNDIR/env"; exit 2; }
export OUTPUT TMPDIR=/tmp

ip link set dev lo up
echo "== vm $VMTEST_KNAME: kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo), tests start $(cut -d' ' -f1 /proc/uptime) s after boot"

if [ -s "$RUNDIR/cmd" ]; then
	mapfile -d '' argv <"$RUNDIR/cmd"
	"${argv[@]}"
	exit
fi

# ---- deny-list -------------------------------------------------------------
# DENYLIST.<kernel>: one glob per line matched against "suite/test" (unit,
# asan, bpf) or "netns/test_script" (a whole netns script), each followed by
# "# reason".  A denied test is reported as SKIP with its reason.
deny_globs=() deny_why=()
deny_file=${VMTEST_DENYLIST:-selftests/vm/DENYLIST.$VMTEST_KNAME}
if [ -f "$deny_file" ]; then
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		if [[ ! $line =~ ^[[:space:]]*([^[:space:]#]+)[[:space:]]*#[[:space:]]*(.*[^[:space:]]) ]]; then
			echo "guest: $deny_file:$n: entry without a '# reason': $line"
			exit 2
		fi
		deny_globs+=("${BASH_REMATCH[1]}")
		deny_why+=("${BASH_REMATCH[2]}")
	done <"$deny_file"
fi

# denied NAME: true (and REASON set) if NAME matches a deny-list glob.
denied() {
	local i
	for i in "${!deny_globs[@]}"; do
		# shellcheck disable=SC2053 # the glob is meant to match
		if [[ $1 == ${deny_globs[$i]} ]]; then
			REASON=${deny_why[$i]}
			return 0
		fi
	done
	return 1
}

# ---- suites ------------------------------------------------------------------
# Besides run.sh's suites: "netns/test_NAME" runs one netns script,
# "netns/test_NAME:test_a,test_b" only those of its tests (TESTS="test_a
# test_b", the netns harness' selection), "smoke" the runner's own guest
# smoke test (selftests/vm/test_vmtest.sh).
read -ra suites <<<"$VMTEST_SUITES"
tp=0 tf=0 ts=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# counted NAME CMD...: stream CMD's output and add its closing line's counts.
counted() {
	local name=$1 rc last p f s
	shift
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1)
	if [ -z "$last" ]; then
		echo "[$name] FAIL (exited $rc without a summary line)"
		tf=$((tf + 1))
		return
	fi
	read -r p _ f _ s _ <<<"${last//,/}"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[$name] FAIL (exited $rc)"
		tf=$((tf + 1))
	fi
}

skipped() {
	echo "[$1] SKIP ($2)"
	ts=$((ts + 1))
}

# netns_script PATH [TESTS]: one netns script (only the listed test
# functions, the harness' TESTS="a b"), unless deny-listed.
netns_script() {
	local name=${1#selftests/} tests=${2-$VMTEST_TESTS}
	name=${name%.sh}
	if denied "$name"; then skipped "$name" "deny-listed on $VMTEST_KNAME: $REASON"
	else TESTS=$tests counted "$name" bash "$1"; fi
}

for s in "${suites[@]}"; do
	case $s in
	unit | asan | bpf)
		case $s in
		unit) bin=$OUTPUT/unit_tests ;;
		asan) bin=$OUTPUT/asan/unit_tests ;;
		bpf) bin=$OUTPUT/bpf_tests ;;
		esac
		if [ ${#deny_globs[@]} -eq 0 ] || [ ! -x "$bin" ]; then
			# run.sh also says why it cannot run a suite that is not built
			TESTS=$VMTEST_TESTS counted "$s" selftests/run.sh "$s"
			continue
		fi
		# A deny-list applies through TESTS: the rest runs test by test.
		mapfile -t names < <("$bin" -l ${VMTEST_TESTS:+-t "$VMTEST_TESTS"})
		for t in "${names[@]}"; do
			if denied "$s/$t"; then skipped "$s/$t" "deny-listed on $VMTEST_KNAME: $REASON"
			else TESTS=$t counted "$s/$t" selftests/run.sh "$s"; fi
		done
		;;
	netns)
		found=0
		for t in selftests/netns/test_*.sh; do
			[ -e "$t" ] || continue
			found=1
			netns_script "$t"
		done
		[ $found = 1 ] || skipped netns "no selftests/netns/test_*.sh"
		;;
	netns/*:*) # netns/SCRIPT:TEST[,TEST...]
		script=selftests/${s%%:*}.sh
		if [ -f "$script" ]; then netns_script "$script" "$(tr , ' ' <<<"${s#*:}")"
		else skipped "${s%%:*}" "no $script"; fi
		;;
	netns/*)
		if [ -f "selftests/$s.sh" ]; then netns_script "selftests/$s.sh"
		else skipped "$s" "no selftests/$s.sh"; fi
		;;
	smoke)
		if denied smoke; then skipped smoke "deny-listed on $VMTEST_KNAME: $REASON"
		else counted smoke bash selftests/vm/test_vmtest.sh --guest-smoke "$OUTPUT/vm/vm_smoke.bpf.o"; fi
		;;
	*) TESTS=$VMTEST_TESTS counted "$s" selftests/run.sh "$s" ;;
	esac
done

echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
