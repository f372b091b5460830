#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# In Italian: a whole clean training commissioning under LANG=it_IT.UTF-8,
# every screen the walk sees searched for an English phrase that po/it.po
# translates (tests/po-english.py); then the customer's copy of that session
# (records export --format html --lang it), Italian throughout, numbers with
# the decimal comma and dates dd/mm/yyyy, and the reviewer's in English.
# The Italian locale is generated here (localedef, no root needed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/lib-wizard.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v localedef >/dev/null 2>&1 || t_skip_all "localedef is missing (libc-bin)"
mkdir -p "$T_TMP/loc"
localedef -i it_IT -f UTF-8 "$T_TMP/loc/it_IT.UTF-8" >/dev/null 2>&1 ||
	[ -f "$T_TMP/loc/it_IT.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ] ||
	t_skip_all "localedef cannot make it_IT.UTF-8 (package locales)"
python3 "$SRC/tests/po-english.py" "$SRC/po/it.po" >"$T_TMP/english"
t_ok $? "the English phrases it.po translates: $(wc -l <"$T_TMP/english")"

# every screen seen, with the lines of the title and status bars
WIZ_SEEN="$T_TMP/screens"
: >"$WIZ_SEEN"
wiz_lang_it
tm_start 100 30 env LOCPATH="$T_TMP/loc" LANG=it_IT.UTF-8 LC_ALL= LANGUAGE= \
	"$ZC" --db "$T_TMP/r.db" --window-scale 0.05
wiz_connect_training; t_ok $? "Connessione: Invio avvia il simulatore e legge l'unità"
tm_screen >>"$WIZ_SEEN"
wiz_new_session "Mario Rossi"; t_ok $? "Sessione: il nome dell'installatore, Avvia"
t_like "$(tm_screen)" 'Passo 1 di [0-9]+ +\| +manuale 1 ' "the first step, in Italian"
t_like "$(tm_screen)" 'ADDESTRAMENTO \(simulatore: clean\)' "TRAINING in Italian"
wiz_walk "$ZCS_DATA_DIR/examples/azzurro-ct.ans" "$WIZ_SUMMARY"
t_ok $? "every step walked in Italian up to the summary"
tm_screen >>"$WIZ_SEEN"
t_like "$(tm_screen)" 'COMPLETA: ogni passo applicabile è superato' "the summary: complete"
t_like "$(tm_screen)" '[0-9]+ passi: [0-9]+ SUPERATI, 0 FALLITI, 0 SALTATI' "no step failed"
t_like "$(cat "$WIZ_SEEN")" '[0-9],[0-9][0-9] kW' "power with the decimal comma on screen"
tm_keys Enter
tm_wait 'registrata come sessione 1'; t_ok $? "Invio chiude il verbale"
tm_screen >>"$WIZ_SEEN"
tm_keys F3
tm_wait 'Contatore di scambio sulla porta COM'; t_ok $? "F3: the wiring diagrams, titled in Italian"
t_like "$(tm_screen)" 'Distanza oltre 100 m: due resistenze da 120 ohm' "their prose in Italian"
t_like "$(tm_screen)" '\|  pin 16  RS485  -----\+' "the drawing as it is"
tm_screen >>"$WIZ_SEEN"
tm_keys Right
tm_wait 'La sonda CT abbraccia ogni cavo'; t_ok $? "the CT's paragraph, CT+ and all, in Italian"
tm_screen >>"$WIZ_SEEN"
tm_keys Escape
tm_keys F1
tm_wait 'Tasti \(uguali ovunque'; t_ok $? "the help in Italian"
tm_screen >>"$WIZ_SEEN"
grep -F -f "$T_TMP/english" "$WIZ_SEEN" | sort -u >"$T_TMP/leaks"
t_is "$(wc -l <"$T_TMP/leaks")" 0 "no screen shows English that it.po translates ($(grep -c . "$WIZ_SEEN") lines seen)"
sed 's/^/#   english: /' "$T_TMP/leaks" | head -20
tm_keys L
tm_wait 'Keys \(the same everywhere'; t_ok $? "L on the help screen switches to English at once"
tm_keys L
tm_wait 'Tasti \(uguali ovunque'; t_ok $? "and back to Italian"
tm_keys Escape q y
tm_wait '^\[exited 0\]'; t_ok $? "quits"

# the customer's copy, in Italian
"$ZC" records export 1 --format html --lang it --db "$T_TMP/r.db" -o "$T_TMP/it.html"
t_ok $? "records export --format html --lang it"
t_like "$(cat "$T_TMP/it.html")" '<html lang="it">' "an Italian page"
t_like "$(cat "$T_TMP/it.html")" 'Verbale di messa in servizio' "its title in Italian"
t_like "$(cat "$T_TMP/it.html")" '[0-3][0-9]/[01][0-9]/20[0-9][0-9]' "dates dd/mm/yyyy"
t_like "$(cat "$T_TMP/it.html")" '[0-9],[0-9]+ (kW|V|A|Hz)' "numbers with the decimal comma"
sed -e 's/<[^>]*>/\n/g' "$T_TMP/it.html" | grep -F -f "$T_TMP/english" | sort -u >"$T_TMP/html-leaks"
t_is "$(wc -l <"$T_TMP/html-leaks")" 0 "the customer's copy has no English that it.po translates"
sed 's/^/#   english: /' "$T_TMP/html-leaks" | head -20
# words of the copy's own frame that would betray an English page
t_unlike "$(sed -e 's/<[^>]*>/ /g' "$T_TMP/it.html")" \
	'(Commissioning report|Summary|Passed|Failed|Not checked|Does not apply|What to do|Quality review|Integrity|Settings written|Installer|Customer)' \
	"no English heading or verdict"

# the reviewer reads the same session in English
"$ZC" records export 1 --format html --lang en --db "$T_TMP/r.db" -o "$T_TMP/en.html"
t_like "$(cat "$T_TMP/en.html")" 'Commissioning report' "--lang en: the same session in English"
t_unlike "$(cat "$T_TMP/en.html")" 'Verbale di messa in servizio' "and no Italian frame"
t_like "$("$ZC" records export 1 --format qa-html --db "$T_TMP/r.db")" 'language.*it' \
	"the record keeps the session's language"
t_like "$("$ZC" records verify 1 --db "$T_TMP/r.db" 2>&1)" 'intact|ok|verified' \
	"the session with its language verifies"
t_done
