#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim faults in the inverter's own settings and state: PV input mode,
# RS485 address, logic interface, country code, insulation.
. "$(dirname "$0")/lib.sh"

# --- PV input mode independent with one string ---
sim_start fault-pv-mode-single || t_skip_all "zcs-sim did not start"
t_is "$(zc_text pv_input_mode)" "1 (independent)" "pv-mode-single: input mode independent"
t_like "$(zc_text fault_words)" "ID044" "pv-mode-single: ID044 input mode setting error"
t_is "$(zc_value pv2_power)" 0.00 "one string: PV2 empty"
t_is "$(zc_value pv2_voltage)" 0.0 "one string: PV2 at 0 V"
sim_ctl fault pv-mode-single off >/dev/null
t_is "$(zc_text pv_input_mode)" "0 (parallel)" "fixed: input mode parallel"
t_is "$(zc_text fault_words)" "none" "fixed: ID044 cleared"

# --- RS485 address 0 ---
sim_start fault-rs485-address-0 --rtu || t_skip_all "zcs-sim did not start"
t_is "$(zc_value modbus_address)" 0 "rs485-address-0: the address reads 0 (over TCP)"
out=$("$ZC" read --port "$SIM_RTU" --timeout 200 --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "rs485-address-0: no answer on RS485 (exit 3)"
t_like "$out" "no answer from slave 1" "rs485-address-0: 'no answer from slave 1'"
sim_ctl fault rs485-address-0 off >/dev/null
t_is "$(zc_value bat_soc --port "$SIM_RTU" --map g3)" 60 "fixed: RS485 answers"

# --- logic interface enabled ---
sim_start fault-logic-interface || t_skip_all "zcs-sim did not start"
t_is "$(zc_text system_state)" "0 (waiting)" "logic-interface: waiting with the grid present"
t_is "$(zc_value inverter_power)" 0.00 "logic-interface: no output"
t_is "$(zc_value grid_power)" -0.80 "logic-interface: the whole load is imported"
t_is "$(zc_value grid_voltage)" 230.0 "logic-interface: the grid is there"
t_is "$(zc_text logic_interface)" "1 (on)" "logic-interface: the logic interface register reads enabled"
sim_ctl fault logic-interface off >/dev/null
t_is "$(zc_text logic_interface)" "0 (off)" "fixed: the logic interface reads disabled"
t_is "$(zc_text system_state)" "2 (on-grid)" "fixed: on-grid"

# --- country code ---
sim_start fault-wrong-country || t_skip_all "zcs-sim did not start"
t_is "$(zc_raw country_code)" 0x0000 "wrong-country: shown 0x0000 (000-000) instead of the site's 0x0100 (001-000)"
t_is "$(zc_raw country_applied)" 0x0000 "wrong-country: the applied safety set too"
sim_ctl fault wrong-country off >/dev/null
t_is "$(zc_raw country_code)" 0x0100 "fixed: 0x0100, country 001 (Italy) in the high byte, region 000 in the low"
t_is "$(zc_raw country_applied)" 0x0100 "fixed: applied 0x0100 too"

# --- low insulation ---
sim_start fault-low-insulation || t_skip_all "zcs-sim did not start"
t_is "$(zc_value insulation)" 30 "low-insulation: 30 kohm"
t_is "$(zc_text system_state)" "4 (recoverable fault)" "low-insulation: fault state"
t_is "$(zc_value pv_power)" 0.0 "low-insulation: no production"
sim_ctl fault low-insulation off >/dev/null
t_is "$(zc_value insulation)" 2000 "fixed: 2000 kohm"
t_is "$(zc_text system_state)" "2 (on-grid)" "fixed: on-grid"
t_done
