#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What a user sees from the command line before any device is involved:
# help, version, usage errors with their exit codes, and an installed copy
# that finds its data.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)

out=$("$ZC" --version); t_like "$out" '^zcs-commission [0-9]+\.[0-9]+' "--version prints the version"
out=$("$ZC" --help); t_like "$out" 'probe' "--help lists the commands"
for cmd in probe read; do
	out=$("$ZC" $cmd --help); rc=$?
	t_is "$rc" 0 "$cmd --help exits 0"
	t_like "$out" "usage: zcs-commission $cmd" "$cmd --help shows its usage"
done
"$ZC" frobnicate 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "an unknown command exits 2 (usage)"
t_like "$(cat "$T_TMP/err")" "unknown command 'frobnicate'" "and names it"
"$ZC" probe 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "probe without a connection exits 2"
t_like "$(cat "$T_TMP/err")" 'no connection given: use --port DEV' "and says how to give one"
"$ZC" probe --port /dev/ttyUSB0 --baud fast 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "a bad --baud exits 2"
t_like "$(cat "$T_TMP/err")" "--baud needs a whole number" "and says what it needs"
"$ZC" probe --port /dev/zcs-no-such-adapter 2>"$T_TMP/err"; rc=$?
t_is "$rc" 3 "a missing serial device is a link error (3)"
t_like "$(cat "$T_TMP/err")" "no serial device /dev/zcs-no-such-adapter: is the USB-RS485 adapter plugged in" \
	"and says to check the adapter"
"$ZC" read --tcp 127.0.0.1:1 --map nonesuch x 2>"$T_TMP/err"; rc=$?
t_is "$rc" 5 "an unknown map is a data error (5)"
"$ZC" read --tcp 127.0.0.1:9 --preset nonesuch x 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "an unknown preset is a usage error"
t_like "$(cat "$T_TMP/err")" "no preset 'nonesuch'" "naming the preset"

# A broken map file is reported with file and line, and nothing runs.
mkdir -p "$T_TMP/data/maps"
cp -R "$ZCS_DATA_DIR/." "$T_TMP/data/"
sed -i 's/^reg grid_power .*addr=0x0488 type=s16/reg grid_power addr=0x0488 type=s61/' "$T_TMP/data/maps/g3.map"
ZCS_DATA_DIR="$T_TMP/data" "$ZC" read --tcp 127.0.0.1:9 --map g3 grid_power 2>"$T_TMP/err"; rc=$?
t_is "$rc" 5 "a corrupted map exits 5"
t_like "$(cat "$T_TMP/err")" "g3.map:[0-9]+: unknown type 's61'" "naming file, line and the bad type"

"$ZC" checklist --checklists 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "checklist --checklists without a directory is a usage error"
t_like "$(cat "$T_TMP/err")" "--checklists needs a value \(DIR\)" "saying what it needs"

# make install: binaries, data, checklists, man pages; the installed
# program finds its data without ZCS_DATA_DIR.
make -s -C "$ROOT" --no-print-directory install BUILD="$ZCS_BUILD" PREFIX=/usr DESTDIR="$T_TMP/inst" >"$T_TMP/inst.log" 2>&1
t_is "$?" 0 "make install DESTDIR=... succeeds"
for f in usr/bin/zcs-commission usr/share/zcs-commission/data/maps/g3.map usr/share/man/man1/zcs-commission.1 \
	usr/share/man/man5/zcs-regmap.5; do
	[ -e "$T_TMP/inst/$f" ]; t_ok $? "installed $f"
done
(unset ZCS_DATA_DIR; "$T_TMP/inst/usr/bin/zcs-commission" read --tcp 127.0.0.1:9 --map dtsu666 pt 2>"$T_TMP/err"); rc=$?
t_is "$rc" 3 "the installed program finds its maps (fails only at the link)"
t_done
