#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Records a QA team can trust, against the reproducers of issue 17: the
# last records deleted and the head moved back; a session rewritten and
# its whole chain re-hashed by a script; approve refusing both; a signer
# that is not trusted; exports refusing to write through a symlink or over
# a device; names shown to a terminal with their escape codes disarmed;
# private file modes; and QA approving in a loop while a commissioning runs
# on the same file.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || t_skip_all "python3 is not installed"
command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
run_opts() { echo --answers "$ANS" --tcp "$SIM_TCP" --window-scale 0.1 --quiet --training; }

# ---- a signed session, in the default place ----
out=$("$ZC" run $(run_opts) --act "$ZSIM ctl $SIM_CTL" 2>&1)
t_is "$?" 0 "a training run passes"
DB=$XDG_DATA_HOME/zcs-commission/records.db
t_is "$(stat -c %a "$DB")" 600 "the records file is private (0600)"
t_is "$(stat -c %a "$XDG_DATA_HOME/zcs-commission")" 700 "its directory too (0700)"
KEYDIR=$XDG_CONFIG_HOME/zcs-commission
t_is "$(stat -c %a "$KEYDIR/key")" 600 "the signing key was made on first use, 0600"
t_is "$(stat -c %a "$KEYDIR")" 700 "in a private directory"
key=$("$ZC" records key)
fp=${key#* }
t_like "$key" '^[0-9a-f]{64} ed25519:[0-9a-f]{16}$' "records key prints the public key and its fingerprint"
out=$("$ZC" records verify 1 2>&1)
t_like "$out" "intact .*signed by $fp \\(trusted\\), closed" "verify: intact, signed by this machine, closed"
t_like "$("$ZC" records export 1 --format text)" "signer +$fp" "the text export names the signer"
t_like "$("$ZC" records export 1 --format html)" "Signed by $fp.*signature of record [0-9]+: <code>[0-9a-f]{128}</code>" \
	"the HTML export prints the fingerprint and the head's signature"
py=$("$ZC" records export 1 --format json | python3 -c '
import json, sys, datetime
d = json.load(sys.stdin)
print("schema", d["schema"], d["schema_version"])
t = d["session"]["started"]
print("iso", datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").year > 2000)
i = d["integrity"]
print("sig", i["fingerprint"], len(i["signature"]), i["trusted"], i["closed"])')
t_like "$py" '^schema zcs-commission-record 2$' "JSON: a schema version"
t_like "$py" '^iso True$' "JSON: ISO 8601 times"
t_like "$py" "^sig $fp 128 True True\$" "JSON: fingerprint, signature, trusted, closed"

# ---- reproducer 1: the last records deleted, the head moved back ----
cut_tail() { # cut_tail FILE: delete the closing record and the 'ended' event, move the head
	sqlite3 "$1" "DELETE FROM closings; DELETE FROM events WHERE kind='ended';
	CREATE TEMP VIEW allrec AS SELECT seq, hash FROM verdicts UNION ALL SELECT seq, hash FROM events
	  UNION ALL SELECT seq, hash FROM answers UNION ALL SELECT seq, hash FROM step_entries
	  UNION ALL SELECT seq, hash FROM writes UNION ALL SELECT seq, hash FROM sessions;
	UPDATE sessions SET head_seq=(SELECT max(seq) FROM allrec),
	  head_hash=(SELECT hash FROM allrec ORDER BY seq DESC LIMIT 1);"
}
cp "$DB" "$T_TMP/cut.db"
cut_tail "$T_TMP/cut.db"
out=$("$ZC" records verify 1 --db "$T_TMP/cut.db" 2>&1)
t_is "$?" 6 "tail deleted: verify exits 6"
t_like "$out" 'NOT INTACT: the session is marked finished but its chain has no valid signed closing record' \
	"tail deleted: verify says the closing record is gone"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/cut.db" 2>&1)
t_is "$?" 6 "tail deleted: approve refuses"
# ... and marked unfinished as well, as the chain now says: it shows unfinished
cp "$T_TMP/cut.db" "$T_TMP/cut2.db"
sqlite3 "$T_TMP/cut2.db" "UPDATE sessions SET complete=0, verdict='incomplete', ended_ms=NULL,
	current_step=(SELECT step_id FROM step_entries ORDER BY seq DESC LIMIT 1)"
out=$("$ZC" records verify 1 --db "$T_TMP/cut2.db" 2>&1)
t_like "$out" 'intact .*, unfinished' "tail deleted and summary fixed: the session shows unfinished"
t_like "$("$ZC" records list --db "$T_TMP/cut2.db")" ' unfinished ' "the list says unfinished (never closed), not failed"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/cut2.db" 2>&1)
t_is "$?" 2 "tail deleted, shown unfinished: approve refuses"
t_like "$out" 'not finished' "and says it is not finished"

# ---- reproducer 2: rewritten and re-hashed by a script ----
cat >"$T_TMP/rehash.py" <<'PY'
# Re-hash every chain of a records file the way zcs-commission does, after
# an optional SQL edit: what a forger without the signing key can do.
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
if len(sys.argv) > 2:
    db.executescript(sys.argv[2])
S1 = "id installer site customer serial layout family model fw_com fw_master fw_slave link checklist_version checklist_hash training started_ms seq"
kinds = [("sessions", S1 + " chain signer"),
 ("verdicts", "id session_id step_id section title status started_ms ended_ms detail remedy reason override_by seq"),
 ("writes", "id session_id step_id reg addr slave before written readback raw_before raw_written raw_readback ok confirmed_by wall_ms seq"),
 ("events", "id session_id kind detail wall_ms seq"),
 ("reviews", "id session_id reviewer approved comment wall_ms seq signer"),
 ("answers", "id session_id step_id key value wall_ms seq"),
 ("step_entries", "id session_id step_id wall_ms seq"),
 ("closings", "id session_id complete nrecords wall_ms seq")]
def val(name, v):
    if v is None: return name + "=n\n"
    if isinstance(v, int): return "%s=i%d\n" % (name, v)
    if isinstance(v, float): return "%s=r%.17g\n" % (name, v)
    b = v.encode() if isinstance(v, str) else v
    return "%s=%s%d:" % (name, "s" if isinstance(v, str) else "b", len(b)) + b.decode() + "\n"
def rows(sql, args):
    cur = db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [(names, r) for r in cur.fetchall()]
UNIT = "serial layout family model fw_com fw_master fw_slave".split()
for (sid,) in db.execute("SELECT id FROM sessions").fetchall():
    recs = []
    # a session begun before power-up: its header hashes the unit as it was
    # (empty), the chained "identified" event hashes it as it is
    late = db.execute("SELECT 1 FROM events WHERE session_id=? AND kind='identified'", (sid,)).fetchone()
    for t, cols in kinds:
        q = ", ".join(('NULL AS "%s"' if t == "sessions" and late and c in UNIT else '"%s"') % c
                      for c in cols.split())
        where = "id" if t == "sessions" else "session_id"
        for names, r in rows("SELECT %s FROM %s WHERE %s=?" % (q, t, where), (sid,)):
            c = t + "\n" + "".join(val(n, v) for n, v in zip(names, r))
            if t == "verdicts":
                c += "inputs\n" + "".join("".join(val(n, v) for n, v in zip(nn, rr)) for nn, rr in
                    rows('SELECT verdict_id, idx, "key", value FROM inputs WHERE verdict_id=? ORDER BY idx', (r[0],)))
                c += "samples\n" + "".join("".join(val(n, v) for n, v in zip(nn, rr)) for nn, rr in
                    rows("SELECT verdict_id, idx, name, unit, value, text, raw, slave, wall_ms FROM samples WHERE verdict_id=? ORDER BY idx", (r[0],)))
            if t == "events" and r[names.index("kind")] == "identified":
                c += "unit\n" + "".join("".join(val(n, v) for n, v in zip(nn, rr)) for nn, rr in
                    rows("SELECT %s FROM sessions WHERE id=?" % ", ".join(UNIT), (sid,)))
            recs.append((r[names.index("seq")], t, r[0], c))
    prev = "0" * 64
    for seq, t, rid, c in sorted(recs):
        prev = hashlib.sha256((prev + "\n" + c).encode()).hexdigest()
        db.execute("UPDATE %s SET hash=? WHERE id=?" % t, (prev, rid))
    db.execute("UPDATE sessions SET head_hash=? WHERE id=?", (prev, sid))
db.commit()
PY
cp "$DB" "$T_TMP/same.db"
sqlite3 "$T_TMP/same.db" "SELECT hash FROM verdicts ORDER BY id" >"$T_TMP/before"
python3 "$T_TMP/rehash.py" "$T_TMP/same.db"
sqlite3 "$T_TMP/same.db" "SELECT hash FROM verdicts ORDER BY id" >"$T_TMP/after"
cmp -s "$T_TMP/before" "$T_TMP/after"
t_ok $? "the script re-hashes a chain exactly as zcs-commission does"
t_like "$("$ZC" records verify 1 --db "$T_TMP/same.db" 2>&1)" 'records is intact' "so a re-hash alone changes nothing"
cp "$DB" "$T_TMP/forged.db"
python3 "$T_TMP/rehash.py" "$T_TMP/forged.db" "UPDATE samples SET value=value+1000
	WHERE verdict_id=(SELECT id FROM verdicts WHERE step_id='sign.loads');
	UPDATE sessions SET installer='Someone Else'"
out=$("$ZC" records verify 1 --db "$T_TMP/forged.db" 2>&1)
t_is "$?" 6 "re-hashed forgery: verify exits 6"
t_like "$out" 'NOT INTACT: record [0-9]+, .*, does not carry a valid signature of its signer' \
	"re-hashed forgery: the signature does not match"
out=$("$ZC" records approve 1 --by Q --db "$T_TMP/forged.db" 2>&1)
t_is "$?" 6 "re-hashed forgery: approve refuses"
t_like "$out" 'cannot be approved: .*signature' "and says why"
t_like "$("$ZC" records export 1 --format html --db "$T_TMP/forged.db")" 'class="failed">record [0-9]+, .*signature' \
	"the customer page of the forgery says so"
# a naive edit is still found by the chain itself
cp "$DB" "$T_TMP/naive.db"
sqlite3 "$T_TMP/naive.db" "UPDATE answers SET value='zsx9999' WHERE id=(SELECT min(id) FROM answers)"
t_like "$("$ZC" records verify 1 --db "$T_TMP/naive.db" 2>&1)" 'NOT INTACT: record [0-9]+, the answer .* was altered' \
	"an edited answer is found by the hash chain"
cp "$DB" "$T_TMP/naive2.db"
sqlite3 "$T_TMP/naive2.db" "UPDATE sessions SET current_step='first.country', nfailed=0"
t_like "$("$ZC" records verify 1 --db "$T_TMP/naive2.db" 2>&1)" 'NOT INTACT: the session.s stored' \
	"an edited summary column is found"

# ---- trusted keys ----
mkdir "$T_TMP/keys" "$T_TMP/otherkeys"
echo "$key" >"$T_TMP/keys/installer.pub"
echo "0000000000000000000000000000000000000000000000000000000000000001 someone" >"$T_TMP/otherkeys/x.pub"
t_like "$("$ZC" records verify 1 --keys "$T_TMP/keys" 2>&1)" '\(trusted\)' "verify --keys DIR: trusted when DIR holds the key"
out=$("$ZC" records verify 1 --keys "$T_TMP/otherkeys" 2>&1)
t_is "$?" 6 "verify --keys DIR without the signer's key exits 6"
t_like "$out" 'NOT a trusted key' "and says the key is not trusted"
cp "$DB" "$T_TMP/qa.db"
out=$("$ZC" records approve 1 --by Q --keys "$T_TMP/otherkeys" --db "$T_TMP/qa.db" 2>&1)
t_is "$?" 6 "approve refuses a session signed by a key it does not trust"
t_like "$out" 'not a trusted key' "and says so"
out=$("$ZC" records approve 1 --by Q --keys "$T_TMP/keys" --db "$T_TMP/qa.db" 2>&1)
t_is "$?" 0 "approve with the installer's key among the trusted ones"

# ---- exports ----
echo "precious" >"$T_TMP/victim"
ln -s "$T_TMP/victim" "$T_TMP/link.html"
out=$("$ZC" records export 1 --format html -o "$T_TMP/link.html" 2>&1)
t_is "$?" 2 "export to a symlink is refused"
t_like "$out" 'is a symbolic link, not a regular file' "and says why"
t_is "$(cat "$T_TMP/victim")" precious "the symlink's target is untouched"
ln -s "$T_TMP/victim" "$T_TMP/r.html.tmp"
"$ZC" records export 1 --format html -o "$T_TMP/r.html" >/dev/null 2>&1
t_is "$?" 0 "export next to a planted FILE.tmp symlink works"
t_is "$(cat "$T_TMP/victim")" precious "and does not write through the planted link"
t_like "$(head -1 "$T_TMP/r.html")" '<!DOCTYPE html>' "the report is written"
if [ "$(id -u)" -eq 0 ]; then
	mknod "$T_TMP/full" c 1 7
	what="a device"
else
	mkfifo "$T_TMP/full"
	what="a special file"
fi
out=$("$ZC" records export 1 --format html -o "$T_TMP/full" 2>&1)
t_is "$?" 2 "export over $what is refused"
t_like "$out" "is $what, not a regular file" "and says why"
t_ok "$([ -c "$T_TMP/full" ] || [ -p "$T_TMP/full" ]; echo $?)" "$what is still there"
mkdir "$T_TMP/adir"
"$ZC" records export 1 --format html -o "$T_TMP/adir" >/dev/null 2>&1
t_is "$?" 2 "export over a directory is refused"
t_is "$(ls -A "$T_TMP" | grep -c '\.tmp$')" 1 "no temporary is left behind (only the planted one)"

# ---- terminal output ----
cp "$DB" "$T_TMP/esc.db"
sqlite3 "$T_TMP/esc.db" "UPDATE sessions SET installer='Ada' || char(27) || ']0;owned' || char(7) || 'X'"
out=$("$ZC" records list --db "$T_TMP/esc.db")
t_like "$out" 'Ada\\x1b\]0;owned\\x0' "list shows an escape sequence in a name as text"
t_unlike "$out" "$(printf '\033')" "and never sends it to the terminal"
t_unlike "$("$ZC" records show 1 --db "$T_TMP/esc.db")" "$(printf '\033')" "nor does show"

# ---- readers never stall a commissioning ----
"$ZC" run $(run_opts) --act "$ZSIM ctl $SIM_CTL" >"$T_TMP/run2.out" 2>&1 &
runpid=$!
n=0; bad=0
while kill -0 "$runpid" 2>/dev/null; do
	"$ZC" records approve 1 --by "Loop QA" >>"$T_TMP/approve.out" 2>&1 || bad=$((bad + 1))
	"$ZC" records export 1 --format html -o "$T_TMP/loop.html" >/dev/null 2>&1 || bad=$((bad + 1))
	"$ZC" records list >/dev/null 2>&1 || bad=$((bad + 1))
	n=$((n + 1))
done
wait "$runpid"
t_is "$?" 0 "a run completes while QA approves in a loop ($n rounds)"
t_unlike "$(cat "$T_TMP/run2.out")" 'locked' "the run never met 'database locked'"
t_is "$bad" 0 "every approve, export and list of the loop succeeded"
t_ok "$([ "$n" -ge 3 ] && echo 0 || echo 1)" "the loop ran while the session was recorded"
t_like "$("$ZC" records verify 2 2>&1)" 'intact .*closed' "the session recorded meanwhile is intact and closed"
t_done
