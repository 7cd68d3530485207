/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map of the data plane, declared once.  Both BPF objects include this
 * file; the state maps are pinned by name so that the egress and ingress
 * objects loaded under one pin root share them (layouts: shim6_shared.h).
 * max_entries are defaults: the loader may bpf_map__set_max_entries() before
 * load (the programs never depend on the size).
 */
#ifndef SHIM6_LIB_MAPS_H
#define SHIM6_LIB_MAPS_H

/* Egress: ULID pair -> current locators, peer tag, FBD last-send. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_CTX);
	__type(key, struct shim6_ulid_key);
	__type(value, struct shim6_egress_ctx);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_ulid SEC(".maps");

/* Ingress: CT(local) -> ULIDs, FBD last-receive. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_CTX);
	__type(key, __u64);
	__type(value, struct shim6_ingress_ctx);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_tag SEC(".maps");

/* Ingress: is this address a locator of that context (local or peer side)? */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_CTX * 4);
	__type(key, struct shim6_loc_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_loc SEC(".maps");

/* ICMP errors: (CT(peer), current locator pair) -> ULIDs (RFC 5533 §8). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_CTX);
	__type(key, struct shim6_ptag_key);
	__type(value, struct shim6_ulid_key);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_ptag SEC(".maps");

/* Trigger heuristic: per ULID pair without a context. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SHIM6_MAX_FLOWS);
	__type(key, struct shim6_ulid_key);
	__type(value, struct shim6_flow);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_flow SEC(".maps");

/* Run-time tunables, slot 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct shim6_cfg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_cfg SEC(".maps");

/* Per-CPU verdict and drop counters, indexed by enum shim6_reason. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SHIM6_REASON_MAX);
	__type(key, __u32);
	__type(value, struct shim6_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_stats SEC(".maps");

/* Events for shim6d (trigger, unknown tag). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_events SEC(".maps");

/* Multipath: (tag, index 1..15) -> extra locator pair of a context. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_PATH_ENTRIES);
	__type(key, struct shim6_path_key);
	__type(value, struct shim6_path);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_path SEC(".maps");

/* Multipath: receive stamps and counters per locator pair. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SHIM6_MAX_PATH_ENTRIES);
	__type(key, struct shim6_pair_key);
	__type(value, struct shim6_pair_rx);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_pair SEC(".maps");

/* Multipath: the skb-mark -> path-index rule, slot 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct shim6_mark_rule);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_mark SEC(".maps");

/* FBD stamps per context slot, read by shim6d through mmap (slot 0 unused). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SHIM6_MAX_CTX + 1);
	__type(key, __u32);
	__type(value, struct shim6_fbd);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shim6_fbd SEC(".maps");

static __always_inline struct shim6_cfg *shim6_get_cfg(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&shim6_cfg, &zero);
}

#endif
