#include "base/kb.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/lex.h"
#include "base/paths.h"
#include "base/regmap.h"
#include "base/util.h"

/* An advice line or a fact remembers which file it came from. */
struct tagged_text {
	const char *tag;        /* "eps", "meters", "parallel" */
	struct kb_text t;
};
struct tagged_fact {
	const char *tag;
	struct kb_fact f;
};

struct kb {
	char *dir;
	char **pool;            /* every string the catalogue owns */
	size_t npool, cap_pool;

	struct kb_family *fams;
	size_t nfams;
	struct kb_info *infos;
	size_t ninfos;
	struct kb_startup *startups;
	size_t nstartups;
	struct kb_battery *bats;
	size_t nbats;
	struct kb_dip *dips;
	size_t ndips;
	struct kb_nodip *nodips;
	size_t nnodips;
	struct kb_pair *pairs;
	size_t npairs;
	struct kb_order *orders;
	size_t norders;
	struct kb_master *masters;
	size_t nmasters;
	struct kb_text families_rule;
	struct kb_eps_limit *limits;
	size_t nlimits;
	struct kb_eps eps;
	struct kb_meters meters;
	struct kb_parallel par;
	struct tagged_fact *facts;
	size_t nfacts;
	struct tagged_text *advice;
	size_t nadvice;
	struct kb_country *countries;
	size_t ncountries;
	struct kb_text other;
};

/* One file being read. */
struct ld {
	struct kb *kb;
	struct lex_file lf;
	const char *path;       /* pooled copy, for provenance */
	const char *tag;
};

#define GROW(arr, n)                                                            \
	do {                                                                    \
		if (((n) & ((n) - 1)) == 0) /* 0, 1, 2, 4, 8 ...: double */     \
			(arr) = xrealloc((arr), ((n) ? (n) * 2 : 1) * sizeof *(arr)); \
	} while (0)

static char *kdup(struct kb *kb, const char *s)
{
	if (kb->npool == kb->cap_pool) {
		kb->cap_pool = kb->cap_pool ? kb->cap_pool * 2 : 256;
		kb->pool = xrealloc(kb->pool, kb->cap_pool * sizeof *kb->pool);
	}
	return kb->pool[kb->npool++] = xstrdup(s ? s : "");
}

const char *kb_conf_words(char conf)
{
	switch (conf) {
	case 'H': return "several sources agree";
	case 'M': return "one good source";
	case 'L': return "unconfirmed or contradicted";
	}
	return "not stated";
}

/* ---- helpers shared by every file -------------------------------------- */

static int fail(struct ld *L, const struct lex_line *ln, struct zcs_err *err, const char *fmt, ...)
	ZCS_PRINTF(4, 5);
static int fail(struct ld *L, const struct lex_line *ln, struct zcs_err *err, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return lex_fail(&L->lf, ln ? ln->lineno : L->lf.lineno, err, "%s", what);
}

/* conf= and src= of a line. */
static int line_prov(struct ld *L, const struct lex_line *ln, struct kb_prov *p, struct zcs_err *err)
{
	const char *c = lex_get(ln, "conf"), *s = lex_get(ln, "src");

	if (!c)
		return fail(L, ln, err, "conf= is missing (H, M or L)");
	if (strlen(c) != 1 || !strchr("HML", c[0]))
		return fail(L, ln, err, "conf=%s: confidence must be H, M or L", c);
	if (!s || !*s)
		return fail(L, ln, err, "src= is missing: name the manual section or source");
	p->conf = c[0];
	p->src = kdup(L->kb, s);
	p->file = L->path;
	p->line = ln->lineno;
	return 0;
}

static int check_keys(struct ld *L, const struct lex_line *ln, const char *const *keys,
		      struct zcs_err *err)
{
	const char *bad = lex_unknown_key(ln, keys);

	if (bad)
		return fail(L, ln, err, "unknown key '%s' on a %s line", bad, ln->tok[0].val);
	return 0;
}

/* The bare words after the line's kind: exactly `n` of them, then keys. */
static int bare_words(struct ld *L, const struct lex_line *ln, int n, const char *shape,
		      struct zcs_err *err)
{
	for (int i = 1; i <= n; i++)
		if (i >= ln->n || ln->tok[i].key)
			return fail(L, ln, err, "a %s line starts with: %s", ln->tok[0].val, shape);
	for (int i = n + 1; i < ln->n; i++)
		if (!ln->tok[i].key)
			return fail(L, ln, err, "unexpected word '%s' (expected key=value)",
				    ln->tok[i].val);
	return 0;
}

static int need(struct ld *L, const struct lex_line *ln, const char *key, const char **out,
		struct zcs_err *err)
{
	*out = lex_get(ln, key);
	if (!*out || !**out)
		return fail(L, ln, err, "%s= is missing", key);
	return 0;
}

static int parse_num(struct ld *L, const struct lex_line *ln, const char *key, const char *v,
		     double lo, double hi, double *out, struct zcs_err *err)
{
	if (zcs_parse_double(v, out) < 0 || !isfinite(*out))
		return fail(L, ln, err, "%s=%s is not a number", key, v);
	if (*out < lo || *out > hi)
		return fail(L, ln, err, "%s=%s is outside %g..%g", key, v, lo, hi);
	return 0;
}

static int parse_int(struct ld *L, const struct lex_line *ln, const char *key, const char *v,
		     long lo, long hi, int *out, struct zcs_err *err)
{
	long x;

	if (zcs_parse_long(v, &x) < 0)
		return fail(L, ln, err, "%s=%s is not a whole number", key, v);
	if (x < lo || x > hi)
		return fail(L, ln, err, "%s=%s is outside %ld..%ld", key, v, lo, hi);
	*out = (int)x;
	return 0;
}

static int is_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
		    *s != '_')
			return 0;
	return 1;
}

static int check_id(struct ld *L, const struct lex_line *ln, const char *id, struct zcs_err *err)
{
	if (!is_id(id))
		return fail(L, ln, err, "'%s' is not an id: use lower-case letters, digits and '-'",
			    id);
	return 0;
}

/* ---- field tables: battery and country records ------------------------ */

enum ftype { F_STR, F_STR_UNK, F_INT, F_INT_UNK, F_NUM, F_BOOL, F_TRI, F_NOTE };

struct fdesc {
	const char *key;
	enum ftype type;
	size_t off;
	int required;
	double lo, hi;
};

#define BF(key, type, field, req, lo, hi) \
	{ key, type, offsetof(struct kb_battery, field), req, lo, hi }
/* In enum kb_battery_field order. */
static const struct fdesc battery_fields[KB_B__N] = {
	BF("name", F_STR, name, 1, 0, 0),
	BF("family", F_STR, family, 1, 0, 0),
	BF("info", F_STR, info_id, 1, 0, 0),
	BF("type_shown", F_STR, type_shown, 1, 0, 0),
	BF("menu", F_STR, menu, 1, 0, 0),
	BF("protocol", F_STR_UNK, protocol_key, 1, 0, 0),
	BF("module_ah", F_NUM, module_ah, 1, 1, 1000),
	BF("max_dod", F_INT, max_dod, 1, 1, 100),
	BF("recommended_dod", F_INT, recommended_dod, 1, 1, 100),
	BF("max_count", F_INT, max_count, 1, 1, 16),
	BF("port", F_STR, port, 1, 0, 0),
	BF("port_multi", F_STR, port_multi, 0, 0, 0),
	BF("chain", F_STR, chain, 1, 0, 0),
	BF("power", F_STR, power, 1, 0, 0),
	BF("sec_single", F_STR, sec_single, 1, 0, 0),
	BF("sec_parallel", F_STR, sec_parallel, 1, 0, 0),
	BF("sec_settings", F_STR, sec_settings, 1, 0, 0),
	BF("sec_startup", F_STR, sec_startup, 1, 0, 0),
	BF("startup", F_STR, startup_id, 1, 0, 0),
	BF("align_v", F_NUM, align_v, 0, 0.01, 10),
	BF("align_note", F_STR, align_note, 0, 0, 0),
	BF("nominal_v", F_NUM, nominal_v, 0, 1, 100),
	BF("max_current", F_NUM, max_current, 0, 1, 500),
	BF("pinout_note", F_STR, pinout_note, 0, 0, 0),
	BF("note", F_NOTE, notes, 0, 0, 0),
};

