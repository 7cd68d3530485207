// SPDX-License-Identifier: GPL-2.0
/* shim6ctl hba { gen | verify }: Hash-Based Address sets (RFC 5535). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hba.h"
#include "crypto/key.h"
#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/crypto_cli.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl hba gen prefixes PREFIX/64[,PREFIX/64...] [key FILE] [sec N] [threads N]\n"
		   "                        [out PARAMS-FILE]\n"
		   "       shim6ctl hba verify address ADDR params PARAMS-FILE\n"
		   "       shim6ctl hba help\n"
		   "gen     generates an HBA set, one address per prefix (at most %d), bound\n"
		   "        together by the Multi-Prefix extension (RFC 5535 §6).  Without key:\n"
		   "        pure HBA (a random 384-bit value in place of a public key).  With key\n"
		   "        FILE (PEM, mode 0600/0400): CGA-compatible HBA, so that a prefix added\n"
		   "        later can be used as a CGA with signed locator updates.\n"
		   "        sec and threads as for `cga gen`.  PARAMS-FILE holds ONE CGA Parameters\n"
		   "        structure (wire form) for the whole set: subnet prefix = the first\n"
		   "        prefix, Multi-Prefix extension = all prefixes in the order given.\n"
		   "verify  checks that ADDR belongs to the set (RFC 5535 §7.2: its prefix must\n"
		   "        be in the Multi-Prefix extension and replaces the subnet prefix, then\n"
		   "        RFC 3972 §5 verification); exit 0 if so, 1 with the reason otherwise.\n",
		HBA_MAX_PREFIXES);
	return status;
}

static int parse_prefix_list(const char *arg, uint8_t (*out)[8], unsigned int *n)
{
	char *dup = strdup(arg), *save = NULL, *tok;
	int ret = 0;

	*n = 0;
	if (!dup)
		return cli_error("out of memory");
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == HBA_MAX_PREFIXES) {
			ret = cli_error("too many prefixes (at most %d)", HBA_MAX_PREFIXES);
			break;
		}
		if (parse_prefix64("prefix", tok, out[*n])) {
			ret = 1;
			break;
		}
		for (unsigned int i = 0; i < *n; i++) {
			if (!memcmp(out[i], out[*n], 8)) {
				ret = cli_error("prefix \"%s\" is listed twice", tok);
				break;
			}
		}
		if (ret)
			break;
		(*n)++;
	}
	if (!ret && *n == 0)
		ret = cli_error("empty prefix list");
	free(dup);
	return ret;
}

static int do_hba_gen(int argc, char **argv)
{
	static uint8_t prefixes[HBA_MAX_PREFIXES][8];
	static struct hba_set set;
	const char *keyfile = NULL, *out = NULL;
	uint8_t spki[CGA_PUBKEY_MAX], wire[CGA_PARAMS_MAX];
	uint64_t sec = 0, threads = 0;
	struct cga_gen_opts o = { 0 };
	struct cga_gen_stats st;
	unsigned int n = 0, i;
	int ret, klen = 0, len;
	EVP_PKEY *k;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "prefixes")) {
			NEXT_ARG("prefixes");
			if (parse_prefix_list(*argv, prefixes, &n))
				return 1;
		} else if (matches(*argv, "key")) {
			NEXT_ARG("key");
			keyfile = *argv;
		} else if (matches(*argv, "sec")) {
			NEXT_ARG("sec");
			if (ccli_parse_sec(*argv, &sec))
				return 1;
		} else if (matches(*argv, "threads")) {
			NEXT_ARG("threads");
			if (ccli_parse_threads(*argv, &threads))
				return 1;
		} else if (matches(*argv, "out")) {
			NEXT_ARG("out");
			out = *argv;
		} else if (is_help(*argv)) {
			return usage(stdout, 0);
		} else {
			return cli_error("unknown argument \"%s\" to \"hba gen\", try \"shim6ctl hba help\"",
					 *argv);
		}
	}
	if (!n)
		return cli_error("\"hba gen\" needs \"prefixes PREFIX/64[,PREFIX/64...]\"");
	if (keyfile) {
		if (ccli_load_key(keyfile, &k))
			return 1;
		klen = key_spki(k, spki, sizeof(spki));
		EVP_PKEY_free(k);
		if (klen < 0)
			return cli_error("cannot encode the public key of %s", keyfile);
	}
	o.sec = (unsigned int)sec;
	o.threads = (unsigned int)threads;
	ccli_gen_begin(&o);
	ret = hba_gen(&set, (const uint8_t (*)[8])prefixes, n, keyfile ? spki : NULL,
		      (size_t)klen, &o, &st);
	ccli_gen_end();
	if (ret == -ECANCELED)
		return cli_error("hba gen cancelled after %" PRIu64 " tries (%.1fs)", st.tries,
				 st.seconds);
	if (ret)
		return cli_error("hba gen failed: %s", strerror(-ret));
	len = cga_params_encode(&set.params, wire, sizeof(wire));
	if (len < 0 || (out && ccli_write_params(out, wire, (size_t)len)))
		return 1;
	print_open_object(NULL);
	print_string(PRINT_ANY, "type", "type %s\n", keyfile ? "cga-compatible" : "hba-only");
	print_open_array("addresses");
	for (i = 0; i < set.n; i++)
		print_in6(PRINT_ANY, NULL, "address %s\n", set.addrs[i]);
	print_close_array();
	ccli_print_gen(&set.params, o.sec, &st, out);
	print_close_object();
	return 0;
}

static int do_hba(int argc, char **argv)
{
	int ret;

	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1);
	if (matches(argv[0], "gen"))
		return do_hba_gen(argc - 1, argv + 1);
	if (matches(argv[0], "verify")) {
		ret = ccli_verify("hba", argc - 1, argv + 1, true);
		return ret < 0 ? usage(stdout, 0) : ret;
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"shim6ctl hba help\".\n", argv[0]);
	return 1;
}

SHIM6CTL_OBJECT("hba", do_hba, "Hash-Based Address sets (RFC 5535)");
