#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/run.sh BUILD SECONDS [NAME...]: replay every regression input,
# then run each harness (all of them without NAME) for SECONDS on a copy of
# its seed corpus.  Exit 1 at the first harness that finds something (the
# input is kept as BUILD/crash-NAME-*).
set -u
build=$1; secs=$2; shift 2
names=${*:-$(cd "$build/fuzz" && ls fuzz_* | grep -v '\.d$' | sed 's/^fuzz_//')}
root=$(cd "$(dirname "$0")" && pwd)
: "${ZCS_DATA_DIR:=$root/../../data}"
export ZCS_DATA_DIR
rc=0
for n in $names; do
	bin="$build/fuzz/fuzz_$n"
	corpus="$build/corpus/$n"
	mkdir -p "$corpus"
	if [ -d "$root/regress/$n" ] && ls "$root/regress/$n"/* >/dev/null 2>&1; then
		if ! "$bin" -runs=1 "$root/regress/$n"/* >"$build/fuzz-$n.log" 2>&1; then
			echo "fuzz $n: a regression input fails again (see $build/fuzz-$n.log)"
			rc=1; continue
		fi
	fi
	if "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/crash-$n-" "$corpus" "$root/corpus/$n" \
		>"$build/fuzz-$n.log" 2>&1; then
		echo "fuzz $n: clean for $secs s ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
			"$build/fuzz-$n.log" | grep -o '[0-9]*$') runs)"
	else
		echo "fuzz $n: FOUND something: $(grep -m1 -E 'ERROR|runtime error|SUMMARY' "$build/fuzz-$n.log")"
		rc=1
	fi
done
exit $rc
