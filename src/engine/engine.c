/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The step engine: life cycle, readiness, movement, session and views. */
#include "engine/engine_int.h"
#include "engine/l10n.h"

/* ---- small helpers ------------------------------------------------------- */

const char *engine_status_name(enum eng_status s)
{
	static const char *const names[] = { "pending", "active", "checking", "passed",
					     "failed", "skipped", "n/a" };
	return (unsigned)s < ZCS_ARRAY_LEN(names) ? names[s] : "?";
}

const char *eng_keep(struct engine *e, char *s)
{
	e->pool = xrealloc(e->pool, (e->npool + 1) * sizeof *e->pool);
	e->pool[e->npool++] = s;
	return s;
}

void eng_pool_clear(struct engine *e)
{
	for (size_t i = 0; i < e->npool; i++)
		free(e->pool[i]);
	e->npool = 0;
}

void eng_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void eng_sets_clear(struct engine *e)
{
	for (size_t i = 0; i < e->nsets; i++)
		free(e->sets[i].refused);
	e->nsets = 0;
}




/* ---- answers ------------------------------------------------------------- */

const char *engine_answer_of(const struct engine *e, const char *key)
{
	for (size_t i = 0; i < e->nans; i++)
		if (strcmp(e->ans[i].key, key) == 0)
			return e->ans[i].value;
	return NULL;
}

int eng_store_answer(struct engine *e, const char *key, const char *value)
{
	for (size_t i = 0; i < e->nans; i++)
		if (strcmp(e->ans[i].key, key) == 0) {
			int same = strcmp(e->ans[i].value, value) == 0;
			eng_set_str(&e->ans[i].value, value);
			return !same;
		}
	e->ans = xrealloc(e->ans, (e->nans + 1) * sizeof *e->ans);
	e->ans[e->nans].key = xstrdup(key);
	e->ans[e->nans++].value = xstrdup(value);
	return 1;
}

/* ---- life cycle ---------------------------------------------------------------- */

struct engine *engine_new(const struct eng_config *cfg, struct zcs_err *err)
{
	struct engine *e = xcalloc(1, sizeof *e);

	e->cfg = *cfg;
	e->dry_run_writes = cfg->dry_run_writes;
	if (e->cfg.window_scale <= 0)
		e->cfg.window_scale = 1;
	if (e->cfg.poll_ms <= 0)
		e->cfg.poll_ms = (int)fmax(20, 1000 * e->cfg.window_scale);
	if (e->cfg.nunits <= 0) {
		e->cfg.nunits = 1;
		e->cfg.units[0] = cfg->link ? link_params_of(cfg->link)->slave : 1;
	}
	e->cur = -1;
	e->plan_step = -1;
	e->fresh_step = -1;
	if (fn_open(err) || !(e->map = regmap_open("g3", err)))
		goto fail;
	const struct reg_def *fw = regmap_find(e->map, "fault_words");
	for (unsigned k = 0; fw && fw->type == REG_BITS && k < fw->words && k < REG_MAX_WORDS; k++) {
		struct reg_def *d = &e->fault_part[k];
		*d = *fw;
		snprintf(e->fault_part_name[k], sizeof e->fault_part_name[k], "fault_words[%u]", k + 1);
		d->name = e->fault_part_name[k];
		d->addr = fw->addr + k;
		d->words = 1;
		d->bits_base = fw->bits_base + 16 * (long)k;
		e->nfault_part = k + 1;
	}
	e->chk = checklist_load(cfg->checklist_dir ? cfg->checklist_dir : paths_checklist_dir(),
				e->map, &eng_names, err);
	if (!e->chk)
		goto fail;
	l10n_use(e->chk);
	e->rt = xcalloc(e->chk->nsteps, sizeof *e->rt);
	return e;
fail:
	engine_free(e);
	return NULL;
}

void eng_window_clear(struct window *w)
{
	w->n = 0;
	w->polls = 0;
	w->start_ms = 0;
}

