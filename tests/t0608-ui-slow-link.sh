#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A device that stops answering never freezes the wizard: while a poll
# waits for it the status bar says so and help opens and closes; the link
# is then declared LOST, the checks pause (nothing fails for it) and the
# wiring diagrams still open; when the device answers again the link is
# restored and the step passes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.2
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session on the clean plant"
# the unit has power and is identified from section 12's power-up on
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" 'session\.identity  \(' >/dev/null
tm_wait 'Step [0-9]+ of .*PASS *$'
t_like "$(tm_screen)" 'LINK 127\.0\.0\.1:[0-9]+ slave 1 \| [0-9.]+/s \| data [0-9.]+ s old' \
	"the status bar: link, poll rate, age of the readings"
wizpid=$(pgrep -P "$(tm_pid)" | head -1)
simpid=$(pgrep -P "$wizpid" | head -1)
kill -STOP "$simpid"
t_at_exit "kill -CONT $simpid"
tm_keys n
tm_wait 'session\.rs485'; t_ok $? "the device freezes; the next step is judged by live reads"
tm_wait 'waiting for the device [0-9.]+ s'; t_ok $? "the device stops answering: the status bar shows the poll waiting"
tm_keys F1
tm_wait 'Keys \(the same everywhere'; t_ok $? "F1 opens the help meanwhile"
tm_keys Escape
tm_wait 'LINK LOST' 40; t_ok $? "then LINK LOST"
t_like "$(tm_screen)" 'checks paused' "checks are paused, nothing fails for it"
t_unlike "$(tm_screen)" 'Step [0-9]+ of .* FAIL *$' "the step did not fail"
tm_keys F3
tm_wait 'COM connector'; t_ok $? "the wiring diagrams open meanwhile"
tm_keys Escape
kill -CONT "$simpid"
tm_wait 'link restored' 40; t_ok $? "the device answers again: link restored"
tm_wait 'Step [0-9]+ of .*PASS *$' 40; t_ok $? "and the step passes"
tm_keys F10 y
tm_wait '^\[exited 0\]'; t_ok $? "quits"
t_done
