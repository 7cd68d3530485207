// SPDX-License-Identifier: GPL-2.0
/* CGA autoconfiguration from Router Advertisements; see autoconf.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <openssl/evp.h>

#include "crypto/cga.h"
#include "crypto/hba.h"
#include "crypto/key.h"
#include "ctl/common/utf8.h"
#include "ctl/shim6d/acgen.h"
#include "ctl/shim6d/acstore.h"
#include "ctl/shim6d/autoconf.h"
#include "ctl/shim6d/rtnl.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/slaac.h"
#include "ctl/shim6d/slaac_handover.h"
#include "wire/nd_ra.h"

struct autoconf;

struct ac_prefix {
	struct ac_prefix *next;
	struct autoconf *ac;
	uint8_t	prefix[8];
	uint8_t	addr[16];
	int	ifindex;		/* where it is (to be) configured */
	bool	ready;			/* params known, address computed, in the locator set */
	bool	configured;		/* we put it on the interface */
	bool	hba;			/* a member of the configured HBA set */
	bool	failed;			/* given up (three DAD collisions): no address */
	struct acgen_job *job;		/* generation running */
	uint64_t valid_until, pref_until;	/* monotonic ms, UINT64_MAX infinite */
	/* lifetimes of the RA that asked for the address while it is generated */
	uint32_t pend_valid, pend_pref;
	uint64_t pend_at;
	uint64_t gen_started;
};

struct ac_stats {
	uint64_t ra_rx, ra_bad, ra_unmanaged, prefixes_ignored, generated, gen_failed, loaded,
		 addr_set, addr_removed, addr_errors, collisions;
};

struct autoconf {
	struct config_autoconf cfg;
	struct locset *ls;
	int	n_ifaces;
	char	ifnames[CONFIG_MAX_IFACES][CONFIG_IFNAME_MAX];
	EVP_PKEY *key;
	uint8_t	spki[CGA_PUBKEY_MAX];
	size_t	spki_len;
	int	ra_fd;
	struct event *ev_ra;
	struct mnl_socket *nl;
	struct mnl_socket *mon;		/* address notifications: DAD failures */
	struct event *ev_mon;
	unsigned int seq;
	struct ac_prefix *prefixes;
	struct acgen gen;
	struct hba_set *hba;		/* [autoconf] hba-set, NULL if none */
	struct slaac_handover ho;
	struct ac_stats st;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *pfx_str(const uint8_t prefix[8], char *buf, size_t len)
{
	uint8_t a[16] = { 0 };

