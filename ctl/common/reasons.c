// SPDX-License-Identifier: GPL-2.0
/* Stable names of enum shim6_reason, shown by `shim6ctl stats` next to the
 * code.  Like the codes, a name never changes once released. */
#include <stddef.h>
#include <linux/types.h>

#include "bpf/shim6_shared.h"
#include "ctl/common/reasons.h"

static const char *const reason_names[SHIM6_REASON_MAX] = {
	[SHIM6_PASS_NOT_IPV6]		= "pass_not_ipv6",
	[SHIM6_PASS_NO_CTX]		= "pass_no_ctx",
	[SHIM6_PASS_ULID_EQ_LOC]	= "pass_ulid_eq_loc",
	[SHIM6_PASS_REWRITTEN]		= "pass_rewritten",
	[SHIM6_PASS_RESTORED]		= "pass_restored",
	[SHIM6_PASS_CONTROL]		= "pass_control",
	[SHIM6_PASS_NDISC]		= "pass_ndisc",
	[SHIM6_PASS_ICMP_TRANSLATED]	= "pass_icmp_translated",
	[SHIM6_PASS_TO_SEGMENT]		= "pass_to_segment",
	[SHIM6_PASS_SHIMMED]		= "pass_shimmed",
	[SHIM6_PASS_FRAGMENT]		= "pass_fragment",
	[SHIM6_PASS_ICMP]		= "pass_icmp",
	[SHIM6_PASS_PTB_SENT]		= "pass_ptb_sent",
	[SHIM6_PASS_PATH_CHOSEN]	= "pass_path_chosen",
	[SHIM6_PASS_PATH_MISSING]	= "pass_path_missing",
	[SHIM6_PASS_PATH_BROKEN]	= "pass_path_broken",
	[SHIM6_DROP_MALFORMED]		= "drop_malformed",
	[SHIM6_DROP_UNKNOWN_TAG]	= "drop_unknown_tag",
	[SHIM6_DROP_FOREIGN_SRC]	= "drop_foreign_src",
	[SHIM6_DROP_FOREIGN_DST]	= "drop_foreign_dst",
	[SHIM6_DROP_TOO_BIG]		= "drop_too_big",
	[SHIM6_DROP_ADJUST_ROOM]	= "drop_adjust_room",
	[SHIM6_DROP_FIB]		= "drop_fib",
	[SHIM6_DROP_EXTHDR_CHAIN]	= "drop_exthdr_chain",
	[SHIM6_DROP_GSO]		= "drop_gso",
	[SHIM6_DROP_STORE]		= "drop_store",
	[SHIM6_DROP_REDIRECT]		= "drop_redirect",
	[SHIM6_DROP_OWN_PARAM_PROB]	= "drop_own_param_prob",
};

const char *shim6_reason_name(unsigned int code)
{
	return code < SHIM6_REASON_MAX ? reason_names[code] : NULL;
}
