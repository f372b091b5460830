/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The records module driven through the engine's observer hooks, on
 * temporary files: what is committed, resume, lists, the hash chain,
 * reviews, exports and the database situations an installer can meet. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "records/records_int.h"
#include "tap.h"

static char dir[64];
static int nfile;

static char *tmp_db(void)
{
	return xasprintf("%s/r%d.db", dir, ++nfile);
}

static const struct eng_session_info info_a = {
	.installer = "Ada Rossi", .site = "Via Roma 1, Arezzo", .customer = "Bianchi",
	.serial = "ZH1ES160N8J012", .layout = "g3", .family = "HYD-ZSS-HP", .model = "HYD6000-ZSS-HP",
	.fw_com = "V1.10", .fw_master = "V2.20", .fw_slave = "V3.30", .link = "tcp 127.0.0.1:1502",
	.checklist_version = "1", .checklist_hash = "abc", .training = 1, .started_ms = 1763700000000,
};

static const uint16_t raw1[] = { 0x00E6, 0x0001 };

static struct eng_sample sample(const char *name, double v)
{
	struct eng_sample s = { .name = name, .unit = "W", .value = v, .text = "",
				.raw = raw1, .nraw = 2, .slave = 1, .wall_ms = 1763700001000 };
	return s;
}

static int verdict(struct eng_observer *o, const char *step, enum eng_status st, double v)
{
	struct zcs_err err = { 0 };
	struct eng_sample s[2] = { sample("grid_power", v), sample("bat_soc", 55) };
	struct eng_kv in[1] = { { "ct_direction", "towards grid <\"&>" } };
	struct eng_verdict vd = {
		.step_id = step, .section = "11.7", .title = "CT sign", .status = st,
		.started_ms = 1763700000500, .ended_ms = 1763700002000,
		.detail = "grid power -120 W while exporting", .remedy = "turn the CT round",
		.reason = st == ENG_SKIPPED ? "no meter fitted" : NULL,
		.inputs = in, .ninputs = 1, .samples = s, .nsamples = 2,
	};

	return o->verdict(o->ctx, &vd, &err);
}

static int write_one(struct eng_observer *o)
{
	struct zcs_err err = { 0 };
	struct eng_write w = { .step_id = "clock.set", .reg = "set_hour", .addr = 0x1007,
			       .slave = 1, .before = 3, .written = 11, .readback = 11,
			       .raw_before = 3, .raw_written = 11, .raw_readback = 11, .ok = 1,
			       .confirmed_by = "Ada Rossi", .wall_ms = 1763700003000 };

	return o->write(o->ctx, &w, &err);
}

/* A session with three steps (one failed) and a write; stopped unfinished
 * when `finish` is 0. */
static long long record_session(struct records *r, const struct eng_session_info *in,
				int finish)
{
	struct eng_observer o;
	struct zcs_err err = { 0 };
	int rc = 0;

	records_observer(r, &o);
	rc |= o.session_begin(o.ctx, in, &err);
	rc |= o.step_enter(o.ctx, "site.info", &err);
	rc |= o.answer(o.ctx, "site.info", "battery_model", "ZBT5K", &err);
	rc |= verdict(&o, "site.info", ENG_PASSED, 10);
	rc |= o.step_enter(o.ctx, "grid.ct-sign", &err);
	rc |= verdict(&o, "grid.ct-sign", ENG_FAILED, -120);
	rc |= o.link_event(o.ctx, "lost", "no answer from slave 1", 1763700002500, &err);
	rc |= o.link_event(o.ctx, "restored", "answers again", 1763700002800, &err);
	rc |= write_one(&o);
	rc |= o.step_enter(o.ctx, "battery.soc", &err);
	if (finish) {
		rc |= verdict(&o, "battery.soc", ENG_PASSED, 55);
		rc |= o.session_end(o.ctx, 1, &err);
	}
	if (rc)
		printf("# recording failed: %s\n", err.msg);
	return rc ? 0 : records_session_id(r);
}

