/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/regmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/deny.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"

static const char *const type_names[] = {
	[REG_U16] = "u16", [REG_S16] = "s16", [REG_U32] = "u32", [REG_S32] = "s32",
	[REG_F32] = "f32", [REG_ASCII] = "ascii", [REG_BITS] = "bits",
};

const char *regmap_type_name(enum reg_type t)
{
	return (unsigned)t < ZCS_ARRAY_LEN(type_names) ? type_names[t] : "?";
}

static int parse_type(const char *s, enum reg_type *t)
{
	for (size_t i = 0; i < ZCS_ARRAY_LEN(type_names); i++)
		if (strcmp(s, type_names[i]) == 0) {
			*t = (enum reg_type)i;
			return 0;
		}
	return -1;
}

static unsigned default_words(enum reg_type t)
{
	return (t == REG_U32 || t == REG_S32 || t == REG_F32) ? 2 : 1;
}

/* Pending references resolved after the whole file is read. */
struct pending {
	char *enum_name;
	char *group_name;
};

struct loader {
	struct lex_file lf;
	struct regmap *m;
	struct pending *pend;
	size_t cap_regs, cap_enums, cap_groups, cap_holes;
};

static int parse_conf(struct loader *L, const struct lex_line *ln, char *out, struct zcs_err *err)
{
	const char *c = lex_get(ln, "conf");

	if (!c)
		return lex_fail(&L->lf, ln->lineno, err, "conf= is missing (H, M or L)");
	if (strlen(c) != 1 || !strchr("HML", c[0]))
		return lex_fail(&L->lf, ln->lineno, err, "conf=%s: confidence must be H, M or L", c);
	*out = c[0];
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

static int parse_fc(struct loader *L, const struct lex_line *ln, int *fc, struct zcs_err *err)
{
	long v = 3;

	if (lex_long(&L->lf, ln, "fc", &v, 0, err) < 0)
		return -1;
	if (v != 3 && v != 4)
		return lex_fail(&L->lf, ln->lineno, err, "fc=%ld: reads use function 3 or 4", v);
	*fc = (int)v;
	return 0;
}

static int parse_addr(struct loader *L, const struct lex_line *ln, const char *key, unsigned *out,
		      struct zcs_err *err)
{
	long v;

	if (lex_long(&L->lf, ln, key, &v, 1, err) < 0)
		return -1;
	if (v < 0 || v > 0xFFFF)
		return lex_fail(&L->lf, ln->lineno, err, "%s=%s is outside 0..0xFFFF", key,
				lex_get(ln, key));
	*out = (unsigned)v;
	return 0;
}

static int do_map(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "name", "layout", "describe", NULL };
	const char *bad = lex_unknown_key(ln, keys);

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "unknown key '%s' on a map line", bad);
	if (!lex_get(ln, "name") || !lex_get(ln, "layout"))
		return lex_fail(&L->lf, ln->lineno, err, "a map line needs name= and layout=");
	if (L->m->name)
		return lex_fail(&L->lf, ln->lineno, err, "a second map line in one file");
	L->m->name = xstrdup(lex_get(ln, "name"));
	L->m->layout = xstrdup(lex_get(ln, "layout"));
	L->m->describe = dup_or_empty(lex_get(ln, "describe"));
	return 0;
}

static int reg_numbers(struct loader *L, const struct lex_line *ln, struct reg_def *r,
		       struct zcs_err *err)
{
	long words = (long)default_words(r->type);
	const char *order = lex_get(ln, "order");
	const char *access = lex_get(ln, "access");

