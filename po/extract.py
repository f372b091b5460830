#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""po/extract.py: the texts of checklists/ and data/ a person reads, as a
.pot fragment for po/it.po (see po/README).

The files stay English; the programs translate each text where they show
it (dgettext on the loaded English text), so what is extracted here is
exactly what the loaders keep:
  checklists/*.chk  title= say= prompt= label= text= remedy= attributes and
                    the say, confirm and remedy statements (never when,
                    rule or expect expressions)
  data/*.conf       text= reason= note= figure= and the batteries' chain= power=
                    align_note= pinout_*= (facts, advice, rules, what bat() shows)
  data/maps/*.map   label= of registers and the words of enum values
  data/wiring/      each diagram's title and its paragraphs of prose;
  data/scenarios/   each scenario's describe; training.conf's describe=,
                    label= and wrong= (the exercises)
Usage: po/extract.py [SRCDIR] > out.pot"""
import glob
import os
import re
import sys

ATTR_CHK = ("title", "say", "prompt", "label", "text", "remedy")
STMT_CHK = ("say", "confirm", "remedy")
ATTR_CONF = ("text", "reason", "chain", "power", "align_note", "pinout_note", "pinout_battery",
             "pinout_inverter", "figure", "note")


def logical_lines(path):
    """(line number, text) with backslash continuations joined."""
    out, buf, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not buf:
                start = n
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            buf += line
            out.append((start, buf))
            buf = ""
    if buf:
        out.append((start, buf))
    return out


TOKEN = re.compile(r'([A-Za-z_]+=)?"((?:[^"\\]|\\.)*)"|(\S+)')


def tokens(line):
    """[(attr or None, value, quoted)] of one logical line, comments cut."""
    out = []
    for m in TOKEN.finditer(line):
        if m.group(3) is not None:
            if m.group(3).startswith("#"):
                break
            w = m.group(3)
            if "=" in w:
                k, v = w.split("=", 1)
                out.append((k, v, False))
            else:
                out.append((None, w, False))
        else:
            val = re.sub(r'\\(["\\])', r"\1", m.group(2))
            attr = m.group(1)[:-1] if m.group(1) else None
            out.append((attr, val, True))
    return out


def pick_words(text):
    """The words a text's {expr} parts put in it: the quoted branches of
    pick(COND, 'A', 'B') and any quoted literal with a space."""
    out = []
    for expr in re.findall(r"\{([^}]*)\}", text):
        for lit in re.findall(r"'([^']*)'", expr):
            if " " in lit.strip():
                out.append(lit)
        for m in re.finditer(r"pick\(", expr):
            depth, args, cur, i = 0, [], "", m.end()
            while i < len(expr):
                c = expr[i]
                if c == "'":
                    j = expr.index("'", i + 1)
                    cur += expr[i:j + 1]
                    i = j + 1
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif c == "," and depth == 0:
                    args.append(cur.strip())
                    cur = ""
                    i += 1
                    continue
                cur += c
                i += 1
            args.append(cur.strip())
            for a in args[1:]:
                if re.fullmatch(r"'[^']*'", a):
                    out.append(a[1:-1])
    return [w.strip() for w in out if re.search(r"[A-Za-z]{3}", w)]


def collect(src):
    found = {}          # msgid -> [refs]

    def add(text, ref):
        if text and text.strip() and re.search(r"[A-Za-z]{2}", text):
            found.setdefault(text, [])
            if ref not in found[text]:
                found[text].append(ref)
            for w in pick_words(text):
                add(w, ref)

    for path in sorted(glob.glob(os.path.join(src, "checklists", "*.chk"))):
        rel = os.path.relpath(path, src)
        for n, line in logical_lines(path):
            t = tokens(line)
            if not t:
                continue
            kw = t[0][1] if t[0][0] is None and not t[0][2] else None
            if kw in STMT_CHK and len(t) > 1 and t[1][0] is None and t[1][2]:
                add(t[1][1], "%s:%d" % (rel, n))
            for attr, val, quoted in t[1:]:
                if attr in ATTR_CHK:
                    add(val, "%s:%d" % (rel, n))
    for path in sorted(glob.glob(os.path.join(src, "data", "*.conf"))):
        rel = os.path.relpath(path, src)
        for n, line in logical_lines(path):
            for attr, val, quoted in tokens(line):
                if attr in ATTR_CONF and quoted:
                    add(val, "%s:%d" % (rel, n))
    for path in sorted(glob.glob(os.path.join(src, "data", "scenarios", "*.scn"))):
        rel = os.path.relpath(path, src)
        for n, line in logical_lines(path):
            t = tokens(line)
            if t and t[0][1] == "describe" and len(t) > 1 and t[1][2]:
                add(t[1][1], "%s:%d" % (rel, n))
    for path in sorted(glob.glob(os.path.join(src, "data", "scenarios", "*.conf"))):
        rel = os.path.relpath(path, src)
        for n, line in logical_lines(path):
            for attr, val, quoted in tokens(line):
                if attr in ("describe", "label", "wrong") and quoted:
                    add(val, "%s:%d" % (rel, n))
    for path in sorted(glob.glob(os.path.join(src, "data", "maps", "*.map"))):
        rel = os.path.relpath(path, src)
        for n, line in logical_lines(path):
            t = tokens(line)
            if not t:
                continue
            if t[0][1] == "enum" and len(t) > 4 and t[4][2] and t[4][0] is None:
                add(t[4][1], "%s:%d" % (rel, n))
            for attr, val, quoted in t:
                if attr == "label":
                    add(val, "%s:%d" % (rel, n))
    for path in sorted(glob.glob(os.path.join(src, "data", "wiring", "*.txt"))):
        rel = os.path.relpath(path, src)
        lines = open(path, encoding="utf-8").read().split("\n")
        for n, line in logical_lines(path):
            t = tokens(line)
            if t and t[0][1] == "title" and len(t) > 1 and t[1][2]:
                add(t[1][1], "%s:%d" % (rel, n))
        if "---" in lines:
            for n, para in wiring_paragraphs(lines, lines.index("---") + 1):
                add(para, "%s:%d" % (rel, n))
    return found


def drawn(line):
    """A line of a diagram's drawing (src/engine/wiring.c, drawn())."""
    t = line.lstrip(" ")
    return (any(c in t for c in "|[]<>") or "+-" in t or "-+" in t or "---" in t
            or "   " in t)


def wiring_paragraphs(lines, first):
    """The prose paragraphs of a diagram, as wiring_lines() cuts them:
    consecutive non-empty lines none of which draws, joined by a space."""
    i = first
    while i < len(lines):
        if not lines[i].strip(" "):
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip(" "):
            j += 1
        para = lines[i:j]
        if not any(drawn(x) for x in para):
            yield i + 1, " ".join(x.lstrip(" ") for x in para)
        i = j


def po_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    found = collect(src)
    print('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    for text, refs in found.items():
        print("#: " + " ".join(refs))
        # A % in these texts is a percent sign, never a format.
        if "%" in text:
            print("#, no-c-format")
        print("msgid " + po_str(text))
        print('msgstr ""\n')


main()
