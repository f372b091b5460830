/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Named facts and advice: eps.conf, meters.conf, parallel.conf. */
#include "base/kb_int.h"

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
		return kbl_fail(L, ln, err, "fact %s: the checks kbl_need a number, not unknown", fd->name);
	if (unk) {
		*num = NAN;
		if (fd->kind == V_INT_UNK)
			*(int *)p = -1;
		else
			*(double *)p = NAN;
		return 0;
	}
	if (zcs_parse_double(v, num) < 0 || !isfinite(*num))
		return kbl_fail(L, ln, err, "fact %s: value=%s is not a number", fd->name, v);
	if (fd->kind == V_NUM || fd->kind == V_NUM_UNK) {
		*(double *)p = *num;
		return 0;
	}
	if (*num != floor(*num) || fabs(*num) > 1e6)
		return kbl_fail(L, ln, err, "fact %s: value=%s is not a whole number", fd->name, v);
	if (fd->kind == V_SIGN && *num != 1 && *num != -1)
		return kbl_fail(L, ln, err, "fact %s: value=%s: a sign is 1 or -1", fd->name, v);
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

	if (kbl_bare_words(L, ln, 1, "fact NAME value=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_need(L, ln, "value", &v, err) < 0)
		return -1;
	for (fd = fact_table(L->tag, &base, kb); fd->name && strcmp(fd->name, ln->tok[1].val); fd++)
		;
	if (!fd->name)
		return kbl_fail(L, ln, err, "unknown fact '%s' in %s.conf (see zcs-data(5))",
			    ln->tok[1].val, L->tag);
	old = find_fact(kb, L->tag, fd->name);
	if (old)
		return kbl_fail(L, ln, err, "duplicate fact %s (line %d)", fd->name, old->prov.line);
	if (kbl_line_prov(L, ln, &f.prov, err) < 0 || store_fact(L, ln, fd, base, v, &f.value, err) < 0)
		return -1;
	f.name = kbl_kdup(kb, fd->name);
	f.unit = kbl_kdup(kb, lex_get(ln, "unit"));
	f.text = kbl_kdup(kb, lex_get(ln, "text"));
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

	if (kbl_bare_words(L, ln, 1, "advice NAME text=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_check_id(L, ln, ln->tok[1].val, err) < 0 ||
	    kbl_need(L, ln, "text", &text, err) < 0 || kbl_line_prov(L, ln, &t.prov, err) < 0)
		return -1;
	old = kb_advice(kb, L->tag, ln->tok[1].val);
	if (old)
		return kbl_fail(L, ln, err, "duplicate advice %s (line %d)", old->name, old->prov.line);
	t.name = kbl_kdup(kb, ln->tok[1].val);
	t.text = kbl_kdup(kb, text);
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
		return kbl_fail(L, ln, err, "a limit line belongs in eps.conf");
	if (kbl_bare_words(L, ln, 0, "limit family=... count=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_need(L, ln, "family", &fam, err) < 0 ||
	    kbl_need(L, ln, "count", &cnt, err) < 0 || kbl_need(L, ln, "current", &cur, err) < 0 ||
	    kbl_need(L, ln, "current_kind", &kind, err) < 0 || kbl_need(L, ln, "power", &pow, err) < 0)
		return -1;
	if (!kb_family(kb, fam))
		return kbl_fail(L, ln, err, "unknown battery family '%s' (see batteries.conf)", fam);
	if (strcmp(cnt, "any") && kbl_parse_int(L, ln, "count", cnt, 1, 16, &l.count, err) < 0)
		return -1;
	if (strcmp(kind, "AC") && strcmp(kind, "DC"))
		return kbl_fail(L, ln, err, "current_kind=%s: say AC or DC", kind);
	if (kbl_parse_num(L, ln, "current", cur, 0.1, 1000, &l.current, err) < 0 ||
	    kbl_parse_num(L, ln, "power", pow, 1, 100000, &l.power, err) < 0 ||
	    kbl_line_prov(L, ln, &l.prov, err) < 0)
		return -1;
	for (size_t i = 0; i < kb->nlimits; i++)
		if (!strcmp(kb->limits[i].family, fam) && kb->limits[i].count == l.count)
			return kbl_fail(L, ln, err, "duplicate EPS limit for %s, count %s (line %d)", fam,
				    cnt, kb->limits[i].prov.line);
	l.family = kbl_kdup(kb, fam);
	l.current_kind = kbl_kdup(kb, kind);
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
		return kbl_fail(L, ln, err, "a consistent line belongs in parallel.conf");
	if (kbl_bare_words(L, ln, 1, "consistent NAME reason=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_need(L, ln, "reason", &reason, err) < 0)
		return -1;
	for (i = 0; i < KB_CONS__N && strcmp(consistent_names[i], ln->tok[1].val); i++)
		;
	if (i == KB_CONS__N)
		return kbl_fail(L, ln, err,
			    "unknown consistency '%s' (enable role address power country firmware battery)",
			    ln->tok[1].val);
	t = &L->kb->par.consistent[i];
	if (t->prov.line)
		return kbl_fail(L, ln, err, "duplicate consistent %s (line %d)", t->name, t->prov.line);
	t->name = consistent_names[i];
	t->text = kbl_kdup(L->kb, reason);
	return kbl_line_prov(L, ln, &t->prov, err);
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

int kbl_load_facts(struct kb *kb, const char *dir, const char *file, const char *tag,
		      struct zcs_err *err)
{
	static const struct kind kinds[] = { { "fact", do_fact }, { "advice", do_advice },
		{ "limit", do_limit }, { "consistent", do_consistent }, { NULL, NULL } };
	struct ld L;
	int rc = kbl_read_file(kb, dir, file, tag, kinds, &L, err);

	if (rc == 0)
		rc = facts_complete(&L, err);
	if (rc == 0 && !strcmp(tag, "parallel"))
		rc = parallel_complete(&L, err);
	lex_close(&L.lf);
	return rc;
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
