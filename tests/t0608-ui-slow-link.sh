#!/bin/sh
# A slow device never freezes the wizard: while a poll waits for the
# device (status bar: "waiting for the device"), help opens and closes.  A
# device that stops answering shows LINK LOST, checks pause, and it carries
# on when the device is back.  A silent device at Test link says what to
# check.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

# Replies 1.5 s late: with a 2.5 s timeout the link works, slowly.
tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.2 --timeout 2500 --scenario link-slow
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session on a slow device"
tm_type "Via Roma 1"; tm_keys Enter; tm_type "Bianchi"; tm_keys Enter
tm_wait 'manual 1 .*PASS *$'; tm_keys n
tm_type no; tm_keys Enter; tm_type no; tm_keys Enter; tm_keys Enter
tm_wait 'manual 1 .*PASS *$'; tm_keys n
tm_wait 'session\.identity'; t_ok $? "a step judged by live reads"
tm_wait 'waiting for the device [0-9.]+ s'; t_ok $? "the status bar shows a poll waiting for the device"
tm_keys F1
tm_wait 'Keys \(the same everywhere'; t_ok $? "F1 opens the help meanwhile"
tm_keys Escape
tm_wait 'session\.identity'; t_ok $? "and Esc returns to the step"
tm_wait 'manual 15\.1 .*PASS *$' 60; t_ok $? "the slow step still passes"
t_like "$(tm_screen)" 'LINK 127\.0\.0\.1:[0-9]+ slave 1 \| [0-9.]+/s \| data [0-9.]+ s old' \
	"the status bar: link, poll rate, age of the readings"
tm_keys F10 y
tm_wait '^\[exited 0\]'; t_ok $? "quits"

# A device that stops answering mid-step, then comes back.
$TM kill-session -t w
tm_start 100 30 "$ZC" --db "$T_TMP/r2.db" --window-scale 0.2
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session on the clean plant"
tm_type "Via Roma 1"; tm_keys Enter; tm_type "Bianchi"; tm_keys Enter
tm_wait 'manual 1 .*PASS *$'; tm_keys n
tm_type no; tm_keys Enter; tm_type no; tm_keys Enter; tm_keys Enter
tm_wait 'manual 1 .*PASS *$'; tm_keys n
tm_wait 'manual 15\.1 .*PASS *$'; tm_keys n
tm_wait 'session\.rs485'; t_ok $? "on a live step"
wizpid=$(pgrep -P "$(tm_pid)" | head -1)
simpid=$(pgrep -P "$wizpid" | head -1)
kill -STOP "$simpid"
t_at_exit "kill -CONT $simpid"
tm_wait 'LINK LOST' 40; t_ok $? "the device stops answering: LINK LOST"
t_like "$(tm_screen)" 'checks paused' "checks are paused, nothing fails for it"
t_unlike "$(tm_screen)" 'manual 15\.1 .* FAIL *$' "the step did not fail"
tm_keys F3
tm_wait 'COM connector'; t_ok $? "the wiring diagrams open meanwhile"
tm_keys Escape
kill -CONT "$simpid"
tm_wait 'link restored' 40; t_ok $? "the device answers again: link restored"
tm_wait 'manual 15\.1 .*PASS *$' 40; t_ok $? "and the step passes"
tm_keys F10 y
t_done
