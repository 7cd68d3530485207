// SPDX-License-Identifier: GPL-2.0
/*
 * REAP (RFC 5534) unit tests: two REAP instances, A and B, on a fake clock
 * and a fake network of address pairs that can be cut per direction or made
 * lossy (seeded PRNG).  Every Keepalive and Probe goes through the real
 * encoder and decoder (wire/).  The "applications" update the FBD stamps
 * the way the data plane does: a payload sent stamps the sender's
 * last_send (and send_start if it is the first since the last receive), and
 * the receiver's last_recv if the pair carries it.
 *
 * The assertions are about behaviour (which state, which pair, whether
 * something was sent at all), and, on the fake clock, the probe schedule.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/reap.h"
#include "selftests/runner.h"
#include "wire/shim6_wire.h"

#define TICK_MS		10
#define MAX_LOCS	3
#define QMAX		256

struct host {
	struct reap r;
	uint64_t tag;			/* our context tag */
	uint64_t last_send, last_recv;	/* FBD stamps */
	uint64_t send_start;		/* first send after the last receive */
	bool	no_send_start;		/* a data plane without send_start (0) */
	uint64_t deadline;		/* armed REAP timer, 0 none */
	int	nl;
	uint8_t	locs[MAX_LOCS][16];
	bool	app_sends;		/* sends a payload every traffic_ms */
	int	path_sets;		/* io->path_set calls */
	int	nprobe_times;
	uint64_t probe_times[64];	/* when our probes left */
};

struct qmsg {
	int	to;
	uint8_t	src[16], dst[16];
	uint8_t	buf[SHIM6_MAX_HDR_LEN];
	size_t	len;
};

struct net {
	uint64_t now;
	struct host h[2];
	/* per-address cuts: packets from (src) / to (dst) this address vanish */
	bool	cut_from[2][MAX_LOCS], cut_to[2][MAX_LOCS];
	unsigned int loss_pct;		/* every packet, both kinds */
	uint64_t rng;
	uint32_t traffic_ms;
	struct qmsg q[QMAX];
	int	nq;
	int	decode_errors;
};

