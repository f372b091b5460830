#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A headless session through a USB-RS485 adapter that is pulled out mid-way
# and plugged back as another ttyUSB: the link is "lost", the session waits,
# finds the adapter again by its identity and completes, with the gap in
# its output.  The adapter is a fake sysfs tree whose tty is a symlink to
# the simulator's pseudo-terminal; unplugging tears the pseudo-terminal down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fake-usb.sh"

R="$T_TMP/usb"
export ZCS_SYSFS_ROOT="$R/sys" ZCS_DEV_ROOT="$R/dev"
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"

sim_start clean --rtu || t_skip_all "zcs-sim did not start"
fake_usb_add "$R" 1-1 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB0 1
fake_usb_dev "$R" ttyUSB0 "$SIM_RTU"
t_like "$("$ZC" ports)" "dev/ttyUSB0 +0403:6001:A123" "the fake adapter is ttyUSB0"

# The installer's "breaker on" pulls the adapter out (after doing the action).
cat > "$T_TMP/act" <<EOS
#!/bin/sh
"$ZSIM" ctl "$SIM_CTL" "\$@" || exit 1
if [ "\$*" = "breaker on" ] && [ ! -e "$T_TMP/pulled" ]; then
	: > "$T_TMP/pulled"
	"$ZSIM" ctl "$SIM_CTL" rtu unplug >/dev/null
	. "$(cd "$(dirname "$0")" && pwd)/fake-usb.sh"
	fake_usb_remove "$R" 1-1
	rm -f "$R/dev/ttyUSB0"
fi
EOS
chmod +x "$T_TMP/act"

# Once the session reports the loss, plug it back into another USB port.
(
	i=0
	while [ $i -lt 600 ] && ! grep -q "link lost" "$T_TMP/run.out" 2>/dev/null; do
		sleep 0.1; i=$((i + 1))
	done
	new=$("$ZSIM" ctl "$SIM_CTL" rtu plug | sed -n 's/^rtu //p')
	echo "$new" > "$T_TMP/new-pty"
	fake_usb_add "$R" 1-4 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB3 1
	fake_usb_dev "$R" ttyUSB3 "$new"
) &
plugger=$!
t_at_exit "kill $plugger"

DB="$T_TMP/records.db"
"$ZC" run --answers "$ANS" --port "$R/dev/ttyUSB0" --window-scale 0.1 --db "$DB" \
	--act "$T_TMP/act" > "$T_TMP/run.out" 2>&1
rc=$?
wait $plugger
out=$(cat "$T_TMP/run.out")
printf '%s\n' "$out" | grep -E "link (lost|restored)|^adapter" | sed 's/^/# /'
t_ok "$([ -e "$T_TMP/pulled" ]; echo $?)" "the adapter was pulled mid-session"
t_is "$rc" 0 "the session completes: exit 0"
t_like "$out" "adapter FTDI FT232R serial A123 on [^ ]*/dev/ttyUSB0: if it is unplugged the session waits" \
	"run says it follows the adapter"
t_like "$out" "link lost: .*ttyUSB0.*polling and checks paused" "the loss is reported, naming ttyUSB0"
t_like "$out" "link restored: [^ ]*/dev/ttyUSB3 at 9600 8N1" "the return, as ttyUSB3"
t_like "$out" "commissioning complete: every applicable step passed" "and every step passed"
lost=$(printf '%s\n' "$out" | grep -n "link lost" | head -1 | cut -d: -f1)
back=$(printf '%s\n' "$out" | grep -n "link restored" | head -1 | cut -d: -f1)
t_ok "$([ "${lost:-0}" -gt 0 ] && [ "${back:-0}" -gt "$lost" ]; echo $?)" "lost comes before restored"
t_unlike "$out" "^\[FAIL\]" "no step failed for the missing link"
t_is "$(sim_state rtu)" "$(cat "$T_TMP/new-pty")" "the simulator serves the new pseudo-terminal"

# The gap is in the record.
id=$(printf '%s\n' "$out" | sed -n 's/^recorded as session \([0-9]*\) .*/\1/p')
t_like "$id" '^[0-9]+$' "the session was recorded"
show=$("$ZC" records show "$id" --db "$DB" 2>&1)
t_like "$show" "lost: .*ttyUSB0 stopped answering" "records show: the loss"
t_like "$show" "restored: [^ ]*/dev/ttyUSB3 at 9600 8N1" "records show: the return, as ttyUSB3"
json=$("$ZC" records export "$id" --format json --db "$DB" 2>&1)
if command -v python3 >/dev/null; then
	kinds=$(printf '%s\n' "$json" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(" ".join(e["kind"] for e in d["events"] if e["kind"] in ("lost", "restored")))')
	t_is "$kinds" "lost restored" "records export: a lost and a restored event, in order"
fi
out=$("$ZC" records verify "$id" --db "$DB" 2>&1); rc=$?
t_is "$rc" 0 "records verify: exit 0"
t_like "$out" "records is intact" "the record with the gap is intact"
t_done
