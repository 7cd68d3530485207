// SPDX-License-Identifier: GPL-2.0
/*
 * Context establishment, RFC 5533 §7 and Appendix B: I1/R1/I2/R2, the
 * stateless responder, concurrent establishment, R1bis/I2bis recovery,
 * context confusion, retransmission, E-FAILED and NO-SUPPORT.
 *
 * Messages are decoded and encoded by wire/ (checksum included).  I2,
 * I2bis and R2 carry our Locator List when our ULID has CGA/HBA parameters
 * (locset.c, signed once per generation); a peer's list is verified through
 * crypto/ before it is recorded (§7.2), and a message whose list does not
 * verify is dropped whole: no context forms on a forged list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/log.h"
#include "ctl/shim6d/reap_opt.h"
#include "ctl/shim6d/retrans.h"
#include "wire/shim6_wire.h"

#define IN6_STR 46

static const char *a6(const uint8_t a[16], char *buf)
{
	return inet_ntop(AF_INET6, a, buf, IN6_STR) ? buf : "?";
}

static bool addr_eq(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 16) == 0;
}

static uint32_t new_nonce(void)
{
	return randombytes_random();
}

static void set_state(struct shim6d *d, struct shim6_ctx *c, enum ctx_state s)
{
	enum ctx_state old = c->state;

	if (c->state == s)
		return;
	log_debug("context 0x%llx: %s -> %s", (unsigned long long)c->ct_local,
		  ctx_state_name(c->state), ctx_state_name(s));
	/* Leaving ESTABLISHED for anything but I2BIS-SENT: the maps must forget it. */
	if (c->in_maps && s != CTX_ESTABLISHED && s != CTX_I2BIS_SENT) {
		d->io->ctx_down(d->io_arg, c);
		c->in_maps = false;
	}
	c->state = s;
	c->retries = 0;
	core_moved_update(d, c);	/* R1/R2 lookup by locators when they are not the ULIDs */
	if (d->io->state_changed)
		d->io->state_changed(d->io_arg, c, (int)old);
}

static int send_msg(struct shim6d *d, struct shim6_msg *m, const uint8_t src[16],
		    const uint8_t dst[16])
{
	uint8_t buf[1280 - 40];
	struct pkt_info pi;
	ssize_t n;
	int err;

	n = shim6_msg_encode(m, buf, sizeof(buf));
	if (n < 0) {
		log_err("cannot encode %s: %s", shim6_msg_type_name(m->type),
			shim6_wire_strerror((int)n));
		d->st.tx_errors++;
		return -EINVAL;
	}
	memset(&pi, 0, sizeof(pi));
	memcpy(pi.src, src, 16);
	memcpy(pi.dst, dst, 16);
	err = d->io->send(d->io_arg, &pi, buf, (size_t)n);
	if (err) {
		char b[IN6_STR];

		log_warn("cannot send %s to %s: %s", shim6_msg_type_name(m->type), a6(dst, b),
			 strerror(-err));
		d->st.tx_errors++;
		return err;
	}
	d->st.tx++;
	d->st.tx_type[m->type & 127]++;
	return 0;
}

static void arm(struct shim6d *d, struct shim6_ctx *c, uint32_t base_ms)
{
	d->io->timer_set(d->io_arg, c, retrans_timeout_ms(base_ms, c->retries, 0));
}

/* Locators of I1/I2/I2bis differ from the ULIDs: the ULID Pair option is needed. */
static int add_ulid_opts(struct shim6_msg *m, const struct shim6_ctx *c)
{
	int err = 0;

	if (!addr_eq(c->lp_local, c->ulid_local) || !addr_eq(c->lp_peer, c->ulid_peer))
		err = shim6_msg_add_ulid_pair(m, c->ulid_local, c->ulid_peer);
	if (!err && c->fii)
		err = shim6_msg_add_fii(m, c->fii);
	return err;
}

/* The locators we announce for the context's ULID (besides the ULID itself). */
static void take_local_set(struct shim6_ctx *c, const struct locset_announce *an)
{
	unsigned int i;

	c->n_ls_local = 0;
	for (i = 0; i < an->n && i < CTX_MAX_LOCS; i++)
		if (!addr_eq(an->locs[i], c->ulid_local))
			memcpy(c->ls_local[c->n_ls_local++], an->locs[i], 16);
}

/*
 * Record our current set before the context reaches the maps: the responder
 * writes its maps before it sends the R2 that carries the set, and the data
 * plane must already accept payload sent to any of these locators.
 */
static void snapshot_local_set(struct shim6d *d, struct shim6_ctx *c)
{
	const struct locset_announce *an;

	if (!d->ls)
		return;
	an = locset_announce(d->ls, c->ulid_local);
	if (an && an->n)
		take_local_set(c, an);
}

/* Our Locator List, PDS and signature (I2, I2bis, R2), when the ULID has parameters. */
static int add_locators(struct shim6d *d, struct shim6_msg *m, struct shim6_ctx *c)
{
	const struct locset_announce *an;
	const struct locset_addr *ul;
	int err;

	/* REAP: our Send Timeout when not the default; always in an Update */
	if (reap_opt_add(d, c, m, m->type == SHIM6_TYPE_UPDATE_REQ))
		return -EINVAL;
	if (!d->ls)
		return 0;
	an = locset_announce(d->ls, c->ulid_local);
	ul = locset_find(d->ls, c->ulid_local);
	if (!an || !ul || !an->n)
		return 0;
	err = shim6_msg_add_loclist(m, an->gen, (uint8_t)an->n, an->methods,
				    (const uint8_t (*)[16])an->locs);
	if (!err)
		err = shim6_msg_add_cga_pds(m, ul->params, (uint16_t)ul->params_len);
	if (!err && an->sig_len)
		err = shim6_msg_add_cga_sig(m, an->sig, (uint16_t)an->sig_len);
	/* §5.15.3, element length 2: flags (none), priority (configured) */
	if (!err && an->any_pref)
		err = shim6_msg_add_locpref(m, an->gen, 2, (uint16_t)an->n, an->pref_elems);
	if (err)
		return -EINVAL;
	take_local_set(c, an);
	return 0;
}

/* A peer's Locator List, verified (RFC 5533 §7.2). */
struct peer_list {
	int n;
	uint32_t gen;
	struct ctx_loc locs[CTX_MAX_LOCS];
	const uint8_t *pds;		/* the verified PDS (points into the message) */
	uint16_t pds_len;
	uint16_t ka_timeout_s;		/* REAP Keepalive Timeout option, 0: none */
};

/*
 * 0: no list (the context uses the peer ULID only); 1: a verified list in
 * *pl; -EBADMSG: a list (or PDS) that does not verify: drop the message.
 */
static void send_error(struct shim6d *d, uint8_t code, uint32_t pointer, const uint8_t *buf,
		       size_t len, const struct pkt_info *pi);

/*
 * §7.2: a list that does not verify makes the whole message ignored, and
 * SHOULD get Error code 2 pointing at the verification method (the first
 * one; the PDS option when there is no list).  The sender then stops
 * retrying (recv_error) instead of retransmitting into a wall.  The I2 /
 * I2bis passed their validator already: an Error costs no state and no
 * amplification.
 */