	memcpy(a, prefix, 8);
	inet_ntop(AF_INET6, a, buf, len);
	strncat(buf, "/64", len - strlen(buf) - 1);
	return buf;
}

static const char *addr_str(const uint8_t a[16], char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static bool managed(const struct autoconf *ac, int ifindex)
{
	char name[IF_NAMESIZE];
	int i;

	if (!if_indextoname((unsigned int)ifindex, name))
		return false;
	for (i = 0; i < ac->n_ifaces; i++)
		if (strcmp(ac->ifnames[i], name) == 0)
			return true;
	return false;
}

static struct ac_prefix *find(struct autoconf *ac, const uint8_t prefix[8])
{
	struct ac_prefix *e;

	for (e = ac->prefixes; e; e = e->next)
		if (memcmp(e->prefix, prefix, 8) == 0)
			return e;
	return NULL;
}

static struct ac_prefix *add_entry(struct autoconf *ac, const uint8_t prefix[8])
{
	struct ac_prefix *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	memcpy(e->prefix, prefix, 8);
	e->ac = ac;
	e->next = ac->prefixes;
	ac->prefixes = e;
	return e;
}

/* ---- rtnetlink: the address and its lifetimes ---------------------------- */

static int addr_msg(struct autoconf *ac, const struct ac_prefix *e, bool add, uint32_t valid,
		    uint32_t pref)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned int seq = ++ac->seq;
	ssize_t n;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned int)e->ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 16, e->addr);
	if (add) {
		/* the kernel counts both down and removes the address at 0 */
		struct ifa_cacheinfo ci = { .ifa_prefered = pref, .ifa_valid = valid };

		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	if (mnl_socket_sendto(ac->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(ac->nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(ac->nl), NULL, NULL) < 0)
		return -errno;
	return 0;
}

/*
 * Apply a received (valid, preferred) pair to a ready prefix: RFC 4862
 * §5.5.3 e) for an address we configured, the lifetimes as they are for a
 * new one.
 */
static void apply(struct autoconf *ac, struct ac_prefix *e, uint32_t rvalid, uint32_t rpref,
		  uint64_t now)
{
	char b[INET6_ADDRSTRLEN];
	uint32_t valid, pref;
	int err;

	if (e->configured && now >= e->valid_until)
		e->configured = false;	/* the kernel has expired it */
	valid = e->configured ? slaac_valid_lifetime(rvalid, slaac_remaining(e->valid_until, now),
						     ac->cfg.two_hour_rule)
			      : rvalid;
	if (valid == 0) {
		if (!e->configured)
			return;
		err = addr_msg(ac, e, false, 0, 0);
		if (err && err != -EADDRNOTAVAIL && err != -ENODEV) {
			ac->st.addr_errors++;
			log_warn("autoconf: cannot remove %s: %s", addr_str(e->addr, b),
				 strerror(-err));
			return;
		}
		e->configured = false;
		ac->st.addr_removed++;
		log_notice("autoconf: %s removed (prefix withdrawn: valid lifetime 0)",
			   addr_str(e->addr, b));
		return;
	}
	pref = slaac_preferred_lifetime(rpref, valid);
	err = addr_msg(ac, e, true, valid, pref);
	if (err) {
		ac->st.addr_errors++;
		log_warn("autoconf: cannot configure %s: %s", addr_str(e->addr, b), strerror(-err));
		return;
	}
	if (!e->configured)
		log_notice("autoconf: %s configured (valid %u s, preferred %u s)",
			   addr_str(e->addr, b), valid, pref);
	e->configured = true;
	e->valid_until = slaac_deadline(valid, now);
	e->pref_until = slaac_deadline(pref, now);
	ac->st.addr_set++;
}

/* ---- the locator set ------------------------------------------------------ */

/* The address's parameters into the locator set, before the address exists. */
static int to_locset(struct autoconf *ac, const struct cga_params *p, const uint8_t addr[16])
{
	uint8_t *buf;
	int n, err;

	if (locset_find(ac->ls, addr))
		return 0;	/* also an [address] section, or loaded earlier */
	buf = malloc(CGA_PARAMS_MAX);
	if (!buf)
		return -ENOMEM;
	n = cga_params_encode(p, buf, CGA_PARAMS_MAX);
	if (n < 0) {
		free(buf);
		return n;
	}
	/* the locator set owns a reference: same key file, one CGA signature */
	EVP_PKEY_up_ref(ac->key);
	err = locset_add(ac->ls, addr, buf, (size_t)n, ac->key, ac->cfg.key,
			 (uint8_t)ac->cfg.preference);
	if (err)
		EVP_PKEY_free(ac->key);
	free(buf);
	return err;
}

/* ---- generation ------------------------------------------------------------- */

static void on_generated(struct acgen_job *j, void *arg)
{
	struct ac_prefix *e = arg;
	struct autoconf *ac = e->ac;
	char b[INET6_ADDRSTRLEN], pb[64];
	uint64_t now = now_ms(), elapsed;
	uint32_t valid, pref;
	int err;

	e->job = NULL;
	if (j->err) {
		ac->st.gen_failed++;
		log_err("autoconf: CGA generation for %s failed: %s (next RA retries)",
			pfx_str(e->prefix, pb, sizeof(pb)), strerror(-j->err));
		return;
	}
	ac->st.generated++;
	memcpy(e->addr, j->addr, 16);
	log_notice("autoconf: CGA %s for %s generated (Sec %u, %llu Hash2 tries, %.3f s)",
		   addr_str(e->addr, b), pfx_str(e->prefix, pb, sizeof(pb)), ac->cfg.sec,
		   (unsigned long long)j->st.tries, j->st.seconds);
	err = acstore_save(ac->cfg.state_dir, e->prefix, &j->p);
	if (err)
		log_warn("autoconf: cannot save the parameters of %s in %s: %s (a restart "
			 "will make another address)", b, ac->cfg.state_dir, strerror(-err));
	err = to_locset(ac, &j->p, e->addr);
	if (err) {
		log_err("autoconf: %s not configured: the locator set refused it: %s", b,
			strerror(-err));
		return;
	}
	e->ready = true;
	/* the RA's lifetimes, minus the generation time */
	elapsed = (now - e->pend_at) / 1000;
	valid = e->pend_valid == ND_LIFETIME_INFINITY ? e->pend_valid
		: e->pend_valid > elapsed ? e->pend_valid - (uint32_t)elapsed : 0;
	pref = e->pend_pref == ND_LIFETIME_INFINITY ? e->pend_pref
		: e->pend_pref > elapsed ? e->pend_pref - (uint32_t)elapsed : 0;
	apply(ac, e, valid, pref, now);
}

static void start_generation(struct autoconf *ac, struct ac_prefix *e)
{
	struct cga_params *p = calloc(1, sizeof(*p));
	char pb[64];

	if (!p)
		return;
	memcpy(p->prefix, e->prefix, 8);
	if (cga_params_set_pubkey(p, ac->spki, ac->spki_len)) {
		free(p);
		return;
	}
	e->gen_started = now_ms();
	e->job = acgen_start(&ac->gen, p, ac->cfg.sec, ac->cfg.threads, on_generated, e);
	if (!e->job) {
		ac->st.gen_failed++;
		log_err("autoconf: cannot start a generation thread: %s", strerror(errno));
	} else {
		log_info("autoconf: generating a Sec %u CGA for %s", ac->cfg.sec,
			 pfx_str(e->prefix, pb, sizeof(pb)));
	}
	free(p);
}

/* ---- Router Advertisements ------------------------------------------------- */

/*
 * RFC 3972 §4 step 8: our address failed DAD.  The kernel deletes an
 * address with a finite lifetime whose DAD fails (RTM_DELADDR while still
 * tentative); the next collision count gives another address for the same
 * modifier (Hash2 does not cover the collision count: no new search).
 * After three collisions the prefix is given up.
 */
static void on_collision(struct autoconf *ac, struct ac_prefix *e)
{
	struct cga_params *p = malloc(sizeof(*p));
	char b[INET6_ADDRSTRLEN], nb[INET6_ADDRSTRLEN];
	uint8_t old[16], addr[16];
	uint64_t now = now_ms();
	int err;

	if (!p)
		return;
	ac->st.collisions++;
	e->configured = false;
	memcpy(old, e->addr, 16);
	addr_str(old, b);
	if (e->hba) {
		/* one collision count for the whole set (RFC 5535 §6 step 6.4) */
		log_err("autoconf: HBA %s failed DAD: regenerate the set with shim6ctl hba gen", b);
		e->failed = true;
		goto out;
	}
	err = acstore_load(ac->cfg.state_dir, e->prefix, ac->spki, ac->spki_len, ac->cfg.sec, p,
			   addr, NULL);
	if (err || memcmp(addr, old, 16) != 0) {
		log_err("autoconf: %s failed DAD and its parameters are gone from %s", b,
			ac->cfg.state_dir);
		e->failed = true;
		goto out;
	}
	if (p->collision_count >= CGA_COLLISIONS_MAX) {
		log_err("autoconf: %s failed DAD a third time: no address for this prefix "
			"(RFC 3972 §4 step 8)", b);
		e->failed = true;
		goto out;
	}
	p->collision_count++;
	cga_address(p, ac->cfg.sec, addr);
	log_warn("autoconf: %s failed DAD: collision count %u gives %s", b, p->collision_count,
		 addr_str(addr, nb));
	err = acstore_save(ac->cfg.state_dir, e->prefix, p);
	if (err)
		log_warn("autoconf: cannot save the parameters of %s: %s", nb, strerror(-err));
	err = to_locset(ac, p, addr);
	if (err) {
		log_err("autoconf: %s not configured: the locator set refused it: %s", nb,
			strerror(-err));
		e->failed = true;
		goto out;
	}
	memcpy(e->addr, addr, 16);
	/* what was left of the lifetimes */
	apply(ac, e, slaac_remaining(e->valid_until, now), slaac_remaining(e->pref_until, now),
	      now);
out:
	free(p);
}

static int mon_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct autoconf *ac = data;
	const uint8_t *addr;
	struct ac_prefix *e;
	uint32_t flags;
	int ifindex;

	if (nlh->nlmsg_type != RTM_DELADDR)
		return MNL_CB_OK;
	addr = rtnl_ifaddr(nlh, &ifindex, &flags);
	if (!addr)
		return MNL_CB_OK;
	if (!(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return MNL_CB_OK;	/* expired or removed after DAD: not a collision */
	for (e = ac->prefixes; e; e = e->next)
		if (e->configured && ifindex == e->ifindex && memcmp(e->addr, addr, 16) == 0) {
			on_collision(ac, e);
			break;
		}
	return MNL_CB_OK;
}

static void on_mon(evutil_socket_t fd, short what, void *arg)
{
	struct autoconf *ac = arg;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;

	while ((n = mnl_socket_recvfrom(ac->mon, buf, sizeof(buf))) > 0)
		mnl_cb_run(buf, (size_t)n, 0, 0, mon_msg_cb, ac);
}

/*
 * Parameters saved by an earlier generation (this run or another): true if
 * the file was usable (e->ready says whether the locator set took it).
 */
static bool from_store(struct autoconf *ac, struct ac_prefix *e)
{
	struct cga_params *p = malloc(sizeof(*p));
	char b[INET6_ADDRSTRLEN];
	bool ok = false;
	int err;

	if (!p)
		return false;
	if (acstore_load(ac->cfg.state_dir, e->prefix, ac->spki, ac->spki_len, ac->cfg.sec, p,
			 e->addr, NULL) == 0) {
		ok = true;
		err = to_locset(ac, p, e->addr);
		if (err)
			log_err("autoconf: %s not configured: the locator set refused it: %s",
				addr_str(e->addr, b), strerror(-err));
		else {
			e->ready = true;
			ac->st.loaded++;
		}
	}
	free(p);
	return ok;
}

static void on_prefix(struct autoconf *ac, int ifindex, const struct nd_ra_prefix *p)
{
	enum slaac_verdict v = slaac_prefix_check(p);
	uint64_t now = now_ms();
	struct ac_prefix *e;
	char pb[64];

	if (v != SLAAC_USE) {
		ac->st.prefixes_ignored++;
		log_debug("autoconf: prefix %s ignored: %s", pfx_str(p->prefix, pb, sizeof(pb)),
			  slaac_verdict_name(v));
		return;
	}
	e = find(ac, p->prefix);
	if (!e) {
		if (p->valid == 0)
			return;	/* §5.5.3 e): no address for it, nothing to remove */
		e = add_entry(ac, p->prefix);
		if (!e)
			return;
	}
	if (e->failed)
		return;
	if (!e->configured)
		e->ifindex = ifindex;
	else if (e->ifindex != ifindex)
		return;	/* the same prefix on another link: the first one keeps it */
	if (!e->ready && !e->job && p->valid && from_store(ac, e)) {
		if (!e->ready)
			return;	/* the locator set refused it: generating again will not help */
	} else if (!e->ready) {
		e->pend_valid = p->valid;
		e->pend_pref = p->preferred;
		e->pend_at = now;
		if (!e->job && p->valid)
			start_generation(ac, e);
		else if (e->job && !p->valid) {
			acgen_cancel(e->job);	/* withdrawn before it was ready */
			e->job = NULL;
		}
		return;
	}
	apply(ac, e, p->valid, p->preferred, now);
}

static void on_ra(evutil_socket_t fd, short what, void *arg)
{
	struct autoconf *ac = arg;
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	uint8_t buf[1500];
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh;
	struct cmsghdr *cm;
	struct nd_ra ra;
	ssize_t n;
	int i, k, ifindex, hop;

	for (k = 0; k < 32; k++) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &from;
		mh.msg_namelen = sizeof(from);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf.b;
		mh.msg_controllen = sizeof(cbuf.b);
		n = recvmsg(fd, &mh, 0);
		if (n < 0)
			return;
		ifindex = 0;
		hop = -1;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level != IPPROTO_IPV6)
				continue;
			if (cm->cmsg_type == IPV6_PKTINFO)
				ifindex = (int)((struct in6_pktinfo *)CMSG_DATA(cm))->ipi6_ifindex;
			else if (cm->cmsg_type == IPV6_HOPLIMIT)
				memcpy(&hop, CMSG_DATA(cm), sizeof(hop));
		}
		ac->st.ra_rx++;
		if (!managed(ac, ifindex)) {
			ac->st.ra_unmanaged++;
			continue;
		}
		if (!nd_ra_source_ok(from.sin6_addr.s6_addr, hop) ||
		    nd_ra_parse(buf, (size_t)n, &ra)) {
			ac->st.ra_bad++;
			continue;
		}
		for (i = 0; i < (int)ra.n_prefixes; i++)
			on_prefix(ac, ifindex, &ra.prefixes[i]);
	}
}