static uint32_t rnd(void *arg)
{
	struct net *n = arg;

	/* xorshift64*: reproducible from the seed */
	n->rng ^= n->rng >> 12;
	n->rng ^= n->rng << 25;
	n->rng ^= n->rng >> 27;
	return (uint32_t)((n->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static int host_of(struct net *n, struct reap *r)
{
	return r == &n->h[0].r ? 0 : 1;
}

static int loc_index(const struct host *h, const uint8_t a[16])
{
	for (int i = 0; i < h->nl; i++)
		if (!memcmp(h->locs[i], a, 16))
			return i;
	return -1;
}

/* Does a packet from host `from` (src) to the other host (dst) arrive? */
static bool path_ok(struct net *n, int from, const uint8_t src[16], const uint8_t dst[16])
{
	int to = 1 - from;
	int si = loc_index(&n->h[from], src), di = loc_index(&n->h[to], dst);

	if (si < 0 || di < 0)
		return false;
	return !n->cut_from[from][si] && !n->cut_to[to][di];
}

static bool delivered(struct net *n, int from, const uint8_t src[16], const uint8_t dst[16])
{
	if (!path_ok(n, from, src, dst))
		return false;
	return !n->loss_pct || rnd(n) % 100 >= n->loss_pct;
}

/* ---- reap_io ---- */

static uint64_t io_now(void *arg)
{
	return ((struct net *)arg)->now;
}

static int io_send(void *arg, struct reap *r, const uint8_t src[16], const uint8_t dst[16],
		   const void *buf, size_t len)
{
	struct net *n = arg;
	int from = host_of(n, r);
	struct shim6_msg m;
	struct qmsg *q;

	if (shim6_msg_decode(buf, len, 0, &m, NULL) == 0 && m.type == SHIM6_TYPE_PROBE) {
		struct host *h = &n->h[from];

		if (h->nprobe_times < 64)
			h->probe_times[h->nprobe_times++] = n->now;
	}
	if (!delivered(n, from, src, dst) || n->nq >= QMAX || len > sizeof(q->buf))
		return 0;
	q = &n->q[n->nq++];
	q->to = 1 - from;
	memcpy(q->src, src, 16);
	memcpy(q->dst, dst, 16);
	memcpy(q->buf, buf, len);
	q->len = len;
	return 0;
}

static void io_timer_set(void *arg, struct reap *r, uint64_t delay_ms)
{
	struct net *n = arg;

	/* timers fire on ticks: round up */
	delay_ms = (delay_ms + TICK_MS - 1) / TICK_MS * TICK_MS;
	n->h[host_of(n, r)].deadline = n->now + (delay_ms ? delay_ms : TICK_MS);
}

static int io_fbd(void *arg, struct reap *r, uint64_t *s, uint64_t *rv, uint64_t *start)
{
	struct net *n = arg;
	struct host *h = &n->h[host_of(n, r)];

	*s = h->last_send;
	*rv = h->last_recv;
	*start = h->no_send_start ? 0 : h->send_start;
	return 0;
}

static int io_locators(void *arg, struct reap *r, uint8_t (*local)[16], int *nl,
		       uint8_t (*peer)[16], int *np, int max)
{
	struct net *n = arg;
	int me = host_of(n, r);

	if (n->h[me].nl > max || n->h[1 - me].nl > max)
		return -1;
	memcpy(local, n->h[me].locs, (size_t)n->h[me].nl * 16);
	memcpy(peer, n->h[1 - me].locs, (size_t)n->h[1 - me].nl * 16);
	*nl = n->h[me].nl;
	*np = n->h[1 - me].nl;
	return 0;
}

static int io_path_set(void *arg, struct reap *r, const uint8_t local[16], const uint8_t peer[16])
{
	struct net *n = arg;

	(void)local;
	(void)peer;
	n->h[host_of(n, r)].path_sets++;
	return 0;
}

static const struct reap_io test_io = {
	.now_ms = io_now,
	.send = io_send,
	.timer_set = io_timer_set,
	.fbd = io_fbd,
	.locators = io_locators,
	.path_set = io_path_set,
	.random = rnd,
};

/* ---- the simulation ---- */

static void addr(uint8_t a[16], int site, int isp)
{
	char s[64];

	snprintf(s, sizeof(s), "2001:db8:%d%d::%d", isp + 1, site, site + 10);
	inet_pton(AF_INET6, s, a);
}

/* A and B, `nl` addresses each (one per ISP), current pair = first addresses. */
static void net_init(struct net *n, int nl, uint64_t seed, uint32_t tsend_a, uint32_t tsend_b)
{
	memset(n, 0, sizeof(*n));
	n->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	n->now = 100000;
	n->traffic_ms = 100;
	for (int i = 0; i < 2; i++) {
		n->h[i].nl = nl;
		n->h[i].tag = 0x100 + (uint64_t)i;
		for (int k = 0; k < nl; k++)
			addr(n->h[i].locs[k], i, k);
	}
	reap_init(&n->h[0].r, &test_io, n, NULL, n->h[1].tag, n->h[0].locs[0], n->h[1].locs[0],
		  tsend_a, 0);
	reap_init(&n->h[1].r, &test_io, n, NULL, n->h[0].tag, n->h[1].locs[0], n->h[0].locs[0],
		  tsend_b, 0);
	reap_start(&n->h[0].r);
	reap_start(&n->h[1].r);
}

static void net_fini(struct net *n)
{
	reap_fini(&n->h[0].r);
	reap_fini(&n->h[1].r);
}

static void deliver(struct net *n)
{
	struct qmsg q[QMAX];
	int nq = n->nq;

	memcpy(q, n->q, (size_t)nq * sizeof(q[0]));
	n->nq = 0;
	for (int i = 0; i < nq; i++) {
		struct host *h = &n->h[q[i].to];
		struct shim6_msg m;
		uint64_t tag;

		if (shim6_msg_decode(q[i].buf, q[i].len, 0, &m, NULL)) {
			n->decode_errors++;
			continue;
		}
		tag = m.type == SHIM6_TYPE_PROBE ? m.probe.recv_tag : m.keepalive.recv_tag;
		if (tag != h->tag) {
			n->decode_errors++;
			continue;
		}
		reap_input(&h->r, &m, q[i].src, q[i].dst);
	}
}

static void run_for(struct net *n, uint64_t ms)
{
	uint64_t end = n->now + ms;

	while (n->now < end) {
		n->now += TICK_MS;
		deliver(n);
		if (n->now % n->traffic_ms == 0) {
			for (int i = 0; i < 2; i++) {
				struct host *h = &n->h[i];

				if (!h->app_sends)
					continue;
				/* the data plane sends on REAP's current pair
				 * (bpf/lib/fbd.h shim6_fbd_sent) */
				h->last_send = n->now;
				if (h->send_start <= h->last_recv)
					h->send_start = n->now;
				if (delivered(n, i, h->r.cur.local, h->r.cur.peer))
					n->h[1 - i].last_recv = n->now;
			}
		}
		for (int i = 0; i < 2; i++)
			if (n->h[i].deadline && n->h[i].deadline <= n->now) {
				n->h[i].deadline = 0;
				reap_timer(&n->h[i].r);
			}
	}
}

/* Both directions carry payload again, on the pairs REAP chose. */
static bool flowing(struct net *n)
{
	return path_ok(n, 0, n->h[0].r.cur.local, n->h[0].r.cur.peer) &&
	       path_ok(n, 1, n->h[1].r.cur.local, n->h[1].r.cur.peer);
}

/* ---- tests ---- */

TEST(reap_pair_order)
{
	uint8_t l[3][16], p[3][16];
	struct reap_pair out[9], failed;
	bool first_seen[9] = { false };
	int distinct = 0;
	struct net n = { .rng = 7 };

	for (int k = 0; k < 3; k++) {
		addr(l[k], 0, k);
		addr(p[k], 1, k);
	}
	memcpy(failed.local, l[0], 16);
	memcpy(failed.peer, p[0], 16);
	for (int seed = 0; seed < 64; seed++) {
		int cnt = reap_order_pairs((const uint8_t (*)[16])l, 3, (const uint8_t (*)[16])p, 3,
					   NULL, &failed, rnd, &n, out, 9);

		if (!ASSERT_EQ(cnt, 9, "every pair"))
			return;
		for (int i = 0; i < 9; i++) {
			int shared = !memcmp(out[i].local, failed.local, 16) +
				     !memcmp(out[i].peer, failed.peer, 16);
			int group = i < 4 ? 0 : i < 8 ? 1 : 2;

			if (!ASSERT_EQ(shared, group, "pairs sharing nothing first, failed pair last"))
				return;
		}
		for (int i = 0; i < 9; i++) {
			int li = -1, pi = -1;

			for (int k = 0; k < 3; k++) {
				if (!memcmp(out[0].local, l[k], 16))
					li = k;
				if (!memcmp(out[0].peer, p[k], 16))
					pi = k;
			}
			if (i == 0 && !first_seen[li * 3 + pi]) {
				first_seen[li * 3 + pi] = true;
				distinct++;
			}
		}
	}
	ASSERT_EQ(distinct, 4, "each share-nothing pair comes first for some seed (random order)");
}

/*
 * Locator Preferences (RFC 5533 §5.15.3, priority as in DNS SRV: lower
 * first) order the pairs inside each share-nothing group; equal priorities
 * keep their random order.
 */
TEST(reap_pair_order_preferences)
{
	uint8_t l[3][16], p[3][16];
	uint8_t prio[3] = { 0, 9, 2 };	/* p[2] preferred to p[1] */
	struct reap_pair out[9], failed;
	struct net n = { .rng = 11 };
	int first_local[3] = { 0 };

	for (int k = 0; k < 3; k++) {
		addr(l[k], 0, k);
		addr(p[k], 1, k);
	}
	memcpy(failed.local, l[0], 16);
	memcpy(failed.peer, p[0], 16);
	for (int seed = 0; seed < 64; seed++) {
		int cnt = reap_order_pairs((const uint8_t (*)[16])l, 3, (const uint8_t (*)[16])p, 3,
					   prio, &failed, rnd, &n, out, 9);

		if (!ASSERT_EQ(cnt, 9, "every pair"))
			return;
		/* group 0 = (l1|l2) x (p1|p2): both p2 pairs, then both p1 pairs */
		for (int i = 0; i < 4; i++)
			if (!ASSERT_MEMEQ(out[i].peer, 16, p[i < 2 ? 2 : 1], 16,
					  "preferred peer locator first within the group"))
				return;
		if (!ASSERT_MEMEQ(out[8].peer, 16, failed.peer, 16, "failed pair still last"))
			return;
		for (int k = 0; k < 3; k++)
			if (!memcmp(out[0].local, l[k], 16))
				first_local[k]++;
	}
	ASSERT_TRUE(first_local[1] > 0 && first_local[2] > 0,
		    "equal priorities keep a random order (both local locators come first)");
}

TEST(reap_two_way_traffic_no_keepalives)
{
	struct net n;

	net_init(&n, 2, 1, 0, 0);
	n.h[0].app_sends = n.h[1].app_sends = true;
	run_for(&n, 300000);
	ASSERT_EQ(n.h[0].r.st.keepalives_sent + n.h[1].r.st.keepalives_sent, 0,
		  "no keepalive while both sides send");
	ASSERT_EQ(n.h[0].r.st.explorations + n.h[1].r.st.explorations, 0, "no exploration");
	ASSERT_EQ(n.h[0].r.st.probes_sent + n.h[1].r.st.probes_sent, 0, "no probe");
	ASSERT_EQ(n.decode_errors, 0, "every message decodes");
	net_fini(&n);
}

TEST(reap_one_way_traffic_keepalives)
{
	struct net n;

	net_init(&n, 2, 2, 0, 0);
	n.h[0].app_sends = true;	/* A streams to B, B's application is silent */
	run_for(&n, 300000);
	ASSERT_TRUE(n.h[1].r.st.keepalives_sent >= 10, "the silent receiver sends keepalives");
	ASSERT_EQ(n.h[0].r.st.keepalives_sent, 0, "the sender sends none");
	ASSERT_TRUE(n.h[0].r.st.keepalives_recvd + 1 >= n.h[1].r.st.keepalives_sent,
		    "they arrive (one may be in flight)");
	ASSERT_EQ(n.h[0].r.st.explorations + n.h[1].r.st.explorations, 0,
		  "keepalives keep the sender from exploring");
	ASSERT_EQ(n.h[0].r.state, REAP_OPERATIONAL, "A operational");
	net_fini(&n);
}

/*
 * When both stop, whoever received last owes the other a few keepalives
 * (its Keepalive Timer runs out, §4.1); after that, silence.
 */
TEST(reap_idle_sends_nothing)
{
	uint64_t ka;
	struct net n;

	net_init(&n, 2, 3, 0, 0);
	n.h[0].app_sends = n.h[1].app_sends = true;
	run_for(&n, 20000);
	n.h[0].app_sends = n.h[1].app_sends = false;
	run_for(&n, 30000);
	ka = n.h[0].r.st.keepalives_sent + n.h[1].r.st.keepalives_sent;
	ASSERT_TRUE(ka <= 6, "at most one Keepalive Timer's worth each");
	run_for(&n, 600000);
	ASSERT_EQ(n.h[0].r.st.keepalives_sent + n.h[1].r.st.keepalives_sent, ka,
		  "no keepalive once idle");
	ASSERT_EQ(n.h[0].r.st.probes_sent + n.h[1].r.st.probes_sent, 0, "no probe");
	net_fini(&n);
}

/* Cut everything to and from A's first address: both sides move off it. */
TEST(reap_full_failure_recovers)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct net n;

		if (!SUBTEST("seed %llu", (unsigned long long)seed))
			continue;
		net_init(&n, 2, seed, 0, 0);
		n.h[0].app_sends = n.h[1].app_sends = true;
		run_for(&n, 30000);
		n.cut_from[0][0] = n.cut_to[0][0] = true;
		run_for(&n, 120000);
		ASSERT_EQ(n.h[0].r.state, REAP_OPERATIONAL, "A operational again");
		ASSERT_EQ(n.h[1].r.state, REAP_OPERATIONAL, "B operational again");
		ASSERT_TRUE(memcmp(n.h[0].r.cur.local, n.h[0].locs[0], 16) != 0,
			    "A no longer sends from the cut address");
		ASSERT_TRUE(memcmp(n.h[1].r.cur.peer, n.h[0].locs[0], 16) != 0,
			    "B no longer sends to the cut address");
		ASSERT_TRUE(flowing(&n), "both directions carry payload on the chosen pairs");
		ASSERT_TRUE(n.h[0].path_sets >= 1 && n.h[1].path_sets >= 1,
			    "the new pairs went to the data plane on both sides");
		ASSERT_TRUE(n.h[0].r.st.explorations + n.h[1].r.st.explorations >= 1,
			    "a Send Timeout started it");
		ASSERT_TRUE(n.h[0].r.st.recoveries >= 1 && n.h[1].r.st.recoveries >= 1,
			    "both count the exploration that ended (recovery time valid)");
		ASSERT_TRUE(n.h[0].last_recv + 1000 > n.now && n.h[1].last_recv + 1000 > n.now,
			    "payload arrives on both sides");
		ASSERT_EQ(n.decode_errors, 0, "every message decodes");
		net_fini(&n);
	}
}

/*
 * A's first address cannot send (uplink cut) and A's second cannot
 * receive: A -> B must leave from A2, B -> A must go to A1.  Each direction
 * ends on its own pair.
 */
TEST(reap_unidirectional_different_pairs)
{
	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct net n;

		if (!SUBTEST("seed %llu", (unsigned long long)seed))
			continue;
		net_init(&n, 2, seed, 0, 0);
		n.h[0].app_sends = n.h[1].app_sends = true;
		run_for(&n, 30000);
		n.cut_from[0][0] = true;
		n.cut_to[0][1] = true;
		run_for(&n, 120000);
		ASSERT_EQ(n.h[0].r.state, REAP_OPERATIONAL, "A operational again");
		ASSERT_EQ(n.h[1].r.state, REAP_OPERATIONAL, "B operational again");
		ASSERT_MEMEQ(n.h[0].r.cur.local, 16, n.h[0].locs[1], 16, "A sends from A2");
		ASSERT_MEMEQ(n.h[1].r.cur.peer, 16, n.h[0].locs[0], 16, "B sends to A1");
		ASSERT_TRUE(flowing(&n), "both directions carry payload");
		ASSERT_TRUE(n.h[0].last_recv + 1000 > n.now && n.h[1].last_recv + 1000 > n.now,
			    "payload arrives on both sides");
		net_fini(&n);
	}
}