#define CF(key, type, field, req, lo, hi) \
	{ key, type, offsetof(struct kb_country, field), req, lo, hi }
static const struct fdesc country_fields[] = {
	CF("name", F_STR, name, 1, 0, 0),
	CF("standard", F_STR_UNK, standard, 1, 0, 0),
	CF("default", F_BOOL, is_default, 1, 0, 0),
	CF("code_g3", F_STR_UNK, code_g3, 1, 0, 0),
	CF("code_legacy", F_INT_UNK, code_legacy, 1, 0, 65535),
	CF("selftest", F_TRI, selftest, 1, 0, 0),
	CF("logic", F_BOOL, logic, 1, 0, 0),
	CF("note", F_NOTE, notes, 0, 0, 0),
};

_Static_assert(ZCS_ARRAY_LEN(country_fields) == ZCS_ARRAY_LEN(((struct kb_country *)0)->prov),
	       "struct kb_country needs one prov per country field");

/* The parts of a record the table-driven parser touches. */
struct record {
	void *base;
	const struct fdesc *fields;
	size_t nfields;
	struct kb_prov *prov;   /* one per field */
	struct kb_text **notes;
	size_t *nnotes;
	const char *what, *id;
};

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on"))
		*out = 1;
	else if (!strcmp(v, "no") || !strcmp(v, "off"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int set_value(struct ld *L, const struct lex_line *ln, const struct fdesc *f, void *base,
		     const char *v, struct zcs_err *err)
{
	char *p = (char *)base + f->off;
	int b;

	switch (f->type) {
	case F_STR:
	case F_STR_UNK:
		if (!*v)
			return fail(L, ln, err, "%s= is empty", f->key);
		*(char **)p = (f->type == F_STR_UNK && !strcmp(v, "unknown")) ? NULL
									       : kdup(L->kb, v);
		return 0;
	case F_INT_UNK:
		if (!strcmp(v, "unknown")) {
			*(int *)p = -1;
			return 0;
		}
		/* fall through */
	case F_INT:
		return parse_int(L, ln, f->key, v, (long)f->lo, (long)f->hi, (int *)p, err);
	case F_NUM:
		return parse_num(L, ln, f->key, v, f->lo, f->hi, (double *)p, err);
	case F_BOOL:
		if (parse_bool(v, (int *)p) < 0)
			return fail(L, ln, err, "%s=%s: say yes or no (on or off)", f->key, v);
		return 0;
	case F_TRI:
		if (!strcmp(v, "unknown")) {
			*(enum kb_tri *)p = KB_UNKNOWN;
			return 0;
		}
		if (parse_bool(v, &b) < 0)
			return fail(L, ln, err, "%s=%s: say yes, no or unknown", f->key, v);
		*(enum kb_tri *)p = b ? KB_YES : KB_NO;
		return 0;
	case F_NOTE:
		break;
	}
	return 0;
}

static void add_note(struct kb *kb, struct record *r, const char *text, const struct kb_prov *p)
{
	GROW(*r->notes, *r->nnotes);
	(*r->notes)[*r->nnotes].name = NULL;
	(*r->notes)[*r->nnotes].text = kdup(kb, text);
	(*r->notes)[(*r->nnotes)++].prov = *p;
}

/* Every key=value of the line except conf/src into the record. */
static int fill_record(struct ld *L, const struct lex_line *ln, struct record *r,
		       struct zcs_err *err)
{
	struct kb_prov p;

	if (line_prov(L, ln, &p, err) < 0)
		return -1;
	for (int i = 2; i < ln->n; i++) {
		const char *k = ln->tok[i].key;
		size_t f;

		if (!strcmp(k, "conf") || !strcmp(k, "src"))
			continue;
		for (f = 0; f < r->nfields && strcmp(r->fields[f].key, k); f++)
			;
		if (f == r->nfields)
			return fail(L, ln, err, "unknown key '%s' on a %s line", k, r->what);
		if (r->fields[f].type == F_NOTE) {
			if (!*ln->tok[i].val)
				return fail(L, ln, err, "note= is empty");
			add_note(L->kb, r, ln->tok[i].val, &p);
			r->prov[f] = p;
			continue;
		}
		if (r->prov[f].line)
			return fail(L, ln, err, "%s %s: %s= is already given at line %d", r->what,
				    r->id, k, r->prov[f].line);
		if (set_value(L, ln, &r->fields[f], r->base, ln->tok[i].val, err) < 0)
			return -1;
		r->prov[f] = p;
	}
	return 0;
}

static int check_required(struct ld *L, int line, const struct record *r, struct zcs_err *err)
{
	for (size_t f = 0; f < r->nfields; f++)
		if (r->fields[f].required && !r->prov[f].line)
			return lex_fail(&L->lf, line, err,
					"%s %s: %s= is missing (give it on any '%s %s' line)",
					r->what, r->id, r->fields[f].key, r->what, r->id);
	return 0;
}

/* ---- batteries.conf ------------------------------------------------------ */

static struct kb_battery *find_battery(struct kb *kb, const char *id)
{
	for (size_t i = 0; i < kb->nbats; i++)
		if (!strcmp(kb->bats[i].id, id))
			return &kb->bats[i];
	return NULL;
}

static struct record battery_record(struct kb_battery *b)
{
	return (struct record){ b, battery_fields, KB_B__N, b->prov, &b->notes, &b->nnotes,
		"battery", b->id };
}

static int do_battery(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	struct kb *kb = L->kb;
	const char *id;
	struct kb_battery *b;
	struct record r;

	if (bare_words(L, ln, 1, "battery ID key=value ...", err) < 0)
		return -1;
	id = ln->tok[1].val;
	if (check_id(L, ln, id, err) < 0)
		return -1;
	b = find_battery(kb, id);
	if (lex_get(ln, "name")) {
		if (b)
			return fail(L, ln, err, "duplicate battery id '%s' (declared at line %d)",
				    id, b->line);
		GROW(kb->bats, kb->nbats);
		b = &kb->bats[kb->nbats++];
		memset(b, 0, sizeof *b);
		b->id = kdup(kb, id);
		b->line = ln->lineno;
	} else if (!b) {
		return fail(L, ln, err,
			    "battery '%s' is not declared: its first line gives name=", id);
	}
	r = battery_record(b);
	return fill_record(L, ln, &r, err);
}

static int do_family(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "name", "pinout_battery", "pinout_inverter", "conf",
		"src", NULL };
	struct kb *kb = L->kb;
	struct kb_family *f;
	const char *name, *pb, *pi;

	if (bare_words(L, ln, 1, "family ID name=...", err) < 0 || check_keys(L, ln, keys, err) < 0 ||
	    check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	if (kb_family(kb, ln->tok[1].val))
		return fail(L, ln, err, "duplicate family id '%s'", ln->tok[1].val);
	if (need(L, ln, "name", &name, err) < 0 || need(L, ln, "pinout_battery", &pb, err) < 0 ||
	    need(L, ln, "pinout_inverter", &pi, err) < 0)
		return -1;
	GROW(kb->fams, kb->nfams);
	f = &kb->fams[kb->nfams];
	memset(f, 0, sizeof *f);
	if (line_prov(L, ln, &f->prov, err) < 0)
		return -1;
	kb->nfams++;
	f->id = kdup(kb, ln->tok[1].val);
	f->name = kdup(kb, name);
	f->pinout_battery = kdup(kb, pb);
	f->pinout_inverter = kdup(kb, pi);
	return 0;
}

#define IF(key, type, field, req, lo, hi) { key, type, offsetof(struct kb_info, field), req, lo, hi }
static const struct fdesc info_fields[] = {
	IF("type", F_STR, type, 1, 0, 0),
	IF("bms", F_STR, bms, 0, 0, 0),
	IF("ah", F_NUM, ah, 1, 1, 1000),
	IF("dod", F_INT, dod, 1, 1, 100),
	IF("chg_bms", F_NUM, chg_bms, 1, 0, 500),
	IF("chg_set", F_NUM, chg_set, 1, 0, 500),
	IF("overvolt", F_NUM, overvolt, 1, 10, 100),
	IF("max_chg_v", F_NUM, max_chg_v, 1, 10, 100),
	IF("dis_bms", F_NUM, dis_bms, 1, 0, 500),
	IF("dis_set", F_NUM, dis_set, 1, 0, 500),
	IF("min_dis_v", F_NUM, min_dis_v, 1, 10, 100),
	IF("eps_dod", F_INT, eps_dod, 1, 1, 100),
	IF("eps_buffer", F_INT, eps_buffer, 1, 0, 100),
};

static int do_info(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	struct kb *kb = L->kb;
	struct kb_prov prov[ZCS_ARRAY_LEN(info_fields)] = { { 0 } };
	struct kb_info in = { 0 };
	struct record r = { &in, info_fields, ZCS_ARRAY_LEN(info_fields), prov, NULL, NULL,
		"info", NULL };

	if (bare_words(L, ln, 1, "info ID type=... ah=...", err) < 0 ||
	    check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	if (kb_info(kb, ln->tok[1].val))
		return fail(L, ln, err, "duplicate info id '%s'", ln->tok[1].val);
	r.id = ln->tok[1].val;
	if (fill_record(L, ln, &r, err) < 0 || check_required(L, ln->lineno, &r, err) < 0)
		return -1;
	if (in.overvolt < in.max_chg_v)
		return fail(L, ln, err, "overvolt=%g is below max_chg_v=%g", in.overvolt,
			    in.max_chg_v);
	if (!in.bms)
		in.bms = kdup(kb, "");
	in.id = kdup(kb, ln->tok[1].val);
	in.prov = prov[0];
	GROW(kb->infos, kb->ninfos);
	kb->infos[kb->ninfos++] = in;
	return 0;
}

static int do_startup(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "step", "text", "conf", "src", NULL };
	struct kb *kb = L->kb;
	struct kb_startup *s;
	const char *text;
	int step;
	struct kb_prov p;

	if (bare_words(L, ln, 1, "startup ID step=N text=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || check_id(L, ln, ln->tok[1].val, err) < 0 ||
	    need(L, ln, "text", &text, err) < 0 || line_prov(L, ln, &p, err) < 0)
		return -1;
	if (!lex_get(ln, "step"))
		return fail(L, ln, err, "step= is missing");
	if (parse_int(L, ln, "step", lex_get(ln, "step"), 1, 99, &step, err) < 0)
		return -1;
	s = (struct kb_startup *)kb_startup(kb, ln->tok[1].val);
	if (!s) {
		GROW(kb->startups, kb->nstartups);
		s = &kb->startups[kb->nstartups++];
		memset(s, 0, sizeof *s);
		s->id = kdup(kb, ln->tok[1].val);
	}
	if ((size_t)step != s->nsteps + 1)
		return fail(L, ln, err, "startup %s: step=%d comes after step %zu: number the steps 1, 2, 3 in order",
			    s->id, step, s->nsteps);
	GROW(s->steps, s->nsteps);
	s->steps[s->nsteps].name = NULL;
	s->steps[s->nsteps].text = kdup(kb, text);
	s->steps[s->nsteps++].prov = p;
	return 0;
}

static int check_protocols(struct ld *L, const char *dir, struct zcs_err *err)
{
	char *path = xasprintf("%s/maps/g3.map", dir);
	struct regmap *m;
	const struct reg_enum *e;
	int rc = 0;

	if (access(path, R_OK) != 0) {   /* a test directory without maps */
		free(path);
		return 0;
	}
	m = regmap_load(path, err);
	free(path);
	if (!m)
		return -1;
	e = regmap_enum(m, "bat_protocol");
	for (size_t i = 0; i < L->kb->nbats && rc == 0; i++) {
		const struct kb_battery *b = &L->kb->bats[i];

		if (!b->protocol_key)
			continue;
		if (!e || !regmap_enum_key(e, b->protocol_key))
			rc = lex_fail(&L->lf, b->prov[KB_B_PROTOCOL].line, err,
				      "battery %s: protocol=%s is not a key of enum bat_protocol in maps/g3.map",
				      b->id, b->protocol_key);
	}
	regmap_free(m);
	return rc;
}

static int resolve_battery(struct ld *L, struct kb_battery *b, struct zcs_err *err)
{
	struct record r = battery_record(b);

	if (check_required(L, b->line, &r, err) < 0)
		return -1;
	b->fam = kb_family(L->kb, b->family);
	b->info = kb_info(L->kb, b->info_id);
	b->startup = kb_startup(L->kb, b->startup_id);
	if (!b->fam)
		return lex_fail(&L->lf, b->prov[KB_B_FAMILY].line, err,
				"battery %s: family=%s is not a family line", b->id, b->family);
	if (!b->info)
		return lex_fail(&L->lf, b->prov[KB_B_INFO].line, err,
				"battery %s: info=%s is not an info line", b->id, b->info_id);
	if (!b->startup)
		return lex_fail(&L->lf, b->prov[KB_B_STARTUP].line, err,
				"battery %s: startup=%s is not a startup sequence", b->id,
				b->startup_id);
	if (b->recommended_dod > b->max_dod)
		return lex_fail(&L->lf, b->prov[KB_B_RECOMMENDED_DOD].line, err,
				"battery %s: recommended_dod=%d is above max_dod=%d", b->id,
				b->recommended_dod, b->max_dod);
	b->ah_conf = b->prov[KB_B_MODULE_AH].conf;
	if (!b->port_multi)
		b->port_multi = b->port;
	if (!b->align_note)
		b->align_note = kdup(L->kb, "");
	if (!b->pinout_note)
		b->pinout_note = kdup(L->kb, "");
	return 0;
}

/* ---- the file loop ----------------------------------------------------------- */

struct kind {
	const char *word;
	int (*fn)(struct ld *L, const struct lex_line *ln, struct zcs_err *err);
};

static int read_file(struct kb *kb, const char *dir, const char *name, const char *tag,
		     const struct kind *kinds, struct ld *L, struct zcs_err *err)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct lex_line ln;
	int rc;

	memset(L, 0, sizeof *L);
	L->kb = kb;
	L->tag = tag;
	L->path = kdup(kb, path);
	rc = lex_open(&L->lf, path, err);
	free(path);
	if (rc < 0)
		return -1;
	while ((rc = lex_next(&L->lf, &ln, err)) > 0) {
		const struct kind *k;

		if (ln.tok[0].key)
			return fail(L, &ln, err, "a line starts with a word, not '%s='",
				    ln.tok[0].key);
		for (k = kinds; k->word && strcmp(k->word, ln.tok[0].val); k++)
			;
		if (!k->word)
			return fail(L, &ln, err, "unknown line kind '%s'", ln.tok[0].val);
		if (k->fn(L, &ln, err) < 0)
			return -1;
	}
	return rc;
}

static int load_batteries(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "family", do_family }, { "info", do_info },
		{ "startup", do_startup }, { "battery", do_battery }, { NULL, NULL } };
	struct ld L;
	int rc = read_file(kb, dir, "batteries.conf", "batteries", kinds, &L, err);

	for (size_t i = 0; rc == 0 && i < kb->nbats; i++)
		rc = resolve_battery(&L, &kb->bats[i], err);
	if (rc == 0 && kb->nbats == 0)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "no battery lines");
	if (rc == 0)
		rc = check_protocols(&L, dir, err);
	lex_close(&L.lf);
	return rc;
}

