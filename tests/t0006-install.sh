#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make install and make uninstall, an installation moved elsewhere (the
# data are found relative to the program), bash completion, and long
# output through $PAGER only on a terminal.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D="$T_TMP/dest"

make -s -C "$ROOT" --no-print-directory install BUILD="$ZCS_BUILD" PREFIX=/a DESTDIR="$D" \
	>"$T_TMP/inst.log" 2>&1
t_is "$?" 0 "make install PREFIX=/a DESTDIR=... succeeds"
for f in bin/zcs-commission bin/zcs-sim share/zcs-commission/data/links.conf \
	share/zcs-commission/checklists share/man/man1/zcs-sim.1 share/man/man5/zcs-data.5 \
	share/bash-completion/completions/zcs-commission share/bash-completion/completions/zcs-sim; do
	[ -e "$D/a/$f" ]; t_ok $? "installed $f"
done
make -s -C "$ROOT" --no-print-directory uninstall BUILD="$ZCS_BUILD" PREFIX=/a DESTDIR="$D" \
	>"$T_TMP/uninst.log" 2>&1
t_is "$?" 0 "make uninstall succeeds"
t_is "$(find "$D" -type f -o -type l | sed "s|^$D/||" | tr '\n' ' ')" "" \
	"make uninstall leaves no file that install put (man pages and completions too)"

# Installed for /a, moved elsewhere: it still finds its data and checklists.
make -s -C "$ROOT" --no-print-directory install BUILD="$ZCS_BUILD" PREFIX=/a DESTDIR="$D" \
	>"$T_TMP/inst2.log" 2>&1
mv "$D/a" "$T_TMP/moved"
out=$(unset ZCS_DATA_DIR ZCS_CHECKLIST_DIR; "$T_TMP/moved/bin/zcs-commission" batteries 2>&1)
t_like "$out" "^us2000 +Pylontech US2000" "a moved installation finds its data (../share/zcs-commission)"
out=$(unset ZCS_DATA_DIR ZCS_CHECKLIST_DIR; "$T_TMP/moved/bin/zcs-commission" checklist --ids 2>&1)
t_like "$out" "^session\.identity$" "and its checklists"
out=$(unset ZCS_DATA_DIR; "$T_TMP/moved/bin/zcs-sim" --list-scenarios 2>&1)
t_like "$out" "^clean " "zcs-sim moved with it finds its scenarios"

# bash completion, from the installed file, with the moved programs first
# in PATH.
BC=/usr/share/bash-completion/bash_completion
if [ -r "$BC" ] && command -v bash >/dev/null; then
	cat >"$T_TMP/comp.sh" <<'SH'
. /usr/share/bash-completion/bash_completion
. "$COMPFILE"
COMP_LINE="$*"
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_POINT=${#COMP_LINE}
f=_zcs_commission; [[ ${COMP_WORDS[0]} == zcs-sim ]] && f=_zcs_sim
$f
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
SH
	comp() {
		(unset ZCS_DATA_DIR; PATH="$T_TMP/moved/bin:$PATH" \
			COMPFILE="$T_TMP/moved/share/bash-completion/completions/zcs-commission" \
			bash "$T_TMP/comp.sh" "$@")
	}
	t_is "$(comp zcs-commission re)" "read records resume " "completes the commands"
	t_is "$(comp zcs-commission records ex)" "export " "the records subcommands"
	t_like "$(comp zcs-commission records list --ver)" "^--verdict $" "a subcommand's options"
	t_like "$(comp zcs-commission probe --solar)" "^--solarman $" "the connection options"
	t_like "$(comp zcs-commission --scenario fault-ct-rev)" "fault-ct-reversed " "scenario names"
	t_like "$(comp zcs-commission read --preset hub-)" "^hub-ev hub-inverters hub-meters $" \
		"link presets"
	t_like "$(comp zcs-sim --list)" "^--list-scenarios $" "zcs-sim's options"
else
	echo "ok $((_t_n + 1)) # SKIP bash-completion is not installed"; _t_n=$((_t_n + 1))
fi

# $PAGER: used on a terminal (script(1) gives one), never into a pipe.
printf '#!/bin/sh\ncat >"%s"\n' "$T_TMP/paged" >"$T_TMP/pager"
chmod +x "$T_TMP/pager"
if command -v script >/dev/null; then
	PAGER="$T_TMP/pager" script -qec "'$ZC' batteries" /dev/null >/dev/null 2>&1
	t_like "$(cat "$T_TMP/paged" 2>/dev/null)" "^us2000 " "on a terminal, batteries goes through \$PAGER"
fi
rm -f "$T_TMP/paged"
PAGER="$T_TMP/pager" "$ZC" batteries >"$T_TMP/out"
[ ! -e "$T_TMP/paged" ] && grep -q '^us2000 ' "$T_TMP/out"
t_ok $? "into a pipe or a file, no pager: the output is written as it is"
t_done
