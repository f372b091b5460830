/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/rules.h"

#include "base/i18n.h"
#include "engine/l10n.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"

/* ---- building a result -------------------------------------------------- */

static void start(struct rules_result *r)
{
	memset(r, 0, sizeof *r);
	r->level = RULES_OK;
	r->conf = 'H';
	r->expected = NAN;
	r->got = NAN;
	r->proposal = -1;
}

static void say(struct rules_result *r, const char *fmt, ...) ZCS_PRINTF(2, 3);
static void say(struct rules_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->text);
	va_list ap;

	l10n_format(fmt);
	if (len && len + 1 < sizeof r->text)
		r->text[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(r->text + len, sizeof r->text - len, fmt, ap);
	va_end(ap);
}

/* 1 when `s` is already one of the ", "-separated items of `list`. */
static int has_item(const char *list, const char *s)
{
	size_t n = strlen(s);

	for (const char *p = strstr(list, s); p; p = strstr(p + 1, s))
		if ((p == list || (p >= list + 2 && !strncmp(p - 2, ", ", 2))) &&
		    (p[n] == 0 || !strncmp(p + n, ", ", 2)))
			return 1;
	return 0;
}

static void add_section(struct rules_result *r, const char *s)
{
	size_t len = strlen(r->section);

	if (!s || !*s || has_item(r->section, s))
		return;
	snprintf(r->section + len, sizeof r->section - len, "%s%s", len ? ", " : "", s);
}

/* A fact the verdict rests on: its section and its confidence count. */
static void use(struct rules_result *r, const struct kb_prov *p)
{
	if (!p || !p->line)
		return;
	if (p->conf == 'L' || (p->conf == 'M' && r->conf == 'H'))
		r->conf = p->conf;
	add_section(r, p->src);
}

/* Raise the level; OK < KIT < WARN < FAIL. */
static void raise_to(struct rules_result *r, enum rules_level l)
{
	if (l > r->level)
		r->level = l;
}

static enum rules_level bad_input(struct rules_result *r, const char *fmt, ...)
	ZCS_PRINTF(2, 3);
static enum rules_level bad_input(struct rules_result *r, const char *fmt, ...)
{
	va_list ap;

	l10n_format(fmt);
	r->text[0] = 0;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof r->text, fmt, ap);
	va_end(ap);
	return r->level = RULES_BAD_INPUT;
}

const char *rules_level_name(enum rules_level l)
{
	switch (l) {
	case RULES_OK: return "ok";
	case RULES_KIT: return "ok-with-kit";
	case RULES_WARN: return "warning";
	case RULES_FAIL: return "refused";
	case RULES_UNVERIFIED: return "unverified";
	case RULES_BAD_INPUT: return "bad-input";
	}
	return "?";
}

static const struct kb_prov *bprov(const struct kb_battery *b, const char *key)
{
	return kb_battery_prov(b, key);
}

static const char *plural(int n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- mixing ---------------------------------------------------------------- */

static int position_of(const char *const *models, size_t n, const char *id, int last)
{
	int at = -1;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(models[i], id)) {
			at = (int)i;
			if (!last)
				break;
		}
	return at;
}

static void judge_pair(const struct kb *kb, const struct kb_battery *a, const struct kb_battery *b,
		       int new_install, struct rules_result *r)
{
	const struct kb_pair *p = kb_pair(kb, a->id, b->id);

	if (!p) {
		raise_to(r, RULES_WARN);
		r->conf = 'L';
		add_section(r, a->sec_parallel);
		add_section(r, b->sec_parallel);
		say(r, N_("The manuals do not say whether %s and %s can share a bank: ask ZCS technical support before connecting them."),
		    a->name, b->name);
		return;
	}
	use(r, &p->prov);
	say(r, N_("%s."), p->reason);
	if (p->verdict == KB_COMPAT_NO) {
		raise_to(r, RULES_FAIL);
		return;
	}
	if (p->verdict == KB_COMPAT_KIT) {
		raise_to(r, RULES_KIT);
		zcs_strlcpy(r->kit, p->kit, sizeof r->kit);
	}
	if (p->new_install_warn && new_install)
		raise_to(r, RULES_WARN);
}