static int sql(const char *path, const char *q)
{
	sqlite3 *db;
	int rc = sqlite3_open(path, &db);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, q, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		printf("# sql '%s': %s\n", q, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

static long long pragma(struct records *r, const char *q)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(r->db, q, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_open(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	sqlite3_stmt *st;

	ok(r != NULL, "a new records file is created (%s)", err.msg);
	if (!r)
		return;
	is_int(pragma(r, "PRAGMA application_id"), RECORDS_APPLICATION_ID, "application_id set");
	is_int(pragma(r, "PRAGMA user_version"), RECORDS_SCHEMA_VERSION, "schema version set");
	is_int(pragma(r, "PRAGMA synchronous"), 2, "synchronous=FULL");
	is_int(pragma(r, "PRAGMA foreign_keys"), 1, "foreign keys on");
	sqlite3_prepare_v2(r->db, "PRAGMA journal_mode", -1, &st, NULL);
	sqlite3_step(st);
	is_str((const char *)sqlite3_column_text(st, 0), "wal", "WAL journal");
	sqlite3_finalize(st);
	records_close(r);
	r = records_open(p, &err);
	ok(r != NULL, "opened again without migrating twice");
	records_close(r);
	free(p);
}

static void test_resume(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct eng_resume res;
	struct eng_observer o;
	struct eng_session_info other = info_a;
	long long id = record_session(r, &info_a, 0);

	ok(id > 0, "a session is recorded through the observer");
	records_close(r);   /* as if the process had died here */
	r = records_open(p, &err);
	is_int(records_load_resume(r, 0, &res, &err), 1, "the unfinished session is found");
	is_int(res.session_id, id, "it is the one recorded");
	is_str(res.current_step, "battery.soc", "it was on battery.soc");
	is_int(res.nsteps, 2, "two steps have verdicts");
	ok(res.nsteps == 2 && res.steps[1].status == ENG_FAILED &&
	   strcmp(res.steps[1].step_id, "grid.ct-sign") == 0, "the CT step failed");
	ok(res.nanswers == 1 && strcmp(res.answers[0].key, "site.info.battery_model") == 0 &&
	   strcmp(res.answers[0].value, "ZBT5K") == 0, "the answer is back as step.key");
	is_str(res.installer, "Ada Rossi", "the installer is back");
	is_int(res.training, 1, "training mode is back");
	records_free_resume(&res);

	other.serial = "ZH1ES160N8J999";
	records_observer(r, &o);
	ok(records_attach(r, id, &err) == 0, "the session can be continued");
	ok(o.session_begin(o.ctx, &other, &err) < 0, "another unit is refused");
	has_str(err.msg, "is not the one", "and the installer is told why");
	ok(o.session_begin(o.ctx, &info_a, &err) == 0, "the same unit continues");
	is_int(records_session_id(r), id, "in the same session");
	ok(verdict(&o, "grid.ct-sign", ENG_PASSED, 120) == 0, "a re-check adds a verdict");
	ok(verdict(&o, "battery.soc", ENG_PASSED, 55) == 0 && o.session_end(o.ctx, 1, &err) == 0,
	   "the session completes");
	is_int(records_load_resume(r, 0, &res, &err), 0, "nothing is left to resume");
	ok(records_load_resume(r, id, &res, &err) < 0 && err.code == ZCS_USAGE,
	   "resuming a complete session is refused");
	records_close(r);
	free(p);
}

static void test_early_answers(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct eng_observer o;
	struct eng_resume res;

	records_observer(r, &o);
	ok(o.answer(o.ctx, "session.people", "installer", "Ada Rossi", &err) == 0 &&
	   o.step_enter(o.ctx, "session.people", &err) == 0,
	   "answers and the step before the session begins are accepted");
	ok(o.session_begin(o.ctx, &info_a, &err) == 0, "the session begins");
	ok(records_load_resume(r, 0, &res, &err) == 1 && res.nanswers == 1 &&
	   strcmp(res.answers[0].key, "session.people.installer") == 0 &&
	   res.current_step && strcmp(res.current_step, "session.people") == 0,
	   "they are stored with it");
	records_free_resume(&res);
	records_close(r);
	free(p);
}

static void test_list_show(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct eng_session_info b = info_a;
	struct records_filter f;
	struct records_summary *s;
	struct records_session *one;
	size_t n;
	long long a, id2;

	a = record_session(r, &info_a, 1);
	b.installer = "Bruno Verdi";
	b.serial = "ZH1ES160N8J777";
	b.training = 0;
	b.started_ms = info_a.started_ms + 86400000LL * 3;
	id2 = record_session(r, &b, 0);
	records_filter_init(&f);
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 2, "two sessions listed");
	if (n == 2) {
		is_str(s[0].verdict, "failed", "a failed step fails the session");
		is_int(s[0].nsteps, 3, "three steps");
		is_int(s[0].nfailed, 1, "one failed");
		is_str(s[1].verdict, "unfinished", "the unfinished one is unfinished, never failed");
		is_int(s[1].state, RECORDS_UNFINISHED, "the second is unfinished");
		is_str(s[1].current_step, "battery.soc", "and stopped at battery.soc");
	}
	records_free_list(s, n);
	f.installer = "bruno verdi";
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 1 && s[0].id == id2,
	   "filter by installer (any case)");
	records_free_list(s, n);
	f.installer = "VERD";
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 1 && s[0].id == id2,
	   "filter by part of the installer's name");
	records_free_list(s, n);
	records_filter_init(&f);
	f.serial = info_a.serial;
	f.training = 1;
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 1 && s[0].id == a,
	   "filter by serial and training");
	records_free_list(s, n);
	records_filter_init(&f);
	f.training = 0;
	f.from_ms = info_a.started_ms + 1;
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 1 && s[0].id == id2,
	   "filter by field mode and date");
	records_free_list(s, n);
	records_filter_init(&f);
	f.failed_step = "grid.ct-sign";
	f.unfinished = 1;
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 1 && s[0].id == id2,
	   "filter by a failed step and unfinished");
	records_free_list(s, n);
	records_filter_init(&f);
	f.failed_step = "x' OR 1=1 --";
	ok(records_list(r, &f, &s, &n, &err) == 0 && n == 0, "filters are bound, not spliced");
	records_free_list(s, n);

	ok(records_load(r, a, &one, &err) == 0, "a whole session loads");
	if (one) {
		is_int(one->nsteps, 3, "with its three verdicts");
		is_int(one->nwrites, 1, "its write");
		is_int(one->nevents, 3, "its events (lost, restored, ended)");
		ok(one->nsteps == 3 && one->steps[1].nsamples == 2 &&
		   one->steps[1].samples[0].value == -120 && one->steps[1].samples[0].nraw == 2 &&
		   one->steps[1].samples[0].raw[0] == 0x00E6, "the evidence is exact, raw words too");
		ok(one->nsteps == 3 && one->steps[1].ninputs == 1 &&
		   strcmp(one->steps[1].inputs[0].value, "towards grid <\"&>") == 0,
		   "the inputs are kept");
		is_str(one->fw_master, "V2.20", "the firmware is kept");
		records_free_session(one);
	}
	ok(records_load(r, 999, &one, &err) < 0 && err.code == ZCS_USAGE, "an unknown id is named");
	records_close(r);
	free(p);
}

