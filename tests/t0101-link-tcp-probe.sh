#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The foundation's link over a real Modbus TCP conversation with zcs-sim:
# probe identifies the clean plant and shows live values; read prints raw
# words and JSON.
. "$(dirname "$0")/lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "probe --tcp 127.0.0.1:PORT succeeds"
t_like "$out" '^serial +ZM2ES060M1E001$' "prints the serial"
t_like "$out" '^layout +G3$' "prints layout G3"
t_like "$out" '^model +HYD-ZSS-HP$' "prints the model"
t_like "$out" '^firmware +COM V110, master DSP V120' "prints the firmware"
t_like "$out" 'System state +on-grid \(2\)' "live: system state"
t_like "$out" 'Grid voltage R +230\.0 V' "live: grid voltage"
t_like "$out" 'Battery state of charge +60 %' "live: SOC"
t_like "$out" 'PV1 power +1\.50 kW' "live: PV1 power"
t_like "$out" '^requests +[0-9]+ reads? for 22 values' "prints the requests the snapshot took"

sim_ctl pv 4000 >/dev/null
t_like "$("$ZC" probe --tcp "$SIM_TCP")" 'PV total power +4\.0 kW' "the live values move with the plant"

out=$("$ZC" read --tcp "$SIM_TCP" --raw bat_soc grid_frequency)
t_like "$out" '^bat_soc +60 % +\[0x003C\]$' "read --raw shows the words"
t_like "$out" '^grid_frequency +50\.00 Hz +\[0x1388\]$' "a scaled value and its word"
out=$("$ZC" read --tcp "$SIM_TCP" --json --map g3 bat_power)
t_like "$out" '"name":"bat_power","ok":true,"value":[0-9.]+' "read --json"
t_done