static void judge_order(const struct kb *kb, const char *const *models, size_t n,
			struct rules_result *r)
{
	for (size_t i = 0; i < kb_order_count(kb); i++) {
		const struct kb_order *o = kb_order_at(kb, i);
		int last_first = position_of(models, n, o->first, 1);
		int first_then = position_of(models, n, o->then, 0);

		if (last_first < 0 || first_then < 0)
			continue;
		use(r, &o->prov);
		if (last_first > first_then) {
			raise_to(r, RULES_FAIL);
			say(r, N_("Wrong order: %s."), o->reason);
		}
	}
	for (size_t i = 0; i < kb_master_count(kb); i++) {
		const struct kb_master *m = kb_master_at(kb, i);
		int last_model = position_of(models, n, m->model, 1);
		int first_over = position_of(models, n, m->over, 0);

		if (last_model < 0 || first_over < 0)
			continue;
		use(r, &m->prov);
		if (strcmp(models[0], m->model) || last_model > first_over) {
			raise_to(r, RULES_FAIL);
			say(r, N_("Wrong order: %s."), m->reason);
		}
	}
}

enum rules_level rules_mix(const struct kb *kb, const char *const *models, size_t n,
			   int new_install, struct rules_result *r)
{
	const struct kb_battery *distinct[32];
	size_t nd = 0;

	start(r);
	if (n == 0)
		return bad_input(r, N_("No battery model given."));
	for (size_t i = 0; i < n; i++) {
		const struct kb_battery *b = kb_battery(kb, models[i]);
		size_t j;

		if (!b)
			return bad_input(r, N_("'%s' is not a battery model this inverter supports."),
					 models[i] ? models[i] : "");
		for (j = 0; j < nd && distinct[j] != b; j++)
			;
		if (j == nd && nd < ZCS_ARRAY_LEN(distinct))
			distinct[nd++] = b;
	}
	if (nd == 1) {
		add_section(r, distinct[0]->sec_parallel);
		say(r, N_("One model in the bank: %s."), distinct[0]->name);
		return r->level;
	}
	for (size_t i = 1; i < nd; i++)
		if (strcmp(distinct[i]->family, distinct[0]->family)) {
			use(r, &kb_families_rule(kb)->prov);
			say(r, N_("%s and %s: %s."), distinct[0]->name, distinct[i]->name,
			    kb_families_rule(kb)->text);
			return r->level = RULES_FAIL;
		}
	for (size_t i = 0; i < nd; i++)
		for (size_t j = i + 1; j < nd; j++)
			judge_pair(kb, distinct[i], distinct[j], new_install, r);
	judge_order(kb, models, n, r);
	return r->level;
}

/* ---- battery count, DoD, capacity, voltages --------------------------------- */

enum rules_level rules_count(const struct kb_battery *b, int count, struct rules_result *r)
{
	start(r);
	if (count < 1)
		return bad_input(r, N_("The number of batteries must be at least 1 (got %d)."), count);
	r->expected = b->max_count;
	r->got = count;
	use(r, bprov(b, "max_count"));
	add_section(r, count > 1 ? b->sec_parallel : b->sec_single);
	if (count > b->max_count) {
		say(r, N_("%d batteries of %s are more than the %d the manual allows in parallel: remove %d."),
		    count, b->name, b->max_count, count - b->max_count);
		return r->level = RULES_FAIL;
	}
	say(r, N_("%d %s %s, at most %d in parallel."), count, b->name,
	    plural(count, "battery", "batteries"), b->max_count);
	return r->level;
}

enum rules_level rules_dod(const struct kb_battery *b, int dod, struct rules_result *r)
{
	start(r);
	if (dod < 1 || dod > 100)
		return bad_input(r, N_("A depth of discharge is 1-100 %% (got %d)."), dod);
	r->expected = b->max_dod;
	r->got = dod;
	r->proposal = b->recommended_dod;
	use(r, bprov(b, "max_dod"));
	use(r, bprov(b, "recommended_dod"));
	add_section(r, b->sec_settings);
	if (dod > b->max_dod) {
		say(r, N_("Depth of discharge %d %% is above the %d %% maximum for %s: set %d %%."), dod,
		    b->max_dod, b->name, b->recommended_dod);
		return r->level = RULES_FAIL;
	}
	say(r, N_("Depth of discharge %d %%, within the %d %% maximum for %s."), dod, b->max_dod,
	    b->name);
	if (dod != b->recommended_dod)
		say(r, N_("The manual recommends %d %%."), b->recommended_dod);
	return r->level;
}