static enum records_problem verify_after(const char *q, char *msg, size_t n)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct records_verify v = { 0 };
	long long id = record_session(r, &info_a, 1);

	records_close(r);
	if (q && sql(p, q) != SQLITE_OK)
		return -1;
	r = records_open_readonly(p, &err);
	if (!r || records_verify(r, id, &v, &err) < 0)
		printf("# %s\n", err.msg);
	zcs_strlcpy(msg, v.message, n);
	records_close(r);
	free(p);
	return v.problem;
}

static void test_verify(void)
{
	char m[512];

	is_int(verify_after(NULL, m, sizeof m), RECORDS_INTACT, "an untouched session is intact");
	has_str(m, "intact", "and says so");
	is_int(verify_after("UPDATE samples SET value=120 WHERE value=-120", m, sizeof m),
	       RECORDS_ALTERED, "a changed evidence value is found");
	has_str(m, "verdict of step grid.ct-sign", "naming the step");
	is_int(verify_after("UPDATE verdicts SET status='passed' WHERE status='failed'", m,
			    sizeof m), RECORDS_ALTERED, "a verdict turned to passed is found");
	is_int(verify_after("DELETE FROM verdicts WHERE step_id='grid.ct-sign'", m, sizeof m),
	       RECORDS_MISSING, "a deleted step is found");
	has_str(m, "is missing: it was deleted", "naming the record");
	is_int(verify_after("INSERT INTO verdicts(session_id, step_id, status) "
			    "VALUES (1, 'grid.extra', 'passed')", m, sizeof m),
	       RECORDS_INSERTED, "an inserted step is found");
	has_str(m, "grid.extra", "naming it");
	is_int(verify_after("INSERT INTO verdicts(session_id, step_id, status, seq, hash) "
			    "VALUES (1, 'grid.extra', 'passed', 3, 'x')", m, sizeof m),
	       RECORDS_INSERTED, "an inserted step with a taken number is found");
	is_int(verify_after("INSERT INTO verdicts(session_id, step_id, status, seq, hash) "
			    "VALUES (1, 'grid.extra', 'passed', 99, 'x')", m, sizeof m),
	       RECORDS_MISSING, "an inserted step past the end breaks the chain");
	is_int(verify_after("DELETE FROM events WHERE kind='ended'", m, sizeof m),
	       RECORDS_MISSING, "a deleted last record is found");
	is_int(verify_after("UPDATE sessions SET serial='ZH1ES160N8J000'", m, sizeof m),
	       RECORDS_ALTERED, "a changed serial number is found");
	is_int(verify_after("UPDATE writes SET written=99", m, sizeof m), RECORDS_ALTERED,
	       "a changed write is found");
}

