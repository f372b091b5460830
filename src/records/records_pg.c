/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_pg: the records on a team's PostgreSQL server, through libpq.
 * See records_server.h for the promises and data/server/schema.sql for what
 * the server does on its side (the verification on arrival). */
#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/paths.h"
#include "base/util.h"
#include "records/records_int.h"
#include "records/records_server.h"

struct records_server {
	PGconn *conn;
	char *name;                   /* the URL without a password */
	char server_id[64];           /* zcs.server.id, "" before the schema */
	int version;                  /* zcs.schema_version, 0 when absent */
};

/* ---- connection and failures ---- */

/* "postgresql://user:secret@host/db" -> "postgresql://user@host/db";
 * "password=secret" -> "password=***". */
static char *redact(const char *url)
{
	char *s = xstrdup(url), *p;

	if ((p = strstr(s, "://"))) {
		char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');

		if (at && colon && colon < at && !memchr(p + 3, '/', (size_t)(at - p - 3)))
			memmove(colon, at, strlen(at) + 1);
	}
	if ((p = strstr(s, "password="))) {
		char *end = p + 9;

		while (*end && *end != ' ' && *end != '&')
			end++;
		memmove(p + 9, end, strlen(end) + 1);
		char *t = xasprintf("%.*s***%s", (int)(p + 9 - s), s, p + 9);

		free(s);
		s = t;
	}
	return s;
}

/* The server's message: its first line, without "FATAL:  " and the like. */
static const char *pg_message(const struct records_server *s, const PGresult *res, char *buf,
			      size_t n)
{
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char *c;

	if (!m || !*m)
		m = PQerrorMessage(s->conn);
	for (const char *const *p = (const char *const[]){ "FATAL:  ", "ERROR:  ", NULL }; *p; p++)
		if (strncmp(m, *p, strlen(*p)) == 0)
			m += strlen(*p);
	zcs_strlcpy(buf, m, n);
	if ((c = strchr(buf, '\n')))
		*c = '\0';
	return buf;
}

static int lost(const struct records_server *s)
{
	return PQstatus(s->conn) != CONNECTION_OK;
}

/* A failed statement as one sentence (ZCS_DB). */
static int pg_fail(struct records_server *s, PGresult *res, const char *doing, struct zcs_err *err)
{
	char m[400];

	pg_message(s, res, m, sizeof m);
	if (lost(s))
		return zcs_fail(err, ZCS_DB, "the connection to the records server %s was lost while "
				"%s: nothing already acknowledged is lost; try again when the network "
				"is back (the server said: %s)", s->name, doing, m);
	return zcs_fail(err, ZCS_DB, "the records server %s failed while %s: %s", s->name, doing,
			m);
}

/* Run `sql` with text parameters; NULL (err filled) unless it returned
 * rows or completed. */
