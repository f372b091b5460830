#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Timeouts and a slave that never answers, from a real server: exit 3 and
# the installer's sentence, over TCP and over the pseudo-terminal.
. "$(dirname "$0")/lib.sh"

sim_start link-slow --rtu || t_skip_all "zcs-sim did not start"
rd() { "$ZC" read "$@" --map g3 bat_soc 2>&1; }
out=$(rd --tcp "$SIM_TCP" --timeout 300); rc=$?
t_is "$rc" 3 "replies 1.5 s late, timeout 300 ms over TCP: exit 3"
t_like "$out" "no answer from slave 1 at 127\.0\.0\.1:[0-9]+ within 300 ms" "TCP: 'no answer ... within 300 ms'"
t_like "$out" "raise --timeout or --interval" "TCP: says what to try"
out=$(rd --port "$SIM_RTU" --timeout 300); rc=$?
t_is "$rc" 3 "RTU: exit 3"
t_like "$out" "no answer from slave 1 on $SIM_RTU at 9600 8N1 within 300 ms: check the A/B wires" \
	"RTU: 'no answer ... check the A/B wires'"
sim_ctl fault link-slow on 100 >/dev/null
out=$(rd --tcp "$SIM_TCP" --timeout 2000); rc=$?
t_is "$rc" 0 "a late reply within the timeout is read"
t_like "$out" "bat_soc +60 %" "and its value is right"
sim_ctl fault link-slow off >/dev/null

sim_start link-silent --rtu || t_skip_all "zcs-sim did not start"
out=$(rd --tcp "$SIM_TCP" --timeout 200); rc=$?
t_is "$rc" 3 "a slave that never answers (TCP): exit 3"
t_like "$out" "no answer from slave 1" "TCP: 'no answer from slave 1'"
out=$(rd --port "$SIM_RTU" --timeout 200); rc=$?
t_is "$rc" 3 "a slave that never answers (RTU): exit 3"
sim_ctl fault link-silent off >/dev/null
out=$(rd --port "$SIM_RTU" --slave 7 --timeout 200); rc=$?
t_is "$rc" 3 "nobody at slave 7 on the RTU line: exit 3"
t_like "$out" "no answer from slave 7 on $SIM_RTU" "RTU: names slave 7 and the port"
out=$("$ZC" probe --port "$SIM_RTU" --slave 7 --timeout 200 2>&1); rc=$?
t_is "$rc" 3 "probe of a silent slave: exit 3"
t_is "$(rd --port "$SIM_RTU")" "bat_soc                60 %" "slave 1 still answers on the same line"
t_done
