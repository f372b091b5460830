/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/fn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ident.h"
#include "base/kb.h"
#include "base/util.h"
#include "engine/rules.h"

static struct kb *kb;
static int refs;
static char *battery_ids, *country_ids;

int fn_open(struct zcs_err *err)
{
	if (refs++ > 0)
		return 0;
	if (!(kb = kb_load(err))) {
		refs = 0;
		return -1;
	}
	return 0;
}

void fn_close(void)
{
	if (refs == 0 || --refs > 0)
		return;
	kb_free(kb);
	kb = NULL;
	free(battery_ids);
	free(country_ids);
	battery_ids = country_ids = NULL;
}

static int unknown(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
	snprintf(why, n, fmt, a ? a : "?", b ? b : "?");
	return EXPR_UNKNOWN;
}

static int refuse(char *why, size_t n, const char *fmt, const char *a, const char *b)
{
	snprintf(why, n, fmt, a ? a : "?", b ? b : "?");
	return EXPR_ERROR;
}

static const char *sarg(const struct expr_val *v)
{
	return v->type == EXPR_STR ? v->str : NULL;
}

static int text(struct expr_val *out, const char *s)
{
	expr_str(out, s ? s : "");
	return EXPR_OK;
}

static int num(struct expr_val *out, double d)
{
	expr_num(out, d);
	return EXPR_OK;
}

/* ---- batteries ---------------------------------------------------------- */

static int battery_info_field(const struct kb_info *in, const char *f, struct expr_val *out)
{
	static const struct { const char *name; size_t off; } nums[] = {
		{ "ah", offsetof(struct kb_info, ah) },
		{ "chg_bms", offsetof(struct kb_info, chg_bms) },
		{ "chg_set", offsetof(struct kb_info, chg_set) },
		{ "dis_bms", offsetof(struct kb_info, dis_bms) },
		{ "dis_set", offsetof(struct kb_info, dis_set) },
		{ "overvolt", offsetof(struct kb_info, overvolt) },
		{ "max_chg_v", offsetof(struct kb_info, max_chg_v) },
		{ "min_dis_v", offsetof(struct kb_info, min_dis_v) },
	};
	if (!strcmp(f, "info_type"))
		return text(out, in->type);
	if (!strcmp(f, "bms"))
		return text(out, in->bms);
	if (!strcmp(f, "info_dod"))
		return num(out, in->dod);
	if (!strcmp(f, "eps_dod"))
		return num(out, in->eps_dod);
	if (!strcmp(f, "eps_buffer"))
		return num(out, in->eps_buffer);
	for (size_t i = 0; i < ZCS_ARRAY_LEN(nums); i++)
		if (!strcmp(f, nums[i].name))
			return num(out, *(const double *)((const char *)in + nums[i].off));
	return EXPR_ERROR;
}

static int battery_text_field(const struct kb_battery *b, const char *f, struct expr_val *out)
{
	static const struct { const char *name; size_t off; } texts[] = {
		{ "name", offsetof(struct kb_battery, name) },
		{ "family", offsetof(struct kb_battery, family) },
		{ "type_shown", offsetof(struct kb_battery, type_shown) },
		{ "menu", offsetof(struct kb_battery, menu) },
		{ "protocol", offsetof(struct kb_battery, protocol_key) },
		{ "port", offsetof(struct kb_battery, port) },
		{ "port_multi", offsetof(struct kb_battery, port_multi) },
		{ "chain", offsetof(struct kb_battery, chain) },
		{ "power", offsetof(struct kb_battery, power) },
		{ "sec_single", offsetof(struct kb_battery, sec_single) },
		{ "sec_parallel", offsetof(struct kb_battery, sec_parallel) },
		{ "sec_settings", offsetof(struct kb_battery, sec_settings) },
		{ "sec_startup", offsetof(struct kb_battery, sec_startup) },
		{ "align_note", offsetof(struct kb_battery, align_note) },
		{ "pinout_note", offsetof(struct kb_battery, pinout_note) },
	};
	for (size_t i = 0; i < ZCS_ARRAY_LEN(texts); i++)
		if (!strcmp(f, texts[i].name))
			return text(out, *(char *const *)((const char *)b + texts[i].off));
	return EXPR_ERROR;
}

