/* SPDX-License-Identifier: GPL-3.0-or-later */
/* records_export: one session as text, HTML (the customer's printable copy,
 * self-contained), JSON or CSV (one row per step, its current verdict).
 * Every string from the database is escaped for the format; bytes that are
 * not UTF-8 become U+FFFD. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/termtext.h"
#include "base/json.h"
#include "base/util.h"
#include "base/i18n.h"
#include "engine/l10n.h"
#include "records/records_int.h"

int records_format_parse(const char *name)
{
	static const char *const names[] = { "text", "html", "json", "csv", "qa-html",
					     "training-html" };

	for (int i = 0; name && i < (int)ZCS_ARRAY_LEN(names); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
	      : (s[0] & 0xF8) == 0xF0 ? 4 : 0;

	if (n == 2 && s[0] < 0xC2)
		return 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

static void put_html_br(FILE *f, const char *s, int br)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
		int n = utf8_len(p);

		if (n == 0) {
			fputs("&#xFFFD;", f);
			p++;
			continue;
		}
		switch (*p) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\n': fputs(br ? "<br>" : " ", f); break;
		default:
			if (*p < 0x20 && *p != '\n' && *p != '\t')
				fputc(' ', f);
			else
				fwrite(p, 1, (size_t)n, f);
		}
		p += n;
	}
}

static void put_html(FILE *f, const char *s)
{
	put_html_br(f, s, 0);
}

/* RFC 4180: quoted, quotes doubled; a leading = + - @ is prefixed with '
 * so that a spreadsheet does not run it as a formula. */
static void put_csv(FILE *f, const char *s)
{
	s = s ? s : "";
	fputc('"', f);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		fputc('\'', f);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = utf8_len(p);

		if (n == 0) {
			fputs("\xEF\xBF\xBD", f);
			p++;
			continue;
		}
		if (*p == '"')
			fputc('"', f);
		fwrite(p, 1, (size_t)n, f);
		p += n;
	}
	fputc('"', f);
}

static const char *iso(int64_t ms, char *buf, size_t n)
{
	if (ms <= 0)
		return "";
	return zcs_iso_time(ms, buf, n);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* "230.1 V" or "Grid (1)"; buf >= 96. */
static const char *sample_value(const struct records_sample *x, char *buf, size_t n)
{
	if (x->text && *x->text)
		snprintf(buf, n, "%s", x->text);
	else if (!x->has_value)
		snprintf(buf, n, "(no value)");
	else
		snprintf(buf, n, "%.6g%s%s", x->value, x->unit && *x->unit ? " " : "",
			 x->unit ? x->unit : "");
	return buf;
}

/* A reading as a person reads it: words translated, the number in the
 * language's form (the machine formats keep sample_value). */
static const char *customer_value(const struct records_sample *x, char *buf, size_t n)
{
	char raw[160];

	if (x->text && *x->text) {
		snprintf(buf, n, "%s", i18n_tr(x->text));
		return buf;
	}
	if (!x->has_value) {
		snprintf(buf, n, "%s", _("(no value)"));
		return buf;
	}
	return i18n_value(sample_value(x, raw, sizeof raw), buf, n);
}

static char *raw_words(const struct records_sample *x)
{
	char *s = xmalloc((size_t)x->nraw * 7 + 1), *o = s;

	*o = '\0';
	for (unsigned i = 0; i < x->nraw; i++)
		o += sprintf(o, "%s%04X", i ? " " : "", x->raw[i]);
	return s;
}

/* ---- grouping the evidence: the unit's batteries, meters, settings ---- */

enum group { G_BATTERY, G_METER, G_SETTING, G_OTHER };

static int starts(const char *s, const char *const *prefixes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* Which part of the customer's page a reading or an answer belongs to,
 * by its register-map name or its checklist key. */
static enum group group_of(const char *name)
{
	static const char *const meter[] = { "grid_", "pcc_", "ext_pv", "meter", "ct_",
					     "e_import", "e_export", "grid.", "sign." };
	static const char *const setting[] = { "country", "modbus_address", "rtc_", "safety",
					       "pv_input_mode", "working_mode", "eps_control",
					       "antireflux", "first.", "inverter.", "site.", "st.",
					       "rated_power", "logic_interface", "iv_scan", "selftest",
					       "fw_", "hw_version", "serial" };

	if (!name)
		return G_OTHER;
	if (strncmp(name, "bat", 3) == 0 || strncmp(name, "bms_", 4) == 0 || strstr(name, "battery"))
		return G_BATTERY;
	if (starts(name, setting, ZCS_ARRAY_LEN(setting)) || strstr(name, "_control") ||
	    strstr(name, "_mode"))
		return G_SETTING;
	if (starts(name, meter, ZCS_ARRAY_LEN(meter)) || strstr(name, "meter"))
		return G_METER;
	return G_OTHER;
}

/* The latest reading of each name in the steps' current verdicts, of group g. */
static size_t latest(const struct records_session *s, enum group g,
		     const struct records_sample **out, size_t max)
{
	size_t n = 0;

	for (size_t i = s->nsteps; i-- > 0;) {
		if (!s->steps[i].current)
			continue;
		for (size_t k = s->steps[i].nsamples; k-- > 0;) {
			const struct records_sample *x = &s->steps[i].samples[k];
			size_t j;

			if (group_of(x->name) != g)
				continue;
			for (j = 0; j < n && strcmp(out[j]->name, x->name); j++)
				;
			if (j == n && n < max)
				out[n++] = x;
		}
	}
	return n;
}

/* The installer's answers about group g (keys naming it). */
static int input_in_group(const char *key, enum group g)
{
	return key && group_of(key) == g;
}

/* ---- text ---- */

/* Each line of s after `indent`. */
static void put_indented(FILE *f, const char *indent, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "%s%.*s\n", indent, (int)n, s);
		s += n + (s[n] == '\n');
	}
}

static void text_step(FILE *f, const struct records_step *p)
{
	char t[40];

	/* the record's English, in the language shown (engine/l10n.h) */
	char *title = l10n_text(p->title), *detail = l10n_detail(p->detail);
	char *remedy = l10n_detail(p->remedy);

	fprintf(f, "  [%-7s] %-8s %s  %s\n", records_status_word(p->status), or_dash(p->section),
		or_dash(p->step_id), title);
	fprintf(f, "            %s%s\n", iso(p->ended_ms, t, sizeof t),
		p->current ? "" : _("  (superseded by a later check)"));
	if (*detail)
		put_indented(f, "            ", detail);
	if (p->status == ENG_FAILED && *remedy)
		fprintf(f, _("            remedy: %s\n"), remedy);
	free(title);
	free(detail);
	free(remedy);
	if (p->reason && *p->reason)
		fprintf(f, _("            reason: %s\n"), p->reason);
	if (p->override_by && *p->override_by)
		fprintf(f, _("            overridden by: %s\n"), p->override_by);
	for (size_t k = 0; k < p->ninputs; k++)
		fprintf(f, "            answer %s = %s\n", p->inputs[k].key,
			p->inputs[k].value ? p->inputs[k].value : "");
	for (size_t k = 0; k < p->nsamples; k++) {
		const struct records_sample *x = &p->samples[k];
		char v[96], *raw = raw_words(x);

		fprintf(f, "            evidence %s = %s  [%s] slave %d at %s\n", x->name,
			sample_value(x, v, sizeof v), raw, x->slave, iso(x->wall_ms, t, sizeof t));
		free(raw);
	}
}

