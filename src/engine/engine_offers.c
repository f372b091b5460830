/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Write offers: what a step proposes to write, grouped into FC 0x10
 * requests, applied or declined. */
#include "engine/engine_int.h"

static int eval_write_value(struct engine *e, const struct chk_write *w, int j, int unit,
			    double *out, struct zcs_err *err)
{
	struct expr_val v;
	char why[300];
	int r = eng_eval(e, w->vals[j], unit, &v, why, sizeof why);

	if (r != EXPR_OK || v.type != EXPR_NUM)
		return zcs_fail(err, ZCS_DATA, "%s:%d: %s = %s cannot be computed: %s",
				e->chk->steps[e->cur].file, w->line, w->regs[j],
				expr_source(w->vals[j]), r == EXPR_OK ? "not a number" : why);
	*out = v.num;
	return 0;
}

static int write_applies(struct engine *e, const struct chk_write *w, int unit)
{
	struct expr_val v;
	char why[200];

	return !w->cond || (eng_eval(e, w->cond, unit, &v, why, sizeof why) == EXPR_OK &&
			    expr_truthy(&v));
}

/* The value of `d` the step's poll just read for `unit`, or NULL. */
static const struct reg_value *just_read(struct engine *e, int unit, const struct reg_def *d)
{
	if (!e->vals || e->plan_step != e->cur)
		return NULL;
	for (size_t i = 0; i < e->plan.ndefs; i++)
		if (e->plan.defs[i] == d) {
			const struct reg_value *v = &e->vals[(size_t)unit * e->plan.ndefs + i];
			return v->ok ? v : NULL;
		}
	return NULL;
}

static int add_offers(struct engine *e, const struct chk_step *s, int wi, int unit,
		      struct zcs_err *err)
{
	const struct chk_write *w = &s->writes[wi];

	for (int j = 0; j < w->n; j++) {
		const struct reg_def *d = regmap_find(e->map, w->regs[j]);
		const struct reg_value *v = just_read(e, unit, d);
		double want = 0, cur = v ? v->num : 0;
		uint16_t a[REG_MAX_WORDS] = { 0 }, b[REG_MAX_WORDS] = { 0 };
		/* what the step's poll read a moment ago is not asked again */
		if (eval_write_value(e, w, j, unit, &want, err) ||
		    (!v && write_current(e->cfg.link, unit_slave(e, unit), d, &cur, NULL, err)))
			return -1;
		if (encode_value(d, want, a, err))
			return zcs_prefix(err, "step %s: ", s->id);
		encode_value(d, cur, b, NULL);
		if (memcmp(a, b, sizeof a) == 0)
			continue;
		e->offers = xrealloc(e->offers, (e->noffers + 1) * sizeof *e->offers);
		e->offers[e->noffers++] = (struct offer){ wi, d, unit, cur, want };
	}
	return 0;
}

/* The set of unit `unit` that `reg` is written with, or a new one. */
static struct wset *set_for(struct engine *e, int unit, const struct reg_def *reg)
{
	const struct reg_group *g = regmap_group_of(e->map, reg);

	for (size_t i = 0; i < e->nsets; i++) {
		struct wset *w = &e->sets[i];
		if (w->unit == unit && (g ? w->plan.group == g : w->plan.t[0].reg == reg))
			return w;
	}
	e->sets = xrealloc(e->sets, (e->nsets + 1) * sizeof *e->sets);
	memset(&e->sets[e->nsets], 0, sizeof *e->sets);
	e->sets[e->nsets].unit = unit;
	e->sets[e->nsets].plan.group = g;
	return &e->sets[e->nsets++];
}

/* Gather the offers into FC 0x10 requests, one per unit and write group
 * (write lines naming registers of one group go in one request), then read
 * and validate each whole span.  A refused request keeps its reason. */
static int build_sets(struct engine *e, struct zcs_err *err)
{
	struct write_target t[WRITE_MAX];

	eng_sets_clear(e);
	for (size_t i = 0; i < e->noffers; i++) {
		const struct offer *o = &e->offers[i];
		struct wset *w = set_for(e, o->unit, o->reg);
		size_t k = 0;
		while (k < w->plan.n && w->plan.t[k].reg != o->reg)
			k++;
		if (k == w->plan.n && k < WRITE_MAX)
			w->plan.n++;
		if (k < WRITE_MAX)
			w->plan.t[k] = (struct write_target){ o->reg, o->proposed };
	}
	for (size_t i = 0; i < e->nsets; i++) {
		struct wset *w = &e->sets[i];
		struct zcs_err werr = { 0 };
		size_t n = w->plan.n;
		memcpy(t, w->plan.t, n * sizeof *t);
		if (write_prepare(e->cfg.link, unit_slave(e, w->unit), e->map, t, n, &w->plan,
				  &werr) == 0)
			continue;
		if (werr.code == ZCS_LINK) {
			*err = werr;
			return -1;
		}
		w->refused = xstrdup(werr.msg);
	}
	return 0;
}

