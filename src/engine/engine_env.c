/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine's expression environment: names, functions, rendering, and
 * the load-time name check. */
#include "engine/engine_int.h"

/* ---- evaluation environment ------------------------------------------------- */

static int reg_index(const struct engine *e, const char *name)
{
	for (size_t i = 0; i < e->plan.ndefs; i++)
		if (strcmp(e->plan.defs[i]->name, name) == 0)
			return (int)i;
	return -1;
}

const struct reg_value *eng_reg_val(const struct engine *e, const char *name, int unit)
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
	const struct reg_value *v = eng_reg_val(e, name, e->eval_unit);
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
	const char *key = expr_as_name(arg);
	const struct reg_def *d = NULL;
	long id = -1;
	const struct reg_value *v = eng_fault_val(e, key, e->eval_unit, &d, &id);

	if (id < 0) {
		snprintf(why, nwhy, "fault(%s): unknown fault", key ? key : "?");
		return EXPR_ERROR;
	}
	if (!v) {
		snprintf(why, nwhy, "fault words not read yet");
		return EXPR_UNKNOWN;
	}
	expr_num(out, decode_bit(d, v->raw, id));
	return EXPR_OK;
}

static int fn_key(struct engine *e, const struct expr *arg, struct expr_val *out, char *why,
		  size_t nwhy)
{
	const char *name = expr_as_name(arg);
	const struct reg_value *v = name ? eng_reg_val(e, name, e->eval_unit) : NULL;

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
		const struct reg_value *v = eng_reg_val(e, names[i], e->eval_unit);
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
			const struct reg_value *v = eng_reg_val(e, name, u);
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

int eng_eval(struct engine *e, const struct expr *x, int unit, struct expr_val *out, char *why,
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
char *eng_render(struct engine *e, const char *text, int unit)
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
			int r = x ? eng_eval(e, x, unit, &v, why, sizeof why) : EXPR_ERROR;
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

const struct chk_names eng_names = { names_fn_ok, names_name_ok, fn_choices_ok };
