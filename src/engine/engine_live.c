/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Live reads: the poll plan, evidence windows, the power-flow panel,
 * identification, no-data detection (link loss, return and a logger's
 * stall: engine_link.c). */
#include "engine/engine_int.h"

/* ---- live reads ------------------------------------------------------------------ */

struct collect {
	int all_units;
	int fault_all;                 /* fault_words named: the whole list is shown */
	unsigned fault_mask;           /* the words fault(ID) calls need */
	const struct regmap *map;
	const char **names;
	size_t n, cap;
};

static void add_name(struct collect *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->names[i], name) == 0)
			return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->names = xrealloc(c->names, c->cap * sizeof *c->names);
	}
	c->names[c->n++] = name;
}

static int collect_name(void *ctx, const char *name)
{
	struct collect *c = ctx;
	const struct reg_def *d = regmap_find(c->map, name);

	if (d)
		add_name(c, d->name);
	if (d && strcmp(d->name, "fault_words") == 0)
		c->fault_all = 1;
	return 0;
}

static int collect_call(void *ctx, const char *fn, const struct expr *const *args, int nargs)
{
	struct collect *c = ctx;
	struct expr_visitor v = { c, collect_name, collect_call };
	static const char *const rtc[] = { "rtc_year", "rtc_month", "rtc_day", "rtc_hour",
					   "rtc_minute", "rtc_second" };

	if (strcmp(fn, "fault") == 0) {
		long w = nargs == 1 ? eng_fault_word(c->map, expr_as_name(args[0]), NULL) : -1;

		if (w < 0)
			add_name(c, "fault_words");   /* unknown: judged (and refused) as before */
		else
			c->fault_mask |= 1u << w;
		return 0;
	}
	if (strcmp(fn, "total") == 0)
		c->all_units = 1;
	if (strcmp(fn, "clock_skew") == 0) {
		for (size_t i = 0; i < ZCS_ARRAY_LEN(rtc); i++)
			add_name(c, rtc[i]);
		return 0;
	}
	for (int i = 0; i < nargs; i++)
		expr_walk(args[i], &v);
	return 0;
}

static void collect_expr(struct collect *c, const struct expr *x)
{
	struct expr_visitor v = { c, collect_name, collect_call };
	if (x)
		expr_walk(x, &v);
}

static void collect_text(struct collect *c, const char *text)
{
	for (const char *p = text ? strchr(text, '{') : NULL; p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		char why[100];
		if (!end)
			return;
		char *src = xasprintf("%.*s", (int)(end - p - 1), p + 1);
		struct expr *x = expr_parse(src, why, sizeof why);
		collect_expr(c, x);
		expr_free(x);
		free(src);
	}
}

static void collect_step(struct collect *c, const struct chk_step *s)
{
	for (size_t j = 0; j < s->nexpects; j++) {
		const struct chk_expect *x = &s->expects[j];
		collect_expr(c, x->value); collect_expr(c, x->min); collect_expr(c, x->max);
		collect_expr(c, x->near); collect_expr(c, x->tol); collect_expr(c, x->is);
		collect_text(c, x->label); collect_text(c, x->remedy);
	}
	for (size_t j = 0; j < s->nrules; j++) {
		collect_expr(c, s->rules[j].cond);
		collect_text(c, s->rules[j].text);
		collect_text(c, s->rules[j].remedy);
	}
	for (size_t j = 0; j < s->nwrites; j++) {
		collect_expr(c, s->writes[j].cond);
		for (int k = 0; k < s->writes[j].n; k++)
			collect_expr(c, s->writes[j].vals[k]);
	}
	collect_expr(c, s->timeout);
	collect_text(c, s->say);
	collect_text(c, s->remedy);
}

/* Can step j be judged on the polls of an earlier step, nothing of the
 * installer's coming between?  1 yes, 0 it is passed over (n/a, or judged
 * on answers alone, with nothing to ask), -1 no: the look ahead stops. */
