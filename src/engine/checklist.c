/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/checklist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lex.h"
#include "base/sha256.h"
#include "base/util.h"

const char *checklist_type_name(enum chk_input_type t)
{
	static const char *const names[] = { "text", "int", "number", "choice", "yesno", "list" };
	return names[t];
}

static int type_from(const char *s, enum chk_input_type *t)
{
	for (int i = CHK_TEXT; i <= CHK_LIST; i++)
		if (strcmp(s, checklist_type_name((enum chk_input_type)i)) == 0) {
			*t = (enum chk_input_type)i;
			return 0;
		}
	return -1;
}

/* ---- freeing ------------------------------------------------------------ */

static void free_step(struct chk_step *s)
{
	free(s->id); free(s->part); free(s->section); free(s->title); free(s->say);
	expr_free(s->when); expr_free(s->timeout); free(s->confirm);
	for (size_t i = 0; i < s->nactions; i++) {
		free(s->actions[i]);
		free(s->action_says[i]);
	}
	free(s->actions); free(s->action_says);
	free(s->remedy); free(s->file);
	for (size_t i = 0; i < s->ninputs; i++) {
		struct chk_input *in = &s->inputs[i];
		free(in->key); free(in->prompt); free(in->unit); free(in->choices);
		expr_free(in->min); expr_free(in->max); expr_free(in->count); expr_free(in->deflt);
	}
	for (size_t i = 0; i < s->nexpects; i++) {
		struct chk_expect *x = &s->expects[i];
		expr_free(x->value); expr_free(x->min); expr_free(x->max); expr_free(x->near);
		expr_free(x->tol); expr_free(x->is); free(x->label); free(x->remedy);
	}
	for (size_t i = 0; i < s->nrules; i++) {
		expr_free(s->rules[i].cond); free(s->rules[i].text); free(s->rules[i].remedy);
	}
	for (size_t i = 0; i < s->nwrites; i++) {
		struct chk_write *w = &s->writes[i];
		free(w->target); free(w->say); expr_free(w->cond);
		for (int j = 0; j < w->n; j++) {
			free(w->regs[j]);
			expr_free(w->vals[j]);
		}
	}
	free(s->inputs); free(s->expects); free(s->rules); free(s->writes);
}

void checklist_free(struct checklist *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nsteps; i++)
		free_step(&c->steps[i]);
	for (size_t i = 0; i < c->nconsts; i++)
		free(c->consts[i].name);
	free(c->steps); free(c->consts); free(c->dir); free(c->version); free(c->title);
	free(c);
}

/* ---- parsing one file ----------------------------------------------------- */

struct loader {
	struct checklist *c;
	const struct regmap *map;
	const struct chk_names *names;
	struct lex_file lf;
	const char *part;
	struct zcs_err *err;
};

static char *dupopt(const char *s) { return s ? xstrdup(s) : NULL; }

static int parse_expr(struct loader *ld, int line, const char *what, const char *src,
		      struct expr **out)
{
	char why[256];

	*out = NULL;
	if (!src)
		return 0;
	*out = expr_parse(src, why, sizeof why);
	if (!*out)
		return lex_fail(&ld->lf, line, ld->err, "%s \"%s\": %s", what, src, why);
	return 0;
}

/* The one bare word after the line's kind: "say \"text\"". */
static const char *arg1(struct loader *ld, const struct lex_line *ln, const char *kind)
{
	if (ln->n < 2 || ln->tok[1].key) {
		lex_fail(&ld->lf, ln->lineno, ld->err, "%s needs a value after it", kind);
		return NULL;
	}
	return ln->tok[1].val;
}

static struct chk_step *cur_step(struct loader *ld, const struct lex_line *ln)
{
	if (ld->c->nsteps == 0 || strcmp(ld->c->steps[ld->c->nsteps - 1].part, ld->part) != 0) {
		lex_fail(&ld->lf, ln->lineno, ld->err, "'%s' before the first 'step' line",
			 ln->tok[0].val);
		return NULL;
	}
	return &ld->c->steps[ld->c->nsteps - 1];
}

