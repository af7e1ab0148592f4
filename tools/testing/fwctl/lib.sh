# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # variables used by the scripts sourcing this
#
# Sourced by the scripts in this directory: paths, the target kernel and
# the result counting every test tier shares.

FWCTL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=$FWCTL_ROOT/.build
KSERIES=6.12
# Unpacked, patched kernel source: checkpatch, kernel-doc, KUnit, gen_init_cpio
KSRC=$BUILD/linux-source-$KSERIES

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# The kernel build tree the modules are built against (KDIR), as the
# top-level Makefile picks it, and that kernel's release string.
kdir() {
	make -s --no-print-directory -C "$FWCTL_ROOT" kdir
}

krel() {
	local k
	k=$(kdir)
	[ -r "$k/include/config/kernel.release" ] ||
		die "no kernel build tree at '$k': run 'make setup' or set KDIR"
	# Debian's 6.1 headers hold the upstream version in kernel.release
	# ("6.1.192"); the release the kernel reports is UTS_RELEASE
	if [ -r "$k/include/generated/utsrelease.h" ]; then
		sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
			"$k/include/generated/utsrelease.h"
	else
		cat "$k/include/config/kernel.release"
	fi
}

# need_pkgs LOG PACKAGE...: install those of the Debian packages that are
# missing, quietly, apt's output to LOG; a tier must fetch what it uses
need_pkgs() {
	local log=$1 p missing=() sudo=
	shift
	for p in "$@"; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -ne 0 ] || return 0
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "# installing ${missing[*]}"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >>"$log" 2>&1 </dev/null
}

# Results, printed as TAP lines. summary() prints the suite's totals and,
# when FWCTL_COUNTS names a file, writes "passed failed skipped" to it for
# check.sh to add up.
N_PASS=0
N_FAIL=0
N_SKIP=0

pass() {
	N_PASS=$((N_PASS + 1))
	echo "ok $((N_PASS + N_FAIL + N_SKIP)) $*"
}

fail() {
	N_FAIL=$((N_FAIL + 1))
	echo "not ok $((N_PASS + N_FAIL + N_SKIP)) $*"
}

skip() {
	N_SKIP=$((N_SKIP + 1))
	echo "ok $((N_PASS + N_FAIL + N_SKIP)) $* # SKIP"
}

# Add up top-level TAP results read from stdin: "ok N" passed, "ok N ...
# # SKIP" skipped, "not ok N" failed; indented and "# " lines are nested
count_tap() {
	local line
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"not ok "[0-9]*) N_FAIL=$((N_FAIL + 1)) ;;
		"ok "[0-9]*"# "[Ss][Kk][Ii][Pp]* | "ok "[0-9]*"#"[Ss][Kk][Ii][Pp]*)
			N_SKIP=$((N_SKIP + 1)) ;;
		"ok "[0-9]*) N_PASS=$((N_PASS + 1)) ;;
		esac
	done
}

summary() {
	echo "$1: $N_PASS passed, $N_FAIL failed, $N_SKIP skipped"
	if [ -n "${FWCTL_COUNTS:-}" ]; then
		echo "$N_PASS $N_FAIL $N_SKIP" >"$FWCTL_COUNTS"
	fi
	[ "$N_FAIL" -eq 0 ]
}
