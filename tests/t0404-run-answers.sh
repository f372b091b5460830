#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What the answers file decides: a missing answer or confirmation stops the
# run naming the line to add, a wrong key is refused with file:line, a skip
# needs a reason and keeps the session from complete, and nothing is written
# without "write STEP yes".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
run() { # run ANSWERS [options]: output in $out, exit code in $rc
	_a=$1; shift
	out=$("$ZC" run --answers "$_a" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" --quiet \
		--db "$T_TMP/r.db" "$@" 2>&1)
	rc=$?
}

grep -v '^before.clamp' "$ANS" >"$T_TMP/noclamp.ans"
run "$T_TMP/noclamp.ans" --act "$ZSIM ctl $SIM_CTL"
t_is "$rc" 5 "a missing answer stops the run: exit 5"
t_like "$out" "step before.load waits for an answer: Load measured with the clamp \(before.clamp\): add it to" \
	"the message names the question's key"

printf 'installer "A B"\nbattery.modle zsx5000\n' >"$T_TMP/typo.ans"
run "$T_TMP/typo.ans"
t_is "$rc" 5 "an unknown question is refused: exit 5"
t_like "$out" "typo.ans:2: question 'battery.modle' is not in the checklist" "with file:line"

printf 'installer "A B"\nbattery.count 9\n' >"$T_TMP/nine.ans"
sed -n '1,20p' "$ANS" | grep -v '^battery.count' >"$T_TMP/nine.ans"
echo 'battery.count 9' >>"$T_TMP/nine.ans"
run "$T_TMP/nine.ans" --act "$ZSIM ctl $SIM_CTL"
t_is "$rc" 5 "9 batteries of a model allowed 4: refused"
t_like "$out" "How many batteries: 9 is out of range: it must be between 1 and 4" \
	"the limit comes from the battery's data"

run "$ANS"
t_is "$rc" 5 "without --act an installer action must be confirmed as done"
t_like "$out" "needs the installer to: Open the AC breaker between inverter and grid; give --act CMD, 'done before.ac-breaker yes' or 'done before.ac-breaker \"breaker off\"'" \
	"the message says how"

grep -v '^write bset.dod' "$ANS" >"$T_TMP/nowrite.ans"
echo 'skip inv.power-factor "display unreadable in direct sun"' >>"$T_TMP/nowrite.ans"
sim_ctl setting bat_dod 90 >/dev/null
run "$T_TMP/nowrite.ans" --act "$ZSIM ctl $SIM_CTL"
t_is "$rc" 1 "a declined write and a skip: exit 1"
[ "$rc" = 1 ] || printf "%s\n" "$out" | tail -5 | sed "s/^/#   /"
t_like "$out" "not written: no 'write bset.dod yes'" "the write is offered, not made"
t_is "$(zc_value bat_dod)" 90 "the inverter still holds 90 %"
t_like "$out" "\[FAIL\] bset.dod " "the DoD step fails on what the inverter holds"
t_like "$out" "remedy: .*Depth of discharge: 80 %; Save" "with the manual's menu path as remedy"
t_like "$out" "\[SKIP\] inv.power-factor " "the skipped step is shown"
t_like "$out" "commissioning NOT complete" "and the session is not complete"
t_done
