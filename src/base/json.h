/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: the one JSON writer behind every --json and the JSON export.
 *
 * It streams to a FILE, puts the commas and the closing brackets, escapes
 * strings (quotes, backslashes, control characters; invalid UTF-8 becomes
 * U+FFFD), and never writes NaN or infinity, which JSON does not have: such
 * a number is written null, and in an object a member "KEY_note" beside it
 * says which it was.  A document starts with json_doc, which writes its
 * "schema" name and "schema_version": a script can tell what it reads. */
#ifndef ZCS_JSON_H
#define ZCS_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	int depth;
	unsigned char in_obj[JSON_MAX_DEPTH];   /* 1: object, 0: array */
	unsigned char used[JSON_MAX_DEPTH];     /* a member or element was written */
	unsigned long nonfinite;                /* numbers written null */
	int nl;                                 /* a line break before the next */
};

/* Start a document on f: {"schema":NAME,"schema_version":VERSION ... */
void json_doc(struct json *j, FILE *f, const char *schema, int version);
/* ... and end it: every bracket still open is closed, then a newline. */
void json_doc_end(struct json *j);

/* Open an object or an array: as the member `key` inside an object, or
 * (key NULL) as an element of an array. */
void json_obj(struct json *j, const char *key);
void json_arr(struct json *j, const char *key);
/* Close the innermost object or array. */
void json_end(struct json *j);

/* Values: member `key` in an object, an element (key NULL) in an array. */
void json_str(struct json *j, const char *key, const char *s);      /* NULL: null */
void json_num(struct json *j, const char *key, double v);           /* %.10g */
void json_int(struct json *j, const char *key, long long v);
void json_bool(struct json *j, const char *key, int v);
void json_null(struct json *j, const char *key);
/* "2026-11-21T11:41:56.123Z", or null when ms <= 0. */
void json_time(struct json *j, const char *key, int64_t wall_ms);
/* A line break before the next member (the export stays readable). */
void json_nl(struct json *j);

/* s as a JSON string with its quotes, to f (NULL: null). */
void json_put_string(FILE *f, const char *s);

#endif
