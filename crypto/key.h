/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RSA key pairs for CGAs and Shim6 CGA signatures (OpenSSL 3 EVP).
 *
 * Private keys live in PEM files (PKCS#8, unencrypted) created 0600.  Loading
 * refuses a file that is not a regular file owned by us (or root), or that
 * group or others may read or write: the key proves ownership of our
 * addresses.
 */
#ifndef SHIM6_CRYPTO_KEY_H
#define SHIM6_CRYPTO_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define KEY_BITS_MIN 1024 /* RFC 5533 §16: at least 1024 bits */
#define KEY_BITS_MAX 4096
#define KEY_ERR_LEN 160

/* 1024, 2048, 3072 or 4096: other sizes are refused (-EINVAL). */
int key_bits_valid(unsigned int bits);

/* Generate an RSA key (exponent 65537); 0 or -errno. */
int key_generate(unsigned int bits, EVP_PKEY **out);

/*
 * Write the private key as PEM to a new file, mode 0600 (O_EXCL: an existing
 * file is never overwritten, -EEXIST).
 */
int key_save_pem(const char *path, EVP_PKEY *key);

/*
 * Load a private key.  0, or -errno with a one-line reason in err (may be
 * NULL): -ENOENT/-EACCES (cannot open), -EPERM (mode or owner unsafe),
 * -EBADMSG (not a PEM private key), -EINVAL (not RSA, or below 1024 bits).
 */
int key_load_pem(const char *path, EVP_PKEY **out, char *err, size_t errlen);

/* DER SubjectPublicKeyInfo of the key; length or -ENOSPC/-EIO. */
int key_spki(EVP_PKEY *key, uint8_t *buf, size_t len);

/* Parse a DER SubjectPublicKeyInfo that must hold an RSA key; NULL otherwise. */
EVP_PKEY *key_from_spki(const uint8_t *spki, size_t len);

#endif