static void text_head(FILE *f, const struct records_session *s)
{
	char a[40], b[40];

	fprintf(f, _("Commissioning record, session %lld%s\n"), s->sum.id,
		s->sum.training ? _(" (TRAINING on the simulator)") : "");
	fprintf(f, _("  installer   %s\n  site        %s\n  customer    %s\n"),
		or_dash(s->sum.installer), or_dash(s->sum.site), or_dash(s->sum.customer));
	fprintf(f, _("  unit        serial %s, %s, family %s, layout %s\n"), or_dash(s->sum.serial),
		or_dash(s->sum.model), or_dash(s->family), or_dash(s->layout));
	fprintf(f, _("  firmware    COM %s, master %s, slave %s\n"), or_dash(s->fw_com),
		or_dash(s->fw_master), or_dash(s->fw_slave));
	fprintf(f, _("  link        %s\n"), or_dash(s->link));
	fprintf(f, _("  checklist   %s (sha256 %s)\n"), or_dash(s->checklist_version),
		or_dash(s->checklist_hash));
	fprintf(f, _("  started     %s\n  ended       %s\n"), iso(s->sum.started_ms, a, sizeof a),
		s->sum.ended_ms ? iso(s->sum.ended_ms, b, sizeof b) : _("not finished"));
	fprintf(f, _("  verdict     %s: %d steps, %d passed, %d failed, %d skipped, %d n/a\n"),
		i18n_tr(s->sum.verdict), s->sum.nsteps, s->sum.npassed, s->sum.nfailed,
		s->sum.nskipped, s->sum.nna);
	if (s->sum.state == RECORDS_UNFINISHED)
		fprintf(f, "  stopped at  %s (zcs-commission resume %lld)\n",
			or_dash(s->sum.current_step), s->sum.id);
}

static void text_tail(FILE *f, const struct records_session *s,
		      const struct records_verify *v)
{
	char t[40];

	if (s->nwrites)
		fprintf(f, _("\nSettings written\n"));
	for (size_t i = 0; i < s->nwrites; i++) {
		const struct records_write *w = &s->writes[i];

		fprintf(f, "  %s (0x%04X, slave %d): %g -> %g, read back %g %s; confirmed by %s"
			" at %s\n", w->reg, w->addr, w->slave, w->before, w->written, w->readback,
			w->ok ? "(ok)" : "(MISMATCH)", or_dash(w->confirmed_by),
			iso(w->wall_ms, t, sizeof t));
	}
	if (s->nevents)
		fprintf(f, _("\nEvents\n"));
	for (size_t i = 0; i < s->nevents; i++)
		fprintf(f, "  %s  %s: %s\n", iso(s->events[i].wall_ms, t, sizeof t),
			s->events[i].kind, or_dash(s->events[i].detail));
	fprintf(f, _("\nReview\n"));
	if (!s->nreviews)
		fprintf(f, _("  not reviewed yet\n"));
	for (size_t i = 0; i < s->nreviews; i++)
		fprintf(f, "  %s by %s at %s%s%s\n", s->reviews[i].approved ? "APPROVED" : "REJECTED",
			s->reviews[i].reviewer, iso(s->reviews[i].wall_ms, t, sizeof t),
			s->reviews[i].comment ? ": " : "",
			s->reviews[i].comment ? s->reviews[i].comment : "");
	fprintf(f, "\nIntegrity\n  %s\n  seal (last hash) %s\n", v->message, v->head);
	if (v->chain >= 2) {
		fprintf(f, "  signer      %s (key %s)%s\n", or_dash(v->fingerprint), or_dash(v->signer),
			v->trusted ? "" : "  NOT A TRUSTED KEY");
		fprintf(f, "  signature   record %lld: %s\n", v->sig_seq, or_dash(v->sig));
	} else {
		fprintf(f, "  signer      none: recorded before sessions were signed\n");
	}
}

static void export_text(FILE *f, const struct records_session *s,
			const struct records_verify *v)
{
	text_head(f, s);
	fprintf(f, "\nSteps\n");
	for (size_t i = 0; i < s->nsteps; i++)
		text_step(f, &s->steps[i]);
	text_tail(f, s, v);
}

/* ---- HTML ---- */

static const char html_style[] =
	"body{font-family:sans-serif;font-size:11pt;margin:1.5em;color:#000;background:#fff}"
	"h1{font-size:16pt;margin:0 0 .3em}h2{font-size:13pt;border-bottom:1px solid #444;"
	"margin:1.2em 0 .4em}table{border-collapse:collapse;width:100%;margin-bottom:.6em}"
	"th,td{border:1px solid #999;padding:3px 5px;text-align:left;vertical-align:top}"
	"th{background:#eee}td.num{text-align:right;white-space:nowrap}"
	".passed{color:#060;font-weight:bold}.failed{color:#a00;font-weight:bold}"
	".skipped,.na{color:#850;font-weight:bold}.small{font-size:9pt;color:#333}"
	".training{border:2px solid #a00;padding:4px;color:#a00;font-weight:bold}"
	"code{font-family:monospace;font-size:9pt;word-break:break-all}"
	"tr{page-break-inside:avoid}.summary th{width:30%}"
	"@page{size:A4 portrait;margin:15mm 12mm}"
	"@media print{body{margin:0;font-size:10pt}h2{page-break-after:avoid}"
	"table{page-break-inside:auto}}";

static const char *status_class(enum eng_status st)
{
	return st == ENG_PASSED ? "passed" : st == ENG_FAILED ? "failed"
	     : st == ENG_SKIPPED ? "skipped" : st == ENG_NA ? "na" : "other";
}

static void html_row2(FILE *f, const char *k, const char *v)
{
	fprintf(f, "<tr><th>");
	put_html(f, k);
	fprintf(f, "</th><td>");
	put_html(f, or_dash(v));
	fprintf(f, "</td></tr>\n");
}

static void html_samples(FILE *f, const struct records_sample *const *x, size_t n)
{
	char v[96], t[40];

	fprintf(f, "<table><tr><th>reading</th><th>value</th><th>raw words</th><th>slave</th>"
		"<th>time</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		char *raw = raw_words(x[i]);

		fprintf(f, "<tr><td>");
		put_html(f, x[i]->name);
		fprintf(f, "</td><td class=\"num\">");
		put_html(f, sample_value(x[i], v, sizeof v));
		fprintf(f, "</td><td><code>%s</code></td><td class=\"num\">%d</td><td>%s</td></tr>\n",
			raw, x[i]->slave, iso(x[i]->wall_ms, t, sizeof t));
		free(raw);
	}
	fprintf(f, "</table>\n");
}

