/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim6d configuration: defaults, and the parser of shim6d.conf.
 *
 * Format (documented with every key in ctl/shim6d/shim6d.conf.example):
 * one "key value" per line, '#' starts a comment, blank lines ignored,
 * "[section]" or "[section ARG]" opens a section.  Unknown keys, bad values,
 * duplicates are errors that name the file and line.
 *
 * Durations are stored in milliseconds and written "4", "4s", "500ms",
 * "2min" (a bare number is seconds).
 */
#ifndef SHIM6D_CONFIG_H
#define SHIM6D_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_IFACES	32
#define CONFIG_MAX_ADDRS	64
#define CONFIG_PATH_MAX		256
#define CONFIG_IFNAME_MAX	16

enum config_ingress { CONFIG_INGRESS_TC = 0, CONFIG_INGRESS_XDP = 1 };

struct config_iface {
	char	name[CONFIG_IFNAME_MAX];
	int	ingress;		/* enum config_ingress */
	int	line;			/* where it was declared, for messages */
};

/* A local address we may announce: its CGA/HBA parameters (and key for CGA). */
struct config_addr {
	uint8_t	addr[16];
	char	params[CONFIG_PATH_MAX];	/* CGA Parameters, RFC 3972 §3, binary */
	char	key[CONFIG_PATH_MAX];		/* private key (PEM), CGA signing; "" for HBA */
	uint8_t	preference;			/* Locator Preferences option, 0 = default */
	int	line;
};

/* RFC 5533 §14 constants, overridable (tests shorten them). */
struct config_timers {
	uint32_t i1_timeout_ms;		/* I1_TIMEOUT 4 s */
	uint32_t i1_retries;		/* I1_RETRIES_MAX 4 */
	uint32_t i2_timeout_ms;		/* I2_TIMEOUT 4 s */
	uint32_t i2_retries;		/* I2_RETRIES_MAX 2 */
	uint32_t i2bis_timeout_ms;	/* I2bis_TIMEOUT 4 s */
	uint32_t i2bis_retries;		/* I2bis_RETRIES_MAX 2 */
	uint32_t no_r1_holddown_ms;	/* NO_R1_HOLDDOWN_TIME 1 min */
	uint32_t icmp_holddown_ms;	/* ICMP_HOLDDOWN_TIME 10 min */
	uint32_t validator_lifetime_ms;	/* VALIDATOR_MIN_LIFETIME 30 s */
	uint32_t update_timeout_ms;	/* UPDATE_TIMEOUT 4 s */
	uint32_t max_update_timeout_ms;	/* MAX_UPDATE_TIMEOUT 120 s */
	uint32_t send_timeout_ms;	/* REAP Send Timeout 15 s (RFC 5534 §7) */
	uint32_t keepalive_interval_ms;	/* REAP Keepalive Interval, 0: a third of the peer's timeout */
	uint32_t reap_jitter_pct;	/* REAP timeout randomisation ±%, RFC 5534 §4.1 (10) */
	bool	fast_tcp_recovery;	/* TCP-LD kick of the connections on a path change (on) */
	uint32_t tcp_rto_min_ms;	/* locked rto_min on the per-peer routes, 0: none (0) */
};

/* [autoconf]: CGAs configured from Router Advertisements (docs/AUTOCONF.md). */
struct config_autoconf {
	bool	enable;
	char	key[CONFIG_PATH_MAX];		/* private key (PEM) the CGAs are made with */
	char	hba_set[CONFIG_PATH_MAX];	/* CGA-compatible HBA set (RFC 5535), "" none */
	uint32_t sec;				/* CGA Sec, 0..2 */
	uint32_t threads;			/* Hash2 search threads per address, 0: every CPU */
	char	state_dir[CONFIG_PATH_MAX];	/* CGA Parameters per prefix, kept across restarts */
	bool	disable_kernel_slaac;		/* net.ipv6.conf.DEV.autoconf=0 while running */
	bool	two_hour_rule;			/* RFC 4862 §5.5.3 e) */
	bool	solicit;			/* send a Router Solicitation at start */
	uint32_t preference;			/* Locator Preferences value of the addresses */
	int	line;
};

struct config {
	/* [daemon] */
	int	log_level;			/* LOG_* */
	char	control_socket[CONFIG_PATH_MAX];
	char	state_file[CONFIG_PATH_MAX];
	char	bpffs[CONFIG_PATH_MAX];
	bool	attach;				/* attach the data plane to the interfaces */
	bool	server_mode;			/* answer, never initiate */
	uint32_t max_contexts;
	uint32_t idle_timeout_ms;		/* 0: never collect */
	/* [trigger] */
	uint64_t trigger_bytes;
	uint32_t trigger_ms;
	bool	skip_eui64;
	struct config_timers timers;
	int	n_ifaces;
	struct config_iface ifaces[CONFIG_MAX_IFACES];
	int	n_addrs;
	struct config_addr addrs[CONFIG_MAX_ADDRS];
	struct config_autoconf autoconf;
};

void config_defaults(struct config *c);

/*
 * Parse `len` bytes of text named `name` (for messages) into c, which must
 * hold the defaults or an earlier state.  Returns 0, or -EINVAL with
 * "NAME:LINE: reason" in err.
 */
int config_parse_buf(struct config *c, const char *name, const char *buf, size_t len,
		     char *err, size_t errlen);
/* The same from a file; -errno with the reason in err if it cannot be read. */
int config_parse_file(struct config *c, const char *path, char *err, size_t errlen);

/* "4" -> 4000, "500ms" -> 500, "2min" -> 120000; -EINVAL if malformed or > max. */
int config_parse_duration(const char *s, uint32_t *ms);

#endif
