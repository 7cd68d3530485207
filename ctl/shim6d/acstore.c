// SPDX-License-Identifier: GPL-2.0
/* Per-prefix CGA Parameters files; see acstore.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/shim6d/acstore.h"

#define SUFFIX ".params"

int acstore_path(const char *dir, const uint8_t prefix[8], char *out, size_t len)
{
	int n = snprintf(out, len, "%s/%02x%02x%02x%02x%02x%02x%02x%02x" SUFFIX, dir,
			 prefix[0], prefix[1], prefix[2], prefix[3], prefix[4], prefix[5],
			 prefix[6], prefix[7]);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int acstore_mkdir(const char *dir)
{
	char buf[4096], *s;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int acstore_save(const char *dir, const uint8_t prefix[8], const struct cga_params *p)
{
	char path[4096], tmp[4200];
	uint8_t *buf;
	int fd, n, ret;

	ret = acstore_path(dir, prefix, path, sizeof(path));
	if (ret)
		return ret;
	ret = acstore_mkdir(dir);
	if (ret)
		return ret;
	buf = malloc(CGA_PARAMS_MAX);
	if (!buf)
		return -ENOMEM;
	n = cga_params_encode(p, buf, CGA_PARAMS_MAX);
	if (n < 0) {
		free(buf);
		return n;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	ret = 0;
	if (fchmod(fd, 0644) < 0 || write(fd, buf, (size_t)n) != n || fsync(fd) < 0)
		ret = errno ? -errno : -EIO;
	close(fd);
	free(buf);
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int acstore_load(const char *dir, const uint8_t prefix[8], const uint8_t *spki,
		 size_t spki_len, unsigned int sec, struct cga_params *p, uint8_t addr[16],
		 const char **why)
{
	char path[4096];
	const char *dummy;
	int ret;

	if (!why)
		why = &dummy;
	ret = acstore_path(dir, prefix, path, sizeof(path));
	if (ret)
		return ret;
	ret = cga_params_read_file(path, p);
	if (ret == -ENOENT)
		return ret;
	if (ret) {
		*why = "unreadable or malformed";
		return -EINVAL;
	}
	if (memcmp(p->prefix, prefix, 8) != 0) {
		*why = "made for another prefix";
		return -EINVAL;
	}
	if (p->pubkey_len != spki_len || memcmp(p->pubkey, spki, spki_len) != 0) {
		*why = "made with another key";
		return -EINVAL;
	}
	if (p->ext_len) {
		*why = "has extension fields (not a plain CGA)";
		return -EINVAL;
	}
	cga_address(p, sec, addr);
	if (cga_verify(addr, p) != CGA_OK) {
		*why = "do not satisfy the configured Sec";
		return -EINVAL;
	}
	return 0;
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int acstore_scan(const char *dir, void (*fn)(const uint8_t prefix[8], void *arg), void *arg)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		uint8_t pfx[8];
		int i, hi, lo;

		if (strlen(de->d_name) != 16 + strlen(SUFFIX) || strcmp(de->d_name + 16, SUFFIX))
			continue;
		for (i = 0; i < 8; i++) {
			hi = unhex(de->d_name[2 * i]);
			lo = unhex(de->d_name[2 * i + 1]);
			if (hi < 0 || lo < 0)
				break;
			pfx[i] = (uint8_t)(hi << 4 | lo);
		}
		if (i == 8)
			fn(pfx, arg);
	}
	closedir(d);
	return 0;
}
