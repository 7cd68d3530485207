// SPDX-License-Identifier: GPL-2.0
/*
 * attach / detach / status of the data plane on a device.
 *
 * Both skeletons (shim6_egress, shim6_ingress) are opened with the pin root
 * as pin_root_path: their maps are declared LIBBPF_PIN_BY_NAME, so the first
 * load pins them and every later load (another device, a re-attach, a new
 * shim6ctl) reuses them - contexts survive.  The programs we attach are
 * pinned under <root>/dev/<ifname>/ as the record of what to remove.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "shim6_egress.skel.h"
#include "shim6_ingress.skel.h"

struct dataplane {
	struct shim6_egress *eg;
	struct shim6_ingress *in;
};

static void dataplane_close(struct dataplane *dp)
{
	shim6_egress__destroy(dp->eg);
	shim6_ingress__destroy(dp->in);
	dp->eg = NULL;
	dp->in = NULL;
}

/* The context capacity: the pinned maps' if there are any (a pinned map
 * cannot be resized), else what was asked, else the default. */
static int decide_capacity(const char *root, uint32_t asked, uint32_t *out)
{
	char path[PATH_MAX];
	uint32_t pinned;
	int fd;

	snprintf(path, sizeof(path), "%s/shim6_ulid", root);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		*out = asked ?: SHIM6_DEFAULT_MAX_CTX;
		return 0;
	}
	pinned = shim6_map_max_entries(fd);
	close(fd);
	if (asked && asked != pinned) {
		pr_err("the maps pinned under %s hold %u contexts, not %u: detach every "
				"device and remove the pin root to resize\n", root, pinned, asked);
		return -EEXIST;
	}
	*out = pinned;
	return 0;
}

static int size_maps(struct bpf_map *ulid, struct bpf_map *tag, struct bpf_map *loc,
		     struct bpf_map *ptag, struct bpf_map *fbd, uint32_t n)
{
	int err;

	err = bpf_map__set_max_entries(fbd, n + 1);	/* slot 0 is unused */
	if (!err)
		err = bpf_map__set_max_entries(ulid, n);
	if (!err)
		err = bpf_map__set_max_entries(tag, n);
	if (!err)
		err = bpf_map__set_max_entries(loc, n * SHIM6_LOC_PER_CTX);
	if (!err)
		err = bpf_map__set_max_entries(ptag, n);
	return err;
}

static int dataplane_load(const char *root, uint32_t max_ctx, struct dataplane *dp)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = root);
	uint32_t n;
	int err;

	err = decide_capacity(root, max_ctx, &n);
	if (err)
		return err;
	dp->eg = shim6_egress__open_opts(&opts);
	dp->in = shim6_ingress__open_opts(&opts);
	if (!dp->eg || !dp->in) {
		err = -errno;
		pr_err("cannot open the BPF objects: %s\n", strerror(errno));
		goto fail;
	}
	err = size_maps(dp->eg->maps.shim6_ulid, dp->eg->maps.shim6_tag, dp->eg->maps.shim6_loc,
			dp->eg->maps.shim6_ptag, dp->eg->maps.shim6_fbd, n);
	if (!err)
		err = size_maps(dp->in->maps.shim6_ulid, dp->in->maps.shim6_tag,
				dp->in->maps.shim6_loc, dp->in->maps.shim6_ptag,
				dp->in->maps.shim6_fbd, n);
	if (err) {
		pr_err("cannot size the maps for %u contexts: %s\n", n, strerror(-err));
		goto fail;
	}
	err = shim6_egress__load(dp->eg);
	if (err) {
		pr_err("cannot load shim6_egress (maps pinned under %s): %s\n", root,
			strerror(-err));
		goto fail;
	}
	err = shim6_ingress__load(dp->in);
	if (err) {
		pr_err("cannot load shim6_ingress (maps pinned under %s): %s\n", root,
			strerror(-err));
		goto fail;
	}
	return 0;
fail:
	dataplane_close(dp);
	return err;
}

