#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-commission ports: the adapters of a fake sysfs tree, each with its tty,
# what to fix, --json, --watch, --adapter, and what to check when none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fake-usb.sh"

R="$T_TMP/usb"
export ZCS_SYSFS_ROOT="$R/sys" ZCS_DEV_ROOT="$R/dev"
mkdir -p "$R/sys/bus/usb/devices" "$R/dev"

out=$("$ZC" ports 2>&1); rc=$?
t_is "$rc" 0 "no adapter: ports still exits 0"
t_like "$out" "no USB-serial adapter found" "no adapter: says so"
t_like "$out" "dmesg" "no adapter: says to look at dmesg"
t_like "$out" "another USB port" "no adapter: suggests another USB port"
t_like "$out" "ftdi_sio.*ch341|ch341.*ftdi_sio" "no adapter: names the drivers to check"

fake_usb_add "$R" 1-1 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB0 16
fake_usb_add "$R" 1-2 1a86 7523 - "USB Serial" - ch341 ttyUSB1
fake_usb_add "$R" 1-3.1 10c4 ea60 "Silicon Labs" "CP2102 USB to UART Bridge Controller" 0001 cp210x ttyUSB2
fake_usb_add "$R" 2-1 2341 0043 Arduino Uno 7563 cdc_acm ttyACM0
fake_usb_add "$R" 2-3 046d c52b Logitech "USB Receiver" - usbhid -
for t in ttyUSB0 ttyUSB1 ttyUSB2 ttyACM0; do : > "$R/dev/$t"; done

out=$("$ZC" ports 2>&1); rc=$?
t_is "$rc" 0 "ports exits 0"
t_like "$out" "^TTY +ADAPTER +CHIP +MAKER +PRODUCT +SERIAL" "a header names the columns"
t_like "$out" "dev/ttyUSB0 +0403:6001:A123 +FTDI FT232R +FTDI +FT232R USB UART +A123" \
	"ttyUSB0 is the FTDI, serial A123"
t_like "$out" "dev/ttyUSB1 +1a86:7523@1-2 +WCH CH340" "ttyUSB1 is the CH340, known by its USB port"
t_like "$out" "dev/ttyUSB2 +10c4:ea60:0001 +Silicon Labs CP210x" "ttyUSB2 is the CP210x"
t_like "$out" "dev/ttyACM0 +2341:0043:7563 +unknown +Arduino +Uno" "ttyACM0 is listed as unknown"
t_unlike "$out" "Logitech" "a USB receiver without a tty is not listed"
t_like "$out" "latency timer 16 ms.*echo 1 \| sudo tee /sys/bus/usb-serial/devices/ttyUSB0/latency_timer" \
	"the FTDI's 16 ms latency timer: how to lower it"
t_like "$out" "brltty" "the CH340's note about brltty"
it=$(LANG=C "$ZC" --lang it ports 2>&1)
t_like "$it" "latency timer 16 ms: le risposte attendono fino a 16 ms nell'adattatore" \
	"--lang it: the adapter's diagnosis in Italian"
t_like "$it" "non in data/usb-serial.conf: una porta seriale" "  and the unknown adapter's"

json=$("$ZC" ports --json 2>&1)
t_like "$json" '"tty":"ttyUSB2","device":"[^"]*/dev/ttyUSB2","adapter":"10c4:ea60:0001"' \
	"--json: the CP210x with its tty"
t_like "$json" '"latency_ms":16' "--json: the latency timer"
if command -v python3 >/dev/null; then
	echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["adapters"]) == 4'
	t_ok $? "--json: valid JSON with four adapters"
fi

# --adapter picks the port by identity
out=$("$ZC" probe --adapter 0403:6001:B999 2>&1); rc=$?
t_is "$rc" 3 "--adapter with an absent serial: link error"
t_like "$out" "no adapter 0403:6001:B999 is plugged in" "--adapter: says which is missing"
out=$("$ZC" probe --adapter ttyUSB0 2>&1); rc=$?
t_is "$rc" 2 "--adapter ttyUSB0: usage error"
t_like "$out" "VID:PID" "--adapter ttyUSB0: says how to write an adapter"
out=$("$ZC" probe --adapter 0403:6001:A123 --timeout 50 2>&1)
t_like "$out" "dev/ttyUSB0" "--adapter 0403:6001:A123 opens its tty, ttyUSB0"

# permission denied: dialout advice (needs root to drop to another user)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod -R a+rX "$T_TMP"
	rm -f "$R/dev/ttyUSB1"; : > "$R/dev/ttyUSB1"
	chgrp dialout "$R/dev/ttyUSB1" 2>/dev/null || chgrp 20 "$R/dev/ttyUSB1"
	chmod 660 "$R/dev/ttyUSB1"
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ZC" ports 2>&1)
	t_like "$out" "permission denied on [^ ]*/dev/ttyUSB1 .*mode 660.*usermod -aG [a-z0-9]+ .*log out and in" \
		"a tty the user may not open: join the group, log in again"
else
	t_ok 0 "# SKIP permission test needs root and setpriv"
fi

# --watch: unplug and replug
"$ZC" ports --watch > "$T_TMP/watch.out" 2>&1 &
wpid=$!
t_at_exit "kill $wpid"
wait_for() { # wait_for PATTERN FILE: up to 20 s
	i=0
	while [ $i -lt 200 ] && ! grep -Eq -- "$1" "$2"; do sleep 0.1; i=$((i + 1)); done
}
wait_for "watching for adapters" "$T_TMP/watch.out"
fake_usb_remove "$R" 1-1
wait_for "unplugged" "$T_TMP/watch.out"
fake_usb_add "$R" 1-4 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB3 1
wait_for "plugged in" "$T_TMP/watch.out"
kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
w=$(cat "$T_TMP/watch.out")
t_like "$w" "sysfs polling" "--watch: polls the fake tree"
t_like "$w" "unplugged +FTDI FT232R serial A123 \(was [^ ]*/dev/ttyUSB0\)" "--watch: the unplug is reported"
t_like "$w" "plugged in +FTDI FT232R serial A123 as [^ ]*/dev/ttyUSB3" "--watch: the replug, as ttyUSB3"

out=$("$ZC" ports bogus 2>&1); rc=$?
t_is "$rc" 2 "an unknown argument is a usage error"
t_done
