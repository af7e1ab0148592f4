#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: the debug-kernel tier. Builds the x86_64 debug kernel
# (debug-kernel.sh: KASAN, UBSAN, lockdep, kmemleak, DMA-API debug, fault
# injection, lockdown LSM; fwctl and its drivers as signed modules) when it
# is missing or out of date, then boots it under QEMU with vm.sh for:
#   debug-selftests   the core and mock selftests (vm_run.sh)
#   debug-accel       the accelerator selftests and fuzzer (vm_accel.sh)
#   debug-cxl         the CXL selftests (vm_cxl.sh)
#   debug-stress      mock + CXL + accel: permission matrix, uAPI fuzzer,
#                     fault-injection sweep, unplug stress, kmemleak scan
#                     (vm_debug.sh)
#   debug-lockdown-integrity, debug-lockdown-confidentiality
#                     booted locked down (vm_debug_lockdown.sh)
# Any KASAN, UBSAN, lockdep, kmemleak, DMA-API or hung-task report in a
# guest's log fails its run (vm.sh). Prints TAP and the totals.
#
#   check-debug.sh [RUN...]    the runs above by name, default all
#
# Environment: FWCTL_DEBUG_CALLS (fuzzer calls, default 1000000),
# FWCTL_DEBUG_CYCLES (unbind/bind cycles per driver, default 1000),
# FWCTL_DEBUG_SEED (default 1), DEBUG_KDIR (see debug-kernel.sh);
# FWCTL_NO_DEBUG=1 skips the whole tier (one skipped test).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

TOOLS=$FWCTL_ROOT/tools/testing/fwctl
GUEST=$FWCTL_ROOT/tools/testing/selftests/fwctl
CALLS=${FWCTL_DEBUG_CALLS:-1000000}
CYCLES=${FWCTL_DEBUG_CYCLES:-1000}
SEED=${FWCTL_DEBUG_SEED:-1}
CXL_MODULES="cxl_port cxl_acpi cxl_pci cxl_mem"
# Under TCG on a loaded host, the IO-APIC timer check fails now and then,
# and a KASAN kernel's boot can hold a CPU for 25 s: the soft lockup
# detector keeps running, at its longest threshold (120 s)
export VM_APPEND="no_timer_check watchdog_thresh=60"
ALL=(debug-selftests debug-accel debug-cxl debug-stress
     debug-lockdown-integrity debug-lockdown-confidentiality)

# vmrun NAME VM.SH-ARGS...: one boot; its results count as ours
vmrun() {
	local name=$1 counts p=0 f=0 s=0 rc=0
	shift
	counts=$(mktemp)
	FWCTL_COUNTS=$counts "$TOOLS/vm.sh" -n "$name" "$@" || rc=$?
	[ -s "$counts" ] && read -r p f s <"$counts"
	rm -f "$counts"
	N_PASS=$((N_PASS + p))
	N_FAIL=$((N_FAIL + f))
	N_SKIP=$((N_SKIP + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		fail "$name: vm.sh exited with $rc"
	fi
}

run() {
	case $1 in
	debug-selftests)
		VM_TIMEOUT=900 vmrun "$1" "$GUEST/vm_run.sh" ;;
	debug-accel)
		VM_TIMEOUT=900 vmrun "$1" -m edu "$GUEST/vm_accel.sh" ;;
	debug-cxl)
		VM_TIMEOUT=900 vmrun "$1" -m cxl -d "$CXL_MODULES" \
			"$GUEST/vm_cxl.sh" ;;
	debug-stress)
		# 1,000 cycles take accel and CXL 7 to 12 minutes each on a
		# loaded host: room for twice that
		VM_TIMEOUT=4800 \
		VM_APPEND="$VM_APPEND fwctl_calls=$CALLS fwctl_cycles=$CYCLES fwctl_seed=$SEED" \
			vmrun "$1" -m demo -d "$CXL_MODULES" "$GUEST/vm_debug.sh" ;;
	debug-lockdown-integrity | debug-lockdown-confidentiality)
		local mode=${1#debug-lockdown-}
		VM_TIMEOUT=600 \
		VM_APPEND="$VM_APPEND lockdown=$mode fwctl_lockdown=$mode" \
			vmrun "$1" -m demo -d "$CXL_MODULES" \
			"$GUEST/vm_debug_lockdown.sh" ;;
	*) die "unknown run '$1' (${ALL[*]})" ;;
	esac
}

if [ -n "${FWCTL_NO_DEBUG:-}" ]; then
	skip "check-debug: FWCTL_NO_DEBUG is set"
	summary check-debug
	exit 0
fi
[ $# -gt 0 ] || set -- "${ALL[@]}"
t0=$SECONDS
if ! out=$("$TOOLS/debug-kernel.sh"); then
	fail "debug kernel build"
	summary check-debug
	exit 1
fi
OUT=$(tail -n 1 <<<"$out")
pass "debug kernel: built or brought up to date in $((SECONDS - t0)) s"
KREL=$(cat "$OUT/include/config/kernel.release")
export KDIR=$OUT VM_KERNEL=$OUT/arch/x86/boot/bzImage VM_MODROOT=$OUT/modroot
# The guests' MODDIR: the build's signed fwctl modules, and its cxl_pci,
# which calls into cxl_fwctl and which the CXL scripts unload first
export VM_MODULES=$OUT/vm-modules
rm -rf "$VM_MODULES"
mkdir -p "$VM_MODULES"
find "$OUT/modroot/lib/modules/$KREL/kernel/drivers/fwctl" -name '*.ko' \
	-exec cp {} "$VM_MODULES/" \;
cp "$OUT/modroot/lib/modules/$KREL/kernel/drivers/cxl/cxl_pci.ko" "$VM_MODULES/"

for r in "$@"; do
	t1=$SECONDS
	run "$r"
	echo "# $r: $((SECONDS - t1)) s"
done
echo "# check-debug: $((SECONDS - t0)) s"
summary check-debug