TEST(reap_lossy_no_exploration)
{
	for (uint64_t k = 0; k < 12; k++) {
		uint64_t seed = k % 6 + 1;
		uint32_t jitter = k < 6 ? 0 : 10;
		struct net n;

		if (!SUBTEST("30%% loss, seed %llu, jitter %u%%", (unsigned long long)seed, jitter))
			continue;
		net_init(&n, 2, seed, 0, 0);
		reap_set_jitter(&n.h[0].r, jitter);
		reap_set_jitter(&n.h[1].r, jitter);
		n.h[0].app_sends = n.h[1].app_sends = true;
		n.loss_pct = 30;
		run_for(&n, 600000);
		ASSERT_EQ(n.h[0].r.st.explorations + n.h[1].r.st.explorations, 0,
			  "lossy but alive: no exploration");
		ASSERT_EQ(n.h[0].path_sets + n.h[1].path_sets, 0, "no path change");
		net_fini(&n);
	}
}

TEST(reap_restore_no_switch)
{
	struct net n;
	uint64_t changes, expl;
	struct reap_pair a, b;

	net_init(&n, 2, 5, 0, 0);
	n.h[0].app_sends = n.h[1].app_sends = true;
	run_for(&n, 30000);
	n.cut_from[0][0] = n.cut_to[0][0] = true;
	run_for(&n, 120000);
	if (!ASSERT_TRUE(flowing(&n), "recovered"))
		return;
	changes = n.h[0].r.st.path_changes + n.h[1].r.st.path_changes;
	expl = n.h[0].r.st.explorations + n.h[1].r.st.explorations;
	a = n.h[0].r.cur;
	b = n.h[1].r.cur;
	n.cut_from[0][0] = n.cut_to[0][0] = false;	/* link back */
	run_for(&n, 300000);
	ASSERT_EQ(n.h[0].r.st.path_changes + n.h[1].r.st.path_changes, changes,
		  "restoring the link changes no pair");
	ASSERT_EQ(n.h[0].r.st.explorations + n.h[1].r.st.explorations, expl, "no new exploration");
	ASSERT_MEMEQ(&n.h[0].r.cur, sizeof(a), &a, sizeof(a), "A's pair kept");
	ASSERT_MEMEQ(&n.h[1].r.cur, sizeof(b), &b, sizeof(b), "B's pair kept");
	net_fini(&n);
}

