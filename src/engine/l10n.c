/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/l10n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"

/* Words the engine records in English (engine.c) and that are translated
 * where shown: listed here so that the catalogue has them. */
static const char *const recorded_words[] __attribute__((unused)) = {
	N_("nothing to check"), N_("(not given)"), N_("from the stored session"),
	N_("(no remedy given for this check)"), N_("yes"), N_("no"), N_("ok"), N_("FAIL"),
	N_("waiting"), N_("true"),
};

#define TMPL_MAX_EXPR 12

struct tmpl {
	char *src;                        /* the English text with {expr} (a copy) */
	char *lit[TMPL_MAX_EXPR + 1];     /* the literal parts around them */
	char *expr[TMPL_MAX_EXPR];
	int n;                            /* number of {expr} */
	size_t litlen;
	int weak;                         /* few letters outside {expr}: "{a} {b}" */
	int fmt;                          /* a printf format: %... are the values */
};

static struct tmpl *tmpls;
static size_t ntmpls, captmpls;

/* Literals of fewer than 8 letters ("{a} with {b}: {c}") match too much. */
static void set_weak(struct tmpl *t)
{
	int letters = 0;

	for (int k = 0; k <= t->n; k++)
		for (const char *c = t->lit[k]; *c; c++)
			letters += (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
	t->weak = letters < 8;
}

static void push(struct tmpl *t)
{
	if (ntmpls == captmpls) {
		captmpls = captmpls ? captmpls * 2 : 64;
		tmpls = xrealloc(tmpls, captmpls * sizeof *tmpls);
	}
	tmpls[ntmpls++] = *t;
}

static int by_literal_length(const void *a, const void *b);

/* The length of the conversion at p ("%5.2f"), 0 when p is no conversion. */
static size_t conv_len(const char *p)
{
	const char *q = p + 1;

	if (*p != '%' || *q == '%')
		return 0;
	q += strspn(q, "-+ #0'");
	q += strspn(q, "0123456789*");
	if (*q == '.') {
		q++;
		q += strspn(q, "0123456789*");
	}
	q += strspn(q, "hlLqjzt");
	return *q && strchr("diouxXeEfFgGaAcsp", *q) ? (size_t)(q - p + 1) : 0;
}

/* "%%" as "%": a format's literal text. */
static char *unpercent(const char *p, size_t n)
{
	char *o = xmalloc(n + 1), *w = o;

	for (size_t i = 0; i < n; i++) {
		*w++ = p[i];
		if (p[i] == '%' && i + 1 < n && p[i + 1] == '%')
			i++;
	}
	*w = 0;
	return o;
}

void l10n_format(const char *fmt)
{
	struct tmpl t = { 0 };
	const char *p = fmt, *start = fmt;

	if (!fmt || !strchr(fmt, ' '))
		return;
	for (size_t i = 0; i < ntmpls; i++)
		if (tmpls[i].fmt && !strcmp(tmpls[i].src, fmt))
			return;
	t.src = xstrdup(fmt);
	t.fmt = 1;
	for (; *p && t.n < TMPL_MAX_EXPR; p++) {
		size_t cl = conv_len(p);

		if (*p == '%' && p[1] == '%') {
			p++;
			continue;
		}
		if (!cl)
			continue;
		t.lit[t.n] = unpercent(start, (size_t)(p - start));
		t.expr[t.n] = xasprintf("%d", t.n);
		t.litlen += strlen(t.lit[t.n]);
		t.n++;
		p += cl - 1;
		start = p + 1;
	}
	t.lit[t.n] = unpercent(start, strlen(start));
	t.litlen += strlen(t.lit[t.n]);
	set_weak(&t);
	push(&t);
	qsort(tmpls, ntmpls, sizeof *tmpls, by_literal_length);
}

static void add_one(const char *text);

/* A text of several lines (a step's say statements, joined) is one
 * template a line, as the catalogue has them. */
static void add_tmpl(const char *text)
{
	const char *nl = text ? strchr(text, '\n') : NULL;

	if (!nl) {
		add_one(text);
		return;
	}
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xasprintf("%.*s", (int)n, p);

		add_one(line);
		free(line);
		p += n + (p[n] == '\n');
	}
}

