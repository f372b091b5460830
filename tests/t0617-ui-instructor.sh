#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The instructor's console: the trainee runs exercise 1 (a healthy plant)
# with --instructor SOCKET; a console follows it live; before the sign
# checks the instructor injects a reversed CT with `train --instructor
# SOCKET inject ct-reversed`; the trainee's sign check fails on screen and
# the console sees the fault found there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

SOCK=$T_TMP/instructor.sock
tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --exercise 1 --instructor "$SOCK"
wiz_connect_training; t_ok $? "exercise 1: the plant is started and read"
t_ok "$([ -S "$SOCK" ]; echo $?)" "the wizard listens on the instructor's socket"
"$ZC" train --instructor "$SOCK" </dev/null >"$T_TMP/console" 2>&1 &
cons=$!
t_at_exit "kill $cons 2>/dev/null"
wiz_new_session "Bruno Allievo"; t_ok $? "session started"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '^ sign\.ac-on ' >/dev/null
t_ok $? "the trainee walks to the sign checks"
t_like "$(cat "$T_TMP/console")" 'step [0-9]+ sign\.ac-on' "the console follows the steps live"
t_like "$(cat "$T_TMP/console")" 'trainee Bruno Allievo' "and names the trainee"

out=$("$ZC" train --instructor "$SOCK" inject ct-reversed)
t_ok $? "the instructor injects a fault mid-exercise"
t_like "$out" 'ok inject ct-reversed' "the wizard says it is done"
"$ZC" train --instructor "$SOCK" inject no-such-fault >/dev/null 2>"$T_TMP/err"
t_is $? 1 "an unknown fault is refused"
t_like "$(cat "$T_TMP/err")" "no fault 'no-such-fault' in the catalogue" "saying why"

wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '^ +FAIL ' >/dev/null
t_ok $? "the trainee's walk meets a failing step"
t_is "$(wiz_step_id)" sign.loads "the trainee's screen catches the reversed CT at 11.7"
t_like "$(tm_screen)" 'manual 11\.7 .* FAIL *$' "FAIL on the step"
sleep 0.5
c=$(cat "$T_TMP/console")
t_like "$c" 'injected ct-reversed instructor' "the console shows the injection"
t_like "$c" 'verdict sign\.loads FAIL' "and the verdict"
t_like "$c" 'found ct-reversed sign\.loads' "and where the trainee found it"
st=$("$ZC" train --instructor "$SOCK" status)
t_like "$st" 'progress found=1 open=0 wrong=0' "status: one fault found, none open"
tm_keys F10 y
tm_wait '^\[exited 0\]'; t_ok $? "the wizard ends"
wait $cons
t_like "$(cat "$T_TMP/console")" 'the wizard closed the exercise' "and the console with it"
t_done
