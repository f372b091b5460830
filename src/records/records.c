/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records: opening the file, its schema and migrations, and turning SQLite's
 * failures into sentences.  See records.h for the promises. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/util.h"
#include "base/utf8.h"
#include "records/records_int.h"

#define BUSY_MS_DEFAULT 5000

/* Version 1: the whole schema.  Later versions append a step to
 * `migrations`, run in order inside one transaction. */
static const char schema_v1[] =
	"CREATE TABLE sessions("
	" id INTEGER PRIMARY KEY,"
	" installer TEXT, site TEXT, customer TEXT,"
	" serial TEXT, layout TEXT, family TEXT, model TEXT,"
	" fw_com TEXT, fw_master TEXT, fw_slave TEXT, link TEXT,"
	" checklist_version TEXT, checklist_hash TEXT,"
	" training INTEGER NOT NULL DEFAULT 0,"
	" started_ms INTEGER NOT NULL,"
	" ended_ms INTEGER,"
	" complete INTEGER NOT NULL DEFAULT 0,"
	" current_step TEXT,"
	" seq INTEGER, hash TEXT,"
	" head_seq INTEGER NOT NULL DEFAULT 0, head_hash TEXT);"
	"CREATE TABLE verdicts("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" step_id TEXT NOT NULL, section TEXT, title TEXT,"
	" status TEXT NOT NULL,"
	" started_ms INTEGER, ended_ms INTEGER,"
	" detail TEXT, remedy TEXT, reason TEXT, override_by TEXT,"
	" seq INTEGER, hash TEXT);"
	"CREATE INDEX verdicts_session ON verdicts(session_id, step_id);"
	"CREATE TABLE inputs("
	" verdict_id INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL, key TEXT NOT NULL, value TEXT,"
	" PRIMARY KEY(verdict_id, idx));"
	"CREATE TABLE samples("
	" verdict_id INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL, name TEXT NOT NULL, unit TEXT, value REAL, text TEXT,"
	" raw TEXT, slave INTEGER, wall_ms INTEGER,"
	" PRIMARY KEY(verdict_id, idx));"
	"CREATE TABLE writes("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" step_id TEXT, reg TEXT NOT NULL, addr INTEGER, slave INTEGER,"
	" before REAL, written REAL, readback REAL,"
	" raw_before INTEGER, raw_written INTEGER, raw_readback INTEGER,"
	" ok INTEGER NOT NULL, confirmed_by TEXT, wall_ms INTEGER,"
	" seq INTEGER, hash TEXT);"
	"CREATE INDEX writes_session ON writes(session_id);"
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" kind TEXT NOT NULL, detail TEXT, wall_ms INTEGER,"
	" seq INTEGER, hash TEXT);"
	"CREATE INDEX events_session ON events(session_id);"
	"CREATE TABLE reviews("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" reviewer TEXT NOT NULL, approved INTEGER NOT NULL, comment TEXT, wall_ms INTEGER,"
	" seq INTEGER, hash TEXT);"
	"CREATE INDEX reviews_session ON reviews(session_id);"
	"CREATE TABLE answers("
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" step_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, wall_ms INTEGER,"
	" PRIMARY KEY(session_id, step_id, key));";

/* Version 2: signed sessions.  The session header names its chain version
 * and signer; every column the list, resume and the verdict read is either
 * a chained record (answers, steps entered, the closing record) or a stored
 * summary that records_verify recomputes from them; verdicts, closing
 * records and reviews carry a signature of the chain's head; verified
 * checkpoints (dropped by triggers whenever a session's rows change);
 * the indexes the list's filters need; the open read-write connections,
 * to know after a crash that the file needs its full check. */