static int pin_path(char *buf, size_t len, const char *root, const char *ifname,
		    const char *name)
{
	int n;

	if (ifname)
		n = snprintf(buf, len, "%s/dev/%s%s%s", root, ifname, name ? "/" : "",
			     name ?: "");
	else
		n = snprintf(buf, len, "%s/seg%s%s", root, name ? "/" : "", name ?: "");
	return n >= (int)len ? -ENAMETOOLONG : 0;
}

static int pin_fd(int fd, const char *path)
{
	unlink(path);
	if (bpf_obj_pin(fd, path)) {
		int err = -errno;

		pr_err("cannot pin %s: %s\n", path, strerror(errno));
		return err;
	}
	return 0;
}

static uint32_t fd_prog_id(int fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

static uint32_t pinned_prog_id(const char *path)
{
	int fd = bpf_obj_get(path);
	uint32_t id = fd_prog_id(fd);

	if (fd >= 0)
		close(fd);
	return id;
}

static uint32_t pinned_link_prog_id(const char *path)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.prog_id = 0;
	close(fd);
	return info.prog_id;
}

/* The program id of our filter (handle/prio) on a clsact side, 0 if none. */
static uint32_t tc_filter_id(int ifindex, enum bpf_tc_attach_point side)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = side);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SHIM6_TC_HANDLE, .priority = SHIM6_TC_PRIO);

	if (ifindex <= 0 || bpf_tc_query(&hook, &opts))
		return 0;
	return opts.prog_id;
}

/* Creates clsact if missing; *created tells whether we did. */
static int tc_hook(int ifindex, const char *ifname, bool *created)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int err;

	err = bpf_tc_hook_create(&hook);
	*created = err == 0;
	if (err == -EEXIST)
		err = 0;
	if (err)
		pr_err("cannot create the clsact qdisc on %s: %s\n", ifname,
			strerror(-err));
	return err;
}

static int tc_attach(int ifindex, const char *ifname, enum bpf_tc_attach_point side,
		     int prog_fd)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = side);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SHIM6_TC_HANDLE, .priority = SHIM6_TC_PRIO,
		    .prog_fd = prog_fd, .flags = BPF_TC_F_REPLACE);
	int err;

	err = bpf_tc_attach(&hook, &opts);
	if (err)
		pr_err("cannot attach the tc %s program to %s: %s\n",
			side == BPF_TC_EGRESS ? "egress" : "ingress", ifname, strerror(-err));
	return err;
}

/* Removes our filter if it still runs the program pinned at path. */
static void tc_detach_pinned(int ifindex, enum bpf_tc_attach_point side, const char *path)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = side);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = SHIM6_TC_HANDLE, .priority = SHIM6_TC_PRIO);
	uint32_t ours = pinned_prog_id(path);

	if (ours && ifindex > 0 && tc_filter_id(ifindex, side) == ours)
		bpf_tc_detach(&hook, &opts);
	unlink(path);
}

static int xdp_attach(int ifindex, const char *ifname, int prog_fd, enum shim6_xdp_mode mode,
		      const char *link_path)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	int fd, err;

	if (mode == SHIM6_XDP_MODE_NATIVE)
		opts.flags = XDP_FLAGS_DRV_MODE;
	else if (mode == SHIM6_XDP_MODE_GENERIC)
		opts.flags = XDP_FLAGS_SKB_MODE;
	/* a re-attach replaces: drop our old link first (its mode may differ) */
	unlink(link_path);
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	if (fd < 0) {
		err = -errno;
		pr_err("cannot attach the XDP program to %s%s: %s\n", ifname,
			mode == SHIM6_XDP_MODE_NATIVE ? " in native mode" : "",
			err == -EBUSY ? "another XDP program is attached" : strerror(errno));
		return err;
	}
	err = pin_fd(fd, link_path);
	close(fd);
	return err;
}

static int set_seg_ifindex(int cfg_fd, uint32_t ifindex)
{
	struct shim6_cfg cfg = {};
	uint32_t zero = 0;

	bpf_map_lookup_elem(cfg_fd, &zero, &cfg);
	cfg.seg_ifindex = ifindex;
	return bpf_map_update_elem(cfg_fd, &zero, &cfg, BPF_ANY) ? -errno : 0;
}

