#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tier: builds the fwctl command and libfwctl in tools/fwctl/ (also
# statically, as VM guests need) and runs their host tests, which need no
# device. Their TAP output is shown and counted.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

out=$BUILD/tools
log=$BUILD/tools.log
mkdir -p "$out"
rc=0
{ make -C "$FWCTL_ROOT/tools/fwctl" OUTPUT="$out/" all static &&
  make -s -C "$FWCTL_ROOT/tools/fwctl" OUTPUT="$out/" check; } >"$log" 2>&1 || rc=$?
grep -aE '^(not )?ok [0-9]' "$log" || true
count_tap <"$log"
if [ "$rc" -ne 0 ] && [ "$N_FAIL" -eq 0 ]; then
	fail "tools: make exited with $rc"
	tail -n 20 "$log" | sed 's/^/# /'
fi
[ $((N_PASS + N_FAIL + N_SKIP)) -gt 0 ] || fail "tools: no test results"
summary tools