static PGresult *pg_run(struct records_server *s, const char *sql, int n,
			const char *const *params, const char *doing, struct zcs_err *err)
{
	PGresult *res = PQexecParams(s->conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
		return res;
	pg_fail(s, res, doing, err);
	PQclear(res);
	return NULL;
}

static int read_identity(struct records_server *s, struct zcs_err *err)
{
	PGresult *res = pg_run(s, "SELECT to_regclass('zcs.schema_version') IS NOT NULL", 0, NULL,
			       "reading its schema", err);

	if (!res)
		return -1;
	int has = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';

	PQclear(res);
	s->version = 0;
	s->server_id[0] = '\0';
	if (!has)
		return 0;
	res = pg_run(s, "SELECT (SELECT max(version) FROM zcs.schema_version),"
		     " (SELECT id::text FROM zcs.server LIMIT 1)", 0, NULL, "reading its schema", err);
	if (!res)
		return -1;
	s->version = atoi(PQgetvalue(res, 0, 0));
	zcs_strlcpy(s->server_id, PQgetvalue(res, 0, 1), sizeof s->server_id);
	PQclear(res);
	return 0;
}

struct records_server *records_server_open(const char *url, struct zcs_err *err)
{
	static const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
	const char *vals[] = { "10", "zcs-commission", url, NULL };
	struct records_server *s;

	if (!url || !*url) {
		zcs_fail(err, ZCS_USAGE, "--server needs the records server's address, like "
			 "postgresql://qa.example.com/zcs");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->name = redact(url);
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		char m[400];

		zcs_strlcpy(m, s->conn ? PQerrorMessage(s->conn) : "out of memory", sizeof m);
		for (char *c = m; *c; c++)
			if (*c == '\n')
				*c = *(c + 1) ? ' ' : '\0';
		zcs_fail(err, ZCS_DB, "cannot reach the records server %s (%s): check the address "
			 "and the network; nothing on this laptop is lost, push again later", s->name,
			 m);
		records_server_close(s);
		return NULL;
	}
	PQclear(PQexec(s->conn, "SET client_min_messages = warning"));
	if (read_identity(s, err) < 0) {
		records_server_close(s);
		return NULL;
	}
	if (s->version > RECORDS_SERVER_SCHEMA_VERSION) {
		zcs_fail(err, ZCS_DB, "the records server %s has schema version %d, newer than this "
			 "zcs-commission knows (%d): it is left untouched; use a newer zcs-commission",
			 s->name, s->version, RECORDS_SERVER_SCHEMA_VERSION);
		records_server_close(s);
		return NULL;
	}
	return s;
}

void records_server_close(struct records_server *s)
{
	if (!s)
		return;
	PQfinish(s->conn);
	free(s->name);
	free(s);
}

const char *records_server_name(const struct records_server *s)
{
	return s->name;
}

static int need_schema(struct records_server *s, struct zcs_err *err)
{
	if (s->version >= RECORDS_SERVER_SCHEMA_VERSION)
		return 0;
	if (s->version == 0)
		return zcs_fail(err, ZCS_DB, "the records server %s has no zcs-commission schema "
				"yet: run 'zcs-commission records server-init --server URL' (or push)",
				s->name);
	return zcs_fail(err, ZCS_DB, "the records server %s has schema version %d: run "
			"'zcs-commission records server-init --server URL' to bring it to %d",
			s->name, s->version, RECORDS_SERVER_SCHEMA_VERSION);
}

/* ---- the schema file ---- */

static char *read_file(const char *path, struct zcs_err *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f) {
		zcs_fail(err, ZCS_DATA, "cannot read the server schema %s: %s (is the data "
			 "directory installed? ZCS_DATA_DIR names it)", path, strerror(errno));
		return NULL;
	}
	do {
		if (n + 4096 + 1 > cap)
			buf = xrealloc(buf, cap = cap * 2 + 8192);
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Start of the "-- version N" line for version v, or NULL; *next: the
 * start of the following version (or the end). */
static char *version_block(char *text, int v, char **next)
{
	char *found = NULL;

	for (char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		int n;

		if (strncmp(p, "-- version ", 11) != 0 || sscanf(p + 11, "%d", &n) != 1)
			continue;
		if (found) {
			*next = p;
			return found;
		}
		if (n == v)
			found = p;
	}
	*next = found ? found + strlen(found) : NULL;
	return found;
}

int records_server_init(struct records_server *s, int *from, int *to, struct zcs_err *err)
{
	char *path = paths_data_file("server/schema.sql");
	char *text = read_file(path, err);
	PGresult *res;
	int rc = -1;

	*from = *to = s->version;
	if (!text) {
		free(path);
		return -1;
	}
	res = PQexec(s->conn, "BEGIN; SELECT pg_advisory_xact_lock(7422917)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_fail(s, res, "preparing its schema", err);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	/* Read again under the lock: another laptop may have migrated. */
	if (read_identity(s, err) < 0 || s->version > RECORDS_SERVER_SCHEMA_VERSION)
		goto rollback;
	*from = s->version;
	for (int v = s->version + 1; v <= RECORDS_SERVER_SCHEMA_VERSION; v++) {
		char *next = NULL, *block = version_block(text, v, &next);
		char save;

		if (!block) {
			zcs_fail(err, ZCS_DATA, "%s has no version %d: it does not belong to this "
				 "zcs-commission", path, v);
			goto rollback;
		}
		save = *next;
		*next = '\0';
		res = PQexec(s->conn, block);
		*next = save;
		if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
			char m[400];

			zcs_fail(err, ZCS_DB, "the records server %s refused version %d of %s: %s",
				 s->name, v, path, pg_message(s, res, m, sizeof m));
			PQclear(res);
			goto rollback;
		}
		PQclear(res);
	}
	res = PQexec(s->conn, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_fail(s, res, "committing its schema", err);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	rc = read_identity(s, err);
	*to = s->version;
	goto out;
rollback:
	PQclear(PQexec(s->conn, "ROLLBACK"));
out:
	free(text);
	free(path);
	return rc;
}

/* ---- the laptop ---- */

int records_laptop_id(struct records *r, char out[33], struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT id FROM laptop LIMIT 1", err);
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		zcs_strlcpy(out, (const char *)sqlite3_column_text(st, 0), 33);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return zcs_fail(err, ZCS_DB, "the records database %s has no laptop identity: it was "
				"damaged; 'zcs-commission records recover' makes a new file", r->path);
	return rec_fail(r, rc, "reading the laptop's identity", err);
}

static void host_name(char *out, size_t n)
{
	if (gethostname(out, n) < 0 || !*out)
		zcs_strlcpy(out, "unknown", n);
	out[n - 1] = '\0';
}

/* ---- push ---- */

struct buf {
	char *b;
	size_t n, cap;
};

static void b_put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap)
		b->b = xrealloc(b->b, b->cap = (b->n + n + 1) * 2 + 4096);
	memcpy(b->b + b->n, s, n);
	b->n += n;
	b->b[b->n] = '\0';
}

static void b_str(struct buf *b, const char *s)
{
	b_put(b, s, strlen(s));
}

static void b_hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	if (b->n + n * 2 + 1 > b->cap)
		b->b = xrealloc(b->b, b->cap = (b->n + n * 2 + 1) * 2 + 4096);
	for (size_t i = 0; i < n; i++) {
		b->b[b->n++] = digits[p[i] >> 4];
		b->b[b->n++] = digits[p[i] & 15];
	}
	b->b[b->n] = '\0';
}

struct local_session {
	long long id, head_seq, acked_seq;
	char head_hash[65], acked_hash[65];
	char *step, *acked_step;
	int acked;
};

static int load_local(struct records *r, const char *server, struct local_session **out,
		      size_t *n, struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT s.id, s.head_seq, s.head_hash, s.current_step,"
				       " p.seq, p.hash, p.current_step, p.session_id IS NOT NULL"
				       " FROM sessions s LEFT JOIN pushed p ON p.session_id=s.id"
				       " AND p.server=? ORDER BY s.id", err);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	rec_bind_text(st, 1, server);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct local_session *l;

		if (*n == cap)
			*out = xrealloc(*out, (cap = cap * 2 + 16) * sizeof **out);
		l = &(*out)[(*n)++];
		memset(l, 0, sizeof *l);
		l->id = sqlite3_column_int64(st, 0);
		l->head_seq = sqlite3_column_int64(st, 1);
		if (sqlite3_column_text(st, 2))
			zcs_strlcpy(l->head_hash, (const char *)sqlite3_column_text(st, 2), 65);
		l->step = rec_col_text(st, 3);
		l->acked_seq = sqlite3_column_int64(st, 4);
		if (sqlite3_column_text(st, 5))
			zcs_strlcpy(l->acked_hash, (const char *)sqlite3_column_text(st, 5), 65);
		l->acked_step = rec_col_text(st, 6);
		l->acked = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "listing the sessions to push", err);
}

