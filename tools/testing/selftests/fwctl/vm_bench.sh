#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the fwctl benchmarks, for busybox sh: loads the CXL stack
# (when the machine has a CXL memory device), fwctl, the mock with two
# devices and cxl_fwctl, then runs fwctl_bench, which prints its table and
# TAP. A short run unless the kernel command line holds fwctl_bench=full;
# fwctl_bench_groups=small,cxl limits the run to those groups of figures.

# shellcheck source-path=SCRIPTDIR source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"
rc=0

if [ -f "$MODDIR/cxl_pci.ko" ] && grep -q devm_cxl_fwctl_add "$MODDIR/cxl_pci.ko"; then
	load fwctl || rc=1
	load cxl_fwctl || rc=1
fi
# A CXL type-3 memory device has PCI class 0x050210
cxl=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/class" 2>/dev/null)" = 0x050210 ] && cxl=1
done
if [ -n "$cxl" ]; then
	load_cxl_stack || rc=1
fi
load fwctl || rc=1
load fwctl_mock ndevs=2 || rc=1
if [ -n "$cxl" ]; then
	load cxl_fwctl || rc=1
	wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*' || rc=1
fi

mode=-q
grep -q 'fwctl_bench=full' /proc/cmdline && mode=
groups=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^fwctl_bench_groups=//p' | tr , ' ')
echo "# vm_bench: $(nproc) CPUs, fwctl_bench $mode $groups"
# shellcheck disable=SC2086 # one word per option and group
"$TESTDIR/fwctl_bench" $mode $groups || rc=1
kernel_log_clean || rc=1

echo "# vm_bench: exit $rc"
exit $rc
