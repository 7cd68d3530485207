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
# Without cmd it runs `selftests/run.sh $VMTEST_SUITES` with TESTS=$VMTEST_TESTS,
# minus what the deny-list (selftests/vm/DENYLIST.$VMTEST_KNAME) lists, and ends with the
# line "N passed, N failed, N skipped".  Its exit status is the guest's.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
RUNDIR=$1
# shellcheck source=/dev/null
. "$RUNDIR/env" || { echo "guest: cannot read $RUNDIR/env"; exit 2; }
export OUTPUT TMPDIR=/tmp

ip link set dev lo up
echo "== vm $VMTEST_KNAME: kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo)"

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

read -ra suites <<<"$VMTEST_SUITES"

if [ ${#deny_globs[@]} -eq 0 ]; then
	TESTS=$VMTEST_TESTS exec selftests/run.sh "${suites[@]}"
fi

# With a deny-list: run what is left test by test (TESTS=<name>) and sum the
# closing lines, as run.sh does for suites.
tp=0 tf=0 ts=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

counted() {
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]} last p f s
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1)
	if [ -z "$last" ]; then
		echo "[$*] FAIL (exited $rc without a summary line)"
		tf=$((tf + 1))
		return
	fi
	read -r p _ f _ s _ <<<"${last//,/}"
	tp=$((tp + p)) tf=$((tf + f)) ts=$((ts + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "[$*] FAIL (exited $rc)"
		tf=$((tf + 1))
	fi
}

deny_skip() {
	echo "[$1] SKIP (deny-listed on $VMTEST_KNAME: $2)"
	ts=$((ts + 1))
}

for s in "${suites[@]}"; do
	case $s in
	unit | asan | bpf)
		case $s in
		unit) bin=$OUTPUT/unit_tests ;;
		asan) bin=$OUTPUT/asan/unit_tests ;;
		bpf) bin=$OUTPUT/bpf_tests ;;
		esac
		if [ ! -x "$bin" ]; then
			counted selftests/run.sh "$s" # run.sh says why it cannot run it
			continue
		fi
		mapfile -t names < <("$bin" -l ${VMTEST_TESTS:+-t "$VMTEST_TESTS"})
		for t in "${names[@]}"; do
			if denied "$s/$t"; then deny_skip "$s/$t" "$REASON"
			else TESTS=$t counted selftests/run.sh "$s"; fi
		done
		;;
	netns)
		for t in selftests/netns/test_*.sh; do
			[ -e "$t" ] || continue
			t=${t#selftests/}
			if denied "${t%.sh}"; then deny_skip "${t%.sh}" "$REASON"
			else counted bash "selftests/$t"; fi
		done
		;;
	*) TESTS=$VMTEST_TESTS counted selftests/run.sh "$s" ;;
	esac
done

echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" -eq 0 ]
