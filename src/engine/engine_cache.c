/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session cache of registers marked `static` in the map, and the
 * fault words read one word at a time. */
#include "engine/engine_int.h"

/* ---- the session cache of `static` registers ------------------------------------ */

static struct reg_value *cache_at(struct engine *e, int u, const struct reg_def *d, int make)
{
	size_t nregs = e->map->nregs;

	if (!e->cache) {
		if (!make)
			return NULL;
		e->cache = xcalloc((size_t)e->cfg.nunits * nregs + 1, sizeof *e->cache);
		e->cache_ok = xcalloc((size_t)e->cfg.nunits * nregs + 1, 1);
	}
	if (d < e->map->regs || d >= e->map->regs + nregs)
		return NULL;                /* not this map's (an identity map's) */
	return &e->cache[(size_t)u * nregs + (size_t)(d - e->map->regs)];
}

static int cached(struct engine *e, int u, const struct reg_def *d)
{
	struct reg_value *c = d->is_static ? cache_at(e, u, d, 0) : NULL;

	return c && e->cache_ok[c - e->cache];
}

void eng_cache_forget(struct engine *e, int u, unsigned addr, unsigned words)
{
	for (size_t i = 0; e->cache && i < e->map->nregs; i++) {
		const struct reg_def *d = &e->map->regs[i];

		if (!words || (d->addr < addr + words && addr < d->addr + d->words))
			e->cache_ok[(size_t)u * e->map->nregs + i] = 0;
	}
}

int eng_poll_unit(struct engine *e, int u, int fresh, struct zcs_err *perr)
{
	struct reg_value *vals = e->vals + (size_t)u * e->plan.ndefs;
	const struct reg_def **need = xcalloc(e->plan.ndefs + 1, sizeof *need);
	size_t k = 0;
	int r = 0;

	for (size_t i = 0; i < e->plan.ndefs; i++)
		if (fresh || !cached(e, u, e->plan.defs[i]))
			need[k++] = e->plan.defs[i];
	if (k == e->plan.ndefs) {
		r = poll_execute(e->cfg.link, &e->plan, vals, perr);
	} else if (k > 0) {
		struct poll_plan sub;
		struct reg_value *got = xcalloc(k, sizeof *got);

		poll_plan_defs(e->map, need, k, POLL_DEFAULT_GAP, &sub);
		r = poll_execute(e->cfg.link, &sub, got, perr);
		for (size_t i = 0; i < e->plan.ndefs; i++)
			for (size_t j = 0; j < sub.ndefs; j++)
				if (sub.defs[j] == e->plan.defs[i])
					vals[i] = got[j];
		poll_plan_free(&sub);
		free(got);
	}
	free(need);
	for (size_t i = 0; i < e->plan.ndefs; i++) {
		const struct reg_def *d = e->plan.defs[i];
		struct reg_value *c;

		if (!d->is_static || !(c = cache_at(e, u, d, 1)))
			continue;
		if (cached(e, u, d) && !fresh) {
			vals[i] = *c;
			vals[i].cached = 1;
		} else if (vals[i].ok || vals[i].unserved) {
			/* a sentinel or a failed read is asked again next time */
			*c = vals[i];
			c->cached = 0;
			e->cache_ok[c - e->cache] = 1;
		}
	}
	return r;
}

/* The word of fault_words that holds fault `key`, -1 when unknown. */
long eng_fault_word(const struct regmap *m, const char *key, long *id)
{
	const struct reg_def *d = regmap_find(m, "fault_words");
	const struct reg_enum_item *it = d && d->enm && key ? regmap_enum_key(d->enm, key) : NULL;

	if (!it || it->value < d->bits_base || it->value >= d->bits_base + 16 * (long)d->words)
		return -1;
	if (id)
		*id = it->value;
	return (it->value - d->bits_base) / 16;
}

const struct reg_value *eng_fault_val(const struct engine *e, const char *key, int unit,
				      const struct reg_def **def, long *id)
{
	long w = eng_fault_word(e->map, key, id);

	*def = NULL;
	if (w < 0 || !e->vals)
		return NULL;
	for (size_t i = 0; i < e->plan.ndefs; i++) {
		const struct reg_def *d = e->plan.defs[i];

		if (d == &e->fault_part[w] || strcmp(d->name, "fault_words") == 0) {
			const struct reg_value *v = &e->vals[(size_t)unit * e->plan.ndefs + i];

			*def = d;
			return v->ok ? v : NULL;
		}
	}
	return NULL;
}

