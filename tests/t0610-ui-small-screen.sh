#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# At 80x24, the smallest size the wizard takes: a failing Battery Info step
# (a battery not seen) shows the start of its remedy without scrolling; the
# detail above it scrolls with PgDn/PgUp and the arrows; a refused answer is
# said next to its field, wrapped, in full.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

# The walk runs at 100x30 (its write questions need the step id on screen
# beside the dialog), then the window shrinks to 80x24.
tm_start 100 30 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05 --scenario fault-fewer-batteries
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "session started"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro.ans" '^ +FAIL ' >/dev/null
t_ok $? "the walk stops at a failing step"
t_is "$(wiz_step_id)" bset.info "it is Battery Info (15.2)"
tm_resize 80 24
tm_wait 'PgUp/PgDn: rows 1-'
s=$(tm_screen)
t_is "$(printf '%s\n' "$s" | wc -l)" 24 "the window is 80x24 now"
t_like "$s" '^ +REMEDY +[A-Za-z0-9]' "the remedy starts on screen, without scrolling"
t_like "$s" 'PgUp/PgDn: rows 1-' "the detail says it scrolls"
first=$(tm_screen | sed -n '7p')
tm_keys PageDown
tm_wait 'PgUp/PgDn: rows ([2-9]|[1-9][0-9])-'; t_ok $? "PgDn scrolls the detail"
t_unlike "$(tm_screen | sed -n '7p')" "^$first\$" "other rows show"
t_like "$(tm_screen)" '^ +REMEDY ' "the remedy stays"
tm_keys PageUp
tm_wait 'PgUp/PgDn: rows 1-'; t_ok $? "PgUp comes back"
tm_keys Down
tm_wait 'PgUp/PgDn: rows 2-'; t_ok $? "Down scrolls a row"
tm_keys F10 y
tm_wait '^\[exited 0\]'

# A refused answer: the reason under the field, in full even at 80 columns.
$TM kill-session -t w
tm_start 80 24 "$ZC" --db "$T_TMP/r2.db" --window-scale 0.05
wiz_connect_training && wiz_new_session "Mario Rossi"; t_ok $? "a new session"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" '> Battery model' >/dev/null
t_ok $? "walked to the battery model question"
tm_keys C-u; tm_type "nonsense-model"; tm_keys Enter
tm_wait '^ +! '; t_ok $? "the refusal shows under the field"
joined=$(tm_screen | sed -n '/^ *! /,/^ *$/p' | sed 's/^ *!\{0,1\} *//' | tr '\n' ' ')
t_like "$joined" "nonsense-model" "it names the answer refused"
t_like "$joined" '\.|:' "and is a whole sentence, not cut at the screen's edge"
tm_keys F10 y
t_done
