#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The replies that used to crash the tool: a unit that answers its serial
# but not the firmware registers (a NULL error pointer in read_versions ->
# link_read), and a TCP peer that drops the connection and then refuses to
# reconnect (the same in the reconnect path).  Each must end in a named
# message and an exit code, never a signal.
. "$(dirname "$0")/lib.sh"

sim_start no-firmware || t_skip_all "zcs-sim did not start"
out=$("$ZC" probe --tcp "$SIM_TCP" 2>&1); rc=$?
t_is "$rc" 0 "probe: a unit without firmware registers is still identified"
t_like "$out" "serial +ZM2ES060M1E001" "probe: the serial is shown"
t_like "$out" "Grid frequency +50.00 Hz" "probe: the live values are shown"
out=$("$ZC" read --tcp "$SIM_TCP" --map g3 grid_frequency 2>&1); rc=$?
t_is "$rc" 0 "read: a value the unit serves is read"
out=$("$ZC" read --tcp "$SIM_TCP" fw_com 2>&1); rc=$?
t_ok "$([ "$rc" -lt 128 ] && echo 0 || echo 1)" "read fw_com: no crash (exit $rc)"
t_like "$out" "fw_com" "read fw_com: the register is named"
out=$(timeout 120 "$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" \
	--window-scale 0.05 --quiet --db "$T_TMP/r.db" --act "$ZSIM ctl $SIM_CTL" 2>&1); rc=$?
t_is "$rc" 1 "run: ends with exit 1 (a step failed), no crash"
t_like "$out" "\\[FAIL\\] session.identity" "run: the identity step fails (no COM firmware)"

# A peer that takes one request, closes, and refuses every new connection.
port_file="$T_TMP/refuse.port"
python3 - "$port_file" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(20)
try:
    c, _ = s.accept(); c.settimeout(5); c.recv(260)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
    c.close()
except OSError:
    pass
s.close()
PY
py=$!
t_at_exit "kill $py"
i=0; while [ ! -s "$port_file" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
out=$("$ZC" read --tcp "127.0.0.1:$(cat "$port_file")" --map g3 grid_power 2>&1); rc=$?
t_is "$rc" 3 "a peer that drops and refuses to reconnect: exit 3 (link), no crash"
t_like "$out" "closed the connection|nothing accepts Modbus TCP" "and a message that names it"
t_done
