#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What an installer sees from 'zcs-commission batteries': the supported
# models, one model in full with the confidence of each fact, and a
# knowledge file with a mistake named by file and line.
. "$(dirname "$0")/lib.sh"

out=$("$ZC" batteries); rc=$?
t_is "$rc" 0 "batteries lists the models"
for id in us2000 us5000 weco-4k4 weco-4k4-pro weco-4k4-lt weco-5k3 weco-5k3-xp \
	zsx5000 zsx5000-pro zsx5120 zsx5000s; do
	t_like "$out" "^$id " "  $id is listed"
done
t_like "$out" '^us5000 +Pylontech US5000 +Pylontech +100 \(L\)' "US5000 capacity shown as unconfirmed"

out=$("$ZC" batteries us2000)
t_like "$out" 'maximum DoD +80 % \(recommended 80 %\)' "US2000: maximum DoD 80"
t_like "$out" '1 battery: master=00000 +\[H 8.1.1\]' "US2000 alone: DIP 00000 from 8.1.1"
t_like "$out" '1 battery: 1100 W \(5 A AC\)' "one Pylontech: 1100 W in EPS"
t_like "$out" 'overvoltage 54.0 V, max charge 53.2 V, min discharge 47.0 V' "Battery Info values of 15.2"

out=$("$ZC" batteries weco-4k4-lt)
t_like "$out" '4\. Switch on the MASTER battery only' "4K4-LT start-up sequence of 9.3.4"
t_like "$out" "see 9.3.1 figure" "WeCo DIP: the manual's figure, not an invented pattern"
t_like "$out" 'WeCo 4K4 PRO +yes \(not for a new installation\)' "4K4-LT with PRO: not for new systems"

out=$("$ZC" batteries zsx5000s)
t_like "$out" 'none: no DIP switches' "ZSX5000S: no DIP switches"
t_like "$out" 'Azzurro ZSX5000 +with kit ZSP-CAB-RJ45-PRO/S' "ZSX5000S with ZSX5000: kit"
t_like "$out" 'Azzurro ZSX5120 +no' "ZSX5000S with ZSX5120: no"
t_like "$out" 'G3 protocol key +unknown +\[L ' "Azzurro protocol code unknown, marked L"
t_like "$out" 'voltages before joining under 0.5 V' "Azzurro: voltages within 0.5 V"

out=$("$ZC" batteries weco-5k3-xp)
t_like "$out" 'only the LOW VOLTAGE section' "5K3 XP: low-voltage section only"

"$ZC" batteries us3000 2>"$T_TMP/err"; rc=$?
t_is "$rc" 2 "an unknown model exits 2"
t_like "$(cat "$T_TMP/err")" "no battery model 'us3000'" "and names it"

# A mistake in a knowledge file: nothing runs, file and line named.
mkdir -p "$T_TMP/data"
cp -R "$ZCS_DATA_DIR/." "$T_TMP/data/"
sed -i 's/^battery weco-4k4 module_ah=86 /battery weco-4k4 module_ah=eighty-six /' "$T_TMP/data/batteries.conf"
ZCS_DATA_DIR="$T_TMP/data" "$ZC" batteries 2>"$T_TMP/err"; rc=$?
t_is "$rc" 5 "a broken batteries.conf exits 5"
t_like "$(cat "$T_TMP/err")" 'batteries.conf:[0-9]+: module_ah=eighty-six is not a number' \
	"naming file, line and the bad value"

cp "$ZCS_DATA_DIR/batteries.conf" "$T_TMP/data/"
echo 'dip us3000 count=1 position=master pattern=00000 conf=H src=8.1.1' >>"$T_TMP/data/dip.conf"
ZCS_DATA_DIR="$T_TMP/data" "$ZC" batteries us2000 2>"$T_TMP/err"; rc=$?
t_is "$rc" 5 "a DIP line for an unknown model exits 5"
t_like "$(cat "$T_TMP/err")" "dip.conf:[0-9]+: unknown battery model 'us3000'" "naming the model"

t_done