/* Initial Probe Timeout 0.5 s for 4 probes, then doubling up to 60 s (§4.3, §7). */
TEST(reap_probe_backoff)
{
	static const uint64_t want[] = { 500, 500, 500, 1000, 2000, 4000, 8000, 16000, 32000,
					 60000, 60000 };
	struct net n;

	net_init(&n, 2, 4, 0, 0);
	n.h[0].app_sends = true;
	for (int k = 0; k < 2; k++)
		n.cut_from[1][k] = n.cut_to[1][k] = true;	/* B unreachable */
	run_for(&n, 400000);
	if (!ASSERT_TRUE(n.h[0].nprobe_times >= 12, "A keeps probing"))
		return;
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!ASSERT_EQ(n.h[0].probe_times[i + 1] - n.h[0].probe_times[i], want[i],
			       "gap between probes"))
			break;
	ASSERT_EQ(n.h[0].r.state, REAP_EXPLORING, "still exploring");
	net_fini(&n);
}

/*
 * A's Send Timeout is 3 s.  Unless B learns it from the Keepalive Timeout
 * option, B keeps the default 15 s / 3 = 5 s between keepalives, and A,
 * streaming one way, explores for nothing.  With the option (through the
 * wire encoding of an Update Request), B's keepalives come every second.
 */
