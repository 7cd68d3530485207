/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test helpers: make HBA sets and CGAs with crypto/ for the shim6d tests.
 * Kept apart because crypto/ and wire/ headers cannot share a file (both
 * define enum shim6_verif_method).  Keys are returned as void * (EVP_PKEY).
 */
#ifndef SHIM6D_LOCGEN_H
#define SHIM6D_LOCGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An HBA set over 2001:db8:a1::/64 and 2001:db8:a2::/64, Sec 0. */
bool locgen_hba(uint8_t addrs[2][16], uint8_t *params, size_t *plen);
/* A 1024-bit key and a Sec-0 CGA in 2001:db8:a1::/64 for it. */
bool locgen_cga(uint8_t addr[16], uint8_t *params, size_t *plen, void **key);
void *locgen_key(void);			/* another 1024-bit key */
void locgen_key_ref(void *key);		/* + 1 reference */
void locgen_key_free(void *key);

#endif