	if (lex_long(&L->lf, ln, "words", &words, r->type == REG_ASCII, err) < 0)
		return -1;
	if (words < 1 || words > REG_MAX_WORDS)
		return lex_fail(&L->lf, ln->lineno, err, "words=%ld is outside 1..%d", words,
				REG_MAX_WORDS);
	if ((r->type == REG_U16 || r->type == REG_S16) && words != 1)
		return lex_fail(&L->lf, ln->lineno, err, "a %s takes one word, not %ld",
				regmap_type_name(r->type), words);
	if ((r->type == REG_U32 || r->type == REG_S32 || r->type == REG_F32) && words != 2)
		return lex_fail(&L->lf, ln->lineno, err, "a %s takes two words, not %ld",
				regmap_type_name(r->type), words);
	r->words = (unsigned)words;
	if (r->addr + r->words - 1 > 0xFFFF)
		return lex_fail(&L->lf, ln->lineno, err, "register runs past address 0xFFFF");
	r->scale = 1;
	if (lex_double(&L->lf, ln, "scale", &r->scale, 0, err) < 0)
		return -1;
	if (r->scale == 0 || !isfinite(r->scale))
		return lex_fail(&L->lf, ln->lineno, err, "scale=%s must be a non-zero number",
				lex_get(ln, "scale"));
	if (order && strcmp(order, "abcd") && strcmp(order, "cdab"))
		return lex_fail(&L->lf, ln->lineno, err, "order=%s: word order is abcd or cdab", order);
	r->swap_words = order && strcmp(order, "cdab") == 0;
	if (access && strcmp(access, "r") && strcmp(access, "ro") && strcmp(access, "rw"))
		return lex_fail(&L->lf, ln->lineno, err, "access=%s: access is r, ro or rw", access);
	r->writable = access && strcmp(access, "rw") == 0;
	if (lex_get(ln, "min") || lex_get(ln, "max")) {
		if (lex_double(&L->lf, ln, "min", &r->min, 1, err) < 0 ||
		    lex_double(&L->lf, ln, "max", &r->max, 1, err) < 0)
			return -1;
		if (r->min > r->max)
			return lex_fail(&L->lf, ln->lineno, err, "min is above max");
		r->has_range = 1;
	}
	if (r->writable && deny_find(r->addr, r->addr + r->words - 1))
		return lex_fail(&L->lf, ln->lineno, err,
				"'%s' (0x%04X) is %s, which this tool never writes: "
				"remove access=rw", r->name, r->addr,
				deny_find(r->addr, r->addr + r->words - 1)->what);
	if (r->writable && !r->has_range && r->type != REG_ASCII)
		return lex_fail(&L->lf, ln->lineno, err,
				"writable register '%s' needs min= and max= (the write whitelist)",
				r->name);
	return lex_long(&L->lf, ln, "base", &r->bits_base, 0, err);
}

static int do_reg(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "fc", "addr", "words", "type", "scale", "unit",
		"access", "min", "max", "enum", "group", "conf", "note", "label", "order", "base", "src",
		NULL };
	struct regmap *m = L->m;
	const char *bad = lex_unknown_key(ln, keys), *type;
	struct reg_def r = { 0 };

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "unknown key '%s' on a reg line", bad);
	if (ln->n < 2 || ln->tok[1].key)
		return lex_fail(&L->lf, ln->lineno, err, "a reg line starts with: reg NAME");
	r.name = (char *)ln->tok[1].val;
	for (int k = 2; k < ln->n; k++) {
		if (ln->tok[k].key)
			continue;
		if (strcmp(ln->tok[k].val, "static"))
			return lex_fail(&L->lf, ln->lineno, err, "unknown word '%s' on a reg line "
					"(the only mark is 'static')", ln->tok[k].val);
		r.is_static = 1;
	}
	if (regmap_find(m, r.name))
		return lex_fail(&L->lf, ln->lineno, err, "duplicate register name '%s'", r.name);
	type = lex_get(ln, "type");
	if (!type)
		return lex_fail(&L->lf, ln->lineno, err, "type= is missing");
	if (parse_type(type, &r.type) < 0)
		return lex_fail(&L->lf, ln->lineno, err,
				"unknown type '%s' (u16 s16 u32 s32 f32 ascii bits)", type);
	if (parse_fc(L, ln, &r.fc, err) < 0 || parse_addr(L, ln, "addr", &r.addr, err) < 0 ||
	    reg_numbers(L, ln, &r, err) < 0 || parse_conf(L, ln, &r.conf, err) < 0)
		return -1;
	if (m->nregs == L->cap_regs) {
		L->cap_regs = L->cap_regs ? L->cap_regs * 2 : 64;
		m->regs = xrealloc(m->regs, L->cap_regs * sizeof *m->regs);
		L->pend = xrealloc(L->pend, L->cap_regs * sizeof *L->pend);
	}
	r.name = xstrdup(r.name);
	r.label = xstrdup(lex_get(ln, "label") ? lex_get(ln, "label") : r.name);
	r.unit = dup_or_empty(lex_get(ln, "unit"));
	r.note = dup_or_empty(lex_get(ln, "note"));
	r.src = dup_or_empty(lex_get(ln, "src"));
	r.group = -1;
	r.line = ln->lineno;
	L->pend[m->nregs].enum_name = lex_get(ln, "enum") ? xstrdup(lex_get(ln, "enum")) : NULL;
	L->pend[m->nregs].group_name = lex_get(ln, "group") ? xstrdup(lex_get(ln, "group")) : NULL;
	m->regs[m->nregs++] = r;
	return 0;
}