static int check_keys(struct loader *ld, const struct lex_line *ln, const char *const *allowed)
{
	const char *bad = lex_unknown_key(ln, allowed);

	if (bad)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "unknown key '%s=' on a '%s' line",
				bad, ln->tok[0].val);
	return 0;
}

static int line_step(struct loader *ld, const struct lex_line *ln)
{
	static const char *const keys[] = { "section", "title", "each", "samples", "seconds",
					    "settle", "timeout", "identify", "fresh", NULL };
	struct checklist *c = ld->c;
	const char *id = arg1(ld, ln, "step");

	if (!id || check_keys(ld, ln, keys))
		return -1;
	if (checklist_find(c, id) >= 0)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "step '%s' is defined twice", id);
	if (!lex_get(ln, "section") || !lex_get(ln, "title"))
		return lex_fail(&ld->lf, ln->lineno, ld->err,
				"step '%s' needs section= (the manual's) and title=", id);
	c->steps = xrealloc(c->steps, (c->nsteps + 1) * sizeof *c->steps);
	struct chk_step *s = &c->steps[c->nsteps++];
	memset(s, 0, sizeof *s);
	s->id = xstrdup(id);
	s->part = xstrdup(ld->part);
	s->section = xstrdup(lex_get(ln, "section"));
	s->title = xstrdup(lex_get(ln, "title"));
	s->file = xstrdup(ld->lf.path);
	s->line = ln->lineno;
	s->window_n = c->window_n;
	s->window_s = c->window_s;
	s->settle_s = c->settle_s;
	const char *each = lex_get(ln, "each");
	if (each && strcmp(each, "unit") != 0)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "each= takes only 'unit'");
	s->each_unit = each != NULL;
	const char *ident = lex_get(ln, "identify");
	if (ident && strcmp(ident, "yes") != 0)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "identify= takes only 'yes'");
	s->identify = ident != NULL;
	const char *fresh = lex_get(ln, "fresh");
	if (fresh && strcmp(fresh, "yes") != 0)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "fresh= takes only 'yes'");
	s->fresh = fresh != NULL;
	long n = s->window_n;
	if (lex_long(&ld->lf, ln, "samples", &n, 0, ld->err) ||
	    lex_double(&ld->lf, ln, "seconds", &s->window_s, 0, ld->err) ||
	    lex_double(&ld->lf, ln, "settle", &s->settle_s, 0, ld->err))
		return -1;
	const char *to = lex_get(ln, "timeout");
	if (to && zcs_parse_double(to, &s->timeout_s) != 0 &&
	    parse_expr(ld, ln->lineno, "timeout=", to, &s->timeout))
		return -1;
	s->window_n = (int)n;
	return 0;
}

static void append_text(char **dst, const char *s)
{
	if (!*dst) {
		*dst = xstrdup(s);
		return;
	}
	char *t = xasprintf("%s\n%s", *dst, s);
	free(*dst);
	*dst = t;
}

static int line_ask(struct loader *ld, struct chk_step *s, const struct lex_line *ln)
{
	static const char *const keys[] = { "type", "prompt", "unit", "min", "max", "count",
					    "default", "choices", "optional", NULL };
	const char *key = arg1(ld, ln, "ask");
	int line = ln->lineno;

	if (!key || check_keys(ld, ln, keys))
		return -1;
	if (checklist_input(ld->c, key, NULL))
		return lex_fail(&ld->lf, line, ld->err, "question '%s' is asked twice", key);
	s->inputs = xrealloc(s->inputs, (s->ninputs + 1) * sizeof *s->inputs);
	struct chk_input *in = &s->inputs[s->ninputs++];
	memset(in, 0, sizeof *in);
	in->key = xstrdup(key);
	in->line = line;
	in->prompt = xstrdup(lex_get(ln, "prompt") ? lex_get(ln, "prompt") : key);
	in->unit = xstrdup(lex_get(ln, "unit") ? lex_get(ln, "unit") : "");
	in->choices = dupopt(lex_get(ln, "choices"));
	in->optional = lex_get(ln, "optional") && strcmp(lex_get(ln, "optional"), "yes") == 0;
	const char *t = lex_get(ln, "type") ? lex_get(ln, "type") : "text";
	if (type_from(t, &in->type))
		return lex_fail(&ld->lf, line, ld->err,
				"unknown type '%s' (text, int, number, choice, yesno, list)", t);
	if (in->type == CHK_CHOICE && !in->choices)
		return lex_fail(&ld->lf, line, ld->err, "a choice needs choices=");
	if (in->choices && in->choices[0] == '@' &&
	    (!ld->names || !ld->names->choices_ok || !ld->names->choices_ok(in->choices + 1)))
		return lex_fail(&ld->lf, line, ld->err, "unknown list of choices '%s'", in->choices);
	return parse_expr(ld, line, "min=", lex_get(ln, "min"), &in->min) ||
	       parse_expr(ld, line, "max=", lex_get(ln, "max"), &in->max) ||
	       parse_expr(ld, line, "count=", lex_get(ln, "count"), &in->count) ||
	       parse_expr(ld, line, "default=", lex_get(ln, "default"), &in->deflt);
}