static int fn_bat(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const char *id = sarg(&a[0]), *f = sarg(&a[1]);
	const struct kb_battery *b = id ? kb_battery(kb, id) : NULL;

	if (!b)
		return refuse(why, n, "'%s' is not a battery model of data/batteries.conf%s", id, "");
	if (!f)
		return refuse(why, n, "bat(): the field must be quoted text%s%s", "", "");
	if (!strcmp(f, "module_ah"))
		return num(out, b->module_ah);
	if (!strcmp(f, "max_dod"))
		return num(out, b->max_dod);
	if (!strcmp(f, "recommended_dod"))
		return num(out, b->recommended_dod);
	if (!strcmp(f, "max_count"))
		return num(out, b->max_count);
	if (!strcmp(f, "align_v")) {
		if (b->align_v <= 0)
			return unknown(why, n, "the guide states no voltage alignment for %s%s",
				       b->name, "");
		return num(out, b->align_v);
	}
	if (!strcmp(f, "family_name"))
		return text(out, b->fam ? b->fam->name : b->family);
	if (!strcmp(f, "pinout"))
		return text(out, b->fam ? b->fam->pinout_battery : "");
	if (battery_text_field(b, f, out) == EXPR_OK)
		return EXPR_OK;
	if (b->info && battery_info_field(b->info, f, out) == EXPR_OK)
		return EXPR_OK;
	return refuse(why, n, "bat(): unknown field '%s'%s", f, "");
}

static int fn_startup(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const struct kb_battery *b = sarg(&a[0]) ? kb_battery(kb, a[0].str) : NULL;
	char buf[EXPR_STR_MAX] = "";
	size_t len = 0;

	if (!b)
		return refuse(why, n, "'%s' is not a battery model%s", sarg(&a[0]), "");
	for (size_t i = 0; b->startup && i < b->startup->nsteps && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%zu. %s", i ? " " : "",
					i + 1, b->startup->steps[i].text);
	return text(out, buf);
}

/* Mixing two models: same, yes, kit or no. */
static int fn_mix(const struct expr_val *a, struct expr_val *out, char *why, size_t n, int reason)
{
	const char *x = sarg(&a[0]), *y = sarg(&a[1]);
	const struct kb_battery *bx = x ? kb_battery(kb, x) : NULL, *by = y ? kb_battery(kb, y) : NULL;

	if (!bx || !by)
		return refuse(why, n, "mix(): '%s' or '%s' is not a battery model", x, y);
	if (!strcmp(x, y))
		return text(out, reason ? "one model only" : "same");
	if (strcmp(bx->family, by->family) != 0) {
		const struct kb_text *t = kb_families_rule(kb);
		return text(out, reason ? (t ? t->text : "different families") : "no");
	}
	const struct kb_pair *p = kb_pair(kb, x, y);
	if (!p)
		return unknown(why, n, "the sources say nothing about mixing %s with %s", x, y);
	if (reason)
		return text(out, p->reason);
	return text(out, p->verdict == KB_COMPAT_YES ? "yes" : p->verdict == KB_COMPAT_KIT ? "kit"
										     : "no");
}

static int fn_dip(const char *fn, const struct expr_val *a, struct expr_val *out, char *why,
		  size_t n)
{
	const char *model = sarg(&a[0]);
	if (!model || a[1].type != EXPR_NUM || a[2].type != EXPR_NUM)
		return refuse(why, n, "%s(model, count, position)%s", "dip", "");
	struct kb_dip_answer d = kb_dip(kb, model, (int)a[1].num, (int)a[2].num, NULL);
	static const char *const kinds[] = { "none", "no_switches", "pattern", "unconfirmed" };

	if (!strcmp(fn, "dip_kind"))
		return text(out, kinds[d.kind]);
	if (!strcmp(fn, "dip_figure"))
		return text(out, d.figure);
	return text(out, d.kind == KB_DIP_PATTERN ? d.pattern : "");
}

/* ---- EPS, facts, countries -------------------------------------------------- */

