#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Records that leave the laptop: two simulated laptops push their sessions
# to a real PostgreSQL started by the test (a throwaway cluster in the test's
# directory, owned by an unprivileged user when the test runs as root).  The
# connection is cut in the middle of a push and the push is done again:
# nothing lost, nothing doubled.  Forged sessions (a changed value, a
# re-hashed record, a re-hashed chain, a replaced head) are refused by the
# server with a named reason.  A session approved on the server is pulled
# back into the laptop's chain, and its next push hands the approval back
# without doubling it.  records list --server shows both laptops.  A third
# laptop pushes again and again while its commissioning is being recorded,
# to a new database that its first push gives the schema.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg-lib.sh"

pg_bin_dir >/dev/null || t_skip_all "PostgreSQL is not installed (initdb, pg_ctl: Debian package postgresql)"
command -v psql >/dev/null || t_skip_all "psql is not installed (postgresql-client)"
command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
command -v python3 >/dev/null || t_skip_all "python3 is not installed"
pg_start || { t_ok 1 "PostgreSQL starts"; t_done; exit 1; }
t_ok 0 "a throwaway PostgreSQL cluster runs (as $(stat -c %U "$PG_DIR/data"))"
URL=$PG_URL                                             # the Unix socket
A=$T_TMP/laptop-a.db
B=$T_TMP/laptop-b.db
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"

# ---- two laptops record commissionings ----
commission() { # commission DB SCENARIO: one run against its own simulator
	sim_start "$2" || return 1
	"$ZC" run --answers "$ANS" --tcp "$SIM_TCP" --window-scale 0.1 --quiet --training \
		--act "$ZSIM ctl $SIM_CTL" --db "$1" >"$1.$2.out" 2>&1
	sim_stop "$SIM_PID"
}
_sim_n=10; commission "$A" clean & pa=$!
_sim_n=20; commission "$B" clean & pb=$!
wait $pa; wait $pb
# Meanwhile laptop C pushes again and again, to a database of its own, while
# its commissioning is being recorded.
C=$T_TMP/laptop-c.db
pg_sql "CREATE DATABASE zcs2" >/dev/null
URL2=$(printf '%s' "$URL" | sed 's|///zcs?|///zcs2?|')
_sim_n=30; commission "$C" clean & pc=$!
_sim_n=40; commission "$A" fault-ct-reversed & pa=$!
i=0
while kill -0 $pc 2>/dev/null; do
	if [ "$(sqlite3 "$C" "SELECT count(*) FROM sessions" 2>/dev/null)" = 1 ]; then
		"$ZC" records push --server "$URL2" --db "$C" >>"$T_TMP/pushc.out" 2>&1
		echo "exit $?" >>"$T_TMP/pushc.out"
		i=$((i + 1))
	fi
	sleep 0.3
done
wait $pc; wait $pa
out=$("$ZC" records push --server "$URL2" --db "$C" 2>&1)
t_like "$(cat "$T_TMP/pushc.out")" 'schema version 0: brought to 1' \
	"the first push applies the schema to a new database"
t_is "$(grep -c '^exit 0$' "$T_TMP/pushc.out") $(grep -c 'refused \[' "$T_TMP/pushc.out")" \
	"$i 0" "$i pushes while laptop C was recording: every one went, none refused"
[ "$i" -ge 3 ]; t_ok $? "(at least 3 of them: $i)"
t_is "$(psql -X -q -t -A "$URL2" -c "SELECT head_seq || ' ' || complete::int FROM zcs.sessions")" \
	"$(sqlite3 "$C" "SELECT head_seq FROM sessions") 1" \
	"after the last push the server holds laptop C's whole session, complete"
t_like "$("$ZC" records verify --server "$URL2")" 'session 1: the chain of [0-9]+ records is intact' \
	"its chain, pushed in pieces, is intact on the server"
t_is "$(sqlite3 "$A" "SELECT count(*) || ' ' || sum(complete) FROM sessions")" "2 1" \
	"laptop A recorded a clean and a failed commissioning"