static int line_expect(struct loader *ld, struct chk_step *s, const struct lex_line *ln)
{
	static const char *const keys[] = { "min", "max", "near", "tol", "is", "label", "remedy",
					    NULL };
	const char *src = arg1(ld, ln, "expect");
	int line = ln->lineno;

	if (!src || check_keys(ld, ln, keys))
		return -1;
	s->expects = xrealloc(s->expects, (s->nexpects + 1) * sizeof *s->expects);
	struct chk_expect *x = &s->expects[s->nexpects++];
	memset(x, 0, sizeof *x);
	x->line = line;
	x->label = dupopt(lex_get(ln, "label"));
	x->remedy = dupopt(lex_get(ln, "remedy"));
	if (parse_expr(ld, line, "expect", src, &x->value) ||
	    parse_expr(ld, line, "min=", lex_get(ln, "min"), &x->min) ||
	    parse_expr(ld, line, "max=", lex_get(ln, "max"), &x->max) ||
	    parse_expr(ld, line, "near=", lex_get(ln, "near"), &x->near) ||
	    parse_expr(ld, line, "tol=", lex_get(ln, "tol"), &x->tol) ||
	    parse_expr(ld, line, "is=", lex_get(ln, "is"), &x->is))
		return -1;
	if (!x->near != !x->tol)
		return lex_fail(&ld->lf, line, ld->err, "near= and tol= go together");
	return 0;
}

static int line_rule(struct loader *ld, struct chk_step *s, const struct lex_line *ln)
{
	static const char *const keys[] = { "text", "remedy", NULL };
	const char *src = arg1(ld, ln, "rule");

	if (!src || check_keys(ld, ln, keys))
		return -1;
	s->rules = xrealloc(s->rules, (s->nrules + 1) * sizeof *s->rules);
	struct chk_rule *r = &s->rules[s->nrules++];
	memset(r, 0, sizeof *r);
	r->line = ln->lineno;
	r->text = xstrdup(lex_get(ln, "text") ? lex_get(ln, "text") : src);
	r->remedy = dupopt(lex_get(ln, "remedy"));
	return parse_expr(ld, ln->lineno, "rule", src, &r->cond);
}

static int line_write(struct loader *ld, struct chk_step *s, const struct lex_line *ln)
{
	const char *target = arg1(ld, ln, "write");
	int line = ln->lineno;

	if (!target)
		return -1;
	if (!regmap_find(ld->map, target) && !regmap_group(ld->map, target))
		return lex_fail(&ld->lf, line, ld->err,
				"write: '%s' is neither a register nor a group of %s", target,
				ld->map->path);
	s->writes = xrealloc(s->writes, (s->nwrites + 1) * sizeof *s->writes);
	struct chk_write *w = &s->writes[s->nwrites++];
	memset(w, 0, sizeof *w);
	w->target = xstrdup(target);
	w->line = line;
	for (int i = 2; i < ln->n; i++) {
		const struct lex_tok *t = &ln->tok[i];
		if (!t->key)
			return lex_fail(&ld->lf, line, ld->err, "write: '%s' should be REG=VALUE",
					t->val);
		if (strcmp(t->key, "say") == 0) {
			w->say = xstrdup(t->val);
			continue;
		}
		if (strcmp(t->key, "if") == 0) {
			if (parse_expr(ld, line, "if=", t->val, &w->cond))
				return -1;
			continue;
		}
		const struct reg_def *r = regmap_find(ld->map, t->key);
		if (!r || !r->writable)
			return lex_fail(&ld->lf, line, ld->err,
					"write: '%s' is not a writable register of %s", t->key,
					ld->map->path);
		if (w->n == CHK_MAX_SETS)
			return lex_fail(&ld->lf, line, ld->err, "write: too many registers");
		w->regs[w->n] = xstrdup(t->key);
		if (parse_expr(ld, line, t->key, t->val, &w->vals[w->n++]))
			return -1;
	}
	if (w->n == 0)
		return lex_fail(&ld->lf, line, ld->err, "write: no REG=VALUE given");
	return 0;
}

