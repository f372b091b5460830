/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_query: listing sessions, loading one whole, and QA reviews. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "records/records_int.h"

/* The stored summary of each session (kept by the recorder, checked by
 * records_verify against the chain); each filter adds its condition only
 * when given, so that SQLite can use the index made for it. */
static const char list_cols[] =
	"SELECT id, installer, site, customer, serial, model, training, started_ms,"
	" coalesce(ended_ms, 0), complete, current_step, nsteps, npassed, nfailed, nskipped,"
	" nna, verdict, review, %s FROM sessions";

/* A session never closed is "unfinished" (stopped with F10 or Ctrl-C, or
 * killed), never "failed": the stored verdict counts once it is closed. */
#define OPEN "(complete=0 AND ended_ms IS NULL)"

/* The resume list wants the session left last: its latest event or verdict. */
static const char last_activity[] =
	"max(started_ms, coalesce(ended_ms, 0), coalesce((SELECT max(wall_ms) FROM events e"
	" WHERE e.session_id=sessions.id), 0), coalesce((SELECT max(ended_ms) FROM verdicts v"
	" WHERE v.session_id=sessions.id), 0))";

/* The SELECT of a list (its columns, or a count) and its conditions. */
static char *where_sql(char *sql, const struct records_filter *f, long long id)
{
	char *o;
	const char *w = " WHERE ";
	int open = f->verdict && strcmp(f->verdict, "unfinished") == 0;

#define COND(c, text) \
	if (c) { o = xasprintf("%s%s%s", sql, w, text); free(sql); sql = o; w = " AND "; }
	COND(id, "id=?10")
	COND(f->from_ms, "started_ms>=?1")
	COND(f->to_ms, "started_ms<?2")
	COND(f->installer, "instr(zcs_fold(installer), zcs_fold(?3)) > 0")
	COND(f->site, "instr(zcs_fold(site), zcs_fold(?11)) > 0")
	COND(f->customer, "instr(zcs_fold(customer), zcs_fold(?12)) > 0")
	COND(f->serial && !f->or_unidentified, "serial=?4")
	COND(f->serial && f->or_unidentified, "(serial=?4 OR coalesce(serial, '')='')")
	COND(open, OPEN)
	COND(f->verdict && !open, "verdict=?5 AND NOT " OPEN)
	COND(f->failed_step, "id IN (SELECT session_id FROM verdicts WHERE step_id=?6"
	     " AND status='failed')")
	COND(f->review, "review=?7")
	COND(f->training >= 0, "training=?8")
	COND(f->unfinished, "complete=0")
#undef COND
	return sql;
}

/* The newest f->limit sessions when there is a limit, shown oldest first
 * like the whole list. */
static char *list_sql(const struct records_filter *f, long long id)
{
	char *sql = where_sql(xasprintf(list_cols, f->unfinished ? last_activity
					: "max(started_ms, coalesce(ended_ms, 0))"), f, id);
	char *o = f->limit > 0
		? xasprintf("SELECT * FROM (%s ORDER BY started_ms DESC, id DESC LIMIT %lld)"
			    " ORDER BY started_ms, id", sql, f->limit)
		: xasprintf("%s ORDER BY started_ms, id", sql);

	free(sql);
	return o;
}

void records_filter_init(struct records_filter *f)
{
	memset(f, 0, sizeof *f);
	f->training = -1;
}

static const char *intern(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, words[i]) == 0)
			return words[i];
	return words[0];
}

static void read_summary(sqlite3_stmt *st, struct records_summary *s)
{
	static const char *const verdicts[] = { "incomplete", "passed", "failed", "unfinished" };
	static const char *const reviews[] = { "pending", "approved", "rejected" };

	s->id = sqlite3_column_int64(st, 0);
	s->installer = rec_col_text(st, 1);
	s->site = rec_col_text(st, 2);
	s->customer = rec_col_text(st, 3);
	s->serial = rec_col_text(st, 4);
	s->model = rec_col_text(st, 5);
	s->training = sqlite3_column_int(st, 6);
	s->started_ms = sqlite3_column_int64(st, 7);
	s->ended_ms = sqlite3_column_int64(st, 8);
	s->state = sqlite3_column_int(st, 9) ? RECORDS_COMPLETE : RECORDS_UNFINISHED;
	s->current_step = rec_col_text(st, 10);
	s->nsteps = sqlite3_column_int(st, 11);
	s->npassed = sqlite3_column_int(st, 12);
	s->nfailed = sqlite3_column_int(st, 13);
	s->nskipped = sqlite3_column_int(st, 14);
	s->nna = sqlite3_column_int(st, 15);
	s->verdict = intern((const char *)sqlite3_column_text(st, 16), verdicts, 3);
	if (s->state == RECORDS_UNFINISHED && s->ended_ms == 0)
		s->verdict = verdicts[3];
	s->review = intern((const char *)sqlite3_column_text(st, 17), reviews, 3);
	s->last_ms = sqlite3_column_int64(st, 18);
}

