# SPDX-License-Identifier: GPL-3.0-or-later
# tests/run-lib.sh: helpers for the tests of `zcs-commission run`; source
# after lib.sh.
#
# run_scale: evidence windows shortened for tests (the shipped windows span
# several seconds).
RUN_SCALE=${RUN_SCALE:-0.05}

# example_scenario EXAMPLE: the zcs-sim scenario an example names.
example_scenario() {
	sed -n 's/^# scenario: *//p' "$ZCS_DATA_DIR/examples/$1.ans" | awk '{ print $1; exit }'
}

# answers_without EXAMPLE STEP,STEP OUT: the example with the writes of
# those steps declined ('-' keeps every write).
answers_without() {
	cp "$ZCS_DATA_DIR/examples/$1.ans" "$3"
	for _aw in $(echo "$2" | tr ',' ' '); do
		[ "$_aw" = - ] || sed -i "/^write $_aw /d" "$3"
	done
}

# run_start NAME ANSWERS: start `run` in the background against the last
# simulator started; its output goes to $T_TMP/NAME.log, its exit code to
# $T_TMP/NAME.rc.
RUN_PIDS=""
run_start() {
	( "$ZC" run --answers "$2" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" \
		--act "$ZSIM ctl $SIM_CTL" >"$T_TMP/$1.log" 2>&1 </dev/null
	  echo $? >"$T_TMP/$1.rc" ) >/dev/null 2>&1 &
	RUN_PIDS="$RUN_PIDS $!"
}

# run_wait: wait for the runs started (not for the simulators).
run_wait() {
	for _rp in $RUN_PIDS; do wait "$_rp"; done
	RUN_PIDS=""
}

# run_example EXAMPLE: start its scenario and run it (background).
run_example() {
	sim_start "$(example_scenario "$1")" || return 1
	run_start "$1" "$ZCS_DATA_DIR/examples/$1.ans"
}

# failed_steps LOG: the ids of the failed steps, one line, sorted.
failed_steps() {
	awk '/^\[FAIL\]/ { print $2 }' "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}

# remedies_shown LOG: the failed steps followed by a "remedy:" line.
remedies_shown() {
	awk '/^\[/ { step = ($1 == "[FAIL]") ? $2 : "" }
	     /^ +remedy: / && step != "" { print step; step = "" }' "$1" |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# check_clean_run EXAMPLE: the TAP checks of a clean example.
check_clean_run() {
	_rc=$(cat "$T_TMP/$1.rc" 2>/dev/null)
	t_is "$_rc" 0 "$1: every applicable step passes against $(example_scenario "$1")"
	[ "$_rc" = 0 ] || sed 's/^/#   /' "$T_TMP/$1.log" | grep -E "FAIL|remedy|stopped" | head -20
	t_like "$(cat "$T_TMP/$1.log")" "commissioning complete" "$1: the summary says complete"
}
