// SPDX-License-Identifier: GPL-2.0
#include "selftests/bpf/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_build(struct pb *b, const char *src, const char *dst, const char *layers, uint64_t tag,
	      const char *psrc, const char *pdst)
{
	struct in6_addr s = pb_addr(src), d = pb_addr(dst), ps, pd;
	char buf[256], *tok, *save = NULL;

	pb_init(b);
	pb_eth(b);
	pb_ipv6(b, &s, &d);
	snprintf(buf, sizeof(buf), "%s", layers);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "hbh", 3))
			pb_ext(b, 0, atoi(tok + 3));
		else if (!strncmp(tok, "rt", 2))
			pb_ext(b, 43, atoi(tok + 2));
		else if (!strncmp(tok, "dst", 3))
			pb_ext(b, 60, atoi(tok + 3));
		else if (!strcmp(tok, "frag0"))
			pb_frag(b, 0, 1, 0x1234);
		else if (!strcmp(tok, "frag1"))
			pb_frag(b, 100, 0, 0x1234);
		else if (!strcmp(tok, "shim"))
			pb_shim6(b, tag);
		else if (!strcmp(tok, "ctrl"))
			pb_shim6_ctrl(b, 66, 8);
		else if (!strcmp(tok, "udp"))
			pb_udp(b, 4000, 5000);
		else if (!strcmp(tok, "tcp"))
			pb_tcp(b, 4000, 80);
		else if (!strcmp(tok, "icmp4nh140")) {
			/* Parameter Problem, unrecognized next header (code 1),
			 * pointer 6, quoting an IPv6 header whose next header
			 * is 140 (what Linux sends when no protocol-140 raw
			 * socket takes the packet) */
			static const uint8_t q[40] = { 0x60, 0, 0, 0, 0, 16, 140, 64 };

			pb_icmp6(b, 4, 1, 6);
			pb_bytes(b, q, sizeof(q));
		} else if (!strncmp(tok, "icmp", 4))
			pb_icmp6(b, atoi(tok + 4), 0, 0);
		else if (!strncmp(tok, "pay", 3))
			pb_pattern(b, atoi(tok + 3));
		else {
			fprintf(stderr, "fixture: unknown layer %s\n", tok);
			abort();
		}
	}
	ps = pb_addr(psrc ? psrc : src);
	pd = pb_addr(pdst ? pdst : dst);
	pb_finish(b, &ps, &pd);
}
