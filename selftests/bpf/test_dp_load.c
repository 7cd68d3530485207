// SPDX-License-Identifier: GPL-2.0
/* The production objects load (verifier) with default and large context maps. */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"

#include <bpf/libbpf.h>

TEST(dp_load)
{
	static const uint32_t sizes[] = { 0, 1000000 };
	struct dp dp;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		SUBTEST("max_ctx=%u", sizes[i] ? sizes[i] : SHIM6_MAX_CTX);
		if (!runner_is_root()) {
			SKIP("needs root");
			continue;
		}
		if (!ASSERT_OK(dp_open(&dp, sizes[i]), "open+load both objects"))
			continue;
		ASSERT_EQ(bpf_map__max_entries(dp.eg->maps.shim6_ulid),
			  sizes[i] ? sizes[i] : SHIM6_MAX_CTX, "shim6_ulid max_entries");
		ASSERT_TRUE(bpf_program__fd(dp.eg->progs.shim6_egress) >= 0, "shim6_egress");
		ASSERT_TRUE(bpf_program__fd(dp.eg->progs.shim6_seg_in) >= 0, "shim6_seg_in");
		ASSERT_TRUE(bpf_program__fd(dp.in->progs.shim6_xdp_in) >= 0, "shim6_xdp_in");
		ASSERT_TRUE(bpf_program__fd(dp.in->progs.shim6_tc_in) >= 0, "shim6_tc_in");
		dp_close(&dp);
	}
}
