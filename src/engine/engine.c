#include "engine/engine.h"
#include "engine/l10n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/decode.h"
#include "base/paths.h"
#include "base/poll.h"
#include "base/util.h"
#include "engine/fn.h"
#include "engine/write.h"

#define WIN_MAX_POLLS 400

struct ev {
	const struct reg_def *def;
	struct reg_value v;
	int slave;
};

struct window {
	struct ev *ev;
	size_t n, cap;
	int polls;
	int pass;                      /* outcome every poll of the window shared */
	int64_t start_ms, last_ms;
};

struct step_rt {
	enum eng_status status;
	char *detail, *remedy, *reason, *override_by;
	char *confirmed_by;            /* who gave the step's confirmation */
	size_t actions_done;           /* how many of the step's actions were done */
	int writes_settled, offers_ready;
	int64_t started_wall, check_start_ms;
	int64_t values_ms;             /* the last poll of this check that read the
	                                  device (the check's start before one) */
	struct window win;
};

struct answer {
	char *key, *value;
};

struct offer {
	int write;                     /* index into the step's writes */
	const struct reg_def *reg;
	int unit;
	double current, proposed;
};

/* One FC 0x10 request of the current step: the offers of one unit that
 * belong to one write group (or one ungrouped register), read and
 * validated when offered; `refused` says why it cannot be sent. */
struct wset {
	int unit;
	struct write_plan plan;
	char *refused;
};

struct engine {
	struct eng_config cfg;
	struct regmap *map;
	struct checklist *chk;
	struct unit_ident id;
	int have_id, started;
	int reidentify;                /* resumed past the identity: check the unit at the
					* first live read (it may have no power now) */
	struct answer *ans;
	size_t nans;
	struct step_rt *rt;
	int cur;
	/* live reads of the current step */
	struct poll_plan plan;
	int plan_step;
	struct reg_value *vals;        /* [unit][def] */
	int plan_all_units;            /* the step sums over every unit (total()) */
	int eval_unit;
	int64_t next_poll_ms;
	char read_error[300];
	size_t plan_nstep;             /* defs [0, plan_nstep) are the step's, the rest the panel's */
	/* the power-flow panel: names read with every poll, and between checks */
	char **watch;
	size_t nwatch;
	struct reg_value *watch_vals;  /* [nwatch], the primary unit's latest */
	struct poll_plan watch_plan;
	int have_watch_plan;
	int watch_off;                 /* the link fails: checks read without the panel */
	int64_t next_watch_ms;
	char *unserved;                /* " slave:name " already recorded as not served */
	int unserved_hit;              /* this round judged a value the unit lacks */
	/* link loss */
	int lost, link_failures;
	int link_dead;                 /* a step failed: the link carried no values */
	int64_t next_retry_ms;
	/* write offers of the current step */
	struct offer *offers;
	size_t noffers;
	struct eng_write_offer *voffers;
	struct wset *sets;             /* the offers as FC 0x10 requests */
	size_t nsets;
	struct eng_write_set *vsets;
	struct eng_write_line *vlines;
	int dry_run_writes;
	/* strings and arrays handed out by views */
	char **pool;
	size_t npool;
	struct eng_input_info *vin;
	struct eng_live_info *vlive;
	struct eng_sample *vsamples;
};

/* ---- small helpers ------------------------------------------------------- */

const char *engine_status_name(enum eng_status s)
{
	static const char *const names[] = { "pending", "active", "checking", "passed",
					     "failed", "skipped", "n/a" };
	return (unsigned)s < ZCS_ARRAY_LEN(names) ? names[s] : "?";
}

static const char *keep(struct engine *e, char *s)
{
	e->pool = xrealloc(e->pool, (e->npool + 1) * sizeof *e->pool);
	e->pool[e->npool++] = s;
	return s;
}