static void add_one(const char *text)
{
	struct tmpl t = { 0 };
	const char *p = text;

	if (!text || !strchr(text, '{'))
		return;
	for (size_t i = 0; i < ntmpls; i++)
		if (!strcmp(tmpls[i].src, text))
			return;
	t.src = xstrdup(text);
	while (t.n < TMPL_MAX_EXPR) {
		const char *b = strchr(p, '{'), *e = b ? strchr(b, '}') : NULL;

		if (!b || !e)
			break;
		t.lit[t.n] = xasprintf("%.*s", (int)(b - p), p);
		t.expr[t.n] = xasprintf("%.*s", (int)(e - b - 1), b + 1);
		t.litlen += (size_t)(b - p);
		t.n++;
		p = e + 1;
	}
	t.lit[t.n] = xstrdup(p);
	t.litlen += strlen(p);
	set_weak(&t);
	push(&t);
}

static int by_literal_length(const void *a, const void *b)
{
	const struct tmpl *x = a, *y = b;

	return x->litlen < y->litlen ? 1 : x->litlen > y->litlen ? -1 : 0;
}

/* Every sentence of engine/rules.c (generated from its N_ marks). */
static const char *const rule_formats[] = {
#include "rules_formats.inc"
};

void l10n_use(const struct checklist *c)
{
	size_t kept = 0;

	for (size_t i = 0; i < ZCS_ARRAY_LEN(rule_formats); i++)
		l10n_format(rule_formats[i]);

	for (size_t i = 0; i < ntmpls; i++) {
		if (tmpls[i].fmt) {
			tmpls[kept++] = tmpls[i];
			continue;
		}
		for (int k = 0; k < tmpls[i].n; k++)
			free(tmpls[i].expr[k]);
		for (int k = 0; k <= tmpls[i].n; k++)
			free(tmpls[i].lit[k]);
		free(tmpls[i].src);
	}
	ntmpls = kept;
	for (size_t i = 0; c && i < c->nsteps; i++) {
		const struct chk_step *s = &c->steps[i];

		add_tmpl(s->title);
		add_tmpl(s->say);
		add_tmpl(s->confirm);
		add_tmpl(s->remedy);
		for (size_t k = 0; k < s->nactions; k++)
			add_tmpl(s->action_says[k]);
		for (size_t k = 0; k < s->ninputs; k++)
			add_tmpl(s->inputs[k].prompt);
		for (size_t k = 0; k < s->nexpects; k++) {
			add_tmpl(s->expects[k].label);
			add_tmpl(s->expects[k].remedy);
		}
		for (size_t k = 0; k < s->nrules; k++) {
			add_tmpl(s->rules[k].text);
			add_tmpl(s->rules[k].remedy);
		}
		for (size_t k = 0; k < s->nwrites; k++)
			add_tmpl(s->writes[k].say);
	}
	if (ntmpls)
		qsort(tmpls, ntmpls, sizeof *tmpls, by_literal_length);
}

static int english(void)
{
	return strcmp(i18n_lang(), "en") == 0;
}

/* Capture i starts at s and runs to literal i+1. */
static int match_from(const struct tmpl *t, int i, const char *s, const char **cap,
		      size_t *caplen)
{
	const char *lit = t->lit[i + 1];
	size_t ll = strlen(lit), sl = strlen(s);

	size_t least = t->fmt ? 0 : 1;

	if (i + 1 == t->n) {
		if (sl < ll + least || strcmp(s + sl - ll, lit))
			return 0;
		cap[i] = s;
		caplen[i] = sl - ll;
		return 1;
	}
	for (const char *p = s + least; p <= s + sl; p++) {
		if (ll && !(p = strstr(p, lit)))
			return 0;
		cap[i] = s;
		caplen[i] = (size_t)(p - s);
		if (match_from(t, i + 1, p + ll, cap, caplen))
			return 1;
	}
	return 0;
}

static char *try_text(const char *s);
static char *by_sentences(const char *s);

/* A value put into a sentence: a text of the catalogue (advice, a fact's
 * words) translated, a number in the language's form. */
static void put_value(char **out, size_t *len, size_t *cap, const char *v, size_t n)
{
	char *raw = xasprintf("%.*s", (int)n, v), buf[2048], *sub = NULL;
	const char *t = i18n_tr(raw);

	if (t == raw && ((sub = try_text(raw)) || (sub = by_sentences(raw))))
		t = sub;
	else if (t == raw)
		t = i18n_numbers(raw, buf, sizeof buf);
	size_t tl = strlen(t);
	if (*len + tl + 1 > *cap) {
		*cap = (*len + tl + 1) * 2;
		*out = xrealloc(*out, *cap);
	}
	memcpy(*out + *len, t, tl + 1);
	*len += tl;
	free(raw);
	free(sub);
}

