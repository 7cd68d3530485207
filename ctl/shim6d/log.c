// SPDX-License-Identifier: GPL-2.0
/* Leveled logging to stderr, journald-aware; see log.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl/shim6d/log.h"

static int cur_level = LOG_INFO;
static int journal = -1; /* -1: not checked yet */

static const char *const names[] = {
	[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert", [LOG_CRIT] = "crit",
	[LOG_ERR] = "error", [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

void log_set_level(int level)
{
	cur_level = level;
}

int log_get_level(void)
{
	return cur_level;
}

int log_level_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	if (strcmp(name, "warn") == 0)
		return LOG_WARNING;
	return -1;
}

const char *log_level_name(int level)
{
	if (level < 0 || level > LOG_DEBUG)
		return "?";
	return names[level];
}

/* systemd sets JOURNAL_STREAM=dev:ino of the stream it connected to stderr. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%lu:%lu", &dev, &ino) != 2)
		return false;
	if (fstat(2, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_msg(int level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (level > cur_level)
		return;
	if (journal < 0)
		journal = stderr_is_journal();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (journal)
		fprintf(stderr, "<%d>%s\n", level, buf);
	else
		fprintf(stderr, "shim6d: %s: %s\n", log_level_name(level), buf);
}
