#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo` is the README's first command: run it (scripts/demo.sh) on both
# topologies with a small transfer and check that it reports a surviving flow
# and exits 0, and that a bad option is refused with a clear message.
. "$(dirname "$0")/lib.sh"

DEMO=$SHIM6_TOP/scripts/demo.sh

# The demo builds its own bed in its own mount namespace (SHIM6_DID_UNSHARE
# unset so that it re-executes itself under unshare like a user's run).
run_demo() {
	[ -x "$SHIM6_TOP/.output/shim6d" ] || { skip "shim6d not built"; return $SKIP_CODE; }
	env -u SHIM6_DID_UNSHARE bash "$DEMO" "$@" >"$TEST_TMP/demo.out" 2>&1
	local rc=$?
	log "$(cat "$TEST_TMP/demo.out")"
	[ $rc -eq 0 ] || { fail "demo exited $rc: $(grep -E 'failed|FAILED' "$TEST_TMP/demo.out" | head -2)"; return 1; }
	grep -q "SHA-256 matches: the same TCP connection survived" "$TEST_TMP/demo.out" ||
		{ fail "no surviving-flow summary"; return 1; }
	grep -q "REAP moved the context" "$TEST_TMP/demo.out" ||
		{ fail "the demo did not show REAP moving the context"; return 1; }
	# the demo tears its bed down
	! ip netns list | grep -q "^shim6-[0-9]*-A \|^shim6-[0-9]*-L " ||
		{ fail "the demo left namespaces behind"; return 1; }
}

test_demo_site() { run_demo --topology site --size 8; }
test_demo_laptop() { run_demo --topology laptop --size 8; }

test_demo_bad_option() {
	local out
	out=$(env -u SHIM6_DID_UNSHARE bash "$DEMO" --tsend 0.01 2>&1) &&
		{ fail "--tsend 0.01 accepted"; return 1; }
	[[ $out == *"--tsend takes seconds between 0.2 and 60"* ]] ||
		{ fail "unclear message: $out"; return 1; }
}

ALL_TESTS="test_demo_site test_demo_laptop test_demo_bad_option"
run_tests
