#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The laptop dies half way through a step: zcs-commission run (and resume)
# killed with SIGKILL at 200 different moments of a simulated commissioning.
# After every kill each verdict committed before it is still there, the
# database passes PRAGMA integrity_check, the hash chain is intact, and
# resume goes on from the step it was on until the session is complete.
#
# ZCS_KILL_POINTS sets the number of kills (default 200).  The database
# lives on tmpfs when there is one: SIGKILL leaves the kernel's page cache
# intact, so what is tested is SQLite's transactions, not the disk's fsync.
. "$(dirname "$0")/lib.sh"
# stdbuf preloads a library; under AddressSanitizer that must be allowed.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

command -v sqlite3 >/dev/null || t_skip_all "sqlite3 is not installed"
POINTS=${ZCS_KILL_POINTS:-200}
ANS="$ZCS_DATA_DIR/examples/azzurro-ct.ans"
# Two lanes, each with its own simulator and database, run side by side:
# the kills wait on time, not on the processor.
sim_start clean || { t_ok 1 "simulator starts"; t_done; exit 1; }
TCP1=$SIM_TCP CTL1=$SIM_CTL
sim_start clean || { t_ok 1 "second simulator starts"; t_done; exit 1; }
TCP2=$SIM_TCP CTL2=$SIM_CTL
DBDIR=$T_TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	DBDIR=$(mktemp -d /dev/shm/zcs-kill.XXXXXX)
	t_at_exit "rm -rf '$DBDIR'"
fi

