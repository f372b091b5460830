#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim settings: FC 0x10 under the write-group rules of data/maps/g3.map,
# exception codes for everything else, and settings that change the plant.
. "$(dirname "$0")/lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
raw() { "$MBRAW" "$SIM_TCP" 1 "$1"; }
AR=$(map_addr g3 antireflux)
BAT=$(map_addr g3 battery)

t_is "$(raw "06 $AR 0001")" "86 01" "FC 0x06 gets exception 01 (writes are FC 0x10 only)"
t_is "$(raw "01 0000 0001")" "81 01" "an unsupported function gets exception 01"
t_is "$(raw "03 3000 0001")" "83 02" "a read in a page with no register gets exception 02"
t_is "$(raw "03 $(map_addr g3 grid_power | sed 's/.$/F/') 0001")" "83 02" \
	"strict holes: an address the map does not define gets exception 02"
sim_ctl holes zeros >/dev/null
t_is "$(raw "03 $(map_addr g3 grid_power | sed 's/.$/F/') 0001")" "03 02 00 00" \
	"holes zeros: an undefined address in a used page reads 0"
t_is "$(raw "03 3000 0001")" "83 02" "holes zeros: a page with no register still gets 02"
sim_ctl holes strict >/dev/null
t_is "$(raw "03 0000 007E")" "83 03" "more than 125 registers gets exception 03"

t_is "$(raw "10 $AR 0002 04 0001 0014")" "10 $(echo $AR | tr 'A-F' 'a-f' | sed 's/../& /') 00 02" \
	"the anti-reflux group written whole is accepted"
t_is "$(zc_value antireflux_limit)" 2.0 "and reads back (2.0 kW)"
t_is "$(raw "10 $AR 0001 02 0000")" "90 03" "half a group gets exception 03"
t_is "$(raw "10 $AR 0002 04 0001 003D")" "90 03" "a value above max (6.1 kW) gets exception 03"
t_is "$(raw "10 $(map_addr g3 country_code) 0001 02 0005")" "90 02" \
	"a read-only register gets exception 02"
t_is "$(raw "10 $(map_addr g3 factory_reset) 0001 02 0001")" "90 02" \
	"factory reset is not writable"

# The battery block: 24 words (0x1044-0x105B, protocol V1.38), the unknown
# ones written back unchanged, the commit register at 1.
words=$(raw "03 $BAT 0018" | cut -d' ' -f3-)
t_like "$words" '^([0-9a-f]{2} ){47}[0-9a-f]{2}$' "the battery block reads as 24 words"
# word k (0-based) of the block as 4 hex digits
w() { echo "$words" | awk -v k="$1" '{ printf "%s%s", $(2*k+1), $(2*k+2) }'; }
block() { # block DOD COMMIT [CFG0] [MAXSOC]: the 24 words with DoD, commit, word 0
	out=""  # and the maximum charging SOC (word 23) replaced
	for k in $(seq 0 23); do
		v=$(w $k)
		[ $k -eq 9 ] && v=$(printf '%04X' "$1")
		[ $k -eq 15 ] && v=$(printf '%04X' "$2")
		[ $k -eq 0 ] && [ -n "${3:-}" ] && v=$3
		[ $k -eq 23 ] && [ -n "${4:-}" ] && v=$(printf '%04X' "$4")
		out="$out $v"
	done
	echo "$out"
}
t_is "$(w 9)" 005a "DoD reads 90 % (ZSX5000 default)"
t_is "$(raw "10 $BAT 0018 30 $(block 50 0)")" "90 03" "battery block without commit gets 03"
t_is "$(zc_value bat_dod)" 90 "and the DoD is unchanged"
t_is "$(raw "10 $BAT 0018 30 $(block 50 1 0005)")" "90 02" \
	"changing an unknown word of the block gets 02"
