#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/it.po is whole: msgfmt --check passes with no untranslated and no
# fuzzy message, and every text of the current tree (the C sources'
# _()/N_() and what po/extract.py pulls from checklists/ and data/) has its
# Italian translation, so a string added on any branch is caught here.
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
for tool in msgfmt msgcmp xgettext msgcat python3; do
	command -v $tool >/dev/null 2>&1 || t_skip_all "$tool is missing (scripts/deps.sh installs gettext)"
done

stats=$(msgfmt --check --statistics -o "$T_TMP/it.mo" "$SRC/po/it.po" 2>&1)
t_ok $? "msgfmt --check po/it.po: $stats"
t_unlike "$stats" 'untranslated' "no untranslated message"
t_unlike "$stats" 'fuzzy' "no fuzzy message"
t_like "$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$SRC/po/it.po" 2>&1)" \
	'^[0-9]+ translated messages\.$' "only translated messages"

sh "$SRC/po/make-pot.sh" "$SRC" "$T_TMP/now.pot" 2>"$T_TMP/pot.err"
t_ok $? "the template of the current tree ($(grep -c '^msgid' "$T_TMP/now.pot") texts)"
msgcmp "$SRC/po/it.po" "$T_TMP/now.pot" >"$T_TMP/cmp" 2>&1
t_ok $? "every text of the tree has its translation in po/it.po"
grep -A1 'this message' "$T_TMP/cmp" | grep msgid | head -20 | sed 's/^/#   missing: /'

# the build tree's catalogue is the one the programs find
t_ok "$([ -f "$ZCS_BUILD/locale/it/LC_MESSAGES/zcs-commission.mo" ]; echo $?)" \
	"make builds build/locale/it/LC_MESSAGES/zcs-commission.mo"
t_like "$(LANG=C "$ZC" --lang it --help 2>&1)" 'uso: zcs-commission' "--lang it: the usage in Italian"
t_like "$(LANG=C "$ZC" --help 2>&1)" 'usage: zcs-commission' "LANG=C: in English"
t_like "$(LANGUAGE= LC_ALL= LC_MESSAGES= LANG=it_IT.UTF-8 "$ZC" --lang en --help 2>&1)" \
	'usage: zcs-commission' "--lang en outranks LANG"
"$ZC" --lang fr --help >/dev/null 2>"$T_TMP/err"
t_is $? 2 "--lang fr: a usage error"
t_like "$(cat "$T_TMP/err")" 'use --lang it .* or --lang en' "saying which languages there are"
t_done
