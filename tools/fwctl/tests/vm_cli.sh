#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test of the fwctl command in a guest with busybox, against
# the mock driver and, when they are there, a CXL memory device and the
# accelerator (vm.sh -m demo): every command, --json checked field by
# field, each scope, each refusal and every errno message the devices can
# provoke, with the documented exit codes. Prints TAP and a summary line.
#
# Environment:
#   FWCTL            the fwctl binary (default: TESTDIR/fwctl-cli, else
#                    fwctl in PATH)
#   MODDIR, TESTDIR  as guest_lib.sh has them
#   FWCTL_LOCKDOWN=1 also lock the kernel down (integrity) at the end to
#                    check the lockdown advice; irreversible until reboot,
#                    so only for a guest that runs nothing after this. The
#                    vm-cli tier passes it on the kernel command line
#                    (VM_APPEND), which the kernel hands to init as an
#                    environment variable.
#
# Needs root, sysfs, devtmpfs on /dev and guest_lib.sh next to it. Loads
# fwctl, fwctl_mock with 2 devices, the CXL stack with cxl_fwctl and
# accel_fwctl unless they are loaded. Leaves the mock as it found it:
# parameters at 0, devices bound, ceilings at debug_write_full.

# shellcheck source-path=SCRIPTDIR/../../testing/selftests/fwctl source=guest_lib.sh
. "$(dirname "$0")/guest_lib.sh"

if [ -z "${FWCTL:-}" ]; then
	FWCTL=fwctl
	[ -x "$TESTDIR/fwctl-cli" ] && FWCTL=$TESTDIR/fwctl-cli
fi
PARAMS=/sys/module/fwctl_mock/parameters
PLAT=/sys/devices/platform
T=$(mktemp -d /tmp/fwctl-cli.XXXXXX) || exit 1

pass() { ok "$@"; }

fail() {
	not_ok "$@"
	for f in out err; do
		[ -s "$T/$f" ] && sed "s/^/# $f: /" "$T/$f" | head -n 12
	done
}

check() {
	_what=$1
	shift
	if "$@"; then pass "$_what"; else fail "$_what"; fi
}

# run ARGS...: the command's exit code in $RC, its output in $T/out, $T/err
run() {
	"$FWCTL" "$@" >"$T/out" 2>"$T/err"
	RC=$?
}

rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }

# The value of the first member KEY of the JSON in FILE (default $T/out),
# as written: strings keep their quotes
jval() {
	sed -n "s/^ *\"$1\": \(.*\)\$/\1/p" "${2:-$T/out}" | head -n 1 |
		sed 's/,$//'
}

jis() { [ "$(jval "$1" "$3")" = "$2" ]; }

# The object of "fwctl --json list" whose name is $1, one member a line
list_entry() {
	awk -v want="\"name\": \"$1\"," '
		/^    \{$/ { buf = ""; inobj = 1; next }
		/^    \}/ { if (found) print buf; inobj = 0; found = 0; next }
		inobj { buf = buf $0 "\n"; if (index($0, want)) found = 1 }
	' "$T/out" >"$T/entry"
}

# The fwctl device of mock device $1, found through its parent in sysfs
mock_node() {
	ls "$PLAT/fwctl_mock.$1/fwctl" 2>/dev/null | head -n 1
}

sysattr() { cat "/sys/class/fwctl/$1/$2"; }

param() { echo "$2" >"$PARAMS/$1"; }

# Hex of a mock request: opcode, flags, len, reserved, then payload hex
le32() {
	v=$1
	printf '%02x%02x%02x%02x' $((v & 255)) $(((v >> 8) & 255)) \
		$(((v >> 16) & 255)) $(((v >> 24) & 255))
}

mreq() { echo "$(le32 "$1")$(le32 "${2:-0}")$(le32 "$3")$(le32 0)$4"; }

