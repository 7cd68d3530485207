// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: shim6d's configuration parser on arbitrary bytes.  It
 * must return 0 or -EINVAL with a message, never crash or read out of bounds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/shim6d/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[256];
	int ret;

	config_defaults(&c);
	ret = config_parse_buf(&c, "fuzz", (const char *)data, size, err, sizeof(err));
	if (ret != 0 && ret != -EINVAL)
		abort();
	if (ret == -EINVAL && strncmp(err, "fuzz:", 5) != 0)
		abort();	/* every error names the file and line */
	if (ret == 0 && (c.n_ifaces > CONFIG_MAX_IFACES || c.n_addrs > CONFIG_MAX_ADDRS))
		abort();
	return 0;
}