void eng_drop_plan(struct engine *e)
{
	for (size_t k = 0; k < e->nahead; k++)
		free(e->ahead_idx[k]);
	e->nahead = 0;
	poll_plan_free(&e->plan);
	memset(&e->plan, 0, sizeof e->plan);
	free(e->vals);
	e->vals = NULL;
	e->plan_step = -1;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	for (size_t j = 0; j < e->nwatch; j++)
		free(e->watch[j]);
	free(e->watch);
	free(e->watch_vals);
	if (e->have_watch_plan)
		poll_plan_free(&e->watch_plan);
	for (size_t i = 0; e->chk && i < e->chk->nsteps; i++) {
		struct step_rt *rt = &e->rt[i];
		free(rt->detail); free(rt->remedy); free(rt->reason); free(rt->override_by);
		free(rt->confirmed_by);
		free(rt->ahead_detail);
		free(rt->win.ev);
	}
	for (size_t i = 0; i < e->nans; i++) {
		free(e->ans[i].key);
		free(e->ans[i].value);
	}
	eng_drop_plan(e);
	eng_pool_clear(e);
	free(e->pool); free(e->ans); free(e->rt); free(e->offers); free(e->voffers);
	eng_sets_clear(e); free(e->sets); free(e->vsets); free(e->vlines);
	free(e->vin); free(e->vlive); free(e->vsamples); free(e->unserved);
	free(e->cache); free(e->cache_ok);
	checklist_free(e->chk);
	regmap_free(e->map);
	regmap_free(e->id.map);
	fn_close();
	free(e);
}

const struct checklist *engine_checklist(const struct engine *e) { return e->chk; }
const struct unit_ident *engine_ident(const struct engine *e) { return e->have_id ? &e->id : NULL; }
size_t engine_nsteps(const struct engine *e) { return e->chk->nsteps; }
int engine_current(const struct engine *e) { return e->cur; }
int engine_link_lost(const struct engine *e) { return e->lost; }
int engine_logger_busy(const struct engine *e) { return e->busy; }

enum eng_status engine_status(const struct engine *e, int i)
{
	return i >= 0 && (size_t)i < e->chk->nsteps ? e->rt[i].status : ENG_PENDING;
}

int engine_all_passed(const struct engine *e)
{
	for (size_t i = 0; i < e->chk->nsteps; i++)
		if (e->rt[i].status != ENG_PASSED && e->rt[i].status != ENG_NA)
			return 0;
	return 1;
}

/* ---- observer calls --------------------------------------------------------------- */

int eng_obs_answer(struct engine *e, const char *step, const char *key, const char *value,
		      struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	return o && o->answer ? o->answer(o->ctx, step, key, value, err) : 0;
}

static int obs_enter(struct engine *e, int i, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	return o && o->step_enter ? o->step_enter(o->ctx, e->chk->steps[i].id, err) : 0;
}

/* The wire floor of a window's evidence: each poll's registers that were
 * read (not taken from the session cache), per unit, in the requests that
 * take least time on the line (a gap is spanned when its words cost less
 * than a request's overhead and silences). */
static void window_floor(struct engine *e, const struct window *w, struct eng_step_info *out)
{
	const struct reg_def **defs;
	size_t per = w->polls ? w->n / (size_t)w->polls : 0;

	out->window_cached = 0;
	out->floor_requests = 0;
	out->floor_bytes = 0;
	if (!per)
		return;
	defs = xcalloc(per + 1, sizeof *defs);
	for (size_t p = 0; p + per <= w->n; p += per) {
		for (size_t a = p; a < p + per; ) {        /* one unit's run of this poll */
			size_t b = a, k = 0;
			struct poll_plan plan;

			while (b < p + per && w->ev[b].slave == w->ev[a].slave) {
				if (w->ev[b].v.cached)
					out->window_cached++;
				else if (!w->ev[b].v.unserved)
					defs[k++] = w->ev[b].def;
				b++;
			}
			poll_plan_defs(e->map, defs, k, POLL_FLOOR_GAP, &plan);
			for (size_t r = 0; r < plan.nreqs; r++)
				out->floor_bytes += 8 + 5 + 2ull * plan.reqs[r].count;
			out->floor_requests += plan.nreqs;
			poll_plan_free(&plan);
			a = b;
		}
	}
	free(defs);
}

static struct eng_sample *samples_of(const struct window *w)
{
	struct eng_sample *s = xcalloc(w->n + 1, sizeof *s);

	for (size_t i = 0; i < w->n; i++) {
		const struct ev *v = &w->ev[i];
		s[i].name = v->def->name;
		s[i].unit = v->def->unit;
		s[i].value = v->v.num;
		s[i].text = v->v.text;
		s[i].raw = v->v.raw;
		s[i].nraw = v->v.nraw;
		s[i].slave = v->slave;
		s[i].wall_ms = v->v.wall_ms;
		s[i].cached = v->v.cached;
	}
	return s;
}

