#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Quit half way through a training commissioning, start again: the Session
# screen offers the unfinished session, Resume comes back on the step it
# stopped at with the verdicts kept, and the walk goes on in the same session.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "first run: session started"
wiz_walk "$ANS" 'batteries\.model  \(' >/dev/null; t_ok $? "walked up to the battery model"
stopped=$(wiz_step_line)
tm_keys F10
tm_wait 'offered for resume'; t_ok $? "F10 (even in a field) asks, saying the session is kept"
tm_keys y
tm_wait '^\[exited 0\]'; t_ok $? "quit half way"

$TM kill-session -t w
tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "second run: connected"
t_like "$(tm_screen)" '> #1 ' "the unfinished session is offered"
t_like "$(tm_screen)" '#1 .* at batteries\.model' "with the step it stopped at"
t_like "$(tm_screen)" '#1 .*Mario Rossi' "and who started it"
tm_keys Enter
tm_wait 'session 1 resumed'; t_ok $? "Enter resumes it"
t_is "$(wiz_step_line)" "$stopped" "back on the same step"
tm_keys F2
tm_wait 'zcs-commission \| Steps overview'; t_ok $? "the overview"
t_like "$(tm_screen)" 'PASS +1 +Installer, site and customer' "earlier verdicts are kept"
tm_keys Escape
wiz_walk "$ANS" 'batteries\.power-cable  \(' >/dev/null; t_ok $? "the walk goes on from there"
tm_keys F10 y
tm_wait '^\[exited 0\]'
out=$("$ZC" records list --db "$T_TMP/r.db" 2>&1)
t_like "$out" '^ +1 .*Mario Rossi .*training +unfinished' "the records hold the session, unfinished"
t_is "$(printf '%s\n' "$out" | grep -c 'Mario Rossi')" 1 "and no second one"
t_done