enum rules_level rules_dod_eps(const struct kb *kb, int dod, int eps_dod, struct rules_result *r)
{
	start(r);
	if (dod < 1 || dod > 100 || eps_dod < 1 || eps_dod > 100)
		return bad_input(r, N_("Depths of discharge are 1-100 %% (got %d and %d)."), dod, eps_dod);
	r->expected = eps_dod;
	r->got = dod;
	use(r, &kb_fact(kb, "eps", "dod_within_eps_dod")->prov);
	if (kb_eps(kb)->dod_within_eps_dod && dod > eps_dod) {
		r->proposal = eps_dod;
		say(r, N_("The on-grid depth of discharge (%d %%) is above the EPS depth of discharge (%d %%): lower it to %d %% or less, or raise the EPS depth of discharge."),
		    dod, eps_dod, eps_dod);
		return r->level = RULES_FAIL;
	}
	say(r, N_("On-grid depth of discharge %d %%, EPS depth of discharge %d %%."), dod, eps_dod);
	return r->level;
}

static const char *not_seen_advice(const struct kb *kb, const struct kb_battery *b, int n)
{
	if (kb_dip(kb, b->id, 1, 0, NULL).kind == KB_DIP_NO_SWITCHES)
		return N_("check the link cables and their order (each Link Out to the next battery's Link In)");
	return n == 1 ? N_("check its DIP switches and the link cable")
		      : N_("check their DIP switches and the link cables");
}

enum rules_level rules_capacity(const struct kb *kb, const struct kb_battery *b, int count,
				double read_ah, struct rules_result *r)
{
	double diff;
	int n;

	start(r);
	if (count < 1 || !isfinite(read_ah) || read_ah < 0)
		return bad_input(r, N_("Cannot judge a capacity of %g Ah for %d batteries."), read_ah,
				 count);
	r->expected = count * b->module_ah;
	r->got = read_ah;
	diff = r->expected - read_ah;
	use(r, &b->info->prov);
	use(r, bprov(b, "module_ah"));
	add_section(r, count > 1 ? b->sec_parallel : b->sec_single);
	if (fabs(diff) < 0.5) {
		say(r, N_("The inverter sees %g Ah: all %d %s (%d x %g Ah)."), read_ah, count,
		    plural(count, "battery", "batteries"), count, b->module_ah);
		return r->level;
	}
	n = (int)floor(fabs(diff) / b->module_ah + 0.5);
	if (diff > 0 && n >= 1) {
		r->missing = n;
		say(r, N_("The inverter sees %g Ah but %d x %g Ah make %g Ah: %d %s not seen: %s."),
		    read_ah, count, b->module_ah, r->expected, n,
		    plural(n, "battery is", "batteries are"), not_seen_advice(kb, b, n));
		raise_to(r, b->ah_conf == 'L' ? RULES_WARN : RULES_FAIL);
	} else if (diff > 0) {
		say(r, N_("The inverter sees %g Ah, %g Ah short of %g Ah: less than one battery; a battery may report a reduced capacity."),
		    read_ah, diff, r->expected);
		raise_to(r, RULES_WARN);
	} else {
		say(r, N_("The inverter sees %g Ah, more than %d x %g Ah = %g Ah: is the number of batteries right?"),
		    read_ah, count, b->module_ah, r->expected);
		raise_to(r, RULES_WARN);
	}
	if (b->ah_conf == 'L')
		say(r, N_("(The %g Ah of one %s is unconfirmed.)"), b->module_ah, b->name);
	return r->level;
}

/* The strictest stated alignment limit in the catalogue, 0 when none. */
static const struct kb_battery *strictest_alignment(const struct kb *kb)
{
	const struct kb_battery *best = NULL;

	for (size_t i = 0; i < kb_battery_count(kb); i++) {
		const struct kb_battery *b = kb_battery_at(kb, i);

		if (b->align_v > 0 && (!best || b->align_v < best->align_v))
			best = b;
	}
	return best;
}

