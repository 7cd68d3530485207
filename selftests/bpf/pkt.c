// SPDX-License-Identifier: GPL-2.0
#include "selftests/bpf/pkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *pb_grow(struct pb *b, enum pb_layer kind, uint8_t proto, size_t n)
{
	uint8_t *p;

	if (b->len + n > PB_MAX || b->nl == PB_MAX_LAYERS) {
		fprintf(stderr, "pkt: builder overflow\n");
		abort();
	}
	p = b->d + b->len;
	memset(p, 0, n);
	b->l[b->nl].kind = kind;
	b->l[b->nl].proto = proto;
	b->l[b->nl].off = b->len;
	b->nl++;
	b->len += n;
	return p;
}

void pb_init(struct pb *b)
{
	memset(b, 0, sizeof(*b));
}

void pb_eth_type(struct pb *b, uint16_t ethertype)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0xb1 };
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0xa1 };
	uint8_t *p = pb_grow(b, PB_ETH, 0, 14);
	uint16_t t = htons(ethertype);

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	memcpy(p + 12, &t, 2);
}

void pb_eth(struct pb *b)
{
	pb_eth_type(b, 0x86dd);
}

void pb_ipv6(struct pb *b, const struct in6_addr *src, const struct in6_addr *dst)
{
	uint8_t *p = pb_grow(b, PB_IPV6, 41, 40);

	p[0] = 0x60;
	p[7] = 64;	/* hop limit */
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
}

void pb_ext(struct pb *b, uint8_t type, size_t len)
{
	uint8_t *p = pb_grow(b, PB_EXT, type, len);

	p[1] = len / 8 - 1;
	if (type == 43) {
		p[2] = 253;	/* routing type: experimental (RFC 4727), segments left 0 */
	} else if (len > 2) {
		p[2] = 1;	/* PadN covering the rest */
		p[3] = len - 4;
	}
}

void pb_frag(struct pb *b, uint16_t offset8, int more, uint32_t id)
{
	uint8_t *p = pb_grow(b, PB_EXT, 44, 8);
	uint16_t fo = htons((uint16_t)(offset8 << 3) | (more ? 1 : 0));
	uint32_t nid = htonl(id);

	memcpy(p + 2, &fo, 2);
	memcpy(p + 4, &nid, 4);
}

void pb_shim6_bytes(uint8_t out[8], uint8_t nexthdr, uint64_t tag)
{
	out[0] = nexthdr;
	out[1] = 0;
	out[2] = 0x80 | ((tag >> 40) & 0x7f);
	out[3] = (tag >> 32) & 0xff;
	out[4] = (tag >> 24) & 0xff;
	out[5] = (tag >> 16) & 0xff;
	out[6] = (tag >> 8) & 0xff;
	out[7] = tag & 0xff;
}

void pb_shim6(struct pb *b, uint64_t tag)
{
	uint8_t *p = pb_grow(b, PB_SHIM6, 140, 8);

	pb_shim6_bytes(p, 0, tag);
}

void pb_shim6_ctrl(struct pb *b, uint8_t type, size_t body)
{
	uint8_t *p = pb_grow(b, PB_SHIM6, 140, 8 + body);

	p[0] = 59;
	p[1] = body / 8;
	p[2] = type & 0x7f;	/* P = 0 */
}

void pb_udp(struct pb *b, uint16_t sport, uint16_t dport)
{
	uint8_t *p = pb_grow(b, PB_UDP, 17, 8);
	uint16_t s = htons(sport), d = htons(dport);

	memcpy(p, &s, 2);
	memcpy(p + 2, &d, 2);
}

void pb_tcp(struct pb *b, uint16_t sport, uint16_t dport)
{
	uint8_t *p = pb_grow(b, PB_TCP, 6, 20);
	uint16_t s = htons(sport), d = htons(dport);

	memcpy(p, &s, 2);
	memcpy(p + 2, &d, 2);
	p[7] = 1;		/* seq */
	p[12] = 5 << 4;		/* data offset */
	p[13] = 0x18;		/* PSH ACK */
	p[14] = 0xff;		/* window */
}

void pb_icmp6(struct pb *b, uint8_t type, uint8_t code, uint32_t data)
{
	uint8_t *p = pb_grow(b, PB_ICMP6, 58, 8);
	uint32_t n = htonl(data);

	p[0] = type;
	p[1] = code;
	memcpy(p + 4, &n, 4);
}

void pb_bytes(struct pb *b, const void *src, size_t n)
{
	if (b->len + n > PB_MAX)
		abort();
	memcpy(b->d + b->len, src, n);
	b->len += n;
}

void pb_pattern(struct pb *b, size_t n)
{
	for (size_t i = 0; i < n && b->len < PB_MAX; i++)
		b->d[b->len++] = (uint8_t)(0x40 + i);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (n & 1)
		sum += p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void pb_finish(struct pb *b, const struct in6_addr *psrc, const struct in6_addr *pdst)
{
	int ip = -1;

	/* Next Header chain: each header names the following layer's protocol */
	for (int i = 0; i < b->nl; i++) {
		size_t nh_at;
		uint8_t next = 59;

		switch (b->l[i].kind) {
		case PB_IPV6:
			ip = i;
			nh_at = b->l[i].off + 6;
			break;
		case PB_EXT:
			nh_at = b->l[i].off;
			break;
		case PB_SHIM6:
			if (!(b->d[b->l[i].off + 2] & 0x80))
				continue;	/* control: keeps No Next Header */
			nh_at = b->l[i].off;
			break;
		default:
			continue;
		}
		if (i + 1 < b->nl && b->l[i + 1].kind != PB_RAW)
			next = b->l[i + 1].proto;
		b->d[nh_at] = next;
	}
	if (ip < 0)
		return;

	size_t ipoff = b->l[ip].off;
	uint16_t plen = htons((uint16_t)(b->len - ipoff - 40));

	memcpy(b->d + ipoff + 4, &plen, 2);
	if (!psrc)
		psrc = (const struct in6_addr *)(b->d + ipoff + 8);
	if (!pdst)
		pdst = (const struct in6_addr *)(b->d + ipoff + 24);

	for (int i = ip + 1; i < b->nl; i++) {
		size_t off = b->l[i].off, ulen = b->len - off;
		size_t csum_at;
		uint8_t pseudo[40] = {};
		uint32_t sum;

		switch (b->l[i].kind) {
		case PB_UDP: {
			uint16_t l = htons((uint16_t)ulen);

			memcpy(b->d + off + 4, &l, 2);
			csum_at = off + 6;
			break;
		}
		case PB_TCP:
			csum_at = off + 16;
			break;
		case PB_ICMP6:
			csum_at = off + 2;
			break;
		default:
			continue;
		}
		memcpy(pseudo, psrc, 16);
		memcpy(pseudo + 16, pdst, 16);
		pseudo[32] = ulen >> 24;
		pseudo[33] = ulen >> 16;
		pseudo[34] = ulen >> 8;
		pseudo[35] = ulen;
		pseudo[39] = b->l[i].proto;
		b->d[csum_at] = b->d[csum_at + 1] = 0;
		sum = csum_add(0, pseudo, 40);
		sum = csum_add(sum, b->d + off, ulen);
		uint16_t c = csum_fold(sum);

		if (b->l[i].kind == PB_UDP && c == 0)
			c = 0xffff;
		b->d[csum_at] = c >> 8;
		b->d[csum_at + 1] = c & 0xff;
		break;	/* one transport layer */
	}
}

struct in6_addr pb_addr(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1) {
		fprintf(stderr, "pkt: bad address %s\n", s);
		abort();
	}
	return a;
}