/* The filter's values, by the numbers where_sql gives them; a number the
 * statement does not use is left out by SQLite. */
static void bind_filter(sqlite3_stmt *st, const struct records_filter *f, long long id)
{
	sqlite3_bind_int64(st, 1, f->from_ms);
	sqlite3_bind_int64(st, 2, f->to_ms);
	rec_bind_text(st, 3, f->installer);
	rec_bind_text(st, 4, f->serial);
	rec_bind_text(st, 5, f->verdict);
	rec_bind_text(st, 6, f->failed_step);
	rec_bind_text(st, 7, f->review);
	sqlite3_bind_int(st, 8, f->training);
	sqlite3_bind_int64(st, 10, id);
	rec_bind_text(st, 11, f->site);
	rec_bind_text(st, 12, f->customer);
}

static int query(struct records *r, const struct records_filter *f, long long id,
		 struct records_summary **out, size_t *n, struct zcs_err *err)
{
	char *sql = list_sql(f, id);
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	size_t cap = 0;
	int rc;

	free(sql);
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	bind_filter(st, f, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap * 2 + 8) * sizeof **out);
		memset(&(*out)[*n], 0, sizeof **out);
		read_summary(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	records_free_list(*out, *n);
	*out = NULL;
	*n = 0;
	return rec_fail(r, rc, "listing sessions", err);
}

int records_count(struct records *r, const struct records_filter *f, long long *n,
		  struct zcs_err *err)
{
	char *sql = where_sql(xstrdup("SELECT count(*) FROM sessions"), f, 0);
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	free(sql);
	if (!st)
		return -1;
	bind_filter(st, f, 0);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rec_fail(r, rc, "counting sessions", err);
}

int records_list(struct records *r, const struct records_filter *f,
		 struct records_summary **out, size_t *n, struct zcs_err *err)
{
	struct records_filter any;

	if (!f) {
		records_filter_init(&any);
		f = &any;
	}
	return query(r, f, 0, out, n, err);
}

static void free_summary(struct records_summary *s)
{
	free(s->installer);
	free(s->site);
	free(s->customer);
	free(s->serial);
	free(s->model);
	free(s->current_step);
	free(s->laptop);
	free(s->laptop_name);
}

void records_free_list(struct records_summary *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_summary(&s[i]);
	free(s);
}

/* ---- one whole session ---- */

static int each_row(struct records *r, const char *sql, long long id,
		    void (*row)(sqlite3_stmt *, void *), void *arg, struct zcs_err *err)
{
	return rec_each_row(r, sql, id, row, arg, "reading a session", err);
}

#define GROW(arr, n, cap) \
	((n) == (cap) ? ((arr) = xrealloc((arr), ((cap) = (cap) * 2 + 8) * sizeof *(arr))) : (arr))

static void col_hash(sqlite3_stmt *st, int i, char out[65])
{
	const unsigned char *h = sqlite3_column_text(st, i);

	zcs_strlcpy(out, h ? (const char *)h : "", 65);
}

static void session_row(sqlite3_stmt *st, void *arg)
{
	struct records_session *s = arg;

	s->layout = rec_col_text(st, 0);
	s->family = rec_col_text(st, 1);
	s->fw_com = rec_col_text(st, 2);
	s->fw_master = rec_col_text(st, 3);
	s->fw_slave = rec_col_text(st, 4);
	s->link = rec_col_text(st, 5);
	s->checklist_version = rec_col_text(st, 6);
	s->checklist_hash = rec_col_text(st, 7);
	s->head_seq = sqlite3_column_int64(st, 8);
	col_hash(st, 9, s->head_hash);
}

struct steps_acc {
	struct records_session *s;
	size_t cap;
};

