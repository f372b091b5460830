#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The records database in bad situations: locked by another program, in a
# read-only place, damaged, another program's file, written by a newer
# version.  Each gets one sentence and exit 6, and loses nothing: the file
# is left exactly as it was.  (A full disk is tested in test_records.c.)
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
DB=$T_TMP/records.db
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
run_opts() { echo --answers "$ANS" --tcp "$SIM_TCP" --window-scale 0.1 --quiet; }
nverdicts() { sqlite3 "$1" "SELECT count(*) FROM verdicts"; }
same() { # same FILE COPY NAME: the file was not touched
	cmp -s "$1" "$2"; t_ok $? "$3"
}

# A session killed after a few verdicts, as the laptop that died.
"$ZC" run $(run_opts) --act "$ZSIM ctl $SIM_CTL" --db "$DB" >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(nverdicts "$DB" 2>/dev/null || echo 0)" -lt 4 ] && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
n0=$(nverdicts "$DB")
t_ok "$([ "$n0" -ge 4 ] && echo 0 || echo 1)" "a killed run left $n0 verdicts"

# ---- locked by another program ----
mkfifo "$T_TMP/fifo"
sqlite3 "$DB" <"$T_TMP/fifo" >"$T_TMP/holder" 2>&1 &
holder=$!
exec 3>"$T_TMP/fifo"
t_at_exit "kill $holder"
echo "BEGIN IMMEDIATE; SELECT 'held';" >&3
i=0
while ! grep -q held "$T_TMP/holder" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
out=$(ZCS_DB_BUSY_MS=100 "$ZC" records reject 1 --by "Quinto Revisore" --db "$DB" 2>&1)
t_is "$?" 6 "locked: reject exits 6"
t_like "$out" "records database .*records\.db is locked by another program \(another zcs-commission\?\)" \
	"locked: says another program holds it"
out=$(ZCS_DB_BUSY_MS=100 "$ZC" resume $(run_opts) --act "$ZSIM ctl $SIM_CTL" --db "$DB" 2>&1)
t_is "$?" 6 "locked: resume exits 6"
t_like "$out" "locked by another program" "locked: resume says why"
t_like "$("$ZC" records list --db "$DB")" '^ +1 ' "locked: the records can still be read"
echo "COMMIT;" >&3
exec 3>&-
wait "$holder"
t_is "$(nverdicts "$DB")" "$n0" "locked: no verdict was lost"
out=$("$ZC" records reject 1 --by "Quinto Revisore" --comment "unfinished" --db "$DB" 2>&1)
t_is "$?" 0 "released: the review is recorded"

# ---- a read-only place ----
out=$("$ZC" run $(run_opts) --db /proc/zcs-records.db 2>&1)
t_is "$?" 6 "a place nobody can write (/proc): exit 6"
t_like "$out" 'cannot open the records database /proc/zcs-records\.db .*use --db FILE' \
	"a place nobody can write: suggests --db"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/no/such/dir/r.db" 2>&1)
t_like "$out" 'directory is missing or not writable' "a missing directory is named"

mkdir "$T_TMP/ro"
cp "$DB" "$T_TMP/ro/records.db"
cp "$DB" "$T_TMP/ro.orig"
chmod 755 "$T_TMP/ro"; chmod 644 "$T_TMP/ro/records.db"; chmod 711 "$T_TMP"
if [ "$(id -u)" -eq 0 ]; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
else
	chmod 555 "$T_TMP/ro"; chmod 444 "$T_TMP/ro/records.db"
	as_user() { "$@"; }
fi
if as_user test -r "$T_TMP/ro/records.db" 2>/dev/null && ! as_user test -w "$T_TMP/ro/records.db"; then
	out=$(as_user "$ZC" records approve 1 --by Q --db "$T_TMP/ro/records.db" 2>&1)
	t_is "$?" 6 "read-only file: approve exits 6"
	t_like "$out" 'cannot be written \(the file or its directory is read-only\).*use --db FILE' \
		"read-only file: says so and suggests --db"
	out=$(as_user "$ZC" run $(run_opts) --db "$T_TMP/ro/records.db" 2>&1)
	t_is "$?" 6 "read-only file: run exits 6 before touching the unit"
	t_like "$(as_user "$ZC" records list --db "$T_TMP/ro/records.db" 2>&1)" '^ +1 ' \
		"read-only place: the records can still be listed"
	t_like "$(as_user "$ZC" records export 1 --format json --db "$T_TMP/ro/records.db" 2>&1)" \
		'"session":' "read-only place: and exported"
	same "$T_TMP/ro/records.db" "$T_TMP/ro.orig" "read-only place: the file is untouched"