/* The installer's latest answers about group g, one per key. */
static size_t group_inputs(const struct records_session *s, enum group g,
			   const struct records_kv **out, size_t max)
{
	size_t n = 0;

	for (size_t i = s->nsteps; i-- > 0;)
		for (size_t k = 0; s->steps[i].current && k < s->steps[i].ninputs; k++) {
			const struct records_kv *kv = &s->steps[i].inputs[k];
			size_t j;

			if (!input_in_group(kv->key, g))
				continue;
			for (j = 0; j < n && strcmp(out[j]->key, kv->key); j++)
				;
			if (j == n && n < max)
				out[n++] = kv;
		}
	return n;
}

static void html_group(FILE *f, const struct records_session *s, enum group g,
		       const char *title)
{
	const struct records_sample *x[256];
	const struct records_kv *in[128];
	size_t n = latest(s, g, x, ZCS_ARRAY_LEN(x));
	size_t nin = group_inputs(s, g, in, ZCS_ARRAY_LEN(in));

	fprintf(f, "<h2>%s</h2>\n", title);
	if (!n && !nin) {
		fprintf(f, "<p class=\"small\">Nothing was recorded about them.</p>\n");
		return;
	}
	if (nin) {
		fprintf(f, "<table>\n");
		for (size_t i = nin; i-- > 0;)
			html_row2(f, in[i]->key, in[i]->value);
		fprintf(f, "</table>\n");
	}
	for (size_t i = 0; i < n / 2; i++) {      /* in the order they were checked */
		const struct records_sample *t = x[i];

		x[i] = x[n - 1 - i];
		x[n - 1 - i] = t;
	}
	if (n)
		html_samples(f, x, n);
}

/* One line per reading: its last value and words, and over the window how
 * many samples, lowest and highest. */
static void html_evidence(FILE *f, const struct records_step *p)
{
	for (size_t k = 0; k < p->nsamples; k++) {
		const struct records_sample *x = &p->samples[k], *last = x;
		double lo = x->value, hi = x->value;
		int n = 0, seen = 0;
		char v[96], *raw;

		for (size_t j = 0; j < p->nsamples; j++) {
			if (strcmp(p->samples[j].name, x->name))
				continue;
			seen |= j < k;
			n++;
			last = &p->samples[j];
			lo = p->samples[j].value < lo ? p->samples[j].value : lo;
			hi = p->samples[j].value > hi ? p->samples[j].value : hi;
		}
		if (seen)
			continue;
		raw = raw_words(last);
		fprintf(f, "%s", k ? "<br>" : "");
		put_html(f, x->name);
		fprintf(f, " = ");
		put_html(f, sample_value(last, v, sizeof v));
		fprintf(f, " <code>%s</code>", raw);
		if (n > 1 && (!last->text || !*last->text) && last->has_value) {
			fprintf(f, " <span class=\"small\">(%d readings, %.6g to %.6g)</span>", n,
				lo, hi);
		} else if (n > 1) {
			fprintf(f, " <span class=\"small\">(%d readings)</span>", n);
		}
		free(raw);
	}
}

static void html_step(FILE *f, const struct records_step *p)
{
	char t[40];

	fprintf(f, "<tr><td>");
	put_html(f, or_dash(p->section));
	fprintf(f, "</td><td><b>");
	put_html(f, p->title ? p->title : p->step_id);
	fprintf(f, "</b><br><span class=\"small\">");
	put_html(f, p->step_id);
	fprintf(f, " &middot; %s%s</span>", iso(p->ended_ms, t, sizeof t),
		p->current ? "" : " &middot; superseded by a later check");
	if (p->detail && *p->detail) {
		fprintf(f, "<br>");
		put_html_br(f, p->detail, 1);
	}
	if (p->status == ENG_FAILED && p->remedy && *p->remedy) {
		fprintf(f, "<br><i>Remedy:</i> ");
		put_html(f, p->remedy);
	}
	if (p->reason && *p->reason) {
		fprintf(f, "<br><i>Reason:</i> ");
		put_html(f, p->reason);
	}
	if (p->override_by && *p->override_by) {
		fprintf(f, "<br><i>Overridden by:</i> ");
		put_html(f, p->override_by);
	}
	for (size_t k = 0; k < p->ninputs; k++) {
		fprintf(f, "<br><span class=\"small\">answer ");
		put_html(f, p->inputs[k].key);
		fprintf(f, " = ");
		put_html(f, p->inputs[k].value);
		fprintf(f, "</span>");
	}
	fprintf(f, "</td><td class=\"%s\">%s</td><td>", status_class(p->status),
		records_status_word(p->status));
	html_evidence(f, p);
	fprintf(f, "</td></tr>\n");
}

static void html_writes(FILE *f, const struct records_session *s)
{
	char t[40];

	fprintf(f, "<h2>Settings written</h2>\n");
	if (!s->nwrites) {
		fprintf(f, "<p class=\"small\">No setting was written to the unit.</p>\n");
		return;
	}
	fprintf(f, "<table><tr><th>setting</th><th>before</th><th>written</th><th>read back</th>"
		"<th>confirmed by</th><th>time</th></tr>\n");
	for (size_t i = 0; i < s->nwrites; i++) {
		const struct records_write *w = &s->writes[i];

		fprintf(f, "<tr><td>");
		put_html(f, w->reg);
		fprintf(f, " <span class=\"small\">0x%04X, slave %d</span></td><td class=\"num\">%g"
			"</td><td class=\"num\">%g</td><td class=\"num %s\">%g%s</td><td>", w->addr,
			w->slave, w->before, w->written, w->ok ? "passed" : "failed", w->readback,
			w->ok ? "" : " (mismatch)");
		put_html(f, or_dash(w->confirmed_by));
		fprintf(f, "</td><td>%s</td></tr>\n", iso(w->wall_ms, t, sizeof t));
	}
	fprintf(f, "</table>\n");
}

static void html_review(FILE *f, const struct records_session *s,
			const struct records_verify *v)
{
	char t[40];

	fprintf(f, "<h2>Events</h2>\n");
	if (!s->nevents)
		fprintf(f, "<p class=\"small\">None.</p>\n");
	for (size_t i = 0; i < s->nevents; i++) {
		fprintf(f, "<div class=\"small\">%s ", iso(s->events[i].wall_ms, t, sizeof t));
		put_html(f, s->events[i].kind);
		fprintf(f, ": ");
		put_html(f, or_dash(s->events[i].detail));
		fprintf(f, "</div>\n");
	}
	fprintf(f, "<h2>Quality review</h2>\n");
	if (!s->nreviews)
		fprintf(f, "<p>Not reviewed yet.</p>\n");
	for (size_t i = 0; i < s->nreviews; i++) {
		const struct records_review *r = &s->reviews[i];

		fprintf(f, "<p><span class=\"%s\">%s</span> by ", r->approved ? "passed" : "failed",
			r->approved ? "Approved" : "Rejected");
		put_html(f, r->reviewer);
		fprintf(f, " on %s", iso(r->wall_ms, t, sizeof t));
		if (r->comment) {
			fprintf(f, ": ");
			put_html(f, r->comment);
		}
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<h2>Integrity</h2>\n<p class=\"%s\">", v->problem ? "failed" : "passed");
	put_html(f, v->message);
	fprintf(f, "</p>\n<p class=\"small\">Seal (the chain's last SHA-256): <code>%s</code>. "
		"Keep this page: a later change to the stored record no longer matches this seal."
		"</p>\n", v->head);
	if (v->chain >= 2)
		fprintf(f, "<p class=\"small\">Signed by %s%s, key <code>%s</code>; signature of "
			"record %lld: <code>%s</code>.</p>\n", v->fingerprint,
			v->trusted ? "" : " (<b>not a trusted key</b>)", v->signer, v->sig_seq,
			*v->sig ? v->sig : "-");
	else
		fprintf(f, "<p class=\"small\">Not signed: recorded before sessions were signed."
			"</p>\n");
}