static int line_simple(struct loader *ld, struct chk_step *s, const struct lex_line *ln)
{
	const char *kind = ln->tok[0].val;
	const char *v = arg1(ld, ln, kind);

	if (!v)
		return -1;
	if (strcmp(kind, "say") == 0) {
		append_text(&s->say, v);
	} else if (strcmp(kind, "remedy") == 0) {
		append_text(&s->remedy, v);
	} else if (strcmp(kind, "confirm") == 0) {
		free(s->confirm);
		s->confirm = xstrdup(v);
	} else if (strcmp(kind, "action") == 0) {
		static const char *const keys[] = { "say", NULL };
		if (check_keys(ld, ln, keys))
			return -1;
		s->actions = xrealloc(s->actions, (s->nactions + 1) * sizeof *s->actions);
		s->action_says = xrealloc(s->action_says, (s->nactions + 1) * sizeof *s->action_says);
		s->actions[s->nactions] = xstrdup(v);
		s->action_says[s->nactions++] = xstrdup(lex_get(ln, "say") ? lex_get(ln, "say") : v);
	} else if (strcmp(kind, "when") == 0) {
		expr_free(s->when);
		return parse_expr(ld, ln->lineno, "when", v, &s->when);
	}
	return 0;
}

static int part_line(struct loader *ld, const struct lex_line *ln)
{
	const char *kind = ln->tok[0].key ? "" : ln->tok[0].val;
	struct chk_step *s;

	if (strcmp(kind, "part") == 0)
		return 0;
	if (strcmp(kind, "step") == 0)
		return line_step(ld, ln);
	if (!(s = cur_step(ld, ln)))
		return -1;
	if (strcmp(kind, "ask") == 0)
		return line_ask(ld, s, ln);
	if (strcmp(kind, "expect") == 0)
		return line_expect(ld, s, ln);
	if (strcmp(kind, "rule") == 0)
		return line_rule(ld, s, ln);
	if (strcmp(kind, "write") == 0)
		return line_write(ld, s, ln);
	if (!strcmp(kind, "say") || !strcmp(kind, "remedy") || !strcmp(kind, "confirm") ||
	    !strcmp(kind, "action") || !strcmp(kind, "when"))
		return line_simple(ld, s, ln);
	return lex_fail(&ld->lf, ln->lineno, ld->err,
			"unknown line '%s' (step, say, when, ask, action, confirm, expect, rule, "
			"write, remedy)", ln->tok[0].val);
}

static int load_part(struct loader *ld, const char *name)
{
	char *path = xasprintf("%s/%s.chk", ld->c->dir, name);
	struct lex_line ln;
	int r;

	ld->part = name;
	if (lex_open(&ld->lf, path, ld->err)) {
		free(path);
		return -1;
	}
	free(path);
	while ((r = lex_next(&ld->lf, &ln, ld->err)) == 1)
		if (part_line(ld, &ln))
			break;
	if (r == 1)
		r = -1;
	lex_close(&ld->lf);
	return r;
}

/* ---- the index -------------------------------------------------------------- */