t_is "$(sqlite3 "$B" "SELECT count(*) || ' ' || sum(complete) FROM sessions")" "1 1" \
	"laptop B recorded a clean commissioning"
t_is "$(sqlite3 "$A" "SELECT serial FROM sessions WHERE id=1")" \
	"$(sqlite3 "$B" "SELECT serial FROM sessions WHERE id=1")" "both laptops saw the same serial"
ida=$(sqlite3 "$A" "SELECT id FROM laptop")
idb=$(sqlite3 "$B" "SELECT id FROM laptop")
t_like "$ida $idb" '^[0-9a-f]{32} [0-9a-f]{32}$' "each laptop's file has a stable id"
[ "$ida" != "$idb" ]; t_ok $? "the two laptops' ids differ"

# ---- the schema ----
out=$("$ZC" records list --server "$URL" 2>&1); rc=$?
t_is "$rc" 6 "list on a server without the schema fails (exit 6)"
t_like "$out" 'no zcs-commission schema yet: run .*server-init' "and says how to create it"
out=$("$ZC" records server-init --server "$URL" 2>&1)
t_like "$out" 'now has schema version 1 \(it had 0\)' "server-init applies data/server/schema.sql"
t_like "$("$ZC" records server-init --server "$URL" 2>&1)" 'version 1 \(up to date\)' \
	"server-init again changes nothing"
t_is "$(pg_sql "SELECT max(version) FROM zcs.schema_version")" 1 "zcs.schema_version says 1"

# ---- a push cut in the middle ----
# The server stalls inside laptop A's second session (record 20), and a
# second connection terminates that backend, as a dropped network would.
pg_sql "CREATE FUNCTION zcs_test_stall() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN IF NEW.seq = 20 AND (SELECT local_id FROM zcs.sessions WHERE id = NEW.session_id) = 2
	THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END \$\$;
	CREATE TRIGGER a_stall BEFORE INSERT ON zcs.records FOR EACH ROW
	EXECUTE FUNCTION zcs_test_stall()" >/dev/null
"$ZC" records push --server "$URL" --db "$A" >"$T_TMP/push1.out" 2>&1 &
ppid=$!
i=0
while [ "$(pg_sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" != 1 ] &&
	[ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
t_is "$(pg_sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	WHERE wait_event = 'PgSleep'")" 1 "the backend is cut while it receives session 2"
wait $ppid; rc=$?
out=$(cat "$T_TMP/push1.out")
t_is "$rc" 6 "the cut push fails (exit 6)"
t_like "$out" 'session 1: pushed as server session [0-9]+' "session 1 went before the cut"
t_like "$out" 'connection to the records server .* was lost while pushing session 2: 1 session was pushed before it; nothing is lost' \
	"the cut is explained: what went, what stays"
t_is "$(pg_sql "SELECT count(*) FROM zcs.sessions WHERE laptop = '$ida'")" 1 \
	"the server holds session 1 only: session 2's transaction was rolled back"
t_is "$(sqlite3 "$A" "SELECT group_concat(session_id) FROM pushed")" 1 \
	"the laptop remembers that the server acknowledged session 1"
pg_sql "DROP TRIGGER a_stall ON zcs.records" >/dev/null
out=$("$ZC" records push --server "$URL" --db "$A" 2>&1)
t_is "$?" 0 "push again"
t_like "$out" '1 pushed now \([0-9]+ records\), 1 already on the server, 0 refused' \
	"the second push sends session 2 only"
# The server committed but the acknowledgement never reached the laptop.
sqlite3 "$A" "DELETE FROM pushed"
out=$("$ZC" records push --server "$URL" --db "$A" 2>&1)
t_like "$out" '2 pushed now \(0 records\)' "an acknowledgement lost on the way: pushed again, 0 new records"
out=$("$ZC" records push --server "$URL" --db "$A" 2>&1)
t_like "$out" '0 pushed now \(0 records\), 2 already on the server' "a push with nothing new sends nothing"
local_n=$(sqlite3 "$A" "SELECT sum(head_seq) FROM sessions")
t_is "$(pg_sql "SELECT count(*) FROM zcs.records r JOIN zcs.sessions s ON s.id = r.session_id
	WHERE s.laptop = '$ida'")" "$local_n" "the server holds every record of laptop A once ($local_n)"
