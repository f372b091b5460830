/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/lex.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

int lex_open(struct lex_file *lf, const char *path, struct zcs_err *err)
{
	memset(lf, 0, sizeof *lf);
	lf->f = fopen(path, "r");
	if (!lf->f)
		return zcs_fail(err, ZCS_DATA, "cannot open %s: %m", path);
	lf->path = xstrdup(path);
	return 0;
}

void lex_close(struct lex_file *lf)
{
	if (lf->f)
		fclose(lf->f);
	free(lf->path);
	free(lf->buf);
	memset(lf, 0, sizeof *lf);
}

int lex_fail(const struct lex_file *lf, int lineno, struct zcs_err *err, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return zcs_fail(err, ZCS_DATA, "%s:%d: %s", lf ? lf->path : "(input)", lineno, what);
}

/* Append one physical line to lf->buf; returns 1 if it ended with '\'. */
static int append_physical(struct lex_file *lf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	int cont;

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	cont = n && s[n - 1] == '\\';
	if (cont)
		n--;
	if (*len + n + 2 > lf->cap) {
		lf->cap = (*len + n + 2) * 2;
		lf->buf = xrealloc(lf->buf, lf->cap);
	}
	if (*len && lf->buf[*len - 1] != ' ')
		lf->buf[(*len)++] = ' ';
	memcpy(lf->buf + *len, s, n);
	*len += n;
	lf->buf[*len] = 0;
	return cont;
}

int lex_next(struct lex_file *lf, struct lex_line *ln, struct zcs_err *err)
{
	char *line = NULL;
	size_t lcap = 0;
	const char *why;

	for (;;) {
		size_t len = 0;
		int first = 0, cont = 1;

		while (cont) {
			if (getline(&line, &lcap, lf->f) < 0) {
				if (len == 0) {
					free(line);
					return 0;
				}
				break;
			}
			lf->lineno++;
			if (!first)
				first = lf->lineno;
			cont = append_physical(lf, &len, line);
		}
		if (lex_split(lf->buf, ln, &why) < 0) {
			free(line);
			return lex_fail(lf, first, err, "%s", why);
		}
		ln->lineno = first;
		if (ln->n > 0) {
			free(line);
			return 1;
		}
	}
}

/* Read one token starting at *p (not blank); unquote in place. */
static char *take_word(char **p, const char **why)
{
	char *r = *p, *w = *p, *start = *p;
	int quoted = 0;

	while (*r && (quoted || (*r != ' ' && *r != '\t'))) {
		if (*r == '"') {
			quoted = !quoted;
			r++;
			continue;
		}
		if (quoted && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r++;
	}
	if (quoted) {
		*why = "a quoted string is not closed";
		return NULL;
	}
	if (*r)
		r++;
	*w = 0;
	*p = r;
	return start;
}

int lex_split(char *s, struct lex_line *ln, const char **why)
{
	char *p = s;

	ln->n = 0;
	for (;;) {
		char *word, *eq;
		int starts_quoted;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			return 0;
		if (ln->n == LEX_MAX_TOKS) {
			*why = "too many words on one line";
			return -1;
		}
		starts_quoted = *p == '"';
		eq = NULL;
		if (!starts_quoted) {
			/* key=value: '=' before any blank or quote */
			for (char *q = p; *q && *q != ' ' && *q != '\t' && *q != '"'; q++)
				if (*q == '=') {
					eq = q;
					break;
				}
		}
		if (eq) {
			*eq = 0;
			ln->tok[ln->n].key = p;
			p = eq + 1;
			word = take_word(&p, why);
			if (!word)
				return -1;
			ln->tok[ln->n].val = word;
		} else {
			word = take_word(&p, why);
			if (!word)
				return -1;
			ln->tok[ln->n].key = NULL;
			ln->tok[ln->n].val = word;
		}
		ln->n++;
	}
}

const char *lex_get(const struct lex_line *ln, const char *key)
{
	for (int i = 0; i < ln->n; i++)
		if (ln->tok[i].key && strcmp(ln->tok[i].key, key) == 0)
			return ln->tok[i].val;
	return NULL;
}

const char *lex_unknown_key(const struct lex_line *ln, const char *const *allowed)
{
	for (int i = 0; i < ln->n; i++) {
		const char *k = ln->tok[i].key;
		int ok = 0;

		if (!k)
			continue;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, k) == 0)
				ok = 1;
		if (!ok)
			return k;
	}
	return NULL;
}

int lex_long(const struct lex_file *lf, const struct lex_line *ln, const char *key,
	     long *out, int required, struct zcs_err *err)
{
	const char *v = lex_get(ln, key);

	if (!v)
		return required ? lex_fail(lf, ln->lineno, err, "%s= is missing", key) : 0;
	if (zcs_parse_long(v, out) < 0)
		return lex_fail(lf, ln->lineno, err, "%s=%s is not a whole number", key, v);
	return 0;
}

int lex_double(const struct lex_file *lf, const struct lex_line *ln, const char *key,
	       double *out, int required, struct zcs_err *err)
{
	const char *v = lex_get(ln, key);

	if (!v)
		return required ? lex_fail(lf, ln->lineno, err, "%s= is missing", key) : 0;
	if (zcs_parse_double(v, out) < 0)
		return lex_fail(lf, ln->lineno, err, "%s=%s is not a finite number", key, v);
	return 0;
}
