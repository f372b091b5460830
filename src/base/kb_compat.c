/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compat.conf: which models may share a bank, WeCo order and master rules. */
#include "base/kb_int.h"

/* ---- compat.conf ---------------------------------------------------------------- */

static int do_pair(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "verdict", "kit", "new_install", "reason", "conf",
		"src", NULL };
	struct kb *kb = L->kb;
	const struct kb_battery *a, *b;
	const char *v, *reason, *ni = lex_get(ln, "new_install"), *kit = lex_get(ln, "kit");
	struct kb_pair p = { 0 };

	if (kbl_bare_words(L, ln, 2, "pair MODEL MODEL verdict=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_model_ref(L, ln, ln->tok[1].val, &a, err) < 0 ||
	    kbl_model_ref(L, ln, ln->tok[2].val, &b, err) < 0 || kbl_need(L, ln, "verdict", &v, err) < 0 ||
	    kbl_need(L, ln, "reason", &reason, err) < 0 || kbl_line_prov(L, ln, &p.prov, err) < 0)
		return -1;
	if (a == b)
		return kbl_fail(L, ln, err, "a pair names two different models");
	if (strcmp(a->family, b->family))
		return kbl_fail(L, ln, err, "%s and %s are of different families: the families line already decides",
			    a->id, b->id);
	if (kb_pair(kb, a->id, b->id))
		return kbl_fail(L, ln, err, "duplicate pair %s %s (line %d)", a->id, b->id,
			    kb_pair(kb, a->id, b->id)->prov.line);
	if (!strcmp(v, "yes"))
		p.verdict = KB_COMPAT_YES;
	else if (!strcmp(v, "kit"))
		p.verdict = KB_COMPAT_KIT;
	else if (!strcmp(v, "no"))
		p.verdict = KB_COMPAT_NO;
	else
		return kbl_fail(L, ln, err, "verdict=%s: say yes, kit or no", v);
	if ((p.verdict == KB_COMPAT_KIT) != (kit != NULL))
		return kbl_fail(L, ln, err, "kit= goes with verdict=kit, and verdict=kit needs kit=");
	if (ni && strcmp(ni, "warn"))
		return kbl_fail(L, ln, err, "new_install=%s: the only value is warn", ni);
	p.a = a->id;
	p.b = b->id;
	p.kit = kit ? kbl_kdup(kb, kit) : NULL;
	p.new_install_warn = ni != NULL;
	p.reason = kbl_kdup(kb, reason);
	GROW(kb->pairs, kb->npairs);
	kb->pairs[kb->npairs++] = p;
	return 0;
}

static int two_models(struct ld *L, const struct lex_line *ln, const char *k1, const char *k2,
		      const struct kb_battery **a, const struct kb_battery **b, struct zcs_err *err)
{
	const char *v1, *v2;

	if (kbl_need(L, ln, k1, &v1, err) < 0 || kbl_need(L, ln, k2, &v2, err) < 0 ||
	    kbl_model_ref(L, ln, v1, a, err) < 0 || kbl_model_ref(L, ln, v2, b, err) < 0)
		return -1;
	if (*a == *b || strcmp((*a)->family, (*b)->family))
		return kbl_fail(L, ln, err, "%s= and %s= name two models of one family", k1, k2);
	return 0;
}

static int do_order(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "first", "then", "reason", "conf", "src", NULL };
	const struct kb_battery *a, *b;
	const char *reason;
	struct kb_order o;

	if (kbl_bare_words(L, ln, 0, "order first=MODEL then=MODEL", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || two_models(L, ln, "first", "then", &a, &b, err) < 0 ||
	    kbl_need(L, ln, "reason", &reason, err) < 0 || kbl_line_prov(L, ln, &o.prov, err) < 0)
		return -1;
	o.first = a->id;
	o.then = b->id;
	o.reason = kbl_kdup(L->kb, reason);
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

	if (kbl_bare_words(L, ln, 0, "master model=MODEL over=MODEL", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || two_models(L, ln, "model", "over", &a, &b, err) < 0 ||
	    kbl_need(L, ln, "reason", &reason, err) < 0 || kbl_line_prov(L, ln, &m.prov, err) < 0)
		return -1;
	m.model = a->id;
	m.over = b->id;
	m.reason = kbl_kdup(L->kb, reason);
	GROW(L->kb->masters, L->kb->nmasters);
	L->kb->masters[L->kb->nmasters++] = m;
	return 0;
}

static int do_families(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "verdict", "reason", "conf", "src", NULL };
	const char *v, *reason;

	if (kbl_bare_words(L, ln, 0, "families verdict=no reason=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_need(L, ln, "verdict", &v, err) < 0 ||
	    kbl_need(L, ln, "reason", &reason, err) < 0)
		return -1;
	if (strcmp(v, "no"))
		return kbl_fail(L, ln, err, "verdict=%s: families never mix, the verdict is no", v);
	if (L->kb->families_rule.prov.line)
		return kbl_fail(L, ln, err, "duplicate families line (line %d)",
			    L->kb->families_rule.prov.line);
	L->kb->families_rule.text = kbl_kdup(L->kb, reason);
	return kbl_line_prov(L, ln, &L->kb->families_rule.prov, err);
}

int kbl_load_compat(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "pair", do_pair }, { "order", do_order },
		{ "master", do_master }, { "families", do_families }, { NULL, NULL } };
	struct ld L;
	int rc = kbl_read_file(kb, dir, "compat.conf", "compat", kinds, &L, err);

	if (rc == 0 && !kb->families_rule.prov.line)
		rc = lex_fail(&L.lf, L.lf.lineno, err, "the families line is missing");
	lex_close(&L.lf);
	return rc;
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
