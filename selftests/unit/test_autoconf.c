// SPDX-License-Identifier: GPL-2.0
/*
 * shim6d autoconf: the Router Advertisement parser (wire/nd_ra.c), the
 * RFC 4862 §5.5.3 rules (slaac.c), the persisted parameters (acstore.c),
 * the [autoconf] config keys, and CGA generation off the event loop
 * (acgen.c): the loop answers a request while a Sec 2 generation runs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <event2/event.h>

#include "crypto/cga.h"
#include "ctl/shim6d/acgen.h"
#include "ctl/shim6d/acstore.h"
#include "ctl/shim6d/config.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/slaac.h"
#include "ctl/shim6d/slaac_handover.h"
#include "selftests/runner.h"
#include "selftests/unit/crypto_helpers.h"
#include "wire/nd_ra.h"

/* ---- RA builder ------------------------------------------------------------ */

struct rabuf {
	uint8_t b[1500];
	size_t len;
};

static void ra_init(struct rabuf *r)
{
	memset(r, 0, sizeof(*r));
	r->b[0] = ND_RA_TYPE;
	r->b[4] = 64;			/* cur hop limit */
	r->b[6] = 0x07, r->b[7] = 0x08;	/* router lifetime 1800 */
	r->len = ND_RA_HDR_LEN;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

static void ra_prefix(struct rabuf *r, const char *pfx, uint8_t plen, uint8_t flags,
		      uint32_t valid, uint32_t pref)
{
	uint8_t *o = r->b + r->len;

	memset(o, 0, 32);
	o[0] = ND_OPT_PREFIX_INFO;
	o[1] = 4;
	o[2] = plen;
	o[3] = flags;
	put32(o + 4, valid);
	put32(o + 8, pref);
	inet_pton(AF_INET6, pfx, o + 16);
	r->len += 32;
}

/* source link-layer address option (type 1), 8 octets */
static void ra_sllao(struct rabuf *r)
{
	uint8_t *o = r->b + r->len;

	memset(o, 0, 8);
	o[0] = 1;
	o[1] = 1;
	o[2] = 0x02;
	r->len += 8;
}

TEST(nd_ra_parse_valid)
{
	struct rabuf r;
	struct nd_ra ra;
	uint8_t want[16];

	ra_init(&r);
	ra_sllao(&r);
	ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 3600, 1800);
	ra_prefix(&r, "2001:db8:2::", 64, 0x40, ND_LIFETIME_INFINITY, 0);
	if (!ASSERT_OK(nd_ra_parse(r.b, r.len, &ra), "parse"))
		return;
	ASSERT_EQ(ra.router_lifetime, 1800, "router lifetime");
	ASSERT_EQ(ra.cur_hop_limit, 64, "hop limit");
	if (!ASSERT_EQ(ra.n_prefixes, 2, "two prefixes"))
		return;
	inet_pton(AF_INET6, "2001:db8:1::", want);
	ASSERT_MEMEQ(ra.prefixes[0].prefix, 16, want, 16, "prefix 1");
	ASSERT_EQ(ra.prefixes[0].len, 64, "len");
	ASSERT_TRUE(ra.prefixes[0].onlink && ra.prefixes[0].autonomous, "L and A");
	ASSERT_EQ(ra.prefixes[0].valid, 3600, "valid");
	ASSERT_EQ(ra.prefixes[0].preferred, 1800, "preferred");
	ASSERT_FALSE(ra.prefixes[1].onlink, "prefix 2 not on-link");
	ASSERT_TRUE(ra.prefixes[1].autonomous, "prefix 2 autonomous");
	ASSERT_EQ(ra.prefixes[1].valid, ND_LIFETIME_INFINITY, "infinite");
}

