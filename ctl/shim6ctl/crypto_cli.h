/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the key, cga and hba objects: files, progress line, Ctrl-C. */
#ifndef SHIM6CTL_CRYPTO_CLI_H
#define SHIM6CTL_CRYPTO_CLI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "crypto/cga.h"

/* Ctrl-C sets this during a generation (SIGINT handler installed by ccli_gen_begin). */
extern atomic_bool ccli_gen_cancel;

/* Prepare options: cancel flag, and a progress line on stderr when it is a terminal. */
void ccli_gen_begin(struct cga_gen_opts *o);
/* Restore SIGINT, clear the progress line. */
void ccli_gen_end(void);

/* Load a private key file with a one-line error; 0 or 1 (the exit status). */
int ccli_load_key(const char *path, EVP_PKEY **key);
/* "sec N" (0..2) and "threads N" (1..1024) of the gen commands: 0, or 1 after an error line. */
int ccli_parse_sec(const char *arg, uint64_t *sec);
int ccli_parse_threads(const char *arg, uint64_t *threads);
/* Read a params file (wire form); length or -1 after printing an error. */
long ccli_read_params(const char *path, uint8_t *buf, size_t max);
/* Write a params file (0644, replaced atomically); 0 or 1 after printing an error. */
int ccli_write_params(const char *path, const uint8_t *buf, size_t len);
/* Print the generation summary fields shared by cga gen and hba gen. */
void ccli_print_gen(const struct cga_params *p, unsigned int sec, const struct cga_gen_stats *st,
		   const char *out);

/*
 * `cga verify` / `hba verify` (hba: RFC 5535 §7.2 prefix substitution):
 * exit status, or -1 when help was asked for.
 */
int ccli_verify(const char *obj, int argc, char **argv, bool hba);

#endif
