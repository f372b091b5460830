# tests/lib.sh: shared by the shell tests (tNNNN-area.sh).  Each test prints
# TAP; prove(1) runs them.  Source it:  . "$(dirname "$0")/lib.sh"
set -u
: "${ZCS_BUILD:=$(cd "$(dirname "$0")/.." && pwd)/build}"
: "${ZCS_DATA_DIR:=$(cd "$(dirname "$0")/.." && pwd)/data}"
: "${ZCS_CHECKLIST_DIR:=$(cd "$(dirname "$0")/.." && pwd)/checklists}"
export ZCS_BUILD ZCS_DATA_DIR ZCS_CHECKLIST_DIR
ZC="$ZCS_BUILD/zcs-commission"
ZSIM="$ZCS_BUILD/zcs-sim"
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zcs-test.XXXXXX")
_t_n=0
_t_failed=0
_t_cleanup_cmds=""

t_ok() { # t_ok STATUS NAME
	_t_n=$((_t_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_t_n - $2"; else
		echo "not ok $_t_n - $2"; _t_failed=$((_t_failed + 1)); fi
}
t_is() { # t_is GOT WANT NAME
	if [ "$1" = "$2" ]; then t_ok 0 "$3"; else
		t_ok 1 "$3"; echo "#   got '$1', want '$2'"; fi
}
t_like() { # t_like TEXT PATTERN NAME   (grep -E pattern)
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then t_ok 0 "$3"; else
		t_ok 1 "$3"; printf '#   no match for /%s/ in:\n' "$2";
		printf '%s\n' "$1" | sed 's/^/#   | /' | head -20; fi
}
t_unlike() { # t_unlike TEXT PATTERN NAME
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then t_ok 1 "$3";
		printf '#   unexpected /%s/\n' "$2"; else t_ok 0 "$3"; fi
}
t_skip_all() { echo "1..0 # SKIP $1"; exit 0; }
t_at_exit() { _t_cleanup_cmds="$1; $_t_cleanup_cmds"; }
t_done() { echo "1..$_t_n"; [ "$_t_failed" -eq 0 ]; }
_t_finish() { eval "$_t_cleanup_cmds" 2>/dev/null; rm -rf "$T_TMP"; }
trap _t_finish EXIT
trap 'exit 1' INT TERM
