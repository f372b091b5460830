#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A strict unit answers exception 02 to any read that touches an address it
# does not serve (zcs-sim's default, `holes strict`).  The planner splits
# such a block read, learns what the unit does not serve and carries on;
# a register the unit lacks is a clear state ("not served by this unit"),
# not a link failure.  Every example passes in the zeros mode too (the
# strict mode is the default of t0400-t0403).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
out=$("$ZC" read --tcp "$SIM_TCP" grid_power grid_voltage 2>&1); rc=$?
t_is "$rc" 0 "strict unit: two names a gap apart are read together (exit 0)"
t_like "$out" "grid_voltage +230.0 V" "and both values are there"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "strict unit: probe exits 0"
t_unlike "$out" "  .* --$|not served" "probe shows every value the unit serves"
t_like "$out" "requests +[0-9]+ reads for 22 values" "probe counts the extra requests"
n_strict=$(printf '%s\n' "$out" | sed -n 's/^requests *\([0-9]*\) reads.*/\1/p')
sim_ctl holes zeros >/dev/null
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1)
n_zeros=$(printf '%s\n' "$out" | sed -n 's/^requests *\([0-9]*\) reads.*/\1/p')
t_ok "$([ "$n_strict" -gt "$n_zeros" ] && echo 0 || echo 1)" \
	"the split block reads are counted ($n_strict requests strict, $n_zeros with zeros)"
sim_ctl holes strict >/dev/null

# A refused block is read again in stretches of adjacent registers, not
# register by register: hw_version | fw_master..safety_minor | safety_sw
# (0x045D-0x045F lie between, not in the map: the strict unit refuses them).
# `read` asks what it needs besides the values: one value alone shows how much.
r0=$(sim_state requests)
"$ZC" read --tcp "$SIM_TCP" grid_voltage >/dev/null 2>&1
r1=$(sim_state requests)
extra=$((r1 - r0 - 1))
r0=$(sim_state requests)
out=$("$ZC" read --tcp "$SIM_TCP" hw_version fw_master fw_slave safety_major safety_minor \
	safety_sw 2>&1); rc=$?
r1=$(sim_state requests)
t_is "$rc" 0 "strict unit: six firmware fields around a refused gap are read (exit 0)"
t_like "$out" "safety_sw +[A-Z0-9]" "the field past the gap is there"
t_is "$((r1 - r0 - extra))" 4 "one refused block, then three stretches"
# The addresses V1.38 reserves are never spanned: grid power (0x0488) and
# grid voltage (0x048D) lie either side of 0x048C, two requests, none refused.
r0=$(sim_state requests)
"$ZC" read --tcp "$SIM_TCP" grid_power grid_voltage >/dev/null 2>&1
r1=$(sim_state requests)
t_is "$((r1 - r0 - extra))" 2 "a reserved address between two values: two requests, none refused"

# Registers un-served by name.
sim_ctl unserve pv2_voltage bat_temp >/dev/null
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "probe: un-served registers are not a failure"
t_like "$out" "PV2 voltage +not served by this unit" "probe marks a value not served"
t_like "$out" "not served +pv2_voltage bat_temp: this unit answers 'illegal data address'" \
	"probe lists what the unit does not serve"
t_like "$out" "PV2 current +[0-9.]+ A" "its neighbours are still read"
out=$("$ZC" read --tcp "$SIM_TCP" pv2_current pv2_voltage pv2_power 2>&1); rc=$?
t_is "$rc" 4 "read: exit 4 when a named value is not served (zcs-commission(1))"
t_like "$out" "pv2_voltage +not served by this unit" "read marks it"
t_like "$out" "pv2_current +[0-9.]+ A" "read prints the others"
t_like "$out" "this unit does not serve pv2_voltage" "and says which"
out=$("$ZC" read --tcp "$SIM_TCP" --json pv2_voltage 2>/dev/null)
t_like "$out" '"served":false' "read --json says served false"
sim_ctl serve pv2_voltage bat_temp >/dev/null

# A unit without firmware-version registers.
sim_start no-firmware || t_skip_all "zcs-sim did not start"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "no-firmware: probe exits 0"
t_like "$out" "firmware +COM not served, master DSP not served" "probe says the versions are not served"
out=$(timeout 120 "$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" \
	--window-scale "$RUN_SCALE" --db "$T_TMP/nf.db" --act "$ZSIM ctl $SIM_CTL" 2>&1); rc=$?
t_is "$rc" 1 "no-firmware: run exits 1"
t_like "$out" "COM firmware version readable: --: FAIL: this unit does not provide Software version, COM board" \
	"the identity step fails: this unit does not provide the COM firmware"
t_like "$out" "remedy: Read the versions on the display" "with the manual's way to check by hand"
t_is "$(printf '%s\n' "$out" | awk '/^\[FAIL\]/ { print $2 }' | tr '\n' ' ')" \
	"session.identity st.firmware " "only the steps that need the versions fail"
ev=$(sqlite3 "$T_TMP/nf.db" "select detail from events where kind = 'not-served'" 2>&1)
t_like "$ev" "slave 1: Software version, COM board \(fw_com\) is not served by this unit" \
	"the record keeps what the unit does not serve"

# Every example in the zeros mode.
for ex in $(cd "$ZCS_DATA_DIR/examples" && ls *.ans | sed 's/\.ans$//'); do
	sim_start "$(example_scenario "$ex")" || continue
	sim_ctl holes zeros >/dev/null
	run_start "$ex" "$ZCS_DATA_DIR/examples/$ex.ans"
	set -- $RUN_PIDS
	[ $# -ge 2 ] && run_wait
done
run_wait
for ex in $(cd "$ZCS_DATA_DIR/examples" && ls *.ans | sed 's/\.ans$//'); do
	t_is "$(cat "$T_TMP/$ex.rc" 2>/dev/null)" 0 "holes zeros: $ex passes"
done
t_done
