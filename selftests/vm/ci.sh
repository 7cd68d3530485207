#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CI's VM leg: one boot of Debian's 6.1 kernel under qemu (TCG) running the BPF
# unit suite, one netns test and the runner's own smoke test (netns + veth +
# ping6, BPF_PROG_TEST_RUN, XDP attach), so that the runner is proven to work
# whatever else exists.  Suites that are not there show as SKIP.  Prints every
# result line and closes with "N passed, N failed, N skipped"; exits non-zero
# on any failure, crash or hang.
#
#   selftests/vm/ci.sh          (as root; ~5 min under TCG, most of it the bpf suite)
#   CI_VM_KERNEL=6.12 CI_VM_NETNS_TEST=test_dataplane:test_path_switch selftests/vm/ci.sh
#
# The netns test: CI_VM_NETNS_TEST=SCRIPT[:TEST] (a script of selftests/netns/
# and one of its ALL_TESTS); by default test_ping of the first script that has
# one, else the first test of the first script.  A whole netns script takes
# far too long under TCG (bulk TCP transfers), hence one test.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

# first_test SCRIPT: the first name in its ALL_TESTS="..." (or test_ping).
first_test() {
	local all
	all=$(sed -n '/^ALL_TESTS="/,/"/p' "$1" | tr -d '"\\' | sed 's/^ALL_TESTS=//')
	if grep -qw test_ping <<<"$all"; then echo test_ping
	else awk '{ print $1; exit }' <<<"$all"; fi
}

if [ -n "${CI_VM_NETNS_TEST:-}" ]; then
	netns=netns/${CI_VM_NETNS_TEST%.sh}
else
	netns=netns # alone, it reports that there is no netns script
	for s in $(find selftests/netns -maxdepth 1 -name 'test_*.sh' 2>/dev/null | sort); do
		t=$(first_test "$s")
		[ -n "$t" ] || continue
		[ "$netns" = netns ] && netns=netns/$(basename "$s" .sh):$t
		[ "$t" = test_ping ] && { netns=netns/$(basename "$s" .sh):$t; break; }
	done
fi

make --no-print-directory -s all || { echo "vm-ci: make all failed"; exit 2; }
echo "vm-ci: kernel ${CI_VM_KERNEL:-6.1}, suites: bpf $netns smoke"
VMTEST_KERNELS=${CI_VM_KERNEL:-6.1} VMTEST_SUITES="bpf $netns smoke" \
	VMTEST_TIMEOUT=${CI_VM_TIMEOUT:-1800} exec selftests/vm/vmtest.sh
