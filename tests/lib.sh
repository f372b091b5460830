# SPDX-License-Identifier: GPL-3.0-or-later
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
# Records written without --db go to the test's own directory, not $HOME.
XDG_DATA_HOME="$T_TMP/xdg"
# ... and the signing key is made in the test's own directory too.
XDG_CONFIG_HOME="$T_TMP/config"
export XDG_DATA_HOME XDG_CONFIG_HOME
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

# --- the simulator ---------------------------------------------------------
# sim_start SCENARIO [zcs-sim options...]
#   Starts zcs-sim on a free TCP port (add --rtu, --meters-tcp 0,
#   --meters-rtu for more) and waits until it is ready.  Sets SIM_PID,
#   SIM_TCP (127.0.0.1:PORT), SIM_PORT, SIM_RTU, SIM_METERS_TCP,
#   SIM_METERS_RTU, SIM_CTL (control socket), SIM_OUT and SIM_ERR (its
#   stdout and stderr files); with --v5 0, --rtu-over-tcp 0, --discovery 0
#   also SIM_V5, SIM_LOGGER_SERIAL, SIM_RTUTCP, SIM_DISCOVERY.
#   The simulator is stopped when the test exits.  Returns 1 (after a
#   "# ..." diagnostic) when it did not start.
_sim_n=0
sim_start() {
	_sim_scn=$1; shift
	_sim_n=$((_sim_n + 1))
	SIM_OUT="$T_TMP/sim$_sim_n.out"
	SIM_ERR="$T_TMP/sim$_sim_n.err"
	SIM_CTL="$T_TMP/sim$_sim_n.sock"
	"$ZSIM" --tcp 0 --scenario "$_sim_scn" --control "$SIM_CTL" "$@" \
		>"$SIM_OUT" 2>"$SIM_ERR" </dev/null &
	SIM_PID=$!
	t_at_exit "sim_stop $SIM_PID"
	_sim_i=0
	while ! grep -q '^ready$' "$SIM_OUT" 2>/dev/null; do
		_sim_i=$((_sim_i + 1))
		if [ $_sim_i -gt 100 ] || ! kill -0 "$SIM_PID" 2>/dev/null; then
			echo "# zcs-sim did not start:"; sed 's/^/#   /' "$SIM_ERR"
			return 1
		fi
		sleep 0.05
	done
	SIM_TCP=$(sed -n 's/^tcp //p' "$SIM_OUT")
	SIM_PORT=${SIM_TCP##*:}
	SIM_RTU=$(sed -n 's/^rtu //p' "$SIM_OUT")
	SIM_METERS_TCP=$(sed -n 's/^meters-tcp //p' "$SIM_OUT")
	SIM_METERS_RTU=$(sed -n 's/^meters-rtu //p' "$SIM_OUT")
	# the data logger's (--v5 0 --rtu-over-tcp 0 --discovery 0)
	SIM_V5=$(sed -n 's/^v5 \([^ ]*\).*/\1/p' "$SIM_OUT")
	SIM_LOGGER_SERIAL=$(sed -n 's/^v5 .* logger-serial //p' "$SIM_OUT")
	SIM_RTUTCP=$(sed -n 's/^rtu-over-tcp //p' "$SIM_OUT")
	SIM_DISCOVERY=$(sed -n 's/^discovery //p' "$SIM_OUT")
	export SIM_PID SIM_TCP SIM_PORT SIM_RTU SIM_METERS_TCP SIM_METERS_RTU SIM_CTL SIM_OUT SIM_ERR
	export SIM_V5 SIM_LOGGER_SERIAL SIM_RTUTCP SIM_DISCOVERY
	return 0
}
# sim_stop PID: SIGTERM and wait (a no-op when it already exited).
sim_stop() {
	kill "$1" 2>/dev/null && wait "$1" 2>/dev/null
	return 0
}
# sim_ctl COMMAND...: one control command to the last simulator started;
# prints the reply (without the final "ok"), fails on "error: ...".
sim_ctl() { "$ZSIM" ctl "$SIM_CTL" "$@"; }
# sim_batteries_off: batteries off in the order of section 7 (AC breaker open
# first; zcs-sim refuses otherwise), then AC back.
sim_batteries_off() {
	sim_ctl breaker off && sim_ctl battery off && sim_ctl breaker on
}
# sim_state KEY: one value of the plant's `state`.
sim_state() { sim_ctl state | awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }'; }
# zc_value NAME [CONNECTION... --map MAP]: one value read by zcs-commission,
# the number only (default: the last simulator's TCP port, map g3).
zc_value() {
	_zv_name=$1; shift
	[ $# -eq 0 ] && set -- --tcp "$SIM_TCP" --map g3
	"$ZC" read "$@" "$_zv_name" | awk '{ print $2; exit }'
}
# map_addr MAP NAME: the address of a register or write group in
# data/maps/MAP.map, as 4 hex digits (tests never hard-code addresses).
map_addr() {
	awk -v n="$2" '($1 == "reg" || $1 == "group") && $2 == n {
		for (i = 3; i <= NF; i++) if ($i ~ /^addr=0x/) {
			v = substr($i, 8); printf "%04s\n", toupper(v); exit } }' \
		"$ZCS_DATA_DIR/maps/$1.map" | tr ' ' 0
}
MBRAW="$ZCS_BUILD/tests/mbraw"
# zc_text NAME [CONNECTION... --map MAP]: the whole value column of
# `zcs-commission read` (text of enums and fault bits included).
# zc_raw NAME: the raw words of a G3 register as the unit sends them ("0x0100").
zc_raw() { "$ZC" read --tcp "$SIM_TCP" --map g3 --raw "$1" | sed 's/.*\[//; s/\]//'; }
zc_text() {
	_zv_name=$1; shift
	[ $# -eq 0 ] && set -- --tcp "$SIM_TCP" --map g3
	"$ZC" read "$@" "$_zv_name" | sed -n '1s/^[^ ]* *//p'
}
