// SPDX-License-Identifier: GPL-2.0
/* Helpers for the key, cga and hba objects; see crypto_cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crypto/key.h"
#include "ctl/shim6ctl/cli.h"
#include "ctl/shim6ctl/crypto_cli.h"

atomic_bool ccli_gen_cancel;
static struct sigaction old_int;
static int progress_shown;

static void on_sigint(int sig)
{
	(void)sig;
	atomic_store(&ccli_gen_cancel, true);
}

static void fmt_secs(char *buf, size_t len, double s)
{
	if (s < 90)
		snprintf(buf, len, "%.0fs", s);
	else if (s < 5400)
		snprintf(buf, len, "%.0fmin", s / 60);
	else
		snprintf(buf, len, "%.1fh", s / 3600);
}

/*
 * The search is memoryless: whatever has been tried, about 2^(16*Sec) tries
 * are still expected.  The ETA shown is the mean total time minus the time
 * spent, and "any moment" once the mean is passed.
 */
static void progress(const struct cga_gen_stats *st, unsigned int sec, void *arg)
{
	double rate = st->seconds > 0 ? (double)st->tries / st->seconds : 0;
	double mean = rate > 0 ? (double)(1ull << (16 * sec)) / rate : 0;
	char eta[32], spent[32];

	(void)arg;
	if (rate <= 0)
		return;
	fmt_secs(spent, sizeof(spent), st->seconds);
	if (mean > st->seconds)
		fmt_secs(eta, sizeof(eta), mean - st->seconds);
	else
		snprintf(eta, sizeof(eta), "any moment");
	fprintf(stderr, "\rHash2 search (Sec %u): %.1fM tries, %.2fM tries/s on %u threads, %s spent, ETA %s (Ctrl-C cancels)\033[K",
		sec, (double)st->tries / 1e6, rate / 1e6, st->threads, spent, eta);
	progress_shown = 1;
}

void ccli_gen_begin(struct cga_gen_opts *o)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	atomic_store(&ccli_gen_cancel, false);
	o->cancel = &ccli_gen_cancel;
	if (isatty(STDERR_FILENO))
		o->progress = progress;
}

void ccli_gen_end(void)
{
	sigaction(SIGINT, &old_int, NULL);
	if (progress_shown)
		fprintf(stderr, "\r\033[K");
	progress_shown = 0;
}

int ccli_load_key(const char *path, EVP_PKEY **key)
{
	char err[KEY_ERR_LEN];

	if (key_load_pem(path, key, err, sizeof(err)))
		return cli_error("cannot load key %s: %s", path, err);
	return 0;
}

long ccli_read_params(const char *path, uint8_t *buf, size_t max)
{
	long n = read_file(path, buf, max);

	if (n == -EFBIG) {
		cli_error("cannot read params %s: larger than %zu bytes", path, max);
		return -1;
	}
	if (n < 0) {
		cli_error("cannot read params %s: %s", path, strerror((int)-n));
		return -1;
	}
	return n;
}

int ccli_write_params(const char *path, const uint8_t *buf, size_t len)
{
	char tmp[4096];
	int fd, err = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return cli_error("cannot write %s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return cli_error("cannot write %s: %s", path, strerror(errno));
	if (write(fd, buf, len) != (ssize_t)len || fsync(fd))
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		unlink(tmp);
		return cli_error("cannot write %s: %s", path, strerror(err));
	}
	return 0;
}

void ccli_print_gen(const struct cga_params *p, unsigned int sec, const struct cga_gen_stats *st,
		   const char *out)
{
	uint8_t wire[CGA_PARAMS_MAX];
	int len = cga_params_encode(p, wire, sizeof(wire));

	print_uint(PRINT_ANY, "sec", "sec %" PRIu64 " ", sec);
	print_hexbuf(PRINT_ANY, "modifier", "modifier %s ", p->modifier, CGA_MODIFIER_LEN);
	print_uint(PRINT_ANY, "collision_count", "collision_count %" PRIu64 "\n", p->collision_count);
	print_uint(PRINT_ANY, "tries", "tries %" PRIu64 " ", st->tries);
	print_uint(PRINT_ANY, "threads", "threads %" PRIu64 " ", st->threads);
	print_float(PRINT_ANY, "seconds", "time %.3fs\n", st->seconds);
	if (out)
		print_string(PRINT_ANY, "params_file", "params_file %s\n", out);
	if (len > 0)
		print_hexbuf(PRINT_ANY, "params", "params %s\n", wire, (unsigned int)len);
}

int ccli_parse_sec(const char *arg, uint64_t *sec)
{
	if (parse_u64("sec", arg, 7, sec))
		return 1;
	if (*sec > CGA_SEC_MAX_SUPPORTED)
		return cli_error("invalid sec \"%s\": only Sec 0, 1 and 2 are defined (RFC 4982)",
				 arg);
	return 0;
}

int ccli_parse_threads(const char *arg, uint64_t *threads)
{
	if (parse_u64("threads", arg, 1024, threads))
		return 1;
	if (!*threads)
		return cli_error("invalid threads \"0\": at least 1");
	return 0;
}
