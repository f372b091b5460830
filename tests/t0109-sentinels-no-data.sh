#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Values that mean "not available" never pass a check, and a step whose
# live values never arrive fails after a bounded time with a named reason
# instead of waiting forever.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
sim_ctl set pv1_voltage 6553.5 >/dev/null
sim_ctl set pv2_voltage 6553.5 >/dev/null
sim_ctl set grid_power 327.67 >/dev/null
out=$("$ZC" read --tcp "$SIM_TCP" --raw pv1_voltage grid_power 2>&1); rc=$?
t_like "$out" "pv1_voltage +not available \(0xFFFF\)" "read: a u16 at 0xFFFF is not available, not 6553.5 V"
t_like "$out" "grid_power +not available \(0x7FFF\)" "read: an s16 at 0x7FFF is not available"
out=$(timeout 120 "$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" \
	--window-scale "$RUN_SCALE" --db "$T_TMP/s.db" --act "$ZSIM ctl $SIM_CTL" 2>&1); rc=$?
t_is "$rc" 1 "run: exit 1"
t_like "$out" "pv[12]_voltage reads not available \(0xFFFF\): the unit says it has no value" \
	"a PV string at 0xFFFF is named as no value"
t_unlike "$(printf '%s\n' "$out" | grep -A3 '^\[PASS\]')" "6553\.5|327\.67" \
	"no step passes on a sentinel"
t_unlike "$out" "^\[PASS\] sign\.loads" "the grid-point sign does not pass on 0x7FFF"

# Identification works, then no read does: the step fails in bounded time.
sim_start clean || t_skip_all "zcs-sim did not start"
( "$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" --timeout 300 \
	--window-scale "$RUN_SCALE" --db "$T_TMP/d.db" --act "$ZSIM ctl $SIM_CTL" \
	>"$T_TMP/dead.log" 2>&1; echo $? >"$T_TMP/dead.rc" ) &
runpid=$!
# the unit is identified once it has power (section 12), at session.identity
i=0; while ! grep -q "identified: unit " "$T_TMP/dead.log" 2>/dev/null && [ $i -lt 1200 ]; do
	sleep 0.05; i=$((i + 1)); done
sim_ctl fault link-silent on >/dev/null
i=0; while kill -0 $runpid 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
t_ok "$(kill -0 $runpid 2>/dev/null && echo 1 || echo 0)" "run ends by itself when no live value arrives"
kill $runpid 2>/dev/null
t_is "$(cat "$T_TMP/dead.rc" 2>/dev/null)" 3 "exit 3 (link)"
t_like "$(cat "$T_TMP/dead.log")" "no live values arrived in [0-9.]+ s: the unit is connected but every read failed" \
	"the step fails with the named reason"
t_like "$(cat "$T_TMP/dead.log")" "^stopped at step [a-z.0-9-]+: the unit answers its identity but no live value arrives" \
	"the run stops and says why"
t_like "$(sqlite3 "$T_TMP/d.db" "select count(*) from sessions" 2>&1)" "^1$" "the session is recorded"
t_done