static int rides_along(struct engine *e, int j, const struct chk_step *cur)
{
	const struct chk_step *s = &e->chk->steps[j];
	struct expr_val v;
	char why[200];

	if (s->when) {
		if (eng_eval(e, s->when, 0, &v, why, sizeof why) != EXPR_OK)
			return -1;           /* not decidable yet */
		if (!expr_truthy(&v))
			return 0;            /* will be n/a */
	}
	if (e->rt[j].status != ENG_PENDING || s->nactions || s->confirm || s->nwrites ||
	    s->identify || s->fresh || s->timeout || s->timeout_s > 0)
		return -1;
	for (size_t k = 0; k < s->ninputs; k++)
		if (!s->inputs[k].optional && !engine_answer_of(e, s->inputs[k].key))
			return -1;
	if (!s->nexpects)
		return s->ninputs ? -1 : 0;
	if (s->each_unit != cur->each_unit || eng_step_units(e, s) != eng_step_units(e, cur))
		return -1;
	return 1;
}

/* The defs of a collect: its names, then the fault words its fault(ID)
 * calls need (none when the whole list is read). */
static size_t collect_defs(struct engine *e, const struct collect *c, const struct reg_def **out)
{
	size_t k = 0;

	for (size_t j = 0; j < c->n; j++)
		if ((out[k] = regmap_find(e->map, c->names[j])))
			k++;
	for (unsigned w = 0; !c->fault_all && w < e->nfault_part; w++)
		if (c->fault_mask & (1u << w))
			out[k++] = &e->fault_part[w];
	return k;
}

static size_t collect_ndefs(const struct collect *c)
{
	return c->n + (size_t)__builtin_popcount(c->fault_mask);
}

int eng_build_plan(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct collect c = { .map = e->map }, ahead[ENG_AHEAD_MAX];
	const struct reg_def **defs;
	size_t nd = 0, cap;

	(void)err;
	eng_drop_plan(e);
	collect_step(&c, s);
	/* the steps that follow with nothing for the installer to do: their
	 * registers ride along, one sample serves every check that needs it */
	for (size_t j = (size_t)i + 1; !c.all_units && j < e->chk->nsteps &&
	     e->nahead < ENG_AHEAD_MAX; j++) {
		int r = rides_along(e, (int)j, s);
		struct collect *cj = &ahead[e->nahead];

		if (r < 0)
			break;
		if (r == 0)
			continue;
		memset(cj, 0, sizeof *cj);
		cj->map = e->map;
		collect_step(cj, &e->chk->steps[j]);
		if (cj->all_units) {
			free(cj->names);
			break;
		}
		e->ahead[e->nahead++] = (int)j;
	}
	cap = collect_ndefs(&c) + e->nwatch + 1;
	for (size_t k = 0; k < e->nahead; k++)
		cap += collect_ndefs(&ahead[k]);
	defs = xcalloc(cap, sizeof *defs);
	nd = collect_defs(e, &c, defs);
	e->plan_nstep = nd;
	for (size_t k = 0; k < e->nahead; k++)
		nd += collect_defs(e, &ahead[k], defs + nd);
	for (size_t j = 0; !e->watch_off && j < e->nwatch; j++)   /* the panel rides along */
		defs[nd++] = regmap_find(e->map, e->watch[j]);
	/* duplicates are read once: the plan keeps the first of each, in order */
	poll_plan_defs(e->map, defs, nd, POLL_DEFAULT_GAP, &e->plan);
	for (size_t k = 0; k < e->nahead; k++) {
		const struct reg_def **dk = xcalloc(collect_ndefs(&ahead[k]) + 1, sizeof *dk);
		size_t n = collect_defs(e, &ahead[k], dk);

		e->ahead_idx[k] = xcalloc(n + 1, sizeof *e->ahead_idx[k]);
		e->ahead_n[k] = 0;
		for (size_t m = 0; m < n; m++)
			for (size_t q = 0; q < e->plan.ndefs; q++)
				if (e->plan.defs[q] == dk[m]) {
					e->ahead_idx[k][e->ahead_n[k]++] = q;
					break;
				}
		free(dk);
		free(ahead[k].names);
	}
	free(defs);
	free(c.names);
	e->vals = xcalloc((size_t)e->cfg.nunits * (e->plan.ndefs + 1), sizeof *e->vals);
	e->plan_step = i;
	e->plan_all_units = c.all_units;
	return 0;
}

