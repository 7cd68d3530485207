// SPDX-License-Identifier: GPL-2.0
/* shim6ctl cga { gen | verify }: Cryptographically Generated Addresses (RFC 3972). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cga.h"
#include "crypto/hba.h"
#include "crypto/key.h"
#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/crypto_cli.h"

static int usage(FILE *f, int status)
{
	fprintf(f, "Usage: shim6ctl cga gen prefix PREFIX/64 key FILE [sec N] [threads N] [out PARAMS-FILE]\n"
		   "       shim6ctl cga verify address ADDR params PARAMS-FILE\n"
		   "       shim6ctl cga help\n"
		   "gen     generates a CGA (RFC 3972 §4) for the /64 PREFIX from the RSA key in\n"
		   "        FILE (a PEM private key, mode 0600 or 0400, see `shim6ctl key gen`).\n"
		   "        sec: 0 (default), 1 (~65536 SHA-1 tries) or 2 (~4.3e9 tries, minutes);\n"
		   "        threads: default all CPUs.  out writes the CGA Parameters in wire form.\n"
		   "        On a terminal a progress line shows tries/s and an ETA; Ctrl-C cancels.\n"
		   "verify  checks ADDR against the CGA Parameters in PARAMS-FILE (RFC 3972 §5);\n"
		   "        exit 0 if it verifies, 1 with the reason otherwise.\n");
	return status;
}

static int do_cga_gen(int argc, char **argv)
{
	const char *keyfile = NULL, *out = NULL;
	uint64_t sec = 0, threads = 0;
	struct cga_gen_opts o = { 0 };
	struct cga_gen_stats st;
	struct cga_params p = { 0 };
	uint8_t addr[16], wire[CGA_PARAMS_MAX];
	bool have_prefix = false;
	EVP_PKEY *k;
	int ret, n;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "prefix")) {
			NEXT_ARG("prefix");
			if (parse_prefix64("prefix", *argv, p.prefix))
				return 1;
			have_prefix = true;
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
			return cli_error("unknown argument \"%s\" to \"cga gen\", try \"shim6ctl cga help\"",
					 *argv);
		}
	}
	if (!have_prefix)
		return cli_error("\"cga gen\" needs \"prefix PREFIX/64\"");
	if (!keyfile)
		return cli_error("\"cga gen\" needs \"key FILE\" (make one with `shim6ctl key gen`)");
	if (ccli_load_key(keyfile, &k))
		return 1;
	n = key_spki(k, p.pubkey, sizeof(p.pubkey));
	EVP_PKEY_free(k);
	if (n < 0)
		return cli_error("cannot encode the public key of %s", keyfile);
	p.pubkey_len = (uint16_t)n;

	o.sec = (unsigned int)sec;
	o.threads = (unsigned int)threads;
	ccli_gen_begin(&o);
	ret = cga_gen(&p, &o, addr, &st);
	ccli_gen_end();
	if (ret == -ECANCELED)
		return cli_error("cga gen cancelled after %" PRIu64 " tries (%.1fs)", st.tries,
				 st.seconds);
	if (ret)
		return cli_error("cga gen failed: %s", strerror(-ret));
	n = cga_params_encode(&p, wire, sizeof(wire));
	if (n < 0 || (out && ccli_write_params(out, wire, (size_t)n)))
		return 1;
	print_open_object(NULL);
	print_in6(PRINT_ANY, "address", "address %s\n", addr);
	ccli_print_gen(&p, o.sec, &st, out);
	print_close_object();
	return 0;
}

int ccli_verify(const char *obj, int argc, char **argv, bool hba)
{
	const char *params = NULL;
	uint8_t addr[16], buf[CGA_PARAMS_MAX + 1];
	bool have_addr = false;
	enum cga_verdict v;
	long n;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "address")) {
			NEXT_ARG("address");
			if (parse_in6("address", *argv, addr))
				return 1;
			have_addr = true;
		} else if (matches(*argv, "params")) {
			NEXT_ARG("params");
			params = *argv;
		} else if (is_help(*argv)) {
			return -1;
		} else {
			return cli_error("unknown argument \"%s\" to \"%s verify\", try \"shim6ctl %s help\"",
					 *argv, obj, obj);
		}
	}
	if (!have_addr || !params)
		return cli_error("\"%s verify\" needs \"address ADDR params PARAMS-FILE\"", obj);
	n = ccli_read_params(params, buf, sizeof(buf));
	if (n < 0)
		return 1;
	v = hba ? hba_verify_bytes(addr, buf, (size_t)n) : cga_verify_bytes(addr, buf, (size_t)n);
	print_open_object(NULL);
	print_in6(PRINT_ANY, "address", "address %s ", addr);
	print_uint(PRINT_ANY, "sec", "sec %" PRIu64 " ", cga_addr_sec(addr));
	print_bool(PRINT_ANY, "verified", v == CGA_OK ? "verified\n" : "NOT verified: ", v == CGA_OK);
	print_uint(PRINT_JSON, "reason_code", NULL, v);
	print_string(PRINT_ANY, "reason", v == CGA_OK ? NULL : "%s\n", cga_strerror(v));
	print_close_object();
	if (v != CGA_OK) {
		char txt[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, addr, txt, sizeof(txt));
		cli_error("%s %s does not verify: %s", hba ? "HBA" : "CGA", txt, cga_strerror(v));
		return 1;
	}
	return 0;
}

static int do_cga(int argc, char **argv)
{
	int ret;

	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1);
	if (matches(argv[0], "gen"))
		return do_cga_gen(argc - 1, argv + 1);
	if (matches(argv[0], "verify")) {
		ret = ccli_verify("cga", argc - 1, argv + 1, false);
		return ret < 0 ? usage(stdout, 0) : ret;
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"shim6ctl cga help\".\n", argv[0]);
	return 1;
}

SHIM6CTL_OBJECT("cga", do_cga, "Cryptographically Generated Addresses (RFC 3972)");