static void list_error(struct shim6d *d, const struct shim6_msg *m, const uint8_t *buf,
		       size_t len, const struct pkt_info *pi)
{
	const struct shim6_opt *ll = shim6_msg_find_opt(m, SHIM6_OPT_LOC_LIST);
	const struct shim6_opt *pds = shim6_msg_find_opt(m, SHIM6_OPT_CGA_PDS);

	if (buf)
		send_error(d, SHIM6_ERR_VERIF_METHOD, ll ? ll->offset + 4 + 5 :
			   pds ? pds->offset : 0, buf, len, pi);
}

static int peer_list(struct shim6d *d, const struct shim6_msg *m, const uint8_t ulid_peer[16],
		     struct peer_list *pl, const uint8_t *buf, size_t len,
		     const struct pkt_info *pi)
{
	const struct shim6_opt *ll = shim6_msg_find_opt(m, SHIM6_OPT_LOC_LIST);
	const struct shim6_opt *pds = shim6_msg_find_opt(m, SHIM6_OPT_CGA_PDS);
	const struct shim6_opt *sig = shim6_msg_find_opt(m, SHIM6_OPT_CGA_SIG);
	const struct shim6_opt_loclist *l = ll ? &ll->u.loclist : NULL;
	unsigned int i;
	int err;

	pl->n = 0;
	pl->ka_timeout_s = reap_opt_get(m);
	pl->pds = NULL;
	if (!ll && !pds)
		return 0;
	if (!pds) {
		d->st.loclist_bad++;	/* a list without the parameters to check it */
		list_error(d, m, buf, len, pi);
		return -EBADMSG;
	}
	err = locset_verify_peer(ulid_peer, pds->data, pds->len, l ? l->gen : 0,
				 l ? l->locators : NULL, l ? l->methods : NULL, l ? l->count : 0,
				 sig ? sig->data : NULL, sig ? sig->len : 0);
	if (err) {
		char b[IN6_STR];

		log_notice("Locator List from %s does not verify: message dropped",
			   a6(ulid_peer, b));
		d->st.loclist_bad++;
		list_error(d, m, buf, len, pi);
		return -EBADMSG;
	}
	pl->pds = pds->data;
	pl->pds_len = pds->len;
	if (!l)
		return 0;
	d->st.loclist_ok++;
	pl->gen = l->gen;
	for (i = 0; i < l->count && pl->n < CTX_MAX_LOCS; i++) {
		struct ctx_loc *cl = &pl->locs[pl->n++];

		memcpy(cl->addr, shim6_loclist_locator(l, i), 16);
		cl->method = l->methods[i];
		cl->verified = 1;
		cl->pref = 0;
		cl->flags = 0;
	}
	/* Locator Preferences for this very list (same generation, same count) */
	{
		const struct shim6_opt *lp = shim6_msg_find_opt(m, SHIM6_OPT_LOC_PREF);

		if (lp && lp->u.locpref.gen == l->gen && lp->u.locpref.count == l->count)
			for (i = 0; i < l->count && i < CTX_MAX_LOCS; i++) {
				uint8_t w;

				shim6_locpref_get(&lp->u.locpref, i, &pl->locs[i].flags,
						  &pl->locs[i].pref, &w);
			}
	}
	return 1;
}

static bool list_has(const struct peer_list *pl, const uint8_t a[16])
{
	int i;

	for (i = 0; i < pl->n; i++)
		if (addr_eq(pl->locs[i].addr, a))
			return true;
	return false;
}

static void keep_pds(struct shim6_ctx *c, const struct peer_list *pl)
{
	uint8_t *p;

	if (!pl->pds || (c->peer_pds && c->peer_pds_len == pl->pds_len &&
			 memcmp(c->peer_pds, pl->pds, pl->pds_len) == 0))
		return;
	p = malloc(pl->pds_len);
	if (!p)
		return;
	memcpy(p, pl->pds, pl->pds_len);
	free(c->peer_pds);
	c->peer_pds = p;
	c->peer_pds_len = pl->pds_len;
}

static void set_peer_list(struct shim6_ctx *c, const struct peer_list *pl)
{
	keep_pds(c, pl);
	reap_opt_apply(c, pl->ka_timeout_s);
	if (!pl->n)
		return;
	memcpy(c->ls_peer, pl->locs, sizeof(pl->locs[0]) * pl->n);
	c->n_ls_peer = pl->n;
	c->peer_gen = pl->gen;
	c->peer_gen_valid = true;
}

/* ---- sending ----------------------------------------------------------- */

static int send_i1(struct shim6d *d, struct shim6_ctx *c)
{
	struct shim6_msg m;

	shim6_msg_init(&m, SHIM6_TYPE_I1);
	m.i1.init_tag = c->ct_local;
	m.i1.init_nonce = c->init_nonce;
	if (add_ulid_opts(&m, c))
		return -EINVAL;
	return send_msg(d, &m, c->lp_local, c->lp_peer);
}

static int send_i2(struct shim6d *d, struct shim6_ctx *c)
{
	struct shim6_msg m;

	shim6_msg_init(&m, SHIM6_TYPE_I2);
	m.i2.init_tag = c->ct_local;
	m.i2.init_nonce = c->init_nonce;
	m.i2.resp_nonce = c->resp_nonce;
	if (shim6_msg_add_validator(&m, c->validator, c->validator_len) || add_ulid_opts(&m, c) ||
	    add_locators(d, &m, c))
		return -EINVAL;
	return send_msg(d, &m, c->lp_local, c->lp_peer);
}

static int send_i2bis(struct shim6d *d, struct shim6_ctx *c)
{
	struct shim6_msg m;

	shim6_msg_init(&m, SHIM6_TYPE_I2BIS);
	m.i2bis.init_tag = c->ct_local;
	m.i2bis.init_nonce = c->init_nonce;
	m.i2bis.resp_nonce = c->resp_nonce;
	m.i2bis.pkt_tag = c->r1bis_tag;
	if (shim6_msg_add_validator(&m, c->validator, c->validator_len) || add_ulid_opts(&m, c) ||
	    add_locators(d, &m, c))
		return -EINVAL;
	return send_msg(d, &m, c->lp_local, c->lp_peer);
}

/* R2 answering I1 / I2 / I2bis: our tag, their Initiator Nonce, from where they sent to. */
static int send_r2(struct shim6d *d, struct shim6_ctx *c, uint32_t init_nonce,
		   const struct pkt_info *pi)
{
	struct shim6_msg m;

	shim6_msg_init(&m, SHIM6_TYPE_R2);
	m.r2.resp_tag = c->ct_local;
	m.r2.init_nonce = init_nonce;
	if (add_locators(d, &m, c))
		return -EINVAL;
	return send_msg(d, &m, pi->dst, pi->src);
}

static int start_i1(struct shim6d *d, struct shim6_ctx *c)
{
	c->initiator = true;
	c->init_nonce = new_nonce();
	set_state(d, c, CTX_I1_SENT);
	arm(d, c, d->cfg.timers.i1_timeout_ms);
	return send_i1(d, c);
}

int proto_start(struct shim6d *d, const uint8_t ulid_local[16], const uint8_t ulid_peer[16],
		struct shim6_ctx **out)
{
	struct shim6_ctx *c = ctx_find_ulid(&d->ctxs, ulid_local, ulid_peer, 0);

