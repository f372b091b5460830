#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The simulator's control socket holds against clients that misbehave: one
# that never reads its replies does not freeze the plant, an over-long line
# is refused whole, `zcs-sim ctl` refuses a command too long instead of
# hanging, --control never deletes a file that is not its own socket, and
# non-numbers or out-of-range settings are refused.
. "$(dirname "$0")/lib.sh"

sim_start clean || t_skip_all "zcs-sim did not start"
python3 - "$SIM_CTL" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.setblocking(False)
try:
    for _ in range(20000):          # replies pile up: it never reads them
        s.send(b"faults\n")
except OSError:
    pass
time.sleep(30)
PY
hog=$!
t_at_exit "kill $hog"
sleep 2
out=$(timeout 15 "$ZSIM" ctl "$SIM_CTL" get grid_frequency 2>&1); rc=$?
t_is "$rc" 0 "a client that never reads does not freeze the plant"
t_like "$out" "grid_frequency 50" "and the plant still answers"
t_like "$("$ZC" read --tcp "$SIM_TCP" --map g3 grid_frequency 2>&1)" "50.00 Hz" "Modbus is still served"

out=$(python3 - "$SIM_CTL" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"a" * 3000 + b" quit\nget grid_frequency\n")
time.sleep(1)
print(s.recv(4000).decode())
PY
)
t_like "$out" "error: a command line is at most 1023 characters: it was refused whole" \
	"an over-long line is refused whole"
t_like "$out" "grid_frequency 50" "its tail is not run as a command; the next line is"
t_ok "$(kill -0 "$SIM_PID" 2>/dev/null && echo 0 || echo 1)" "the tail 'quit' did not stop the simulator"

long=$(head -c 2000 /dev/zero | tr '\0' x)
out=$(timeout 15 "$ZSIM" ctl "$SIM_CTL" "$long" 2>&1); rc=$?
t_is "$rc" 2 "zcs-sim ctl: a command too long exits 2 at once"
t_like "$out" "1023 at most: nothing was sent" "and says so"

for cmd in "pv nan" "load inf" "soc nan" "speed inf" "setting bat_dod 999" "setting bat_dod nan"; do
	out=$("$ZSIM" ctl "$SIM_CTL" $cmd 2>&1); rc=$?
	t_is "$rc" 2 "'$cmd' is refused"
done
t_like "$("$ZSIM" ctl "$SIM_CTL" setting bat_dod 999 2>&1)" "takes 1 to 90 %" "with the allowed range"

echo "precious" >"$T_TMP/file"
out=$("$ZSIM" --tcp 0 --control "$T_TMP/file" 2>&1 </dev/null); rc=$?
t_is "$rc" 2 "--control on a plain file: exit 2"
t_is "$(cat "$T_TMP/file")" "precious" "the file is left alone"
t_like "$out" "is not a socket: it is left alone" "and the message says so"
out=$("$ZSIM" --tcp 0 --control "$SIM_CTL" 2>&1 </dev/null); rc=$?
t_is "$rc" 2 "--control on a live simulator's socket: exit 2"
t_like "$(timeout 5 "$ZSIM" ctl "$SIM_CTL" get grid_frequency)" "grid_frequency" \
	"and the live simulator keeps its socket"
t_done
