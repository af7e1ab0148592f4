#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-tree patch series against linux-source-6.12, made from this tree.
#
#   series.sh             make the series and test it (the `series` tier)
#   series.sh --generate  only make it, in .build/series/patches/
#   series.sh --refresh   re-fit the strip patches after the sources changed
#   series.sh --state K DIR   the files the series touches, after patch K
#
# patches/series/NN-name describes patch NN: its commit message, a "---"
# line, then "files:" (paths of this repository, files or directories, the
# patch adds in their final state), "exclude:", "hooks:" (numbers of the
# patches/linux-6.12 hook patches it carries) and "maintainers:" (section
# titles of MAINTAINERS it adds to the kernel's). A file that later patches
# extend is added in its final state and cut back by NN-name.strip of each
# later patch, as in quilt: the tree after patch K is the final tree with
# the strips of patches N..K+1 applied in turn. The patches are the commits
# of a throwaway git repository, written with git format-patch under the
# identity of the first maintainer of FWCTL SUBSYSTEM.
#
# The test: every patch applies to a freshly unpacked tree, in turn; after
# each, a small x86_64 kernel (allnoconfig plus PCI, networking, mlx5_core,
# CXL, KUnit and every fwctl option) builds the directories the series
# touches with W=1, once with the fwctl options as modules and once built
# in, in two build directories that rebuild only what changed; and
# checkpatch --strict is clean on each patch.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
exec </dev/null

SERIES=$FWCTL_ROOT/patches/series
HOOKS=$FWCTL_ROOT/patches/linux-$KSERIES
OUT=$BUILD/series
TARBALL=/usr/src/linux-source-$KSERIES.tar.xz
PRISTINE=$OUT/pristine
# What of this repository goes into the series
REPO_PATHS=(drivers/fwctl include/linux/fwctl.h include/uapi/fwctl
	    Documentation/userspace-api/fwctl tools/testing/selftests/fwctl
	    tools/fwctl)
CORE=drivers/net/ethernet/mellanox/mlx5/core
export ARCH=x86_64

mapfile -t SPECS < <(find "$SERIES" -maxdepth 1 -type f -name '[0-9][0-9]-*' \
		     ! -name '*.strip' | sort)
