#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim's meter line (like the HUB's port 55401): DTSU666 and DDSU666
# meters at their addresses, with the signs 11.7 and 11.10 check.
. "$(dirname "$0")/lib.sh"

sim_start clean-dtsu --meters-tcp 0 --meters-rtu || t_skip_all "zcs-sim did not start"
sim_ctl dc off >/dev/null; sim_batteries_off >/dev/null; sim_ctl load 1500 >/dev/null
M="--port $SIM_METERS_RTU --slave 1 --map dtsu666"
t_is "$(zc_value ct_ratio $M)" 40 "DTSU: CT ratio 40"
t_is "$(zc_value meter_address $M)" 1 "DTSU: address 001"
t_is "$(zc_value ua $M)" 230 "DTSU: Ua 230 V"
t_is "$(zc_value pa $M)" -1500 "DTSU over RTU: Pa -1500 W while importing (11.10)"
t_is "$(zc_value pt $M)" -1500 "DTSU: Pt = Pa + Pb + Pc"
t_like "$(zc_value pfa $M)" '^0\.9[0-9]*$' "DTSU: power factor L1 above 0.8"
t_is "$(zc_value grid_power)" -1.50 "the inverter reads the same import from the meter"
sim_ctl fault ct-reversed on >/dev/null
t_is "$(zc_value pa --tcp "$SIM_METERS_TCP" --slave 1 --map dtsu666)" 1500 "DTSU CT reversed: Pa positive while importing"

sim_start clean-ddsu-production --meters-tcp 0 || t_skip_all "zcs-sim did not start"
sim_ctl dc off >/dev/null; sim_batteries_off >/dev/null; sim_ctl load 1500 >/dev/null
sim_ctl production 0 >/dev/null
t_is "$(zc_value power --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666)" -1.5 "DDSU 001: -1.5 kW importing"
sim_ctl load 500 >/dev/null; sim_ctl production 2000 >/dev/null
t_is "$(zc_value power --tcp "$SIM_METERS_TCP" --slave 2 --map ddsu666)" 2 "DDSU 002: +2 kW producing"
t_is "$(zc_value power --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666)" 1.5 "DDSU 001: +1.5 kW exported"
t_is "$(zc_value ext_pv_power)" 2.00 "the inverter shows the external PV power"
t_is "$(zc_value voltage --tcp "$SIM_METERS_TCP" --slave 2 --map ddsu666)" 230 "DDSU 002: 230 V"
sim_ctl grid off >/dev/null
t_is "$(zc_value voltage --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666)" 0 "grid lost: the meter reads 0 V"
t_done
