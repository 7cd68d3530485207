// SPDX-License-Identifier: GPL-2.0
/*
 * The pin root: checks before loading anything, the bpffs mount, the lock
 * that serialises mutating commands (xdp-tools' prog_lock_acquire), and
 * opening the pinned maps for the read-only commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "loader/loader.h"
#include "loader/fbd.h"

static bool loader_verbose;

/* libbpf's messages, demoted one level (xdp-tools logging.c): warnings
 * are shown, info/debug only with -d. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[1024];

	if (level != LIBBPF_WARN && !loader_verbose)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* bpf_tc_hook_create() on an existing clsact: expected, not news */
	if (strstr(msg, "Exclusivity flag on") && !loader_verbose)
		return 0;
	return fprintf(stderr, "%s: %s", program_invocation_short_name, msg);
}

void shim6_loader_log_init(bool verbose)
{
	loader_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

int shim6_pin_root_prepare(const char *root)
{
	char parent[PATH_MAX];
	char *slash;
	int err;

	if (geteuid() != 0) {
		pr_err("loading BPF programs needs root (CAP_BPF and CAP_NET_ADMIN)\n");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		pr_err("the kernel has no BTF (/sys/kernel/btf/vmlinux): "
				"shim6 needs CONFIG_DEBUG_INFO_BTF=y\n");
		return -EOPNOTSUPP;
	}
	if (snprintf(parent, sizeof(parent), "%s", root) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	slash = strrchr(parent, '/');
	if (!slash || slash == parent) {
		pr_err("pin root %s: must be a directory inside a bpffs\n", root);
		return -EINVAL;
	}
	*slash = '\0';

	if (!is_bpffs(root) && !is_bpffs(parent)) {
		/* The usual case on a fresh boot: /sys/fs/bpf exists but
		 * nobody mounted it.  Mount it, as bpftool and tc do. */
		if (strcmp(parent, "/sys/fs/bpf") == 0) {
			if (mount("bpf", parent, "bpf", 0, "mode=0700")) {
				err = -errno;
				pr_err("bpffs is not mounted on /sys/fs/bpf and mounting it "
						"failed: %s\n", strerror(errno));
				return err;
			}
		} else {
			pr_err("pin root %s is not inside a bpffs (mount one: "
					"mount -t bpf bpf %s)\n", root, parent);
			return -ENOTDIR;
		}
	}
	err = mkdir_p(root, 0700);
	if (err) {
		pr_err("cannot create pin root %s: %s\n", root, strerror(-err));
		return err;
	}
	return 0;
}

int shim6_lock(const char *root)
{
	int fd, err;

	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_err("cannot open pin root %s: %s\n", root, strerror(errno));
		return err;
	}
	if (flock(fd, LOCK_EX)) {
		err = -errno;
		pr_err("cannot lock pin root %s: %s\n", root, strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

void shim6_unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}

int shim6_maps_open(const char *root, struct shim6_maps *m)
{
	struct {
		int *fd;
		const char *name;
		bool required;
	} maps[] = {
		{ &m->ulid, "shim6_ulid", true },   { &m->tag, "shim6_tag", true },
		{ &m->loc, "shim6_loc", true },	    { &m->ptag, "shim6_ptag", false },
		{ &m->flow, "shim6_flow", false },  { &m->cfg, "shim6_cfg", true },
		{ &m->stats, "shim6_stats", true }, { &m->events, "shim6_events", false },
		{ &m->path, "shim6_path", false },  { &m->pair, "shim6_pair", false },
		{ &m->mark, "shim6_mark", false }, { &m->fbd, "shim6_fbd", false },
	};
	unsigned int i;
	int fd;

	m->fbd_mem = NULL;
	m->fbd_n = 0;
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		*maps[i].fd = -1;
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", root, maps[i].name);
		fd = bpf_obj_get(path);
		if (fd < 0) {
			int err = -errno;

			if (!maps[i].required && err == -ENOENT)
				continue;
			if (err == -ENOENT)
				pr_err("no shim6 maps under %s (%s missing): run "
						"`shim6ctl attach dev DEV` first\n", root, maps[i].name);
			else
				pr_err("cannot open pinned map %s: %s\n", path,
					strerror(-err));
			shim6_maps_close(m);
			return err;
		}
		*maps[i].fd = fd;
	}
	/* without the mapping contexts get no slot and REAP reads the hash maps */
	shim6_fbd_mmap(m);
	return 0;
}

void shim6_maps_close(struct shim6_maps *m)
{
	int *fds[] = { &m->ulid, &m->tag, &m->loc, &m->ptag,
		       &m->flow, &m->cfg, &m->stats, &m->events,
		       &m->path, &m->pair, &m->mark, &m->fbd };
	unsigned int i;

	shim6_fbd_munmap(m);
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

uint32_t shim6_map_max_entries(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.max_entries;
}

long shim6_map_count(int fd)
{
	uint8_t key[64], next[64];
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	void *prev = NULL;
	long n = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.key_size > sizeof(key))
		return -E2BIG;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, info.key_size);
		prev = key;
		n++;
	}
	return n;
}
