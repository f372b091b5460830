#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A blind exercise with two faults (exercise 5): the trainee sees only
# "Exercise 5", finds the RS485 address at session.rs485 and the reversed CT
# at sign.loads, tries one wrong fix (re-seating the CT cable does nothing
# but is counted) and then the right ones from the step screen, checks
# again against the live device and finishes.  The score: 2 found, 0
# missed, 1 wrong fix, stored in the signed chain and in the HTML training
# report; `records list --training --trainee` shows it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

ANS=$ZCS_DATA_DIR/examples/azzurro-ct.ans
# the Fix screen's list: the n-th action of data/scenarios/training.conf
fix() { # LABEL-REGEX
	_n=$(grep -E '^action ' "$ZCS_DATA_DIR/scenarios/training.conf" | grep -nE "$1" |
		head -1 | cut -d: -f1)
	tm_keys f
	tm_wait 'zcs-commission \| Fix' || return 1
	_i=1
	while [ "$_i" -lt "$_n" ]; do tm_keys Down; _i=$((_i + 1)); done
	tm_wait "^ +> +$_n " 5 || return 1
	tm_keys Enter
	tm_wait 'Enter or Esc: close' || return 1
	tm_screen >"$T_TMP/fixed"
	tm_keys Enter
	tm_wait 'zcs-commission \| Step' || return 1
}

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --exercise 5
wiz_connect_training; t_ok $? "Connect: the exercise is chosen, its plant read"
t_like "$(tm_screen)" 'TRAINING \(Exercise 5\)' "the title names the exercise only"
t_unlike "$(tm_screen)" 'rs485-address|ct-reversed|RS485 address' "the faults are not named"
wiz_new_session "Ada Trainee"; t_ok $? "session started"

# (the walk returns 1 when it meets the FAIL before it looks for it)
wiz_walk "$ANS" '^ +FAIL ' >/dev/null; tm_wait '^ +FAIL ' 5; t_ok $? "the walk stops at a failing step"
t_is "$(wiz_step_id)" session.rs485 "the RS485 address is caught at its step (15.1)"
t_like "$(tm_screen)" 'REMEDY +press m to read' "the remedy waits for m (it counts)"
tm_keys i
tm_wait 'zcs-commission \| Look'; t_ok $? "i: what the trainee sees on the plant"
t_like "$(tm_screen)" 'Battery +1 zsx5000' "the battery nameplates"
t_like "$(tm_screen)" 'Clamp meter [0-9.]+ A' "the clamp meter's reading"
tm_keys Escape
fix 'reseat-ct-cable'; t_ok $? "a wrong fix: re-seat the CT cable"
t_like "$(cat "$T_TMP/fixed")" 'wrong fix \(counted\): the CT cable was seated already' \
	"it does nothing, and says so"
fix 'rs485-address'; t_ok $? "the right fix: the address set on the display"
t_like "$(cat "$T_TMP/fixed")" 'done: Set the RS485 communication address' "done, it says"
tm_keys c
tm_wait 'manual 15\.1 .* PASS *$' 30; t_ok $? "c checks again against the device: PASS"
tm_keys n

wiz_walk "$ANS" '^ +FAIL ' >/dev/null; tm_wait '^ +FAIL ' 5; t_ok $? "the walk stops at the next failing step"
t_is "$(wiz_step_id)" sign.loads "the reversed CT is caught at the sign check (11.7)"
tm_keys m
tm_wait 'REMEDY +The grid point shows EXPORT'; t_ok $? "m shows the manual's remedy"
fix 'turn-ct'; t_ok $? "the right fix: the CT turned round"
tm_keys c
tm_wait 'manual 11\.7 .* PASS *$' 30; t_ok $? "the sign check passes now"
tm_keys n

wiz_walk "$ANS" 'zcs-commission \| Summary'; t_ok $? "the rest of the commissioning"
tm_keys Enter
tm_wait 'recorded as session 1'; t_ok $? "Enter closes the record"
s=$(tm_screen)
t_like "$s" 'Exercise 5 \(medium\): PASS' "the exercise passed"
t_like "$s" 'Faults: 2 found, 0 missed +wrong fixes 1 +remedies read 1' "the score at the end"
t_like "$s" 'rs485-address-0 +found at session.rs485' "each fault, where it was found"
t_like "$s" 'ct-reversed +found at sign.loads' "both"
t_like "$s" 'wrong fix: Re-seat the CT cable' "the wrong fix named"
tm_keys F10 y
tm_wait '^\[exited 0\]'; t_ok $? "the wizard ends"

"$ZC" records verify 1 --db "$T_TMP/r.db" >"$T_TMP/verify" 2>&1
t_ok $? "records verify: the score is in the signed chain"
"$ZC" records export 1 --db "$T_TMP/r.db" --format training-html -o "$T_TMP/t.html"
t_ok $? "the training report is exported"
h=$(cat "$T_TMP/t.html")
t_like "$h" 'Training report' "it is the training report"
t_like "$h" 'Exercise 5' "for exercise 5"
t_like "$h" 'Ada Trainee' "of the trainee"
t_like "$h" '<td>rs485-address-0</td><td>session.rs485</td>' "the RS485 fault found at its step"
t_like "$h" '<td>ct-reversed</td><td>sign.loads</td>' "the CT fault found at its step"
t_like "$h" 'Faults found</th><td>2</td>' "2 found"
t_like "$h" 'Faults missed</th><td>0</td>' "0 missed"
t_like "$h" 'Wrong fixes</th><td>1</td>' "1 wrong fix"
t_like "$h" 'Re-seat the CT cable' "which one"
t_like "$h" 'PASS' "the verdict against the target"
l=$("$ZC" records list --db "$T_TMP/r.db" --training --trainee ada)
t_like "$l" '#1 .*Ada Trainee .*exercise 5 +medium +2/2 +found +1 wrong +[0-9]+:[0-9]+ +pass' \
	"records list --training --trainee: the trainee's exercises"
t_done
