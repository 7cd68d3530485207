// SPDX-License-Identifier: GPL-2.0
/*
 * shim6.conf parser: a line scanner and one table of keys per section.
 * Each key says where its value goes and how it is checked, so adding a
 * key is one table row.  No allocation: the whole config is one struct.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/shim6d/config.h"
#include "ctl/shim6d/log.h"

#define CONFIG_FILE_MAX (1 << 20)

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_INFO;
	strcpy(c->control_socket, "/run/shim6/shim6d.sock");
	strcpy(c->state_file, "/run/shim6/shim6d.state");
	strcpy(c->bpffs, "/sys/fs/bpf/shim6");
	c->attach = true;
	c->max_contexts = 65536;
	c->idle_timeout_ms = 300 * 1000;	/* RFC 5533 §9: at least 5 minutes */
	c->trigger_bytes = 2048;
	c->trigger_ms = 60 * 1000;
	c->skip_eui64 = false;
	c->timers = (struct config_timers){
		.i1_timeout_ms = 4000, .i1_retries = 4,
		.i2_timeout_ms = 4000, .i2_retries = 2,
		.i2bis_timeout_ms = 4000, .i2bis_retries = 2,
		.no_r1_holddown_ms = 60 * 1000, .icmp_holddown_ms = 600 * 1000,
		.validator_lifetime_ms = 30 * 1000,
		.update_timeout_ms = 4000, .max_update_timeout_ms = 120 * 1000,
		.send_timeout_ms = 15000, .keepalive_interval_ms = 0,	/* RFC 5534 §7 */
		.reap_jitter_pct = 10,
		.fast_tcp_recovery = true,
	};
	c->autoconf.sec = 1;
	c->autoconf.threads = 1;	/* a daemon shares the machine: one core */
	strcpy(c->autoconf.state_dir, "/var/lib/shim6/autoconf");
	c->autoconf.two_hour_rule = true;
	c->autoconf.solicit = true;
}

int config_parse_duration(const char *s, uint32_t *ms)
{
	unsigned long long v, mult;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == '\0' || strcmp(end, "s") == 0)
		mult = 1000;
	else if (strcmp(end, "ms") == 0)
		mult = 1;
	else if (strcmp(end, "min") == 0)
		mult = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		mult = 3600 * 1000;
	else
		return -EINVAL;
	if (v > UINT32_MAX / mult)
		return -ERANGE;
	*ms = (uint32_t)(v * mult);
	return 0;
}

/* ---- parser state and error reporting --------------------------------- */

struct parser {
	struct config *c;
	const char *name;
	int line;
	char *err;
	size_t errlen;
	/* current section: which table, and the object it fills */
	const struct key *keys;
	const char *section;
	struct config_iface *iface;
	struct config_addr *addr;
};

__attribute__((format(printf, 2, 3)))
static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->name, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* ---- value types ------------------------------------------------------ */

enum vtype { V_BOOL, V_U32, V_U64, V_DURATION, V_PATH, V_LOGLEVEL, V_INGRESS };

/* Where a value goes: the daemon config, the current iface or address. */
enum vbase { B_CONFIG, B_IFACE, B_ADDR };

struct key {
	const char *name;
	enum vtype type;
	enum vbase base;
	size_t off;
	uint64_t min, max;	/* integers and durations (ms) */
	size_t size;		/* paths: buffer size */
};

#define CK(n, t, f, lo, hi) { n, t, B_CONFIG, offsetof(struct config, f), lo, hi, \
			      sizeof(((struct config *)0)->f) }
#define IK(n, t, f, lo, hi) { n, t, B_IFACE, offsetof(struct config_iface, f), lo, hi, \
			      sizeof(((struct config_iface *)0)->f) }
#define AK(n, t, f, lo, hi) { n, t, B_ADDR, offsetof(struct config_addr, f), lo, hi, \
			      sizeof(((struct config_addr *)0)->f) }