else
	t_ok 0 "# SKIP cannot run as a user who may not write here"
fi
chmod 700 "$T_TMP"; chmod -R u+w "$T_TMP/ro"

# ---- a damaged file ----
awk 'BEGIN { for (i = 0; i < 400; i++) printf "not a database, just words %d\n", i }' \
	>"$T_TMP/junk.db"
cp "$T_TMP/junk.db" "$T_TMP/junk.orig"
out=$("$ZC" records list --db "$T_TMP/junk.db" 2>&1)
t_is "$?" 6 "garbage file: exit 6"
t_like "$out" 'is damaged .* nothing more will be written to it' "garbage file: called damaged"
t_like "$out" "records recover .*junk\.db NEW\.db" "garbage file: says how to recover"
out=$("$ZC" run $(run_opts) --db "$T_TMP/junk.db" 2>&1)
t_is "$?" 6 "garbage file: run refuses it"
same "$T_TMP/junk.db" "$T_TMP/junk.orig" "garbage file: untouched"

cp "$DB" "$T_TMP/bad.db"
dd if=/dev/urandom of="$T_TMP/bad.db" bs=4096 seek=3 count=2 conv=notrunc 2>/dev/null
cp "$T_TMP/bad.db" "$T_TMP/bad.orig"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/bad.db" 2>&1)
t_is "$?" 6 "damaged pages: approve exits 6"
t_like "$out" 'is damaged' "damaged pages: found when opening for writing"
out=$("$ZC" resume $(run_opts) --db "$T_TMP/bad.db" 2>&1)
t_is "$?" 6 "damaged pages: resume refuses it"
same "$T_TMP/bad.db" "$T_TMP/bad.orig" "damaged pages: untouched"
out=$("$ZC" records recover "$T_TMP/bad.db" "$T_TMP/new.db" 2>&1)
t_is "$?" 0 "records recover copies what can be read"
t_like "$out" '^copied [1-9][0-9]* rows' "records recover says how much"
t_like "$("$ZC" records list --db "$T_TMP/new.db")" '^ +1 ' "the recovered file lists the session"
"$ZC" records verify --db "$T_TMP/new.db" >"$T_TMP/v" 2>&1
t_like "$(cat "$T_TMP/v")" 'session 1: ' "the recovered file can be verified"
same "$T_TMP/bad.db" "$T_TMP/bad.orig" "records recover only reads the damaged file"
out=$("$ZC" records recover "$T_TMP/junk.db" "$T_TMP/new2.db" 2>&1)
t_like "$out" 'nothing could be read' "records recover on garbage says nothing could be read"

# ---- another program's file, a newer version ----
sqlite3 "$T_TMP/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
cp "$T_TMP/other.db" "$T_TMP/other.orig"
out=$("$ZC" run $(run_opts) --db "$T_TMP/other.db" 2>&1)
t_is "$?" 6 "another program's database: exit 6"
t_like "$out" 'is not a zcs-commission records database' "another program's database: named so"
same "$T_TMP/other.db" "$T_TMP/other.orig" "another program's database: untouched"

cp "$DB" "$T_TMP/newer.db"
sqlite3 "$T_TMP/newer.db" "PRAGMA user_version = 99"
cp "$T_TMP/newer.db" "$T_TMP/newer.orig"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/newer.db" 2>&1)
t_is "$?" 6 "newer version: exit 6"
t_like "$out" 'written by a newer zcs-commission \(schema 99' "newer version: says so"
out=$("$ZC" resume $(run_opts) --db "$T_TMP/newer.db" 2>&1)
t_is "$?" 6 "newer version: resume refuses it"
same "$T_TMP/newer.db" "$T_TMP/newer.orig" "newer version: untouched"

# ---- the default place ----
out=$("$ZC" records list 2>&1)
t_like "$out" "no records database at $XDG_DATA_HOME/zcs-commission/records\.db" \
	"without --db the records live under XDG_DATA_HOME"
t_done
