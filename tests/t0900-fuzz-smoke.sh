#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A few seconds of every libFuzzer harness (tests/fuzz), after replaying the
# inputs that once failed (tests/fuzz/regress).  `make check` builds the
# harnesses when clang is installed; without them this test is skipped.
# `make fuzz FUZZ_SECONDS=300` is the long run.
. "$(dirname "$0")/lib.sh"

[ -n "${ZCS_FUZZ_BUILD:-}" ] && [ -d "$ZCS_FUZZ_BUILD/fuzz" ] ||
	t_skip_all "no fuzzing harnesses (clang missing, or not built by make check)"
n=$(ls "$ZCS_FUZZ_BUILD/fuzz" | grep -c '^fuzz_[a-z]*$')
t_ok "$([ "$n" -ge 10 ] && echo 0 || echo 1)" "at least 10 harnesses ($n)"
out=$(sh "$(dirname "$0")/fuzz/run.sh" "$ZCS_FUZZ_BUILD" "${FUZZ_SMOKE_SECONDS:-3}" 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
t_is "$rc" 0 "every harness runs clean and every regression input passes"
for h in $(ls "$ZCS_FUZZ_BUILD/fuzz" | grep '^fuzz_[a-z]*$' | sed 's/^fuzz_//'); do
	t_like "$out" "^fuzz $h: clean" "fuzz_$h: clean"
done
t_done
