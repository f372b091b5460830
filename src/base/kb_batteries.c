/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batteries.conf: families, Battery Info values, start-up sequences and
 * battery models; the battery queries. */
#include "base/kb_int.h"

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

/* ---- batteries.conf ------------------------------------------------------ */

struct kb_battery *kbl_find_battery(struct kb *kb, const char *id)
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

	if (kbl_bare_words(L, ln, 1, "battery ID key=value ...", err) < 0)
		return -1;
	id = ln->tok[1].val;
	if (kbl_check_id(L, ln, id, err) < 0)
		return -1;
	b = kbl_find_battery(kb, id);
	if (lex_get(ln, "name")) {
		if (b)
			return kbl_fail(L, ln, err, "duplicate battery id '%s' (declared at line %d)",
				    id, b->line);
		GROW(kb->bats, kb->nbats);
		b = &kb->bats[kb->nbats++];
		memset(b, 0, sizeof *b);
		b->id = kbl_kdup(kb, id);
		b->line = ln->lineno;
	} else if (!b) {
		return kbl_fail(L, ln, err,
			    "battery '%s' is not declared: its first line gives name=", id);
	}
	r = battery_record(b);
	return kbl_fill_record(L, ln, &r, err);
}

static int do_family(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "name", "pinout_battery", "pinout_inverter", "conf",
		"src", NULL };
	struct kb *kb = L->kb;
	struct kb_family *f;
	const char *name, *pb, *pi;

	if (kbl_bare_words(L, ln, 1, "family ID name=...", err) < 0 || kbl_check_keys(L, ln, keys, err) < 0 ||
	    kbl_check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	if (kb_family(kb, ln->tok[1].val))
		return kbl_fail(L, ln, err, "duplicate family id '%s'", ln->tok[1].val);
	if (kbl_need(L, ln, "name", &name, err) < 0 || kbl_need(L, ln, "pinout_battery", &pb, err) < 0 ||
	    kbl_need(L, ln, "pinout_inverter", &pi, err) < 0)
		return -1;
	GROW(kb->fams, kb->nfams);
	f = &kb->fams[kb->nfams];
	memset(f, 0, sizeof *f);
	if (kbl_line_prov(L, ln, &f->prov, err) < 0)
		return -1;
	kb->nfams++;
	f->id = kbl_kdup(kb, ln->tok[1].val);
	f->name = kbl_kdup(kb, name);
	f->pinout_battery = kbl_kdup(kb, pb);
	f->pinout_inverter = kbl_kdup(kb, pi);
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

	if (kbl_bare_words(L, ln, 1, "info ID type=... ah=...", err) < 0 ||
	    kbl_check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	if (kb_info(kb, ln->tok[1].val))
		return kbl_fail(L, ln, err, "duplicate info id '%s'", ln->tok[1].val);
	r.id = ln->tok[1].val;
	if (kbl_fill_record(L, ln, &r, err) < 0 || kbl_check_required(L, ln->lineno, &r, err) < 0)
		return -1;
	if (in.overvolt < in.max_chg_v)
		return kbl_fail(L, ln, err, "overvolt=%g is below max_chg_v=%g", in.overvolt,
			    in.max_chg_v);
	if (!in.bms)
		in.bms = kbl_kdup(kb, "");
	in.id = kbl_kdup(kb, ln->tok[1].val);
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

	if (kbl_bare_words(L, ln, 1, "startup ID step=N text=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_check_id(L, ln, ln->tok[1].val, err) < 0 ||
	    kbl_need(L, ln, "text", &text, err) < 0 || kbl_line_prov(L, ln, &p, err) < 0)
		return -1;
	if (!lex_get(ln, "step"))
		return kbl_fail(L, ln, err, "step= is missing");
	if (kbl_parse_int(L, ln, "step", lex_get(ln, "step"), 1, 99, &step, err) < 0)
		return -1;
	s = (struct kb_startup *)kb_startup(kb, ln->tok[1].val);
	if (!s) {
		GROW(kb->startups, kb->nstartups);
		s = &kb->startups[kb->nstartups++];
		memset(s, 0, sizeof *s);
		s->id = kbl_kdup(kb, ln->tok[1].val);
	}
	if ((size_t)step != s->nsteps + 1)
		return kbl_fail(L, ln, err, "startup %s: step=%d comes after step %zu: number the steps 1, 2, 3 in order",
			    s->id, step, s->nsteps);
	GROW(s->steps, s->nsteps);
	s->steps[s->nsteps].name = NULL;
	s->steps[s->nsteps].text = kbl_kdup(kb, text);
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

	if (kbl_check_required(L, b->line, &r, err) < 0)
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
		b->align_note = kbl_kdup(L->kb, "");
	if (!b->pinout_note)
		b->pinout_note = kbl_kdup(L->kb, "");
	return 0;
}

int kbl_load_batteries(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "family", do_family }, { "info", do_info },
		{ "startup", do_startup }, { "battery", do_battery }, { NULL, NULL } };
	struct ld L;
	int rc = kbl_read_file(kb, dir, "batteries.conf", "batteries", kinds, &L, err);

	for (size_t i = 0; rc == 0 && i < kb->nbats; i++)
		rc = resolve_battery(&L, &kb->bats[i], err);
	if (rc == 0 && kb->nbats == 0)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "no battery lines");
	if (rc == 0)
		rc = check_protocols(&L, dir, err);
	lex_close(&L.lf);
	return rc;
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
	return id ? kbl_find_battery((struct kb *)kb, id) : NULL;
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
