#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In-tree build check of the mlx5 fwctl driver and of its mlx5_core hunk
# (patches/linux-6.12/0020-*mlx5*.patch), against the unpacked, patched
# linux-source-6.12 that setup.sh prepares. For x86_64, from allnoconfig
# plus what mlx5_core needs, it builds mlx5_core, the fwctl core, mlx5_fwctl
# and its KUnit test with W=1 twice:
#   =m  MLX5_CORE=m FWCTL=m FWCTL_MLX5=m, test =m, modpost included, so the
#       modules link against each other's exports and namespaces;
#   =y  all built in; what mlx5_fwctl and its test need from the others
#       must resolve in a partial link of them.
# Sparse (C=2) then checks the files the series adds or changes. One TAP
# line per build; a compiler, sparse or modpost warning fails it.
#   MLX5_KSRC=dir         kernel source (default .build/linux-source-6.12)
#   MLX5_INTREE_DIR=dir   build directories (default .build/intree-x86)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

KSRC=${MLX5_KSRC:-$KSRC}
OUT=${MLX5_INTREE_DIR:-$BUILD/intree-x86}
CORE=drivers/net/ethernet/mellanox/mlx5/core
# Objects of the series in the two directories, for sparse
SERIES_OBJS=("$CORE/dev.o" drivers/fwctl/main.o drivers/fwctl/cmd.o
	     drivers/fwctl/mlx5/main.o drivers/fwctl/mlx5/rpc.o
	     drivers/fwctl/mlx5/rpc_kunit.o)
JOBS=$(nproc)
# Whatever the host: allnoconfig would otherwise pick 32-bit x86
export ARCH=x86_64

report() {
	summary mlx5-intree
	exit $?
}

[ -f "$KSRC/Makefile" ] || { fail "mlx5-intree: no $KSRC, run 'make setup'"; report; }

