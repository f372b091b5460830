#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The DIP switch screen on a bank of three Pylontech US2000 (no pattern in
# the guide for a group): every battery drawn with its switch numbers, the
# manual's figure reference, the positions set entered by keyboard and
# recorded at the step that asks for them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"
ANS="$T_TMP/us2000.ans"
sed -e 's/^battery.model .*/battery.model us2000/' -e 's/^battery.count .*/battery.count 3/' \
	"$ZCS_DATA_DIR/examples/azzurro-ct.ans" >"$ANS"

tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --scenario clean-us2000
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session on three US2000"
wiz_walk "$ANS" 'batteries\.dip  \(' >/dev/null; t_ok $? "walked to the DIP step"
t_like "$(tm_screen)" 'manual 8 .*DIP switches of every battery' "the step cites section 8"
tm_keys Escape d
tm_wait 'zcs-commission \| DIP switches'; t_ok $? "d opens the DIP switch screen"
t_like "$(tm_screen)" 'Battery Pylontech US2000 +x 3' "model and count from the answers"
t_like "$(tm_screen)" 'MASTER +1 +2 +3 +4 +5' "the master with its switch numbers"
t_like "$(tm_screen)" 'SLAVE 2 +1 +2 +3 +4 +5' "every battery of the chain"
t_like "$(tm_screen)" 'unconfirmed: see the figure' "unconfirmed positions are not invented"
t_like "$(tm_screen)" '8\.1\.2 gives no DIP setting' "the manual's reference instead"
tm_keys Down 1
tm_wait 'set +ON +off +off +off +off'; t_ok $? "1 sets switch 1 of slave 1 ON"
tm_keys 1
tm_wait 'set +off +off +off +off +off.*$' ; t_unlike "$(tm_screen)" 'set +ON' "and again OFF"
tm_keys Enter
tm_wait 'DIP positions recorded: 00000 00000 00000'; t_ok $? "Enter records the positions set"
tm_keys Escape
tm_wait 'zcs-commission \| Step'; t_ok $? "Esc back to the step"
t_like "$(tm_screen)" '00000 00000 00000 +\[battery\.dip\]' "the step has the positions"
tm_keys y
tm_wait 'manual 8 .* (PASS|FAIL) *$'; t_ok $? "and judges them"
tm_keys F10 y
t_done
