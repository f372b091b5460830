#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Training mode from the first screen: the simulator is started, "Test
# link" shows the identity it read, TRAINING is on every screen; the help
# comes from the key table; the window shrinks to 60x20 ("too small") and
# grows back; quitting asks first and leaves the terminal and no simulator
# behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"

gone() { # PID: wait (bounded) until the process is gone
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1)); [ $_i -gt 50 ] && return 1; sleep 0.1
	done
}

tm_start 100 30 "$ZC" --db "$T_TMP/r.db"
tm_wait 'Choose what it gets wrong'; t_ok $? "training mode opens on the scenario list"
t_like "$(tm_screen)" 'TRAINING \(simulator' "the title bar says TRAINING"
t_like "$(tm_screen)" 'clean +One HYD6000' "the simulator's scenarios are listed"
tm_keys Enter
tm_wait 'LINK GOOD'; t_ok $? "Test link reads the unit"
t_like "$(tm_screen)" 'serial +[A-Z0-9]{6,}.*layout G3' "and shows the serial and layout it read"
t_like "$(tm_screen)" 'LINK 127\.0\.0\.1:[0-9]+ slave 1' "the status bar shows the link"
wizpid=$(pgrep -P "$(tm_pid)" | head -1)
simpid=$(pgrep -P "$wizpid" | head -1)
t_like "$(ps -o args= -p "$simpid")" 'zcs-sim --tcp 0 --scenario clean' "the simulator runs as its child"

tm_keys F1
tm_wait 'Keys \(the same everywhere'; t_ok $? "F1 shows the help"
t_like "$(tm_screen)" 'F10 q +quit \(asks first' "drawn from the key table"
t_like "$(tm_screen)" 'TRAINING' "with the TRAINING marker"
tm_keys Escape
tm_wait 'Choose what it gets wrong'; t_ok $? "Esc goes back"

tm_keys w
tm_wait 'COM connector'; t_ok $? "w shows the wiring diagrams"
t_like "$(tm_screen)" 'pin 16.*pin 24' "COM 16 to meter 24"
tm_keys Right
tm_wait 'CT\+ +\(red\)'; t_ok $? "the CT pins 13/14 diagram is next"
tm_keys Escape
tm_wait 'Choose what it gets wrong'; t_ok $? "Esc back to Connect"

tm_resize 60 20
tm_wait 'Terminal too small'; t_ok $? "60x20 shows the too-small screen"
t_like "$(tm_screen)" 'Now: 60 x 20' "with the size it has"
tm_resize 100 30
tm_wait 'LINK GOOD'; t_ok $? "back to 100x30 the screen returns as it was"

tm_keys q
tm_wait 'Quit the wizard\?'; t_ok $? "q asks before quitting"
tm_keys n
tm_wait 'Choose what it gets wrong'; t_ok $? "n keeps it running"
tm_keys F10
tm_wait 'Quit the wizard\?'; t_ok $? "F10 asks too"
tm_keys y
tm_wait '^\[exited 0\]'; t_ok $? "y quits with status 0"
t_unlike "$(tm_screen)" 'Choose what' "the terminal is restored (the wizard's screen is gone)"
t_ok "$(gone "$simpid"; echo $?)" "the simulator was stopped"

# A signal ends it the normal way: terminal restored, simulator stopped.
$TM kill-session -t w
tm_start 100 30 "$ZC" --db "$T_TMP/r.db"
tm_wait 'Choose what it gets wrong'; t_ok $? "started again"
tm_keys Enter
tm_wait 'LINK GOOD'; t_ok $? "and linked"
wizpid=$(pgrep -P "$(tm_pid)" | head -1)
simpid=$(pgrep -P "$wizpid" | head -1)
kill -TERM "$wizpid"
tm_wait '^\[exited 0\]'; t_ok $? "SIGTERM: it leaves by the normal path"
t_like "$(tm_screen)" 'stopped by signal 15; the session is kept' "and says why"
t_unlike "$(tm_screen)" 'Choose what' "the terminal is restored"
t_ok "$(gone "$simpid"; echo $?)" "the simulator was stopped"
t_done
