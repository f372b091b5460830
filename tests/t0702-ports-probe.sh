#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# zcs-commission ports --probe: which adapter reaches the inverter, so the
# installer never has to guess among several ttyUSB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fake-usb.sh"

R="$T_TMP/usb"
export ZCS_SYSFS_ROOT="$R/sys" ZCS_DEV_ROOT="$R/dev"

sim_start clean --rtu --meters-rtu || t_skip_all "zcs-sim did not start"
# the CH340 goes to the meters' line, the FTDI to the inverter
fake_usb_add "$R" 1-1 1a86 7523 - "USB Serial" - ch341 ttyUSB0
fake_usb_dev "$R" ttyUSB0 "$SIM_METERS_RTU"
fake_usb_add "$R" 1-2 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB1 1
fake_usb_dev "$R" ttyUSB1 "$SIM_RTU"

out=$("$ZC" ports --probe --timeout 200 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
t_is "$rc" 0 "ports --probe exits 0"
t_like "$(printf '%s\n' "$out" | grep -A2 'dev/ttyUSB1 .*A123' | grep '= answers')" \
	"answers: .*serial ZM2ES060M1E001 \(G3 layout, slave 1\)" \
	"the FTDI on ttyUSB1 reaches the inverter, by its serial"
t_like "$out" "^the unit answers on [^ ]*/dev/ttyUSB1: use --adapter 0403:6001:A123" \
	"says which adapter to use, by identity"
t_like "$out" "= nothing identified: .*ttyUSB0" "nothing identified behind the CH340, with why"
json=$("$ZC" ports --probe --json --timeout 200 2>&1)
t_like "$json" '"tty":"ttyUSB1".*"probe":\{"ok":true,"serial":"ZM2ES060M1E001"' "--json: the probe result"
t_like "$json" '"tty":"ttyUSB0".*"probe":\{"ok":false,"error":' "--json: the failed probe with its error"
out=$("$ZC" ports --port /dev/ttyUSB0 2>&1); rc=$?
t_is "$rc" 2 "--port does not apply to ports"
t_done
