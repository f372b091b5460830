# SPDX-License-Identifier: GPL-3.0-or-later
# tests/lib-wizard.sh: walk the wizard's steps like a careful trainee with
# an answers file (the format zcs-commission run reads: "KEY VALUE",
# "confirm STEP yes", "write STEP yes").  Source after lib-tmux.sh.
#   wiz_connect_training    Enter on the chosen scenario, wait for LINK GOOD,
#                           Enter again to go on
#   wiz_new_session NAME    on the Session screen: installer NAME, start
#   wiz_step_id             the id of the step shown
#   wiz_walk ANSWERS UNTIL [MAX]
#                           answer, do, confirm, write or decline as the
#                           answers say, go on, until the screen matches
#                           UNTIL; returns 1 (screen printed) when a step
#                           fails, a question has no answer, or it is stuck.
#   wiz_lang_it             read the Italian screens (LANG=it_IT.UTF-8, --lang it)
#   WIZ_SEEN                when set, a file every screen the walk sees is added to

# What the walk reads on the screens, in English; wiz_lang_it for Italian.
WIZ_CHOOSE='Choose what it gets wrong' WIZ_GOOD='LINK GOOD' WIZ_SESSION='zcs-commission \| Session'
WIZ_STEP='zcs-commission \| Step' WIZ_WRITE='Write to the inverter' WIZ_OPTIONAL='(optional)'
WIZ_TO_ANSWER='(to answer)' WIZ_DO='DO' WIZ_CONFIRM='CONFIRM' WIZ_OFFER='OFFER'
WIZ_PASS='PASS' WIZ_FAIL='FAIL' WIZ_SKIPPED='SKIPPED' WIZ_SUMMARY='zcs-commission \| Summary'
wiz_lang_it() {
	WIZ_CHOOSE="Scegliere l'errore da simulare" WIZ_GOOD='COLLEGAMENTO BUONO'
	WIZ_SESSION='zcs-commission \| Sessione' WIZ_STEP='zcs-commission \| Passo'
	WIZ_WRITE="Scrittura sull'inverter" WIZ_OPTIONAL='(facoltativo)' WIZ_TO_ANSWER='(da rispondere)'
	WIZ_DO='ESEGUI' WIZ_CONFIRM='CONFERMA' WIZ_OFFER='PROPOSTA' WIZ_PASS='SUPERATO'
	WIZ_FAIL='FALLITO' WIZ_SKIPPED='SALTATO' WIZ_SUMMARY='zcs-commission \| Riepilogo'
}

wiz_connect_training() {
	tm_wait "$WIZ_CHOOSE" || return 1
	tm_keys Enter
	tm_wait "$WIZ_GOOD" 30 || return 1
	tm_keys Enter
	tm_wait "$WIZ_SESSION" || return 1
}

wiz_new_session() {
	tm_type "$1"
	tm_keys Tab Tab Tab Enter
	tm_wait "$WIZ_STEP" || return 1
}

wiz_step_line() { tm_screen | sed -n '2p'; }
wiz_step_id() { tm_screen | sed -n '3p' | awk '{print $1}'; }
wiz_state() { tm_screen | sed -n '2p' | awk '{print $NF}'; }

# The answer for KEY in the answers file (quotes removed), or nothing.
_wiz_answer() {
	awk -v k="$2" '$1 == k { $1 = ""; sub(/^ +/, ""); gsub(/^"|"$/, ""); print; exit }' "$1"
}
_wiz_says() { grep -Eq "^$2 +$3 +yes" "$1"; }   # ANSWERS confirm|write STEP

# One move on the step screen; echo what was done.
_wiz_move() { # ANSWERS
	_s=$(tm_screen)
	printf '%s\n' "$_s" | head -n -2 >"$T_TMP/wiz-seen"
	[ -z "${WIZ_SEEN:-}" ] || { printf '%s\n' "$_s"; echo; } >>"$WIZ_SEEN"
	_id=$(printf '%s\n' "$_s" | sed -n '3p' | awk '{print $1}')
	_state=$(printf '%s\n' "$_s" | sed -n '2p' | awk '{print $NF}')
	if printf '%s\n' "$_s" | grep -q "$WIZ_WRITE"; then
		if _wiz_says "$1" write "$_id"; then tm_keys y; else tm_keys n; fi
		echo write; return
	fi
	_key=$(printf '%s\n' "$_s" | grep -A1 '^  > ' | sed -n '2s/^ *[^[]*\[\([^]]*\)\].*/\1/p')
	if [ -n "$_key" ]; then
		_v=$(_wiz_answer "$1" "$_key")
		if [ -z "$_v" ] && printf '%s\n' "$_s" | grep -q "^  > .*$WIZ_OPTIONAL"; then
			tm_keys Tab; echo "leave $_key"; return
		fi
		if [ -z "$_v" ]; then echo "noanswer $_key"; return; fi
		tm_keys C-u; tm_type "$_v"; tm_keys Enter; echo "answer $_key"; return
	fi
	case $_state in
	"$WIZ_PASS"|N/A|"$WIZ_SKIPPED") tm_keys n; echo next; return ;;
	"$WIZ_FAIL") echo fail; return ;;
	esac
	if printf '%s\n' "$_s" | grep -q "^ *$WIZ_DO  "; then tm_keys y; echo action; return; fi
	if printf '%s\n' "$_s" | grep -q "^ *$WIZ_CONFIRM  "; then
		if _wiz_says "$1" confirm "$_id"; then tm_keys y; echo confirm; return; fi
		echo "noanswer confirm $_id"; return
	fi
	if printf '%s\n' "$_s" | grep -q "^ *$WIZ_OFFER  "; then tm_keys a; echo offer; return; fi
	if printf '%s\n' "$_s" | grep -qF "$WIZ_TO_ANSWER"; then tm_keys Tab; echo focus; return; fi
	echo wait
}

wiz_walk() { # ANSWERS UNTIL [MAX_MOVES]
	_n=0 _same=0 _last=""
	while [ $_n -lt "${3:-600}" ]; do
		if tm_screen | grep -Eq -- "$2"; then return 0; fi
		_m=$(_wiz_move "$1")
		case $_m in
		fail) # the FAIL may be what the caller waits for, shown since the look above
		   if tm_screen | grep -Eq -- "$2"; then return 0; fi
		   echo "# step $(wiz_step_id) failed:"; tm_screen | sed 's/^/#   | /'; return 1 ;;
		noanswer*) echo "# the answers file has no answer for ${_m#noanswer }:"
			tm_screen | sed 's/^/#   | /'; return 1 ;;
		wait) sleep 0.1 ;;
		*) # Wait for the key to show above the status bar (which changes
		   # every tick even while the key still waits), then decide again.
		   _i=0
		   while [ "$(tm_screen | head -n -2)" = "$(cat "$T_TMP/wiz-seen")" ] &&
			[ $_i -lt 200 ]; do
			sleep 0.05; _i=$((_i + 1))
		   done ;;
		esac
		_now=$(tm_screen | sed -n '2,3p')
		if [ "$_now" = "$_last" ]; then _same=$((_same + 1)); else _same=0; fi
		_last=$_now
		if [ $_same -gt 300 ]; then echo "# stuck on:"; tm_screen | sed 's/^/#   | /'; return 1; fi
		_n=$((_n + 1))
	done
	echo "# gave up after $_n moves:"; tm_screen | sed 's/^/#   | /'; return 1
}