enum rules_level rules_voltage_spread(const struct kb *kb, const struct kb_battery *b,
				      const double *volts, size_t n, struct rules_result *r)
{
	size_t lo = 0, hi = 0;
	const struct kb_battery *ref;
	double limit;

	start(r);
	if (n == 0)
		return bad_input(r, N_("No battery voltage given."));
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(volts[i]) || volts[i] <= 0 || volts[i] > 100)
			return bad_input(r, N_("%g V is not a battery voltage (battery %zu)."), volts[i],
					 i + 1);
		if (volts[i] < volts[lo])
			lo = i;
		if (volts[i] > volts[hi])
			hi = i;
	}
	r->got = volts[hi] - volts[lo];
	if (n == 1) {
		say(r, N_("One battery: nothing to align."));
		return r->level;
	}
	ref = b->align_v > 0 ? b : strictest_alignment(kb);
	limit = ref ? ref->align_v : 0;
	r->expected = limit;
	use(r, ref ? bprov(ref, "align_v") : NULL);
	if (b != ref)
		use(r, bprov(b, "align_note"));
	if (limit <= 0 || r->got < limit) {
		say(r, N_("The batteries differ by %.2f V at most (%zu of them, measured one by one)%s."),
		    r->got, n, limit > 0 ? "" : N_(": no limit is stated"));
		if (b != ref && limit > 0)
			say(r, N_("No limit is stated for %s; this is within the %.1f V the manual gives for %s."),
			    b->name, limit, ref->name);
		return r->level;
	}
	say(r, N_("Battery %zu reads %.2f V and battery %zu %.2f V: %.2f V apart, not under %.1f V."),
	    hi + 1, volts[hi], lo + 1, volts[lo], r->got, limit);
	if (b == ref) {
		say(r, N_("Do not connect them: contact ZCS technical support; a forced charge from the grid to full may be needed to align them."));
		return r->level = RULES_FAIL;
	}
	say(r, N_("No limit is stated for %s (%s); %s asks for under %.1f V: align them or ask ZCS technical support before connecting."),
	    b->name, b->align_note, ref->name, limit);
	return r->level = RULES_WARN;
}

/* ---- EPS --------------------------------------------------------------------- */

enum rules_level rules_eps_load(const struct kb *kb, const struct kb_battery *b, int count,
				double load_w, struct rules_result *r)
{
	const struct kb_eps_limit *l = kb_eps_limit(kb, b->family, count);
	const struct kb_eps_limit *one = kb_eps_limit(kb, b->family, 1);
	double pmax = kb_eps(kb)->bat_power_max;

	start(r);
	if (count < 1 || !isfinite(load_w) || load_w < 0)
		return bad_input(r, N_("Cannot judge %g W of critical load on %d batteries."), load_w, count);
	r->got = load_w;
	use(r, &kb_fact(kb, "eps", "bat_power_max")->prov);
	if (l) {
		r->expected = fmin(l->power, pmax);
		use(r, &l->prov);
		if (load_w <= r->expected) {
			say(r, N_("%g W of critical load: within the %g W (%g A %s) that %d %s %s gives in EPS."),
			    load_w, r->expected, l->current, l->current_kind, count, b->fam->name,
			    plural(count, "battery", "batteries"));
			return r->level;
		}
		say(r, N_("%g W of critical load is more than the %g W (%g A %s) that %d %s %s gives in EPS: keep only the critical loads on the LOAD port."),
		    load_w, r->expected, l->current, l->current_kind, count, b->fam->name,
		    plural(count, "battery", "batteries"));
		return r->level = RULES_FAIL;
	}
	/* No figure for this count: one battery's figure is a floor, the
	 * inverter's battery power a ceiling. */
	r->expected = pmax;
	if (one && load_w <= one->power) {
		use(r, &one->prov);
		say(r, N_("%g W of critical load: within the %g W one %s battery gives in EPS."), load_w,
		    one->power, b->fam->name);
		return r->level;
	}
	if (load_w <= pmax) {
		r->conf = 'L';
		say(r, N_("%g W of critical load: the manual states no EPS limit for %d %s batteries; the inverter's battery power is at most %g W. Test the loads in EPS before relying on them."),
		    load_w, count, b->fam->name, pmax);
		return r->level = RULES_WARN;
	}
	say(r, N_("%g W of critical load is more than the inverter's %g W battery power: keep only the critical loads on the LOAD port."),
	    load_w, pmax);
	return r->level = RULES_FAIL;
}

/* ---- meters --------------------------------------------------------------------- */

static const char *phase_name(size_t i, size_t n)
{
	static const char *const names[] = { "a (R)", "b (S)", "c (T)" };

	return n == 1 || i >= 3 ? N_("the meter") : names[i];
}

enum rules_level rules_power_factor(const struct kb *kb, const double *pf, size_t nphases,
				   struct rules_result *r)
{
	const struct kb_meters *m = kb_meters(kb);
	int bad = 0;

