#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The one JSON writer: `read --json` stays valid JSON when a register holds
# NaN or infinity (null, with a note), every document names its schema.  A
# few lines of python3 play a meter whose every float register reads NaN
# (0x7FC0 0x0000) or +infinity (0x7F80 0x0000): zcs-sim never serves those.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || t_skip_all "python3 is not installed"

cat >"$T_TMP/nanmeter.py" <<'PY'
import socket, struct, sys
words = {"nan": (0x7FC0, 0x0000), "inf": (0x7F80, 0x0000)}[sys.argv[1]]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
s.settimeout(20)
while True:
    try:
        c, _ = s.accept()
    except OSError:
        break
    c.settimeout(5)
    try:
        while True:
            h = c.recv(7)
            if len(h) < 7:
                break
            tid, _, ln, unit = struct.unpack(">HHHB", h)
            pdu = c.recv(ln - 1)
            fc = pdu[0]
            if fc in (3, 4):
                n = struct.unpack(">H", pdu[3:5])[0]
                data = b"".join(struct.pack(">H", words[i % 2]) for i in range(n))
                body = bytes([fc, 2 * n]) + data
            else:
                body = bytes([fc | 0x80, 1])
            c.sendall(struct.pack(">HHHB", tid, 0, len(body) + 1, unit) + body)
    except OSError:
        pass
    c.close()
PY

for kind in nan inf; do
	python3 "$T_TMP/nanmeter.py" $kind >"$T_TMP/port" &
	PY_PID=$!
	t_at_exit "kill $PY_PID"
	_w=0; while [ ! -s "$T_TMP/port" ] && [ $_w -lt 100 ]; do sleep 0.1; _w=$((_w + 1)); done
	port=$(cat "$T_TMP/port")
	"$ZC" read --tcp "127.0.0.1:$port" --map ddsu666 voltage power --json >"$T_TMP/out" 2>"$T_TMP/err"
	[ -s "$T_TMP/out" ] || sed "s/^/# /" "$T_TMP/err"
	python3 -m json.tool "$T_TMP/out" >/dev/null 2>&1
	t_ok $? "read --json on a register reading $kind is valid JSON (python3 -m json.tool)"
	t_unlike "$(cat "$T_TMP/out")" '[^a-z_"](nan|inf)' "no bare $kind in it"
	t_like "$(cat "$T_TMP/out")" '"name":"voltage","ok":false,"value":null,"value_note":"[^"]+' \
		"the $kind value is null, with a note"
	t_like "$(cat "$T_TMP/out")" '^\{"schema":"zcs-commission-read","schema_version":[0-9]+,' \
		"it names its schema and version"
	kill $PY_PID 2>/dev/null; wait $PY_PID 2>/dev/null
	: >"$T_TMP/port"
done
t_done
