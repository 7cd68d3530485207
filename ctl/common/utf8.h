/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHIM6_CTL_UTF8_H
#define SHIM6_CTL_UTF8_H

#include <stddef.h>

#include <jansson.h>

/*
 * Replace, in place, every byte of s that is not part of a well-formed UTF-8
 * sequence (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no sequence cut short by the terminating NUL) with '?'.  Returns
 * how many bytes were replaced.  Text that echoes a peer's or a client's bytes
 * into JSON goes through it: jansson refuses a string that is not UTF-8, and
 * a reply that cannot be built is a reply the client never gets.
 */
size_t utf8_scrub(char *s);

/*
 * A JSON string of any text (a path, an interface name: bytes the kernel
 * does not check), scrubbed when it is not UTF-8; NULL only when out of
 * memory.  json_string() would return NULL, and a key or a whole reply built
 * with it would silently go missing.
 */
json_t *json_text(const char *s);

#endif