[ ${#SPECS[@]} -gt 0 ] || die "no patch descriptions in $SERIES"

# spec_key FILE KEY: the words of every "KEY:" line after the "---" line
spec_key() {
	sed -n '/^---$/,$ s/^'"$2"': *//p' "$1" | tr '\n' ' '
}

# The commit message: everything before the "---" line
spec_msg() {
	sed '/^---$/,$d' "$1"
}

repo_files() {
	git -C "$FWCTL_ROOT" ls-files -co --exclude-standard -- "${REPO_PATHS[@]}" |
		grep -v '/\.checkpatch-camelcase\.' | sort -u
}

# in_list PATH WORDS...: PATH is one of WORDS or below one of them
in_list() {
	local p=$1 w
	shift
	for w in "$@"; do
		[[ $p == "$w" || $p == "$w"/* ]] && return 0
	done
	return 1
}

# Which patch adds each file of the repository: OWNER[file]=index
declare -A OWNER
assign_files() {
	local i f files excl
	for i in "${!SPECS[@]}"; do
		read -ra files <<<"$(spec_key "${SPECS[i]}" files)"
		read -ra excl <<<"$(spec_key "${SPECS[i]}" exclude)"
		[ ${#files[@]} -gt 0 ] || continue
		while read -r f; do
			in_list "$f" "${files[@]}" || continue
			[ ${#excl[@]} -gt 0 ] && in_list "$f" "${excl[@]}" && continue
			[ -z "${OWNER[$f]:-}" ] ||
				die "$f is in ${SPECS[OWNER[$f]]##*/} and ${SPECS[i]##*/}"
			OWNER[$f]=$i
		done < <(repo_files)
	done
	while read -r f; do
		case $f in
		tools/testing/selftests/fwctl/vm_demo.sh) ;;
		*) [ -n "${OWNER[$f]:-}" ] ||
			die "$f is in no patch: add it to one in patches/series/" ;;
		esac
	done < <(repo_files)
}

hook_file() {
	local h
	h=("$HOOKS/$1"-*.patch)
	[ -f "${h[0]}" ] || die "no hook patch $1 in ${HOOKS#"$FWCTL_ROOT"/}"
	echo "${h[0]}"
}

# Kernel files the hooks change, plus MAINTAINERS
kernel_files() {
	{
		echo MAINTAINERS
		sed -n 's#^\(---\|+++\) [ab]/\([^[:space:]]*\).*#\2#p' "$HOOKS"/*.patch
	} | sort -u
}

# add_maintainers DIR TITLE...: our MAINTAINERS sections into the kernel's,
# each after the last section whose title sorts before it
add_maintainers() {
	python3 - "$FWCTL_ROOT/MAINTAINERS" "$1/MAINTAINERS" "${@:2}" <<'EOF'
import glob, os, re, sys
ours, theirs, titles = sys.argv[1], sys.argv[2], sys.argv[3:]
top = os.path.dirname(theirs)
sec, cur = {}, None
for line in open(ours).read().split('\n'):
    if re.match(r'^[A-Z]:\t', line) and cur is not None:
        # F: lines come with the patch that adds their files
        if line.startswith('F:\t') and not glob.glob(os.path.join(top, line[3:])):
            continue
        sec[cur].append(line)
    elif line and not line.startswith(' ') and re.match(r'^[A-Z0-9]', line):
        cur = line
        sec[cur] = [line]
    else:
        cur = None
lines = open(theirs).read().split('\n')
start = lines.index('Maintainers List')
for t in titles:
    if t not in sec:
        sys.exit('MAINTAINERS has no section ' + t)
    # The file is sorted but for a few strays: go after the last section
    # sorting before ours
    heads = [i for i in range(start, len(lines) - 1)
             if lines[i] and lines[i - 1] == '' and
             re.match(r'^[A-Z]:\t', lines[i + 1])]
    before = [i for i in heads if lines[i] < t]
    after = [i for i in heads if i > before[-1]]
    at = after[0] if after else len(lines)
    lines[at:at] = sec[t] + ['']
open(theirs, 'w').write('\n'.join(lines))
EOF
}

# make_state K DIR: the touched files of the tree after patch K (1-based)
make_state() {
	local k=$1 dir=$2 i f h t titles=()
	rm -rf "$dir"
	mkdir -p "$dir"
	while read -r f; do
		mkdir -p "$dir/$(dirname "$f")"
		cp "$PRISTINE/$f" "$dir/$f"
	done < <(kernel_files)
	for ((i = 0; i < k; i++)); do
		for h in $(spec_key "${SPECS[i]}" hooks); do
			patch -d "$dir" -p1 -s --no-backup-if-mismatch <"$(hook_file "$h")" ||
				die "hook $h does not apply"
		done
		while IFS= read -r t; do
			titles+=("$t")
		done < <(sed -n '/^---$/,$ s/^maintainers: *//p' "${SPECS[i]}")
	done
	for f in "${!OWNER[@]}"; do
		[ "${OWNER[$f]}" -lt "$k" ] || continue
		mkdir -p "$dir/$(dirname "$f")"
		cp -p "$FWCTL_ROOT/$f" "$dir/$f"
	done
	[ ${#titles[@]} -eq 0 ] || add_maintainers "$dir" "${titles[@]}"
	for ((i = ${#SPECS[@]} - 1; i >= k; i--)); do
		f=${SPECS[i]}.strip
		[ -f "$f" ] || continue
		# Only for the files this state has: a strip may cut a file
		# that an earlier patch adds than the one being cut back to
		awk -v dir="$dir" '/^--- a\// {
			keep = system("test -e \"" dir "/" substr($2, 3) "\"") == 0
		} keep' "$f" |
			patch -d "$dir" -p1 -s -F0 --no-backup-if-mismatch -r - >/dev/null ||
			die "${f#"$FWCTL_ROOT"/} no longer applies: run 'make series-refresh'"
	done
}

unpack_pristine() {
	[ -f "$PRISTINE/.fwctl-pristine" ] && return 0
	rm -rf "$PRISTINE"
	mkdir -p "$PRISTINE"
	tar -xmf "$TARBALL" -C "$PRISTINE" --strip-components=1
	touch "$PRISTINE/.fwctl-pristine"
}

# The identity the series is written under: the first maintainer of
# FWCTL SUBSYSTEM
identity() {
	sed -n '/^FWCTL SUBSYSTEM$/,/^$/ s/^M:\t//p' "$FWCTL_ROOT/MAINTAINERS" | head -n 1
}

# sgit WHO ARGS...: git in the throwaway repository, as WHO, at a fixed
# date so that the same sources give the same patches
sgit() {
	local who=$1 name mail
	shift
	name=${who% <*}
	mail=${who##*<}
	mail=${mail%>}
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$mail GIT_COMMITTER_NAME=$name \
	GIT_COMMITTER_EMAIL=$mail GIT_AUTHOR_DATE='2026-01-01 00:00:00 +0000' \
	GIT_COMMITTER_DATE='2026-01-01 00:00:00 +0000' git -C "$OUT/git" "$@"
}

generate() {
	local git=$OUT/git who i n name
	who=$(identity)
	[ -n "$who" ] || die "no M: line under FWCTL SUBSYSTEM in MAINTAINERS"
	rm -rf "$git" "$OUT/patches"
	mkdir -p "$git"
	make_state 0 "$OUT/state"
	cp -a "$OUT/state/." "$git/"
	sgit "$who" init -q
	sgit "$who" add -A
	sgit "$who" commit -q -m base
	sgit "$who" tag base
	n=${#SPECS[@]}
	for ((i = 1; i <= n; i++)); do
		make_state "$i" "$OUT/state"
		find "$git" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
		cp -a "$OUT/state/." "$git/"
		{ spec_msg "${SPECS[i - 1]}"; echo; echo "Signed-off-by: $who"; } >"$OUT/msg"
		sgit "$who" add -A
		sgit "$who" commit -q -F "$OUT/msg" ||
			die "patch $i (${SPECS[i - 1]##*/}) changes nothing"
	done
	git -C "$git" format-patch -q --no-signature -o "$OUT/patches" base..HEAD
	rm -rf "$OUT/state" "$OUT/msg"
}

# Re-fit each strip patch to the current sources, last first
refresh() {
	local i k n=${#SPECS[@]} f tmp=$OUT/refresh files
	for ((i = n - 1; i >= 0; i--)); do
		f=${SPECS[i]}.strip
		[ -f "$f" ] || continue
		k=$((i + 1))
		make_state "$k" "$tmp/a"
		cp -a "$tmp/a" "$tmp/b"
		if ! patch -d "$tmp/b" -p1 -s -F3 --no-backup-if-mismatch <"$f"; then
			die "${f#"$FWCTL_ROOT"/} does not fit any more: fix it by hand (.rej files in ${tmp#"$FWCTL_ROOT"/}/b)"
		fi
		mapfile -t files < <(sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$f")
		: >"$f.new"
		for p in "${files[@]}"; do
			(cd "$tmp" && diff -u --label "a/$p" --label "b/$p" "a/$p" "b/$p") >>"$f.new" || true
		done
		mv "$f.new" "$f"
		rm -rf "$tmp"
		echo "refreshed ${f#"$FWCTL_ROOT"/}"
	done
}

case ${1:-} in
--state)
	# The touched files after patch $2, in $3: for writing strip patches
	unpack_pristine
	assign_files
	make_state "$2" "$3"
	exit 0
	;;
--generate | --refresh)
	[ -r "$TARBALL" ] || die "no $TARBALL: run 'make setup'"
	mkdir -p "$OUT"
	unpack_pristine
	assign_files
	if [ "$1" = --refresh ]; then
		refresh
	else
		generate
		echo "series: $(find "$OUT/patches" -name '*.patch' | wc -l) patches in ${OUT#"$FWCTL_ROOT"/}/patches"
	fi
	exit 0
	;;
"") ;;
*) die "usage: series.sh [--generate | --refresh]" ;;
esac

# --- the tier
report() {
	summary series
	exit $?
}

LOG=$OUT/series.log
mkdir -p "$OUT"
: >"$LOG"
t0=$SECONDS
[ -r "$TARBALL" ] || { fail "series: no $TARBALL, run 'make setup'"; report; }
if ! (unpack_pristine && assign_files && generate) >>"$LOG" 2>&1; then
	fail "series: generating the series failed"
	tail -n 5 "$LOG" | sed 's/^/# /'
	report
fi
mapfile -t PATCHES < <(find "$OUT/patches" -name '*.patch' | sort)
pass "series: ${#PATCHES[@]} patches generated ($((SECONDS - t0)) s)"

# A fresh tree to apply them to, of hard links to the pristine one (patch
# replaces the files it changes, and kbuild with O= writes nothing there).
# A later run puts back what the last one changed instead of copying the
# whole tree again; the files it puts back are dated now, so that the build
# directories, kept from run to run, rebuild what depends on them.
TREE=$OUT/linux
if [ -f "$TREE/.fwctl-series-files" ]; then
	while read -r f; do
		rm -f "$TREE/$f"
		[ ! -e "$PRISTINE/$f" ] || cp "$PRISTINE/$f" "$TREE/$f"
	done <"$TREE/.fwctl-series-files"
	find "$TREE/drivers" "$TREE/tools" "$TREE/include" "$TREE/Documentation" \
		-depth -type d -empty -delete
else
	rm -rf "$TREE"
	cp -al "$PRISTINE" "$TREE"
fi
sed -n 's#^+++ b/##p' "${PATCHES[@]}" | sort -u >"$TREE/.fwctl-series-files"

# configure DIR VARIANT: the small kernel with the options the tree has
configure() {
	local o=$1 v=$2 kv=(--module) opt
	[ "$v" = y ] && kv=(--enable)
	[ -f "$o/.config" ] || make -C "$TREE" O="$o" -s allnoconfig
	local args=(--enable MODULES --enable PCI --enable NET --enable NETDEVICES
		    --enable ETHERNET --enable NET_VENDOR_MELLANOX --enable KUNIT
		    --enable DEBUG_FS --enable CXL_BUS --enable CXL_PCI
		    --enable CXL_MEM)
	for opt in MLX5_CORE FWCTL FWCTL_MOCK FWCTL_ACCEL FWCTL_CXL FWCTL_CXL_SIM \
		   FWCTL_MLX5 FWCTL_MLX5_KUNIT_TEST FWCTL_KUNIT_TEST; do
		args+=("${kv[@]}" "$opt")
	done
	args+=(--enable FWCTL_ACCEL_TEST)
	"$TREE/scripts/config" --file "$o/.config" "${args[@]}" &&
		make -C "$TREE" O="$o" -s olddefconfig
}

# covered PATCH: the files PATCH adds that no F: pattern of a FWCTL
# section of the tree's MAINTAINERS covers
covered() {
	local f pat pats ok
	mapfile -t pats < <(sed -n '/^FWCTL /,/^$/ s/^F:\t//p' "$TREE/MAINTAINERS")
	while read -r f; do
		ok=
		for pat in "${pats[@]}"; do
			# shellcheck disable=SC2053 # F: patterns are globs
			if [[ $pat == */ && $f == "$pat"* ]] || [[ $f == $pat ]]; then
				ok=1
				break
			fi
		done
		[ -n "$ok" ] || printf ' %s' "$f"
	done < <(awk '/^--- \/dev\/null/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$1")
}

# The build directories are kept from run to run, but every run applies
# the series again, which dates every file it writes now. A file whose
# content is what the build directories last saw gets that date back, so
# that a second run rebuilds what changed, not everything under panic.h.
# $OUT/built-files: "sha256 mtime path" of the series' files at the last
# build.
settle() {
	local sum mtime f cur
	[ -f "$OUT/built-files" ] || return 0
	while read -r sum mtime f; do
		[ -f "$TREE/$f" ] || continue
		cur=$(sha256sum <"$TREE/$f" | cut -c1-64)
		[ "$cur" != "$sum" ] || touch -d "@$mtime" "$TREE/$f"
	done <"$OUT/built-files"
}

record_built() {
	local f
	while read -r f; do
		[ -f "$TREE/$f" ] || continue
		printf '%s %s %s\n' "$(sha256sum <"$TREE/$f" | cut -c1-64)" \
			"$(stat -c %Y "$TREE/$f")" "$f"
	done <"$TREE/.fwctl-series-files" >"$OUT/built-files"
}

# build_dirs PATCH: what to build after PATCH: the fwctl directory, unless
# the patch only changes documentation or user space, and the kernel's
# directories whose files it changes. A kernel directory is
# first built when a patch changes it, with every earlier patch applied:
# the taint bit's change to panic.h cannot break the CXL and mlx5 cores,
# and rebuilding them for it would double the tier's time.
build_dirs() {
	local files
	files=$(sed -n 's#^+++ b/##p' "$1")
	# A patch of documentation or user space alone builds nothing
	[ ! -d "$TREE/drivers/fwctl" ] ||
		! grep -qvE '^(Documentation/|tools/|MAINTAINERS$)' <<<"$files" ||
		echo drivers/fwctl/
	{ [ "$1" = "${PATCHES[0]}" ] || grep -qE '^(kernel/|include/linux/panic)' <<<"$files"; } &&
		echo kernel/panic.o
	grep -qE '^drivers/cxl/' <<<"$files" && echo drivers/cxl/
	grep -qE '^(drivers/net/ethernet/mellanox/|include/linux/mlx5)' <<<"$files" &&
		echo "$CORE/"
	return 0
}

# Warnings of the compiler and of kbuild
warnings() {
	grep -E 'warning:|error:|^WARNING|^ERROR' "$1" || true
}

failed=0
for v in m y; do
	mkdir -p "$OUT/build-$v"
done
for p in "${PATCHES[@]}"; do
	name=${p##*/}
	t1=$SECONDS
	# User space (tools/) has no __printf() and friends, as in lint.sh;
	# whether MAINTAINERS covers new files is checked below instead
	cp_out=$(cd "$TREE" && scripts/checkpatch.pl --strict -q --no-summary \
		--ignore PREFER_DEFINED_ATTRIBUTE_MACRO,FILE_PATH_CHANGES "$p" 2>&1) || true
	if [ -n "$cp_out" ]; then
		fail "series: $name: checkpatch --strict"
		echo "$cp_out" | head -n 20 | sed 's/^/# /'
	else
		pass "series: $name: checkpatch --strict"
	fi
	if ! patch -d "$TREE" -p1 -s --no-backup-if-mismatch <"$p" >>"$LOG" 2>&1; then
		fail "series: $name: does not apply"
		failed=1
		break
	fi
	uncovered=$(covered "$p")
	[ -z "$uncovered" ] || fail "series: $name: in no FWCTL entry of MAINTAINERS:$uncovered"
	settle
	mapfile -t dirs < <(build_dirs "$p")
	built=1
	for v in m y; do
		o=$OUT/build-$v
		blog=$o/build.log
		if [ ${#dirs[@]} -eq 0 ]; then
			pass "series: $name: FWCTL=$v nothing to build"
			continue
		fi
		if ! { configure "$o" "$v" &&
		       nice -n 5 make -C "$TREE" O="$o" -j2 W=1 "${dirs[@]}"; } >"$blog" 2>&1; then
			fail "series: $name: FWCTL=$v build failed"
			warnings "$blog" | head -n 20 | sed 's/^/# /'
			failed=1
			built=
			continue
		fi
		w=$(warnings "$blog" | grep -E 'fwctl|cxl/(pci|cxlmem)|mlx5/core/dev' || true)
		if [ -n "$w" ]; then
			fail "series: $name: FWCTL=$v W=1 warnings"
			echo "$w" | head -n 20 | sed 's/^/# /'
		else
			pass "series: $name: FWCTL=$v builds ($((SECONDS - t1)) s)"
		fi
	done
	[ -z "$built" ] || record_built
	[ "$failed" -eq 0 ] || break
done
echo "# series tier: $((SECONDS - t0)) s"
report
