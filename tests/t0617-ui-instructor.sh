#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The instructor's console: the trainee runs exercise 1 (a healthy plant)
# with --instructor SOCKET; a console follows it live; before power-up the
# instructor sets the inverter's RS485 address to 00 with `train
# --instructor SOCKET inject rs485-address-0`; the trainee's RS485 check
# (15.1) fails on screen and the console sees the fault found there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

SOCK=$T_TMP/instructor.sock
tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --instructor "$SOCK"
tm_wait 'Choose what it gets wrong'; t_ok $? "Connect"
tm_keys Up Right Left
tm_wait 'Blind exercise +< Exercise 1 \(easy\) >' 5; t_ok $? "the exercise line: Left/Right choose"
tm_keys Enter
tm_wait 'LINK GOOD' 30; t_ok $? "Enter starts exercise 1 and reads its plant"
t_like "$(tm_screen)" 'TRAINING \(Exercise 1\)' "its number only"
tm_keys Enter
tm_wait 'zcs-commission \| Session'; t_ok $? "on to the session"
t_ok "$([ -S "$SOCK" ]; echo $?)" "the wizard listens on the instructor's socket"
"$ZC" train --instructor "$SOCK" </dev/null >"$T_TMP/console" 2>&1 &
cons=$!
t_at_exit "kill $cons 2>/dev/null"
wiz_new_session "Bruno Allievo"; t_ok $? "session started"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '^ batteries\.switch-on ' >/dev/null
t_ok $? "the trainee walks to the power-up"
t_like "$(cat "$T_TMP/console")" 'step [0-9]+ batteries\.switch-on' "the console follows the steps live"
t_like "$(cat "$T_TMP/console")" 'trainee Bruno Allievo' "and names the trainee"

out=$("$ZC" train --instructor "$SOCK" inject rs485-address-0)
t_ok $? "the instructor injects a fault mid-exercise"
t_like "$out" 'ok inject rs485-address-0' "the wizard says it is done"
"$ZC" train --instructor "$SOCK" inject no-such-fault >/dev/null 2>"$T_TMP/err"
t_is $? 1 "an unknown fault is refused"
t_like "$(cat "$T_TMP/err")" "no fault 'no-such-fault' in the catalogue" "saying why"

wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '^ +FAIL ' >/dev/null
tm_wait '^ +FAIL ' 5; t_ok $? "the trainee's walk meets a failing step"
t_is "$(wiz_step_id)" session.rs485 "the trainee's screen catches the RS485 address at 15.1"
t_like "$(tm_screen)" 'manual 15\.1 .* FAIL *$' "FAIL on the step"
t_like "$(tm_screen)" 'RS485 Modbus address 0, expected 1 to 247' "the address read from the device"
sleep 0.5
c=$(cat "$T_TMP/console")
t_like "$c" 'injected rs485-address-0 instructor' "the console shows the injection"
t_like "$c" 'verdict session\.rs485 FAIL' "and the verdict"
t_like "$c" 'found rs485-address-0 session\.rs485' "and where the trainee found it"
st=$("$ZC" train --instructor "$SOCK" status)
t_like "$st" 'progress found=1 open=0 wrong=0' "status: one fault found, none open"
tm_keys F10 y
tm_wait '^\[exited 0\]'; t_ok $? "the wizard ends"
wait $cons
t_like "$(cat "$T_TMP/console")" 'the wizard closed the exercise' "and the console with it"
t_done