static int do_enum(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "conf", "note", "src", NULL };
	struct regmap *m = L->m;
	const char *bad = lex_unknown_key(ln, keys);
	struct reg_enum *e = NULL;
	struct reg_enum_item it = { 0 };

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "unknown key '%s' on an enum line", bad);
	if (ln->n < 5 || ln->tok[1].key || ln->tok[2].key || ln->tok[3].key || ln->tok[4].key)
		return lex_fail(&L->lf, ln->lineno, err,
				"an enum line is: enum NAME VALUE KEY \"label\" conf=H|M|L");
	if (zcs_parse_long(ln->tok[2].val, &it.value) < 0)
		return lex_fail(&L->lf, ln->lineno, err, "enum value '%s' is not a whole number",
				ln->tok[2].val);
	if (parse_conf(L, ln, &it.conf, err) < 0)
		return -1;
	for (size_t i = 0; i < m->nenums; i++)
		if (strcmp(m->enums[i].name, ln->tok[1].val) == 0)
			e = &m->enums[i];
	if (!e) {
		if (m->nenums == L->cap_enums) {
			L->cap_enums = L->cap_enums ? L->cap_enums * 2 : 8;
			m->enums = xrealloc(m->enums, L->cap_enums * sizeof *m->enums);
		}
		e = &m->enums[m->nenums++];
		memset(e, 0, sizeof *e);
		e->name = xstrdup(ln->tok[1].val);
		e->line = ln->lineno;
	}
	if (regmap_enum_item(e, it.value))
		return lex_fail(&L->lf, ln->lineno, err, "enum %s lists value %ld twice", e->name,
				it.value);
	if (regmap_enum_key(e, ln->tok[3].val))
		return lex_fail(&L->lf, ln->lineno, err, "enum %s lists key '%s' twice", e->name,
				ln->tok[3].val);
	it.key = xstrdup(ln->tok[3].val);
	it.label = xstrdup(ln->tok[4].val);
	it.note = dup_or_empty(lex_get(ln, "note"));
	it.src = dup_or_empty(lex_get(ln, "src"));
	e->items = xrealloc(e->items, (e->n + 1) * sizeof *e->items);
	e->items[e->n++] = it;
	return 0;
}

