#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shim6d autoconf end to end (docs/AUTOCONF.md): a router namespace R runs
# radvd (its own config and pid file, ended by PID) advertising prefixes on
# the link to host A; A's shim6d makes a CGA per prefix, configures it with
# the prefix's lifetimes and announces it to its peer B by Update.
#
#   A  a0 ---- r-a  R  r-b ---- b0  B 2001:db8:b::b
#      (RAs: 2001:db8:1::/64, 2001:db8:2::/64, later 2001:db8:3::/64)
#
# The harness is lib.sh's (bed_setup before each test, teardown after);
# names carry $$; waiting polls with a bound (wait_for), never a timed
# assertion.  TESTS="…" runs a subset; V=1 prints the daemon logs of a
# failing test.
set -u
. "$(dirname "$0")/lib.sh"

ALL_TESTS="test_cga_per_prefix test_slaac_handover test_prefix_update test_prefix_withdrawn
	test_restart_same_addresses test_generation_off_loop test_hba_set test_dad_collision
	test_two_hour_rule"

command -v radvd >/dev/null || skip_all "radvd not installed: scripts/install-deps.sh"
[ -x "$SHIM6D" ] || skip_all "$SHIM6D not built"

ADDR_B=2001:db8:b::b
# A's autoconf state directory; its name is Latin-1, not UTF-8 (a path is
# bytes): `daemon autoconf show` must still answer, the name scrubbed
ACSTATE=$TEST_TMP/A.acstate$'\xe9'
declare -A PIDS=()


dev_of() { [ "$1" = A ] && echo a0 || echo b0; }
dp() { local n=$1; shift; ns_exec "$n" "$SHIM6CTL" --bpffs "$(bpffs_of "$n")" "$@"; }

make_maps() {
	local n=$1
	rm -rf "$(bpffs_of "$n")"
	dp "$n" attach dev "$(dev_of "$n")" ingress tc no-segmentation >"$TEST_TMP/attach.err" 2>&1 ||
		fail "attach on $n: $(cat "$TEST_TMP/attach.err")"
}

# radvd_conf [LIFETIME-OF-PREFIX-3]: prefixes 1 and 2, and 3 when asked
# ("" = not advertised, a number = its valid and preferred lifetime)
radvd_conf() {
	local p3=${1:-}
	{
	echo "interface r-a {"
	echo "	AdvSendAdvert on; MinRtrAdvInterval 3; MaxRtrAdvInterval 4;"
	echo "	prefix 2001:db8:1::/64 { AdvOnLink on; AdvAutonomous on; AdvValidLifetime 3600; AdvPreferredLifetime 1800; };"
	echo "	prefix 2001:db8:2::/64 { AdvOnLink on; AdvAutonomous on; AdvValidLifetime 7200; AdvPreferredLifetime 3600; };"
	# a prefix that is not autonomous never gives an address
	echo "	prefix 2001:db8:9::/64 { AdvOnLink on; AdvAutonomous off; };"
	[ -n "$p3" ] &&
	echo "	prefix 2001:db8:3::/64 { AdvOnLink on; AdvAutonomous on; AdvValidLifetime $p3; AdvPreferredLifetime $p3; };"
	echo "};"
	} >"$TEST_TMP/radvd.conf"
}

start_radvd() {
	radvd_conf "${1:-}"
	# radvd daemonises unless -n; `ip netns exec` execs it, so $! is radvd
	ip netns exec "$(ns_name R)" radvd -n -C "$TEST_TMP/radvd.conf" -p "$TEST_TMP/radvd.pid" \
		-m stderr -d 1 >>"$TEST_TMP/radvd.log" 2>&1 &
	PIDS[radvd]=$!
	wait_for 5 test -s "$TEST_TMP/radvd.pid" || fail "radvd did not start: $(tail -3 "$TEST_TMP/radvd.log")"
}

# new radvd config, SIGHUP: radvd re-reads it and advertises at once
radvd_reload() {
	radvd_conf "${1:-}"
	kill -HUP "${PIDS[radvd]}"
}

write_conf() { # NAME EXTRA-LINES
	shim6d_conf "$TEST_TMP" "$1" <<EOC
log-level debug
idle-timeout 0
attach no
[timers]
i1-timeout 200ms
i2-timeout 200ms
update-timeout 200ms
$2
EOC
}

