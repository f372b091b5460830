#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# RTU over zcs-sim's pseudo-terminal: a probe, CRC noise, and the USB
# adapter pulled out and plugged back (a new device path).
. "$(dirname "$0")/lib.sh"

sim_start clean --rtu || t_skip_all "zcs-sim did not start"
t_like "$SIM_RTU" '^/dev/pts/[0-9]+$' "prints the pseudo-terminal to connect to"
out=$("$ZC" probe --port "$SIM_RTU" 2>&1); rc=$?
t_is "$rc" 0 "probe over RTU succeeds"
t_like "$out" 'serial +ZM2ES060M1E001' "probe over RTU: the serial"
t_like "$out" "link +$SIM_RTU at 9600 8N1, slave 1" "probe over RTU: the line"

sim_ctl fault link-crc-noise on 1 >/dev/null
out=$("$ZC" read --port "$SIM_RTU" --timeout 300 --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "every reply garbled: exit 3"
t_like "$out" "garbled reply from slave 1 on $SIM_RTU at 9600 8N1 \(CRC error\)" "'garbled reply ... (CRC error)'"
t_like "$out" "120 ohm terminator" "and what to check"
sim_ctl fault link-crc-noise off >/dev/null
t_is "$(zc_value bat_soc --port "$SIM_RTU" --map g3)" 60 "noise gone: reads again"

old=$SIM_RTU
sim_ctl rtu unplug >/dev/null
out=$("$ZC" read --port "$old" --timeout 300 --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "adapter pulled: exit 3"
t_like "$out" "no serial device $old: is the USB-RS485 adapter plugged in\?" "'no serial device ... plugged in?'"
new=$(sim_ctl rtu plug | sed -n 's/^rtu //p')
t_like "$new" '^/dev/pts/[0-9]+$' "plugged back: a device path"
t_is "$(sim_state rtu)" "$new" "state shows the new path"
t_is "$(zc_value bat_soc --port "$new" --map g3)" 60 "reads on the new path"

sim_start clean --rtu --wire --baud 9600 --turnaround 5 || t_skip_all "zcs-sim did not start"
t_is "$(zc_value bat_soc --port "$SIM_RTU" --map g3)" 60 "wire-speed emulation still answers"
t_done