TEST(reap_keepalive_timeout_option)
{
	for (int told = 0; told < 2; told++) {
		struct net n;

		if (!SUBTEST("%s", told ? "option sent" : "no option"))
			continue;
		net_init(&n, 2, 9, 3000, 0);
		if (told) {
			struct shim6_msg m, d;
			uint8_t buf[256];
			const struct shim6_opt *o;
			ssize_t len;

			if (!ASSERT_EQ(reap_ka_option_seconds(&n.h[0].r), 3, "announced seconds"))
				continue;
			shim6_msg_init(&m, SHIM6_TYPE_UPDATE_REQ);
			m.update.recv_tag = n.h[1].tag;
			m.update.req_nonce = 1;
			shim6_msg_add_ka_timeout(&m, reap_ka_option_seconds(&n.h[0].r));
			len = shim6_msg_encode(&m, buf, sizeof(buf));
			if (!ASSERT_TRUE(len > 0, "encode") ||
			    !ASSERT_OK(shim6_msg_decode(buf, (size_t)len, 0, &d, NULL), "decode"))
				continue;
			o = shim6_msg_find_opt(&d, SHIM6_OPT_KA_TIMEOUT);
			if (!ASSERT_OK_PTR(o, "Keepalive Timeout option"))
				continue;
			reap_set_peer_ka_timeout(&n.h[1].r, o->u.ka_timeout);
		}
		n.h[0].app_sends = true;
		run_for(&n, 120000);
		if (told)
			ASSERT_EQ(n.h[0].r.st.explorations, 0, "no false failure");
		else
			ASSERT_TRUE(n.h[0].r.st.explorations > 0,
				    "without the option the short Send Timeout fires");
		net_fini(&n);
	}
}

