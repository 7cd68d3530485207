/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim6d logging: syslog levels, one line per message on stderr.
 *
 * Under systemd (JOURNAL_STREAM set and matching stderr) each line starts
 * with "<N>" so journald records the level (sd-daemon(3) prefixes); on a
 * terminal the line starts with the level name instead.
 */
#ifndef SHIM6D_LOG_H
#define SHIM6D_LOG_H

#include <syslog.h>

/* Messages above `level` (LOG_ERR..LOG_DEBUG) are dropped. */
void log_set_level(int level);
int log_get_level(void);
/* "error", "warning", "notice", "info", "debug" -> LOG_*; -1 if unknown. */
int log_level_from_name(const char *name);
const char *log_level_name(int level);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
