#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the CXL fwctl selftests, for busybox sh.
#
# Expects QEMU's emulated CXL type-3 device with an LSA and a guest booted
# with pci=nomsi (see Documentation/userspace-api/fwctl/fwctl-cxl.rst).
# Loads the CXL stack, fwctl, cxl_fwctl and the test-only cxl_fwctl_sim,
# runs the cxl selftest (TAP), unloads the fwctl modules again and scans
# the kernel log. Exits non-zero on any failure.
#
#   MODDIR   directory of the .ko files: fwctl, cxl_fwctl, cxl_fwctl_sim and
#            the distribution's CXL modules, decompressed (default /mods)
#   TESTDIR  directory of the cxl binary and of cxl_lsa.bin, a copy of the
#            LSA backing file as the host wrote it (default /tests)

MODDIR=${MODDIR:-/mods}
TESTDIR=${TESTDIR:-/tests}
rc=0

# shellcheck source-path=SCRIPTDIR source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"

log() {
	echo "# vm_cxl: $*"
}

# A cxl_pci carrying the in-tree hook calls into cxl_fwctl: load it first.
# Otherwise cxl_fwctl comes after the CXL stack and finds the memdev
# already there; the hot-remove test then rebinds cxl_pci and exercises
# its bus notifier.
if [ -f "$MODDIR/cxl_pci.ko" ] && grep -q devm_cxl_fwctl_add "$MODDIR/cxl_pci.ko"; then
	log "cxl_pci creates the fwctl devices (in-tree hook)"
	# cxl_fwctl needs cxl_core, a module on kernels that do not build it in
	optional cxl_core
	load fwctl || rc=1
	load cxl_fwctl || rc=1
fi

load_cxl_stack || rc=1
for m in fwctl cxl_fwctl cxl_fwctl_sim; do
	load "$m" || rc=1
done

# The memdev and its fwctl node appear asynchronously
wait_for '/sys/bus/cxl/devices/mem*/fwctl'
for f in /sys/bus/cxl/devices/mem*/fwctl/fwctl*; do
	[ -e "$f" ] && echo "# $f"
done

CXL_LSA_FILE="$TESTDIR/cxl_lsa.bin" "$TESTDIR/cxl" || rc=1

# The modules must go even with a file open, and their devices with them.
# In-tree, cxl_pci holds cxl_fwctl and unbinding it comes first.
node=
for f in /sys/bus/cxl/devices/mem*/fwctl/fwctl*; do
	[ -e "$f" ] && node=/dev/fwctl/${f##*/}
done
if [ -n "$node" ]; then
	exec 3<>"$node"
else
	log "no fwctl node left to hold open"
	rc=1
fi
for m in cxl_fwctl_sim cxl_pci cxl_fwctl; do
	[ -d "/sys/module/$m" ] || continue
	if [ "$m" = cxl_pci ] && ! grep -q devm_cxl_fwctl_add "$MODDIR/cxl_pci.ko" 2>/dev/null; then
		continue
	fi
	if ! rmmod "$m"; then
		log "rmmod $m failed"
		rc=1
	fi
done
[ -n "$node" ] && exec 3>&-
for f in /sys/class/fwctl/fwctl*; do
	if [ -e "$f" ]; then
		log "fwctl device left behind: $f"
		rc=1
	fi
done

# Debug kernels: everything the tests allocated must be gone
[ -e /sys/kernel/debug/kmemleak ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ -e /sys/kernel/debug/kmemleak ]; then
	# kmemleak only reports objects older than 5 s
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	log "kmemleak: $(grep -c unreferenced /sys/kernel/debug/kmemleak) unreferenced objects"
	if grep -qE 'fwctl|cxl' /sys/kernel/debug/kmemleak; then
		log "kmemleak reports leaks of fwctl or CXL code:"
		sed 's/^/# /' /sys/kernel/debug/kmemleak
		rc=1
	fi
fi

if ! kernel_log_clean; then
	log "kernel log reports a problem"
	rc=1
fi

log "exit $rc"
exit $rc
