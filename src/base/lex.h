/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lex: the one line format every data file in data/ and checklists/ uses.
 *
 *   # a comment to the end of the line (outside quotes)
 *   word another key=value key="quoted value" "a quoted word"
 *   a long line can continue \
 *       on the next one when it ends with a backslash
 *
 * A token is either a bare word (key == NULL) or key=value.  Quotes allow
 * spaces; \" and \\ escape inside them.  Errors name the file and the line:
 * "data/maps/g3.map:12: unknown type 'u61'". */
#ifndef ZCS_LEX_H
#define ZCS_LEX_H

#include <stdio.h>

#include "base/err.h"

#define LEX_MAX_TOKS 64

struct lex_tok {
	const char *key;  /* NULL for a bare word */
	const char *val;
};

struct lex_line {
	struct lex_tok tok[LEX_MAX_TOKS];
	int n;
	int lineno;       /* first physical line of this logical line */
};

struct lex_file {
	FILE *f;
	char *path;
	int lineno;
	char *buf;        /* the current logical line, tokens point into it */
	size_t cap;
};

int lex_open(struct lex_file *lf, const char *path, struct zcs_err *err);
/* Next non-empty logical line.  1: a line; 0: end of file; -1: error. */
int lex_next(struct lex_file *lf, struct lex_line *ln, struct zcs_err *err);
void lex_close(struct lex_file *lf);

/* Split a writable string in place.  0 on success; -1 with *why set. */
int lex_split(char *s, struct lex_line *ln, const char **why);

/* The value of key=..., or NULL. */
const char *lex_get(const struct lex_line *ln, const char *key);
/* The first key not in the NULL-terminated `allowed` list, or NULL. */
const char *lex_unknown_key(const struct lex_line *ln, const char *const *allowed);
/* Numbers from key=value with "file:line: key=... is not a number" errors.
 * Absent keys leave *out alone and return 0; `required` makes absence an
 * error. */
int lex_long(const struct lex_file *lf, const struct lex_line *ln, const char *key,
	     long *out, int required, struct zcs_err *err);
int lex_double(const struct lex_file *lf, const struct lex_line *ln, const char *key,
	       double *out, int required, struct zcs_err *err);
/* "path:line: <message>" as a ZCS_DATA error. */
int lex_fail(const struct lex_file *lf, int lineno, struct zcs_err *err, const char *fmt, ...)
	ZCS_PRINTF(4, 5);

#endif
