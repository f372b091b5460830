/* records_int: what the records module's files share (not for other modules;
 * unit tests may use it to reach the handle). */
#ifndef ZCS_RECORDS_INT_H
#define ZCS_RECORDS_INT_H

#include <sqlite3.h>

#include "records/records.h"

struct records {
	sqlite3 *db;
	char *path;
	int readonly;
	int damaged;                  /* corruption seen: nothing more is written */
	long long session;            /* being recorded, 0 none */
	long long attach;             /* session to continue at session_begin */
	/* Answers and the step entered before session_begin, kept until it. */
	struct records_kv *early;     /* key "step_id\x1fkey" */
	size_t nearly;
	char *early_step;
};

/* Translate a SQLite failure into one installer sentence (ZCS_DB). */
int rec_fail(struct records *r, int rc, const char *doing, struct zcs_err *err);
/* Prepare `sql`; NULL with err filled. */
sqlite3_stmt *rec_prepare(struct records *r, const char *sql, struct zcs_err *err);
/* Run statements with no parameters and no rows. */
int rec_exec(struct records *r, const char *sql, const char *doing, struct zcs_err *err);
int rec_begin(struct records *r, struct zcs_err *err);
int rec_commit(struct records *r, struct zcs_err *err);
void rec_rollback(struct records *r);
/* Bind helpers: NULL strings bind NULL. */
void rec_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column helpers: newly allocated copy, NULL for NULL. */
char *rec_col_text(sqlite3_stmt *st, int i);
/* Rows of `sql` (parameter 1: id), each handed to `row`; `doing` names the
 * reading in the error if SQLite fails. */
int rec_each_row(struct records *r, const char *sql, long long id,
		 void (*row)(sqlite3_stmt *, void *), void *arg, const char *doing,
		 struct zcs_err *err);

/* "passed" -> ENG_PASSED (records_observe.c). */
enum eng_status rec_status_parse(const char *s);

/* Record a QA decision taken at `wall_ms`, inside the caller's transaction
 * (records_query.c); the same checks as records_review.  Sets *review_id. */
int rec_review_at(struct records *r, long long id, int approve, const char *by,
		  const char *comment, int64_t wall_ms, long long *review_id, struct zcs_err *err);

/* ---- the chain (records_chain.c) ---- */

enum rec_kind { REC_SESSION, REC_VERDICT, REC_WRITE, REC_EVENT, REC_REVIEW };

/* Append row `id` of table `kind` (already inserted, inside the caller's
 * transaction) to session's chain: sets its seq and hash and the head. */
int rec_chain_append(struct records *r, long long session, enum rec_kind kind, long long id,
		     struct zcs_err *err);
/* The canonical form of one record, as stored now; NULL when the row is gone. */
char *rec_canon(struct records *r, enum rec_kind kind, long long id, size_t *len,
		struct zcs_err *err);
const char *rec_kind_name(enum rec_kind k);

#endif
