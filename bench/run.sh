#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: speed and memory figures.  Numbers to read, never pass/fail.
set -u
B=${ZCS_BUILD:-build}
for b in "$B"/bench/*; do
	[ -x "$b" ] || continue
	echo "== $(basename "$b") =="
	"$b"
	echo
done
for s in "$(dirname "$0")"/bench-*.sh; do
	[ -f "$s" ] || continue
	echo "== $(basename "$s" .sh) =="
	sh "$s"
	echo
done