static void html_unit(FILE *f, const struct records_session *s)
{
	char a[40], b[40];

	fprintf(f, "<h2>Unit and installation</h2>\n<table>\n");
	html_row2(f, "Serial number", s->sum.serial);
	html_row2(f, "Model", s->sum.model);
	fprintf(f, "<tr><th>Family, register layout</th><td>");
	put_html(f, or_dash(s->family));
	fprintf(f, ", ");
	put_html(f, or_dash(s->layout));
	fprintf(f, "</td></tr>\n");
	fprintf(f, "<tr><th>Firmware</th><td>COM ");
	put_html(f, or_dash(s->fw_com));
	fprintf(f, ", master ");
	put_html(f, or_dash(s->fw_master));
	fprintf(f, ", slave ");
	put_html(f, or_dash(s->fw_slave));
	fprintf(f, "</td></tr>\n");
	html_row2(f, "Installer", s->sum.installer);
	html_row2(f, "Site", s->sum.site);
	html_row2(f, "Customer", s->sum.customer);
	html_row2(f, "Link", s->link);
	html_row2(f, "Checklist", s->checklist_version);
	html_row2(f, "Checklist SHA-256", s->checklist_hash);
	html_row2(f, "Started", iso(s->sum.started_ms, a, sizeof a));
	html_row2(f, "Ended", s->sum.ended_ms ? iso(s->sum.ended_ms, b, sizeof b)
					      : "not finished");
	fprintf(f, "</table>\n");
}

static void export_html(FILE *f, const struct records_session *s,
			const struct records_verify *v)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<title>Commissioning record %lld</title>\n<style>%s</style></head><body>\n",
		s->sum.id, html_style);
	fprintf(f, "<h1>Commissioning record %lld: <span class=\"%s\">%s</span></h1>\n",
		s->sum.id, s->sum.verdict[0] == 'p' ? "passed" : "failed", s->sum.verdict);
	fprintf(f, "<p class=\"small\">%d steps: %d passed, %d failed, %d skipped, %d not "
		"applicable.</p>\n", s->sum.nsteps, s->sum.npassed, s->sum.nfailed,
		s->sum.nskipped, s->sum.nna);
	if (s->sum.training)
		fprintf(f, "<p class=\"training\">TRAINING: recorded against the simulator, not a "
			"real unit.</p>\n");
	html_unit(f, s);
	html_group(f, s, G_BATTERY, "Batteries");
	html_group(f, s, G_METER, "Meters");
	html_group(f, s, G_SETTING, "Settings");
	html_writes(f, s);
	fprintf(f, "<h2>Steps</h2>\n<table><tr><th>section</th><th>step</th><th>verdict</th>"
		"<th>evidence</th></tr>\n");
	for (size_t i = 0; i < s->nsteps; i++)
		html_step(f, &s->steps[i]);
	fprintf(f, "</table>\n");
	html_review(f, s, v);
	fprintf(f, "</body></html>\n");
}


/* ---- HTML: the customer's copy, in the installer's words ---- */

/* A name made readable when no words are known: "battery.count" ->
 * "Battery count". */
static const char *readable(const char *name, char *buf, size_t n)
{
	size_t i = 0;

	for (const char *p = name ? name : ""; *p && i + 1 < n; p++)
		buf[i++] = *p == '_' || *p == '.' || *p == '-' ? ' ' : *p;
	buf[i] = 0;
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 32);
	return buf;
}

static const char *words_of(const struct records_words *w, const char *name, char *buf,
			    size_t n)
{
	const char *l = w && w->label ? w->label(w->ctx, name) : NULL;

	return i18n_tr(l && *l ? l : readable(name, buf, n));
}

/* The parts of the procedure as readable() names them (the checklist files). */
static const char *const part_words[] __attribute__((unused)) = {
	N_("Session"), N_("Before powerup"), N_("Batteries"), N_("Power up"),
	N_("Battery settings"), N_("Grid"), N_("Power sign"), N_("First config"),
	N_("Operation"), N_("Inverter settings"), N_("Zero feed in"), N_("Eps"), N_("Parallel"),
	N_("Self test"),
};

static const char *part_of(const struct records_words *w, const char *step_id, char *buf,
			   size_t n)
{
	const char *p = w && w->part ? w->part(w->ctx, step_id) : NULL;
	char id[64];

	if (p && *p)
		return readable(p, buf, n);
	zcs_strlcpy(id, step_id ? step_id : "", sizeof id);
	id[strcspn(id, ".")] = 0;
	return readable(id, buf, n);
}

/* 1 when a line of a verdict's detail shows the checklist's inside: a
 * rule's expression, a function call, a key or a register name. */
static int internal_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i], d = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		int dalpha = (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z');

		if ((alpha && d == '(') || (c == '=' && d == '=') || (c == '!' && d == '=') ||
		    (c == '&' && d == '&') || (c == '|' && d == '|') || c == '{' || c == '}' ||
		    c == '\'' || (alpha && (d == '_' || d == '.') && i + 2 < n &&
				  ((s[i + 2] >= 'a' && s[i + 2] <= 'z') || s[i + 2] == '_')) ||
		    (c == '_' && dalpha))
			return 1;
	}
	return 0;
}

/* The lines of a detail a customer can read. */
static void put_plain_lines(FILE *f, const char *s)
{
	int first = 1;

	while (s && *s) {
		size_t n = strcspn(s, "\n");

		if (n && !internal_text(s, n)) {
			char *line = xasprintf("%.*s", (int)n, s), *t = l10n_detail(line);

			fputs(first ? "" : "<br>", f);
			put_html(f, t);
			free(t);
			free(line);
			first = 0;
		}
		s += n + (s[n] == '\n');
	}
}

static const char *verdict_words(enum eng_status st)
{
	return st == ENG_PASSED ? _("Passed") : st == ENG_FAILED ? _("Failed") : st == ENG_SKIPPED
	       ? _("Skipped") : st == ENG_NA ? _("Not applicable") : _("Not checked");
}

/* "label: value" pairs of the installer's answers about group g. */
static int customer_answers(FILE *f, const struct records_session *s, enum group g,
			    const struct records_words *w)
{
	const struct records_kv *in[128];
	size_t n = group_inputs(s, g, in, ZCS_ARRAY_LEN(in));
	char b[160];

	for (size_t i = n; i-- > 0;) {
		fprintf(f, "%s", i + 1 < n ? "; " : "");
		put_html(f, words_of(w, in[i]->key, b, sizeof b));
		fprintf(f, ": ");
		put_html(f, i18n_tr(i18n_value(or_dash(in[i]->value), b, sizeof b)));
	}
	return (int)n;
}

