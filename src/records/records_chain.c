/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_chain: the per-session hash chain, its signatures, its
 * verification and the verified checkpoints.
 *
 * The canonical form of a record (records_sign.h) is built from the row as
 * stored, from a fixed list of columns per kind and chain version, so what
 * is hashed is exactly what a later reader sees and a column added later
 * does not change an old record's hash.  The walk over a session's records
 * (rec_walk) uses only the records' canonical bytes, hashes and signatures:
 * another store can feed it the same entries. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "records/records_int.h"

#define SESSION_COLS1 "id, installer, site, customer, serial, layout, family, model, fw_com," \
	" fw_master, fw_slave, link, checklist_version, checklist_hash, training, started_ms, seq"
#define REVIEW_COLS1 "id, session_id, reviewer, approved, comment, wall_ms, seq"

/* Every kind of chained record: its table, its canonical columns in chain
 * versions 1 and 2, how it is signed (0 not, 1 by the session's signer, 2
 * by its own `signer` column) and how a reviewer is told which it is. */
static const struct kind {
	const char *table, *cols1, *cols2;
	int sig;
	const char *what;
} kinds[REC_NKINDS] = {
	[REC_SESSION] = { "sessions", SESSION_COLS1, SESSION_COLS1 ", chain, signer", 0,
			  "'the session''s header (unit, installer, checklist, signer)'" },
	[REC_VERDICT] = { "verdicts",
			  "id, session_id, step_id, section, title, status, started_ms, ended_ms,"
			  " detail, remedy, reason, override_by, seq", NULL, 1,
			  "'the verdict of step ' || step_id || ' (' || status || ')'" },
	[REC_WRITE] = { "writes",
			"id, session_id, step_id, reg, addr, slave, \"before\", written, readback,"
			" raw_before, raw_written, raw_readback, ok, confirmed_by, wall_ms, seq",
			NULL, 0, "'the write of ' || reg" },
	[REC_EVENT] = { "events", "id, session_id, kind, detail, wall_ms, seq", NULL, 0,
			"'the ' || kind || ' event'" },
	[REC_REVIEW] = { "reviews", REVIEW_COLS1, REVIEW_COLS1 ", signer", 2,
			 "'the review by ' || reviewer" },
	[REC_ANSWER] = { "answers", "id, session_id, step_id, \"key\", value, wall_ms, seq", NULL,
			 0, "'the answer ' || step_id || '.' || \"key\"" },
	[REC_STEP] = { "step_entries", "id, session_id, step_id, wall_ms, seq", NULL, 0,
		       "'the start of step ' || coalesce(step_id, '(none)')" },
	[REC_CLOSE] = { "closings", "id, session_id, complete, nrecords, wall_ms, seq", NULL, 1,
			"'the closing record'" },
};

static const char *cols(enum rec_kind k, int chain)
{
	return chain >= 2 && kinds[k].cols2 ? kinds[k].cols2 : kinds[k].cols1;
}

/* The unit's columns of a session begun before power-up (section 12) are
 * filled when the unit answers.  The header then hashes them as they were
 * (empty) and the chained "identified" event hashes them as they are, so a
 * later change to either is found. */
#define UNIT_COLS "serial, layout, family, model, fw_com, fw_master, fw_slave"
#define UNIT_NULLS "NULL AS serial, NULL AS layout, NULL AS family, NULL AS model," \
	" NULL AS fw_com, NULL AS fw_master, NULL AS fw_slave"

/* 1 when the sql (one parameter: id) returns a row, 0 when not, -1 failed. */
static int exists(struct records *r, const char *sql, long long id, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rec_fail(r, rc, "reading a record", err);
	return rc == SQLITE_ROW;
}

/* The canonical columns of a record: a late-identified session's header
 * with its unit as it was when the session began. */
static char *canon_cols(struct records *r, enum rec_kind kind, long long id, int chain,
			struct zcs_err *err)
{
	const char *c = cols(kind, chain), *u;
	int late;

	if (kind != REC_SESSION || !(u = strstr(c, UNIT_COLS)))
		return xstrdup(c);
	late = exists(r, "SELECT 1 FROM events WHERE session_id=? AND kind='identified'", id, err);
	if (late < 0)
		return NULL;
	if (!late)
		return xstrdup(c);
	return xasprintf("%.*s%s%s", (int)(u - c), c, UNIT_NULLS, u + strlen(UNIT_COLS));
}

const char *rec_kind_name(enum rec_kind k)
{
	return kinds[k].table;
}

/* ---- canonical form, from SQLite ---- */