	start(r);
	if (nphases == 0 || nphases > 3)
		return bad_input(r, N_("A meter has 1 or 3 phases, not %zu."), nphases);
	for (size_t i = 0; i < nphases; i++)
		if (!isfinite(pf[i]) || fabs(pf[i]) > 1.001)
			return bad_input(r, N_("%g is not a power factor (phase %s)."), pf[i],
					 phase_name(i, nphases));
	r->expected = m->dtsu_pf_min;
	use(r, &kb_fact(kb, "meters", "dtsu_pf_min")->prov);
	for (size_t i = 0; i < nphases; i++) {
		if (fabs(pf[i]) >= m->dtsu_pf_min - 1e-9)
			continue;
		if (!bad || fabs(pf[i]) < r->got)
			r->got = fabs(pf[i]);
		say(r, N_("Phase %s: power factor %.2f, below %.1f: its CT is on another phase; move it to one of the other two phases until it reads %.1f-%.1f."),
		    phase_name(i, nphases), fabs(pf[i]), m->dtsu_pf_min, m->dtsu_pf_min,
		    m->dtsu_pf_max);
		bad = 1;
	}
	if (bad)
		return r->level = RULES_FAIL;
	say(r, N_("Power factor %.1f-%.1f on every phase."), m->dtsu_pf_min, m->dtsu_pf_max);
	return r->level;
}

enum rules_level rules_meter_sign(const struct kb *kb, int production, const double *power_w,
				  size_t nphases, struct rules_result *r)
{
	const struct kb_meters *m = kb_meters(kb);
	int want = production ? m->production_sign : m->exchange_sign;
	int wrong = 0, weak = 0;

	start(r);
	if (nphases == 0 || nphases > 3)
		return bad_input(r, N_("A meter has 1 or 3 phases, not %zu."), nphases);
	use(r, &kb_fact(kb, "meters", production ? "production_sign" : "exchange_sign")->prov);
	use(r, &kb_fact(kb, "meters", "sign_check_load_min")->prov);
	r->expected = production ? 0 : m->sign_check_load_min;
	for (size_t i = 0; i < nphases; i++) {
		double p = power_w[i];

		if (!isfinite(p))
			return bad_input(r, N_("The power of phase %s is not a number."),
					 phase_name(i, nphases));
		if ((p > 0 ? 1 : -1) != want && p != 0) {
			say(r, N_("Phase %s shows %+.0f W: the sign should be %s."), phase_name(i, nphases),
			    p, want > 0 ? "positive" : "negative");
			wrong = 1;
		} else if (fabs(p) < (production ? 1 : m->sign_check_load_min)) {
			weak = 1;
		}
	}
	if (wrong) {
		say(r, nphases == 3 ? N_("Turn round the CT of that phase (arrow towards the grid).")
				    : N_("Check the meter's direction: pin 3 towards the grid side, pin 1 towards the PV system and loads."));
		return r->level = RULES_FAIL;
	}
	if (weak) {
		if (production)
			say(r, N_("No production is seen: check again while the PV system produces."));
		else
			say(r, N_("Too little load to judge: switch on more than %g W%s with the inverter and PV off, then read again."),
			    m->sign_check_load_min, nphases == 3 ? N_(" on each phase") : "");
		return r->level = RULES_UNVERIFIED;
	}
	say(r, N_("The %s meter shows %s power, as it should."), production ? "production" : "exchange",
	    want > 0 ? "positive" : "negative");
	return r->level;
}

enum rules_level rules_clamp(const struct kb *kb, double inverter_w, double clamp_w,
			     struct rules_result *r)
{
	const struct kb_meters *m = kb_meters(kb);
	double tol;

	start(r);
	if (!isfinite(inverter_w) || !isfinite(clamp_w))
		return bad_input(r, N_("Both readings must be numbers."));
	tol = fmax(fabs(clamp_w) * m->clamp_tol_pct / 100, m->clamp_tol_w);
	r->expected = clamp_w;
	r->got = inverter_w;
	use(r, &kb_fact(kb, "meters", "clamp_tol_pct")->prov);
	use(r, &kb_fact(kb, "meters", "clamp_tol_w")->prov);
	if (fabs(inverter_w - clamp_w) <= tol) {
		say(r, N_("The inverter reads %.0f W, the clamp %.0f W: within %.0f W."), inverter_w,
		    clamp_w, tol);
		return r->level;
	}
	say(r, N_("The inverter reads %.0f W, the clamp %.0f W: %.0f W apart, more than %.0f W. Check that the CT (or the exchange meter) takes every phase conductor at the exchange meter, then restart the system."),
	    inverter_w, clamp_w, fabs(inverter_w - clamp_w), tol);
	return r->level = RULES_FAIL;
}

