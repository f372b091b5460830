/* SPDX-License-Identifier: GPL-3.0-or-later */
/* countries.conf: standards, defaults and G3 country/region pairs. */
#include "base/kb_int.h"

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

	if (kbl_bare_words(L, ln, 1, "country ID key=value ...", err) < 0 ||
	    kbl_check_id(L, ln, ln->tok[1].val, err) < 0)
		return -1;
	for (size_t i = 0; i < kb->ncountries; i++)
		if (!strcmp(kb->countries[i].id, ln->tok[1].val))
			c = &kb->countries[i];
	if (lex_get(ln, "name")) {
		if (c)
			return kbl_fail(L, ln, err, "duplicate country id '%s' (declared at line %d)",
				    c->id, c->line);
		GROW(kb->countries, kb->ncountries);
		c = &kb->countries[kb->ncountries++];
		memset(c, 0, sizeof *c);
		c->id = kbl_kdup(kb, ln->tok[1].val);
		c->line = ln->lineno;
	} else if (!c) {
		return kbl_fail(L, ln, err, "country '%s' is not declared: its first line gives name=",
			    ln->tok[1].val);
	}
	r = country_record(c);
	if (kbl_fill_record(L, ln, &r, err) < 0)
		return -1;
	if (lex_get(ln, "code_g3") && c->code_g3 && kb_country_word(c->code_g3) < 0)
		return kbl_fail(L, ln, err, "code_g3=%s: give the country-region pair as the display "
			    "shows it (Italy 001-000), or unknown", c->code_g3);
	return 0;
}

static int do_other(struct ld *L, const struct lex_line *ln, struct zcs_err *err)
{
	static const char *const keys[] = { "text", "conf", "src", NULL };
	const char *text;

	if (kbl_bare_words(L, ln, 0, "other text=...", err) < 0 || kbl_check_keys(L, ln, keys, err) < 0 ||
	    kbl_need(L, ln, "text", &text, err) < 0)
		return -1;
	if (L->kb->other.prov.line)
		return kbl_fail(L, ln, err, "duplicate other line (line %d)", L->kb->other.prov.line);
	L->kb->other.text = kbl_kdup(L->kb, text);
	return kbl_line_prov(L, ln, &L->kb->other.prov, err);
}

int kbl_load_countries(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "country", do_country }, { "other", do_other },
		{ NULL, NULL } };
	struct ld L;
	int rc = kbl_read_file(kb, dir, "countries.conf", "countries", kinds, &L, err), ndef = 0;

	for (size_t i = 0; rc == 0 && i < kb->ncountries; i++) {
		struct record r = country_record(&kb->countries[i]);

		rc = kbl_check_required(&L, kb->countries[i].line, &r, err);
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
