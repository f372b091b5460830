/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_observe: the engine's observer on SQLite, and what a killed
 * session gives back to resume it.  Every hook is one committed
 * transaction. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/i18n.h"
#include "records/records_int.h"

static const char *const status_words[] = {
	[ENG_PENDING] = "pending", [ENG_ACTIVE] = "active", [ENG_CHECKING] = "checking",
	[ENG_PASSED] = "passed", [ENG_FAILED] = "failed", [ENG_SKIPPED] = "skipped",
	[ENG_NA] = "n/a",
};

const char *records_status_word(enum eng_status st)
{
	if ((unsigned)st < ZCS_ARRAY_LEN(status_words))
		return status_words[st];
	return "unknown";
}

enum eng_status rec_status_parse(const char *s)
{
	for (size_t i = 0; s && i < ZCS_ARRAY_LEN(status_words); i++)
		if (strcmp(s, status_words[i]) == 0)
			return (enum eng_status)i;
	return ENG_PENDING;
}

static int done(struct records *r, sqlite3_stmt *st, const char *doing, struct zcs_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, doing, err);
}

static int need_session(struct records *r, struct zcs_err *err)
{
	if (r->session)
		return 0;
	return zcs_fail(err, ZCS_DB, "nothing can be recorded before the session has begun");
}

/* Run body inside one transaction; commit or roll back. */
static int in_txn(struct records *r, int (*body)(struct records *, const void *, struct zcs_err *),
		  const void *arg, struct zcs_err *err)
{
	if (rec_begin(r, err) < 0)
		return -1;
	if (body(r, arg, err) < 0) {
		rec_rollback(r);
		return -1;
	}
	return rec_commit(r, err);
}

static int insert_event(struct records *r, const char *kind, const char *detail, int64_t ms,
			struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO events(session_id, kind, detail, wall_ms) "
				       "VALUES (?, ?, ?, ?)", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	rec_bind_text(st, 2, kind);
	rec_bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, ms);
	if (done(r, st, "recording an event", err) < 0)
		return -1;
	return rec_chain_append(r, r->session, REC_EVENT, sqlite3_last_insert_rowid(r->db), err);
}

static int store_early(struct records *r, struct zcs_err *err);
static void drop_early(struct records *r);

/* ---- session_begin ---- */

static int new_session(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct eng_session_info *in = arg;
	sqlite3_stmt *st = rec_prepare(r,
		"INSERT INTO sessions(installer, site, customer, serial, layout, family, model,"
		" fw_com, fw_master, fw_slave, link, checklist_version, checklist_hash, training,"
		" started_ms, chain, signer) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,2,?)", err);
	const struct rec_key *k = rec_key(r, err);
	const char *text[] = { in->installer, in->site, in->customer, in->serial, in->layout,
			       in->family, in->model, in->fw_com, in->fw_master, in->fw_slave,
			       in->link, in->checklist_version, in->checklist_hash };

	if (!st || !k) {
		sqlite3_finalize(st);
		return -1;
	}
	for (int i = 0; i < (int)ZCS_ARRAY_LEN(text); i++)
		rec_bind_text(st, i + 1, text[i]);
	sqlite3_bind_int(st, 14, in->training ? 1 : 0);
	sqlite3_bind_int64(st, 15, in->started_ms ? in->started_ms : zcs_wall_ms());
	rec_bind_text(st, 16, k->pub_hex);
	if (done(r, st, "starting a session", err) < 0)
		return -1;
	r->session = sqlite3_last_insert_rowid(r->db);
	if (rec_chain_append(r, r->session, REC_SESSION, r->session, err) < 0)
		return -1;
	if (store_early(r, err) < 0)
		return -1;
	/* The session's language, a chained event: a session without one is
	 * English (every session recorded before languages were). */
	if (strcmp(i18n_lang(), "en") != 0)
		return insert_event(r, "language", i18n_lang(), zcs_wall_ms(), err);
	return 0;
}