static void c_column(struct rec_canon *c, sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		rec_canon_null(c, name);
		break;
	case SQLITE_INTEGER:
		rec_canon_int(c, name, (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		rec_canon_real(c, name, sqlite3_column_double(st, i));
		break;
	case SQLITE_BLOB:
		rec_canon_blob(c, name, sqlite3_column_blob(st, i),
			       (size_t)sqlite3_column_bytes(st, i));
		break;
	default: {
		const char *s = (const char *)sqlite3_column_text(st, i);

		rec_canon_text(c, name, s, (size_t)sqlite3_column_bytes(st, i));
	}
	}
}

static void c_row(struct rec_canon *c, sqlite3_stmt *st, int from)
{
	for (int i = from; i < sqlite3_column_count(st); i++)
		c_column(c, st, i);
}

static const char inputs_cols[] = "verdict_id, idx, \"key\", value";
static const char samples_cols[] = "verdict_id, idx, name, unit, value, text, raw, slave, wall_ms";

/* Append every row of `sql` (one parameter: id).  Returns rows or -1. */
static int c_rows(struct records *r, struct rec_canon *c, const char *sql, long long id,
		  struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc, rows = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		c_row(c, st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rec_fail(r, rc, "reading a record", err);
	return rows;
}

static int session_chain(struct records *r, long long session, int *chain, char *signer,
			 struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT chain, signer FROM sessions WHERE id=?", err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 1);

		*chain = sqlite3_column_int(st, 0);
		if (signer)
			zcs_strlcpy(signer, s ? (const char *)s : "", REC_KEY_HEX);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return zcs_fail(err, ZCS_DB, "session %lld is not in the records database %s",
				session, r->path);
	return rec_fail(r, rc, "reading the chain", err);
}

static char *canon_one(struct records *r, enum rec_kind kind, long long id, int chain,
		       size_t *len, struct zcs_err *err)
{
	struct rec_canon c = { 0 };
	char *kc = canon_cols(r, kind, id, chain, err);
	if (!kc)
		return NULL;
	char *sql = xasprintf("SELECT %s FROM %s WHERE id=?", kc, kinds[kind].table);
	char *in = xasprintf("SELECT %s FROM inputs WHERE verdict_id=? ORDER BY idx", inputs_cols);
	char *sm = xasprintf("SELECT %s FROM samples WHERE verdict_id=? ORDER BY idx", samples_cols);
	int rows;

	rec_canon_raw(&c, kinds[kind].table, strlen(kinds[kind].table));
	rec_canon_raw(&c, "\n", 1);
	rows = c_rows(r, &c, sql, id, err);
	free(kc);
	if (rows == 1 && kind == REC_EVENT) {
		int late = exists(r, "SELECT 1 FROM events WHERE id=? AND kind='identified'", id, err);
		if (late < 0) {
			rows = -1;
		} else if (late) {
			rec_canon_raw(&c, "unit\n", 5);
			if (c_rows(r, &c, "SELECT " UNIT_COLS " FROM sessions WHERE id=(SELECT"
				   " session_id FROM events WHERE id=?)", id, err) != 1)
				rows = -1;
		}
	}
	if (rows == 1 && kind == REC_VERDICT) {
		rec_canon_raw(&c, "inputs\n", 7);
		rows = c_rows(r, &c, in, id, err) < 0 ? -1 : 1;
		rec_canon_raw(&c, "samples\n", 8);
		if (rows == 1 && c_rows(r, &c, sm, id, err) < 0)
			rows = -1;
	}
	free(sql);
	free(in);
	free(sm);
	if (rows != 1) {
		if (rows == 0)
			zcs_fail(err, ZCS_DB, "record %lld of %s is gone", id, kinds[kind].table);
		rec_canon_free(&c);
		return NULL;
	}
	*len = c.n;
	return c.b;
}

char *rec_canon(struct records *r, enum rec_kind kind, long long id, size_t *len,
		struct zcs_err *err)
{
	int chain = 2;
	long long session = id;

	if (kind != REC_SESSION) {
		char *sql = xasprintf("SELECT session_id FROM %s WHERE id=?", kinds[kind].table);
		sqlite3_stmt *st = rec_prepare(r, sql, err);

		free(sql);
		if (!st)
			return NULL;
		sqlite3_bind_int64(st, 1, id);
		session = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_finalize(st);
	}
	if (session_chain(r, session, &chain, NULL, err) < 0)
		return NULL;
	return canon_one(r, kind, id, chain, len, err);
}

/* ---- appending ---- */

static int step_done(struct records *r, sqlite3_stmt *st, const char *doing,
		     struct zcs_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : rec_fail(r, rc, doing, err);
}

static int read_head(struct records *r, long long session, long long *seq, char hash[65],
		     struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT head_seq, head_hash FROM sessions WHERE id=?",
				       err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);

		*seq = sqlite3_column_int64(st, 0);
		zcs_strlcpy(hash, h ? (const char *)h : rec_zero_hash, 65);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return zcs_fail(err, ZCS_DB, "session %lld is not in the records database %s",
				session, r->path);
	return rec_fail(r, rc, "reading the chain", err);
}

static int set_column(struct records *r, enum rec_kind kind, const char *col, long long id,
		      long long num, const char *text, struct zcs_err *err)
{
	char sql[96];
	sqlite3_stmt *st;

	snprintf(sql, sizeof sql, "UPDATE %s SET %s=? WHERE id=?", kinds[kind].table, col);
	if (!(st = rec_prepare(r, sql, err)))
		return -1;
	if (text)
		rec_bind_text(st, 1, text);
	else
		sqlite3_bind_int64(st, 1, num);
	sqlite3_bind_int64(st, 2, id);
	return step_done(r, st, "chaining a record", err);
}

int rec_chain_append(struct records *r, long long session, enum rec_kind kind, long long id,
		     struct zcs_err *err)
{
	long long seq = 0;
	char prev[65], hash[65], sig[REC_SIG_HEX];
	int chain = 2;
	size_t n = 0;
	char *canon;
	sqlite3_stmt *st;

	if (read_head(r, session, &seq, prev, err) < 0 ||
	    session_chain(r, session, &chain, NULL, err) < 0)
		return -1;
	if (seq == 0)
		memcpy(prev, rec_zero_hash, sizeof prev);
	seq++;
	if (set_column(r, kind, "seq", id, seq, NULL, err) < 0 ||
	    !(canon = canon_one(r, kind, id, chain, &n, err)))
		return -1;
	rec_chain_next(prev, canon, n, hash);
	free(canon);
	if (set_column(r, kind, "hash", id, 0, hash, err) < 0)
		return -1;
	if (kinds[kind].sig && chain >= 2) {
		const struct rec_key *k = rec_key(r, err);

		if (!k)
			return -1;
		rec_key_sign(k, seq, hash, sig);
		if (set_column(r, kind, "sig", id, 0, sig, err) < 0)
			return -1;
	}
	st = rec_prepare(r, "UPDATE sessions SET head_seq=?, head_hash=? WHERE id=?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, seq);
	rec_bind_text(st, 2, hash);
	sqlite3_bind_int64(st, 3, session);
	return step_done(r, st, "chaining a record", err);
}

int rec_summary_update(struct records *r, long long session, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "UPDATE sessions SET " REC_SUMMARY_SET " WHERE id=?", err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	return step_done(r, st, "updating the session's summary", err);
}

/* ---- the walk: pure, over a session's entries ---- */

struct rec_entry {
	long long seq;                 /* -1: none stored */
	enum rec_kind kind;
	long long id;
	char hash[REC_HASH_HEX];
	char sig[REC_SIG_HEX];
	char signer[REC_KEY_HEX];      /* its own signer (reviews) */
	long long fact;                /* closings: the record count it names */
	char *what;
	struct rec_canon canon, in, sm;
};

static void problem(struct records_verify *v, enum records_problem p, long long seq,
		    const char *fmt, ...) ZCS_PRINTF(4, 5);
static void problem(struct records_verify *v, enum records_problem p, long long seq,
		    const char *fmt, ...)
{
	va_list ap;

	if (v->problem != RECORDS_INTACT)
		return;
	v->problem = p;
	v->seq = seq;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
}

static const char *what(const struct rec_entry *e)
{
	return e->what ? e->what : "a record";
}

/* Of the entries [i, j) sharing one seq, the one that chains from `prev`. */
static long genuine(const struct rec_entry *e, size_t i, size_t j, const char *prev)
{
	for (size_t k = i; k < j; k++) {
		char h[REC_HASH_HEX];

		rec_chain_next(prev, e[k].canon.b ? e[k].canon.b : "", e[k].canon.n, h);
		if (strcmp(h, e[k].hash) == 0)
			return (long)k;
	}
	return -1;
}

static void check_signature(const struct rec_entry *e, const char *session_signer,
			    struct records_verify *v)
{
	const char *key = kinds[e->kind].sig == 2 ? e->signer : session_signer;
	char fp[REC_FPR_LEN];

	if (!kinds[e->kind].sig)
		return;
	rec_fingerprint(key, fp);
	if (!*e->sig || !rec_sig_verify(key, e->seq, e->hash, e->sig)) {
		problem(v, RECORDS_FORGED, e->seq, "record %lld, %s, does not carry a valid "
			"signature of its signer's key %s: the chain was rewritten after it was "
			"signed", e->seq, what(e), *fp ? fp : "(none)");
		return;
	}
	if (e->kind != REC_REVIEW) {
		v->sig_seq = e->seq;
		zcs_strlcpy(v->sig, e->sig, sizeof v->sig);
	}
}

/* Walk entries sorted by (seq, kind, id), unnumbered ones last: the chain
 * from the zero hash, its numbering, the signatures (chain >= 2) and the
 * closing record.  Sets v->head, v->nrecords, v->closed, *last. */
static void rec_walk(const struct rec_entry *e, size_t n, int chain, const char *signer,
		     struct records_verify *v, long long *last)
{
	char prev[REC_HASH_HEX];
	long long expect = 1, closed_at = 0;
	size_t i = 0;

	memcpy(prev, rec_zero_hash, sizeof prev);
	while (i < n && e[i].seq >= 0) {
		size_t j = i + 1;
		long g;

		while (j < n && e[j].seq == e[i].seq)
			j++;
		if (e[i].seq != expect) {
			if (e[i].seq < expect)
				problem(v, RECORDS_INSERTED, e[i].seq, "record %lld, %s, repeats a "
					"record number already used: it was inserted after the "
					"session was recorded", e[i].seq, what(&e[i]));
			else
				problem(v, RECORDS_MISSING, expect, "record %lld is missing: it was "
					"deleted (the chain jumps from record %lld to record %lld, %s)",
					expect, expect - 1, e[i].seq, what(&e[i]));
		}
		g = genuine(e, i, j, prev);
		for (size_t k = i; k < j; k++) {
			if ((long)k == g || (g < 0 && k == i))
				continue;
			problem(v, RECORDS_INSERTED, e[k].seq, "record %lld, %s, shares its number "
				"with another record: it was inserted after the session was recorded",
				e[k].seq, what(&e[k]));
		}
		const struct rec_entry *x = &e[g >= 0 ? (size_t)g : i];

		if (g < 0)
			problem(v, RECORDS_ALTERED, x->seq, "record %lld, %s, was altered after "
				"it was recorded: what is stored no longer matches its hash",
				x->seq, what(x));
		if (chain >= 2)
			check_signature(x, signer, v);
		if (closed_at && x->kind != REC_REVIEW)
			problem(v, RECORDS_INSERTED, x->seq, "record %lld, %s, comes after the "
				"session's closing record: it was added after the session was closed",
				x->seq, what(x));
		if (x->kind == REC_CLOSE && !closed_at) {
			if (x->fact != x->seq)
				problem(v, RECORDS_ALTERED, x->seq, "the closing record names %lld "
					"records but is record %lld", x->fact, x->seq);
			closed_at = x->seq;
		}
		memcpy(prev, x->hash, sizeof prev);
		v->nrecords++;
		expect = e[i].seq + 1;
		i = j;
	}
	if (i < n)
		problem(v, RECORDS_INSERTED, expect, "%s is in the record but not in its chain: "
			"it was inserted after the session was recorded", what(&e[i]));
	zcs_strlcpy(v->head, prev, sizeof v->head);
	v->closed = closed_at > 0 && chain >= 2;
	*last = expect - 1;
}

/* ---- loading a session's entries ---- */

struct entries {
	struct rec_entry *e;
	size_t n, cap;
};

static void entries_free(struct entries *es)
{
	for (size_t i = 0; i < es->n; i++) {
		free(es->e[i].what);
		rec_canon_free(&es->e[i].canon);
		rec_canon_free(&es->e[i].in);
		rec_canon_free(&es->e[i].sm);
	}
	free(es->e);
}

static void col_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	zcs_strlcpy(out, s ? (const char *)s : "", n);
}

/* The "unit" part an "identified" event's canonical form ends with (see
 * canon_one): the session's unit columns as they are. */
static int unit_part(struct records *r, long long session, struct rec_canon *c,
		     struct zcs_err *err)
{
	rec_canon_raw(c, "unit\n", 5);
	return c_rows(r, c, "SELECT " UNIT_COLS " FROM sessions WHERE id=?", session, err) == 1
	       ? 0 : -1;
}

static int load_kind(struct records *r, struct entries *es, enum rec_kind k, long long session,
		     int chain, struct zcs_err *err)
{
	const struct kind *d = &kinds[k];
	char *kc = k == REC_SESSION ? canon_cols(r, k, session, chain, err) : xstrdup(cols(k, chain));
	char *sql;
	sqlite3_stmt *st;
	struct rec_canon unit = { 0 };
	int rc, have_unit = 0;

	if (!kc)
		return -1;
	sql = xasprintf("SELECT seq, id, hash, %s, %s, %s, %s, %s FROM %s WHERE %s=?1%s"
			" ORDER BY id", d->sig ? "sig" : "NULL",
			d->sig == 2 ? "signer" : "NULL", d->what,
			k == REC_CLOSE ? "nrecords" : k == REC_EVENT ? "kind='identified'" : "NULL",
			kc, d->table, k == REC_SESSION ? "id" : "session_id",
			k == REC_ANSWER && chain < 2 ? " AND seq IS NOT NULL" : "");
	st = rec_prepare(r, sql, err);
	free(sql);
	free(kc);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct rec_entry *x;

		if (es->n == es->cap)
			es->e = xrealloc(es->e, (es->cap = es->cap * 2 + 64) * sizeof *es->e);
		x = &es->e[es->n++];
		memset(x, 0, sizeof *x);
		x->seq = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
		x->kind = k;
		x->id = sqlite3_column_int64(st, 1);
		col_copy(st, 2, x->hash, sizeof x->hash);
		col_copy(st, 3, x->sig, sizeof x->sig);
		col_copy(st, 4, x->signer, sizeof x->signer);
		x->what = rec_col_text(st, 5);
		x->fact = sqlite3_column_int64(st, 6);
		rec_canon_raw(&x->canon, d->table, strlen(d->table));
		rec_canon_raw(&x->canon, "\n", 1);
		c_row(&x->canon, st, 7);
		if (k == REC_EVENT && x->fact) {
			if (!have_unit && unit_part(r, session, &unit, err) < 0) {
				rc = SQLITE_ERROR;
				break;
			}
			have_unit = 1;
			rec_canon_raw(&x->canon, unit.b, unit.n);
		}
	}
	sqlite3_finalize(st);
	rec_canon_free(&unit);
	if (rc == SQLITE_ERROR)
		return -1;
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading the chain", err);
}

