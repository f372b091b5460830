#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The procedure in the guide's order, as the actions --act receives show
# it: section 12 (AC open, DC off, batteries off, then batteries on, AC on)
# and section 14 (PV off, AC open, batteries off, AC on, PV on, batteries
# on).  The batteries are never switched off while the inverter sees the
# grid (section 7): the simulator refuses it, and a procedure that tries
# fails the run.  A 'done STEP WORDS' line covers one action while --act
# performs the others; a failing --act command exits 7.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
LOG="$T_TMP/act.log"
# the --act command: log the words and the grid voltage at that moment, then
# let the simulator do it
cat >"$T_TMP/act.sh" <<EOS
#!/bin/sh
v=\$("$ZSIM" ctl "\$SIM_CTL" state | awk '\$1 == "grid" { g = \$2 } \$1 == "breaker" { b = \$2 } END { print (g == "on" && b == "on") ? "ac" : "no-ac" }')
echo "\$* \$v" >>"$LOG"
exec "$ZSIM" ctl "\$SIM_CTL" "\$@"
EOS
chmod +x "$T_TMP/act.sh"

sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
export SIM_CTL
out=$("$ZC" run --answers "$ANS" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" --quiet \
	--db "$T_TMP/r.db" --act "$T_TMP/act.sh" 2>&1)
t_is "$?" 0 "the clean run passes with the actions logged"
acts=$(sed 's/ [a-z-]*$//' "$LOG" | tr '\n' ',')
want="breaker off,dc off,battery off,battery on,breaker on,dc on,pv 3000,dc off,breaker off,battery off,breaker on,load 1500,dc on,battery on,pv 4000,pv 300,pv 1500,"
t_is "$acts" "$want" "--act receives the actions in the guide's order (sections 12, 14, 25)"
t_is "$(grep -c '^battery off ac$' "$LOG")" 0 "no battery-off action while the inverter sees the grid"
t_is "$(sim_state violations)" 0 "the simulator saw no battery switched off with AC connected"
t_like "$out" "\[PASS\] sign.ac-off " "section 14: the breaker open is read live (grid voltage 0)"
t_like "$out" "\[PASS\] sign.ac-on " "section 14: AC restored with the batteries off is read live"

# the session begins before the unit answers; it is identified at session.identity
t_like "$out" "session begun before power-up" "the session begins before power-up"
first_live=$(printf '%s\n' "$out" | awk '/^\[PASS\] session.identity/ { print NR; exit }')
ac_on=$(printf '%s\n' "$out" | awk '/^\[PASS\] power.ac-on/ { print NR; exit }')
t_ok "$([ -n "$first_live" ] && [ -n "$ac_on" ] && [ "$ac_on" -lt "$first_live" ]; echo $?)" \
	"the unit is identified after the AC breaker is closed"
t_like "$(sqlite3 "$T_TMP/r.db" "SELECT detail FROM events WHERE kind='identified'")" \
	"^serial ZM2ES060M1E001, model" "the identification is a chained event of the record"
t_like "$("$ZC" records verify --db "$T_TMP/r.db" 2>&1)" "records is intact" "the record's chain is intact"
sqlite3 "$T_TMP/r.db" "UPDATE sessions SET serial='ZM2ES060M1E999'"
t_like "$("$ZC" records verify --db "$T_TMP/r.db" 2>&1)" "the identified event, was altered" \
	"a serial changed after identification is found"

# the simulator itself refuses batteries off with AC connected
r=$(sim_ctl battery off 2>&1)
t_ok "$([ $? -ne 0 ]; echo $?)" "zcs-sim refuses 'battery off' while the grid is connected"
t_like "$r" "refused: batteries switched off with the AC grid connected" "and says why"
t_is "$(sim_state violations)" 1 "and counts it"
t_is "$(sim_state battery)" on "the batteries stay on"

# a procedure that switches the batteries off before opening the breaker fails
cp -r "$ZCS_CHECKLIST_DIR" "$T_TMP/chk"
sed -i '/^step sign.ac-off/,/^$/d' "$T_TMP/chk/power-sign.chk"
out=$("$ZC" run --answers "$ANS" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" --quiet \
	--db "$T_TMP/r2.db" --checklists "$T_TMP/chk" --act "$ZSIM ctl $SIM_CTL" 2>&1)
t_is "$?" 7 "a failing --act command stops the run: exit 7"
t_like "$out" "stopped at step sign.battery-off: the action command .* battery off' failed" \
	"batteries off with AC connected stops the run at that step"

# 'done STEP WORDS' covers one action; --act performs the others
: >"$LOG"
sim_ctl breaker on >/dev/null; sim_ctl battery on >/dev/null
{ cat "$ANS"; echo 'done power.dc-on "pv 3000"'; } >"$T_TMP/hand.ans"
out=$("$ZC" run --answers "$T_TMP/hand.ans" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" \
	--db "$T_TMP/r3.db" --act "$T_TMP/act.sh" 2>&1)
t_is "$?" 0 "the run passes with one action done by hand"
t_like "$out" "action: .*\(pv 3000\): done by hand" "the action done by hand is said so"
t_is "$(grep -c '^pv 3000 ' "$LOG")" 0 "--act does not perform it"
t_is "$(grep -c '^dc on ' "$LOG")" 2 "--act performs the step's other action"
t_done