static int same_unit(struct records *r, long long id, const char *serial, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT serial FROM sessions WHERE id=?", err);
	char *was = NULL;
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		was = rec_col_text(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? zcs_fail(err, ZCS_USAGE, "there is no session %lld to "
						    "resume", id)
					 : rec_fail(r, rc, "reading the session", err);
	rc = 0;
	if (was && *was && serial && *serial && strcmp(was, serial) != 0)
		rc = zcs_fail(err, ZCS_USAGE, "the unit connected now (serial %s) is not the one "
			      "session %lld was commissioning (serial %s): connect that unit, or "
			      "start a new session with 'zcs-commission run'", serial, id, was);
	free(was);
	return rc;
}

static int resumed(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct eng_session_info *in = arg;
	char *detail = xasprintf("resumed over %s", in->link ? in->link : "the link");
	int rc;

	r->session = r->attach;
	rc = insert_event(r, "resumed", detail, in->started_ms ? in->started_ms : zcs_wall_ms(),
			  err);
	free(detail);
	return rc < 0 ? -1 : store_early(r, err);
}

static int h_session_begin(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct records *r = ctx;

	int rc;

	if (r->attach && same_unit(r, r->attach, info->serial, err) < 0)
		return -1;
	rc = in_txn(r, r->attach ? resumed : new_session, info, err);
	if (rc < 0)
		r->session = 0;
	else
		drop_early(r);
	return rc;
}

/* ---- the unit, identified once it has power ---- */

static int identified(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct eng_session_info *in = arg;
	sqlite3_stmt *st = rec_prepare(r,
		"UPDATE sessions SET serial=?, layout=?, family=?, model=?, fw_com=?, fw_master=?,"
		" fw_slave=? WHERE id=?", err);
	const char *text[] = { in->serial, in->layout, in->family, in->model, in->fw_com,
			       in->fw_master, in->fw_slave };
	char *detail;
	int rc;

	if (!st)
		return -1;
	for (int i = 0; i < (int)ZCS_ARRAY_LEN(text); i++)
		rec_bind_text(st, i + 1, text[i]);
	sqlite3_bind_int64(st, 8, r->session);
	if (done(r, st, "recording the unit's identity", err) < 0)
		return -1;
	/* the header's unit columns are filled late: this chained event seals them */
	detail = xasprintf("serial %s, model %s, family %s, layout %s, firmware COM %s master %s "
			   "slave %s", in->serial ? in->serial : "-", in->model ? in->model : "-",
			   in->family ? in->family : "-", in->layout ? in->layout : "-",
			   in->fw_com ? in->fw_com : "-", in->fw_master ? in->fw_master : "-",
			   in->fw_slave ? in->fw_slave : "-");
	rc = insert_event(r, "identified", detail, zcs_wall_ms(), err);
	free(detail);
	return rc;
}

static int h_unit_identified(void *ctx, const struct eng_session_info *info, struct zcs_err *err)
{
	struct records *r = ctx;

	if (need_session(r, err) < 0 || same_unit(r, r->session, info->serial, err) < 0)
		return -1;
	return in_txn(r, identified, info, err);
}

/* ---- answers, steps ---- */

/* An answer and a step entered are chained records; the session's
 * current_step is the last step entered (checked by records_verify). */
static int store_answer(struct records *r, const char *step_id, const char *key,
			const char *value, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO answers(session_id, step_id, key, value,"
				       " wall_ms) VALUES (?, ?, ?, ?, ?)", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	rec_bind_text(st, 2, step_id ? step_id : "");
	rec_bind_text(st, 3, key ? key : "");
	rec_bind_text(st, 4, value);
	sqlite3_bind_int64(st, 5, zcs_wall_ms());
	if (done(r, st, "recording an answer", err) < 0)
		return -1;
	return rec_chain_append(r, r->session, REC_ANSWER, sqlite3_last_insert_rowid(r->db), err);
}

static int store_step(struct records *r, const char *step_id, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO step_entries(session_id, step_id, wall_ms)"
				       " VALUES (?, ?, ?)", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	rec_bind_text(st, 2, step_id);
	sqlite3_bind_int64(st, 3, zcs_wall_ms());
	if (done(r, st, "recording the current step", err) < 0 ||
	    rec_chain_append(r, r->session, REC_STEP, sqlite3_last_insert_rowid(r->db), err) < 0)
		return -1;
	if (!(st = rec_prepare(r, "UPDATE sessions SET current_step=? WHERE id=?", err)))
		return -1;
	rec_bind_text(st, 1, step_id);
	sqlite3_bind_int64(st, 2, r->session);
	return done(r, st, "recording the current step", err);
}

struct answer_arg {
	const char *step_id, *key, *value;
};

static int answer_body(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct answer_arg *a = arg;

	return store_answer(r, a->step_id, a->key, a->value, err);
}

static int step_body(struct records *r, const void *arg, struct zcs_err *err)
{
	return store_step(r, arg, err);
}

/* Before session_begin there is no session row yet: keep answers and the
 * step in memory; session_begin stores them in its own transaction. */
static void keep_early(struct records *r, const char *step_id, const char *key,
		       const char *value)
{
	r->early = xrealloc(r->early, (r->nearly + 1) * sizeof *r->early);
	r->early[r->nearly].key = xasprintf("%s\x1f%s", step_id ? step_id : "", key ? key : "");
	r->early[r->nearly].value = value ? xstrdup(value) : NULL;
	r->nearly++;
}

static int store_early(struct records *r, struct zcs_err *err)
{
	for (size_t i = 0; i < r->nearly; i++) {
		char *sep = strchr(r->early[i].key, '\x1f');

		*sep = '\0';
		if (store_answer(r, r->early[i].key, sep + 1, r->early[i].value, err) < 0) {
			*sep = '\x1f';
			return -1;
		}
		*sep = '\x1f';
	}
	return r->early_step ? store_step(r, r->early_step, err) : 0;
}

static void drop_early(struct records *r)
{
	for (size_t i = 0; i < r->nearly; i++) {
		free(r->early[i].key);
		free(r->early[i].value);
	}
	free(r->early);
	r->early = NULL;
	r->nearly = 0;
	free(r->early_step);
	r->early_step = NULL;
}

static int h_answer(void *ctx, const char *step_id, const char *key, const char *value,
		    struct zcs_err *err)
{
	struct records *r = ctx;

	if (!r->session) {
		keep_early(r, step_id, key, value);
		return 0;
	}
	struct answer_arg a = { step_id, key, value };

	return in_txn(r, answer_body, &a, err);
}

static int h_step_enter(void *ctx, const char *step_id, struct zcs_err *err)
{
	struct records *r = ctx;

	if (!r->session) {
		free(r->early_step);
		r->early_step = step_id ? xstrdup(step_id) : NULL;
		return 0;
	}
	return in_txn(r, step_body, step_id, err);
}

/* ---- verdicts ---- */

static char *raw_text(const uint16_t *raw, unsigned n)
{
	char *s = xmalloc((size_t)n * 7 + 1), *o = s;

	*o = '\0';
	for (unsigned i = 0; i < n; i++)
		o += sprintf(o, "%s0x%04X", i ? " " : "", raw[i]);
	return s;
}

static int insert_inputs(struct records *r, long long vid, const struct eng_verdict *v,
			 struct zcs_err *err)
{
	for (size_t i = 0; i < v->ninputs; i++) {
		sqlite3_stmt *st = rec_prepare(r, "INSERT INTO inputs(verdict_id, idx, key, value)"
					       " VALUES (?, ?, ?, ?)", err);

		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, vid);
		sqlite3_bind_int64(st, 2, (long long)i);
		rec_bind_text(st, 3, v->inputs[i].key ? v->inputs[i].key : "");
		rec_bind_text(st, 4, v->inputs[i].value);
		if (done(r, st, "recording the step's inputs", err) < 0)
			return -1;
	}
	return 0;
}

static int insert_sample(struct records *r, long long vid, size_t idx,
			 const struct eng_sample *s, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO samples(verdict_id, idx, name, unit,"
				       " value, text, raw, slave, wall_ms)"
				       " VALUES (?,?,?,?,?,?,?,?,?)", err);
	char *raw;

	if (!st)
		return -1;
	raw = raw_text(s->raw, s->raw ? s->nraw : 0);
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int64(st, 2, (long long)idx);
	rec_bind_text(st, 3, s->name ? s->name : "");
	rec_bind_text(st, 4, s->unit);
	sqlite3_bind_double(st, 5, s->value);
	rec_bind_text(st, 6, s->text);
	rec_bind_text(st, 7, raw);
	sqlite3_bind_int(st, 8, s->slave);
	sqlite3_bind_int64(st, 9, s->wall_ms);
	free(raw);
	return done(r, st, "recording the evidence", err);
}

static int insert_verdict(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct eng_verdict *v = arg;
	sqlite3_stmt *st = rec_prepare(r,
		"INSERT INTO verdicts(session_id, step_id, section, title, status, started_ms,"
		" ended_ms, detail, remedy, reason, override_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		err);
	long long vid;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	rec_bind_text(st, 2, v->step_id ? v->step_id : "");
	rec_bind_text(st, 3, v->section);
	rec_bind_text(st, 4, v->title);
	rec_bind_text(st, 5, records_status_word(v->status));
	sqlite3_bind_int64(st, 6, v->started_ms);
	sqlite3_bind_int64(st, 7, v->ended_ms);
	rec_bind_text(st, 8, v->detail);
	rec_bind_text(st, 9, v->remedy);
	rec_bind_text(st, 10, v->reason);
	rec_bind_text(st, 11, v->override_by);
	if (done(r, st, "recording a verdict", err) < 0)
		return -1;
	vid = sqlite3_last_insert_rowid(r->db);
	if (insert_inputs(r, vid, v, err) < 0)
		return -1;
	for (size_t i = 0; i < v->nsamples; i++)
		if (insert_sample(r, vid, i, &v->samples[i], err) < 0)
			return -1;
	if (rec_chain_append(r, r->session, REC_VERDICT, vid, err) < 0)
		return -1;
	return rec_summary_update(r, r->session, err);
}

static int h_verdict(void *ctx, const struct eng_verdict *v, struct zcs_err *err)
{
	struct records *r = ctx;

	if (need_session(r, err) < 0)
		return -1;
	return in_txn(r, insert_verdict, v, err);
}

/* ---- writes, link events, end ---- */

static int insert_write(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct eng_write *w = arg;
	sqlite3_stmt *st = rec_prepare(r,
		"INSERT INTO writes(session_id, step_id, reg, addr, slave, before, written,"
		" readback, raw_before, raw_written, raw_readback, ok, confirmed_by, wall_ms)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	rec_bind_text(st, 2, w->step_id);
	rec_bind_text(st, 3, w->reg ? w->reg : "");
	sqlite3_bind_int64(st, 4, w->addr);
	sqlite3_bind_int(st, 5, w->slave);
	sqlite3_bind_double(st, 6, w->before);
	sqlite3_bind_double(st, 7, w->written);
	sqlite3_bind_double(st, 8, w->readback);
	sqlite3_bind_int(st, 9, w->raw_before);
	sqlite3_bind_int(st, 10, w->raw_written);
	sqlite3_bind_int(st, 11, w->raw_readback);
	sqlite3_bind_int(st, 12, w->ok ? 1 : 0);
	rec_bind_text(st, 13, w->confirmed_by);
	sqlite3_bind_int64(st, 14, w->wall_ms);
	if (done(r, st, "recording a write", err) < 0)
		return -1;
	return rec_chain_append(r, r->session, REC_WRITE, sqlite3_last_insert_rowid(r->db), err);
}

static int h_write(void *ctx, const struct eng_write *w, struct zcs_err *err)
{
	struct records *r = ctx;

	if (need_session(r, err) < 0)
		return -1;
	return in_txn(r, insert_write, w, err);
}

struct event_arg {
	const char *kind, *detail;
	int64_t ms;
};

static int event_body(struct records *r, const void *arg, struct zcs_err *err)
{
	const struct event_arg *a = arg;

	return insert_event(r, a->kind, a->detail, a->ms, err);
}

static int h_link_event(void *ctx, const char *what, const char *detail, int64_t wall_ms,
			struct zcs_err *err)
{
	struct records *r = ctx;
	struct event_arg a = { what ? what : "link", detail, wall_ms ? wall_ms : zcs_wall_ms() };

	if (need_session(r, err) < 0)
		return -1;
	return in_txn(r, event_body, &a, err);
}

/* The closing record names the record count (itself included) and is
 * signed: a chain cut short no longer ends in it. */
static int insert_closing(struct records *r, int64_t now, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "INSERT INTO closings(session_id, complete, nrecords,"
				       " wall_ms) VALUES (?1, 1, (SELECT head_seq + 1 FROM sessions"
				       " WHERE id=?1), ?2)", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->session);
	sqlite3_bind_int64(st, 2, now);
	if (done(r, st, "closing the session", err) < 0)
		return -1;
	return rec_chain_append(r, r->session, REC_CLOSE, sqlite3_last_insert_rowid(r->db), err);
}

static int end_body(struct records *r, const void *arg, struct zcs_err *err)
{
	int complete = *(const int *)arg;
	int64_t now = zcs_wall_ms();
	sqlite3_stmt *st;

	if (insert_event(r, complete ? "ended" : "stopped",
			 complete ? "every applicable step passed"
				  : "stopped: not every applicable step has passed yet", now,
			 err) < 0)
		return -1;
	if (complete && insert_closing(r, now, err) < 0)
		return -1;
	st = rec_prepare(r, complete ? "UPDATE sessions SET complete=1, ended_ms=?,"
				       " current_step=NULL WHERE id=?"
				     : "UPDATE sessions SET ended_ms=? WHERE id=?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, r->session);
	if (done(r, st, "closing the session", err) < 0)
		return -1;
	return rec_summary_update(r, r->session, err);
}

static int h_session_end(void *ctx, int complete, struct zcs_err *err)
{
	struct records *r = ctx;

	if (need_session(r, err) < 0)
		return -1;
	return in_txn(r, end_body, &complete, err);
}

void records_observer(struct records *r, struct eng_observer *out)
{
	memset(out, 0, sizeof *out);
	out->ctx = r;
	out->session_begin = h_session_begin;
	out->answer = h_answer;
	out->step_enter = h_step_enter;
	out->verdict = h_verdict;
	out->write = h_write;
	out->link_event = h_link_event;
	out->session_end = h_session_end;
	out->unit_identified = h_unit_identified;
}

/* ---- resume ---- */

int records_attach(struct records *r, long long id, struct zcs_err *err)
{
	struct records_verify v;

	if (records_verify(r, id, &v, err) < 0)
		return -1;
	if (v.problem != RECORDS_INTACT)
		return zcs_fail(err, ZCS_DB, "session %lld cannot be continued: %s", id, v.message);
	r->attach = id;
	r->session = 0;
	return 0;
}

static long long latest_unfinished(struct records *r, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT id FROM sessions WHERE complete=0"
				       " ORDER BY started_ms DESC, id DESC LIMIT 1", err);
	long long id = 0;
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rec_fail(r, rc, "looking for an unfinished session", err);
	return id;
}

static int load_head(struct records *r, long long id, struct eng_resume *out,
		     struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT installer, site, customer, training,"
				       " current_step, complete FROM sessions WHERE id=?", err);
	int rc, complete = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->installer = rec_col_text(st, 0);
		out->site = rec_col_text(st, 1);
		out->customer = rec_col_text(st, 2);
		out->training = sqlite3_column_int(st, 3);
		out->current_step = rec_col_text(st, 4);
		complete = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return zcs_fail(err, ZCS_USAGE, "there is no session %lld in %s: see "
				"'zcs-commission records list'", id, r->path);
	if (rc != SQLITE_ROW)
		return rec_fail(r, rc, "reading the session", err);
	if (complete)
		return zcs_fail(err, ZCS_USAGE, "session %lld is complete: there is nothing to "
				"resume", id);
	return 0;
}

struct resume_rows {
	struct eng_resume *out;
	size_t cap;
};

static void answer_row(sqlite3_stmt *st, void *arg)
{
	struct resume_rows *rr = arg;
	struct eng_resume *out = rr->out;

	if (out->nanswers == rr->cap)
		out->answers = xrealloc(out->answers, (rr->cap = rr->cap * 2 + 16) *
					sizeof *out->answers);
	out->answers[out->nanswers].key = rec_col_text(st, 0);
	out->answers[out->nanswers].value = rec_col_text(st, 1);
	if (!out->answers[out->nanswers].value)
		out->answers[out->nanswers].value = xstrdup("");
	out->nanswers++;
}

static int load_answers(struct records *r, long long id, struct eng_resume *out,
			struct zcs_err *err)
{
	struct resume_rows rr = { out, 0 };

	return rec_each_row(r, "SELECT step_id || '.' || key, value FROM answers a"
			    " WHERE session_id=?1 AND id=(SELECT max(id) FROM answers b WHERE"
			    " b.session_id=?1 AND b.step_id=a.step_id AND b.key=a.key)"
			    " ORDER BY id", id, answer_row, &rr, "reading the answers", err);
}

static void step_row(sqlite3_stmt *st, void *arg)
{
	struct resume_rows *rr = arg;
	struct eng_resume *out = rr->out;

	if (out->nsteps == rr->cap)
		out->steps = xrealloc(out->steps, (rr->cap = rr->cap * 2 + 16) * sizeof *out->steps);
	out->steps[out->nsteps].step_id = rec_col_text(st, 0);
	out->steps[out->nsteps].status =
		rec_status_parse((const char *)sqlite3_column_text(st, 1));
	out->nsteps++;
}

static int load_steps(struct records *r, long long id, struct eng_resume *out,
		      struct zcs_err *err)
{
	struct resume_rows rr = { out, 0 };

	return rec_each_row(r, "SELECT step_id, status FROM verdicts v"
			    " WHERE session_id=?1 AND id=(SELECT max(id) FROM verdicts"
			    " WHERE session_id=?1 AND step_id=v.step_id) ORDER BY id", id,
			    step_row, &rr, "reading the verdicts", err);
}

int records_load_resume(struct records *r, long long id, struct eng_resume *out,
			struct zcs_err *err)
{
	memset(out, 0, sizeof *out);
	if (id == 0 && (id = latest_unfinished(r, err)) <= 0)
		return id < 0 ? -1 : 0;
	out->session_id = id;
	if (load_head(r, id, out, err) < 0 || load_answers(r, id, out, err) < 0 ||
	    load_steps(r, id, out, err) < 0) {
		records_free_resume(out);
		return -1;
	}
	return 1;
}

void records_free_resume(struct eng_resume *res)
{
	if (!res)
		return;
	free(res->installer);
	free(res->site);
	free(res->customer);
	for (size_t i = 0; i < res->nanswers; i++) {
		free((char *)res->answers[i].key);
		free((char *)res->answers[i].value);
	}
	free(res->answers);
	for (size_t i = 0; i < res->nsteps; i++)
		free(res->steps[i].step_id);
	free(res->steps);
	free(res->current_step);
	memset(res, 0, sizeof *res);
}