static void cache_note(const struct window *w, char **detail);

/* Add one poll's values to a window: the plan's defs idx[0..n-1] (the
 * first n when idx is NULL) of every unit. */

static void window_add_idx(struct engine *e, struct window *w, int units, const size_t *idx,
			   size_t nidx)
{
	size_t need = (size_t)units * nidx;

	if (w->polls >= WIN_MAX_POLLS) {
		/* keep the newest half: a window that long is only a failing one */
		size_t keep_n = w->n / 2;
		memmove(w->ev, w->ev + (w->n - keep_n), keep_n * sizeof *w->ev);
		w->n = keep_n;
		w->polls /= 2;
	}
	if (w->n + need > w->cap) {
		w->cap = (w->n + need) * 2;
		w->ev = xrealloc(w->ev, w->cap * sizeof *w->ev);
	}
	for (int u = 0; u < units; u++)
		for (size_t k = 0; k < nidx; k++) {
			size_t i = idx ? idx[k] : k;
			struct ev *v = &w->ev[w->n++];
			v->def = e->plan.defs[i];
			v->v = e->vals[(size_t)u * e->plan.ndefs + i];
			v->slave = unit_slave(e, u);
		}
	w->polls++;
	w->last_ms = zcs_now_ms();
}

static void window_add(struct engine *e, struct window *w, int units)
{
	window_add_idx(e, w, units, NULL, e->plan_nstep);
}

void eng_ahead_clear(struct engine *e)
{
	for (size_t i = 0; i < e->chk->nsteps; i++) {
		struct step_rt *rt = &e->rt[i];

		if (!rt->ahead)
			continue;
		rt->ahead = 0;
		eng_set_str(&rt->ahead_detail, NULL);
		if (rt->status == ENG_PENDING || rt->status == ENG_ACTIVE)
			eng_window_clear(&rt->win);
	}
}

/* The steps riding along judged on this poll: a passing round goes into
 * its window (until the window is complete), anything else drops it (the
 * step is checked on its own when reached). */
static void judge_ahead(struct engine *e, int units, int64_t now)
{
	int hit = e->unserved_hit;

	for (size_t k = 0; k < e->nahead; k++) {
		int j = e->ahead[k];
		const struct chk_step *s = &e->chk->steps[j];
		struct step_rt *rt = &e->rt[j];
		struct window *w = &rt->win;
		int64_t need_ms = (int64_t)(s->window_s * scale(e) * 1000);
		struct round rd;

		if (rt->status != ENG_PENDING)
			continue;
		eng_judge_round(e, s, &rd);
		if (rd.mark != ENG_PASS || e->unserved_hit) {
			e->unserved_hit = hit;
			free(rd.detail);
			free(rd.remedy);
			if (rt->ahead)
				eng_window_clear(w);
			rt->ahead = 0;
			continue;
		}
		if (!rt->ahead || w->polls == 0) {
			eng_window_clear(w);
			w->pass = 1;
			w->start_ms = now;
			rt->ahead = 1;
		}
		if (w->polls < s->window_n || w->last_ms - w->start_ms < need_ms) {
			window_add_idx(e, w, units, e->ahead_idx[k], e->ahead_n[k]);
			eng_set_str(&rt->ahead_detail, rd.detail);
		}
		free(rd.detail);
		free(rd.remedy);
	}
}

int eng_take_ahead(struct engine *e, int i, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];
	struct window *w = &rt->win;
	int64_t every = eng_poll_every_ms(e, s), need_ms = (int64_t)(s->window_s * scale(e) * 1000);
	int ok = rt->ahead && w->polls > 0 && w->pass && now - w->last_ms <= 2 * every;

	rt->ahead = 0;
	if (!ok) {
		eng_set_str(&rt->ahead_detail, NULL);
		return 0;
	}
	if (w->polls >= s->window_n && w->last_ms - w->start_ms >= need_ms) {
		char *d = rt->ahead_detail ? xstrdup(rt->ahead_detail) : NULL;
		int r;

		cache_note(w, &d);
		eng_add_line(&d, "sampled with the previous step's polls (nothing to do between)");
		eng_set_str(&rt->ahead_detail, NULL);
		r = eng_set_verdict(e, i, ENG_PASSED, d, NULL, err);
		free(d);
		return r ? -1 : 1;
	}
	/* go on with the window: the next poll when it is due */
	eng_set_str(&rt->ahead_detail, NULL);
	e->next_poll_ms = w->last_ms + every > now ? w->last_ms + every : now;
	return 1;
}

