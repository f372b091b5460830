#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The training catalogue against what it names: every fault is a fault of
# zcs-sim, every catching step a step of the checklist, every exercise's
# base a scenario; and the instruments zcs-sim shows the trainee (meter
# display, clamp, nameplates, LEDs) follow the plant and its faults.
. "$(dirname "$0")/lib.sh"

CONF=$ZCS_DATA_DIR/scenarios/training.conf
sim_start clean-ddsu; t_ok $? "a simulator with a DDSU meter"
faults=$(sim_ctl faults | awk 'NF && $1 !~ /^check:/ { print $1 }')
steps=$("$ZC" checklist --ids)
scenarios=$("$ZSIM" --list-scenarios | awk '{ print $1 }')

n=0 bad=""
for f in $(sed -n 's/^fault \([^ ]*\) .*/\1/p' "$CONF"); do
	n=$((n + 1))
	printf '%s\n' "$faults" | grep -qx "$f" || bad="$bad $f"
done
t_ok "$([ "$n" -ge 25 ]; echo $?)" "the catalogue holds at least 25 faults ($n)"
t_is "$bad" "" "each is a fault zcs-sim can switch on"
bad=""
for s in $(sed -n 's/^fault .* catch=\([^ ]*\) .*/\1/p' "$CONF" | tr ',' '\n' | sort -u); do
	[ "$s" = any ] && continue
	printf '%s\n' "$steps" | grep -qx "$s" || bad="$bad $s"
done
t_is "$bad" "" "each catching step is a step of the checklist"
bad=""
for b in $(sed -n 's/^exercise .* base=\([^ ]*\) .*/\1/p' "$CONF" | sort -u); do
	printf '%s\n' "$scenarios" | grep -qx "$b" || bad="$bad $b"
done
t_is "$bad" "" "each exercise's base is a scenario"
bad=""
for a in $(sed -n 's/^exercise .* answers=\([^ ]*\).*/\1/p' "$CONF" | sort -u); do
	[ -f "$ZCS_DATA_DIR/examples/$a.ans" ] || bad="$bad $a"
done
t_is "$bad" "" "each exercise names an answers file that exists"

i=$(sim_ctl instruments)
t_like "$i" 'meter DDSU666 address 001 P -?[0-9]+ W PF [0-9.]+' "the meter's display: address, power, PF"
t_like "$i" 'battery 1 zsx5000 dip none' "the battery nameplates"
t_like "$i" 'leds 1 power on grid on' "the inverter's LEDs"
t_like "$i" 'clamp [0-9.]+ A about [0-9]+ W' "the clamp meter"
sim_ctl fault meter-address on 3 >/dev/null
i=$(sim_ctl instruments)
t_like "$i" 'meter DDSU666 address 003' "a meter left at 003 shows 003 on its display"
t_like "$i" 'display 1 alarm ID176' "and the inverter shows ID176"
sim_ctl fault meter-address off >/dev/null
sim_ctl fault meter-missing on >/dev/null
t_like "$(sim_ctl instruments)" 'meter DDSU666 display dark' "a meter without supply is dark"
sim_ctl fault meter-missing off >/dev/null
sim_ctl breaker off >/dev/null
sim_ctl pv 0 >/dev/null
sim_ctl load 1500 >/dev/null
sleep 0.3
c=$(sim_ctl instruments | sed -n 's/^clamp .* about \([0-9]*\) W/\1/p')
t_ok "$([ "$c" -ge 1450 ] && [ "$c" -le 1550 ]; echo $?)" \
	"the clamp reads the house load within its own noise ($c W for 1500 W)"
"$ZC" train --instructor "$T_TMP/none.sock" status >/dev/null 2>"$T_TMP/err"
t_ok "$([ $? -ne 0 ]; echo $?)" "train without a wizard fails"
t_like "$(cat "$T_TMP/err")" 'cannot reach a training wizard on .*--instructor' "saying how to start one"
t_done