static void pool_clear(struct engine *e)
{
	for (size_t i = 0; i < e->npool; i++)
		free(e->pool[i]);
	e->npool = 0;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static void sets_clear(struct engine *e)
{
	for (size_t i = 0; i < e->nsets; i++)
		free(e->sets[i].refused);
	e->nsets = 0;
}

static double scale(const struct engine *e) { return e->cfg.window_scale; }

static const struct chk_step *cur_step(const struct engine *e)
{
	if (e->cur < 0 || (size_t)e->cur >= e->chk->nsteps)
		return NULL;
	return &e->chk->steps[e->cur];
}

static int unit_slave(const struct engine *e, int u) { return e->cfg.units[u]; }

/* ---- answers ------------------------------------------------------------- */

const char *engine_answer_of(const struct engine *e, const char *key)
{
	for (size_t i = 0; i < e->nans; i++)
		if (strcmp(e->ans[i].key, key) == 0)
			return e->ans[i].value;
	return NULL;
}

static int store_answer(struct engine *e, const char *key, const char *value)
{
	for (size_t i = 0; i < e->nans; i++)
		if (strcmp(e->ans[i].key, key) == 0) {
			int same = strcmp(e->ans[i].value, value) == 0;
			set_str(&e->ans[i].value, value);
			return !same;
		}
	e->ans = xrealloc(e->ans, (e->nans + 1) * sizeof *e->ans);
	e->ans[e->nans].key = xstrdup(key);
	e->ans[e->nans++].value = xstrdup(value);
	return 1;
}

/* ---- evaluation environment ------------------------------------------------- */

static int reg_index(const struct engine *e, const char *name)
{
	for (size_t i = 0; i < e->plan.ndefs; i++)
		if (strcmp(e->plan.defs[i]->name, name) == 0)
			return (int)i;
	return -1;
}

static const struct reg_value *reg_val(const struct engine *e, const char *name, int unit)
{
	int i = reg_index(e, name);

	if (i < 0 || !e->vals)
		return NULL;
	const struct reg_value *v = &e->vals[(size_t)unit * e->plan.ndefs + (size_t)i];
	return v->ok ? v : NULL;
}

static int unit_name(const struct engine *e, const char *name, struct expr_val *out)
{
	static const struct { const char *name; size_t off; } fields[] = {
		{ "unit.serial", offsetof(struct unit_ident, serial) },
		{ "unit.layout", offsetof(struct unit_ident, layout) },
		{ "unit.family", offsetof(struct unit_ident, family) },
		{ "unit.model", offsetof(struct unit_ident, model) },
		{ "unit.fw_com", offsetof(struct unit_ident, fw_com) },
		{ "unit.fw_master", offsetof(struct unit_ident, fw_master) },
		{ "unit.fw_slave", offsetof(struct unit_ident, fw_slave) },
		{ "unit.hw", offsetof(struct unit_ident, hw) },
	};
	if (strcmp(name, "unit.index") == 0) {
		expr_num(out, e->eval_unit);
		return EXPR_OK;
	}
	if (strcmp(name, "unit.slave") == 0) {
		expr_num(out, unit_slave(e, e->eval_unit));
		return EXPR_OK;
	}
	if (strcmp(name, "units.count") == 0) {
		expr_num(out, e->cfg.nunits);
		return EXPR_OK;
	}
	for (size_t i = 0; i < ZCS_ARRAY_LEN(fields); i++)
		if (strcmp(name, fields[i].name) == 0) {
			if (!e->have_id)
				return EXPR_UNKNOWN;
			expr_str(out, (const char *)&e->id + fields[i].off);
			return EXPR_OK;
		}
	return EXPR_ERROR;
}

static int answer_value(const struct engine *e, const struct chk_input *in, struct expr_val *out,
			char *why, size_t nwhy)
{
	const char *v = engine_answer_of(e, in->key);
	double d;

	if (!v) {
		if (in->optional && (in->type == CHK_TEXT || in->type == CHK_CHOICE ||
				     in->type == CHK_LIST)) {
			expr_str(out, "");
			return EXPR_OK;
		}
		snprintf(why, nwhy, "'%s' is not answered yet", in->key);
		return EXPR_UNKNOWN;
	}
	switch (in->type) {
	case CHK_INT:
	case CHK_NUM:
		if (zcs_parse_double(v, &d))
			break;
		expr_num(out, d);
		return EXPR_OK;
	case CHK_YESNO:
		expr_num(out, strcmp(v, "yes") == 0);
		return EXPR_OK;
	default:
		break;
	}
	expr_str(out, v);
	return EXPR_OK;
}

static int env_name(void *ctx, const char *name, struct expr_val *out, char *why, size_t nwhy)
{
	struct engine *e = ctx;
	const struct chk_const *k = checklist_const(e->chk, name);
	const struct chk_input *in;

	if (k) {
		*out = k->val;
		return EXPR_OK;
	}
	int r = unit_name(e, name, out);
	if (r != EXPR_ERROR)
		return r;
	if ((in = checklist_input(e->chk, name, NULL)))
		return answer_value(e, in, out, why, nwhy);
	const struct reg_value *v = reg_val(e, name, e->eval_unit);
	int ri = reg_index(e, name);
	if (!v && ri >= 0 && e->vals &&
	    e->vals[(size_t)e->eval_unit * e->plan.ndefs + (size_t)ri].unserved) {
		const struct reg_def *d = e->plan.defs[ri];
		snprintf(why, nwhy, "this unit does not provide %s (%s): it answers 'illegal "
			 "data address'; check it by hand as the remedy says", d->label, name);
		e->unserved_hit = 1;
		return EXPR_ERROR;
	}
	if (!v && ri >= 0 && e->vals &&
	    e->vals[(size_t)e->eval_unit * e->plan.ndefs + (size_t)ri].sentinel) {
		char t[64];
		value_format(&e->vals[(size_t)e->eval_unit * e->plan.ndefs + (size_t)ri], t, sizeof t);
		snprintf(why, nwhy, "%s reads %s: the unit says it has no value", name, t);
		return EXPR_UNKNOWN;
	}
	if (v) {
		if (v->def->type == REG_ASCII)
			expr_str(out, v->text);
		else
			expr_num(out, v->num);
		return EXPR_OK;
	}
	if (regmap_find(e->map, name)) {
		snprintf(why, nwhy, "%s not read yet%s%s", name, e->read_error[0] ? ": " : "",
			 e->read_error);
		return EXPR_UNKNOWN;
	}
	snprintf(why, nwhy, "unknown name '%s'", name);
	return EXPR_ERROR;
}

static int fn_fault(struct engine *e, const struct expr *arg, struct expr_val *out, char *why,
		    size_t nwhy)
{
	const struct reg_value *v = reg_val(e, "fault_words", e->eval_unit);
	const struct reg_def *d = regmap_find(e->map, "fault_words");
	const char *key = expr_as_name(arg);
	const struct reg_enum_item *it = d && d->enm && key ? regmap_enum_key(d->enm, key) : NULL;

	if (!it) {
		snprintf(why, nwhy, "fault(%s): unknown fault", key ? key : "?");
		return EXPR_ERROR;
	}
	if (!v) {
		snprintf(why, nwhy, "fault words not read yet");
		return EXPR_UNKNOWN;
	}
	expr_num(out, decode_bit(d, v->raw, it->value));
	return EXPR_OK;
}

static int fn_key(struct engine *e, const struct expr *arg, struct expr_val *out, char *why,
		  size_t nwhy)
{
	const char *name = expr_as_name(arg);
	const struct reg_value *v = name ? reg_val(e, name, e->eval_unit) : NULL;

	if (!v) {
		snprintf(why, nwhy, "%s not read yet", name ? name : "?");
		return EXPR_UNKNOWN;
	}
	const struct reg_enum_item *it = v->def->enm ? regmap_enum_item(v->def->enm, v->raw_int)
						      : NULL;
	expr_str(out, it ? it->key : "");
	return EXPR_OK;
}

static int fn_clock_skew(struct engine *e, struct expr_val *out, char *why, size_t nwhy)
{
	static const char *const names[] = { "rtc_year", "rtc_month", "rtc_day",
					     "rtc_hour", "rtc_minute", "rtc_second" };
	double f[6];

	for (int i = 0; i < 6; i++) {
		const struct reg_value *v = reg_val(e, names[i], e->eval_unit);
		if (!v) {
			snprintf(why, nwhy, "the inverter's clock is not read yet");
			return EXPR_UNKNOWN;
		}
		f[i] = v->num;
	}
	struct tm tm = { .tm_year = (int)f[0] + 100, .tm_mon = (int)f[1] - 1, .tm_mday = (int)f[2],
			 .tm_hour = (int)f[3], .tm_min = (int)f[4], .tm_sec = (int)f[5],
			 .tm_isdst = -1 };
	time_t dev = mktime(&tm);
	if (dev == (time_t)-1) {
		snprintf(why, nwhy, "the inverter's clock holds no valid date");
		return EXPR_ERROR;
	}
	expr_num(out, fabs(difftime(time(NULL), dev)));
	return EXPR_OK;
}

static int fn_now(const char *fn, struct expr_val *out)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	if (strcmp(fn, "now_year2") == 0)
		expr_num(out, tm.tm_year % 100);
	else if (strcmp(fn, "now_month") == 0)
		expr_num(out, tm.tm_mon + 1);
	else if (strcmp(fn, "now_day") == 0)
		expr_num(out, tm.tm_mday);
	else if (strcmp(fn, "now_hour") == 0)
		expr_num(out, tm.tm_hour);
	else if (strcmp(fn, "now_minute") == 0)
		expr_num(out, tm.tm_min);
	else
		expr_num(out, tm.tm_sec);
	return EXPR_OK;
}