/* ---- dip.conf --------------------------------------------------------------- */

static int model_ref(struct ld *L, const struct lex_line *ln, const char *id,
		     const struct kb_battery **out, struct zcs_err *err)
{
	*out = find_battery(L->kb, id);
	if (!*out)
		return fail(L, ln, err, "unknown battery model '%s' (see batteries.conf)", id);
	return 0;
}

static int parse_count_range(struct ld *L, const struct lex_line *ln, const struct kb_battery *b,
			     struct kb_dip *d, struct zcs_err *err)
{
	const char *v, *dash;
	char lo[16];

	if (need(L, ln, "count", &v, err) < 0)
		return -1;
	dash = strchr(v, '-');
	if (!dash) {
		if (parse_int(L, ln, "count", v, 1, b->max_count, &d->count_lo, err) < 0)
			return -1;
		d->count_hi = d->count_lo;
		return 0;
	}
	if ((size_t)(dash - v) >= sizeof lo)
		return fail(L, ln, err, "count=%s is not N or N-M", v);
	memcpy(lo, v, (size_t)(dash - v));
	lo[dash - v] = 0;
	if (parse_int(L, ln, "count", lo, 1, b->max_count, &d->count_lo, err) < 0 ||
	    parse_int(L, ln, "count", dash + 1, 1, b->max_count, &d->count_hi, err) < 0)
		return -1;
	if (d->count_lo > d->count_hi)
		return fail(L, ln, err, "count=%s runs backwards", v);
	return 0;
}

