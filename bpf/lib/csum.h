/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Incremental Internet checksum updates (RFC 1624) for the one checksum the
 * data plane has to change: an ICMPv6 error whose quoted packet is
 * translated back to ULIDs (RFC 5533 §8).  Transport checksums are never
 * touched: they are over the ULIDs end to end.
 *
 * Words are summed as they sit in memory; the ones' complement sum is
 * byte-order independent as long as every term is read the same way and all
 * changed fields start at an even offset from the start of the checksummed
 * data (true for every field we touch: IPv6 and extension headers are
 * 8-byte multiples).
 */
#ifndef SHIM6_LIB_CSUM_H
#define SHIM6_LIB_CSUM_H

struct csum_acc {
	__u64	sum;
};

static __always_inline void csum_acc_init(struct csum_acc *a, __u16 old_csum)
{
	a->sum = (__u16)~old_csum;
}

/* Account for `n` bytes (even) going from `from` to `to`; either may be NULL. */
static __always_inline void csum_acc_replace(struct csum_acc *a, const void *from, const void *to,
					     const __u32 n)
{
	const __u16 *f = from, *t = to;
	__u32 i;

#pragma unroll
	for (i = 0; i < n / 2; i++) {
		if (f)
			a->sum += (__u16)~f[i];
		if (t)
			a->sum += t[i];
	}
}

static __always_inline __u16 csum_acc_final(const struct csum_acc *a)
{
	__u64 s = a->sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

#endif