static const char schema_v2[] =
	"ALTER TABLE sessions ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE sessions ADD COLUMN signer TEXT;"
	"ALTER TABLE sessions ADD COLUMN nsteps INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN npassed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN nfailed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN nskipped INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN nna INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE sessions ADD COLUMN verdict TEXT NOT NULL DEFAULT 'incomplete';"
	"ALTER TABLE sessions ADD COLUMN review TEXT NOT NULL DEFAULT 'pending';"
	"ALTER TABLE verdicts ADD COLUMN sig TEXT;"
	"ALTER TABLE reviews ADD COLUMN signer TEXT;"
	"ALTER TABLE reviews ADD COLUMN sig TEXT;"
	"CREATE TABLE answers_v2("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" step_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, wall_ms INTEGER,"
	" seq INTEGER, hash TEXT);"
	"INSERT INTO answers_v2(session_id, step_id, key, value, wall_ms)"
	" SELECT session_id, step_id, key, value, wall_ms FROM answers ORDER BY wall_ms, rowid;"
	"DROP TABLE answers;"
	"ALTER TABLE answers_v2 RENAME TO answers;"
	"CREATE INDEX answers_session ON answers(session_id, step_id, key);"
	"CREATE TABLE step_entries("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" step_id TEXT, wall_ms INTEGER, seq INTEGER, hash TEXT);"
	"CREATE INDEX step_entries_session ON step_entries(session_id);"
	"CREATE TABLE closings("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" complete INTEGER NOT NULL, nrecords INTEGER NOT NULL, wall_ms INTEGER,"
	" seq INTEGER, hash TEXT, sig TEXT);"
	"CREATE INDEX closings_session ON closings(session_id);"
	"CREATE TABLE checkpoints("
	" session_id INTEGER PRIMARY KEY, head_seq INTEGER NOT NULL, head_hash TEXT NOT NULL,"
	" signer TEXT, closed INTEGER NOT NULL, nrecords INTEGER NOT NULL, mac TEXT NOT NULL);"
	"CREATE INDEX sessions_started ON sessions(started_ms);"
	"CREATE INDEX sessions_installer ON sessions(installer COLLATE NOCASE, started_ms);"
	"CREATE INDEX sessions_serial ON sessions(serial, started_ms);"
	"CREATE INDEX sessions_verdict ON sessions(verdict, started_ms);"
	"CREATE INDEX sessions_open ON sessions(complete, started_ms);"
	"CREATE INDEX sessions_review ON sessions(review, started_ms);"
	"CREATE INDEX verdicts_failed ON verdicts(step_id, status, session_id);"
	REC_CHECKPOINT_TRIGGERS
	"UPDATE sessions SET " REC_SUMMARY_SET ";";

/* Version 3: fleet sync.  The laptop's stable identity (what a records
 * server knows this file by), and what each server acknowledged: the last
 * record of each session it holds, and the server reviews pulled back.
 * None of it is chained: it says where copies are, not what happened. */
static const char schema_v3[] =
	"CREATE TABLE laptop("
	" id TEXT NOT NULL CHECK (length(id) = 32), created_ms INTEGER);"
	"INSERT INTO laptop(id, created_ms) VALUES (lower(hex(randomblob(16))),"
	" CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));"
	"CREATE TABLE pushed("
	" server TEXT NOT NULL,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" seq INTEGER NOT NULL, hash TEXT NOT NULL, current_step TEXT,"
	" server_id INTEGER, at_ms INTEGER,"
	" PRIMARY KEY(server, session_id));"
	"CREATE TABLE pulled("
	" server TEXT NOT NULL, review_id INTEGER NOT NULL,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id),"
	" local_review INTEGER REFERENCES reviews(id), at_ms INTEGER,"
	" PRIMARY KEY(server, review_id));";

static const char *const migrations[] = {
	schema_v1,              /* 0 -> 1 */
	schema_v2,              /* 1 -> 2 */
	schema_v3,              /* 2 -> 3 */
};

_Static_assert(sizeof migrations / sizeof migrations[0] == RECORDS_SCHEMA_VERSION,
	       "one migration per schema version");

/* ---- failures ---- */

static int damaged(struct zcs_err *err, const char *path, const char *what, const char *doing)
{
	return zcs_fail(err, ZCS_DB, "the records database %s is damaged (%s)%s%s: nothing more "
			"will be written to it.  To recover, 'zcs-commission records recover %s "
			"NEW.db' copies whatever can still be read into a new file (the damaged one "
			"is only read); then go on with --db NEW.db", path, what,
			doing ? " while " : "", doing ? doing : "", path);
}

