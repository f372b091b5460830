#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Interoperability: mbpoll, a Modbus client nobody here wrote, reads the
# same numbers from zcs-sim as zcs-commission does, over TCP and over the
# pseudo-terminal (signed, scaled, 32-bit, text and float registers).
. "$(dirname "$0")/lib.sh"

command -v mbpoll >/dev/null || t_skip_all "mbpoll is not installed (apt-get install mbpoll)"
sim_start clean-ddsu --rtu --meters-tcp 0 || t_skip_all "zcs-sim did not start"
# A plant with both the battery and the grid negative, and a fixed energy
# counter so nothing moves between the two readers.
sim_ctl pv 1000 >/dev/null; sim_ctl load 5000 >/dev/null
sim_ctl set e_pv_total 1234.5 >/dev/null
sim_ctl set e_load_today 70000.25 >/dev/null

# mbp ARGS...: the values mbpoll prints, one a line (signed when it shows
# both), with PDU (0-based) addresses.
mbp() {
	mbpoll -0 -1 -o 1 "$@" 2>&1 | awk -F'\t' '/^\[[0-9]+\]:/ {
		v = $2; if (match(v, /\(-?[0-9]+\)/)) v = substr(v, RSTART + 1, RLENGTH - 2)
		print v }'
}
TCP="-m tcp -p $SIM_PORT 127.0.0.1"
RTU="-m rtu -b 9600 -P none $SIM_RTU"
# raw_int NAME: zcs-commission's value divided by the scale (the integer on
# the wire), via its --json raw words.
dec() { printf '%d' "$(zc_raw "$1")"; }
sdec() { v=$(dec "$1"); [ "$v" -ge 32768 ] && v=$((v - 65536)); echo "$v"; }

for name in grid_power bat_power bat_current inverter_power; do
	a=$(map_addr g3 $name); want=$(sdec $name)
	t_is "$(mbp $TCP -a 1 -r 0x$a)" "$want" "$name: mbpoll over TCP reads $want like zcs-commission"
	t_is "$(mbp $RTU -a 1 -r 0x$a)" "$want" "$name: mbpoll over the pty reads the same"
done
t_like "$(zc_value grid_power)" '^-' "grid_power is negative (import) in this test"
t_like "$(zc_value bat_power)" '^-' "bat_power is negative (discharge) in this test"
# scaled: pv_power is 0.1 kW a unit
t_is "$(mbp $TCP -a 1 -r 0x$(map_addr g3 pv_power))" 10 "pv_power: 10 units of 0.1 kW"
t_is "$(zc_value pv_power)" 1.0 "zcs-commission scales it to 1.0 kW"
# 32-bit, high word first
t_is "$(mbp $TCP -a 1 -t 4:int -B -r 0x$(map_addr g3 e_pv_total))" 12345 "e_pv_total: 32-bit 12345 over TCP"
t_is "$(mbp $RTU -a 1 -t 4:int -B -r 0x$(map_addr g3 e_pv_total))" 12345 "e_pv_total: 32-bit 12345 over the pty"
t_is "$(zc_value e_pv_total)" 1234.5 "zcs-commission reads 1234.5 kWh"
t_is "$(mbp $TCP -a 1 -t 4:int -B -r 0x$(map_addr g3 e_load_today))" 7000025 "a 32-bit value above 65535"
t_is "$(zc_value e_load_today)" 70000.25 "zcs-commission reads it whole"
# text: the serial's words
want=$(zc_raw serial | tr -d ' ' | sed 's/0x/ /g; s/^ //')
got=$(mbp $TCP -a 1 -t 4:hex -c 8 -r 0x$(map_addr g3 serial) | sed 's/^0x//' | tr '\n' ' ' | sed 's/ $//')
t_is "$got" "$want" "serial: the same 8 words (characters 1-16)"
# float32 on the meter line (DDSU666 power, negative when importing)
sim_batteries_off >/dev/null
MT="-m tcp -p ${SIM_METERS_TCP##*:} 127.0.0.1"
got=$(mbp $MT -a 1 -t 4:float -B -r 0x$(map_addr ddsu666 power))
want=$(zc_value power --tcp "$SIM_METERS_TCP" --map ddsu666)
t_is "$(awk -v a="$got" -v b="$want" 'BEGIN { print (a - b < 1e-4 && b - a < 1e-4) ? "same" : a " vs " b }')" same \
	"DDSU power float: mbpoll $got, zcs-commission $want"
t_like "$want" '^-4' "the exchange meter reads negative while importing 4 kW"
# mbpoll sees the exceptions too
t_like "$(mbpoll -0 -1 -o 1 $TCP -a 1 -r 0x3000 2>&1)" "Illegal data address" \
	"mbpoll gets 'illegal data address' outside the map"
t_done
