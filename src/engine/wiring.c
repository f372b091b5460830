/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "engine/wiring.h"

static int header(struct lex_file *lf, struct lex_line *ln, struct wiring_diagram *d,
		  struct zcs_err *err)
{
	static const char *const keys[] = { "section", "conf", "source", NULL };
	const char *bad = lex_unknown_key(ln, keys), *conf = lex_get(ln, "conf");

	if (strcmp(ln->tok[0].val, "title") != 0 || ln->tok[0].key)
		return lex_fail(lf, ln->lineno, err, "expected 'title \"...\" section=... conf=H|M|L'");
	if (bad)
		return lex_fail(lf, ln->lineno, err, "unknown key '%s'", bad);
	if (ln->n < 2 || ln->tok[1].key)
		return lex_fail(lf, ln->lineno, err, "the title is missing");
	if (!lex_get(ln, "section"))
		return lex_fail(lf, ln->lineno, err, "section= (the manual's section) is missing");
	if (!conf || strlen(conf) != 1 || !strchr("HML", conf[0]))
		return lex_fail(lf, ln->lineno, err, "conf= must be H, M or L");
	d->title = xstrdup(ln->tok[1].val);
	d->section = xstrdup(lex_get(ln, "section"));
	d->source = xstrdup(lex_get(ln, "source") ? lex_get(ln, "source") : "");
	d->conf = conf[0];
	return 0;
}

/* The header is the first logical line (lex); then "---"; then the body,
 * read raw from the same file. */
static int body(struct lex_file *lf, struct wiring_diagram *d, struct zcs_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	int seen = 0;

	while (getline(&line, &cap, lf->f) > 0) {
		lf->lineno++;
		line[strcspn(line, "\n")] = 0;
		if (seen) {
			d->lines = xrealloc(d->lines, (d->nlines + 1) * sizeof *d->lines);
			d->lines[d->nlines++] = xstrdup(line);
		} else if (strcmp(line, "---") == 0) {
			seen = 1;
		} else if (line[strspn(line, " \t")] && line[strspn(line, " \t")] != '#') {
			free(line);
			return lex_fail(lf, lf->lineno, err,
					"expected '---' after the title line, before the diagram");
		}
	}
	free(line);
	if (!seen)
		return lex_fail(lf, lf->lineno, err, "no '---' line before the diagram");
	return 0;
}

static int load_one(const char *dir, const char *name, struct wiring_diagram *d,
		    struct zcs_err *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct lex_file lf;
	struct lex_line ln;
	int rc;

	memset(d, 0, sizeof *d);
	d->file = xstrdup(name);
	rc = lex_open(&lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	rc = lex_next(&lf, &ln, err);
	if (rc == 0)
		rc = lex_fail(&lf, lf.lineno, err, "the title line is missing");
	if (rc > 0)
		rc = header(&lf, &ln, d, err);
	if (rc == 0)
		rc = body(&lf, d, err);
	lex_close(&lf);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **list_txt(const char *dir, size_t *n, struct zcs_err *err)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;

	*n = 0;
	if (!dp) {
		zcs_fail(err, ZCS_DATA, "%s: cannot open the wiring diagrams directory: %m", dir);
		return NULL;
	}
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0)
			continue;
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (*n)
		qsort(names, *n, sizeof *names, by_name);
	return names ? names : xcalloc(1, sizeof *names);
}

int wiring_load(const char *dir, struct wiring_set *out, struct zcs_err *err)
{
	char *own = dir ? NULL : paths_data_file("wiring");
	size_t n;
	char **names = list_txt(dir ? dir : own, &n, err);
	int rc = names ? 0 : -1;

	memset(out, 0, sizeof *out);
	if (names && n)
		out->d = xcalloc(n, sizeof *out->d);
	for (size_t i = 0; names && i < n; i++) {
		if (rc == 0) {
			rc = load_one(dir ? dir : own, names[i], &out->d[out->n], err);
			out->n++;
		}
		free(names[i]);
	}
	free(names);
	free(own);
	if (rc < 0)
		wiring_free(out);
	return rc;
}

void wiring_free(struct wiring_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct wiring_diagram *d = &s->d[i];

		free(d->file);
		free(d->title);
		free(d->section);
		free(d->source);
		for (size_t j = 0; j < d->nlines; j++)
			free(d->lines[j]);
		free(d->lines);
	}
	free(s->d);
	memset(s, 0, sizeof *s);
}

const char *wiring_title(const struct wiring_diagram *d)
{
	return i18n_tr(d->title);
}

/* A line of the drawing, not of the prose. */
static int drawn(const char *line)
{
	const char *t = line + strspn(line, " ");

	return strpbrk(t, "|[]<>") || strstr(t, "+-") || strstr(t, "-+") || strstr(t, "---") ||
	       strstr(t, "   ");
}

static void push(char ***v, size_t *n, char *line)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = line;
}

/* `text` wrapped at `width` bytes (a word longer than that alone on its
 * line), each line after `indent` spaces. */
static void wrap(char ***v, size_t *n, const char *text, size_t indent, size_t width)
{
	size_t cap = strlen(text) + indent + 2, len = 0;
	char *line = xcalloc(cap, 1), *copy = xstrdup(text), *save = NULL;

	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (len && len + 1 + strlen(w) > width) {
			push(v, n, line);
			line = xcalloc(cap, 1);
			len = 0;
		}
		if (!len) {
			memset(line, ' ', indent);
			len = indent;
		} else {
			line[len++] = ' ';
		}
		memcpy(line + len, w, strlen(w) + 1);
		len += strlen(w);
	}
	if (len)
		push(v, n, line);
	else
		free(line);
	free(copy);
}

char **wiring_lines(const struct wiring_diagram *d, size_t *n)
{
	char **v = NULL;

	*n = 0;
	for (size_t i = 0; i < d->nlines;) {
		size_t j = i, width = 0, indent = strspn(d->lines[i], " ");
		int prose = 1;

		while (j < d->nlines && d->lines[j][strspn(d->lines[j], " ")]) {
			prose &= !drawn(d->lines[j]);
			if (strlen(d->lines[j]) > width)
				width = strlen(d->lines[j]);
			j++;
		}
		if (j == i) {                   /* an empty line */
			push(&v, n, xstrdup(d->lines[i++]));
			continue;
		}
		char *text = NULL;
		for (size_t k = i; prose && k < j; k++) {
			const char *t = d->lines[k] + strspn(d->lines[k], " ");
			char *joined = text ? xasprintf("%s %s", text, t) : xstrdup(t);
			free(text);
			text = joined;
		}
		const char *tr = text ? i18n_tr(text) : NULL;
		if (tr && strcmp(tr, text) != 0)
			wrap(&v, n, tr, indent, width);
		else
			for (size_t k = i; k < j; k++)
				push(&v, n, xstrdup(d->lines[k]));
		free(text);
		i = j;
	}
	return v;
}

void wiring_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