static char *fill(const struct tmpl *t, const char *tr, const char **cap, const size_t *caplen)
{
	size_t cap_out = strlen(tr) + 256, len = 0;
	char *out = xmalloc(cap_out);

	out[0] = 0;
	int next = 0;
	for (const char *p = tr; *p;) {
		const char *e = !t->fmt && *p == '{' ? strchr(p, '}') : NULL;
		size_t cl = t->fmt ? conv_len(p) : 0;

		if (cl) {
			if (next < t->n)
				put_value(&out, &len, &cap_out, cap[next], caplen[next]);
			next++;
			p += cl;
			continue;
		}
		if (t->fmt && p[0] == '%' && p[1] == '%')
			p++;

		if (e) {
			int k = 0;
			while (k < t->n && (strlen(t->expr[k]) != (size_t)(e - p - 1) ||
					    strncmp(t->expr[k], p + 1, (size_t)(e - p - 1))))
				k++;
			if (k < t->n)
				put_value(&out, &len, &cap_out, cap[k], caplen[k]);
			else
				put_value(&out, &len, &cap_out, "?", 1);
			p = e + 1;
			continue;
		}
		if (len + 2 > cap_out)
			out = xrealloc(out, cap_out *= 2);
		out[len++] = *p++;
		out[len] = 0;
	}
	return out;
}

static int spans_sentences(const struct tmpl *m, const char **cap, const size_t *caplen)
{
	for (int k = 0; k < m->n; k++)
		for (size_t i = 0; i + 1 < caplen[k]; i++)
			if (cap[k][i] == '.' && cap[k][i + 1] == ' ')
				return 1;
	return 0;
}

