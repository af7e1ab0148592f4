#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VM tier: boots the distribution kernel the modules are built for under
# QEMU, with a busybox initramfs holding our modules, the selftests and a
# guest script, and checks what comes back on the serial console.
#
#   vm.sh [-n NAME] [-m MACHINE] [-d "MODULE..."] [--demo] GUEST_SCRIPT
#
#   -n NAME       suite name; the serial log is .build/vm/NAME.log
#                 (default: the script's name without .sh)
#   -m MACHINE    QEMU machine profile, see machine() below (default: q35)
#   -d MODULES    distro modules to put in the initramfs, with their
#                 dependencies, for `modprobe` in the guest
#   --demo        the guest prints no TAP; don't require any
#
# In the guest, /init mounts proc, sysfs, devtmpfs, debugfs, tracefs and
# securityfs, then runs `sh GUEST_SCRIPT` with MODDIR=/fwctl/modules (our
# .ko files) and TESTDIR=/fwctl/tests (the selftest binaries), prints an end
# marker and powers off. Top-level TAP lines between the markers are the
# results: "ok N" passed, "ok N ... # SKIP" skipped, "not ok N" failed.
# A missing end marker, or a kernel BUG/Oops/WARNING/KASAN/UBSAN/lockdep/
# panic report in the log, is one more failure.
#
# Environment: VM_TIMEOUT (seconds, default 300), SELFTEST_DIR (default
# tools/testing/selftests/fwctl), KDIR (the kernel build tree our modules
# are built against; its release is the guest's), VM_KERNEL (the image to
# boot, default /boot/vmlinuz-<release>), VM_MODROOT (the root holding
# lib/modules/<release> for -d, default /), VM_APPEND (more kernel
# command-line arguments), VM_MODULES (a directory holding fwctl.ko whose
# .ko files, found recursively, are the guest's MODDIR instead of ours built
# out of tree against KDIR: a kernel build's own, signed ones).
# On a kernel with kmemleak, /init clears what booting left behind and
# scans after the guest script: a leak is a kernel complaint.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

VM_TIMEOUT=${VM_TIMEOUT:-300}
VM_MODROOT=${VM_MODROOT:-/}
VM_APPEND=${VM_APPEND:-}
SELFTEST_DIR=${SELFTEST_DIR:-$FWCTL_ROOT/tools/testing/selftests/fwctl}
BEGIN_MARKER=FWCTL-VM-BEGIN
END_MARKER=FWCTL-VM-END

# QEMU machine, devices and the guest kernel arguments they need, by
# profile, and GUEST_FILES: host files the guest finds in TESTDIR. New
# devices go here.
# shellcheck disable=SC2054 # the commas belong to QEMU's option syntax
machine() {
	QEMU_MACHINE=(-M q35 -m 2G -smp 2)
	QEMU_DEVICES=()
	GUEST_ARGS=()
	GUEST_FILES=()
	case $1 in
	q35) ;;
	cxl)
		# One CXL type-3 memory device behind a host bridge and root
		# port, backed by files; cxl_pci does not attach with MSI on 6.12.
		# The label storage area starts with random bytes, and the guest
		# gets a copy (TESTDIR/cxl_lsa.bin) to compare with what it reads.
		rm -f "$VMDIR/cxl-mem0.raw"
		head -c 256K /dev/urandom >"$VMDIR/cxl-lsa0.raw"
		cp "$VMDIR/cxl-lsa0.raw" "$VMDIR/cxl_lsa.bin"
		GUEST_FILES=("$VMDIR/cxl_lsa.bin")
		QEMU_MACHINE=(-M q35,cxl=on -m 2G,maxmem=8G,slots=4 -smp 2)
		QEMU_DEVICES=(
			-object "memory-backend-file,id=cxl-mem0,share=on,mem-path=$VMDIR/cxl-mem0.raw,size=256M"
			-object "memory-backend-file,id=cxl-lsa0,share=on,mem-path=$VMDIR/cxl-lsa0.raw,size=256K"
			-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
			-device cxl-rp,port=0,bus=cxl.1,id=cxl-rp0,chassis=0,slot=2
			-device cxl-type3,bus=cxl-rp0,memdev=cxl-mem0,lsa=cxl-lsa0,id=cxl-pmem0
			-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
		)
		GUEST_ARGS=(pci=nomsi)
		;;
	edu)
		# QEMU's edu device (1234:11e8) with its DMA behind an IOMMU
		QEMU_MACHINE=(-M q35,kernel-irqchip=split -m 2G -smp 2)
		QEMU_DEVICES=(-device intel-iommu,intremap=on -device edu)
		GUEST_ARGS=(intel_iommu=on)
		;;
	demo)
		# Both: the CXL device and the edu device behind the IOMMU,
		# which QEMU wants created before the other PCI devices
		machine cxl
		QEMU_MACHINE=(-M q35,cxl=on,kernel-irqchip=split -m 2G,maxmem=8G,slots=4 -smp 2)
		QEMU_DEVICES=(-device intel-iommu,intremap=on -device edu "${QEMU_DEVICES[@]}")
		GUEST_ARGS+=(intel_iommu=on)
		;;
	*) die "unknown machine profile '$1'" ;;
	esac
}

