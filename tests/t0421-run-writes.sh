#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes that cannot hurt an inverter, asserted on the wire: zcs-sim logs
# every FC 0x10 it receives (--write-log), and `run` prints every register of
# the request and its frame.  The battery block and the parallel settings go
# as one FC 0x10 of their whole span; a garbage block read is refused with
# nothing sent; the commit status (polled while in operation) and the whole
# block are read back; a dry run sends nothing; a map cannot make the
# factory reset writable; NaN is never a number.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

LOG="$T_TMP/writes.log"
sim_start clean --write-log "$LOG" || { t_ok 1 "simulator starts"; t_done; exit 1; }
BAT=$(map_addr g3 battery)
PAR=$(map_addr g3 parallel)
bat_words=$(awk '$1 == "group" && $2 == "battery" { for (i = 3; i <= NF; i++)
	if ($i ~ /^words=/) print substr($i, 7) }' "$ZCS_DATA_DIR/maps/g3.map")
sp() { echo "$1" | sed 's/../& /g; s/ $//'; }   # 1044 -> "10 44"
# The answers up to the battery settings step: the run writes the DoD there,
# then stops at the next unanswered question (exit 5), which is all we need.
sed '/^write bset.dod/q' "$ZCS_DATA_DIR/examples/azzurro-ct.ans" >"$T_TMP/bat.ans"
run() { # run ANSWERS [options]: output in $out, exit code in $rc
	_a=$1; shift
	: >"$LOG"
	out=$("$ZC" run --answers "$_a" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" \
		--db "$T_TMP/r.db" --act "$ZSIM ctl $SIM_CTL" "$@" 2>&1)
	rc=$?
}
frame_of() { # frame_of NAME: the frame `run` printed for the write of NAME
	printf '%s\n' "$out" | awk -v n="$1" '$1 == "write" && $2 == n { f = 1 }
		f && $1 == "frame:" { $1 = ""; sub(/^ /, ""); print; exit }'
}

# --- the battery block: one FC 0x10 of the whole span ---------------------
sim_ctl setting bat_dod 90 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "write battery \(slave 1\): one FC 0x10 of $bat_words registers at 0x$BAT" \
	"the DoD is written with the whole battery block ($bat_words registers)"
t_like "$out" "bat_dod +90 % \[0x005A\] -> 80 % \[0x0050\]" "the change is shown: DoD 90 -> 80 %"
t_like "$out" "bat_commit +0 \[0x0000\] -> 1 \[0x0001\] \(commit\)" "so is the commit register set to 1"
t_like "$out" "bat_overvoltage +[0-9.]+ V \[0x[0-9A-F]{4}\] \(sent back as read\)" \
	"every other register is shown with the value sent back"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 1 "exactly one FC 0x10 reached the inverter"
t_like "$(cat "$LOG")" "^01 10 $(sp "$BAT") 00 $(printf '%02X %02X' "$bat_words" $((2 * bat_words))) " \
	"  at the block's address, for the block's $bat_words registers"
t_is "$(sed 's/ -> ok$//' "$LOG")" "$(frame_of battery)" "  and it is byte for byte the frame run showed"
t_like "$out" "written and read back" "the write is confirmed"
t_is "$(zc_value bat_dod)" 80 "the inverter holds 80 %"
t_is "$(zc_value bat_commit)" 0 "its commit register reads status 0 (operation successful)"

# --- a dry run shows the frame and sends nothing -----------------------------
sim_ctl setting bat_dod 90 >/dev/null
run "$T_TMP/bat.ans" --dry-run-writes
t_like "$out" "frame: 01 10 $(sp "$BAT") " "dry run: the frame is shown"
t_like "$out" "dry run: nothing sent" "  and said not to be sent"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 0 "  no FC 0x10 on the wire"
t_is "$(zc_value bat_dod)" 90 "  the inverter still holds 90 %"

# --- a garbage block read: refused, nothing sent --------------------------
ov=$(zc_value bat_overvoltage); cc=$(zc_value bat_charge_current)
sim_ctl set bat_overvoltage 6553.5 >/dev/null
sim_ctl set bat_charge_current 655.35 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "REFUSED, nothing will be sent: battery: bat_overvoltage reads 6553.5 V \[0xFFFF\], outside its range 40..60 V" \
	"a block read with 6553.5 V: the write is refused naming register and value"
t_like "$out" "write failed: battery: bat_overvoltage reads 6553.5 V" "  the run says the write failed"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 0 "  no FC 0x10 on the wire"
t_is "$(zc_value bat_dod)" 90 "  the DoD is untouched"
sim_ctl set bat_overvoltage auto >/dev/null; sim_ctl setting bat_overvoltage "$ov" >/dev/null
sim_ctl set bat_charge_current auto >/dev/null; sim_ctl setting bat_charge_current "$cc" >/dev/null
fl=$(zc_value bat_lead_float)
sim_ctl set bat_lead_float 6553.5 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "bat_lead_float reads 6553.5 V \[0xFFFF\], a \"no value\" sentinel" \
	"a sentinel 0xFFFF in a register without a range: refused too"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 0 "  nothing sent"
sim_ctl set bat_lead_float auto >/dev/null; sim_ctl setting bat_lead_float "$fl" >/dev/null
sim_ctl set bat_protocol 255 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "bat_protocol reads .*\[0x00FF\], outside its range 0..15" \
	"battery protocol 255 read from the block: refused"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 0 "  nothing sent"
sim_ctl set bat_protocol auto >/dev/null; sim_ctl setting bat_protocol 0 >/dev/null

# --- the commit refused with 0xFFFE --------------------------------------------
sim_ctl fault commit-refused on >/dev/null
run "$T_TMP/bat.ans"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 1 "commit-refused: the block is sent once"
t_like "$(cat "$LOG")" " -> ok$" "  and acknowledged"
t_like "$out" "write failed: battery: the inverter reports 0xFFFE in bat_commit: operation failed, parameter storage failed" \
	"the commit status 0xFFFE is reported as a failed write, in the protocol's words"
rec=$(sqlite3 "$T_TMP/r.db" "SELECT reg, raw_written, raw_readback, ok FROM writes ORDER BY id DESC LIMIT 2" | sort | tr '\n' ' ')
t_is "$rec" "bat_commit|1|65534|0 bat_dod|80|90|0 " \
	"  recorded: DoD sent 80 read 90, commit sent 1 read 0xFFFE, both failed"
sim_ctl fault commit-refused off >/dev/null

# --- the commit in operation for a while ---------------------------------------
sim_ctl setting bat_dod 90 >/dev/null
sim_ctl fault commit-busy on 3 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "written and read back" "commit in operation for 3 reads: polled until done, written"
t_is "$(zc_value bat_dod)" 80 "  the DoD is 80 %"
sim_ctl setting bat_dod 90 >/dev/null
sim_ctl fault commit-busy on 50 >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "write failed: battery: bat_commit still reads 1 \(in operation\) after 20 reads" \
	"a commit that stays in operation: polled a bounded number of times, then a failed write"
sim_ctl fault commit-busy off >/dev/null
sim_ctl setting bat_dod 90 >/dev/null

# --- acknowledged, but something else stored -----------------------------
sim_ctl fault write-stores-other on >/dev/null
run "$T_TMP/bat.ans"
t_like "$out" "write failed: battery: the values read back differ from those written: bat_dod sent 80 % \[0x0050\], reads 79 % \[0x004F\]" \
	"write-stores-other: the block read back differs: a failed write naming sent and read values"
sim_ctl fault write-stores-other off >/dev/null

# --- NaN is no number ---------------------------------------------------------
sed 's/^before.clamp .*/before.clamp nan/' "$T_TMP/bat.ans" >"$T_TMP/nan.ans"
run "$T_TMP/nan.ans"
t_is "$rc" 5 "a 'nan' answer stops the run (exit 5)"
t_like "$out" "\(before.clamp\): 'nan' is not a finite number" "  naming the question"
sed 's/^before.clamp .*/before.clamp inf/' "$T_TMP/bat.ans" >"$T_TMP/inf.ans"
run "$T_TMP/inf.ans"
t_like "$out" "\(before.clamp\): 'inf' is not a finite number" "'inf' is refused the same way"
run "$T_TMP/bat.ans" --window-scale nan
t_like "$out" "--window-scale takes a number above 0" "--window-scale nan is refused"

# --- a map cannot make the factory reset writable ---------------------------
mkdir -p "$T_TMP/data"
cp -r "$ZCS_DATA_DIR"/. "$T_TMP/data/"
sed -i 's/^\(reg factory_reset .*\) conf=H/\1 access=rw min=0 max=7 conf=H/' "$T_TMP/data/maps/g3.map"
line=$(grep -n '^reg factory_reset' "$T_TMP/data/maps/g3.map" | cut -d: -f1)
out=$(ZCS_DATA_DIR="$T_TMP/data" "$ZC" read --tcp "$SIM_TCP" grid_power 2>&1)
t_is "$?" 5 "a map marking factory_reset writable is refused at load (exit 5)"
t_like "$out" "maps/g3.map:$line: 'factory_reset' \(0x2006\) is the user-data \(factory\) reset, which this tool never writes" \
	"  with file:line and the reason"
t_is "$(wc -l <"$LOG" | tr -d ' ')" 0 "  and nothing reached the inverter"

# --- the parallel settings: one FC 0x10 of 0x1035-0x1037 -----------------------
sim_start fault-parallel-duplicate-address --write-log "$T_TMP/par.log" ||
	{ t_ok 1 "simulator starts"; t_done; exit 1; }
out=$("$ZC" run --answers "$ZCS_DATA_DIR/examples/parallel-3.ans" --tcp "$SIM_TCP" --window-scale "$RUN_SCALE" \
	--db "$T_TMP/r.db" --act "$ZSIM ctl $SIM_CTL" 2>&1)
t_like "$out" "write parallel \(slave 3\): one FC 0x10 of 3 registers at 0x$PAR" \
	"slave 3's duplicate parallel address is written with the whole parallel block"
t_like "$out" "parallel_address +1 \[0x0001\] -> 2 \[0x0002\]" "  address 1 -> 2"
par=$(grep "^03 10 $(sp "$PAR") " "$T_TMP/par.log")
t_is "$par" "03 10 $(sp "$PAR") 00 03 06 00 01 00 00 00 02 -> ok" \
	"  one FC 0x10 on the wire: enable, role and address together"
t_is "$(grep -c "^.. 10 $(sp "$PAR") " "$T_TMP/par.log")" 1 \
	"  and no other request to the parallel settings"
t_done
