#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The wizard's write confirmation shows the whole request before anything is
# sent: the registers that change, every value sent back as read; D turns
# the dry run on, which shows the request's bytes and sends nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "Connect: the training simulator"
wiz_new_session "Mario Rossi"; t_ok $? "Session started"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" 'Write to the inverter'
t_ok $? "the battery settings step offers its write"
s=$(tm_screen)
t_like "$s" 'battery on slave 1, one FC 0x10 of [0-9]+ registers at 0x1044' \
	"the confirmation names the request: the whole battery block"
t_like "$s" 'Depth of discharge \(on grid\): 90 % \[0x005A\] -> 80 % \[0x0050\]' \
	"the register that changes, with what is read and what is sent"
t_like "$s" 'Battery block commit: 0 \[0x0000\] -> 1 \[0x0001\] \(commit\)' "the commit too"
t_like "$s" 'sent back as read: bat_input 0, bat_address 0, bat_protocol' \
	"every other value sent is listed"
tm_keys Escape
tm_wait 'nothing written yet'; t_ok $? "Esc: nothing written yet"
tm_keys D
tm_wait 'dry run of writes ON'; t_ok $? "D: dry run of writes on"
tm_keys a
tm_wait 'Apply setting \(dry run\)'; t_ok $? "a: the confirmation says dry run"
t_like "$(tm_screen)" 'frame: 01 10 10 44 00 ' "  and shows the frame that would be sent"
tm_keys y
tm_wait 'dry run: nothing was sent'; t_ok $? "y: nothing is sent"
tm_keys q y
tm_wait '^\[exited 0\]'; t_ok $? "quits"
t_done
