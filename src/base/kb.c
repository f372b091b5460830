/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The knowledge catalogue: the string pool, helpers every loader shares,
 * the table-driven record parser, the file loop, load and free. */
#include "base/kb_int.h"

char *kbl_kdup(struct kb *kb, const char *s)
{
	if (kb->npool == kb->cap_pool) {
		kb->cap_pool = kb->cap_pool ? kb->cap_pool * 2 : 256;
		kb->pool = xrealloc(kb->pool, kb->cap_pool * sizeof *kb->pool);
	}
	return kb->pool[kb->npool++] = xstrdup(s ? s : "");
}

const char *kb_conf_words(char conf)
{
	switch (conf) {
	case 'H': return "several sources agree";
	case 'M': return "one good source";
	case 'L': return "unconfirmed or contradicted";
	}
	return "not stated";
}

/* ---- helpers shared by every file -------------------------------------- */

int kbl_fail(struct ld *L, const struct lex_line *ln, struct zcs_err *err, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return lex_fail(&L->lf, ln ? ln->lineno : L->lf.lineno, err, "%s", what);
}

/* conf= and src= of a line. */
int kbl_line_prov(struct ld *L, const struct lex_line *ln, struct kb_prov *p, struct zcs_err *err)
{
	const char *c = lex_get(ln, "conf"), *s = lex_get(ln, "src");

	if (!c)
		return kbl_fail(L, ln, err, "conf= is missing (H, M or L)");
	if (strlen(c) != 1 || !strchr("HML", c[0]))
		return kbl_fail(L, ln, err, "conf=%s: confidence must be H, M or L", c);
	if (!s || !*s)
		return kbl_fail(L, ln, err, "src= is missing: name the manual section or source");
	p->conf = c[0];
	p->src = kbl_kdup(L->kb, s);
	p->file = L->path;
	p->line = ln->lineno;
	return 0;
}

int kbl_check_keys(struct ld *L, const struct lex_line *ln, const char *const *keys,
		      struct zcs_err *err)
{
	const char *bad = lex_unknown_key(ln, keys);

	if (bad)
		return kbl_fail(L, ln, err, "unknown key '%s' on a %s line", bad, ln->tok[0].val);
	return 0;
}

/* The bare words after the line's kind: exactly `n` of them, then keys. */
int kbl_bare_words(struct ld *L, const struct lex_line *ln, int n, const char *shape,
		      struct zcs_err *err)
{
	for (int i = 1; i <= n; i++)
		if (i >= ln->n || ln->tok[i].key)
			return kbl_fail(L, ln, err, "a %s line starts with: %s", ln->tok[0].val, shape);
	for (int i = n + 1; i < ln->n; i++)
		if (!ln->tok[i].key)
			return kbl_fail(L, ln, err, "unexpected word '%s' (expected key=value)",
				    ln->tok[i].val);
	return 0;
}

int kbl_need(struct ld *L, const struct lex_line *ln, const char *key, const char **out,
		struct zcs_err *err)
{
	*out = lex_get(ln, key);
	if (!*out || !**out)
		return kbl_fail(L, ln, err, "%s= is missing", key);
	return 0;
}

int kbl_parse_num(struct ld *L, const struct lex_line *ln, const char *key, const char *v,
		     double lo, double hi, double *out, struct zcs_err *err)
{
	if (zcs_parse_double(v, out) < 0 || !isfinite(*out))
		return kbl_fail(L, ln, err, "%s=%s is not a number", key, v);
	if (*out < lo || *out > hi)
		return kbl_fail(L, ln, err, "%s=%s is outside %g..%g", key, v, lo, hi);
	return 0;
}

int kbl_parse_int(struct ld *L, const struct lex_line *ln, const char *key, const char *v,
		     long lo, long hi, int *out, struct zcs_err *err)
{
	long x;

	if (zcs_parse_long(v, &x) < 0)
		return kbl_fail(L, ln, err, "%s=%s is not a whole number", key, v);
	if (x < lo || x > hi)
		return kbl_fail(L, ln, err, "%s=%s is outside %ld..%ld", key, v, lo, hi);
	*out = (int)x;
	return 0;
}

static int is_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
		    *s != '_')
			return 0;
	return 1;
}

int kbl_check_id(struct ld *L, const struct lex_line *ln, const char *id, struct zcs_err *err)
{
	if (!is_id(id))
		return kbl_fail(L, ln, err, "'%s' is not an id: use lower-case letters, digits and '-'",
			    id);
	return 0;
}

/* ---- field tables: battery and country records ------------------------ */

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int set_value(struct ld *L, const struct lex_line *ln, const struct fdesc *f, void *base,
		     const char *v, struct zcs_err *err)
{
	char *p = (char *)base + f->off;
	int b;

	switch (f->type) {
	case F_STR:
	case F_STR_UNK:
		if (!*v)
			return kbl_fail(L, ln, err, "%s= is empty", f->key);
		*(char **)p = (f->type == F_STR_UNK && !strcmp(v, "unknown")) ? NULL
									       : kbl_kdup(L->kb, v);
		return 0;
	case F_INT_UNK:
		if (!strcmp(v, "unknown")) {
			*(int *)p = -1;
			return 0;
		}
		/* fall through */
	case F_INT:
		return kbl_parse_int(L, ln, f->key, v, (long)f->lo, (long)f->hi, (int *)p, err);
	case F_NUM:
		return kbl_parse_num(L, ln, f->key, v, f->lo, f->hi, (double *)p, err);
	case F_BOOL:
		if (parse_bool(v, (int *)p) < 0)
			return kbl_fail(L, ln, err, "%s=%s: say yes or no (on or off)", f->key, v);
		return 0;
	case F_TRI:
		if (!strcmp(v, "unknown")) {
			*(enum kb_tri *)p = KB_UNKNOWN;
			return 0;
		}
		if (parse_bool(v, &b) < 0)
			return kbl_fail(L, ln, err, "%s=%s: say yes, no or unknown", f->key, v);
		*(enum kb_tri *)p = b ? KB_YES : KB_NO;
		return 0;
	case F_NOTE:
		break;
	}
	return 0;
}