static int open_ra_socket(void)
{
	struct icmp6_filter f;
	int fd, on = 1, hops = 255, loop = 0;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_RA_TYPE, &f);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    /* Router Solicitations go out with hop limit 255 (RFC 4861 §6.3.7) */
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop, sizeof(loop)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* One Router Solicitation per interface, so a (re)start need not wait for the next RA. */
static void solicit(struct autoconf *ac)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	uint8_t rs[8];
	size_t len = nd_rs_encode(rs, sizeof(rs));
	unsigned int idx;
	int i;

	inet_pton(AF_INET6, "ff02::2", &dst.sin6_addr);
	for (i = 0; i < ac->n_ifaces; i++) {
		idx = if_nametoindex(ac->ifnames[i]);
		if (!idx)
			continue;
		if (setsockopt(ac->ra_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)) < 0 ||
		    sendto(ac->ra_fd, rs, len, 0, (struct sockaddr *)&dst, sizeof(dst)) < 0)
			log_info("autoconf: no Router Solicitation on %s: %s", ac->ifnames[i],
				 strerror(errno));
	}
}

/* ---- life cycle --------------------------------------------------------------- */

static void load_one(const uint8_t prefix[8], void *arg)
{
	struct autoconf *ac = arg;
	struct cga_params *p = malloc(sizeof(*p));
	struct ac_prefix *e;
	const char *why = "";
	uint8_t addr[16];
	char pb[64], b[INET6_ADDRSTRLEN];
	int err;

	if (!p)
		return;
	err = acstore_load(ac->cfg.state_dir, prefix, ac->spki, ac->spki_len, ac->cfg.sec, p,
			   addr, &why);
	if (err) {
		log_notice("autoconf: stored parameters for %s not used: %s",
			   pfx_str(prefix, pb, sizeof(pb)), why);
		free(p);
		return;
	}
	e = find(ac, prefix) ? NULL : add_entry(ac, prefix);
	if (e) {
		memcpy(e->addr, addr, 16);
		err = to_locset(ac, p, addr);
		if (err)
			log_warn("autoconf: %s not in the locator set: %s", addr_str(addr, b),
				 strerror(-err));
		else {
			e->ready = true;
			ac->st.loaded++;
			log_info("autoconf: %s for %s from %s", addr_str(addr, b),
				 pfx_str(prefix, pb, sizeof(pb)), ac->cfg.state_dir);
		}
	}
	free(p);
}

