#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What `make run` gives a new user: training mode on the clean plant, a whole
# commissioning by keyboard from the first screen to the summary, the record
# closed, then found, shown and approved on the Records screen.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "Connect: Enter starts the simulator and reads the unit, Enter goes on"
t_like "$(tm_screen)" 'Unit ZM2ES[0-9A-Z]+' "Session: the unit's serial"
t_unlike "$(tm_screen)" 'Resume session' "a fresh database offers no resume"
wiz_new_session "Mario Rossi"; t_ok $? "Session: the installer's name, Start"
t_like "$(tm_screen)" 'Step 1 of [0-9]+ +\| +manual 1 ' "the first step cites the manual's section"
t_like "$(tm_screen)" 'TRAINING \(simulator: clean\)' "TRAINING on the step screen too"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" 'zcs-commission \| Summary'
t_ok $? "every step answered, done, confirmed or written by keyboard up to the summary"
t_like "$(tm_screen)" 'COMPLETE: every applicable step passed' "the summary: complete"
t_like "$(tm_screen)" '[0-9]+ steps: [0-9]+ PASS, 0 FAIL, 0 SKIPPED' "no step failed or skipped"
t_like "$(tm_screen)" 'Installer Mario Rossi +site Via Roma 1, Arezzo' "the people the record keeps"
tm_keys Enter
tm_wait 'recorded as session 1'; t_ok $? "Enter closes the record"

tm_keys r
tm_wait 'zcs-commission \| Records'; t_ok $? "r opens the records"
t_like "$(tm_screen)" '#1 .*Mario Rossi +ZM2ES[0-9A-Z]+ +passed +pending +training' \
	"the session is listed: passed, review pending, training"
tm_keys Enter
tm_wait 'Session #1 +A: approve'; t_ok $? "Enter shows it in full"
t_like "$(tm_screen)" 'TRAINING' "marked as training"
tm_keys A
tm_wait "Reviewer's name"; t_ok $? "A asks who approves"
tm_type "Quinn Reviewer"; tm_keys Enter
tm_wait 'Comment \(optional\)'; tm_type "training run checked"; tm_keys Enter
tm_wait 'session 1 approved by Quinn'; t_ok $? "approved and recorded"
tm_keys Escape
tm_wait '#1 .*passed +approved'; t_ok $? "the list shows it approved"
tm_keys /
tm_wait 'Show sessions containing'; tm_keys C-u; tm_type "rejected"; tm_keys Enter
tm_wait '0 of 1 sessions matching "rejected"'; t_ok $? "/ filters the list"
tm_keys q y
tm_wait '^\[exited 0\]'; t_ok $? "quits"
t_done
