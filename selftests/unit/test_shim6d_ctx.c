// SPDX-License-Identifier: GPL-2.0
/* shim6d context table and tag allocation; validator primitives. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/validator.h"
#include "selftests/runner.h"

TEST(shim6d_ctx_tags)
{
	uint64_t set1 = 0, clr1 = 0;
	struct ctx_table t;
	uint8_t l[16] = { 0x20, 0x01 }, p[16] = { 0x20, 0x02 };
	int i, n = 20000;

	if (!ASSERT_OK(ctx_table_init(&t, 16), "init"))
		return;
	for (i = 0; i < n; i++) {
		struct shim6_ctx *c;

		memcpy(p + 12, &i, sizeof(i));
		c = ctx_create(&t, l, p, 0);
		if (!ASSERT_OK_PTR(c, "create"))
			break;
		if (!ASSERT_TRUE(c->ct_local != 0 && c->ct_local <= CTX_TAG_MASK, "47-bit, non-zero"))
			break;
		set1 |= c->ct_local;
		clr1 |= ~c->ct_local & CTX_TAG_MASK;
	}
	ASSERT_EQ(t.count, (uint32_t)n, "all created");
	/* every one of the 47 bits varies: they are all random */
	ASSERT_EQ(set1, CTX_TAG_MASK, "each bit seen set");
	ASSERT_EQ(clr1, CTX_TAG_MASK, "each bit seen clear");
	ASSERT_TRUE(t.nbuckets >= (uint32_t)n, "table grew");
	/* every context is found by tag and by ULID pair, tags unique */
	for (i = 0; i < n; i++) {
		struct shim6_ctx *c;

		memcpy(p + 12, &i, sizeof(i));
		c = ctx_find_ulid(&t, l, p, 0);
		if (!ASSERT_OK_PTR(c, "by ULID pair") ||
		    !ASSERT_TRUE(ctx_find_tag(&t, c->ct_local) == c, "by tag (unique)"))
			break;
	}
	ASSERT_TRUE(ctx_find_ulid(&t, l, p, 1) == NULL, "another FII is another context");
	ctx_table_destroy(&t, NULL, NULL);
}

static int count_visit(struct shim6_ctx *c, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

TEST(shim6d_ctx_peer_tag_index)
{
	struct ctx_table t;
	uint8_t l[16] = { 1 }, p[16] = { 2 };
	struct shim6_ctx *a, *b, *c;
	int n = 0;

	ctx_table_init(&t, 16);
	a = ctx_create(&t, l, p, 0);
	p[0] = 3;
	b = ctx_create(&t, l, p, 0);
	ctx_set_peer_tag(&t, a, 77);
	ctx_set_peer_tag(&t, b, 77);
	ctx_for_each_peer_tag(&t, 77, count_visit, &n);
	ASSERT_EQ(n, 2, "two contexts with CT(peer) 77");
	ctx_set_peer_tag(&t, b, 78);
	n = 0;
	ctx_for_each_peer_tag(&t, 77, count_visit, &n);
	ASSERT_EQ(n, 1, "one after the change");
	ctx_destroy(&t, a);
	n = 0;
	ctx_for_each_peer_tag(&t, 77, count_visit, &n);
	ASSERT_EQ(n, 0, "none after destroy");
	c = calloc(1, sizeof(*c));
	c->ct_local = b->ct_local;
	ASSERT_EQ(ctx_insert_with_tag(&t, c), -EEXIST, "a taken tag is refused");
	c->ct_local = 0;
	ASSERT_EQ(ctx_insert_with_tag(&t, c), -EINVAL, "tag 0 refused");
	free(c);
	ctx_table_destroy(&t, NULL, NULL);
}

TEST(shim6d_validator)
{
	struct validator_keys k;
	struct r1_input in = { .init_tag = 0x1234, .fii = 0 };
	struct r1bis_input bin = { .packet_tag = 0x1234 };
	uint8_t v[VALIDATOR_LEN], v2[VALIDATOR_LEN];
	uint32_t nonce;

	validator_init(&k, 30000, 0);
	in.ulid_src[0] = 0x20;
	nonce = validator_nonce(&k);
	validator_r1(&k, nonce, &in, v);
	ASSERT_TRUE(validator_check_r1(&k, nonce, &in, v, sizeof(v)), "own validator accepted");
	ASSERT_FALSE(validator_check_r1(&k, nonce ^ 1, &in, v, sizeof(v)), "other nonce refused");
	ASSERT_FALSE(validator_check_r1(&k, nonce, &in, v, sizeof(v) - 1), "short refused");
	in.fii = 1;
	ASSERT_FALSE(validator_check_r1(&k, nonce, &in, v, sizeof(v)), "other FII refused");
	in.fii = 0;
	memcpy(bin.loc_src, in.loc_src, 16);
	memcpy(bin.loc_dst, in.loc_dst, 16);
	ASSERT_FALSE(validator_check_r1bis(&k, nonce, &bin, v, sizeof(v)),
		     "an R1 validator is not an R1bis validator");
	validator_r1bis(&k, nonce, &bin, v2);
	ASSERT_TRUE(validator_check_r1bis(&k, nonce, &bin, v2, sizeof(v2)), "R1bis accepted");
	ASSERT_FALSE(validator_maybe_rotate(&k, 29999), "no rotation before the lifetime");
	ASSERT_TRUE(validator_maybe_rotate(&k, 30000), "rotation at the lifetime");
	ASSERT_TRUE(validator_check_r1(&k, nonce, &in, v, sizeof(v)), "previous secret accepted");
	validator_rotate(&k, 60000);
	ASSERT_FALSE(validator_check_r1(&k, nonce, &in, v, sizeof(v)), "two generations old refused");
}