/* Record, once a session, each value a unit answers with exception 02. */
static int note_unserved(struct engine *e, int u, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;

	for (size_t i = 0; i < e->plan_nstep; i++) {
		const struct reg_def *d = e->plan.defs[i];
		char key[120], text[300];

		if (!e->vals[(size_t)u * e->plan.ndefs + i].unserved)
			continue;
		snprintf(key, sizeof key, " %d:%s ", unit_slave(e, u), d->name);
		if (e->unserved && strstr(e->unserved, key))
			continue;
		char *t = xasprintf("%s%s", e->unserved ? e->unserved : "", key);
		free(e->unserved);
		e->unserved = t;
		snprintf(text, sizeof text, "slave %d: %s (%s) is not served by this unit "
			 "(exception 02, illegal data address)", unit_slave(e, u), d->label, d->name);
		if (o && o->link_event && o->link_event(o->ctx, "not-served", text, zcs_wall_ms(), err))
			return -1;
	}
	return 0;
}

/* Keep the panel's latest readings out of a poll's values. */
static void watch_take(struct engine *e, const struct reg_def *const *defs,
		       const struct reg_value *vals, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < e->nwatch; j++)
			if (vals[i].ok && strcmp(defs[i]->name, e->watch[j]) == 0)
				e->watch_vals[j] = vals[i];
}

/* Between checks the panel is read on its own, at the poll pace, from the
 * primary unit.  A failed read leaves the last values (they age); a link
 * that does not answer is asked again only after 10 s, so that the panel
 * never holds the link (checks find a lost link, as before). */
int eng_watch_tick(struct engine *e, int64_t now)
{
	struct zcs_err perr = { 0 };
	struct reg_value *vals;

	if (!e->nwatch || now < e->next_watch_ms)
		return 0;
	e->next_watch_ms = now + e->cfg.poll_ms;
	if (!e->have_watch_plan) {
		const char **names = xcalloc(e->nwatch, sizeof *names);

		for (size_t j = 0; j < e->nwatch; j++)
			names[j] = e->watch[j];
		e->have_watch_plan = poll_plan_build(e->map, names, e->nwatch, POLL_DEFAULT_GAP,
						     &e->watch_plan, &perr) == 0;
		free(names);
		if (!e->have_watch_plan)
			return 0;
	}
	vals = xcalloc(e->watch_plan.ndefs + 1, sizeof *vals);
	link_set_slave(e->cfg.link, unit_slave(e, 0));
	if (poll_execute(e->cfg.link, &e->watch_plan, vals, &perr) && perr.code == ZCS_LINK)
		e->next_watch_ms = now + 10000;   /* a silent link: ask again later */
	watch_take(e, e->watch_plan.defs, vals, e->watch_plan.ndefs);
	free(vals);
	return 1;
}

int engine_watch(struct engine *e, const char *const *names, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		if (!names[j] || !regmap_find(e->map, names[j]))
			continue;
		e->watch = xrealloc(e->watch, (e->nwatch + 1) * sizeof *e->watch);
		e->watch[e->nwatch++] = xstrdup(names[j]);
	}
	e->watch_vals = xrealloc(e->watch_vals, (e->nwatch + 1) * sizeof *e->watch_vals);
	memset(e->watch_vals, 0, (e->nwatch + 1) * sizeof *e->watch_vals);
	if (e->have_watch_plan)
		poll_plan_free(&e->watch_plan);
	e->have_watch_plan = 0;
	eng_drop_plan(e);
	return (int)e->nwatch;
}