TEST(nd_ra_parse_malformed)
{
	struct rabuf r;
	struct nd_ra ra;

	if (SUBTEST("empty")) {
		ASSERT_EQ(nd_ra_parse(r.b, 0, &ra), -EBADMSG, "empty");
	}
	if (SUBTEST("short: 15 octets")) {
		ra_init(&r);
		ASSERT_EQ(nd_ra_parse(r.b, 15, &ra), -EBADMSG, "15 octets");
	}
	if (SUBTEST("header only is fine")) {
		ra_init(&r);
		ASSERT_OK(nd_ra_parse(r.b, r.len, &ra), "16 octets");
		ASSERT_EQ(ra.n_prefixes, 0, "no prefix");
	}
	if (SUBTEST("wrong type (RS)")) {
		ra_init(&r);
		r.b[0] = ND_RS_TYPE;
		ASSERT_EQ(nd_ra_parse(r.b, r.len, &ra), -EBADMSG, "type 133");
	}
	if (SUBTEST("code not 0")) {
		ra_init(&r);
		r.b[1] = 1;
		ASSERT_EQ(nd_ra_parse(r.b, r.len, &ra), -EBADMSG, "code 1");
	}
	if (SUBTEST("option of length 0")) {
		ra_init(&r);
		ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		r.b[r.len] = 1, r.b[r.len + 1] = 0;
		r.len += 8;
		ASSERT_EQ(nd_ra_parse(r.b, r.len, &ra), -EBADMSG, "len 0");
		ASSERT_EQ(ra.n_prefixes, 0, "nothing used from a bad RA");
	}
	if (SUBTEST("option overruns the message")) {
		ra_init(&r);
		ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		ASSERT_EQ(nd_ra_parse(r.b, r.len - 1, &ra), -EBADMSG, "truncated prefix option");
	}
	if (SUBTEST("one stray octet after the options")) {
		ra_init(&r);
		ra_sllao(&r);
		r.b[r.len++] = 3;
		ASSERT_EQ(nd_ra_parse(r.b, r.len, &ra), -EBADMSG, "stray octet");
	}
	if (SUBTEST("prefix option with length 2 is skipped")) {
		ra_init(&r);
		r.b[r.len] = ND_OPT_PREFIX_INFO, r.b[r.len + 1] = 2;
		r.len += 16;
		ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		if (ASSERT_OK(nd_ra_parse(r.b, r.len, &ra), "parse")) {
			ASSERT_EQ(ra.bad_prefix_opts, 1, "counted");
			ASSERT_EQ(ra.n_prefixes, 1, "the good one kept");
		}
	}
	if (SUBTEST("prefix option with length 5 is skipped")) {
		ra_init(&r);
		ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		r.b[ND_RA_HDR_LEN + 1] = 5;
		r.len += 8;
		if (ASSERT_OK(nd_ra_parse(r.b, r.len, &ra), "parse")) {
			ASSERT_EQ(ra.bad_prefix_opts, 1, "counted");
			ASSERT_EQ(ra.n_prefixes, 0, "not used");
		}
	}
	if (SUBTEST("more prefixes than kept")) {
		int i;

		ra_init(&r);
		for (i = 0; i < ND_RA_MAX_PREFIXES + 3; i++)
			ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		if (ASSERT_OK(nd_ra_parse(r.b, r.len, &ra), "parse")) {
			ASSERT_EQ(ra.n_prefixes, ND_RA_MAX_PREFIXES, "kept");
			ASSERT_EQ(ra.dropped_prefixes, 3, "dropped counted");
		}
	}
	if (SUBTEST("every truncation of a valid RA")) {
		size_t n;
		int bad = 0;

		ra_init(&r);
		ra_sllao(&r);
		ra_prefix(&r, "2001:db8:1::", 64, 0xc0, 10, 10);
		/* only the lengths that end on an option boundary parse */
		for (n = 0; n < r.len; n++)
			if (nd_ra_parse(r.b, n, &ra) == 0 && n != ND_RA_HDR_LEN && n != ND_RA_HDR_LEN + 8)
				bad++;
		ASSERT_EQ(bad, 0, "truncations accepted");
	}
}

