#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every Modbus exception code, from a real server, becomes exit code 4 and
# a sentence an installer understands (src/base/link.c), over TCP and RTU.
. "$(dirname "$0")/lib.sh"

sim_start clean --rtu || t_skip_all "zcs-sim did not start"
rd() { "$ZC" read "$@" --map g3 bat_soc 2>&1; }
check() { # check CODE PATTERN WHAT
	sim_ctl fault link-exception on "$1" >/dev/null
	out=$(rd --tcp "$SIM_TCP"); rc=$?
	t_is "$rc" 4 "exception $1 over TCP: exit 4"
	t_like "$out" "$2" "exception $1: $3"
}
check 1 "slave 1 answered 'illegal function'" "illegal function"
check 2 "this unit does not serve bat_soc \\(it answers 'illegal data address'\\)" \
	"illegal data address: the value is not served by this unit"
check 3 "slave 1 answered 'illegal data value'" "illegal data value"
check 4 "slave 1 answered exception 4 \(slave device failure\)" "slave device failure"
check 5 "slave 1 is busy \(acknowledge" "acknowledge"
check 6 "slave 1 is busy \(slave device busy\): wait a few seconds" "busy"
check 10 "gateway .* cannot reach slave 1 \(gateway path unavailable\)" "gateway path"
check 11 "gateway .* cannot reach slave 1 \(gateway target failed to respond\)" "gateway target"
sim_ctl fault link-exception off >/dev/null

sim_ctl fault link-busy on >/dev/null
out=$(rd --port "$SIM_RTU"); rc=$?
t_is "$rc" 4 "busy over RTU: exit 4"
t_like "$out" "slave 1 is busy \(slave device busy\)" "busy over RTU: the message"
sim_ctl fault link-busy off >/dev/null

# Exceptions the map itself provokes, no fault needed.
out=$("$ZC" read --tcp "$SIM_TCP" --slave 9 --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 4 "a slave id nobody has, through the TCP gateway: exit 4"
t_like "$out" "cannot reach slave 9" "and the message names slave 9"
t_is "$("$MBRAW" "$SIM_TCP" 1 "03 3000 0001")" "83 02" "an address outside the map: exception 02"
t_is "$(rd --tcp "$SIM_TCP")" "bat_soc                60 %" "after all that the link still reads"
t_done
