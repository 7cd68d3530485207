// SPDX-License-Identifier: GPL-2.0
/* shim6ctl key gen out FILE [bits N]: an RSA key for CGAs and signatures. */
#include <inttypes.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include "crypto/key.h"
#include "ctl/shim6ctl/cli.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl key gen out FILE [bits N]\n"
		   "       shim6ctl key help\n"
		   "Generates an RSA key (N = 1024, 2048 (default), 3072 or 4096 bits) and\n"
		   "writes it as a PEM private key to FILE, created with mode 0600; an\n"
		   "existing FILE is never overwritten.  The key is the input of\n"
		   "`shim6ctl cga gen` and `shim6ctl hba gen ... key FILE`.\n");
	return status;
}

static int do_key_gen(int argc, char **argv)
{
	const char *out = NULL;
	uint64_t bits = 2048;
	uint8_t spki[1100];
	EVP_PKEY *k;
	int ret, n;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "out")) {
			NEXT_ARG("out");
			out = *argv;
		} else if (matches(*argv, "bits")) {
			NEXT_ARG("bits");
			if (parse_u64("bits", *argv, KEY_BITS_MAX, &bits))
				return 1;
			if (!key_bits_valid((unsigned int)bits))
				return cli_error("invalid bits \"%s\": use 1024, 2048, 3072 or 4096",
						 *argv);
		} else if (is_help(*argv)) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\" to \"key gen\", try \"shim6ctl key help\"",
					 *argv);
		}
	}
	if (!out)
		return cli_error("\"key gen\" needs \"out FILE\"");
	ret = key_generate((unsigned int)bits, &k);
	if (ret)
		return cli_error("RSA key generation failed: %s", strerror(-ret));
	ret = key_save_pem(out, k);
	if (ret) {
		EVP_PKEY_free(k);
		if (ret == -EEXIST)
			return cli_error("cannot write key %s: file exists (never overwritten)", out);
		return cli_error("cannot write key %s: %s", out, strerror(-ret));
	}
	n = key_spki(k, spki, sizeof(spki));
	EVP_PKEY_free(k);
	print_open_object(NULL);
	print_string(PRINT_ANY, "file", "key %s ", out);
	print_uint(PRINT_ANY, "bits", "bits %" PRIu64 " ", bits);
	print_string(PRINT_ANY, "mode", "mode %s\n", "0600");
	if (n > 0)
		print_hexbuf(PRINT_ANY, "public_key", "public_key %s\n", spki, (unsigned int)n);
	print_close_object();
	return 0;
}

static int do_key(int argc, char **argv)
{
	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1);
	if (matches(argv[0], "gen"))
		return do_key_gen(argc - 1, argv + 1);
	fprintf(stderr, "Command \"%s\" is unknown, try \"shim6ctl key help\".\n", argv[0]);
	return 1;
}

SHIM6CTL_OBJECT("key", do_key, "RSA keys for CGAs and Shim6 signatures");