static int parse_position(struct ld *L, const struct lex_line *ln, struct kb_dip *d,
			  struct zcs_err *err)
{
	const char *v;
	long k;

	if (need(L, ln, "position", &v, err) < 0)
		return -1;
	if (!strcmp(v, "master"))
		d->position = 0;
	else if (!strcmp(v, "last"))
		d->position = KB_DIP_LAST;
	else if (!strcmp(v, "all"))
		d->position = KB_DIP_ALL;
	else if (!strncmp(v, "slave", 5) && zcs_parse_long(v + 5, &k) == 0 && k >= 1 &&
		 k < d->count_hi)
		d->position = (int)k;
	else
		return fail(L, ln, err,
			    "position=%s: say master, slaveK (K below the count), last or all", v);
	if (d->position == KB_DIP_LAST && d->count_lo < 2)
		return fail(L, ln, err, "position=last needs a count of at least 2");
	return 0;
}

static int parse_pattern(struct ld *L, const struct lex_line *ln, struct kb_dip *d,
			 struct zcs_err *err)
{
	const char *v, *on = lex_get(ln, "known_on");

	if (need(L, ln, "pattern", &v, err) < 0)
		return -1;
	if (strcmp(v, "unconfirmed")) {
		if (strspn(v, "01") != strlen(v) || strlen(v) > 16)
			return fail(L, ln, err,
				    "pattern=%s: write 0 and 1, switch 1 first (up to 16), or unconfirmed",
				    v);
		d->pattern = kdup(L->kb, v);
	}
	while (on && *on) {
		char *end;
		long k = strtol(on, &end, 10);

		if (end == on || k < 1 || k > 16 || (*end && *end != ','))
			return fail(L, ln, err, "known_on=%s: list switch numbers 1-16, e.g. 6 or 1,6",
				    lex_get(ln, "known_on"));
		if (d->pattern && ((size_t)k > strlen(d->pattern) || d->pattern[k - 1] != '1'))
			return fail(L, ln, err, "known_on=%ld disagrees with pattern=%s", k,
				    d->pattern);
		d->known_on |= 1u << (k - 1);
		on = *end ? end + 1 : end;
	}
	return 0;
}

static int dips_overlap(const struct kb_dip *a, const struct kb_dip *b)
{
	int same_mix = (!a->mix && !b->mix) || (a->mix && b->mix && !strcmp(a->mix, b->mix));

	return !strcmp(a->model, b->model) && same_mix && a->position == b->position &&
	       a->count_lo <= b->count_hi && b->count_lo <= a->count_hi;
}

static const struct kb_nodip *find_nodip(const struct kb *kb, const char *model)
{
	for (size_t i = 0; i < kb->nnodips; i++)
		if (!strcmp(kb->nodips[i].model, model))
			return &kb->nodips[i];
	return NULL;
}

static int do_dip(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "count", "position", "pattern", "known_on", "mix",
		"figure", "conf", "src", NULL };
	struct kb *kb = L->kb;
	const struct kb_battery *b, *mix;
	struct kb_dip d = { 0 };

	if (bare_words(L, ln, 1, "dip MODEL count=... position=... pattern=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || model_ref(L, ln, ln->tok[1].val, &b, err) < 0)
		return -1;
	if (find_nodip(kb, b->id))
		return fail(L, ln, err, "%s has a nodip line: it cannot also have DIP settings", b->id);
	d.model = b->id;
	if (lex_get(ln, "mix")) {
		if (model_ref(L, ln, lex_get(ln, "mix"), &mix, err) < 0)
			return -1;
		if (mix == b || strcmp(mix->family, b->family))
			return fail(L, ln, err, "mix=%s: the other model must be another model of the same family",
				    mix->id);
		d.mix = mix->id;
	}
	if (parse_count_range(L, ln, b, &d, err) < 0 || parse_position(L, ln, &d, err) < 0 ||
	    parse_pattern(L, ln, &d, err) < 0 || line_prov(L, ln, &d.prov, err) < 0)
		return -1;
	d.figure = kdup(kb, lex_get(ln, "figure"));
	if (!d.pattern && !*d.figure)
		return fail(L, ln, err, "an unconfirmed pattern needs figure= (where the manual shows it)");
	for (size_t i = 0; i < kb->ndips; i++)
		if (dips_overlap(&kb->dips[i], &d))
			return fail(L, ln, err, "duplicate DIP entry: overlaps line %d",
				    kb->dips[i].prov.line);
	GROW(kb->dips, kb->ndips);
	kb->dips[kb->ndips++] = d;
	return 0;
}

static int do_nodip(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "reason", "conf", "src", NULL };
	struct kb *kb = L->kb;
	const struct kb_battery *b;
	const char *reason;
	struct kb_nodip n;

	if (bare_words(L, ln, 1, "nodip MODEL reason=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || model_ref(L, ln, ln->tok[1].val, &b, err) < 0 ||
	    need(L, ln, "reason", &reason, err) < 0 || line_prov(L, ln, &n.prov, err) < 0)
		return -1;
	if (find_nodip(kb, b->id))
		return fail(L, ln, err, "duplicate nodip line for %s", b->id);
	for (size_t i = 0; i < kb->ndips; i++)
		if (!strcmp(kb->dips[i].model, b->id))
			return fail(L, ln, err, "%s already has DIP settings (line %d)", b->id,
				    kb->dips[i].prov.line);
	n.model = b->id;
	n.reason = kdup(kb, reason);
	GROW(kb->nodips, kb->nnodips);
	kb->nodips[kb->nnodips++] = n;
	return 0;
}

static int load_dip(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "dip", do_dip }, { "nodip", do_nodip },
		{ NULL, NULL } };
	struct ld L;
	int rc = read_file(kb, dir, "dip.conf", "dip", kinds, &L, err);

	for (size_t i = 0; rc == 0 && i < kb->nbats; i++) {
		const struct kb_battery *b = &kb->bats[i];
		int found = find_nodip(kb, b->id) != NULL;

		for (size_t j = 0; j < kb->ndips && !found; j++)
			found = !strcmp(kb->dips[j].model, b->id);
		if (!found)
			rc = lex_fail(&L.lf, L.lf.lineno, err,
				      "battery %s has no dip or nodip line (declared at batteries.conf:%d)",
				      b->id, b->line);
	}
	lex_close(&L.lf);
	return rc;
}

