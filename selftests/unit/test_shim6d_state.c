// SPDX-License-Identifier: GPL-2.0
/* shim6d's persisted state: save, load (create / complete), stale entries ignored. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/shim6d/ctx.h"
#include "ctl/shim6d/state.h"
#include "selftests/runner.h"

static struct shim6_ctx *mk(struct ctx_table *t, const char *l, const char *p, uint64_t ptag)
{
	uint8_t a[16], b[16];
	struct shim6_ctx *c;

	inet_pton(AF_INET6, l, a);
	inet_pton(AF_INET6, p, b);
	c = ctx_create(t, a, b, 0);
	c->state = CTX_ESTABLISHED;
	ctx_set_peer_tag(t, c, ptag);
	return c;
}

TEST(shim6d_state_roundtrip)
{
	char path[] = "/tmp/shim6d-state-XXXXXX";
	struct ctx_table t, u;
	struct shim6_ctx *c, *r;
	int fd;

	fd = mkstemp(path);
	if (!ASSERT_TRUE(fd >= 0, "temp file"))
		return;
	close(fd);
	ctx_table_init(&t, 16);
	ctx_table_init(&u, 16);
	c = mk(&t, "2001:db8:a::1", "2001:db8:b::1", 0x1234);
	inet_pton(AF_INET6, "2001:db8:b::2", c->ls_peer[0].addr);
	c->ls_peer[0].method = 2;
	c->ls_peer[0].pref = 9;
	c->ls_peer[0].verified = 1;
	c->n_ls_peer = 1;
	inet_pton(AF_INET6, "2001:db8:a::2", c->ls_local[0]);
	c->n_ls_local = 1;
	c->peer_gen = 0xdeadbeef;
	c->peer_gen_valid = true;
	c->peer_pds = malloc(3);
	memcpy(c->peer_pds, "\x01\x02\x03", 3);
	c->peer_pds_len = 3;
	c->initiator = true;
	mk(&t, "2001:db8:a::1", "2001:db8:c::1", 0x5678)->state = CTX_I1_SENT; /* not saved */

	if (!ASSERT_OK(state_save(&t, path), "save"))
		goto out;
	SUBTEST("create from the file alone");
	ASSERT_EQ(state_load(&u, path, true, 0), 1, "one established context");
	r = ctx_find_tag(&u, c->ct_local);
	if (ASSERT_OK_PTR(r, "same tag")) {
		ASSERT_MEMEQ(r->ulid_peer, 16, c->ulid_peer, 16, "ULID peer");
		ASSERT_EQ(r->ct_peer, 0x1234, "peer tag");
		ASSERT_EQ(r->state, CTX_ESTABLISHED, "established");
		ASSERT_EQ(r->n_ls_peer, 1, "peer locators");
		ASSERT_EQ(r->ls_peer[0].method, 2, "method");
		ASSERT_EQ(r->ls_peer[0].pref, 9, "priority");
		ASSERT_EQ(r->n_ls_local, 1, "local locators");
		ASSERT_EQ(r->peer_gen, 0xdeadbeef, "generation");
		ASSERT_MEMEQ(r->peer_pds, r->peer_pds_len, "\x01\x02\x03", 3, "PDS");
		ASSERT_TRUE(r->initiator, "initiator");
	}
	ctx_table_destroy(&u, NULL, NULL);
	ctx_table_init(&u, 16);

	SUBTEST("complete only: contexts not in the maps are not created");
	ASSERT_EQ(state_load(&u, path, false, 0), 0, "nothing to complete");
	ASSERT_EQ(u.count, 0, "nothing created");

	SUBTEST("a stale entry (another peer tag for the tag) is ignored");
	r = calloc(1, sizeof(*r));
	memcpy(r->ulid_local, c->ulid_local, 16);
	memcpy(r->ulid_peer, c->ulid_peer, 16);
	r->ct_local = c->ct_local;
	r->state = CTX_ESTABLISHED;
	ctx_insert_with_tag(&u, r);
	ctx_set_peer_tag(&u, r, 0x9999);
	ASSERT_EQ(state_load(&u, path, false, 0), 0, "not completed");
	ASSERT_FALSE(r->peer_gen_valid, "no generation taken");
	ctx_set_peer_tag(&u, r, 0x1234);
	ASSERT_EQ(state_load(&u, path, false, 0), 1, "completed when it matches");
	ASSERT_EQ(r->peer_gen, 0xdeadbeef, "generation taken");

	SUBTEST("a corrupt file is refused");
	{
		FILE *f = fopen(path, "w");

		fputs("{\"version\": 1, \"contexts\": ", f);
		fclose(f);
		ASSERT_EQ(state_load(&u, path, true, 0), -EBADMSG, "refused");
	}
out:
	unlink(path);
	ctx_table_destroy(&t, NULL, NULL);
	ctx_table_destroy(&u, NULL, NULL);
}
