#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test bed itself (lib.sh, topo.sh), without shim6: every locator pair
# of the site topology is routable, site routers route by source prefix and
# ISPs filter foreign sources, link cuts in one and both directions work and
# can be undone, the laptop routes by source prefix.  The later suites
# (data plane, shim6d, REAP, demo) rely on all of this.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/topo.sh"

ping1() { ns_exec "$1" ping -c1 -W1 -I "$2" "$3" >/dev/null 2>&1; }

test_site_all_pairs() {
	local s d
	topo_site || return 1
	for s in $A1 $A2; do
		for d in $B1 $B2; do
			ping1 A $s $d || { fail "$s -> $d unreachable"; return 1; }
		done
	done
}

# SA sends what comes from A1 to ISP1 and what comes from A2 to ISP2
test_site_source_routing() {
	local i1 i2
	topo_site || return 1
	i1=$(link_packets ISP1 i1-sa rx)
	i2=$(link_packets ISP2 i2-sa rx)
	check ns_exec A ping -c 10 -i 0.01 -W1 -I $A2 $B1 || return 1
	[ $(($(link_packets ISP2 i2-sa rx) - i2)) -ge 10 ] || { fail "A2's packets missed ISP2"; return 1; }
	[ $(($(link_packets ISP1 i1-sa rx) - i1)) -lt 10 ] || { fail "A2's packets went to ISP1"; return 1; }
	ns_exec SA ip -6 route get $B1 from $A1 iif sa-a | grep -q "dev sa-i1" ||
		{ fail "SA routes A1 elsewhere: $(ns_exec SA ip -6 route get $B1 from $A1 iif sa-a)"; return 1; }
}

# ISP1 drops what SA sends it with a source outside ISP1's prefix (BCP 38)
test_site_ingress_filter() {
	topo_site || return 1
	# force A2-sourced traffic to ISP1 at SA: an override in table 102
	check ns_exec SA ip -6 route replace default via 2001:db8:f1::1 dev sa-i1 table 102 || return 1
	ping1 A $A2 $B1 && { fail "ISP1 forwarded a packet from A2"; return 1; }
	ping1 A $A1 $B1 || { fail "A1 broke too"; return 1; }
}

test_cut_link() {
	require_cmd nft ping || return $SKIP_CODE
	topo_site || return 1
	ping1 A $A1 $B1 || { fail "no baseline"; return 1; }
	check cut_link SA sa-i1 ISP1 i1-sa || return 1
	ping1 A $A1 $B1 && { fail "A1 -> B1 still works across a cut link"; return 1; }
	ping1 A $A2 $B2 || { fail "the other ISP broke too"; return 1; }
	check restore_link SA sa-i1 ISP1 i1-sa || return 1
	ping1 A $A1 $B1 || fail "not restored"
}

test_cut_one_way() {
	local before
	require_cmd nft ping || return $SKIP_CODE
	topo_site || return 1
	# ISP1 -> SA dropped: A's echo requests still leave through ISP1 and
	# reach B, the replies (B1 -> A1) die on the way back
	check cut_one_way ISP1 i1-sa || return 1
	before=$(link_packets SB sb-b tx)
	ping1 A $A1 $B1 && { fail "the reply crossed a one-way cut"; return 1; }
	[ $(($(link_packets SB sb-b tx) - before)) -ge 1 ] || { fail "the request did not reach B"; return 1; }
	check restore_link ISP1 i1-sa || return 1
	ping1 A $A1 $B1 || fail "not restored"
}

test_laptop_pairs() {
	local before
	topo_laptop || return 1
	ping1 L $L1 $P1 || { fail "L1 -> P1"; return 1; }
	before=$(link_packets L l1 tx)
	check ns_exec L ping -c 5 -i 0.01 -W1 -I $L2 $P1 || return 1
	[ $(($(link_packets L l1 tx) - before)) -ge 5 ] || fail "L2's packets did not leave on l1"
}

ALL_TESTS="test_site_all_pairs test_site_source_routing test_site_ingress_filter
	test_cut_link test_cut_one_way test_laptop_pairs"
NEEDS_SHIM6CTL=0
run_tests