/* ---- compat.conf ---------------------------------------------------------------- */

static int do_pair(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "verdict", "kit", "new_install", "reason", "conf",
		"src", NULL };
	struct kb *kb = L->kb;
	const struct kb_battery *a, *b;
	const char *v, *reason, *ni = lex_get(ln, "new_install"), *kit = lex_get(ln, "kit");
	struct kb_pair p = { 0 };

	if (bare_words(L, ln, 2, "pair MODEL MODEL verdict=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || model_ref(L, ln, ln->tok[1].val, &a, err) < 0 ||
	    model_ref(L, ln, ln->tok[2].val, &b, err) < 0 || need(L, ln, "verdict", &v, err) < 0 ||
	    need(L, ln, "reason", &reason, err) < 0 || line_prov(L, ln, &p.prov, err) < 0)
		return -1;
	if (a == b)
		return fail(L, ln, err, "a pair names two different models");
	if (strcmp(a->family, b->family))
		return fail(L, ln, err, "%s and %s are of different families: the families line already decides",
			    a->id, b->id);
	if (kb_pair(kb, a->id, b->id))
		return fail(L, ln, err, "duplicate pair %s %s (line %d)", a->id, b->id,
			    kb_pair(kb, a->id, b->id)->prov.line);
	if (!strcmp(v, "yes"))
		p.verdict = KB_COMPAT_YES;
	else if (!strcmp(v, "kit"))
		p.verdict = KB_COMPAT_KIT;
	else if (!strcmp(v, "no"))
		p.verdict = KB_COMPAT_NO;
	else
		return fail(L, ln, err, "verdict=%s: say yes, kit or no", v);
	if ((p.verdict == KB_COMPAT_KIT) != (kit != NULL))
		return fail(L, ln, err, "kit= goes with verdict=kit, and verdict=kit needs kit=");
	if (ni && strcmp(ni, "warn"))
		return fail(L, ln, err, "new_install=%s: the only value is warn", ni);
	p.a = a->id;
	p.b = b->id;
	p.kit = kit ? kdup(kb, kit) : NULL;
	p.new_install_warn = ni != NULL;
	p.reason = kdup(kb, reason);
	GROW(kb->pairs, kb->npairs);
	kb->pairs[kb->npairs++] = p;
	return 0;
}

static int two_models(struct ld *L, const struct lex_line *ln, const char *k1, const char *k2,
		      const struct kb_battery **a, const struct kb_battery **b, struct zcs_err *err)
{
	const char *v1, *v2;

	if (need(L, ln, k1, &v1, err) < 0 || need(L, ln, k2, &v2, err) < 0 ||
	    model_ref(L, ln, v1, a, err) < 0 || model_ref(L, ln, v2, b, err) < 0)
		return -1;
	if (*a == *b || strcmp((*a)->family, (*b)->family))
		return fail(L, ln, err, "%s= and %s= name two models of one family", k1, k2);
	return 0;
}

static int do_order(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "first", "then", "reason", "conf", "src", NULL };
	const struct kb_battery *a, *b;
	const char *reason;
	struct kb_order o;

	if (bare_words(L, ln, 0, "order first=MODEL then=MODEL", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || two_models(L, ln, "first", "then", &a, &b, err) < 0 ||
	    need(L, ln, "reason", &reason, err) < 0 || line_prov(L, ln, &o.prov, err) < 0)
		return -1;
	o.first = a->id;
	o.then = b->id;
	o.reason = kdup(L->kb, reason);
	GROW(L->kb->orders, L->kb->norders);
	L->kb->orders[L->kb->norders++] = o;
	return 0;
}

static int do_master(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "model", "over", "reason", "conf", "src", NULL };
	const struct kb_battery *a, *b;
	const char *reason;
	struct kb_master m;

	if (bare_words(L, ln, 0, "master model=MODEL over=MODEL", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || two_models(L, ln, "model", "over", &a, &b, err) < 0 ||
	    need(L, ln, "reason", &reason, err) < 0 || line_prov(L, ln, &m.prov, err) < 0)
		return -1;
	m.model = a->id;
	m.over = b->id;
	m.reason = kdup(L->kb, reason);
	GROW(L->kb->masters, L->kb->nmasters);
	L->kb->masters[L->kb->nmasters++] = m;
	return 0;
}

static int do_families(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "verdict", "reason", "conf", "src", NULL };
	const char *v, *reason;

	if (bare_words(L, ln, 0, "families verdict=no reason=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || need(L, ln, "verdict", &v, err) < 0 ||
	    need(L, ln, "reason", &reason, err) < 0)
		return -1;
	if (strcmp(v, "no"))
		return fail(L, ln, err, "verdict=%s: families never mix, the verdict is no", v);
	if (L->kb->families_rule.prov.line)
		return fail(L, ln, err, "duplicate families line (line %d)",
			    L->kb->families_rule.prov.line);
	L->kb->families_rule.text = kdup(L->kb, reason);
	return line_prov(L, ln, &L->kb->families_rule.prov, err);
}

static int load_compat(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "pair", do_pair }, { "order", do_order },
		{ "master", do_master }, { "families", do_families }, { NULL, NULL } };
	struct ld L;
	int rc = read_file(kb, dir, "compat.conf", "compat", kinds, &L, err);

	if (rc == 0 && !kb->families_rule.prov.line)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "the families line is missing");
	lex_close(&L.lf);
	return rc;
}

/* ---- named facts and advice: eps.conf, meters.conf, parallel.conf ---------------- */

enum vkind { V_INT, V_NUM, V_INT_UNK, V_NUM_UNK, V_SIGN };
struct factdesc {
	const char *name;
	enum vkind kind;
	size_t off;
};

#define EFD(n, k) { #n, k, offsetof(struct kb_eps, n) }
static const struct factdesc eps_facts[] = {
	EFD(bat_power_max, V_NUM), EFD(switch_time, V_NUM_UNK), EFD(dod_within_eps_dod, V_INT),
	{ NULL, 0, 0 } };

