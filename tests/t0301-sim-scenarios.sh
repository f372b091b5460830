#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-sim start-up: every scenario in data/scenarios loads and serves a
# G3 unit; the list, help and errors say what is wrong and where.
. "$(dirname "$0")/lib.sh"

list=$("$ZSIM" --list-scenarios); rc=$?
t_is "$rc" 0 "--list-scenarios succeeds"
n=0
for f in "$ZCS_DATA_DIR"/scenarios/*.scn; do
	name=$(basename "$f" .scn); n=$((n + 1))
	line=$(printf '%s\n' "$list" | awk -v n="$name" '$1 == n')
	t_like "$line" "^$name +[A-Z0-9]" "--list-scenarios describes $name"
	if sim_start "$name" --rtu --meters-tcp 0 --meters-rtu; then
		st=$(sim_ctl state); rc=$?
		t_like "$st" "^inverter 1 slave [0-9]+ model HYD[0-9]+-(ZSS-HP|ES)" "scenario $name loads and reports its plant"
		"$ZC" read --tcp "$SIM_TCP" --map g3 bat_soc >/dev/null 2>&1
		sim_stop "$SIM_PID"
		t_is "$(cat "$SIM_ERR")" "" "scenario $name: nothing on stderr"
	else
		t_ok 1 "scenario $name loads"
	fi
done
t_ok $([ $n -ge 30 ] && echo 0 || echo 1) "at least 30 scenarios ($n)"
for f in ct-reversed ct-partial meter-address meter-missing meters-swapped bat-comm-lost \
	 fewer-batteries bat-type-wrong dod-too-high pv-mode-single rs485-address-0 \
	 logic-interface wrong-country low-insulation parallel-duplicate-address \
	 parallel-two-primaries parallel-replica-battery; do
	t_ok $([ -f "$ZCS_DATA_DIR/scenarios/fault-$f.scn" ] && echo 0 || echo 1) "fault $f has a scenario"
done
for f in stores-other commit-refused; do
	t_ok $([ -f "$ZCS_DATA_DIR/scenarios/write-$f.scn" ] && echo 0 || echo 1) "write fault $f has a scenario"
done
for f in slow exception busy crc-noise drop one-client silent; do
	t_ok $([ -f "$ZCS_DATA_DIR/scenarios/link-$f.scn" ] && echo 0 || echo 1) "link fault $f has a scenario"
done
for f in upload no-inverter ignore-serial; do
	t_ok $([ -f "$ZCS_DATA_DIR/scenarios/logger-$f.scn" ] && echo 0 || echo 1) "logger fault $f has a scenario"
done

# The four lines a caller parses, then ready.
sim_start clean --rtu --meters-tcp 0 --meters-rtu || t_skip_all "zcs-sim did not start"
t_like "$(sed -n 1,6p "$SIM_OUT" | tr '\n' ' ')" \
	'^tcp 127\.0\.0\.1:[0-9]+ rtu /dev/pts/[0-9]+ meters-tcp 127\.0\.0\.1:[0-9]+ meters-rtu /dev/pts/[0-9]+ control .+ ready $' \
	"start-up prints tcp, rtu, meters-tcp, meters-rtu, control, ready"
f=$(sim_ctl faults)
t_like "$f" "^ct-reversed +off +the CT" "faults lists each fault and whether it is on"
t_like "$f" "^ +check: 11\.7/14: with PV off" "and the manual check it trips"
t_like "$(sim_ctl help)" "^grid on\|off +utility grid" "help lists the commands"
t_like "$(sim_ctl set nonsense 1 2>&1)" "no register 'nonsense' in map g3" "set of an unknown register says so"
t_like "$(sim_ctl fault nonsense on 2>&1)" "no fault 'nonsense'" "an unknown fault says so"
t_like "$(sim_ctl pv lots 2>&1)" "pv takes watts" "a bad number says what is wanted"
t_like "$(sim_ctl get power meter=9 2>&1)" "no meter at address 9" "get on a meter nobody has"
kill -TERM "$SIM_PID"; wait "$SIM_PID" 2>/dev/null; rc=$?
t_is "$rc" 0 "SIGTERM: a clean exit"
t_ok $([ -e "$SIM_CTL" ] && echo 1 || echo 0) "SIGTERM: the control socket is removed"

# Errors at start-up
cat > "$T_TMP/bad.scn" <<'SCN'
describe "broken on purpose"
inverter slave=1 model=HYD6000-ZSS-HP
battery model=us9000 count=2
SCN
out=$("$ZSIM" --tcp 0 --scenario "$T_TMP/bad.scn" 2>&1 </dev/null); rc=$?
t_is "$rc" 5 "a bad scenario: exit 5 (data)"
t_like "$out" "bad\.scn:3.*unknown battery model 'us9000'" "names the file, the line and the model"
printf 'describe "x"\ninverter slave=1 country=1\nbattery model=zsx5000 count=1\n' >"$T_TMP/cc.scn"
out=$("$ZSIM" --tcp 0 --scenario "$T_TMP/cc.scn" 2>&1 </dev/null); rc=$?
t_is "$rc" 5 "a G3 unit with country=1 (the legacy code) is refused: exit 5"
t_like "$out" "cc\.scn:2: inverter country=1: a G3 unit takes the country-region pair as the display shows it \(Italy 001-000\)" \
	"naming the file, the line and the pair to write"
printf 'inverter slave=1\n' > "$T_TMP/nodesc.scn"
t_like "$("$ZSIM" --scenario "$T_TMP/nodesc.scn" 2>&1 </dev/null)" 'nodesc\.scn:1: a scenario starts with describe' \
	"a scenario without describe"
out=$("$ZSIM" --scenario nosuch 2>&1 </dev/null); rc=$?
t_like "$out" "scenario 'nosuch'" "an unknown scenario name says which"
out=$("$ZSIM" --bogus 2>&1); rc=$?
t_is "$rc" 2 "an unknown option: exit 2"
t_like "$("$ZSIM" --help)" "^usage: zcs-sim" "--help"
t_like "$("$ZSIM" --version)" "^zcs-sim [0-9]" "--version"
t_like "$("$ZSIM" ctl "$T_TMP/none.sock" state 2>&1)" "cannot connect to .*none\.sock: .*\(is zcs-sim running\?\)" \
	"ctl without a simulator says so"
t_done
