// SPDX-License-Identifier: GPL-2.0
/* shim6_fbd slots: claim, release, read through mmap; see fbd.h. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "loader/fbd.h"

static size_t fbd_bytes(uint32_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size_t)n * sizeof(struct shim6_fbd);

	return (len + (size_t)page - 1) / (size_t)page * (size_t)page;
}

int shim6_fbd_mmap(struct shim6_maps *m)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	void *mem;

	m->fbd_mem = NULL;
	m->fbd_n = 0;
	if (m->fbd < 0)
		return -ENOENT;
	if (bpf_obj_get_info_by_fd(m->fbd, &info, &len))
		return -errno;
	if (info.value_size != sizeof(struct shim6_fbd) || !(info.map_flags & BPF_F_MMAPABLE) ||
	    info.max_entries < 2)
		return -EINVAL;
	mem = mmap(NULL, fbd_bytes(info.max_entries), PROT_READ | PROT_WRITE, MAP_SHARED,
		   m->fbd, 0);
	if (mem == MAP_FAILED)
		return -errno;
	m->fbd_mem = mem;
	m->fbd_n = info.max_entries;
	return 0;
}

void shim6_fbd_munmap(struct shim6_maps *m)
{
	if (m->fbd_mem)
		munmap(m->fbd_mem, fbd_bytes(m->fbd_n));
	m->fbd_mem = NULL;
	m->fbd_n = 0;
}

uint32_t shim6_fbd_claim(const struct shim6_maps *m, uint64_t local_tag)
{
	uint32_t n, start;

	if (!m->fbd_mem || m->fbd_n < 2)
		return 0;
	n = m->fbd_n - 1;	/* slots 1 .. fbd_n - 1 */
	/* start where the tag hashes to: claims by several processes rarely collide */
	start = (uint32_t)((local_tag * 0x9E3779B97F4A7C15ULL) >> 32) % n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t slot = 1 + (start + i) % n;
		struct shim6_fbd *f = &m->fbd_mem[slot];
		uint64_t expect = 0;

		if (__atomic_load_n(&f->owner, __ATOMIC_RELAXED))
			continue;
		if (!__atomic_compare_exchange_n(&f->owner, &expect, SHIM6_FBD_OWNED | local_tag,
						 false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		__atomic_store_n(&f->last_send, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&f->last_recv, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&f->send_start, 0, __ATOMIC_RELEASE);
		return slot;
	}
	return 0;
}

static struct shim6_fbd *owned(const struct shim6_maps *m, uint32_t slot, uint64_t local_tag)
{
	if (!m->fbd_mem || !slot || slot >= m->fbd_n)
		return NULL;
	if (__atomic_load_n(&m->fbd_mem[slot].owner, __ATOMIC_ACQUIRE) !=
	    (SHIM6_FBD_OWNED | local_tag))
		return NULL;
	return &m->fbd_mem[slot];
}

void shim6_fbd_release(const struct shim6_maps *m, uint32_t slot, uint64_t local_tag)
{
	struct shim6_fbd *f = owned(m, slot, local_tag);

	if (!f)
		return;
	__atomic_store_n(&f->last_send, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&f->last_recv, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&f->send_start, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&f->owner, 0, __ATOMIC_RELEASE);
}

int shim6_fbd_read(const struct shim6_maps *m, uint32_t slot, uint64_t local_tag,
		   struct shim6_fbd *out)
{
	struct shim6_fbd *f = owned(m, slot, local_tag);

	if (!f)
		return -ENOENT;
	/* each stamp is one aligned 64-bit word the data plane stores whole */
	out->last_send = __atomic_load_n(&f->last_send, __ATOMIC_RELAXED);
	out->last_recv = __atomic_load_n(&f->last_recv, __ATOMIC_RELAXED);
	out->send_start = __atomic_load_n(&f->send_start, __ATOMIC_RELAXED);
	out->owner = SHIM6_FBD_OWNED | local_tag;
	/* released and claimed again meanwhile? then these are not its stamps */
	return owned(m, slot, local_tag) ? 0 : -ENOENT;
}
