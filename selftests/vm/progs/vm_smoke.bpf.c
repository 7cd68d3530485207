// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only XDP program for the VM runner's own tests (test_vmtest.sh), not
 * part of shim6: passes IPv6 frames and counts them, drops everything else.
 * Two different verdicts let BPF_PROG_TEST_RUN in the guest prove that the
 * program really ran; the counter proves that an attached copy saw traffic.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IPV6 0x86DD

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ipv6_seen SEC(".maps");

SEC("xdp")
int vm_smoke(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key = 0;
	__u64 *n;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_DROP;
	n = bpf_map_lookup_elem(&ipv6_seen, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
