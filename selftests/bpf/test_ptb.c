// SPDX-License-Identifier: GPL-2.0
/*
 * Egress packet that fits the device MTU but not with the Shim6 header:
 * answered with a local ICMPv6 Packet Too Big (MTU - 8) redirected to our
 * own ingress.  bpf_check_mtu() needs a device with a small MTU, so the
 * program runs in a child in a private network namespace with a veth
 * pair (no traffic leaves it); the child sends its results back.
 */
#include "selftests/runner.h"
#include "selftests/bpf/dp.h"
#include "selftests/bpf/fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEV_MTU 1300

struct ptb_result {
	int status;		/* 0 ran, 1 setup failed, 2 no dummy device */
	char why[128];
	struct {
		uint32_t retval, out_len;
		uint64_t ptb, rewritten, too_big;
		uint8_t out[2048];
	} run[2];
};

static void child(int fd, const struct pb *big, const struct pb *small)
{
	static struct ptb_result res;
	struct dp dp;
	struct dp_ctx c2 = {
		.ulid_local = pb_addr(A1), .ulid_peer = pb_addr(B2),
		.loc_local = pb_addr(A2), .loc_peer = pb_addr(B3),
		.local_tag = TAG2_LOCAL, .peer_tag = TAG2_PEER,
	};
	const struct pb *pk[2] = { big, small };
	struct shim6_cfg cfg = {};

	if (unshare(CLONE_NEWNET)) {
		res.status = 1;
		snprintf(res.why, sizeof(res.why), "unshare: %m");
		goto out;
	}
	if (system("ip link add shim6ptb0 type veth peer name shim6ptb1 2>/dev/null && "
		   "ip link set shim6ptb0 mtu 1300 up 2>/dev/null")) {
		res.status = 2;
		snprintf(res.why, sizeof(res.why), "no veth device in a private netns");
		goto out;
	}
	c2.ifindex = if_nametoindex("shim6ptb0");
	if (dp_open(&dp, 0) || dp_ctx_add(&dp, &c2) || dp_cfg_set(&dp, &cfg)) {
		res.status = 1;
		snprintf(res.why, sizeof(res.why), "load/fill failed");
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		static struct dp_run r;

		memset(&r, 0, sizeof(r));
		dp_count_reset(&dp);
		r.in = pk[i]->d;
		r.in_len = pk[i]->len;
		if (dp_run_tc(bpf_program__fd(dp.eg->progs.shim6_egress), &r)) {
			res.status = 1;
			snprintf(res.why, sizeof(res.why), "test_run failed");
			break;
		}
		res.run[i].retval = r.retval;
		res.run[i].out_len = r.out_len;
		memcpy(res.run[i].out, r.out, r.out_len < 2048 ? r.out_len : 2048);
		res.run[i].ptb = dp_count(&dp, SHIM6_PASS_PTB_SENT);
		res.run[i].rewritten = dp_count(&dp, SHIM6_PASS_REWRITTEN);
		res.run[i].too_big = dp_count(&dp, SHIM6_DROP_TOO_BIG);
	}
	dp_close(&dp);
out:
	if (write(fd, &res, sizeof(res)) != sizeof(res))
		_exit(1);
	_exit(0);
}

TEST(egress_ptb)
{
	static struct ptb_result res;
	struct pb big, small, want;
	int fds[2], st;
	pid_t pid;

	if (!runner_is_root()) {
		SKIP("needs root");
		return;
	}
	/* an IPv6 packet of exactly the device MTU: fits, but not with +8 */
	fx_build(&big, A1, B2, "udp,pay1252", 0, NULL, NULL);
	fx_build(&small, A1, B2, "udp,pay1244", 0, NULL, NULL);	/* MTU - 8: fits */
	if (!ASSERT_EQ(big.len - 14, DEV_MTU, "packet size") || !ASSERT_OK(pipe(fds), "pipe"))
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], &big, &small);
	}
	close(fds[1]);
	st = read(fds[0], &res, sizeof(res)) == sizeof(res);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	if (!ASSERT_TRUE(st, "child result"))
		return;
	if (res.status == 2) {
		SKIP("%s", res.why);
		return;
	}
	if (!ASSERT_EQ(res.status, 0, res.why))
		return;

	SUBTEST("too big after the push: local packet too big");
	/* eth to ourselves | ipv6 B2 -> A1 | PTB MTU 1292 | first 1232 bytes of the packet */
	{
		struct in6_addr s = pb_addr(B2), d = pb_addr(A1);
		uint8_t mac[12];

		pb_init(&want);
		pb_eth(&want);
		memcpy(mac, want.d, 12);
		memcpy(want.d, mac + 6, 6);
		memcpy(want.d + 6, mac, 6);
		pb_ipv6(&want, &s, &d);
		want.d[14 + 7] = 255;
		pb_icmp6(&want, 2, 0, DEV_MTU - 8);
		pb_bytes(&want, big.d + 14, 1280 - 48);
		pb_finish(&want, NULL, NULL);
	}
	ASSERT_EQ(res.run[0].retval, TC_ACT_REDIRECT, "verdict (to our ingress)");
	ASSERT_MEMEQ(res.run[0].out, res.run[0].out_len, want.d, want.len, "packet too big");
	ASSERT_EQ(res.run[0].ptb, 1, "PASS_PTB_SENT");
	ASSERT_EQ(res.run[0].too_big, 0, "DROP_TOO_BIG");

	SUBTEST("MTU - 8 fits: rewritten");
	ASSERT_EQ(res.run[1].retval, TC_ACT_REDIRECT, "verdict (by locator)");
	ASSERT_EQ(res.run[1].out_len, small.len + 8, "pushed");
	ASSERT_EQ(res.run[1].rewritten, 1, "PASS_REWRITTEN");
}
