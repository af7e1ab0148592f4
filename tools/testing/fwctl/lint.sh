#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks, one suite per argument:
#   build-check  clean external build with W=1 C=2 (sparse): one test, any
#                compiler, sparse or modpost warning fails it
#   checkpatch   scripts/checkpatch.pl --strict: one test per source file
#   kernel-doc   scripts/kernel-doc -Wall: one test per .c/.h under
#                drivers/fwctl/ and include/; any diagnostic fails it
# The kernel's scripts come from .build/linux-source-6.12 (setup.sh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
cd "$FWCTL_ROOT"

# Source files under the given paths, build products left out
sources() {
	local p existing=()
	for p in "$@"; do
		[ -e "$p" ] && existing+=("$p")
	done
	[ ${#existing[@]} -gt 0 ] || return 0
	find "${existing[@]}" -type f -name '*.[ch]' ! -name '*.mod.c' | sort
}

# One test per file: it passes when the checker exits 0 and prints nothing
# (checkpatch --quiet is silent on a clean file; kernel-doc exits 0 even
# when it complains, so its output is what counts). The files are checked
# in parallel, one job per CPU, and reported in order.
#   run_tests LABEL FILE... -- CHECKER ARGS...   (each FILE is appended)
run_tests() {
	local label=$1 files=() tmp f out
	shift
	while [ "$1" != -- ]; do
		files+=("$1")
		shift
	done
	shift
	[ ${#files[@]} -gt 0 ] || return 0
	tmp=$(mktemp -d)
	# xargs appends the file last: the child takes it off the end
	# shellcheck disable=SC2016 # expanded by the child, not here
	printf '%s\0' "${files[@]}" |
		xargs -0 -n 1 -P "$(nproc)" bash -c '
			dir=$1 file=${!#}
			out=$dir/${file//\//_}
			"${@:2:$#-2}" "$file" >"$out.out" 2>&1
			echo $? >"$out.rc"' lint "$tmp" "$@" || true
	for f in "${files[@]}"; do
		out=$tmp/${f//\//_}
		if [ "$(cat "$out.rc" 2>/dev/null)" = 0 ] && [ ! -s "$out.out" ]; then
			pass "$label: $f"
		else
			fail "$label: $f"
			sed 's/^/# /' "$out.out" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp"
}

build_check() {
	local log=$BUILD/build-check.log
	mkdir -p "$BUILD"
	make -s clean >/dev/null 2>&1 || true
	if make W=1 C=2 modules >"$log" 2>&1 &&
	   ! grep -qiE 'warning:|error:' "$log"; then
		pass "build-check: make W=1 C=2"
	else
		fail "build-check: make W=1 C=2 (full log: ${log#"$FWCTL_ROOT"/})"
		{ grep -iE -A3 'warning:|error:' "$log" || tail -n 20 "$log"; } |
			sed 's/^/# /'
	fi
}

checkpatch() {
	local kernel=() user=()
	local f
	for f in $(sources drivers/fwctl include/linux/fwctl.h \
			   include/uapi/fwctl compat tools/testing/selftests/fwctl \
			   tools/fwctl); do
		case $f in
		tools/*) user+=("$f") ;;
		*) kernel+=("$f") ;;
		esac
	done
	run_tests checkpatch "${kernel[@]}" -- "$KSRC/scripts/checkpatch.pl" \
		--strict --no-tree --show-types --quiet -f
	# User space has no __printf()/__packed/... from the kernel's
	# compiler_attributes.h: it spells out __attribute__
	run_tests checkpatch "${user[@]}" -- "$KSRC/scripts/checkpatch.pl" \
		--strict --no-tree --show-types --quiet \
		--ignore PREFER_DEFINED_ATTRIBUTE_MACRO -f
}

kernel_doc() {
	# shellcheck disable=SC2046 # one word per path
	run_tests kernel-doc $(sources drivers/fwctl include) -- \
		"$KSRC/scripts/kernel-doc" -none -Wall
}

[ $# -eq 1 ] || die "usage: $0 build-check|checkpatch|kernel-doc"
[ -x "$KSRC/scripts/checkpatch.pl" ] || die "$KSRC is missing: run 'make setup'"
case $1 in
build-check) build_check ;;
checkpatch) checkpatch ;;
kernel-doc) kernel_doc ;;
*) die "unknown suite '$1'" ;;
esac
[ $((N_PASS + N_FAIL + N_SKIP)) -gt 0 ] || fail "$1: nothing to check"
summary "$1"