static int do_group(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "fc", "addr", "words", "commit", "commit_value",
		"conf", "note", NULL };
	struct regmap *m = L->m;
	const char *bad = lex_unknown_key(ln, keys);
	struct reg_group g = { 0 };
	long words;

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "unknown key '%s' on a group line", bad);
	if (ln->n < 2 || ln->tok[1].key)
		return lex_fail(&L->lf, ln->lineno, err, "a group line starts with: group NAME");
	if (regmap_group(m, ln->tok[1].val))
		return lex_fail(&L->lf, ln->lineno, err, "duplicate group '%s'", ln->tok[1].val);
	if (parse_fc(L, ln, &g.fc, err) < 0 || parse_addr(L, ln, "addr", &g.addr, err) < 0 ||
	    lex_long(&L->lf, ln, "words", &words, 1, err) < 0 ||
	    lex_long(&L->lf, ln, "commit_value", &g.commit_value, 0, err) < 0 ||
	    parse_conf(L, ln, &g.conf, err) < 0)
		return -1;
	if (words < 1 || words > 123)
		return lex_fail(&L->lf, ln->lineno, err, "words=%ld: one FC 0x10 write takes 1..123",
				words);
	if (deny_find(g.addr, g.addr + (unsigned)words - 1))
		return lex_fail(&L->lf, ln->lineno, err,
				"write group %s spans %s, which this tool never writes",
				ln->tok[1].val, deny_find(g.addr, g.addr + (unsigned)words - 1)->what);
	g.words = (unsigned)words;
	g.name = xstrdup(ln->tok[1].val);
	g.commit = lex_get(ln, "commit") ? xstrdup(lex_get(ln, "commit")) : NULL;
	g.note = dup_or_empty(lex_get(ln, "note"));
	g.line = ln->lineno;
	if (m->ngroups == L->cap_groups) {
		L->cap_groups = L->cap_groups ? L->cap_groups * 2 : 8;
		m->groups = xrealloc(m->groups, L->cap_groups * sizeof *m->groups);
	}
	m->groups[m->ngroups++] = g;
	return 0;
}

static int do_hole(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "fc", "from", "to", "note", NULL };
	struct regmap *m = L->m;
	const char *bad = lex_unknown_key(ln, keys);
	struct reg_hole h = { 0 };

	if (bad)
		return lex_fail(&L->lf, ln->lineno, err, "unknown key '%s' on an unreadable line", bad);
	if (parse_fc(L, ln, &h.fc, err) < 0 || parse_addr(L, ln, "from", &h.from, err) < 0 ||
	    parse_addr(L, ln, "to", &h.to, err) < 0)
		return -1;
	if (h.from > h.to)
		return lex_fail(&L->lf, ln->lineno, err, "from= is above to=");
	h.note = dup_or_empty(lex_get(ln, "note"));
	h.line = ln->lineno;
	if (m->nholes == L->cap_holes) {
		L->cap_holes = L->cap_holes ? L->cap_holes * 2 : 8;
		m->holes = xrealloc(m->holes, L->cap_holes * sizeof *m->holes);
	}
	m->holes[m->nholes++] = h;
	return 0;
}

static int in_enum_or_fail(struct loader *L, const struct reg_def *r, double v, const char *what,
			   struct zcs_err *err)
{
	if (fabs(v) < 1e15 && v == floor(v) && regmap_enum_item(r->enm, (long)v))
		return 0;
	return lex_fail(&L->lf, r->line, err, "%s %g of '%s' is not listed in enum %s", what, v,
			r->name, r->enm->name);
}