t_is "$(pg_sql "SELECT count(*) FROM zcs.sessions WHERE laptop = '$ida'")" 2 "and 2 sessions"

# ---- the second laptop, over TCP, with a role that may only read ----
pg_sql "CREATE ROLE laptop LOGIN; GRANT USAGE ON SCHEMA zcs TO laptop;
	GRANT SELECT ON ALL TABLES IN SCHEMA zcs TO laptop" >/dev/null
TCPURL="postgresql://laptop@127.0.0.1:$PG_PORT/zcs"
out=$("$ZC" records push --server "$TCPURL" --db "$B" 2>&1)
t_is "$?" 0 "laptop B pushes over TCP, as a role with no right to write the tables"
out=$(psql -X -q "$TCPURL" -c "UPDATE zcs.sessions SET review = 'approved'" 2>&1)
t_like "$out" 'permission denied' "that role cannot write the summary by hand"
list=$("$ZC" records list --server "$URL" 2>&1)
t_like "$list" "^ +[0-9]+ +${ida%"${ida#????????}"} +1 .*Mario Rossi +ZM2E[0-9A-Z]+ +training +passed" \
	"list --server: laptop A's session 1"
t_like "$list" "^ +[0-9]+ +${ida%"${ida#????????}"} +2 .*failed" "list --server: laptop A's session 2 (failed)"
t_like "$list" "^ +[0-9]+ +${idb%"${idb#????????}"} +1 .*Mario Rossi +ZM2E[0-9A-Z]+ +training +passed" \
	"list --server: laptop B's session 1, same number and serial, kept apart"
t_is "$(printf '%s\n' "$list" | grep -c ' ZM2E')" 3 "three sessions on the server"
sa1=$(pg_sql "SELECT id FROM zcs.sessions WHERE laptop = '$ida' AND local_id = 1")
sa2=$(pg_sql "SELECT id FROM zcs.sessions WHERE laptop = '$ida' AND local_id = 2")
sb1=$(pg_sql "SELECT id FROM zcs.sessions WHERE laptop = '$idb' AND local_id = 1")
lids() { # the server ids that list --server prints, in numeric order
	"$ZC" records list --server "$URL" "$@" 2>&1 | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' |
		sort -n | tr '\n' ' '
}
srt() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }
t_is "$(lids --failed-step sign.loads)" "$sa2 " "filter on the server: --failed-step"
t_is "$(lids --verdict passed)" "$(srt "$sa1" "$sb1")" "filter on the server: --verdict"
t_is "$(lids --installer 'MARIO ROSSI' --serial "$(sqlite3 "$B" "SELECT serial FROM sessions")")" \
	"$(srt "$sa1" "$sb1" "$sa2")" "filter on the server: --installer (any case) and --serial"
t_is "$(lids --unfinished)" "$sa2 " "filter on the server: --unfinished"
t_is "$(lids --field)" "" "filter on the server: --field"
t_like "$("$ZC" records list --server "$URL" --from 2099-01-01)" 'no session matches' \
	"filter on the server: --from"
newest=$(pg_sql "SELECT id FROM zcs.sessions ORDER BY started_ms DESC, id DESC LIMIT 1")
t_is "$(lids --limit 1)" "$newest " "--limit 1 on the server: the newest session"
t_like "$("$ZC" records list --server "$URL" --limit 1 2>&1)" \
	'the newest 1 matching sessions, and more: --limit N or --all for them' "and that more match"

# ---- show and export from the server ----
"$ZC" records export 1 --format html --db "$A" >"$T_TMP/a1.html"
"$ZC" records export "$sa1" --format html --server "$URL" >"$T_TMP/s1.html"
cmp -s "$T_TMP/a1.html" "$T_TMP/s1.html"
t_ok $? "the server's HTML export of a session is the laptop's, byte for byte"
show=$(cd "$T_TMP" && "$ZC" records show "$sb1" --server "$URL")
ls "$T_TMP" | grep -q memory
t_ok $((1 - $?)) "the rebuilt copy lives in memory: no file is left where show ran"
t_like "$show" "server session $sb1: session 1 of laptop $idb" "show --server names the laptop"
t_like "$show" 'on the server: the chain of [0-9]+ records is intact on the server \(last hash [0-9a-f]+\.\.\.\), signed by ed25519:[0-9a-f]{16}' \
	"show --server: the server's check, with the signer's fingerprint"
t_like "$("$ZC" records verify --server "$URL")" "session $sa2: the chain" "verify --server checks every session"

# ---- approve on the server, pull back ----
out=$("$ZC" records approve "$sa2" --by "Quinto Revisore" --server "$URL" 2>&1)
t_is "$?" 2 "an unfinished session cannot be approved on the server"
t_like "$out" 'not finished' "and the reviewer is told why"
"$ZC" records approve "$sa1" --by "Quinto Revisore" --comment "CT on photos" --server "$URL" >/dev/null
t_is "$?" 0 "the reviewer approves laptop A's session 1 on the server"
"$ZC" records reject "$sb1" --by "Quinto Revisore" --comment "photo missing" --server "$URL" >/dev/null
t_is "$(lids --review approved) / $(lids --review rejected)" "$sa1  / $sb1 " \
	"the server lists them approved and rejected"
t_like "$(XDG_CONFIG_HOME=$T_TMP/qa-desk "$ZC" records show "$sa1" --server "$URL" 2>&1)" \
	'APPROVED by Quinto Revisore' \
	"a QA desk with a key of its own shows the server's approval before the laptop pulls it"
out=$("$ZC" records pull --server "$URL" --db "$A" 2>&1)
t_like "$out" 'session 1: approved by Quinto Revisore on the server' "pull brings the approval to laptop A"
t_like "$("$ZC" records list --db "$A" --review approved)" '^ +1 .*approved' "laptop A's list shows it approved"
t_like "$("$ZC" records verify 1 --db "$A")" 'intact' "the approval is in laptop A's chain, intact"
t_like "$("$ZC" records pull --server "$URL" --db "$A" 2>&1)" '^0 reviews pulled' "pull again brings nothing twice"
t_like "$("$ZC" records show 1 --db "$A")" 'APPROVED by Quinto Revisore .*CT on photos' \
	"laptop A's report has the approval and its comment"
out=$("$ZC" records push --server "$URL" --db "$A" 2>&1)
t_like "$out" 'session 1: pushed as server session [0-9]+ \(1 new record' "the approval goes back in A's chain"
t_is "$(pg_sql "SELECT count(*) || ' ' || count(seq) FROM zcs.reviews WHERE session_id = $sa1")" "1 1" \
	"the server recognises its own approval: one review, now chained"
t_like "$("$ZC" records verify "$sa1" --server "$URL")" 'intact' "the server's copy is intact"
t_like "$("$ZC" records pull --server "$URL" --db "$B" 2>&1)" 'session 1: rejected by Quinto Revisore' \
	"pull brings the rejection to laptop B"

# ---- a recovered file is the same laptop ----
"$ZC" records recover "$A" "$T_TMP/recovered.db" >/dev/null
t_is "$(sqlite3 "$T_TMP/recovered.db" "SELECT id FROM laptop")" "$ida" \
	"records recover keeps the laptop's identity"
t_like "$("$ZC" records push --server "$URL" --db "$T_TMP/recovered.db" 2>&1)" \
	'0 pushed now \(0 records\), 2 already on the server' \
	"and what the server acknowledged: nothing is pushed twice"

# ---- forgeries ----
# forge NAME SQL: a copy of laptop B with an id of its own (a laptop the
# server has not seen), changed by SQL; pushes it and prints what it said.
forge() {
	F=$T_TMP/$1.db
	rm -f "$F"; sqlite3 "$B" ".backup '$F'"
	sqlite3 "$F" "UPDATE laptop SET id = lower(hex(randomblob(16))); DELETE FROM pushed; $2"
}
push_f() { "$ZC" records push --server "$URL" --db "$F" 2>&1; echo "exit $?"; }
# rehash DB FROM_SEQ [ALL]: recompute the hash of record FROM_SEQ of session 1
# (and with ALL every later one, and the session's head) as a forger would.
rehash() {
	python3 - "$@" <<'EOF'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); start = int(sys.argv[2]); every = len(sys.argv) > 3
S1 = "id, installer, site, customer, serial, layout, family, model, fw_com, fw_master, fw_slave, link, checklist_version, checklist_hash, training, started_ms, seq"
R1 = "id, session_id, reviewer, approved, comment, wall_ms, seq"
COLS = {  # the canonical columns of chain version 2 (records_chain.c)
    "sessions": S1 + ", chain, signer",
    "verdicts": "id, session_id, step_id, section, title, status, started_ms, ended_ms, detail, remedy, reason, override_by, seq",
    "writes": 'id, session_id, step_id, reg, addr, slave, "before", written, readback, raw_before, raw_written, raw_readback, ok, confirmed_by, wall_ms, seq',
    "events": "id, session_id, kind, detail, wall_ms, seq",
    "reviews": R1 + ", signer",
    "answers": 'id, session_id, step_id, "key", value, wall_ms, seq',
    "step_entries": "id, session_id, step_id, wall_ms, seq",
    "closings": "id, session_id, complete, nrecords, wall_ms, seq",
}
def val(v):
    if v is None: return b"n"
    if isinstance(v, int): return b"i%d" % v
    if isinstance(v, float): return ("r%.17g" % v).encode()
    if isinstance(v, bytes): return b"b%d:" % len(v) + v
    e = v.encode(); return b"s%d:" % len(e) + e
def rows(sql, arg):
    cur = db.execute(sql, (arg,)); names = [d[0] for d in cur.description]; out = b""
    for r in cur.fetchall():
        for n, v in zip(names, r):
            out += n.encode() + b"=" + val(v) + b"\n"
    return out
def canon(table, rid):
    c = table.encode() + b"\n" + rows("SELECT %s FROM %s WHERE id=?" % (COLS[table], table), rid)
    if table == "verdicts":
        c += b"inputs\n" + rows('SELECT verdict_id, idx, "key", value FROM inputs WHERE verdict_id=? ORDER BY idx', rid)
        c += b"samples\n" + rows("SELECT verdict_id, idx, name, unit, value, text, raw, slave, wall_ms FROM samples WHERE verdict_id=? ORDER BY idx", rid)
    return c
chain = db.execute(" UNION ALL ".join(
    "SELECT seq, '%s' t, id FROM %s WHERE %s=1" % (t, t, "id" if t == "sessions" else "session_id")
    for t in COLS) + " ORDER BY seq").fetchall()
chain = [c for c in chain if c[0] is not None]
prev = "0" * 64
for seq, t, rid in chain:
    h = db.execute("SELECT hash FROM %s WHERE id=?" % t, (rid,)).fetchone()[0]
    if seq == start or (every and seq > start):
        h = hashlib.sha256(prev.encode() + b"\n" + canon(t, rid)).hexdigest()
        db.execute("UPDATE %s SET hash=? WHERE id=?" % t, (h, rid))
    prev = h
if every: db.execute("UPDATE sessions SET head_hash=? WHERE id=1", (prev,))
db.commit()
EOF
}
SL="(SELECT id FROM verdicts WHERE step_id = 'sign.loads')"
SLSEQ="(SELECT seq FROM verdicts WHERE step_id = 'sign.loads')"
SAMPLE="UPDATE samples SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM samples WHERE verdict_id = $SL)"
forge tampered "$SAMPLE"
out=$(push_f)
t_like "$out" 'refused \[altered\]: record [0-9]+ of session 1 of laptop [0-9a-f]{8}, the verdict of step sign\.loads \(passed\), does not match its hash' \
	"a changed evidence value is refused by the server, naming the record"
t_like "$out" 'exit 6' "the push says it failed (exit 6)"
fid=$(sqlite3 "$F" "SELECT id FROM laptop")
t_is "$(pg_sql "SELECT count(*) FROM zcs.sessions WHERE laptop = '$fid'")" 0 \
	"nothing of the refused session stays on the server"

forge rehashed "$SAMPLE"
rehash "$F" "$(sqlite3 "$F" "SELECT seq FROM verdicts WHERE step_id = 'sign.loads'")"
n=$(sqlite3 "$F" "SELECT seq + 1 FROM verdicts WHERE step_id = 'sign.loads'")
t_like "$(push_f)" "refused \\[altered\\]: record $n of session 1 .* does not match its hash: it, or the record before it, was altered" \
	"a re-hashed record is refused: the next one no longer chains"

# A copy of laptop A's session 1 (already on the server) changed and wholly
# re-hashed: a chain that holds, but not the one received.
F=$T_TMP/rehashed-all.db
rm -f "$F"; sqlite3 "$A" ".backup '$F'"
sqlite3 "$F" "DELETE FROM pushed"
sqlite3 "$F" "UPDATE samples SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM samples
	WHERE verdict_id = (SELECT id FROM verdicts WHERE step_id = 'sign.loads' AND session_id = 1))"
