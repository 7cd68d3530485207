// SPDX-License-Identifier: GPL-2.0
/* Trigger policy; see trigger.h. */
#include <errno.h>

#include "ctl/shim6d/core.h"
#include "ctl/shim6d/trigger.h"

bool trigger_is_eui64(const uint8_t addr[16])
{
	return addr[11] == 0xff && addr[12] == 0xfe;
}

int trigger_event(struct shim6d *d, const uint8_t ulid_local[16], const uint8_t ulid_peer[16])
{
	if (d->cfg.server_mode)
		return -EPERM;
	if (d->cfg.skip_eui64 && trigger_is_eui64(ulid_peer))
		return -EADDRNOTAVAIL;
	return proto_start(d, ulid_local, ulid_peer, NULL);
}