static int obs_verdict(struct engine *e, int i, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];

	if (!o || !o->verdict)
		return 0;
	struct eng_kv *kv = xcalloc(s->ninputs + 1, sizeof *kv);
	size_t nkv = 0;
	for (size_t j = 0; j < s->ninputs; j++) {
		const char *v = engine_answer_of(e, s->inputs[j].key);
		if (v) {
			kv[nkv].key = s->inputs[j].key;
			kv[nkv++].value = v;
		}
	}
	struct eng_sample *smp = samples_of(&rt->win);
	struct eng_verdict v = {
		.step_id = s->id, .section = s->section, .title = s->title, .status = rt->status,
		.started_ms = rt->started_wall ? rt->started_wall : zcs_wall_ms(),
		.ended_ms = zcs_wall_ms(), .detail = rt->detail, .remedy = rt->remedy,
		.reason = rt->reason, .override_by = rt->override_by, .inputs = kv, .ninputs = nkv,
		.samples = smp, .nsamples = rt->status == ENG_PASSED || rt->status == ENG_FAILED ?
			rt->win.n : 0,
	};
	int r = o->verdict(o->ctx, &v, err);
	free(kv);
	free(smp);
	return r;
}

void eng_add_line(char **dst, const char *line)
{
	char *t = *dst ? xasprintf("%s\n%s", *dst, line) : xstrdup(line);
	free(*dst);
	*dst = t;
}

int eng_set_verdict(struct engine *e, int i, enum eng_status st, const char *detail,
		       const char *remedy, struct zcs_err *err)
{
	struct step_rt *rt = &e->rt[i];

	const struct chk_step *s = &e->chk->steps[i];

	rt->status = st;
	eng_set_str(&rt->detail, detail);
	/* a confirmation is kept with who gave it, whatever else judged the step */
	if ((st == ENG_PASSED || st == ENG_FAILED) && s->confirm && rt->confirmed_by &&
	    (!detail || !strstr(detail, "confirmed by "))) {
		char *c = eng_render(e, s->confirm, 0);
		char *line = xasprintf("confirmed by %s: %s", rt->confirmed_by, c);
		eng_add_line(&rt->detail, line);
		free(line);
		free(c);
	}
	eng_set_str(&rt->remedy, st == ENG_FAILED ? remedy : NULL);
	if (st != ENG_SKIPPED)
		eng_set_str(&rt->reason, NULL);
	if (i == e->plan_step)
		eng_drop_plan(e);
	return obs_verdict(e, i, err);
}

/* ---- readiness and writes ---------------------------------------------------------- */

static int inputs_answered(const struct engine *e, const struct chk_step *s,
			   const struct chk_input **what)
{
	for (size_t i = 0; i < s->ninputs; i++)
		if (!s->inputs[i].optional && !engine_answer_of(e, s->inputs[i].key)) {
			*what = &s->inputs[i];
			return 0;
		}
	return 1;
}

/* NULL when the step can be judged, else what it waits for (a kept string). */
static const char *waiting_for(struct engine *e, int i)
{
	const struct chk_step *s = &e->chk->steps[i];
	const struct step_rt *rt = &e->rt[i];
	const struct chk_input *what;

	if (!inputs_answered(e, s, &what))
		return eng_keep(e, xasprintf("an answer: %s (%s)", what->prompt, what->key));
	if (s->nwrites && !rt->writes_settled)
		return "the offered settings to be written or declined";
	if (rt->actions_done < s->nactions)
		return eng_keep(e, xasprintf("the installer to: %s", s->action_says[rt->actions_done]));
	if (s->confirm && !rt->confirmed_by)
	{
		char *c = eng_render(e, s->confirm, 0);
		const char *w = eng_keep(e, xasprintf("the installer's confirmation: %s", c));
		free(c);
		return w;
	}
	return NULL;
}

