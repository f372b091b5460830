/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_records_scale: the records at 100,000 sessions.  The file is made
 * directly with SQL (6.2 million verdicts; the bulk sessions' hashes are
 * random, their verified checkpoints written by the generator as a
 * previous verify-all would have left them) and cached in
 * $ZCS_BUILD/bench-records-100k.db; a few real sessions (62 verdicts of 10
 * samples each, signed) are recorded through the library on top.  Then
 * the list with each filter, show, verify, verify-all, and what the wizard
 * does at its first screen and resume, each the median of 5 runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "records/records_int.h"

#define NSESSIONS 100000
#define NSTEPS 62
#define NREAL 8
#define GEN_VERSION 5
#define SERIAL "ZM2ESBENCH00001"

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_records_scale: %s: %s\n", what, msg);
	exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
	char *e = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK)
		die(sql, e ? e : "?");
}

static long long one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- real sessions, through the library ---- */

static void real_session(struct records *r, int finish)
{
	static const uint16_t raw[] = { 0x00E6, 0x0001 };
	struct eng_session_info info = { .installer = "Bench Real", .serial = SERIAL,
					 .model = "HYD6000-ZSS-HP", .training = 1,
					 .started_ms = zcs_wall_ms() };
	struct zcs_err err = { 0 };
	struct eng_observer o;

	records_observer(r, &o);
	if (o.session_begin(o.ctx, &info, &err) < 0)
		die("session", err.msg);
	for (int i = 0; i < NSTEPS; i++) {
		struct eng_sample s[10];
		struct eng_kv in[1] = { { "clamp", "800" } };
		char id[32];

		snprintf(id, sizeof id, "step.%02d", i);
		if (o.step_enter(o.ctx, id, &err) < 0)
			die("step", err.msg);
		for (int k = 0; k < 10; k++)
			s[k] = (struct eng_sample){ .name = "grid_power", .unit = "W", .value = 100 + k,
						    .text = "", .raw = raw, .nraw = 2, .slave = 1,
						    .wall_ms = zcs_wall_ms() };
		struct eng_verdict v = { .step_id = id, .section = "11.7", .title = "bench",
					 .status = ENG_PASSED, .started_ms = zcs_wall_ms(),
					 .ended_ms = zcs_wall_ms(), .detail = "ok", .inputs = in,
					 .ninputs = 1, .samples = s, .nsamples = 10 };
		if (o.verdict(o.ctx, &v, &err) < 0)
			die("verdict", err.msg);
		if (!finish && i == NSTEPS / 2)
			break;
	}
	if (o.session_end(o.ctx, finish, &err) < 0)
		die("end", err.msg);
}

/* ---- the generated file ---- */

static const char gen_sql[] =
	"CREATE TEMP TABLE steps(k INTEGER PRIMARY KEY, id TEXT, section TEXT);"
	"WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k+1 FROM n WHERE k<61)"
	" INSERT INTO steps SELECT k, CASE k WHEN 20 THEN 'grid.ct-sign' WHEN 21 THEN 'sign.loads'"
	" WHEN 30 THEN 'batteries.model' ELSE printf('step.%02d', k) END, printf('%d.%d', k/5+5,"
	" k%5+1) FROM n;"
	/* kind 0 passed, 1 failed, 2 unfinished */
	"CREATE TEMP TABLE gen(id INTEGER PRIMARY KEY, kind INTEGER, started INTEGER, n INTEGER);"
	"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<100000)"
	" INSERT INTO gen SELECT i, CASE WHEN i%50=7 THEN 2 WHEN i%33=5 THEN 1 ELSE 0 END,"
	" 1700000000000 + i*600000, CASE WHEN i%50=7 THEN 30 ELSE 62 END FROM n;"
	"INSERT INTO sessions(id, installer, site, customer, serial, layout, family, model, fw_com,"
	" fw_master, fw_slave, link, checklist_version, checklist_hash, training, started_ms,"
	" ended_ms, complete, current_step, seq, hash, head_seq, head_hash, chain, signer, nsteps,"
	" npassed, nfailed, nskipped, nna, verdict, review)"
	" SELECT id, 'Installer ' || (id%199), 'Via Roma ' || id, 'Customer ' || id,"
	" printf('ZM2ES%09d', id), 'g3', 'HYD-ZSS-HP', 'HYD6000-ZSS-HP', 'V1.10', 'V2.20', 'V3.30',"
	" 'tcp 192.168.1.50:502', '1', lower(hex(randomblob(32))), id%10=0, started,"
	" CASE kind WHEN 2 THEN NULL ELSE started + 3600000 END, kind<>2,"
	" CASE kind WHEN 2 THEN 'batteries.model' END, 1, lower(hex(randomblob(32))), n + 1,"
	" lower(hex(randomblob(32))), 2, ?1, n, n - (kind=1), kind=1, 0, 0,"
	" CASE kind WHEN 1 THEN 'failed' WHEN 2 THEN 'incomplete' ELSE 'passed' END,"
	" CASE WHEN kind=0 AND id%3=0 THEN 'approved' WHEN kind=1 THEN 'rejected' ELSE 'pending'"
	" END FROM gen;"
	"INSERT INTO verdicts(session_id, step_id, section, title, status, started_ms, ended_ms,"
	" detail, seq, hash, sig)"
	" SELECT g.id, s.id, s.section, 'Step ' || s.k, CASE WHEN g.kind=1 AND s.k=20+(g.id/33)%3"
	" THEN 'failed' ELSE 'passed' END, g.started + s.k*50000, g.started + s.k*50000 + 30000,"
	" 'every poll in range', s.k + 2, lower(hex(randomblob(32))), NULL"
	" FROM gen g JOIN steps s ON s.k < g.n ORDER BY g.id, s.k;";