	if (c) {
		if (c->state == CTX_E_FAILED || c->state == CTX_NO_SUPPORT)
			return -EBUSY;
		return -EEXIST;
	}
	if (d->ctxs.count >= d->cfg.max_contexts) {
		d->st.refused_max++;
		return -ENOSPC;
	}
	c = ctx_create(&d->ctxs, ulid_local, ulid_peer, 0);
	if (!c)
		return -ENOMEM;
	c->created_ms = c->last_active_ms = core_now(d);
	if (out)
		*out = c;
	start_i1(d, c);
	return 0;
}

/* ---- establishment ------------------------------------------------------ */

struct confusion_arg {
	struct shim6d *d;
	struct shim6_ctx *fresh;
	struct shim6_ctx *victims[8];
	int n;
};

static bool ls_overlap(const struct shim6_ctx *a, const struct shim6_ctx *b)
{
	int i;

	if (ctx_peer_has_locator(b, a->ulid_peer))
		return true;
	for (i = 0; i < a->n_ls_peer; i++)
		if (ctx_peer_has_locator(b, a->ls_peer[i].addr))
			return true;
	return false;
}

static int confusion_visit(struct shim6_ctx *o, void *arg)
{
	struct confusion_arg *ca = arg;
	struct shim6_ctx *c = ca->fresh;

	if (o == c || (o->state != CTX_ESTABLISHED && o->state != CTX_I2BIS_SENT))
		return 0;
	if (!ls_overlap(c, o))
		return 0;
	/* same CT(peer), overlapping Ls(peer), another ULID pair or FII: the peer lost o */
	if (ca->n < (int)(sizeof(ca->victims) / sizeof(ca->victims[0])))
		ca->victims[ca->n++] = o;
	return 0;
}

/* RFC 5533 §7.15, when CT(peer) of c was just set. */
static void resolve_confusion(struct shim6d *d, struct shim6_ctx *c)
{
	struct confusion_arg ca = { .d = d, .fresh = c };
	int i;

	ctx_for_each_peer_tag(&d->ctxs, c->ct_peer, confusion_visit, &ca);
	for (i = 0; i < ca.n; i++) {
		log_notice("context 0x%llx: peer reused its tag 0x%llx for another ULID pair; "
			   "removing the old context (RFC 5533 §7.15)",
			   (unsigned long long)ca.victims[i]->ct_local,
			   (unsigned long long)c->ct_peer);
		d->st.confusion++;
		proto_ctx_delete(d, ca.victims[i]);
	}
}

/* The peer's tag is known and verified: ESTABLISHED, and into the maps. */
static void establish(struct shim6d *d, struct shim6_ctx *c, uint64_t ct_peer)
{
	uint64_t old = c->ct_peer;
	bool was = c->state == CTX_ESTABLISHED || c->state == CTX_I2BIS_SENT;

	ctx_set_peer_tag(&d->ctxs, c, ct_peer);
	resolve_confusion(d, c);
	d->io->timer_clear(d->io_arg, c);
	if (!was) {
		d->st.established++;
		c->established_ms = core_now(d);
	}
	c->last_active_ms = core_now(d);
	set_state(d, c, CTX_ESTABLISHED);
	snapshot_local_set(d, c);
	if (!c->in_maps || old != ct_peer) {
		if (d->io->ctx_up(d->io_arg, c) == 0)
			c->in_maps = true;
	}
	log_info("context 0x%llx established, peer tag 0x%llx", (unsigned long long)c->ct_local,
		 (unsigned long long)c->ct_peer);
}

/* ULID pair and FII of an I1 / I2 / I2bis: from the options, else the addresses. */
static void msg_ulids(const struct shim6_msg *m, const struct pkt_info *pi, uint8_t local[16],
		      uint8_t peer[16], uint32_t *fii)
{
	const struct shim6_opt *o = shim6_msg_find_opt(m, SHIM6_OPT_ULID_PAIR);

	if (o) {
		memcpy(peer, o->u.ulid.sender, 16);
		memcpy(local, o->u.ulid.receiver, 16);
	} else {
		memcpy(peer, pi->src, 16);
		memcpy(local, pi->dst, 16);
	}
	o = shim6_msg_find_opt(m, SHIM6_OPT_FII);
	*fii = o ? o->u.fii : 0;
}

static void send_r1(struct shim6d *d, const struct shim6_msg *i1, const struct pkt_info *pi,
		    const uint8_t local[16], const uint8_t peer[16], uint32_t fii)
{
	struct r1_input in = { .init_tag = i1->i1.init_tag, .fii = fii };
	uint8_t v[VALIDATOR_LEN];
	struct shim6_msg m;

	memcpy(in.ulid_src, peer, 16);
	memcpy(in.ulid_dst, local, 16);
	memcpy(in.loc_src, pi->src, 16);
	memcpy(in.loc_dst, pi->dst, 16);
	validator_maybe_rotate(&d->vk, core_now(d));
	shim6_msg_init(&m, SHIM6_TYPE_R1);
	m.r1.init_nonce = i1->i1.init_nonce;
	m.r1.resp_nonce = validator_nonce(&d->vk);
	validator_r1(&d->vk, m.r1.resp_nonce, &in, v);
	if (shim6_msg_add_validator(&m, v, sizeof(v)))
		return;
	send_msg(d, &m, pi->dst, pi->src);
}

/* §7.9 */
static void recv_i1(struct shim6d *d, const struct shim6_msg *m, const struct pkt_info *pi)
{
	uint8_t local[16], peer[16];
	struct shim6_ctx *c;
	uint32_t fii;

	msg_ulids(m, pi, local, peer, &fii);
	c = ctx_find_ulid(&d->ctxs, local, peer, fii);
	if (!c || c->state == CTX_IDLE || c->state == CTX_E_FAILED ||
	    c->state == CTX_NO_SUPPORT) {
		/* A peer sending I1 does run Shim6: a hold-down towards it is moot. */
		if (c && c->state != CTX_IDLE)
			proto_ctx_delete(d, c);
		send_r1(d, m, pi, local, peer, fii);
		return;
	}
	if (c->state == CTX_ESTABLISHED) {
		if (shim6_msg_find_opt(m, SHIM6_OPT_ULID_PAIR) && !ctx_peer_has_locator(c, pi->src)) {
			send_r1(d, m, pi, local, peer, fii);
			return;
		}
		if (c->ct_peer == m->i1.init_tag)
			send_r2(d, c, m->i1.init_nonce, pi);	/* our R2 was lost */
		else
			send_r1(d, m, pi, local, peer, fii);	/* the peer lost its context */
		return;
	}
	/* I1-SENT, I2-SENT, I2BIS-SENT: concurrent establishment (§7.4) */
	send_r2(d, c, m->i1.init_nonce, pi);
}

/*
 * R1 and R2 carry no ULIDs nor our tag: find the context by the locator pair
 * (which is the ULID pair for contexts we initiate) and the Initiator Nonce.
 */
static struct shim6_ctx *find_by_nonce(struct shim6d *d, const struct pkt_info *pi,
				       uint32_t init_nonce)
{
	struct shim6_ctx *c = ctx_find_ulid(&d->ctxs, pi->dst, pi->src, 0);

	if (c && c->init_nonce == init_nonce && addr_eq(c->lp_local, pi->dst) &&
	    addr_eq(c->lp_peer, pi->src))
		return c;
	/* a context recovering on another locator pair (I2bis after a move) */
	return core_moved_find(d, pi->dst, pi->src, init_nonce);
}

