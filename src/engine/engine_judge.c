/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Judging: a round of expectations against the values read, verdict texts. */
#include "engine/engine_int.h"

/* ---- judging ------------------------------------------------------------------------ */

const struct reg_def *eng_bare_reg(const struct engine *e, const struct expr *x)
{
	const char *n = expr_as_name(x);
	return n ? regmap_find(e->map, n) : NULL;
}

static void fmt_val(struct engine *e, const struct expr *x, const struct expr_val *v, int unit,
		    char *buf, size_t n)
{
	const struct reg_def *d = eng_bare_reg(e, x);
	const struct reg_value *rv = d ? eng_reg_val(e, d->name, unit) : NULL;

	if (rv)
		value_format(rv, buf, n);
	else if (v->type == EXPR_NUM && v->num != floor(v->num))
		snprintf(buf, n, "%.2f", v->num);
	else
		expr_format(v, buf, n);
}

static void fmt_bound(struct engine *e, const struct expr *x, int unit, char *buf, size_t n)
{
	struct expr_val v;
	char why[200];

	if (eng_eval(e, x, unit, &v, why, sizeof why) != EXPR_OK)
		snprintf(buf, n, "?");
	else if (v.type == EXPR_NUM && v.num != floor(v.num))
		snprintf(buf, n, "%.2f", v.num);
	else
		expr_format(&v, buf, n);
}

void eng_expected_text(struct engine *e, const struct chk_expect *x, int unit, char *buf,
			  size_t n)
{
	char a[64], b[64];
	const struct reg_def *d = eng_bare_reg(e, x->value);
	const char *u = d && *d->unit && !d->enm ? d->unit : "";

	if (x->near) {
		fmt_bound(e, x->near, unit, a, sizeof a);
		fmt_bound(e, x->tol, unit, b, sizeof b);
		snprintf(buf, n, "near %s (within %s) %s", a, b, u);
	} else if (x->min && x->max) {
		fmt_bound(e, x->min, unit, a, sizeof a);
		fmt_bound(e, x->max, unit, b, sizeof b);
		snprintf(buf, n, "%s to %s %s", a, b, u);
	} else if (x->min) {
		fmt_bound(e, x->min, unit, a, sizeof a);
		snprintf(buf, n, "at least %s %s", a, u);
	} else if (x->max) {
		fmt_bound(e, x->max, unit, a, sizeof a);
		snprintf(buf, n, "at most %s %s", a, u);
	} else if (x->is) {
		fmt_bound(e, x->is, unit, a, sizeof a);
		snprintf(buf, n, "%s", a);
	} else {
		snprintf(buf, n, "true");
	}
	size_t l = strlen(buf);
	while (l && buf[l - 1] == ' ')
		buf[--l] = '\0';
}

int eng_bound(struct engine *e, const struct expr *x, int unit, double *out, char *why,
		 size_t nwhy)
{
	struct expr_val v;
	int r = eng_eval(e, x, unit, &v, why, nwhy);

	if (r != EXPR_OK)
		return r;
	if (v.type != EXPR_NUM) {
		snprintf(why, nwhy, "a limit is text ('%s'), not a number", v.str);
		return EXPR_ERROR;
	}
	*out = v.num;
	return EXPR_OK;
}

enum eng_mark eng_judge_expect(struct engine *e, const struct chk_expect *x, int unit,
				  char *val, size_t nval, char *why, size_t nwhy)
{
	struct expr_val v, w;
	double a = 0, b = 0;
	int r = eng_eval(e, x->value, unit, &v, why, nwhy);

	snprintf(val, nval, "--");
	if (r == EXPR_UNKNOWN)
		return ENG_WAIT;
	if (r == EXPR_ERROR)
		return ENG_FAIL;
	fmt_val(e, x->value, &v, unit, val, nval);
	if (x->is) {
		if ((r = eng_eval(e, x->is, unit, &w, why, nwhy)) != EXPR_OK)
			return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
		if (v.type == EXPR_STR || w.type == EXPR_STR)
			return v.type == w.type && strcmp(v.str, w.str) == 0 ? ENG_PASS : ENG_FAIL;
		return fabs(v.num - w.num) < 1e-9 ? ENG_PASS : ENG_FAIL;
	}
	if (!x->near && !x->min && !x->max) {
		if (v.type == EXPR_NUM && !eng_bare_reg(e, x->value))
			snprintf(val, nval, "%s", v.num ? "yes" : "no");
		return expr_truthy(&v) ? ENG_PASS : ENG_FAIL;
	}
	if (v.type != EXPR_NUM) {
		snprintf(why, nwhy, "'%s' is text, not a number", v.str);
		return ENG_FAIL;
	}
	if (x->near) {
		if ((r = eng_bound(e, x->near, unit, &a, why, nwhy)) ||
		    (r = eng_bound(e, x->tol, unit, &b, why, nwhy)))
			return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
		return fabs(v.num - a) <= b + 1e-9 ? ENG_PASS : ENG_FAIL;
	}
	if (x->min && (r = eng_bound(e, x->min, unit, &a, why, nwhy)))
		return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
	if (x->max && (r = eng_bound(e, x->max, unit, &b, why, nwhy)))
		return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
	if (x->min && v.num < a - 1e-9)
		return ENG_FAIL;
	if (x->max && v.num > b + 1e-9)
		return ENG_FAIL;
	return ENG_PASS;
}

char *eng_expect_label(struct engine *e, const struct chk_expect *x, int unit)
{
	const struct reg_def *d = eng_bare_reg(e, x->value);

	if (x->label)
		return eng_render(e, x->label, unit);
	return xstrdup(d ? d->label : expr_source(x->value));
}


