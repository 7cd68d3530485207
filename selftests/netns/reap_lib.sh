#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the REAP namespace tests (test_reap*.sh) and test_mpath.sh;
# source after lib.sh and topo.sh.  reap_bed builds the site topology with
# shim6d on A and B (HBA sets over both ISPs' prefixes, data plane on a0 /
# b0) and a context between A's and B's ISP1 locators; the helpers read
# the daemons' views.

reap_field() { ctx_field "$1" ".contexts[0].reap.$2"; }
reap_is() { [ "$(ctx_field "$1" '.contexts[0].reap.state')" = "$2" ]; }
pair_avoids() { # N ADDR: neither end of N's REAP pair is ADDR
	local l p
	l=$(ctx_field "$1" '.contexts[0].reap.pair_local')
	p=$(ctx_field "$1" '.contexts[0].reap.pair_peer')
	[ -n "$l" ] && [ "$l" != null ] && [ "$l" != "$2" ] && [ "$p" != "$2" ]
}
field_is() { [ "$(reap_field "$1" "$2")" = "$3" ]; }	# N KEY VALUE
field_ge() { local v; v=$(reap_field "$1" "$2"); [ -n "$v" ] && [ "$v" != null ] && [ "$v" -ge "$3" ]; }

# hba N PFX1 PFX2 DEV: an HBA set over two prefixes, both on DEV; sets H1 H2
hba() {
	local n=$1 j
	j=$("$SHIM6CTL" -j hba gen prefixes "$2,$3" sec 0 out "$TEST_TMP/$n.params") || return 1
	H1=$(jq -r '.addresses[0]' <<<"$j"); H2=$(jq -r '.addresses[1]' <<<"$j")
	printf '[address %s]\nparams %s\n[address %s]\nparams %s\n' \
		"$H1" "$TEST_TMP/$n.params" "$H2" "$TEST_TMP/$n.params" >"$TEST_TMP/$n.addrs"
	addr_add "$n" "$4" "$H1/64" && addr_add "$n" "$4" "$H2/64"
}

# start_d N DEV: shim6d in N, Send Timeout ${REAP_TSEND:-2s}, its data
# plane on DEV; with REAP_MARK_RULE="mask ... probe ..." the data plane's
# mark rule is set before shim6d starts (shim6d then keeps path tables);
# REAP_EXTRA_TIMERS: more lines for its [timers] section
start_d() {
	local n=$1
	shim6d_conf "$TEST_TMP" "$n" <<EOC
log-level info
idle-timeout 0
server-mode no
[trigger]
bytes 1000000000
time 3600s
[timers]
i1-timeout 300ms
send-timeout ${REAP_TSEND:-2s}
${REAP_EXTRA_TIMERS:-}
$(cat "$TEST_TMP/$n.addrs")
EOC
	ns_shim6ctl "$n" attach dev "$2" ingress tc >"$TEST_TMP/attach.$n" 2>&1 ||
		{ fail "attach on $n: $(cat "$TEST_TMP/attach.$n")"; return 1; }
	if [ -n "${REAP_MARK_RULE:-}" ]; then
		check ns_shim6ctl "$n" path mark-rule $REAP_MARK_RULE || return 1
	fi
	ns_shim6d "$n"
}

# restart_d N: SIGTERM (the daemon saves its state), start again on the
# same configuration; the data plane stays attached
restart_d() {
	local n=$1
	stop_bg "d$n"
	ns_shim6d "$n" 0
	wait_for 5 state_is "$n" established || fail "shim6d in $n did not resume: $(bg_log "d$n" | tail -3)"
}

# reap_bed: topology, daemons, an established context HA1 <-> HB1 with REAP
# running on both sides.  Sets HA1 HA2 HB1 HB2.  reap_bed_daemons stops
# before the context (reap_bed_context starts it).
reap_bed() {
	reap_bed_daemons && reap_bed_context
}

reap_bed_daemons() {
	require_cmd jq python3 || return $SKIP_CODE
	[ -x "$SHIM6D" ] || { skip "shim6d not built"; return $SKIP_CODE; }
	topo_site || return 1
	hba A 2001:db8:a1::/64 2001:db8:a2::/64 a0 || { fail "hba A"; return 1; }
	HA1=$H1 HA2=$H2
	hba B 2001:db8:b1::/64 2001:db8:b2::/64 b0 || { fail "hba B"; return 1; }
	HB1=$H1 HB2=$H2
	wait_for 5 ns_exec A ping -c1 -W1 -I "$HA1" "$HB1" ||
		{ fail "no IPv6 between the HBA addresses"; return 1; }
	start_d A a0 && start_d B b0 || return 1
}

reap_bed_context() {
	check dctl A daemon context start ulid-local "$HA1" ulid-peer "$HB1" || return 1
	wait_for 10 state_is A established || { fail "A not established"; return 1; }
	wait_for 10 state_is B established || { fail "B not established"; return 1; }
	wait_for 5 reap_is A operational ||
		{ fail "A's REAP not running: $(ctx_field A .contexts[0])"; return 1; }
	wait_for 5 reap_is B operational ||
		{ fail "B's REAP not running: $(ctx_field B .contexts[0])"; return 1; }
}

# Both sides agree: the context is established with each other's tags, REAP
# operational on both, and each side's pair ends at one of the other's
# locators.
both_agree() {
	local at bt
	state_is A established && state_is B established || { fail "not established on both"; return 1; }
	at=$(ctx_field A .contexts[0].local_tag) bt=$(ctx_field B .contexts[0].local_tag)
	[ "$(ctx_field A .contexts[0].peer_tag)" = "$bt" ] && [ "$(ctx_field B .contexts[0].peer_tag)" = "$at" ] ||
		{ fail "tags disagree: A $at/$(ctx_field A .contexts[0].peer_tag) B $bt/$(ctx_field B .contexts[0].peer_tag)"; return 1; }
	reap_is A operational && reap_is B operational ||
		{ fail "REAP states: A $(reap_field A state) B $(reap_field B state)"; return 1; }
	case "$(reap_field A pair_peer)" in "$HB1"|"$HB2") ;; *) fail "A's pair ends at $(reap_field A pair_peer), not B"; return 1;; esac
	case "$(reap_field B pair_peer)" in "$HA1"|"$HA2") ;; *) fail "B's pair ends at $(reap_field B pair_peer), not A"; return 1;; esac
}

# lossy N DEV PCT: N drops PCT % of what it sends on DEV (nftables egress
# hook, numgen; this kernel has no sch_netem).  Undo with restore_link.
lossy() {
	local t
	t=$(_cut_table "$2")
	ns_exec "$1" nft add table netdev "$t" &&
	ns_exec "$1" nft add chain netdev "$t" out \
		"{ type filter hook egress device \"$2\" priority 0; policy accept; }" &&
	ns_exec "$1" nft add rule netdev "$t" out numgen random mod 100 '<' "$3" counter drop
}
# dropped N DEV: packets the lossy rule dropped so far
dropped() { ns_exec "$1" nft list table netdev "$(_cut_table "$2")" | grep -o 'packets [0-9]*' | head -1 | cut -d' ' -f2; }
