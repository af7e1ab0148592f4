#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the debug-kernel stress run (check-debug), for busybox sh
# on the debug kernel, machine with the mock, a CXL memory device and the
# edu device: loads every driver, then runs the permission matrix, the uAPI
# fuzzer, the fault-injection sweep and the unplug stress of each driver,
# scans kmemleak, and last fills the matrix's lockdown column by locking
# the kernel down. Sizes come from the kernel command line:
#   fwctl_calls=N   fuzzer calls (default 1000000)
#   fwctl_cycles=N  unbind/bind cycles per driver (default 1000)
#   fwctl_seed=N    fuzzer and stress seed (default 1)
# Prints TAP; the programs' results are top-level lines.

# shellcheck source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"

arg() {
	_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p")
	echo "${_v:-$2}"
}
CALLS=$(arg fwctl_calls 1000000)
CYCLES=$(arg fwctl_cycles 1000)
SEED=$(arg fwctl_seed 1)

# run NAME PROGRAM [ARGS]: its TAP lines are ours; a crash or a kill is a
# failure of its own (exit 1 comes with "not ok" lines, 4 is a skip)
run() {
	_name=$1
	shift
	echo "# $_name: $*"
	_t0=$(cut -d. -f1 /proc/uptime)
	timeout -s KILL 3000 "$@"
	_rc=$?
	echo "# $_name: exit $_rc after $(($(cut -d. -f1 /proc/uptime) - _t0)) s"
	case $_rc in
	0 | 4) ;;
	1) failed=1 ;;
	*) not_ok "$_name: exit status $_rc" ;;
	esac
}
failed=0

echo "TAP version 13"
echo "# fwctl debug run on $(uname -r): $CALLS calls, $CYCLES cycles, seed $SEED"
rc=0
load fwctl || rc=1
load fwctl_mock ndevs=2 || rc=1
cxl=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/class" 2>/dev/null)" = 0x050210 ] && cxl=1
done
if [ -n "$cxl" ]; then
	# cxl_fwctl needs cxl_core, cxl_pci needs cxl_fwctl
	optional cxl_core
	load cxl_fwctl || rc=1
	load_cxl_stack || rc=1
	wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*' || rc=1
fi
if [ -d /sys/bus/pci/devices ] && grep -qs 0x11e8 /sys/bus/pci/devices/*/device; then
	load accel_fwctl || rc=1
	wait_for '/sys/bus/pci/drivers/accel_fwctl/0*/fwctl/fwctl*' || rc=1
fi
check "load the drivers" [ $rc -eq 0 ]
for f in /sys/class/fwctl/*; do
	echo "# $(basename "$f"): type $(cat "$f/device_type"), $(readlink "$f/device")"
done

run matrix "$TESTDIR/fwctl_matrix"
run fuzz "$TESTDIR/fwctl_fuzz" -s "$SEED" -n "$CALLS"
# Every path of every driver; for the PCI drivers, register and unregister
# fail only allocations made by fwctl code (see fwctl_fault.c)
run fault "$TESTDIR/fwctl_fault"
for t in mock accel cxl; do
	run "stress-$t" "$TESTDIR/fwctl_stress" -t "$t" -c "$CYCLES" -j 4 -s "$SEED"
done

# Leaks, while debugfs is open: objects younger than 5 s are not reported
kmemleak=/sys/kernel/debug/kmemleak
if [ -e $kmemleak ]; then
	sleep 6
	if echo scan >$kmemleak; then
		leaks=$(grep -c '^unreferenced object' $kmemleak)
		head -n 60 $kmemleak | sed 's/^/# /'
		check "kmemleak: $leaks leaks" [ "$leaks" -eq 0 ]
	else
		not_ok "kmemleak: cannot scan, kmemleak is off"
		dmesg | grep -i kmemleak | sed 's/^/# /'
	fi
else
	skip kmemleak "no $kmemleak"
fi
check "kernel log clean" kernel_log_clean

# Last: the lockdown column, which lasts until reboot
run matrix-lockdown "$TESTDIR/fwctl_matrix" -l

[ "$FAIL" -eq 0 ] && [ "$failed" -eq 0 ]