# setup.sh applies every patch of patches/linux-6.12; apply ours here too
# when the tree predates it, so that the check can run on its own.
shopt -s nullglob
hunk=("$FWCTL_ROOT/patches/linux-$KSERIES"/0020-*mlx5*.patch)
shopt -u nullglob
if [ ${#hunk[@]} -ne 1 ]; then
	fail "mlx5-intree: expected one patches/linux-$KSERIES/0020-*mlx5*.patch"
	report
fi
if ! patch -d "$KSRC" -p1 -R -s -f --dry-run <"${hunk[0]}" >/dev/null 2>&1; then
	if ! patch -d "$KSRC" -p1 -N -s --no-backup-if-mismatch <"${hunk[0]}"; then
		fail "mlx5-intree: ${hunk[0]##*/} does not apply"
		report
	fi
fi

# kbuild lines that are not warnings about the code
filter_log() {
	grep -E 'warning:|error:|^WARNING|^ERROR' "$1" |
		grep -vE '^WARNING: vmlinux\.o is missing|^ +(Modules may not|You may get|You can set|if you want)' |
		grep -vE '^WARNING: modpost: "[^"]+" \[[^]]+\] undefined!$|^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings' ||
		true
}

# What mlx5_fwctl and its test use of mlx5_core, fwctl and each other
OUR_SYMS='^(mlx5_|mlx5ctl_|_?fwctl_)'

# depends MOD_C MODULE...: modpost found every MODULE to link MOD_C's against
depends() {
	local line m
	line=$(grep -o 'MODULE_INFO(depends, "[^"]*")' "$1") || return 1
	for m in "${@:2}"; do
		[[ ,$(echo "$line" | cut -d'"' -f2), == *",$m,"* ]] || return 1
	done
}

# build VARIANT: configure, build and check one variant
build() {
	local v=$1 o=$OUT/$1 log=$OUT/$1.log t0=$SECONDS kv=(--module) w want
	local name="mlx5-intree: x86_64 MLX5_CORE=$v FWCTL=$v FWCTL_MLX5=$v, W=1 C=2"

	mkdir -p "$o"
	: >"$log"
	[ "$v" = y ] && kv=(--enable)
	# Configure from scratch each time: cheap, and a stale .config can
	# never hide a missing Kconfig hook
	{
		make -C "$KSRC" O="$o" -s allnoconfig &&
		"$KSRC/scripts/config" --file "$o/.config" \
			--enable MODULES --enable PCI --enable NET \
			--enable NETDEVICES --enable ETHERNET \
			--enable NET_VENDOR_MELLANOX --enable KUNIT \
			"${kv[@]}" MLX5_CORE "${kv[@]}" FWCTL \
			"${kv[@]}" FWCTL_MLX5 "${kv[@]}" FWCTL_MLX5_KUNIT_TEST &&
		make -C "$KSRC" O="$o" -s olddefconfig
	} >>"$log" 2>&1 || { fail "$name: configuration failed (${log#"$FWCTL_ROOT"/})"; return; }
	for w in 64BIT MLX5_CORE FWCTL FWCTL_MLX5 FWCTL_MLX5_KUNIT_TEST; do
		[ "$w" = 64BIT ] && want=y || want=$v
		if ! grep -qx "CONFIG_$w=$want" "$o/.config"; then
			fail "$name: CONFIG_$w=$want does not stick (Kconfig hook or dependency missing)"
			return
		fi
	done

	if [ "$v" = m ]; then
		# modpost without vmlinux: kernel symbols are unresolved
		# (warnings), those of the three modules must not be
		make -C "$KSRC" O="$o" -j"$JOBS" W=1 KBUILD_MODPOST_WARN=1 \
			"$CORE/mlx5_core.ko" drivers/fwctl/fwctl.ko \
			drivers/fwctl/mlx5/mlx5_fwctl.ko \
			drivers/fwctl/mlx5/mlx5_fwctl_kunit.ko >>"$log" 2>&1 ||
			{ fail "$name: build failed"; tail -n 20 "$log" | sed 's/^/# /'; return; }
		if ! depends "$o/drivers/fwctl/mlx5/mlx5_fwctl.mod.c" fwctl mlx5_core ||
		   ! depends "$o/drivers/fwctl/mlx5/mlx5_fwctl_kunit.mod.c" fwctl mlx5_fwctl; then
			fail "$name: the modules do not link against each other"
			return
		fi
	else
		make -C "$KSRC" O="$o" -j"$JOBS" W=1 "$CORE/" drivers/fwctl/ \
			>>"$log" 2>&1 ||
			{ fail "$name: build failed"; tail -n 20 "$log" | sed 's/^/# /'; return; }
		# Built in, the final link is vmlinux's; a partial link of the
		# three shows whether what the driver needs is there
		if ! ld -r -o "$o/mlx5-fwctl-link.o" --whole-archive \
			"$o/$CORE/built-in.a" "$o/drivers/fwctl/built-in.a" >>"$log" 2>&1; then
			fail "$name: partial link failed"
			return
		fi
		w=$(nm -u "$o/mlx5-fwctl-link.o" | awk '{ print $2 }' | grep -E "$OUR_SYMS" || true)
		if [ -n "$w" ]; then
			fail "$name: unresolved: ${w//$'\n'/ }"
			return
		fi
	fi

	# Sparse on the series' files: C=2 checks them even when up to date
	make -C "$KSRC" O="$o" -j"$JOBS" W=1 C=2 "${SERIES_OBJS[@]}" >>"$log" 2>&1 ||
		{ fail "$name: sparse pass failed"; tail -n 20 "$log" | sed 's/^/# /'; return; }

	w=$(filter_log "$log")
	if [ -n "$w" ]; then
		fail "$name ($((SECONDS - t0)) s, log: ${log#"$FWCTL_ROOT"/})"
		printf '%s\n' "$w" | head -n 40 | sed 's/^/# /'
		return
	fi
	pass "$name ($((SECONDS - t0)) s)"
}

mkdir -p "$OUT"
build m
build y
report
