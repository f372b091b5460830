/* records_chain: the per-session hash chain and its verification.
 *
 * The canonical form of a record is built from the row as stored (every
 * column but the hash, by name, in schema order; a verdict adds its inputs
 * and evidence rows), so what is hashed is exactly what a later reader sees.
 * Each value is typed and length-prefixed: "name=s5:hello\n", "name=i42\n",
 * "name=r0.10000000000000001\n", "name=n\n". */
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "base/util.h"
#include "records/records_int.h"

static const char *const tables[] = {
	[REC_SESSION] = "sessions", [REC_VERDICT] = "verdicts", [REC_WRITE] = "writes",
	[REC_EVENT] = "events", [REC_REVIEW] = "reviews",
};

/* Session columns that change after the session began (not chained; the
 * "ended" event and the head carry that information). */
static const char *const session_mutable[] = {
	"ended_ms", "complete", "current_step", "head_seq", "head_hash", "hash",
};

static const char zero_hash[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

const char *rec_kind_name(enum rec_kind k)
{
	return tables[k];
}

/* ---- canonical form ---- */

struct canon {
	char *b;
	size_t n, cap;
};

static void c_put(struct canon *c, const void *p, size_t n)
{
	if (c->n + n + 1 > c->cap) {
		c->cap = (c->n + n + 1) * 2 + 256;
		c->b = xrealloc(c->b, c->cap);
	}
	if (n)          /* an empty blob or text comes as NULL from SQLite */
		memcpy(c->b + c->n, p, n);
	c->n += n;
	c->b[c->n] = '\0';
}

static void c_printf(struct canon *c, const char *fmt, ...) ZCS_PRINTF(2, 3);
static void c_printf(struct canon *c, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	c_put(c, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static int skipped(const char *name, const char *const *skip, size_t nskip)
{
	for (size_t i = 0; i < nskip; i++)
		if (strcmp(name, skip[i]) == 0)
			return 1;
	return 0;
}

static void c_column(struct canon *c, sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);
	int n;

	c_printf(c, "%s=", name);
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		c_put(c, "n", 1);
		break;
	case SQLITE_INTEGER:
		c_printf(c, "i%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		c_printf(c, "r%.17g", sqlite3_column_double(st, i));
		break;
	case SQLITE_BLOB:
		n = sqlite3_column_bytes(st, i);
		c_printf(c, "b%d:", n);
		c_put(c, sqlite3_column_blob(st, i), (size_t)n);
		break;
	default:
		n = sqlite3_column_bytes(st, i);
		c_printf(c, "s%d:", n);
		c_put(c, sqlite3_column_text(st, i), (size_t)n);
		break;
	}
	c_put(c, "\n", 1);
}

/* Append every row of `sql` (one parameter: id).  Returns rows or -1. */
static int c_rows(struct records *r, struct canon *c, const char *sql, long long id,
		  const char *const *skip, size_t nskip, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc, rows = 0;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		for (int i = 0; i < sqlite3_column_count(st); i++)
			if (!skipped(sqlite3_column_name(st, i), skip, nskip))
				c_column(c, st, i);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rec_fail(r, rc, "reading a record", err);
	return rows;
}

char *rec_canon(struct records *r, enum rec_kind kind, long long id, size_t *len,
		struct zcs_err *err)
{
	static const char *const hash_only[] = { "hash" };
	struct canon c = { 0 };
	char sql[96];
	int rows;

	c_printf(&c, "%s\n", tables[kind]);
	snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id=?", tables[kind]);
	if (kind == REC_SESSION)
		rows = c_rows(r, &c, sql, id, session_mutable, ZCS_ARRAY_LEN(session_mutable), err);
	else
		rows = c_rows(r, &c, sql, id, hash_only, 1, err);
	if (rows == 1 && kind == REC_VERDICT) {
		c_put(&c, "inputs\n", 7);
		rows = c_rows(r, &c, "SELECT * FROM inputs WHERE verdict_id=? ORDER BY idx", id,
			      NULL, 0, err) < 0 ? -1 : 1;
		c_put(&c, "samples\n", 8);
		if (rows == 1 && c_rows(r, &c, "SELECT * FROM samples WHERE verdict_id=? "
				       "ORDER BY idx", id, NULL, 0, err) < 0)
			rows = -1;
	}
	if (rows != 1) {
		if (rows == 0)
			zcs_fail(err, ZCS_DB, "record %lld of %s is gone", id, tables[kind]);
		free(c.b);
		return NULL;
	}
	*len = c.n;
	return c.b;
}

static int chain_hash(struct records *r, const char *prev, enum rec_kind kind, long long id,
		      char out[65], struct zcs_err *err)
{
	size_t n = 0;
	char *canon = rec_canon(r, kind, id, &n, err);
	struct sha256 s;
	uint8_t d[32];

	if (!canon)
		return -1;
	sha256_init(&s);
	sha256_update(&s, prev, strlen(prev));
	sha256_update(&s, "\n", 1);
	sha256_update(&s, canon, n);
	sha256_final(&s, d);
	sha256_to_hex(d, out);
	free(canon);
	return 0;
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
		zcs_strlcpy(hash, h ? (const char *)h : zero_hash, 65);
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

	snprintf(sql, sizeof sql, "UPDATE %s SET %s=? WHERE id=?", tables[kind], col);
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
	char prev[65], hash[65];
	sqlite3_stmt *st;

	if (read_head(r, session, &seq, prev, err) < 0)
		return -1;
	if (seq == 0)
		memcpy(prev, zero_hash, sizeof prev);
	seq++;
	if (set_column(r, kind, "seq", id, seq, NULL, err) < 0 ||
	    chain_hash(r, prev, kind, id, hash, err) < 0 ||
	    set_column(r, kind, "hash", id, 0, hash, err) < 0)
		return -1;
	st = rec_prepare(r, "UPDATE sessions SET head_seq=?, head_hash=? WHERE id=?", err);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, seq);
	rec_bind_text(st, 2, hash);
	sqlite3_bind_int64(st, 3, session);
	return step_done(r, st, "chaining a record", err);
}

/* ---- verification ---- */

struct entry {
	long long seq;                 /* -1: none stored */
	enum rec_kind kind;
	long long id;
	char hash[65];
};

static const char entries_sql[] =
	"SELECT seq, kind, id, hash FROM ("
	"SELECT seq, 0 kind, id, hash FROM sessions WHERE id=?1"
	" UNION ALL SELECT seq, 1, id, hash FROM verdicts WHERE session_id=?1"
	" UNION ALL SELECT seq, 2, id, hash FROM writes WHERE session_id=?1"
	" UNION ALL SELECT seq, 3, id, hash FROM events WHERE session_id=?1"
	" UNION ALL SELECT seq, 4, id, hash FROM reviews WHERE session_id=?1"
	") ORDER BY seq IS NULL, seq, kind, id";

static struct entry *load_entries(struct records *r, long long session, size_t *n,
				  struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, entries_sql, err);
	struct entry *e = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, session);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 3);

		if (*n == cap)
			e = xrealloc(e, (cap = cap * 2 + 16) * sizeof *e);
		e[*n].seq = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1
								      : sqlite3_column_int64(st, 0);
		e[*n].kind = (enum rec_kind)sqlite3_column_int(st, 1);
		e[*n].id = sqlite3_column_int64(st, 2);
		zcs_strlcpy(e[*n].hash, h ? (const char *)h : "", sizeof e[*n].hash);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rec_fail(r, rc, "reading the chain", err);
		free(e);
		e = NULL;
	} else if (!e) {
		e = xmalloc(sizeof *e);
	}
	return e;
}