static int env_call(void *ctx, const char *fn, const struct expr *const *raw,
		    const struct expr_val *args, int nargs, struct expr_val *out, char *why,
		    size_t nwhy)
{
	struct engine *e = ctx;

	if (strcmp(fn, "fault") == 0)
		return fn_fault(e, raw[0], out, why, nwhy);
	if (strcmp(fn, "key") == 0)
		return fn_key(e, raw[0], out, why, nwhy);
	if (strcmp(fn, "clock_skew") == 0)
		return fn_clock_skew(e, out, why, nwhy);
	if (strncmp(fn, "now_", 4) == 0)
		return fn_now(fn, out);
	if (strcmp(fn, "total") == 0) {
		const char *name = expr_as_name(raw[0]);
		double sum = 0;
		for (int u = 0; name && u < e->cfg.nunits; u++) {
			const struct reg_value *v = reg_val(e, name, u);
			if (!v) {
				snprintf(why, nwhy, "%s of unit %d not read yet", name, u);
				return EXPR_UNKNOWN;
			}
			sum += v->num;
		}
		if (!name) {
			snprintf(why, nwhy, "total() takes a register name");
			return EXPR_ERROR;
		}
		expr_num(out, sum);
		return EXPR_OK;
	}
	if (strcmp(fn, "primary") == 0) {
		int saved = e->eval_unit, r;
		struct expr_env env = { e, env_name, env_call };
		e->eval_unit = 0;
		r = expr_eval(raw[0], &env, out, why, nwhy);
		e->eval_unit = saved;
		return r;
	}
	if (strcmp(fn, "passed") == 0 || strcmp(fn, "answered") == 0) {
		if (args[0].type != EXPR_STR) {
			snprintf(why, nwhy, "%s() takes a quoted name", fn);
			return EXPR_ERROR;
		}
		if (fn[0] == 'a')
			expr_num(out, engine_answer_of(e, args[0].str) != NULL);
		else {
			int i = checklist_find(e->chk, args[0].str);
			expr_num(out, i >= 0 && e->rt[i].status == ENG_PASSED);
		}
		return EXPR_OK;
	}
	return fn_call(fn, args, nargs, out, why, nwhy);
}

static int eval(struct engine *e, const struct expr *x, int unit, struct expr_val *out, char *why,
		size_t nwhy)
{
	struct expr_env env = { e, env_name, env_call };
	int saved = e->eval_unit;

	e->eval_unit = unit;
	why[0] = '\0';
	int r = expr_eval(x, &env, out, why, nwhy);
	e->eval_unit = saved;
	return r;
}

/* "{expr}" in a text replaced by its value; "?" when not known. */
static char *render(struct engine *e, const char *text, int unit)
{
	size_t cap = 256, len = 0;
	char *out = xmalloc(cap);

	out[0] = '\0';
	for (const char *p = text ? text : ""; *p;) {
		char piece[EXPR_STR_MAX + 8];
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (end) {
			char *src = xasprintf("%.*s", (int)(end - p - 1), p + 1), why[200];
			struct expr_val v;
			struct expr *x = expr_parse(src, why, sizeof why);
			int r = x ? eval(e, x, unit, &v, why, sizeof why) : EXPR_ERROR;
			if (r == EXPR_OK && v.type == EXPR_NUM && v.num != floor(v.num))
				snprintf(piece, sizeof piece, "%.2f", v.num);
			else if (r == EXPR_OK)
				expr_format(&v, piece, sizeof piece);
			else
				snprintf(piece, sizeof piece, "?");
			expr_free(x);
			free(src);
			p = end + 1;
		} else {
			piece[0] = *p++;
			piece[1] = '\0';
		}
		size_t n = strlen(piece);
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, piece, n + 1);
		len += n;
	}
	return out;
}

/* ---- the load-time name check ------------------------------------------------ */

static int names_name_ok(const char *name)
{
	struct expr_val v;
	struct engine dummy;

	memset(&dummy, 0, sizeof dummy);
	return unit_name(&dummy, name, &v) != EXPR_ERROR;
}

static int names_fn_ok(const char *fn, int nargs, char *why, size_t nwhy)
{
	static const struct { const char *fn; int min, max; } own[] = {
		{ "fault", 1, 1 }, { "key", 1, 1 }, { "total", 1, 1 }, { "clock_skew", 0, 0 }, { "primary", 1, 1 },
		{ "passed", 1, 1 }, { "answered", 1, 1 }, { "now_year2", 0, 0 },
		{ "now_month", 0, 0 }, { "now_day", 0, 0 }, { "now_hour", 0, 0 },
		{ "now_minute", 0, 0 }, { "now_second", 0, 0 },
	};
	for (size_t i = 0; i < ZCS_ARRAY_LEN(own); i++)
		if (strcmp(fn, own[i].fn) == 0) {
			if (nargs < own[i].min || nargs > own[i].max) {
				snprintf(why, nwhy, "%s() takes %d argument%s", fn, own[i].min,
					 own[i].min == 1 ? "" : "s");
				return -1;
			}
			return 0;
		}
	return fn_check(fn, nargs, why, nwhy);
}

static const struct chk_names engine_names = { names_fn_ok, names_name_ok, fn_choices_ok };

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
	if (fn_open(err) || !(e->map = regmap_open("g3", err)))
		goto fail;
	e->chk = checklist_load(cfg->checklist_dir ? cfg->checklist_dir : paths_checklist_dir(),
				e->map, &engine_names, err);
	if (!e->chk)
		goto fail;
	l10n_use(e->chk);
	e->rt = xcalloc(e->chk->nsteps, sizeof *e->rt);
	return e;
fail:
	engine_free(e);
	return NULL;
}

static void window_clear(struct window *w)
{
	w->n = 0;
	w->polls = 0;
	w->start_ms = 0;
}

