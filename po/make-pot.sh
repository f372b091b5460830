#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/make-pot.sh SRCDIR OUT.pot: the template of every translatable text,
# the C sources' (xgettext: _() and N_()) and the texts of checklists/ and
# data/ (po/extract.py), in one file.
set -e
src=$1 out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && find src ui -name '*.[ch]' | LC_ALL=C sort) >"$tmp/files"
(cd "$src" && xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	--add-comments=TRANSLATORS: --package-name=zcs-commission --no-wrap \
	-f "$tmp/files" -o "$tmp/c.pot")
[ -f "$tmp/c.pot" ] || printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' >"$tmp/c.pot"
python3 "$src/po/extract.py" "$src" >"$tmp/data.pot"
msgcat --use-first --no-wrap -o "$out" "$tmp/c.pot" "$tmp/data.pot"
