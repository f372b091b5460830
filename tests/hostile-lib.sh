# SPDX-License-Identifier: GPL-3.0-or-later
# tests/hostile-lib.sh: probe, read and run against every mode of
# tests/hostile.py; sourced by t0120 (TCP) and t0121 (RTU) after lib.sh.
HOSTILE="$(dirname "$0")/hostile.py"
# Modes whose replies are good data: a step may pass on them (a reply
# sent twice; on RTU, the modes about the MBAP header, and junk after a
# complete frame).
HOSTILE_GOOD=" ok duplicate "
HOSTILE_GOOD_RTU=" extra-bytes tid-wrong proto-wrong mbap-len-long mbap-len-short mbap-len-zero "
# Modes that mangle some replies only (text): the steps they touch fail.
HOSTILE_PARTIAL=" serial-nonascii "
# How many modes are tried at the same time (the time goes in timeouts).
HOSTILE_JOBS=${HOSTILE_JOBS:-12}

# hostile_start AFTER [--rtu]: every mode served, the first AFTER requests
# of each answered faithfully; sets HOSTILE_OUT (lines "MODE KIND WHERE").
_h_n=0
hostile_start() {
	_h_n=$((_h_n + 1))
	HOSTILE_OUT="$T_TMP/hostile$_h_n.out"
	python3 "$HOSTILE" --upstream "$SIM_TCP" --mode "${HOSTILE_MODES:-all}" --after "$@" \
		>"$HOSTILE_OUT" 2>"$T_TMP/hostile$_h_n.err" </dev/null &
	t_at_exit "kill $!"
	_h_i=0
	while ! grep -q '^ready$' "$HOSTILE_OUT" 2>/dev/null; do
		_h_i=$((_h_i + 1))
		[ $_h_i -gt 600 ] && return 1
		sleep 0.1
	done
}

# The small procedure run against each mode: the session part (its live
# steps read the identity and the RS485 address), with its answers.
hostile_checklists() {
	mkdir -p "$T_TMP/chk"
	cp "$ZCS_CHECKLIST_DIR"/*.chk "$T_TMP/chk/"
	awk '$1 != "part" || $2 == "session"' "$ZCS_CHECKLIST_DIR/index.chk" >"$T_TMP/chk/index.chk"
	grep -E '^(installer|site|customer|site\.[a-z_]+) ' "$ZCS_DATA_DIR/examples/azzurro-ct.ans" \
		>"$T_TMP/session.ans"
}

# hostile_mode KIND MODE: probe, read and run against one mode; their
# output and exit codes go to $T_TMP/KIND-MODE.{probe,read,run}{,.rc}.
hostile_mode() {
	_o="$T_TMP/$1-$2"
	_now=$(awk -v m="$2" '$1 == m { print $3 }' "$now_out")
	_later=$(awk -v m="$2" '$1 == m { print $3 }' "$later_out")
	timeout 60 "$ZC" probe $opt "$_now" --timeout 2000 >"$_o.probe" 2>&1
	echo $? >"$_o.probe.rc"
	timeout 60 "$ZC" read $opt "$_now" --timeout 2000 --map g3 serial grid_voltage pv1_voltage \
		>"$_o.read" 2>&1
	echo $? >"$_o.read.rc"
	timeout 150 "$ZC" run $opt "$_later" --timeout 2000 --answers "$T_TMP/session.ans" \
		--checklists "$T_TMP/chk" --window-scale 0.05 --link-wait 10 --db "$_o.db" >"$_o.run" 2>&1
	echo $? >"$_o.run.rc"
}

# ended RC NAME: the command ended by itself, without a signal.
ended() {
	t_ok "$([ "$1" -ne 124 ] && [ "$1" -lt 128 ] && echo 0 || echo 1)" "$2 (exit $1)"
}

hostile_all() {
	kind=$1
	opt=--tcp
	[ "$kind" = rtu ] && opt=--port && HOSTILE_GOOD="$HOSTILE_GOOD$HOSTILE_GOOD_RTU"
	hostile_checklists
	rtu=""; [ "$kind" = rtu ] && rtu=--rtu
	hostile_start 0 $rtu || { t_ok 1 "hostile.py starts"; return; }
	now_out=$HOSTILE_OUT
	hostile_start 5 $rtu || { t_ok 1 "hostile.py starts"; return; }
	later_out=$HOSTILE_OUT
	modes=$(awk -v k="$kind" '$2 == k { print $1 }' "$now_out")
	t_ok "$([ "$(echo $modes | wc -w)" -ge 30 ] || [ -n "${HOSTILE_MODES:-}" ] && echo 0 || echo 1)" \
		"at least 30 modes ($(echo $modes | wc -w))"
	pids=""
	for m in $modes; do
		hostile_mode "$kind" "$m" &
		pids="$pids $!"
		set -- $pids
		if [ $# -ge "$HOSTILE_JOBS" ]; then wait $1; shift; pids="$*"; fi
	done
	for p in $pids; do wait "$p"; done   # not the servers, they never end
	for m in $modes; do
		_o="$T_TMP/$kind-$m"
		rc=$(cat "$_o.probe.rc"); out=$(cat "$_o.probe")
		ended "$rc" "$kind $m: probe ends by itself"
		[ "$rc" -eq 0 ] || t_like "$out" "^zcs-commission: .{20}" "$kind $m: probe names what went wrong"
		case "$HOSTILE_GOOD" in *" $m "*) ;; *)
			[ "$rc" -eq 0 ] && t_unlike "$out" "^serial +ZM2E" "$kind $m: probe does not take garbage for the unit";;
		esac
		rc=$(cat "$_o.read.rc")
		ended "$rc" "$kind $m: read ends by itself"
		[ "$rc" -eq 0 ] || t_like "$(cat "$_o.read")" "zcs-commission: .{20}" "$kind $m: read names what went wrong"
		rc=$(cat "$_o.run.rc")
		ended "$rc" "$kind $m: run ends by itself"
		t_is "$(sqlite3 "$_o.db" "select count(*) from sessions" 2>&1)" 1 \
			"$kind $m: the session is recorded" || sed 's/^/#   /' "$_o.run" | tail -5
		case "$HOSTILE_GOOD" in *" $m "*) continue;; esac
		case "$HOSTILE_PARTIAL" in *" $m "*)
			t_unlike "$(cat "$_o.run")" "^\[PASS\] session.identity" \
				"$kind $m: the identity step does not pass"
			continue;;
		esac
		passed=$(awk '/^\[/ { p = ($1 == "[PASS]"); id = $2 } /^ +evidence:/ && p { print id }' \
			"$_o.run" | tr '\n' ' ')
		t_is "$passed" "" "$kind $m: no live step passes" || sed 's/^/#   /' "$_o.run" | head -30
	done
}
