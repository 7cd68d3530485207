/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Print Shim6 headers through ctl/common/print.h (text and JSON from the same
 * calls).  Shared by `shim6ctl decode` and, later, `shim6ctl monitor`.
 *
 * The functions add keys to the JSON object the caller has opened and, in
 * text mode, print one block: a first line naming the message, then one line
 * per field (RFC names), per option and per warning, indented by `indent`.
 */
#ifndef SHIM6_WIRE_PRINT_H
#define SHIM6_WIRE_PRINT_H

#include <stddef.h>

#include "wire/shim6_wire.h"

/* A decoded control message (valid). */
void shim6_print_msg(const struct shim6_msg *m, int indent);

/*
 * Decode the Shim6 header at buf (control message or payload header, by its
 * P bit) and print it, or print why it is malformed.  Returns 0 when it
 * decoded, else -SHIM6_WERR_*.  flags: SHIM6_DEC_*.
 */
int shim6_print_header(const void *buf, size_t len, unsigned int flags, int indent);

#endif
