/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persisted CGA Parameters of autoconfigured addresses: one file per
 * prefix, STATE-DIR/<16 hex digits of the /64>.params, holding the CGA
 * Parameters data structure in wire form (the PARAMS-FILE format of
 * crypto/README.md, so `shim6ctl cga verify address A params FILE` reads
 * it).  Written atomically (temporary file, rename).  The address is not
 * stored: it follows from the parameters and the configured Sec, and a file
 * made with another key or a lower Sec is not used.
 */
#ifndef SHIM6D_ACSTORE_H
#define SHIM6D_ACSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cga.h"

/* STATE-DIR/<hex>.params into out; -ENAMETOOLONG if it does not fit. */
int acstore_path(const char *dir, const uint8_t prefix[8], char *out, size_t len);

/* mkdir -p DIR (mode 0755); 0 or -errno. */
int acstore_mkdir(const char *dir);

/* Write the params of a prefix (creating dir, mode 0755); 0 or -errno. */
int acstore_save(const char *dir, const uint8_t prefix[8], const struct cga_params *p);

/*
 * Load the params of a prefix and check them: the prefix, our public key
 * (spki), Sec `sec` (RFC 3972 §5 verification of the resulting address).
 * 0 with p and addr set; -ENOENT no file; -EINVAL not usable (the reason
 * in why, if not NULL).
 */
int acstore_load(const char *dir, const uint8_t prefix[8], const uint8_t *spki,
		 size_t spki_len, unsigned int sec, struct cga_params *p, uint8_t addr[16],
		 const char **why);

/* Call fn for every "<hex>.params" name in dir; 0, or -errno if dir cannot be read. */
int acstore_scan(const char *dir, void (*fn)(const uint8_t prefix[8], void *arg), void *arg);

#endif
