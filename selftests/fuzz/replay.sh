#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Replay a corpus directory through a libFuzzer binary once (no mutation):
# proves every stored input still runs clean under ASan/UBSan.
set -uo pipefail
bin=$1 dir=$2
name=$(basename "$bin")
if [ ! -d "$dir" ] || [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
	echo "[$name/replay] FAIL (corpus $dir is empty)"
	echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
n=$(ls "$dir" | wc -l)
if "$bin" -runs=0 "$dir" >/tmp/replay.$$ 2>&1; then
	echo "[$name/replay] PASS ($n inputs)"
	echo "1 passed, 0 failed, 0 skipped"; rm -f /tmp/replay.$$
else
	tail -n 30 /tmp/replay.$$; rm -f /tmp/replay.$$
	echo "[$name/replay] FAIL"
	echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