int rec_fail(struct records *r, int rc, const char *doing, struct zcs_err *err)
{
	const char *p = r && r->path ? r->path : "(records)";
	const char *what = r && r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return zcs_fail(err, ZCS_DB, "the records database %s is locked by another program "
				"(another zcs-commission?) while %s: close it and try again; nothing "
				"recorded so far is lost", p, doing);
	case SQLITE_READONLY:
		return zcs_fail(err, ZCS_DB, "the records database %s cannot be written (the file "
				"or its directory is read-only) while %s: use --db FILE on a writable "
				"disk; nothing recorded so far is lost", p, doing);
	case SQLITE_CANTOPEN:
		return zcs_fail(err, ZCS_DB, "cannot open the records database %s (its directory "
				"is missing or not writable) while %s: use --db FILE in a directory you "
				"can write", p, doing);
	case SQLITE_FULL:
		return zcs_fail(err, ZCS_DB, "the disk holding the records database %s is full "
				"while %s: nothing recorded before is lost; free some space and go on "
				"with 'zcs-commission resume'", p, doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (r)
			r->damaged = 1;
		return damaged(err, p, what, doing);
	case SQLITE_IOERR:
		return zcs_fail(err, ZCS_DB, "the disk failed under the records database %s while "
				"%s (%s): check the disk; nothing committed before is lost", p, doing,
				what);
	default:
		return zcs_fail(err, ZCS_DB, "the records database %s failed while %s: %s", p,
				doing, what);
	}
}

sqlite3_stmt *rec_prepare(struct records *r, const char *sql, struct zcs_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK) {
		rec_fail(r, rc, "reading its tables", err);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int rec_exec(struct records *r, const char *sql, const char *doing, struct zcs_err *err)
{
	int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : rec_fail(r, rc, doing, err);
}

int rec_begin(struct records *r, struct zcs_err *err)
{
	if (r->readonly)
		return zcs_fail(err, ZCS_DB, "the records database %s was opened for reading only",
				r->path);
	if (r->damaged)
		return damaged(err, r->path, "found earlier in this run", NULL);
	return rec_exec(r, "BEGIN IMMEDIATE", "starting to record", err);
}

int rec_commit(struct records *r, struct zcs_err *err)
{
	int rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	rec_fail(r, rc, "committing", err);
	rec_rollback(r);
	return -1;
}

void rec_rollback(struct records *r)
{
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
}

void rec_read_begin(struct records *r)
{
	if (sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "BEGIN DEFERRED", NULL, NULL, NULL);
}

void rec_read_end(struct records *r)
{
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
}

void rec_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

char *rec_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

int rec_each_row(struct records *r, const char *sql, long long id,
		 void (*row)(sqlite3_stmt *, void *), void *arg, const char *doing,
		 struct zcs_err *err)
{
	sqlite3_stmt *st = rec_prepare(r, sql, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row(st, arg);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : rec_fail(r, rc, doing, err);
}

/* ---- paths ---- */

static int mkdir_p(const char *dir, struct zcs_err *err)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			int e = errno;

			zcs_fail(err, ZCS_DB, "cannot create the directory %s for the records "
				 "database: %s; use --db FILE somewhere you can write", p, strerror(e));
			if (err)
				err->sys_errno = e;
			free(p);
			return -1;
		}
		if (!c)
			break;
		*s = c;
	}
	free(p);
	return 0;
}

char *records_default_path(int create, struct zcs_err *err)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir;

	if (xdg && *xdg == '/')
		dir = xasprintf("%s/zcs-commission", xdg);
	else if (home && *home)
		dir = xasprintf("%s/.local/share/zcs-commission", home);
	else {
		zcs_fail(err, ZCS_DB, "neither XDG_DATA_HOME nor HOME is set: give the records "
			 "database with --db FILE");
		return NULL;
	}
	if (create && mkdir_p(dir, err) < 0) {
		free(dir);
		return NULL;
	}
	char *path = xasprintf("%s/records.db", dir);

	free(dir);
	return path;
}

/* ---- opening ---- */

static int busy_ms(void)
{
	const char *s = getenv("ZCS_DB_BUSY_MS");
	long v;

	if (s && zcs_parse_long(s, &v) == 0 && v >= 0 && v <= 600000)
		return (int)v;
	return BUSY_MS_DEFAULT;
}

static int pragma_int(struct records *r, const char *sql, long long *out, struct zcs_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : rec_fail(r, rc, "reading its header", err);
}

/* Is this file ours, and which schema version?  0 with *version set. */
static int check_identity(struct records *r, long long *version, struct zcs_err *err)
{
	long long app = 0, tables = 0;

	if (pragma_int(r, "PRAGMA application_id", &app, err) < 0 ||
	    pragma_int(r, "PRAGMA user_version", version, err) < 0 ||
	    pragma_int(r, "SELECT count(*) FROM sqlite_schema", &tables, err) < 0)
		return -1;
	if (app == RECORDS_APPLICATION_ID || (app == 0 && tables == 0 && *version == 0))
		return 0;
	return zcs_fail(err, ZCS_DB, "%s is not a zcs-commission records database (it belongs "
			"to another program): give another file with --db", r->path);
}