static void step_row(sqlite3_stmt *st, void *arg)
{
	struct steps_acc *a = arg;
	struct records_step *p;

	GROW(a->s->steps, a->s->nsteps, a->cap);
	p = &a->s->steps[a->s->nsteps++];
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->seq = sqlite3_column_int64(st, 1);
	p->step_id = rec_col_text(st, 2);
	p->section = rec_col_text(st, 3);
	p->title = rec_col_text(st, 4);
	p->status = rec_status_parse((const char *)sqlite3_column_text(st, 5));
	p->started_ms = sqlite3_column_int64(st, 6);
	p->ended_ms = sqlite3_column_int64(st, 7);
	p->detail = rec_col_text(st, 8);
	p->remedy = rec_col_text(st, 9);
	p->reason = rec_col_text(st, 10);
	p->override_by = rec_col_text(st, 11);
	col_hash(st, 12, p->hash);
	p->current = sqlite3_column_int(st, 13);
}

static void input_row(sqlite3_stmt *st, void *arg)
{
	struct records_step *p = arg;

	p->inputs = xrealloc(p->inputs, (p->ninputs + 1) * sizeof *p->inputs);
	p->inputs[p->ninputs].key = rec_col_text(st, 0);
	p->inputs[p->ninputs].value = rec_col_text(st, 1);
	p->ninputs++;
}

static void parse_raw(const char *s, struct records_sample *x)
{
	char *end;

	while (s && *s) {
		unsigned long v = strtoul(s, &end, 16);

		if (end == s)
			break;
		x->raw = xrealloc(x->raw, (x->nraw + 1) * sizeof *x->raw);
		x->raw[x->nraw++] = (uint16_t)v;
		s = end;
	}
}

static void sample_row(sqlite3_stmt *st, void *arg)
{
	struct records_step *p = arg;
	struct records_sample *x;

	p->samples = xrealloc(p->samples, (p->nsamples + 1) * sizeof *p->samples);
	x = &p->samples[p->nsamples++];
	memset(x, 0, sizeof *x);
	x->name = rec_col_text(st, 0);
	x->unit = rec_col_text(st, 1);
	x->has_value = sqlite3_column_type(st, 2) != SQLITE_NULL;
	x->value = sqlite3_column_double(st, 2);
	x->text = rec_col_text(st, 3);
	parse_raw((const char *)sqlite3_column_text(st, 4), x);
	x->slave = sqlite3_column_int(st, 5);
	x->wall_ms = sqlite3_column_int64(st, 6);
}

static void write_row(sqlite3_stmt *st, void *arg)
{
	struct records_session *s = arg;
	struct records_write *w;

	s->writes = xrealloc(s->writes, (s->nwrites + 1) * sizeof *s->writes);
	w = &s->writes[s->nwrites++];
	w->id = sqlite3_column_int64(st, 0);
	w->seq = sqlite3_column_int64(st, 1);
	w->step_id = rec_col_text(st, 2);
	w->reg = rec_col_text(st, 3);
	w->addr = (unsigned)sqlite3_column_int64(st, 4);
	w->slave = sqlite3_column_int(st, 5);
	w->before = sqlite3_column_double(st, 6);
	w->written = sqlite3_column_double(st, 7);
	w->readback = sqlite3_column_double(st, 8);
	w->raw_before = (unsigned)sqlite3_column_int(st, 9);
	w->raw_written = (unsigned)sqlite3_column_int(st, 10);
	w->raw_readback = (unsigned)sqlite3_column_int(st, 11);
	w->ok = sqlite3_column_int(st, 12);
	w->confirmed_by = rec_col_text(st, 13);
	w->wall_ms = sqlite3_column_int64(st, 14);
}

static void event_row(sqlite3_stmt *st, void *arg)
{
	struct records_session *s = arg;
	struct records_event *e;

	s->events = xrealloc(s->events, (s->nevents + 1) * sizeof *s->events);
	e = &s->events[s->nevents++];
	e->id = sqlite3_column_int64(st, 0);
	e->seq = sqlite3_column_int64(st, 1);
	e->kind = rec_col_text(st, 2);
	e->detail = rec_col_text(st, 3);
	e->wall_ms = sqlite3_column_int64(st, 4);
}

static void review_row(sqlite3_stmt *st, void *arg)
{
	struct records_session *s = arg;
	struct records_review *v;

	s->reviews = xrealloc(s->reviews, (s->nreviews + 1) * sizeof *s->reviews);
	v = &s->reviews[s->nreviews++];
	v->id = sqlite3_column_int64(st, 0);
	v->seq = sqlite3_column_int64(st, 1);
	v->reviewer = rec_col_text(st, 2);
	v->approved = sqlite3_column_int(st, 3);
	v->comment = rec_col_text(st, 4);
	v->wall_ms = sqlite3_column_int64(st, 5);
}