TEST(nd_ra_source)
{
	uint8_t ll[16], gl[16];

	inet_pton(AF_INET6, "fe80::1", ll);
	inet_pton(AF_INET6, "2001:db8::1", gl);
	ASSERT_TRUE(nd_ra_source_ok(ll, 255), "link-local, 255");
	ASSERT_FALSE(nd_ra_source_ok(ll, 254), "forwarded once");
	ASSERT_FALSE(nd_ra_source_ok(ll, -1), "hop limit unknown");
	ASSERT_FALSE(nd_ra_source_ok(gl, 255), "global source");
}

/* ---- RFC 4862 rules ------------------------------------------------------- */

static struct nd_ra_prefix pfx(const char *a, uint8_t len, bool autonomous, uint32_t valid,
			       uint32_t pref)
{
	struct nd_ra_prefix p = { .len = len, .onlink = true, .autonomous = autonomous,
				  .valid = valid, .preferred = pref };

	inet_pton(AF_INET6, a, p.prefix);
	return p;
}

TEST(slaac_prefix_check)
{
	static const struct {
		const char *a;
		uint8_t len;
		bool autonomous;
		uint32_t valid, pref;
		enum slaac_verdict want;
	} t[] = {
		{ "2001:db8:1::", 64, true, 3600, 1800, SLAAC_USE },
		{ "2001:db8:1::", 64, true, 0, 0, SLAAC_USE },	/* withdrawal: used */
		{ "2001:db8:1::", 64, false, 3600, 1800, SLAAC_NOT_AUTONOMOUS },
		{ "fe80::", 64, true, 3600, 1800, SLAAC_LINK_LOCAL },
		{ "febf::", 64, true, 3600, 1800, SLAAC_LINK_LOCAL },
		{ "fec0::", 64, true, 3600, 1800, SLAAC_USE },	/* not fe80::/10 */
		{ "ff02::", 64, true, 3600, 1800, SLAAC_MULTICAST },
		{ "2001:db8:1::", 64, true, 10, 11, SLAAC_PREFERRED_GT_VALID },
		{ "2001:db8:1::", 48, true, 3600, 1800, SLAAC_PREFIX_LEN },
		{ "2001:db8:1::", 200, true, 3600, 1800, SLAAC_PREFIX_LEN },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nd_ra_prefix p = pfx(t[i].a, t[i].len, t[i].autonomous, t[i].valid,
					    t[i].pref);

		SUBTEST("%s/%u A=%d %u/%u -> %s", t[i].a, t[i].len, t[i].autonomous, t[i].valid,
			t[i].pref, slaac_verdict_name(t[i].want));
		ASSERT_EQ(slaac_prefix_check(&p), t[i].want, "verdict");
	}
}

