#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What the guide asks and is now judged fails where it should, each with its
# own remedy: a CT cable of 50 m or more (11.1); a DTSU beyond 100 m without
# terminators (11.8); a DTSU phase under 1 kW during the sign check (11.10).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

sed 's/^grid.ct_distance .*/grid.ct_distance 60/' "$ZCS_DATA_DIR/examples/azzurro-ct.ans" >"$T_TMP/ct.ans"
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
run_start ct "$T_TMP/ct.ans"
sed -e 's/^grid.dtsu_distance .*/grid.dtsu_distance 150/' \
    -e 's/^sign.dtsu_p .*/sign.dtsu_p "-1.5 -0.4 -1.1"/' \
    "$ZCS_DATA_DIR/examples/dtsu.ans" >"$T_TMP/dtsu.ans"
sim_start clean-dtsu || { t_ok 1 "simulator starts"; t_done; exit 1; }
run_start dtsu "$T_TMP/dtsu.ans"
run_wait

t_is "$(failed_steps "$T_TMP/ct.log")" "grid.ct" "a 60 m CT cable fails grid.ct only"
t_like "$(cat "$T_TMP/ct.log")" "CT cable 60 m, under 50 m: FAIL" "the rule says what was measured"
t_like "$(cat "$T_TMP/ct.log")" "remedy: The CT is for less than 50 m" "with the remedy of section 11.1"
t_is "$(failed_steps "$T_TMP/dtsu.log")" "grid.dtsu sign.dtsu-phases" \
	"150 m without terminators and a phase under 1 kW fail their steps only"
t_like "$(cat "$T_TMP/dtsu.log")" "remedy: Over 100 m \(section 11.8\): fit two 120 ohm resistors" \
	"terminators beyond 100 m (11.8)"
t_like "$(cat "$T_TMP/dtsu.log")" "Pb -0.40 kW: more than 1000 W on phase S: FAIL" "Pb under 1 kW is judged"
t_like "$(cat "$T_TMP/dtsu.log")" "switch on more loads on phase S" "with its own remedy"
t_done
