#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Typing is typing: letters in a field or on a form never fire a hotkey
# ("Bruno" does not open Records through its r), F-keys still work.  Names
# are UTF-8 end to end: "Niccolò Pietà" is typed, shown, stored, exported
# and found by records list --installer pieta; under LANG=C the wizard
# shows it transliterated, never blank.
. "$(dirname "$0")/lib.sh"
LC_ALL=C.UTF-8; export LC_ALL
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

tm_start 100 30 env LC_ALL=C.UTF-8 "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "connected"
tm_type "Bruno"
sleep 0.5
t_like "$(tm_screen)" 'zcs-commission \| Session' "typing Bruno in the name field stays on Session"
tm_keys Tab Tab Tab
tm_type "qr"
sleep 0.5
t_like "$(tm_screen)" 'zcs-commission \| Session' "letters typed on the Start button neither quit nor open Records"
t_like "$(tm_screen)" 'Installer +Brunoqr' "they go to the installer's name"
tm_keys F5
tm_wait 'zcs-commission \| Records'; t_ok $? "F5 does open Records"
tm_keys Escape
tm_wait 'zcs-commission \| Session'
tm_keys Up Up Up Up C-u
tm_type "Niccolò Pietà"; tm_keys Tab
tm_type "Società Àrezzo, Via Roma 1"
tm_wait 'Site \(address\) +Società Àrezzo'; t_ok $? "accented names are shown as typed"
tm_keys Tab Tab Enter
tm_wait 'zcs-commission \| Step'; t_ok $? "the session starts"
tm_wait '^  > .*\(to answer\)'; t_ok $? "the cursor is on a question"
tm_type "Bruno r"
sleep 0.5
t_like "$(tm_screen)" 'zcs-commission \| Step' "typing in a field on the step screen never changes screen"
t_like "$(tm_screen)" 'Bruno r' "the letters are in the field"
tm_keys Enter
tm_wait 'manual .* PASS *$'; t_ok $? "the answer is taken: the step passes"
tm_keys F10 y
tm_wait '^\[exited 0\]' >/dev/null

out=$("$ZC" records list --db "$T_TMP/r.db" --installer pieta 2>&1)
t_like "$out" '^ +1 .*Niccolò Pietà ' "records list --installer pieta finds Niccolò Pietà"
t_like "$("$ZC" records list --db "$T_TMP/r.db" --site AREZZO 2>&1)" '^ +1 ' "--site AREZZO finds Àrezzo"
t_like "$("$ZC" records list --db "$T_TMP/r.db" --installer piera 2>&1)" 'no session matches' \
	"and a different name is not found"
t_like "$(LC_ALL=C "$ZC" records list --db "$T_TMP/r.db" 2>&1)" '^ +1 .*Niccolo Pieta ' \
	"LANG=C: transliterated, not cut or blank"
html=$("$ZC" records export 1 --format html --db "$T_TMP/r.db" 2>&1)
t_like "$html" 'Niccolò Pietà' "the HTML copy keeps the accents"
t_like "$html" 'Società Àrezzo' "in the site too"
t_like "$("$ZC" records export 1 --format csv --db "$T_TMP/r.db" 2>&1)" 'Niccolò Pietà' \
	"and so does the CSV"

$TM kill-session -t w
tm_start 100 30 env LC_ALL=C LANG=C "$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "LANG=C: connected"
t_like "$(tm_screen)" '#1 .*Niccolo Pieta' "the session list shows the name in ASCII"
tm_keys F10 y
t_done
