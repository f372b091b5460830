/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dip.conf: DIP switch settings per model, count and position; kb_dip(). */
#include "base/kb_int.h"

/* ---- dip.conf --------------------------------------------------------------- */

int kbl_model_ref(struct ld *L, const struct lex_line *ln, const char *id,
		     const struct kb_battery **out, struct zcs_err *err)
{
	*out = kbl_find_battery(L->kb, id);
	if (!*out)
		return kbl_fail(L, ln, err, "unknown battery model '%s' (see batteries.conf)", id);
	return 0;
}

static int parse_count_range(struct ld *L, const struct lex_line *ln, const struct kb_battery *b,
			     struct kb_dip *d, struct zcs_err *err)
{
	const char *v, *dash;
	char lo[16];

	if (kbl_need(L, ln, "count", &v, err) < 0)
		return -1;
	dash = strchr(v, '-');
	if (!dash) {
		if (kbl_parse_int(L, ln, "count", v, 1, b->max_count, &d->count_lo, err) < 0)
			return -1;
		d->count_hi = d->count_lo;
		return 0;
	}
	if ((size_t)(dash - v) >= sizeof lo)
		return kbl_fail(L, ln, err, "count=%s is not N or N-M", v);
	memcpy(lo, v, (size_t)(dash - v));
	lo[dash - v] = 0;
	if (kbl_parse_int(L, ln, "count", lo, 1, b->max_count, &d->count_lo, err) < 0 ||
	    kbl_parse_int(L, ln, "count", dash + 1, 1, b->max_count, &d->count_hi, err) < 0)
		return -1;
	if (d->count_lo > d->count_hi)
		return kbl_fail(L, ln, err, "count=%s runs backwards", v);
	return 0;
}

static int parse_position(struct ld *L, const struct lex_line *ln, struct kb_dip *d,
			  struct zcs_err *err)
{
	const char *v;
	long k;

	if (kbl_need(L, ln, "position", &v, err) < 0)
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
		return kbl_fail(L, ln, err,
			    "position=%s: say master, slaveK (K below the count), last or all", v);
	if (d->position == KB_DIP_LAST && d->count_lo < 2)
		return kbl_fail(L, ln, err, "position=last needs a count of at least 2");
	return 0;
}

static int parse_pattern(struct ld *L, const struct lex_line *ln, struct kb_dip *d,
			 struct zcs_err *err)
{
	const char *v, *on = lex_get(ln, "known_on");

	if (kbl_need(L, ln, "pattern", &v, err) < 0)
		return -1;
	if (strcmp(v, "unconfirmed")) {
		if (strspn(v, "01") != strlen(v) || strlen(v) > 16)
			return kbl_fail(L, ln, err,
				    "pattern=%s: write 0 and 1, switch 1 first (up to 16), or unconfirmed",
				    v);
		d->pattern = kbl_kdup(L->kb, v);
	}
	while (on && *on) {
		char *end;
		long k = strtol(on, &end, 10);

		if (end == on || k < 1 || k > 16 || (*end && *end != ','))
			return kbl_fail(L, ln, err, "known_on=%s: list switch numbers 1-16, e.g. 6 or 1,6",
				    lex_get(ln, "known_on"));
		if (d->pattern && ((size_t)k > strlen(d->pattern) || d->pattern[k - 1] != '1'))
			return kbl_fail(L, ln, err, "known_on=%ld disagrees with pattern=%s", k,
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

	if (kbl_bare_words(L, ln, 1, "dip MODEL count=... position=... pattern=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_model_ref(L, ln, ln->tok[1].val, &b, err) < 0)
		return -1;
	if (find_nodip(kb, b->id))
		return kbl_fail(L, ln, err, "%s has a nodip line: it cannot also have DIP settings", b->id);
	d.model = b->id;
	if (lex_get(ln, "mix")) {
		if (kbl_model_ref(L, ln, lex_get(ln, "mix"), &mix, err) < 0)
			return -1;
		if (mix == b || strcmp(mix->family, b->family))
			return kbl_fail(L, ln, err, "mix=%s: the other model must be another model of the same family",
				    mix->id);
		d.mix = mix->id;
	}
	if (parse_count_range(L, ln, b, &d, err) < 0 || parse_position(L, ln, &d, err) < 0 ||
	    parse_pattern(L, ln, &d, err) < 0 || kbl_line_prov(L, ln, &d.prov, err) < 0)
		return -1;
	d.figure = kbl_kdup(kb, lex_get(ln, "figure"));
	if (!d.pattern && !*d.figure)
		return kbl_fail(L, ln, err, "an unconfirmed pattern needs figure= (where the manual shows it)");
	for (size_t i = 0; i < kb->ndips; i++)
		if (dips_overlap(&kb->dips[i], &d))
			return kbl_fail(L, ln, err, "duplicate DIP entry: overlaps line %d",
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

	if (kbl_bare_words(L, ln, 1, "nodip MODEL reason=...", err) < 0 ||
	    kbl_check_keys(L, ln, keys, err) < 0 || kbl_model_ref(L, ln, ln->tok[1].val, &b, err) < 0 ||
	    kbl_need(L, ln, "reason", &reason, err) < 0 || kbl_line_prov(L, ln, &n.prov, err) < 0)
		return -1;
	if (find_nodip(kb, b->id))
		return kbl_fail(L, ln, err, "duplicate nodip line for %s", b->id);
	for (size_t i = 0; i < kb->ndips; i++)
		if (!strcmp(kb->dips[i].model, b->id))
			return kbl_fail(L, ln, err, "%s already has DIP settings (line %d)", b->id,
				    kb->dips[i].prov.line);
	n.model = b->id;
	n.reason = kbl_kdup(kb, reason);
	GROW(kb->nodips, kb->nnodips);
	kb->nodips[kb->nnodips++] = n;
	return 0;
}

int kbl_load_dip(struct kb *kb, const char *dir, struct zcs_err *err)
{
	static const struct kind kinds[] = { { "dip", do_dip }, { "nodip", do_nodip },
		{ NULL, NULL } };
	struct ld L;
	int rc = kbl_read_file(kb, dir, "dip.conf", "dip", kinds, &L, err);

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