/*
 * RFC 5535: the prefixes of a CGA-compatible HBA set get the set's
 * addresses (no generation: the set is made once, with `shim6ctl hba gen
 * ... key`); a prefix outside the set gets a CGA with the same key, which
 * the set's owner can announce with a signature (RFC 5535 §5).
 */
static int load_hba_set(struct autoconf *ac)
{
	struct hba_set *set = calloc(1, sizeof(*set));
	struct cga_params *p = &set->params;
	const uint8_t *pfx;
	unsigned int n, i;
	bool pflag;
	char b[INET6_ADDRSTRLEN];
	int err;

	if (!set)
		return -ENOMEM;
	ac->hba = set;
	err = cga_params_read_file(ac->cfg.hba_set, p);
	if (err) {
		log_err("autoconf: hba-set %s: %s", ac->cfg.hba_set, strerror(-err));
		return err;
	}
	if (hba_multi_prefix_get(p, &pfx, &n, &pflag) || !pflag ||
	    p->pubkey_len != ac->spki_len || memcmp(p->pubkey, ac->spki, ac->spki_len) != 0) {
		log_err("autoconf: hba-set %s is not a CGA-compatible HBA set made with %s "
			"(shim6ctl hba gen prefixes ... key %s)", ac->cfg.hba_set, ac->cfg.key,
			ac->cfg.key);
		return -EINVAL;
	}
	err = hba_set_from_params(set, p, ac->cfg.sec);
	if (!err && hba_verify(set->addrs[0], p) != CGA_OK)
		err = -EINVAL;
	if (err) {
		log_err("autoconf: hba-set %s does not verify at Sec %u", ac->cfg.hba_set,
			ac->cfg.sec);
		return err ? err : -EINVAL;
	}
	for (i = 0; i < set->n; i++) {
		struct ac_prefix *e = add_entry(ac, set->prefixes[i]);

		if (!e)
			return -ENOMEM;
		memcpy(e->addr, set->addrs[i], 16);
		e->hba = true;
		err = to_locset(ac, p, e->addr);
		if (err) {
			log_err("autoconf: %s not in the locator set: %s", addr_str(e->addr, b),
				strerror(-err));
			return err;
		}
		e->ready = true;
	}
	log_info("autoconf: HBA set of %u prefixes from %s", set->n, ac->cfg.hba_set);
	return 0;
}