t_is "$(raw "10 $(map_addr g3 bat_dod) 0001 02 0032")" "90 03" "DoD alone (not the whole block) gets 03"
t_is "$(raw "10 $BAT 0018 30 $(block 95 1)")" "90 03" "DoD 95 % (above max 90) gets 03"
t_is "$(raw "10 $BAT 0018 30 $(block 50 1)")" "10 $(echo $BAT | tr 'A-F' 'a-f' | sed 's/../& /') 00 18" \
	"the whole block with commit 1 is accepted"
t_is "$(zc_value bat_dod)" 50 "DoD reads back 50 %"
t_is "$(raw "03 $(map_addr g3 bat_commit) 0001")" "03 02 00 00" \
	"the commit register then reads status 0 (operation successful)"
t_is "$(raw "10 $BAT 0018 30 $(block 50 1 '' 50)")" "90 03" \
	"a co-register outside its own range (maximum charging SOC 50 %) gets 03"
sim_ctl fault commit-refused on >/dev/null
t_is "$(raw "10 $BAT 0018 30 $(block 60 1)")" "10 $(echo $BAT | tr 'A-F' 'a-f' | sed 's/../& /') 00 18" \
	"commit-refused: the write is acknowledged"
t_is "$(raw "03 $(map_addr g3 bat_commit) 0001")" "03 02 ff fe" \
	"commit-refused: the commit register reads 0xFFFE (parameter storage failed)"
t_is "$(zc_value bat_dod)" 50 "commit-refused: nothing was stored"
sim_ctl fault commit-refused off >/dev/null

# The new DoD changes the plant: at SOC 45 % (below 100-50) the battery no
# longer discharges, the load is imported.
sim_ctl pv 0 >/dev/null; sim_ctl load 1000 >/dev/null; sim_ctl soc 45 >/dev/null
t_is "$(zc_value bat_power)" 0.00 "SOC under the new DoD: no discharge"
t_is "$(zc_value grid_power)" -1.00 "the load is imported"
sim_ctl soc 55 >/dev/null
t_is "$(zc_value bat_power)" -1.00 "SOC above it: the battery discharges"

# Zero feed-in: with the limit at 0.5 kW the export stops there.
sim_ctl soc 100 >/dev/null; sim_ctl pv 4000 >/dev/null; sim_ctl load 500 >/dev/null
t_is "$(zc_value grid_power)" 2.00 "export held at the 2.0 kW written above"
raw "10 $AR 0002 04 0000 0014" >/dev/null
t_is "$(zc_value grid_power)" 3.50 "export without a limit"
raw "10 $AR 0002 04 0001 0005" >/dev/null
t_is "$(zc_value grid_power)" 0.50 "anti-reflux on at 0.5 kW: export held at 0.5 kW"
raw "10 $AR 0002 04 0000 0005" >/dev/null
t_is "$(zc_value grid_power)" 3.50 "anti-reflux off: full export again"

# Working mode: only self-use (0) may be written.
t_is "$(raw "10 $(map_addr g3 working_mode) 0001 02 0003")" "90 03" "working mode passive is refused (03)"

# Clock: the clock group sets the inverter's clock.
CK=$(map_addr g3 clock)
t_is "$(raw "10 $CK 0007 0E 0019 0006 000F 000A 001E 0000 0001")" \
	"10 $(echo $CK | tr 'A-F' 'a-f' | sed 's/../& /') 00 07" "the clock group is accepted"
t_is "$(zc_value rtc_year)" 25 "the clock now reads year 25"
t_is "$(zc_value rtc_month)" 6 "month 6"

# The instructor forces a value; 'auto' releases it.
sim_ctl set bat_soc 33 >/dev/null
t_is "$(zc_value bat_soc)" 33 "set forces a register value"
sim_ctl set bat_soc auto >/dev/null
t_is "$(zc_value bat_soc)" 100 "set NAME auto gives it back to the plant"
t_is "$(sim_ctl get bat_dod)" "bat_dod 50 %" "get prints a value with its unit"
t_done