static void drop_plan(struct engine *e)
{
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
		free(rt->win.ev);
	}
	for (size_t i = 0; i < e->nans; i++) {
		free(e->ans[i].key);
		free(e->ans[i].value);
	}
	drop_plan(e);
	pool_clear(e);
	free(e->pool); free(e->ans); free(e->rt); free(e->offers); free(e->voffers);
	sets_clear(e); free(e->sets); free(e->vsets); free(e->vlines);
	free(e->vin); free(e->vlive); free(e->vsamples); free(e->unserved);
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

static int obs_answer(struct engine *e, const char *step, const char *key, const char *value,
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

static void add_line(char **dst, const char *line)
{
	char *t = *dst ? xasprintf("%s\n%s", *dst, line) : xstrdup(line);
	free(*dst);
	*dst = t;
}

static int set_verdict(struct engine *e, int i, enum eng_status st, const char *detail,
		       const char *remedy, struct zcs_err *err)
{
	struct step_rt *rt = &e->rt[i];

	const struct chk_step *s = &e->chk->steps[i];

	rt->status = st;
	set_str(&rt->detail, detail);
	/* a confirmation is kept with who gave it, whatever else judged the step */
	if ((st == ENG_PASSED || st == ENG_FAILED) && s->confirm && rt->confirmed_by &&
	    (!detail || !strstr(detail, "confirmed by "))) {
		char *c = render(e, s->confirm, 0);
		char *line = xasprintf("confirmed by %s: %s", rt->confirmed_by, c);
		add_line(&rt->detail, line);
		free(line);
		free(c);
	}
	set_str(&rt->remedy, st == ENG_FAILED ? remedy : NULL);
	if (st != ENG_SKIPPED)
		set_str(&rt->reason, NULL);
	if (i == e->plan_step)
		drop_plan(e);
	return obs_verdict(e, i, err);
}

/* ---- judging ------------------------------------------------------------------------ */

static const struct reg_def *bare_reg(const struct engine *e, const struct expr *x)
{
	const char *n = expr_as_name(x);
	return n ? regmap_find(e->map, n) : NULL;
}

static void fmt_val(struct engine *e, const struct expr *x, const struct expr_val *v, int unit,
		    char *buf, size_t n)
{
	const struct reg_def *d = bare_reg(e, x);
	const struct reg_value *rv = d ? reg_val(e, d->name, unit) : NULL;

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

	if (eval(e, x, unit, &v, why, sizeof why) != EXPR_OK)
		snprintf(buf, n, "?");
	else if (v.type == EXPR_NUM && v.num != floor(v.num))
		snprintf(buf, n, "%.2f", v.num);
	else
		expr_format(&v, buf, n);
}

static void expected_text(struct engine *e, const struct chk_expect *x, int unit, char *buf,
			  size_t n)
{
	char a[64], b[64];
	const struct reg_def *d = bare_reg(e, x->value);
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

static int bound(struct engine *e, const struct expr *x, int unit, double *out, char *why,
		 size_t nwhy)
{
	struct expr_val v;
	int r = eval(e, x, unit, &v, why, nwhy);

	if (r != EXPR_OK)
		return r;
	if (v.type != EXPR_NUM) {
		snprintf(why, nwhy, "a limit is text ('%s'), not a number", v.str);
		return EXPR_ERROR;
	}
	*out = v.num;
	return EXPR_OK;
}

static enum eng_mark judge_expect(struct engine *e, const struct chk_expect *x, int unit,
				  char *val, size_t nval, char *why, size_t nwhy)
{
	struct expr_val v, w;
	double a, b;
	int r = eval(e, x->value, unit, &v, why, nwhy);

	snprintf(val, nval, "--");
	if (r == EXPR_UNKNOWN)
		return ENG_WAIT;
	if (r == EXPR_ERROR)
		return ENG_FAIL;
	fmt_val(e, x->value, &v, unit, val, nval);
	if (x->is) {
		if ((r = eval(e, x->is, unit, &w, why, nwhy)) != EXPR_OK)
			return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
		if (v.type == EXPR_STR || w.type == EXPR_STR)
			return v.type == w.type && strcmp(v.str, w.str) == 0 ? ENG_PASS : ENG_FAIL;
		return fabs(v.num - w.num) < 1e-9 ? ENG_PASS : ENG_FAIL;
	}
	if (!x->near && !x->min && !x->max) {
		if (v.type == EXPR_NUM && !bare_reg(e, x->value))
			snprintf(val, nval, "%s", v.num ? "yes" : "no");
		return expr_truthy(&v) ? ENG_PASS : ENG_FAIL;
	}
	if (v.type != EXPR_NUM) {
		snprintf(why, nwhy, "'%s' is text, not a number", v.str);
		return ENG_FAIL;
	}
	if (x->near) {
		if ((r = bound(e, x->near, unit, &a, why, nwhy)) ||
		    (r = bound(e, x->tol, unit, &b, why, nwhy)))
			return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
		return fabs(v.num - a) <= b + 1e-9 ? ENG_PASS : ENG_FAIL;
	}
	if (x->min && (r = bound(e, x->min, unit, &a, why, nwhy)))
		return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
	if (x->max && (r = bound(e, x->max, unit, &b, why, nwhy)))
		return r == EXPR_UNKNOWN ? ENG_WAIT : ENG_FAIL;
	if (x->min && v.num < a - 1e-9)
		return ENG_FAIL;
	if (x->max && v.num > b + 1e-9)
		return ENG_FAIL;
	return ENG_PASS;
}

static char *expect_label(struct engine *e, const struct chk_expect *x, int unit)
{
	const struct reg_def *d = bare_reg(e, x->value);

	if (x->label)
		return render(e, x->label, unit);
	return xstrdup(d ? d->label : expr_source(x->value));
}

struct round {
	enum eng_mark mark;            /* of the whole poll */
	char *detail;                  /* one line per expectation and rule */
	char *remedy;                  /* of the first failing one */
};


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
	add_line(dst, remedy);
	free(remedy);
}

static int step_units(const struct engine *e, const struct chk_step *s)
{
	return s->each_unit ? e->cfg.nunits : 1;
}

static void judge_round(struct engine *e, const struct chk_step *s, struct round *rd)
{
	int any_wait = 0, any_fail = 0;

	memset(rd, 0, sizeof *rd);
	for (int u = 0; u < step_units(e, s); u++) {
		for (size_t i = 0; i < s->nexpects; i++) {
			const struct chk_expect *x = &s->expects[i];
			char val[160], exp[200], why[300], line[800];
			enum eng_mark m = judge_expect(e, x, u, val, sizeof val, why, sizeof why);
			char *label = expect_label(e, x, u);
			expected_text(e, x, u, exp, sizeof exp);
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
			add_line(&rd->detail, line);
			any_wait |= m == ENG_WAIT;
			any_fail += m == ENG_FAIL;
			if (m == ENG_FAIL)
				add_remedy(&rd->remedy, x->remedy ? render(e, x->remedy, u)
						  : s->remedy ? render(e, s->remedy, 0)
						  : xstrdup("(no remedy given for this check)"));
		}
	}
	for (size_t i = 0; i < s->nrules; i++) {
		const struct chk_rule *r = &s->rules[i];
		struct expr_val v;
		char why[300], line[800];
		int res = eval(e, r->cond, 0, &v, why, sizeof why);
		char *text = render(e, r->text, 0);
		enum eng_mark m = res == EXPR_OK ? (expr_truthy(&v) ? ENG_PASS : ENG_FAIL)
			: res == EXPR_UNKNOWN && s->nexpects ? ENG_WAIT : ENG_FAIL;
		snprintf(line, sizeof line, "%s: %s%s%s", text,
			 m == ENG_PASS ? "ok" : m == ENG_FAIL ? "FAIL" : "waiting",
			 why[0] && m != ENG_PASS ? ": " : "", m != ENG_PASS ? why : "");
		free(text);
		add_line(&rd->detail, line);
		any_wait |= m == ENG_WAIT;
		any_fail += m == ENG_FAIL;
		if (m == ENG_FAIL)
			add_remedy(&rd->remedy, r->remedy ? render(e, r->remedy, 0)
					  : s->remedy ? render(e, s->remedy, 0)
					  : xstrdup("(no remedy given for this check)"));
	}
	if (any_fail && !rd->remedy && s->remedy)
		rd->remedy = render(e, s->remedy, 0);
	rd->mark = any_fail ? ENG_FAIL : any_wait ? ENG_WAIT : ENG_PASS;
}

static char *recorded_detail(struct engine *e, const struct chk_step *s)
{
	char *d = NULL;

	for (size_t i = 0; i < s->ninputs; i++) {
		const char *v = engine_answer_of(e, s->inputs[i].key);
		char *line = xasprintf("%s: %s%s%s", s->inputs[i].prompt, v ? v : "(not given)",
				       v && *s->inputs[i].unit ? " " : "", v ? s->inputs[i].unit : "");
		add_line(&d, line);
		free(line);
	}
	for (size_t i = 0; i < s->nactions; i++) {
		char *line = xasprintf("done by the installer: %s", s->action_says[i]);
		add_line(&d, line);
		free(line);
	}
	if (s->confirm) {
		const char *who = e->rt[s - e->chk->steps].confirmed_by;
		char *c = render(e, s->confirm, 0);
		char *line = xasprintf("confirmed by %s: %s", who ? who : "the installer", c);
		add_line(&d, line);
		free(line);
		free(c);
	}
	return d ? d : xstrdup("nothing to check");
}

/* A step without live expectations is judged at once. */
static int judge_static(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct round rd;
	int r;

	if (s->nrules == 0) {
		char *d = recorded_detail(e, s);
		r = set_verdict(e, i, ENG_PASSED, d, NULL, err);
		free(d);
		return r;
	}
	judge_round(e, s, &rd);
	r = set_verdict(e, i, rd.mark == ENG_PASS ? ENG_PASSED : ENG_FAILED, rd.detail, rd.remedy,
			err);
	free(rd.detail);
	free(rd.remedy);
	return r;
}

/* ---- live reads ------------------------------------------------------------------ */

struct collect {
	int all_units;
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
	return 0;
}

static int collect_call(void *ctx, const char *fn, const struct expr *const *args, int nargs)
{
	struct collect *c = ctx;
	struct expr_visitor v = { c, collect_name, collect_call };
	static const char *const rtc[] = { "rtc_year", "rtc_month", "rtc_day", "rtc_hour",
					   "rtc_minute", "rtc_second" };

	if (strcmp(fn, "fault") == 0) {
		add_name(c, "fault_words");
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

/* How many different names: the plan keeps the first of each, in order. */
static size_t distinct(const char *const *names, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < i && strcmp(names[j], names[i]))
			j++;
		k += j == i;
	}
	return k;
}

static int build_plan(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct collect c = { .map = e->map };

	drop_plan(e);
	for (size_t j = 0; j < s->nexpects; j++) {
		const struct chk_expect *x = &s->expects[j];
		collect_expr(&c, x->value); collect_expr(&c, x->min); collect_expr(&c, x->max);
		collect_expr(&c, x->near); collect_expr(&c, x->tol); collect_expr(&c, x->is);
		collect_text(&c, x->label); collect_text(&c, x->remedy);
	}
	for (size_t j = 0; j < s->nrules; j++) {
		collect_expr(&c, s->rules[j].cond);
		collect_text(&c, s->rules[j].text);
		collect_text(&c, s->rules[j].remedy);
	}
	for (size_t j = 0; j < s->nwrites; j++) {
		collect_expr(&c, s->writes[j].cond);
		for (int k = 0; k < s->writes[j].n; k++)
			collect_expr(&c, s->writes[j].vals[k]);
	}
	collect_expr(&c, s->timeout);
	collect_text(&c, s->say);
	collect_text(&c, s->remedy);
	e->plan_nstep = distinct(c.names, c.n);
	for (size_t j = 0; !e->watch_off && j < e->nwatch; j++) {   /* the panel rides along */
		c.names = xrealloc(c.names, (c.n + 1) * sizeof *c.names);
		c.names[c.n++] = e->watch[j];
	}
	int r = poll_plan_build(e->map, c.names, c.n, POLL_DEFAULT_GAP, &e->plan, err);
	free(c.names);
	if (r)
		return -1;
	e->vals = xcalloc((size_t)e->cfg.nunits * (e->plan.ndefs + 1), sizeof *e->vals);
	e->plan_step = i;
	e->plan_all_units = c.all_units;
	return 0;
}

static void window_add(struct engine *e, struct window *w, int units)
{
	size_t need = (size_t)units * e->plan_nstep;

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
		for (size_t i = 0; i < e->plan_nstep; i++) {
			struct ev *v = &w->ev[w->n++];
			v->def = e->plan.defs[i];
			v->v = e->vals[(size_t)u * e->plan.ndefs + i];
			v->slave = unit_slave(e, u);
		}
	w->polls++;
	w->last_ms = zcs_now_ms();
}

static int go_lost(struct engine *e, const struct zcs_err *why, int64_t now, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;

	e->lost = 1;
	e->next_retry_ms = now + 1000;
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps)
		window_clear(&e->rt[e->cur].win);
	if (o && o->link_event)
		return o->link_event(o->ctx, "lost", why->msg, zcs_wall_ms(), err);
	return 0;
}