static int begin_check(struct engine *e, int i, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];

	rt->status = ENG_CHECKING;
	rt->check_start_ms = rt->values_ms = now;
	if (s->nexpects == 0 && !(s->identify && !e->have_id)) {
		eng_window_clear(&rt->win);
		return eng_judge_static(e, i, err);
	}
	e->next_poll_ms = now;
	if (eng_build_plan(e, i, err))
		return -1;
	/* sampled on an earlier step's polls: go on from there */
	int r = eng_take_ahead(e, i, now, err);
	if (r <= 0)
		eng_window_clear(&rt->win);
	return r < 0 ? -1 : 0;
}

int engine_tick(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt;

	if (!e->started || !s)
		return 0;
	if (e->lost) {
		int r = eng_try_restore(e, now, err);
		return r == 1 ? eng_no_data_check(e, now, err) : r;
	}
	rt = &e->rt[e->cur];
	if (rt->status == ENG_ACTIVE) {
		const struct chk_input *what;
		if (s->nwrites && !rt->writes_settled && !rt->offers_ready &&
		    inputs_answered(e, s, &what)) {
			if (eng_prepare_offers(e, err) < 0)
				return err->code == ZCS_LINK ? eng_go_lost(e, err, now, err) : -1;
			return 1;
		}
		eng_pool_clear(e);
		if (waiting_for(e, e->cur))
			return eng_watch_tick(e, now);
		return begin_check(e, e->cur, now, err) ? -1 : 1;
	}
	if (rt->status == ENG_CHECKING)
		return eng_live_tick(e, e->cur, now, err);
	return eng_watch_tick(e, now);
}

int engine_next_due_ms(const struct engine *e, int64_t now)
{
	const struct chk_step *s = cur_step(e);

	if (e->lost)
		return (int)fmax(0, (double)(e->next_retry_ms - now));
	if (s && e->rt[e->cur].status == ENG_CHECKING)
		return (int)fmax(0, (double)(e->next_poll_ms - now));
	/* between checks: the panel's next reading (a caller that sleeps until
	 * then must tick at once when it gives the engine an answer or an
	 * action: the engine moves on from them in its tick) */
	if (e->nwatch && e->started && s)
		return (int)fmax(0, fmin((double)e->cfg.poll_ms, (double)(e->next_watch_ms - now)));
	return e->cfg.poll_ms;
}

/* ---- movement ------------------------------------------------------------------------ */

static int applies(struct engine *e, int i)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct expr_val v;
	char why[200];

	if (!s->when)
		return 1;
	/* not decidable yet (an unanswered question): the step applies */
	return eng_eval(e, s->when, 0, &v, why, sizeof why) != EXPR_OK || expr_truthy(&v);
}

static int enter(struct engine *e, int i, struct zcs_err *err)
{
	struct step_rt *rt = &e->rt[i];

	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps &&
	    (e->rt[e->cur].status == ENG_ACTIVE || e->rt[e->cur].status == ENG_CHECKING))
		e->rt[e->cur].status = ENG_PENDING;
	eng_drop_plan(e);
	e->noffers = 0;
	eng_sets_clear(e);
	e->cur = i;
	/* a fresh=yes step reads its `static` registers again on entry */
	e->fresh_step = e->chk->steps[i].fresh ? i : -1;
	if (rt->status == ENG_PENDING) {
		rt->status = ENG_ACTIVE;
		rt->started_wall = zcs_wall_ms();
		rt->offers_ready = rt->writes_settled = 0;
		if (!rt->ahead)
			eng_window_clear(&rt->win);
	}
	return obs_enter(e, i, err);
}

static int mark_na(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];

	if (e->rt[i].status == ENG_NA)
		return 0;
	char *d = xasprintf("does not apply here (%s)", expr_source(s->when));
	int r = eng_set_verdict(e, i, ENG_NA, d, NULL, err);
	free(d);
	return r;
}

int engine_next(struct engine *e, struct zcs_err *err)
{
	for (int i = e->cur + 1; (size_t)i < e->chk->nsteps; i++) {
		if (applies(e, i))
			return enter(e, i, err) ? -1 : 0;
		if (e->rt[i].status == ENG_NA)
			continue;
		if (mark_na(e, i, err))
			return -1;
	}
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps &&
	    (e->rt[e->cur].status == ENG_ACTIVE || e->rt[e->cur].status == ENG_CHECKING))
		e->rt[e->cur].status = ENG_PENDING;
	eng_drop_plan(e);
	e->cur = (int)e->chk->nsteps;
	return 1;
}