# Copy distro modules and everything they depend on (modules.dep of the
# target kernel, via modprobe) into the initramfs, decompressed: the
# distro ships them as .ko.xz.
add_distro_modules() {
	local m f dst
	for m in "$@"; do
		modprobe -d "$VM_MODROOT" -S "$KREL" --show-depends "$m" ||
			die "no module $m in $VM_MODROOT/lib/modules/$KREL"
	done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
		# modprobe -d prints paths under VM_MODROOT
		dst=$ROOTFS${f#"${VM_MODROOT%/}"}
		dst=${dst%.xz}
		mkdir -p "${dst%/*}"
		case $f in
		*.xz) xz -dc "$f" >"$dst" ;;
		*) cp "$f" "$dst" ;;
		esac
	done
}

# The initramfs, built in $ROOTFS and packed with the kernel's gen_init_cpio
# so that owners are root and /dev/console exists without privileges
build_initramfs() {
	local a f

	rm -rf "$ROOTFS"
	mkdir -p "$ROOTFS"/{bin,dev,proc,sys,tmp,root,fwctl/modules,fwctl/tests}
	ln -s bin "$ROOTFS/sbin"
	mkdir -p "$ROOTFS/usr"
	ln -s ../bin "$ROOTFS/usr/bin"
	ln -s ../bin "$ROOTFS/usr/sbin"
	cp /bin/busybox "$ROOTFS/bin/"
	for a in $(/bin/busybox --list); do
		[ -e "$ROOTFS/bin/$a" ] || ln -s busybox "$ROOTFS/bin/$a"
	done

	find "${VM_MODULES:-$FWCTL_ROOT/drivers}" -name '*.ko' \
		-exec cp {} "$ROOTFS/fwctl/modules/" \;
	# Ours for modprobe too, so that their distro dependencies resolve
	mkdir -p "$ROOTFS/lib/modules/$KREL/extra"
	cp "$ROOTFS"/fwctl/modules/*.ko "$ROOTFS/lib/modules/$KREL/extra/"
	[ ${#DISTRO_MODULES[@]} -eq 0 ] || add_distro_modules "${DISTRO_MODULES[@]}"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$VM_MODROOT/lib/modules/$KREL/$f" "$ROOTFS/lib/modules/$KREL/"
	done
	depmod -b "$ROOTFS" "$KREL"

	find "$TESTS" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$ROOTFS/fwctl/tests/" \;
	[ ${#GUEST_FILES[@]} -eq 0 ] || cp "${GUEST_FILES[@]}" "$ROOTFS/fwctl/tests/"
	cp "$GUEST" "$ROOTFS/fwctl/"
	# What the guest scripts share, sourced from their own directory
	[ ! -f "$SELFTEST_DIR/guest_lib.sh" ] ||
		cp "$SELFTEST_DIR/guest_lib.sh" "$ROOTFS/fwctl/"

	cat >"$ROOTFS/init" <<-EOF
	#!/bin/sh
	export PATH=/bin HOME=/root
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t debugfs debugfs /sys/kernel/debug
	mount -t tracefs tracefs /sys/kernel/tracing
	mount -t securityfs securityfs /sys/kernel/security
	mount -t tmpfs tmpfs /tmp
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	ln -s /proc/self/fd /dev/fd
	echo "fwctl-vm: init at \$(cut -d' ' -f1 /proc/uptime) s of uptime"
	kmemleak=/sys/kernel/debug/kmemleak
	[ -e \$kmemleak ] && echo clear >\$kmemleak
	echo $BEGIN_MARKER
	cd /tmp
	MODDIR=/fwctl/modules TESTDIR=/fwctl/tests sh /fwctl/${GUEST##*/}
	rc=\$?
	# Objects younger than 5 s are not reported yet
	if [ -e \$kmemleak ] && sleep 6 && echo scan 2>/dev/null >\$kmemleak; then
		echo "kmemleak: \$(grep -c '^unreferenced object' \$kmemleak) leaks"
		head -n 60 \$kmemleak
	fi
	echo "$END_MARKER rc=\$rc"
	poweroff -f
	EOF
	chmod 755 "$ROOTFS/init"

	if [ ! -x "$BUILD/bin/gen_init_cpio" ] ||
	   [ "$KSRC/usr/gen_init_cpio.c" -nt "$BUILD/bin/gen_init_cpio" ]; then
		mkdir -p "$BUILD/bin"
		gcc -O2 -o "$BUILD/bin/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
	fi
	{
		(cd "$ROOTFS" && find . -mindepth 1 -printf '%y %P %m %l\n') |
		while read -r type path mode target; do
			case $type in
			d) echo "dir /$path $mode 0 0" ;;
			f) echo "file /$path $ROOTFS/$path $mode 0 0" ;;
			l) echo "slink /$path $target 777 0 0" ;;
			esac
		done
		echo "nod /dev/console 0600 0 0 c 5 1"
	} >"$VMDIR/initramfs.list"
	"$BUILD/bin/gen_init_cpio" "$VMDIR/initramfs.list" | gzip -1 >"$INITRD"
}

