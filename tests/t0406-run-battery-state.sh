#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The operation checks of section 25 know the battery's state: a bank on its
# first charge (WeCo, Azzurro: note of section 14) charges whatever the PV
# does, and the discharge and stand-by checks are deferred with the reason
# recorded; a full bank stands by and the surplus is exported; a bank at its
# DoD limit does not discharge.  Each passes clean with its example.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

for ex in first-charge full-bank empty-bank; do run_example $ex; done
run_wait
for ex in first-charge full-bank empty-bank; do check_clean_run $ex; done
fc=$(cat "$T_TMP/first-charge.log")
t_like "$fc" "First charge: battery charging \([1-9][0-9.]* kW, SOC [0-9]+ %\): yes: ok" "first charge: the battery charges"
t_like "$fc" "\[N/A \] op.discharge " "first charge: no discharge check"
t_like "$fc" "\[N/A \] op.standby " "first charge: no stand-by check"
t_like "$fc" "op.discharge and op.standby deferred: first charge of the Azzurro ZSX5000 bank" \
	"the deferral and its reason are recorded"
t_like "$fc" "confirmed by Mario Rossi: The discharge and stand-by checks follow" "and who was told"
fb=$(cat "$T_TMP/full-bank.log")
t_like "$fb" "Battery full \(SOC 100 %\): stand-by, surplus exported: 0 kW, grid point [1-9][0-9.]* kW: yes: ok" \
	"full bank: stand-by and export is right with PV above the load"
eb=$(cat "$T_TMP/empty-bank.log")
t_like "$eb" "Battery at its DoD limit: no discharge \(SOC 1[0-9] % from the BMS, DoD 80 %\): 0 kW: yes: ok" \
	"empty bank: no discharge is right with PV below the load"


# what stays wrong: a bank whose BMS does not talk reads SOC 0, below its DoD
# limit, yet op.discharge fails (tests/faults.expect: fault-bat-comm-lost).
t_like "$(grep '^fault-bat-comm-lost' "$(dirname "$0")/faults.expect")" "op.discharge" \
	"a silent BMS does not pass the DoD-limit case"
t_done