static void free_local(struct local_session *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].step);
		free(l[i].acked_step);
	}
	free(l);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The hash of local record `seq` of session `id` into out ("" when none). */
/* "SELECT seq, KIND, id, hash, sig FROM t WHERE session_id=?1 UNION ALL ...",
 * over every kind of chained record (sig NULL where the kind has none). */
static char *chain_union(void)
{
	struct buf b = { 0 };

	for (int k = 0; k < REC_NKINDS; k++) {
		char part[200];
		const char *t = rec_kind_name((enum rec_kind)k);
		int has_sig = k == REC_VERDICT || k == REC_REVIEW || k == REC_CLOSE;

		snprintf(part, sizeof part, "%sSELECT seq, %d kind, id, hash, %s sig FROM %s WHERE %s=?1",
			 k ? " UNION ALL " : "", k, has_sig ? "sig" : "NULL", t,
			 k == REC_SESSION ? "id" : "session_id");
		b_str(&b, part);
	}
	return b.b;
}

/* The hash of local record `seq` of session `id` into out ("" when none). */
static int local_hash(struct records *r, long long id, long long seq, char out[65],
		      struct zcs_err *err)
{
	char *u = chain_union(), *sql = xasprintf("SELECT hash FROM (%s) WHERE seq=?2", u);
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	free(u);
	free(sql);
	out[0] = '\0';
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, seq);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0))
		zcs_strlcpy(out, (const char *)sqlite3_column_text(st, 0), 65);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading the chain", err);
}

/* The chained records of a session after record `from` up to record `to`
 * (the head read before: a session being recorded meanwhile goes on past
 * it, and is pushed up to there), as the JSON array
 * zcs.push_session takes: [{"seq":..,"kind":..,"id":..,"hash":..,
 * "canon":"hex"},...].  *count set. */
static char *records_json(struct records *r, long long id, long long from, long long to,
			  long long *count, struct zcs_err *err)
{
	char *u = chain_union();
	char *sql = xasprintf("SELECT seq, kind, id, hash, sig FROM (%s) WHERE seq > ?2"
			      " AND seq <= ?3 ORDER BY seq, kind, id", u);
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	struct buf b = { 0 };
	int rc;

	free(u);
	free(sql);
	*count = 0;
	if (!st)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	b_str(&b, "[");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum rec_kind kind = (enum rec_kind)sqlite3_column_int(st, 1);
		long long rid = sqlite3_column_int64(st, 2);
		const unsigned char *h = sqlite3_column_text(st, 3);
		const unsigned char *sig = sqlite3_column_text(st, 4);
		char head[160];
		size_t len = 0;
		char *canon = rec_canon(r, kind, rid, &len, err);

		if (!canon) {
			sqlite3_finalize(st);
			free(b.b);
			return NULL;
		}
		/* a stored hash is 64 hex digits unless the file was tampered with */
		snprintf(head, sizeof head, "%s{\"seq\":%lld,\"kind\":\"%s\",\"id\":%lld,\"hash\":\"",
			 *count ? "," : "", (long long)sqlite3_column_int64(st, 0),
			 rec_kind_name(kind), rid);
		b_str(&b, head);
		for (const unsigned char *c = h; c && *c; c++)
			if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z'))
				b_put(&b, (const char *)c, 1);
		b_str(&b, "\",\"canon\":\"");
		b_hex(&b, (const unsigned char *)canon, len);
		b_str(&b, "\",\"sig\":");
		if (sig && *sig) {
			b_str(&b, "\"");
			for (const unsigned char *c = sig; *c; c++)
				if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))
					b_put(&b, (const char *)c, 1);
			b_str(&b, "\"}");
		} else {
			b_str(&b, "null}");
		}
		free(canon);
		(*count)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(b.b);
		rec_fail(r, rc, "reading a session to push", err);
		return NULL;
	}
	b_str(&b, "]");
	return b.b;
}

static int remember(struct records *r, const char *server, const struct local_session *l,
		    long long server_id, struct zcs_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (rec_begin(r, err) < 0)
		return -1;
	st = rec_prepare(r, "INSERT OR REPLACE INTO pushed(server, session_id, seq, hash,"
			 " current_step, server_id, at_ms) VALUES (?,?,?,?,?,?,?)", err);
	if (!st) {
		rec_rollback(r);
		return -1;
	}
	rec_bind_text(st, 1, server);
	sqlite3_bind_int64(st, 2, l->id);
	sqlite3_bind_int64(st, 3, l->head_seq);
	rec_bind_text(st, 4, l->head_hash);
	rec_bind_text(st, 5, l->step);
	sqlite3_bind_int64(st, 6, server_id);
	sqlite3_bind_int64(st, 7, zcs_wall_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rec_fail(r, rc, "remembering what the server acknowledged", err);
		rec_rollback(r);
		return -1;
	}
	return rec_commit(r, err);
}

struct push_ctx {
	struct records *r;
	struct records_server *s;
	FILE *log;
	const char *laptop;
	char host[128];
	struct records_push_report *rep;
};