static void test_review(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct eng_session_info b = info_a;
	long long done = record_session(r, &info_a, 1), open;
	struct records_session *s;
	struct records_verify v;

	b.serial = "ZH1ES160N8J555";
	open = record_session(r, &b, 0);
	ok(records_review(r, open, 1, "Quality Q", NULL, &err) < 0, "an unfinished session "
	   "cannot be approved");
	has_str(err.msg, "not finished", "and the reviewer is told why");
	ok(records_review(r, open, 0, "Quality Q", "CT still wrong", &err) == 0,
	   "it can be rejected");
	ok(records_review(r, done, 1, "", NULL, &err) < 0 && err.code == ZCS_USAGE,
	   "a review needs a name");
	ok(records_review(r, done, 1, "Quality Q", "ok; 'quotes' kept", &err) == 0,
	   "a finished session is approved");
	ok(records_load(r, done, &s, &err) == 0 && s->nreviews == 1 && s->reviews[0].approved &&
	   strcmp(s->sum.review, "approved") == 0, "the decision is stored");
	records_free_session(s);
	ok(records_verify(r, done, &v, &err) == 0 && v.problem == RECORDS_INTACT,
	   "the review is chained too");
	records_close(r);
	sql(p, "UPDATE samples SET value=1 WHERE idx=0");
	r = records_open(p, &err);
	ok(records_review(r, done, 1, "Quality Q", NULL, &err) < 0, "an altered record cannot "
	   "be approved");
	has_str(err.msg, "altered", "and the reviewer is told why");
	records_close(r);
	free(p);
}

static char *export_str(struct records *r, long long id, enum records_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct zcs_err err = { 0 };

	if (records_export(r, id, fmt, f, &err) < 0)
		printf("# export: %s\n", err.msg);
	fclose(f);
	return buf;
}

static void test_export(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	long long id = record_session(r, &info_a, 1);
	char *t;

	t = export_str(r, id, RECORDS_HTML);
	has_str(t, "<!DOCTYPE html>", "HTML is a page");
	has_str(t, "towards grid &lt;&quot;&amp;&gt;", "HTML escapes what it prints");
	has_str(t, "ZH1ES160N8J012", "HTML names the unit");
	has_str(t, "TRAINING", "HTML says it was training");
	ok(!strstr(t, "http"), "HTML names no outside resource");
	has_str(t, "size:A4", "HTML prints on A4");
	ok(!strstr(t, "site.info") && !strstr(t, "grid_power"),
	   "the customer's HTML shows no step key or register name");
	free(t);
	t = export_str(r, id, RECORDS_HTML_QA);
	has_str(t, "grid_power", "the reviewer's HTML keeps the register names");
	free(t);
	t = export_str(r, id, RECORDS_JSON);
	has_str(t, "\"ct_direction\":\"towards grid <\\\"&>\"", "JSON escapes quotes");
	has_str(t, "\"state\":\"intact\"", "JSON carries the integrity check");
	free(t);
	t = export_str(r, id, RECORDS_CSV);
	has_str(t, "session,serial,installer,site,step,section", "CSV has a header");
	has_str(t, "grid_power=-120 W; bat_soc=55 W", "CSV carries the evidence");
	free(t);
	t = export_str(r, id, RECORDS_TEXT);
	has_str(t, "[failed ] 11.7", "text lists the failed step");
	has_str(t, "evidence grid_power = -120 W  [00E6 0001]", "text shows evidence and words");
	free(t);
	is_int(records_format_parse("csv"), RECORDS_CSV, "format names");
	is_int(records_format_parse("qa-html"), RECORDS_HTML_QA, "the reviewer's HTML");
	is_int(records_format_parse("pdf"), -1, "unknown format");
	records_close(r);
	free(p);
}

