#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The serial port is locked against a second program: while another program
# holds the adapter, zcs-commission says so instead of talking over it.
. "$(dirname "$0")/lib.sh"
command -v flock >/dev/null || t_skip_all "flock(1) not installed"

sim_start clean --rtu || t_skip_all "zcs-sim did not start"
# -o: the lock stays with flock itself, so killing it releases the port
flock -o "$SIM_RTU" sleep 30 >/dev/null 2>&1 &
holder=$!
t_at_exit "pkill -P $holder; kill $holder"
i=0; while [ $i -lt 100 ] && flock -n "$SIM_RTU" true 2>/dev/null; do i=$((i + 1)); sleep 0.05; done
out=$("$ZC" read --port "$SIM_RTU" --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "a port held by another program: exit 3"
t_like "$out" "$SIM_RTU is in use by another program" "says the port is in use and by what kind of program"
pkill -P "$holder"; kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
t_is "$(zc_value bat_soc --port "$SIM_RTU" --map g3)" 60 "released: reads again"
t_done