/* 1 pushed, 0 refused (told on log), -1 stop (err filled). */
static int push_one(struct push_ctx *c, struct local_session *l, struct zcs_err *err)
{
	char local[32], head[32], srv_hash[65] = "", mine[65];
	const char *params[7];
	long long from = 0, count = 0, srv_seq = 0;
	PGresult *res;
	char *json;

	snprintf(local, sizeof local, "%lld", l->id);
	params[0] = c->laptop;
	params[1] = local;
	res = pg_run(c->s, "SELECT head_seq, head_hash FROM zcs.sessions WHERE laptop=$1"
		     " AND local_id=$2::bigint", 2, params, "asking what it holds", err);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		srv_seq = atoll(PQgetvalue(res, 0, 0));
		zcs_strlcpy(srv_hash, PQgetvalue(res, 0, 1), sizeof srv_hash);
	}
	PQclear(res);
	if (srv_seq > l->head_seq) {
		if (c->log)
			fprintf(c->log, "session %lld: not pushed: the server holds %lld of its records "
				"but this laptop only %lld: records were deleted here (see "
				"'zcs-commission records verify %lld')\n", l->id, srv_seq, l->head_seq,
				l->id);
		c->rep->refused++;
		return 0;
	}
	if (srv_seq > 0) {
		if (local_hash(c->r, l->id, srv_seq, mine, err) < 0)
			return -1;
		/* the same history up to the server's head: send only what follows */
		from = strcmp(mine, srv_hash) == 0 ? srv_seq : 0;
	}
	if (!(json = records_json(c->r, l->id, from, l->head_seq, &count, err)))
		return -1;
	snprintf(head, sizeof head, "%lld", l->head_seq);
	params[1] = c->host;
	params[2] = local;
	params[3] = json;
	params[4] = head;
	params[5] = l->head_hash;
	params[6] = l->step;
	params[0] = c->laptop;
	res = PQexecParams(c->s->conn, "SELECT server_id, head_seq, received FROM zcs.push_session("
			   "$1, $2, $3::bigint, $4::jsonb, $5::integer, $6, $7)", 7, NULL, params,
			   NULL, NULL, 0);
	free(json);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		long long sid = atoll(PQgetvalue(res, 0, 0));
		long long got = atoll(PQgetvalue(res, 0, 2));

		PQclear(res);
		c->rep->pushed++;
		c->rep->records += got;
		if (c->log)
			fprintf(c->log, "session %lld: pushed as server session %lld (%lld new record%s, "
				"%lld in all)\n", l->id, sid, got, got == 1 ? "" : "s", l->head_seq);
		/* Acknowledged: remembered here.  When this fails the server still has
		 * it, and the next push finds that out. */
		return remember(c->r, c->s->server_id, l, sid, err) < 0 ? -1 : 1;
	}
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	char m[512];

	pg_message(c->s, res, m, sizeof m);
	if (!lost(c->s) && state && strncmp(state, "ZC", 2) == 0) {
		if (c->log)
			fprintf(c->log, "session %lld: %s\n", l->id, m);
		c->rep->refused++;
		PQclear(res);
		return 0;
	}
	PQclear(res);
	if (lost(c->s))
		return zcs_fail(err, ZCS_DB, "the connection to the records server %s was lost while "
				"pushing session %lld: %lld session%s pushed before it; nothing is lost "
				"or doubled: the rest stay on this laptop, push again (the server said: "
				"%s)", c->s->name, l->id, c->rep->pushed,
				c->rep->pushed == 1 ? " was" : "s were", m);
	return zcs_fail(err, ZCS_DB, "the records server %s failed while receiving session %lld: "
			"%s", c->s->name, l->id, m);
}

int records_push(struct records *r, struct records_server *s, FILE *log,
		 struct records_push_report *out, struct zcs_err *err)
{
	struct push_ctx c = { .r = r, .s = s, .log = log, .rep = out };
	struct local_session *l = NULL;
	char laptop[33];
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (s->version < RECORDS_SERVER_SCHEMA_VERSION) {
		int from, to;

		if (records_server_init(s, &from, &to, err) < 0)
			return -1;
		if (log)
			fprintf(log, "the server had schema version %d: brought to %d\n", from, to);
	}
	if (records_laptop_id(r, laptop, err) < 0 || load_local(r, s->server_id, &l, &n, err) < 0) {
		free_local(l, n);
		return -1;
	}
	c.laptop = laptop;
	host_name(c.host, sizeof c.host);
	out->sessions = (long long)n;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct local_session *x = &l[i];

		if (x->head_seq == 0 || (x->acked && x->acked_seq == x->head_seq &&
					 strcmp(x->acked_hash, x->head_hash) == 0 &&
					 same_str(x->acked_step, x->step))) {
			out->unchanged++;
			continue;
		}
		if (push_one(&c, x, err) < 0)
			rc = -1;
	}
	free_local(l, n);
	if (rc == 0 && out->refused)
		rc = zcs_fail(err, ZCS_DB, "the records server %s refused %lld session%s (the reasons "
			      "are above); %lld pushed", s->name, out->refused,
			      out->refused == 1 ? "" : "s", out->pushed);
	return rc;
}

/* ---- pull ---- */

static int pulled_before(struct records *r, const char *server, const char *review,
			 struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, "SELECT 1 FROM pulled WHERE server=? AND review_id=?",
				       err);
	int rc;

	if (!st)
		return -1;
	rec_bind_text(st, 1, server);
	sqlite3_bind_int64(st, 2, atoll(review));
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, "reading what was pulled", err);
}

static int record_pulled(struct records *r, const char *server, PGresult *res, int i,
			 long long *local_review, struct zcs_err *err)
{
	long long session = atoll(PQgetvalue(res, i, 1));
	const char *comment = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
	sqlite3_stmt *st;
	int rc;

	if (rec_review_at(r, session, PQgetvalue(res, i, 3)[0] == 't', PQgetvalue(res, i, 2),
			  comment, atoll(PQgetvalue(res, i, 5)), local_review, err) < 0)
		return -1;
	st = rec_prepare(r, "INSERT INTO pulled(server, review_id, session_id, local_review, at_ms)"
			 " VALUES (?,?,?,?,?)", err);
	if (!st)
		goto fail;
	rec_bind_text(st, 1, server);
	sqlite3_bind_int64(st, 2, atoll(PQgetvalue(res, i, 0)));
	sqlite3_bind_int64(st, 3, session);
	sqlite3_bind_int64(st, 4, *local_review);
	sqlite3_bind_int64(st, 5, zcs_wall_ms());
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rec_fail(r, rc, "remembering a pulled review", err);
		goto fail;
	}
	return rec_commit(r, err);
