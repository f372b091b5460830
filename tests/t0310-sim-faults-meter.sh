#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim faults on the grid-point measurement: each changes the registers
# the installer guide's check looks at (11.1, 11.3, 11.6, 11.7, 14) the way
# the fault does on site, and switching it off puts them back.
. "$(dirname "$0")/lib.sh"

# Installer guide 11.7 / 14: inverter producing nothing (DC off, battery
# off), loads over 1 kW: the grid point must read an import (negative).
quiet() { sim_ctl dc off >/dev/null; sim_batteries_off >/dev/null; sim_ctl load "$1" >/dev/null; }

# --- CT reversed ---
sim_start fault-ct-reversed || t_skip_all "zcs-sim did not start"
quiet 1500
t_is "$(zc_value grid_power)" 1.50 "ct-reversed: an import of 1.5 kW reads as export (+)"
t_like "$(zc_text fault_words)" "ID045" "ct-reversed: the inverter raises ID045 CT error"
l0=$(zc_value load_power); sim_ctl dc on >/dev/null; sim_ctl pv 2000 >/dev/null
l1=$(zc_value load_power)
t_ok $([ "$l0" != "$l1" ] && echo 0 || echo 1) "ct-reversed: house consumption changes as PV rises ($l0 -> $l1 kW)"
# zero feed-in at 0 kW: with the CT reversed the inverter sees an import
# and keeps exporting.
sim_batteries_off >/dev/null; sim_ctl pv 4000 >/dev/null; sim_ctl load 500 >/dev/null
"$MBRAW" "$SIM_TCP" 1 "10 $(map_addr g3 antireflux) 0002 04 0001 0000" >/dev/null
t_is "$(sim_state grid_power)" 3500 "ct-reversed: zero feed-in fails, 3.5 kW really exported"
t_is "$(zc_value grid_power)" -3.50 "ct-reversed: while the inverter reads an import"
sim_ctl fault ct-reversed off >/dev/null
t_is "$(sim_state grid_power)" 0 "fixed: zero feed-in holds the export at 0"
sim_ctl load 1500 >/dev/null; sim_ctl dc off >/dev/null
t_is "$(zc_value grid_power)" -1.50 "fixed: the import reads negative"
t_is "$(zc_text fault_words)" "none" "fixed: no fault"
l0=$(zc_value load_power); sim_ctl dc on >/dev/null
t_is "$(zc_value load_power)" "$l0" "fixed: consumption stays constant as PV rises"

# 11.7 as the guide says it: the inverter switched off at its AC breaker,
# the house loads still import through the CT.
sim_ctl breaker off >/dev/null
t_is "$(zc_value grid_power)" -1.50 "breaker open: the CT still reads the house import (-)"

# --- CT on part of the conductors ---
sim_start fault-ct-partial || t_skip_all "zcs-sim did not start"
quiet 2000
t_is "$(zc_value grid_power)" -1.00 "ct-partial: 2 kW of import reads as 1 kW"
l0=$(zc_value load_power); sim_ctl dc on >/dev/null; sim_ctl pv 1000 >/dev/null
l1=$(zc_value load_power)
t_ok $([ "$l0" != "$l1" ] && echo 0 || echo 1) "ct-partial: consumption changes as PV rises ($l0 -> $l1 kW)"
sim_ctl fault ct-partial on 0.25 >/dev/null; sim_ctl dc off >/dev/null
t_is "$(zc_value grid_power)" -0.50 "ct-partial with ARG 0.25 reads a quarter"
sim_ctl fault ct-partial off >/dev/null
t_is "$(zc_value grid_power)" -2.00 "fixed: the whole import"

# --- DDSU exchange meter wired backwards ---
sim_start fault-ct-reversed-ddsu --meters-tcp 0 || t_skip_all "zcs-sim did not start"
quiet 1500
M="--tcp $SIM_METERS_TCP --slave 1 --map ddsu666"
t_is "$(zc_value power $M)" 1.5 "ddsu reversed: meter 001 reads +1.5 kW while importing (11.7 wants -)"
t_is "$(zc_value grid_power)" 1.50 "ddsu reversed: the inverter's grid point reads export"
t_is "$(zc_text fault_words)" "none" "ddsu reversed: no fault bit (V1.38 has no 'power meter error'; the sign checks find it)"
sim_ctl fault ct-reversed off >/dev/null
t_is "$(zc_value power $M)" -1.5 "fixed: meter 001 negative while importing"

# --- exchange meter at the wrong address ---
sim_start fault-meter-address --meters-tcp 0 || t_skip_all "zcs-sim did not start"
quiet 1500
t_is "$(zc_text fault_words)" "ID105 meter communication error" "meter-address: ID105 meter communication error (V1.38 6.1), not ID176"
t_is "$(zc_value grid_power)" 0.00 "meter-address: no grid-point power"
out=$("$ZC" read --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666 power 2>&1); rc=$?
t_is "$rc" 4 "meter-address: nothing at 001 on the meter line"
t_is "$(zc_value meter_address --tcp "$SIM_METERS_TCP" --slave 3 --map ddsu666)" 3 \
	"meter-address: the meter answers at 003 and says so"
sim_ctl fault meter-address off >/dev/null
t_is "$(zc_value grid_power)" -1.50 "fixed: grid-point power back"
t_is "$(zc_text fault_words)" "none" "fixed: ID105 cleared"

# --- exchange meter missing ---
sim_start fault-meter-missing --meters-tcp 0 || t_skip_all "zcs-sim did not start"
quiet 1500
t_is "$(zc_text fault_words)" "ID105 meter communication error" "meter-missing: ID105"
t_is "$(zc_value grid_power)" 0.00 "meter-missing: no grid-point power"
out=$("$ZC" read --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666 power 2>&1); rc=$?
t_is "$rc" 4 "meter-missing: the meter line has nobody at 001"
t_like "$out" "cannot reach slave 1" "meter-missing: the message names the slave"
sim_ctl fault meter-missing off >/dev/null
t_is "$(zc_value power --tcp "$SIM_METERS_TCP" --slave 1 --map ddsu666)" -1.5 "fixed: meter 001 reads the import"

# --- meters 001 and 002 swapped ---
sim_start fault-meters-swapped --meters-tcp 0 || t_skip_all "zcs-sim did not start"
quiet 1500; sim_ctl production 0 >/dev/null
M1="--tcp $SIM_METERS_TCP --slave 1 --map ddsu666"; M2="--tcp $SIM_METERS_TCP --slave 2 --map ddsu666"
t_is "$(zc_value power $M1)" 0 "swapped: meter 001 reads 0 with 1.5 kW of loads (11.7 wants negative)"
t_is "$(zc_value power $M2)" -1.5 "swapped: the import shows on 002"
t_is "$(zc_text fault_words)" "none" "swapped: both meters talk: no fault bit (the signs of 11.7 find it)"
sim_ctl production 2000 >/dev/null
t_is "$(zc_value power $M1)" 2 "swapped: 001 reads the production (+)"
sim_ctl fault meters-swapped off >/dev/null; sim_ctl production 0 >/dev/null
t_is "$(zc_value power $M1)" -1.5 "fixed: 001 negative while importing"
sim_ctl production 2000 >/dev/null
t_is "$(zc_value power $M2)" 2 "fixed: 002 positive when producing"
t_is "$(zc_value ext_pv_power)" 2.00 "fixed: the inverter shows the external PV"
t_is "$(zc_text fault_words)" "none" "fixed: no fault"
t_done
