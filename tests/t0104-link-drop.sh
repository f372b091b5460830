#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A server that drops the connection, and the HUB's one-client rule: the
# link reconnects once by itself, and says so when that is not enough.
. "$(dirname "$0")/lib.sh"

sim_start link-drop || t_skip_all "zcs-sim did not start"
out=$("$ZC" read --tcp "$SIM_TCP" --map g3 bat_soc 2>&1); rc=$?
t_is "$rc" 3 "a gateway closing at every request: exit 3"
t_like "$out" "127\.0\.0\.1:[0-9]+ closed the connection \(another client took the HUB port\?" \
	"the message says the connection was closed"
sim_ctl fault link-drop off >/dev/null

# `drop` closes the clients once: the next request reconnects by itself.
DUO="$ZCS_BUILD/tests/linkduo"
sim_ctl fault link-one-client off >/dev/null
out=$("$DUO" "$SIM_TCP" bat_soc)
t_like "$out" "A transactions 2" "two clients side by side without the one-client rule"
sim_ctl fault link-one-client on >/dev/null
out=$("$DUO" "$SIM_TCP" bat_soc)
t_like "$out" "B ok 60" "one-client rule: the second client is served"
t_like "$out" "A ok 60" "the first client reconnects and is served again"
t_like "$out" "A transactions 3" "after one failed attempt (pre-empted by the second)"
t_like "$(sim_ctl drop)" "dropped [0-9]+" "the drop command closes the TCP clients"
t_done
