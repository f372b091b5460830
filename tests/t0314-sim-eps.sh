#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim EPS (18.3-18.4): on grid loss with EPS on, the LOAD output
# carries 230 V after the activation time, within the battery family's
# EPS limit; 0 V with EPS off.
. "$(dirname "$0")/lib.sh"

sim_start eps || t_skip_all "zcs-sim did not start"
t_is "$(zc_text eps_control)" "1 (on (no cold start))" "EPS enabled in the scenario"
sim_ctl speed 100 >/dev/null       # the 5 s activation time passes in 50 ms
sim_ctl grid off >/dev/null
i=0; while [ "$(sim_state inv1.eps)" != on ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done
t_is "$(zc_value eps_voltage)" 230.0 "grid lost: LOAD output at 230 V"
t_like "$(zc_text system_state)" "^3 " "state EPS (3)"
t_is "$(zc_value eps_power)" 1.50 "EPS carries the 1.5 kW of critical loads (not the other 0.5 kW)"
t_is "$(zc_value bat_power)" -1.50 "from the battery (-)"
t_is "$(zc_value grid_power)" 0.00 "nothing at the grid point"
# 2 x ZSX5000: 2 x 2500 W (18.4); 5.5 kW is over it: the output trips.
sim_ctl load 6000 >/dev/null; sim_ctl critical 5500 >/dev/null
t_is "$(zc_value eps_voltage)" 0.0 "over the Azzurro EPS limit: the output trips"
sim_ctl critical 1000 >/dev/null
i=0; while [ "$(sim_state inv1.eps)" != on ] && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done
t_is "$(zc_value eps_voltage)" 230.0 "load reduced: back on"
sim_ctl grid on >/dev/null
t_is "$(zc_text system_state)" "2 (on-grid)" "grid back: on-grid"

# EPS switched off (as the wizard would write it): no output on grid loss.
E=$(map_addr g3 eps)
t_like "$("$MBRAW" "$SIM_TCP" 1 "10 $E 0002 04 0000 0005")" '^10 ' "EPS off written over Modbus"
sim_ctl grid off >/dev/null; sleep 0.3
t_is "$(zc_value eps_voltage)" 0.0 "EPS off: LOAD output 0 V"
t_is "$(zc_value bat_power)" 0.00 "EPS off: the battery idles"
sim_ctl grid on >/dev/null

# The AC breaker open is a grid loss for the inverter.
"$MBRAW" "$SIM_TCP" 1 "10 $E 0002 04 0001 0000" >/dev/null
sim_ctl load 2500 >/dev/null; sim_ctl critical 1000 >/dev/null
sim_ctl breaker off >/dev/null; sleep 0.3
t_is "$(zc_value eps_voltage)" 230.0 "breaker open, EPS on, no wait: LOAD output at 230 V"
t_is "$(zc_value grid_voltage)" 0.0 "breaker open: the inverter sees no grid"
t_is "$(zc_value eps_power)" 1.00 "the critical loads run from the inverter"
t_is "$(zc_value grid_power)" -1.50 "the other loads import through the CT (-)"

# Pylontech: one US2000 supports 1100 W of EPS (18.4).
sim_start clean-us2000 || t_skip_all "zcs-sim did not start"
"$MBRAW" "$SIM_TCP" 1 "10 $E 0002 04 0001 0000" >/dev/null
sim_ctl fault fewer-batteries on 2 >/dev/null      # one battery seen
sim_ctl load 2000 >/dev/null; sim_ctl critical 1000 >/dev/null; sim_ctl grid off >/dev/null
t_is "$(zc_value eps_voltage)" 230.0 "one US2000: 1000 W runs"
sim_ctl critical 1200 >/dev/null
t_is "$(zc_value eps_voltage)" 0.0 "one US2000: 1200 W is over 1100 W, the output trips"
t_done