start_d() { # NAME [EXTRA-CONFIG]
	write_conf "$1" "${2:-}"
	shim6d_start "PIDS[$1]" "$(ns_name "$1")" "$TEST_TMP" "$1" 10
}

stop_d() { shim6d_stop "PIDS[$1]"; }

# A's [interface] and [autoconf] sections, [autoconf] last (SEC defaults
# to 1, TWO_HOUR to no: a withdrawn prefix loses its address at once)
autoconf_conf() {
	printf '[interface a0]\n[autoconf]\nenable yes\nkey %s\nsec %s\nstate-dir %s\ndisable-kernel-slaac yes\ntwo-hour-rule %s\n' \
		"$TEST_TMP/A.key" "${SEC:-1}" "$ACSTATE" "${TWO_HOUR:-no}"
}

bed_setup() {
	local n
	for n in A R B; do
		ns_create $n || return 1
		ns_exec $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 >/dev/null
	done
	ns_exec R sysctl -qw net.ipv6.conf.all.forwarding=1 >/dev/null
	ip link add a0 netns "$(ns_name A)" type veth peer name r-a netns "$(ns_name R)" || return 1
	ip link add b0 netns "$(ns_name B)" type veth peer name r-b netns "$(ns_name R)" || return 1
	# A: a host that learns its router from RAs (kernel SLAAC on: the
	# hand-over is what turns it off)
	ns_exec A sysctl -qw net.ipv6.conf.a0.accept_ra=1 net.ipv6.conf.a0.autoconf=1 \
		net.ipv6.conf.a0.accept_dad=0 >/dev/null
	ns_exec R ip addr add 2001:db8:1::1/64 dev r-a nodad &&
	ns_exec R ip addr add 2001:db8:2::1/64 dev r-a nodad &&
	ns_exec R ip addr add 2001:db8:3::1/64 dev r-a nodad &&
	ns_exec R ip addr add 2001:db8:b::1/64 dev r-b nodad &&
	ns_exec B ip addr add $ADDR_B/64 dev b0 nodad || return 1
	for n in "A a0" "R r-a" "R r-b" "B b0"; do
		set -- $n
		ns_exec "$1" ip link set "$2" up || return 1
	done
	ns_exec B ip -6 route add default via 2001:db8:b::1 || return 1
	"$SHIM6CTL" key gen out "$TEST_TMP/A.key" bits 1024 >/dev/null || return 1
	make_maps A && make_maps B || return 1
}

