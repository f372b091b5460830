#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Connect screen and the data logger sticks.  The Wi-Fi stick's serial
# has its own field, filled from --logger-serial; an empty or wrong one is
# named in the wizard's words with where to find the right one; and what
# one choice set (a stick's framing, its timeouts) does not follow the
# installer to the next choice: an adapter chosen after the ETH stick is
# tested as an adapter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/fake-usb.sh"

sim_start clean --v5 0 --logger-serial 2712345678 || t_skip_all "zcs-sim did not start"
R="$T_TMP/usb"
mkdir -p "$R/sys/bus/usb/devices" "$R/dev"
fake_usb_add "$R" 1-1 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB0 1
: > "$R/dev/ttyUSB0"

# Items: ttyUSB0, serial port, six presets (eth-stick the fifth), TCP,
# logger serial, slave, Test link, Continue.  The focus starts on Test.
tm_start 200 32 env ZCS_SYSFS_ROOT="$R/sys" ZCS_DEV_ROOT="$R/dev" "$ZC" \
	--solarman "$SIM_V5" --logger-serial "$SIM_LOGGER_SERIAL" --db "$T_TMP/r.db"
tm_wait 'How is the laptop connected'; t_ok $? "a Wi-Fi stick on the command line: Connect"
t_like "$(tm_screen)" "logger serial +$SIM_LOGGER_SERIAL +Wi-Fi stick: the serial on its label" \
	"the stick's serial is in its own field"
t_like "$(tm_screen)" "\(\*\) TCP host\[:port\] +$SIM_V5" "the stick's address is chosen"
tm_keys Enter
tm_wait 'LINK GOOD'; t_ok $? "Test link over Solarman V5 with the serial of the field: LINK GOOD"

tm_keys Up Up C-u Down Down Enter
tm_wait "type the Wi-Fi stick's serial \(on its label\) in the logger serial field"
t_ok $? "the field emptied: the wizard asks for the stick's serial and where to find it"
t_unlike "$(tm_screen)" "needs --logger-serial" "not the command line's wording"

tm_keys Up Up
tm_type 123
tm_keys Down Down Enter
tm_wait "is serial $SIM_LOGGER_SERIAL, not 123"
t_ok $? "a wrong serial: the stick's own serial is named"

tm_keys Up Up C-u
tm_type "$SIM_LOGGER_SERIAL"
tm_keys Down Down Enter
tm_wait 'LINK GOOD'; t_ok $? "the right serial typed: LINK GOOD again"

# The ETH stick's preset (RTU over TCP, 3 s timeout), then the adapter.
tm_keys Up Up Up Up Up Up Enter Down Down Down Down Down Down Enter
tm_wait 'NO LINK'; t_ok $? "the ETH stick's preset on this address: NO LINK"
tm_keys Up Up Up Up Up Up Up Up Up Up Up Enter
tm_wait '\(\*\) /dev/ttyUSB0|\(\*\) .*ttyUSB0'; t_ok $? "then the adapter is chosen"
tm_keys Down Down Down Down Down Down Down Down Down Down Down Enter
tm_wait 'cannot open .*ttyUSB0 at 9600 8N1'
t_ok $? "the adapter is tested as an adapter (opened as a serial port, 9600 8N1)"
t_unlike "$(tm_screen)" 'are for a TCP link|framing' "the stick's framing did not follow it"
tm_keys q y
tm_wait '^\[exited 0\]'; t_ok $? "quits"
t_done
