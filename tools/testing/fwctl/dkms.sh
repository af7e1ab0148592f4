#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS tier. Makes the DKMS source tree (dkms.sh --source-only stops
# there), then with Debian's dkms, in a private tree under .build/dkms (the
# system's /var/lib/dkms and /lib/modules are not touched):
#   - dkms add, build and install for the Debian 6.12 headers and for
#     Debian 12's default kernel (the newest linux-headers-6.1.0-N-amd64);
#     the modules must carry each kernel's vermagic;
#   - dkms refuses a kernel whose .config has CONFIG_FWCTL;
#   - boots linux-image-6.1 in QEMU with the modules dkms built for it and
#     runs the selftests there (vm.sh, tools/testing/selftests/fwctl/vm_run.sh).
# The 6.1 image is unpacked under .build/dkms, not installed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
exec </dev/null

OUT=$BUILD/dkms
LOG=$OUT/dkms.log
NAME=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$FWCTL_ROOT/dkms.conf")
VER=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$FWCTL_ROOT/dkms.conf")
SRC=$OUT/src/$NAME-$VER

report() {
	summary dkms
	exit $?
}

# The DKMS source: what the external build uses, and the CXL stack's
# private headers from the 6.12 source, which no headers package ships
make_source() {
	[ -f "$KSRC/drivers/cxl/cxlmem.h" ] || die "no $KSRC: run 'make setup'"
	rm -rf "$SRC"
	mkdir -p "$SRC/cxl-private/drivers/cxl"
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude=tests/ \
		"$FWCTL_ROOT"/{Makefile,Kbuild,dkms.conf,MAINTAINERS,compat,include} \
		"$SRC/"
	mkdir -p "$SRC/drivers"
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
		--exclude=modules.order --exclude=Module.symvers \
		"$FWCTL_ROOT/drivers/fwctl" "$SRC/drivers/"
	cp "$KSRC"/drivers/cxl/{cxl.h,cxlmem.h} "$SRC/cxl-private/drivers/cxl/"
}

if [ "${1:-}" = --source-only ]; then
	make_source
	echo "DKMS source in ${SRC#"$FWCTL_ROOT"/}"
	exit 0
fi

mkdir -p "$OUT"
: >"$LOG"

# Debian 12's default kernel: the release linux-headers-amd64 points at
OLD=$(apt-cache depends linux-headers-amd64 2>/dev/null |
      sed -n 's/.*Depends: linux-headers-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' | sort -V | tail -n 1)
[ -n "$OLD" ] || { fail "dkms: no linux-headers-6.1 in the package archive"; report; }
need_pkgs "$LOG" dkms "linux-headers-$OLD" ||
	{ fail "dkms: installing dkms and linux-headers-$OLD failed (${LOG#"$FWCTL_ROOT"/})"; report; }

NEW=$(krel)
make_source

# dkms with every tree private; a fresh tree each run
DTREE=$OUT/tree
ITREE=$OUT/install
dkms_run() {
	dkms --dkmstree "$DTREE" --sourcetree "$OUT/src" --installtree "$ITREE" "$@"
}
rm -rf "$DTREE" "$ITREE"
mkdir -p "$DTREE" "$ITREE"
if ! dkms_run add -m "$NAME" -v "$VER" >>"$LOG" 2>&1; then
	fail "dkms: dkms add failed (${LOG#"$FWCTL_ROOT"/})"
	report
fi