static int index_const(struct loader *ld, const struct lex_line *ln)
{
	struct checklist *c = ld->c;

	if (ln->n != 3 || ln->tok[1].key || ln->tok[2].key)
		return lex_fail(&ld->lf, ln->lineno, ld->err, "const NAME VALUE");
	c->consts = xrealloc(c->consts, (c->nconsts + 1) * sizeof *c->consts);
	struct chk_const *k = &c->consts[c->nconsts++];
	k->name = xstrdup(ln->tok[1].val);
	double d;
	if (zcs_parse_double(ln->tok[2].val, &d) == 0)
		expr_num(&k->val, d);
	else
		expr_str(&k->val, ln->tok[2].val);
	return 0;
}

static int index_line(struct loader *ld, const struct lex_line *ln, char ***parts, size_t *nparts)
{
	const char *kind = ln->tok[0].key ? "" : ln->tok[0].val;
	struct checklist *c = ld->c;

	if (strcmp(kind, "checklist") == 0) {
		if (!lex_get(ln, "version"))
			return lex_fail(&ld->lf, ln->lineno, ld->err, "checklist needs version=");
		c->version = xstrdup(lex_get(ln, "version"));
		c->title = dupopt(lex_get(ln, "title"));
		return 0;
	}
	if (strcmp(kind, "window") == 0) {
		long n = c->window_n;
		if (lex_long(&ld->lf, ln, "samples", &n, 1, ld->err) ||
		    lex_double(&ld->lf, ln, "seconds", &c->window_s, 1, ld->err) ||
		    lex_double(&ld->lf, ln, "settle", &c->settle_s, 0, ld->err))
			return -1;
		c->window_n = (int)n;
		return 0;
	}
	if (strcmp(kind, "const") == 0)
		return index_const(ld, ln);
	if (strcmp(kind, "part") == 0 && ln->n == 2 && !ln->tok[1].key) {
		*parts = xrealloc(*parts, (*nparts + 1) * sizeof **parts);
		(*parts)[(*nparts)++] = xstrdup(ln->tok[1].val);
		return 0;
	}
	return lex_fail(&ld->lf, ln->lineno, ld->err,
			"unknown line '%s' (checklist, window, const, part NAME)", ln->tok[0].val);
}

static int load_index(struct loader *ld, char ***parts, size_t *nparts)
{
	char *path = xasprintf("%s/index.chk", ld->c->dir);
	struct lex_line ln;
	int r;

	if (lex_open(&ld->lf, path, ld->err)) {
		free(path);
		return -1;
	}
	free(path);
	while ((r = lex_next(&ld->lf, &ln, ld->err)) == 1)
		if (index_line(ld, &ln, parts, nparts))
			break;
	if (r == 0 && !ld->c->version)
		r = lex_fail(&ld->lf, ld->lf.lineno, ld->err, "no 'checklist version=' line");
	if (r == 0 && *nparts == 0)
		r = lex_fail(&ld->lf, ld->lf.lineno, ld->err, "no 'part' line");
	lex_close(&ld->lf);
	return r == 0 ? 0 : -1;
}

/* ---- checking names ------------------------------------------------------------ */

struct vctx {
	struct loader *ld;
	const struct chk_step *step;
	int line;
	char why[300];
};

static int visit_name(void *ctx, const char *name)
{
	struct vctx *v = ctx;
	const struct checklist *c = v->ld->c;

	if (regmap_find(v->ld->map, name) || checklist_input(c, name, NULL) ||
	    checklist_const(c, name) || (v->ld->names && v->ld->names->name_ok &&
					 v->ld->names->name_ok(name)))
		return 0;
	snprintf(v->why, sizeof v->why,
		 "unknown name '%s': not a register of %s, a question asked, or a constant",
		 name, v->ld->map->path);
	return -1;
}

static int visit_call(void *ctx, const char *fn, const struct expr *const *args, int nargs)
{
	struct vctx *v = ctx;
	struct expr_visitor vis = { v, visit_name, visit_call };
	const char *word = nargs >= 1 ? expr_as_name(args[0]) : NULL;

	if (!v->ld->names || !v->ld->names->fn_ok ||
	    v->ld->names->fn_ok(fn, nargs, v->why, sizeof v->why))
		return -1;
	if (strcmp(fn, "fault") == 0) {
		const struct reg_enum *e = regmap_enum(v->ld->map, "g3_fault");
		if (!word || !e || !regmap_enum_key(e, word)) {
			snprintf(v->why, sizeof v->why, "fault(%s): not a fault of %s",
				 word ? word : "?", v->ld->map->path);
			return -1;
		}
		return 0;
	}
	for (int i = 0; i < nargs; i++)
		if (expr_walk(args[i], &vis))
			return -1;
	return 0;
}

