/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the crypto unit tests (test_cga*, test_hba*, test_sig*). */
#ifndef SHIM6_TEST_CRYPTO_HELPERS_H
#define SHIM6_TEST_CRYPTO_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Read selftests/unit/data/NAME (found from the cwd or the binary's place). */
long ct_data_read(const char *name, void *buf, size_t max);
/* Path of the built shim6ctl next to the unit_tests binary (or one level up). */
const char *ct_shim6ctl_path(void);
/* Run a shell command; stdout/stderr captured (NUL-terminated); returns the exit status. */
int ct_run(char *out, size_t outlen, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A fresh private temporary directory (removed at exit). */
const char *ct_tmpdir(void);
/* RSA keys generated once per run and shared by the tests (bits 1024/2048/3072). */
EVP_PKEY *ct_rsa_key(unsigned int bits);
/* Parse hex into bytes; returns the length. */
size_t ct_unhex(const char *hex, uint8_t *out, size_t max);

#endif