TEST(reap_ka_option_values)
{
	struct reap r;
	uint8_t a[16] = { 0 };

	reap_init(&r, NULL, NULL, NULL, 1, a, a, 0, 0);
	ASSERT_EQ(reap_ka_option_seconds(&r), 0, "default Send Timeout: no option needed");
	ASSERT_EQ(reap_ka_interval(&r), 5000, "Keepalive Interval = 15 s / 3");
	ASSERT_EQ(reap_set_send_timeout(&r, 100), -ERANGE, "below 0.2 s refused");
	ASSERT_OK(reap_set_send_timeout(&r, 200), "0.2 s accepted");
	ASSERT_EQ(reap_ka_option_seconds(&r), 1, "sub-second announced as 1 s");
	ASSERT_OK(reap_set_send_timeout(&r, 30000), "30 s");
	ASSERT_EQ(reap_ka_option_seconds(&r), 30, "30 s announced");
	reap_set_peer_ka_timeout(&r, 9);
	ASSERT_EQ(reap_ka_interval(&r), 3000, "a third of the peer's 9 s");
	reap_set_ka_interval(&r, 700);
	ASSERT_EQ(reap_ka_interval(&r), 700, "configured interval wins");
	reap_fini(&r);
}

/* ---- §4.1 randomisation of the timeouts ---- */