const struct reg_value *engine_watched(const struct engine *e, const char *name)
{
	for (size_t j = 0; j < e->nwatch; j++)
		if (strcmp(e->watch[j], name) == 0)
			return e->watch_vals[j].ok ? &e->watch_vals[j] : NULL;
	return NULL;
}

int engine_plan_cost(struct engine *e, int i, size_t *alone, size_t *merged,
		     struct zcs_err *err)
{
	size_t nwatch = e->nwatch;
	int r;

	if (i < 0 || (size_t)i >= e->chk->nsteps)
		return zcs_fail(err, ZCS_USAGE, "no step %d", i);
	e->nwatch = 0;
	r = eng_build_plan(e, i, err);
	*alone = r ? 0 : e->plan.nreqs;
	e->nwatch = nwatch;
	if (!r && (r = eng_build_plan(e, i, err)) == 0)
		*merged = e->plan.nreqs;
	eng_drop_plan(e);
	return r;
}

/* One poll of every unit the step judges.  1: values read; 0: not now. */
static int poll_units(struct engine *e, const struct chk_step *s, int64_t now, struct zcs_err *err)
{
	struct zcs_err perr = { 0 };
	int link_bad = 0, r;

	int fresh = e->fresh_step == e->cur;

	e->read_error[0] = '\0';
	for (int u = 0; u < (e->plan_all_units ? e->cfg.nunits : eng_step_units(e, s)); u++) {
		link_set_slave(e->cfg.link, unit_slave(e, u));
		if (eng_poll_unit(e, u, fresh, &perr)) {
			snprintf(e->read_error, sizeof e->read_error, "%s", perr.msg);
			link_bad |= perr.code == ZCS_LINK;
		}
		if (note_unserved(e, u, err) < 0) {
			link_set_slave(e->cfg.link, unit_slave(e, 0));
			return -1;
		}
	}
	link_set_slave(e->cfg.link, unit_slave(e, 0));
	watch_take(e, e->plan.defs, e->vals, e->plan.ndefs);
	/* A failing link is not asked for the panel too: its timeouts would
	 * delay "link lost"; the panel comes back with the first good poll. */
	if (e->nwatch && e->watch_off != link_bad) {
		e->watch_off = link_bad;
		e->plan_step = -1;
	}
	if (!link_bad) {
		e->link_failures = 0;
		if (fresh)
			e->fresh_step = -1;
		return eng_busy_over(e, now, NULL, err) < 0 ? -1 : 1;
	}
	if ((r = eng_busy(e, &perr, now, err)) != 0)
		return r < 0 ? -1 : 0;
	if (e->busy && eng_busy_over(e, now, perr.msg, err) < 0)   /* stalled too long: not busy */
		return -1;
	if (!link_connected(e->cfg.link) || ++e->link_failures >= 3)
		return eng_go_lost(e, &perr, now, err) ? -1 : 0;
	return 0;
}

/* How long a step may settle before its window counts (ms). */
static int64_t settle_of(struct engine *e, const struct chk_step *s)
{
	double timeout_s = s->timeout_s, t;
	char twhy[200];

	if (s->timeout && eng_bound(e, s->timeout, 0, &t, twhy, sizeof twhy) == EXPR_OK)
		timeout_s = t;
	/* an identify step's timeout is the unit's boot: once it has answered,
	 * its checks settle like any step's */
	if (s->identify && e->have_id)
		timeout_s = 0;
	return (int64_t)(fmax(s->settle_s * scale(e), timeout_s) * 1000);
}

/* The link comes back each time but no read works any more (identification
 * answered, live reads do not): after the step's own time without a value,
 * at least ENG_NO_DATA_MS, the step fails with that reason instead of
 * waiting forever.  Once that happened, the next step fails as soon as its
 * first reads fail too, until a read works again.  A link that does not
 * come back (an unplugged adapter) is waited for, as before.  30 s: a data
 * logger stalls 10-15 s while it uploads to its cloud, and a stall is not
 * a dead link. */