#define MFD(n, k) { #n, k, offsetof(struct kb_meters, n) }
static const struct factdesc meter_facts[] = {
	MFD(ct_pin_minus, V_INT), MFD(ct_pin_plus, V_INT), MFD(ct_max_distance, V_NUM),
	MFD(rs485_inv16_meter, V_INT), MFD(rs485_inv15_meter, V_INT),
	MFD(terminator_distance, V_NUM), MFD(terminator_ohm, V_NUM),
	MFD(ddsu_addr_exchange, V_INT), MFD(ddsu_addr_production, V_INT),
	MFD(dtsu_code, V_INT), MFD(dtsu_ct_ratio, V_INT), MFD(dtsu_addr_exchange, V_INT),
	MFD(dtsu_addr_production_min, V_INT), MFD(dtsu_addr_production_max, V_INT),
	MFD(dtsu_pf_min, V_NUM), MFD(dtsu_pf_max, V_NUM), MFD(sign_check_load_min, V_NUM),
	MFD(exchange_sign, V_SIGN), MFD(production_sign, V_SIGN), MFD(pcc_export_sign, V_SIGN),
	MFD(first_check_load_min, V_NUM), MFD(clamp_tol_pct, V_NUM), MFD(clamp_tol_w, V_NUM),
	MFD(load_steady_tol_pct, V_NUM), MFD(production_tol_pct, V_NUM), { NULL, 0, 0 } };

#define PFD(n, k) { #n, k, offsetof(struct kb_parallel, n) }
static const struct factdesc parallel_facts[] = {
	PFD(primary_address, V_INT), PFD(first_replica_address, V_INT), PFD(max_address, V_INT),
	PFD(max_units, V_INT_UNK), PFD(link_cable_m, V_NUM), { NULL, 0, 0 } };

static const char *const consistent_names[KB_CONS__N] = {
	[KB_CONS_ENABLE] = "enable", [KB_CONS_ROLE] = "role", [KB_CONS_ADDRESS] = "address",
	[KB_CONS_POWER] = "power", [KB_CONS_COUNTRY] = "country",
	[KB_CONS_FIRMWARE] = "firmware", [KB_CONS_BATTERY] = "battery",
};

static const struct factdesc *fact_table(const char *tag, void **base, struct kb *kb)
{
	if (!strcmp(tag, "eps")) {
		*base = &kb->eps;
		return eps_facts;
	}
	if (!strcmp(tag, "meters")) {
		*base = &kb->meters;
		return meter_facts;
	}
	*base = &kb->par;
	return parallel_facts;
}

static int store_fact(struct ld *L, const struct lex_line *ln, const struct factdesc *fd,
		      void *base, const char *v, double *num, struct zcs_err *err)
{
	char *p = (char *)base + fd->off;
	int unk = !strcmp(v, "unknown");

	if (unk && fd->kind != V_INT_UNK && fd->kind != V_NUM_UNK)
		return fail(L, ln, err, "fact %s: the checks need a number, not unknown", fd->name);
	if (unk) {
		*num = NAN;
		if (fd->kind == V_INT_UNK)
			*(int *)p = -1;
		else
			*(double *)p = NAN;
		return 0;
	}
	if (zcs_parse_double(v, num) < 0 || !isfinite(*num))
		return fail(L, ln, err, "fact %s: value=%s is not a number", fd->name, v);
	if (fd->kind == V_NUM || fd->kind == V_NUM_UNK) {
		*(double *)p = *num;
		return 0;
	}
	if (*num != floor(*num) || fabs(*num) > 1e6)
		return fail(L, ln, err, "fact %s: value=%s is not a whole number", fd->name, v);
	if (fd->kind == V_SIGN && *num != 1 && *num != -1)
		return fail(L, ln, err, "fact %s: value=%s: a sign is 1 or -1", fd->name, v);
	*(int *)p = (int)*num;
	return 0;
}

static const struct kb_fact *find_fact(const struct kb *kb, const char *tag, const char *name)
{
	for (size_t i = 0; i < kb->nfacts; i++)
		if (!strcmp(kb->facts[i].tag, tag) && !strcmp(kb->facts[i].f.name, name))
			return &kb->facts[i].f;
	return NULL;
}

static int do_fact(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "value", "unit", "text", "conf", "src", NULL };
	struct kb *kb = L->kb;
	const struct factdesc *fd;
	const struct kb_fact *old;
	void *base;
	const char *v;
	struct kb_fact f = { 0 };

	if (bare_words(L, ln, 1, "fact NAME value=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || need(L, ln, "value", &v, err) < 0)
		return -1;
	for (fd = fact_table(L->tag, &base, kb); fd->name && strcmp(fd->name, ln->tok[1].val); fd++)
		;
	if (!fd->name)
		return fail(L, ln, err, "unknown fact '%s' in %s.conf (see zcs-data(5))",
			    ln->tok[1].val, L->tag);
	old = find_fact(kb, L->tag, fd->name);
	if (old)
		return fail(L, ln, err, "duplicate fact %s (line %d)", fd->name, old->prov.line);
	if (line_prov(L, ln, &f.prov, err) < 0 || store_fact(L, ln, fd, base, v, &f.value, err) < 0)
		return -1;
	f.name = kdup(kb, fd->name);
	f.unit = kdup(kb, lex_get(ln, "unit"));
	f.text = kdup(kb, lex_get(ln, "text"));
	GROW(kb->facts, kb->nfacts);
	kb->facts[kb->nfacts].tag = L->tag;
	kb->facts[kb->nfacts++].f = f;
	return 0;
}

static int do_advice(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "text", "conf", "src", NULL };
	struct kb *kb = L->kb;
	const struct kb_text *old;
	const char *text;
	struct kb_text t;

	if (bare_words(L, ln, 1, "advice NAME text=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || check_id(L, ln, ln->tok[1].val, err) < 0 ||
	    need(L, ln, "text", &text, err) < 0 || line_prov(L, ln, &t.prov, err) < 0)
		return -1;
	old = kb_advice(kb, L->tag, ln->tok[1].val);
	if (old)
		return fail(L, ln, err, "duplicate advice %s (line %d)", old->name, old->prov.line);
	t.name = kdup(kb, ln->tok[1].val);
	t.text = kdup(kb, text);
	GROW(kb->advice, kb->nadvice);
	kb->advice[kb->nadvice].tag = L->tag;
	kb->advice[kb->nadvice++].t = t;
	return 0;
}

static int facts_complete(struct ld *L, struct zcs_err *err)
{
	void *base;

	for (const struct factdesc *fd = fact_table(L->tag, &base, L->kb); fd->name; fd++)
		if (!find_fact(L->kb, L->tag, fd->name))
			return lex_fail(&L->lf, L->lf.lineno, err, "fact %s is missing", fd->name);
	return 0;
}

static int do_limit(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "family", "count", "current", "current_kind", "power",
		"conf", "src", NULL };
	struct kb *kb = L->kb;
	const char *fam, *cnt, *cur, *kind, *pow;
	struct kb_eps_limit l = { 0 };

	if (strcmp(L->tag, "eps"))
		return fail(L, ln, err, "a limit line belongs in eps.conf");
	if (bare_words(L, ln, 0, "limit family=... count=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || need(L, ln, "family", &fam, err) < 0 ||
	    need(L, ln, "count", &cnt, err) < 0 || need(L, ln, "current", &cur, err) < 0 ||
	    need(L, ln, "current_kind", &kind, err) < 0 || need(L, ln, "power", &pow, err) < 0)
		return -1;
	if (!kb_family(kb, fam))
		return fail(L, ln, err, "unknown battery family '%s' (see batteries.conf)", fam);
	if (strcmp(cnt, "any") && parse_int(L, ln, "count", cnt, 1, 16, &l.count, err) < 0)
		return -1;
	if (strcmp(kind, "AC") && strcmp(kind, "DC"))
		return fail(L, ln, err, "current_kind=%s: say AC or DC", kind);
	if (parse_num(L, ln, "current", cur, 0.1, 1000, &l.current, err) < 0 ||
	    parse_num(L, ln, "power", pow, 1, 100000, &l.power, err) < 0 ||
	    line_prov(L, ln, &l.prov, err) < 0)
		return -1;
	for (size_t i = 0; i < kb->nlimits; i++)
		if (!strcmp(kb->limits[i].family, fam) && kb->limits[i].count == l.count)
			return fail(L, ln, err, "duplicate EPS limit for %s, count %s (line %d)", fam,
				    cnt, kb->limits[i].prov.line);
	l.family = kdup(kb, fam);
	l.current_kind = kdup(kb, kind);
	GROW(kb->limits, kb->nlimits);
	kb->limits[kb->nlimits++] = l;
	return 0;
}

static int do_consistent(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "reason", "conf", "src", NULL };
	const char *reason;
	size_t i;
	struct kb_text *t;

	if (strcmp(L->tag, "parallel"))
		return fail(L, ln, err, "a consistent line belongs in parallel.conf");
	if (bare_words(L, ln, 1, "consistent NAME reason=...", err) < 0 ||
	    check_keys(L, ln, keys, err) < 0 || need(L, ln, "reason", &reason, err) < 0)
		return -1;
	for (i = 0; i < KB_CONS__N && strcmp(consistent_names[i], ln->tok[1].val); i++)
		;
	if (i == KB_CONS__N)
		return fail(L, ln, err,
			    "unknown consistency '%s' (enable role address power country firmware battery)",
			    ln->tok[1].val);
	t = &L->kb->par.consistent[i];
	if (t->prov.line)
		return fail(L, ln, err, "duplicate consistent %s (line %d)", t->name, t->prov.line);
	t->name = consistent_names[i];
	t->text = kdup(L->kb, reason);
	return line_prov(L, ln, &t->prov, err);
}