# radvd and the daemons (started here, not by start_bg) and this test's files
bed_teardown() {
	local n
	for n in "${!PIDS[@]}"; do shim6d_stop "PIDS[$n]"; done
	rm -rf "$TEST_TMP"/*.sock "$TEST_TMP"/*.log "$TEST_TMP"/*.conf "$TEST_TMP"/*.key \
		"$TEST_TMP"/*.state "$TEST_TMP"/*.hba "$TEST_TMP"/*.params "$ACSTATE" \
		"$TEST_TMP"/radvd.*
}

ac_show() { dctl A -j daemon autoconf show; }
# address of a prefix ("2001:db8:1::/64") in state configured, or nothing
ac_addr() { ac_show | jq -r --arg p "$1" '.prefixes[] | select(.prefix == $p and .state == "configured") | .address'; }
ac_configured_is() { [ "$(ac_show | jq '[.prefixes[] | select(.state == "configured")] | length')" = "$1" ]; }
on_a0() { ns_exec A ip -6 -o addr show dev a0 | grep -q " $1/64 "; }
global_on_a0() { ns_exec A ip -6 -o addr show dev a0 scope global | awk '{print $4}' | sort; }
params_of() { # PREFIX-HEX
	echo "$ACSTATE/$1.params"
}
peer_locs_of() { dctl "$1" -j daemon context show | jq -c '[.contexts[0].peer_locators[]] | sort'; }
peer_locs_are() { [ "$(peer_locs_of "$1")" = "$2" ]; }
sorted() { printf '%s\n' "$@" | jq -R . | jq -cs 'sort'; }

# A running with two CGAs (prefixes 1 and 2): sets C1 C2.  shim6d first:
# the kernel must not see an RA before the hand-over (it would make its own
# addresses from it, which shim6d leaves to expire)
two_cgas() {
	start_d A "$(autoconf_conf)" && start_radvd || return 1
	wait_for 15 ac_configured_is 2 || fail "A did not configure two CGAs: $(ac_show)" || return 1
	C1=$(ac_addr 2001:db8:1::/64); C2=$(ac_addr 2001:db8:2::/64)
	[ -n "$C1" ] && [ -n "$C2" ] || fail "no address for a prefix: $(ac_show)"
}

# A and B established over ULID C1 (B has no shim6 parameters: ULID only)
establish() {
	start_d B || return 1
	wait_for 10 ns_exec A ping -c1 -W1 -I "$C1" $ADDR_B || fail "A cannot reach B from $C1" || return 1
	dctl A daemon context start ulid-local "$C1" ulid-peer $ADDR_B >/dev/null ||
		fail "context start" || return 1
	wait_for 10 state_is B established || fail "B not established" || return 1
	wait_for 10 state_is A established || fail "A not established"
}

# ---- tests -------------------------------------------------------------

test_cga_per_prefix() {
	two_cgas || return 1
	[ "$C1" != "$C2" ] || fail "one address for two prefixes" || return 1
	on_a0 "$C1" && on_a0 "$C2" || fail "CGAs not on a0: $(global_on_a0)" || return 1
	case $C1 in 2001:db8:1:0:*) ;; *) fail "C1 $C1 not in 2001:db8:1::/64"; return 1 ;; esac
	# the non-autonomous prefix made nothing
	[ "$(ac_show | jq '[.prefixes[] | select(.prefix == "2001:db8:9::/64")] | length')" = 0 ] ||
		fail "a non-autonomous prefix got an address" || return 1
	[ "$(ac_show | jq .stats.prefixes_ignored)" -ge 1 ] || fail "A flag not checked" || return 1
	[ "$(ac_show | jq -r .state_dir)" = "$TEST_TMP/A.acstate?" ] ||
		fail "state_dir shown as $(ac_show | jq .state_dir)" || return 1
	# the kernel has the prefix's lifetimes (valid 3600 s, preferred 1800 s)
	local l
	l=$(ns_exec A ip -6 -j addr show dev a0 | jq --arg a "$C1" '.[0].addr_info[] | select(.local == $a) | .valid_life_time')
	[ -n "$l" ] && [ "$l" -le 3600 ] && [ "$l" -gt 3000 ] || fail "valid lifetime of $C1 is '$l'" || return 1
	l=$(ns_exec A ip -6 -j addr show dev a0 | jq --arg a "$C1" '.[0].addr_info[] | select(.local == $a) | .preferred_life_time')
	[ -n "$l" ] && [ "$l" -le 1800 ] && [ "$l" -gt 1200 ] || fail "preferred lifetime of $C1 is '$l'" || return 1
	# shim6ctl accepts each persisted parameter set for its own address...
	"$SHIM6CTL" cga verify address "$C1" params "$(params_of 20010db800010000)" >/dev/null ||
		fail "cga verify rejects $C1" || return 1
	"$SHIM6CTL" cga verify address "$C2" params "$(params_of 20010db800020000)" >/dev/null ||
		fail "cga verify rejects $C2" || return 1
	# ...and not for the other one
	"$SHIM6CTL" cga verify address "$C1" params "$(params_of 20010db800020000)" >/dev/null 2>&1 &&
		fail "cga verify accepts $C1 with the params of prefix 2" && return 1
	# Sec 1: the three leftmost bits of the interface identifier
	[ $((0x$(echo "$C1" | python3 -c 'import ipaddress,sys; print(ipaddress.IPv6Address(sys.stdin.read().strip()).packed[8:9].hex())') >> 5)) = 1 ] ||
		fail "$C1 is not Sec 1" || return 1
	# every RA renews the lifetimes
	renewed() { [ "$(ac_show | jq .stats.address_set)" -ge 4 ]; }
	wait_for 15 renewed || fail "lifetimes not renewed: $(ac_show | jq -c .stats)" || return 1
	# the locator set knows them before they are announced
	[ "$(dctl A -j daemon status | jq '[.local_addresses[] | select(.present)] | length')" = 2 ] ||
		fail "A's locator set: $(dctl A -j daemon status | jq -c .local_addresses)"
}

test_slaac_handover() {
	# before: kernel SLAAC on, as setup left it
	[ "$(ns_exec A sysctl -n net.ipv6.conf.a0.autoconf)" = 1 ] || fail "setup" || return 1
	two_cgas || return 1
	[ "$(ns_exec A sysctl -n net.ipv6.conf.a0.autoconf)" = 0 ] || fail "autoconf not 0 while running" || return 1
	# the kernel still takes its default route from the RAs (accept_ra untouched)
	[ "$(ns_exec A sysctl -n net.ipv6.conf.a0.accept_ra)" = 1 ] || fail "accept_ra changed" || return 1
	wait_for 10 sh -c "ip netns exec $(ns_name A) ip -6 route show default | grep -q 'via fe80'" ||
		fail "no default route learnt from the RAs" || return 1
	# no kernel-made (EUI-64) address: only the two CGAs are global on a0
	[ "$(global_on_a0 | tr '\n' ' ')" = "$(printf '%s\n' "$C1/64" "$C2/64" | sort | tr '\n' ' ')" ] ||
		fail "global addresses on a0: $(global_on_a0 | tr '\n' ' ')" || return 1
	stop_d A
	[ "$(ns_exec A sysctl -n net.ipv6.conf.a0.autoconf)" = 1 ] || fail "autoconf not restored on exit" || return 1
	[ ! -e "$ACSTATE/kernel-slaac.saved" ] || fail "saved file left behind" || return 1
	# the addresses stay (contexts survive a daemon restart); their lifetimes run on
	on_a0 "$C1" || fail "$C1 removed on exit"
}

test_prefix_update() {
	two_cgas && establish || return 1
	[ "$(peer_locs_of B)" = "$(sorted "$C1" "$C2")" ] ||
		fail "B's peer locators $(peer_locs_of B), want $(sorted "$C1" "$C2")" || return 1
	local g0 c3
	g0=$(dctl A -j daemon status | jq .locator_generation)
	# a third prefix appears mid-flow
	radvd_reload 3600
	wait_for 15 ac_configured_is 3 || fail "no CGA for prefix 3: $(ac_show)" || return 1
	c3=$(ac_addr 2001:db8:3::/64)
	wait_for 10 peer_locs_are B "$(sorted "$C1" "$C2" "$c3")" ||
		fail "B did not learn $c3 by Update: $(peer_locs_of B)" || return 1
	[ "$(dctl A -j daemon stats | jq .updates_acked)" -ge 1 ] || fail "no Update acknowledged" || return 1
	[ "$(dctl A -j daemon status | jq .locator_generation)" != "$g0" ] || fail "generation unchanged" || return 1
	# the context still carries traffic from the ULID
	ns_exec A ping -c1 -W2 -I "$C1" $ADDR_B >/dev/null || fail "no traffic after the Update"
}

test_prefix_withdrawn() {
	start_radvd 3600 && start_d A "$(autoconf_conf)" || return 1
	wait_for 15 ac_configured_is 3 || fail "A did not configure three CGAs: $(ac_show)" || return 1
	C1=$(ac_addr 2001:db8:1::/64); C2=$(ac_addr 2001:db8:2::/64)
	local c3
	c3=$(ac_addr 2001:db8:3::/64)
	establish || return 1
	wait_for 10 peer_locs_are B "$(sorted "$C1" "$C2" "$c3")" || fail "B: $(peer_locs_of B)" || return 1
	# the router withdraws prefix 3: lifetime 0
	radvd_reload 0
	wait_for 15 sh -c "! ip netns exec $(ns_name A) ip -6 -o addr show dev a0 | grep -q ' $c3/64 '" ||
		fail "$c3 still on a0" || return 1
	wait_for 10 peer_locs_are B "$(sorted "$C1" "$C2")" ||
		fail "B still lists $c3: $(peer_locs_of B)" || return 1
	[ "$(ac_show | jq .stats.address_removed)" = 1 ] || fail "removal not counted" || return 1
	# the other prefixes keep their addresses
	on_a0 "$C1" && on_a0 "$C2" || fail "a prefix still advertised lost its address"
}

test_restart_same_addresses() {
	two_cgas || return 1
	stop_d A
	# as after a reboot: the addresses are gone
	ns_exec A ip addr del "$C1/64" dev a0 && ns_exec A ip addr del "$C2/64" dev a0 || return 1
	start_d A "$(autoconf_conf)" || return 1
	[ "$(ac_show | jq .stats.loaded)" = 2 ] || fail "parameters not loaded: $(ac_show | jq -c .stats)" || return 1
	wait_for 15 ac_configured_is 2 || fail "A did not configure its CGAs again: $(ac_show)" || return 1
	[ "$(ac_addr 2001:db8:1::/64)" = "$C1" ] && [ "$(ac_addr 2001:db8:2::/64)" = "$C2" ] ||
		fail "other addresses after the restart: $(ac_show | jq -c '[.prefixes[].address]')" || return 1
	[ "$(ac_show | jq .stats.generated)" = 0 ] || fail "generated again" || return 1
	on_a0 "$C1" && on_a0 "$C2" || fail "not on a0"
}

test_generation_off_loop() {
	# A has a static CGA (Sec 0) for its handshakes while a Sec 2 CGA
	# (2^32 Hash2 tries expected, minutes) is generated for the RA's prefix
	local j c0 t1
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:1::/64 key "$TEST_TMP/A.key" sec 0 out "$TEST_TMP/A0.params") &&
	c0=$(jq -r .address <<<"$j") || fail "cga gen" || return 1
	ns_exec A ip addr add "$c0/64" dev a0 nodad || return 1
	start_radvd && start_d A "$(SEC=2 autoconf_conf)
[address $c0]
params $TEST_TMP/A0.params
key $TEST_TMP/A.key" || return 1
	gen_tries() { ac_show | jq -e '[.prefixes[] | select(.state == "generating") | .hash2_tries] | max > 0' | grep -q true; }
	wait_for 10 gen_tries || fail "no generation running: $(ac_show)" || return 1
	t1=$(ac_show | jq '[.prefixes[].hash2_tries] | max')
	# the loop answers the control socket AND runs a handshake meanwhile
	C1=$c0
	establish || return 1
	tries_moved() { [ "$(ac_show | jq '[.prefixes[] | select(.state == "generating") | .hash2_tries] | max')" -gt "$t1" ]; }
	wait_for 10 tries_moved || fail "generation not running or not reported: $(ac_show)" || return 1
	[ "$(dctl A -j daemon autoconf show | jq .generating)" -ge 1 ] || fail "no job running" || return 1
	# SIGTERM during generation: the daemon cancels it and exits
	stop_d A
	grep -q "exiting" "$TEST_TMP/A.log" || fail "shim6d did not exit cleanly: $(tail -2 "$TEST_TMP/A.log")"
}

test_hba_set() {
	# a CGA-compatible HBA set over prefixes 1 and 2 (RFC 5535): those RA
	# prefixes get the set's addresses; prefix 3, outside the set, a CGA
	# made with the same key, announced with a signature (RFC 5535 §5)
	local j h1 h2 c3
	j=$("$SHIM6CTL" -j hba gen prefixes 2001:db8:1::/64,2001:db8:2::/64 key "$TEST_TMP/A.key" sec 1 \
		out "$TEST_TMP/A.hba") || fail "hba gen" || return 1
	h1=$(jq -r '.addresses[0]' <<<"$j"); h2=$(jq -r '.addresses[1]' <<<"$j")
	start_radvd && start_d A "$(autoconf_conf)
hba-set $TEST_TMP/A.hba" || return 1
	wait_for 15 ac_configured_is 2 || fail "A did not configure its HBAs: $(ac_show)" || return 1
	[ "$(ac_addr 2001:db8:1::/64)" = "$h1" ] && [ "$(ac_addr 2001:db8:2::/64)" = "$h2" ] ||
		fail "not the set's addresses: $(ac_show | jq -c '[.prefixes[].address]')" || return 1
	[ "$(ac_show | jq -c '[.prefixes[].kind] | unique')" = '["hba"]' ] || fail "kind" || return 1
	[ "$(ac_show | jq .stats.generated)" = 0 ] || fail "generated for a set member" || return 1
	C1=$h1
	establish || return 1
	wait_for 10 peer_locs_are B "$(sorted "$h1" "$h2")" || fail "B: $(peer_locs_of B)" || return 1
	radvd_reload 3600
	wait_for 15 ac_configured_is 3 || fail "no address for prefix 3: $(ac_show)" || return 1
	c3=$(ac_addr 2001:db8:3::/64)
	[ "$(ac_show | jq -r '.prefixes[] | select(.prefix == "2001:db8:3::/64") | .kind')" = cga ] ||
		fail "prefix 3 not a CGA" || return 1
	"$SHIM6CTL" cga verify address "$c3" params "$(params_of 20010db800030000)" >/dev/null ||
		fail "cga verify rejects $c3" || return 1
	"$SHIM6CTL" hba verify address "$c3" params "$TEST_TMP/A.hba" >/dev/null 2>&1 &&
		fail "$c3 passes as an HBA set member" && return 1
	wait_for 10 peer_locs_are B "$(sorted "$h1" "$h2" "$c3")" ||
		fail "B did not learn $c3: $(peer_locs_of B)" || return 1
	return 0
}

test_dad_collision() {
	# A's CGA for prefix 1 is known in advance (its parameters are in the
	# state directory) and R already uses it: DAD fails on A, shim6d takes
	# the next collision count (RFC 3972 §4 step 8)
	local j x na f
	mkdir -p "$ACSTATE"
	f=$ACSTATE/20010db800010000.params
	j=$("$SHIM6CTL" -j cga gen prefix 2001:db8:1::/64 key "$TEST_TMP/A.key" sec 1 out "$f") &&
	x=$(jq -r .address <<<"$j") || fail "cga gen" || return 1
	ns_exec R ip addr add "$x/64" dev r-a nodad || return 1
	ns_exec A sysctl -qw net.ipv6.conf.all.accept_dad=1 net.ipv6.conf.a0.accept_dad=1 \
		net.ipv6.conf.a0.dad_transmits=1 >/dev/null
	start_d A "$(autoconf_conf)" && start_radvd || return 1
	collided() { [ "$(ac_show | jq .stats.dad_collisions)" = 1 ]; }
	wait_for 20 collided || fail "collision not seen: $(ac_show | jq -c .stats)" || return 1
	wait_for 10 ac_configured_is 2 || fail "A did not configure two CGAs: $(ac_show)" || return 1
	na=$(ac_addr 2001:db8:1::/64)
	[ -n "$na" ] && [ "$na" != "$x" ] || fail "still $x" || return 1
	[ "$(od -An -tu1 -j24 -N1 "$f" | tr -d ' ')" = 1 ] || fail "collision count in $f not 1" || return 1
	"$SHIM6CTL" cga verify address "$na" params "$f" >/dev/null || fail "cga verify rejects $na" || return 1
	# the new address passes DAD and is announced
	wait_for 10 sh -c "ip netns exec $(ns_name A) ip -6 -o addr show dev a0 | grep ' $na/64 ' | grep -vq tentative" ||
		fail "$na not on a0 or still tentative" || return 1
	in_locset() { dctl A -j daemon status | jq -e --arg a "$na" '.local_addresses[] | select(.address == $a) | .present' | grep -q true; }
	wait_for 5 in_locset ||
		fail "$na not present in the locator set" || return 1
}

test_two_hour_rule() {
	# RFC 4862 §5.5.3 e) on: an RA with lifetime 0 deprecates the address
	# (preferred 0) but cannot remove it while two hours or less remain
	start_d A "$(TWO_HOUR=yes autoconf_conf)" && start_radvd 3600 || return 1
	wait_for 15 ac_configured_is 3 || fail "A did not configure three CGAs: $(ac_show)" || return 1
	local c3 n0
	c3=$(ac_addr 2001:db8:3::/64)
	radvd_reload 0
	deprecated() { ns_exec A ip -6 -o addr show dev a0 | grep " $c3/64 " | grep -q deprecated; }
	wait_for 15 deprecated || fail "$c3 not deprecated by the RA" || return 1
	# more RAs with 0 change nothing
	n0=$(ac_show | jq .stats.ra_received)
	more_ras() { [ "$(ac_show | jq .stats.ra_received)" -ge $((n0 + 2)) ]; }
	wait_for 15 more_ras || fail "no more RAs" || return 1
	on_a0 "$c3" || fail "$c3 removed despite the two-hour rule" || return 1
	[ "$(ac_show | jq .stats.address_removed)" = 0 ] || fail "removal counted" || return 1
	local l
	l=$(ac_show | jq '.prefixes[] | select(.prefix == "2001:db8:3::/64") | .valid_lifetime')
	[ "$l" -gt 3000 ] && [ "$l" -le 3600 ] || fail "valid lifetime now $l (want what remained)"
}

run_tests