static int resolve_reg(struct loader *L, size_t i, struct zcs_err *err)
{
	struct regmap *m = L->m;
	struct reg_def *r = &m->regs[i];
	struct pending *p = &L->pend[i];

	if (p->enum_name) {
		r->enm = regmap_enum(m, p->enum_name);
		if (!r->enm)
			return lex_fail(&L->lf, r->line, err, "enum '%s' is not defined in this map",
					p->enum_name);
		if (r->type != REG_U16 && r->type != REG_S16 && r->type != REG_BITS)
			return lex_fail(&L->lf, r->line, err, "enum= goes with u16, s16 or bits");
		if (r->has_range && r->type != REG_BITS &&
		    (in_enum_or_fail(L, r, r->min, "min", err) < 0 ||
		     in_enum_or_fail(L, r, r->max, "max", err) < 0))
			return -1;
	}
	if (p->group_name) {
		const struct reg_group *g = regmap_group(m, p->group_name);

		if (!g)
			return lex_fail(&L->lf, r->line, err, "group '%s' is not defined in this map",
					p->group_name);
		if (g->fc != r->fc || r->addr < g->addr || r->addr + r->words > g->addr + g->words)
			return lex_fail(&L->lf, r->line, err, "'%s' lies outside its group %s",
					r->name, g->name);
		r->group = (int)(g - m->groups);
	}
	for (size_t j = 0; j < i; j++) {
		const struct reg_def *o = &m->regs[j];

		if (o->fc == r->fc && r->addr < o->addr + o->words && o->addr < r->addr + r->words)
			return lex_fail(&L->lf, r->line, err,
					"'%s' (0x%04X+%u) overlaps '%s' (0x%04X+%u, line %d)", r->name,
					r->addr, r->words, o->name, o->addr, o->words, o->line);
	}
	return 0;
}

static int check_group(struct loader *L, const struct reg_group *g, struct zcs_err *err)
{
	struct regmap *m = L->m;

	for (unsigned a = g->addr; a < g->addr + g->words; a++) {
		const struct reg_def *r = regmap_at(m, g->fc, a);

		if (!r || r->group != (int)(g - m->groups))
			return lex_fail(&L->lf, g->line, err,
					"write group %s is incomplete: address 0x%04X has no register "
					"of the group", g->name, a);
	}
	if (g->commit) {
		const struct reg_def *c = regmap_find(m, g->commit);

		if (!c || c->group != (int)(g - m->groups))
			return lex_fail(&L->lf, g->line, err,
					"write group %s: commit register '%s' is not in the group",
					g->name, g->commit);
		if (!c->writable || !c->has_range || g->commit_value < c->min ||
		    g->commit_value > c->max)
			return lex_fail(&L->lf, g->line, err,
					"write group %s: commit_value %ld is not writable to '%s'",
					g->name, g->commit_value, g->commit);
	}
	return 0;
}

static int finish(struct loader *L, struct zcs_err *err)
{
	struct regmap *m = L->m;

	if (!m->name)
		return lex_fail(&L->lf, 1, err, "no 'map name=... layout=...' line");
	for (size_t i = 0; i < m->nregs; i++)
		if (resolve_reg(L, i, err) < 0)
			return -1;
	for (size_t i = 0; i < m->ngroups; i++)
		if (check_group(L, &m->groups[i], err) < 0)
			return -1;
	for (size_t i = 0; i < m->nholes; i++) {
		const struct reg_hole *h = &m->holes[i];

		for (unsigned a = h->from; a <= h->to; a++)
			if (regmap_at(m, h->fc, a))
				return lex_fail(&L->lf, h->line, err,
						"unreadable range covers register '%s'",
						regmap_at(m, h->fc, a)->name);
	}
	return 0;
}

static int dispatch(struct loader *L, const struct lex_line *ln, struct zcs_err *err)
{
	const char *kw = ln->tok[0].val;

	if (ln->tok[0].key)
		return lex_fail(&L->lf, ln->lineno, err, "a line starts with map, reg, enum, group "
				"or unreadable");
	if (strcmp(kw, "map") == 0)
		return do_map(L, ln, err);
	if (strcmp(kw, "reg") == 0)
		return do_reg(L, ln, err);
	if (strcmp(kw, "enum") == 0)
		return do_enum(L, ln, err);
	if (strcmp(kw, "group") == 0)
		return do_group(L, ln, err);
	if (strcmp(kw, "unreadable") == 0)
		return do_hole(L, ln, err);
	return lex_fail(&L->lf, ln->lineno, err,
			"unknown line '%s' (map, reg, enum, group or unreadable)", kw);
}

struct regmap *regmap_load(const char *path, struct zcs_err *err)
{
	struct loader L = { 0 };
	struct lex_line ln;
	int rc;

