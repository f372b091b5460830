#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The records server: records list with each filter against a PostgreSQL
# holding 100,000 sessions from 8 laptops (made server-side with SQL: the
# summary rows the insert path keeps), each command timed whole (start,
# connect, query, print), target under 200 ms (the steps of each session
# are left out: list reads the summary and the failed steps only); then the time to push one
# real commissioning recorded against zcs-sim.  Numbers to read, never
# pass/fail.  Needs the Debian packages postgresql and postgresql-client.
set -u
B=${ZCS_BUILD:-build}
ZC="$B/zcs-commission"
N=${ZCS_BENCH_SESSIONS:-100000}
PG_TMP=$(mktemp -d)
T_TMP=
. "$(dirname "$0")/../tests/pg-lib.sh"
pid=
trap 'pg_stop; [ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$PG_TMP"' EXIT
if ! pg_bin_dir >/dev/null; then
	echo "PostgreSQL is not installed: no server figures"
	exit 0
fi
PG_OPTS="-c shared_preload_libraries=pg_stat_statements"
pg_start >/dev/null || { echo "PostgreSQL did not start"; exit 0; }
pg_sql "CREATE EXTENSION pg_stat_statements" >/dev/null
"$ZC" records server-init --server "$PG_URL" >/dev/null || exit 1
t0=$(date +%s%N)
pg_sql "
INSERT INTO zcs.laptops(id, name)
	SELECT md5('laptop' || i), 'laptop-' || i FROM generate_series(1, 8) i;
INSERT INTO zcs.sessions(laptop, local_id, installer, site, customer, serial, model, training,
	started_ms, ended_ms, complete, nsteps, npassed, nfailed, nskipped, nna, verdict, review,
	head_seq, head_hash)
SELECT md5('laptop' || (1 + i % 8)), 1 + i / 8,
	'Installer ' || (i::bigint * 7919 % 40), 'Site ' || i, 'Customer ' || i,
	'ZM2ES060M1E' || lpad((i::bigint * 104729 % 5000)::text, 4, '0'), 'HYD6000-ZSS-HP',
	i % 10 = 0,
	1764547200000 + i::bigint * 315000, 1764547200000 + i::bigint * 315000 + 3600000,
	i % 7 <> 0, 64, CASE WHEN i % 11 = 0 THEN 60 ELSE 61 END,
	CASE WHEN i % 11 = 0 THEN 1 ELSE 0 END, 1, 2,
	CASE WHEN i % 11 = 0 THEN 'failed' WHEN i % 7 <> 0 THEN 'passed' ELSE 'incomplete' END,
	CASE i % 5 WHEN 0 THEN 'approved' WHEN 1 THEN 'rejected' ELSE 'pending' END,
	65, md5(i::text) || md5(i::text)
FROM generate_series(0, $N - 1) i;
INSERT INTO zcs.failed_steps(step_id, session_id)
	SELECT 'step.' || (1 + id % 64), id FROM zcs.sessions WHERE verdict = 'failed';
ANALYZE;" >/dev/null || exit 1
t1=$(date +%s%N)
echo "$N sessions from 8 laptops made on the server in $(( (t1 - t0) / 1000000 )) ms"

echo "(wall: the whole command, median of 5; server: the query's mean execution time"
echo " in pg_stat_statements; client: the command's CPU time, mean; load now: $(cut -d' ' -f1 /proc/loadavg))"
python3 - "$ZC" "$PG_URL" <<'PY'
import resource, subprocess, sys, time
zc, url = sys.argv[1], sys.argv[2]
def psql(sql):
    return subprocess.run(["psql", "-X", "-q", "-t", "-A", url, "-c", sql],
                          capture_output=True, text=True).stdout.strip()
cases = [
    ("no filter (every session)", []),
    ("--from --to (one week)", ["--from", "2026-01-10", "--to", "2026-01-16"]),
    ("--installer", ["--installer", "installer 17"]),
    ("--serial", ["--serial", "ZM2ES060M1E0042"]),
    ("--verdict failed", ["--verdict", "failed"]),
    ("--failed-step", ["--failed-step", "step.17"]),
    ("--review approved", ["--review", "approved"]),
    ("--training", ["--training"]),
    ("--field", ["--field"]),
    ("--unfinished", ["--unfinished"]),
    ("--installer --verdict --review --from", ["--installer", "installer 3", "--verdict", "passed",
                                              "--review", "pending", "--from", "2026-03-01"]),
]
for name, args in cases:
    times, rows = [], 0
    psql("SELECT pg_stat_statements_reset()")
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(5):
        t0 = time.monotonic()
        out = subprocess.run([zc, "records", "list", "--server", url] + args,
                             capture_output=True, text=True)
        times.append((time.monotonic() - t0) * 1000)
        rows = max(0, len(out.stdout.splitlines()) - 1)
        if out.returncode:
            print("  " + name + ": failed: " + out.stderr.strip())
            break
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)) * 1000 / 5
    srv = psql("SELECT round(max(mean_exec_time)::numeric, 1) FROM pg_stat_statements"
               " WHERE query LIKE '%FROM zcs.sessions s JOIN zcs.laptops%'")
    times.sort()
    print("list %-38s %6d rows  wall %6.1f ms (worst %6.1f)  server %6s ms  client %5.1f ms  %s" % (
        name, rows, times[len(times) // 2], times[-1], srv, cpu,
        "(< 200 ms)" if times[len(times) // 2] < 200 else "(OVER 200 ms)"))
PY

# One real commissioning, pushed.
DB=$PG_TMP/laptop.db
"$B/zcs-sim" --tcp 0 --scenario clean --control "$PG_TMP/sim.sock" >"$PG_TMP/sim.out" \
	2>"$PG_TMP/sim.err" </dev/null &
pid=$!
i=0; while ! grep -q '^ready$' "$PG_TMP/sim.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$ZC" run --answers "${ZCS_DATA_DIR:-data}/examples/azzurro-ct.ans" \
	--tcp "$(sed -n 's/^tcp //p' "$PG_TMP/sim.out")" --window-scale 0.1 --quiet --training \
	--act "$B/zcs-sim ctl $PG_TMP/sim.sock" --db "$DB" >/dev/null 2>&1
kill $pid; wait $pid 2>/dev/null; pid=
recs=$(sqlite3 "$DB" "SELECT head_seq FROM sessions" 2>/dev/null || echo "?")
bytes=$(pg_sql "SELECT pg_size_pretty(sum(length(canon))) FROM zcs.records")
for what in "first push" "push again, nothing new"; do
	t0=$(date +%s%N)
	"$ZC" records push --server "$PG_URL" --db "$DB" >/dev/null
	t1=$(date +%s%N)
	echo "push one commissioning ($recs records), $what: $(( (t1 - t0) / 1000000 )) ms"
done
echo "  over TCP (127.0.0.1), a fresh laptop id:"
sqlite3 "$DB" "UPDATE laptop SET id = lower(hex(randomblob(16))); DELETE FROM pushed"
t0=$(date +%s%N)
"$ZC" records push --server "postgresql://zcs@127.0.0.1:$PG_PORT/zcs" --db "$DB" >/dev/null
t1=$(date +%s%N)
echo "push one commissioning over TCP: $(( (t1 - t0) / 1000000 )) ms" \
	"($(pg_sql "SELECT pg_size_pretty(sum(length(canon))) FROM zcs.records") of canonical forms received)"
: "$bytes"