/* The latest readings of group g, labelled. */
static int customer_readings(FILE *f, const struct records_session *s, enum group g,
			     const struct records_words *w, int after)
{
	const struct records_sample *x[256];
	size_t n = latest(s, g, x, ZCS_ARRAY_LEN(x));
	char b[160], v[96];

	for (size_t i = n; i-- > 0;) {
		fprintf(f, "%s", after || i + 1 < n ? "; " : "");
		put_html(f, words_of(w, x[i]->name, b, sizeof b));
		fprintf(f, " ");
		put_html(f, customer_value(x[i], v, sizeof v));
	}
	return (int)n;
}

static void customer_group_row(FILE *f, const struct records_session *s, enum group g,
			       const char *title, const struct records_words *w)
{
	int answers;

	fprintf(f, "<tr><th>%s</th><td>", title);
	answers = customer_answers(f, s, g, w);
	if (!customer_readings(f, s, g, w, answers > 0) && !answers)
		fputs(_("nothing recorded"), f);
	fprintf(f, "</td></tr>\n");
}

/* Each part of the procedure: passed, failed or not finished. */
static void customer_parts(FILE *f, const struct records_session *s,
			   const struct records_words *w)
{
	char done[4096] = "", b[160];
	size_t dl = 0;

	for (size_t i = 0; i < s->nsteps; i++) {
		const char *part;
		int pass = 0, failed = 0, total = 0;

		if (!s->steps[i].current)
			continue;
		part = part_of(w, s->steps[i].step_id, b, sizeof b);
		if (strstr(done, part) && dl)
			continue;
		for (size_t k = 0; k < s->nsteps; k++) {
			char c[160];

			if (!s->steps[k].current ||
			    strcmp(part_of(w, s->steps[k].step_id, c, sizeof c), part))
				continue;
			total++;
			pass += s->steps[k].status == ENG_PASSED || s->steps[k].status == ENG_NA;
			failed += s->steps[k].status == ENG_FAILED;
		}
		dl += (size_t)snprintf(done + dl, sizeof done - dl, "|%s|", part);
		fprintf(f, "<tr><th>");
		put_html(f, i18n_tr(part));
		fprintf(f, "</th><td class=\"%s\">%s</td></tr>\n",
			failed ? "failed" : pass == total ? "passed" : "skipped",
			failed ? _("failed") : pass == total ? _("passed") : _("not every step passed"));
	}
}

static void customer_summary(FILE *f, const struct records_session *s,
			     const struct records_words *w)
{
	char a[40];

	fprintf(f, "<h2>%s</h2>\n<table class=\"summary\">\n", _("Summary"));
	fprintf(f, "<tr><th>%s</th><td class=\"%s\">%s</td></tr>\n", _("Result"),
		!strcmp(s->sum.verdict, "passed") ? "passed" : "failed",
		!strcmp(s->sum.verdict, "passed") ? _("Commissioning complete: every applicable "
		"check passed") : !strcmp(s->sum.verdict, "unfinished") ? _("Not finished yet")
		: _("Not every check passed"));
	fprintf(f, "<tr><th>%s</th><td>", _("Inverter"));
	put_html(f, or_dash(s->sum.model));
	fputs(_(", serial number "), f);
	put_html(f, or_dash(s->sum.serial));
	fputs(_(", firmware "), f);
	put_html(f, or_dash(s->fw_com));
	fprintf(f, "</td></tr>\n");
	html_row2(f, _("Installer"), s->sum.installer);
	html_row2(f, _("Site"), s->sum.site);
	html_row2(f, _("Customer"), s->sum.customer);
	i18n_date(s->sum.started_ms, 1, a, sizeof a);  /* "2026-12-01 20:51 UTC" */
	zcs_strlcpy(a + strlen(a), " UTC", sizeof a - strlen(a));
	html_row2(f, _("Date"), a);
	customer_group_row(f, s, G_BATTERY, _("Batteries"), w);
	customer_group_row(f, s, G_METER, _("Meters"), w);
	customer_group_row(f, s, G_SETTING, _("Settings"), w);
	customer_parts(f, s, w);
	fprintf(f, "</table>\n");
}

/* Each reading of a step once: its label, last value, and over the window
 * how many readings and their range. */
static void customer_evidence(FILE *f, const struct records_step *p,
			      const struct records_words *w)
{
	for (size_t k = 0; k < p->nsamples; k++) {
		const struct records_sample *x = &p->samples[k], *last = x;
		double lo = x->value, hi = x->value;
		int n = 0, seen = 0;
		char v[96], b[160];

		for (size_t j = 0; j < p->nsamples; j++) {
			if (strcmp(p->samples[j].name, x->name))
				continue;
			seen |= j < k;
			n++;
			last = &p->samples[j];
			lo = fmin(lo, p->samples[j].value);
			hi = fmax(hi, p->samples[j].value);
		}
		if (seen)
			continue;
		fprintf(f, "%s", k ? "<br>" : "");
		put_html(f, words_of(w, x->name, b, sizeof b));
		fprintf(f, ": ");
		put_html(f, customer_value(last, v, sizeof v));
		if (n > 1 && (!last->text || !*last->text) && last->has_value && lo != hi) {
			char l[48], h[48], lb[64], hb[64];

			snprintf(l, sizeof l, "%.6g", lo);
			snprintf(h, sizeof h, "%.6g", hi);
			fprintf(f, " <span class=\"small\">");
			fprintf(f, _("(%d readings, %s to %s)"), n, i18n_value(l, lb, sizeof lb),
				i18n_value(h, hb, sizeof hb));
			fprintf(f, "</span>");
		}
	}
}

static void customer_step(FILE *f, const struct records_step *p, const struct records_words *w)
{
	char b[160];

	fprintf(f, "<tr><td>");
	put_html(f, or_dash(p->section));
	fprintf(f, "</td><td><b>");
	if (p->title) {
		char *t = l10n_text(p->title);
		put_html(f, t);
		free(t);
	} else {
		put_html(f, readable(p->step_id, b, sizeof b));
	}
	fprintf(f, "</b>");
	if (p->status == ENG_NA) {
		fprintf(f, "<br>%s", _("Does not apply to this installation."));
	} else if (p->detail && *p->detail) {
		fprintf(f, "<br>");
		put_plain_lines(f, p->detail);
	}
	if (p->status == ENG_FAILED && p->remedy && *p->remedy) {
		char *t = l10n_detail(p->remedy);

		fprintf(f, "<br><i>%s</i> ", _("What to do:"));
		put_html(f, t);
		free(t);
	}
	if (p->reason && *p->reason) {
		fprintf(f, "<br><i>%s</i> ", _("Reason:"));
		put_html(f, p->reason);
	}
	for (size_t k = 0; k < p->ninputs; k++) {
		fprintf(f, "<br><span class=\"small\">");
		put_html(f, words_of(w, p->inputs[k].key, b, sizeof b));
		fprintf(f, ": ");
		put_html(f, i18n_tr(i18n_value(p->inputs[k].value, b, sizeof b)));
		fprintf(f, "</span>");
	}
	fprintf(f, "</td><td class=\"%s\">%s</td><td>", status_class(p->status),
		verdict_words(p->status));
	customer_evidence(f, p, w);
	fprintf(f, "</td></tr>\n");
}