static const struct key daemon_keys[] = {
	CK("log-level", V_LOGLEVEL, log_level, 0, 0),
	CK("control-socket", V_PATH, control_socket, 0, 0),
	CK("state-file", V_PATH, state_file, 0, 0),
	CK("bpffs", V_PATH, bpffs, 0, 0),
	CK("attach", V_BOOL, attach, 0, 0),
	CK("server-mode", V_BOOL, server_mode, 0, 0),
	CK("max-contexts", V_U32, max_contexts, 1, 16 * 1024 * 1024),
	CK("idle-timeout", V_DURATION, idle_timeout_ms, 0, UINT32_MAX),
	{ .name = NULL },
};

static const struct key trigger_keys[] = {
	CK("bytes", V_U64, trigger_bytes, 0, UINT64_MAX),
	CK("time", V_DURATION, trigger_ms, 0, UINT32_MAX),
	CK("skip-eui64", V_BOOL, skip_eui64, 0, 0),
	{ .name = NULL },
};

/* Retransmission timeouts must be > 0: a zero timer would spin. */
static const struct key timer_keys[] = {
	CK("i1-timeout", V_DURATION, timers.i1_timeout_ms, 10, 3600 * 1000),
	CK("i1-retries", V_U32, timers.i1_retries, 0, 100),
	CK("i2-timeout", V_DURATION, timers.i2_timeout_ms, 10, 3600 * 1000),
	CK("i2-retries", V_U32, timers.i2_retries, 0, 100),
	CK("i2bis-timeout", V_DURATION, timers.i2bis_timeout_ms, 10, 3600 * 1000),
	CK("i2bis-retries", V_U32, timers.i2bis_retries, 0, 100),
	CK("no-r1-holddown", V_DURATION, timers.no_r1_holddown_ms, 0, UINT32_MAX),
	CK("icmp-holddown", V_DURATION, timers.icmp_holddown_ms, 0, UINT32_MAX),
	CK("validator-lifetime", V_DURATION, timers.validator_lifetime_ms, 1000, 3600 * 1000),
	CK("update-timeout", V_DURATION, timers.update_timeout_ms, 10, 3600 * 1000),
	CK("max-update-timeout", V_DURATION, timers.max_update_timeout_ms, 10, UINT32_MAX),
	CK("send-timeout", V_DURATION, timers.send_timeout_ms, 200, 65535u * 1000u),
	CK("keepalive-interval", V_DURATION, timers.keepalive_interval_ms, 0, 65535u * 1000u),
	CK("reap-jitter", V_U32, timers.reap_jitter_pct, 0, 50),
	CK("fast-tcp-recovery", V_BOOL, timers.fast_tcp_recovery, 0, 0),
	CK("tcp-rto-min", V_DURATION, timers.tcp_rto_min_ms, 0, 200),
	{ .name = NULL },
};

static const struct key autoconf_keys[] = {
	CK("enable", V_BOOL, autoconf.enable, 0, 0),
	CK("key", V_PATH, autoconf.key, 0, 0),
	CK("hba-set", V_PATH, autoconf.hba_set, 0, 0),
	CK("sec", V_U32, autoconf.sec, 0, 2),
	CK("threads", V_U32, autoconf.threads, 0, 256),
	CK("state-dir", V_PATH, autoconf.state_dir, 0, 0),
	CK("disable-kernel-slaac", V_BOOL, autoconf.disable_kernel_slaac, 0, 0),
	CK("two-hour-rule", V_BOOL, autoconf.two_hour_rule, 0, 0),
	CK("solicit", V_BOOL, autoconf.solicit, 0, 0),
	CK("preference", V_U32, autoconf.preference, 0, 255),
	{ .name = NULL },
};

static const struct key iface_keys[] = {
	IK("ingress", V_INGRESS, ingress, 0, 0),
	{ .name = NULL },
};

static const struct key addr_keys[] = {
	AK("params", V_PATH, params, 0, 0),
	AK("key", V_PATH, key, 0, 0),
	AK("preference", V_U32, preference, 0, 255),
	{ .name = NULL },
};

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -EINVAL;
}

