#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A probe over a 9600-baud line emulated by zcs-sim (--wire): how long the
# snapshot takes against the wire time its bytes need, and the peak memory
# of zcs-commission probe.
set -u
B=${ZCS_BUILD:-build}
T=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$T"' EXIT
"$B/zcs-sim" --tcp 0 --rtu --scenario clean --control "$T/ctl" --wire --baud 9600 --turnaround 5 \
	>"$T/out" 2>"$T/err" </dev/null &
pid=$!
i=0; while ! grep -q '^ready$' "$T/out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
rtu=$(sed -n 's/^rtu //p' "$T/out")
for n in 1 2 3; do
	python3 - "$B/zcs-commission" "$rtu" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
out = subprocess.run([sys.argv[1], "probe", "--port", sys.argv[2]], capture_output=True, text=True).stdout
dt = (time.monotonic() - t0) * 1000
req = [l for l in out.splitlines() if l.startswith("requests")]
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("probe over RTU 9600 (identify + snapshot): %.0f ms wall, peak RSS %d KiB" % (dt, rss))
print("  snapshot " + (req[0][12:] if req else "(no request line)"))
PY
done