/* ---- parallel inverters -------------------------------------------------------------- */

static const char *unit_name(const struct rules_unit *u, size_t i, char *buf, size_t n)
{
	if (u->serial && *u->serial)
		return u->serial;
	snprintf(buf, n, "unit %zu", i + 1);
	return buf;
}

static int same_str(const char *a, const char *b)
{
	return !a || !b || !strcmp(a, b);
}

static void judge_alike(const struct kb_parallel *p, enum kb_consistent which,
			const struct rules_unit *u, size_t n, struct rules_result *r)
{
	const char *what = p->consistent[which].name;

	for (size_t i = 1; i < n; i++) {
		const char *a, *b;

		a = which == KB_CONS_COUNTRY ? u[0].country
		    : which == KB_CONS_FIRMWARE ? u[0].firmware : u[0].battery;
		b = which == KB_CONS_COUNTRY ? u[i].country
		    : which == KB_CONS_FIRMWARE ? u[i].firmware : u[i].battery;
		if (same_str(a, b))
			continue;
		use(r, &p->consistent[which].prov);
		raise_to(r, p->consistent[which].prov.conf == 'H' ? RULES_FAIL : RULES_WARN);
		say(r, N_("The units differ in %s ('%s' and '%s'): %s."), what, a, b,
		    p->consistent[which].text);
		return;
	}
}

static void judge_roles(const struct kb_parallel *p, const struct rules_unit *u, size_t n,
			struct rules_result *r)
{
	char b1[32], b2[32];
	size_t primary = n, nprim = 0;

	use(r, &p->consistent[KB_CONS_ROLE].prov);
	for (size_t i = 0; i < n; i++) {
		if (!u[i].enabled) {
			raise_to(r, RULES_FAIL);
			say(r, N_("%s: parallel control is off: enable it."), unit_name(&u[i], i, b1, sizeof b1));
		}
		if (u[i].primary) {
			nprim++;
			if (primary == n)
				primary = i;
		}
	}
	if (nprim != 1) {
		raise_to(r, RULES_FAIL);
		say(r, N_("%zu units are set as Primary: exactly one must be, the others Replica."), nprim);
	}
	if (primary < n && u[primary].address != p->primary_address) {
		raise_to(r, RULES_FAIL);
		say(r, N_("The primary %s has parallel address %02d: the primary takes %02d."),
		    unit_name(&u[primary], primary, b1, sizeof b1), u[primary].address,
		    p->primary_address);
	}
	use(r, &p->consistent[KB_CONS_ADDRESS].prov);
	for (size_t i = 0; i < n; i++) {
		if (!u[i].primary && (u[i].address < p->first_replica_address ||
				      u[i].address > p->max_address)) {
			raise_to(r, RULES_FAIL);
			say(r, N_("Replica %s has address %02d: replicas take %02d to %02d."),
			    unit_name(&u[i], i, b1, sizeof b1), u[i].address,
			    p->first_replica_address, p->max_address);
		}
		for (size_t j = i + 1; j < n; j++)
			if (u[i].address == u[j].address) {
				raise_to(r, RULES_FAIL);
				say(r, N_("%s and %s share parallel address %02d: every unit needs its own."),
				    unit_name(&u[i], i, b1, sizeof b1), unit_name(&u[j], j, b2, sizeof b2),
				    u[i].address);
			}
	}
}

enum rules_level rules_parallel(const struct kb *kb, const struct rules_unit *units, size_t n,
				int load_joined, struct rules_result *r)
{
	const struct kb_parallel *p = kb_parallel(kb);

	start(r);
	if (n < 2)
		return bad_input(r, N_("A parallel system has at least two inverters (got %zu)."), n);
	r->got = (double)n;
	if (p->max_units > 0 && n > (size_t)p->max_units) {
		raise_to(r, RULES_FAIL);
		say(r, N_("%zu inverters are more than the %d allowed in parallel."), n, p->max_units);
	}
	use(r, &p->consistent[KB_CONS_ENABLE].prov);
	judge_roles(p, units, n, r);
	if (load_joined)
		for (size_t i = 1; i < n; i++)
			if (units[i].power_w != units[0].power_w) {
				use(r, &p->consistent[KB_CONS_POWER].prov);
				raise_to(r, RULES_FAIL);
				say(r, N_("Units of %d W and %d W: %s."), units[0].power_w,
				    units[i].power_w, p->consistent[KB_CONS_POWER].text);
				break;
			}
	judge_alike(p, KB_CONS_COUNTRY, units, n, r);
	judge_alike(p, KB_CONS_FIRMWARE, units, n, r);
	judge_alike(p, KB_CONS_BATTERY, units, n, r);
	if (r->level == RULES_OK)
		say(r, N_("%zu inverters: one primary at %02d, replicas with their own addresses, settings alike."),
		    n, p->primary_address);
	return r->level;
}

