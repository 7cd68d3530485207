#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: the failover demonstration on a namespace test bed.
# Placeholder until the data plane, shim6d and REAP land: it says what it
# will do and fails, rather than pretend.
cat >&2 <<'TXT'
make demo is not available yet. When the data plane, shim6d and REAP are in, it will:
  build the "site" test bed (hosts A and B behind two ISPs each), start shim6d on A and B,
  start a TCP transfer A -> B, show the context forming, cut A's primary ISP link,
  show REAP moving the flow to another locator pair, and check the transfer arrives intact.
TXT
exit 2
