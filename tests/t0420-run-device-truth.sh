#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What the vendor's protocol (Modbus-G3 V1.38) lets the wizard read instead
# of asking: the whole serial (16 or 20 characters), the country shown and
# the safety set applied (country-region words), the rated power against
# the model named, the IV curve scan, the PCC device against the chosen
# grid measurement, and the self-test status.  Each wrong value fails the
# step that reads it, with its own remedy; nothing else fails.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"

# --- the serial, read whole ---
sim_start clean-serial16 || t_skip_all "zcs-sim did not start"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1)
t_like "$out" "serial +ZM2ES060M2G26516( |$)" "probe: a 16-character serial is read whole"
t_is "$(zc_raw serial)" "0x5A4D 0x3245 0x5330 0x3630 0x4D32 0x4732 0x3635 0x3136" \
	"its 8 words, characters 1-16, as the protocol lays them out"
run_start serial16 "$ANS"
cat >"$T_TMP/serial20.scn" <<'SCN'
describe "a G3 unit with a 20-character serial"
inverter slave=1 model=HYD6000-ZSS-HP serial=ZM2ES060M2G265160017 country=001-000 country_name=Italy
battery model=zsx5000 count=2
meter mode=ct
SCN
sim_start "$T_TMP/serial20.scn" || t_skip_all "zcs-sim did not start"
t_like "$("$ZC" probe --tcp "$SIM_TCP" 2>&1)" "serial +ZM2ES060M2G265160017( |$)" \
	"probe: characters 17-20 are read apart and joined"
t_is "$(zc_raw serial_ext)" "0x3030 0x3137" "characters 17-20 are the two words the protocol adds"
run_wait

# --- wrong values, one run each ---
sed 's/^inverter.model .*/inverter.model HYD3000-ZSS-HP/' "$ANS" >"$T_TMP/model.ans"
sed 's/^st.required .*/st.required yes/' "$ANS" >"$T_TMP/selftest.ans"
echo 'confirm st.run yes' >>"$T_TMP/selftest.ans"
sim_start clean && run_start model "$T_TMP/model.ans"
sim_start clean && sim_ctl setting iv_scan 1 >/dev/null && run_start ivscan "$ANS"
sim_start clean && sim_ctl setting pcc_sample_mode meter >/dev/null && run_start pcc "$ANS"
run_wait
sim_start clean && sim_ctl setting selftest disabled >/dev/null && run_start selftest-failed "$T_TMP/selftest.ans"
# a unit that ran its self-test: level-one limits and what it measured
st_results() {
	for kv in st_ov1_limit=264.5 st_ov1_time=200 st_ov1_trip=264.1 st_ov1_trip_time=184 \
		  st_uv1_limit=195.5 st_uv1_time=1500 st_uv1_trip=195.9 st_uv1_trip_time=1460 \
		  st_of1_limit=51.5 st_of1_time=100 st_of1_trip=51.49 st_of1_trip_time=92 \
		  st_uf1_limit=47.5 st_uf1_time=100 st_uf1_trip=47.51 st_uf1_trip_time=95; do
		sim_ctl setting "${kv%%=*}" "${kv#*=}" >/dev/null || return 1
	done
}
sim_start clean && st_results && run_start selftest-ok "$T_TMP/selftest.ans"
sim_start clean && run_start selftest-never "$T_TMP/selftest.ans"
sim_start fault-country-germany && run_start germany "$ANS"
sim_start fault-country-display-only && run_start display-only "$ANS"
run_wait

t_is "$(cat "$T_TMP/serial16.rc")" 0 "a unit with a 16-character serial passes every step"
t_like "$(cat "$T_TMP/serial16.log")" \
	"Serial number read over the link, whole .* ZM2ES060M2G26516, expected ZM2ES060M2G26516: ok" \
	"the identity step compares the whole serial"

t_is "$(failed_steps "$T_TMP/model.log")" "inv.power-level" "HYD3000 named, 6 kW unit: only the power level fails"
t_like "$(cat "$T_TMP/model.log")" "remedy: The unit's power level is 6 kW, the HYD3000-ZSS-HP's is 3 kW" \
	"its remedy quotes both powers"

t_is "$(failed_steps "$T_TMP/ivscan.log")" "inv.iv-scan" "IV curve scan on: only its step fails"
t_like "$(cat "$T_TMP/ivscan.log")" "remedy: The IV curve scan is enabled: .*IV Curve Scan > Disable" \
	"with the menu to disable it"

t_is "$(failed_steps "$T_TMP/pcc.log")" "grid.ct" "CT site, the unit set to read a meter: grid.ct fails"
t_like "$(cat "$T_TMP/pcc.log")" "remedy: The inverter reads the exchange with the meter, not the CT" \
	"and says what the unit reads with"

t_is "$(failed_steps "$T_TMP/selftest-failed.log")" "st.run" "a self-test the unit reports failed fails st.run"
t_like "$(cat "$T_TMP/selftest-failed.log")" "remedy: The unit reports that the last self-test failed \(disabled\)" \
	"with the status read from the unit"
t_is "$(cat "$T_TMP/selftest-ok.rc")" 0 "a self-test the unit reports successful passes"
t_like "$(cat "$T_TMP/selftest-ok.log")" "Self-test status read from the unit ok, expected ok: ok" \
	"and the status read is kept as evidence"
t_like "$(cat "$T_TMP/selftest-ok.log")" "over-voltage 264.10 V in 184 ms \(limit 264.50 V, 200 ms\)" \
	"the results the unit measured are kept as evidence"
t_is "$(failed_steps "$T_TMP/selftest-never.log")" "st.run" "status ok but no results held: st.run fails"
t_like "$(cat "$T_TMP/selftest-never.log")" "remedy: The unit holds no self-test results: the self-test has not run to its end" \
	"saying the test has not run to its end"

t_is "$(failed_steps "$T_TMP/germany.log")" "first.country" "an Italian site on a unit set to Germany fails first.country"
t_like "$(cat "$T_TMP/germany.log")" "remedy: The inverter is set to country 000-000 'Germany', not Italy \(001-000, CEI 0-21\)" \
	"the remedy names what the unit is set to, by pair and name"
t_is "$(failed_steps "$T_TMP/display-only.log")" "first.country" "shown 001-000 but another set applied: first.country fails"
t_like "$(cat "$T_TMP/display-only.log")" "Country shown 'Italy' for Italy \(CEI 0-21\) 001-000, expected 001-000: ok" \
	"the shown country alone would have passed"
t_like "$(cat "$T_TMP/display-only.log")" "although the display shows 001-000: only the shown country was changed" \
	"the remedy says the safety set itself was not loaded"
t_done
