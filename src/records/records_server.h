/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_server: the team's records on a PostgreSQL server (libpq).
 *
 * Promises:
 *  - the server's schema is data/server/schema.sql, versioned by the table
 *    zcs.schema_version and migrated like the local file: the versions the
 *    database lacks are applied in one transaction, under a lock, by
 *    records_server_init or by the first push; a server newer than this
 *    program is never written (zcs-records-server(5));
 *  - push is offline-first, idempotent and resumable: each session goes in
 *    its own transaction (zcs.push_session), only the records the server
 *    does not hold yet are sent, the laptop remembers in its own file what
 *    the server acknowledged (the last record of each session), and a push
 *    cut at any moment loses nothing and duplicates nothing: push again;
 *  - the server verifies each record on arrival (zcs.receive(): the hash
 *    chain recomputed in the insert path) and refuses a session whose chain
 *    does not hold, with a named reason; the other sessions still go;
 *  - a laptop is known by the stable id kept in its records file, so two
 *    laptops' sessions with the same number or serial are both kept;
 *  - list, show, export, verify and review work on the server as they do on
 *    the local file; pull brings the server's reviews into the laptop's
 *    chain (where the next push hands them back, recognised, not doubled);
 *  - every statement uses bound parameters. */
#ifndef ZCS_RECORDS_SERVER_H
#define ZCS_RECORDS_SERVER_H

#include <stdio.h>

#include "records/records.h"

/* The schema version this program speaks (the newest in schema.sql). */
#define RECORDS_SERVER_SCHEMA_VERSION 1

struct records_server;

/* Connect to `url` (postgresql://... or a libpq "key=value" string).  The
 * schema is checked, not applied: records_server_init does that. */
struct records_server *records_server_open(const char *url, struct zcs_err *err);
void records_server_close(struct records_server *s);
/* The URL without its password, for messages. */
const char *records_server_name(const struct records_server *s);

/* Apply the schema versions the database lacks (from data/server/
 * schema.sql); *from and *to: the versions before and after. */
int records_server_init(struct records_server *s, int *from, int *to, struct zcs_err *err);

/* The laptop's stable id (32 hex digits) kept in the records file. */
int records_laptop_id(struct records *r, char out[33], struct zcs_err *err);

struct records_push_report {
	long long sessions;          /* in the local file */
	long long pushed;            /* sent and acknowledged now */
	long long unchanged;         /* the server already held them */
	long long records;           /* records the server received now */
	long long refused;           /* refused by the server (reasons on `log`) */
};

/* Push every session the server does not hold whole.  Each sent or refused
 * session gets one line on `log` (may be NULL).  A refusal does not stop
 * the others and ends in a ZCS_DB error after them; a lost connection stops
 * the push with a ZCS_DB error saying what was sent. */
int records_push(struct records *r, struct records_server *s, FILE *log,
		 struct records_push_report *out, struct zcs_err *err);

struct records_pull_report {
	long long reviews;           /* server reviews recorded in the laptop's chain now */
	long long refused;           /* not recorded: the local check said no (on `log`) */
};

/* Bring the server's reviews of this laptop's sessions into the local file. */
int records_pull(struct records *r, struct records_server *s, FILE *log,
		 struct records_pull_report *out, struct zcs_err *err);

/* records_list on the server: ids are the server's; laptop, laptop_name and
 * local_id are set.  With f->limit, the newest f->limit, and *total -2 when
 * more match (they are not counted); -1 otherwise.  Free with
 * records_free_list. */
int records_server_list(struct records_server *s, const struct records_filter *f,
			struct records_summary **out, size_t *n, long long *total,
			struct zcs_err *err);

/* Session `id` of the server, rebuilt from its received records into an
 * in-memory records file (the laptop's own form, so records_export and
 * records_verify work on it as on the laptop), with the server's reviews
 * that are not in the laptop's chain yet appended.  *local_id: its number
 * in that file; `sum` (may be NULL) gets its server summary. */
struct records *records_server_copy(struct records_server *s, long long id, long long *local_id,
				    struct records_summary *sum, struct zcs_err *err);

/* The server's own check of a session's chain (zcs.verify_session). */
int records_server_verify(struct records_server *s, long long id, struct records_verify *out,
			  struct zcs_err *err);

/* A QA decision taken on the server (zcs.review): approval needs a finished
 * session whose chain is intact on the server. */
int records_server_review(struct records_server *s, long long id, int approve, const char *by,
			  const char *comment, struct zcs_err *err);

#endif