	if (lex_open(&L.lf, path, err) < 0)
		return NULL;
	L.m = xcalloc(1, sizeof *L.m);
	L.m->path = xstrdup(path);
	while ((rc = lex_next(&L.lf, &ln, err)) > 0)
		if (dispatch(&L, &ln, err) < 0) {
			rc = -1;
			break;
		}
	if (rc == 0)
		rc = finish(&L, err);
	for (size_t i = 0; i < L.m->nregs; i++) {
		free(L.pend[i].enum_name);
		free(L.pend[i].group_name);
	}
	free(L.pend);
	lex_close(&L.lf);
	if (rc < 0) {
		regmap_free(L.m);
		return NULL;
	}
	return L.m;
}

struct regmap *regmap_open(const char *name, struct zcs_err *err)
{
	char *rel = xasprintf("maps/%s.map", name);
	char *path = paths_data_file(rel);
	struct regmap *m = regmap_load(path, err);

	free(rel);
	free(path);
	return m;
}

void regmap_free(struct regmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nregs; i++) {
		free(m->regs[i].name);
		free(m->regs[i].label);
		free(m->regs[i].unit);
		free(m->regs[i].note);
		free(m->regs[i].src);
	}
	for (size_t i = 0; i < m->nenums; i++) {
		for (size_t j = 0; j < m->enums[i].n; j++) {
			free(m->enums[i].items[j].key);
			free(m->enums[i].items[j].label);
			free(m->enums[i].items[j].note);
			free(m->enums[i].items[j].src);
		}
		free(m->enums[i].items);
		free(m->enums[i].name);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		free(m->groups[i].name);
		free(m->groups[i].commit);
		free(m->groups[i].note);
	}
	for (size_t i = 0; i < m->nholes; i++)
		free(m->holes[i].note);
	free(m->regs);
	free(m->enums);
	free(m->groups);
	free(m->holes);
	free(m->name);
	free(m->layout);
	free(m->describe);
	free(m->path);
	free(m);
}

const struct reg_def *regmap_find(const struct regmap *m, const char *name)
{
	for (size_t i = 0; i < m->nregs; i++)
		if (strcmp(m->regs[i].name, name) == 0)
			return &m->regs[i];
	return NULL;
}

const struct reg_def *regmap_at(const struct regmap *m, int fc, unsigned addr)
{
	for (size_t i = 0; i < m->nregs; i++) {
		const struct reg_def *r = &m->regs[i];

		if (r->fc == fc && addr >= r->addr && addr < r->addr + r->words)
			return r;
	}
	return NULL;
}

const struct reg_enum *regmap_enum(const struct regmap *m, const char *name)
{
	for (size_t i = 0; i < m->nenums; i++)
		if (strcmp(m->enums[i].name, name) == 0)
			return &m->enums[i];
	return NULL;
}

const struct reg_enum_item *regmap_enum_item(const struct reg_enum *e, long value)
{
	for (size_t i = 0; e && i < e->n; i++)
		if (e->items[i].value == value)
			return &e->items[i];
	return NULL;
}

const struct reg_enum_item *regmap_enum_key(const struct reg_enum *e, const char *key)
{
	for (size_t i = 0; e && i < e->n; i++)
		if (strcmp(e->items[i].key, key) == 0)
			return &e->items[i];
	return NULL;
}

const struct reg_group *regmap_group_of(const struct regmap *m, const struct reg_def *r)
{
	return r->group >= 0 ? &m->groups[r->group] : NULL;
}

const struct reg_group *regmap_group(const struct regmap *m, const char *name)
{
	for (size_t i = 0; i < m->ngroups; i++)
		if (strcmp(m->groups[i].name, name) == 0)
			return &m->groups[i];
	return NULL;
}

int regmap_readable(const struct regmap *m, int fc, unsigned from, unsigned to)
{
	for (size_t i = 0; i < m->nholes; i++) {
		const struct reg_hole *h = &m->holes[i];

		if (h->fc == fc && from <= h->to && h->from <= to)
			return 0;
	}
	return 1;
}