/* "the verdict of step grid.ct-sign (failed)" and the like. */
static void describe(struct records *r, const struct entry *e, char *out, size_t n)
{
	static const char *const sql[] = {
		[REC_SESSION] = "SELECT 'the session''s header (unit, installer, checklist)'",
		[REC_VERDICT] = "SELECT 'the verdict of step ' || step_id || ' (' || status || ')'"
				" FROM verdicts WHERE id=?",
		[REC_WRITE] = "SELECT 'the write of ' || reg FROM writes WHERE id=?",
		[REC_EVENT] = "SELECT 'the ' || kind || ' event' FROM events WHERE id=?",
		[REC_REVIEW] = "SELECT 'the review by ' || reviewer FROM reviews WHERE id=?",
	};
	sqlite3_stmt *st = NULL;

	snprintf(out, n, "a row of %s", tables[e->kind]);
	if (sqlite3_prepare_v2(r->db, sql[e->kind], -1, &st, NULL) != SQLITE_OK)
		return;
	if (e->kind != REC_SESSION)
		sqlite3_bind_int64(st, 1, e->id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		zcs_strlcpy(out, (const char *)sqlite3_column_text(st, 0), n);
	sqlite3_finalize(st);
}

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

/* Of the entries [i, j) sharing one seq, the one that chains from `prev`;
 * -1 when none. */
static long genuine(struct records *r, const struct entry *e, size_t i, size_t j,
		    const char *prev, struct zcs_err *err)
{
	for (size_t k = i; k < j; k++) {
		char h[65];

		if (chain_hash(r, prev, e[k].kind, e[k].id, h, err) < 0)
			return -2;
		if (strcmp(h, e[k].hash) == 0)
			return (long)k;
	}
	return -1;
}

static int walk(struct records *r, const struct entry *e, size_t n,
		struct records_verify *v, long long *last, struct zcs_err *err)
{
	char prev[65], what[160];
	long long expect = 1;
	size_t i = 0;

	memcpy(prev, zero_hash, sizeof prev);
	while (i < n && e[i].seq >= 0) {
		size_t j = i + 1;
		long g;

		while (j < n && e[j].seq == e[i].seq)
			j++;
		if (e[i].seq != expect) {
			describe(r, &e[i], what, sizeof what);
			if (e[i].seq < expect)
				problem(v, RECORDS_INSERTED, e[i].seq, "record %lld, %s, repeats a "
					"record number already used: it was inserted after the "
					"session was recorded", e[i].seq, what);
			else
				problem(v, RECORDS_MISSING, expect, "record %lld is missing: it was "
					"deleted (the chain jumps from record %lld to record %lld, %s)",
					expect, expect - 1, e[i].seq, what);
		}
		if ((g = genuine(r, e, i, j, prev, err)) == -2)
			return -1;
		for (size_t k = i; k < j; k++) {
			if ((long)k == g || (g < 0 && k == i))
				continue;
			describe(r, &e[k], what, sizeof what);
			problem(v, RECORDS_INSERTED, e[k].seq, "record %lld, %s, shares its number "
				"with another record: it was inserted after the session was recorded",
				e[k].seq, what);
		}
		if (g < 0) {
			describe(r, &e[i], what, sizeof what);
			problem(v, RECORDS_ALTERED, e[i].seq, "record %lld, %s, was altered after "
				"it was recorded: what is stored no longer matches its hash",
				e[i].seq, what);
		}
		memcpy(prev, e[g >= 0 ? (size_t)g : i].hash, sizeof prev);
		v->nrecords++;
		expect = e[i].seq + 1;
		i = j;
	}
	if (i < n) {
		describe(r, &e[i], what, sizeof what);
		problem(v, RECORDS_INSERTED, expect, "%s is in the record but not in its chain: "
			"it was inserted after the session was recorded", what);
	}
	zcs_strlcpy(v->head, prev, sizeof v->head);
	*last = expect - 1;
	return 0;
}

static int check_head(struct records *r, long long session, long long last,
		      struct records_verify *v, struct zcs_err *err)
{
	long long head = 0;
	char hash[65];

	if (read_head(r, session, &head, hash, err) < 0)
		return -1;
	if (last < head)
		problem(v, RECORDS_MISSING, last + 1, "record %lld is missing: the session's "
			"chain reaches record %lld but the records stop at %lld: the last records "
			"were deleted", last + 1, head, last);
	else if (last > head)
		problem(v, RECORDS_INSERTED, head + 1, "record %lld was inserted after the "
			"session's last chained record (%lld)", head + 1, head);
	else if (head > 0 && strcmp(hash, v->head) != 0)
		problem(v, RECORDS_ALTERED, head, "the chain's last hash does not match the one "
			"the session recorded: record %lld was replaced", head);
	return 0;
}

int records_verify(struct records *r, long long id, struct records_verify *out,
		   struct zcs_err *err)
{
	size_t n = 0;
	struct entry *e;
	int rc;

	memset(out, 0, sizeof *out);
	out->session_id = id;
	if (!(e = load_entries(r, id, &n, err)))
		return -1;
	int found = 0;

	for (size_t i = 0; i < n; i++)
		found |= e[i].kind == REC_SESSION;
	if (!found) {
		free(e);
		return zcs_fail(err, ZCS_USAGE, "there is no session %lld in %s: see "
				"'zcs-commission records list'", id, r->path);
	}
	long long last = 0;

	rc = walk(r, e, n, out, &last, err);
	if (rc == 0)
		rc = check_head(r, id, last, out, err);
	if (rc == 0 && out->problem == RECORDS_INTACT)
		snprintf(out->message, sizeof out->message, "session %lld: the chain of %lld "
			 "records is intact (last hash %.16s...)", id, out->nrecords, out->head);
	free(e);
	return rc;
}