/* §7.11 */
static void recv_r1(struct shim6d *d, const struct shim6_msg *m, const struct pkt_info *pi)
{
	struct shim6_ctx *c = find_by_nonce(d, pi, m->r1.init_nonce);
	const struct shim6_opt *v;

	if (!c || c->state != CTX_I1_SENT) {
		d->st.rx_dropped++;
		return;
	}
	v = shim6_msg_find_opt(m, SHIM6_OPT_RESP_VALIDATOR);
	if (!v || v->len > CTX_VALIDATOR_MAX) {
		d->st.rx_dropped++;
		return;
	}
	memcpy(c->validator, v->data, v->len);
	c->validator_len = v->len;
	c->resp_nonce = m->r1.resp_nonce;
	set_state(d, c, CTX_I2_SENT);
	arm(d, c, d->cfg.timers.i2_timeout_ms);
	send_i2(d, c);
}

/*
 * I2 / I2bis for an existing context (§7.13, §7.20): accepted if the source
 * locator is one of the peer's; then CT(peer) is updated and R2 sent.
 */
static void i2_existing(struct shim6d *d, struct shim6_ctx *c, uint64_t init_tag,
			uint32_t init_nonce, const struct pkt_info *pi, const struct peer_list *pl)
{
	if (!ctx_peer_has_locator(c, pi->src) && !list_has(pl, pi->src)) {
		d->st.rx_dropped++;
		return;
	}
	set_peer_list(c, pl);
	if (c->state == CTX_I1_SENT || c->state == CTX_ESTABLISHED) {
		establish(d, c, init_tag);
	} else {
		/* I2-SENT, I2BIS-SENT: update, state unchanged; our R2 will come */
		ctx_set_peer_tag(&d->ctxs, c, init_tag);
		resolve_confusion(d, c);
	}
	send_r2(d, c, init_nonce, pi);
}

static void i2_new(struct shim6d *d, const uint8_t local[16], const uint8_t peer[16],
		   uint32_t fii, uint64_t init_tag, uint32_t init_nonce, const struct pkt_info *pi,
		   const struct peer_list *pl)
{
	struct shim6_ctx *c;

	if (d->ctxs.count >= d->cfg.max_contexts) {
		d->st.refused_max++;
		return;
	}
	c = ctx_create(&d->ctxs, local, peer, fii);
	if (!c)
		return;
	memcpy(c->lp_local, pi->dst, 16);
	memcpy(c->lp_peer, pi->src, 16);
	c->created_ms = core_now(d);
	set_peer_list(c, pl);
	establish(d, c, init_tag);
	send_r2(d, c, init_nonce, pi);
}

/* §7.13 */
static void recv_i2(struct shim6d *d, const struct shim6_msg *m, const uint8_t *buf, size_t len,
		    const struct pkt_info *pi)
{
	struct r1_input in = { .init_tag = m->i2.init_tag };
	const struct shim6_opt *v = shim6_msg_find_opt(m, SHIM6_OPT_RESP_VALIDATOR);
	uint8_t local[16], peer[16];
	struct peer_list pl;
	struct shim6_ctx *c;

	msg_ulids(m, pi, local, peer, &in.fii);
	memcpy(in.ulid_src, peer, 16);
	memcpy(in.ulid_dst, local, 16);
	memcpy(in.loc_src, pi->src, 16);
	memcpy(in.loc_dst, pi->dst, 16);
	validator_maybe_rotate(&d->vk, core_now(d));
	if (!v || !validator_check_r1(&d->vk, m->i2.resp_nonce, &in, v->data, v->len)) {
		d->st.validator_bad++;
		return;
	}
	if (peer_list(d, m, peer, &pl, buf, len, pi) < 0)
		return;
	c = ctx_find_ulid(&d->ctxs, local, peer, in.fii);
	if (c && (c->state == CTX_E_FAILED || c->state == CTX_NO_SUPPORT)) {
		proto_ctx_delete(d, c);
		c = NULL;
	}
	if (!c)
		i2_new(d, local, peer, in.fii, m->i2.init_tag, m->i2.init_nonce, pi, &pl);
	else
		i2_existing(d, c, m->i2.init_tag, m->i2.init_nonce, pi, &pl);
}

/* §7.16 */
static void recv_r2(struct shim6d *d, const struct shim6_msg *m, const uint8_t *buf, size_t len,
		    const struct pkt_info *pi)
{
	struct shim6_ctx *c = find_by_nonce(d, pi, m->r2.init_nonce);
	struct peer_list pl;

	if (!c || (c->state != CTX_I1_SENT && c->state != CTX_I2_SENT &&
		   c->state != CTX_I2BIS_SENT)) {
		d->st.rx_dropped++;
		return;
	}
	if (peer_list(d, m, c->ulid_peer, &pl, buf, len, pi) < 0)
		return;
	set_peer_list(c, &pl);
	establish(d, c, m->r2.resp_tag);
}

int proto_send_keepalive(struct shim6d *d, struct shim6_ctx *c)
{
	struct shim6_msg m;

	if (c->state != CTX_ESTABLISHED)
		return -ENOTCONN;
	shim6_msg_init(&m, SHIM6_TYPE_KEEPALIVE);
	m.keepalive.recv_tag = c->ct_peer;
	return send_msg(d, &m, c->lp_local, c->lp_peer);
}

/* ---- recovery (§7.5, §7.17-7.20) ---------------------------------------- */

static void send_r1bis(struct shim6d *d, uint64_t tag, const uint8_t src[16],
		       const uint8_t dst[16])
{
	struct r1bis_input in = { .packet_tag = tag };
	uint8_t v[VALIDATOR_LEN];
	struct shim6_msg m;

	memcpy(in.loc_src, src, 16);
	memcpy(in.loc_dst, dst, 16);
	validator_maybe_rotate(&d->vk, core_now(d));
	shim6_msg_init(&m, SHIM6_TYPE_R1BIS);
	m.r1bis.pkt_tag = tag;
	m.r1bis.resp_nonce = validator_nonce(&d->vk);
	validator_r1bis(&d->vk, m.r1bis.resp_nonce, &in, v);
	if (shim6_msg_add_validator(&m, v, sizeof(v)))
		return;
	if (send_msg(d, &m, dst, src) == 0)
		d->st.r1bis_sent++;
}

void proto_unknown_tag(struct shim6d *d, uint64_t tag, const uint8_t src[16],
		       const uint8_t dst[16])
{
	if (ctx_find_tag(&d->ctxs, tag))
		return; /* the event raced with establishment */
	send_r1bis(d, tag, src, dst);
}

struct r1bis_arg {
	const struct pkt_info *pi;
	struct shim6_ctx *found;
};

static int r1bis_visit(struct shim6_ctx *c, void *arg)
{
	struct r1bis_arg *ra = arg;

	if (addr_eq(c->lp_peer, ra->pi->src) && addr_eq(c->lp_local, ra->pi->dst)) {
		ra->found = c;
		return 1;
	}
	return 0;
}

