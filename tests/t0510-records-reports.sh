#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# What the customer, the installer's company and the QA reviewer get from a
# recorded session: the list with its filters, the text, HTML, JSON and CSV
# reports (checked by python3, which did not write them), the review, and
# records verify finding a changed evidence value, a deleted step and an
# inserted one.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || t_skip_all "python3 is not installed"
command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
DB=$T_TMP/records.db
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }

out=$("$ZC" run --answers "$ANS" --tcp "$SIM_TCP" --window-scale 0.1 --quiet --training \
	--act "$ZSIM ctl $SIM_CTL" --db "$DB" 2>&1)
t_is "$?" 0 "a training run against the clean plant passes"
t_like "$out" "recorded as session 1 in $DB" "run says where it recorded the session"
nsteps=$(sqlite3 "$DB" "SELECT count(DISTINCT step_id) FROM verdicts")

# ---- list and its filters ----
list() { "$ZC" records list --db "$DB" "$@" 2>&1; }
t_like "$(list)" '^ +1 +[0-9-]+ [0-9:]+ +Mario Rossi +ZM2E[0-9A-Z]+ +training +passed' \
	"records list shows the session: installer, serial, training, passed"
t_like "$(list --installer 'mario rossi')" '^ +1 ' "filter: installer, any case"
t_like "$(list --serial NOSUCHSERIAL)" 'no session matches' "filter: another serial matches nothing"
t_like "$(list --verdict passed --training)" '^ +1 ' "filter: passed, training"
t_like "$(list --field)" 'no session matches' "filter: field sessions are not training ones"
t_like "$(list --failed-step sign.loads)" 'no session matches' "filter: no step failed"
today=$(date -u +%Y-%m-%d)
t_like "$(list --from "$today" --to "$today")" '^ +1 ' "filter: today's sessions"
t_like "$(list --from 2099-01-01)" 'no session matches' "filter: from a later date"
t_like "$(list --review pending)" '^ +1 ' "filter: not reviewed yet"
lj=$("$ZC" records list --db "$DB" --json --installer 'mario rossi' 2>&1 | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["sessions"][0]
print(d["schema"], d["schema_version"], len(d["sessions"]), s["id"], s["installer"], s["verdict"], s["training"])')
t_like "$lj" '^zcs-commission-list 1 1 1 Mario Rossi passed True$' \
	"records list --json: valid JSON (python3) with the session, filtered"
if [ -r /usr/share/bash-completion/bash_completion ]; then
	ids=$(PATH="$ZCS_BUILD:$PATH" bash -c '. /usr/share/bash-completion/bash_completion
		. "$1"; COMP_WORDS=(zcs-commission records show --db "$2" ""); COMP_CWORD=5
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; _zcs_commission
		echo "${COMPREPLY[*]}"' sh "$(dirname "$0")/../completions/zcs-commission" "$DB")
	t_is "$ids" "1" "bash completion offers the record numbers of the --db given"
fi
# a second session (a copy of the header is enough for the list): the list
# shows the newest ones and says how many more match
cp "$DB" "$T_TMP/two.db"
sqlite3 "$T_TMP/two.db" "CREATE TEMP TABLE s AS SELECT * FROM sessions WHERE id=1;
	UPDATE s SET id=2, started_ms=started_ms+1000, installer='Anna Neri';
	INSERT INTO sessions SELECT * FROM s" 2>/dev/null
two=$("$ZC" records list --db "$T_TMP/two.db" --limit 1 2>&1)
t_like "$two" '^ +2 .*Anna Neri' "--limit 1 shows the newest session"
t_unlike "$two" 'Mario Rossi' "and not the older one"
t_like "$two" 'the newest 1 of 2 matching sessions: --limit N or --all for more' \
	"and says how many match"
t_like "$("$ZC" records list --db "$T_TMP/two.db" --all 2>&1)" 'Mario Rossi' "--all lists every one"
t_like "$(list --limit 0)" '--limit takes a number of sessions above 0' "--limit 0 is explained"
list --verdict maybe >/dev/null
t_is "$?" 2 "an unknown verdict is a usage error"
t_like "$(list --from 21/11/2026)" 'YYYY-MM-DD' "a date in another form is explained"
t_like "$(list --installer "x' OR '1'='1")" 'no session matches' \
	"a quote in a filter is a value, not SQL"

# ---- show ----
show=$("$ZC" records show 1 --db "$DB")
t_like "$show" 'serial ZM2E' "show: the unit's serial as read from the device"
t_like "$show" '\[passed \] 11\.7 +sign\.loads' "show: each step with its section and verdict"
t_like "$show" 'evidence grid_power = .* \[[0-9A-F]{4}\] slave 1 at ' \
	"show: evidence with value, raw words, slave and time"
t_like "$show" 'chain of [0-9]+ records is intact' "show: the integrity check"
"$ZC" records show 99 --db "$DB" >/dev/null 2>&1
t_is "$?" 2 "show: an unknown session number is a usage error"

# ---- review ----
"$ZC" records approve 1 --db "$DB" >/dev/null 2>&1
t_is "$?" 2 "approve needs --by"
out=$("$ZC" records approve 1 --by "Quinto Revisore" --comment "CT photos <ok> & 'signed'" \
	--db "$DB" 2>&1)
t_is "$?" 0 "the reviewer approves the session"
t_like "$(list --review approved)" '^ +1 .* approved' "the list shows it approved"

# ---- exports, checked by python3 ----
"$ZC" records export 1 --format html -o "$T_TMP/r.html" --db "$DB"
t_is "$?" 0 "export html"
py_html=$(python3 - "$T_TMP/r.html" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = []; self.tags = 0; self.text = []
    def handle_starttag(self, tag, attrs):
        self.tags += 1
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "data") and v and not v.startswith("#"):
                self.bad.append("%s %s=%s" % (tag, k, v))
        if tag in ("link", "script", "img", "iframe", "object", "embed"):
            self.bad.append(tag)
    def handle_data(self, d):
        self.text.append(d)
p = P()
src = open(sys.argv[1], encoding="utf-8").read()
p.feed(src); p.close()
if "url(" in src or "@import" in src:
    p.bad.append("css url/import")
text = " ".join(p.text)
print("tags", p.tags)
print("external", len(p.bad), *p.bad)
for want in ("Batteries", "Meters", "Settings written", "Steps", "Quality review",
             "Approved", "Quinto Revisore", "CT photos <ok> & 'signed'", "Seal"):
    print("has", want, want in text)
EOF
)
t_like "$py_html" '^tags [0-9]{3,}' "the HTML parses (python3 html.parser)"
t_like "$py_html" '^external 0$' "the HTML names no external asset (no src, href, link, url())"
t_unlike "$py_html" 'has .* False' "the HTML has unit, batteries, meters, settings, steps, review, seal"
t_like "$py_html" "has CT photos <ok> & 'signed' True" "the HTML escapes the reviewer's comment"

"$ZC" records export 1 --format json -o "$T_TMP/r.json" --db "$DB"
py_json=$(python3 - "$T_TMP/r.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
steps = d["steps"]
print("steps", len({s["step"] for s in steps}))
print("serial", d["session"]["serial"][:4])
print("evidence", sum(len(s["evidence"]) for s in steps))
print("raw", all(isinstance(w, int) for s in steps for e in s["evidence"] for w in e["raw"]))
print("review", d["reviews"][0]["approved"], d["reviews"][0]["reviewer"])
print("integrity", d["integrity"]["state"])
for w in d["writes"]:
    print("write", w["register"], w["before"], w["written"], w["readback"], w["ok"],
          w["confirmed_by"])
EOF
)
t_like "$py_json" "^steps $nsteps\$" "the JSON parses (python3 json) with every step"
t_like "$py_json" '^serial ZM2E' "the JSON has the unit"
t_like "$py_json" '^evidence [1-9][0-9]*' "the JSON has the evidence samples"
t_like "$py_json" '^raw True' "the JSON has the raw register words"
t_like "$py_json" '^review True Quinto Revisore' "the JSON has the review"
t_like "$py_json" '^integrity intact' "the JSON has the integrity check"
t_like "$py_json" '^write bat_dod [0-9.]+ 80 80 True Mario Rossi' \
	"the JSON has the DoD write: before, written, read back, who confirmed"
t_like "$show" 'bat_dod \(0x[0-9A-F]{4}, slave 1\): [0-9.]+ -> 80, read back 80 \(ok\); confirmed by Mario Rossi' \
	"show: the write with its value before, written and read back"

"$ZC" records export 1 --format csv -o "$T_TMP/r.csv" --db "$DB"
py_csv=$(python3 - "$T_TMP/r.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
print("header", ",".join(rows[0][:5]))
print("rows", len(rows) - 1)
print("unique", len({r[4] for r in rows[1:]}))
print("who", rows[1][1], rows[1][2], sep="|")
print("widths", len({len(r) for r in rows}))
EOF
)
t_like "$py_csv" '^header session,serial,installer,site,step$' "the CSV has a header (python3 csv)"
t_like "$py_csv" '^who\|ZM2ES060M1E001\|[^|]+$' "each row says which unit and who commissioned it"
t_like "$py_csv" "^rows $nsteps\$" "the CSV has one row per step ($nsteps)"
t_like "$py_csv" "^unique $nsteps\$" "each step once"
t_like "$py_csv" '^widths 1$' "every row has as many fields as the header"

t_like "$("$ZC" records export 1 --format text --db "$DB")" 'APPROVED by Quinto Revisore' \
	"the text export has the review"
"$ZC" records export 1 --format pdf --db "$DB" >/dev/null 2>&1
t_is "$?" 2 "an unknown format is a usage error"

# ---- tamper evidence ----
all=$("$ZC" records verify --db "$DB")
t_is "$(printf '%s\n' "$all" | head -1)" "$("$ZC" records verify 1 --db "$DB")" \
	"verify without a number checks every session"
t_like "$all" '^1 sessions: 1 read and checked, 0 unchanged' "verify says how many it read"
t_like "$("$ZC" records verify --db "$DB")" '\[verified checkpoint\]' \
	"verify again: the unchanged session is taken from its verified checkpoint"
t_like "$("$ZC" records verify --full --db "$DB")" 'closed$' "verify --full reads it again"
t_like "$("$ZC" records verify 1 --db "$DB")" 'records is intact' "the untouched record is intact"
tamper() { # tamper SQL: verify a changed copy, print its output and exit code
	rm -f "$T_TMP/t.db"; cp "$DB" "$T_TMP/t.db"
	sqlite3 "$T_TMP/t.db" "$1"
	"$ZC" records verify 1 --db "$T_TMP/t.db" 2>&1; echo "exit $?"
}
out=$(tamper "UPDATE samples SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM samples
	WHERE verdict_id = (SELECT id FROM verdicts WHERE step_id = 'sign.loads'))")
t_like "$out" 'NOT INTACT: record [0-9]+, the verdict of step sign\.loads \(passed\), was altered' \
	"verify: a changed evidence value is named"
t_like "$out" 'exit 6' "verify: exit 6 when a record was altered"
out=$(tamper "DELETE FROM verdicts WHERE step_id = 'batteries.model'")
t_like "$out" 'NOT INTACT: record [0-9]+ is missing: it was deleted' "verify: a deleted step is found"
out=$(tamper "INSERT INTO verdicts(session_id, step_id, section, title, status, started_ms,
	ended_ms, detail) VALUES (1, 'grid.extra', '11.7', 'Added later', 'passed', 0, 0, 'ok')")
t_like "$out" 'NOT INTACT: the verdict of step grid\.extra \(passed\) is in the record but not in its chain' \
	"verify: an inserted step is found"
out=$(tamper "INSERT INTO verdicts(session_id, step_id, status, seq, hash) SELECT session_id,
	'grid.extra', 'passed', seq, hash FROM verdicts WHERE step_id = 'sign.loads'")
t_like "$out" 'NOT INTACT: record [0-9]+, the verdict of step grid\.extra \(passed\), shares its number' \
	"verify: an inserted step that copies a record number is found"
out=$(tamper "UPDATE writes SET readback = 70")
t_like "$out" 'NOT INTACT: record [0-9]+, the write of bat_dod, was altered' "verify: a changed read-back is found"
out=$(tamper "UPDATE verdicts SET status = 'passed', detail = 'fine' WHERE step_id = 'sign.loads'")
t_like "$out" 'was altered' "verify: a rewritten verdict is found"
t_like "$("$ZC" records export 1 --format html --db "$T_TMP/t.db")" \
	'class="failed">record [0-9]+, the verdict of step sign.loads' "the customer page of an altered record says so"
"$ZC" records approve 1 --by "Quinto Revisore" --db "$T_TMP/t.db" >/dev/null 2>&1
t_is "$?" 6 "an altered record cannot be approved"
t_done
