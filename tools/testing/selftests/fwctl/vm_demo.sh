#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shows the fwctl mock device at work, inside a guest, as root:
#   MODDIR   directory with fwctl.ko and fwctl_mock.ko (default /fwctl/modules)
#   TESTDIR  directory with fwctl_demo (default /fwctl/tests)

MODDIR=${MODDIR:-/fwctl/modules}
TESTDIR=${TESTDIR:-/fwctl/tests}

grep -qs " /sys/kernel/tracing " /proc/mounts ||
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
for mod in fwctl fwctl_mock; do
	[ -d "/sys/module/$mod" ] || insmod "$MODDIR/$mod.ko" || exit 1
done

echo "Loaded fwctl.ko and fwctl_mock.ko; the mock created its devices:"
ls -l /dev/fwctl
echo

# The tracepoint shows every RPC the core handled
trace=/sys/kernel/tracing/events/fwctl/fwctl_rpc/enable
[ -w "$trace" ] && echo 1 >"$trace"

"$TESTDIR/fwctl_demo"
rc=$?

if [ -w "$trace" ]; then
	echo 0 >"$trace"
	echo
	echo "The fwctl_rpc tracepoint recorded:"
	grep fwctl_rpc /sys/kernel/tracing/trace | sed 's/^ *//'
fi

echo
echo "Unplugging fwctl_mock.0 while nothing is open, and plugging it back:"
echo fwctl_mock.0 >/sys/bus/platform/drivers/fwctl_mock/unbind && ls /dev/fwctl
echo fwctl_mock.0 >/sys/bus/platform/drivers/fwctl_mock/bind && ls /dev/fwctl
echo
echo "Kernel messages from fwctl:"
dmesg | grep -i fwctl
exit $rc
