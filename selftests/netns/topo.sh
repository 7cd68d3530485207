#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Topologies for the shim6 namespace tests.  Source after lib.sh; each
# function builds one test bed from nothing and sets the variables below.
# Links are veth pairs; DAD and RA are off; routers forward; neighbours are
# found by ND (retrans 100 ms).  Only 2001:db8::/32 is used.
#
# topo_site  (the seed's Fig. 1: two multihomed sites, source-prefix routing)
#
#           +-- i1-sa [ISP1] i1-sb --+
#           |  sa-i1     | i1-i2     sb-i1 |
#   [A] a0--sa-a [SA]    | (core)     [SB] sb-b--b0 [B]
#           |  sa-i2     | i2-i1     sb-i2 |
#           +-- i2-sa [ISP2] i2-sb --+
#
#   A: A1=2001:db8:a1::a (prefix of ISP1)  A2=2001:db8:a2::a (prefix of ISP2), on a0
#   B: B1=2001:db8:b1::b (ISP1)            B2=2001:db8:b2::b (ISP2), on b0
#   SA / SB route by source prefix (ip -6 rule from PREFIX table N): a
#   packet from A1 leaves through ISP1, from A2 through ISP2.  The ISPs
#   filter ingress (BCP 38): ISP1 drops what SA sends with a source outside
#   2001:db8:a1::/64, so a packet must leave with the right source locator.
#   The ISPs are connected (core link), so every locator pair is routable:
#   A1->B2 goes SA, ISP1, ISP2, SB.
#   Link names for cuts: SA:sa-i1/ISP1:i1-sa, SA:sa-i2/ISP2:i2-sa,
#   SB:sb-i1/ISP1:i1-sb, SB:sb-i2/ISP2:i2-sb.
#
# topo_laptop  (one host, two interfaces, two prefixes, two routers)
#
#   [L] l0--r1-l [R1] r1-c--c-r1 [C] c-p--p0 [P]
#   [L] l1--r2-l [R2] r2-c--c-r2 [C]
#
#   L: L1=2001:db8:c1::c on l0 (router R1), L2=2001:db8:c2::c on l1 (R2);
#   L routes by source prefix (from c1 -> l0/R1, from c2 -> l1/R2; default l0).
#   P: P1=2001:db8:d::d, one address.
#
# Both functions return 1 (FAIL_REASON set) when the bed cannot be built.

A1=2001:db8:a1::a
A2=2001:db8:a2::a
B1=2001:db8:b1::b
B2=2001:db8:b2::b
L1=2001:db8:c1::c
L2=2001:db8:c2::c
P1=2001:db8:d::d

# site_router N HOSTIF PFX1 GW1 DEV1 PFX2 GW2 DEV2: source-prefix routing
_site_router() {
	local n=$1 pfx1=$2 gw1=$3 dev1=$4 pfx2=$5 gw2=$6 dev2=$7
	ns_exec "$n" ip -6 route add default via "$gw1" dev "$dev1" table 101 &&
	ns_exec "$n" ip -6 route add default via "$gw2" dev "$dev2" table 102 &&
	# the site's own prefixes first (main), then the uplink of the source
	ns_exec "$n" ip -6 rule add pref 1000 lookup main suppress_prefixlength 0 &&
	ns_exec "$n" ip -6 rule add pref 1001 from "$pfx1" lookup 101 &&
	ns_exec "$n" ip -6 rule add pref 1002 from "$pfx2" lookup 102
}

# _isp_filter N IIF PFX LINKPFX: accept from IIF only sources in PFX (BCP 38)
_isp_filter() {
	local n=$1 iif=$2 pfx=$3 lpfx=$4 pref=$5
	ns_exec "$n" ip -6 rule add pref "$pref" iif "$iif" from "$pfx" lookup main &&
	ns_exec "$n" ip -6 rule add pref $((pref + 1)) iif "$iif" from "$lpfx" lookup main &&
	ns_exec "$n" ip -6 rule add pref $((pref + 2)) iif "$iif" from fe80::/10 lookup main &&
	ns_exec "$n" ip -6 rule add pref $((pref + 3)) iif "$iif" blackhole
}

