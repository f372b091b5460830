# tests/lib-wizard.sh: walk the wizard's steps like a careful trainee.
# Source after lib-tmux.sh.
#   wiz_connect_training    Enter on the chosen scenario, wait for LINK GOOD,
#                           Enter again to go on
#   wiz_new_session NAME    on the Session screen: installer NAME, start
#   wiz_step_line           the step header line ("Step 3 of 40 | ...")
#   wiz_walk UNTIL [MAX]    answer, confirm, apply, go on until the screen
#                           matches UNTIL; returns 1 (screen printed) on a
#                           FAIL or when stuck.  The answer for a question
#                           is the checklist's proposal, or WIZ_TEXT for text.
: "${WIZ_TEXT:=Test}"

wiz_connect_training() {
	tm_wait 'Choose what it gets wrong' || return 1
	tm_keys Enter
	tm_wait 'LINK GOOD' 30 || return 1
	tm_keys Enter
	tm_wait 'zcs-commission \| Session' || return 1
}

wiz_new_session() {
	tm_type "$1"
	tm_keys Tab Tab Tab Enter
	tm_wait 'zcs-commission \| Step' || return 1
}

wiz_step_line() { tm_screen | sed -n '2p'; }

# One move on the step screen; echo what was done.
_wiz_move() {
	_s=$(tm_screen)
	_state=$(printf '%s\n' "$_s" | sed -n '2p' | awk '{print $NF}')
	if printf '%s\n' "$_s" | grep -q 'Write to the inverter'; then tm_keys y; echo write; return; fi
	if printf '%s\n' "$_s" | grep -Eq '^ *. *\[?[^]]*_ *\(to answer\)|_ +.*\(to answer\)'; then
		_line=$(printf '%s\n' "$_s" | grep -E '_ .*\(to answer\)' | head -1)
		if printf '%s\n' "$_line" | grep -Eq '^ {2}.{34} {1}_'; then tm_type "$WIZ_TEXT"; fi
		tm_keys Enter; echo answer; return
	fi
	case $_state in
	PASS|N/A|SKIPPED) tm_keys n; echo next; return ;;
	FAIL) echo fail; return ;;
	esac
	if printf '%s\n' "$_s" | grep -q '^ *DO  '; then tm_keys y; echo action; return; fi
	if printf '%s\n' "$_s" | grep -q '^ *CONFIRM  '; then tm_keys y; echo confirm; return; fi
	if printf '%s\n' "$_s" | grep -q '^ *OFFER  '; then tm_keys a; echo offer; return; fi
	if printf '%s\n' "$_s" | grep -q '(to answer)'; then tm_keys Tab; echo focus; return; fi
	echo wait
}

wiz_walk() { # UNTIL [MAX_MOVES]
	_n=0 _same=0 _last=""
	while [ $_n -lt "${2:-400}" ]; do
		if tm_screen | grep -Eq -- "$1"; then return 0; fi
		_m=$(_wiz_move)
		case $_m in
		fail) echo "# a step failed:"; tm_screen | sed 's/^/#   | /'; return 1 ;;
		wait) sleep 0.1 ;;
		*) _before=$(tm_screen)
		   _i=0
		   while [ "$(tm_screen)" = "$_before" ] && [ $_i -lt 30 ]; do sleep 0.05; _i=$((_i+1)); done ;;
		esac
		_now=$(wiz_step_line)
		if [ "$_now" = "$_last" ]; then _same=$((_same + 1)); else _same=0; fi
		_last=$_now
		if [ $_same -gt 300 ]; then echo "# stuck on:"; tm_screen | sed 's/^/#   | /'; return 1; fi
		_n=$((_n + 1))
	done
	echo "# gave up after $_n moves:"; tm_screen | sed 's/^/#   | /'; return 1
}
