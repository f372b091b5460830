#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A probe over a 9600-baud line emulated by zcs-sim (--wire: bytes and the
# two 3.5-character silences of each request): how long the identification
# and snapshot take against the wire time their bytes need, and the peak
# memory of zcs-commission probe itself (/usr/bin/time -v runs it).
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
	t0=$(date +%s%3N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$T/time" "$B/zcs-commission" probe --port "$rtu" >"$T/probe" 2>&1
		rss="$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$T/time") KiB"
	else
		"$B/zcs-commission" probe --port "$rtu" >"$T/probe" 2>&1
		rss="not measured (/usr/bin/time: Debian package time)"
	fi
	t1=$(date +%s%3N)
	echo "probe over RTU 9600 (identify + snapshot): $((t1 - t0)) ms wall, peak RSS $rss"
	sed -n 's/^requests */  snapshot /p' "$T/probe"
done