static int load_steps(struct records *r, struct records_session *s, struct zcs_err *err)
{
	struct steps_acc a = { s, 0 };

	if (each_row(r, "SELECT id, seq, step_id, section, title, status, started_ms,"
		     " ended_ms, detail, remedy, reason, override_by, hash,"
		     " id=(SELECT max(id) FROM verdicts w WHERE w.session_id=v.session_id"
		     " AND w.step_id=v.step_id)"
		     " FROM verdicts v WHERE session_id=? ORDER BY seq, id", s->sum.id, step_row,
		     &a, err) < 0)
		return -1;
	for (size_t i = 0; i < s->nsteps; i++)
		if (each_row(r, "SELECT key, value FROM inputs WHERE verdict_id=? ORDER BY idx",
			     s->steps[i].id, input_row, &s->steps[i], err) < 0 ||
		    each_row(r, "SELECT name, unit, value, text, raw, slave, wall_ms FROM samples"
			     " WHERE verdict_id=? ORDER BY idx", s->steps[i].id, sample_row,
			     &s->steps[i], err) < 0)
			return -1;
	return 0;
}

int records_load(struct records *r, long long id, struct records_session **out,
		 struct zcs_err *err)
{
	struct records_filter f;
	struct records_summary *sum = NULL;
	struct records_session *s;
	size_t n = 0;

	*out = NULL;
	records_filter_init(&f);
	if (query(r, &f, id, &sum, &n, err) < 0)
		return -1;
	if (n != 1) {
		records_free_list(sum, n);
		return zcs_fail(err, ZCS_USAGE, "there is no session %lld in %s: see "
				"'zcs-commission records list'", id, r->path);
	}
	s = xcalloc(1, sizeof *s);
	s->sum = sum[0];
	free(sum);
	if (each_row(r, "SELECT layout, family, fw_com, fw_master, fw_slave, link,"
		     " checklist_version, checklist_hash, head_seq, head_hash FROM sessions"
		     " WHERE id=?", id, session_row, s, err) < 0 ||
	    load_steps(r, s, err) < 0 ||
	    each_row(r, "SELECT id, seq, step_id, reg, addr, slave, before, written, readback,"
		     " raw_before, raw_written, raw_readback, ok, confirmed_by, wall_ms"
		     " FROM writes WHERE session_id=? ORDER BY seq, id", id, write_row, s,
		     err) < 0 ||
	    each_row(r, "SELECT id, seq, kind, detail, wall_ms FROM events WHERE session_id=?"
		     " ORDER BY seq, id", id, event_row, s, err) < 0 ||
	    each_row(r, "SELECT id, seq, reviewer, approved, comment, wall_ms FROM reviews"
		     " WHERE session_id=? ORDER BY seq, id", id, review_row, s, err) < 0) {
		records_free_session(s);
		return -1;
	}
	*out = s;
	return 0;
}

void records_free_session(struct records_session *s)
{
	if (!s)
		return;
	free_summary(&s->sum);
	free(s->layout);
	free(s->family);
	free(s->fw_com);
	free(s->fw_master);
	free(s->fw_slave);
	free(s->link);
	free(s->checklist_version);
	free(s->checklist_hash);
	for (size_t i = 0; i < s->nsteps; i++) {
		struct records_step *p = &s->steps[i];

		free(p->step_id);
		free(p->section);
		free(p->title);
		free(p->detail);
		free(p->remedy);
		free(p->reason);
		free(p->override_by);
		for (size_t k = 0; k < p->ninputs; k++) {
			free(p->inputs[k].key);
			free(p->inputs[k].value);
		}
		free(p->inputs);
		for (size_t k = 0; k < p->nsamples; k++) {
			free(p->samples[k].name);
			free(p->samples[k].unit);
			free(p->samples[k].text);
			free(p->samples[k].raw);
		}
		free(p->samples);
	}
	free(s->steps);
	for (size_t i = 0; i < s->nwrites; i++) {
		free(s->writes[i].step_id);
		free(s->writes[i].reg);
		free(s->writes[i].confirmed_by);
	}
	free(s->writes);
	for (size_t i = 0; i < s->nevents; i++) {
		free(s->events[i].kind);
		free(s->events[i].detail);
	}
	free(s->events);
	for (size_t i = 0; i < s->nreviews; i++) {
		free(s->reviews[i].reviewer);
		free(s->reviews[i].comment);
	}
	free(s->reviews);
	free(s);
}

/* ---- reviews ---- */