/* §7.18 */
static void recv_r1bis(struct shim6d *d, const struct shim6_msg *m, const struct pkt_info *pi)
{
	struct r1bis_arg ra = { .pi = pi };
	const struct shim6_opt *v = shim6_msg_find_opt(m, SHIM6_OPT_RESP_VALIDATOR);
	struct shim6_ctx *c;

	ctx_for_each_peer_tag(&d->ctxs, m->r1bis.pkt_tag, r1bis_visit, &ra);
	c = ra.found;
	if (!c || c->state != CTX_ESTABLISHED || !v || v->len > CTX_VALIDATOR_MAX) {
		d->st.rx_dropped++;
		return;
	}
	memcpy(c->validator, v->data, v->len);
	c->validator_len = v->len;
	c->resp_nonce = m->r1bis.resp_nonce;
	c->r1bis_tag = m->r1bis.pkt_tag;
	c->init_nonce = new_nonce();
	set_state(d, c, CTX_I2BIS_SENT);
	arm(d, c, d->cfg.timers.i2bis_timeout_ms);
	send_i2bis(d, c);
}

/* §7.20 */
static void recv_i2bis(struct shim6d *d, const struct shim6_msg *m, const uint8_t *buf,
		       size_t len, const struct pkt_info *pi)
{
	struct r1bis_input in = { .packet_tag = m->i2bis.pkt_tag };
	const struct shim6_opt *v = shim6_msg_find_opt(m, SHIM6_OPT_RESP_VALIDATOR);
	uint8_t local[16], peer[16];
	struct peer_list pl;
	struct shim6_ctx *c;
	uint32_t fii;

	msg_ulids(m, pi, local, peer, &fii);
	memcpy(in.loc_src, pi->src, 16);
	memcpy(in.loc_dst, pi->dst, 16);
	validator_maybe_rotate(&d->vk, core_now(d));
	if (!v || !validator_check_r1bis(&d->vk, m->i2bis.resp_nonce, &in, v->data, v->len)) {
		d->st.validator_bad++;
		return;
	}
	if (peer_list(d, m, peer, &pl, buf, len, pi) < 0)
		return;
	c = ctx_find_ulid(&d->ctxs, local, peer, fii);
	if (c && (c->state == CTX_E_FAILED || c->state == CTX_NO_SUPPORT)) {
		proto_ctx_delete(d, c);
		c = NULL;
	}
	/* IDLE: a new random CT(local), not the Packet Context Tag (§7.20) */
	if (!c)
		i2_new(d, local, peer, fii, m->i2bis.init_tag, m->i2bis.init_nonce, pi, &pl);
	else
		i2_existing(d, c, m->i2bis.init_tag, m->i2bis.init_nonce, pi, &pl);
}

/* ---- Error messages (§5.14) -------------------------------------------- */

/*
 * Send an Error about the message `buf` (a Shim6 header of len bytes from
 * pi->src): the packet in error is rebuilt as IPv6 header + that message,
 * and `pointer` (an offset in the Shim6 header) is made relative to it.
 */
static void send_error(struct shim6d *d, uint8_t code, uint32_t pointer, const uint8_t *buf,
		       size_t len, const struct pkt_info *pi)
{
	uint8_t pkt[1280 - 40 - 16];
	struct shim6_msg m;
	size_t n;

	memset(pkt, 0, 40);
	pkt[0] = 0x60;
	pkt[4] = (uint8_t)(len >> 8);
	pkt[5] = (uint8_t)len;
	pkt[6] = SHIM6_IPPROTO;
	pkt[7] = 64;
	memcpy(pkt + 8, pi->src, 16);
	memcpy(pkt + 24, pi->dst, 16);
	n = len < sizeof(pkt) - 40 ? len : sizeof(pkt) - 40;
	memcpy(pkt + 40, buf, n);
	shim6_msg_init(&m, SHIM6_TYPE_ERROR);
	m.error.code = code;
	m.error.pointer = (uint16_t)(pointer + 40);
	m.error.data = pkt;
	m.error.len = (uint16_t)((40 + n) & ~7u);	/* keep the header a multiple of 8 */
	if (send_msg(d, &m, pi->dst, pi->src) == 0)
		d->st.errors_sent++;
}

/* ---- Update Request / Acknowledgement (§10) ------------------------------ */

static bool local_has(const struct shim6_ctx *c, const uint8_t a[16])
{
	int i;

	if (addr_eq(a, c->ulid_local) || addr_eq(a, c->lp_local))
		return true;
	for (i = 0; i < c->n_ls_local; i++)
		if (addr_eq(a, c->ls_local[i]))
			return true;
	return false;
}

static int send_update(struct shim6d *d, struct shim6_ctx *c)
{
	uint8_t old[CTX_MAX_LOCS][16];
	struct shim6_msg m;
	int i, n_old = c->n_ls_local, err;

	memcpy(old, c->ls_local, sizeof(old));
	shim6_msg_init(&m, SHIM6_TYPE_UPDATE_REQ);
	m.update.recv_tag = c->ct_peer;
	m.update.req_nonce = c->update_nonce;
	if (add_locators(d, &m, c))
		return -EINVAL;
	/* our locators that left the set are no longer accepted on this context */
	for (i = 0; i < n_old && d->io->loc_gone; i++)
		if (!local_has(c, old[i]))
			d->io->loc_gone(d->io_arg, c, old[i], false);
	if (c->in_maps)
		d->io->ctx_up(d->io_arg, c);	/* adds the new ones */
	err = send_msg(d, &m, c->lp_local, c->lp_peer);
	if (!err)
		d->st.updates_sent++;
	return err;
}

static void arm_update(struct shim6d *d, struct shim6_ctx *c)
{
	d->io->timer_set(d->io_arg, c, retrans_timeout_ms(d->cfg.timers.update_timeout_ms,
							  c->update_retries,
							  d->cfg.timers.max_update_timeout_ms));
}

static int start_update(struct shim6d *d, struct shim6_ctx *c)
{
	/* §10.3: a new nonce abandons any outstanding request */
	c->update_nonce = new_nonce();
	c->update_pending = true;
	c->update_retries = 0;
	c->update_resynced = false;	/* an out-of-sync Error may resend it once */
	if (d->ls)
		c->update_gen = d->ls->gen;
	arm_update(d, c);
	return send_update(d, c);
}

static int changed_visit(struct shim6_ctx *c, void *arg)
{
	struct shim6d *d = arg;

	if (c->state != CTX_ESTABLISHED || !locset_find(d->ls, c->ulid_local))
		return 0;
	start_update(d, c);
	return 0;
}

int proto_announce_send_timeout(struct shim6d *d, struct shim6_ctx *c)
{
	if (c->state != CTX_ESTABLISHED)
		return -ENOTCONN;
	return start_update(d, c);
}

int proto_locators_changed(struct shim6d *d)
{
	uint64_t before = d->st.updates_sent;

	if (!d->ls)
		return 0;
	ctx_for_each(&d->ctxs, changed_visit, d);
	return (int)(d->st.updates_sent - before);
}

/* Replace Ls(peer) by a verified list, unmapping the locators that left. */
static void replace_peer_list(struct shim6d *d, struct shim6_ctx *c, const struct peer_list *pl)
{
	int i;

	for (i = 0; i < c->n_ls_peer && d->io->loc_gone; i++)
		if (!list_has(pl, c->ls_peer[i].addr) && !addr_eq(c->ls_peer[i].addr, c->ulid_peer))
			d->io->loc_gone(d->io_arg, c, c->ls_peer[i].addr, true);
	set_peer_list(c, pl);
	if (c->in_maps)
		d->io->ctx_up(d->io_arg, c);
}