static int by_id(const void *key, const void *elem)
{
	long long id = *(const long long *)key, o = ((const struct rec_entry *)elem)->id;

	return id < o ? -1 : id > o;
}

/* Inputs or samples of every verdict of the session, into each verdict's
 * `in` or `sm` part. */
static int load_children(struct records *r, struct rec_entry *v, size_t nv, long long session,
			 int samples, struct zcs_err *err)
{
	char *sql = xasprintf("SELECT %s FROM %s c WHERE c.verdict_id IN (SELECT id FROM verdicts"
			      " WHERE session_id=?1) ORDER BY c.verdict_id, c.idx",
			      samples ? samples_cols : inputs_cols, samples ? "samples" : "inputs");
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	free(sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long vid = sqlite3_column_int64(st, 0);
		struct rec_entry *x = bsearch(&vid, v, nv, sizeof *v, by_id);

		if (x)
			c_row(samples ? &x->sm : &x->in, st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading the evidence", err);
}

static int entry_order(const void *a, const void *b)
{
	const struct rec_entry *x = a, *y = b;

	if ((x->seq < 0) != (y->seq < 0))
		return x->seq < 0 ? 1 : -1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int load_entries(struct records *r, long long session, int chain, struct entries *es,
			struct zcs_err *err)
{
	size_t v0 = 0, v1 = 0;

	memset(es, 0, sizeof *es);
	for (int k = 0; k < REC_NKINDS; k++) {
		if (k == REC_VERDICT)
			v0 = es->n;
		if (load_kind(r, es, (enum rec_kind)k, session, chain, err) < 0)
			return -1;
		if (k == REC_VERDICT)
			v1 = es->n;
	}
	if (load_children(r, es->e + v0, v1 - v0, session, 0, err) < 0 ||
	    load_children(r, es->e + v0, v1 - v0, session, 1, err) < 0)
		return -1;
	for (size_t i = v0; i < v1; i++) {
		struct rec_entry *x = &es->e[i];

		rec_canon_raw(&x->canon, "inputs\n", 7);
		rec_canon_raw(&x->canon, x->in.b, x->in.n);
		rec_canon_raw(&x->canon, "samples\n", 8);
		rec_canon_raw(&x->canon, x->sm.b, x->sm.n);
	}
	qsort(es->e, es->n, sizeof *es->e, entry_order);
	return 0;
}

/* ---- the session row against its chain ---- */

struct stored {
	int found, chain, complete;
	long long head_seq, ended_ms, counts[5];
	int has_ended;
	char head_hash[REC_HASH_HEX], signer[REC_KEY_HEX];
	char *current_step, *verdict, *review;
};

static int load_stored(struct records *r, long long id, struct stored *s, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT chain, signer, head_seq, head_hash, complete,"
				       " ended_ms, current_step, nsteps, npassed, nfailed, nskipped,"
				       " nna, verdict, review FROM sessions WHERE id=?", err);
	int rc;

	memset(s, 0, sizeof *s);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->found = 1;
		s->chain = sqlite3_column_int(st, 0);
		col_copy(st, 1, s->signer, sizeof s->signer);
		s->head_seq = sqlite3_column_int64(st, 2);
		col_copy(st, 3, s->head_hash, sizeof s->head_hash);
		s->complete = sqlite3_column_int(st, 4);
		s->has_ended = sqlite3_column_type(st, 5) != SQLITE_NULL;
		s->ended_ms = sqlite3_column_int64(st, 5);
		s->current_step = rec_col_text(st, 6);
		for (int i = 0; i < 5; i++)
			s->counts[i] = sqlite3_column_int64(st, 7 + i);
		s->verdict = rec_col_text(st, 12);
		s->review = rec_col_text(st, 13);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading the session", err);
}

static void free_stored(struct stored *s)
{
	free(s->current_step);
	free(s->verdict);
	free(s->review);
}

/* One value of one row of sql(?1=id): 1 found, 0 none, -1 error. */
static int one_row(struct records *r, const char *sql, long long id, sqlite3_stmt **out,
		   struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	*out = NULL;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = st;
		return 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading the session", err);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The summary the list and resume read, recomputed from the records. */
static int check_summary(struct records *r, long long id, const struct stored *s,
			 struct records_verify *v, struct zcs_err *err)
{
	static const char *const names[5] = { "steps", "passed", "failed", "skipped", "n/a" };
	sqlite3_stmt *st;
	long long counts[5] = { 0 };
	char *review = NULL, *step = NULL;
	const char *verdict;
	int complete = s->chain >= 2 ? v->closed : s->complete, rc, has_end = 0;
	long long end = 0;

	rc = one_row(r, "SELECT count(*), coalesce(sum(status='passed'),0),"
		     " coalesce(sum(status='failed'),0), coalesce(sum(status='skipped'),0),"
		     " coalesce(sum(status='n/a'),0) FROM verdicts v WHERE v.session_id=?1 AND "
		     REC_CURRENT("v"), id, &st, err);
	if (rc < 0)
		return -1;
	for (int i = 0; rc && i < 5; i++)
		counts[i] = sqlite3_column_int64(st, i);
	sqlite3_finalize(st);
	if ((rc = one_row(r, "SELECT CASE approved WHEN 1 THEN 'approved' ELSE 'rejected' END"
			  " FROM reviews WHERE session_id=?1 ORDER BY id DESC LIMIT 1", id, &st,
			  err)) < 0)
		return -1;
	review = xstrdup(rc ? (const char *)sqlite3_column_text(st, 0) : "pending");
	sqlite3_finalize(st);
	verdict = counts[2] > 0 ? "failed" : complete ? "passed" : "incomplete";
	if (s->chain >= 2 && s->complete != complete)
		problem(v, RECORDS_MISSING, 0, s->complete
			? "the session is marked finished but its chain has no valid signed "
			  "closing record: its last records were deleted or replaced"
			: "the session is marked unfinished but its chain ends in a closing "
			  "record: it was edited after recording");
	for (int i = 0; i < 5; i++)
		if (counts[i] != s->counts[i])
			problem(v, RECORDS_ALTERED, 0, "the session's stored summary says %lld %s "
				"but its records hold %lld: it was edited after recording",
				s->counts[i], names[i], counts[i]);
	if (!same_text(verdict, s->verdict))
		problem(v, RECORDS_ALTERED, 0, "the session's stored verdict says %s but its "
			"records say %s: it was edited after recording", s->verdict, verdict);
	if (!same_text(review, s->review))
		problem(v, RECORDS_ALTERED, 0, "the session's stored review says %s but its "
			"records say %s: it was edited after recording", s->review, review);
	free(review);
	if (s->chain < 2)
		return 0;
	rc = one_row(r, complete ? "SELECT wall_ms FROM closings WHERE session_id=?1 AND seq IS"
		     " NOT NULL ORDER BY seq DESC LIMIT 1"
		     : "SELECT wall_ms FROM events WHERE session_id=?1 AND kind IN ('ended',"
		       " 'stopped') AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1", id, &st, err);
	if (rc < 0)
		return -1;
	if (rc) {
		has_end = 1;
		end = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (has_end != s->has_ended || end != (s->has_ended ? s->ended_ms : 0))
		problem(v, RECORDS_ALTERED, 0, "the session's stored end time does not match its "
			"records: it was edited after recording");
	if (!complete) {
		if ((rc = one_row(r, "SELECT step_id FROM step_entries WHERE session_id=?1 AND seq"
				  " IS NOT NULL ORDER BY seq DESC LIMIT 1", id, &st, err)) < 0)
			return -1;
		if (rc) {
			step = rec_col_text(st, 0);
			sqlite3_finalize(st);
		}
	}
	if (!same_text(step, s->current_step))
		problem(v, RECORDS_ALTERED, 0, "the session's stored current step (%s) does not "
			"match its records (%s): it was edited after recording",
			s->current_step ? s->current_step : "none", step ? step : "none");
	free(step);
	return 0;
}

static void check_head(const struct stored *s, long long last, struct records_verify *v)
{
	if (last < s->head_seq)
		problem(v, RECORDS_MISSING, last + 1, "record %lld is missing: the session's "
			"chain reaches record %lld but the records stop at %lld: the last records "
			"were deleted", last + 1, s->head_seq, last);
	else if (last > s->head_seq)
		problem(v, RECORDS_INSERTED, s->head_seq + 1, "record %lld was inserted after the "
			"session's last chained record (%lld)", s->head_seq + 1, s->head_seq);
	else if (s->head_seq > 0 && strcmp(s->head_hash, v->head) != 0)
		problem(v, RECORDS_ALTERED, s->head_seq, "the chain's last hash does not match the "
			"one the session recorded: record %lld was replaced", s->head_seq);
}

static void intact_message(struct records_verify *v, const char *how)
{
	int n = snprintf(v->message, sizeof v->message, "session %lld: the chain of %lld records "
			 "is intact (last hash %.16s...)", v->session_id, v->nrecords, v->head);

	if (n < 0 || (size_t)n >= sizeof v->message)
		return;
	if (v->chain < 2)
		snprintf(v->message + n, sizeof v->message - n, "; unsigned (recorded before "
			 "sessions were signed)%s", how);
	else
		snprintf(v->message + n, sizeof v->message - n, "; signed by %s (%s), %s%s",
			 v->fingerprint, v->trusted ? "trusted" : "NOT a trusted key",
			 v->closed ? "closed" : "unfinished", how);
}

static void set_signer(struct records *r, struct records_verify *v, const char *signer,
		       struct zcs_err *err)
{
	const struct rec_trust *t;

	zcs_strlcpy(v->signer, signer, sizeof v->signer);
	rec_fingerprint(signer, v->fingerprint);
	if (v->chain < 2)
		return;
	if (!rec_is_key_hex(signer)) {
		problem(v, RECORDS_FORGED, 1, "the session's header names no valid signing key");
		return;
	}
	t = rec_trust(r, err);
	v->trusted = t && rec_trust_has(t, signer);
}

static int verify_snapshot(struct records *r, long long id, struct records_verify *out,
			   struct zcs_err *err);

/* One read snapshot: a session being recorded meanwhile is seen whole. */
int records_verify(struct records *r, long long id, struct records_verify *out,
		   struct zcs_err *err)
{
	int outer = !sqlite3_get_autocommit(r->db), rc;

	if (!outer)
		rec_read_begin(r);
	rc = verify_snapshot(r, id, out, err);
	if (!outer)
		rec_read_end(r);
	return rc;
}

static int verify_snapshot(struct records *r, long long id, struct records_verify *out,
			   struct zcs_err *err)
{
	struct entries es;
	struct stored s;
	long long last = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->session_id = id;
	if (load_stored(r, id, &s, err) < 0)
		return -1;
	if (!s.found) {
		free_stored(&s);
		return zcs_fail(err, ZCS_USAGE, "there is no session %lld in %s: see "
				"'zcs-commission records list'", id, r->path);
	}
	out->chain = s.chain >= 2 ? 2 : 1;
	if (load_entries(r, id, out->chain, &es, err) == 0) {
		rec_walk(es.e, es.n, out->chain, s.signer, out, &last);
		check_head(&s, last, out);
		set_signer(r, out, s.signer, err);
		rc = check_summary(r, id, &s, out, err);
	}
	entries_free(&es);
	free_stored(&s);
	if (rc == 0 && out->problem == RECORDS_INTACT)
		intact_message(out, "");
	return rc;
}

int records_verified_for_approval(const struct records_verify *v, char *why, size_t n)
{
	if (v->problem != RECORDS_INTACT)
		snprintf(why, n, "%s", v->message);
	else if (v->chain < 2)
		snprintf(why, n, "it was recorded before sessions were signed: nothing proves "
			 "it was not rewritten");
	else if (!v->trusted)
		snprintf(why, n, "it is signed by %s, which is not a trusted key (add the "
			 "installer's KEY.pub to the trusted keys, or give them with --keys DIR)",
			 v->fingerprint);
	else if (!v->closed)
		snprintf(why, n, "its chain has no signed closing record: it is not finished");
	else
		return 1;
	return 0;
}

/* ---- verified checkpoints ---- */

/* The triggers that drop a checkpoint when a session's rows change, as
 * this version makes them; verify-all trusts checkpoints only when the
 * file holds exactly these. */
static int triggers_intact(struct records *r)
{
	sqlite3 *mem = NULL;
	char *want = NULL, *have = NULL;
	static const char q[] = "SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name,"
				" sql FROM sqlite_schema WHERE type='trigger' AND name LIKE 'ck\\_%'"
				" ESCAPE '\\' ORDER BY name)";
	sqlite3_stmt *st;
	int same = 0;

	if (sqlite3_open(":memory:", &mem) == SQLITE_OK &&
	    sqlite3_exec(mem, "CREATE TABLE checkpoints(session_id);"
			 "CREATE TABLE sessions(id); CREATE TABLE verdicts(id, session_id);"
			 "CREATE TABLE inputs(verdict_id); CREATE TABLE samples(verdict_id);"
			 "CREATE TABLE writes(session_id); CREATE TABLE events(session_id);"
			 "CREATE TABLE reviews(session_id); CREATE TABLE answers(session_id);"
			 "CREATE TABLE step_entries(session_id); CREATE TABLE closings(session_id);"
			 REC_CHECKPOINT_TRIGGERS, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(mem, q, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			want = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(mem);
	if (sqlite3_prepare_v2(r->db, q, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			have = xstrdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	same = want && have && strcmp(want, have) == 0;
	free(want);
	free(have);
	return same;
}

void rec_checkpoint_mac(const struct rec_key *k, long long id, long long seq,
			const char *hash, const char *signer, int closed, long long nrecords,
			char out[REC_HASH_HEX])
{
	char *msg = xasprintf("zcs-commission checkpoint\n%lld\n%lld\n%s\n%s\n%d\n%lld", id, seq,
			      hash, signer, closed, nrecords);

	rec_key_mac(k, msg, strlen(msg), out);
	free(msg);
}

static int store_checkpoints(struct records *r, const struct records_verify *v, size_t n,
			     const struct rec_key *k, struct zcs_err *err)
{
	sqlite3_stmt *st;

	if (!n)
		return 0;
	if (rec_begin(r, err) < 0)
		return -1;
	st = rec_prepare(r, "INSERT OR REPLACE INTO checkpoints(session_id, head_seq, head_hash,"
			 " signer, closed, nrecords, mac) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE"
			 " EXISTS(SELECT 1 FROM sessions WHERE id=?1 AND head_seq=?2 AND"
			 " head_hash=?3)", err);
	for (size_t i = 0; st && i < n; i++) {
		char mac[REC_HASH_HEX];

		rec_checkpoint_mac(k, v[i].session_id, v[i].nrecords, v[i].head, v[i].signer,
			       v[i].closed, v[i].nrecords, mac);
		sqlite3_bind_int64(st, 1, v[i].session_id);
		sqlite3_bind_int64(st, 2, v[i].nrecords);
		rec_bind_text(st, 3, v[i].head);
		rec_bind_text(st, 4, v[i].signer);
		sqlite3_bind_int(st, 5, v[i].closed);
		sqlite3_bind_int64(st, 6, v[i].nrecords);
		rec_bind_text(st, 7, mac);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			rec_rollback(r);
			return -1;
		}
		sqlite3_reset(st);
	}
	if (!st) {
		rec_rollback(r);
		return -1;
	}
	sqlite3_finalize(st);
	return rec_commit(r, err);
}

struct session_head {
	long long id, seq, ck_seq, ck_n;
	int has_ck, ck_closed;
	char hash[REC_HASH_HEX], ck_hash[REC_HASH_HEX], ck_signer[REC_KEY_HEX],
	     ck_mac[REC_HASH_HEX];
};

static int load_heads(struct records *r, struct session_head **out, size_t *n,
		      struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT s.id, s.head_seq, s.head_hash, c.session_id"
				       " IS NOT NULL, c.head_seq, c.head_hash, c.signer, c.closed,"
				       " c.nrecords, c.mac FROM sessions s LEFT JOIN checkpoints c"
				       " ON c.session_id=s.id ORDER BY s.id", err);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct session_head *h;

		if (*n == cap)
			*out = xrealloc(*out, (cap = cap * 2 + 1024) * sizeof **out);
		h = &(*out)[(*n)++];
		h->id = sqlite3_column_int64(st, 0);
		h->seq = sqlite3_column_int64(st, 1);
		col_copy(st, 2, h->hash, sizeof h->hash);
		h->has_ck = sqlite3_column_int(st, 3);
		h->ck_seq = sqlite3_column_int64(st, 4);
		col_copy(st, 5, h->ck_hash, sizeof h->ck_hash);
		col_copy(st, 6, h->ck_signer, sizeof h->ck_signer);
		h->ck_closed = sqlite3_column_int(st, 7);
		h->ck_n = sqlite3_column_int64(st, 8);
		col_copy(st, 9, h->ck_mac, sizeof h->ck_mac);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	free(*out);
	*out = NULL;
	return rec_fail(r, rc, "listing sessions", err);
}

/* The checkpoint of h, when this machine made it and nothing moved since. */
static int from_checkpoint(struct records *r, const struct session_head *h,
			   const struct rec_key *k, struct records_verify *v, struct zcs_err *err)
{
	char mac[REC_HASH_HEX];

	if (!h->has_ck || h->ck_seq != h->seq || strcmp(h->ck_hash, h->hash) != 0)
		return 0;
	rec_checkpoint_mac(k, h->id, h->ck_seq, h->ck_hash, h->ck_signer, h->ck_closed, h->ck_n, mac);
	if (strcmp(mac, h->ck_mac) != 0)
		return 0;
	memset(v, 0, sizeof *v);
	v->session_id = h->id;
	v->nrecords = h->ck_n;
	zcs_strlcpy(v->head, h->hash, sizeof v->head);
	v->chain = *h->ck_signer ? 2 : 1;
	v->closed = h->ck_closed;
	v->from_checkpoint = 1;
	set_signer(r, v, h->ck_signer, err);
	intact_message(v, " [verified checkpoint]");
	return 1;
}

int records_verify_all(struct records *r, int full,
		       void (*each)(const struct records_verify *, void *), void *arg,
		       struct records_verify_all *out, struct zcs_err *err)
{
	struct session_head *h = NULL;
	struct records_verify *fresh = NULL;
	const struct rec_key *k = rec_key(r, err);
	size_t n = 0, nfresh = 0;
	int use_ck, rc = 0;

	memset(out, 0, sizeof *out);
	if (!k || load_heads(r, &h, &n, err) < 0)
		return -1;
	use_ck = !full && triggers_intact(r);
	fresh = xmalloc((n ? n : 1) * sizeof *fresh);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct records_verify v;

		out->sessions++;
		if (use_ck && from_checkpoint(r, &h[i], k, &v, err)) {
			out->from_checkpoint++;
		} else {
			if (records_verify(r, h[i].id, &v, err) < 0) {
				rc = -1;
				break;
			}
			out->reread++;
			if (v.problem == RECORDS_INTACT)
				fresh[nfresh++] = v;
		}
		if (v.problem != RECORDS_INTACT || (v.chain >= 2 && !v.trusted))
			out->bad++;
		if (each)
			each(&v, arg);
	}
	/* Checkpoints in short transactions: a running session never waits long. */
	if (rc == 0 && !r->readonly && !r->damaged)
		for (size_t i = 0; i < nfresh; i += 500)
			if (store_checkpoints(r, fresh + i, nfresh - i < 500 ? nfresh - i : 500, k,
					      NULL) < 0)
				break;
	free(fresh);
	free(h);
	return rc;
}
