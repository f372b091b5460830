#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run passes with EPS (a live blackout test on the LOAD output), with zero
# feed-in, and with three inverters in parallel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

for ex in eps parallel-3 zero-feed-in; do run_example $ex; done
run_wait
for ex in eps parallel-3 zero-feed-in; do check_clean_run $ex; done
eps=$(cat "$T_TMP/eps.log")
t_like "$eps" "\[PASS\] eps.blackout " "blackout: the LOAD output carries 230 V"
t_like "$eps" "LOAD \(EPS\) output voltage 2[0-9][0-9]\.[0-9] V" "the EPS voltage read is the evidence"
t_like "$eps" "\[PASS\] eps.restore " "grid restored: back on grid"
t_like "$eps" "\[N/A \] par.settings " "one inverter: no parallel steps"
par=$(cat "$T_TMP/parallel-3.log")
t_like "$par" "unit 2 \(slave 3\): Parallel address 2, expected 2: ok" "every unit has its own address"
t_like "$par" "\[PASS\] par.consistency " "every unit consistent with the primary"
t_like "$par" "Depth of discharge \(on grid\) \(0x104D, slave 2\) 90 % -> 80 %" \
	"a replica's DoD is aligned to the primary's, by an offered write"
zfi=$(cat "$T_TMP/zero-feed-in.log")
t_like "$zfi" "Feed-in limit \\(0x1024, slave 1\\) 0.0 kW -> 0.5 kW" "the export limit is offered as a write"
t_like "$zfi" "\\[PASS\\] zfi.live " "the export stays under the limit with PV well above the load"
t_done