TEST(reap_jitter_bounds)
{
	if (SUBTEST("extremes of the random draw")) {
		ASSERT_EQ(reap_jitter(10000, 10, 10, 0), 9000, "rnd 0: 1 - 10 %");
		ASSERT_EQ(reap_jitter(10000, 10, 10, UINT32_MAX), 10999, "rnd max: just under +10 %");
		ASSERT_EQ(reap_jitter(10000, 10, 0, UINT32_MAX), 9999, "below only: never above");
		ASSERT_EQ(reap_jitter(10000, 0, 0, 12345), 10000, "0 %: exact");
		ASSERT_EQ(reap_jitter(10000, 10, 10, 1u << 31), 10000, "middle draw: the base");
	}
	if (SUBTEST("range check")) {
		struct reap r;
		uint8_t a[16] = { 0 };

		reap_init(&r, NULL, NULL, NULL, 1, a, a, 0, 0);
		ASSERT_EQ(r.jitter_pct, 0, "exact by default");
		ASSERT_EQ(reap_set_jitter(&r, 51), -ERANGE, "above 50 % refused");
		ASSERT_OK(reap_set_jitter(&r, 50), "50 % accepted");
		reap_fini(&r);
	}
}

/*
 * With 10 % randomisation (seeded), the probe gaps stay within
 * [0.9, 1.1] x the schedule of reap_probe_backoff, and they are not all the
 * schedule's values (the randomisation is applied).  Tick rounding: +10 ms.
 */
TEST(reap_jitter_probe_schedule)
{
	static const uint64_t want[] = { 500, 500, 500, 1000, 2000, 4000, 8000, 16000, 32000,
					 60000, 60000 };
	unsigned int differ = 0;
	struct net n;

	net_init(&n, 2, 4, 0, 0);
	reap_set_jitter(&n.h[0].r, 10);
	n.h[0].app_sends = true;
	for (int k = 0; k < 2; k++)
		n.cut_from[1][k] = n.cut_to[1][k] = true;	/* B unreachable */
	run_for(&n, 500000);
	if (!ASSERT_TRUE(n.h[0].nprobe_times >= 12, "A keeps probing"))
		return;
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t gap = n.h[0].probe_times[i + 1] - n.h[0].probe_times[i];

		if (!ASSERT_TRUE(gap >= want[i] * 9 / 10 && gap <= want[i] * 11 / 10 + TICK_MS,
				 "gap within ±10 % of the schedule")) {
			fprintf(stderr, "gap %u: %llu ms, schedule %llu ms\n", i,
				(unsigned long long)gap, (unsigned long long)want[i]);
			break;
		}
		differ += gap != want[i];
	}
	ASSERT_TRUE(differ >= 5, "the gaps are randomised");
	net_fini(&n);
}

/*
 * The Send Timer: A streams one way to a B that never answers (B's
 * direction is cut), Send Timeout 2 s, 10 %: the exploration starts between
 * 1.8 s and 2.2 s after the first unanswered payload, over several seeds,
 * and not always at the same moment.
 */