static void add_note(struct kb *kb, struct record *r, const char *text, const struct kb_prov *p)
{
	GROW(*r->notes, *r->nnotes);
	(*r->notes)[*r->nnotes].name = NULL;
	(*r->notes)[*r->nnotes].text = kbl_kdup(kb, text);
	(*r->notes)[(*r->nnotes)++].prov = *p;
}

/* Every key=value of the line except conf/src into the record. */
int kbl_fill_record(struct ld *L, const struct lex_line *ln, struct record *r,
		       struct zcs_err *err)
{
	struct kb_prov p;

	if (kbl_line_prov(L, ln, &p, err) < 0)
		return -1;
	for (int i = 2; i < ln->n; i++) {
		const char *k = ln->tok[i].key;
		size_t f;

		if (!strcmp(k, "conf") || !strcmp(k, "src"))
			continue;
		for (f = 0; f < r->nfields && strcmp(r->fields[f].key, k); f++)
			;
		if (f == r->nfields)
			return kbl_fail(L, ln, err, "unknown key '%s' on a %s line", k, r->what);
		if (r->fields[f].type == F_NOTE) {
			if (!*ln->tok[i].val)
				return kbl_fail(L, ln, err, "note= is empty");
			add_note(L->kb, r, ln->tok[i].val, &p);
			r->prov[f] = p;
			continue;
		}
		if (r->prov[f].line)
			return kbl_fail(L, ln, err, "%s %s: %s= is already given at line %d", r->what,
				    r->id, k, r->prov[f].line);
		if (set_value(L, ln, &r->fields[f], r->base, ln->tok[i].val, err) < 0)
			return -1;
		r->prov[f] = p;
	}
	return 0;
}

int kbl_check_required(struct ld *L, int line, const struct record *r, struct zcs_err *err)
{
	for (size_t f = 0; f < r->nfields; f++)
		if (r->fields[f].required && !r->prov[f].line)
			return lex_fail(&L->lf, line, err,
					"%s %s: %s= is missing (give it on any '%s %s' line)",
					r->what, r->id, r->fields[f].key, r->what, r->id);
	return 0;
}

/* ---- the file loop ----------------------------------------------------------- */

int kbl_read_file(struct kb *kb, const char *dir, const char *name, const char *tag,
		     const struct kind *kinds, struct ld *L, struct zcs_err *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct lex_line ln;
	int rc;

	memset(L, 0, sizeof *L);
	L->kb = kb;
	L->tag = tag;
	L->path = kbl_kdup(kb, path);
	rc = lex_open(&L->lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while ((rc = lex_next(&L->lf, &ln, err)) > 0) {
		const struct kind *k;

		if (ln.tok[0].key)
			return kbl_fail(L, &ln, err, "a line starts with a word, not '%s='",
				    ln.tok[0].key);
		for (k = kinds; k->word && strcmp(k->word, ln.tok[0].val); k++)
			;
		if (!k->word)
			return kbl_fail(L, &ln, err, "unknown line kind '%s'", ln.tok[0].val);
		if (k->fn(L, &ln, err) < 0)
			return -1;
	}
	return rc;
}

/* ---- public ---------------------------------------------------------------------- */

struct kb *kb_load_dir(const char *dir, struct zcs_err *err)
{
	struct kb *kb = xcalloc(1, sizeof *kb);

	kb->dir = xstrdup(dir);
	if (kbl_load_batteries(kb, dir, err) < 0 || kbl_load_dip(kb, dir, err) < 0 ||
	    kbl_load_compat(kb, dir, err) < 0 || kbl_load_facts(kb, dir, "eps.conf", "eps", err) < 0 ||
	    kbl_load_facts(kb, dir, "meters.conf", "meters", err) < 0 ||
	    kbl_load_facts(kb, dir, "parallel.conf", "parallel", err) < 0 ||
	    kbl_load_countries(kb, dir, err) < 0) {
		kb_free(kb);
		return NULL;
	}
	return kb;
}

struct kb *kb_load(struct zcs_err *err)
{
	return kb_load_dir(paths_data_dir(), err);
}

void kb_free(struct kb *kb)
{
	if (!kb)
		return;
	for (size_t i = 0; i < kb->npool; i++)
		free(kb->pool[i]);
	for (size_t i = 0; i < kb->nstartups; i++)
		free(kb->startups[i].steps);
	for (size_t i = 0; i < kb->nbats; i++)
		free(kb->bats[i].notes);
	for (size_t i = 0; i < kb->ncountries; i++)
		free(kb->countries[i].notes);
	free(kb->pool);
	free(kb->fams);
	free(kb->infos);
	free(kb->startups);
	free(kb->bats);
	free(kb->dips);
	free(kb->nodips);
	free(kb->pairs);
	free(kb->orders);
	free(kb->masters);
	free(kb->limits);
	free(kb->facts);
	free(kb->advice);
	free(kb->countries);
	free(kb->dir);
	free(kb);
}
