/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_int: what the records module's files share (not for other modules;
 * unit tests may use it to reach the handle). */
#ifndef ZCS_RECORDS_INT_H
#define ZCS_RECORDS_INT_H

#include <sqlite3.h>

#include "records/records.h"
#include "records/records_sign.h"

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
	char *marker;                 /* PATH-open.HOST.PID while open read-write */
	/* This machine's signing key, loaded on first use. */
	struct rec_key key;
	int have_key;
	/* The keys whose signatures are trusted, loaded on first use:
	 * records_set_keys' directory, or this machine's key and the keys in
	 * $XDG_CONFIG_HOME/zcs-commission/trusted. */
	struct rec_trust trust;
	int have_trust;
	char *keys_dir;
};

/* The stored summary of a session (sessions.nsteps ... review), recomputed
 * from its records: "UPDATE sessions SET " REC_SUMMARY_SET " WHERE id=?".
 * A step's current verdict is its latest; the session failed when a current
 * verdict failed, passed when complete, is incomplete otherwise; its review
 * is the latest one. */
#define REC_CURRENT(v) v ".id=(SELECT max(w.id) FROM verdicts w WHERE w.session_id=" v \
	".session_id AND w.step_id=" v ".step_id)"
#define REC_SUMMARY_SET \
	"(nsteps, npassed, nfailed, nskipped, nna)=(SELECT count(*),"                       \
	" coalesce(sum(status='passed'),0), coalesce(sum(status='failed'),0),"             \
	" coalesce(sum(status='skipped'),0), coalesce(sum(status='n/a'),0)"                \
	" FROM verdicts v WHERE v.session_id=sessions.id AND " REC_CURRENT("v") "),"         \
	" verdict=CASE WHEN EXISTS(SELECT 1 FROM verdicts v WHERE v.session_id=sessions.id"  \
	" AND v.status='failed' AND " REC_CURRENT("v") ") THEN 'failed'"                     \
	" WHEN complete THEN 'passed' ELSE 'incomplete' END,"                                \
	" review=coalesce((SELECT CASE q.approved WHEN 1 THEN 'approved' ELSE 'rejected' END" \
	" FROM reviews q WHERE q.session_id=sessions.id ORDER BY q.id DESC LIMIT 1),"        \
	" 'pending')"

/* Any change to a session's rows drops its verified checkpoint. */
#define REC_CK_DIRECT(t)                                                                  \
	"CREATE TRIGGER ck_" t "_i AFTER INSERT ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id=NEW.session_id; END;"                                          \
	"CREATE TRIGGER ck_" t "_u AFTER UPDATE ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id IN (OLD.session_id, NEW.session_id); END;"                     \
	"CREATE TRIGGER ck_" t "_d AFTER DELETE ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id=OLD.session_id; END;"
#define REC_CK_CHILD(t)                                                                   \
	"CREATE TRIGGER ck_" t "_i AFTER INSERT ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id=(SELECT session_id FROM verdicts WHERE id=NEW.verdict_id); END;" \
	"CREATE TRIGGER ck_" t "_u AFTER UPDATE ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id IN (SELECT session_id FROM verdicts WHERE id IN"               \
	" (OLD.verdict_id, NEW.verdict_id)); END;"                                        \
	"CREATE TRIGGER ck_" t "_d AFTER DELETE ON " t " BEGIN DELETE FROM checkpoints"   \
	" WHERE session_id=(SELECT session_id FROM verdicts WHERE id=OLD.verdict_id); END;"
#define REC_CHECKPOINT_TRIGGERS                                                           \
	"CREATE TRIGGER ck_sessions_u AFTER UPDATE ON sessions BEGIN DELETE FROM"         \
	" checkpoints WHERE session_id IN (OLD.id, NEW.id); END;"                         \
	"CREATE TRIGGER ck_sessions_d AFTER DELETE ON sessions BEGIN DELETE FROM"         \
	" checkpoints WHERE session_id=OLD.id; END;"                                      \
	REC_CK_DIRECT("verdicts") REC_CK_CHILD("inputs") REC_CK_CHILD("samples")          \
	REC_CK_DIRECT("writes") REC_CK_DIRECT("events") REC_CK_DIRECT("reviews")          \
	REC_CK_DIRECT("answers") REC_CK_DIRECT("step_entries") REC_CK_DIRECT("closings")

/* Translate a SQLite failure into one installer sentence (ZCS_DB). */
int rec_fail(struct records *r, int rc, const char *doing, struct zcs_err *err);
/* Prepare `sql`; NULL with err filled. */
sqlite3_stmt *rec_prepare(struct records *r, const char *sql, struct zcs_err *err);
/* Run statements with no parameters and no rows. */
int rec_exec(struct records *r, const char *sql, const char *doing, struct zcs_err *err);
int rec_begin(struct records *r, struct zcs_err *err);
int rec_commit(struct records *r, struct zcs_err *err);
void rec_rollback(struct records *r);
/* A read transaction: one consistent snapshot, never blocking a writer. */
void rec_read_begin(struct records *r);
void rec_read_end(struct records *r);
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

/* Record a QA decision taken at `wall_ms` (records_query.c), with the same
 * checks as records_review; on success the write transaction is left open
 * for the caller to add to and commit.  Sets *review_id. */
int rec_review_at(struct records *r, long long id, int approve, const char *by,
		  const char *comment, int64_t wall_ms, long long *review_id, struct zcs_err *err);

/* Append a review as given, without the checks (inside the caller's
 * transaction): a review the records server already decided on, added to
 * its rebuilt copy of a session. */
int rec_review_insert(struct records *r, long long id, int approve, const char *by,
		      const char *comment, int64_t wall_ms, struct zcs_err *err);

/* ---- the chain (records_chain.c) ---- */

/* Every kind of chained record.  A new kind adds its table (with id,
 * session_id, seq, hash; sig when signed) in a migration, a line in
 * records_chain.c's `kinds`, and its triggers in REC_CHECKPOINT_TRIGGERS. */
enum rec_kind {
	REC_SESSION, REC_VERDICT, REC_WRITE, REC_EVENT, REC_REVIEW, REC_ANSWER, REC_STEP,
	REC_CLOSE, REC_NKINDS
};

/* Append row `id` of table `kind` (already inserted, inside the caller's
 * transaction) to session's chain: sets its seq and hash (and signature
 * when the kind is signed) and the head. */
int rec_chain_append(struct records *r, long long session, enum rec_kind kind, long long id,
		     struct zcs_err *err);
/* The canonical form of one record, as stored now; NULL when the row is gone. */
char *rec_canon(struct records *r, enum rec_kind kind, long long id, size_t *len,
		struct zcs_err *err);
const char *rec_kind_name(enum rec_kind k);
/* Recompute session's stored summary (inside the caller's transaction). */
int rec_summary_update(struct records *r, long long session, struct zcs_err *err);
/* This machine's key, loaded (made) on first use. */
const struct rec_key *rec_key(struct records *r, struct zcs_err *err);
/* The MAC of a verified checkpoint: session id, head (seq, hash), signer,
 * closed, record count, under a key derived from this machine's key. */
void rec_checkpoint_mac(const struct rec_key *k, long long id, long long seq,
			const char *hash, const char *signer, int closed, long long nrecords,
			char out[REC_HASH_HEX]);
/* The trusted keys, loaded on first use. */
const struct rec_trust *rec_trust(struct records *r, struct zcs_err *err);

#endif