static int fn_eps_limit(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const char *model = sarg(&a[0]), *f = sarg(&a[2]);
	const struct kb_battery *b = model ? kb_battery(kb, model) : NULL;

	if (!b || a[1].type != EXPR_NUM || !f)
		return refuse(why, n, "eps_limit(model, count, 'power'|'current'): '%s'%s", model, "");
	const struct kb_eps_limit *l = kb_eps_limit(kb, b->family, (int)a[1].num);
	/* more batteries never deliver less than one: the one-battery figure
	 * is the safe limit when the guide gives no other (eps_limit_note) */
	if (!l)
		l = kb_eps_limit(kb, b->family, 1);
	if (!l) {
		char c[16];
		snprintf(c, sizeof c, "%d", (int)a[1].num);
		return unknown(why, n, "the guide states no EPS limit for %s with %s batteries",
			       b->name, c);
	}
	return num(out, !strcmp(f, "current") ? l->current : l->power);
}

static int fn_eps_note(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const struct kb_battery *b = sarg(&a[0]) ? kb_battery(kb, a[0].str) : NULL;
	char buf[200];

	if (!b || a[1].type != EXPR_NUM)
		return refuse(why, n, "eps_limit_note(model, count): '%s'%s", sarg(&a[0]), "");
	const struct kb_eps_limit *l = kb_eps_limit(kb, b->family, (int)a[1].num);
	if (l && l->count != 0 && l->count != (int)a[1].num)
		l = NULL;
	if (l)
		snprintf(buf, sizeof buf, "%s (%s %s)", l->count ? "for this count" : "for any count",
			 "guide section", l->prov.src);
	else
		snprintf(buf, sizeof buf, "the guide states the limit for one %s battery only: "
			 "that figure is used", b->fam ? b->fam->name : b->family);
	return text(out, buf);
}

static int fn_word(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	if (a[0].type != EXPR_STR || a[1].type != EXPR_NUM)
		return refuse(why, n, "word(list, index)%s%s", "", "");
	char *copy = xstrdup(a[0].str), *save = NULL, *t;
	int k = 0;
	for (t = strtok_r(copy, " ,;", &save); t; t = strtok_r(NULL, " ,;", &save), k++)
		if (k == (int)a[1].num)
			break;
	int r = t ? text(out, t) : unknown(why, n, "no item %s in '%s'", "at that place", a[0].str);
	free(copy);
	return r;
}

static int fn_advice(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const struct kb_text *t = sarg(&a[0]) && sarg(&a[1]) ? kb_advice(kb, a[0].str, a[1].str)
							      : NULL;
	if (!t)
		return refuse(why, n, "advice('%s', '%s'): no such advice in data/", sarg(&a[0]),
			      sarg(&a[1]));
	return text(out, t->text);
}

static int fn_fact(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const struct kb_fact *f = sarg(&a[0]) && sarg(&a[1]) ? kb_fact(kb, a[0].str, a[1].str)
							      : NULL;
	if (!f)
		return refuse(why, n, "fact('%s', '%s'): no such fact in data/", sarg(&a[0]),
			      sarg(&a[1]));
	if (isnan(f->value))
		return *f->text ? text(out, f->text)
				: unknown(why, n, "the sources do not state %s%s", f->name, "");
	return num(out, f->value);
}

static int fn_country(const struct expr_val *a, struct expr_val *out, char *why, size_t n)
{
	const struct kb_country *c = sarg(&a[0]) ? kb_country(kb, a[0].str) : NULL;
	const char *f = sarg(&a[1]);

	if (!c)
		return refuse(why, n, "'%s' is not a country of data/countries.conf%s", sarg(&a[0]),
			      "");
	if (!f)
		return refuse(why, n, "country(): the field must be quoted%s%s", "", "");
	if (!strcmp(f, "name"))
		return text(out, c->name);
	if (!strcmp(f, "standard"))
		return text(out, c->standard ? c->standard : "");
	if (!strcmp(f, "code")) {
		/* the G3 word: the pair's country in the high byte, region in the low */
		long code = c->code_g3 ? kb_country_word(c->code_g3) : -1;

		if (code >= 0)
			return num(out, code);
		return unknown(why, n, "the G3 country code of %s is in no source (data/"
			       "countries.conf code_g3=unknown)%s", c->name, "");
	}
	if (!strcmp(f, "code_g3"))
		return text(out, c->code_g3 ? c->code_g3 : "");
	if (!strcmp(f, "selftest"))
		return text(out, c->selftest == KB_YES ? "yes" : c->selftest == KB_NO ? "no"
										   : "unknown");
	if (!strcmp(f, "logic"))
		return num(out, c->logic);
	if (!strcmp(f, "default"))
		return num(out, c->is_default);
	if (!strcmp(f, "note"))
		return text(out, c->nnotes ? c->notes[0].text : "");
	return refuse(why, n, "country(): unknown field '%s'%s", f, "");
}