static int seg_attach(const char *root, struct dataplane *dp)
{
	char dir[PATH_MAX], path[PATH_MAX];
	bool created;
	int seg, peer, err;

	seg = shim6_seg_create();
	if (seg < 0)
		return seg;
	peer = (int)if_nametoindex(SHIM6_SEG_PEER);
	if (!peer)
		return -ENODEV;
	err = tc_hook(peer, SHIM6_SEG_PEER, &created);
	if (!err)
		err = tc_attach(peer, SHIM6_SEG_PEER, BPF_TC_INGRESS,
				bpf_program__fd(dp->eg->progs.shim6_seg_in));
	if (err)
		return err;
	pin_path(dir, sizeof(dir), root, NULL, NULL);
	mkdir(dir, 0700);
	pin_path(path, sizeof(path), root, NULL, "seg_in");
	err = pin_fd(bpf_program__fd(dp->eg->progs.shim6_seg_in), path);
	if (err)
		return err;
	return set_seg_ifindex(bpf_map__fd(dp->eg->maps.shim6_cfg), (uint32_t)seg);
}

static enum shim6_ingress_mode default_ingress(const char *ifname)
{
	char drv[32];

	/* XDP on veth costs 3x TCP throughput here (it turns GRO off and adds
	 * a NAPI pass); on physical NICs XDP is the fast path. */
	if (shim6_dev_driver(ifname, drv, sizeof(drv)) == 0 && strcmp(drv, "veth") == 0)
		return SHIM6_INGRESS_TC;
	return SHIM6_INGRESS_XDP;
}

int shim6_attach(const char *root, const struct shim6_attach_opts *o)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dataplane dp = {};
	enum shim6_ingress_mode ingress;
	int ifindex, lock, err;
	bool created;

	ifindex = (int)if_nametoindex(o->ifname);
	if (!ifindex) {
		pr_err("no such device: %s\n", o->ifname);
		return -ENODEV;
	}
	if (strncmp(o->ifname, "shim6seg", 8) == 0) {
		pr_err("%s is shim6's own segmentation device\n", o->ifname);
		return -EINVAL;
	}
	err = shim6_pin_root_prepare(root);
	if (err)
		return err;
	lock = shim6_lock(root);
	if (lock < 0)
		return lock;
	err = dataplane_load(root, o->max_ctx, &dp);
	if (err)
		goto out;

	if (o->no_seg)
		err = set_seg_ifindex(bpf_map__fd(dp.eg->maps.shim6_cfg), 0);
	else
		err = seg_attach(root, &dp);
	if (err)
		goto out;

	pin_path(dir, sizeof(dir), root, "", NULL);
	mkdir(dir, 0700);
	pin_path(dir, sizeof(dir), root, o->ifname, NULL);
	mkdir(dir, 0700);

	err = tc_hook(ifindex, o->ifname, &created);
	if (err)
		goto out;
	if (created) {
		pin_path(path, sizeof(path), root, o->ifname, "qdisc");
		mkdir(path, 0700);
	}
	err = tc_attach(ifindex, o->ifname, BPF_TC_EGRESS,
			bpf_program__fd(dp.eg->progs.shim6_egress));
	if (err)
		goto out;
	pin_path(path, sizeof(path), root, o->ifname, "egress");
	err = pin_fd(bpf_program__fd(dp.eg->progs.shim6_egress), path);
	if (err)
		goto out;

	ingress = o->ingress ?: default_ingress(o->ifname);
	if (ingress == SHIM6_INGRESS_TC) {
		pin_path(path, sizeof(path), root, o->ifname, "xdp_link");
		unlink(path); /* switching from XDP: the link goes with its pin */
		err = tc_attach(ifindex, o->ifname, BPF_TC_INGRESS,
				bpf_program__fd(dp.in->progs.shim6_tc_in));
		if (err)
			goto out;
		pin_path(path, sizeof(path), root, o->ifname, "tc_in");
		err = pin_fd(bpf_program__fd(dp.in->progs.shim6_tc_in), path);
	} else {
		pin_path(path, sizeof(path), root, o->ifname, "tc_in");
		tc_detach_pinned(ifindex, BPF_TC_INGRESS, path);
		pin_path(path, sizeof(path), root, o->ifname, "xdp_link");
		err = xdp_attach(ifindex, o->ifname, bpf_program__fd(dp.in->progs.shim6_xdp_in),
				 o->xdp_mode, path);
	}
