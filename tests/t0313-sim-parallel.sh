#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim parallel systems (20.1-20.2): three inverters on one bus at
# distinct slave ids, and the parallel setting faults.
. "$(dirname "$0")/lib.sh"

v() { zc_value "$1" --tcp "$SIM_TCP" --slave "$2" --map g3; }
sim_start parallel-3 --rtu || t_skip_all "zcs-sim did not start"
for s in 1 2 3; do
	t_like "$("$ZC" probe --tcp "$SIM_TCP" --slave $s | grep serial)" "ZM2ES060M1E01$s" \
		"slave $s answers with its own serial"
done
t_is "$(v parallel_role 1) $(v parallel_address 1)" "1 0" "slave 1: primary, address 00"
t_is "$(v parallel_role 2) $(v parallel_address 2)" "0 1" "slave 2: replica 01"
t_is "$(v parallel_role 3) $(v parallel_address 3)" "0 2" "slave 3: replica 02"
t_is "$(v system_state 2)" 2 "a healthy parallel system runs"
t_is "$(zc_value bat_soc --port "$SIM_RTU" --slave 3 --map g3)" 60 "slave 3 answers on the RTU line"
out=$("$ZC" read --port "$SIM_RTU" --slave 4 --timeout 200 --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "nobody at slave 4 on the RTU line"

sim_ctl fault parallel-duplicate-address on >/dev/null
t_is "$(v parallel_address 3)" 1 "duplicate address: slave 3 at 01 like slave 2"
t_is "$(v system_state 1) $(v system_state 3)" "4 4" "duplicate address: the system does not start"
sim_ctl fault parallel-duplicate-address off >/dev/null
t_is "$(v system_state 1)" 2 "fixed: running"

sim_start fault-parallel-two-primaries || t_skip_all "zcs-sim did not start"
t_is "$(v parallel_role 1) $(v parallel_role 2)" "1 1" "two primaries: slaves 1 and 2 both primary"
t_is "$(v system_state 2)" 4 "two primaries: the system does not start"
PR=$(map_addr g3 parallel_role); PAR=$(map_addr g3 parallel)
t_is "$("$MBRAW" "$SIM_TCP" 2 "10 $PR 0001 02 0000")" "90 03" \
	"the role alone gets 03: the parallel settings are written in one FC 0x10"
"$MBRAW" "$SIM_TCP" 2 "10 $PAR 0003 06 0001 0000 0001" >/dev/null
t_is "$(v parallel_role 2)" 0 "slave 2 set back to replica over Modbus (enable, role, address)"
t_is "$(v system_state 2)" 2 "fixed: running"

sim_start fault-parallel-replica-battery || t_skip_all "zcs-sim did not start"
t_is "$(v bat_dod 1) $(v bat_dod 2) $(v bat_dod 3)" "90 60 90" \
	"replica battery: replica 01 has DoD 60 %, the primary 90 %"
sim_ctl fault parallel-replica-battery off >/dev/null
t_is "$(v bat_dod 2)" 90 "fixed: the same DoD everywhere"
t_done
