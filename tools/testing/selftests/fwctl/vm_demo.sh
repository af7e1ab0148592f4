#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A session with the fwctl command in a guest, as root, for busybox sh:
# the mock's two devices, a QEMU CXL type-3 memory device and QEMU's edu
# device behind an IOMMU (vm.sh -m demo). Each command is echoed before it
# runs; a refusal the session shows on purpose must come with its exit
# status, anything else unexpected makes the script exit non-zero.
#
#   MODDIR   directory with fwctl, fwctl_mock, cxl_fwctl and accel_fwctl .ko
#            files (default /fwctl/modules); the distribution's CXL modules
#            come from modprobe
#   TESTDIR  directory with fwctl-cli, the static fwctl command, and
#            cxl_lsa.bin, the host's copy of the label area (default
#            /fwctl/tests)

MODDIR=${MODDIR:-/fwctl/modules}
TESTDIR=${TESTDIR:-/fwctl/tests}
rc=0

# shellcheck disable=SC2317 # called through expect
fwctl() {
	"$TESTDIR/fwctl-cli" "$@"
}

# say LINE...: a comment, one "# " line per argument
say() {
	echo
	for line in "$@"; do
		echo "# $line"
	done
}

# expect STATUS COMMAND...: echoes and runs the command, which must exit
# with STATUS
expect() {
	want=$1
	shift
	echo "\$ $*"
	"$@" 2>&1
	got=$?
	[ "$got" -eq 0 ] || echo "(exit status $got)"
	if [ "$got" -ne "$want" ]; then
		echo "demo: expected exit status $want"
		rc=1
	fi
}

load() {
	[ -d "/sys/module/$1" ] && return 0
	if [ -f "$MODDIR/$1.ko" ]; then
		insmod "$MODDIR/$1.ko" && return 0
	elif modprobe "$1"; then
		return 0
	fi
	echo "demo: cannot load $1"
	rc=1
}

# wait_for GLOB: up to 10 s for a sysfs path to appear
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		for f in $1; do
			[ -e "$f" ] && return 0
		done
		sleep 0.2
		i=$((i + 1))
	done
	echo "demo: no $1"
	rc=1
}

# The CXL stack as vm_cxl.sh loads it; cxl_core and cxl_port are built in
for m in cxl_acpi cxl_pci cxl_mem; do
	load "$m"
done
modprobe libnvdimm 2>/dev/null
modprobe cxl_pmem 2>/dev/null
for m in fwctl fwctl_mock cxl_fwctl accel_fwctl; do
	load "$m"
done
wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*'
wait_for '/sys/bus/pci/drivers/accel_fwctl/0000:*/fwctl/fwctl*'
edu=
for d in /sys/bus/pci/drivers/accel_fwctl/0000:*; do
	[ -d "$d/fwctl" ] && edu=${d##*/}
done

echo "Loaded fwctl, fwctl_mock, cxl_fwctl and accel_fwctl."

say "Every fwctl device: node, type, parent, scope ceiling, RPC counters"
expect 0 fwctl list

say "The mock (test-only): a firmware behind two devices"
expect 0 fwctl info fwctl_mock.0
say "configuration: an echo"
expect 0 fwctl mock echo fwctl_mock.0 hello
say "debug_read_only: the firmware's counters"
expect 0 fwctl mock counters fwctl_mock.0
say "Refused: the same command sent with a scope below the one it needs"
expect 2 fwctl mock counters fwctl_mock.0 --scope configuration
say "debug_write taints the kernel"
expect 0 cat /proc/sys/kernel/tainted
before=$(cat /proc/sys/kernel/tainted)
expect 0 fwctl mock reg-write fwctl_mock.0 3 0x1234
expect 0 cat /proc/sys/kernel/tainted
after=$(cat /proc/sys/kernel/tainted)
say "$(printf 'new taint bits: 0x%x' $((after & ~before)))"
say "debug_write_full: writing the read-only register 0 (root has CAP_SYS_RAWIO)"
expect 0 fwctl mock reg-write fwctl_mock.0 0 0xbeef --raw
say "Refused: the administrator's ceiling on the second device"
expect 0 fwctl max-scope fwctl_mock.1 debug_read_only
expect 2 fwctl mock reg-write fwctl_mock.1 3 1
expect 0 fwctl max-scope fwctl_mock.1 debug_write_full

say "The CXL memory device: its Command Effects Log, with the scope each" \
    "command needs or why fwctl refuses it"
expect 0 fwctl cxl cel mem0
expect 0 fwctl cxl identify mem0
say "The first 32 bytes of the label area, and the host's copy of them"
expect 0 fwctl cxl lsa mem0 --length 32
expect 0 hexdump -C -n 32 "$TESTDIR/cxl_lsa.bin"
say "Refused: Sanitize (0x4400) is never let through"
expect 2 fwctl cxl raw mem0 0x4400

say "The accelerator: QEMU's edu device, behind the IOMMU"
expect 0 ls "/sys/bus/pci/devices/$edu/iommu_group/devices"
expect 0 fwctl info "$edu"
say "A raw RPC, one Identify transaction (include/uapi/fwctl/accel.h):" \
    "request header {TRANSACT, flags 0, 1 transaction, 24 bytes}," \
    "transaction {IDENTIFY, 8 bytes}; little-endian"
expect 0 fwctl rpc "$edu" --scope configuration \
	--hex 01000000,00000000,01000000,18000000,01000000,08000000
say "Reply: header {status OK, 1 done, 1 record, 64 bytes}, record" \
    "{IDENTIFY, 48 bytes, OK}, then the device's data from hw_id 0x010000ed on"

say "The counters again"
expect 0 fwctl list
exit $rc
