#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: speed and memory figures.  Numbers to read: where issue 21
# sets a target the bench prints PASS or MISS beside it, and the exit status
# never depends on it.  BENCH="run wizard" runs only bench-run and
# bench-wizard (names without bench_/bench- and suffix).  Nothing here
# installs anything.
set -u
B=${ZCS_BUILD:-build}
want() { [ -z "${BENCH:-}" ] && return 0; for w in $BENCH; do [ "$w" = "$1" ] && return 0; done; return 1; }
for b in "$B"/bench/*; do
	[ -x "$b" ] || continue
	n=$(basename "$b"); want "${n#bench_}" || continue
	echo "== $n =="
	"$b"
	echo
done
for s in "$(dirname "$0")"/bench-*.sh; do
	[ -f "$s" ] || continue
	n=$(basename "$s" .sh); want "${n#bench-}" || continue
	echo "== $n =="
	sh "$s"
	echo
done