fail:
	rec_rollback(r);
	return -1;
}

int records_pull(struct records *r, struct records_server *s, FILE *log,
		 struct records_pull_report *out, struct zcs_err *err)
{
	const char *params[1];
	char laptop[33];
	PGresult *res;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (need_schema(s, err) < 0 || records_laptop_id(r, laptop, err) < 0)
		return -1;
	params[0] = laptop;
	res = pg_run(s, "SELECT r.id, s.local_id, r.reviewer, r.approved, r.comment, r.wall_ms,"
		     " s.id FROM zcs.reviews r JOIN zcs.sessions s ON s.id = r.session_id"
		     " WHERE s.laptop = $1 AND r.origin = 'server' AND r.seq IS NULL"
		     " ORDER BY r.wall_ms, r.id", 1, params, "reading its reviews", err);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		long long local = atoll(PQgetvalue(res, i, 1)), review = 0;
		int approved = PQgetvalue(res, i, 3)[0] == 't';
		struct zcs_err e = { 0 };
		int before = pulled_before(r, s->server_id, PQgetvalue(res, i, 0), err);

		if (before < 0) {
			rc = -1;
			break;
		}
		if (before)
			continue;
		if (record_pulled(r, s->server_id, res, i, &review, &e) < 0) {
			if (e.code != ZCS_USAGE && e.code != ZCS_DB) {
				*err = e;
				rc = -1;
				break;
			}
			out->refused++;
			if (log)
				fprintf(log, "session %lld: the server's %s by %s is not recorded here: "
					"%s\n", local, approved ? "approval" : "rejection",
					PQgetvalue(res, i, 2), e.msg);
			continue;
		}
		out->reviews++;
		if (log)
			fprintf(log, "session %lld: %s by %s on the server (server session %s), "
				"recorded here\n", local, approved ? "approved" : "rejected",
				PQgetvalue(res, i, 2), PQgetvalue(res, i, 6));
	}
	PQclear(res);
	return rc;
}

/* ---- list ---- */

int records_server_list(struct records_server *s, const struct records_filter *f,
			struct records_summary **out, size_t *n, long long *total,
			struct zcs_err *err)
{
	static const char *const verdicts[] = { "incomplete", "passed", "failed" };
	static const char *const reviews[] = { "pending", "approved", "rejected" };
	struct records_filter any;
	struct buf sql = { 0 }, where = { 0 };
	const char *params[8];
	char from[32], to[32], cond[160];
	int np = 0;
	PGresult *res;

	*out = NULL;
	*n = 0;
	if (need_schema(s, err) < 0)
		return -1;
	if (!f) {
		records_filter_init(&any);
		f = &any;
	}
	b_str(&where, " WHERE s.head_seq > 0");
#define COND(fmt, val) do { params[np++] = (val); \
		snprintf(cond, sizeof cond, fmt, np); b_str(&where, cond); } while (0)
	snprintf(from, sizeof from, "%lld", (long long)f->from_ms);
	snprintf(to, sizeof to, "%lld", (long long)f->to_ms);
	if (f->from_ms)
		COND(" AND s.started_ms >= $%d::bigint", from);
	if (f->to_ms)
		COND(" AND s.started_ms < $%d::bigint", to);
	if (f->installer)
		COND(" AND lower(s.installer) = lower($%d)", f->installer);
	if (f->serial)
		COND(" AND s.serial = $%d", f->serial);
	if (f->verdict)
		COND(" AND s.verdict = $%d", f->verdict);
	if (f->failed_step)
		COND(" AND s.id IN (SELECT session_id FROM zcs.failed_steps WHERE step_id = $%d)",
		     f->failed_step);
	if (f->review)
		COND(" AND s.review = $%d", f->review);
#undef COND
	if (f->training >= 0)
		b_str(&where, f->training ? " AND s.training" : " AND NOT s.training");
	if (f->unfinished)
		b_str(&where, " AND NOT s.complete");
	*total = -1;
	b_str(&sql, "SELECT s.id, s.installer, s.site, s.customer, s.serial, s.model,"
	      " s.training::int, s.started_ms, coalesce(s.ended_ms, 0), s.complete::int,"
	      " s.current_step, s.nsteps, s.npassed, s.nfailed, s.nskipped, s.nna, s.verdict,"
	      " s.review, s.laptop, l.name, s.local_id"
	      " FROM zcs.sessions s JOIN zcs.laptops l ON l.id = s.laptop");
	b_str(&sql, where.b);
	free(where.b);
	if (f->limit > 0) {
		/* one more than asked: whether more match, without counting them */
		snprintf(cond, sizeof cond, " ORDER BY s.started_ms DESC, s.id DESC LIMIT %lld",
			 f->limit + 1);
		b_str(&sql, cond);
	} else {
		b_str(&sql, " ORDER BY s.started_ms, s.id");
	}
	res = pg_run(s, sql.b, np, params, "listing sessions", err);
	free(sql.b);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	if (f->limit > 0 && *n > (size_t)f->limit) {
		*n = (size_t)f->limit;
		*total = -2;
	}
	*out = xcalloc(*n ? *n : 1, sizeof **out);
	for (int i = 0; i < (int)*n; i++) {
		struct records_summary *x = &(*out)[i];
		const char *v;

#define TXT(c) (PQgetisnull(res, i, c) ? NULL : xstrdup(PQgetvalue(res, i, c)))
		x->id = atoll(PQgetvalue(res, i, 0));
		x->installer = TXT(1);
		x->site = TXT(2);
		x->customer = TXT(3);
		x->serial = TXT(4);
		x->model = TXT(5);
		x->training = atoi(PQgetvalue(res, i, 6));
		x->started_ms = atoll(PQgetvalue(res, i, 7));
		x->ended_ms = atoll(PQgetvalue(res, i, 8));
		x->state = atoi(PQgetvalue(res, i, 9)) ? RECORDS_COMPLETE : RECORDS_UNFINISHED;
		x->current_step = TXT(10);
		x->nsteps = atoi(PQgetvalue(res, i, 11));
		x->npassed = atoi(PQgetvalue(res, i, 12));
		x->nfailed = atoi(PQgetvalue(res, i, 13));
		x->nskipped = atoi(PQgetvalue(res, i, 14));
		x->nna = atoi(PQgetvalue(res, i, 15));
		v = PQgetvalue(res, i, 16);
		x->verdict = verdicts[!strcmp(v, "passed") ? 1 : !strcmp(v, "failed") ? 2 : 0];
		v = PQgetvalue(res, i, 17);
		x->review = reviews[!strcmp(v, "approved") ? 1 : !strcmp(v, "rejected") ? 2 : 0];
		x->laptop = TXT(18);
		x->laptop_name = TXT(19);
		x->local_id = atoll(PQgetvalue(res, i, 20));
#undef TXT
	}
	PQclear(res);
	for (size_t a = 0, b = *n; f->limit > 0 && a + 1 < b; a++, b--) { /* oldest first */
		struct records_summary t = (*out)[a];

		(*out)[a] = (*out)[b - 1];
		(*out)[b - 1] = t;
	}
	return 0;
}