int engine_back(struct engine *e, struct zcs_err *err)
{
	for (int i = e->cur - 1; i >= 0; i--)
		if (e->rt[i].status != ENG_NA && applies(e, i))
			return enter(e, i, err);
	return zcs_fail(err, ZCS_USAGE, "this is the first step");
}

int engine_goto(struct engine *e, const char *id, struct zcs_err *err)
{
	int i = checklist_find(e->chk, id);

	if (i < 0)
		return zcs_fail(err, ZCS_USAGE, "no step is called '%s'", id);
	if (!applies(e, i))
		return mark_na(e, i, err) ? -1 :
			zcs_fail(err, ZCS_USAGE, "step %s does not apply here", id);
	return enter(e, i, err);
}

/* ---- session ----------------------------------------------------------------------------- */

static int preset_answer(struct engine *e, const char *key, const char *value,
			 struct zcs_err *err)
{
	if (!value || !*value || !checklist_input(e->chk, key, NULL))
		return 0;
	return engine_answer(e, key, value, err);
}

/* The identify=yes step, or -1. */
static int identify_step(const struct engine *e)
{
	for (size_t i = 0; i < e->chk->nsteps; i++)
		if (e->chk->steps[i].identify)
			return (int)i;
	return -1;
}

int engine_start(struct engine *e, const char *installer, const char *site,
		 const char *customer, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	struct eng_session_info info;
	char linkbuf[300];
	int idstep = identify_step(e);

	/* The session begins before the unit has power (section 12): it is
	 * identified at its identify=yes step.  A resumed session past that
	 * step identifies it again at the first live read, whatever the step
	 * (the records check it is the same unit); a checklist without such a
	 * step identifies it now. */
	if (idstep < 0) {
		link_set_slave(e->cfg.link, unit_slave(e, 0));
		if (ident_probe(e->cfg.link, &e->id, err))
			return zcs_prefix(err, "identifying the unit: ");
		e->have_id = 1;
	} else if (e->rt[idstep].status == ENG_PASSED) {
		e->reidentify = 1;
	}
	if (preset_answer(e, "installer", installer, err) || preset_answer(e, "site", site, err) ||
	    preset_answer(e, "customer", customer, err))
		return -1;
	eng_session_info(e, &info, linkbuf, sizeof linkbuf);
	if (o && o->session_begin && o->session_begin(o->ctx, &info, err))
		return -1;
	e->started = 1;
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps) /* resumed */
		return obs_enter(e, e->cur, err);
	return engine_next(e, err) < 0 ? -1 : 0;
}

int engine_resume(struct engine *e, const struct eng_resume *r, struct zcs_err *err)
{
	for (size_t i = 0; i < r->nanswers; i++) {
		const char *key = r->answers[i].key, *dot = strchr(key, '.');
		/* stored as "step_id.key": the question's own name follows the step id */
		const char *q = key;
		for (size_t s = 0; dot && s < e->chk->nsteps; s++) {
			size_t n = strlen(e->chk->steps[s].id);
			if (strncmp(key, e->chk->steps[s].id, n) == 0 && key[n] == '.') {
				q = key + n + 1;
				break;
			}
		}
		if (checklist_input(e->chk, q, NULL))
			eng_store_answer(e, q, r->answers[i].value);
	}
	for (size_t i = 0; i < r->nsteps; i++) {
		int s = checklist_find(e->chk, r->steps[i].step_id);
		if (s < 0)
			continue;
		e->rt[s].status = r->steps[i].status == ENG_ACTIVE ||
			r->steps[i].status == ENG_CHECKING ? ENG_PENDING : r->steps[i].status;
		eng_set_str(&e->rt[s].detail, "from the stored session");
	}
	if (r->current_step) {
		int s = checklist_find(e->chk, r->current_step);
		if (s >= 0) {
			e->cur = s;
			if (e->rt[s].status == ENG_PENDING)
				e->rt[s].status = ENG_ACTIVE;
		}
	}
	e->cfg.training = e->cfg.training || r->training;
	(void)err;
	return 0;
}

int engine_finish(struct engine *e, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;

	if (!e->started)
		return 0;
	e->started = 0;
	return o && o->session_end ? o->session_end(o->ctx, engine_all_passed(e), err) : 0;
}