out:
	dataplane_close(&dp);
	shim6_unlock(lock);
	return err;
}

static bool dir_empty(const char *path)
{
	struct dirent *de;
	bool empty = true;
	DIR *d = opendir(path);

	if (!d)
		return true;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* The last device went: remove the segmentation stage. */
static void seg_detach(const char *root)
{
	char path[PATH_MAX];
	int cfg_fd;

	shim6_seg_destroy(); /* its filters and qdisc go with it */
	pin_path(path, sizeof(path), root, NULL, "seg_in");
	unlink(path);
	pin_path(path, sizeof(path), root, NULL, NULL);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/shim6_cfg", root);
	cfg_fd = bpf_obj_get(path);
	if (cfg_fd >= 0) {
		set_seg_ifindex(cfg_fd, 0);
		close(cfg_fd);
	}
}

int shim6_detach(const char *root, const char *ifname)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct stat st;
	int ifindex, lock;

	if (pin_path(dir, sizeof(dir), root, ifname, NULL))
		return -ENAMETOOLONG;
	if (stat(dir, &st)) {
		if (!if_nametoindex(ifname))
			pr_err("no such device: %s\n", ifname);
		else
			pr_err("shim6 is not attached to %s (nothing under %s)\n", ifname,
				dir);
		return -ENOENT;
	}
	lock = shim6_lock(root);
	if (lock < 0)
		return lock;
	ifindex = (int)if_nametoindex(ifname);

	pin_path(path, sizeof(path), root, ifname, "egress");
	tc_detach_pinned(ifindex, BPF_TC_EGRESS, path);
	pin_path(path, sizeof(path), root, ifname, "tc_in");
	tc_detach_pinned(ifindex, BPF_TC_INGRESS, path);
	pin_path(path, sizeof(path), root, ifname, "xdp_link");
	unlink(path); /* the last reference to the link: XDP detaches */
	pin_path(path, sizeof(path), root, ifname, "qdisc");
	if (stat(path, &st) == 0) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

		if (ifindex > 0)
			bpf_tc_hook_destroy(&hook);
		rmdir(path);
	}
	if (rmdir(dir))
		pr_err("cannot remove %s: %s\n", dir, strerror(errno));

	pin_path(dir, sizeof(dir), root, "", NULL);
	if (dir_empty(dir)) {
		rmdir(dir);
		seg_detach(root);
	}
	shim6_unlock(lock);
	return 0;
}

int shim6_for_each_dev(const char *root,
		       int (*fn)(const struct shim6_dev_status *st, void *arg), void *arg)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	int n = 0, err;
	DIR *d;

	pin_path(dir, sizeof(dir), root, "", NULL);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		struct shim6_dev_status st = {};
		struct stat sb;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= IF_NAMESIZE)
			continue;
		snprintf(st.ifname, sizeof(st.ifname), "%s", de->d_name);
		st.ifindex = (int)if_nametoindex(st.ifname);
		pin_path(path, sizeof(path), root, st.ifname, "egress");
		st.egress_id = pinned_prog_id(path);
		st.egress_ok = st.egress_id && tc_filter_id(st.ifindex, BPF_TC_EGRESS) == st.egress_id;
		pin_path(path, sizeof(path), root, st.ifname, "xdp_link");
		if (stat(path, &sb) == 0) {
			uint32_t id = 0;

			st.ingress = SHIM6_INGRESS_XDP;
			st.ingress_id = pinned_link_prog_id(path);
			if (st.ifindex > 0 && bpf_xdp_query_id(st.ifindex, 0, &id) == 0)
				st.ingress_ok = st.ingress_id && id == st.ingress_id;
		} else {
			st.ingress = SHIM6_INGRESS_TC;
			pin_path(path, sizeof(path), root, st.ifname, "tc_in");
			st.ingress_id = pinned_prog_id(path);
			st.ingress_ok = st.ingress_id &&
					tc_filter_id(st.ifindex, BPF_TC_INGRESS) == st.ingress_id;
		}
		err = fn(&st, arg);
		n++;
		if (err) {
			closedir(d);
			return err;
		}
	}
	closedir(d);
	return n;
}
