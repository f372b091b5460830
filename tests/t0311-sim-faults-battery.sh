#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim battery faults: what Battery Info (15.2) and the battery settings
# show on site, and that the wizard's fix (a battery block write) clears
# the fault when the fault is a setting.
. "$(dirname "$0")/lib.sh"

# --- battery communication lost ---
sim_start fault-bat-comm-lost || t_skip_all "zcs-sim did not start"
t_like "$(zc_text fault_words)" "ID157" "bat-comm-lost: ID157 lithium battery communication error"
t_is "$(zc_value bat_soc)" 0 "bat-comm-lost: no SOC"
t_is "$(zc_value bat_power)" 0.00 "bat-comm-lost: the battery does not take the surplus"
t_is "$(zc_value grid_power)" 2.20 "bat-comm-lost: the surplus is exported instead"
sim_ctl fault bat-comm-lost off >/dev/null
t_is "$(zc_value bat_soc)" 60 "fixed: SOC back"
t_is "$(zc_text fault_words)" "none" "fixed: ID157 cleared"
sim_batteries_off >/dev/null
t_is "$(zc_value bat_voltage)" 0.0 "battery switches off: no battery voltage"
t_like "$(zc_text fault_words)" "^none$" "battery switched off is not a communication fault"

# --- fewer batteries seen than installed ---
sim_start fault-fewer-batteries || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_capacity)" 300 "fewer-batteries: 300 Ah seen, 4 x 100 Ah installed"
sim_ctl fault fewer-batteries on 2 >/dev/null
t_is "$(zc_value bat_capacity)" 200 "fewer-batteries ARG 2: 200 Ah"
sim_ctl fault fewer-batteries off >/dev/null
t_is "$(zc_value bat_capacity)" 400 "fixed: 400 Ah = 4 x 100 Ah"

# --- battery type set wrong: the type is read only in g3.map (no step
# writes it), so a block write that changes it is refused and the fix is
# made on the display (bset.type's remedy) ---
sim_start fault-bat-type-wrong || t_skip_all "zcs-sim did not start"
t_is "$(zc_text bat_protocol)" "7 (WeCo)" "bat-type-wrong: a Pylontech bank set to WeCo"
t_like "$(zc_text fault_words)" "ID157" "bat-type-wrong: the BMS does not answer (ID157)"
BAT=$(map_addr g3 battery)
block() {   # the block as read, word $1 replaced by $2, commit set
	"$MBRAW" "$SIM_TCP" 1 "03 $BAT 0018" | cut -d' ' -f3- | awk -v k0="$1" -v w="$2" '{
	for (k = 0; k < 24; k++) { v = $(2*k+1) $(2*k+2)
		if (k == k0) v = w; if (k == 15) v = "0001"; printf " %s", v } }'
}
t_like "$("$MBRAW" "$SIM_TCP" 1 "10 $BAT 0018 30 $(block 2 0001)")" '^90 02' \
	"a block write changing the type (read only) is refused: exception 02"
t_is "$(zc_text bat_protocol)" "7 (WeCo)" "refused: the type is unchanged"
t_like "$("$MBRAW" "$SIM_TCP" 1 "10 $BAT 0018 30 $(block 9 0032)")" '^10 ' \
	"the block echoing the type, with DoD 50 % and commit, is accepted"
t_is "$(zc_value bat_dod)" 50 "accepted: DoD 50 %"
sim_ctl fault bat-type-wrong off >/dev/null
t_is "$(zc_text bat_protocol)" "1 (Pylon)" "fixed on the display: type Pylon"
t_is "$(zc_text fault_words)" "none" "fixed: ID157 cleared"
t_is "$(zc_value bat_soc)" 70 "fixed: SOC reported"

# --- DoD above the model's maximum ---
sim_start fault-dod-too-high || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_dod)" 90 "dod-too-high: DoD 90 % on Pylontech US2000 (max 80 %)"
sim_ctl fault dod-too-high off >/dev/null
t_is "$(zc_value bat_dod)" 80 "fixed: DoD 80 %"
sim_start clean-us2000 || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_capacity)" 150 "clean US2000 bank: 3 x 50 Ah"
t_is "$(zc_text bat_protocol)" "1 (Pylon)" "clean US2000 bank: type Pylon"
t_is "$(zc_value bat_nominal_voltage)" 48.0 "Pylontech nominal voltage 48.0 V"
sim_start clean-weco || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_capacity)" 200 "clean WeCo 5K3 bank: 2 x 100 Ah"
t_is "$(zc_text bat_protocol)" "7 (WeCo)" "clean WeCo bank: type WeCo"
t_is "$(zc_value bat_charge_voltage)" 58.4 "WeCo max charge voltage 58.4 V (15.2)"
sim_start clean-weco-4k4 || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_capacity)" 258 "clean WeCo 4K4 PRO bank: 3 x 86 Ah"
sim_start clean-us5000 || t_skip_all "zcs-sim did not start"
t_like "$(zc_value bat_capacity)" '^[0-9]+$' "clean US5000 bank: a capacity"
t_done