static int set_value(struct parser *p, const struct key *k, const char *v)
{
	char *base, *end;
	unsigned long long n;
	uint32_t ms;
	int lvl;

	base = k->base == B_CONFIG ? (char *)p->c
	     : k->base == B_IFACE ? (char *)p->iface : (char *)p->addr;
	base += k->off;

	switch (k->type) {
	case V_BOOL:
		if (parse_bool(v, (bool *)base))
			return perr(p, "\"%s\": \"%s\" is not yes or no", k->name, v);
		return 0;
	case V_U32:
	case V_U64:
		if (!isdigit((unsigned char)*v))
			return perr(p, "\"%s\": \"%s\" is not a number", k->name, v);
		errno = 0;
		n = strtoull(v, &end, 0);
		if (errno || *end)
			return perr(p, "\"%s\": \"%s\" is not a number", k->name, v);
		if (n < k->min || n > k->max)
			return perr(p, "\"%s\": %llu is out of range [%llu, %llu]", k->name, n,
				    (unsigned long long)k->min, (unsigned long long)k->max);
		if (k->size == 8)
			*(uint64_t *)base = n;
		else if (k->size == 4)
			*(uint32_t *)base = (uint32_t)n;
		else
			*(uint8_t *)base = (uint8_t)n;
		return 0;
	case V_DURATION:
		if (config_parse_duration(v, &ms))
			return perr(p, "\"%s\": \"%s\" is not a duration (e.g. 4, 4s, 500ms, 2min)",
				    k->name, v);
		if (ms < k->min || ms > k->max)
			return perr(p, "\"%s\": %s is out of range [%llums, %llums]", k->name, v,
				    (unsigned long long)k->min, (unsigned long long)k->max);
		*(uint32_t *)base = ms;
		return 0;
	case V_PATH:
		if (strlen(v) >= k->size)
			return perr(p, "\"%s\": path longer than %zu bytes", k->name, k->size - 1);
		strcpy(base, v);
		return 0;
	case V_LOGLEVEL:
		lvl = log_level_from_name(v);
		if (lvl < LOG_ERR)
			return perr(p, "\"%s\": \"%s\" is not one of error, warning, notice, info, debug",
				    k->name, v);
		*(int *)base = lvl;
		return 0;
	case V_INGRESS:
		if (strcmp(v, "tc") == 0)
			*(int *)base = CONFIG_INGRESS_TC;
		else if (strcmp(v, "xdp") == 0)
			*(int *)base = CONFIG_INGRESS_XDP;
		else
			return perr(p, "\"%s\": \"%s\" is not tc or xdp", k->name, v);
		return 0;
	}
	return perr(p, "internal: key type %d", k->type);
}

/* ---- sections --------------------------------------------------------- */

static int open_section(struct parser *p, char *name, char *arg)
{
	struct config *c = p->c;
	uint8_t a[16];
	int i;

	p->iface = NULL;
	p->addr = NULL;
	if (strcmp(name, "daemon") == 0 || strcmp(name, "trigger") == 0 ||
	    strcmp(name, "timers") == 0) {
		if (arg)
			return perr(p, "section [%s] takes no argument", name);
		p->keys = name[0] == 'd' ? daemon_keys : name[0] == 't' && name[1] == 'r'
			? trigger_keys : timer_keys;
		p->section = name[0] == 'd' ? "daemon" : name[1] == 'r' ? "trigger" : "timers";
		return 0;
	}
	if (strcmp(name, "autoconf") == 0) {
		if (arg)
			return perr(p, "section [autoconf] takes no argument");
		p->keys = autoconf_keys;
		p->section = "autoconf";
		c->autoconf.line = p->line;
		return 0;
	}
	if (strcmp(name, "interface") == 0) {
		if (!arg)
			return perr(p, "section [interface] needs a device name: [interface eth0]");
		if (strlen(arg) >= CONFIG_IFNAME_MAX)
			return perr(p, "interface name \"%s\" is longer than %d characters", arg,
				    CONFIG_IFNAME_MAX - 1);
		for (i = 0; i < c->n_ifaces; i++)
			if (strcmp(c->ifaces[i].name, arg) == 0)
				return perr(p, "interface \"%s\" already declared on line %d", arg,
					    c->ifaces[i].line);
		if (c->n_ifaces == CONFIG_MAX_IFACES)
			return perr(p, "more than %d interfaces", CONFIG_MAX_IFACES);
		p->iface = &c->ifaces[c->n_ifaces++];
		memset(p->iface, 0, sizeof(*p->iface));
		strcpy(p->iface->name, arg);
		p->iface->line = p->line;
		p->keys = iface_keys;
		p->section = "interface";
		return 0;
	}
	if (strcmp(name, "address") == 0) {
		if (!arg)
			return perr(p, "section [address] needs an IPv6 address: [address 2001:db8::1]");
		if (inet_pton(AF_INET6, arg, a) != 1)
			return perr(p, "\"%s\" is not an IPv6 address", arg);
		for (i = 0; i < c->n_addrs; i++)
			if (memcmp(c->addrs[i].addr, a, 16) == 0)
				return perr(p, "address %s already declared on line %d", arg,
					    c->addrs[i].line);
		if (c->n_addrs == CONFIG_MAX_ADDRS)
			return perr(p, "more than %d addresses", CONFIG_MAX_ADDRS);
		p->addr = &c->addrs[c->n_addrs++];
		memset(p->addr, 0, sizeof(*p->addr));
		memcpy(p->addr->addr, a, 16);
		p->addr->line = p->line;
		p->keys = addr_keys;
		p->section = "address";
		return 0;
	}
	return perr(p, "unknown section [%s] (known: daemon, trigger, timers, autoconf, interface, "
		    "address)",
		    name);
}