static int try_restore(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct eng_observer *o = e->cfg.obs;
	struct zcs_err rerr = { 0 };
	int r;

	if (now < e->next_retry_ms)
		return 0;
	e->next_retry_ms = now + 1000;
	r = e->cfg.reconnect ? e->cfg.reconnect(e->cfg.reconnect_ctx, e->cfg.link, &rerr)
			     : link_reconnect(e->cfg.link, &rerr);
	if (r)
		return 0;
	e->lost = 0;
	e->link_failures = 0;
	e->next_poll_ms = now;
	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps) {
		e->rt[e->cur].check_start_ms = now;
		window_clear(&e->rt[e->cur].win);
	}
	if (o && o->link_event &&
	    o->link_event(o->ctx, "restored", link_describe(link_params_of(e->cfg.link),
							    (char[300]){ 0 }, 300),
			  zcs_wall_ms(), err))
		return -1;
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
static int watch_tick(struct engine *e, int64_t now)
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
	drop_plan(e);
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
	r = build_plan(e, i, err);
	*alone = r ? 0 : e->plan.nreqs;
	e->nwatch = nwatch;
	if (!r && (r = build_plan(e, i, err)) == 0)
		*merged = e->plan.nreqs;
	drop_plan(e);
	return r;
}

/* One poll of every unit the step judges.  1: values read; 0: not now. */
static int poll_units(struct engine *e, const struct chk_step *s, int64_t now, struct zcs_err *err)
{
	struct zcs_err perr = { 0 };
	int link_bad = 0;

	e->read_error[0] = '\0';
	for (int u = 0; u < (e->plan_all_units ? e->cfg.nunits : step_units(e, s)); u++) {
		link_set_slave(e->cfg.link, unit_slave(e, u));
		if (poll_execute(e->cfg.link, &e->plan, e->vals + (size_t)u * e->plan.ndefs, &perr)) {
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
		return 1;
	}
	if (!link_connected(e->cfg.link) || ++e->link_failures >= 3)
		return go_lost(e, &perr, now, err) ? -1 : 0;
	return 0;
}

/* How long a step may settle before its window counts (ms). */
static int64_t settle_of(struct engine *e, const struct chk_step *s)
{
	double timeout_s = s->timeout_s, t;
	char twhy[200];

	if (s->timeout && bound(e, s->timeout, 0, &t, twhy, sizeof twhy) == EXPR_OK)
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
static int no_data_check(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt;

	if (!s || e->rt[e->cur].status != ENG_CHECKING)
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
	int r = set_verdict(e, e->cur, ENG_FAILED, d, "The link connects but carries no "
			    "values: check the slave id, the HUB or logger's RS485 side and the "
			    "inverter's RS485 address, then check the step again.", err);
	free(d);
	return r ? -1 : 1;
}

int engine_link_dead(const struct engine *e) { return e->link_dead; }

static void session_info(struct engine *e, struct eng_session_info *info, char *linkbuf,
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
			return go_lost(e, &ierr, now, err) ? -1 : 0;
		if (now - rt->check_start_ms < settle_of(e, s))
			return 0;
		char *d = xasprintf("the unit did not answer in %.1f s: %s",
				    (double)(now - rt->check_start_ms) / 1000, ierr.msg);
		char *rem = s->identify && s->remedy ? render(e, s->remedy, 0)
			: xstrdup("The unit does not answer: check it has power (AC breaker closed "
				  "or batteries on), the RS485 A/B wires, the adapter and the slave "
				  "id, then check again.");
		int r = set_verdict(e, i, ENG_FAILED, d, rem, err);
		free(d);
		free(rem);
		return r ? -1 : 0;
	}
	e->have_id = 1;
	e->read_error[0] = '\0';
	rt->check_start_ms = now;      /* judging starts once the unit answers */
	rt->values_ms = now;
	session_info(e, &info, linkbuf, sizeof linkbuf);
	if (o && o->unit_identified && o->unit_identified(o->ctx, &info, err))
		return -1;
	return 1;
}

static int live_tick(struct engine *e, int i, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];
	struct step_rt *rt = &e->rt[i];
	struct round rd;
	int r;

	if (now < e->next_poll_ms)
		return 0;
	e->next_poll_ms = now + e->cfg.poll_ms;
	if (!e->have_id && (s->identify || e->reidentify)) {
		r = identify_tick(e, i, now, err);
		if (r <= 0)
			return r < 0 ? -1 : 1;
	}
	if (e->plan_step != i && build_plan(e, i, err))
		return -1;
	if ((r = poll_units(e, s, now, err)) <= 0)
		return r;
	rt->values_ms = now;
	e->link_dead = 0;
	e->unserved_hit = 0;
	judge_round(e, s, &rd);
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
			r = set_verdict(e, i, ENG_FAILED, d, rd.remedy ? rd.remedy : s->remedy, err);
			free(d);
		}
		goto out;
	}
	if (w->polls == 0 || w->pass != pass) {
		window_clear(w);
		w->pass = pass;
		w->start_ms = now;
	}
	window_add(e, w, e->plan_all_units ? e->cfg.nunits : step_units(e, s));
	/* a value the unit does not serve will not come: no settling for it */
	if (w->polls >= s->window_n && now - w->start_ms >= need_ms &&
	    (pass || e->unserved_hit || now - rt->check_start_ms >= settle_ms))
		r = set_verdict(e, i, pass ? ENG_PASSED : ENG_FAILED, rd.detail, rd.remedy, err) ? -1 : 1;