int autoconf_init(struct autoconf **out, struct event_base *base, const struct config *cfg,
		  struct locset *ls)
{
	struct autoconf *ac;
	char kerr[KEY_ERR_LEN];
	int i, n, err;

	*out = NULL;
	if (!cfg->autoconf.enable)
		return 0;
	ac = calloc(1, sizeof(*ac));
	if (!ac)
		return -ENOMEM;
	ac->cfg = cfg->autoconf;
	ac->ls = ls;
	ac->ra_fd = -1;
	ac->gen.pfd[0] = ac->gen.pfd[1] = -1;
	for (i = 0; i < cfg->n_ifaces; i++)
		snprintf(ac->ifnames[ac->n_ifaces++], CONFIG_IFNAME_MAX, "%s", cfg->ifaces[i].name);
	if (!ac->n_ifaces)
		log_warn("autoconf: no [interface] section: no Router Advertisement will be used");
	*out = ac;

	err = key_load_pem(ac->cfg.key, &ac->key, kerr, sizeof(kerr));
	if (err) {
		log_err("autoconf: key %s: %s", ac->cfg.key, kerr);
		return err;
	}
	n = key_spki(ac->key, ac->spki, sizeof(ac->spki));
	if (n < 0) {
		log_err("autoconf: cannot encode the public key of %s", ac->cfg.key);
		return n;
	}
	ac->spki_len = (size_t)n;
	err = acgen_init(&ac->gen, base);
	if (err)
		return err;
	if (ac->cfg.hba_set[0]) {
		err = load_hba_set(ac);
		if (err)
			return err;
	}
	err = acstore_scan(ac->cfg.state_dir, load_one, ac);
	if (err && err != -ENOENT)
		log_warn("autoconf: cannot read %s: %s", ac->cfg.state_dir, strerror(-err));