/* Checks that need a whole section: run when the next one opens and at EOF. */
static int close_section(struct parser *p)
{
	if (p->addr && !p->addr->params[0]) {
		p->line = p->addr->line;
		return perr(p, "[address] needs \"params FILE\" (its CGA/HBA parameters)");
	}
	if (p->section && strcmp(p->section, "autoconf") == 0 && p->c->autoconf.enable &&
	    !p->c->autoconf.key[0]) {
		p->line = p->c->autoconf.line;
		return perr(p, "[autoconf] enable yes needs \"key FILE\" (the CGAs' private key)");
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_line(struct parser *p, char *s)
{
	const struct key *k;
	char *hash, *sp, *val, *name, *arg;

	hash = strchr(s, '#');
	if (hash)
		*hash = '\0';
	s = trim(s);
	if (!*s)
		return 0;

	if (*s == '[') {
		char *close = strchr(s, ']');
		int err;

		if (!close || trim(close + 1)[0])
			return perr(p, "malformed section header \"%s\" (want [name] or [name arg])", s);
		*close = '\0';
		err = close_section(p);
		if (err)
			return err;
		name = trim(s + 1);
		arg = NULL;
		sp = strpbrk(name, " \t");
		if (sp) {
			*sp = '\0';
			arg = trim(sp + 1);
			if (strpbrk(arg, " \t"))
				return perr(p, "section [%s] takes one argument", name);
		}
		return open_section(p, name, arg);
	}

	sp = strpbrk(s, " \t");
	if (!sp)
		return perr(p, "\"%s\" needs a value", s);
	*sp = '\0';
	val = trim(sp + 1);
	if (!p->keys)
		return perr(p, "\"%s\" outside a section (start with [daemon])", s);
	for (k = p->keys; k->name; k++)
		if (strcmp(k->name, s) == 0)
			return set_value(p, k, val);
	return perr(p, "unknown key \"%s\" in [%s]", s, p->section);
}

int config_parse_buf(struct config *c, const char *name, const char *buf, size_t len,
		     char *err, size_t errlen)
{
	struct parser p = { .c = c, .name = name, .err = err, .errlen = errlen };
	char line[1024];
	size_t i = 0;
	int ret;

	if (errlen)
		err[0] = '\0';
	while (i < len) {
		size_t n = 0;

		p.line++;
		while (i < len && buf[i] != '\n') {
			if (buf[i] == '\0')
				return perr(&p, "NUL byte in the file");
			if (n == sizeof(line) - 1)
				return perr(&p, "line longer than %zu bytes", sizeof(line) - 1);
			line[n++] = buf[i++];
		}
		line[n] = '\0';
		i++; /* the newline */
		ret = parse_line(&p, line);
		if (ret)
			return ret;
	}
	return close_section(&p);
}

int config_parse_file(struct config *c, const char *path, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0 || st.st_size > CONFIG_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file of at most %d bytes", path,
			 CONFIG_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, buf, st.st_size);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-ret));
		free(buf);
		return ret;
	}
	ret = config_parse_buf(c, path, buf, (size_t)n, err, errlen);
	free(buf);
	return ret;
}