TEST(slaac_valid_lifetime)
{
	static const struct {
		uint32_t received, remaining;
		bool rule;
		uint32_t want;
	} t[] = {
		/* §5.5.3 e) 1: above two hours, or above what remains: taken */
		{ 7201, 100, true, 7201 },
		{ 3600, 100, true, 3600 },
		{ ND_LIFETIME_INFINITY, 100, true, ND_LIFETIME_INFINITY },
		/* 2: two hours or less remain: ignored */
		{ 0, 100, true, 100 },
		{ 50, 100, true, 100 },
		{ 0, 7200, true, 7200 },
		/* 3: more than two hours remain: cut to two hours */
		{ 0, 86400, true, 7200 },
		{ 60, ND_LIFETIME_INFINITY, true, 7200 },
		/* without the rule the RA is believed */
		{ 0, 86400, false, 0 },
		{ 60, 86400, false, 60 },
		{ 0, 100, false, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		SUBTEST("received %u remaining %u two-hour-rule %d -> %u", t[i].received,
			t[i].remaining, t[i].rule, t[i].want);
		ASSERT_EQ(slaac_valid_lifetime(t[i].received, t[i].remaining, t[i].rule),
			  t[i].want, "valid lifetime");
	}
}

TEST(slaac_lifetime_clock)
{
	ASSERT_EQ(slaac_deadline(ND_LIFETIME_INFINITY, 5000), (long long)UINT64_MAX, "infinite");
	ASSERT_EQ(slaac_deadline(10, 5000), 15000, "10 s");
	ASSERT_EQ(slaac_remaining(UINT64_MAX, 1), ND_LIFETIME_INFINITY, "infinite remains");
	ASSERT_EQ(slaac_remaining(15000, 5000), 10, "10 s left");
	ASSERT_EQ(slaac_remaining(15000, 5999), 9, "rounded down");
	ASSERT_EQ(slaac_remaining(15000, 15000), 0, "expired");
	ASSERT_EQ(slaac_remaining(15000, 20000), 0, "past");
	ASSERT_EQ(slaac_preferred_lifetime(100, 50), 50, "preferred capped at valid");
	ASSERT_EQ(slaac_preferred_lifetime(0, 50), 0, "deprecated");
	ASSERT_EQ(slaac_preferred_lifetime(ND_LIFETIME_INFINITY, ND_LIFETIME_INFINITY),
		  ND_LIFETIME_INFINITY, "both infinite");
}

/* ---- persisted parameters --------------------------------------------------- */

/* any DER SEQUENCE passes as the key field: enough for CGA generation */
static const uint8_t fake_spki[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03 };
static const uint8_t other_spki[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x05 };

static void params_for(struct cga_params *p, const char *prefix, const uint8_t *spki,
		       size_t len)
{
	uint8_t a[16];

	memset(p, 0, sizeof(*p));
	inet_pton(AF_INET6, prefix, a);
	memcpy(p->prefix, a, 8);
	cga_params_set_pubkey(p, spki, len);
}

TEST(autoconf_store)
{
	struct cga_gen_opts o = { .sec = 1, .threads = 1 };
	static struct cga_params p, q;
	uint8_t addr[16], got[16], pfx[8];
	char dir[512], path[600];
	const char *why = NULL;

	snprintf(dir, sizeof(dir), "%s/acstore/sub", ct_tmpdir());
	params_for(&p, "2001:db8:1::", fake_spki, sizeof(fake_spki));
	if (!ASSERT_OK(cga_gen(&p, &o, addr, NULL), "cga_gen"))
		return;
	memcpy(pfx, p.prefix, 8);
	ASSERT_OK(acstore_path(dir, pfx, path, sizeof(path)), "path");
	ASSERT_TRUE(strstr(path, "/20010db800010000.params") != NULL, "file name from the prefix");
	ASSERT_EQ(acstore_load(dir, pfx, fake_spki, sizeof(fake_spki), 1, &q, got, &why), -ENOENT,
		  "nothing yet");
	if (!ASSERT_OK(acstore_save(dir, pfx, &p), "save (creates the directories)"))
		return;
	if (SUBTEST("same address back")) {
		ASSERT_OK(acstore_load(dir, pfx, fake_spki, sizeof(fake_spki), 1, &q, got, &why),
			  "load");
		ASSERT_MEMEQ(got, 16, addr, 16, "address");
		ASSERT_MEMEQ(q.modifier, 16, p.modifier, 16, "modifier");
		ASSERT_EQ(q.collision_count, p.collision_count, "collision count");
	}
	if (SUBTEST("another key: not used")) {
		ASSERT_EQ(acstore_load(dir, pfx, other_spki, sizeof(other_spki), 1, &q, got, &why),
			  -EINVAL, "other key");
		ASSERT_STREQ(why, "made with another key", "reason");
	}
	if (SUBTEST("a higher Sec than the modifier satisfies: not used")) {
		/* a Sec 1 modifier passes Sec 2 with probability 2^-16 */
		int r = acstore_load(dir, pfx, fake_spki, sizeof(fake_spki), 2, &q, got, &why);

		if (r == 0)
			SKIP("this modifier happens to satisfy Sec 2");
		else
			ASSERT_EQ(r, -EINVAL, "Sec 2");
	}
	if (SUBTEST("a file under another prefix's name: not used")) {
		uint8_t pfx2[8];
		char path2[600];

		memcpy(pfx2, pfx, 8);
		pfx2[5] = 2;
		acstore_path(dir, pfx2, path2, sizeof(path2));
		ASSERT_OK(rename(path, path2), "rename");
		ASSERT_EQ(acstore_load(dir, pfx2, fake_spki, sizeof(fake_spki), 1, &q, got, &why),
			  -EINVAL, "other prefix");
		ASSERT_STREQ(why, "made for another prefix", "reason");
		rename(path2, path);
	}
	if (SUBTEST("a truncated file: not used")) {
		ASSERT_OK(truncate(path, 20), "truncate");
		ASSERT_EQ(acstore_load(dir, pfx, fake_spki, sizeof(fake_spki), 1, &q, got, &why),
			  -EINVAL, "truncated");
	}
}

static int n_scanned;
static uint8_t scanned[4][8];

static void scan_fn(const uint8_t prefix[8], void *arg)
{
	if (n_scanned < 4)
		memcpy(scanned[n_scanned], prefix, 8);
	n_scanned++;
}

TEST(autoconf_store_scan)
{
	static struct cga_params p;
	char dir[512], junk[600];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/acscan", ct_tmpdir());
	params_for(&p, "2001:db8:7::", fake_spki, sizeof(fake_spki));
	if (!ASSERT_OK(acstore_save(dir, p.prefix, &p), "save"))
		return;
	/* names that are not <16 hex>.params are ignored */
	snprintf(junk, sizeof(junk), "%s/kernel-slaac.saved", dir);
	f = fopen(junk, "w");
	if (f)
		fclose(f);
	snprintf(junk, sizeof(junk), "%s/20010db80007000g.params", dir);
	f = fopen(junk, "w");
	if (f)
		fclose(f);
	n_scanned = 0;
	ASSERT_OK(acstore_scan(dir, scan_fn, NULL), "scan");
	if (ASSERT_EQ(n_scanned, 1, "one params file"))
		ASSERT_MEMEQ(scanned[0], 8, p.prefix, 8, "its prefix");
	ASSERT_EQ(acstore_scan("/nonexistent/shim6", scan_fn, NULL), -ENOENT, "no directory");
}

/* ---- configuration ------------------------------------------------------------ */

TEST(autoconf_config)
{
	struct config c;
	char err[256];
	int r;

	config_defaults(&c);
	ASSERT_FALSE(c.autoconf.enable, "off by default");
	ASSERT_EQ(c.autoconf.sec, 1, "Sec 1");
	ASSERT_EQ(c.autoconf.threads, 1, "one thread");
	ASSERT_TRUE(c.autoconf.two_hour_rule, "RFC 4862 two-hour rule");
	ASSERT_FALSE(c.autoconf.disable_kernel_slaac, "kernel SLAAC left alone");
	if (SUBTEST("every key")) {
		static const char t[] = "[autoconf]\nenable yes\nkey /k.pem\nsec 2\nthreads 0\n"
					"hba-set /set.params\n"
					"state-dir /var/x\ndisable-kernel-slaac yes\n"
					"two-hour-rule no\nsolicit no\npreference 7\n";

		config_defaults(&c);
		if (ASSERT_OK(config_parse_buf(&c, "t.conf", t, strlen(t), err, sizeof(err)), err)) {
			ASSERT_TRUE(c.autoconf.enable, "enable");
			ASSERT_STREQ(c.autoconf.key, "/k.pem", "key");
			ASSERT_STREQ(c.autoconf.hba_set, "/set.params", "hba-set");
			ASSERT_EQ(c.autoconf.sec, 2, "sec");
			ASSERT_EQ(c.autoconf.threads, 0, "threads");
			ASSERT_STREQ(c.autoconf.state_dir, "/var/x", "state-dir");
			ASSERT_TRUE(c.autoconf.disable_kernel_slaac, "disable-kernel-slaac");
			ASSERT_FALSE(c.autoconf.two_hour_rule, "two-hour-rule");
			ASSERT_FALSE(c.autoconf.solicit, "solicit");
			ASSERT_EQ(c.autoconf.preference, 7, "preference");
		}
	}
	if (SUBTEST("enable without a key")) {
		static const char t[] = "[daemon]\n[autoconf]\nenable yes\n[trigger]\n";

		config_defaults(&c);
		r = config_parse_buf(&c, "t.conf", t, strlen(t), err, sizeof(err));
		ASSERT_EQ(r, -EINVAL, "refused");
		ASSERT_TRUE(strstr(err, "t.conf:2:") && strstr(err, "key FILE"), err);
	}
	if (SUBTEST("sec 3")) {
		static const char t[] = "[autoconf]\nsec 3\n";

		config_defaults(&c);
		ASSERT_EQ(config_parse_buf(&c, "t.conf", t, strlen(t), err, sizeof(err)), -EINVAL,
			  "Sec 3 has no hash (RFC 4982)");
	}
	if (SUBTEST("argument")) {
		static const char t[] = "[autoconf eth0]\n";

		config_defaults(&c);
		ASSERT_EQ(config_parse_buf(&c, "t.conf", t, strlen(t), err, sizeof(err)), -EINVAL,
			  "no argument");
	}
}

/* ---- generation off the loop --------------------------------------------------- */

struct gen_result {
	bool done;
	int err;
	uint8_t addr[16];
	struct cga_params p;
	pthread_t thread;
};

static void on_done(struct acgen_job *j, void *arg)
{
	struct gen_result *r = arg;

	r->done = true;
	r->err = j->err;
	memcpy(r->addr, j->addr, 16);
	r->p = j->p;
	r->thread = pthread_self();
}

TEST(autoconf_gen_result_on_loop)
{
	static struct gen_result r;
	static struct cga_params p;
	struct event_base *base = event_base_new();
	struct acgen g;
	int loops = 0;

	if (!ASSERT_OK_PTR(base, "event base") || !ASSERT_OK(acgen_init(&g, base), "init"))
		return;
	memset(&r, 0, sizeof(r));
	params_for(&p, "2001:db8:1::", fake_spki, sizeof(fake_spki));
	if (!ASSERT_OK_PTR(acgen_start(&g, &p, 1, 1, on_done, &r), "start"))
		goto out;
	ASSERT_FALSE(r.done, "not done when start returns");
	/* the result is handed over by the loop, nowhere else */
	while (!r.done && loops++ < 1000000)
		event_base_loop(base, EVLOOP_ONCE);
	if (ASSERT_TRUE(r.done, "done")) {
		ASSERT_OK(r.err, "generation");
		ASSERT_TRUE(pthread_equal(r.thread, pthread_self()), "callback on the loop thread");
		ASSERT_EQ(cga_verify(r.addr, &r.p), CGA_OK, "the result is a CGA");
		ASSERT_EQ(cga_addr_sec(r.addr), 1, "Sec 1");
		ASSERT_EQ(g.running, 0, "no job left");
	}
out:
	acgen_fini(&g);
	event_base_free(base);
}

struct ping {
	int fd;
	bool answered;
	bool gen_done_when_answered;
	struct gen_result *r;
};

static void on_request(evutil_socket_t fd, short what, void *arg)
{
	struct ping *pg = arg;
	char buf[16];

	if (read(fd, buf, sizeof(buf)) <= 0)
		return;
	(void)!write(fd, "pong", 4);
	pg->answered = true;
	pg->gen_done_when_answered = pg->r->done;
}

TEST(autoconf_gen_loop_not_blocked)
{
	static struct gen_result r;
	static struct cga_params p;
	struct event_base *base = event_base_new();
	struct acgen_job *j;
	struct event *ev = NULL;
	struct ping pg = { .r = &r };
	struct acgen g;
	int sv[2] = { -1, -1 }, loops = 0;
	char buf[8] = { 0 };

	if (!ASSERT_OK_PTR(base, "event base") || !ASSERT_OK(acgen_init(&g, base), "init"))
		return;
	memset(&r, 0, sizeof(r));
	if (!ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair"))
		goto out;
	ev = event_new(base, sv[1], EV_READ | EV_PERSIST, on_request, &pg);
	event_add(ev, NULL);
	/* Sec 2: 2^32 Hash2 tries expected, minutes of work */
	params_for(&p, "2001:db8:1::", fake_spki, sizeof(fake_spki));
	j = acgen_start(&g, &p, 2, 1, on_done, &r);
	if (!ASSERT_OK_PTR(j, "start Sec 2"))
		goto out;
	/* a client request arrives while the generation runs */
	ASSERT_EQ(write(sv[0], "ping", 4), 4, "request");
	while (!pg.answered && loops++ < 1000000)
		event_base_loop(base, EVLOOP_ONCE);
	ASSERT_TRUE(pg.answered, "the loop answered the request");
	ASSERT_FALSE(pg.gen_done_when_answered, "while the generation was still running");
	ASSERT_EQ(read(sv[0], buf, 4), 4, "reply");
	ASSERT_STREQ(buf, "pong", "reply text");
	ASSERT_EQ(g.running, 1, "the job is still running");
	/* cancelled: the callback never runs, fini joins the thread */
	acgen_cancel(j);
out:
	if (ev)
		event_free(ev);
	acgen_fini(&g);
	ASSERT_FALSE(r.done, "no callback after cancel");
	if (sv[0] >= 0) {
		close(sv[0]);
		close(sv[1]);
	}
	event_base_free(base);
}

/* ---- SLAAC hand-over on a fake sysctl tree ------------------------------------ */

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int get_int(const char *dir, const char *dev)
{
	char path[700], buf[16] = { 0 };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/autoconf", dir, dev);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return atoi(buf);
}

TEST(slaac_handover)
{
	static const char devs[3][CONFIG_IFNAME_MAX] = { "eth0", "eth1", "nodev" };
	static struct slaac_handover h, h2;
	char sys[512], state[512], path[700];

	log_set_level(LOG_ERR);	/* the hand-over logs every device at info */
	snprintf(sys, sizeof(sys), "%s/ho-sys", ct_tmpdir());
	snprintf(state, sizeof(state), "%s/ho-state", ct_tmpdir());
	mkdir(sys, 0755);
	mkdir(state, 0755);
	snprintf(path, sizeof(path), "%s/eth0", sys);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/eth1", sys);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/eth0/autoconf", sys);
	put_file(path, "1\n");
	snprintf(path, sizeof(path), "%s/eth1/autoconf", sys);
	put_file(path, "2\n");
	snprintf(path, sizeof(path), "%s/" SLAAC_SAVED_FILE, state);

	if (SUBTEST("take and restore")) {
		ASSERT_EQ(slaac_handover_take(&h, sys, state, devs, 3), 2, "two devices (nodev skipped)");
		ASSERT_EQ(get_int(sys, "eth0"), 0, "eth0 off");
		ASSERT_EQ(get_int(sys, "eth1"), 0, "eth1 off");
		ASSERT_EQ(access(path, F_OK), 0, "originals saved");
		slaac_handover_restore(&h);
		ASSERT_EQ(get_int(sys, "eth0"), 1, "eth0 restored");
		ASSERT_EQ(get_int(sys, "eth1"), 2, "eth1 restored");
		ASSERT_TRUE(access(path, F_OK) != 0, "saved file removed");
	}
	if (SUBTEST("after a crash the originals come back, not the 0")) {
		ASSERT_EQ(slaac_handover_take(&h, sys, state, devs, 2), 2, "first instance");
		/* killed: no restore; the next instance finds 0 in the sysctls */
		ASSERT_EQ(slaac_handover_take(&h2, sys, state, devs, 2), 2, "second instance");
		slaac_handover_restore(&h2);
		ASSERT_EQ(get_int(sys, "eth0"), 1, "eth0 original");
		ASSERT_EQ(get_int(sys, "eth1"), 2, "eth1 original");
	}
}