#define ENG_NO_DATA_MS 30000
int eng_no_data_check(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt;

	if (!s || e->rt[e->cur].status != ENG_CHECKING || e->busy)
		return 0;
	rt = &e->rt[e->cur];
	int64_t limit = e->link_dead ? 0 : (int64_t)fmax(ENG_NO_DATA_MS, (double)(settle_of(e, s) +
						  (int64_t)(s->window_s * scale(e) * 1000)));
	if (now - rt->values_ms < limit)
		return 0;
	char *d = xasprintf("no live values arrived in %.1f s: the unit is connected but every "
			    "read failed (%s)", (double)(now - rt->values_ms) / 1000,
			    e->read_error[0] ? e->read_error : "no answer");
	e->link_dead = 1;
	int r = eng_set_verdict(e, e->cur, ENG_FAILED, d, "The link connects but carries no "
			    "values: check the slave id, the HUB or logger's RS485 side and the "
			    "inverter's RS485 address, then check the step again.", err);
	free(d);
	return r ? -1 : 1;
}

int engine_link_dead(const struct engine *e) { return e->link_dead; }

void eng_session_info(struct engine *e, struct eng_session_info *info, char *linkbuf,
			 size_t nlink)
{
	const struct unit_ident *id = e->have_id ? &e->id : NULL;

	*info = (struct eng_session_info){
		.installer = engine_answer_of(e, "installer"), .site = engine_answer_of(e, "site"),
		.customer = engine_answer_of(e, "customer"),
		.serial = id ? id->serial : NULL, .layout = id ? id->layout : NULL,
		.family = id ? id->family : NULL, .model = id ? id->model : NULL,
		.fw_com = id ? id->fw_com : NULL, .fw_master = id ? id->fw_master : NULL,
		.fw_slave = id ? id->fw_slave : NULL,
		.link = link_describe(link_params_of(e->cfg.link), linkbuf, nlink),
		.checklist_version = e->chk->version, .checklist_hash = e->chk->hash,
		.training = e->cfg.training, .started_ms = zcs_wall_ms(),
	};
}

/* Identify the unit (a step with identify=yes): it has power only from
 * this point of the procedure, so its answer is awaited up to the step's
 * settle time (or timeout, the unit's boot), then the step fails.
 * 1: identified now; 0: not yet (or failed); -1: the observer refused. */
static int identify_tick(struct engine *e, int i, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];
	const struct eng_observer *o = e->cfg.obs;
	struct zcs_err ierr = { 0 };
	struct eng_session_info info;
	char linkbuf[300];

	link_set_slave(e->cfg.link, unit_slave(e, 0));
	if (ident_probe(e->cfg.link, &e->id, &ierr)) {
		snprintf(e->read_error, sizeof e->read_error, "%s", ierr.msg);
		/* the link itself went (an adapter pulled): lost, waited for, as
		 * any live read; a unit without power keeps the link and is
		 * waited for here */
		if (ierr.code == ZCS_LINK && !link_connected(e->cfg.link))
			return eng_go_lost(e, &ierr, now, err) ? -1 : 0;
		int b = eng_busy(e, &ierr, now, err);
		if (b)
			return b < 0 ? -1 : 0;
		if (now - rt->check_start_ms < settle_of(e, s))
			return 0;
		char *d = xasprintf("the unit did not answer in %.1f s: %s",
				    (double)(now - rt->check_start_ms) / 1000, ierr.msg);
		char *rem = s->identify && s->remedy ? eng_render(e, s->remedy, 0)
			: xstrdup("The unit does not answer: check it has power (AC breaker closed "
				  "or batteries on), the RS485 A/B wires, the adapter and the slave "
				  "id, then check again.");
		int r = eng_set_verdict(e, i, ENG_FAILED, d, rem, err);
		free(d);
		free(rem);
		return r ? -1 : 0;
	}
	if (eng_busy_over(e, now, NULL, err) < 0)
		return -1;
	e->have_id = 1;
	e->read_error[0] = '\0';
	rt->check_start_ms = now;      /* judging starts once the unit answers */
	rt->values_ms = now;
	eng_session_info(e, &info, linkbuf, sizeof linkbuf);
	if (o && o->unit_identified && o->unit_identified(o->ctx, &info, err))
		return -1;
	return 1;
}

