#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run passes one clean plant of each battery family: Pylontech (3 x US2000,
# one string), WeCo (2 x 5K3) and Azzurro (4 x ZSX5000S).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

for ex in pylontech weco azzurro; do run_example $ex; done
run_wait
for ex in pylontech weco azzurro; do check_clean_run $ex; done
t_like "$(cat "$T_TMP/pylontech.log")" "\[PASS\] inv.y-cable" "one string: the Y cable is confirmed"
t_like "$(cat "$T_TMP/pylontech.log")" "\[PASS\] batteries.dip" "Pylontech DIP positions are recorded"
t_like "$(cat "$T_TMP/weco.log")" "\[PASS\] batteries.5k3-low-voltage" "WeCo 5K3: low-voltage section only"
t_like "$(cat "$T_TMP/weco.log")" "Depth of discharge \(on grid\) \(0x104D, slave 1\) 90 % -> 80 %" \
	"WeCo: the DoD write is offered from 90 % to the recommended 80 %"
t_like "$(cat "$T_TMP/azzurro.log")" "\[PASS\] batteries.alignment" "Azzurro: voltages aligned before paralleling"
t_like "$(cat "$T_TMP/azzurro.log")" "\[N/A \] batteries.dip" "ZSX5000S: no DIP switches"
t_like "$(cat "$T_TMP/azzurro.log")" "Total capacity 400 Ah for 4 x 100 Ah" "Azzurro: 4 x 100 Ah seen"
t_done
