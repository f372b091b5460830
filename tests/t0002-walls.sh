#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The design card's walls, checked on the source tree: the core never uses
# curses; the screens never reach libmodbus, SQLite or libusb themselves; the
# simulator never links the checks; register addresses live in data/ only.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1

hits=$(grep -rlE '#include *[<"](n?curses|ncursesw/)' src/ 2>/dev/null)
t_is "$hits" "" "no file in src/ includes curses"
hits=$(grep -rlE '#include *[<"](modbus|sqlite3|libusb)' ui/ 2>/dev/null)
t_is "$hits" "" "no file in ui/ includes libmodbus, SQLite or libusb"
hits=$(grep -rlE '#include *"cli/' ui/ 2>/dev/null)
t_is "$hits" "" "no file in ui/ includes the command line (cli/): the wizard reaches the core"
hits=$(grep -rlE '#include *"(engine|records|usb|cli)/' src/sim/ 2>/dev/null)
t_is "$hits" "" "the simulator includes nothing from the engine, records, usb or cli"
hits=$(grep -rlE '#include *"(engine|records|usb|cli)/' src/base/ 2>/dev/null)
t_is "$hits" "" "src/base (shared with the simulator) depends on nothing above it"
if command -v nm >/dev/null; then
	syms=$(nm "$ZSIM" 2>/dev/null | grep -E ' [TtDdBb] (engine|rules|records|checklist|expr|runner)_' | head -3)
	t_is "$syms" "" "the zcs-sim binary contains no engine, rules or records code"
fi

# The engine and the knowledge catalogue stay in files one can read: split
# along their seams (engine_*.c, kb_*.c), no source file of src/engine and
# no catalogue loader above 900 lines; their internal headers stay internal.
big=""
for f in src/engine/*.c src/base/kb*.c; do
	n=$(wc -l < "$f")
	[ "$n" -gt 900 ] && big="$big $f:$n"
done
t_is "$big" "" "no engine source file nor catalogue loader is above 900 lines"
hits=$(grep -rlE '#include *"engine/engine_int.h"' src ui tests bench 2>/dev/null | grep -vE '^src/engine/engine[a-z_]*\.c$')
t_is "$hits" "" "engine_int.h is included by the engine's own files only"
hits=$(grep -rlE '#include *"base/kb_int.h"' src ui tests bench 2>/dev/null | grep -vE '^src/base/kb[a-z_]*\.c$')
t_is "$hits" "" "kb_int.h is included by the catalogue's own files only"
hits=$(grep -rlE '#include *"(\.\./)*(src/)?cli/' ui/ src/engine src/records src/usb src/base src/sim 2>/dev/null)
t_is "$hits" "" "nothing but src/cli includes the command line's headers (ui/ neither, by any path)"

# The licence is said in every source file (GPL-3.0-or-later, see LICENSE).
nolic=$(find src ui tests bench completions man scripts -type f \( -name '*.[ch15]' -o -name '*.sh' \
	-o -path 'completions/*' \) 2>/dev/null | sort | xargs grep -L 'SPDX-License-Identifier: GPL-3.0-or-later' |
	tr '\n' ' ' | sed 's/ $//')
t_is "$nolic" "" "every source file carries its SPDX-License-Identifier"
[ -f LICENSE ] && grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE
t_ok $? "LICENSE holds the GPL"

# Every register address of the shipped maps, as a C literal, must not
# appear in C code outside comments.  One file is let through: the deny
# list, src/base/deny.c, the safety net under the maps that data must not be
# able to switch off (registers never written: factory reset, RS485,
# country, firmware ...).  Every other file keeps the wall.
DENY_FILE=src/base/deny.c
addrs=$(grep -hoE '\b(addr|from|to)=0x[0-9A-Fa-f]{4}\b' data/maps/*.map | sed 's/.*=0x//' | tr a-f A-F | sort -u)
found=""
for f in $(find src ui -name '*.[ch]'); do
	[ "$f" = "$DENY_FILE" ] && continue
	code=$(sed -e 's://.*$::' -e '/^[[:space:]]*\*/d' -e '/^[[:space:]]*\/\*/d' "$f" |
		grep -oE '\b0x[0-9A-Fa-f]{4}\b' | sed 's/0x//' | tr a-f A-F | sort -u)
	for a in $code; do
		case " $(echo $addrs) " in *" $a "*) found="$found $f:0x$a" ;; esac
	done
done
t_is "$found" "" "no register address from data/maps is written into C code (but the deny list)"
[ -f "$DENY_FILE" ] && grep -q 'deny_find' "$DENY_FILE"
t_ok $? "the deny list is the file the wall lets through"
t_done
