#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The customer's copy of a commissioning (records export --format html), as
# a browser renders it (headless Chromium): a summary first (unit,
# batteries, meter, each part passed or failed), the evidence after, every
# value in the installer's words, printed on A4.  No checklist key, register
# name or rule expression shows; the reviewer's copy (qa-html) keeps them.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser) ||
	t_skip_all "chromium is not installed (scripts/deps.sh installs it)"
command -v python3 >/dev/null || t_skip_all "python3 is not installed"
DB=$T_TMP/r.db
sim_start fault-fewer-batteries || { t_ok 1 "simulator starts"; t_done; exit 1; }
"$ZC" run --answers "$ZCS_DATA_DIR/examples/azzurro.ans" --tcp "$SIM_TCP" --window-scale 0.1 \
	--quiet --training --act "$ZSIM ctl $SIM_CTL" --db "$DB" >/dev/null 2>&1
t_is "$?" 1 "a run where one battery is not seen: a step fails"
"$ZC" records export 1 --format html -o "$T_TMP/copy.html" --db "$DB"
t_is "$?" 0 "the customer's copy is written"

browse() { # OPTION...: a fresh profile each time, nothing fetched from outside
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T_TMP/profile.$$.$1" "$@" "file://$T_TMP/copy.html" 2>/dev/null
}
browse --dump-dom >"$T_TMP/dom.html"
t_like "$(cat "$T_TMP/dom.html")" '<h2>Summary</h2>' "Chromium renders the copy"

check=$(python3 - "$T_TMP/dom.html" "$ZCS_CHECKLIST_DIR" "$ZCS_DATA_DIR/maps/g3.map" <<'PY'
import glob, html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
body = re.sub(r"<style>.*?</style>", " ", dom, flags=re.S)
text = html.unescape(re.sub(r"<[^>]+>", " ", body))
keys = set()
for f in glob.glob(sys.argv[2] + "/*.chk"):
    for line in open(f, encoding="utf-8"):
        m = re.match(r"\s*(step|ask)\s+([a-z][a-z0-9_.-]*)", line)
        if m and ("." in m.group(2) or "_" in m.group(2)):
            keys.add(m.group(2))
regs = {m.group(1) for m in re.finditer(r"^reg\s+(\S+)", open(sys.argv[3]).read(), re.M)
        if "_" in m.group(1)}
words = set(re.findall(r"[A-Za-z0-9_.-]+", text))
print("keys", len(keys), "found", " ".join(sorted(k for k in keys if k in words)) or "none")
print("regs", len(regs), "found", " ".join(sorted(r for r in regs if r in words)) or "none")
expr = re.findall(r"[A-Za-z_]\(|==|!=|&&|\|\||\{|\}|rule_ok|dip_kind", text)
print("expressions", " ".join(expr) or "none")
s, e = text.find("Summary"), text.find("Steps")
print("order", "summary-first" if 0 <= s < e else "wrong")
for want in ("Inverter", "Batteries", "Meters", "Battery settings", "Battery capacity 300 Ah",
             "What to do:", "Not applicable", "Does not apply to this installation"):
    print("has", want, want in text)
print("failed-part", bool(re.search(r"Battery settings\s+failed", text)))
PY
)
t_like "$check" '^keys [0-9]+ found none$' "no checklist key (step or question) in the copy"
t_like "$check" '^regs [0-9]+ found none$' "no register-map name"
t_like "$check" '^expressions none$' "no rule expression"
t_like "$check" '^order summary-first$' "the summary comes before the evidence"
t_unlike "$check" '^has .* False$' "unit, batteries, meters, readings in words, remedy, n/a in words"
t_like "$check" '^failed-part True$' "the summary says which part failed"

browse --print-to-pdf="$T_TMP/copy.pdf" --no-pdf-header-footer >/dev/null
t_ok "$([ -s "$T_TMP/copy.pdf" ]; echo $?)" "Chromium prints it to PDF"
t_like "$(LC_ALL=C grep -ao 'MediaBox *\[[^]]*\]' "$T_TMP/copy.pdf" | head -1)" \
	'MediaBox *\[0 0 59[45]' "on A4 paper (595 x 842 pt), not US Letter"

qa=$("$ZC" records export 1 --format qa-html --db "$DB")
t_like "$qa" 'bset\.info' "the reviewer's copy keeps the step keys"
t_like "$qa" 'bat_capacity' "and the register names"
t_done