out:
	free(rd.detail);
	free(rd.remedy);
	return r;
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

static int prepare_offers(struct engine *e, struct zcs_err *err);

/* NULL when the step can be judged, else what it waits for (a kept string). */
static const char *waiting_for(struct engine *e, int i)
{
	const struct chk_step *s = &e->chk->steps[i];
	const struct step_rt *rt = &e->rt[i];
	const struct chk_input *what;

	if (!inputs_answered(e, s, &what))
		return keep(e, xasprintf("an answer: %s (%s)", what->prompt, what->key));
	if (s->nwrites && !rt->writes_settled)
		return "the offered settings to be written or declined";
	if (rt->actions_done < s->nactions)
		return keep(e, xasprintf("the installer to: %s", s->action_says[rt->actions_done]));
	if (s->confirm && !rt->confirmed_by)
	{
		char *c = render(e, s->confirm, 0);
		const char *w = keep(e, xasprintf("the installer's confirmation: %s", c));
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
	window_clear(&rt->win);
	if (s->nexpects == 0 && !(s->identify && !e->have_id))
		return judge_static(e, i, err);
	e->next_poll_ms = now;
	return build_plan(e, i, err);
}

int engine_tick(struct engine *e, int64_t now, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt;

	if (!e->started || !s)
		return 0;
	if (e->lost) {
		int r = try_restore(e, now, err);
		return r == 1 ? no_data_check(e, now, err) : r;
	}
	rt = &e->rt[e->cur];
	if (rt->status == ENG_ACTIVE) {
		const struct chk_input *what;
		if (s->nwrites && !rt->writes_settled && !rt->offers_ready &&
		    inputs_answered(e, s, &what)) {
			if (prepare_offers(e, err) < 0)
				return err->code == ZCS_LINK ? go_lost(e, err, now, err) : -1;
			return 1;
		}
		pool_clear(e);
		if (waiting_for(e, e->cur))
			return watch_tick(e, now);
		return begin_check(e, e->cur, now, err) ? -1 : 1;
	}
	if (rt->status == ENG_CHECKING)
		return live_tick(e, e->cur, now, err);
	return watch_tick(e, now);
}

int engine_next_due_ms(const struct engine *e, int64_t now)
{
	const struct chk_step *s = cur_step(e);

	if (e->lost)
		return (int)fmax(0, (double)(e->next_retry_ms - now));
	if (s && e->rt[e->cur].status == ENG_CHECKING)
		return (int)fmax(0, (double)(e->next_poll_ms - now));
	return e->cfg.poll_ms;
}

static int eval_write_value(struct engine *e, const struct chk_write *w, int j, int unit,
			    double *out, struct zcs_err *err)
{
	struct expr_val v;
	char why[300];
	int r = eval(e, w->vals[j], unit, &v, why, sizeof why);

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

	return !w->cond || (eval(e, w->cond, unit, &v, why, sizeof why) == EXPR_OK &&
			    expr_truthy(&v));
}

static int add_offers(struct engine *e, const struct chk_step *s, int wi, int unit,
		      struct zcs_err *err)
{
	const struct chk_write *w = &s->writes[wi];

	for (int j = 0; j < w->n; j++) {
		const struct reg_def *d = regmap_find(e->map, w->regs[j]);
		double want = 0, cur = 0;
		uint16_t a[REG_MAX_WORDS] = { 0 }, b[REG_MAX_WORDS] = { 0 };
		if (eval_write_value(e, w, j, unit, &want, err) ||
		    write_current(e->cfg.link, unit_slave(e, unit), d, &cur, NULL, err))
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

	sets_clear(e);
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

static int prepare_offers(struct engine *e, struct zcs_err *err)
{
	const struct chk_step *s = cur_step(e);
	struct step_rt *rt = &e->rt[e->cur];
	int r = 0;

	e->noffers = 0;
	sets_clear(e);
	/* conditions and values of the offers may read the device: read once */
	if (s->nexpects || s->nwrites) {
		struct zcs_err perr = { 0 };
		if (e->plan_step != e->cur && build_plan(e, e->cur, err))
			return -1;
		for (int u = 0; u < step_units(e, s); u++) {
			link_set_slave(e->cfg.link, unit_slave(e, u));
			if (poll_execute(e->cfg.link, &e->plan, e->vals + (size_t)u * e->plan.ndefs,
					 &perr) && perr.code == ZCS_LINK) {
				*err = perr;
				return -1;
			}
		}
	}
	for (size_t wi = 0; wi < s->nwrites && !r; wi++)
		for (int u = 0; u < step_units(e, s) && !r; u++)
			if (write_applies(e, &s->writes[wi], u))
				r = add_offers(e, s, (int)wi, u, err);
	if (!r)
		r = build_sets(e, err);
	link_set_slave(e->cfg.link, unit_slave(e, 0));
	if (r) {
		e->noffers = 0;
		sets_clear(e);
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
	if (!e->rt[e->cur].offers_ready && prepare_offers(e, &err)) {
		struct zcs_err oerr = { 0 };
		/* no link: wait for it (engine_link_lost), nothing is declined */
		if (err.code == ZCS_LINK)
			go_lost(e, &err, zcs_now_ms(), &oerr);
		return 0;
	}
	pool_clear(e);
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
		v->current_text = keep(e, xstrdup(value_format(&rv, buf, sizeof buf)));
		encode_value(o->reg, o->proposed, w, NULL);
		decode_value(o->reg, w, &rv);
		v->proposed_text = keep(e, xstrdup(value_format(&rv, buf, sizeof buf)));
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
	sets_clear(e);
	if (r && err->code == ZCS_LINK) {
		/* the link went away mid-write: wait for it, then offer again
		 * what still differs (what was written is not offered twice) */
		struct zcs_err lerr = { 0 };
		e->rt[e->cur].offers_ready = 0;
		go_lost(e, err, zcs_now_ms(), &lerr);
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
		v->frame = keep(e, xstrdup(w->refused ? "" : write_frame_hex(&w->plan, hex, sizeof hex)));
		v->lines = &e->vlines[k];
		for (size_t j = 0; j < n && !w->refused; j++, k++) {
			struct eng_write_line *l = &e->vlines[k];
			l->reg = lines[j].reg->name;
			l->label = lines[j].reg->label;
			l->addr = lines[j].reg->addr;
			l->before = keep(e, xstrdup(lines[j].before));
			l->sent = keep(e, xstrdup(lines[j].sent));
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
	sets_clear(e);
	e->rt[e->cur].writes_settled = 1;
	return 0;
}

/* ---- answers, confirmations ----------------------------------------------------------- */

static int limit(struct engine *e, const struct expr *x, double *out)
{
	char why[200];
	return x && bound(e, x, 0, out, why, sizeof why) == EXPR_OK;
}

static int check_number(struct engine *e, const struct chk_input *in, const char *s, double *d,
			struct zcs_err *err)
{
	double lo, hi;
	int has_lo = limit(e, in->min, &lo), has_hi = limit(e, in->max, &hi);
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

static const char *choices_of(const struct chk_input *in)
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
	if (!r && limit(e, in->count, &want) && n != (int)want)
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
		if (!word_in(value, choices_of(in)))
			return zcs_fail(err, ZCS_DATA, "%s: '%s' is not one of: %s", in->prompt,
					value, choices_of(in));
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
			set_str(&rt->confirmed_by, NULL);
			if (rt->status != ENG_ACTIVE && rt->status != ENG_PENDING)
				rt->status = ENG_ACTIVE;
			continue;
		}
		if ((int)i < from || rt->status == ENG_PENDING || !step_uses(&e->chk->steps[i], key))
			continue;
		rt->status = ENG_PENDING;
		rt->offers_ready = rt->writes_settled = 0;
		set_str(&rt->confirmed_by, NULL);
		set_str(&rt->detail, NULL);
		set_str(&rt->remedy, NULL);
	}
}

int engine_answer(struct engine *e, const char *key, const char *value, struct zcs_err *err)
{
	int step;
	const struct chk_input *in = checklist_input(e->chk, key, &step);
	char *norm;

	if (!in)
		return zcs_fail(err, ZCS_DATA, "no question is called '%s' in the checklist", key);
	if (validate(e, in, value, &norm, err))
		return -1;
	int changed = store_answer(e, key, norm);
	/* Before the session begins (engine_start's installer, site, customer)
	 * there is nothing to record into: session_begin carries them. */
	int r = e->started ? obs_answer(e, e->chk->steps[step].id, key, norm, err) : 0;
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
	set_str(&e->rt[e->cur].confirmed_by, who);
	return 0;
}

int engine_skip(struct engine *e, const char *reason, struct zcs_err *err)
{
	if (need_current(e, err))
		return -1;
	if (!reason || !*reason)
		return zcs_fail(err, ZCS_DATA, "a step is skipped only with a reason: say why");
	set_str(&e->rt[e->cur].reason, reason);
	char *d = xasprintf("skipped by the installer: %s", reason);
	int r = set_verdict(e, e->cur, ENG_SKIPPED, d, NULL, err);
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
	set_str(&rt->override_by, who);
	set_str(&rt->reason, reason);
	char *d = xasprintf("%s\noverridden by %s: %s", rt->detail ? rt->detail : "", who, reason);
	int r = set_verdict(e, e->cur, ENG_PASSED, d, NULL, err);
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
	set_str(&rt->detail, NULL);
	set_str(&rt->remedy, NULL);
	set_str(&rt->override_by, NULL);
	window_clear(&rt->win);
	drop_plan(e);
	return 0;
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
	return eval(e, s->when, 0, &v, why, sizeof why) != EXPR_OK || expr_truthy(&v);
}

static int enter(struct engine *e, int i, struct zcs_err *err)
{
	struct step_rt *rt = &e->rt[i];

	if (e->cur >= 0 && (size_t)e->cur < e->chk->nsteps &&
	    (e->rt[e->cur].status == ENG_ACTIVE || e->rt[e->cur].status == ENG_CHECKING))
		e->rt[e->cur].status = ENG_PENDING;
	drop_plan(e);
	e->noffers = 0;
	sets_clear(e);
	e->cur = i;
	if (rt->status == ENG_PENDING) {
		rt->status = ENG_ACTIVE;
		rt->started_wall = zcs_wall_ms();
		rt->offers_ready = rt->writes_settled = 0;
		window_clear(&rt->win);
	}
	return obs_enter(e, i, err);
}

static int mark_na(struct engine *e, int i, struct zcs_err *err)
{
	const struct chk_step *s = &e->chk->steps[i];

	if (e->rt[i].status == ENG_NA)
		return 0;
	char *d = xasprintf("does not apply here (%s)", expr_source(s->when));
	int r = set_verdict(e, i, ENG_NA, d, NULL, err);
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
	drop_plan(e);
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
	session_info(e, &info, linkbuf, sizeof linkbuf);
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
			store_answer(e, q, r->answers[i].value);
	}
	for (size_t i = 0; i < r->nsteps; i++) {
		int s = checklist_find(e->chk, r->steps[i].step_id);
		if (s < 0)
			continue;
		e->rt[s].status = r->steps[i].status == ENG_ACTIVE ||
			r->steps[i].status == ENG_CHECKING ? ENG_PENDING : r->steps[i].status;
		set_str(&e->rt[s].detail, "from the stored session");
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
	v->has_min = limit(e, in->min, &v->min);
	v->has_max = limit(e, in->max, &v->max);
	v->choices = choices_of(in);
	v->optional = in->optional;
	if (in->deflt && eval(e, in->deflt, 0, &x, why, sizeof why) == EXPR_OK)
		v->proposed = keep(e, xstrdup(expr_format(&x, buf, sizeof buf)));
}

static size_t live_view(struct engine *e, int i, const struct chk_step *s)
{
	size_t n = 0, units = (size_t)step_units(e, s);
	int have = e->plan_step == i;

	free(e->vlive);
	e->vlive = xcalloc(s->nexpects * units + 1, sizeof *e->vlive);
	for (size_t u = 0; u < units; u++)
		for (size_t j = 0; j < s->nexpects; j++) {
			const struct chk_expect *x = &s->expects[j];
			struct eng_live_info *v = &e->vlive[n++];
			char val[160] = "", exp[200], why[300];
			const struct reg_def *d = bare_reg(e, x->value);
			v->mark = have ? judge_expect(e, x, (int)u, val, sizeof val, why, sizeof why)
				       : ENG_WAIT;
			if (!have)
				val[0] = '\0';
			expected_text(e, x, (int)u, exp, sizeof exp);
			v->label = keep(e, expect_label(e, x, (int)u));
			v->unit = d ? d->unit : "";
			v->value = keep(e, xstrdup(val));
			v->expected = keep(e, xstrdup(exp));
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
	pool_clear(e);
	s = &e->chk->steps[i];
	rt = &e->rt[i];
	memset(out, 0, sizeof *out);
	out->index = i;
	out->id = s->id;
	out->part = s->part;
	out->section = s->section;
	out->title = s->title;
	out->say = keep(e, render(e, s->say, 0));
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
		? (double)((e->plan_step == i ? zcs_now_ms() : rt->win.last_ms) - rt->win.start_ms) / 1000
		: 0;
	if (rt->actions_done < s->nactions) {
		out->action = s->actions[rt->actions_done];
		out->action_say = s->action_says[rt->actions_done];
	}
	if (s->confirm && !rt->confirmed_by)
		out->confirm = keep(e, render(e, s->confirm, 0));
	out->nwrite_offers = i == e->cur && rt->offers_ready && !rt->writes_settled ? e->noffers : 0;
	if (rt->status == ENG_ACTIVE)
		out->waiting_for = waiting_for(e, i);
	return 0;
}