static int check_version(struct records *r, long long version, struct zcs_err *err)
{
	if (version <= RECORDS_SCHEMA_VERSION)
		return 0;
	return zcs_fail(err, ZCS_DB, "the records database %s was written by a newer "
			"zcs-commission (schema %lld; this one knows up to %d): it is left "
			"untouched; use the newer program, or --db FILE for a new file", r->path,
			version, RECORDS_SCHEMA_VERSION);
}

/* PRAGMA integrity_check or quick_check: "ok" or the damage. */
static int run_check(struct records *r, const char *pragma, struct zcs_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(r->db, pragma, -1, &st, NULL);
	char what[200] = "";

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *s = sqlite3_column_text(st, 0);

		zcs_strlcpy(what, s ? (const char *)s : "", sizeof what);
		for (char *c = what; *c; c++)
			if (*c == '\n')
				*c = ' ';
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rec_fail(r, rc, "checking it", err);
	if (strcmp(what, "ok") == 0)
		return 0;
	return damaged(err, r->path, what, NULL);
}

int records_check_file(struct records *r, struct zcs_err *err)
{
	return run_check(r, "PRAGMA integrity_check(1)", err);
}

/* The check at every open: the header, the schema and the newest session
 * can be read (a few pages, whatever the size of the file). */
static int quick_open_check(struct records *r, struct zcs_err *err)
{
	static const char *const reads[] = {
		"SELECT count(*) FROM sqlite_schema",
		"SELECT * FROM sessions WHERE id=(SELECT max(id) FROM sessions)",
		"SELECT * FROM verdicts WHERE id=(SELECT max(id) FROM verdicts)",
	};

	for (size_t i = 0; i < ZCS_ARRAY_LEN(reads); i++) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(r->db, reads[i], -1, &st, NULL);

		while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
			rc = SQLITE_OK;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rec_fail(r, rc, "checking it", err);
	}
	return 0;
}

/* ---- open connections: a crash leaves its marker behind ---- */

/* Each read-write connection keeps a marker file next to the database,
 * PATH-open.HOST.PID (never inside it: a damaged file is never written).
 * A marker of this host whose process is gone means a crash: the whole
 * file is checked once, then the stale markers go. */
static char *marker_prefix(const struct records *r, char *host, size_t n)
{
	gethostname(host, n - 1);
	host[n - 1] = '\0';
	for (char *c = host; *c; c++)
		if (*c == '/' || *c == '.')
			*c = '_';
	return xasprintf("%s-open.%s.", r->path, host);
}

/* 1 when a marker of a dead process of this host exists (removed when
 * `drop`), 0 none, -1 cannot tell. */