go() { # go run|resume: start it in the background, line-buffered output
	stdbuf -oL "$ZC" "$1" --answers "$ANS" --tcp "$TCP" --window-scale 0.1 --quiet \
		--act "$ZSIM ctl $CTL" --db "$DB" >"$OUT" 2>&1 </dev/null &
	GO_PID=$!
}
q() { sqlite3 -batch "$DB" "$1" 2>&1; }
# A kill before the tables were created leaves an empty file: no session.
num() { sqlite3 -batch "$DB" "$1" 2>/dev/null | grep -E '^[0-9]+$'; }
verdicts() { sqlite3 -batch "$DB" "SELECT id || ' ' || step_id || ' ' || status FROM verdicts
	ORDER BY id" 2>/dev/null; }
unfinished() { [ -f "$DB" ] && num "SELECT id FROM sessions WHERE complete=0 ORDER BY id DESC LIMIT 1"; }
note() { # note COUNTER MESSAGE: count a failure, show the first few
	eval "$1=\$((\$$1 + 1))"
	[ "$(eval echo \$$1)" -le 3 ] && echo "# lane $LANE, kill $kills: $2" >&2
}

# lane N KILLS: prints "kills starts lost damaged broken unprinted exits"
# and the (session:verdicts) state at each kill to $DB.states.
lane() {
	LANE=$1 kills=0 iter=0 lost=0 damaged=0 broken=0 unprinted=0 exits=0
	: >"$DB.states"
	# bounded: a program that keeps ending by itself must not loop forever
	while [ "$kills" -lt "$2" ] && [ "$iter" -lt $(($2 * 3 + 20)) ]; do
		iter=$((iter + 1))
		if [ -n "$(unfinished)" ]; then cmd=resume; else cmd=run; fi
		# Spread the kill moments, a new value each time: every other kill
		# 0..SPAN-1 ms after the start (start-up included), the others
		# 0..899 ms after the run's first verdict, so that the kills reach
		# deep into the procedure however slowly this machine starts it.
		ms=$(( (iter * 7919 + iter * iter * 31 + LANE * 433) % SPAN ))
		go "$cmd"
		if [ $((iter % 2)) -eq 0 ]; then
			ms=$((ms % 900)) w=0
			while ! grep -q '^\[' "$OUT" 2>/dev/null && kill -0 "$GO_PID" 2>/dev/null &&
				[ $w -lt 1000 ]; do sleep 0.02; w=$((w + 1)); done
		fi
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		before=$(verdicts)
		if ! kill -9 "$GO_PID" 2>/dev/null; then
			wait "$GO_PID"; rc=$?
			[ "$rc" -eq 0 ] || note exits "$cmd ended with $rc: $(tail -2 "$OUT")"
			continue
		fi
		wait "$GO_PID" 2>/dev/null
		kills=$((kills + 1))
		after=$(verdicts)
		n=$(printf '%s\n' "$before" | grep -c .)
		[ "$(printf '%s\n' "$after" | head -n "$n")" = "$before" ] ||
			note lost "verdicts committed before the kill are gone"
		ic=$(q 'PRAGMA integrity_check')
		[ "$ic" = ok ] || note damaged "integrity_check: $ic"
		sid=$(num "SELECT max(id) FROM sessions")
		[ -n "$sid" ] || continue
		v=$("$ZC" records verify "$sid" --db "$DB" 2>&1) || note broken "$v"
		# every verdict the run printed had been committed before it was printed
		for step in $(sed -n 's/^\[[A-Z/ ]*\] \([^ ]*\) .*/\1/p' "$OUT"); do
			[ "$(q "SELECT count(*) FROM verdicts WHERE session_id=$sid AND step_id='$step'")" -gt 0 ] ||
				note unprinted "step $step was printed but is not recorded"
		done
		echo "$LANE:$sid:$(printf '%s\n' "$after" | grep -c .)" >>"$DB.states"
	done
	echo "$kills $iter $lost $damaged $broken $unprinted $exits"
}

# Half the kills fall 0..SPAN ms after a start.  SPAN is 900 ms, or three
# times what a run takes here to print its first verdict when that is
# longer (a sanitizer build on a loaded machine starts slowly, and kills
# that all fell during start-up would test start-up only).
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
TCP=$TCP1 CTL=$CTL1 DB=$DBDIR/calibrate.db OUT=$T_TMP/calibrate
t0=$(now_ms); go run
while ! grep -q '^\[' "$OUT" 2>/dev/null && [ $(( $(now_ms) - t0 )) -lt 20000 ]; do sleep 0.02; done
first=$(( $(now_ms) - t0 ))
kill -9 "$GO_PID" 2>/dev/null; wait "$GO_PID" 2>/dev/null
SPAN=$(( first * 3 > 900 ? first * 3 : 900 ))
echo "# first verdict after $first ms: half the kills 0-$((SPAN - 1)) ms after a start"

half=$(( (POINTS + 1) / 2 ))
( TCP=$TCP1 CTL=$CTL1 DB=$DBDIR/lane1.db OUT=$T_TMP/out1; lane 1 "$half" >"$T_TMP/lane1" ) &
L1=$!
( TCP=$TCP2 CTL=$CTL2 DB=$DBDIR/lane2.db OUT=$T_TMP/out2; lane 2 "$((POINTS - half))" >"$T_TMP/lane2" ) &
L2=$!
t_at_exit "kill $L1 $L2"
wait "$L1"; wait "$L2"
set -- $(cat "$T_TMP/lane1") x x x x x x x
set -- $(( $1 + $(cut -d' ' -f1 "$T_TMP/lane2") )) $(( $2 + $(cut -d' ' -f2 "$T_TMP/lane2") )) \
	$(( $3 + $(cut -d' ' -f3 "$T_TMP/lane2") )) $(( $4 + $(cut -d' ' -f4 "$T_TMP/lane2") )) \
	$(( $5 + $(cut -d' ' -f5 "$T_TMP/lane2") )) $(( $6 + $(cut -d' ' -f6 "$T_TMP/lane2") )) \
	$(( $7 + $(cut -d' ' -f7 "$T_TMP/lane2") ))
t_is "$1" "$POINTS" "killed $POINTS times ($2 starts; 0-$((SPAN - 1)) ms after a start or 0-899 ms after its first verdict)"
t_is "$3" 0 "every verdict committed before a kill is still there"
t_is "$4" 0 "PRAGMA integrity_check is ok after every kill"
t_is "$5" 0 "the hash chain is intact after every kill"
t_is "$6" 0 "every verdict printed before a kill was recorded"
t_is "$7" 0 "a run that finished before its kill exited 0"
distinct=$(cat "$DBDIR"/lane*.db.states | sort -u | grep -c .)
echo "# $distinct distinct (lane, session, verdicts recorded) states at the kills"
t_ok "$([ "$distinct" -ge $((POINTS / 10)) ] && echo 0 || echo 1)" \
	"the kills fell at many points of the procedure"

# Resume whatever is unfinished until it completes.
for L in 1 2; do
	DB=$DBDIR/lane$L.db OUT=$T_TMP/out$L
	eval "TCP=\$TCP$L CTL=\$CTL$L"
	tries=0
	while [ -n "$(unfinished)" ] && [ "$tries" -lt 3 ]; do
		tries=$((tries + 1))
		"$ZC" resume --answers "$ANS" --tcp "$TCP" --window-scale 0.1 --quiet \
			--act "$ZSIM ctl $CTL" --db "$DB" >"$OUT" 2>&1 </dev/null
		rc=$?
		[ "$rc" -eq 0 ] || { echo "# resume exited $rc:"; tail -5 "$OUT" | sed 's/^/#   /'; }
	done
	t_is "$(unfinished)" "" "lane $L: resume completes every killed session"
	nsteps=$(sed -n 's/^\([0-9][0-9]*\) steps: .*/\1/p' "$OUT" | tail -1)
	t_like "$nsteps" '^[0-9]+$' "lane $L: the last resume printed its summary"
	short=$(q "SELECT count(*) FROM (SELECT session_id, count(DISTINCT step_id) n
		FROM verdicts GROUP BY session_id HAVING n <> ${nsteps:-0})")
	t_is "$short" 0 "lane $L: every session has a verdict for each of the $nsteps steps"
	t_is "$(q "SELECT count(*) FROM sessions WHERE complete=1")" \
		"$(q "SELECT count(*) FROM sessions")" "lane $L: every session is marked complete"
	"$ZC" records verify --db "$DB" >"$T_TMP/verify" 2>&1
	t_is "$?" 0 "lane $L: records verify finds every session's chain intact"
done
t_done
