/* SPDX-License-Identifier: GPL-2.0 */
/* Stable names of the data plane's verdict/drop reasons (enum shim6_reason). */
#ifndef SHIM6_REASONS_H
#define SHIM6_REASONS_H

/* "pass_rewritten", "drop_unknown_tag", ...; NULL for an unassigned code. */
const char *shim6_reason_name(unsigned int code);

#endif