static void customer_writes(FILE *f, const struct records_session *s,
			    const struct records_words *w)
{
	char t[40], b[160];

	fprintf(f, "<h2>%s</h2>\n", _("Settings written"));
	if (!s->nwrites) {
		fprintf(f, "<p class=\"small\">%s</p>\n", _("No setting was written to the unit."));
		return;
	}
	fprintf(f, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
		"</tr>\n", _("setting"), _("before"), _("written"), _("read back"), _("confirmed by"),
		_("time"));
	for (size_t i = 0; i < s->nwrites; i++) {
		const struct records_write *x = &s->writes[i];

		fprintf(f, "<tr><td>");
		put_html(f, words_of(w, x->reg, b, sizeof b));
		char nb[3][48], lb[3][64];

		snprintf(nb[0], sizeof nb[0], "%g", x->before);
		snprintf(nb[1], sizeof nb[1], "%g", x->written);
		snprintf(nb[2], sizeof nb[2], "%g", x->readback);
		fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			"<td class=\"num %s\">%s%s</td><td>", i18n_value(nb[0], lb[0], sizeof lb[0]),
			i18n_value(nb[1], lb[1], sizeof lb[1]), x->ok ? "passed" : "failed",
			i18n_value(nb[2], lb[2], sizeof lb[2]), x->ok ? "" : _(" (differs)"));
		put_html(f, or_dash(x->confirmed_by));
		fprintf(f, "</td><td>%s</td></tr>\n", iso(x->wall_ms, t, sizeof t));
	}
	fprintf(f, "</table>\n");
}

static void customer_review(FILE *f, const struct records_session *s,
			    const struct records_verify *v)
{
	char t[40];

	fprintf(f, "<h2>%s</h2>\n", _("Quality review"));
	if (!s->nreviews)
		fprintf(f, "<p>%s</p>\n", _("Not reviewed yet."));
	for (size_t i = 0; i < s->nreviews; i++) {
		const struct records_review *r = &s->reviews[i];

		fprintf(f, "<p><span class=\"%s\">%s</span> ", r->approved ? "passed" : "failed",
			r->approved ? _("Approved") : _("Rejected"));
		fputs(_("by "), f);
		put_html(f, r->reviewer);
		fprintf(f, " on %s", iso(r->wall_ms, t, sizeof t));
		if (r->comment) {
			fprintf(f, ": ");
			put_html(f, r->comment);
		}
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<h2>%s</h2>\n<p class=\"%s\">", _("Integrity"), v->problem ? "failed" : "passed");
	put_html(f, v->problem ? v->message : _("The record is intact: nothing was changed "
		 "after it was written."));
	fprintf(f, "</p>\n<p class=\"small\">");
	fprintf(f, _("Seal: <code>%s</code>. Keep this page: a later change to the stored record "
		     "no longer matches this seal."), v->head);
	fprintf(f, "</p>\n");
	if (v->chain >= 2)
		fprintf(f, "<p class=\"small\">"), fprintf(f, _("Signed by %s%s, key <code>%s</code>; "
			"signature of record %lld: <code>%s</code>."), v->fingerprint,
			v->trusted ? "" : _(" (not a trusted key)"), v->signer, v->sig_seq,
			*v->sig ? v->sig : "-"), fputs("</p>\n", f);
}

static void export_customer(FILE *f, const struct records_session *s,
			    const struct records_verify *v, const struct records_words *w)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n<title>",
		i18n_lang());
	fprintf(f, _("Commissioning report %lld"), s->sum.id);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n", html_style);
	fprintf(f, "<h1>%s</h1>\n", _("Commissioning report"));
	if (s->sum.training)
		fprintf(f, "<p class=\"training\">%s</p>\n",
			_("TRAINING: recorded against the simulator, not a real unit."));
	customer_summary(f, s, w);
	customer_writes(f, s, w);
	fprintf(f, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
		_("Steps"), _("manual"), _("check"), _("result"), _("readings"));
	for (size_t i = 0; i < s->nsteps; i++)
		if (s->steps[i].current)
			customer_step(f, &s->steps[i], w);
	fprintf(f, "</table>\n");
	customer_review(f, s, v);
	fprintf(f, "</body></html>\n");
}

/* ---- JSON ---- */