static void test_situations(void)
{
	struct zcs_err err = { 0 };
	char *p = tmp_db();
	struct records *r = (setenv("ZCS_DB_BUSY_MS", "50", 1), records_open(p, &err)), *r2;
	struct eng_observer o;
	sqlite3 *other;
	long long id = record_session(r, &info_a, 0);
	FILE *f;

	/* locked: another program holds a write transaction */
	sqlite3_open(p, &other);
	sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	records_observer(r, &o);
	ok(verdict(&o, "battery.soc", ENG_PASSED, 55) < 0, "a locked database refuses the verdict");
	{
		struct zcs_err e2 = { 0 };
		struct eng_verdict vd = { .step_id = "x", .status = ENG_PASSED };

		o.verdict(o.ctx, &vd, &e2);
		has_str(e2.msg, "locked by another program", "and says another program holds it");
		is_int(e2.code, ZCS_DB, "as a database error");
	}
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ok(verdict(&o, "battery.soc", ENG_PASSED, 55) == 0, "once released, recording goes on");

	/* full disk: the file may not grow */
	sqlite3_exec(r->db, "PRAGMA max_page_count=1", NULL, NULL, NULL);
	{
		struct eng_sample many[400];
		struct eng_verdict vd = { .step_id = "big", .status = ENG_PASSED, .samples = many,
					  .nsamples = 400, .detail = "x" };
		struct zcs_err e2 = { 0 };

		for (int i = 0; i < 400; i++)
			many[i] = sample("grid_power_with_a_long_name_to_fill_pages", i);
		ok(o.verdict(o.ctx, &vd, &e2) < 0, "a full disk refuses the verdict");
		has_str(e2.msg, "is full", "and says the disk is full");
		has_str(e2.msg, "nothing recorded before is lost", "and that nothing is lost");
	}
	records_close(r);
	r = records_open_readonly(p, &err);
	{
		struct records_session *s = NULL;

		ok(r && records_load(r, id, &s, &err) == 0 && s->nsteps == 3,
		   "every verdict before the full disk is there");
		records_free_session(s);
	}
	records_close(r);

	/* newer version */
	sql(p, "PRAGMA user_version=99");
	ok(!records_open(p, &err), "a file from a newer version is refused");
	has_str(err.msg, "newer zcs-commission", "and the installer is told so");
	r2 = records_open_readonly(p, &err);
	ok(!r2, "for reading too");
	records_close(r2);

	/* not ours */
	free(p);
	p = tmp_db();
	sql(p, "CREATE TABLE t(x); PRAGMA application_id=1234");
	ok(!records_open(p, &err), "another program's database is refused");
	has_str(err.msg, "not a zcs-commission records database", "and named as such");

	/* garbage */
	free(p);
	p = tmp_db();
	f = fopen(p, "w");
	for (int i = 0; i < 300; i++)
		fputs("this is not a database at all, just words. ", f);
	fclose(f);
	ok(!records_open(p, &err), "a damaged file is refused");
	has_str(err.msg, "damaged", "and called damaged");
	has_str(err.msg, "records recover", "with the way to recover");
	is_int(err.code, ZCS_DB, "as a database error");

	/* missing directory */
	free(p);
	p = xasprintf("%s/no/such/dir/r.db", dir);
	ok(!records_open(p, &err), "a missing directory is refused");
	has_str(err.msg, "--db", "and --db is suggested");
	ok(!records_open_readonly(p, &err), "reading a file that is not there fails");
	has_str(err.msg, "no records database", "and says so");
	free(p);
}

/* Re-hash session 1's whole chain, signing with k when given (what a
 * forger holding a key can do). */
