#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages say what the programs do: every option each command's
# --help lists is in its man page, every command and records subcommand,
# every environment variable the sources read, every exit code; each page
# has an EXAMPLES section and cites only pages that exist; mandoc -Tlint
# finds nothing to say (skipped when mandoc is not installed).
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAN="$ROOT/man"

# The option names of a --help text: the lines of its option tables.
help_opts() {
	sed -n 's/^ \{2,6\}\(-[a-zA-Z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'
}
# In a page: an option is written \-\-name (or --name).
in_page() { # in_page PAGE OPTION
	sed 's/\\-/-/g; s/\\f[BIRP]//g' "$1" | grep -Eq -- "--$2([^a-z0-9-]|$)"
}

ZCM="$MAN/zcs-commission.1"
cmds="probe read run resume checklist ports batteries train"
subs="list show verify export approve reject key recover push pull server-init"
missing=""
for c in "" $cmds "records" $(for s in $subs; do echo "records:$s"; done); do
	args=$(echo "$c" | tr ':' ' ')
	# shellcheck disable=SC2086
	opts=$("$ZC" $args --help | help_opts)
	[ -n "$opts" ] || { missing="$missing [$args: --help lists no option]"; continue; }
	for o in $opts; do
		in_page "$ZCM" "$o" || missing="$missing ${args:-wizard}:--$o"
	done
done
t_is "$missing" "" "every option of every zcs-commission --help is in zcs-commission(1)"

missing=""
for o in $("$ZSIM" --help | help_opts); do
	in_page "$MAN/zcs-sim.1" "$o" || missing="$missing --$o"
done
t_is "$missing" "" "every option of zcs-sim --help is in zcs-sim(1)"

missing=""
for c in $cmds; do
	grep -Eq "^\.SS.*\b$c\b|^\.B zcs-commission $c" "$ZCM" || missing="$missing $c"
done
for s in $subs; do
	sed 's/\\-/-/g' "$ZCM" | grep -Eq "records $s|records [a-z|]*\b$s\b|^\.B $s" ||
		missing="$missing records-$s"
done
t_is "$missing" "" "every command and records subcommand has its place in zcs-commission(1)"

# Environment: what the sources read with getenv.
vars=$(grep -rhoE 'getenv\("[A-Z_]+"\)|first_dir\("[A-Z_]+"' "$ROOT/src" "$ROOT/ui" |
	grep -oE '"[A-Z_]+"' | tr -d '"' | sort -u)
missing=""
for v in $vars; do
	case $v in HOME | TERM) continue ;; esac
	cat "$MAN"/*.1 | sed 's/\\f[BIRP]//g; s/\\-/-/g' | grep -q "$v" || missing="$missing $v"
done
t_is "$missing" "" "every environment variable the sources read is in a section 1 page"
env_sec=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH/p' "$ZCM")
missing=""
for v in NO_COLOR ZCS_SIM ZCS_DATA_DIR ZCS_CHECKLIST_DIR XDG_DATA_HOME XDG_CONFIG_HOME PAGER; do
	printf '%s' "$env_sec" | grep -q "$v" || missing="$missing $v"
done
t_is "$missing" "" "zcs-commission(1) ENVIRONMENT names NO_COLOR, ZCS_SIM, ZCS_DATA_DIR, PAGER ..."

codes=$(sed -n 's/^[[:space:]]*X([A-Z_]*, *\([0-9]*\),.*/\1/p' "$ROOT/src/base/err.h")
exit_sec=$(sed -n '/^\.SH "\{0,1\}EXIT STATUS/,/^\.SH/p' "$ZCM")
missing=""
for n in $codes; do
	printf '%s\n' "$exit_sec" | grep -Eq "^\.IP $n\b|^\.TP|^$n\b" || missing="$missing $n"
	printf '%s\n' "$exit_sec" | grep -Eq "^(\.IP |\.B )?$n( |$)" || missing="$missing $n"
done
t_is "$missing" "" "every exit code of err.h is in EXIT STATUS ($(echo $codes))"

files_sec=$(sed -n '/^\.SH FILES/,/^\.SH/p' "$ZCM")
missing=""
for f in share/zcs-commission/data share/zcs-commission/checklists records.db trusted \
	bash-completion/completions; do
	printf '%s' "$files_sec" | sed 's/\\-/-/g' | grep -q "$f" || missing="$missing $f"
done
t_is "$missing" "" "FILES names what install puts and what the program keeps"

noex=""
for p in "$MAN"/*.[15]; do
	grep -Eq '^\.SH "?EXAMPLES?"?' "$p" || noex="$noex $(basename "$p")"
done
t_is "$noex" "" "every page has an EXAMPLES section"

bad=""
for ref in $(cat "$MAN"/*.[15] | sed 's/\\-/-/g; s/\\f[BIRP]//g' |
	grep -oE '\b(zcs-[a-z-]+|lex)\(([15])\)' | sort -u); do
	page=$(echo "$ref" | sed 's/(\(.\))/.\1/')
	[ -f "$MAN/$page" ] || bad="$bad $ref"
done
t_is "$bad" "" "every zcs page cited exists (no lex(5))"

if command -v mandoc >/dev/null; then
	out=$(mandoc -Tlint "$MAN"/*.[15] 2>&1)
	t_is "$out" "" "mandoc -Tlint: nothing to say, not even on style"
else
	echo "ok $((_t_n + 1)) # SKIP mandoc is not installed"
	_t_n=$((_t_n + 1))
fi
t_done