static int parallel_complete(struct ld *L, struct zcs_err *err)
{
	const struct kb_parallel *p = &L->kb->par;

	for (int i = 0; i < KB_CONS__N; i++)
		if (!p->consistent[i].prov.line)
			return lex_fail(&L->lf, L->lf.lineno, err, "consistent %s is missing",
					consistent_names[i]);
	if (p->primary_address == p->first_replica_address ||
	    p->max_address < p->first_replica_address)
		return lex_fail(&L->lf, L->lf.lineno, err,
				"primary_address, first_replica_address and max_address do not fit together");
	return 0;
}

static int load_facts(struct kb *kb, const char *dir, const char *file, const char *tag,
		      struct zcs_err *err)
{
	static const struct kind kinds[] = { { "fact", do_fact }, { "advice", do_advice },
		{ "limit", do_limit }, { "consistent", do_consistent }, { NULL, NULL } };
	struct ld L;
	int rc = read_file(kb, dir, file, tag, kinds, &L, err);

	if (rc == 0)
		rc = facts_complete(&L, err);
	if (rc == 0 && !strcmp(tag, "parallel"))
		rc = parallel_complete(&L, err);
	lex_close(&L.lf);
	return rc;
}

/* ---- countries.conf --------------------------------------------------------------- */

static struct record country_record(struct kb_country *c)
{
	return (struct record){ c, country_fields, ZCS_ARRAY_LEN(country_fields), c->prov,
		&c->notes, &c->nnotes, "country", c->id };
}

static int do_country(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	struct kb *kb = L->kb;
	struct kb_country *c = NULL;
	struct record r;

	if (bare_words(L, ln, 1, "country ID key=value ...", err) < 0 ||
	    check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	for (size_t i = 0; i < kb->ncountries; i++)
		if (!strcmp(kb->countries[i].id, ln->tok[1].val))
			c = &kb->countries[i];
	if (lex_get(ln, "name")) {
		if (c)
			return fail(L, ln, err, "duplicate country id '%s' (declared at line %d)",
				    c->id, c->line);
		GROW(kb->countries, kb->ncountries);
		c = &kb->countries[kb->ncountries++];
		memset(c, 0, sizeof *c);
		c->id = kdup(kb, ln->tok[1].val);
		c->line = ln->lineno;
	} else if (!c) {
		return fail(L, ln, err, "country '%s' is not declared: its first line gives name=",
			    ln->tok[1].val);
	}
	r = country_record(c);
	if (fill_record(L, ln, &r, err) < 0)
		return -1;
	if (lex_get(ln, "code_g3") && c->code_g3 && kb_country_word(c->code_g3) < 0)
		return fail(L, ln, err, "code_g3=%s: give the country-region pair as the display "
			    "shows it (Italy 001-000), or unknown", c->code_g3);
	return 0;
}

static int do_other(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "text", "conf", "src", NULL };
	const char *text;

	if (bare_words(L, ln, 0, "other text=...", err) < 0 || check_keys(L, ln, keys, err) < 0 ||
	    need(L, ln, "text", &text, err) < 0)
		return -1;
	if (L->kb->other.prov.line)
		return fail(L, ln, err, "duplicate other line (line %d)", L->kb->other.prov.line);
	L->kb->other.text = kdup(L->kb, text);
	return line_prov(L, ln, &L->kb->other.prov, err);
}

static int load_countries(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "country", do_country }, { "other", do_other },
		{ NULL, NULL } };
	struct ld L;
	int rc = read_file(kb, dir, "countries.conf", "countries", kinds, &L, err), ndef = 0;

	for (size_t i = 0; rc == 0 && i < kb->ncountries; i++) {
		struct record r = country_record(&kb->countries[i]);

		rc = check_required(&L, kb->countries[i].line, &r, err);
		ndef += kb->countries[i].is_default;
	}
	if (rc == 0 && ndef != 1)
		rc = lex_fail(&L.lf, L.lf.lineno, err,
			      "%d countries say default=yes: exactly one must", ndef);
	if (rc == 0 && !kb->other.prov.line)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "the other line is missing");
	lex_close(&L.lf);
	return rc;
}

/* ---- public ---------------------------------------------------------------------- */

struct kb *kb_load_dir(const char *dir, struct zcs_err *err)
{
	struct kb *kb = xcalloc(1, sizeof *kb);

	kb->dir = xstrdup(dir);
	if (load_batteries(kb, dir, err) < 0 || load_dip(kb, dir, err) < 0 ||
	    load_compat(kb, dir, err) < 0 || load_facts(kb, dir, "eps.conf", "eps", err) < 0 ||
	    load_facts(kb, dir, "meters.conf", "meters", err) < 0 ||
	    load_facts(kb, dir, "parallel.conf", "parallel", err) < 0 ||
	    load_countries(kb, dir, err) < 0) {
		kb_free(kb);
		return NULL;
	}
	return kb;
}

struct kb *kb_load(struct zcs_err *err)
{
	return kb_load_dir(paths_data_dir(), err);
}

void kb_free(struct kb *kb)
{
	if (!kb)
		return;
	for (size_t i = 0; i < kb->npool; i++)
		free(kb->pool[i]);
	for (size_t i = 0; i < kb->nstartups; i++)
		free(kb->startups[i].steps);
	for (size_t i = 0; i < kb->nbats; i++)
		free(kb->bats[i].notes);
	for (size_t i = 0; i < kb->ncountries; i++)
		free(kb->countries[i].notes);
	free(kb->pool);
	free(kb->fams);
	free(kb->infos);
	free(kb->startups);
	free(kb->bats);
	free(kb->dips);
	free(kb->nodips);
	free(kb->pairs);
	free(kb->orders);
	free(kb->masters);
	free(kb->limits);
	free(kb->facts);
	free(kb->advice);
	free(kb->countries);
	free(kb->dir);
	free(kb);
}

size_t kb_battery_count(const struct kb *kb)
{
	return kb->nbats;
}

const struct kb_battery *kb_battery_at(const struct kb *kb, size_t i)
{
	return i < kb->nbats ? &kb->bats[i] : NULL;
}

const struct kb_battery *kb_battery(const struct kb *kb, const char *id)
{
	return id ? find_battery((struct kb *)kb, id) : NULL;
}