static void generate(const char *path, const struct rec_key *k)
{
	struct zcs_err err = { 0 };
	struct records *r;
	sqlite3 *db;
	sqlite3_stmt *st;
	double t0 = now_ms();

	unlink(path);
	if (!(r = records_open(path, &err)))
		die("create", err.msg);
	records_close(r);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", path);
	exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-400000; PRAGMA temp_store=MEMORY");
	/* triggers and verdict indexes are made again after the bulk insert */
	exec(db, "DROP INDEX verdicts_session; DROP INDEX verdicts_failed");
	{
		sqlite3_stmt *t;
		char *drops = xstrdup("");

		sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type='trigger'", -1, &t,
				   NULL);
		while (sqlite3_step(t) == SQLITE_ROW) {
			char *d = xasprintf("%sDROP TRIGGER %s;", drops, sqlite3_column_text(t, 0));

			free(drops);
			drops = d;
		}
		sqlite3_finalize(t);
		exec(db, "BEGIN");
		exec(db, drops);
		free(drops);
	}
	{
		/* gen_sql has one parameter (the signer): run it statement by statement */
		const char *sql = gen_sql, *tail;

		while (*sql) {
			if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
				die("generate", sqlite3_errmsg(db));
			if (!st)
				break;
			sqlite3_bind_text(st, 1, k->pub_hex, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				die("generate", sqlite3_errmsg(db));
			sqlite3_finalize(st);
			sql = tail;
		}
	}
	exec(db, "CREATE INDEX verdicts_session ON verdicts(session_id, step_id);"
		 "CREATE INDEX verdicts_failed ON verdicts(step_id, status, session_id);"
		 REC_CHECKPOINT_TRIGGERS);
	/* the checkpoints a previous verify-all left (MAC'd with this key) */
	sqlite3_prepare_v2(db, "INSERT INTO checkpoints SELECT ?1, head_seq, head_hash, signer,"
			   " complete, head_seq, ?2 FROM sessions WHERE id=?1", -1, &st, NULL);
	for (long long id = 1; id <= NSESSIONS; id++) {
		sqlite3_stmt *h;
		char mac[REC_HASH_HEX], hash[REC_HASH_HEX] = "";
		long long seq = 0;
		int complete = 0;

		sqlite3_prepare_v2(db, "SELECT head_seq, head_hash, complete FROM sessions WHERE id=?",
				   -1, &h, NULL);
		sqlite3_bind_int64(h, 1, id);
		if (sqlite3_step(h) == SQLITE_ROW) {
			seq = sqlite3_column_int64(h, 0);
			zcs_strlcpy(hash, (const char *)sqlite3_column_text(h, 1), sizeof hash);
			complete = sqlite3_column_int(h, 2);
		}
		sqlite3_finalize(h);
		rec_checkpoint_mac(k, id, seq, hash, k->pub_hex, complete, seq, mac);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, mac, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(db, "COMMIT; ANALYZE; CREATE TABLE bench_meta(version INTEGER);");
	{
		char *v = xasprintf("INSERT INTO bench_meta VALUES (%d)", GEN_VERSION);

		exec(db, v);
		free(v);
	}
	sqlite3_close(db);
	if (!(r = records_open(path, &err)))
		die("reopen", err.msg);
	for (int i = 0; i < NREAL; i++)
		real_session(r, i != NREAL - 1);
	records_close(r);
	printf("generated %s (%d sessions) in %.1f s\n", path, NSESSIONS + NREAL,
	       (now_ms() - t0) / 1000);
}

static int cached(const char *path)
{
	sqlite3 *db;
	int ok = 0;

	if (access(path, R_OK) < 0)
		return 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		ok = one_int(db, "PRAGMA user_version") == RECORDS_SCHEMA_VERSION &&
		     one_int(db, "SELECT version FROM bench_meta") == GEN_VERSION;
	sqlite3_close(db);
	return ok;
}

/* ---- measuring ---- */

static struct records *R;
static const char *PATH;
static FILE *NUL;
static size_t LAST_N;
static long long REAL_DONE, REAL_OPEN;

static void list_with(struct records_filter *f)
{
	struct zcs_err err = { 0 };
	struct records_summary *s;
	size_t n;

	if (records_list(R, f, &s, &n, &err) < 0)
		die("list", err.msg);
	for (size_t i = 0; i < n; i++)     /* as the command prints them */
		fprintf(NUL, "%lld %s %s %s\n", s[i].id, s[i].installer, s[i].serial, s[i].verdict);
	LAST_N = n;
	records_free_list(s, n);
}

static double BEST;

/* The median of 5 runs; BEST is the fastest (the machine may be shared). */
static double median(void (*fn)(void *), void *arg)
{
	double t[5];

	for (int i = 0; i < 5; i++) {
		double a = now_ms();

		fn(arg);
		t[i] = now_ms() - a;
	}
	qsort(t, 5, sizeof t[0], cmp_d);
	BEST = t[0];
	return t[2];
}

static void f_list(void *arg)
{
	list_with(arg);
}

static void f_show(void *arg)
{
	struct zcs_err err = { 0 };

	(void)arg;
	if (records_export(R, REAL_DONE, RECORDS_TEXT, NUL, &err) < 0)
		die("show", err.msg);
}

static void f_verify(void *arg)
{
	struct zcs_err err = { 0 };
	struct records_verify v;

	(void)arg;
	if (records_verify(R, REAL_DONE, &v, &err) < 0 || v.problem != RECORDS_INTACT)
		die("verify", err.msg[0] ? err.msg : v.message);
	LAST_N = (size_t)v.nrecords;
}

static void f_first_screen(void *arg)
{
	struct zcs_err err = { 0 };
	struct records *r = records_open(PATH, &err);
	struct records_filter f;
	struct records_summary *s = NULL;
	struct eng_resume res;
	size_t n = 0;

	(void)arg;
	if (!r)
		die("open", err.msg);
	records_filter_init(&f);       /* as ui/flow.c find_resume */
	f.serial = SERIAL;
	f.unfinished = 1;
	f.training = 1;
	if (records_list(r, &f, &s, &n, &err) < 0 || n == 0)
		die("first screen", err.msg);
	if (records_load_resume(r, s[0].id, &res, &err) != 1)
		die("first screen", err.msg);
	records_free_resume(&res);
	records_free_list(s, n);
	records_close(r);
}

static void f_resume(void *arg)
{
	struct zcs_err err = { 0 };
	struct records *r = records_open(PATH, &err);
	struct eng_resume res;

	(void)arg;
	if (!r || records_load_resume(r, 0, &res, &err) != 1)
		die("resume", err.msg);
	LAST_N = res.nsteps;
	records_free_resume(&res);
	records_close(r);
}

static void f_verify_all(void *arg)
{
	struct zcs_err err = { 0 };
	struct records_verify_all *all = arg;

	if (records_verify_all(R, 0, NULL, NULL, all, &err) < 0)
		die("verify all", err.msg);
}

static void report(const char *what, double ms, double target, const char *extra)
{
	printf("  %-46s %8.1f ms  best %7.1f  (target < %4.0f ms: %s)%s%s\n", what, ms, BEST,
	       target, ms < target ? "ok" : "MISSED", extra ? "  " : "", extra ? extra : "");
}

int main(void)
{
	const char *build = getenv("ZCS_BUILD") ? getenv("ZCS_BUILD") : "build";
	char *path = xasprintf("%s/bench-records-100k.db", build);
	char cwd[4096], *cfg, extra[120];
	struct zcs_err err = { 0 };
	struct records_filter f;
	struct records_verify_all all;
	struct rec_key k;
	double t;

	/* a key of its own, kept with the cached file (XDG wants an absolute path) */
	if (!getcwd(cwd, sizeof cwd))
		die("getcwd", "failed");
	cfg = build[0] == '/' ? xasprintf("%s/bench-config", build)
			      : xasprintf("%s/%s/bench-config", cwd, build);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	if (rec_key_load(&k, &err) < 0)
		die("key", err.msg);
	PATH = path;
	NUL = fopen("/dev/null", "w");
	if (!cached(path))
		generate(path, &k);
	else
		printf("using the cached %s (delete it to generate it again)\n", path);
	if (!(R = records_open_readonly(path, &err)))
		die("open", err.msg);
	REAL_DONE = one_int(R->db, "SELECT max(id) FROM sessions WHERE complete=1");
	REAL_OPEN = one_int(R->db, "SELECT max(id) FROM sessions");
	printf("%lld sessions, %lld verdicts, %lld evidence samples, file %lld MB\n",
	       one_int(R->db, "SELECT count(*) FROM sessions"),
	       one_int(R->db, "SELECT max(id) FROM verdicts"),
	       one_int(R->db, "SELECT count(*) FROM samples"),
	       one_int(R->db, "SELECT page_count * page_size / 1048576 FROM pragma_page_count,"
		       " pragma_page_size"));

	printf("load average %s", "");
	{
		FILE *la = fopen("/proc/loadavg", "r");
		char line[64] = "?\n";

		if (la) {
			if (!fgets(line, sizeof line, la))
				strcpy(line, "?\n");
			fclose(la);
		}
		printf("%s", line);
	}
	printf("records list (median of 5, and the best; rows printed to /dev/null):\n");
	records_filter_init(&f);
	f.installer = "installer 42";
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--installer 'installer 42'", t, 200, extra);
	records_filter_init(&f);
	f.from_ms = 1700000000000 + 50000LL * 600000;
	f.to_ms = f.from_ms + 7 * 86400000LL;
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--from D --to D+6 (one week)", t, 200, extra);
	records_filter_init(&f);
	f.verdict = "failed";
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--verdict failed", t, 200, extra);
	records_filter_init(&f);
	f.verdict = "passed";
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows: nearly the whole file", LAST_N);
	report("--verdict passed", t, 200, extra);
	records_filter_init(&f);
	f.verdict = "incomplete";
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--verdict incomplete", t, 200, extra);
	records_filter_init(&f);
	f.failed_step = "grid.ct-sign";
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--failed-step grid.ct-sign", t, 200, extra);
	records_filter_init(&f);
	f.installer = "installer 7";
	f.verdict = "passed";
	f.from_ms = 1700000000000;
	f.to_ms = f.from_ms + 90 * 86400000LL;
	t = median(f_list, &f);
	snprintf(extra, sizeof extra, "%zu rows", LAST_N);
	report("--installer --verdict --from --to together", t, 200, extra);

	printf("one session (%d verdicts of 10 samples, signed):\n", NSTEPS);
	report("records show", median(f_show, NULL), 50, NULL);
	t = median(f_verify, NULL);
	snprintf(extra, sizeof extra, "%zu records", LAST_N);
	report("records verify ID", t, 50, extra);

	printf("the wizard (open read-write with its quick check, then the lookup):\n");
	report("first screen: open + find the unit's resumable session", median(f_first_screen, NULL),
	       200, NULL);
	t = median(f_resume, NULL);
	snprintf(extra, sizeof extra, "%zu steps", LAST_N);
	report("resume: open + latest unfinished session", t, 200, extra);
	records_close(R);

	if (!(R = records_open(path, &err)))
		die("open", err.msg);
	printf("verify-all:\n");
	t = now_ms();
	f_verify_all(&all);
	printf("  first pass after (re)generation: %.0f ms, %lld sessions, %lld read, %lld from "
	       "checkpoints, %lld bad\n", now_ms() - t, all.sessions, all.reread,
	       all.from_checkpoint, all.bad);
	t = median(f_verify_all, &all);
	snprintf(extra, sizeof extra, "%lld read, %lld from checkpoints", all.reread,
		 all.from_checkpoint);
	printf("  incremental, nothing changed: %.0f ms (%s)\n", t, extra);
	if (records_review(R, REAL_DONE, 0, "Bench QA", "rejected to move the head", &err) < 0)
		die("review", err.msg);
	t = now_ms();
	f_verify_all(&all);
	printf("  incremental, one session changed: %.0f ms (%lld read)\n", now_ms() - t,
	       all.reread);
	f_verify(NULL);
	t = median(f_verify, NULL);
	printf("  a full re-verify (--full) reads every session: about %.0f s at %.1f ms each\n",
	       t * (NSESSIONS + NREAL) / 1000, t);
	t = now_ms();
	if (records_check_file(R, &err) < 0)
		die("integrity", err.msg);
	printf("  PRAGMA integrity_check (verify --full, after a crash): %.1f s\n",
	       (now_ms() - t) / 1000);
	records_close(R);
	rec_key_wipe(&k);
	fclose(NUL);
	free(path);
	free(cfg);
	return 0;
}