# Kernel reports that mean a test broke the kernel, whatever the TAP says,
# hung tasks and RCU stalls included. Only printk lines (they carry a
# timestamp) are considered: test output may quote these words.
KERNEL_BAD='BUG:|Oops|WARNING:|KASAN|UBSAN|possible circular locking|lockdep'
KERNEL_BAD+='|Call Trace|[Kk]ernel panic|blocked for more than|detected stall'
KERNEL_BAD+='|suspected memory leak|unreferenced object|Memory leak'
# What debug kernels say at every boot
KERNEL_BENIGN='RCU lockdep checking is enabled'
kernel_complaints() {
	grep -aE "\[ *[0-9]+\.[0-9]+\].*($KERNEL_BAD)" "$1" |
		grep -avE "$KERNEL_BENIGN" || true
}

# The guest script's output: the lines between the markers, without \r
guest_output() {
	awk -v b="$BEGIN_MARKER" -v e="$END_MARKER" '
		{ sub(/\r$/, "") }
		index($0, e) == 1 { on = 0 }
		on { print; fflush() }
		$0 == b { on = 1 }'
}

name='' profile=q35 demo=''
DISTRO_MODULES=()
while [ $# -gt 1 ]; do
	case $1 in
	-n) name=$2; shift 2 ;;
	-m) profile=$2; shift 2 ;;
	-d) read -ra DISTRO_MODULES <<<"$2"; shift 2 ;;
	--demo) demo=1; shift ;;
	*) die "unknown option '$1'" ;;
	esac
