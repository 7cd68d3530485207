// SPDX-License-Identifier: GPL-2.0
/*
 * shim6ctl decode { hex HEX... | pcap FILE }
 *
 * Prints each Shim6 header (message, fields, options) or the precise reason
 * it is malformed.  Debian 12's tshark reads Shim6 control messages one byte
 * early, so this is the dissector to trust.  pcap input: Ethernet (with
 * 802.1Q tags), Linux cooked (SLL, SLL2) and raw IPv6 link types; the IPv6
 * extension-header chain (Hop-by-Hop, Routing, Destination Options,
 * Fragment, AH, IPv6-in-IPv6) is walked to Next Header 140.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>

#include "ctl/common/wire_print.h"
#include "ctl/shim6ctl/cli.h"

#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: shim6ctl [-j] decode [strict] hex HEX...\n"
		"       shim6ctl [-j] decode [strict] pcap FILE\n"
		"       shim6ctl decode help\n"
		"\n"
		"Decode Shim6 headers (RFC 5533 control messages and options, RFC 5534 Keepalive\n"
		"and Probe, the 8-byte payload extension header) and print each one: message\n"
		"type, fields named as in the RFC, options, warnings -- or the precise reason it\n"
		"is malformed (the defect, its byte offset from the first byte of the Shim6\n"
		"header, and the Error message code a receiver answers with, if any).\n"
		"\n"
		"  hex HEX...  the Shim6 header itself, starting at its Next Header byte; spaces,\n"
		"              colons and a leading 0x are accepted (\"3b 01 01 00 ...\").\n"
		"  pcap FILE   every Shim6 header in a capture.  Link types: Ethernet (802.1Q\n"
		"              tags too), Linux cooked (SLL, SLL2), raw IP (IPv6 packets).  The\n"
		"              IPv6 extension headers (Hop-by-Hop, Routing, Destination Options,\n"
		"              Fragment, AH) are walked to Next Header 140; frames without a\n"
		"              Shim6 header are counted and skipped (listed with -d).\n"
		"\n"
		"Non-zero padding and reserved fields, misplaced or unknown C=0 options are\n"
		"warnings (RFC receivers ignore them), not defects.  With \"strict\", non-zero\n"
		"padding (which a sender MUST NOT send) is a defect (bad_padding).\n"
		"\n"
		"Exit status: 0 if every Shim6 header decoded, 1 if any was malformed or the\n"
		"input could not be read.\n");
	return status;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Concatenate the hex arguments; returns the byte count or -1 (error printed). */
static long parse_hex_args(int argc, char **argv, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1, i;

	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		for (; *s; s++) {
			int v;

			if (isspace((unsigned char)*s) || *s == ':' || *s == '-' || *s == '.')
				continue;
			v = hexval((unsigned char)*s);
			if (v < 0) {
				cli_error("\"%s\" is not hex: unexpected '%c'", argv[i], *s);
				return -1;
			}
			if (hi < 0) {
				hi = v;
				continue;
			}
			if (n == max) {
				cli_error("hex input longer than %zu bytes", max);
				return -1;
			}
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		cli_error("hex input has an odd number of digits");
		return -1;
	}
	if (n == 0) {
		cli_error("no hex bytes given");
		return -1;
	}
	return (long)n;
}

/* SHIM6_DEC_* flags from the leading keywords (strict). */
static unsigned int dec_flags;

static int do_hex(int argc, char **argv)
{
	static uint8_t buf[65536];
	long n = parse_hex_args(argc, argv, buf, sizeof(buf));
	int err;

	if (n < 0)
		return 1;
	print_open_object(NULL);
	err = shim6_print_header(buf, (size_t)n, dec_flags, 0);
	print_close_object();
	return err ? 1 : 0;
}

/* ---- pcap ---- */

struct walk {
	const char *why; /* no IPv6 packet: why */
};

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Offset of the IPv6 header in a frame of this link type, or -1 (w->why set). */
static long l2_offset(int dlt, const uint8_t *p, size_t caplen, struct walk *w)
{
	size_t off;
	uint16_t proto;

	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			return w->why = "truncated Ethernet header", -1;
		off = 12;
		proto = rd16(p + off);
		while ((proto == ETH_P_8021Q || proto == ETH_P_8021AD) && off + 6 <= caplen) {
			off += 4;
			proto = rd16(p + off);
		}
		if (proto != ETH_P_IPV6)
			return w->why = "not IPv6", -1;
		return (long)off + 2;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return w->why = "truncated Linux cooked header", -1;
		if (rd16(p + 14) != ETH_P_IPV6)
			return w->why = "not IPv6", -1;
		return 16;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return w->why = "truncated Linux cooked v2 header", -1;
		if (rd16(p) != ETH_P_IPV6)
			return w->why = "not IPv6", -1;
		return 20;
#endif
	case DLT_RAW:
	case DLT_IPV6:
		return 0;
	default:
		return w->why = "unsupported link type", -1;
	}
}

