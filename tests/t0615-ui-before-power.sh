#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Section 12: the record begins before the inverter has power.  On a unit
# that does not answer (AC breaker open, DC off, batteries off) the Connect
# screen says so and Continue goes on all the same; the Session screen says
# the unit is identified later; the session is recorded without a unit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"

command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
sim_ctl breaker off >/dev/null; sim_ctl dc off >/dev/null; sim_ctl battery off >/dev/null
t_is "$(sim_state inv1.powered)" no "the simulated inverter has no power"

tm_start 100 30 "$ZC" --tcp "$SIM_TCP" --db "$T_TMP/r.db" --window-scale 0.05
tm_wait 'How is the laptop connected'; t_ok $? "Connect screen"
tm_keys Enter
tm_wait 'NO ANSWER YET' 30; t_ok $? "Test link on an unpowered unit: NO ANSWER YET, not NO LINK"
t_like "$(tm_screen | sed 's/^ *//' | tr '\n' ' ' | tr -s ' ')" 'cannot answer: Continue begins the record' \
	"it says Continue begins the record"
tm_keys Down Enter
tm_wait 'zcs-commission \| Session' 30; t_ok $? "Continue goes on to the Session screen"
t_like "$(tm_screen)" 'Unit not identified yet' "the Session screen says the unit is identified later"
tm_type "Mario Rossi"
tm_keys Tab Tab Tab Enter
tm_wait 'zcs-commission \| Step'; t_ok $? "the session starts before power-up"
t_is "$(sqlite3 "$T_TMP/r.db" "SELECT count(*) || ' ' || ifnull(serial, 'none') FROM sessions")" \
	"1 none" "the session is recorded, without a unit yet"
tm_keys F10
tm_wait 'Quit the wizard'; tm_keys y
tm_wait '^\[exited 0\]'; t_ok $? "quits; the unfinished session stays for resume"
t_done
