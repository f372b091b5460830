#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# probe through each framing against one zcs-sim holding its replies for
# the RS485 line's wire time (9600 8N1): Modbus TCP (MBAP), RTU over TCP
# (the ETH stick) and Solarman V5 (the Wi-Fi stick).  For each: the wall
# time, the requests, the line's wire time (the same behind every framing),
# and the bytes the framing puts on the network with what they would take
# at 9600 baud: V5 wraps every RTU frame in 28 bytes of its own (request)
# and 27 (reply).  Median of 3.
set -u
B=${ZCS_BUILD:-build}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
"$B/zcs-sim" --tcp 0 --v5 0 --rtu-over-tcp 0 --logger-serial 2712345678 --scenario clean \
	--control "$T/ctl" --wire --baud 9600 --turnaround 5 >"$T/out" 2>"$T/err" </dev/null &
pid=$!
i=0; while ! grep -q '^ready$' "$T/out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
tcp=$(sed -n 's/^tcp //p' "$T/out")
v5=$(sed -n 's/^v5 \([^ ]*\).*/\1/p' "$T/out")
rt=$(sed -n 's/^rtu-over-tcp //p' "$T/out")
python3 - "$B/zcs-commission" "$tcp" "$rt" "$v5" <<'PY'
import subprocess, sys, time, re
zc = sys.argv[1]
cases = [("Modbus TCP (MBAP)", ["--tcp", sys.argv[2]]),
         ("RTU over TCP", ["--rtu-over-tcp", sys.argv[3]]),
         ("Solarman V5", ["--solarman", sys.argv[4], "--logger-serial", "2712345678"])]
for name, opts in cases:
    runs = []
    for _ in range(3):
        t0 = time.monotonic()
        out = subprocess.run([zc, "probe"] + opts, capture_output=True, text=True).stdout
        runs.append(((time.monotonic() - t0) * 1000, out))
    runs.sort(key=lambda r: r[0])
    ms, out = runs[1]
    m = re.search(r"requests +(\d+) reads? .*wire time ([\d.]+) ms", out)
    b = re.search(r"bytes +(\d+)", out)
    if not m or not b:
        print("%-18s probe failed" % name)
        continue
    req, wire, nbytes = int(m.group(1)), float(m.group(2)), int(b.group(1))
    print("%-18s probe %5.0f ms wall; snapshot %2d requests, line wire time %5.1f ms; "
          "network %5d bytes (%3.0f per request) = %6.1f ms at 9600 baud"
          % (name, ms, req, wire, nbytes, nbytes / req, nbytes * 10 * 1000.0 / 9600))
PY
