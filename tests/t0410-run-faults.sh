#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# For every fault scenario of the simulator, run fails at the step where
# the installer guide catches it (tests/faults.expect), shows the manual's
# remedy there, and fails nothing else.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

expect="$(dirname "$0")/faults.expect"
grep -v '^#' "$expect" | grep . >"$T_TMP/cases"

# three runs at a time, each against its own simulator
n=0
batch=""
while read -r scn ex declined steps; do
	if sim_start "$scn"; then
		batch="$batch $SIM_PID"
		answers_without "$ex" "$declined" "$T_TMP/$scn.ans"
		run_start "$scn" "$T_TMP/$scn.ans"
	fi
	n=$((n + 1))
	if [ $((n % 3)) -eq 0 ]; then
		run_wait
		for p in $batch; do sim_stop "$p"; done
		batch=""
	fi
done <"$T_TMP/cases"
run_wait

while read -r scn ex declined steps; do
	want=$(echo $steps | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
	t_is "$(cat "$T_TMP/$scn.rc" 2>/dev/null)" 1 "$scn: run exits 1 (a step failed)"
	t_is "$(failed_steps "$T_TMP/$scn.log")" "$want" "$scn: fails exactly at $steps"
	t_is "$(remedies_shown "$T_TMP/$scn.log")" "$want" "$scn: each failed step shows its remedy"
done <"$T_TMP/cases"

# A step with several failing checks shows every one's own remedy, not only
# the first's: battery communication lost fails both the ID157 check and
# the state of charge of op.batteries-on.
block=$(awk '/^\[/ { on = ($2 == "op.batteries-on") } on' "$T_TMP/fault-bat-comm-lost.log")
t_like "$block" "remedy: ID157: check the battery type" "op.batteries-on: the ID157 check's remedy"
t_like "$block" "  The BMS reports no state of charge" "op.batteries-on: and the state of charge check's remedy too"
t_done