/* The verdict says which values of its window came from the session cache,
 * and when each was read: "from the session cache: rated_power (read
 * 23:31:02.120), ...". */
static void cache_note(const struct window *w, char **detail)
{
	char *note = NULL;

	for (size_t i = 0; i < w->n; i++) {
		const struct ev *v = &w->ev[i];
		char ts[40], *item;
		int seen = 0;

		if (!v->v.cached)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = w->ev[j].v.cached && w->ev[j].def == v->def && w->ev[j].slave == v->slave;
		if (seen)
			continue;
		item = xasprintf("%s%s%s (slave %d, read %s)", note ? note : "from the session cache: ",
				 note ? ", " : "", v->def->name, v->slave,
				 zcs_iso_time(v->v.wall_ms, ts, sizeof ts) + 11);
		free(note);
		note = item;
	}
	if (note) {
		eng_add_line(detail, note);
		free(note);
	}
}

int64_t eng_poll_every_ms(const struct engine *e, const struct chk_step *s)
{
	double w = s->window_s * scale(e) * 1000;

	if (s->window_n > 1 && w > 0)
		return (int64_t)fmax(1, ceil(w / (s->window_n - 1)));
	return e->cfg.poll_ms;
}

int eng_live_tick(struct engine *e, int i, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];
	struct round rd;
	int r;

	if (now < e->next_poll_ms)
		return 0;
	/* the window is met exactly: N samples over S seconds come every
	 * S/(N-1) seconds, on a schedule (a late tick does not push the next
	 * poll), so that the N-th sample lands at the window's end */
	int64_t every = eng_poll_every_ms(e, s);
	e->poll_due_ms = e->next_poll_ms > 0 && now - e->next_poll_ms < every ? e->next_poll_ms : now;
	e->next_poll_ms = e->poll_due_ms + every;
	if (!e->have_id && (s->identify || e->reidentify)) {
		r = identify_tick(e, i, now, err);
		if (r <= 0)
			return r < 0 ? -1 : 1;
	}
	if (e->plan_step != i && eng_build_plan(e, i, err))
		return -1;
	if ((r = poll_units(e, s, now, err)) <= 0)
		return r;
	rt->values_ms = now;
	e->link_dead = 0;
	e->unserved_hit = 0;
	eng_judge_round(e, s, &rd);
	struct window *w = &rt->win;
	int64_t need_ms = (int64_t)(s->window_s * scale(e) * 1000);
	/* an identify=yes step's timeout is the unit's boot: it bounds the wait
	 * for the identity only, not the judging once the unit answers */
	int64_t settle_ms = s->identify ? (int64_t)(s->settle_s * scale(e) * 1000) : settle_of(e, s);
	int pass = rd.mark == ENG_PASS;
	r = 1;
	if (rd.mark == ENG_WAIT) {
		if (now - rt->check_start_ms >= settle_ms + need_ms) {
			char *d = xasprintf("%s\nthe values could not be read or judged in %.1f s",
					    rd.detail, (double)(now - rt->check_start_ms) / 1000);
			r = eng_set_verdict(e, i, ENG_FAILED, d, rd.remedy ? rd.remedy : s->remedy, err);
			free(d);
		}
		goto out;
	}
	if (w->polls == 0 || w->pass != pass) {
		eng_window_clear(w);
		w->pass = pass;
		w->start_ms = now;
		/* the schedule starts at the window's first sample, as made */
		e->next_poll_ms = now + every;
	}
	window_add(e, w, e->plan_all_units ? e->cfg.nunits : eng_step_units(e, s));
	judge_ahead(e, eng_step_units(e, s), now);
	/* a value the unit does not serve will not come: no settling for it */
	if (w->polls >= s->window_n && now - w->start_ms >= need_ms &&
	    (pass || e->unserved_hit || now - rt->check_start_ms >= settle_ms)) {
		cache_note(w, &rd.detail);
		r = eng_set_verdict(e, i, pass ? ENG_PASSED : ENG_FAILED, rd.detail, rd.remedy, err) ? -1 : 1;
	}
out:
	free(rd.detail);
	free(rd.remedy);
	return r;
}
