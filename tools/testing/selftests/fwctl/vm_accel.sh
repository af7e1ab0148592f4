#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the accelerator selftests, for busybox sh, as root.
#
# Expects QEMU's edu device behind an emulated IOMMU (-M q35,kernel-irqchip=split
# -device intel-iommu -device edu) and a guest booted with intel_iommu=on;
# see Documentation/userspace-api/fwctl/fwctl-accel.rst.
#
#   MODDIR   directory of fwctl.ko and accel_fwctl.ko, the latter built with
#            CONFIG_FWCTL_ACCEL_TEST (default /fwctl/modules)
#   TESTDIR  directory of the accel and accel_fuzz binaries
#            (default /fwctl/tests)
#   ACCEL_FUZZ_SEED, ACCEL_FUZZ_LISTS  fuzzer seed and lists per scope
#
# Order: the selftests, the fuzzer, a check that the kernel logged no IOMMU
# fault, then the negative control, which must make the IOMMU log exactly
# one fault at the address it aimed at; last, the modules are unloaded
# with a file still open. Prints TAP; exits non-zero when anything failed.

MODDIR=${MODDIR:-/fwctl/modules}
TESTDIR=${TESTDIR:-/fwctl/tests}
SEED=${ACCEL_FUZZ_SEED:-1}
LISTS=${ACCEL_FUZZ_LISTS:-1500}
TIMEOUT=${ACCEL_TEST_TIMEOUT:-1200}
DRIVER=/sys/bus/pci/drivers/accel_fwctl
DEBUGFS=/sys/kernel/debug/accel_fwctl
FAULT='DMAR: \[DMA'
# The bus address the negative control aims at (accel_test.c)
STRAY_ADDR=0x100000

# shellcheck source-path=SCRIPTDIR source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"

faults() {
	dmesg | grep -c "$FAULT"
}

echo "TAP version 13"
echo "# accelerator selftests on $(uname -r), modules from $MODDIR"
for fs in proc:/proc sysfs:/sys devtmpfs:/dev debugfs:/sys/kernel/debug \
	  securityfs:/sys/kernel/security tmpfs:/tmp; do
	mount_fs "${fs%%:*}" "${fs#*:}"
done

for m in fwctl accel_fwctl; do
	check "load $m" load "$m"
done

# The edu function, bound, with its fwctl node
bdf=
i=0
while [ $i -lt 50 ]; do
	for d in "$DRIVER"/0000:*; do
		[ -d "$d/fwctl" ] && bdf=${d##*/}
	done
	[ -n "$bdf" ] && break
	sleep 0.1
	i=$((i + 1))
done
if [ -n "$bdf" ]; then
	ok "edu device $bdf bound to accel_fwctl: $(ls "$DRIVER/$bdf/fwctl")"
else
	not_ok "edu device bound to accel_fwctl"
fi
grep accel_fwctl /proc/interrupts | sed 's/^ */# interrupt /'
check "the device is behind an IOMMU" \
	test -n "$bdf" -a -e "/sys/bus/pci/devices/$bdf/iommu_group"
check "test-only hooks present (CONFIG_FWCTL_ACCEL_TEST)" test -d "$DEBUGFS"

before=$(faults)
echo "# DMAR faults before the tests: $before"

run_tap accel "$TESTDIR/accel"
run_tap accel_fuzz "$TESTDIR/accel_fuzz" -s "$SEED" -n "$LISTS"

after=$(faults)
if [ "$after" -eq "$before" ]; then
	ok "no DMAR fault from the selftests and the fuzzer"
else
	not_ok "no DMAR fault from the selftests and the fuzzer: $((after - before)) faults"
	dmesg | grep "$FAULT" | sed 's/^/# /'
fi

# Negative control, last: the detector must see a stray DMA
if [ -n "$bdf" ] && [ -w "$DEBUGFS/$bdf/stray_dma" ]; then
	if ! echo 1 >"$DEBUGFS/$bdf/stray_dma"; then
		not_ok "negative control: stray_dma write failed"
	else
		sleep 1
		now=$(faults)
		line=$(dmesg | grep "$FAULT" | tail -n 1)
		echo "# $line"
		if [ "$now" -eq $((after + 1)) ] &&
		   echo "$line" | grep -q "fault addr $STRAY_ADDR "; then
			ok "negative control: exactly one DMAR fault, at $STRAY_ADDR"
		else
			not_ok "negative control: $((now - after)) DMAR faults" \
				"(1 expected, at $STRAY_ADDR)"
		fi
	fi
else
	not_ok "negative control: no $DEBUGFS/$bdf/stray_dma"
fi

# The driver module goes while a file is open; the core then can go too
node=
for n in "$DRIVER/$bdf/fwctl"/fwctl*; do
	[ -e "$n" ] && node=${n##*/}
done
if [ -n "$node" ] && exec 3<>"/dev/fwctl/$node"; then
	check "rmmod accel_fwctl with a file open" rmmod accel_fwctl
	exec 3>&-
	check "rmmod fwctl once the file is closed" rmmod fwctl
else
	not_ok "open /dev/fwctl/$node for the unload test"
fi

check "kernel log has no BUG, WARNING or Oops" kernel_log_clean
dmesg | grep -E 'accel_fwctl|DMAR: \[' | sed 's/^/# /'

echo "1..$N"
echo "# accel selftests: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
