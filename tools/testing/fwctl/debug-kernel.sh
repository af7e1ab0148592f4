#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the x86_64 debug kernel of the check-debug tier from the unpacked,
# patched linux-source-6.12: allnoconfig + debug.config (KASAN, UBSAN,
# lockdep, kmemleak, DMA-API debug, fault injection, the lockdown LSM, the
# CXL stack, intel-iommu), with fwctl and its mock, CXL and accel drivers
# built in tree as signed modules. Not kvm_guest.config: its networking,
# virtio, 9p and SCSI are a third of the build and the guests use none of
# them. Every option of debug.config is checked in the final .config.
# Incremental: a second run rebuilds only what changed (the fwctl sources
# are linked into the tree). Two jobs, niced: the machine is shared.
#   DEBUG_KDIR=dir   build directory (default .build/debug-x86); the modules
#                    are installed under dir/modroot/lib/modules/$KREL
# Prints the build directory on the last line of stdout.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

OUT=${DEBUG_KDIR:-$BUILD/debug-x86}
FRAG=$FWCTL_ROOT/tools/testing/fwctl/debug.config
JOBS=2
export ARCH=x86_64

[ -f "$KSRC/Makefile" ] || die "no $KSRC: run 'make setup'"
mkdir -p "$OUT"

kmake() {
	nice -n 5 make -s -C "$KSRC" O="$OUT" -j"$JOBS" "$@"
}

# Every line of the fragment must be in .config as written; "is not set"
# lines must not be set to y or m.
verify_config() {
	local line opt bad=0

	while IFS= read -r line; do
		case $line in
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			if grep -qE "^$opt=[ym]$" "$OUT/.config"; then
				echo "debug.config: $opt is set" >&2
				bad=1
			fi
			;;
		CONFIG_*)
			if ! grep -qxF "$line" "$OUT/.config"; then
				echo "debug.config: '$line' did not stick: $(grep -E "^(# )?${line%%=*}[= ]" "$OUT/.config" || echo absent)" >&2
				bad=1
			fi
			;;
		esac
	done <"$FRAG"
	return $bad
}

if ! cmp -s "$FRAG" "$OUT/debug.config.used" || [ ! -f "$OUT/.config" ]; then
	kmake allnoconfig >/dev/null
	"$KSRC/scripts/kconfig/merge_config.sh" -m -O "$OUT" "$OUT/.config" \
		"$FRAG" >/dev/null
	kmake olddefconfig >/dev/null
	verify_config || die "debug kernel configuration incomplete"
	cp "$FRAG" "$OUT/debug.config.used"
fi
verify_config || die "debug kernel configuration incomplete"

kmake bzImage modules >"$OUT/build.log" 2>&1 ||
	{ tail -n 30 "$OUT/build.log" >&2; die "debug kernel build failed (see $OUT/build.log)"; }
rm -rf "$OUT/modroot"
kmake modules_install INSTALL_MOD_PATH="$OUT/modroot" INSTALL_MOD_STRIP=1 \
	>>"$OUT/build.log" 2>&1 ||
	{ tail -n 30 "$OUT/build.log" >&2; die "modules_install failed"; }
echo "$OUT"
