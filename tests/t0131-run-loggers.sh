#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A whole commissioning run through each data logger stick: over RTU over
# TCP (ZSM-ETH-USB), and over Solarman V5 (ZSM-WIFI-USB) with a 15 s cloud
# upload stall in the middle, which pauses the run ("logger busy") and
# fails no step.  The two runs go side by side, each with its simulator.
. "$(dirname "$0")/lib.sh"

sim_start clean --rtu-over-tcp 0 || t_skip_all "zcs-sim did not start"
RT=$SIM_RTUTCP CTL_RT=$SIM_CTL
sim_start clean --v5 0 --logger-serial 1782345394 || t_skip_all "zcs-sim did not start"

"$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --rtu-over-tcp "$RT" \
	--window-scale 0.1 --db "$T_TMP/rt.db" --act "$ZSIM ctl $CTL_RT" \
	>"$T_TMP/rt.out" 2>&1 &
rt_pid=$!
"$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --solarman "$SIM_V5" \
	--logger-serial 1782345394 --window-scale 0.1 --db "$T_TMP/v5.db" \
	--act "$ZSIM ctl $SIM_CTL" >"$T_TMP/v5.out" 2>&1 &
v5_pid=$!

# once the unit is identified, the stick uploads to its cloud for 15 s
i=0
while ! grep -q 'PASS\] session.identity' "$T_TMP/v5.out" && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1))
done
sim_ctl fault logger-stall on 15 >/dev/null
t_ok $? "the stall begins mid-run, after the identity step"

wait $rt_pid; rc=$?
out=$(cat "$T_TMP/rt.out")
t_is "$rc" 0 "run over RTU over TCP: every applicable step passes"
t_like "$out" "commissioning complete: every applicable step passed" "... the summary says so"
t_unlike "$out" '^\[FAIL\]' "... no step fails"
t_like "$out" "Total capacity 200 Ah for 2 x 100 Ah" "... live checks read through the stick"

wait $v5_pid; rc=$?
out=$(cat "$T_TMP/v5.out")
t_is "$rc" 0 "run over Solarman V5 with a 15 s stall: every applicable step passes"
t_unlike "$out" '^\[FAIL\]' "... no step fails during or after the stall"
t_like "$out" 'logger busy: .*is busy: no answer for [0-9]+ s .*checks paused, their clocks stopped' \
	"the stall shows as 'logger busy'"
t_like "$out" 'logger ready: the logger answers again after 1[0-9]\.[0-9] s' \
	"... and its end, after about 15 s"
t_unlike "$out" 'link lost' "the link is never called lost"
t_like "$out" "written and read back" "the DoD write goes through V5 (FC 0x10 in a V5 frame)"
ev=$(sqlite3 "$T_TMP/v5.db" "SELECT group_concat(kind, ' ') FROM events" 2>/dev/null)
t_like "$ev" "busy ready" "the record keeps the stall (busy, ready)"
t_done
