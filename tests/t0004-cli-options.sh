#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Options as every GNU program takes them (getopt_long): --opt=value and
# --opt value, `--` ending the options, each command's own --help, and
# errors that name the option and the real command.  No device: a closed
# port (127.0.0.1:9) shows that parsing went through to the link (exit 3).
. "$(dirname "$0")/lib.sh"

for cmd in probe read run resume checklist ports batteries train records "records list" \
	"records show" "records verify" "records export" "records approve" "records reject" \
	"records key" "records recover" "records push" "records pull" "records server-init"; do
	out=$("$ZC" $cmd --help); rc=$?
	t_is "$rc" 0 "$cmd --help exits 0"
	t_like "$out" "^usage: zcs-commission $cmd" "$cmd --help shows its own usage"
done

"$ZC" read --tcp=127.0.0.1:9 --map=g3 --timeout=100 -- grid_power >/dev/null 2>"$T_TMP/err"; rc=$?
t_is "$rc" 3 "read --tcp=HOST --map=g3 -- NAME parses (the link fails: 3)"
"$ZC" read --tcp 127.0.0.1:9 --map g3 grid_power --raw >/dev/null 2>"$T_TMP/err"; rc=$?
t_is "$rc" 3 "an option after the operands is still an option"
"$ZC" read --tcp 127.0.0.1:9 --map g3 -- --raw >/dev/null 2>"$T_TMP/err"; rc=$?
t_is "$rc" 3 "after --, '--raw' is a name, not an option"
t_unlike "$(cat "$T_TMP/err")" "unknown option" "and is not taken for an option"

"$ZC" resume --frobnicate 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "an unknown option exits 2"
t_like "$(cat "$T_TMP/err")" "^zcs-commission resume: unknown option '--frobnicate'" \
	"resume's error names resume and the option"
"$ZC" resume --answers=/dev/null --units=1,x --tcp 127.0.0.1:9 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "^zcs-commission resume: --units" "a bad value names resume, not run"
"$ZC" probe --db x.db --tcp 127.0.0.1:9 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "an option of another command exits 2"
t_like "$(cat "$T_TMP/err")" "probe: --db does not apply here \(it is an option of .*run" \
	"and says where it belongs"
"$ZC" records show --by me 1 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "records show: --by does not apply here .*records approve" \
	"records show refuses an option of approve"
"$ZC" read --json=yes --tcp 127.0.0.1:9 x 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "read: --json takes no value" "a flag given a value is refused"
"$ZC" read --tcp 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "read: --tcp needs a value \(HOST\[:PORT\]\)" "a missing value is named"
"$ZC" records list --db "$T_TMP/none.db" --installer -h >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
t_unlike "$(cat "$T_TMP/out")" "^usage:" "-h as an option's value is that value, not --help"
"$ZC" records frob 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "records: unknown subcommand 'frob'" "an unknown records subcommand is named"
"$ZC" --theme=mono --nope 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "the wizard refuses an unknown option (2)"
t_like "$(cat "$T_TMP/err")" "unknown option '--nope'" "naming it"

"$ZSIM" --tcp=x 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "zcs-sim --tcp=x exits 2"
"$ZSIM" --rtu=1 2>"$T_TMP/err"; rc=$?
t_like "$(cat "$T_TMP/err")" "zcs-sim: --rtu takes no value" "zcs-sim names a flag given a value"
"$ZSIM" --list-scenarios=1 2>/dev/null; rc=$?
t_is "$rc" 2 "zcs-sim refuses --list-scenarios=1"
t_done
