#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run passes with the exchange measured by a DDSU666 (with and without a
# production meter) and by a DTSU666.  The CT is t0400.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

for ex in ddsu ddsu-production dtsu; do run_example $ex; done
run_wait
for ex in ddsu ddsu-production dtsu; do check_clean_run $ex; done
t_like "$(cat "$T_TMP/ddsu.log")" "\[PASS\] grid.ddsu " "DDSU: the meter talks to the inverter"
t_like "$(cat "$T_TMP/ddsu-production.log")" "\[PASS\] sign.production " \
	"production meter shows positive power"
t_like "$(cat "$T_TMP/dtsu.log")" "\[PASS\] grid.dtsu-pf " "DTSU: power factor of every phase"
t_like "$(cat "$T_TMP/dtsu.log")" "\[PASS\] sign.dtsu-phases " "DTSU: the sign of every phase"
t_done
