#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Install the Debian 12 packages zcs-commission needs, only those missing.
# Runs apt-get directly as root, through sudo otherwise.
set -e
PKGS="build-essential pkg-config gettext locales libmodbus-dev libncurses-dev libsqlite3-dev
libusb-1.0-0-dev libsodium-dev libpq-dev sqlite3 perl tmux mbpoll python3 valgrind time
postgresql postgresql-client clang chromium mandoc bash-completion debhelper lintian
fakeroot"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "zcs-commission: installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
