#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The step screen shows the plant's power flow all the time, signs in words:
# PV, battery (charging or discharging) with its SOC, grid (import or
# export), house load, EPS.  When the simulator's sun changes, the panel
# follows, even while the step waits for an answer and checks nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

sim() { # the running simulator's control channel
	_w=$(pgrep -P "$(tm_pid)" | head -1); _s=$(pgrep -P "$_w" | head -1)
	"$ZSIM" ctl "$(ps -o args= -p "$_s" | sed -n 's/.*--control \([^ ]*\).*/\1/p')" "$@"
}

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session started"
tm_wait '^ Power +PV [0-9.]+ kW \| Battery [0-9.]+ kW (charging|discharging)?,? *[0-9]+ % \| Grid [0-9.]+ kW( export| import)? \| House [0-9.]+ kW \| EPS'
t_ok $? "the panel shows PV, battery with SOC, grid, house and EPS, in kW"
sim pv 3200 >/dev/null; t_ok $? "the sun gives 3.2 kW"
tm_wait 'PV 3\.20 kW' 15; t_ok $? "the panel shows PV 3.20 kW"
sim pv 0 >/dev/null
tm_wait 'PV 0\.00 kW' 15; t_ok $? "and PV 0.00 kW when the sun goes"
tm_wait 'Battery [0-9.]+ kW discharging' 15; t_ok $? "the battery, discharging, in words"
tm_wait 'Grid [0-9.]+ kW (import|export)|Grid 0\.00 kW' 15; t_ok $? "the grid with import or export in words"
t_like "$(tm_screen)" '\(to answer\)' "all this while the step waits for an answer"
tm_keys F10 y
t_done
