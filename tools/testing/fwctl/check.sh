#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: installs what is missing, then runs every test tier in
# turn and adds up their results. Each tier prints TAP lines and its own
# totals; the last line of the output sums them all:
#   N passed, N failed, N skipped
# A tier that cannot run, or that exits non-zero without reporting a
# failed test, counts as one failed test. Exits non-zero if anything failed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
exec </dev/null

TOOLS=$FWCTL_ROOT/tools/testing/fwctl
RESULTS=$BUILD/results
TOTAL_PASS=0
TOTAL_FAIL=0
TOTAL_SKIP=0
TABLE=()

# tier NAME COMMAND...: run one suite, collect its counts
tier() {
	local name=$1 t0=$SECONDS rc=0 p=0 f=0 s=0 line
	shift
	echo
	echo "=== $name"
	rm -f "$RESULTS/$name"
	FWCTL_COUNTS=$RESULTS/$name "$@" || rc=$?
	[ -s "$RESULTS/$name" ] && read -r p f s <"$RESULTS/$name"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exited with $rc without reporting a failure"
		f=$((f + 1))
	fi
	TOTAL_PASS=$((TOTAL_PASS + p))
	TOTAL_FAIL=$((TOTAL_FAIL + f))
	TOTAL_SKIP=$((TOTAL_SKIP + s))
	printf -v line '%-12s %4d passed, %3d failed, %3d skipped  %5d s' \
		"$name" "$p" "$f" "$s" $((SECONDS - t0))
	TABLE+=("$line")
	echo "=== $name: $((SECONDS - t0)) s"
}

mkdir -p "$RESULTS"
t0=$SECONDS
echo "=== setup"
if ! "$TOOLS/setup.sh"; then
	echo "setup failed: nothing was tested"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
echo "=== setup: $((SECONDS - t0)) s"

tier build-check "$TOOLS/lint.sh" build-check
tier checkpatch "$TOOLS/lint.sh" checkpatch
tier kernel-doc "$TOOLS/lint.sh" kernel-doc
tier tools "$TOOLS/tools.sh"
tier kunit "$TOOLS/kunit.sh"
tier mlx5-intree "$TOOLS/mlx5-intree.sh"
tier series "$TOOLS/series.sh"
tier docs "$TOOLS/docs.sh"
tier dkms "$TOOLS/dkms.sh"
tier vm-selftests "$TOOLS/vm.sh" -n vm-selftests \
	"$FWCTL_ROOT/tools/testing/selftests/fwctl/vm_run.sh"
tier vm-accel "$TOOLS/vm.sh" -n vm-accel -m edu \
	"$FWCTL_ROOT/tools/testing/selftests/fwctl/vm_accel.sh"
tier vm-cxl "$TOOLS/vm.sh" -n vm-cxl -m cxl \
	-d "cxl_acpi cxl_pci cxl_mem cxl_pmem" \
	"$FWCTL_ROOT/tools/testing/selftests/fwctl/vm_cxl.sh"
# FWCTL_LOCKDOWN=1 reaches the guest script through the kernel command
# line: the lockdown checks come last, nothing runs after them
tier vm-cli env VM_APPEND="${VM_APPEND:-} FWCTL_LOCKDOWN=1" \
	"$TOOLS/vm.sh" -n vm-cli -m demo \
	-d "cxl_acpi cxl_pci cxl_mem cxl_pmem" \
	"$FWCTL_ROOT/tools/fwctl/tests/vm_cli.sh"
tier bench-smoke "$TOOLS/vm.sh" -n bench-smoke -m cxl \
	-d "cxl_acpi cxl_pci cxl_mem cxl_pmem" \
	"$FWCTL_ROOT/tools/testing/selftests/fwctl/vm_bench.sh"
# Last, the longest: the debug kernel, built here, and everything on it.
# A million fuzzer calls, 1,000 unbind/bind cycles per driver
tier check-debug "$TOOLS/check-debug.sh"

echo
echo "=== summary ($((SECONDS - t0)) s)"
printf '%s\n' "${TABLE[@]}"
echo "$TOTAL_PASS passed, $TOTAL_FAIL failed, $TOTAL_SKIP skipped"
[ "$TOTAL_FAIL" -eq 0 ]