static const char *dlt_label(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	return n ? n : "unknown";
}

static int do_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const uint8_t *pkt;
	unsigned long frame = 0, nshim = 0, nbad = 0, nskip = 0;
	pcap_t *pc;
	int dlt, rc;

	pc = pcap_open_offline(path, errbuf);
	if (!pc)
		return cli_error("cannot read %s: %s", path, errbuf);
	dlt = pcap_datalink(pc);
	if (dlt != DLT_EN10MB && dlt != DLT_RAW && dlt != DLT_IPV6 && dlt != DLT_LINUX_SLL
#ifdef DLT_LINUX_SLL2
	    && dlt != DLT_LINUX_SLL2
#endif
	) {
		pcap_close(pc);
		return cli_error("%s: link type %s (%d) is not supported (Ethernet, Linux cooked, raw IPv6)",
				 path, dlt_label(dlt), dlt);
	}
	print_open_object(NULL);
	print_string(PRINT_JSON, "file", NULL, path);
	print_string(PRINT_JSON, "link_type", NULL, dlt_label(dlt));
	print_open_array("frames");
	while ((rc = pcap_next_ex(pc, &h, &pkt)) == 1) {
		struct shim6_ip6_loc loc;
		struct walk w = { 0 };
		const uint8_t *ip6;
		size_t off;
		long l2;

		frame++;
		l2 = l2_offset(dlt, pkt, h->caplen, &w);
		if (l2 >= 0 && shim6_ip6_find(pkt + l2, h->caplen - (size_t)l2, &loc))
			w.why = loc.why;
		if (w.why) {
			nskip++;
			if (cli.details)
				print_text("frame %lu: skipped: %s\n", frame, w.why);
			continue;
		}
		nshim++;
		ip6 = pkt + l2;
		off = (size_t)l2 + loc.shim6_off;
		print_open_object(NULL);
		print_uint(PRINT_JSON, "frame", NULL, frame);
		print_in6(PRINT_JSON, "src", NULL, ip6 + 8);
		print_in6(PRINT_JSON, "dst", NULL, ip6 + 24);
		print_uint(PRINT_JSON, "shim6_offset", NULL, off);
		if (!print_is_json()) {
			char s[64], d[64];

			inet_ntop(AF_INET6, ip6 + 8, s, sizeof(s));
			inet_ntop(AF_INET6, ip6 + 24, d, sizeof(d));
			print_text("frame %lu: %s > %s, Shim6 header at offset %zu\n", frame, s, d,
				   off);
		}
		if (h->caplen < h->len) {
			print_bool(PRINT_JSON, "capture_truncated", NULL, true);
			print_text("  (capture truncated: %u of %u bytes captured)\n", h->caplen,
				   h->len);
		}
		print_open_object("shim6");
		if (shim6_print_header(pkt + off, loc.shim6_len, dec_flags, 2))
			nbad++;
		print_close_object();
		print_close_object();
	}
	print_close_array();
	if (rc == PCAP_ERROR) {
		print_close_object();
		cli_error("%s: %s after frame %lu", path, pcap_geterr(pc), frame);
		pcap_close(pc);
		return 1;
	}
	print_uint(PRINT_JSON, "frames_read", NULL, frame);
	print_uint(PRINT_JSON, "shim6_headers", NULL, nshim);
	print_uint(PRINT_JSON, "malformed", NULL, nbad);
	print_uint(PRINT_JSON, "skipped", NULL, nskip);
	print_text("%lu frames, %lu Shim6 headers, %lu malformed, %lu frames without Shim6\n",
		   frame, nshim, nbad, nskip);
	print_close_object();
	pcap_close(pc);
	return nbad ? 1 : 0;
}

static int do_decode(int argc, char **argv)
{
	while (argc > 0 && matches(argv[0], "strict")) {
		dec_flags |= SHIM6_DEC_STRICT;
		argc--, argv++;
	}
	if (argc < 1 || is_help(argv[0]))
		return usage(argc < 1 ? stderr : stdout, argc < 1 ? 1 : 0);
	if (matches(argv[0], "hex")) {
		if (argc < 2 || is_help(argv[1]))
			return argc < 2 ? (cli_error("\"hex\" needs a value"), 1) : usage(stdout, 0);
		return do_hex(argc - 1, argv + 1);
	}
	if (matches(argv[0], "pcap")) {
		if (argc < 2)
			return cli_error("\"pcap\" needs a value");
		if (is_help(argv[1]))
			return usage(stdout, 0);
		if (argc > 2)
			return cli_error("unexpected argument \"%s\" after the pcap file", argv[2]);
		return do_pcap(argv[1]);
	}
	fprintf(stderr, "Command \"%s\" is unknown, try \"shim6ctl decode help\".\n", argv[0]);
	return 1;
}

SHIM6CTL_OBJECT("decode", do_decode, "decode Shim6 headers from hex or a pcap file")