static int all_known(const struct tmpl *m, const char **cap, const size_t *caplen, size_t whole)
{
	for (int k = 0; k < m->n; k++) {
		char *c = xasprintf("%.*s", (int)caplen[k], cap[k]), *sub = NULL;
		int known = i18n_tr(c) != c || (caplen[k] < whole &&
						 (sub = try_text(c)) != NULL), letters = 0;

		free(sub);
		for (const char *q = c; *q; q++)
			letters += (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z');
		known |= letters < 2;

		free(c);
		if (!known)
			return 0;
	}
	return 1;
}

static char *try_text(const char *s);

/* Sentences one by one ("A. B."), when the whole has no translation: the
 * longest leading run of sentences that has one, then the rest. */
static char *by_sentences(const char *s)
{
	size_t n = strlen(s), done = 0, cap = n * 2 + 64, len = 0;
	char *out = xmalloc(cap);
	int any = 0;

	out[0] = 0;
	while (done < n) {
		const char *p = s + done;
		size_t end = strlen(p), take = 0;
		char *t = NULL;

		/* candidate ends: after ". " (or "? ", ": ") and the end */
		for (size_t e = end; e > 0 && !t; e--) {
			if (e != end && !(p[e] == ' ' && strchr(".?!", p[e - 1])))
				continue;
			char *piece = xasprintf("%.*s", (int)e, p);
			t = try_text(piece);
			free(piece);
			take = e;
		}
		if (!t) {
			const char *q = strstr(p, ". ");
			take = q ? (size_t)(q - p + 1) : end;
			t = xasprintf("%.*s", (int)take, p);
		} else {
			any = 1;
		}
		size_t tl = strlen(t);
		if (len + tl + 2 > cap) {
			cap = (len + tl + 2) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, t, tl + 1);
		len += tl;
		free(t);
		done += take;
		while (s[done] == ' ') {
			out[len++] = ' ';
			out[len] = 0;
			done++;
		}
	}
	if (!any) {
		free(out);
		return NULL;
	}
	return out;
}

/* The translation of one rendered text, or NULL when none is known.  Its
 * values are translated in turn (a rule's words in a say): a few levels. */
static int depth;

static char *try_text_at(const char *s);

static char *try_text(const char *s)
{
	char *t;

	if (depth >= 3)
		return NULL;
	depth++;
	t = try_text_at(s);
	depth--;
	return t;
}

static char *try_text_at(const char *s)
{
	const char *t = i18n_tr(s);
	const char *cap[TMPL_MAX_EXPR];
	size_t caplen[TMPL_MAX_EXPR];

	if (!s || !*s)
		return NULL;
	if (t != s)
		return xstrdup(t);
	for (size_t i = 0; i < ntmpls; i++) {
		const struct tmpl *m = &tmpls[i];

		if (strncmp(s, m->lit[0], strlen(m->lit[0])) ||
		    !match_from(m, 0, s + strlen(m->lit[0]), cap, caplen))
			continue;
		/* "{a} {b}" matches any two words: only texts whose every part
		 * is a known text (advice put side by side) are taken for it */
		if (m->weak && !all_known(m, cap, caplen, strlen(s)))
			continue;
		/* a value of a sentence is no run of sentences */
		if (m->fmt && spans_sentences(m, cap, caplen))
			continue;
		t = i18n_tr(m->src);
		if (t == m->src) {
			/* the template has no translation, its values may */
			if (m->n == 1 && !*m->lit[0] && !*m->lit[1])
				return NULL;
		}
		return fill(m, t, cap, caplen);
	}
	return NULL;
}

char *l10n_text(const char *rendered)
{
	char *t;

	if (!rendered)
		return xstrdup("");
	if (english())
		return xstrdup(rendered);
	t = try_text(rendered);
	if (!t)
		t = by_sentences(rendered);
	return t ? t : xstrdup(rendered);
}

char *l10n_expected(const char *x)
{
	char buf[512], a[256];
	const char *p;

	if (!x)
		return xstrdup("");
	if (english())
		return xstrdup(x);
	if (!strncmp(x, "near ", 5) && (p = strstr(x, " (within "))) {
		const char *q = strchr(p, ')');
		char b[256];

		snprintf(a, sizeof a, "%.*s", (int)(p - x - 5), x + 5);
		snprintf(b, sizeof b, "%.*s", q ? (int)(q - p - 9) : 0, p + 9);
		snprintf(buf, sizeof buf, _("near %s (within %s)%s"), a, b, q ? q + 1 : "");
	} else if (!strncmp(x, "at least ", 9)) {
		snprintf(buf, sizeof buf, _("at least %s"), x + 9);
	} else if (!strncmp(x, "at most ", 8)) {
		snprintf(buf, sizeof buf, _("at most %s"), x + 8);
	} else if ((p = strstr(x, " to "))) {
		snprintf(a, sizeof a, "%.*s", (int)(p - x), x);
		snprintf(buf, sizeof buf, _("%s to %s"), a, p + 4);
	} else {
		char *t = l10n_text(x);
		snprintf(buf, sizeof buf, "%s", t);
		free(t);
	}
	return xstrdup(i18n_numbers(buf, a, sizeof a));
}

static const char *verdict_word(const char *w)
{
	return !strcmp(w, "ok") ? _("ok") : !strcmp(w, "FAIL") ? _("FAIL") : _("waiting");
}

/* "LABEL VALUE": the longest leading words with a translation are the
 * label, the rest the value. */
static char *label_value(const char *s)
{
	size_t n = strlen(s);
	char buf[1024], v[512];

	for (size_t end = n; end > 0; end--) {
		if (s[end] != ' ' && s[end] != 0)
			continue;
		char *lab = xasprintf("%.*s", (int)end, s), *t = try_text(lab);
		free(lab);
		if (t) {
			snprintf(buf, sizeof buf, "%s%s", t,
				 i18n_numbers(s + end, v, sizeof v));
			free(t);
			return xstrdup(buf);
		}
	}
	return xstrdup(i18n_numbers(s, buf, sizeof buf));
}

static char *line_tr(const char *s)
{
	char *t, *a, *b, *out;
	const char *p, *marks[] = { ": ok", ": FAIL", ": waiting" };
	const char *best = NULL, *word = NULL;
	char v[512];

	if (i18n_tr(s) != s)
		return xstrdup(i18n_tr(s));
	if (!strncmp(s, "unit ", 5) && (p = strstr(s, "): "))) {
		int u, sl;
		if (sscanf(s, "unit %d (slave %d): ", &u, &sl) == 2) {
			a = line_tr(p + 3);
			out = xasprintf(_("unit %d (slave %d): %s"), u, sl, a);
			free(a);
			return out;
		}
	}
	/* what a step waits for (engine.c) */
	if (!strcmp(s, "the offered settings to be written or declined"))
		return xstrdup(_("the offered settings to be written or declined"));
	if (!strncmp(s, "an answer: ", 11) && (p = strrchr(s, '(')) && p > s + 11) {
		a = xasprintf("%.*s", (int)(p - s - 12), s + 11);
		b = l10n_text(a);
		out = xasprintf(_("an answer: %s %s"), b, p);
		free(a);
		free(b);
		return out;
	}
	if (!strncmp(s, "the installer to: ", 18)) {
		a = l10n_text(s + 18);
		out = xasprintf(_("the installer to: %s"), a);
		free(a);
		return out;
	}
	if (!strncmp(s, "the installer's confirmation: ", 30)) {
		a = l10n_text(s + 30);
		out = xasprintf(_("the installer's confirmation: %s"), a);
		free(a);
		return out;
	}
	if (!strncmp(s, "done by the installer: ", 23)) {
		a = l10n_text(s + 23);
		out = xasprintf(_("done by the installer: %s"), a);
		free(a);
		return out;
	}
	if (!strncmp(s, "confirmed by ", 13) && (p = strstr(s + 13, ": "))) {
		a = xasprintf("%.*s", (int)(p - s - 13), s + 13);
		b = l10n_text(p + 2);
		out = xasprintf(_("confirmed by %s: %s"), a, b);
		free(a);
		free(b);
		return out;
	}
	if (!strncmp(s, "overridden by ", 14) && (p = strstr(s + 14, ": "))) {
		a = xasprintf("%.*s", (int)(p - s - 14), s + 14);
		out = xasprintf(_("overridden by %s: %s"), a, p + 2);
		free(a);
		return out;
	}
	for (size_t i = 0; i < ZCS_ARRAY_LEN(marks); i++) {
		size_t ml = strlen(marks[i]);
		for (p = strstr(s, marks[i]); p; p = strstr(p + 1, marks[i]))
			if ((p[ml] == 0 || p[ml] == ':') && (!best || p < best)) {
				best = p;
				word = marks[i] + 2;
				break;
			}
	}
	if (best) {
		char *head = xasprintf("%.*s", (int)(best - s), s);
		const char *why = best[strlen(word) + 2] ? best + strlen(word) + 4 : NULL;
		const char *exp = NULL;
		char *h;

		for (p = strstr(head, ", expected "); p; p = strstr(p + 1, ", expected "))
			exp = p;
		if (exp) {
			char *lv = xasprintf("%.*s", (int)(exp - head), head);
			char *l = label_value(lv), *x = l10n_expected(exp + 11);
			h = xasprintf(_("%s, expected %s"), l, x);
			free(lv);
			free(l);
			free(x);
		} else if (!(h = try_text(head)) && !(h = by_sentences(head)) &&
			   (p = strrchr(head, ':')) && p[1] == ' ') {
			char *lab = xasprintf("%.*s", (int)(p - head), head);
			char *l = l10n_text(lab);
			h = xasprintf("%s: %s", l, i18n_tr(i18n_value(p + 2, v, sizeof v)));
			free(lab);
			free(l);
		} else if (!h) {
			h = xstrdup(head);
		}
		out = xasprintf("%s: %s%s%s", h, verdict_word(word), why ? ": " : "",
				why ? i18n_tr(why) : "");
		free(h);
		free(head);
		return out;
	}
	/* "PROMPT: ANSWER UNIT" of a recorded answer */
	if ((p = strstr(s, ": "))) {
		char *lab = xasprintf("%.*s", (int)(p - s), s);
		char *l = try_text(lab);
		free(lab);
		if (l) {
			out = xasprintf("%s: %s", l, i18n_tr(i18n_value(p + 2, v, sizeof v)));
			free(l);
			return out;
		}
	}
	if ((t = try_text(s)) || (t = by_sentences(s)))
		return t;
	return xstrdup(s);
}

char *l10n_detail(const char *detail)
{
	size_t cap = 256, len = 0;
	char *out;

	if (!detail)
		return xstrdup("");
	if (english())
		return xstrdup(detail);
	out = xmalloc(cap);
	out[0] = 0;
	for (const char *s = detail; *s;) {
		size_t n = strcspn(s, "\n");
		char *line = xasprintf("%.*s", (int)n, s), *t = line_tr(line);
		size_t tl = strlen(t);

		if (len + tl + 2 > cap) {
			cap = (len + tl + 2) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, t, tl);
		len += tl;
		if (s[n])
			out[len++] = '\n';
		out[len] = 0;
		free(line);
		free(t);
		s += n + (s[n] == '\n');
	}
	return out;
}
