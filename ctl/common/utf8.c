// SPDX-License-Identifier: GPL-2.0
#include "ctl/common/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed sequence at p (1..4), or 0 if it is not one. */
static int seq_len(const unsigned char *p)
{
	unsigned char c = p[0];
	int n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4; cp = c & 0x07;
	} else {
		return 0;	/* continuation byte, 0xc0/0xc1 or 0xf5.. */
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* includes the NUL of a cut sequence */
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t utf8_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t bad = 0;
	int n;

	while (*p) {
		n = seq_len(p);
		if (n) {
			p += n;
		} else {
			*p++ = '?';
			bad++;
		}
	}
	return bad;
}

json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j || !(copy = strdup(s)))
		return j;
	utf8_scrub(copy);
	j = json_string(copy);
	free(copy);
	return j;
}
