#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the fwctl selftests inside a guest, as root, with busybox:
#   MODDIR   directory with fwctl.ko and fwctl_mock.ko (default /fwctl/modules)
#   TESTDIR  directory with the static test programs (default /fwctl/tests)
#
# Loads the modules, runs each test program, the module unload phase, and
# last the lockdown phase, which cannot be undone before reboot. Prints TAP:
# every result of every program is renumbered into one "ok N" sequence;
# everything else is a "# " comment. Exits 0 when nothing failed.

TIMEOUT=${FWCTL_TEST_TIMEOUT:-900}

# shellcheck source-path=SCRIPTDIR source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"
export MODDIR TESTDIR TIMEOUT

comment() {
	sed 's/^/# /'
}

# load_ok MODULE [PARAMS...]: loads it, one test
load_ok() {
	check "load $1" load "$@"
}

echo "TAP version 13"
echo "# fwctl selftests on $(uname -r), modules from $MODDIR"
mount_fs proc /proc
mount_fs sysfs /sys
mount_fs devtmpfs /dev
mount_fs tmpfs /tmp
mount_fs tracefs /sys/kernel/tracing
mount_fs securityfs /sys/kernel/security

load_ok fwctl
load_ok fwctl_mock ndevs=2
if [ -d /sys/bus/platform/drivers/fwctl_mock ] &&
   [ -n "$(ls /sys/class/fwctl 2>/dev/null)" ] &&
   [ -n "$(ls /dev/fwctl 2>/dev/null)" ]; then
	ok "mock devices appear in /sys/class/fwctl and /dev/fwctl"
else
	not_ok "mock devices appear in /sys/class/fwctl and /dev/fwctl"
fi

run_tap fwctl "$TESTDIR/fwctl"
run_tap abi_only "$TESTDIR/abi_only"

if [ -x "$TESTDIR/fwctl_demo" ]; then
	if out=$(timeout -s KILL 120 "$TESTDIR/fwctl_demo" 2>&1) &&
	   echo "$out" | grep -q "delivered"; then
		ok "fwctl_demo"
	else
		not_ok "fwctl_demo"
	fi
	echo "$out" | comment
else
	not_ok "fwctl_demo is missing"
fi

# Module unload and reload with files open; leaves both modules loaded
run_tap fwctl_unplug "$TESTDIR/fwctl_unplug"

# Last: lockdown stays until reboot, and refuses unsigned modules
lockdown=/sys/kernel/security/lockdown
if [ ! -w "$lockdown" ]; then
	skip "lockdown integrity" "no $lockdown"
elif grep -q '\[none\]' "$lockdown" &&
     ! (echo integrity >"$lockdown") 2>/dev/null; then
	not_ok "lockdown integrity: writing $lockdown failed"
else
	ok "lockdown integrity: $(cat "$lockdown")"
	run_tap fwctl_lockdown "$TESTDIR/fwctl_lockdown"
fi

check "kernel log has no BUG, WARNING or Oops" kernel_log_clean
dmesg | grep -i fwctl | comment

echo "1..$N"
echo "# fwctl selftests: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
