/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Answers and confirmations: validation, invalidation of later steps,
 * skip, override, recheck. */
#include "engine/engine_int.h"

/* ---- answers, confirmations ----------------------------------------------------------- */

int eng_limit(struct engine *e, const struct expr *x, double *out)
{
	char why[200];
	return x && eng_bound(e, x, 0, out, why, sizeof why) == EXPR_OK;
}

static int check_number(struct engine *e, const struct chk_input *in, const char *s, double *d,
			struct zcs_err *err)
{
	double lo, hi;
	int has_lo = eng_limit(e, in->min, &lo), has_hi = eng_limit(e, in->max, &hi);
	long l;

	if (in->type == CHK_INT ? zcs_parse_long(s, &l) : zcs_parse_double(s, d))
		return zcs_fail(err, ZCS_DATA, "%s (%s): '%s' is not a %s; type %s", in->prompt,
				in->key, s, in->type == CHK_INT ? "whole number" : "finite number",
				in->type == CHK_INT ? "digits only, e.g. 2" : "a number, e.g. 1.5");
	if (in->type == CHK_INT)
		*d = (double)l;
	if ((has_lo && *d < lo - 1e-9) || (has_hi && *d > hi + 1e-9)) {
		char range[96];
		if (has_lo && has_hi)
			snprintf(range, sizeof range, "between %g and %g", lo, hi);
		else if (has_lo)
			snprintf(range, sizeof range, "at least %g", lo);
		else
			snprintf(range, sizeof range, "at most %g", hi);
		return zcs_fail(err, ZCS_DATA, "%s: %s%s%s is out of range: it must be %s%s%s",
				in->prompt, s, *in->unit ? " " : "", in->unit, range,
				*in->unit ? " " : "", in->unit);
	}
	return 0;
}

static int word_in(const char *word, const char *list)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t m = strcspn(p, " ");
		if (m == n && strncmp(p, word, n) == 0)
			return 1;
		p += m;
	}
	return 0;
}

const char *eng_choices_of(const struct chk_input *in)
{
	if (in->choices && in->choices[0] == '@')
		return fn_choices(in->choices + 1);
	return in->choices;
}

static int check_list(struct engine *e, const struct chk_input *in, const char *s,
		      struct zcs_err *err)
{
	char *copy = xstrdup(s), *save = NULL;
	int n = 0, r = 0;
	double want = 0;

	for (char *t = strtok_r(copy, " ,;", &save); t && !r; t = strtok_r(NULL, " ,;", &save)) {
		double d;
		struct chk_input one = *in;
		one.type = CHK_NUM;
		r = check_number(e, &one, t, &d, err);
		n++;
	}
	free(copy);
	if (!r && eng_limit(e, in->count, &want) && n != (int)want)
		r = zcs_fail(err, ZCS_DATA, "%s: %d value%s given, %g expected (one for each)",
			     in->prompt, n, n == 1 ? "" : "s", want);
	if (!r && n == 0)
		r = zcs_fail(err, ZCS_DATA, "%s: give at least one value", in->prompt);
	return r;
}

static int validate(struct engine *e, const struct chk_input *in, const char *value,
		    char **norm, struct zcs_err *err)
{
	double d;

	*norm = NULL;
	switch (in->type) {
	case CHK_INT:
	case CHK_NUM:
		if (check_number(e, in, value, &d, err))
			return -1;
		break;
	case CHK_YESNO:
		if (!strcmp(value, "yes") || !strcmp(value, "y") || !strcmp(value, "1"))
			*norm = xstrdup("yes");
		else if (!strcmp(value, "no") || !strcmp(value, "n") || !strcmp(value, "0"))
			*norm = xstrdup("no");
		else
			return zcs_fail(err, ZCS_DATA, "%s: answer yes or no, not '%s'", in->prompt,
					value);
		return 0;
	case CHK_CHOICE:
		if (!word_in(value, eng_choices_of(in)))
			return zcs_fail(err, ZCS_DATA, "%s: '%s' is not one of: %s", in->prompt,
					value, eng_choices_of(in));
		break;
	case CHK_LIST:
		if (check_list(e, in, value, err))
			return -1;
		break;
	case CHK_TEXT:
		if (!*value && !in->optional)
			return zcs_fail(err, ZCS_DATA, "%s: an answer is needed", in->prompt);
		break;
	}
	*norm = xstrdup(value);
	return 0;
}

struct refs {
	const char *key;
	int found;
};

static int ref_name(void *ctx, const char *name)
{
	struct refs *r = ctx;
	if (strcmp(name, r->key) == 0)
		r->found = 1;
	return 0;
}

static int ref_call(void *ctx, const char *fn, const struct expr *const *args, int nargs)
{
	struct expr_visitor v = { ctx, ref_name, ref_call };
	for (int i = 0; i < nargs; i++)
		expr_walk(args[i], &v);
	return 0;
}

