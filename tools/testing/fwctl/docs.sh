#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Docs tier: builds Documentation/userspace-api/fwctl with the kernel's
# Sphinx setup (`make htmldocs SPHINXDIRS=userspace-api/fwctl` in the
# unpacked linux-source-6.12, where setup.sh links our Documentation in),
# which also runs every kernel-doc directive on our sources. Any warning or
# error is a failure, except graphviz being absent. The HTML ends up in
# .build/docs/out/Documentation/output/userspace-api/fwctl/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
exec </dev/null

OUT=$BUILD/docs
LOG=$OUT/docs.log
DOC=Documentation/userspace-api/fwctl
mkdir -p "$OUT"
: >"$LOG"

report() {
	summary docs
	exit $?
}

need_pkgs "$LOG" python3-sphinx python3-yaml ||
	{ fail "docs: installing Sphinx failed (${LOG#"$FWCTL_ROOT"/})"; report; }
[ -e "$KSRC/$DOC/index.rst" ] || { fail "docs: no $KSRC/$DOC, run 'make setup'"; report; }

# A fresh output directory: Sphinx only reports the files it rereads
t0=$SECONDS
rm -rf "$OUT/out"
rc=0
make -C "$KSRC" O="$OUT/out" SPHINXDIRS=userspace-api/fwctl htmldocs \
	>>"$LOG" 2>&1 || rc=$?
warnings=$(grep -E 'WARNING|ERROR|CRITICAL|[Ww]arning:|[Ee]rror:' "$LOG" |
	   grep -v 'dot(1) not found' || true)
html=$OUT/out/Documentation/output/userspace-api/fwctl
if [ "$rc" -ne 0 ]; then
	fail "docs: htmldocs failed (exit $rc, ${LOG#"$FWCTL_ROOT"/})"
	tail -n 20 "$LOG" | sed 's/^/# /'
elif [ -n "$warnings" ]; then
	fail "docs: $(echo "$warnings" | wc -l) warnings ($((SECONDS - t0)) s)"
	echo "$warnings" | head -n 40 | sed 's/^/# /'
else
	pass "docs: $DOC builds with no warnings ($((SECONDS - t0)) s)"
fi

# Every page, and the kernel-doc of the uAPI and kernel API, made it in
for page in index fwctl fwctl-accel fwctl-cxl fwctl-mlx5; do
	if [ -s "$html/$page.html" ]; then
		pass "docs: $page.html"
	else
		fail "docs: $page.html missing"
	fi
done
for sym in fwctl_rpc fwctl_info fwctl_register fwctl_ops; do
	if grep -q "id=\"c.$sym\"" "$html/fwctl.html" 2>/dev/null; then
		pass "docs: kernel-doc of $sym in fwctl.html"
	else
		fail "docs: kernel-doc of $sym missing from fwctl.html"
	fi
done
report