/* ---- list answers --------------------------------------------------------------- */

static int list_values(const char *s, double *v, int max)
{
	char *copy = xstrdup(s), *save = NULL;
	int n = 0;

	for (char *t = strtok_r(copy, " ,;", &save); t && n < max; t = strtok_r(NULL, " ,;", &save))
		if (zcs_parse_double(t, &v[n]) == 0)
			n++;
	free(copy);
	return n;
}

static int fn_list(const char *fn, const struct expr_val *a, struct expr_val *out, char *why,
		   size_t n)
{
	double v[64];
	int k = a[0].type == EXPR_STR ? list_values(a[0].str, v, 64) : 0;

	if (!strcmp(fn, "count"))
		return num(out, k);
	if (k == 0)
		return unknown(why, n, "no values given%s%s", "", "");
	double lo = v[0], hi = v[0];
	for (int i = 1; i < k; i++) {
		lo = fmin(lo, v[i]);
		hi = fmax(hi, v[i]);
	}
	return num(out, !strcmp(fn, "spread") ? hi - lo : !strcmp(fn, "lowest") ? lo : hi);
}

/* ---- the verdicts of engine/rules.h ---------------------------------------------------- */

static const struct kb_battery *model_arg(const struct expr_val *v)
{
	return v->type == EXPR_STR ? kb_battery(kb, v->str) : NULL;
}

static int need_num(const struct expr_val *v, const char *rule, char *why, size_t n)
{
	if (v->type == EXPR_NUM)
		return 0;
	snprintf(why, n, "rule '%s': a number was expected, not '%s'", rule, v->str);
	return -1;
}

/* Run rule `name` on args; 0 with r filled, or an EXPR_ code. */
static int run_rule(const char *name, const struct expr_val *a, int n, struct rules_result *r,
		    char *why, size_t nwhy)
{
	const struct kb_battery *b = n > 0 ? model_arg(&a[0]) : NULL;
	double v[8];
	int k;

	if (!strcmp(name, "count") && n == 2 && b && !need_num(&a[1], name, why, nwhy))
		return rules_count(b, (int)a[1].num, r), 0;
	if (!strcmp(name, "dod") && n == 2 && b && !need_num(&a[1], name, why, nwhy))
		return rules_dod(b, (int)a[1].num, r), 0;
	if (!strcmp(name, "dod_eps") && n == 2 && !need_num(&a[0], name, why, nwhy) &&
	    !need_num(&a[1], name, why, nwhy))
		return rules_dod_eps(kb, (int)a[0].num, (int)a[1].num, r), 0;
	if (!strcmp(name, "mix") && n == 2 && b && model_arg(&a[1])) {
		const char *bank[2] = { a[0].str, a[1].str };
		return rules_mix(kb, bank, 2, 1, r), 0;
	}
	if (!strcmp(name, "spread") && n == 2 && b && a[1].type == EXPR_STR) {
		k = list_values(a[1].str, v, 8);
		return rules_voltage_spread(kb, b, v, (size_t)k, r), 0;
	}
	if (!strcmp(name, "capacity") && n == 3 && b && !need_num(&a[1], name, why, nwhy) &&
	    !need_num(&a[2], name, why, nwhy))
		return rules_capacity(kb, b, (int)a[1].num, a[2].num, r), 0;
	if (!strcmp(name, "eps_load") && n == 3 && b && !need_num(&a[1], name, why, nwhy) &&
	    !need_num(&a[2], name, why, nwhy))
		return rules_eps_load(kb, b, (int)a[1].num, a[2].num, r), 0;
	if (!strcmp(name, "pf") && n == 1 && a[0].type == EXPR_STR) {
		k = list_values(a[0].str, v, 8);
		return rules_power_factor(kb, v, (size_t)k, r), 0;
	}
	if (!strcmp(name, "sign") && n == 2 && !need_num(&a[0], name, why, nwhy) &&
	    a[1].type == EXPR_STR) {
		k = list_values(a[1].str, v, 8);
		for (int i = 0; i < k; i++)
			v[i] *= 1000;   /* the meter shows kW */
		return rules_meter_sign(kb, (int)a[0].num, v, (size_t)k, r), 0;
	}
	if (!strcmp(name, "clamp") && n == 2 && !need_num(&a[0], name, why, nwhy) &&
	    !need_num(&a[1], name, why, nwhy))
		return rules_clamp(kb, a[0].num, a[1].num, r), 0;
	if (!strcmp(name, "dip") && n == 4 && b && !need_num(&a[1], name, why, nwhy) &&
	    !need_num(&a[2], name, why, nwhy) && a[3].type == EXPR_STR)
		return rules_dip(kb, a[0].str, (int)a[1].num, (int)a[2].num, NULL, a[3].str, r), 0;
	if (!why[0])
		snprintf(why, nwhy, "rule '%s' does not take these arguments (see zcs-checklist(5))",
			 name);
	return EXPR_ERROR;
}