static int step_uses(const struct chk_step *s, const char *key)
{
	struct refs r = { key, 0 };
	struct expr_visitor v = { &r, ref_name, ref_call };

	expr_walk(s->when, &v);
	for (size_t i = 0; i < s->nexpects; i++) {
		const struct chk_expect *x = &s->expects[i];
		expr_walk(x->value, &v); expr_walk(x->min, &v); expr_walk(x->max, &v);
		expr_walk(x->near, &v); expr_walk(x->tol, &v); expr_walk(x->is, &v);
	}
	for (size_t i = 0; i < s->nrules; i++)
		expr_walk(s->rules[i].cond, &v);
	for (size_t i = 0; i < s->nwrites; i++)
		for (int j = 0; j < s->writes[i].n; j++)
			expr_walk(s->writes[i].vals[j], &v);
	for (size_t i = 0; i < s->ninputs; i++) {
		expr_walk(s->inputs[i].min, &v); expr_walk(s->inputs[i].max, &v);
		expr_walk(s->inputs[i].count, &v);
	}
	return r.found;
}

/* A changed answer makes every verdict that depended on it stale, and the
 * confirmations given for them: their text may quote the old answer. */
static void invalidate(struct engine *e, const char *key, int from)
{
	for (size_t i = 0; i < e->chk->nsteps; i++) {
		struct step_rt *rt = &e->rt[i];
		if ((int)i == e->cur) {
			rt->offers_ready = 0;
			rt->writes_settled = 0;
			eng_set_str(&rt->confirmed_by, NULL);
			if (rt->status != ENG_ACTIVE && rt->status != ENG_PENDING)
				rt->status = ENG_ACTIVE;
			continue;
		}
		if ((int)i < from || rt->status == ENG_PENDING || !step_uses(&e->chk->steps[i], key))
			continue;
		rt->status = ENG_PENDING;
		rt->offers_ready = rt->writes_settled = 0;
		eng_set_str(&rt->confirmed_by, NULL);
		eng_set_str(&rt->detail, NULL);
		eng_set_str(&rt->remedy, NULL);
	}
}

int engine_answer(struct engine *e, const char *key, const char *value, struct zcs_err *err)
{
	/* an answer may change what later steps expect: nothing sampled ahead
	 * is kept */
	eng_ahead_clear(e);
	int step;
	const struct chk_input *in = checklist_input(e->chk, key, &step);
	char *norm;

	if (!in)
		return zcs_fail(err, ZCS_DATA, "no question is called '%s' in the checklist", key);
	if (validate(e, in, value, &norm, err))
		return -1;
	int changed = eng_store_answer(e, key, norm);
	/* Before the session begins (engine_start's installer, site, customer)
	 * there is nothing to record into: session_begin carries them. */
	int r = e->started ? eng_obs_answer(e, e->chk->steps[step].id, key, norm, err) : 0;
	free(norm);
	if (changed && e->started)
		invalidate(e, key, step);
	return r;
}

static int need_current(struct engine *e, struct zcs_err *err)
{
	if (!cur_step(e))
		return zcs_fail(err, ZCS_USAGE, "there is no current step");
	return 0;
}

int engine_action_done(struct engine *e, struct zcs_err *err)
{
	if (need_current(e, err))
		return -1;
	if (e->rt[e->cur].actions_done < e->chk->steps[e->cur].nactions)
		e->rt[e->cur].actions_done++;
	return 0;
}

int engine_confirm(struct engine *e, const char *who, struct zcs_err *err)
{
	if (need_current(e, err))
		return -1;
	if (!who || !*who)
		return zcs_fail(err, ZCS_DATA, "a confirmation needs the name of who gives it");
	eng_set_str(&e->rt[e->cur].confirmed_by, who);
	return 0;
}

int engine_skip(struct engine *e, const char *reason, struct zcs_err *err)
{
	if (need_current(e, err))
		return -1;
	if (!reason || !*reason)
		return zcs_fail(err, ZCS_DATA, "a step is skipped only with a reason: say why");
	eng_set_str(&e->rt[e->cur].reason, reason);
	char *d = xasprintf("skipped by the installer: %s", reason);
	int r = eng_set_verdict(e, e->cur, ENG_SKIPPED, d, NULL, err);
	free(d);
	return r;
}

int engine_override(struct engine *e, const char *who, const char *reason, struct zcs_err *err)
{
	struct step_rt *rt;

	if (need_current(e, err))
		return -1;
	rt = &e->rt[e->cur];
	if (rt->status != ENG_FAILED)
		return zcs_fail(err, ZCS_USAGE, "only a failed step can be overridden");
	if (!who || !*who || !reason || !*reason)
		return zcs_fail(err, ZCS_DATA, "an override needs a name and a reason");
	eng_set_str(&rt->override_by, who);
	eng_set_str(&rt->reason, reason);
	char *d = xasprintf("%s\noverridden by %s: %s", rt->detail ? rt->detail : "", who, reason);
	int r = eng_set_verdict(e, e->cur, ENG_PASSED, d, NULL, err);
	free(d);
	return r;
}

int engine_recheck(struct engine *e, struct zcs_err *err)
{
	struct step_rt *rt;

	if (need_current(e, err))
		return -1;
	rt = &e->rt[e->cur];
	rt->status = ENG_ACTIVE;
	rt->offers_ready = rt->writes_settled = 0;
	rt->started_wall = zcs_wall_ms();
	eng_set_str(&rt->detail, NULL);
	eng_set_str(&rt->remedy, NULL);
	eng_set_str(&rt->override_by, NULL);
	eng_window_clear(&rt->win);
	eng_ahead_clear(e);
	eng_drop_plan(e);
	/* checked again after a fix, made on the display as often as not: the
	 * session cache is not trusted for this step's first poll */
	e->fresh_step = e->cur;
	return 0;
}