done
[ $# -eq 1 ] || die "usage: $0 [-n NAME] [-m MACHINE] [-d MODULES] [--demo] GUEST_SCRIPT"
GUEST=$(realpath "$1")
name=${name:-$(basename "$GUEST" .sh)}
VMDIR=$BUILD/vm/$name
ROOTFS=$VMDIR/rootfs
TESTS=$VMDIR/selftests
INITRD=$VMDIR/initramfs.cpio.gz
LOG=$BUILD/vm/$name.log

run() {
	local t0 rc krel_ko

	[ -f "$GUEST" ] || { fail "$name: no guest script $GUEST"; return; }
	KREL=$(krel)
	KERNEL=${VM_KERNEL:-/boot/vmlinuz-$KREL}
	[ -r "$KERNEL" ] || { fail "$name: no $KERNEL, run 'make setup'"; return; }
	mkdir -p "$VMDIR"
	machine "$profile"

	if [ -z "${VM_MODULES:-}" ] &&
	   ! make -s -C "$FWCTL_ROOT" modules >"$VMDIR/build.log" 2>&1; then
		fail "$name: make modules"
		sed 's/^/# /' "$VMDIR/build.log"
		return
	fi
	krel_ko=$(modinfo -F vermagic "${VM_MODULES:-$FWCTL_ROOT/drivers/fwctl}/fwctl.ko" | cut -d' ' -f1)
	[ "$krel_ko" = "$KREL" ] ||
		{ fail "$name: modules are built for $krel_ko, not $KREL"; return; }

	if ! [ -f "$SELFTEST_DIR/Makefile" ] ||
	   ! make -C "$SELFTEST_DIR" OUTPUT="$TESTS" KSRC="$KSRC" \
		>"$VMDIR/selftests.log" 2>&1; then
		fail "$name: build the selftests in ${SELFTEST_DIR#"$FWCTL_ROOT"/}"
		sed 's/^/# /' "$VMDIR/selftests.log" 2>/dev/null || true
		return
	fi
	build_initramfs

	echo "# $name: booting $KERNEL (machine $profile), log ${LOG#"$FWCTL_ROOT"/}"
	t0=$SECONDS
	set +e
	timeout "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg "${QEMU_MACHINE[@]}" \
		-nodefaults -nographic -no-reboot -serial stdio \
		-kernel "$KERNEL" -initrd "$INITRD" \
		-append "console=ttyS0 oops=panic panic=-1 printk.time=1 rdinit=/init ${GUEST_ARGS[*]} $VM_APPEND" \
		"${QEMU_DEVICES[@]}" </dev/null 2>&1 | tee "$LOG" | guest_output
	rc=${PIPESTATUS[0]}
	set -e
	echo "# $name: QEMU ran $((SECONDS - t0)) s (exit $rc);" \
	     "$(grep -ao 'init at [0-9.]* s' "$LOG" || echo 'init never ran')"

	count_results "$rc"
}

count_results() {
	local guest_rc bad

	count_tap < <(guest_output <"$LOG")

	guest_rc=$(tr -d '\r' <"$LOG" | sed -n "s/^$END_MARKER rc=//p")
	if [ "$1" -eq 124 ]; then
		fail "$name: timed out after $VM_TIMEOUT s (VM_TIMEOUT)"
	elif [ "$1" -ne 0 ]; then
		fail "$name: QEMU exited with $1"
	elif [ -z "$guest_rc" ]; then
		fail "$name: no end marker: the guest crashed or powered off early"
	elif [ "$guest_rc" != 0 ] && [ "$N_FAIL" -eq 0 ]; then
		fail "$name: guest script exited with $guest_rc"
	fi
	# The guest's output was shown as it came; what came before it was not
	if ! grep -aq "^$BEGIN_MARKER" "$LOG"; then
		echo "# last lines of ${LOG#"$FWCTL_ROOT"/}:"
		tr -d '\r' <"$LOG" | tail -n 30 | sed 's/^/# /'
	fi
	if [ -z "$demo" ] && [ $((N_PASS + N_FAIL + N_SKIP)) -eq 0 ]; then
		fail "$name: no TAP results"
	fi
	bad=$(kernel_complaints "$LOG")
	if [ -n "$bad" ]; then
		fail "vm:kernel-log ($name)"
		printf '%s\n' "$bad" | tr -d '\r' | sed 's/^/# /'
	fi
}

run
if [ -n "$demo" ]; then
	[ "$N_FAIL" -eq 0 ] && echo "$name: done" && exit 0
	echo "$name: failed"
	exit 1
fi
summary "$name"