rehash "$F" "$(sqlite3 "$F" "SELECT seq FROM verdicts WHERE step_id = 'sign.loads' AND session_id = 1")" all
t_like "$("$ZC" records verify 1 --db "$F" 2>&1)" 'NOT INTACT' \
	"(the laptop's own check sees the re-hashed chain through its signatures)"
t_like "$(push_f)" 'session 1: refused \[differs\]: record [0-9]+ of session 1 of laptop [0-9a-f]{8} differs from the one received on' \
	"a wholly re-hashed session is refused by the server: it differs from what it received"

# The same, on a laptop the server has never seen: the chain holds, but the
# signature of its head (Ed25519, checked by the server) does not.
forge rehashed-fresh "$SAMPLE"
rehash "$F" "$(sqlite3 "$F" "SELECT seq FROM verdicts WHERE step_id = 'sign.loads'")" all
t_like "$(push_f)" "session 1: refused \\[bad-signature\\]: record [0-9]+ of session 1 of laptop [0-9a-f]{8}, the closing record, does not carry a valid signature of its signer's key" \
	"a wholly re-hashed session never pushed before is refused: its signature does not verify"
# A team that lists its keys refuses the others.
pg_sql "INSERT INTO zcs.trusted_keys(pubkey, name) VALUES (decode(repeat('ab', 32), 'hex'), 'another')" >/dev/null
forge untrusted ""
t_like "$(push_f)" 'refused \[untrusted-key\]: record 1 of session 1 .* is signed by a key this server does not trust' \
	"with zcs.trusted_keys filled, a session signed by another key is refused"
pg_sql "DELETE FROM zcs.trusted_keys" >/dev/null

forge head "UPDATE sessions SET head_hash = '$(printf '%064d' 0)'"
t_like "$(push_f)" 'refused \[head\]: session 1 of laptop [0-9a-f]{8} ends at record [0-9]+ with hash' \
	"a session whose last hash was replaced is refused"
t_is "$(pg_sql "SELECT count(*) FROM zcs.records WHERE session_id = $sa1")" \
	"$(sqlite3 "$A" "SELECT head_seq FROM sessions WHERE id = 1")" \
	"the refusals left laptop A's session as it was received"
pg_sql "UPDATE zcs.records SET hash = hash WHERE session_id = $sa1" >/dev/null 2>&1
t_is "$?" 1 "what the server received cannot be changed (append-only)"

# ---- offline ----
pg_stop
out=$("$ZC" records push --server "$URL" --db "$A" 2>&1)
t_is "$?" 6 "a push with the server down fails (exit 6)"
t_like "$out" 'cannot reach the records server .*nothing on this laptop is lost' "and says nothing is lost"
t_is "$(sqlite3 "$A" "SELECT count(*) FROM sessions")" 2 "the laptop keeps its sessions"
t_done