size_t engine_evidence(struct engine *e, int index, const struct eng_sample **out)
{
	*out = NULL;
	if (index < 0 || (size_t)index >= e->chk->nsteps)
		return 0;
	free(e->vsamples);
	e->vsamples = samples_of(&e->rt[index].win);
	*out = e->vsamples;
	return e->rt[index].win.n;
}

/* ---- views --------------------------------------------------------------------------------- */

static void input_view(struct engine *e, const struct chk_input *in, struct eng_input_info *v)
{
	struct expr_val x;
	char why[200], buf[EXPR_STR_MAX];

	v->key = in->key;
	v->prompt = in->prompt;
	v->unit = in->unit;
	v->type = checklist_type_name(in->type);
	v->value = engine_answer_of(e, in->key);
	v->has_min = eng_limit(e, in->min, &v->min);
	v->has_max = eng_limit(e, in->max, &v->max);
	v->choices = eng_choices_of(in);
	v->optional = in->optional;
	if (in->deflt && eng_eval(e, in->deflt, 0, &x, why, sizeof why) == EXPR_OK)
		v->proposed = eng_keep(e, xstrdup(expr_format(&x, buf, sizeof buf)));
}

static size_t live_view(struct engine *e, int i, const struct chk_step *s)
{
	size_t n = 0, units = (size_t)eng_step_units(e, s);
	int have = e->plan_step == i;

	free(e->vlive);
	e->vlive = xcalloc(s->nexpects * units + 1, sizeof *e->vlive);
	for (size_t u = 0; u < units; u++)
		for (size_t j = 0; j < s->nexpects; j++) {
			const struct chk_expect *x = &s->expects[j];
			struct eng_live_info *v = &e->vlive[n++];
			char val[160] = "", exp[200], why[300];
			const struct reg_def *d = eng_bare_reg(e, x->value);
			v->mark = have ? eng_judge_expect(e, x, (int)u, val, sizeof val, why, sizeof why)
				       : ENG_WAIT;
			if (!have)
				val[0] = '\0';
			eng_expected_text(e, x, (int)u, exp, sizeof exp);
			v->label = eng_keep(e, eng_expect_label(e, x, (int)u));
			v->unit = d ? d->unit : "";
			v->value = eng_keep(e, xstrdup(val));
			v->expected = eng_keep(e, xstrdup(exp));
			v->slave = unit_slave(e, (int)u);
		}
	return n;
}

int engine_step(struct engine *e, int i, struct eng_step_info *out)
{
	const struct chk_step *s;
	const struct step_rt *rt;

	if (i < 0 || (size_t)i >= e->chk->nsteps)
		return -1;
	eng_pool_clear(e);
	s = &e->chk->steps[i];
	rt = &e->rt[i];
	memset(out, 0, sizeof *out);
	out->index = i;
	out->id = s->id;
	out->part = s->part;
	out->section = s->section;
	out->title = s->title;
	out->say = eng_keep(e, eng_render(e, s->say, 0));
	out->status = rt->status;
	out->detail = rt->detail;
	out->remedy = rt->remedy;
	out->reason = rt->reason;
	free(e->vin);
	e->vin = xcalloc(s->ninputs + 1, sizeof *e->vin);
	for (size_t j = 0; j < s->ninputs; j++)
		input_view(e, &s->inputs[j], &e->vin[j]);
	out->inputs = e->vin;
	out->ninputs = s->ninputs;
	out->nlive = live_view(e, i, s);
	out->live = e->vlive;
	out->live_check = s->nexpects > 0;
	out->window_have = rt->win.polls;
	out->window_need = s->window_n;
	out->window_need_secs = s->window_s * scale(e);
	out->window_secs = rt->win.polls
		? (double)((e->plan_step == i && (rt->status == ENG_CHECKING) ? zcs_now_ms()
			    : rt->win.last_ms) - rt->win.start_ms) / 1000
		: 0;
	window_floor(e, &rt->win, out);
	if (rt->actions_done < s->nactions) {
		out->action = s->actions[rt->actions_done];
		out->action_say = s->action_says[rt->actions_done];
	}
	if (s->confirm && !rt->confirmed_by)
		out->confirm = eng_keep(e, eng_render(e, s->confirm, 0));
	out->nwrite_offers = i == e->cur && rt->offers_ready && !rt->writes_settled ? e->noffers : 0;
	if (rt->status == ENG_ACTIVE)
		out->waiting_for = waiting_for(e, i);
	return 0;
}
