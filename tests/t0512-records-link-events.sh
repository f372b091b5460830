#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The link drops in the middle of a commissioning: the record keeps when it
# was lost and when it came back, in the chain like the verdicts.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
DB=$T_TMP/records.db
"$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro-ct.ans" --tcp "$SIM_TCP" --window-scale 0.1 \
	--quiet --act "$ZSIM ctl $SIM_CTL" --db "$DB" >"$T_TMP/out" 2>&1 &
pid=$!
t_at_exit "kill $pid"
i=0
# the unit is read from session.identity on (before it, it has no power)
while [ "$(sqlite3 "$DB" "SELECT count(*) FROM verdicts WHERE step_id = 'session.rs485'" \
	2>/dev/null || echo 0)" -lt 1 ] &&
	[ $i -lt 1200 ]; do
	sleep 0.05; i=$((i + 1))
done
sim_ctl fault link-slow on 1500 >/dev/null   # every reply later than the timeout
# until the run has declared the link lost (each poll waits out its timeouts)
i=0
while [ "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'lost'" 2>/dev/null ||
	echo 0)" -lt 1 ] && [ $i -lt 600 ]; do
	sleep 0.05; i=$((i + 1))
done
sim_ctl fault link-slow off >/dev/null
wait "$pid"
t_is "$?" 0 "the run goes on after the link comes back and passes"

show=$("$ZC" records show 1 --db "$DB")
t_like "$show" 'lost: .*slave 1' "the record says when the link was lost, and why"
t_like "$show" 'restored: ' "and when it came back"
t_like "$("$ZC" records export 1 --format json --db "$DB")" '"kind":"lost"' \
	"the JSON has the link events"
t_like "$("$ZC" records export 1 --format qa-html --db "$DB")" 'lost: ' "the reviewer's page too"
t_like "$("$ZC" records verify 1 --db "$DB")" 'records is intact' "the chain, events included, is intact"
cp "$DB" "$T_TMP/t.db"
sqlite3 "$T_TMP/t.db" "DELETE FROM events WHERE kind = 'lost'"
t_like "$("$ZC" records verify 1 --db "$T_TMP/t.db" 2>&1)" 'NOT INTACT: record [0-9]+ is missing' \
	"a deleted link-lost event is found"
t_done