/* ---- one session rebuilt from its canonical forms ---- */

/* One "name=..." field of a canonical form. */
struct cfield {
	const char *name, *val;
	size_t nlen, vlen;
	char type;
};

/* At *p (< end): 1 a field, 0 a section line ("inputs"; name set), -1 not a
 * canonical form.  *p moves past it. */
static int c_next(const char **p, const char *end, struct cfield *f)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	const char *eq = memchr(*p, '=', (size_t)(end - *p));

	if (!nl)
		return -1;
	f->name = *p;
	if (!eq || eq > nl) {
		f->nlen = (size_t)(nl - *p);
		*p = nl + 1;
		return 0;
	}
	f->nlen = (size_t)(eq - *p);
	if (eq + 1 >= end)
		return -1;
	f->type = eq[1];
	if (f->type == 's' || f->type == 'b') {
		char *colon;
		unsigned long len = strtoul(eq + 2, &colon, 10);

		if (colon >= end || *colon != ':' || len >= (size_t)(end - colon - 1) ||
		    colon[1 + len] != '\n')
			return -1;
		f->val = colon + 1;
		f->vlen = len;
		*p = colon + 2 + len;
		return 1;
	}
	if (!strchr("nir", f->type))
		return -1;
	f->val = eq + 2;
	f->vlen = (size_t)(nl - eq - 2);
	*p = nl + 1;
	return 1;
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 48)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* Insert one row of `table` from its fields. */
static int insert_fields(struct records *m, const char *table, const struct cfield *f,
			 size_t nf, struct zcs_err *err)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	int rc;

	b_str(&sql, "INSERT INTO ");
	b_str(&sql, table);
	b_str(&sql, "(");
	for (size_t i = 0; i < nf; i++) {
		b_str(&sql, i ? ",\"" : "\"");
		b_put(&sql, f[i].name, f[i].nlen);
		b_str(&sql, "\"");
	}
	b_str(&sql, ") VALUES (");
	for (size_t i = 0; i < nf; i++)
		b_str(&sql, i ? ",?" : "?");
	b_str(&sql, ")");
	st = rec_prepare(m, sql.b, err);
	free(sql.b);
	if (!st)
		return -1;
	for (size_t i = 0; i < nf; i++) {
		char num[64];

		snprintf(num, sizeof num, "%.*s", (int)(f[i].vlen < 63 ? f[i].vlen : 63), f[i].val);
		switch (f[i].type) {
		case 'n': sqlite3_bind_null(st, (int)i + 1); break;
		case 'i': sqlite3_bind_int64(st, (int)i + 1, strtoll(num, NULL, 10)); break;
		case 'r': sqlite3_bind_double(st, (int)i + 1, strtod(num, NULL)); break;
		case 'b': sqlite3_bind_blob(st, (int)i + 1, f[i].val, (int)f[i].vlen,
					    SQLITE_TRANSIENT); break;
		default: sqlite3_bind_text(st, (int)i + 1, f[i].val, (int)f[i].vlen,
					   SQLITE_TRANSIENT); break;
		}
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(m, rc, "rebuilding a session from the server", err);
}

/* The session's unit columns from an "identified" event's "unit" section. */
static int update_unit(struct records *m, long long local, const struct cfield *f, size_t nf,
		       struct zcs_err *err)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	int rc;

	b_str(&sql, "UPDATE sessions SET ");
	for (size_t i = 0; i < nf; i++) {
		b_str(&sql, i ? ",\"" : "\"");
		b_put(&sql, f[i].name, f[i].nlen);
		b_str(&sql, "\"=?");
	}
	b_str(&sql, " WHERE id=?");
	st = rec_prepare(m, sql.b, err);
	free(sql.b);
	if (!st)
		return -1;
	for (size_t i = 0; i < nf; i++)
		if (f[i].type == 'n')
			sqlite3_bind_null(st, (int)i + 1);
		else
			sqlite3_bind_text(st, (int)i + 1, f[i].val, (int)f[i].vlen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, (int)nf + 1, local);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(m, rc, "rebuilding a session from the server", err);
}

/* Rows of the canonical form `c` into `m`: the record's own row, then (a
 * verdict) its inputs and samples rows, (an "identified" event) the unit
 * it sealed into the session's row. */
