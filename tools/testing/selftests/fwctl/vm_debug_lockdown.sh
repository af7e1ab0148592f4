#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the lockdown boots of check-debug, for busybox sh on the
# debug kernel booted with lockdown=integrity or lockdown=confidentiality
# (fwctl_lockdown=MODE on the command line says which is expected), with
# the mock, a CXL memory device and the edu device. Checks what each mode
# allows: the modules, signed by the kernel build, load and an unsigned
# copy does not; every scope below DEBUG_WRITE_FULL works and
# DEBUG_WRITE_FULL is refused with EPERM even to root, for every driver
# (fwctl_lockdown selftests, the permission matrix); the writable test
# hooks in debugfs are closed.

# shellcheck source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"

mode=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^fwctl_lockdown=//p')
echo "TAP version 13"
echo "# lockdown boot on $(uname -r): expecting [$mode]"
state=$(cat /sys/kernel/security/lockdown 2>/dev/null)
case $state in
*"[$mode]"*) ok "lockdown is [$mode] from boot" ;;
*) not_ok "lockdown is [$mode] from boot: '$state'" ;;
esac

# An unsigned copy of a module: strip the appended signature (its length
# is the last field of struct module_signature, before the 28-byte magic)
ko=$MODDIR/fwctl_mock.ko
size=$(wc -c <"$ko")
# shellcheck disable=SC2046 # the four bytes, as four words
set -- $(tail -c 32 "$ko" | head -c 4 | od -An -tu1)
siglen=$(($1 * 16777216 + $2 * 65536 + $3 * 256 + $4))
if [ "$(tail -c 28 "$ko")" = "~Module signature appended~" ]; then
	head -c $((size - 28 - 12 - siglen)) "$ko" >/tmp/fwctl_mock.ko
	if out=$(insmod /tmp/fwctl_mock.ko 2>&1); then
		not_ok "an unsigned module is refused"
		rmmod fwctl_mock
	else
		ok "an unsigned module is refused: $out"
	fi
else
	not_ok "fwctl_mock.ko carries no signature"
fi

rc=0
load fwctl || rc=1
load fwctl_mock ndevs=2 || rc=1
if grep -qs 0x050210 /sys/bus/pci/devices/*/class; then
	# cxl_fwctl needs cxl_core, cxl_pci needs cxl_fwctl
	optional cxl_core
	load cxl_fwctl || rc=1
	load_cxl_stack || rc=1
	wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*' || rc=1
fi
if grep -qs 0x11e8 /sys/bus/pci/devices/*/device; then
	load accel_fwctl || rc=1
	wait_for '/sys/bus/pci/drivers/accel_fwctl/0*/fwctl/fwctl*' || rc=1
fi
check "signed modules load" [ $rc -eq 0 ]

"$TESTDIR/fwctl_lockdown"
"$TESTDIR/fwctl_matrix"

# The accelerator's test hooks are writable debugfs files: closed
hook=
for f in /sys/kernel/debug/accel_fwctl/*/*; do
	[ -f "$f" ] && hook=$f && break
done
if [ -z "$hook" ]; then
	skip "debugfs test hooks closed" "no accel_fwctl debugfs files"
elif (: >"$hook") 2>/dev/null; then
	not_ok "debugfs test hooks closed: $hook is writable"
else
	ok "debugfs test hooks closed"
fi
check "kernel log clean" kernel_log_clean
[ "$FAIL" -eq 0 ]
