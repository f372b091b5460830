#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/po-english.py PO: the English phrases that have an Italian
translation in PO, one a line, for `grep -F -f` over what a program showed
in Italian.  Each msgid is cut at its formats (%s), its {expr} parts and
its sentence and clause breaks; a phrase is kept when it has at least three
words of three letters and appears in no translation (names such as "LOW
VOLTAGE" or "IV Curve Scan: Disabled" stay English in Italian too)."""
import re
import sys


def entries(path):
    ents, cur, key = [], None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'(msgid|msgstr) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid":
                cur = {"msgid": "", "msgstr": ""}
                ents.append(cur)
            key = m.group(1)
            cur[key] = m.group(2)
            continue
        m = re.match(r'"(.*)"$', line)
        if m and cur is not None:
            cur[key] += m.group(1)
    for e in ents:
        for k in ("msgid", "msgstr"):
            e[k] = e[k].replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')
    return [e for e in ents if e["msgid"] and e["msgstr"] and e["msgid"] != e["msgstr"]]


def main():
    ents = entries(sys.argv[1])
    italian = "\n".join(e["msgstr"] for e in ents)
    out = set()
    for e in ents:
        text = re.sub(r"\{[^}]*\}", "\n", e["msgid"])
        text = re.sub(r"%[-+ #0-9.*]*[a-zA-Z]+", "\n", text)
        for piece in re.split(r"[\n.;:?()!>|]\s|[\n;:?()|]|\s-+>\s", text):
            piece = piece.strip(" ,'\"[]")
            if len(re.findall(r"[A-Za-z]{3,}", piece)) < 3 or piece in italian:
                continue
            out.add(piece)
    for p in sorted(out):
        print(p)


main()