int eng_prepare_offers(struct engine *e, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt = &e->rt[e->cur];
	int r = 0;

	e->noffers = 0;
	eng_sets_clear(e);
	/* conditions and values of the offers may read the device: read once */
	if (s->nexpects || s->nwrites) {
		struct zcs_err perr = { 0 };
		int fresh = e->fresh_step == e->cur;
		if (e->plan_step != e->cur && eng_build_plan(e, e->cur, err))
			return -1;
		for (int u = 0; u < eng_step_units(e, s); u++) {
			link_set_slave(e->cfg.link, unit_slave(e, u));
			if (eng_poll_unit(e, u, fresh, &perr) && perr.code == ZCS_LINK) {
				*err = perr;
				return -1;
			}
		}
		if (fresh)
			e->fresh_step = -1;
	}
	for (size_t wi = 0; wi < s->nwrites && !r; wi++)
		for (int u = 0; u < eng_step_units(e, s) && !r; u++)
			if (write_applies(e, &s->writes[wi], u))
				r = add_offers(e, s, (int)wi, u, err);
	if (!r)
		r = build_sets(e, err);
	link_set_slave(e->cfg.link, unit_slave(e, 0));
	if (r) {
		e->noffers = 0;
		eng_sets_clear(e);
		return -1;
	}
	rt->offers_ready = 1;
	rt->writes_settled = e->noffers == 0;
	return 0;
}

size_t engine_write_offers(struct engine *e, const struct eng_write_offer **out)
{
	const struct chk_step *s = cur_step(e);
	struct zcs_err err;

	*out = NULL;
	if (!s || !s->nwrites || e->rt[e->cur].writes_settled)
		return 0;
	if (!e->rt[e->cur].offers_ready && eng_prepare_offers(e, &err)) {
		struct zcs_err oerr = { 0 };
		/* no link: wait for it (engine_link_lost), nothing is declined */
		if (err.code == ZCS_LINK)
			eng_go_lost(e, &err, zcs_now_ms(), &oerr);
		return 0;
	}
	eng_pool_clear(e);
	free(e->voffers);
	e->voffers = xcalloc(e->noffers + 1, sizeof *e->voffers);
	for (size_t i = 0; i < e->noffers; i++) {
		const struct offer *o = &e->offers[i];
		struct eng_write_offer *v = &e->voffers[i];
		struct reg_value rv = { 0 };
		char buf[128];
		v->step_id = s->id;
		v->reg = o->reg->name;
		v->label = o->reg->label;
		v->unit = o->reg->unit;
		v->addr = o->reg->addr;
		v->slave = unit_slave(e, o->unit);
		v->current = o->current;
		v->proposed = o->proposed;
		uint16_t w[REG_MAX_WORDS] = { 0 };
		encode_value(o->reg, o->current, w, NULL);
		decode_value(o->reg, w, &rv);
		v->current_text = eng_keep(e, xstrdup(value_format(&rv, buf, sizeof buf)));
		encode_value(o->reg, o->proposed, w, NULL);
		decode_value(o->reg, w, &rv);
		v->proposed_text = eng_keep(e, xstrdup(value_format(&rv, buf, sizeof buf)));
	}
	*out = e->voffers;
	return e->noffers;
}

static int report_write(struct engine *e, const struct write_result *res, int slave,
			const char *who, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	struct eng_write w = {
		.step_id = e->chk->steps[e->cur].id, .reg = res->reg->name, .addr = res->reg->addr,
		.slave = slave, .before = res->before, .written = res->written,
		.readback = res->readback, .raw_before = res->raw_before,
		.raw_written = res->raw_written, .raw_readback = res->raw_readback, .ok = res->ok,
		.confirmed_by = who, .wall_ms = zcs_wall_ms(),
	};
	return o && o->write ? o->write(o->ctx, &w, err) : 0;
}

static int report_plan(struct engine *e, const struct wset *w, const struct write_result *res,
		       size_t n, const char *who, struct zcs_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (report_write(e, &res[i], unit_slave(e, w->unit), who, err))
			return -1;
	return 0;
}

