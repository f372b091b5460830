#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Identification reads the serial and the versions in one request where the
# unit serves the span (G3 0x0445-0x045A), characters 17-20 of the serial
# only when the first 16 are all there, and one request per field when the
# unit refuses the block (the holes are learned, as for any read).
. "$(dirname "$0")/lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
reqs() { sim_state requests; }
n0=$(reqs)
out=$("$ZC" read --tcp "$SIM_TCP" bat_soc 2>&1); rc=$?
n1=$(reqs)
t_is "$rc" 0 "read with identification exits 0"
t_is "$((n1 - n0))" 2 "identification is one request (then one for bat_soc)"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1)
t_like "$out" "serial +ZM2ES060M1E001" "the serial is read whole"
t_like "$out" "firmware +COM V110, master DSP V120" "the versions come from the same read"

sim_ctl unserve fw_slave >/dev/null
n0=$(reqs)
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "a unit without the slave DSP version: probe exits 0"
t_like "$out" "firmware +COM V110, master DSP V120, slave DSP not served" \
	"the other versions are read one by one, the missing one named"
n0=$(reqs)
"$ZC" read --tcp "$SIM_TCP" bat_soc >/dev/null 2>&1
n1=$(reqs)
t_is "$((n1 - n0))" 7 "the refused block falls back to one request per field (1 + 5, then bat_soc)"
sim_ctl serve fw_slave >/dev/null

sim_start clean-serial16 || t_skip_all "zcs-sim did not start"
n0=$(reqs)
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1)
t_like "$out" "serial +ZM2ES060M2G26516$" "a 16-character serial: characters 17-20 are read too"
n0=$(reqs)
"$ZC" read --tcp "$SIM_TCP" bat_soc >/dev/null 2>&1
n1=$(reqs)
t_is "$((n1 - n0))" 3 "  in a second request (then bat_soc)"
t_done