static void rehash(struct records *r, const struct rec_key *k)
{
	static const char q[] =
		"SELECT seq, 0, id FROM sessions UNION ALL SELECT seq, 1, id FROM verdicts"
		" UNION ALL SELECT seq, 2, id FROM writes UNION ALL SELECT seq, 3, id FROM events"
		" UNION ALL SELECT seq, 4, id FROM reviews UNION ALL SELECT seq, 5, id FROM answers"
		" UNION ALL SELECT seq, 6, id FROM step_entries UNION ALL SELECT seq, 7, id FROM"
		" closings ORDER BY 1";
	sqlite3_stmt *st;
	char prev[65], sql[200];
	struct zcs_err err = { 0 };

	memcpy(prev, rec_zero_hash, 65);
	sqlite3_prepare_v2(r->db, q, -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 2);
		enum rec_kind kind = (enum rec_kind)sqlite3_column_int(st, 1);
		size_t n = 0;
		char *c = rec_canon(r, kind, id, &n, &err), sig[REC_SIG_HEX];

		rec_chain_next(prev, c, n, prev);
		free(c);
		snprintf(sql, sizeof sql, "UPDATE %s SET hash='%s' WHERE id=%lld",
			 rec_kind_name(kind), prev, id);
		sqlite3_exec(r->db, sql, NULL, NULL, NULL);
		if (k && (kind == REC_VERDICT || kind == REC_CLOSE)) {
			rec_key_sign(k, seq, prev, sig);
			snprintf(sql, sizeof sql, "UPDATE %s SET sig='%s' WHERE id=%lld",
				 rec_kind_name(kind), sig, id);
			sqlite3_exec(r->db, sql, NULL, NULL, NULL);
		}
	}
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql, "UPDATE sessions SET head_hash='%s'", prev);
	sqlite3_exec(r->db, sql, NULL, NULL, NULL);
}

static void test_signatures(void)
{
	char *p = tmp_db(), *cfg_a = xasprintf("%s/config", dir), *cfg_b = xasprintf("%s/forger", dir);
	char *keys_a = xasprintf("%s/keys-a", dir), *pubfile, why[600];
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	long long id = record_session(r, &info_a, 1);
	struct records_verify v;
	struct rec_key kb;
	char pub[65], fp[32];
	FILE *f;

	ok(records_verify(r, id, &v, &err) == 0 && v.problem == RECORDS_INTACT && v.chain == 2 &&
	   v.trusted && v.closed && strlen(v.sig) == 128, "a finished session is signed, trusted "
	   "and closed");
	ok(records_verified_for_approval(&v, why, sizeof why), "and may be approved");
	records_own_key(pub, fp, &err);
	is_str(v.signer, pub, "signed by this machine's key");
	mkdir(keys_a, 0700);
	pubfile = xasprintf("%s/a.pub", keys_a);
	f = fopen(pubfile, "w");
	fprintf(f, "%s installer a\n", pub);
	fclose(f);
	records_close(r);

	/* the forger: another key, the summary and evidence rewritten, the chain
	 * re-hashed and re-signed, the header naming the forger's key */
	setenv("XDG_CONFIG_HOME", cfg_b, 1);
	ok(rec_key_load(&kb, &err) == 0, "a second machine makes its own key");
	r = records_open(p, &err);
	sqlite3_exec(r->db, "UPDATE samples SET value=999", NULL, NULL, NULL);
	{
		char *q = xasprintf("UPDATE sessions SET signer='%s'", kb.pub_hex);

		sqlite3_exec(r->db, q, NULL, NULL, NULL);
		free(q);
	}
	rehash(r, &kb);
	ok(records_verify(r, id, &v, &err) == 0 && v.problem == RECORDS_INTACT && v.trusted,
	   "on the forger's machine the forgery verifies with its own key");
	ok(records_set_keys(r, keys_a, &err) == 0, "--keys: the QA's trusted keys");
	ok(records_verify(r, id, &v, &err) == 0 && !v.trusted, "against them it is not trusted");
	ok(!records_verified_for_approval(&v, why, sizeof why), "so it cannot be approved");
	has_str(why, "not a trusted key", "and the reviewer is told why");
	ok(records_review(r, id, 1, "Q", NULL, &err) < 0, "records_review refuses it");
	records_close(r);
	rec_key_wipe(&kb);
	setenv("XDG_CONFIG_HOME", cfg_a, 1);

	/* re-hashed without a key: every signature fails */
	free(p);
	p = tmp_db();
	r = records_open(p, &err);
	id = record_session(r, &info_a, 1);
	sqlite3_exec(r->db, "UPDATE verdicts SET status='passed' WHERE status='failed'", NULL, NULL,
		     NULL);
	rec_summary_update(r, id, &err);
	rehash(r, NULL);
	ok(records_verify(r, id, &v, &err) == 0 && v.problem == RECORDS_FORGED,
	   "a failed step turned passed and re-hashed fails its signature");
	has_str(v.message, "does not carry a valid signature", "named as such");
	ok(records_review(r, id, 1, "Q", NULL, &err) < 0, "and cannot be approved");
	records_close(r);
	free(p);
	free(pubfile);
	free(keys_a);
	free(cfg_a);
	free(cfg_b);
}

