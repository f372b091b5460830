#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The wizard needs a real terminal: without one (a pipe, a script, a dumb
# terminal) it refuses before touching the screen and says what to use.
. "$(dirname "$0")/lib.sh"

out=$("$ZC" </dev/null 2>&1); rc=$?
t_is "$rc" 2 "stdin not a terminal: exits 2 (usage)"
t_like "$out" "needs a terminal.*zcs-commission run" "and says to use 'zcs-commission run'"
out=$("$ZC" --tcp 127.0.0.1:1 2>&1 </dev/null | cat); rc=$?
t_like "$out" "needs a terminal" "stdout a pipe: refused too"
t_unlike "$out" "$(printf '\033')\\[" "without writing escape sequences"
out=$("$ZC" --theme purple 2>&1 </dev/null); rc=$?
t_is "$rc" 2 "an unknown theme is a usage error"
t_like "$out" "unknown theme 'purple'" "naming it"
out=$("$ZC" --window-scale 0 2>&1 </dev/null); rc=$?
t_like "$out" "window-scale wants a number above 0" "a bad --window-scale is named"
out=$("$ZC" --help); rc=$?
t_is "$rc" 0 "--help exits 0"
t_like "$out" "training mode" "and explains training mode"
if command -v script >/dev/null 2>&1; then
	out=$(TERM=dumb script -qec "$ZC" /dev/null 2>&1)
	t_like "$out" "cannot move the cursor.*zcs-commission run" \
		"a terminal without cursor addressing is refused"
fi
t_done