struct review_arg {
	long long id;
	int approve;
	const char *by, *comment;
	int64_t wall_ms;
};

static int insert_review(struct records *r, const struct review_arg *a, long long *review_id,
			 struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO reviews(session_id, reviewer, approved,"
				       " comment, wall_ms, signer) VALUES (?, ?, ?, ?, ?, ?)", err);
	const struct rec_key *k = rec_key(r, err);
	int rc;

	if (!st || !k) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_bind_int64(st, 1, a->id);
	rec_bind_text(st, 2, a->by);
	sqlite3_bind_int(st, 3, a->approve ? 1 : 0);
	rec_bind_text(st, 4, a->comment);
	sqlite3_bind_int64(st, 5, a->wall_ms);
	rec_bind_text(st, 6, k->pub_hex);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rec_fail(r, rc, "recording the review", err);
	*review_id = sqlite3_last_insert_rowid(r->db);
	if (rec_chain_append(r, a->id, REC_REVIEW, *review_id, err) < 0)
		return -1;
	return rec_summary_update(r, a->id, err);
}

/* Read outside any write transaction: the session, its chain, signatures
 * and summary.  Fills *head_seq with the head that was checked. */
static int may_review(struct records *r, const struct review_arg *a, long long *head_seq,
		      struct zcs_err *err)
{
	struct records_session *s;
	struct records_verify v;
	char why[600];
	int rc = 0;

	if (records_load(r, a->id, &s, err) < 0)
		return -1;
	*head_seq = s->head_seq;
	if (a->approve && s->sum.state != RECORDS_COMPLETE)
		rc = zcs_fail(err, ZCS_USAGE, "session %lld is not finished (it stopped at %s): "
			      "it cannot be approved; resume it first, or reject it", a->id,
			      s->sum.current_step ? s->sum.current_step : "its start");
	records_free_session(s);
	if (rc < 0 || !a->approve)
		return rc;
	if (records_verify(r, a->id, &v, err) < 0)
		return -1;
	if (v.nrecords != *head_seq)
		*head_seq = -1;
	if (!records_verified_for_approval(&v, why, sizeof why))
		return zcs_fail(err, ZCS_DB, "session %lld cannot be approved: %s", a->id, why);
	return 0;
}

/* The head the review was decided on is still the head. */
static int head_unchanged(struct records *r, long long id, long long head_seq,
			  struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT head_seq FROM sessions WHERE id=?", err);
	long long now = -2;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		now = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (now == head_seq)
		return 0;
	return zcs_fail(err, ZCS_DB, "session %lld changed while it was being reviewed: "
			"review it again", id);
}

int rec_review_insert(struct records *r, long long id, int approve, const char *by,
		      const char *comment, int64_t wall_ms, struct zcs_err *err)
{
	struct review_arg a = { id, approve, by, comment && *comment ? comment : NULL, wall_ms };
	long long rid = 0;

	return insert_review(r, &a, &rid, err);
}

/* The checks read outside any transaction (a commissioning running on the
 * same file goes on); the write is one short transaction that only checks
 * the head did not move and appends the review.  On success that write
 * transaction is still open: the caller adds to it and commits. */
int rec_review_at(struct records *r, long long id, int approve, const char *by,
		  const char *comment, int64_t wall_ms, long long *review_id, struct zcs_err *err)
{
	struct review_arg a = { id, approve, by, comment && *comment ? comment : NULL, wall_ms };
	long long head_seq = 0, rid = 0;
	int rc;

	if (!by || !*by)
		return zcs_fail(err, ZCS_USAGE, "a review needs the reviewer's name (--by NAME)");
	rec_read_begin(r);
	rc = may_review(r, &a, &head_seq, err);
	rec_read_end(r);
	if (rc < 0)
		return -1;
	if (head_seq < 0)
		return zcs_fail(err, ZCS_DB, "session %lld changed while it was being reviewed: "
				"review it again", id);
	if (!rec_key(r, err) || rec_begin(r, err) < 0)
		return -1;
	if (head_unchanged(r, id, head_seq, err) < 0 || insert_review(r, &a, &rid, err) < 0) {
		rec_rollback(r);
		return -1;
	}
	if (review_id)
		*review_id = rid;
	return 0;
}

int records_review(struct records *r, long long id, int approve, const char *by,
		   const char *comment, struct zcs_err *err)
{
	if (rec_review_at(r, id, approve, by, comment, zcs_wall_ms(), NULL, err) < 0)
		return -1;
	return rec_commit(r, err);
}
