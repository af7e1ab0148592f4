#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing fwctl needs, then prepare the kernel
# source tree the in-tree tools run from: .build/linux-source-6.12, with
# patches/linux-6.12/*.patch applied and the fwctl sources linked in.
# Run it as often as you like: it only does what is missing.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# Compilers and kbuild's tools; sparse for C=2; dwarves (pahole) for module
# BTF; libc6-dev for the static selftests; the rest for the VM tier.
PKGS=(gcc make perl python3 bc bison flex libelf-dev libssl-dev patch
	xz-utils sparse dwarves libc6-dev busybox-static cpio kmod
	qemu-system-x86 rsync "linux-source-$KSERIES")
# Image and headers: installed together at one version, or vermagic differs
KPKGS=("linux-image-$KSERIES-amd64" "linux-headers-$KSERIES-amd64")
# The files and directories of this repository that replace (or add to)
# their counterparts in the kernel source tree
OVERLAY=(drivers/fwctl include/linux/fwctl.h include/uapi/fwctl
	Documentation/userspace-api/fwctl)

mkdir -p "$BUILD"
LOG=$BUILD/setup.log
: >"$LOG"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

apt_update() {
	[ -z "${apt_updated:-}" ] || return 0
	$SUDO apt-get update -q >>"$LOG" 2>&1 </dev/null ||
		{ tail -n 30 "$LOG" >&2; die "apt-get update failed, see $LOG"; }
	apt_updated=1
}

apt_install() {
	apt_update
	echo "setup: installing $*"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$@" >>"$LOG" 2>&1 </dev/null ||
		{ tail -n 30 "$LOG" >&2; die "apt-get install failed, see $LOG"; }
}

missing=()
for p in "${PKGS[@]}"; do
	installed "$p" || missing+=("$p")
done
if ! installed "${KPKGS[0]}" || ! installed "${KPKGS[1]}"; then
	apt_update
	v=$(apt-cache policy "${KPKGS[0]}" | awk '/Candidate:/ { print $2 }')
	missing+=("${KPKGS[0]}=$v" "${KPKGS[1]}=$v")
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# The image for exactly the release of the headers the Makefile picks
krel=$(krel)
installed "linux-image-$krel" || apt_install "linux-image-$krel"
[ -r "/boot/vmlinuz-$krel" ] || die "/boot/vmlinuz-$krel is missing or unreadable"

# Files a set of patches changes: the a/ and b/ paths of their headers
patched_files() {
	sed -n 's#^\(---\|+++\) [ab]/\([^[:space:]]*\).*#\2#p' /dev/null "$@" | sort -u
}

# Move the tree from the old patch set to the one in $KSRC.new. Only the
# files whose content changes get a new timestamp, so that the build
# directories made from the tree rebuild only what depends on them.
update_tree() {
	local f
	while read -r f; do
		if [ ! -e "$KSRC.new/$f" ]; then
			rm -f "$KSRC/$f"
		elif ! cmp -s "$KSRC.new/$f" "$KSRC/$f"; then
			mkdir -p "$(dirname "$KSRC/$f")"
			cp "$KSRC.new/$f" "$KSRC/$f"
		fi
	done < <(sort -u "$KSRC/.fwctl-patched" "$KSRC.new/.fwctl-patched")
	cp "$KSRC.new/.fwctl-patched" "$KSRC.new/.fwctl-stamp" "$KSRC/"
	rm -rf "$KSRC.new"
}

# Unpack and patch once; again when the source package or a patch changes
shopt -s nullglob
patches=("$FWCTL_ROOT/patches/linux-$KSERIES"/*.patch)
tarball=/usr/src/linux-source-$KSERIES.tar.xz
version=$(dpkg-query -W -f='${Version}' "linux-source-$KSERIES")
want="$version $(cat /dev/null "${patches[@]}" | sha256sum | cut -d' ' -f1)"
have=$(cat "$KSRC/.fwctl-stamp" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	echo "setup: unpacking $tarball"
	t0=$SECONDS
	rm -rf "$KSRC.new"
	mkdir -p "$KSRC.new"
	# -m: files dated now, or build directories could miss a change
	tar -xmf "$tarball" -C "$KSRC.new" --strip-components=1
	for p in "${patches[@]}"; do
		patch -d "$KSRC.new" -p1 -s -N --no-backup-if-mismatch <"$p" ||
			die "${p#"$FWCTL_ROOT"/} does not apply to linux-source-$KSERIES"
	done
	patched_files "${patches[@]}" >"$KSRC.new/.fwctl-patched"
	echo "$want" >"$KSRC.new/.fwctl-stamp"
	if [ "${have%% *}" = "$version" ] && [ -f "$KSRC/.fwctl-patched" ]; then
		update_tree
	else
		rm -rf "$KSRC"
		mv "$KSRC.new" "$KSRC"
	fi
	echo "setup: unpacked and patched ${#patches[@]} patches in $((SECONDS - t0)) s"
fi

for p in "${OVERLAY[@]}"; do
	ln -sfn "$FWCTL_ROOT/$p" "$KSRC/$p"
done