/* Send one request: refused ones fail before anything is sent; a dry run
 * sends nothing. */
static int apply_set(struct engine *e, const struct wset *w, const char *who, struct zcs_err *err)
{
	struct write_result res[WRITE_SPAN_MAX + 1];
	size_t n = 0;

	if (w->refused)
		return zcs_fail(err, ZCS_REFUSED, "%s", w->refused);
	if (e->dry_run_writes || !w->plan.changes)
		return 0;
	int r = write_send(e->cfg.link, e->map, &w->plan, res, &n, err);
	struct zcs_err rerr = { 0 };
	/* what was written (or may have been) is read again, not taken from
	 * the session cache */
	eng_cache_forget(e, w->unit, w->plan.addr, w->plan.words);
	if (report_plan(e, w, res, n, who, r ? &rerr : err)) {
		if (r == 0)
			return -1;
	}
	return r;
}

int engine_write_apply(struct engine *e, const char *confirmed_by, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	int r = 0;

	if (!s || !confirmed_by || !*confirmed_by)
		return zcs_fail(err, ZCS_REFUSED, "a write needs the name of who confirmed it");
	/* what is confirmed is what was offered: never offers nobody saw */
	if (!e->rt[e->cur].offers_ready)
		return zcs_fail(err, ZCS_REFUSED,
				"step %s: the settings to write are not prepared yet; "
				"look at the offers again, then confirm", s->id);
	for (size_t i = 0; i < e->nsets && !r; i++)
		r = apply_set(e, &e->sets[i], confirmed_by, err);
	link_set_slave(e->cfg.link, unit_slave(e, 0));
	e->noffers = 0;
	eng_sets_clear(e);
	if (r && err->code == ZCS_LINK) {
		/* the link went away mid-write: wait for it, then offer again
		 * what still differs (what was written is not offered twice) */
		struct zcs_err lerr = { 0 };
		e->rt[e->cur].offers_ready = 0;
		eng_go_lost(e, err, zcs_now_ms(), &lerr);
		return r;
	}
	e->rt[e->cur].writes_settled = 1;
	return r;
}

void engine_set_dry_run_writes(struct engine *e, int on)
{
	e->dry_run_writes = on != 0;
}

int engine_dry_run_writes(const struct engine *e)
{
	return e->dry_run_writes;
}

size_t engine_write_sets(struct engine *e, const struct eng_write_set **out)
{
	const struct eng_write_offer *o;
	size_t nl = 0, k = 0;

	*out = NULL;
	if (engine_write_offers(e, &o) == 0)
		return 0;
	for (size_t i = 0; i < e->nsets; i++)
		nl += e->sets[i].plan.words;
	free(e->vsets);
	free(e->vlines);
	e->vsets = xcalloc(e->nsets + 1, sizeof *e->vsets);
	e->vlines = xcalloc(nl + 1, sizeof *e->vlines);
	for (size_t i = 0; i < e->nsets; i++) {
		const struct wset *w = &e->sets[i];
		struct eng_write_set *v = &e->vsets[i];
		struct write_line lines[WRITE_SPAN_MAX];
		size_t n = write_lines(e->map, &w->plan, lines, WRITE_SPAN_MAX);
		char hex[3 * WRITE_FRAME_MAX + 1];
		v->slave = unit_slave(e, w->unit);
		v->name = w->plan.name;
		v->addr = w->plan.addr;
		v->words = w->plan.words;
		v->refused = w->refused;
		v->sends = !w->refused && w->plan.changes;
		v->frame = eng_keep(e, xstrdup(w->refused ? "" : write_frame_hex(&w->plan, hex, sizeof hex)));
		v->lines = &e->vlines[k];
		for (size_t j = 0; j < n && !w->refused; j++, k++) {
			struct eng_write_line *l = &e->vlines[k];
			l->reg = lines[j].reg->name;
			l->label = lines[j].reg->label;
			l->addr = lines[j].reg->addr;
			l->before = eng_keep(e, xstrdup(lines[j].before));
			l->sent = eng_keep(e, xstrdup(lines[j].sent));
			l->target = lines[j].target;
			l->commit = lines[j].commit;
			l->changed = lines[j].changed;
			v->nlines++;
		}
	}
	*out = e->vsets;
	return e->nsets;
}

int engine_write_decline(struct engine *e, struct zcs_err *err)
{
	if (!cur_step(e))
		return zcs_fail(err, ZCS_USAGE, "no current step");
	e->noffers = 0;
	eng_sets_clear(e);
	e->rt[e->cur].writes_settled = 1;
	return 0;
}
