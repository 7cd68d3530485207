/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shim6_fbd slots (bpf/shim6_shared.h struct shim6_fbd): each context
 * gets one when it is added, its ingress entry names it (fbd_slot), the
 * data plane writes its FBD stamps there, and shim6d reads them through a
 * shared mapping of the array, without a system call per read.
 */
#ifndef SHIM6_LOADER_FBD_H
#define SHIM6_LOADER_FBD_H

#include "loader/loader.h"

/* Maps m->fbd (called by shim6_maps_open); 0, or -errno (m->fbd_mem stays NULL). */
int shim6_fbd_mmap(struct shim6_maps *m);
void shim6_fbd_munmap(struct shim6_maps *m);

/*
 * Claims a free slot for context `local_tag` (stamps zeroed) and returns
 * it, or 0 when there is no array or it is full (the context then works
 * without one: REAP reads the hash maps).
 */
uint32_t shim6_fbd_claim(const struct shim6_maps *m, uint64_t local_tag);
/* Gives the slot back (only if `local_tag` holds it). */
void shim6_fbd_release(const struct shim6_maps *m, uint32_t slot, uint64_t local_tag);
/* Copies the slot's stamps; -ENOENT when `local_tag` does not hold it (any more). */
int shim6_fbd_read(const struct shim6_maps *m, uint32_t slot, uint64_t local_tag,
		   struct shim6_fbd *out);

#endif