/* The inputs of a step as an object. */
static void json_step(struct json *j, const struct records_step *p)
{
	json_obj(j, NULL);
	json_str(j, "step", p->step_id);
	json_str(j, "section", p->section);
	json_str(j, "title", p->title);
	json_str(j, "verdict", records_status_word(p->status));
	json_bool(j, "current", p->current);
	json_int(j, "record", p->seq);
	json_int(j, "started_ms", p->started_ms);
	json_int(j, "ended_ms", p->ended_ms);
	json_time(j, "started", p->started_ms);
	json_time(j, "ended", p->ended_ms);
	json_str(j, "detail", p->detail);
	json_str(j, "remedy", p->remedy);
	json_str(j, "reason", p->reason);
	json_str(j, "override_by", p->override_by);
	json_str(j, "hash", p->hash);
	json_obj(j, "inputs");
	for (size_t k = 0; k < p->ninputs; k++)
		json_str(j, p->inputs[k].key, p->inputs[k].value);
	json_end(j);
	json_arr(j, "evidence");
	for (size_t k = 0; k < p->nsamples; k++) {
		const struct records_sample *x = &p->samples[k];

		json_obj(j, NULL);
		json_str(j, "name", x->name);
		if (x->has_value)
			json_num(j, "value", x->value);
		else
			json_null(j, "value");
		json_str(j, "unit", x->unit);
		json_str(j, "text", x->text);
		json_arr(j, "raw");
		for (unsigned w = 0; w < x->nraw; w++)
			json_int(j, NULL, x->raw[w]);
		json_end(j);
		json_int(j, "slave", x->slave);
		json_time(j, "time", x->wall_ms);
		json_int(j, "time_ms", x->wall_ms);
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

static void json_session(struct json *j, const struct records_session *s)
{
	json_obj(j, "session");
	json_int(j, "id", s->sum.id);
	json_str(j, "installer", s->sum.installer);
	json_str(j, "site", s->sum.site);
	json_str(j, "customer", s->sum.customer);
	json_str(j, "serial", s->sum.serial);
	json_str(j, "model", s->sum.model);
	json_str(j, "family", s->family);
	json_str(j, "layout", s->layout);
	json_str(j, "fw_com", s->fw_com);
	json_str(j, "fw_master", s->fw_master);
	json_str(j, "fw_slave", s->fw_slave);
	json_str(j, "link", s->link);
	json_str(j, "checklist_version", s->checklist_version);
	json_str(j, "checklist_hash", s->checklist_hash);
	json_bool(j, "training", s->sum.training);
	json_int(j, "started_ms", s->sum.started_ms);
	json_int(j, "ended_ms", s->sum.ended_ms);
	json_bool(j, "complete", s->sum.state == RECORDS_COMPLETE);
	json_time(j, "started", s->sum.started_ms);
	json_time(j, "ended", s->sum.ended_ms);
	json_str(j, "current_step", s->sum.current_step);
	json_str(j, "verdict", s->sum.verdict);
	json_str(j, "review", s->sum.review);
	json_end(j);
}

static void json_rest(struct json *j, const struct records_session *s)
{
	json_nl(j);
	json_arr(j, "writes");
	for (size_t i = 0; i < s->nwrites; i++) {
		const struct records_write *w = &s->writes[i];

		json_obj(j, NULL);
		json_str(j, "step", w->step_id);
		json_str(j, "register", w->reg);
		json_int(j, "addr", w->addr);
		json_int(j, "slave", w->slave);
		json_num(j, "before", w->before);
		json_num(j, "written", w->written);
		json_num(j, "readback", w->readback);
		json_int(j, "raw_before", w->raw_before);
		json_int(j, "raw_written", w->raw_written);
		json_int(j, "raw_readback", w->raw_readback);
		json_bool(j, "ok", w->ok);
		json_str(j, "confirmed_by", w->confirmed_by);
		json_time(j, "time", w->wall_ms);
		json_int(j, "time_ms", w->wall_ms);
		json_end(j);
	}
	json_end(j);
	json_nl(j);
	json_arr(j, "events");
	for (size_t i = 0; i < s->nevents; i++) {
		json_obj(j, NULL);
		json_str(j, "kind", s->events[i].kind);
		json_str(j, "detail", s->events[i].detail);
		json_time(j, "time", s->events[i].wall_ms);
		json_int(j, "time_ms", s->events[i].wall_ms);
		json_end(j);
	}
	json_end(j);
	json_nl(j);
	json_arr(j, "reviews");
	for (size_t i = 0; i < s->nreviews; i++) {
		json_obj(j, NULL);
		json_str(j, "reviewer", s->reviews[i].reviewer);
		json_bool(j, "approved", s->reviews[i].approved);
		json_str(j, "comment", s->reviews[i].comment);
		json_time(j, "time", s->reviews[i].wall_ms);
		json_int(j, "time_ms", s->reviews[i].wall_ms);
		json_end(j);
	}
	json_end(j);
}

static void export_json(FILE *f, const struct records_session *s,
			const struct records_verify *v)
{
	static const char *const problems[] = { "intact", "altered", "inserted", "missing",
						"forged" };
	struct json j;

	json_doc(&j, f, "zcs-commission-record", RECORDS_JSON_VERSION);
	json_nl(&j);
	json_session(&j, s);
	json_nl(&j);
	json_arr(&j, "steps");
	for (size_t i = 0; i < s->nsteps; i++) {
		json_nl(&j);
		json_step(&j, &s->steps[i]);
	}
	json_end(&j);
	json_rest(&j, s);
	json_nl(&j);
	json_obj(&j, "integrity");
	json_str(&j, "state", problems[v->problem]);
	json_int(&j, "records", v->nrecords);
	json_str(&j, "message", v->message);
	json_int(&j, "chain", v->chain);
	json_bool(&j, "signed", v->chain >= 2);
	json_bool(&j, "trusted", v->trusted);
	json_bool(&j, "closed", v->closed);
	json_str(&j, "signer", *v->signer ? v->signer : NULL);
	json_str(&j, "fingerprint", *v->fingerprint ? v->fingerprint : NULL);
	json_int(&j, "signature_record", v->sig_seq);
	json_str(&j, "signature", *v->sig ? v->sig : NULL);
	json_str(&j, "seal", v->head);
	json_end(&j);
	json_doc_end(&j);
}

/* ---- CSV ---- */

/* "a=1" joined to s with "; ", s reallocated. */
static char *join(char *s, const char *k, const char *v)
{
	char *o = xasprintf("%s%s%s=%s", s, *s ? "; " : "", k ? k : "", v ? v : "");

	free(s);
	return o;
}

static void export_csv(FILE *f, const struct records_session *s)
{
	fprintf(f, "session,serial,installer,site,step,section,title,verdict,checks,started,"
		"ended,detail,reason,override_by,inputs,evidence\r\n");
	for (size_t i = 0; i < s->nsteps; i++) {
		const struct records_step *p = &s->steps[i];
		char a[40], b[40], v[96];
		int checks = 0;
		char *ev;

		if (!p->current)
			continue;
		for (size_t k = 0; k < s->nsteps; k++)
			checks += strcmp(s->steps[k].step_id, p->step_id) == 0;
		fprintf(f, "%lld,", s->sum.id);
		put_csv(f, s->sum.serial);
		fputc(',', f);
		put_csv(f, s->sum.installer);
		fputc(',', f);
		put_csv(f, s->sum.site);
		fputc(',', f);
		put_csv(f, p->step_id);
		fputc(',', f);
		put_csv(f, p->section);
		fputc(',', f);
		put_csv(f, p->title);
		fprintf(f, ",%s,%d,%s,%s,", records_status_word(p->status), checks,
			iso(p->started_ms, a, sizeof a), iso(p->ended_ms, b, sizeof b));
		put_csv(f, p->detail);
		fputc(',', f);
		put_csv(f, p->reason);
		fputc(',', f);
		put_csv(f, p->override_by);
		fputc(',', f);
		ev = xcalloc(1, 1);
		for (size_t k = 0; k < p->ninputs; k++)
			ev = join(ev, p->inputs[k].key, p->inputs[k].value);
		put_csv(f, ev);
		fputc(',', f);
		ev[0] = '\0';
		for (size_t k = 0; k < p->nsamples; k++)
			ev = join(ev, p->samples[k].name, sample_value(&p->samples[k], v, sizeof v));
		put_csv(f, ev);
		free(ev);
		fprintf(f, "\r\n");
	}
}

/* ---- a training exercise's report ---- */

const char *records_training_score(const struct records_session *s)
{
	const char *t = NULL;

	for (size_t i = 0; i < s->nevents; i++)
		if (strcmp(s->events[i].kind, "training-score") == 0 && s->events[i].detail)
			t = s->events[i].detail;
	return t;
}

/* The value of "key value" in the score text, into buf ("" when absent). */
static const char *score_get(const char *text, const char *key, char *buf, size_t n)
{
	size_t k = strlen(key);

	*buf = 0;
	for (const char *p = text; p && *p;) {
		size_t l = strcspn(p, "\n");

		if (l > k && strncmp(p, key, k) == 0 && p[k] == ' ') {
			snprintf(buf, n, "%.*s", (int)(l - k - 1), p + k + 1);
			break;
		}
		p += l + (p[l] == '\n');
	}
	return buf;
}

static void mmss(FILE *f, double secs)
{
	long long t = (long long)(secs + 0.5);

	fprintf(f, "%lld:%02lld", t / 60, t % 60);
}

static void export_training(FILE *f, const struct records_session *s,
			    const struct records_verify *v, const char *score)
{
	char b[512], c[512], t[64];
	int pass = strcmp(score_get(score, "result", b, sizeof b), "pass") == 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Training "
	      "report: exercise ", f);
	put_html(f, score_get(score, "exercise", b, sizeof b));
	fputs("</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:60em}"
	      "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #999;"
	      "padding:.2em .5em;text-align:left;vertical-align:top}.pass{color:#060}"
	      ".fail{color:#a00}@page{size:A4;margin:15mm}</style></head><body>\n", f);
	fputs("<h1>Training report: Exercise ", f);
	put_html(f, score_get(score, "exercise", b, sizeof b));
	fputs(" (", f);
	put_html(f, score_get(score, "level", b, sizeof b));
	fprintf(f, ")</h1>\n<p class=\"%s\"><strong>%s</strong> against the target: every fault "
		"found, at most ", pass ? "pass" : "fail", pass ? "PASS" : "FAIL");
	put_html(f, score_get(score, "target_wrong", b, sizeof b));
	fputs(" wrong fixes, within ", f);
	put_html(f, score_get(score, "target_minutes", b, sizeof b));
	fputs(" minutes.</p>\n<table>\n<tr><th>Trainee</th><td>", f);
	put_html(f, s->sum.installer);
	fprintf(f, "</td></tr>\n<tr><th>Session</th><td>#%lld, %s (training, never a field "
		"record)</td></tr>\n", s->sum.id, iso(s->sum.started_ms, t, sizeof t));
	fputs("<tr><th>Total time</th><td>", f);
	mmss(f, atof(score_get(score, "total_ms", b, sizeof b)) / 1000.0);
	fputs("</td></tr>\n", f);
	{
		static const char *const rows[][2] = {
			{ "found", "Faults found" }, { "missed", "Faults missed" },
			{ "wrong", "Wrong fixes" }, { "right", "Right fixes" },
			{ "remedies", "Remedies read" }, { "skipped", "Steps skipped" },
			{ "forced", "Checks forced" },
		};

		for (size_t i = 0; i < ZCS_ARRAY_LEN(rows); i++) {
			fprintf(f, "<tr><th>%s</th><td>", rows[i][1]);
			put_html(f, score_get(score, rows[i][0], b, sizeof b));
			fputs("</td></tr>\n", f);
		}
	}
	fputs("</table>\n<h2>The faults</h2>\n<table>\n<tr><th>Fault</th><th>Found at</th>"
	      "<th>After</th><th>State at the end</th><th>Put there by</th><th>What it was"
	      "</th></tr>\n", f);
	for (const char *p = score; *p;) {
		size_t l = strcspn(p, "\n");
		char name[48], origin[16], at[96], state[16], key[48];
		double secs = 0;

		snprintf(c, sizeof c, "%.*s", (int)l, p);
		if (sscanf(c, "fault %47s %15s %95s %15s %lf", name, origin, at, state, &secs) >= 4) {
			snprintf(key, sizeof key, "describe %s", name);
			fputs("<tr><td>", f);
			put_html(f, name);
			fputs("</td><td>", f);
			put_html(f, strcmp(at, "-") ? at : "MISSED");
			fputs("</td><td>", f);
			if (strcmp(at, "-"))
				mmss(f, secs);
			fputs("</td><td>", f);
			put_html(f, state);
			fputs("</td><td>", f);
			put_html(f, origin);
			fputs("</td><td>", f);
			put_html(f, score_get(score, key, b, sizeof b));
			fputs("</td></tr>\n", f);
		}
		p += l + (p[l] == '\n');
	}
	fputs("</table>\n<h2>Wrong fixes and remedies read</h2>\n<ul>\n", f);
	for (const char *p = score; *p;) {
		size_t l = strcspn(p, "\n");

		snprintf(c, sizeof c, "%.*s", (int)l, p);
		if (strncmp(c, "wrong_fix ", 10) == 0 || strncmp(c, "remedy_read ", 12) == 0) {
			fputs(c[0] == 'w' ? "<li>wrong fix: " : "<li>remedy read at ", f);
			put_html(f, strchr(c, ' ') + 1);
			fputs("</li>\n", f);
		}
		p += l + (p[l] == '\n');
	}
	fputs("</ul>\n<h2>Time per step</h2>\n<table>\n<tr><th>Step</th><th>Time</th>"
	      "<th>Last verdict</th></tr>\n", f);
	for (const char *p = score; *p;) {
		size_t l = strcspn(p, "\n");
		char id[96], st[16];
		double secs;

		snprintf(c, sizeof c, "%.*s", (int)l, p);
		if (sscanf(c, "step %95s %lf %15s", id, &secs, st) == 3) {
			fputs("<tr><td>", f);
			put_html(f, id);
			fputs("</td><td>", f);
			mmss(f, secs);
			fputs("</td><td>", f);
			put_html(f, st);
			fputs("</td></tr>\n", f);
		}
		p += l + (p[l] == '\n');
	}
	fprintf(f, "</table>\n<p>Record: %lld chained records, %s; signer %s; last hash <code>%s"
		"</code>.</p>\n</body></html>\n", v->nrecords,
		v->problem == 0 ? "intact" : "NOT INTACT", *v->fingerprint ? v->fingerprint
		: "unsigned", v->head);
}

int records_export(struct records *r, long long id, enum records_format fmt, FILE *out,
		   struct zcs_err *err)
{
	return records_export_words(r, id, fmt, NULL, out, err);
}

int records_export_words(struct records *r, long long id, enum records_format fmt,
			 const struct records_words *w, FILE *out, struct zcs_err *err)
{
	struct records_session *s;
	struct records_verify v;

	rec_read_begin(r);
	if (records_load(r, id, &s, err) < 0) {
		rec_read_end(r);
		return -1;
	}
	if (records_verify(r, id, &v, err) < 0) {
		rec_read_end(r);
		records_free_session(s);
		return -1;
	}
	rec_read_end(r);
	if (fmt == RECORDS_HTML_TRAINING && !records_training_score(s)) {
		records_free_session(s);
		return zcs_fail(err, ZCS_USAGE, "session %lld holds no training exercise's score "
				"(only an exercise started with --exercise or from the Connect "
				"screen has one): use --format html or qa-html", id);
	}
	switch (fmt) {
	case RECORDS_TEXT: {
		/* Text goes to terminals: names and answers are shown, never obeyed. */
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (m) {
			export_text(m, s, &v);
			fclose(m);
			term_write(out, buf, len);
			free(buf);
		}
		break;
	}
	case RECORDS_HTML: export_customer(out, s, &v, w); break;
	case RECORDS_HTML_QA: export_html(out, s, &v); break;
	case RECORDS_JSON: export_json(out, s, &v); break;
	case RECORDS_CSV: export_csv(out, s); break;
	case RECORDS_HTML_TRAINING:
		export_training(out, s, &v, records_training_score(s));
		break;
	}
	records_free_session(s);
	if (fflush(out) != 0 || ferror(out)) {
		int e = errno;

		zcs_fail(err, ZCS_SYS, "cannot write the report: %s", strerror(e));
		if (err)
			err->sys_errno = e;
		return -1;
	}
	return 0;
}