/* ---- DIP switches ---------------------------------------------------------------------- */

static const char *position_words(int position, char *buf, size_t n)
{
	if (position == 0)
		return N_("the master");
	snprintf(buf, n, "slave %d", position);
	return buf;
}

static enum rules_level dip_pattern(const struct kb_dip_answer *a, const char *recorded,
				    struct rules_result *r)
{
	size_t len = strlen(a->pattern);

	if (strlen(recorded) != len)
		return bad_input(r, N_("This battery has %zu DIP switches; %zu positions were recorded."),
				 len, strlen(recorded));
	for (size_t k = 0; k < len; k++)
		if (recorded[k] != a->pattern[k]) {
			say(r, N_("Switch %zu is %s, the manual wants %s."), k + 1,
			    recorded[k] == '1' ? "ON" : "OFF", a->pattern[k] == '1' ? "ON" : "OFF");
			r->level = RULES_FAIL;
		}
	if (r->level == RULES_FAIL) {
		say(r, N_("Switch the battery off before moving DIP switches."));
		return r->level;
	}
	say(r, N_("DIP switches %s as the manual says (%s)."), recorded, a->figure);
	return r->level;
}

static enum rules_level dip_known_on(const struct kb_dip_answer *a, const char *recorded,
				     struct rules_result *r)
{
	for (int k = 1; k <= 16; k++) {
		if (!(a->known_on & (1u << (k - 1))))
			continue;
		if ((size_t)k > strlen(recorded))
			return bad_input(r, N_("Record at least %d switches: switch %d matters here."), k, k);
		if (recorded[k - 1] != '1') {
			say(r, N_("Switch %d must be ON here (%s)."), k, a->figure);
			r->level = RULES_FAIL;
		}
	}
	if (r->level == RULES_FAIL)
		return r->level;
	say(r, N_("Recorded %s. The full pattern is only in the manual's figure (%s): compare with it; the capacity check (15.2) shows whether every battery is seen."),
	    recorded, a->figure);
	return r->level = RULES_UNVERIFIED;
}

enum rules_level rules_dip(const struct kb *kb, const char *model, int count, int position,
			   const char *mix, const char *recorded, struct rules_result *r)
{
	const struct kb_battery *b = kb_battery(kb, model);
	struct kb_dip_answer a;
	char buf[32];

	start(r);
	if (!b)
		return bad_input(r, N_("'%s' is not a battery model this inverter supports."),
				 model ? model : "");
	if (count < 1 || position < 0 || position >= count)
		return bad_input(r, N_("Position %d in a bank of %d does not exist."), position, count);
	if (!recorded || strspn(recorded, "01") != strlen(recorded))
		return bad_input(r, N_("Record the switches as 1 (ON) and 0 (OFF), switch 1 first."));
	a = kb_dip(kb, model, count, position, mix);
	use(r, a.prov);
	if (a.kind == KB_DIP_NO_SWITCHES) {
		say(r, N_("%s: %s."), b->name, a.figure);
		return r->level;
	}
	if (a.kind == KB_DIP_NONE) {
		say(r, N_("The manuals give no DIP setting for %s in a bank of %d %s: recorded %s; the capacity check (15.2) shows whether every battery is seen."),
		    position_words(position, buf, sizeof buf), count, b->name,
		    *recorded ? recorded : "(nothing)");
		r->conf = 'L';
		return r->level = RULES_UNVERIFIED;
	}
	if (!*recorded)
		return bad_input(r, N_("Record the DIP switch positions of %s."),
				 position_words(position, buf, sizeof buf));
	if (a.kind == KB_DIP_PATTERN)
		return dip_pattern(&a, recorded, r);
	return dip_known_on(&a, recorded, r);
}
