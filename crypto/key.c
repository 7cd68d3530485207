// SPDX-License-Identifier: GPL-2.0
/* RSA key generation, PEM storage with safe permissions, SPKI export. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/key.h"

int key_bits_valid(unsigned int bits)
{
	return bits == 1024 || bits == 2048 || bits == 3072 || bits == 4096;
}

int key_generate(unsigned int bits, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx;
	int ret = -EIO;

	*out = NULL;
	if (!key_bits_valid(bits))
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (ctx && EVP_PKEY_keygen_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) > 0 &&
	    EVP_PKEY_generate(ctx, out) > 0)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int key_save_pem(const char *path, EVP_PKEY *key)
{
	FILE *f;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	/* The umask can only remove bits; make 0600 explicit anyway. */
	if (fchmod(fd, 0600) < 0) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	if (PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) != 1)
		ret = -EIO;
	if (fflush(f) || fsync(fileno(f)))
		ret = ret ? ret : -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret)
		return 0;
fail:
	unlink(path);
	return ret;
}

__attribute__((format(printf, 4, 5)))
static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int key_load_pem(const char *path, EVP_PKEY **out, char *err, size_t errlen)
{
	EVP_PKEY *k;
	struct stat st;
	FILE *f;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return fail(err, errlen, ret, "cannot open: %s", strerror(-ret));
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		close(fd);
		return fail(err, errlen, ret, "cannot stat: %s", strerror(-ret));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, -EPERM, "%s", "not a regular file");
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		close(fd);
		return fail(err, errlen, -EPERM, "%s",
			    "private key file is owned by another user");
	}
	if (st.st_mode & 077) {
		close(fd);
		return fail(err, errlen, -EPERM, "%s",
			    "private key file is accessible by group or others "
			    "(mode must be 0600 or 0400; chmod 600 it)");
	}
	f = fdopen(fd, "r");
	if (!f) {
		ret = -errno;
		close(fd);
		return fail(err, errlen, ret, "cannot read: %s", strerror(-ret));
	}
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!k)
		return fail(err, errlen, -EBADMSG, "%s", "not a PEM private key");
	if (!EVP_PKEY_is_a(k, "RSA") || EVP_PKEY_get_bits(k) < KEY_BITS_MIN) {
		EVP_PKEY_free(k);
		return fail(err, errlen, -EINVAL, "%s", "not an RSA key of at least 1024 bits");
	}
	*out = k;
	return 0;
}

int key_spki(EVP_PKEY *key, uint8_t *buf, size_t len)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(key, &der);

	if (n <= 0)
		return -EIO;
	if ((size_t)n > len) {
		OPENSSL_free(der);
		return -ENOSPC;
	}
	memcpy(buf, der, n);
	OPENSSL_free(der);
	return n;
}

/*
 * One SubjectPublicKeyInfo/RSA decoder, made once and reused.  Why: in
 * OpenSSL 3, d2i_PUBKEY() builds a decoder context for every call - it
 * fetches and ranks every provider's decoders - which measured about 250 us
 * per key here, fifteen times an RSA-1024 verification, and made every
 * CGA-signed I2 cost ~0.3 ms.  Decoding with a ready context takes ~10-20 us.
 * The context writes its result through a pointer fixed at creation, so
 * calls are serialised by a mutex (uncontended in shim6d's one event loop).
 */
static pthread_mutex_t spki_lock = PTHREAD_MUTEX_INITIALIZER;
static OSSL_DECODER_CTX *spki_dec;
static EVP_PKEY *spki_out;

static void spki_decoder_free(void)
{
	OSSL_DECODER_CTX_free(spki_dec);
	spki_dec = NULL;
}

EVP_PKEY *key_from_spki(const uint8_t *spki, size_t len)
{
	const unsigned char *p = spki;
	size_t left = len;
	EVP_PKEY *k = NULL;

	pthread_mutex_lock(&spki_lock);
	if (!spki_dec) {
		spki_dec = OSSL_DECODER_CTX_new_for_pkey(&spki_out, "DER", "SubjectPublicKeyInfo",
							 "RSA", EVP_PKEY_PUBLIC_KEY, NULL, NULL);
		if (spki_dec)
			atexit(spki_decoder_free);
	}
	if (spki_dec) {
		spki_out = NULL;
		if (OSSL_DECODER_from_data(spki_dec, &p, &left))
			k = spki_out;	/* ours now: the next call resets spki_out */
		spki_out = NULL;
	}
	pthread_mutex_unlock(&spki_lock);
	/* all of it, and RSA (the decoder was asked for RSA; check anyway) */
	if (k && (left != 0 || !EVP_PKEY_is_a(k, "RSA"))) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}
