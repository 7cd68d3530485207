// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the crypto unit tests; see crypto_helpers.h. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/key.h"
#include "ctl/common/parse.h"
#include "selftests/unit/crypto_helpers.h"

static char exe_dir[PATH_MAX];

static const char *self_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n;

	if (exe_dir[0])
		return exe_dir;
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return ".";
	buf[n] = '\0';
	snprintf(exe_dir, sizeof(exe_dir), "%s", dirname(buf));
	return exe_dir;
}

long ct_data_read(const char *name, void *buf, size_t max)
{
	static const char *const rel[] = { "", "/..", "/../.." };
	char path[PATH_MAX * 2];
	unsigned int i;
	long n;

	snprintf(path, sizeof(path), "selftests/unit/data/%s", name);
	n = read_file(path, buf, max);
	if (n >= 0)
		return n;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s%s/selftests/unit/data/%s", self_dir(), rel[i],
			 name);
		n = read_file(path, buf, max);
		if (n >= 0)
			return n;
	}
	return n;
}

const char *ct_shim6ctl_path(void)
{
	static char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/shim6ctl", self_dir());
	if (access(path, X_OK) == 0)
		return path;
	snprintf(path, sizeof(path), "%s/../shim6ctl", self_dir()); /* .output/asan/ */
	if (access(path, X_OK) == 0)
		return path;
	return NULL;
}

static char tmpdir[64];

static void rm_tmpdir(void)
{
	char cmd[128];

	if (tmpdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd)) {
			/* best effort */
		}
	}
}

const char *ct_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/shim6-crypto-test.XXXXXX");
		if (!mkdtemp(tmpdir))
			return "/tmp";
		atexit(rm_tmpdir);
	}
	return tmpdir;
}

static void slurp(const char *path, char *buf, size_t len)
{
	long n;

	if (!buf || !len)
		return;
	n = read_file(path, buf, len - 1);
	if (n == -EFBIG)
		n = (long)len - 1;
	buf[n > 0 ? n : 0] = '\0';
}

int ct_run(char *out, size_t outlen, char *err, size_t errlen, const char *fmt, ...)
{
	char cmd[8192], o[PATH_MAX], e[PATH_MAX], full[8192 + 2 * PATH_MAX + 32];
	FILE *f;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(o, sizeof(o), "%s/run.out", ct_tmpdir());
	snprintf(e, sizeof(e), "%s/run.err", ct_tmpdir());
	snprintf(full, sizeof(full), "(%s) >'%s' 2>'%s'", cmd, o, e);
	f = popen(full, "r");
	if (!f)
		return -1;
	st = pclose(f);
	slurp(o, out, outlen);
	slurp(e, err, errlen);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

EVP_PKEY *ct_rsa_key(unsigned int bits)
{
	static EVP_PKEY *keys[5];
	unsigned int i = bits / 1024;

	if (i == 0 || i > 4)
		return NULL;
	if (!keys[i] && key_generate(bits, &keys[i]))
		return NULL;
	return keys[i];
}

size_t ct_unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int b;

	while (hex[0] && hex[1] && n < max && sscanf(hex, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}