static int stale_markers(const struct records *r, int drop)
{
	char host[256] = "", *prefix = marker_prefix(r, host, sizeof host);
	char *slash = strrchr(prefix, '/');
	char *dir = slash ? xasprintf("%.*s", (int)(slash - prefix), prefix) : xstrdup(".");
	const char *base = slash ? slash + 1 : prefix;
	size_t nb = strlen(base);
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d))) {
		long pid;

		if (strncmp(e->d_name, base, nb) != 0 || zcs_parse_long(e->d_name + nb, &pid) < 0 ||
		    pid <= 0 || pid == getpid() || !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
			continue;
		found = 1;
		if (drop) {
			char *p = xasprintf("%s/%s", dir, e->d_name);

			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
	free(prefix);
	return d ? found : -1;
}

static void marker_name(struct records *r)
{
	char host[256] = "", *prefix = marker_prefix(r, host, sizeof host);

	free(r->marker);
	r->marker = xasprintf("%s%ld", prefix, (long)getpid());
	free(prefix);
}

/* After a crash, the full check; then our own marker. */
static int register_open(struct records *r, struct zcs_err *err)
{
	int fd;

	if (strcmp(r->path, ":memory:") == 0)
		return 0;       /* a copy in memory (records_server_copy): no file, no crash */
	if (stale_markers(r, 0) == 1) {
		if (records_check_file(r, err) < 0)
			return -1;
		stale_markers(r, 1);
	}
	marker_name(r);
	fd = open(r->marker, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else {
		free(r->marker);
		r->marker = NULL;
	}
	return 0;
}

static void unregister_open(struct records *r)
{
	if (r->marker)
		unlink(r->marker);
	free(r->marker);
	r->marker = NULL;
}

static int migrate(struct records *r, struct zcs_err *err)
{
	long long version = 0;
	char sql[96];

	if (rec_exec(r, "BEGIN IMMEDIATE", "preparing it", err) < 0)
		return -1;
	/* Read again under the write lock: another program may have migrated. */
	if (check_identity(r, &version, err) < 0 || check_version(r, version, err) < 0)
		goto fail;
	for (long long v = version; v < RECORDS_SCHEMA_VERSION; v++)
		if (rec_exec(r, migrations[v], "creating its tables", err) < 0)
			goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d",
		 RECORDS_APPLICATION_ID, RECORDS_SCHEMA_VERSION);
	if (rec_exec(r, sql, "marking its version", err) < 0)
		goto fail;
	return rec_commit(r, err);
fail:
	rec_rollback(r);
	return -1;
}

static struct records *new_records(const char *path)
{
	struct records *r = xcalloc(1, sizeof *r);

	r->path = xstrdup(path);
	return r;
}

/* zcs_fold(TEXT): what searches compare, accents off and lower case, so
 * that --installer pieta finds "Niccolò Pietà".  Nothing stored changes. */
static void sql_fold(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);
	char *f;

	(void)argc;
	if (!t) {
		sqlite3_result_null(cx);
		return;
	}
	f = utf8_fold((const char *)t);
	sqlite3_result_text(cx, f, -1, free);
}

static void add_functions(struct records *r)
{
	sqlite3_create_function(r->db, "zcs_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
				sql_fold, NULL, NULL);
}

/* A new records file is made 0600 before SQLite opens it (SQLite would
 * follow the umask); its -wal and -shm files take the same mode. */
static int create_private(struct records *r, struct zcs_err *err)
{
	if (strcmp(r->path, ":memory:") == 0)
		return 0;       /* a copy in memory (records_server_copy): no file */
	int fd = open(r->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno == ENOENT || errno == EACCES || errno == EROFS)
		return rec_fail(r, errno == EROFS ? SQLITE_READONLY : SQLITE_CANTOPEN,
				"creating it", err);
	return zcs_fail(err, ZCS_DB, "cannot create the records database %s: %s", r->path,
			strerror(errno));
}

static int open_rw(struct records *r, struct zcs_err *err)
{
	long long version = 0;
	int rc;

	if (create_private(r, err) < 0)
		return -1;
	rc = sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK)
		return rec_fail(r, rc, "opening it", err);
	sqlite3_extended_result_codes(r->db, 1);
	sqlite3_busy_timeout(r->db, busy_ms());
	add_functions(r);
	if (sqlite3_db_readonly(r->db, "main") == 1)
		return rec_fail(r, SQLITE_READONLY, "opening it", err);
	if (check_identity(r, &version, err) < 0 || check_version(r, version, err) < 0)
		return -1;
	if (version > 0 && register_open(r, err) < 0)
		return -1;
	if (version > 0 && (quick_open_check(r, err) < 0 ||
			    (version == 1 && run_check(r, "PRAGMA quick_check(1)", err) < 0)))
		return -1;
	if (rec_exec(r, "PRAGMA journal_mode=WAL", "switching it to WAL", err) < 0 ||
	    rec_exec(r, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "setting it up",
		     err) < 0)
		return -1;
	if (version < RECORDS_SCHEMA_VERSION && migrate(r, err) < 0)
		return -1;
	if (version == 0)
		register_open(r, err);
	return 0;
}

struct records *records_open(const char *path, struct zcs_err *err)
{
	struct records *r = new_records(path);

	if (open_rw(r, err) < 0) {
		records_close(r);
		return NULL;
	}
	return r;
}

/* file:PATH?immutable=1 with the URI's special characters escaped: reads a
 * WAL file whose directory cannot hold the -shm file. */
static char *immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *u = xmalloc(n * 3 + 32), *o = u;

	o += sprintf(o, "file:");
	for (const char *s = path; *s; s++) {
		if (*s == '%' || *s == '?' || *s == '#')
			o += sprintf(o, "%%%02X", (unsigned char)*s);
		else
			*o++ = *s;
	}
	strcpy(o, "?immutable=1");
	return u;
}