static void recv_update_req(struct shim6d *d, const struct shim6_msg *m, struct shim6_ctx *c,
			    const uint8_t *buf, size_t len, const struct pkt_info *pi)
{
	const struct shim6_opt *ll = shim6_msg_find_opt(m, SHIM6_OPT_LOC_LIST);
	const struct shim6_opt *pds = shim6_msg_find_opt(m, SHIM6_OPT_CGA_PDS);
	const struct shim6_opt *sig = shim6_msg_find_opt(m, SHIM6_OPT_CGA_SIG);
	const struct shim6_opt *lp = shim6_msg_find_opt(m, SHIM6_OPT_LOC_PREF);
	struct peer_list pl = { 0 };
	struct shim6_msg ack;
	unsigned int i;

	if (c->state == CTX_I1_SENT)
		return;
	if (c->state == CTX_I2_SENT)
		send_i2(d, c);
	else if (c->state == CTX_I2BIS_SENT)
		send_i2bis(d, c);
	d->st.updates_received++;

	if (ll) {
		const struct shim6_opt_loclist *l = &ll->u.loclist;
		const uint8_t *params = pds ? pds->data : c->peer_pds;
		uint16_t plen = pds ? pds->len : c->peer_pds_len;

		if (!params || locset_verify_peer(c->ulid_peer, params, plen, l->gen, l->locators,
						  l->methods, l->count, sig ? sig->data : NULL,
						  sig ? sig->len : 0)) {
			d->st.loclist_bad++;
			/* Pointer: the first Verification Method octet */
			send_error(d, SHIM6_ERR_VERIF_METHOD, ll->offset + 4 + 5, buf, len, pi);
			return;
		}
		d->st.loclist_ok++;
		pl.gen = l->gen;
		pl.pds = pds ? pds->data : NULL;
		pl.pds_len = pds ? pds->len : 0;
		for (i = 0; i < l->count && pl.n < CTX_MAX_LOCS; i++) {
			memcpy(pl.locs[pl.n].addr, shim6_loclist_locator(l, i), 16);
			pl.locs[pl.n].method = l->methods[i];
			pl.locs[pl.n].verified = 1;
			pl.n++;
		}
		replace_peer_list(d, c, &pl);
	} else if (pds) {
		pl.pds = pds->data;
		pl.pds_len = pds->len;
		if (locset_verify_peer(c->ulid_peer, pds->data, pds->len, 0, NULL, NULL, 0, NULL, 0))
			return; /* §10.4: a PDS that is not the peer's: silently discarded */
		keep_pds(c, &pl);
	}
	if (lp) {
		const struct shim6_opt_locpref *p = &lp->u.locpref;

		if (!c->peer_gen_valid || p->gen != c->peer_gen) {
			send_error(d, SHIM6_ERR_GEN_OUT_OF_SYNC, lp->offset + 4, buf, len, pi);
			return;
		}
		if (p->count != c->n_ls_peer) {
			send_error(d, SHIM6_ERR_LOC_COUNT, lp->offset + 2, buf, len, pi);
			return;
		}
		for (i = 0; i < p->count; i++) {
			uint8_t fl, prio, w;

			shim6_locpref_get(p, i, &fl, &prio, &w);
			c->ls_peer[i].flags = fl;
			c->ls_peer[i].pref = prio;
		}
	}
	/* RFC 5534 §5.3: the peer's (new) Send Timeout is our Keepalive Timeout */
	reap_opt_apply(c, reap_opt_get(m));
	shim6_msg_init(&ack, SHIM6_TYPE_UPDATE_ACK);
	ack.update.recv_tag = c->ct_peer;
	ack.update.req_nonce = m->update.req_nonce;
	send_msg(d, &ack, pi->dst, pi->src);
}

static void recv_update_ack(struct shim6d *d, const struct shim6_msg *m, struct shim6_ctx *c,
			    const struct pkt_info *pi)
{
	if (c->state == CTX_I1_SENT)
		return;
	/*
	 * §10.5: in I2-SENT or I2BIS-SENT, send R2 and proceed.  The peer holds
	 * an established context with our tag (it acknowledges with it); the R2
	 * gives it our tag and locators again.  It answers no I1/I2 of the peer,
	 * so it carries our own Initiator Nonce.
	 */
	if (c->state == CTX_I2_SENT || c->state == CTX_I2BIS_SENT)
		send_r2(d, c, c->init_nonce, pi);
	if (!c->update_pending || m->update.req_nonce != c->update_nonce)
		return; /* an abandoned request's ack, or a stray one */
	c->update_pending = false;
	d->st.updates_acked++;
	if (c->state == CTX_ESTABLISHED)
		d->io->timer_clear(d->io_arg, c);
}

/* ---- received Error messages (§5.14, §12.4) ------------------------------ */

/* The fixed part of a message we sent, read from a packet in error (maybe truncated). */
struct quoted {
	uint8_t type;
	uint64_t tag;		/* bytes 6-11: our CT(local) (I1, I2, I2bis, R2) or CT(peer) */
	uint32_t nonce;		/* bytes 12-15: Initiator / Request Nonce */
	const uint8_t *src, *dst;	/* its IPv6 addresses: our locator, the peer's */
};

static int quoted_parse(const struct shim6_msg *m, struct quoted *q)
{
	const uint8_t *ip6 = m->error.data, *sh;
	int i;

	/* IPv6 header, then the Shim6 header right after it (we send no others) */
	if (!ip6 || m->error.len < 40 + 16 || (ip6[0] >> 4) != 6 || ip6[6] != SHIM6_IPPROTO)
		return -EBADMSG;
	sh = ip6 + 40;
	if (sh[2] & 0x80)
		return -EBADMSG;	/* a payload extension header: no Error applies */
	q->type = sh[2] & 0x7f;
	q->tag = 0;
	for (i = 6; i < 12; i++)
		q->tag = q->tag << 8 | sh[i];
	q->tag &= CTX_TAG_MASK;
	q->nonce = (uint32_t)sh[12] << 24 | (uint32_t)sh[13] << 16 | (uint32_t)sh[14] << 8 | sh[15];
	q->src = ip6 + 8;
	q->dst = ip6 + 24;
	return 0;
}

struct err_match {
	const struct quoted *q;
	struct shim6_ctx *found;
};

/* §12.4: CT(peer) = the Receiver Context Tag, Lp(local) = source, Lp(peer) = destination */
static int err_visit(struct shim6_ctx *c, void *arg)
{
	struct err_match *em = arg;

	if (local_has(c, em->q->src) && ctx_peer_has_locator(c, em->q->dst)) {
		em->found = c;
		return 1;
	}
	return 0;
}

/* The context that sent the quoted message, as sent (tag, nonce, locators), or NULL. */
static struct shim6_ctx *error_ctx(struct shim6d *d, const struct quoted *q)
{
	struct err_match em = { .q = q };
	struct shim6_ctx *c;