/* rule_ok(NAME, ...): 1 when the verdict lets the installer go on (ok, with
 * kit, warning, nothing to verify against); rule_text(NAME, ...): its words;
 * rule_level(NAME, ...): its name (ok, ok-with-kit, warning, refused,
 * unverified, bad-input). */
static int fn_rule(const char *fn, const struct expr_val *a, int n, struct expr_val *out,
		   char *why, size_t nwhy)
{
	struct rules_result r;

	if (a[0].type != EXPR_STR)
		return refuse(why, nwhy, "%s(): the rule's name comes first, quoted%s", fn, "");
	why[0] = '\0';
	int rc = run_rule(a[0].str, a + 1, n - 1, &r, why, nwhy);
	if (rc)
		return rc;
	if (!strcmp(fn, "rule_text"))
		return text(out, r.text);
	if (!strcmp(fn, "rule_level"))
		return text(out, rules_level_name(r.level));
	return num(out, r.level == RULES_OK || r.level == RULES_KIT || r.level == RULES_WARN ||
			       r.level == RULES_UNVERIFIED);
}

/* ---- the table ---------------------------------------------------------------------- */

static const struct { const char *fn; int nargs; } table[] = {
	{ "bat", 2 }, { "startup", 1 }, { "mix", 2 }, { "mix_reason", 2 }, { "dip", 3 },
	{ "dip_kind", 3 }, { "dip_figure", 3 }, { "eps_limit", 3 }, { "fact", 2 },
	{ "country", 2 }, { "country_default", 0 }, { "count", 1 }, { "spread", 1 },
	{ "lowest", 1 }, { "highest", 1 }, { "word", 2 }, { "item", 2 }, { "eps_limit_note", 2 }, { "advice", 2 },
	{ "model_power", 1 }, { "country_pair", 1 },
};

int fn_check(const char *fn, int nargs, char *why, size_t nwhy)
{
	if (!strcmp(fn, "rule_ok") || !strcmp(fn, "rule_text") || !strcmp(fn, "rule_level")) {
		if (nargs >= 2 && nargs <= 5)
			return 0;
		snprintf(why, nwhy, "%s() takes a rule name and 1 to 4 values", fn);
		return -1;
	}
	for (size_t i = 0; i < ZCS_ARRAY_LEN(table); i++)
		if (!strcmp(fn, table[i].fn)) {
			if (nargs == table[i].nargs)
				return 0;
			snprintf(why, nwhy, "%s() takes %d argument%s, not %d", fn, table[i].nargs,
				 table[i].nargs == 1 ? "" : "s", nargs);
			return -1;
		}
	snprintf(why, nwhy, "unknown function %s()", fn);
	return -1;
}

