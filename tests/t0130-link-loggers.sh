#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The data logger sticks: probe over Solarman V5 (ZSM-WIFI-USB) and RTU over
# TCP (ZSM-ETH-USB) against zcs-sim's logger, --framing auto picks each
# framing and says which answered, a wrong logger serial and a logger whose
# inverter is silent get their own sentence and exit code.
. "$(dirname "$0")/lib.sh"

sim_start clean --v5 0 --rtu-over-tcp 0 --logger-serial 2712345678 ||
	t_skip_all "zcs-sim did not start"

out=$("$ZC" probe --solarman "$SIM_V5" --logger-serial "$SIM_LOGGER_SERIAL" 2>&1); rc=$?
t_is "$rc" 0 "probe over Solarman V5 succeeds"
t_like "$out" '^serial +ZM2ES060M1E001$' "V5: the unit's serial"
t_like "$out" '^framing +Solarman V5$' "V5: probe names the framing"
t_like "$out" 'Battery state of charge +60 %' "V5: live values"
t_like "$out" '^requests +[0-9]+ reads? for 22 values' "V5: the whole snapshot"
v5bytes=$(printf '%s\n' "$out" | sed -n 's/^bytes *\([0-9]*\) .*/\1/p')

out=$("$ZC" probe --rtu-over-tcp "$SIM_RTUTCP" 2>&1); rc=$?
t_is "$rc" 0 "probe over RTU over TCP succeeds"
t_like "$out" '^framing +RTU over TCP$' "RTU over TCP: probe names the framing"
t_like "$out" 'Battery state of charge +60 %' "RTU over TCP: live values"
rtubytes=$(printf '%s\n' "$out" | sed -n 's/^bytes *\([0-9]*\) .*/\1/p')
[ -n "$v5bytes" ] && [ -n "$rtubytes" ] && [ "$v5bytes" -gt "$rtubytes" ]
t_ok $? "V5 adds its header to every frame: $v5bytes bytes against $rtubytes"

out=$("$ZC" probe --tcp "$SIM_TCP" --framing auto 2>&1)
t_like "$out" '^framing +Modbus TCP \(MBAP\) \(--framing auto: Modbus TCP \(MBAP\) answered\)' \
	"--framing auto on an MBAP server picks MBAP"
out=$("$ZC" probe --tcp "$SIM_RTUTCP" --framing auto 2>&1)
t_like "$out" '^framing +RTU over TCP \(--framing auto: Modbus TCP \(MBAP\) no answer, RTU over TCP answered\)' \
	"--framing auto on the ETH stick picks RTU over TCP"
out=$("$ZC" probe --tcp "$SIM_V5" --framing auto 2>&1); rc=$?
t_is "$rc" 0 "--framing auto on the Wi-Fi stick, no serial given, succeeds"
t_like "$out" '^framing +Solarman V5 \(.*RTU over TCP no answer, Solarman V5 answered, giving its serial\)' \
	"--framing auto picks V5 and learns the logger's serial"
t_like "$out" "^link .*Solarman V5, logger $SIM_LOGGER_SERIAL" "the link names the serial learned"

out=$("$ZC" probe --solarman "$SIM_V5" --logger-serial 123 2>&1); rc=$?
t_is "$rc" 9 "a wrong logger serial exits 9"
t_like "$out" "is serial $SIM_LOGGER_SERIAL, not 123: give --logger-serial $SIM_LOGGER_SERIAL" \
	"a wrong logger serial is named, with the right one"
t_unlike "$out" "no serial number where" "and not buried under the identification"
out=$("$ZC" probe --solarman "$SIM_V5" 2>&1); rc=$?
t_is "$rc" 2 "--solarman without --logger-serial is a usage error"
t_like "$out" "needs --logger-serial N" "... that says what to give"

out=$("$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --solarman "$SIM_V5" \
	--logger-serial 123 --db "$T_TMP/r.db" 2>&1); rc=$?
t_is "$rc" 9 "run with a wrong logger serial stops at once with exit 9"
t_like "$out" "checking the logger serial: .* is serial $SIM_LOGGER_SERIAL, not 123" \
	"... saying which serial the logger has"

out=$("$ZC" probe --preset wifi-stick --tcp "$SIM_V5" --logger-serial "$SIM_LOGGER_SERIAL" 2>&1)
t_like "$out" '^link .* wifi-stick \(Solarman V5, logger [0-9]+\)' "preset wifi-stick speaks V5"
out=$("$ZC" probe --preset eth-stick --tcp "$SIM_RTUTCP" 2>&1)
t_like "$out" '^framing +RTU over TCP$' "preset eth-stick speaks RTU over TCP"
out=$("$ZC" probe --preset wifi-stick --tcp "$SIM_V5" 2>&1); rc=$?
t_is "$rc" 2 "preset wifi-stick without --logger-serial is a usage error"

sim_ctl fault logger-ignore-serial on >/dev/null
out=$("$ZC" probe --solarman "$SIM_V5" --logger-serial 123 --timeout 500 2>&1); rc=$?
t_is "$rc" 3 "a logger that ignores another serial: no answer (exit 3)"
t_like "$out" "ignores a request naming another serial \(check --logger-serial" \
	"... and the message names the serial as the first suspect"
sim_ctl fault logger-ignore-serial off >/dev/null

sim_ctl fault logger-no-inverter on >/dev/null
out=$("$ZC" probe --solarman "$SIM_V5" --logger-serial "$SIM_LOGGER_SERIAL" 2>&1); rc=$?
t_is "$rc" 10 "V5: the logger answers, the inverter does not: exit 10"
t_like "$out" "answers, but the inverter behind it does not" "... named in a sentence"
out=$("$ZC" probe --rtu-over-tcp "$SIM_RTUTCP" --timeout 500 2>&1); rc=$?
t_is "$rc" 3 "RTU over TCP: a silent inverter is no answer (exit 3)"
t_like "$out" "the stick took the connection, so either the inverter behind it is silent" \
	"... and the message says the stick is there"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "MBAP on the same plant is not affected"
sim_ctl fault logger-no-inverter off >/dev/null

out=$("$ZC" probe --framing v5 --port /dev/null 2>&1); rc=$?
t_is "$rc" 2 "--framing on a serial port is refused"
out=$("$ZC" probe --tcp "$SIM_TCP" --framing udp 2>&1); rc=$?
t_is "$rc" 2 "an unknown framing is refused"
t_like "$out" "--framing is auto, mbap, rtu" "... listing the framings"
out=$("$ZC" probe --solarman "$SIM_V5" --logger-serial 4294967296 2>&1); rc=$?
t_is "$rc" 2 "a logger serial beyond 32 bits is refused"
t_done
