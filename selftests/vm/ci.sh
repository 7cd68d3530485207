#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# CI's VM leg: one boot of Debian's 6.1 kernel under qemu (TCG) running the BPF
# unit suite, one netns test and the runner's own smoke test (netns + veth +
# ping6, BPF_PROG_TEST_RUN, XDP attach), so that the runner is proven to work
# even before the other suites exist.  Suites that are not there yet show as
# SKIP.  Prints every result line and closes with "N passed, N failed,
# N skipped"; exits non-zero on any failure, crash or hang.
#
#   selftests/vm/ci.sh          (as root, after `make all`; ~1 min under TCG)
#   CI_VM_KERNEL=6.12 CI_VM_NETNS_TEST=test_failover selftests/vm/ci.sh
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

if [ -n "${CI_VM_NETNS_TEST:-}" ]; then
	netns=netns/${CI_VM_NETNS_TEST%.sh}
else
	# The first netns script in name order; "netns" alone reports that there is none.
	first=$(find selftests/netns -maxdepth 1 -name 'test_*.sh' 2>/dev/null | sort | head -n1)
	netns=netns
	[ -n "$first" ] && netns=netns/$(basename "$first" .sh)
fi

make --no-print-directory -s all || { echo "vm-ci: make all failed"; exit 2; }
VMTEST_KERNELS=${CI_VM_KERNEL:-6.1} VMTEST_SUITES="bpf $netns smoke" \
	VMTEST_TIMEOUT=${CI_VM_TIMEOUT:-1800} exec selftests/vm/vmtest.sh