	switch (q->type) {
	case SHIM6_TYPE_I1:
	case SHIM6_TYPE_I2:
	case SHIM6_TYPE_I2BIS:
		/* the Initiator Context Tag is ours; the nonce is the one in flight */
		c = ctx_find_tag(&d->ctxs, q->tag);
		if (!c || c->init_nonce != q->nonce || !addr_eq(c->lp_local, q->src) ||
		    !addr_eq(c->lp_peer, q->dst))
			return NULL;
		if ((q->type == SHIM6_TYPE_I1 && c->state != CTX_I1_SENT) ||
		    (q->type == SHIM6_TYPE_I2 && c->state != CTX_I2_SENT) ||
		    (q->type == SHIM6_TYPE_I2BIS && c->state != CTX_I2BIS_SENT))
			return NULL;	/* an old message: the context moved on */
		return c;
	case SHIM6_TYPE_R2:
		c = ctx_find_tag(&d->ctxs, q->tag);	/* Responder Context Tag: ours */
		return c && local_has(c, q->src) && ctx_peer_has_locator(c, q->dst) ? c : NULL;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
	case SHIM6_TYPE_KEEPALIVE:
	case SHIM6_TYPE_PROBE:
		ctx_for_each_peer_tag(&d->ctxs, q->tag, err_visit, &em);
		return em.found;
	default:
		return NULL;	/* R1, R1bis: we keep no state for them */
	}
}

/* The peer refuses an establishment message, and would refuse it again. */
static void error_failed(struct shim6d *d, struct shim6_ctx *c, uint8_t type, const char *why)
{
	log_notice("context 0x%llx: the peer refused our %s (%s): E-FAILED, hold-down %u ms",
		   (unsigned long long)c->ct_local, shim6_msg_type_name(type) ?: "?", why,
		   d->cfg.timers.no_r1_holddown_ms);
	d->st.e_failed++;
	set_state(d, c, CTX_E_FAILED);
	c->holddown_until_ms = core_now(d) + d->cfg.timers.no_r1_holddown_ms;
	d->io->timer_set(d->io_arg, c, d->cfg.timers.no_r1_holddown_ms);
}

static const char *error_name(uint8_t code)
{
	switch (code) {
	case SHIM6_ERR_UNKNOWN_TYPE: return "unknown message type";
	case SHIM6_ERR_CRITICAL_OPT: return "critical option not recognized";
	case SHIM6_ERR_VERIF_METHOD: return "locator verification failed";
	case SHIM6_ERR_GEN_OUT_OF_SYNC: return "locator list generation out of sync";
	case SHIM6_ERR_LOC_COUNT: return "wrong number of locator preferences";
	default: return "unknown error code";
	}
}

/*
 * An Error about a message of ours (§5.14), dispatched with the packet in
 * error (§12.4) and acted on:
 *  - I1 / I2 / I2bis refused (unknown type, critical option, our locators
 *    not verifiable): the retransmissions would be refused too: E-FAILED
 *    with the NO_R1 hold-down (no retry storm);
 *  - our R2 refused: the peer did not establish; the context goes;
 *  - Update Request with code 3 (generation out of sync) or 4 (preference
 *    count): the peer lacks our current list: the Update is sent again,
 *    whole (list, PDS, signature, preferences) under a new nonce, once per
 *    generation; any other code: the peer will never take it, the Update
 *    is abandoned (it would otherwise be retransmitted forever, §10.2);
 *  - Update Acknowledgement, Keepalive, Probe: nothing to change here
 *    (counted: REAP keeps its own timers).
 * An Error matching no context is dropped: RFC 5533 has no "no context"
 * Error; a peer without our context answers R1bis, handled above.
 */
static void recv_error(struct shim6d *d, const struct shim6_msg *m, const struct pkt_info *pi)
{
	char b[IN6_STR];
	struct shim6_ctx *c;
	struct quoted q;

	if (quoted_parse(m, &q) || !addr_eq(pi->src, q.dst) || !addr_eq(pi->dst, q.src) ||
	    !(c = error_ctx(d, &q))) {
		d->st.errors_unmatched++;
		log_debug("Error %u (%s) from %s matches no context of ours: dropped",
			  m->error.code, error_name(m->error.code), a6(pi->src, b));
		return;
	}
	log_info("context 0x%llx: Error %u (%s) about our %s, pointer %u",
		 (unsigned long long)c->ct_local, m->error.code, error_name(m->error.code),
		 shim6_msg_type_name(q.type) ?: "?", m->error.pointer);
	switch (q.type) {
	case SHIM6_TYPE_I1:
	case SHIM6_TYPE_I2:
	case SHIM6_TYPE_I2BIS:
		error_failed(d, c, q.type, error_name(m->error.code));
		d->st.errors_acted++;
		return;
	case SHIM6_TYPE_R2:
		if (c->state != CTX_ESTABLISHED)
			return;
		log_notice("context 0x%llx: the peer refused our R2 (%s): removed",
			   (unsigned long long)c->ct_local, error_name(m->error.code));
		proto_ctx_delete(d, c);
		d->st.errors_acted++;
		return;
	case SHIM6_TYPE_UPDATE_REQ:
		if (c->state != CTX_ESTABLISHED || !c->update_pending || q.nonce != c->update_nonce)
			return;	/* an abandoned or answered request */
		if ((m->error.code == SHIM6_ERR_GEN_OUT_OF_SYNC ||
		     m->error.code == SHIM6_ERR_LOC_COUNT) && !c->update_resynced) {
			c->update_resynced = true;
			c->update_nonce = new_nonce();	/* §10.3: a new request */
			c->update_retries = 0;
			arm_update(d, c);
			send_update(d, c);
			d->st.update_resyncs++;
		} else {
			log_warn("context 0x%llx: the peer refuses our Update Request (%s): "
				 "abandoned", (unsigned long long)c->ct_local,
				 error_name(m->error.code));
			c->update_pending = false;
			d->io->timer_clear(d->io_arg, c);
			d->st.updates_abandoned++;
		}
		d->st.errors_acted++;
		return;
	default:
		return;
	}
}

/* ---- other control messages -------------------------------------------- */

/*
 * Types 64-127 carry our tag first (Update, Keepalive, Probe: Receiver
 * Context Tag).  Unknown tag or foreign locators: R1bis (§12.4).
 */
static void recv_tagged(struct shim6d *d, const struct shim6_msg *m, uint64_t tag,
			const uint8_t *buf, size_t len, const struct pkt_info *pi)
{
	struct shim6_ctx *c = ctx_find_tag(&d->ctxs, tag);

	if (!c || c->state == CTX_IDLE || c->state == CTX_E_FAILED ||
	    c->state == CTX_NO_SUPPORT || !ctx_peer_has_locator(c, pi->src) ||
	    !local_has(c, pi->dst)) {
		send_r1bis(d, tag, pi->src, pi->dst);
		return;
	}
	c->last_active_ms = core_now(d);
	if (m->type == SHIM6_TYPE_UPDATE_REQ) {
		recv_update_req(d, m, c, buf, len, pi);
		return;
	}
	if (m->type == SHIM6_TYPE_UPDATE_ACK) {
		recv_update_ack(d, m, c, pi);
		return;
	}
	if ((m->type == SHIM6_TYPE_KEEPALIVE || m->type == SHIM6_TYPE_PROBE) &&
	    c->state == CTX_ESTABLISHED && d->io->reap_input) {
		d->io->reap_input(d->io_arg, c, m, pi);	/* REAP, reap_daemon.c */
		return;
	}
	if (m->type == SHIM6_TYPE_KEEPALIVE)
		return; /* RFC 5534 §5.1: proof of life; REAP's timers are not implemented yet */
	/* Probe processing (RFC 5534 REAP) is not implemented yet. */
	log_debug("context 0x%llx: %s not handled yet", (unsigned long long)c->ct_local,
		  shim6_msg_type_name(m->type));
	d->st.rx_dropped++;
}