static void test_verify_all(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct records *r = records_open(p, &err);
	struct records_verify_all all;

	for (int i = 0; i < 3; i++)
		record_session(r, &info_a, i != 1);
	ok(records_verify_all(r, 0, NULL, NULL, &all, &err) == 0 && all.sessions == 3 &&
	   all.reread == 3 && all.bad == 0, "verify-all reads every session the first time");
	ok(records_verify_all(r, 0, NULL, NULL, &all, &err) == 0 && all.reread == 0 &&
	   all.from_checkpoint == 3, "then takes unchanged ones from their checkpoints");
	ok(records_verify_all(r, 1, NULL, NULL, &all, &err) == 0 && all.reread == 3,
	   "--full reads them all again");
	records_close(r);
	sql(p, "UPDATE samples SET value=7 WHERE verdict_id=(SELECT min(id) FROM verdicts"
	    " WHERE session_id=2)");
	r = records_open(p, &err);
	ok(records_verify_all(r, 0, NULL, NULL, &all, &err) == 0 && all.reread == 1 &&
	   all.bad == 1, "an edited session loses its checkpoint and is found");
	records_close(r);
	sql(p, "DROP TRIGGER ck_samples_u; UPDATE samples SET value=8 WHERE verdict_id="
	    "(SELECT min(id) FROM verdicts WHERE session_id=3)");
	r = records_open(p, &err);
	ok(records_verify_all(r, 0, NULL, NULL, &all, &err) == 0 && all.reread == 3 &&
	   all.bad == 2, "with a trigger dropped no checkpoint is trusted");
	records_close(r);
	sql(p, "UPDATE checkpoints SET head_seq=head_seq");
	sql(p, "INSERT OR REPLACE INTO checkpoints SELECT id, head_seq, head_hash, signer, 1,"
	    " head_seq, 'forged' FROM sessions");
	r = records_open(p, &err);
	ok(records_verify_all(r, 0, NULL, NULL, &all, &err) == 0 && all.from_checkpoint == 0,
	   "a checkpoint written by hand (no valid MAC) is not trusted");
	records_close(r);
	free(p);
}

