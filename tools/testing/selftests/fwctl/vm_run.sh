#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the fwctl selftests inside a guest, as root, with busybox:
#   MODDIR   directory with fwctl.ko and fwctl_mock.ko (default /fwctl/modules)
#   TESTDIR  directory with the static test programs (default /fwctl/tests)
#
# Loads the modules, runs each test program, the module unload phase, and
# last the lockdown phase, which cannot be undone before reboot. Prints TAP:
# every result of every program is renumbered into one "ok N" sequence;
# everything else is a "# " comment. Exits 0 when nothing failed.

MODDIR=${MODDIR:-/fwctl/modules}
TESTDIR=${TESTDIR:-/fwctl/tests}
TIMEOUT=${FWCTL_TEST_TIMEOUT:-900}
export MODDIR TESTDIR

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

skip() {
	N=$((N + 1)); SKIP=$((SKIP + 1))
	echo "ok $N $1 # SKIP $2"
}

comment() {
	sed 's/^/# /'
}

# run_tap NAME PROGRAM [ARGS]: runs a program that prints TAP (the
# kselftest harness does), folds its results into ours under NAME/, and
# fails the tests it announced but never reported.
run_tap() {
	name=$1
	shift
	if [ ! -x "$1" ]; then
		not_ok "$name: $1 is missing"
		return
	fi
	counts=/tmp/fwctl-$name.counts
	rcfile=/tmp/fwctl-$name.rc
	echo "# running $name"
	{ timeout -s KILL "$TIMEOUT" "$@" 2>&1; echo $? >"$rcfile"; } |
	awk -v n="$N" -v prefix="$name/" -v counts="$counts" '
		BEGIN { pass = 0; fail = 0; skip = 0; seen = 0; plan = -1 }
		/^(not )?ok [0-9]+/ {
			bad = ($1 == "not")
			rest = $0
			sub(/^(not )?ok [0-9]+ ?/, "", rest)
			n++; seen++
			if (bad) {
				fail++
				print "not ok " n " " prefix rest
			} else {
				if (rest ~ /# *[Ss][Kk][Ii][Pp]/)
					skip++
				else
					pass++
				print "ok " n " " prefix rest
			}
			fflush()
			next
		}
		/^1\.\.[0-9]+/ { if (plan < 0) plan = substr($1, 4) + 0 }
		/^#/ { print; fflush(); next }
		{ print "# " $0; fflush() }
		END {
			missing = plan > seen ? plan - seen : 0
			print n, pass, fail, skip, missing > counts
		}'
	rc=$(cat "$rcfile" 2>/dev/null || echo 255)
	read -r N p f s missing <"$counts"
	PASS=$((PASS + p)); FAIL=$((FAIL + f)); SKIP=$((SKIP + s))
	if [ "$missing" -gt 0 ]; then
		not_ok "$name: $missing announced tests never reported (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$f" -eq 0 ]; then
		not_ok "$name: exit status $rc with no failed test"
	fi
}

# mount_fs TYPE DIR: mounts TYPE on DIR unless something is mounted there
mount_fs() {
	[ -r /proc/mounts ] && grep -qs " $2 " /proc/mounts && return 0
	mkdir -p "$2" 2>/dev/null
	mount -t "$1" "$1" "$2" 2>/dev/null
}

load() {
	mod=$1
	shift
	if [ -d "/sys/module/$mod" ]; then
		ok "load $mod (already loaded)"
	elif out=$(insmod "$MODDIR/$mod.ko" "$@" 2>&1); then
		ok "load $mod"
	else
		not_ok "load $mod"
		echo "$out" | comment
	fi
}

echo "TAP version 13"
echo "# fwctl selftests on $(uname -r), modules from $MODDIR"
mount_fs proc /proc
mount_fs sysfs /sys
mount_fs devtmpfs /dev
mount_fs tmpfs /tmp
mount_fs tracefs /sys/kernel/tracing
mount_fs securityfs /sys/kernel/security

load fwctl
load fwctl_mock ndevs=2
if [ -d /sys/bus/platform/drivers/fwctl_mock ] &&
   [ -n "$(ls /sys/class/fwctl 2>/dev/null)" ] &&
   [ -n "$(ls /dev/fwctl 2>/dev/null)" ]; then
	ok "mock devices appear in /sys/class/fwctl and /dev/fwctl"
else
	not_ok "mock devices appear in /sys/class/fwctl and /dev/fwctl"
fi

run_tap fwctl "$TESTDIR/fwctl"
run_tap abi_only "$TESTDIR/abi_only"

if [ -x "$TESTDIR/fwctl_demo" ]; then
	if out=$(timeout -s KILL 120 "$TESTDIR/fwctl_demo" 2>&1) &&
	   echo "$out" | grep -q "delivered"; then
		ok "fwctl_demo"
	else
		not_ok "fwctl_demo"
	fi
	echo "$out" | comment
else
	not_ok "fwctl_demo is missing"
fi

# Module unload and reload with files open; leaves both modules loaded
run_tap fwctl_unplug "$TESTDIR/fwctl_unplug"

# Last: lockdown stays until reboot, and refuses unsigned modules
lockdown=/sys/kernel/security/lockdown
if [ ! -w "$lockdown" ]; then
	skip "lockdown integrity" "no $lockdown"
elif grep -q '\[none\]' "$lockdown" &&
     ! (echo integrity >"$lockdown") 2>/dev/null; then
	not_ok "lockdown integrity: writing $lockdown failed"
else
	ok "lockdown integrity: $(cat "$lockdown")"
	run_tap fwctl_lockdown "$TESTDIR/fwctl_lockdown"
fi

bad=$(dmesg | grep -E 'BUG:|Oops|WARNING:|Call Trace|general protection|KASAN|UBSAN|kmemleak|list_del corruption|refcount_t:')
if [ -z "$bad" ]; then
	ok "kernel log has no BUG, WARNING or Oops"
else
	not_ok "kernel log has no BUG, WARNING or Oops"
	echo "$bad" | comment
fi
dmesg | grep -i fwctl | comment

echo "1..$N"
echo "# fwctl selftests: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