static int open_ro(struct records *r, struct zcs_err *err)
{
	long long version = 0;
	int rc;

	if (access(r->path, F_OK) < 0)
		return zcs_fail(err, ZCS_DB, _("there is no records database at %s (nothing has "
				"been recorded there yet): give the file with --db"), r->path);
	rc = sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(r->db, busy_ms());
		rc = pragma_int(r, "PRAGMA user_version", &version, NULL) < 0 ? SQLITE_CANTOPEN
									       : SQLITE_OK;
	}
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_BUSY) {
		char *uri = immutable_uri(r->path);

		sqlite3_close(r->db);
		r->db = NULL;
		rc = sqlite3_open_v2(uri, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
		free(uri);
	}
	if (rc != SQLITE_OK)
		return rec_fail(r, rc, "opening it", err);
	sqlite3_extended_result_codes(r->db, 1);
	sqlite3_busy_timeout(r->db, busy_ms());
	add_functions(r);
	if (check_identity(r, &version, err) < 0)
		return -1;
	if (version == 0)
		return zcs_fail(err, ZCS_DB, "the records database %s is empty: nothing has been "
				"recorded there yet", r->path);
	if (check_version(r, version, err) < 0)
		return -1;
	if (version < RECORDS_SCHEMA_VERSION) {
		/* An older file: bring it up to date once, then read it. */
		struct records *w = records_open(r->path, err);

		if (!w)
			return zcs_prefix(err, "%s was written by an older zcs-commission and must "
					  "be updated before it is read", r->path);
		records_close(w);
	}
	return 0;
}

struct records *records_open_readonly(const char *path, struct zcs_err *err)
{
	struct records *r = new_records(path);

	r->readonly = 1;
	if (open_ro(r, err) < 0) {
		records_close(r);
		return NULL;
	}
	return r;
}

void records_close(struct records *r)
{
	if (!r)
		return;
	unregister_open(r);
	sqlite3_close(r->db);
	rec_key_wipe(&r->key);
	rec_trust_free(&r->trust);
	free(r->keys_dir);
	for (size_t i = 0; i < r->nearly; i++) {
		free(r->early[i].key);
		free(r->early[i].value);
	}
	free(r->early);
	free(r->early_step);
	free(r->path);
	free(r);
}

const char *records_path(const struct records *r)
{
	return r->path;
}

long long records_session_id(const struct records *r)
{
	return r->session;
}

/* ---- keys ---- */

const struct rec_key *rec_key(struct records *r, struct zcs_err *err)
{
	if (!r->have_key) {
		if (rec_key_load(&r->key, err) < 0)
			return NULL;
		r->have_key = 1;
	}
	return &r->key;
}

int records_set_keys(struct records *r, const char *dir, struct zcs_err *err)
{
	rec_trust_free(&r->trust);
	r->have_trust = 0;
	free(r->keys_dir);
	r->keys_dir = NULL;
	if (!dir)
		return 0;
	if (rec_trust_load(&r->trust, dir, 0, err) < 0)
		return -1;
	if (r->trust.n == 0)
		return zcs_fail(err, ZCS_USAGE, "%s holds no public key (KEY.pub files with 64 hex "
				"digits): 'zcs-commission records key' prints a machine's key", dir);
	r->keys_dir = xstrdup(dir);
	r->have_trust = 1;
	return 0;
}

const struct rec_trust *rec_trust(struct records *r, struct zcs_err *err)
{
	char *dir, *trusted;
	const struct rec_key *k;

	if (r->have_trust)
		return &r->trust;
	if (!(k = rec_key(r, err)) || !(dir = rec_config_dir(0, err)))
		return NULL;
	rec_trust_add(&r->trust, k->pub_hex);
	trusted = xasprintf("%s/trusted", dir);
	free(dir);
	if (rec_trust_load(&r->trust, trusted, 1, err) < 0) {
		free(trusted);
		return NULL;
	}
	free(r->trust.from);
	r->trust.from = trusted;
	r->have_trust = 1;
	return &r->trust;
}

int records_own_key(char pub_hex[65], char fingerprint[32], struct zcs_err *err)
{
	struct rec_key k;

	if (rec_key_load(&k, err) < 0)
		return -1;
	zcs_strlcpy(pub_hex, k.pub_hex, 65);
	rec_fingerprint(k.pub_hex, fingerprint);
	rec_key_wipe(&k);
	return 0;
}
