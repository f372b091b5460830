#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Three unfinished sessions of one unit: the Session screen lists them all
# (date, mode, installer, step reached), the one left last marked.  A
# resumed training session gets its simulator back as it was left: its
# scenario, the fault the trainee cleared still cleared, the breaker still
# open.  Stopped again, it is the one offered, though two sessions were
# started after it; stopped sessions are "unfinished" in the records.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

run() { tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 "$@"; wiz_connect_training; }
stop() { tm_keys F10 y; tm_wait '^\[exited 0\]' >/dev/null; $TM kill-session -t w; }
sim() { # the running simulator's control channel
	_w=$(pgrep -P "$(tm_pid)" | head -1); _s=$(pgrep -P "$_w" | head -1)
	"$ZSIM" ctl "$(ps -o args= -p "$_s" | sed -n 's/.*--control \([^ ]*\).*/\1/p')" "$@"
}

run --scenario fault-ct-reversed && wiz_new_session "Anna Bianchi"; t_ok $? "session 1 started"
sim fault ct-reversed off >/dev/null && sim breaker off >/dev/null
t_ok $? "the trainee clears the fault and opens the breaker"
stop
run && wiz_new_session "Bruno Verdi"; t_ok $? "session 2 started"
stop
run && wiz_new_session "Carla Neri"; t_ok $? "session 3 started"
stop

run; t_ok $? "fourth run: connected"
s=$(tm_screen)
t_like "$s" 'Unfinished sessions of this unit \(3' "three unfinished sessions listed"
t_like "$s" '> #3 +20[0-9-]+ [0-9:]+ +training +Carla Neri +at session\.people' \
	"with date, mode, installer and step; the last one left is marked"
t_like "$s" '#1 .*Anna Bianchi' "the oldest is there too"
tm_keys Down Down
tm_wait '> #1 '; t_ok $? "Down moves to session 1"
tm_keys Enter
tm_wait 'session 1 resumed' 30; t_ok $? "Enter resumes session 1"
t_like "$(tm_screen)" 'TRAINING \(simulator: fault-ct-reversed\)' "on its own scenario"
st=$(sim state)
t_unlike "$st" '^fault ct-reversed' "the fault cleared before stays cleared"
t_like "$st" '^breaker off' "the breaker stays open"
stop

run; t_ok $? "fifth run: connected"
t_like "$(tm_screen)" '> #1 .*Anna Bianchi' "the session just stopped is marked, not the newest"
tm_keys Enter
tm_wait 'session 1 resumed' 30; t_ok $? "and Enter resumes it"
stop
out=$(LANG=C "$ZC" records list --db "$T_TMP/r.db" 2>&1)
t_is "$(printf '%s\n' "$out" | grep -Ec 'training +unfinished')" 3 \
	"records list: the three stopped sessions are unfinished"
t_unlike "$out" 'failed' "none is failed"
t_done