topo_site() {
	local n
	for n in A SA ISP1 ISP2 SB B; do ns_add "$n" || { fail "ns_add $n"; return 1; }; done
	set_host A
	set_host B
	{
	link_add A a0 SA sa-a &&
	link_add SA sa-i1 ISP1 i1-sa &&
	link_add SA sa-i2 ISP2 i2-sa &&
	link_add SB sb-i1 ISP1 i1-sb &&
	link_add SB sb-i2 ISP2 i2-sb &&
	link_add ISP1 i1-i2 ISP2 i2-i1 &&
	link_add B b0 SB sb-b &&
	# hosts
	addr_add A a0 $A1/64 && addr_add A a0 $A2/64 &&
	addr_add SA sa-a 2001:db8:a1::1/64 && addr_add SA sa-a 2001:db8:a2::1/64 &&
	ns_exec A ip -6 route add default via 2001:db8:a1::1 dev a0 &&
	addr_add B b0 $B1/64 && addr_add B b0 $B2/64 &&
	addr_add SB sb-b 2001:db8:b1::1/64 && addr_add SB sb-b 2001:db8:b2::1/64 &&
	ns_exec B ip -6 route add default via 2001:db8:b1::1 dev b0 &&
	# transit links f1..f5
	addr_add SA sa-i1 2001:db8:f1::2/64 && addr_add ISP1 i1-sa 2001:db8:f1::1/64 &&
	addr_add SA sa-i2 2001:db8:f2::2/64 && addr_add ISP2 i2-sa 2001:db8:f2::1/64 &&
	addr_add SB sb-i1 2001:db8:f3::2/64 && addr_add ISP1 i1-sb 2001:db8:f3::1/64 &&
	addr_add SB sb-i2 2001:db8:f4::2/64 && addr_add ISP2 i2-sb 2001:db8:f4::1/64 &&
	addr_add ISP1 i1-i2 2001:db8:f5::1/64 && addr_add ISP2 i2-i1 2001:db8:f5::2/64 &&
	# site routers: source-prefix routing
	_site_router SA 2001:db8:a1::/64 2001:db8:f1::1 sa-i1 \
		2001:db8:a2::/64 2001:db8:f2::1 sa-i2 &&
	_site_router SB 2001:db8:b1::/64 2001:db8:f3::1 sb-i1 \
		2001:db8:b2::/64 2001:db8:f4::1 sb-i2 &&
	# ISPs: own customers direct, the other ISP's over the core
	ns_exec ISP1 ip -6 route add 2001:db8:a1::/64 via 2001:db8:f1::2 &&
	ns_exec ISP1 ip -6 route add 2001:db8:b1::/64 via 2001:db8:f3::2 &&
	ns_exec ISP1 ip -6 route add 2001:db8:a2::/64 via 2001:db8:f5::2 &&
	ns_exec ISP1 ip -6 route add 2001:db8:b2::/64 via 2001:db8:f5::2 &&
	ns_exec ISP2 ip -6 route add 2001:db8:a2::/64 via 2001:db8:f2::2 &&
	ns_exec ISP2 ip -6 route add 2001:db8:b2::/64 via 2001:db8:f4::2 &&
	ns_exec ISP2 ip -6 route add 2001:db8:a1::/64 via 2001:db8:f5::1 &&
	ns_exec ISP2 ip -6 route add 2001:db8:b1::/64 via 2001:db8:f5::1 &&
	_isp_filter ISP1 i1-sa 2001:db8:a1::/64 2001:db8:f1::/64 100 &&
	_isp_filter ISP1 i1-sb 2001:db8:b1::/64 2001:db8:f3::/64 110 &&
	_isp_filter ISP2 i2-sa 2001:db8:a2::/64 2001:db8:f2::/64 100 &&
	_isp_filter ISP2 i2-sb 2001:db8:b2::/64 2001:db8:f4::/64 110
	} || { fail "building the site topology failed"; return 1; }
}

topo_laptop() {
	local n
	for n in L R1 R2 C P; do ns_add "$n" || { fail "ns_add $n"; return 1; }; done
	set_host L
	set_host P
	{
	link_add L l0 R1 r1-l &&
	link_add L l1 R2 r2-l &&
	link_add R1 r1-c C c-r1 &&
	link_add R2 r2-c C c-r2 &&
	link_add P p0 C c-p &&
	addr_add L l0 $L1/64 && addr_add R1 r1-l 2001:db8:c1::1/64 &&
	addr_add L l1 $L2/64 && addr_add R2 r2-l 2001:db8:c2::1/64 &&
	addr_add R1 r1-c 2001:db8:f6::2/64 && addr_add C c-r1 2001:db8:f6::1/64 &&
	addr_add R2 r2-c 2001:db8:f7::2/64 && addr_add C c-r2 2001:db8:f7::1/64 &&
	addr_add P p0 $P1/64 && addr_add C c-p 2001:db8:d::1/64 &&
	ns_exec L ip -6 route add default via 2001:db8:c1::1 dev l0 &&
	ns_exec L ip -6 route add default via 2001:db8:c1::1 dev l0 table 201 &&
	ns_exec L ip -6 route add default via 2001:db8:c2::1 dev l1 table 202 &&
	ns_exec L ip -6 rule add pref 1000 lookup main suppress_prefixlength 0 &&
	ns_exec L ip -6 rule add pref 1001 from 2001:db8:c1::/64 lookup 201 &&
	ns_exec L ip -6 rule add pref 1002 from 2001:db8:c2::/64 lookup 202 &&
	ns_exec R1 ip -6 route add default via 2001:db8:f6::1 &&
	ns_exec R2 ip -6 route add default via 2001:db8:f7::1 &&
	ns_exec C ip -6 route add 2001:db8:c1::/64 via 2001:db8:f6::2 &&
	ns_exec C ip -6 route add 2001:db8:c2::/64 via 2001:db8:f7::2 &&
	ns_exec P ip -6 route add default via 2001:db8:d::1
	} || { fail "building the laptop topology failed"; return 1; }
}