static int check_expr(struct vctx *v, const struct expr *e, int line)
{
	struct expr_visitor vis = { v, visit_name, visit_call };

	if (!e)
		return 0;
	if (expr_walk(e, &vis))
		return lex_fail(&v->ld->lf, line, v->ld->err, "%s", v->why);
	return 0;
}

/* Every {expr} inside a text must parse and name known things. */
static int check_text(struct vctx *v, const char *text, int line)
{
	for (const char *p = text ? strchr(text, '{') : NULL; p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			return lex_fail(&v->ld->lf, line, v->ld->err, "'{' without '}' in \"%s\"",
					text);
		char *src = xmalloc((size_t)(end - p));
		memcpy(src, p + 1, (size_t)(end - p - 1));
		src[end - p - 1] = '\0';
		struct expr *e = expr_parse(src, v->why, sizeof v->why);
		int r = e ? check_expr(v, e, line)
			  : lex_fail(&v->ld->lf, line, v->ld->err, "{%s}: %s", src, v->why);
		expr_free(e);
		free(src);
		if (r)
			return -1;
	}
	return 0;
}

static int check_step(struct vctx *v, const struct chk_step *s)
{
	int bad = check_expr(v, s->when, s->line) || check_expr(v, s->timeout, s->line) || check_text(v, s->say, s->line) ||
		  check_text(v, s->remedy, s->line) || check_text(v, s->confirm, s->line);

	for (size_t i = 0; !bad && i < s->ninputs; i++) {
		const struct chk_input *in = &s->inputs[i];
		bad = check_expr(v, in->min, in->line) || check_expr(v, in->max, in->line) ||
		      check_expr(v, in->count, in->line) || check_expr(v, in->deflt, in->line);
	}
	for (size_t i = 0; !bad && i < s->nexpects; i++) {
		const struct chk_expect *x = &s->expects[i];
		bad = check_expr(v, x->value, x->line) || check_expr(v, x->min, x->line) ||
		      check_expr(v, x->max, x->line) || check_expr(v, x->near, x->line) ||
		      check_expr(v, x->tol, x->line) || check_expr(v, x->is, x->line) ||
		      check_text(v, x->remedy, x->line) || check_text(v, x->label, x->line);
	}
	for (size_t i = 0; !bad && i < s->nrules; i++)
		bad = check_expr(v, s->rules[i].cond, s->rules[i].line) ||
		      check_text(v, s->rules[i].text, s->rules[i].line) ||
		      check_text(v, s->rules[i].remedy, s->rules[i].line);
	for (size_t i = 0; !bad && i < s->nwrites; i++)
		bad = check_expr(v, s->writes[i].cond, s->writes[i].line);
	for (size_t i = 0; !bad && i < s->nwrites; i++)
		for (int j = 0; !bad && j < s->writes[i].n; j++)
			bad = check_expr(v, s->writes[i].vals[j], s->writes[i].line);
	return bad ? -1 : 0;
}

/* A step that can fail must say how to put it right. */
static int check_remedy(struct loader *ld, const struct chk_step *s)
{
	if (s->remedy)
		return 0;
	for (size_t i = 0; i < s->nexpects; i++)
		if (!s->expects[i].remedy)
			return lex_fail(&ld->lf, s->expects[i].line, ld->err,
					"step %s can fail here but names no remedy: add remedy= "
					"or a 'remedy' line to the step", s->id);
	for (size_t i = 0; i < s->nrules; i++)
		if (!s->rules[i].remedy)
			return lex_fail(&ld->lf, s->rules[i].line, ld->err,
					"step %s can fail here but names no remedy: add remedy= "
					"or a 'remedy' line to the step", s->id);
	return 0;
}

