/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records: the durable, tamper-evident commissioning record, in SQLite.
 *
 * Promises:
 *  - one SQLite file (records_default_path: $XDG_DATA_HOME/zcs-commission/
 *    records.db), marked with its own application_id, its schema versioned
 *    by user_version and migrated inside one transaction; WAL journal with
 *    synchronous=FULL, foreign keys on, a busy timeout;
 *  - every hook of the engine's observer (records_observer) commits its own
 *    transaction before it returns: a verdict with its inputs and evidence,
 *    a write, a link event, an answer, the step entered.  A process killed at
 *    any moment loses at most the step in progress;
 *  - every session's records (the session itself, verdicts with their inputs
 *    and evidence, writes, events, reviews, answers, steps entered, the
 *    closing record) form one hash chain: record n carries SHA-256(hash of
 *    record n-1 || canonical form of record n) (records_sign.h), and the
 *    session row keeps the chain's head.  records_verify names the first
 *    altered, inserted or missing record;
 *  - sessions are signed (schema 2): the header names the signer's Ed25519
 *    key (this machine's, made on first use under $XDG_CONFIG_HOME); every
 *    verdict carries a signature of the chain's head at that point, a
 *    finished session ends in a signed closing record naming its record
 *    count, a review is signed by the reviewer's machine.  The stored
 *    summary (complete, ended_ms, current_step, the counts, verdict and
 *    review the list reads) is recomputed from the chain by records_verify;
 *  - the file is made 0600 in a 0700 directory; opening checks a few pages
 *    (the full check runs after a crash, in records_check_file and
 *    verify --full);
 *  - every SQL statement uses bound parameters;
 *  - a database that cannot be used (locked by another program, read-only,
 *    disk full, damaged, not ours, written by a newer version) gives one
 *    sentence saying what happened and what to do (ZCS_DB), and nothing
 *    already committed is lost.  A damaged or newer file is never written. */
#ifndef ZCS_RECORDS_H
#define ZCS_RECORDS_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "engine/observer.h"

#define RECORDS_SCHEMA_VERSION 3
#define RECORDS_APPLICATION_ID 0x5A435331   /* "ZCS1" */

struct records;

/* $XDG_DATA_HOME/zcs-commission/records.db (~/.local/share when unset),
 * newly allocated; the directory is created when `create` is set. */
char *records_default_path(int create, struct zcs_err *err);

/* Open (creating and migrating when needed) for writing. */
struct records *records_open(const char *path, struct zcs_err *err);
/* The full PRAGMA integrity_check (slow on a large file). */
int records_check_file(struct records *r, struct zcs_err *err);
/* Trust only the keys in dir (KEY.pub files) instead of this machine's key
 * and $XDG_CONFIG_HOME/zcs-commission/trusted; NULL: back to those. */
int records_set_keys(struct records *r, const char *dir, struct zcs_err *err);
/* This machine's public key (made on first use), hex, and its fingerprint. */
int records_own_key(char pub_hex[65], char fingerprint[32], struct zcs_err *err);

/* Open an existing file for reading only (list, show, verify, export);
 * works on read-only media. */
struct records *records_open_readonly(const char *path, struct zcs_err *err);
void records_close(struct records *r);
const char *records_path(const struct records *r);

/* ---- recording: the engine's observer ---- */

/* Fill `out` with hooks that record into `r`.  r must outlive the run. */
void records_observer(struct records *r, struct eng_observer *out);
/* Continue session `id` instead of starting a new one: the next
 * session_begin checks that the unit is the same and records "resumed". */
int records_attach(struct records *r, long long id, struct zcs_err *err);
/* The session being recorded, 0 before session_begin. */
long long records_session_id(const struct records *r);

/* What an unfinished session needs to go on.  id 0: the latest unfinished
 * one.  Returns 1 and fills `out`, 0 when there is none (id 0) , -1 on
 * error (an unknown or finished id is ZCS_USAGE). */
int records_load_resume(struct records *r, long long id, struct eng_resume *out,
			struct zcs_err *err);
void records_free_resume(struct eng_resume *res);

/* ---- reading ---- */

enum records_state { RECORDS_UNFINISHED, RECORDS_COMPLETE };

struct records_filter {
	int64_t from_ms, to_ms;       /* started in [from, to); 0: open */
	const char *installer;        /* part of the name, any case, any accents; NULL: any */
	const char *site, *customer;  /* the same, for the site and the customer */
	const char *serial;           /* exact, NULL: any */
	int or_unidentified;          /* with serial: also the sessions whose unit was not
				       * identified yet (begun before power-up) */
	const char *verdict;          /* "passed", "failed", "incomplete", "unfinished" */
	const char *failed_step;      /* sessions where this step failed */
	const char *review;           /* "approved", "rejected", "pending" */
	int training;                 /* -1 any, 0 field, 1 training */
	int unfinished;               /* 1: only sessions that can be resumed */
	long long limit;              /* at most this many, the newest; 0: all */
};

struct records_summary {
	long long id;
	char *installer, *site, *customer, *serial, *model;
	int training;
	int64_t started_ms, ended_ms;     /* ended 0 while unfinished */
	int64_t last_ms;                  /* latest verdict or event (resume: the one just left) */
	enum records_state state;
	char *current_step;               /* NULL when none */
	int nsteps, npassed, nfailed, nskipped, nna;
	const char *verdict;              /* "passed", "failed", "incomplete", "unfinished" */
	const char *review;               /* "approved", "rejected", "pending" */
	/* On a records server (records_server.h): the laptop the session came
	 * from (its id, and the name it gave) and its number there; NULL/0 in
	 * a local file. */
	char *laptop, *laptop_name;
	long long local_id;
};

void records_filter_init(struct records_filter *f);
int records_list(struct records *r, const struct records_filter *f,
		 struct records_summary **out, size_t *n, struct zcs_err *err);
/* How many sessions match f, whatever its limit. */
int records_count(struct records *r, const struct records_filter *f, long long *n,
		  struct zcs_err *err);
void records_free_list(struct records_summary *s, size_t n);

struct records_sample {
	char *name, *unit, *text;
	double value;
	int has_value;                    /* 0 when the value was not a number */
	uint16_t *raw;
	unsigned nraw;
	int slave;
	int64_t wall_ms;
};

struct records_kv { char *key, *value; };

struct records_step {
	long long id, seq;
	char *step_id, *section, *title;
	enum eng_status status;
	int64_t started_ms, ended_ms;
	char *detail, *remedy, *reason, *override_by;
	struct records_kv *inputs;
	size_t ninputs;
	struct records_sample *samples;
	size_t nsamples;
	int current;                      /* 1: the step's latest verdict */
	char hash[65];
};

struct records_write {
	long long id, seq;
	char *step_id, *reg, *confirmed_by;
	unsigned addr;
	int slave, ok;
	double before, written, readback;
	unsigned raw_before, raw_written, raw_readback;
	int64_t wall_ms;
};

struct records_event {
	long long id, seq;
	char *kind, *detail;              /* kind: lost, restored, resumed, ended, stopped */
	int64_t wall_ms;
};

struct records_review {
	long long id, seq;
	char *reviewer, *comment;
	int approved;
	int64_t wall_ms;
};

struct records_session {
	struct records_summary sum;
	char *layout, *family, *fw_com, *fw_master, *fw_slave, *link;
	char *checklist_version, *checklist_hash;
	struct records_step *steps;       /* every verdict, in recorded order */
	size_t nsteps;
	struct records_write *writes;
	size_t nwrites;
	struct records_event *events;
	size_t nevents;
	struct records_review *reviews;
	size_t nreviews;
	long long head_seq;
	char head_hash[65];
};

/* Everything stored about one session (ZCS_USAGE when there is no such id). */
int records_load(struct records *r, long long id, struct records_session **out,
		 struct zcs_err *err);
void records_free_session(struct records_session *s);
const char *records_status_word(enum eng_status st);

/* ---- review ---- */

/* Record a QA decision.  Approval needs a finished session whose chain is
 * intact.  `comment` may be NULL. */
int records_review(struct records *r, long long id, int approve, const char *by,
		   const char *comment, struct zcs_err *err);

/* ---- tamper evidence ---- */

enum records_problem {
	RECORDS_INTACT, RECORDS_ALTERED, RECORDS_INSERTED, RECORDS_MISSING,
	RECORDS_FORGED                    /* a signature does not match: rewritten */
};

struct records_verify {
	long long session_id;
	long long nrecords;               /* chained records checked */
	enum records_problem problem;     /* the first one found */
	long long seq;                    /* where (record number) */
	char message[512];                /* one sentence for a QA reviewer */
	char head[65];                    /* the chain's last hash */
	int chain;                        /* 1: recorded before signing, 2: signed */
	char signer[65];                  /* the session's key, hex ("" unsigned) */
	char fingerprint[32];             /* "ed25519:..." */
	int trusted;                      /* signer among the trusted keys */
	int closed;                       /* ends in a valid signed closing record */
	long long sig_seq;                /* the last signed record */
	char sig[129];                    /* its signature, hex ("" none) */
	int from_checkpoint;              /* reused a verified checkpoint */
};

/* Check one session's chain, its signatures and its stored summary.  -1
 * only when it could not be read. */
int records_verify(struct records *r, long long id, struct records_verify *out,
		   struct zcs_err *err);
/* 1 when v allows approval (intact, signed by a trusted key, closed). */
int records_verified_for_approval(const struct records_verify *v, char *why, size_t n);

/* Every session: unchanged sessions with a verified checkpoint (made by this
 * machine's key) are not read again unless `full`; each other session is
 * verified and, when intact and the file is writable, checkpointed.
 * `each` is called per session (may be NULL). */
struct records_verify_all {
	long long sessions, reread, from_checkpoint, bad;
};
int records_verify_all(struct records *r, int full,
		       void (*each)(const struct records_verify *, void *), void *arg,
		       struct records_verify_all *out, struct zcs_err *err);

/* ---- recovery ---- */

struct records_recovered {
	long long rows;                   /* copied */
	long long orphans;                /* read, but their parent row was lost */
	int damaged_spots;                /* places where reading failed and went on */
	int unreadable_tables;
};

/* Copy whatever can be read from the damaged file into the new file
 * `fresh` (which must not exist).  The damaged file is only read. */
int records_recover(const char *damaged, const char *fresh, struct records_recovered *out,
		    struct zcs_err *err);

/* ---- reports ---- */

/* RECORDS_HTML is the customer's copy: every value labelled in the
 * installer's words, a summary first (unit, batteries, meter, each part
 * passed or failed), the evidence after, printed on A4; never a checklist
 * key, a register name or a rule's expression.  RECORDS_HTML_QA is the
 * reviewer's copy: raw words, keys and every event. */
/* RECORDS_HTML_TRAINING is a training exercise's report: the score stored
 * in the session (its "training-score" event), the faults revealed, where
 * each was found, the wrong fixes and the time per step. */
enum records_format { RECORDS_TEXT, RECORDS_HTML, RECORDS_JSON, RECORDS_CSV, RECORDS_HTML_QA,
		      RECORDS_HTML_TRAINING };

/* Words for the customer's copy, from the register map and the checklist. */
struct records_words {
	void *ctx;
	/* A register-map name's label or a question's prompt; NULL when unknown. */
	const char *(*label)(void *ctx, const char *name);
	/* The title of the part step `step_id` belongs to; NULL when unknown. */
	const char *(*part)(void *ctx, const char *step_id);
};


/* The JSON export's "schema_version": 2 added ISO 8601 times ("started",
 * "ended", "time") next to the _ms ones and the signature fields of
 * "integrity". */
#define RECORDS_JSON_VERSION 2

/* "text", "html", "json", "csv", "qa-html", "training-html"; -1 when none. */
int records_format_parse(const char *name);
int records_export(struct records *r, long long id, enum records_format fmt, FILE *out,
		   struct zcs_err *err);
/* The stored score of a training exercise (the latest "training-score"
 * event's text, "key value" lines: engine/exercise.h), or NULL. */
const char *records_training_score(const struct records_session *s);
/* The same with words for the customer's copy (NULL: names made readable). */
int records_export_words(struct records *r, long long id, enum records_format fmt,
			 const struct records_words *w, FILE *out, struct zcs_err *err);

#endif
