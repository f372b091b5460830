#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-commission run walks the whole procedure against the clean plant:
# two Azzurro ZSX5000, a CT on the exchange, one inverter.
. "$(dirname "$0")/lib.sh"

sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
out=$("$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" \
	--window-scale 0.1 --evidence --act "$ZSIM ctl $SIM_CTL" 2>&1)
rc=$?
t_is "$rc" 0 "every applicable step passes: exit 0"
t_like "$out" "commissioning complete: every applicable step passed" "the summary says so"
t_unlike "$out" "^\[FAIL\]" "no step fails"
t_like "$out" "\[PASS\] bset.info .*15.2" "Battery Info is checked (15.2)"
t_like "$out" "Total capacity 200 Ah for 2 x 100 Ah" "capacity is count x module Ah"
t_like "$out" "\[PASS\] sign.loads " "grid-point sign is checked with the clamp"
t_like "$out" "\[N/A \] eps.blackout " "EPS steps do not apply without EPS"
t_like "$out" "evidence: [0-9]+ polls over" "live verdicts show their evidence window"
t_like "$out" "Z slave 1 grid_power +-1.5 kW +\\[FF6A\\]" \
	"--evidence prints every sample with its register words"
t_like "$out" "written and read back \(confirmed by Mario Rossi\)" \
	"the DoD write is applied only with 'write bset.dod yes' and read back"
t_is "$(zc_value bat_dod)" 80 "the inverter holds the DoD written (80 %)"
t_done
