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

# shellcheck source-path=SCRIPTDIR source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"
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

load_cxl_stack || rc=1
for m in fwctl fwctl_mock cxl_fwctl accel_fwctl; do
	load "$m" || rc=1
done
wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*' || rc=1
wait_for '/sys/bus/pci/drivers/accel_fwctl/0000:*/fwctl/fwctl*' || rc=1
edu=
for d in /sys/bus/pci/drivers/accel_fwctl/0000:*; do
	[ -d "$d/fwctl" ] && edu=${d##*/}
done
taint0=$(cat /proc/sys/kernel/tainted)

echo "Loaded fwctl, fwctl_mock, cxl_fwctl and accel_fwctl."

say "Every fwctl device: node, type, parent, scope ceiling, RPC counters"
expect 0 fwctl list

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
expect 0 fwctl accel status "$edu"
say "A round trip: the command grants itself a region of device memory," \
    "the kernel stages the data in a buffer it mapped and the device copies" \
    "it in by DMA, then back out to another buffer; user space never names" \
    "an address (debug_write, which taints the kernel)"
expect 0 fwctl accel write "$edu" --offset 16 \
	--hex "66 77 63 74 6c 20 72 6f 75 6e 64 20 74 72 69 70"
say "A region is zeroed before it is granted: what an earlier owner left" \
    "there is gone"
expect 0 fwctl accel read "$edu" 32
say "Refused: the same write at a scope below debug_write"
expect 2 fwctl accel write "$edu" --hex 00 --scope debug_read_only

say "The mock (test-only): a firmware behind two devices"
expect 0 fwctl info fwctl_mock.0
say "configuration: an echo"
expect 0 fwctl mock echo fwctl_mock.0 hello
say "debug_read_only: the firmware's counters"
expect 0 fwctl mock counters fwctl_mock.0
say "Refused: the same command sent with a scope below the one it needs"
expect 2 fwctl mock counters fwctl_mock.0 --scope configuration
say "Refused: the administrator's ceiling on the second device"
expect 0 fwctl max-scope fwctl_mock.1 debug_read_only
expect 2 fwctl mock reg-write fwctl_mock.1 3 1
expect 0 fwctl max-scope fwctl_mock.1 debug_write_full

say "Debug writes taint the kernel. /proc/sys/kernel/tainted was $taint0" \
    "when the session began, before any debug write; the accelerator's" \
    "write above was one. Now a debug_write RPC to the mock:"
expect 0 cat /proc/sys/kernel/tainted
expect 0 fwctl mock reg-write fwctl_mock.0 3 0x1234
expect 0 cat /proc/sys/kernel/tainted
after=$(cat /proc/sys/kernel/tainted)
say "$(printf 'taint bits set since the session began: 0x%x' \
	$((after & ~taint0)))"
if [ $((after & ~taint0)) -eq 0 ]; then
	echo "demo: no taint after the debug writes"
	rc=1
fi
echo '$ dmesg | grep "tainting the kernel"'
dmesg | grep "tainting the kernel"
say "debug_write_full: writing the read-only register 0 (root has CAP_SYS_RAWIO)"
expect 0 fwctl mock reg-write fwctl_mock.0 0 0xbeef --raw

say "The counters again"
expect 0 fwctl list
exit $rc
