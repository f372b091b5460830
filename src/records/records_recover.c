/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_recover: copy whatever can still be read from a damaged records
 * file into a new one.  The damaged file is only read (immutable), never
 * written; rows that cannot be read, or whose parent row was lost, are
 * counted and left out, and the hash chain then shows what is missing. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "records/records_int.h"

/* Parents before children, so that the foreign keys hold. */
static const char *const copy_order[] = {
	"sessions", "verdicts", "inputs", "samples", "writes", "events", "reviews", "answers",
	"step_entries", "closings",
};

/* Since schema 2: the laptop's identity, so that a records server knows the
 * recovered file for the same laptop, and what the servers acknowledged.
 * Copied when the damaged file has them. */
static const char *const sync_tables[] = { "laptop", "pushed", "pulled" };

static int has_rows(sqlite3 *old, const char *table)
{
	char sql[64];
	sqlite3_stmt *st = NULL;
	int yes;

	snprintf(sql, sizeof sql, "SELECT 1 FROM %s LIMIT 1", table);
	yes = sqlite3_prepare_v2(old, sql, -1, &st, NULL) == SQLITE_OK &&
	      sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return yes;
}

/* Read-only, with its WAL when there is one; immutable when the directory
 * cannot hold the shared-memory file. */
static sqlite3 *open_damaged(const char *path, struct zcs_err *err)
{
	sqlite3 *db = NULL;

	if (access(path, R_OK) < 0) {
		zcs_fail(err, ZCS_USAGE, "cannot read %s: there is no such file, or it is not "
			 "readable", path);
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL) !=
		    SQLITE_CANTOPEN)
		return db;
	sqlite3_close(db);
	db = NULL;
	if (!strpbrk(path, "?#%")) {
		char *uri = xasprintf("file:%s?immutable=1", path);

		sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
		free(uri);
	}
	return db;   /* unreadable tables are counted by the copy */
}

/* "INSERT INTO t(a,b,...) VALUES (?,?,...)" with the columns of `from`
 * past its first (the rowid), by name: a file of an older schema copies
 * into the new one. */
static char *insert_sql(const char *table, sqlite3_stmt *from)
{
	int n = sqlite3_column_count(from);
	char *cols = xstrdup(""), *qs = xstrdup(""), *o;

	for (int i = 1; i < n; i++) {
		o = xasprintf("%s%s\"%s\"", cols, i > 1 ? "," : "", sqlite3_column_name(from, i));
		free(cols);
		cols = o;
		o = xasprintf("%s%s?", qs, i > 1 ? "," : "");
		free(qs);
		qs = o;
	}
	o = xasprintf("INSERT INTO %s(%s) VALUES (%s)", table, cols, qs);
	free(cols);
	free(qs);
	return o;
}

/* Copy one table; past a damaged page, reading starts again further on
 * (1, 2, 4, ... rowids past the last row read). */
static void copy_table(sqlite3 *old, struct records *r, const char *table,
		       struct records_recovered *out)
{
	char sql[96];
	sqlite3_stmt *from = NULL, *to = NULL;
	long long last = -1, jump = 1;
	int rc, tries = 0;

	snprintf(sql, sizeof sql, "SELECT rowid, * FROM %s WHERE rowid > ? ORDER BY rowid", table);
	while (tries++ < 4096) {
		if (sqlite3_prepare_v2(old, sql, -1, &from, NULL) != SQLITE_OK) {
			out->unreadable_tables++;
			break;
		}
		sqlite3_bind_int64(from, 1, last);
		while ((rc = sqlite3_step(from)) == SQLITE_ROW) {
			last = sqlite3_column_int64(from, 0);
			jump = 1;
			if (!to) {
				char *ins = insert_sql(table, from);

				sqlite3_prepare_v2(r->db, ins, -1, &to, NULL);
				free(ins);
			}
			/* skip the rowid column: bind columns 1.. as parameters 1.. */
			for (int i = 1; to && i < sqlite3_column_count(from); i++)
				sqlite3_bind_value(to, i, sqlite3_column_value(from, i));
			if (to && sqlite3_step(to) == SQLITE_DONE)
				out->rows++;
			else
				out->orphans++;
			if (to) {
				sqlite3_reset(to);
				sqlite3_clear_bindings(to);
			}
		}
		sqlite3_finalize(from);
		from = NULL;
		if (rc == SQLITE_DONE)
			break;
		if (jump == 1)
			out->damaged_spots++;
		last += jump;                /* step over what failed, further each time */
		jump = jump < (1LL << 40) ? jump * 2 : jump;
	}
	sqlite3_finalize(to);
}

int records_recover(const char *damaged, const char *fresh, struct records_recovered *out,
		    struct zcs_err *err)
{
	struct records *r;
	sqlite3 *old;

	memset(out, 0, sizeof *out);
	if (access(fresh, F_OK) == 0)
		return zcs_fail(err, ZCS_USAGE, "%s already exists: name a new file to recover "
				"into", fresh);
	if (!(old = open_damaged(damaged, err)))
		return zcs_fail(err, ZCS_DB, "nothing could be read from %s", damaged);
	if (!(r = records_open(fresh, err))) {
		sqlite3_close(old);
		return -1;
	}
	if (rec_begin(r, err) < 0)
		goto fail;
	for (size_t i = 0; i < ZCS_ARRAY_LEN(copy_order); i++)
		copy_table(old, r, copy_order[i], out);
	for (size_t i = 0; i < ZCS_ARRAY_LEN(sync_tables); i++) {
		if (!has_rows(old, sync_tables[i]))
			continue;
		/* the new file made an identity of its own: the old one wins */
		if (i == 0 && rec_exec(r, "DELETE FROM laptop", "recovering", err) < 0)
			goto fail;
		copy_table(old, r, sync_tables[i], out);
	}
	if (rec_commit(r, err) < 0)
		goto fail;
	sqlite3_close(old);
	records_close(r);
	if (out->rows == 0) {
		unlink(fresh);
		return zcs_fail(err, ZCS_DB, "nothing could be read from %s: it is not a records "
				"database any more", damaged);
	}
	return 0;
fail:
	rec_rollback(r);
	sqlite3_close(old);
	records_close(r);
	unlink(fresh);
	return -1;
}