static int rebuild_record(struct records *m, const char *kind, long long local, const char *c,
			  size_t len, struct zcs_err *err)
{
	const char *p = c, *end = c + len;
	struct cfield *f = NULL, sec;
	size_t nf = 0, cap = 0;
	char table[16];
	int rc = 0, k;

	if ((k = c_next(&p, end, &sec)) != 0 || sec.nlen >= sizeof table ||
	    strncmp(sec.name, kind, sec.nlen) != 0 || kind[sec.nlen])
		goto bad;
	zcs_strlcpy(table, kind, sizeof table);
	for (;;) {
		struct cfield x;
		int flush = p >= end;

		if (!flush && (k = c_next(&p, end, &x)) < 0)
			goto bad;
		/* a row ends at a section line, at the end, or where its first
		 * column comes again */
		if (!flush && k == 1 && !(nf && x.nlen == f[0].nlen &&
					 !memcmp(x.name, f[0].name, x.nlen))) {
			if (!name_ok(x.name, x.nlen))
				goto bad;
			if (nf == cap)
				f = xrealloc(f, (cap = cap * 2 + 16) * sizeof *f);
			f[nf++] = x;
			continue;
		}
		if (nf && (rc = strcmp(table, "unit") == 0 ? update_unit(m, local, f, nf, err)
				      : insert_fields(m, table, f, nf, err)) < 0)
			break;
		nf = 0;
		if (flush)
			break;
		if (k == 0) {
			if (!(x.nlen == 6 && !memcmp(x.name, "inputs", 6)) &&
			    !(x.nlen == 7 && !memcmp(x.name, "samples", 7)) &&
			    !(x.nlen == 4 && !memcmp(x.name, "unit", 4) && !strcmp(kind, "events")))
				goto bad;
			snprintf(table, sizeof table, "%.*s", (int)x.nlen, x.name);
		} else {
			f[nf++] = x;              /* the first column of the next row */
		}
	}
	free(f);
	return rc;
bad:
	free(f);
	return zcs_fail(err, ZCS_DB, "a %s record from the server is not a canonical form this "
			"zcs-commission reads", kind);
}

static unsigned char *unhex(const char *h, size_t *n)
{
	size_t len = strlen(h) / 2;
	unsigned char *b = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		unsigned v = 0;

		sscanf(h + 2 * i, "%2x", &v);
		b[i] = (unsigned char)v;
	}
	*n = len;
	return b;
}

static int set_hash(struct records *m, const char *kind, long long id, const char *hash,
		    struct zcs_err *err)
{
	char sql[96];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "UPDATE %s SET hash=? WHERE id=?", kind);
	if (!(st = rec_prepare(m, sql, err)))
		return -1;
	rec_bind_text(st, 1, hash);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(m, rc, "rebuilding a session", err);
}

/* The kind whose table is `t`, -1 when none. */
static int known_kind(const char *t)
{
	for (int k = 0; k < REC_NKINDS; k++)
		if (!strcmp(t, rec_kind_name((enum rec_kind)k)))
			return k;
	return -1;
}

static int set_sig(struct records *m, const char *kind, long long id, const char *sig,
		   struct zcs_err *err)
{
	char sql[96];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "UPDATE %s SET sig=? WHERE id=?", kind);
	if (!(st = rec_prepare(m, sql, err)))
		return -1;
	rec_bind_text(st, 1, sig);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(m, rc, "rebuilding a session", err);
}

static int rebuild(struct records_server *s, struct records *m, const char *sid,
		   long long local, PGresult *head, struct zcs_err *err)
{
	const char *params[1] = { sid };
	PGresult *res = pg_run(s, "SELECT kind, local_id, hash, encode(canon, 'hex'),"
			       " encode(sig, 'hex') FROM zcs.records WHERE session_id = $1::bigint"
			       " ORDER BY seq", 1, params, "reading a session", err);
	sqlite3_stmt *st;
	int rc = 0;

	if (!res)
		return -1;
	if (rec_begin(m, err) < 0) {
		PQclear(res);
		return -1;
	}
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		const char *kind = PQgetvalue(res, i, 0);
		size_t len;
		unsigned char *canon;

		if (known_kind(kind) < 0) {
			rc = zcs_fail(err, ZCS_DB, "the server holds a record of an unknown kind '%s'",
				      kind);
			break;
		}
		canon = unhex(PQgetvalue(res, i, 3), &len);
		rc = rebuild_record(m, kind, local, (const char *)canon, len, err);
		free(canon);
		if (rc == 0)
			rc = set_hash(m, kind, atoll(PQgetvalue(res, i, 1)), PQgetvalue(res, i, 2), err);
		if (rc == 0 && !PQgetisnull(res, i, 4))
			rc = set_sig(m, kind, atoll(PQgetvalue(res, i, 1)), PQgetvalue(res, i, 4), err);
	}
	PQclear(res);
	/* what is not chained: where it stands, as the server knows it */
	if (rc == 0 && !(st = rec_prepare(m, "UPDATE sessions SET complete=?, ended_ms=?,"
					  " current_step=?, head_seq=?, head_hash=? WHERE id=?", err)))
		rc = -1;
	if (rc == 0) {
		sqlite3_bind_int(st, 1, PQgetvalue(head, 0, 0)[0] == 't');
		if (PQgetisnull(head, 0, 1))
			sqlite3_bind_null(st, 2);
		else
			sqlite3_bind_int64(st, 2, atoll(PQgetvalue(head, 0, 1)));
		rec_bind_text(st, 3, PQgetisnull(head, 0, 2) ? NULL : PQgetvalue(head, 0, 2));
		sqlite3_bind_int64(st, 4, atoll(PQgetvalue(head, 0, 3)));
		rec_bind_text(st, 5, PQgetisnull(head, 0, 4) ? NULL : PQgetvalue(head, 0, 4));
		sqlite3_bind_int64(st, 6, local);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = rec_fail(m, sqlite3_errcode(m->db), "rebuilding a session", err);
		sqlite3_finalize(st);
		if (rc == 0)
			rc = rec_summary_update(m, local, err);
	}
	if (rc < 0) {
		rec_rollback(m);
		return -1;
	}
	return rec_commit(m, err);
}

