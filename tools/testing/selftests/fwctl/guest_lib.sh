# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Sourced by the guest scripts (vm_*.sh, tools/fwctl/tests/vm_cli.sh), for
# busybox sh, as root: TAP counters, mounting, module loading and waiting
# for devices. vm.sh puts it next to the guest script:
#
#   . "$(dirname "$0")/guest_lib.sh"
#
# MODDIR is the directory of our .ko files (default /fwctl/modules) and
# TESTDIR that of the test programs (default /fwctl/tests).

MODDIR=${MODDIR:-/fwctl/modules}
TESTDIR=${TESTDIR:-/fwctl/tests}

# --- TAP -------------------------------------------------------------------

N=0
PASS=0
FAIL=0
SKIP=0

ok() {
	N=$((N + 1)); PASS=$((PASS + 1))
	echo "ok $N $*"
}

not_ok() {
	N=$((N + 1)); FAIL=$((FAIL + 1))
	echo "not ok $N $*"
}

# skip NAME REASON
skip() {
	N=$((N + 1)); SKIP=$((SKIP + 1))
	echo "ok $N $1 # SKIP $2"
}

# check NAME COMMAND...: passes when the command succeeds
check() {
	_name=$1
	shift
	if "$@"; then ok "$_name"; else not_ok "$_name"; fi
}

# run_tap NAME PROGRAM [ARGS]: runs a program printing TAP (the kselftest
# harness does) for at most TIMEOUT seconds (default 900) and renumbers its
# results into ours, under NAME/; results it announced but never printed,
# or an exit status it gives without a failed test (4 is the harness's
# "skipped"), fail too.
run_tap() {
	name=$1
	shift
	if [ ! -x "$1" ]; then
		not_ok "$name: $1 is missing"
		return
	fi
	echo "# running $name: $*"
	{ timeout -s KILL "${TIMEOUT:-900}" "$@" 2>&1; echo "rc $?"; } | awk \
		-v n="$N" -v prefix="$name/" -v out="/tmp/tap-$name.counts" '
		BEGIN { p = 0; f = 0; s = 0; seen = 0; plan = -1; rc = 255 }
		/^rc [0-9]+$/ { rc = $2; next }
		/^(not )?ok [0-9]+/ {
			bad = ($1 == "not")
			rest = $0
			sub(/^(not )?ok [0-9]+ ?/, "", rest)
			n++; seen++
			if (bad) f++
			else if (rest ~ /# *[Ss][Kk][Ii][Pp]/) s++
			else p++
			print (bad ? "not ok " : "ok ") n " " prefix rest
			fflush()
			next
		}
		/^1\.\.[0-9]+/ { if (plan < 0) plan = substr($1, 4) + 0; next }
		/^#/ { print; fflush(); next }
		{ print "# " $0; fflush() }
		END { print n, p, f, s, (plan > seen ? plan - seen : 0), rc > out }'
	read -r N p f s missing rc <"/tmp/tap-$name.counts"
	PASS=$((PASS + p)); FAIL=$((FAIL + f)); SKIP=$((SKIP + s))
	if [ "$missing" -gt 0 ]; then
		not_ok "$name: $missing announced tests never reported (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		not_ok "$name: exit status $rc with no failed test"
	fi
}

# --- the guest -------------------------------------------------------------

# mount_fs TYPE DIR: mounts TYPE on DIR unless something is mounted there
mount_fs() {
	[ -r /proc/mounts ] && grep -qs " $2 " /proc/mounts && return 0
	mkdir -p "$2" 2>/dev/null
	mount -t "$1" "$1" "$2" 2>/dev/null
}

# load MODULE [PARAMS...]: ours from MODDIR, else the distribution's with
# modprobe; nothing when loaded or built in. Says so on failure.
load() {
	_mod=$1
	shift
	[ -d "/sys/module/$_mod" ] && return 0
	if [ -f "$MODDIR/$_mod.ko" ]; then
		insmod "$MODDIR/$_mod.ko" "$@" && return 0
	elif modprobe "$_mod" "$@" 2>/dev/null; then
		return 0
	fi
	echo "# cannot load $_mod"
	return 1
}

# optional MODULE: like load, for modules some kernels build in or lack
optional() {
	[ -d "/sys/module/$1" ] && return 0
	if [ -f "$MODDIR/$1.ko" ]; then
		insmod "$MODDIR/$1.ko" || echo "# cannot load $1"
	else
		modprobe "$1" 2>/dev/null || echo "# no module $1"
	fi
	return 0
}

# load_cxl_stack: the distribution's CXL modules, as a system loads them.
# cxl_core and cxl_port are built into Debian's kernel; libnvdimm and
# cxl_pmem make the kernel own the label area, as on a real system.
load_cxl_stack() {
	_rc=0
	optional cxl_port
	for _m in cxl_acpi cxl_pci cxl_mem; do
		load "$_m" || _rc=1
	done
	optional libnvdimm
	optional cxl_pmem
	return $_rc
}

# wait_for GLOB: up to 10 s for a path matching GLOB to appear
wait_for() {
	_i=0
	while [ $_i -lt 50 ]; do
		for _f in $1; do
			[ -e "$_f" ] && return 0
		done
		sleep 0.2
		_i=$((_i + 1))
	done
	echo "# no $1"
	return 1
}

# kernel_log_clean: no BUG, WARNING, Oops or sanitizer report in dmesg;
# prints what it found
kernel_log_clean() {
	_re='BUG:|Oops|WARNING:|Call Trace|general protection|KASAN|UBSAN'
	_re="$_re|kmemleak: [0-9]+ new suspected|never freed|leaking"
	_re="$_re|list_del corruption|refcount_t:"
	_bad=$(dmesg | grep -E "$_re")
	[ -z "$_bad" ] && return 0
	echo "$_bad" | sed 's/^/# /'
	return 1
}