/* Every failing check shows its own remedy: one line each, the same
 * remedy once. */
static void add_remedy(char **dst, char *remedy)
{
	const char *p = *dst;
	size_t n = strlen(remedy);

	while (p && *p) {
		size_t len = strcspn(p, "\n");
		if (len == n && strncmp(p, remedy, n) == 0) {
			free(remedy);
			return;
		}
		p += len + (p[len] == '\n');
	}
	eng_add_line(dst, remedy);
	free(remedy);
}

int eng_step_units(const struct engine *e, const struct chk_step *s)
{
	return s->each_unit ? e->cfg.nunits : 1;
}

void eng_judge_round(struct engine *e, const struct chk_step *s, struct round *rd)
{
	int any_wait = 0, any_fail = 0;

	memset(rd, 0, sizeof *rd);
	for (int u = 0; u < eng_step_units(e, s); u++) {
		for (size_t i = 0; i < s->nexpects; i++) {
			const struct chk_expect *x = &s->expects[i];
			char val[160], exp[200], why[300], line[800];
			enum eng_mark m = eng_judge_expect(e, x, u, val, sizeof val, why, sizeof why);
			char *label = eng_expect_label(e, x, u);
			eng_expected_text(e, x, u, exp, sizeof exp);
			char unit_txt[32] = "";
			if (s->each_unit)
				snprintf(unit_txt, sizeof unit_txt, "unit %d (slave %d): ", u,
					 unit_slave(e, u));
			const char *verdict = m == ENG_PASS ? "ok" : m == ENG_FAIL ? "FAIL" : "waiting";
			if (!strcmp(exp, "true"))
				snprintf(line, sizeof line, "%s%s: %s: %s%s%s", unit_txt, label, val,
					 verdict, why[0] && m != ENG_PASS ? ": " : "",
					 m != ENG_PASS ? why : "");
			else
				snprintf(line, sizeof line, "%s%s %s, expected %s: %s%s%s", unit_txt,
					 label, val, exp, verdict, why[0] && m != ENG_PASS ? ": " : "",
					 m != ENG_PASS ? why : "");
			free(label);
			eng_add_line(&rd->detail, line);
			any_wait |= m == ENG_WAIT;
			any_fail += m == ENG_FAIL;
			if (m == ENG_FAIL)
				add_remedy(&rd->remedy, x->remedy ? eng_render(e, x->remedy, u)
						  : s->remedy ? eng_render(e, s->remedy, 0)
						  : xstrdup("(no remedy given for this check)"));
		}
	}
	for (size_t i = 0; i < s->nrules; i++) {
		const struct chk_rule *r = &s->rules[i];
		struct expr_val v;
		char why[300], line[800];
		int res = eng_eval(e, r->cond, 0, &v, why, sizeof why);
		char *text = eng_render(e, r->text, 0);
		enum eng_mark m = res == EXPR_OK ? (expr_truthy(&v) ? ENG_PASS : ENG_FAIL)
			: res == EXPR_UNKNOWN && s->nexpects ? ENG_WAIT : ENG_FAIL;
		snprintf(line, sizeof line, "%s: %s%s%s", text,
			 m == ENG_PASS ? "ok" : m == ENG_FAIL ? "FAIL" : "waiting",
			 why[0] && m != ENG_PASS ? ": " : "", m != ENG_PASS ? why : "");
		free(text);
		eng_add_line(&rd->detail, line);
		any_wait |= m == ENG_WAIT;
		any_fail += m == ENG_FAIL;
		if (m == ENG_FAIL)
			add_remedy(&rd->remedy, r->remedy ? eng_render(e, r->remedy, 0)
					  : s->remedy ? eng_render(e, s->remedy, 0)
					  : xstrdup("(no remedy given for this check)"));
	}
	if (any_fail && !rd->remedy && s->remedy)
		rd->remedy = eng_render(e, s->remedy, 0);
	rd->mark = any_fail ? ENG_FAIL : any_wait ? ENG_WAIT : ENG_PASS;
}

static char *recorded_detail(struct engine *e, const struct chk_step *s)
{
	char *d = NULL;

	for (size_t i = 0; i < s->ninputs; i++) {
		const char *v = engine_answer_of(e, s->inputs[i].key);
		char *line = xasprintf("%s: %s%s%s", s->inputs[i].prompt, v ? v : "(not given)",
				       v && *s->inputs[i].unit ? " " : "", v ? s->inputs[i].unit : "");
		eng_add_line(&d, line);
		free(line);
	}
	for (size_t i = 0; i < s->nactions; i++) {
		char *line = xasprintf("done by the installer: %s", s->action_says[i]);
		eng_add_line(&d, line);
		free(line);
	}
	if (s->confirm) {
		const char *who = e->rt[s - e->chk->steps].confirmed_by;
		char *c = eng_render(e, s->confirm, 0);
		char *line = xasprintf("confirmed by %s: %s", who ? who : "the installer", c);
		eng_add_line(&d, line);
		free(line);
		free(c);
	}
	return d ? d : xstrdup("nothing to check");
}

/* A step without live expectations is judged at once. */
int eng_judge_static(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct round rd;
	int r;

	if (s->nrules == 0) {
		char *d = recorded_detail(e, s);
		r = eng_set_verdict(e, i, ENG_PASSED, d, NULL, err);
		free(d);
		return r;
	}
	eng_judge_round(e, s, &rd);
	r = eng_set_verdict(e, i, rd.mark == ENG_PASS ? ENG_PASSED : ENG_FAILED, rd.detail, rd.remedy,
			err);
	free(rd.detail);
	free(rd.remedy);
	return r;
}
