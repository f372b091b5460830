#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Connect screen on a field laptop: the USB-RS485 adapters plugged in
# are listed by what they are, a connection from the command line is
# preselected, a dead link says what to check; NO_COLOR and --no-color give
# a monochrome screen, --theme high-contrast a dark-on-white one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-tmux.sh"
. "$(dirname "$0")/fake-usb.sh"

R="$T_TMP/usb"
mkdir -p "$R/sys/bus/usb/devices" "$R/dev"
fake_usb_add "$R" 1-1 0403 6001 FTDI "FT232R USB UART" A123 ftdi_sio ttyUSB0 1
: > "$R/dev/ttyUSB0"
env_usb="ZCS_SYSFS_ROOT=$R/sys ZCS_DEV_ROOT=$R/dev"
colours='\[([0-9;]*;)?(3[0-7]|4[0-7]|38|48)(;|m)'

tm_start 100 30 env $env_usb NO_COLOR=1 "$ZC" --tcp 127.0.0.1:1 --db "$T_TMP/r.db"
tm_wait 'How is the laptop connected'; t_ok $? "a connection given: the field Connect screen"
t_unlike "$(tm_screen)" 'TRAINING' "no TRAINING marker"
t_like "$(tm_screen)" 'ttyUSB0 +FTDI FT232R.*A123' "the FTDI adapter is listed by maker and serial"
t_like "$(tm_screen)" 'hub-inverters +TCP port 55400' "the HUB presets are listed"
t_like "$(tm_screen)" '\(\*\) TCP host\[:port\] +127\.0\.0\.1:1' "the given TCP link is chosen"
t_unlike "$($TM capture-pane -e -p -t w)" "$colours" "NO_COLOR: no colour on screen"
tm_keys Enter
tm_wait 'NO LINK'; t_ok $? "Test link on a dead address: NO LINK"
t_like "$(tm_screen)" 'nothing accepts Modbus TCP connections at 127\.0\.0\.1:1' \
	"with what is wrong and what to check"
tm_keys Up Up Up Up Up Up Up Up Up Up Enter
tm_wait '\(\*\) /dev/ttyUSB0|\(\*\) .*ttyUSB0'; t_ok $? "Enter chooses the adapter"
tm_keys Down Down Down Down Down Down Down Down Down Down Down Enter
tm_wait 'NO LINK'; t_ok $? "testing a serial device that is not a port"
t_like "$(tm_screen)" '(cannot open|no serial device) .*ttyUSB0' "names the device and why"
tm_keys q y
tm_wait '^\[exited 0\]'; t_ok $? "quits"

$TM kill-session -t w
tm_start 100 30 "$ZC" --no-color --tcp 127.0.0.1:1 --db "$T_TMP/r.db"
tm_wait 'How is the laptop connected'; t_ok $? "--no-color starts"
t_unlike "$($TM capture-pane -e -p -t w)" "$colours" "--no-color: no colour on screen"
t_like "$(tm_screen)" 'PASS|F1 Help' "the key bar is there in words"
tm_keys t
tm_wait 'theme: colour'; t_ok $? "t switches the theme"
t_like "$($TM capture-pane -e -p -t w)" "$colours" "the colour theme does use colour"
tm_keys q y

$TM kill-session -t w
tm_start 100 30 "$ZC" --theme high-contrast --tcp 127.0.0.1:1 --db "$T_TMP/r.db"
tm_wait 'How is the laptop connected'; t_ok $? "--theme high-contrast starts"
t_like "$($TM capture-pane -e -p -t w)" '\[([0-9;]*;)?47(;|m)' "on a white background"
tm_keys q y
t_done
