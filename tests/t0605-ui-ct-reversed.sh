#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A trainee on a plant whose CT is clamped on backwards: the sign check
# fails with the manual's remedy; the fault is cleared through the
# simulator's control channel; checking again passes and the walk goes on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --scenario fault-ct-reversed
wiz_connect_training; t_ok $? "the faulty plant is started and read"
t_like "$(tm_screen)" 'TRAINING \(simulator: fault-ct-reversed\)' "the title names the scenario"
wiz_new_session "Mario Rossi"; t_ok $? "session started"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '^ +FAIL ' >/dev/null
t_ok $? "the walk stops at a failing step"
t_is "$(wiz_step_id)" sign.loads "it is the grid-point sign check (11.7)"
t_like "$(tm_screen)" 'manual 11\.7 .* FAIL *$' "FAIL in words in the step header"
t_like "$(tm_screen)" 'Grid-point power .* FAIL' "the live value is marked FAIL"
t_like "$(tm_screen)" 'REMEDY +The grid point shows EXPORT' "the manual's remedy is shown"
joined=$(tm_screen | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ')
t_like "$joined" 'learns the CT direction at its first start-up' \
	"CT mode: the system learns the direction (11.1), the CT is not turned round"
t_like "$joined" 'restart the system with the loads on and PV off' "so it is restarted with loads on, PV off"
t_unlike "$joined" 'Turn the CT around' "turning the CT is for the meters only"
t_like "$joined" 'CT- on COM pin 13 and CT\+ on pin 14' "naming the COM pins"
t_like "$joined" 'fix it \(REMEDY below\), then press c to check again' "and the key to check again, from the key table"

wizpid=$(pgrep -P "$(tm_pid)" | head -1)
simpid=$(pgrep -P "$wizpid" | head -1)
ctl=$(ps -o args= -p "$simpid" | sed -n 's/.*--control \([^ ]*\).*/\1/p')
t_ok "$([ -S "$ctl" ]; echo $?)" "the simulator's control socket is found"
"$ZSIM" ctl "$ctl" fault ct-reversed off >/dev/null
t_ok $? "the fault is cleared through the control channel"
tm_keys c
tm_wait 'checking again'; t_ok $? "c checks again"
tm_wait 'manual 11\.7 .* PASS *$' 30; t_ok $? "the sign check passes now"
tm_keys n
tm_wait 'sign\.(dtsu|production|pv-on)'; t_ok $? "and the walk goes on to the next check"
tm_keys F10 y
t_done