int fn_call(const char *fn, const struct expr_val *a, int nargs, struct expr_val *out,
	    char *why, size_t n)
{
	if (fn_check(fn, nargs, why, n))
		return EXPR_ERROR;
	for (int i = 0; i < nargs; i++)
		if (a[i].type == EXPR_NONE)
			return unknown(why, n, "%s(): an argument is not known yet%s", fn, "");
	if (!kb)
		return refuse(why, n, "%s(): the knowledge catalogue is not loaded%s", fn, "");
	if (!strncmp(fn, "rule_", 5))
		return fn_rule(fn, a, nargs, out, why, n);
	if (!strcmp(fn, "bat"))
		return fn_bat(a, out, why, n);
	if (!strcmp(fn, "startup"))
		return fn_startup(a, out, why, n);
	if (!strcmp(fn, "mix") || !strcmp(fn, "mix_reason"))
		return fn_mix(a, out, why, n, fn[3] == '_');
	if (!strncmp(fn, "dip", 3))
		return fn_dip(fn, a, out, why, n);
	if (!strcmp(fn, "eps_limit_note"))
		return fn_eps_note(a, out, why, n);
	if (!strcmp(fn, "word") || !strcmp(fn, "item")) {
		int r = fn_word(a, out, why, n);
		double d;
		if (r != EXPR_OK || fn[0] == 'w')
			return r;
		if (zcs_parse_double(out->str, &d))
			return refuse(why, n, "'%s' is not a number%s", out->str, "");
		return num(out, d);
	}
	if (!strcmp(fn, "eps_limit"))
		return fn_eps_limit(a, out, why, n);
	if (!strcmp(fn, "advice"))
		return fn_advice(a, out, why, n);
	if (!strcmp(fn, "fact"))
		return fn_fact(a, out, why, n);
	if (!strcmp(fn, "country"))
		return fn_country(a, out, why, n);
	if (!strcmp(fn, "model_power")) {
		struct zcs_err e = { 0 };
		double w;

		if (!sarg(&a[0]) || ident_model_power(a[0].str, &w, &e) < 0)
			return refuse(why, n, "model_power(): %s%s", sarg(&a[0]) ? e.msg :
				      "the model must be a text", "");
		return num(out, w);
	}
	if (!strcmp(fn, "country_pair")) {
		char buf[16];

		if (a[0].type != EXPR_NUM || a[0].num < 0 || a[0].num > 0xFFFF)
			return refuse(why, n, "country_pair(): a 16-bit word is needed%s%s", "", "");
		snprintf(buf, sizeof buf, "%03u-%03u", (unsigned)a[0].num >> 8,
			 (unsigned)a[0].num & 0xFF);
		return text(out, buf);
	}
	if (!strcmp(fn, "country_default")) {
		const struct kb_country *c = kb_country_default(kb);
		return c ? text(out, c->id) : unknown(why, n, "no default country%s%s", "", "");
	}
	return fn_list(fn, a, out, why, n);
}

int fn_choices_ok(const char *provider)
{
	return !strcmp(provider, "batteries") || !strcmp(provider, "countries");
}

static char *join_ids(size_t count, const char *(*id_at)(size_t))
{
	size_t len = 0;
	char *s = xstrdup("");

	for (size_t i = 0; i < count; i++) {
		const char *id = id_at(i);
		s = xrealloc(s, len + strlen(id) + 2);
		len += (size_t)sprintf(s + len, "%s%s", i ? " " : "", id);
	}
	return s;
}

static const char *battery_id(size_t i) { return kb_battery_at(kb, i)->id; }
static const char *country_id(size_t i) { return kb_country_at(kb, i)->id; }

const char *fn_choices(const char *provider)
{
	if (!kb)
		return "";
	if (!strcmp(provider, "batteries")) {
		if (!battery_ids)
			battery_ids = join_ids(kb_battery_count(kb), battery_id);
		return battery_ids;
	}
	if (!country_ids)
		country_ids = join_ids(kb_country_count(kb), country_id);
	return country_ids;
}