TEST(reap_jitter_send_timer)
{
	uint64_t first = 0;
	bool varied = false;

	for (uint64_t seed = 1; seed <= 8; seed++) {
		struct net n;
		uint64_t start, t;

		if (!SUBTEST("seed %llu", (unsigned long long)seed))
			continue;
		net_init(&n, 1, seed, 2000, 0);
		reap_set_jitter(&n.h[0].r, 10);
		for (int k = 0; k < 1; k++)
			n.cut_from[1][k] = true;		/* B -> A lost */
		n.h[0].app_sends = true;
		start = n.now + n.traffic_ms - n.now % n.traffic_ms;	/* first payload */
		while (!n.h[0].r.st.explorations && n.now < start + 10000)
			run_for(&n, TICK_MS);
		t = n.now - start;
		/* the timer is read at its deadline, ticks round up; the idle look can add one read */
		ASSERT_TRUE(n.h[0].r.st.explorations == 1, "exploration started");
		ASSERT_TRUE(t >= 1800, "not before 0.9 x Send Timeout");
		ASSERT_TRUE(t <= 2200 + 1000 + TICK_MS,
			    "not after 1.1 x Send Timeout + one idle look");
		if (!first)
			first = t;
		else if (t != first)
			varied = true;
		net_fini(&n);
	}
	ASSERT_TRUE(varied, "the detection time varies with the random draws");
}

/*
 * Steady two-way traffic (a payload every 100 ms each way) with Send
 * Timeout `tsend` on both sides and no jitter, then A's first address cut
 * both ways `offset` ms into the run: how long after the first unanswered
 * payload does the first side start exploring?  `legacy`: a data plane
 * without the send_start stamp.
 */
static uint64_t detect_after_cut(uint64_t seed, uint32_t tsend, uint64_t offset, bool legacy)
{
	struct net n;
	uint64_t first, t;

	net_init(&n, 2, seed, tsend, tsend);
	n.h[0].no_send_start = n.h[1].no_send_start = legacy;
	n.h[0].app_sends = n.h[1].app_sends = true;
	run_for(&n, 30000 + offset);
	n.cut_from[0][0] = n.cut_to[0][0] = true;
	/* the next payload (every 100 ms, both sides) is the first unanswered one */
	first = n.now + n.traffic_ms - n.now % n.traffic_ms;
	while (!n.h[0].r.st.explorations && !n.h[1].r.st.explorations && n.now < first + 60000)
		run_for(&n, TICK_MS);
	t = n.now - first;
	net_fini(&n);
	return t;
}

/*
 * RFC 5534 §4.1: the Send Timer starts at the first payload sent after the
 * last one received and fires Send Timeout later, whenever REAP happens to
 * read the stamps.  Send Timeout 10 s, the cut at a different moment of
 * REAP's read cycle for each run: exploring starts Send Timeout after the
 * first unanswered payload (plus two 10 ms ticks), not up to twice that.
 */
TEST(reap_send_timer_from_first_unanswered_send)
{
	for (uint64_t k = 0; k < 10; k++) {
		uint64_t t;

		if (!SUBTEST("cut %llu s into a read cycle", (unsigned long long)k))
			continue;
		t = detect_after_cut(k + 1, 10000, k * 1000 + 50, false);
		if (!ASSERT_TRUE(t >= 10000 && t <= 10000 + 2 * TICK_MS,
				 "exactly Send Timeout after the first unanswered payload"))
			fprintf(stderr, "detected %llu ms after it\n", (unsigned long long)t);
	}
}

/*
 * A data plane that does not give the Send Timer's start (0): REAP starts
 * it at the first send it sees after the last receive: late, never early,
 * so detection falls between Send Timeout and twice that (and is late for
 * most cut moments: what the stamp is for).
 */
TEST(reap_send_timer_without_start_stamp)
{
	int late = 0;

	for (uint64_t k = 0; k < 10; k++) {
		uint64_t t = detect_after_cut(k + 1, 10000, k * 1000 + 50, true);

		ASSERT_TRUE(t >= 10000 && t <= 2 * 10000 + 2 * TICK_MS,
			    "between Send Timeout and twice that after the first unanswered payload");
		late += t > 10000 + 500;
	}
	ASSERT_TRUE(late >= 5, "without the stamp most cuts are detected late");
}
