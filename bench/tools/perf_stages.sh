#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Not a benchmark (make bench does not run bench/tools/): splits a
# `perf record -a -g` profile of a TCP transfer into stages of the data
# path, as in docs/DATAPLANE.md §2.1.  Only samples of iperf3 and the
# softirq threads count; each sample goes to the first stage found walking
# its call chain up from the leaf.
#
#   perf record -a -g -o prof.data -- sleep 3     (during an iperf3 run)
#   bash bench/tools/perf_stages.sh prof.data
[ -r "${1:-}" ] || { echo "usage: $0 PERF.DATA" >&2; exit 1; }
perf script -i "$1" -F comm,ip,sym 2>/dev/null | awk '
function flush(  j, s, k) {
	if (!keep) { n = 0; return }
	s = "other"
	for (j = 0; j < n && s == "other"; j++) {
		k = st[j]
		if (k ~ /shim6_seg_in$/) s = "bpf seg_in"
		else if (k ~ /shim6_tc_in$/) s = "bpf tc_in"
		else if (k ~ /shim6_xdp_in$/) s = "bpf xdp_in"
		else if (k ~ /shim6_egress$/) s = "bpf egress"
		else if (k ~ /^skb_pp_cow_data$/) s = "xdp skb copy (pp_cow)"
		else if (k ~ /seg_xdp$/) s = "bpf seg_xdp"
		else if (k ~ /^(skb_checksum_help|csum_partial|__skb_checksum|skb_checksum|__skb_gro_checksum_complete|csum_partial_copy.*)$/) s = "software checksum"
		else if (k ~ /^(skb_segment|validate_xmit_skb.*|__skb_gso_segment)$/) s = "gso segmentation"
		else if (k ~ /^(dev_gro_receive|napi_gro_receive|gro_receive_skb|napi_gro_flush|__napi_gro_flush_chain)$/) s = "gro"
		else if (k ~ /^(ip6_route_output_flags|bpf_out_neigh_v6.*|ip6_finish_output2|neigh_resolve_output)$/) s = "redirect_neigh route+neigh"
		else if (k ~ /^(tcp_v6_rcv|ip6_input_finish|ip6_protocol_deliver_rcu)$/) s = "ip6/tcp receive"
		else if (k ~ /^ip6_rcv.*|^ipv6_rcv$/) s = "ip6 rcv core"
		else if (k ~ /^(veth_xmit|veth_poll|veth_xdp_rcv.*)$/) s = "veth xmit/poll"
		else if (k ~ /^(__netif_receive_skb_core.*|process_backlog|tc_run|__dev_queue_xmit|skb_do_redirect|__netif_rx|netif_rx.*)$/) s = "net core (rx/tx/tc/backlog)"
		else if (k ~ /^tcp_recvmsg/) s = "receiver app (tcp_recvmsg)"
		else if (k ~ /^tcp_sendmsg/) s = "sender app (tcp_sendmsg)"
	}
	cnt[s]++; total++; n = 0
}
/^[^\t]/ { flush(); keep = ($1 == "iperf3" || $1 ~ /^ksoftirqd/); next }
NF >= 2 { st[n++] = $2 }
END { flush(); for (s in cnt) printf "  %-30s %5.1f%%\n", s, 100 * cnt[s] / total | "sort -k2 -t%"; printf "  (%d samples)\n", total }'