# build KREL HEADERS: dkms build and install for one kernel
build() {
	local krel=$1 hdr=$2 t0=$SECONDS ko n=0 bad=
	local name="dkms: build and install for $krel"

	# The install tree gets what depmod needs of the kernel's own
	mkdir -p "$ITREE/$krel"
	cp /lib/modules/"$krel"/modules.{order,builtin,builtin.modinfo} \
		"$ITREE/$krel/" 2>/dev/null || true
	if ! dkms_run build -m "$NAME" -v "$VER" -k "$krel" \
		--kernelsourcedir "$hdr" >>"$LOG" 2>&1; then
		fail "$name: dkms build failed"
		sed -n '/^make/,$p' "$DTREE/$NAME/$VER/build/make.log" 2>/dev/null |
			grep -E 'error|Error' | head -n 20 | sed 's/^/# /'
		return
	fi
	if ! dkms_run install -m "$NAME" -v "$VER" -k "$krel" --no-depmod \
		--kernelsourcedir "$hdr" >>"$LOG" 2>&1; then
		fail "$name: dkms install failed (${LOG#"$FWCTL_ROOT"/})"
		return
	fi
	while read -r ko; do
		n=$((n + 1))
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$krel" ] ||
			bad+=" ${ko##*/}"
	done < <(find "$ITREE/$krel" -name '*.ko*')
	if [ "$n" -lt 3 ] || [ -n "$bad" ]; then
		fail "$name: $n modules installed, wrong vermagic:${bad:- none}"
		return
	fi
	pass "$name: $n modules ($((SECONDS - t0)) s)"
}

build "$NEW" "$(kdir)"
build "$OLD" "/usr/src/linux-headers-$OLD"

# A kernel with fwctl of its own is refused, whatever its version
fake=$OUT/fwctl-kernel
rm -rf "$fake"
mkdir -p "$fake/include/config"
sed 's/^# CONFIG_FWCTL is not set$/CONFIG_FWCTL=y/' "$(kdir)/.config" >"$fake/.config"
grep -q '^CONFIG_FWCTL=y' "$fake/.config" || echo CONFIG_FWCTL=y >>"$fake/.config"
echo "$NEW" >"$fake/include/config/kernel.release"
rc=0
dkms_run build -m "$NAME" -v "$VER" -k "$NEW" --force \
	--kernelsourcedir "$fake" >"$OUT/refuse.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && grep -qi 'BUILD_EXCLUSIVE' "$OUT/refuse.log"; then
	pass "dkms: refuses a kernel with CONFIG_FWCTL (exit $rc)"
else
	fail "dkms: a kernel with CONFIG_FWCTL was not refused (exit $rc, ${OUT#"$FWCTL_ROOT"/}/refuse.log)"
fi

# Debian 12's 6.1 kernel, unpacked, booted with the modules dkms built
img=$OUT/image-$OLD
if [ ! -r "$img/boot/vmlinuz-$OLD" ]; then
	rm -rf "$img" "$OUT/deb"
	mkdir -p "$OUT/deb"
	if ! (cd "$OUT/deb" && apt-get download "linux-image-$OLD") >>"$LOG" 2>&1 ||
	   ! dpkg-deb -x "$OUT"/deb/linux-image-"$OLD"_*.deb "$img" >>"$LOG" 2>&1; then
		fail "dkms: could not unpack linux-image-$OLD (${LOG#"$FWCTL_ROOT"/})"
		report
	fi
	rm -rf "$OUT/deb"
fi
# The package ships no modules.order, which depmod and vm.sh read
mdir=$img/lib/modules/$OLD
[ -f "$mdir/modules.order" ] ||
	(cd "$mdir" && find kernel -name '*.ko*' | sort >modules.order)
vm_mods=$ITREE/$OLD/updates/dkms
# vm.sh counts the guest's TAP lines into this tier's totals
vm_counts=$OUT/vm.counts
rm -f "$vm_counts"
rc=0
KDIR=/usr/src/linux-headers-$OLD VM_KERNEL=$img/boot/vmlinuz-$OLD \
	VM_MODROOT=$img VM_MODULES=$vm_mods FWCTL_COUNTS=$vm_counts \
	"$FWCTL_ROOT/tools/testing/fwctl/vm.sh" -n vm-6.1 \
	"$FWCTL_ROOT/tools/testing/selftests/fwctl/vm_run.sh" || rc=$?
if [ -s "$vm_counts" ]; then
	read -r p f s <"$vm_counts"
	N_PASS=$((N_PASS + p))
	N_FAIL=$((N_FAIL + f))
	N_SKIP=$((N_SKIP + s))
fi
[ "$rc" -eq 0 ] || [ "${f:-0}" -ne 0 ] || fail "dkms: vm-6.1 exited with $rc"
report
