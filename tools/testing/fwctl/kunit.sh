#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# KUnit tier: builds a UML kernel with drivers/fwctl/.kunitconfig, runs
# its suites with the kernel's kunit.py and reports every test case.
#   KUNITCONFIG=file      another kunitconfig
#   KUNIT_BUILD_DIR=dir   another build directory (one per config: a config
#                         change means a near-full rebuild)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

KUNITCONFIG=${KUNITCONFIG:-$FWCTL_ROOT/drivers/fwctl/.kunitconfig}
KUNIT_BUILD_DIR=${KUNIT_BUILD_DIR:-$BUILD/kunit}
log=$BUILD/kunit.log
json=$BUILD/kunit.json

report() {
	summary kunit
	exit $?
}

[ -f "$KUNITCONFIG" ] || { fail "kunit: no $KUNITCONFIG"; report; }
[ -x "$KSRC/tools/testing/kunit/kunit.py" ] ||
	{ fail "kunit: no $KSRC, run 'make setup'"; report; }

rm -f "$json"
rc=0
(cd "$KSRC" && ./tools/testing/kunit/kunit.py run --arch=um \
	--build_dir="$KUNIT_BUILD_DIR" --kunitconfig="$KUNITCONFIG" \
	--jobs="$(nproc)" --json="$json") >"$log" 2>&1 || rc=$?

# One line per test case of the KernelCI JSON kunit.py writes: "STATUS name"
cases() {
	python3 - "$json" <<'PY'
import json, sys

def walk(group, prefix):
    for sub in group["sub_groups"]:
        walk(sub, prefix + sub["name"] + ".")
    for case in group["test_cases"]:
        print(case["status"], prefix + case["name"])

walk(json.load(open(sys.argv[1])), "")
PY
}

if [ -s "$json" ]; then
	while read -r status name; do
		case $status in
		PASS) pass "$name" ;;
		SKIP) skip "$name" ;;
		*) fail "$name ($status)" ;;
		esac
	done < <(cases)
fi
if [ "$rc" -ne 0 ] && [ "$N_FAIL" -eq 0 ]; then
	fail "kunit: kunit.py exited with $rc"
fi
[ $((N_PASS + N_FAIL + N_SKIP)) -gt 0 ] || fail "kunit: no test case ran"
if [ "$N_FAIL" -gt 0 ]; then
	echo "# last lines of ${log#"$FWCTL_ROOT"/}:"
	tail -n 40 "$log" | sed 's/^/# /'
fi
report