/* A file written by schema 1: its tables, one session chained the old way. */
static void test_migration(void)
{
	char *p = tmp_db();
	struct zcs_err err = { 0 };
	struct rec_canon c = { 0 };
	struct records *r;
	struct records_verify v;
	struct records_summary *s;
	size_t n;
	char h[65], *q;

	sql(p, "CREATE TABLE sessions(id INTEGER PRIMARY KEY, installer TEXT, site TEXT,"
	    " customer TEXT, serial TEXT, layout TEXT, family TEXT, model TEXT, fw_com TEXT,"
	    " fw_master TEXT, fw_slave TEXT, link TEXT, checklist_version TEXT, checklist_hash TEXT,"
	    " training INTEGER NOT NULL DEFAULT 0, started_ms INTEGER NOT NULL, ended_ms INTEGER,"
	    " complete INTEGER NOT NULL DEFAULT 0, current_step TEXT, seq INTEGER, hash TEXT,"
	    " head_seq INTEGER NOT NULL DEFAULT 0, head_hash TEXT);"
	    "CREATE TABLE verdicts(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, step_id TEXT"
	    " NOT NULL, section TEXT, title TEXT, status TEXT NOT NULL, started_ms INTEGER, ended_ms"
	    " INTEGER, detail TEXT, remedy TEXT, reason TEXT, override_by TEXT, seq INTEGER, hash"
	    " TEXT);"
	    "CREATE TABLE inputs(verdict_id INTEGER NOT NULL, idx INTEGER NOT NULL, key TEXT NOT"
	    " NULL, value TEXT, PRIMARY KEY(verdict_id, idx));"
	    "CREATE TABLE samples(verdict_id INTEGER NOT NULL, idx INTEGER NOT NULL, name TEXT NOT"
	    " NULL, unit TEXT, value REAL, text TEXT, raw TEXT, slave INTEGER, wall_ms INTEGER,"
	    " PRIMARY KEY(verdict_id, idx));"
	    "CREATE TABLE writes(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, step_id TEXT,"
	    " reg TEXT NOT NULL, addr INTEGER, slave INTEGER, before REAL, written REAL, readback"
	    " REAL, raw_before INTEGER, raw_written INTEGER, raw_readback INTEGER, ok INTEGER NOT"
	    " NULL, confirmed_by TEXT, wall_ms INTEGER, seq INTEGER, hash TEXT);"
	    "CREATE TABLE events(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, kind TEXT NOT"
	    " NULL, detail TEXT, wall_ms INTEGER, seq INTEGER, hash TEXT);"
	    "CREATE TABLE reviews(id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, reviewer TEXT"
	    " NOT NULL, approved INTEGER NOT NULL, comment TEXT, wall_ms INTEGER, seq INTEGER,"
	    " hash TEXT);"
	    "CREATE TABLE answers(session_id INTEGER NOT NULL, step_id TEXT NOT NULL, key TEXT NOT"
	    " NULL, value TEXT, wall_ms INTEGER, PRIMARY KEY(session_id, step_id, key));"
	    "INSERT INTO sessions(id, installer, serial, training, started_ms, complete, seq,"
	    " head_seq) VALUES (1, 'Old Timer', 'ZH1ES160N8J777', 0, 1700000000000, 1, 1, 1);"
	    "INSERT INTO answers VALUES (1, 'site.info', 'battery_model', 'ZBT5K', 1);"
	    "PRAGMA application_id=1514361649; PRAGMA user_version=1;");
	rec_canon_raw(&c, "sessions\n", 9);
	rec_canon_int(&c, "id", 1);
	rec_canon_text(&c, "installer", "Old Timer", 9);
	rec_canon_null(&c, "site");
	rec_canon_null(&c, "customer");
	rec_canon_text(&c, "serial", "ZH1ES160N8J777", 14);
	for (const char *const *k = (const char *const[]){ "layout", "family", "model", "fw_com",
		"fw_master", "fw_slave", "link", "checklist_version", "checklist_hash", NULL }; *k; k++)
		rec_canon_null(&c, *k);
	rec_canon_int(&c, "training", 0);
	rec_canon_int(&c, "started_ms", 1700000000000);
	rec_canon_int(&c, "seq", 1);
	rec_chain_next(rec_zero_hash, c.b, c.n, h);
	rec_canon_free(&c);
	q = xasprintf("UPDATE sessions SET hash='%s', head_hash='%s'", h, h);
	sql(p, q);
	free(q);
	r = records_open_readonly(p, &err);
	ok(r != NULL, "a schema 1 file is brought up to date when read (%s)", err.msg);
	is_int(r ? pragma(r, "PRAGMA user_version") : 0, RECORDS_SCHEMA_VERSION, "to schema 2");
	ok(r && records_verify(r, 1, &v, &err) == 0 && v.problem == RECORDS_INTACT && v.chain == 1,
	   "its old chain still verifies");
	has_str(v.message, "unsigned", "and says it is unsigned");
	ok(r && records_list(r, NULL, &s, &n, &err) == 0 && n == 1 &&
	   strcmp(s[0].verdict, "passed") == 0, "its summary was computed");
	if (r && n)
		records_free_list(s, n);
	records_close(r);
	r = records_open(p, &err);
	ok(records_review(r, 1, 1, "Q", NULL, &err) < 0, "an unsigned session cannot be approved");
	has_str(err.msg, "before sessions were signed", "and the reviewer is told why");
	records_close(r);
	free(p);
}

int main(void)
{
	/* tmpfs when there is one: the fsync of every commit is the slow part,
	 * and these tests are about what a commit holds, not about the disk. */
	snprintf(dir, sizeof dir, "%s/zcs-records-test.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	{
		char *cfg = xasprintf("%s/config", dir);

		setenv("XDG_CONFIG_HOME", cfg, 1);
		free(cfg);
	}
	test_open();
	test_resume();
	test_early_answers();
	test_list_show();
	test_verify();
	test_review();
	test_export();
	test_situations();
	test_signatures();
	test_verify_all();
	test_migration();
	{
		char *cmd = xasprintf("rm -rf %s", dir);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
		free(cmd);
	}
	return tap_done();
}
