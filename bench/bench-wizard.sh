#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The wizard in a private tmux: start-up to its first screen, then what it
# costs while it waits for the installer (10 s on the Connect screen, 10 s
# on a step waiting for an answer in training, where the power-flow panel
# reads the simulator every second): CPU time and wake-ups per second of
# the process itself (every thread's voluntary and involuntary context
# switches, /proc/PID/task/*/status).  Target (issue 21): below 10
# wake-ups per second.  Needs tmux; prints what it could not measure.
set -u
B=${ZCS_BUILD:-build}
IDLE_S=${BENCH_IDLE_S:-10}
command -v tmux >/dev/null 2>&1 || { echo "wizard: tmux is not installed: not measured"; exit 0; }
T=$(mktemp -d)
TM="tmux -S $T/tmux.sock"
trap '$TM kill-server 2>/dev/null; rm -rf "$T"' EXIT
export XDG_DATA_HOME="$T/xdg" XDG_CONFIG_HOME="$T/config"

screen() { $TM capture-pane -p -t w 2>/dev/null; }
wait_for() { # REGEX SECONDS
	_end=$(( $(date +%s) + $2 ))
	until screen | grep -Eq -- "$1"; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.01
	done
}
now_ms() { date +%s%3N; }
switches() { # PID: context switches of every thread so far
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}
cpu_ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat 2>/dev/null; }
idle() { # PID WHAT
	s0=$(switches "$1"); c0=$(cpu_ticks "$1"); t0=$(now_ms)
	sleep "$IDLE_S"
	s1=$(switches "$1"); c1=$(cpu_ticks "$1"); t1=$(now_ms)
	hz=$(getconf CLK_TCK)
	awk -v s="$((s1 - s0))" -v c="$((c1 - c0))" -v ms="$((t1 - t0))" -v hz="$hz" -v what="$2" 'BEGIN {
		w = s * 1000 / ms
		printf "idle %-34s %5.1f wake-ups/s  CPU %.2f %%   target < 10/s: %s\n", what, w,
		       c * 100000 / hz / ms, w < 10 ? "PASS" : "MISS" }'
}

t0=$(now_ms)
$TM -f /dev/null new-session -d -s w -x 100 -y 30 \
	"env TERM=screen-256color $B/zcs-commission --db $T/r.db; sleep 30"
$TM set-option -t w status off >/dev/null
if ! wait_for 'zcs-commission \| Connect' 20; then
	echo "wizard: no first screen within 20 s"; exit 0
fi
t1=$(now_ms)
echo "wizard start-up to the first screen (Connect, tmux 100x30): $((t1 - t0)) ms"
pid=$(pgrep -P "$($TM display-message -p -t w '#{pane_pid}')" | head -1)
[ -n "$pid" ] || pid=$($TM display-message -p -t w '#{pane_pid}')
idle "$pid" "on the Connect screen"
$TM send-keys -t w Enter
wait_for 'LINK GOOD' 30 && $TM send-keys -t w Enter
if wait_for 'zcs-commission \| Session' 20; then
	$TM send-keys -t w -l "Mario Rossi"
	$TM send-keys -t w Tab Tab Tab Enter
fi
if wait_for 'zcs-commission \| Step' 20; then
	sleep 1
	idle "$pid" "at a step awaiting an answer"
else
	echo "wizard: the training session did not start; not measured at a step"
fi
$TM send-keys -t w F10 y