	ac->nl = mnl_socket_open(NETLINK_ROUTE);
	if (!ac->nl || mnl_socket_bind(ac->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		log_err("autoconf: rtnetlink: %s", strerror(-err));
		return err;
	}
	ac->mon = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!ac->mon ||
	    mnl_socket_bind(ac->mon, 1U << (RTNLGRP_IPV6_IFADDR - 1), MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		log_err("autoconf: rtnetlink monitor: %s", strerror(-err));
		return err;
	}
	ac->ev_mon = event_new(base, mnl_socket_get_fd(ac->mon), EV_READ | EV_PERSIST, on_mon, ac);
	if (!ac->ev_mon || event_add(ac->ev_mon, NULL))
		return -ENOMEM;
	if (ac->cfg.disable_kernel_slaac) {
		err = acstore_mkdir(ac->cfg.state_dir);
		if (err)
			log_warn("autoconf: state directory %s: %s", ac->cfg.state_dir,
				 strerror(-err));
		slaac_handover_take(&ac->ho, SLAAC_SYSCTL_DIR, ac->cfg.state_dir,
				    (const char (*)[CONFIG_IFNAME_MAX])ac->ifnames, ac->n_ifaces);
	}
	ac->ra_fd = open_ra_socket();
	if (ac->ra_fd < 0) {
		err = ac->ra_fd;
		log_err("autoconf: cannot open the ICMPv6 socket for Router Advertisements: %s",
			strerror(-err));
		return err;
	}
	ac->ev_ra = event_new(base, ac->ra_fd, EV_READ | EV_PERSIST, on_ra, ac);
	if (!ac->ev_ra || event_add(ac->ev_ra, NULL))
		return -ENOMEM;
	if (ac->cfg.solicit)
		solicit(ac);
	log_notice("autoconf: CGAs (Sec %u, key %s) from Router Advertisements on %d "
		   "interfaces; %llu addresses known from %s", ac->cfg.sec, ac->cfg.key,
		   ac->n_ifaces, (unsigned long long)ac->st.loaded, ac->cfg.state_dir);
	return 0;
}

void autoconf_fini(struct autoconf *ac)
{
	struct ac_prefix *e;

	if (!ac)
		return;
	acgen_fini(&ac->gen);	/* cancels and joins the generation threads */
	slaac_handover_restore(&ac->ho);
	if (ac->ev_ra)
		event_free(ac->ev_ra);
	if (ac->ra_fd >= 0)
		close(ac->ra_fd);
	if (ac->nl)
		mnl_socket_close(ac->nl);
	if (ac->ev_mon)
		event_free(ac->ev_mon);
	if (ac->mon)
		mnl_socket_close(ac->mon);
	while ((e = ac->prefixes)) {
		ac->prefixes = e->next;
		free(e);
	}
	EVP_PKEY_free(ac->key);
	free(ac->hba);
	free(ac);
}

/* ---- control socket ----------------------------------------------------------- */

static json_t *jlifetime(uint64_t until, uint64_t now)
{
	if (until == UINT64_MAX)
		return json_string("infinite");
	return json_integer(slaac_remaining(until, now));
}

json_t *autoconf_command(struct autoconf *ac, const char *cmd)
{
	json_t *arr, *o, *st;
	struct ac_prefix *e;
	uint64_t now = now_ms();
	char b[INET6_ADDRSTRLEN], pb[64], ifn[IF_NAMESIZE];

	if (strcmp(cmd, "autoconf-show") != 0)
		return NULL;
	if (!ac)
		return json_pack("{s:b, s:b}", "ok", 1, "enabled", 0);
	arr = json_array();
	for (e = ac->prefixes; e; e = e->next) {
		o = json_object();
		json_object_set_new(o, "prefix", json_string(pfx_str(e->prefix, pb, sizeof(pb))));
		json_object_set_new(o, "state", json_string(e->job ? "generating"
			: e->failed ? "failed" : e->configured ? "configured"
			: e->ready ? "ready" : "failed"));
		if (e->ready) {
			json_object_set_new(o, "address", json_string(addr_str(e->addr, b)));
			json_object_set_new(o, "kind", json_string(e->hba ? "hba" : "cga"));
		}
		if (e->ifindex && if_indextoname((unsigned int)e->ifindex, ifn))
			json_object_set_new(o, "interface", json_text(ifn));
		if (e->configured) {
			json_object_set_new(o, "valid_lifetime", jlifetime(e->valid_until, now));
			json_object_set_new(o, "preferred_lifetime", jlifetime(e->pref_until, now));
		}
		if (e->job)
			json_object_set_new(o, "hash2_tries",
					    json_integer((json_int_t)atomic_load(&e->job->tries)));
		json_array_append_new(arr, o);
	}
	st = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		       "ra_received", (json_int_t)ac->st.ra_rx,
		       "ra_bad", (json_int_t)ac->st.ra_bad,
		       "ra_unmanaged", (json_int_t)ac->st.ra_unmanaged,
		       "prefixes_ignored", (json_int_t)ac->st.prefixes_ignored,
		       "generated", (json_int_t)ac->st.generated,
		       "generation_failed", (json_int_t)ac->st.gen_failed,
		       "loaded", (json_int_t)ac->st.loaded,
		       "address_set", (json_int_t)ac->st.addr_set,
		       "address_removed", (json_int_t)ac->st.addr_removed,
		       "address_errors", (json_int_t)ac->st.addr_errors,
		       "dad_collisions", (json_int_t)ac->st.collisions);
	/* the paths are the configuration's bytes, not necessarily UTF-8 */
	return json_pack("{s:b, s:b, s:I, s:o, s:o, s:b, s:b, s:I, s:o, s:o}", "ok", 1, "enabled",
			 1, "sec", (json_int_t)ac->cfg.sec, "key", json_text(ac->cfg.key), "state_dir",
			 json_text(ac->cfg.state_dir), "kernel_slaac_disabled", ac->ho.n > 0,
			 "two_hour_rule", ac->cfg.two_hour_rule, "generating",
			 (json_int_t)ac->gen.running, "prefixes", arr, "stats", st);
}