cleanup() {
	for p in fail_open fail_rpc fail_info rpc_delay_ms; do
		param $p 0 2>/dev/null
	done
	for i in 0 1; do
		[ -e "$PLAT/fwctl_mock.$i/driver" ] ||
			echo "fwctl_mock.$i" >/sys/bus/platform/drivers/fwctl_mock/bind 2>/dev/null
	done
	for d in /sys/class/fwctl/*; do
		[ -e "$d/max_scope" ] && echo debug_write_full >"$d/max_scope"
	done
	rm -rf "$T"
}

# --- the devices ---------------------------------------------------------

echo "TAP version 13"
load fwctl
load fwctl_mock ndevs=2
if [ -d /sys/bus/pci/devices ] &&
   grep -qs 0x050210 /sys/bus/pci/devices/*/class; then
	load_cxl_stack
	load cxl_fwctl && wait_for '/sys/bus/cxl/devices/mem*/fwctl/fwctl*'
fi
if grep -qs 0x11e8 /sys/bus/pci/devices/*/device; then
	load accel_fwctl &&
		wait_for '/sys/bus/pci/drivers/accel_fwctl/0000:*/fwctl/fwctl*'
fi

# --- discovery -----------------------------------------------------------

D0=$(mock_node 0)
D1=$(mock_node 1)
if [ -z "$D0" ] || [ -z "$D1" ]; then
	echo "Bail out! the two mock devices are not there"
	exit 1
fi
trap 'cleanup' EXIT

run list
check "list: exit 0" rc_is 0
check "list: header" out_has "NODE       TYPE     PARENT"
check "list: first mock device" \
	grep -qE "^$D0 +mock +fwctl_mock\.0 +debug_write_full " "$T/out"
check "list: second mock device" \
	grep -qE "^$D1 +mock +fwctl_mock\.1 +debug_write_full " "$T/out"

run --json list
check "list --json: exit 0" rc_is 0
check "list --json: one entry per device" \
	[ "$(grep -c '^      "name": ' "$T/out")" -eq \
	  "$(ls /sys/class/fwctl | wc -l)" ]
for i in 0 1; do
	eval D=\$D$i
	list_entry "$D"
	E=$T/entry
	check "list --json $D: node" jis node "\"/dev/fwctl/$D\"" "$E"
	check "list --json $D: device_type" jis device_type 65520 "$E"
	check "list --json $D: type" jis type '"mock"' "$E"
	check "list --json $D: parent" jis parent "\"fwctl_mock.$i\"" "$E"
	check "list --json $D: parent_bus" jis parent_bus '"platform"' "$E"
	check "list --json $D: parent_driver" jis parent_driver '"fwctl_mock"' "$E"
	check "list --json $D: parent_path" \
		jis parent_path "\"/sys/devices/platform/fwctl_mock.$i\"" "$E"
	check "list --json $D: max_scope" \
		jis max_scope "\"$(sysattr "$D" max_scope)\"" "$E"
	for s in configuration debug_read_only debug_write debug_write_full \
		 ok denied invalid failed; do
		check "list --json $D: stats.$s" \
			jis "$s" "$(sysattr "$D" "stats/$s")" "$E"
	done
done

# --- info, by every way of naming a device -------------------------------

N1=${D1#fwctl}
for spec in "$D1" "$N1" "/dev/fwctl/$D1" "/sys/class/fwctl/$D1" \
	    "$PLAT/fwctl_mock.1" fwctl_mock.1; do
	run --json info "$spec"
	check "info $spec: names $D1" jis name "\"$D1\""
done

run --json info "$D0"
check "info --json: exit 0" rc_is 0
check "info --json: type" jis type '"mock"'
check "info --json: device_type" jis device_type 65520
check "info --json: data_len" jis data_len 24
check "info --json: magic" jis magic 1801678701
check "info --json: magic_ok" jis magic_ok true
check "info --json: version" jis version 1
check "info --json: dev_index" jis dev_index 0
check "info --json: num_regs" jis num_regs 16
check "info --json: max_sleep_ms" jis max_sleep_ms 2000
check "info --json: parent" jis parent '"fwctl_mock.0"'
run info "$D0"
check "info: text decodes the mock data" grep -qE "^  magic_ok +yes" "$T/out"
check "info: hex dump of the data" out_has "|mock"

# --- raw RPCs at every scope ---------------------------------------------

ECHO=$(mreq 1 0 4 41424344)
ECHO_REPLY=0100000000000000000000000400000041424344
for s in 0 1 2 3; do
	sname=$(echo configuration debug_read_only debug_write debug_write_full |
	       cut -d' ' -f$((s + 1)))
	before=$(sysattr "$D0" "stats/$sname")
	run --json rpc "$D0" --scope "$sname" --hex "$ECHO"
	check "rpc echo at $sname: exit 0" rc_is 0
	check "rpc echo at $sname: reply" jis reply "\"$ECHO_REPLY\""
	check "rpc echo at $sname: scope" jis scope "\"$sname\""
	check "rpc echo at $sname: out_len" jis out_len 20
	check "rpc echo at $sname: truncated" jis truncated false
	check "rpc echo at $sname: status" jis status 0
	check "rpc echo at $sname: counted" \
		[ "$(sysattr "$D0" "stats/$sname")" -eq $((before + 1)) ]
done
run rpc "$D0" --scope 0 --hex "$ECHO"
check "rpc: hex dump to the terminal" out_has "|ABCD|"

run rpc "$D0" --scope configuration --hex "$ECHO" --out "$T/reply"
check "rpc --out: exit 0" rc_is 0
check "rpc --out: raw reply of 20 bytes" [ "$(wc -c <"$T/reply")" -eq 20 ]
check "rpc --out: reply bytes" \
	[ "$(xxd -p "$T/reply" | tr -d '\n')" = "$ECHO_REPLY" ]
run rpc "$D0" --scope 0 --hex "$ECHO" --out -
check "rpc --out -: raw reply on stdout" [ "$(wc -c <"$T/out")" -eq 20 ]

# A COUNTERS request from a file and from stdin
printf '\002\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$T/req"
run --json rpc "$D0" --scope debug_read_only --in "$T/req"
check "rpc --in FILE: exit 0" rc_is 0
check "rpc --in FILE: reply length" jis out_len 48
"$FWCTL" --json rpc "$D0" --scope 1 --in - <"$T/req" >"$T/out" 2>"$T/err"
RC=$?
check "rpc --in -: exit 0" rc_is 0
check "rpc --in -: in_len" jis in_len 16

run rpc "$D0" --scope 0 --hex "$ECHO" --out-len 16
check "rpc, reply cut: exit 4" rc_is 4
check "rpc, reply cut: advice" err_has "pass --out-len 20"

run --json rpc "$D0" --scope 0 --hex "$(mreq 6 0 8 "$(le32 2)$(le32 0x55)")"
check "rpc, firmware failure: exit 3" rc_is 3
check "rpc, firmware failure: status" jis status 2
check "rpc, firmware failure: status_name" jis status_name '"denied"'
check "rpc, firmware failure: syndrome" jis syndrome 85
check "rpc, firmware failure: message" \
	err_has "the firmware failed the command: status 2 (denied), syndrome 0x55"

# --- mock commands -------------------------------------------------------

run --json mock echo "$D0" hello
check "mock echo: exit 0" rc_is 0
check "mock echo: payload" jis payload '"68656c6c6f"'
check "mock echo: match" jis match true
check "mock echo: opcode" jis opcode '"echo"'
check "mock echo: scope" jis scope '"configuration"'
printf 'binary\000\377data' >"$T/blob"
run mock echo "$D0" --in "$T/blob" --out "$T/back"
check "mock echo --in --out: exit 0" rc_is 0
check "mock echo --in --out: same bytes" cmp -s "$T/blob" "$T/back"
run mock echo "$D0" --hex "00 01 02"
check "mock echo --hex: dump" out_has "00 01 02"

run --json mock counters "$D0"
check "mock counters: exit 0" rc_is 0
check "mock counters: scope" jis scope '"debug_read_only"'
check "mock counters: uctx_rpcs" jis uctx_rpcs 1
check "mock counters: dev_uctxs" jis dev_uctxs 1
opens=$(jval dev_opens)
run --json mock counters "$D0"
check "mock counters: dev_opens counts each open" \
	jis dev_opens $((opens + 1))

run --json mock reg-write "$D0" 5 0x1234
check "mock reg-write: exit 0" rc_is 0
check "mock reg-write: value" jis value 4660
check "mock reg-write: scope" jis scope '"debug_write"'
taint=$(cat /proc/sys/kernel/tainted)
check "mock reg-write: the kernel is tainted (J or U)" \
	[ $(((taint >> 19 | taint >> 6) & 1)) -eq 1 ]
run --json mock reg-write "$D0" 5 0x99
check "mock reg-write: previous value" jis previous 4660
run --json mock reg-read "$D0" 5
check "mock reg-read: value" jis value 153
check "mock reg-read: reg" jis reg 5
run --json mock regs "$D1"
check "mock regs: exit 0" rc_is 0
check "mock regs: register 0 holds the id of device 1" \
	jis value $((0x4d4f0000 | 1))
check "mock regs: 16 registers" [ "$(grep -c '"reg": ' "$T/out")" -eq 16 ]
run mock regs "$D0"
check "mock regs: text" grep -q "^reg 5 *0x00000099" "$T/out"

run mock reg-write "$D0" 0 1
check "mock reg-write of the id register: exit 3" rc_is 3
check "mock reg-write of the id register: denied" \
	err_has "status 2 (denied)"
run --json mock reg-write "$D0" 0 0x4d4f0000 --raw
check "mock reg-write --raw: exit 0" rc_is 0
check "mock reg-write --raw: scope" jis scope '"debug_write_full"'
run mock reg-read "$D0" 16
check "mock reg-read of a register out of range: exit 3" rc_is 3
check "mock reg-read out of range: bad_param" err_has "(bad_param)"

run mock fw-error "$D0" 1 0x10
check "mock fw-error: exit 3" rc_is 3
check "mock fw-error: message" \
	err_has "status 1 (bad_param), syndrome 0x10"
run mock fw-error "$D0" 0
check "mock fw-error with status 0: exit 0" rc_is 0

run --json mock sleep "$D0" 50
check "mock sleep: exit 0" rc_is 0
check "mock sleep: taken_ms" jis taken_ms 50
run mock sleep "$D0" 5000
check "mock sleep beyond the limit: exit 3" rc_is 3

# --- refusals by scope ---------------------------------------------------

run rpc "$D0" --scope configuration --hex "$(mreq 2 0 0)"
check "rpc below the command's scope: exit 2" rc_is 2
check "rpc below the command's scope: EPERM" err_has "(EPERM)"
check "rpc below the command's scope: advice" \
	err_has "pass --scope debug_read_only or higher"

before=$(sysattr "$D0" stats/denied)
run mock reg-write "$D0" 3 1 --scope debug_read_only
check "mock reg-write at debug_read_only: exit 2" rc_is 2
advice="this command needs scope debug_write, above debug_read_only:"
check "mock reg-write at debug_read_only: advice" \
	err_has "$advice pass --scope debug_write"
check "refusal counted as denied" \
	[ "$(sysattr "$D0" stats/denied)" -eq $((before + 1)) ]

run max-scope "$D0" debug_read_only
check "max-scope set: exit 0" rc_is 0
check "max-scope set: sysfs" [ "$(sysattr "$D0" max_scope)" = debug_read_only ]
run --json max-scope "$D0"
check "max-scope --json" jis max_scope_value 1
run mock reg-write "$D0" 3 1
check "above the ceiling: exit 2" rc_is 2
check "above the ceiling: advice" \
	err_has "root must raise the ceiling first (fwctl max-scope $D0 debug_write)"
run rpc "$D0" --scope debug_write --hex "$ECHO"
check "raw RPC above the ceiling: advice" \
	err_has "pass a scope up to debug_read_only"
run --json mock counters "$D0"
check "under the ceiling still works" rc_is 0
run max-scope "$D0" debug_write_full
check "max-scope restored" [ "$(sysattr "$D0" max_scope)" = debug_write_full ]
run max-scope "$D0" everything
check "max-scope with a bad scope: exit 1" rc_is 1

if unshare -U true 2>/dev/null; then
	unshare -U "$FWCTL" mock reg-write "$D0" 0 0x4d4f0000 --raw \
		>"$T/out" 2>"$T/err"
	RC=$?
	check "full debug scope without CAP_SYS_RAWIO: exit 2" rc_is 2
	check "full debug scope without CAP_SYS_RAWIO: advice" \
		err_has "needs CAP_SYS_RAWIO in the initial user namespace"
else
	skip "full debug scope without CAP_SYS_RAWIO: no user namespaces"
	skip "full debug scope without CAP_SYS_RAWIO: advice"
fi

# --- every errno the mock can provoke ------------------------------------

before=$(sysattr "$D0" stats/invalid)
run rpc "$D0" --scope 0 --hex "$(mreq 99 0 0)"
check "unknown opcode: EOPNOTSUPP" err_has "(EOPNOTSUPP)"
check "unknown opcode: advice" err_has "does not allow this command"
run rpc "$D0" --scope 0 --hex "$(mreq 1 1 4 41424344)"
check "non-zero flags: EOPNOTSUPP" err_has "(EOPNOTSUPP)"
run rpc "$D0" --scope 0 --hex "$(mreq 1 0 5 41424344)"
check "length mismatch: exit 2" rc_is 2
check "length mismatch: EINVAL" err_has "(EINVAL)"
check "length mismatch: advice" err_has "the request is malformed"
run rpc "$D0" --scope 0 --hex 01000000
check "request shorter than its header: EINVAL" err_has "(EINVAL)"
run rpc "$D0" --scope 0 --hex "$ECHO" --out-len 8
check "reply buffer below the minimum: EINVAL" err_has "raise --out-len"
check "malformed requests counted as invalid" \
	[ "$(sysattr "$D0" stats/invalid)" -ge $((before + 3)) ]
run rpc "$D0" --scope 0 --hex "$ECHO" --out-len 3M
check "reply buffer above 2 MiB: EMSGSIZE" err_has "(EMSGSIZE)"
check "reply buffer above 2 MiB: advice" err_has "2 MiB limit"

before=$(sysattr "$D0" stats/failed)
param fail_rpc 1
run mock echo "$D0" x
check "driver out of memory in an RPC: exit 2" rc_is 2
check "driver out of memory in an RPC: ENOMEM" \
	err_has "FWCTL_RPC $D0: Cannot allocate memory (ENOMEM)"
check "failure counted as failed" \
	[ "$(sysattr "$D0" stats/failed)" -eq $((before + 1)) ]
param fail_open 1
run --json mock echo "$D0" x
check "open failing: ENOMEM" err_has "open $D0: Cannot allocate memory (ENOMEM)"
check "open failing: JSON error" jis errno_name '"ENOMEM"'
check "open failing: JSON hint" \
	grep -q '"hint": "the kernel or the driver ran out of memory' "$T/out"
param fail_info 1
run info "$D0"
check "FWCTL_INFO failing: ENOMEM" err_has "FWCTL_INFO $D0: Cannot allocate memory (ENOMEM)"
check "FWCTL_INFO failing: exit 2" rc_is 2

run info /dev/null
check "not a fwctl node: ENOTTY" err_has "(ENOTTY)"
check "not a fwctl node: advice" err_has "not a fwctl device node"
run info fwctl4000
check "no such device: ENOENT" err_has "(ENOENT)"
check "no such device: advice" err_has "'fwctl list' shows the devices present"
run info no_such_parent.0
check "no such parent: exit 2" rc_is 2

# The device goes away while the command has it open: ENODEV
param rpc_delay_ms 300
"$FWCTL" mock regs "$D1" >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
echo fwctl_mock.1 >/sys/bus/platform/drivers/fwctl_mock/unbind
wait $pid
RC=$?
param rpc_delay_ms 0
check "device unbound under an open file: exit 2" rc_is 2
check "device unbound under an open file: ENODEV" err_has "(ENODEV)"
check "device unbound under an open file: advice" \
	err_has "the device went away"
run mock echo "$D1" x
check "unbound device: open fails" rc_is 2
check "unbound device: advice" err_has "fwctl list"
run --json list
check "unbound device: not listed" sh -c "! grep -q '\"parent\": \"fwctl_mock.1\"' $T/out"
echo fwctl_mock.1 >/sys/bus/platform/drivers/fwctl_mock/bind
i=0
while [ -z "$(mock_node 1)" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
D1=$(mock_node 1)
while [ ! -e "/dev/fwctl/$D1" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
run mock echo fwctl_mock.1 back
check "rebound device works again" rc_is 0

# --- CXL, when a CXL device is there ------------------------------------

CXL=
for d in /sys/class/fwctl/*; do
	[ "$(cat "$d/device_type" 2>/dev/null)" = 2 ] && CXL=${d##*/} && break
done
if [ -n "$CXL" ]; then
	run --json cxl commands "$CXL"
	check "cxl commands: exit 0" rc_is 0
	check "cxl commands: Identify at configuration" \
		grep -A5 '"opcode": 16384,' "$T/out" | grep -q '"scope": "configuration"'
	run --json cxl cel "$CXL"
	check "cxl cel: exit 0" rc_is 0
	check "cxl cel: scope of the Get Log it used" jis scope '"debug_read_only"'
	check "cxl cel: as many entries as listed" \
		[ "$(grep -c '"effect_names": ' "$T/out")" -eq "$(jval entries)" ]
	run --json cxl identify "$CXL"
	check "cxl identify: exit 0" rc_is 0
	check "cxl identify: retval" jis retval 0
	check "cxl identify: capacity" grep -q '"total_capacity": [1-9]' "$T/out"
	run --json cxl logs "$CXL"
	check "cxl logs: the CEL is listed" out_has '"name": "cel"'
	run cxl log "$CXL" cel --out "$T/cel"
	check "cxl log cel --out: exit 0" rc_is 0
	check "cxl log cel: 4 bytes per entry" [ $(($(wc -c <"$T/cel") % 4)) -eq 0 ]
	run --json cxl timestamp "$CXL"
	check "cxl timestamp: exit 0" rc_is 0
	if [ -r "$TESTDIR/cxl_lsa.bin" ]; then
		# Three mailbox payloads' worth, read in pieces
		run cxl lsa "$CXL" --offset 100 --length 5000 --out "$T/lsa"
		check "cxl lsa in pieces: exit 0" rc_is 0
		dd if="$TESTDIR/cxl_lsa.bin" of="$T/lsa.host" bs=1 skip=100 \
			count=5000 2>/dev/null
		check "cxl lsa in pieces: the host's label area" \
			cmp -s "$T/lsa" "$T/lsa.host"
	else
		skip "cxl lsa: no copy of the label area" "no cxl_lsa.bin"
	fi
	run cxl raw "$CXL" 0x4400
	check "cxl raw of Sanitize: refused" err_has "(EOPNOTSUPP)"
	check "cxl raw of Sanitize: advice" err_has "is not among the commands"
	run cxl rpc "$CXL" --scope 0
	check "cxl: a generic command is not a subcommand" rc_is 1
else
	skip "cxl: no CXL fwctl device"
fi

if [ "$(cat "/sys/class/fwctl/$CXL/device/uevent" 2>/dev/null |
	sed -n 's/^DRIVER=//p')" = cxl_fwctl_sim ]; then
	U=5d7e0c11-6f1e-4c3a-9b54-338e2a61f0
	run --json cxl features "$CXL"
	check "cxl features (sim): 9 features" \
		[ "$(grep -c '"uuid": ' "$T/out")" -eq 9 ]
	check "cxl features (sim): immediate feature needs full debug" \
		grep -A12 "\"uuid\": \"${U}01\"" "$T/out" |
		grep -q '"set_scope": "debug_write_full"'
	run cxl feature-set "$CXL" "${U}02" --hex "01 02 03 04"
	check "cxl feature-set at reset (sim): exit 0" rc_is 0
	run --json cxl feature-get "$CXL" "${U}02" --count 4
	check "cxl feature-get (sim): data written" jis data '"01020304"'
	run cxl feature-set "$CXL" "${U}01" --hex 00 --scope debug_write
	check "cxl feature-set below its scope (sim): EPERM" err_has "(EPERM)"
	check "cxl feature-set below its scope (sim): advice" \
		err_has "pass --scope debug_write_full"
	run cxl feature-set "$CXL" "${U}03" --hex 00
	check "cxl feature-set of a kernel feature (sim): refused" \
		err_has "whatever the scope"
	run --json cxl raw "$CXL" 0xc007
	check "cxl raw failing in the device (sim): exit 3" rc_is 3
	check "cxl raw failing in the device (sim): retval" jis retval 4
	run --json cxl raw "$CXL" 0xc000 --hex "de ad be ef"
	check "cxl raw echo (sim): data" jis data '"deadbeef"'
	run --json cxl timestamp "$CXL" --set 1234567890123456789
	check "cxl timestamp --set (sim): scope from the CEL" \
		jis scope '"debug_write_full"'
	run --json cxl timestamp "$CXL"
	check "cxl timestamp (sim): value set" jis timestamp_ns 1234567890123456789
else
	skip "cxl: simulated device checks: no cxl_fwctl_sim"
fi

# --- the accelerator, when an edu device is there ------------------------

ACC=
for d in /sys/class/fwctl/*; do
	[ "$(cat "$d/device_type" 2>/dev/null)" = 128 ] && ACC=${d##*/} && break
done
if [ -n "$ACC" ]; then
	run --json info "$ACC"
	cp "$T/out" "$T/info"
	check "accel info: exit 0" rc_is 0
	check "accel info: type" jis type '"accel"'
	check "accel info: version" jis version 1
	check "accel info: max_trans" jis max_trans 32
	run --json accel status "$ACC"
	check "accel status: exit 0" rc_is 0
	check "accel status: scope" jis scope '"configuration"'
	for f in hw_id mem_size mem_granule max_xfer max_region max_regions \
		 compute_max; do
		check "accel status: $f as FWCTL_INFO has it" \
			jis "$f" "$(jval "$f" "$T/info")"
	done
	check "accel status: alive" jis alive true
	check "accel status: no region" jis regions 0
	check "accel status: no timeout" jis timeouts 0
	GRAN=$(jval mem_granule "$T/info")
	T0=$(jval transfers)

	run --json accel compute "$ACC" 13
	check "accel compute: exit 0" rc_is 0
	check "accel compute: 13! mod 2^32" jis factorial_mod_2_32 1932053504

	run --json accel grant "$ACC" 100
	check "accel grant: exit 0" rc_is 0
	check "accel grant: size rounded up to the granule" \
		jis size $(((100 + GRAN - 1) / GRAN * GRAN))
	check "accel grant: a handle" [ "$(jval handle)" -gt 0 ]
	check "accel grant: the file owns one region" jis regions 1

	run --json accel read "$ACC" 40
	check "accel read: exit 0" rc_is 0
	check "accel read: scope" jis scope '"debug_read_only"'
	check "accel read: a granted region is zeroed" \
		jis data "\"$(printf '%080d' 0)\""

	run --json accel write "$ACC" --offset 8 --hex "de ad be ef 01 02 03"
	check "accel write: exit 0" rc_is 0
	check "accel write: scope" jis scope '"debug_write"'
	check "accel write: read back" jis read_back '"deadbeef010203"'
	check "accel write: match" jis match true
	check "accel write: region on a granule" \
		[ $(($(jval offset) % GRAN)) -eq 0 ]
	check "accel write: offset in the region" \
		grep -q '^  "offset": 8,$' "$T/out"
	check "accel write: length" jis length 7
	check "accel write: two transfers by the device" \
		[ "$(jval transfers)" -ge $((T0 + 2)) ]
	run accel write "$ACC" --hex 0102
	check "accel write: text" grep -qE "^match +yes" "$T/out"

	# 4000 bytes through a region, then read raw where it was: device
	# memory keeps the data after the region is gone
	dd if=/dev/urandom of="$T/blob" bs=1000 count=4 2>/dev/null
	run --json accel write "$ACC" --in "$T/blob"
	check "accel write 4000 bytes: match" jis match true
	# The region's offset in device memory, the first "offset"
	ROFF=$(jval offset)
	run accel read "$ACC" 4000 --raw --offset "$ROFF" --out "$T/back"
	check "accel read --raw: exit 0" rc_is 0
	check "accel read --raw: the data written" cmp -s "$T/blob" "$T/back"

	run --json accel reg-read "$ACC" 0
	check "accel reg-read: exit 0" rc_is 0
	check "accel reg-read: the identification register" \
		jis value "$(jval hw_id "$T/info")"

	run accel write "$ACC" --hex 00 --scope debug_read_only
	check "accel write below its scope: exit 2" rc_is 2
	check "accel write below its scope: EPERM" err_has "(EPERM)"
	check "accel write below its scope: advice" \
		err_has "pass --scope debug_write"
	echo debug_read_only >"/sys/class/fwctl/$ACC/max_scope"
	run accel write "$ACC" --hex 00
	check "accel write above the ceiling: exit 2" rc_is 2
	check "accel write above the ceiling: advice" err_has "max_scope"
	echo debug_write_full >"/sys/class/fwctl/$ACC/max_scope"
	run accel reg-write "$ACC" 0x80 0
	check "accel reg-write of a DMA register: exit 2" rc_is 2
	check "accel reg-write of a DMA register: EPERM" err_has "(EPERM)"
	run accel read "$ACC" 5000 --raw
	check "accel read above max_xfer: exit 2" rc_is 2
	check "accel read above max_xfer: EINVAL" err_has "(EINVAL)"
	run --json accel read "$ACC" 5000 --raw
	check "accel read above max_xfer --json: errno" jis errno 22
	check "accel read above max_xfer --json: exit_code" jis exit_code 2
	run accel status "$D0"
	check "accel status of a mock device: exit 2" rc_is 2
	check "accel status of a mock device: message" err_has "not 'accel'"
	run accel write "$ACC"
	check "accel write without data: exit 1" rc_is 1
	run accel read "$ACC"
	check "accel read without a length: exit 1" rc_is 1
	run accel compute "$ACC" five
	check "accel compute of a word: exit 1" rc_is 1
	run accel write "$ACC" --hex 00 --raw --size 64
	check "accel write --raw --size: exit 1" rc_is 1
else
	skip "accel: no accelerator fwctl device"
fi

# --- mlx5: no device to talk to, only the command's own checks -----------

run mlx5 caps "$D0"
check "mlx5 caps of a mock device: exit 2" rc_is 2
check "mlx5 caps of a mock device: message" err_has "not 'mlx5'"
run mlx5 reg-read "$D0" 0x9001 --hex 010203
check "mlx5 reg-read of 3 bytes: exit 1" rc_is 1
run mlx5 caps
check "mlx5 caps without a device: exit 1" rc_is 1

# --- usage errors --------------------------------------------------------

run
check "no command: exit 1" rc_is 1
run rpc "$D0"
check "rpc without --scope: exit 1" rc_is 1
check "rpc without --scope: message" err_has "--scope is required"
run rpc "$D0" --scope 7 --hex 00
check "rpc with a bad scope: exit 1" rc_is 1
run mock nope "$D0"
check "unknown mock subcommand: exit 1" rc_is 1

# --- lockdown, last: it cannot be undone ---------------------------------

LD=/sys/kernel/security/lockdown
if [ "${FWCTL_LOCKDOWN:-0}" = 1 ] && [ -w $LD ] && grep -q '\[none\]' $LD &&
   echo integrity >$LD 2>/dev/null; then
	run mock reg-write "$D0" 0 0x4d4f0000 --raw
	check "full debug scope under lockdown: exit 2" rc_is 2
	check "full debug scope under lockdown: advice" \
		err_has "refused while the kernel is locked down"
	run mock reg-write "$D0" 3 3
	check "debug_write still works under lockdown" rc_is 0
else
	skip "full debug scope under lockdown: set FWCTL_LOCKDOWN=1"
fi

check "kernel log has no BUG, WARNING or Oops" kernel_log_clean

echo "1..$N"
echo "vm_cli: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
