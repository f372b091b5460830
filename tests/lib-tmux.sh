# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib-tmux.sh: drive the wizard in a private tmux server.  Source it
# after lib.sh.  Every function works on one session "w" of a private
# server whose socket is in the test's temporary directory; the server is
# killed when the test exits.
#   tm_start COLS ROWS CMD...   start CMD in a COLS x ROWS window
#   tm_keys KEY...              tmux send-keys (names: Enter Escape Tab F1 Up)
#   tm_type TEXT                type TEXT literally
#   tm_wait REGEX [SECONDS]     wait until the screen matches (default 20 s);
#                               returns 1 and prints the screen when it does not
#   tm_screen                   the screen as text
#   tm_alive                    0 while the program runs
#   tm_pid                      the pid of the shell running CMD
#   tm_resize COLS ROWS         resize the window
command -v tmux >/dev/null 2>&1 || t_skip_all "tmux is not installed (scripts/deps.sh installs it)"
TM="tmux -S $T_TMP/tmux.sock"
t_at_exit "$TM kill-server"

tm_start() {
	_c=$1 _r=$2; shift 2
	# After kill-session of the last session the server is still exiting
	# for a moment; a new session started then fails: try again.
	_tm_i=0
	until $TM -f /dev/null new-session -d -s w -x "$_c" -y "$_r" \
		"env TERM=screen-256color $* ; echo '[exited' \$?']'; sleep 30" 2>/dev/null; do
		_tm_i=$((_tm_i + 1))
		[ $_tm_i -lt 50 ] || break
		sleep 0.1
	done
	$TM set-option -t w status off >/dev/null
	$TM set-option -t w remain-on-exit on >/dev/null 2>&1
}
tm_keys() { $TM send-keys -t w "$@"; }
tm_type() { $TM send-keys -t w -l "$1"; }
tm_screen() { $TM capture-pane -p -t w; }
tm_wait() { # REGEX [SECONDS]
	_deadline=$(( $(date +%s) + ${2:-20} ))
	while :; do
		if tm_screen | grep -Eq -- "$1"; then return 0; fi
		if [ "$(date +%s)" -ge "$_deadline" ]; then
			echo "# waited for /$1/; the screen is:"
			tm_screen | sed 's/^/#   | /'
			return 1
		fi
		sleep 0.1
	done
}
tm_alive() { ! tm_screen | grep -q '^\[exited'; }
tm_pid() { $TM display-message -p -t w "#{pane_pid}"; }
tm_resize() { $TM resize-window -t w -x "$1" -y "$2"; }
