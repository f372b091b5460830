#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# ports --lan finds the Wi-Fi sticks by their UDP discovery: two simulated
# loggers on loopback (ZCS_LAN_TARGETS points the question at them instead
# of a broadcast), each listed once with the --solarman options to use,
# which then reach that logger.
. "$(dirname "$0")/lib.sh"

sim_start clean --v5 0 --discovery 0 --logger-serial 1111111111 ||
	t_skip_all "zcs-sim did not start"
D1=$SIM_DISCOVERY V1=$SIM_V5
sim_start clean --v5 0 --discovery 0 --logger-serial 2222222222 ||
	t_skip_all "the second zcs-sim did not start"
D2=$SIM_DISCOVERY

out=$(ZCS_LAN_TARGETS="$D1,$D2,$D1" "$ZC" ports --lan --wait 500 2>&1); rc=$?
t_is "$rc" 0 "ports --lan exits 0"
t_like "$out" "2 loggers answered" "two loggers answered (one asked twice counts once)"
t_like "$out" '^1111111111 +127\.0\.0\.1 +AC:CF:23:[0-9A-F:]+ +--solarman 127\.0\.0\.1 --logger-serial 1111111111$' \
	"the first logger with its options"
t_like "$out" '^2222222222 +127\.0\.0\.1 .*--logger-serial 2222222222$' "the second logger"
json=$(ZCS_LAN_TARGETS="$D1,$D2" "$ZC" ports --lan --wait 500 --json)
t_like "$json" '"loggers":\[\{"ip":"127.0.0.1","mac":"[0-9A-F:]{17}","serial":1111111111\},\{.*"serial":2222222222\}\]' \
	"--json lists both"

# the options printed reach that logger (its V5 port: the simulator's)
opts=$(printf '%s\n' "$out" | sed -n 's/^1111111111 .*\(--logger-serial [0-9]*\)$/\1/p')
out=$("$ZC" probe --solarman "$V1" $opts 2>&1); rc=$?
t_is "$rc" 0 "the options found reach the first logger ($opts)"

sim_stop "$SIM_PID"
out=$(ZCS_LAN_TARGETS="$D2" "$ZC" ports --lan --wait 300 2>&1)
t_like "$out" "0 loggers answered" "a logger that is gone does not answer"
t_like "$out" "is the laptop on the sticks' network" "... and the message says what to check"

out=$(env -u ZCS_LAN_TARGETS "$ZC" ports --lan --iface zcs-no-such-if 2>&1); rc=$?
t_is "$rc" 2 "an interface that does not exist is a usage error"
t_like "$out" "no network interface zcs-no-such-if" "... naming it"
out=$(env -u ZCS_LAN_TARGETS "$ZC" ports --lan --iface lo 2>&1); rc=$?
t_is "$rc" 2 "loopback is never broadcast on"
out=$(ZCS_LAN_TARGETS="nonsense" "$ZC" ports --lan 2>&1); rc=$?
t_is "$rc" 2 "a malformed ZCS_LAN_TARGETS is refused"
out=$("$ZC" ports --iface eth0 2>&1); rc=$?
t_is "$rc" 2 "--iface without --lan is refused"
t_done
