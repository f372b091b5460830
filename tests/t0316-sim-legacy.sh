#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim serving a legacy HYD-ES unit (hyd-es.map, identity on FC 0x04):
# the wizard's identification falls back to the legacy place.
. "$(dirname "$0")/lib.sh"

sim_start legacy-hyd-es --rtu || t_skip_all "zcs-sim did not start"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "probe of a legacy unit succeeds"
t_like "$out" '^layout +HYD-ES$' "identified as HYD-ES (legacy)"
t_like "$out" '^serial +ZM1E' "serial read at the legacy place"
t_like "$out" 'Running state +normal/charging \(2\)' "live: legacy running state"
t_like "$out" 'Battery power +2\.20 kW' "live: battery charging (+)"
L="--port $SIM_RTU --map hyd-es"
t_is "$(zc_value bat_dod $L)" 80 "FC 0x04 battery DoD over RTU: 80 % (Pylontech)"
t_is "$(zc_value bat_capacity $L)" 100 "FC 0x04 capacity: 2 x 50 Ah"
out=$("$ZC" read --tcp "$SIM_TCP" --map g3 grid_power 2>&1); rc=$?
t_is "$rc" 4 "a G3 address on a legacy unit: exception (exit 4)"
t_like "$out" "illegal data address" "illegal data address"
sim_ctl pv 0 >/dev/null; sim_ctl load 1500 >/dev/null
t_is "$(zc_value grid_power --tcp "$SIM_TCP" --map hyd-es)" 0.00 "night: the battery covers the load"
t_like "$(zc_text run_state --tcp "$SIM_TCP" --map hyd-es)" "discharging" "running state: discharging"
t_done
