#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian packages: dpkg-buildpackage -us -uc -b builds zcs-commission
# and zcs-sim from a copy of the tree, with the hardening flags of
# dpkg-buildflags and without -Werror, and lintian finds no error and no
# warning.  The build skips the package's own tests (DEB_BUILD_OPTIONS=
# nocheck: they are the unit tests this suite runs anyway), unoptimised
# (noopt) and without debug-symbol packages (noddebs), to keep this test
# near two minutes.  Skipped when dpkg-dev, debhelper or lintian is missing.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)

for tool in dpkg-buildpackage dh lintian; do
	command -v $tool >/dev/null || t_skip_all "$tool is not installed (dpkg-dev, debhelper, lintian)"
done
SRC="$T_TMP/pkg/zcs-commission-0.1.0"
mkdir -p "$SRC"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$SRC")
else
	(cd "$ROOT" && tar cf - --exclude='./build*' .) | (cd "$SRC" && tar xf -)
fi
# The package is built as a user would, not with the variables of the make
# that runs this suite: make asan hands BUILD, OPT and LDFLAGS down in
# MAKEFLAGS and in the environment of its recipes.
(cd "$SRC" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" TMPDIR="${TMPDIR:-/tmp}" \
	DEB_BUILD_OPTIONS="nocheck noddebs noopt parallel=2" \
	dpkg-buildpackage -us -uc -b >"$T_TMP/build.log" 2>&1)
rc=$?
t_is "$rc" 0 "dpkg-buildpackage -us -uc -b builds"
[ "$rc" -eq 0 ] || tail -20 "$T_TMP/build.log" | sed 's/^/# /'
for p in zcs-commission zcs-sim; do
	[ -f "$T_TMP/pkg/${p}_0.1.0_$(dpkg --print-architecture).deb" ]
	t_ok $? "it makes the $p package"
done
grep -q -- '-fstack-protector-strong' "$T_TMP/build.log" &&
	grep -q -- '-z,now' "$T_TMP/build.log"
hard=$?
t_ok $hard "compiled and linked with dpkg-buildflags' hardening flags"
[ $hard -eq 0 ] || grep -E '^cc ' "$T_TMP/build.log" | tail -2 | sed 's/^/# /'
grep -q -- '-fsanitize' "$T_TMP/build.log"
t_ok $((!$?)) "no sanitizer flag of the make that runs the tests"
grep -E '^cc .* -c src/' "$T_TMP/build.log" | grep -qE -- '-Werror( |$)'
t_ok $((!$?)) "-Werror is off for the package build (WERROR=)"
deb="$T_TMP/pkg/zcs-commission_0.1.0_$(dpkg --print-architecture).deb"
dpkg -c "$deb" 2>/dev/null | grep -q 'usr/share/bash-completion/completions/zcs-commission$'
t_ok $? "the completion is in the package"
out=$(cd "$T_TMP/pkg" && lintian zcs-commission_0.1.0_*.changes 2>/dev/null | grep -E '^[EW]: ')
t_is "$out" "" "lintian: no error, no warning"
t_done