/* The server's reviews not in the laptop's chain yet, appended to it. */
static int add_server_reviews(struct records_server *s, struct records *m, const char *sid,
			      long long local, struct zcs_err *err)
{
	const char *params[1] = { sid };
	PGresult *res = pg_run(s, "SELECT reviewer, approved, comment, wall_ms FROM zcs.reviews"
			       " WHERE session_id = $1::bigint AND origin = 'server' AND seq IS NULL"
			       " ORDER BY wall_ms, id", 1, params, "reading its reviews", err);
	int rc = 0;

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
		/* decided on the server, which checked it (zcs.review) */
		if (rec_begin(m, err) < 0)
			rc = -1;
		else if (rec_review_insert(m, local, PQgetvalue(res, i, 1)[0] == 't',
					   PQgetvalue(res, i, 0),
					   PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2),
					   atoll(PQgetvalue(res, i, 3)), err) < 0) {
			rec_rollback(m);
			rc = -1;
		} else {
			rc = rec_commit(m, err);
		}
	}
	PQclear(res);
	return rc;
}

struct records *records_server_copy(struct records_server *s, long long id, long long *local_id,
				    struct records_summary *sum, struct zcs_err *err)
{
	char sid[32];
	const char *params[1] = { sid };
	struct records *m;
	PGresult *head;

	if (need_schema(s, err) < 0)
		return NULL;
	snprintf(sid, sizeof sid, "%lld", id);
	head = pg_run(s, "SELECT complete, ended_ms, current_step, head_seq, head_hash, local_id,"
		      " laptop, (SELECT name FROM zcs.laptops l WHERE l.id = laptop)"
		      " FROM zcs.sessions WHERE id = $1::bigint AND head_seq > 0", 1, params,
		      "reading a session", err);
	if (!head)
		return NULL;
	if (PQntuples(head) != 1) {
		PQclear(head);
		zcs_fail(err, ZCS_USAGE, "there is no session %lld on the records server %s: see "
			 "'zcs-commission records list --server URL'", id, s->name);
		return NULL;
	}
	*local_id = atoll(PQgetvalue(head, 0, 5));
	if (sum) {
		memset(sum, 0, sizeof *sum);
		sum->id = id;
		sum->local_id = *local_id;
		sum->laptop = xstrdup(PQgetvalue(head, 0, 6));
		sum->laptop_name = PQgetisnull(head, 0, 7) ? NULL : xstrdup(PQgetvalue(head, 0, 7));
	}
	if (!(m = records_open(":memory:", err)) ||
	    rebuild(s, m, sid, *local_id, head, err) < 0 ||
	    add_server_reviews(s, m, sid, *local_id, err) < 0) {
		records_close(m);
		m = NULL;
	}
	PQclear(head);
	return m;
}

/* ---- verify and review on the server ---- */

int records_server_verify(struct records_server *s, long long id, struct records_verify *out,
			  struct zcs_err *err)
{
	char sid[32];
	const char *params[1] = { sid };
	PGresult *res;
	const char *p;

	memset(out, 0, sizeof *out);
	out->session_id = id;
	if (need_schema(s, err) < 0)
		return -1;
	snprintf(sid, sizeof sid, "%lld", id);
	res = pg_run(s, "SELECT v.problem, v.seq, v.message, v.nrecords, v.head FROM zcs.sessions s,"
		     " zcs.verify_session(s.id) v WHERE s.id = $1::bigint", 1, params,
		     "verifying a session", err);
	if (!res)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return zcs_fail(err, ZCS_USAGE, "there is no session %lld on the records server %s",
				id, s->name);
	}
	p = PQgetvalue(res, 0, 0);
	out->problem = !strcmp(p, "intact") ? RECORDS_INTACT : !strcmp(p, "missing")
		       ? RECORDS_MISSING : RECORDS_ALTERED;
	out->seq = atoll(PQgetvalue(res, 0, 1));
	zcs_strlcpy(out->message, PQgetvalue(res, 0, 2), sizeof out->message);
	out->nrecords = atoll(PQgetvalue(res, 0, 3));
	zcs_strlcpy(out->head, PQgetvalue(res, 0, 4), sizeof out->head);
	PQclear(res);
	return 0;
}

int records_server_review(struct records_server *s, long long id, int approve, const char *by,
			  const char *comment, struct zcs_err *err)
{
	char sid[32];
	const char *params[4] = { sid, approve ? "t" : "f", by, comment };
	PGresult *res;

	if (!by || !*by)
		return zcs_fail(err, ZCS_USAGE, "a review needs the reviewer's name (--by NAME)");
	if (need_schema(s, err) < 0)
		return -1;
	snprintf(sid, sizeof sid, "%lld", id);
	res = PQexecParams(s->conn, "SELECT zcs.review($1::bigint, $2::boolean, $3, $4)", 4, NULL,
			   params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	char m[512];

	if (!lost(s) && state && (!strcmp(state, "ZC010") || !strcmp(state, "ZC011"))) {
		enum zcs_status code = !strcmp(state, "ZC010") ? ZCS_USAGE : ZCS_DB;

		pg_message(s, res, m, sizeof m);
		PQclear(res);
		return zcs_fail(err, code, "%s", m);
	}
	pg_fail(s, res, "recording the review", err);
	PQclear(res);
	return -1;
}