static bool bad_address(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return a[0] == 0xff || memcmp(a, zero, 16) == 0;
}

void proto_input(struct shim6d *d, const uint8_t *buf, size_t len, const struct pkt_info *pi)
{
	struct shim6_wire_diag diag;
	struct shim6_payload_hdr ph;
	struct shim6_msg m;
	int err;

	d->st.rx++;
	/* §12.3: no multicast or unspecified source or destination */
	if (bad_address(pi->src) || bad_address(pi->dst)) {
		d->st.rx_malformed++;
		return;
	}
	if (shim6_is_payload(buf, len)) {
		/* a payload header the data plane did not take: unknown tag */
		if (shim6_payload_decode(buf, len, &ph, NULL) == 0)
			proto_unknown_tag(d, ph.tag, pi->src, pi->dst);
		else
			d->st.rx_malformed++;
		return;
	}
	err = shim6_msg_decode(buf, len, 0, &m, &diag);
	if (err) {
		if (diag.err == SHIM6_WERR_CHECKSUM)
			d->st.rx_checksum++;
		else if (diag.err == SHIM6_WERR_UNKNOWN_TYPE)
			d->st.rx_unknown_type++;
		else
			d->st.rx_malformed++;
		/* §12.3: unknown type (code 0), unknown critical option (code 1) */
		if (diag.rfc_code >= 0 && diag.msg_type != SHIM6_TYPE_ERROR)
			send_error(d, (uint8_t)diag.rfc_code, diag.offset, buf, len, pi);
		return;
	}
	d->st.rx_type[m.type & 127]++;
	switch (m.type) {
	case SHIM6_TYPE_I1: recv_i1(d, &m, pi); break;
	case SHIM6_TYPE_R1: recv_r1(d, &m, pi); break;
	case SHIM6_TYPE_I2: recv_i2(d, &m, buf, len, pi); break;
	case SHIM6_TYPE_R2: recv_r2(d, &m, buf, len, pi); break;
	case SHIM6_TYPE_R1BIS: recv_r1bis(d, &m, pi); break;
	case SHIM6_TYPE_I2BIS: recv_i2bis(d, &m, buf, len, pi); break;
	case SHIM6_TYPE_UPDATE_REQ:
	case SHIM6_TYPE_UPDATE_ACK:
		recv_tagged(d, &m, m.update.recv_tag, buf, len, pi);
		break;
	case SHIM6_TYPE_KEEPALIVE: recv_tagged(d, &m, m.keepalive.recv_tag, buf, len, pi); break;
	case SHIM6_TYPE_PROBE: recv_tagged(d, &m, m.probe.recv_tag, buf, len, pi); break;
	case SHIM6_TYPE_ERROR: recv_error(d, &m, pi); break;
	default:
		d->st.rx_dropped++;
		break;
	}
}

/* ---- ICMPv6 Parameter Problem: the peer has no Shim6 (§7.8) -------------- */

void proto_icmp_input(struct shim6d *d, const uint8_t *buf, size_t len,
		      const struct pkt_info *pi)
{
	const uint8_t *ip6, *sh;
	struct shim6_msg m;
	struct shim6_ctx *c;
	uint32_t pointer;

	/* type 4 code 1, Pointer, then the invoking packet: IPv6 header + our I1 */
	if (len < 8 + 40 + 16 || buf[0] != 4 || buf[1] != 1)
		return;
	pointer = (uint32_t)buf[4] << 24 | buf[5] << 16 | buf[6] << 8 | buf[7];
	ip6 = buf + 8;
	sh = ip6 + 40;
	/* Only the plain case: Next Header 140 right after the IPv6 header (pointer 6). */
	if (ip6[6] != 140 || pointer != 6)
		return;
	if (shim6_msg_decode(sh, len - 48, SHIM6_DEC_NO_CSUM, &m, NULL) ||
	    m.type != SHIM6_TYPE_I1)
		return;
	c = ctx_find_tag(&d->ctxs, m.i1.init_tag);
	/* the quoted I1 must be ours, as sent: our tag and nonce, our locator pair */
	if (!c || c->state != CTX_I1_SENT || c->init_nonce != m.i1.init_nonce ||
	    !addr_eq(ip6 + 8, c->lp_local) || !addr_eq(ip6 + 24, c->lp_peer))
		return;
	(void)pi;
	log_notice("context 0x%llx: the peer does not support Shim6 (ICMPv6 unrecognized "
		   "next header); hold-down %u ms", (unsigned long long)c->ct_local,
		   d->cfg.timers.icmp_holddown_ms);
	d->st.no_support++;
	set_state(d, c, CTX_NO_SUPPORT);
	c->holddown_until_ms = core_now(d) + d->cfg.timers.icmp_holddown_ms;
	d->io->timer_set(d->io_arg, c, d->cfg.timers.icmp_holddown_ms);
}

/* ---- timers -------------------------------------------------------------- */

void proto_timer(struct shim6d *d, struct shim6_ctx *c)
{
	const struct config_timers *t = &d->cfg.timers;

	switch (c->state) {
	case CTX_I1_SENT:
		if (c->retries < t->i1_retries) {
			c->retries++;
			arm(d, c, t->i1_timeout_ms);
			send_i1(d, c);
			return;
		}
		/* no answer: the peer probably has no Shim6; negative cache (§7.8) */
		log_info("context 0x%llx: no answer to I1 after %u retransmissions: E-FAILED",
			 (unsigned long long)c->ct_local, c->retries);
		d->st.e_failed++;
		set_state(d, c, CTX_E_FAILED);
		c->holddown_until_ms = core_now(d) + t->no_r1_holddown_ms;
		d->io->timer_set(d->io_arg, c, t->no_r1_holddown_ms);
		return;
	case CTX_I2_SENT:
		if (c->retries < t->i2_retries) {
			c->retries++;
			arm(d, c, t->i2_timeout_ms);
			send_i2(d, c);
			return;
		}
		start_i1(d, c);	/* §7.12: fall back to I1 */
		return;
	case CTX_I2BIS_SENT:
		if (c->retries < t->i2bis_retries) {
			c->retries++;
			arm(d, c, t->i2bis_timeout_ms);
			send_i2bis(d, c);
			return;
		}
		start_i1(d, c);	/* §7.19 */
		return;
	case CTX_E_FAILED:
	case CTX_NO_SUPPORT:
		/* hold-down over: forget, a later trigger may try again */
		proto_ctx_delete(d, c);
		return;
	case CTX_ESTABLISHED:
		/* §10.2: retransmit forever, back-off capped at MAX_UPDATE_TIMEOUT */
		if (c->update_pending) {
			c->update_retries++;
			arm_update(d, c);
			send_update(d, c);
		}
		return;
	case CTX_IDLE:
		return;
	}
}