const struct kb_prov *kb_battery_prov(const struct kb_battery *b, const char *key)
{
	for (size_t f = 0; f < KB_B__N; f++)
		if (!strcmp(battery_fields[f].key, key))
			return &b->prov[f];
	return NULL;
}

const struct kb_family *kb_family(const struct kb *kb, const char *id)
{
	for (size_t i = 0; id && i < kb->nfams; i++)
		if (!strcmp(kb->fams[i].id, id))
			return &kb->fams[i];
	return NULL;
}

const struct kb_info *kb_info(const struct kb *kb, const char *id)
{
	for (size_t i = 0; id && i < kb->ninfos; i++)
		if (!strcmp(kb->infos[i].id, id))
			return &kb->infos[i];
	return NULL;
}

const struct kb_startup *kb_startup(const struct kb *kb, const char *id)
{
	for (size_t i = 0; id && i < kb->nstartups; i++)
		if (!strcmp(kb->startups[i].id, id))
			return &kb->startups[i];
	return NULL;
}

/* How well a DIP line fits (model, count, position, mix): -1 not at all. */
static int dip_fit(const struct kb_dip *d, const char *model, int count, int position,
		   const char *mix)
{
	if (strcmp(d->model, model) || count < d->count_lo || count > d->count_hi)
		return -1;
	if ((d->mix == NULL) != (mix == NULL) || (mix && strcmp(d->mix, mix)))
		return -1;
	if (d->position == position)
		return 3;
	if (d->position == KB_DIP_LAST && position == count - 1 && position > 0)
		return 2;
	if (d->position == KB_DIP_ALL)
		return 1;
	return -1;
}

static int has_mix_lines(const struct kb *kb, const char *model, const char *mix)
{
	for (size_t i = 0; i < kb->ndips; i++)
		if (kb->dips[i].mix && !strcmp(kb->dips[i].model, model) &&
		    !strcmp(kb->dips[i].mix, mix))
			return 1;
	return 0;
}

struct kb_dip_answer kb_dip(const struct kb *kb, const char *model, int count, int position,
			    const char *mix)
{
	struct kb_dip_answer a = { KB_DIP_NONE, NULL, 0, "", NULL };
	const struct kb_nodip *n = find_nodip(kb, model);
	const struct kb_dip *best = NULL;
	int best_fit = -1;

	if (mix && !strcmp(mix, model))
		mix = NULL;
	if (n) {
		a.kind = KB_DIP_NO_SWITCHES;
		a.figure = n->reason;
		a.prov = &n->prov;
		return a;
	}
	if (mix && !has_mix_lines(kb, model, mix))
		mix = NULL;     /* no special case for this mix: the model's own table */
	for (size_t i = 0; i < kb->ndips; i++) {
		int fit = dip_fit(&kb->dips[i], model, count, position, mix);

		if (fit > best_fit) {
			best_fit = fit;
			best = &kb->dips[i];
		}
	}
	if (!best)
		return a;
	a.kind = best->pattern ? KB_DIP_PATTERN : KB_DIP_UNCONFIRMED;
	a.pattern = best->pattern;
	a.known_on = best->known_on;
	a.figure = best->figure;
	a.prov = &best->prov;
	return a;
}

const struct kb_pair *kb_pair(const struct kb *kb, const char *a, const char *b)
{
	for (size_t i = 0; a && b && i < kb->npairs; i++) {
		const struct kb_pair *p = &kb->pairs[i];

		if ((!strcmp(p->a, a) && !strcmp(p->b, b)) || (!strcmp(p->a, b) && !strcmp(p->b, a)))
			return p;
	}
	return NULL;
}

size_t kb_order_count(const struct kb *kb)
{
	return kb->norders;
}

const struct kb_order *kb_order_at(const struct kb *kb, size_t i)
{
	return i < kb->norders ? &kb->orders[i] : NULL;
}

size_t kb_master_count(const struct kb *kb)
{
	return kb->nmasters;
}

const struct kb_master *kb_master_at(const struct kb *kb, size_t i)
{
	return i < kb->nmasters ? &kb->masters[i] : NULL;
}

const struct kb_text *kb_families_rule(const struct kb *kb)
{
	return &kb->families_rule;
}

const struct kb_eps_limit *kb_eps_limit(const struct kb *kb, const char *family, int count)
{
	const struct kb_eps_limit *any = NULL;

	for (size_t i = 0; family && i < kb->nlimits; i++) {
		const struct kb_eps_limit *l = &kb->limits[i];

		if (strcmp(l->family, family))
			continue;
		if (l->count == count)
			return l;
		if (l->count == 0)
			any = l;
	}
	return count >= 1 ? any : NULL;
}

const struct kb_eps *kb_eps(const struct kb *kb)
{
	return &kb->eps;
}

const struct kb_meters *kb_meters(const struct kb *kb)
{
	return &kb->meters;
}

const struct kb_parallel *kb_parallel(const struct kb *kb)
{
	return &kb->par;
}

const struct kb_fact *kb_fact(const struct kb *kb, const char *file, const char *name)
{
	return file && name ? find_fact(kb, file, name) : NULL;
}

size_t kb_advice_count(const struct kb *kb, const char *file)
{
	size_t n = 0;

	for (size_t i = 0; i < kb->nadvice; i++)
		n += !strcmp(kb->advice[i].tag, file);
	return n;
}

const struct kb_text *kb_advice_at(const struct kb *kb, const char *file, size_t k)
{
	for (size_t i = 0; i < kb->nadvice; i++)
		if (!strcmp(kb->advice[i].tag, file) && k-- == 0)
			return &kb->advice[i].t;
	return NULL;
}

const struct kb_text *kb_advice(const struct kb *kb, const char *file, const char *name)
{
	for (size_t i = 0; i < kb->nadvice; i++)
		if (!strcmp(kb->advice[i].tag, file) && !strcmp(kb->advice[i].t.name, name))
			return &kb->advice[i].t;
	return NULL;
}

/* "001-000" (country-region, as the display shows it) -> 0x0100, the word
 * the G3 protocol keeps at 0x2004/0x200E (high byte country, low byte
 * region).  -1 when the text is not such a pair. */
long kb_country_word(const char *pair)
{
	unsigned c, r;
	char tail;

	if (!pair || sscanf(pair, "%3u-%3u%c", &c, &r, &tail) != 2 || c > 255 || r > 255 ||
	    strlen(pair) != 7)
		return -1;
	return (long)(c << 8 | r);
}

size_t kb_country_count(const struct kb *kb)
{
	return kb->ncountries;
}

const struct kb_country *kb_country_at(const struct kb *kb, size_t i)
{
	return i < kb->ncountries ? &kb->countries[i] : NULL;
}

const struct kb_country *kb_country(const struct kb *kb, const char *s)
{
	for (size_t i = 0; s && i < kb->ncountries; i++)
		if (!strcasecmp(kb->countries[i].id, s) || !strcasecmp(kb->countries[i].name, s))
			return &kb->countries[i];
	return NULL;
}

const struct kb_country *kb_country_default(const struct kb *kb)
{
	for (size_t i = 0; i < kb->ncountries; i++)
		if (kb->countries[i].is_default)
			return &kb->countries[i];
	return NULL;
}

const struct kb_text *kb_country_other(const struct kb *kb)
{
	return &kb->other;
}

const struct kb_prov *kb_country_prov(const struct kb_country *c, const char *key)
{
	for (size_t f = 0; f < ZCS_ARRAY_LEN(country_fields); f++)
		if (!strcmp(country_fields[f].key, key))
			return &c->prov[f];
	return NULL;
}
