/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trigger heuristic accounting (RFC 5533 §11: "the host might need to do
 * some accounting ... even before there is a ULID-pair context").  Per ULID
 * pair without a context: bytes and first-seen time in the LRU shim6_flow;
 * one SHIM6_EV_TRIGGER event when the pair crosses trigger_bytes or has been
 * exchanging data for trigger_jiffies.  Thresholds come from shim6_cfg, read
 * per packet, so they change without reloading.
 */
#ifndef SHIM6_LIB_TRIGGER_H
#define SHIM6_LIB_TRIGGER_H

#define SHIM6_TRIGGER_BYTES_DEFAULT	2048
#define SHIM6_TRIGGER_SECONDS_DEFAULT	60

/* Kernel HZ, for the 60 s default only (user space may set trigger_jiffies). */
const volatile __u32 shim6_hz = 250;

static __always_inline int shim6_addr_is_ll_or_mc(const union shim6_addr *a)
{
	return a->b[0] == 0xff || (a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80);
}

static __always_inline void shim6_trigger_account(const struct shim6_cfg *cfg,
						  const struct shim6_ulid_key *key, __u32 bytes,
						  __u32 ifindex)
{
	struct shim6_flow *f, nf = {};
	__u64 now, limit_b, limit_j;

	if (cfg && (cfg->flags & SHIM6_CFG_F_NO_TRIGGER))
		return;
	/* multicast and link-local pairs never get a context */
	if (shim6_addr_is_ll_or_mc(&key->peer) || shim6_addr_is_ll_or_mc(&key->local))
		return;

	now = bpf_jiffies64();
	f = bpf_map_lookup_elem(&shim6_flow, key);
	if (!f) {
		nf.first_seen = now;
		nf.bytes = bytes;
		if (bpf_map_update_elem(&shim6_flow, key, &nf, BPF_NOEXIST) == 0) {
			f = bpf_map_lookup_elem(&shim6_flow, key);
		} else {
			/* another CPU inserted it first: add ours to its entry */
			f = bpf_map_lookup_elem(&shim6_flow, key);
			if (f)
				__sync_fetch_and_add(&f->bytes, bytes);
		}
		if (!f)
			return;
	} else {
		__sync_fetch_and_add(&f->bytes, bytes);
	}
	if (f->triggered)
		return;

	limit_b = cfg && cfg->trigger_bytes ? cfg->trigger_bytes : SHIM6_TRIGGER_BYTES_DEFAULT;
	limit_j = cfg && cfg->trigger_jiffies ? cfg->trigger_jiffies
					      : (__u64)SHIM6_TRIGGER_SECONDS_DEFAULT * shim6_hz;
	if (f->bytes < limit_b && now - f->first_seen < limit_j)
		return;
	/*
	 * Not atomic: two CPUs may both see triggered == 0 and raise two events
	 * for one pair; the daemon ignores a trigger for a pair it is already
	 * establishing.  Cheaper than a cmpxchg on every packet.
	 */
	f->triggered = 1;
	shim6_emit(SHIM6_EV_TRIGGER, ifindex, 0, f->bytes, &key->local, &key->peer);
}

#endif
