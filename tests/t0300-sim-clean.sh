#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim, clean scenario: the plant moves when the control channel changes
# PV, load or the grid, with the signs of the installer guide.
. "$(dirname "$0")/lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
t_like "$(cat "$SIM_OUT")" '^tcp 127\.0\.0\.1:[0-9]+$' "prints the TCP address it serves"
t_like "$(cat "$SIM_OUT")" "^control $SIM_CTL\$" "prints the control socket"

out=$("$ZC" probe --tcp "$SIM_TCP"); rc=$?
t_is "$rc" 0 "zcs-commission probe succeeds"
t_like "$out" 'serial +ZM2E' "probe shows a ZM2E serial"
t_like "$out" 'layout +G3' "probe shows layout G3"
t_like "$out" 'model +HYD-ZSS-HP' "probe shows the model"
t_like "$out" 'PV total power +3\.0 kW' "probe shows live PV power"

# PV 3000, load 800, battery 60 %: surplus charges the battery (+).
t_is "$(zc_value bat_power)" 2.20 "surplus charges the battery (+)"
t_is "$(zc_value grid_power)" 0.00 "nothing exported while the battery takes the surplus"

# Battery full: the surplus is exported (+).
sim_ctl soc 100 >/dev/null
t_is "$(zc_value bat_power)" 0.00 "full battery: standby"
t_is "$(zc_value grid_power)" 2.20 "full battery: the surplus is exported (+)"

# Night: load 1500, battery discharges (-), nothing imported.
sim_ctl soc 60 >/dev/null; sim_ctl pv 0 >/dev/null; sim_ctl load 1500 >/dev/null
t_is "$(zc_value bat_power)" -1.50 "deficit discharges the battery (-)"
t_is "$(zc_value grid_power)" 0.00 "the battery covers the load"
t_is "$(zc_value load_power)" 1.50 "house load as set"

# Empty battery (SOC at 100-DoD): standby, the load is imported (-).
sim_ctl soc 10 >/dev/null
t_is "$(zc_value bat_power)" 0.00 "empty battery: standby"
t_is "$(zc_value grid_power)" -1.50 "empty battery: the load is imported (-)"

# Within 100 W: standby.
sim_ctl soc 60 >/dev/null; sim_ctl pv 1550 >/dev/null
t_is "$(zc_value bat_power)" 0.00 "PV and load within 100 W: standby"

# Charging limited: the battery block sets 65 A (2 x ZSX5000's BMS allows
# 100 A), so with 9 kW of sun the rest is exported (the AC side at most 6 kW).
sim_ctl pv 9000 >/dev/null; sim_ctl load 500 >/dev/null
bat=$(zc_value bat_power); grid=$(zc_value grid_power)
t_is "$bat" 3.35 "charging limited to 65 A x 51.6 V"
t_like "$grid" '^[1-9]\.[0-9]+$' "the rest of the surplus is exported (+): $grid"

# Grid lost, EPS off: no output, state waiting.
sim_ctl grid off >/dev/null
t_is "$(zc_value grid_voltage)" 0.0 "grid lost: grid voltage 0"
t_is "$(zc_value eps_voltage)" 0.0 "EPS off: LOAD output 0 V"
t_is "$(zc_value system_state)" 0 "EPS off: waiting"
sim_ctl grid on >/dev/null
t_is "$(zc_value system_state)" 2 "grid back: on-grid"

# DC switch off: PV strings at 0 V.
sim_ctl dc off >/dev/null
t_is "$(zc_value pv1_voltage)" 0.0 "DC switch off: PV1 at 0 V"
sim_ctl dc on >/dev/null
t_like "$(zc_value pv1_voltage)" '^3[0-9][0-9]\.[0-9]$' "DC switch on: PV1 voltage back"

# state and errors on the control channel
t_is "$(sim_state grid)" on "state: grid on"
t_is "$(sim_state inv1.batteries)" "2 zsx5000" "state: the battery bank"
err=$(sim_ctl bogus 2>&1); rc=$?
t_ok $((rc == 0)) "an unknown command fails"
t_like "$err" "unknown command 'bogus'" "and says which"
long=$T_TMP/$(printf 'd%.0s' $(seq 120))/ctl
err=$("$ZSIM" ctl "$long" state 2>&1); rc=$?
t_ok $((rc == 0)) "a control socket path too long for a socket fails"
t_like "$err" "too long .*--control" "and says to use a shorter --control path"

sim_ctl quit >/dev/null
i=0; while kill -0 "$SIM_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.05; i=$((i+1)); done
t_ok "$(kill -0 "$SIM_PID" 2>/dev/null && echo 1 || echo 0)" "quit stops the simulator"
t_ok "$([ -e "$SIM_CTL" ] && echo 1 || echo 0)" "and removes its control socket"
t_done