static int check_all(struct loader *ld)
{
	for (size_t i = 0; i < ld->c->nsteps; i++) {
		const struct chk_step *s = &ld->c->steps[i];
		struct vctx v = { .ld = ld, .step = s };
		/* errors name the step's own file */
		free(ld->lf.path);
		ld->lf.path = xstrdup(s->file);
		if (check_step(&v, s) || check_remedy(ld, s))
			return -1;
	}
	return 0;
}

/* Conditions may name steps: passed('grid.mode').  Check them here. */
static int check_step_refs_in(struct loader *ld, const struct chk_step *s, const char *src, int line)
{
	for (const char *p = src ? strstr(src, "passed('") : NULL; p; p = strstr(p + 1, "passed('")) {
		const char *a = p + 8, *b = strchr(a, '\'');
		if (!b)
			break;
		char id[128];
		snprintf(id, sizeof id, "%.*s", (int)(b - a), a);
		if (checklist_find(ld->c, id) < 0)
			return lex_fail(&ld->lf, line, ld->err, "step %s: unknown step '%s'", s->id, id);
	}
	return 0;
}

static int check_step_refs(struct loader *ld)
{
	for (size_t i = 0; i < ld->c->nsteps; i++) {
		const struct chk_step *s = &ld->c->steps[i];
		free(ld->lf.path);
		ld->lf.path = xstrdup(s->file);
		if (s->when && check_step_refs_in(ld, s, expr_source(s->when), s->line))
			return -1;
		for (size_t j = 0; j < s->nrules; j++)
			if (check_step_refs_in(ld, s, expr_source(s->rules[j].cond), s->rules[j].line))
				return -1;
	}
	return 0;
}

/* The hash recorded with every session: the bytes of the index and of
 * every part, in order, each preceded by its name. */
static void hash_file(struct sha256 *h, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t n;

	sha256_update(h, name, strlen(name) + 1);
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(h, buf, n);
	if (f)
		fclose(f);
	free(path);
}

static void hash_checklist(struct checklist *c, char **parts, size_t nparts)
{
	struct sha256 h;
	uint8_t digest[32];

	sha256_init(&h);
	hash_file(&h, c->dir, "index.chk");
	for (size_t i = 0; i < nparts; i++) {
		char *name = xasprintf("%s.chk", parts[i]);
		hash_file(&h, c->dir, name);
		free(name);
	}
	sha256_final(&h, digest);
	sha256_to_hex(digest, c->hash);
}

struct checklist *checklist_load(const char *dir, const struct regmap *map,
				 const struct chk_names *names, struct zcs_err *err)
{
	struct checklist *c = xcalloc(1, sizeof *c);
	struct loader ld = { .c = c, .map = map, .names = names, .err = err };
	char **parts = NULL;
	size_t nparts = 0;
	int r;

	c->dir = xstrdup(dir);
	c->window_n = 5;
	c->window_s = 3;
	c->settle_s = 10;
	r = load_index(&ld, &parts, &nparts);
	for (size_t i = 0; r == 0 && i < nparts; i++)
		r = load_part(&ld, parts[i]);
	memset(&ld.lf, 0, sizeof ld.lf);
	if (r == 0)
		r = check_all(&ld);
	if (r == 0)
		r = check_step_refs(&ld);
	if (r == 0)
		hash_checklist(c, parts, nparts);
	free(ld.lf.path);
	for (size_t i = 0; i < nparts; i++)
		free(parts[i]);
	free(parts);
	if (r) {
		checklist_free(c);
		return NULL;
	}
	return c;
}

int checklist_find(const struct checklist *c, const char *id)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (strcmp(c->steps[i].id, id) == 0)
			return (int)i;
	return -1;
}

const struct chk_input *checklist_input(const struct checklist *c, const char *key, int *step)
{
	for (size_t i = 0; i < c->nsteps; i++)
		for (size_t j = 0; j < c->steps[i].ninputs; j++)
			if (strcmp(c->steps[i].inputs[j].key, key) == 0) {
				if (step)
					*step = (int)i;
				return &c->steps[i].inputs[j];
			}
	return NULL;
}

const struct chk_const *checklist_const(const struct checklist *c, const char *name)
{
	for (size_t i = 0; i < c->nconsts; i++)
		if (strcmp(c->consts[i].name, name) == 0)
			return &c->consts[i];
	return NULL;
}
