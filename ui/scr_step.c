/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step: one checklist step.  Manual section, instructions, the questions,
 * live values (value, unit, expected, PASS/FAIL/WAIT), the evidence
 * window's progress, the manual's remedy when failing, the installer
 * action or confirmation asked, and the settings offered over Modbus. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/engine.h"
#include "engine/l10n.h"
#include "app.h"
#include "draw.h"
#include "flow.h"
#include "verdict.h"

#define MAX_INPUTS 16

static struct ui_field fields[MAX_INPUTS];
static char field_err[MAX_INPUTS][512];  /* why the last answer was refused */
static char step_id[96];
static int focus = -1;          /* input with the cursor, -1: none */
static int scrolled;              /* rows of the detail scrolled off the top */
static int detail_rows = 1;     /* rows of the detail region shown */
static int focus_row = -1;      /* the focused field's row in the detail */
static struct eng_step_info info;

/* The offers as text, copied: an engine call invalidates the step view's
 * strings, so the offers are read before the view. */
#define MAX_OFFERS 8
static char offer_text[MAX_OFFERS][256];
static int noffers, offer_slave;
static char offer_refused[512];

static void snapshot_offers(struct app *a)
{
	const struct eng_write_offer *o;
	size_t n = engine_write_offers(a->eng, &o);

	noffers = 0;
	for (size_t i = 0; i < n && i < MAX_OFFERS; i++, noffers++)
		snprintf(offer_text[i], sizeof offer_text[i], "%s: %s -> %s", i18n_tr(o[i].label),
			 o[i].current_text, o[i].proposed_text);
	offer_slave = n ? o[0].slave : 0;
	/* a request whose block read is not plausible is refused before the
	 * installer is asked: say so on the step */
	const struct eng_write_set *ws;
	size_t ns = n ? engine_write_sets(a->eng, &ws) : 0;
	offer_refused[0] = '\0';
	for (size_t i = 0; i < ns && !offer_refused[0]; i++)
		if (ws[i].refused)
			snprintf(offer_refused, sizeof offer_refused, "%s", ws[i].refused);
}

static int is_pick(const struct eng_input_info *in)
{
	return strcmp(in->type, "choice") == 0 || strcmp(in->type, "yesno") == 0;
}

static void load_fields(void)
{
	int first_open = -1;

	for (size_t i = 0; i < info.ninputs && i < MAX_INPUTS; i++) {
		const struct eng_input_info *in = &info.inputs[i];
		const char *v = in->value ? in->value : in->proposed ? in->proposed : "";

		ui_field_set(&fields[i], v);
		*field_err[i] = 0;
		fields[i].numeric = strcmp(in->type, "int") == 0 || strcmp(in->type, "number") == 0;
		if (!in->value && !in->optional && first_open < 0)
			first_open = (int)i;
	}
	focus = info.status == ENG_ACTIVE ? first_open : -1;
	scrolled = 0;
}

/* The step's texts in the language shown (engine/l10n.h): the engine
 * gives them in English, as it records them.  Owned here until the next
 * refresh. */
static struct eng_input_info tr_inputs[MAX_INPUTS];
static struct eng_live_info tr_live[64];
static char *tr_own[16 + MAX_INPUTS + 3 * 64];
static size_t tr_nown;

static const char *own(char *s)
{
	if (tr_nown < ZCS_ARRAY_LEN(tr_own))
		tr_own[tr_nown++] = s;
	return s;
}

static void localize_info(void)
{
	char v[160];

	for (size_t i = 0; i < tr_nown; i++)
		free(tr_own[i]);
	tr_nown = 0;
	if (!strcmp(i18n_lang(), "en"))
		return;
	info.title = own(l10n_text(info.title));
	if (info.say)
		info.say = own(l10n_detail(info.say));
	if (info.detail)
		info.detail = own(l10n_detail(info.detail));
	if (info.remedy)
		info.remedy = own(l10n_detail(info.remedy));
	if (info.action_say)
		info.action_say = own(l10n_text(info.action_say));
	if (info.confirm)
		info.confirm = own(l10n_text(info.confirm));
	if (info.waiting_for)
		info.waiting_for = own(l10n_detail(info.waiting_for));
	for (size_t i = 0; i < info.ninputs && i < MAX_INPUTS; i++) {
		tr_inputs[i] = info.inputs[i];
		tr_inputs[i].prompt = own(l10n_text(info.inputs[i].prompt));
	}
	if (info.ninputs)
		info.inputs = tr_inputs;
	if (info.nlive > ZCS_ARRAY_LEN(tr_live))
		info.nlive = ZCS_ARRAY_LEN(tr_live);
	for (size_t i = 0; i < info.nlive; i++) {
		tr_live[i] = info.live[i];
		tr_live[i].label = own(l10n_text(info.live[i].label));
		tr_live[i].value = own(xstrdup(i18n_value(info.live[i].value, v, sizeof v)));
		if (info.live[i].expected)
			tr_live[i].expected = own(l10n_expected(info.live[i].expected));
	}
	if (info.nlive)
		info.live = tr_live;
}

/* Refresh the view of the current step; a new step resets the fields. */
static int refresh_info(struct app *a)
{
	if (!a->eng || engine_step(a->eng, engine_current(a->eng), &info) < 0)
		return -1;
	localize_info();
	if (strcmp(step_id, info.id) != 0) {
		zcs_strlcpy(step_id, info.id, sizeof step_id);
		load_fields();
	}
	/* Answers given elsewhere (the DIP screen) show in the fields. */
	for (size_t i = 0; i < info.ninputs && i < MAX_INPUTS; i++)
		if ((int)i != focus && info.inputs[i].value &&
		    strcmp(fields[i].buf, info.inputs[i].value) != 0)
			ui_field_set(&fields[i], info.inputs[i].value);
	return 0;
}

static void step_enter(struct app *a)
{
	*step_id = 0;
	refresh_info(a);
}

/* ---- drawing ---- */

static int draw_head(struct app *a, struct ui_rect r, int y)
{
	const char *word = ui_status_word(info.status);
	int wl = (int)strlen(word) + 2;

	ui_put(y, 1, r.w - wl - 3, UI_ROLE_HEADING, _("Step %d of %zu  |  manual %s  |  %s"),
	       info.index + 1, engine_nsteps(a->eng), info.section, info.title);
	ui_put(y++, r.w - wl - 1, wl, ui_status_role(info.status), " %s ", word);
	ui_put(y++, 1, r.w - 2, UI_ROLE_DIM, "%s  (%s)", info.id, info.part);
	return y;
}

/* The plant's power flow, read all the time: "PV 3.00 kW | Battery 2.20 kW
 * charging, 60 % | Grid 0.50 kW export | House 0.80 kW | EPS 0.00 kW". */
static const char *panel_part(struct app *a, const struct ui_panel_item *p, char *out,
			      size_t n)
{
	static const struct { const char *role, *word; } words[] = {
		{ "pv", "PV" }, { "battery", N_("Battery") }, { "soc", "" }, { "grid", N_("Grid") },
		{ "load", N_("House") }, { "eps", N_("EPS") },
	};
	const struct reg_value *v = engine_watched(a->eng, p->reg);
	const char *word = p->role, *unit = v && v->def->unit ? v->def->unit : "";

	for (size_t i = 0; i < ZCS_ARRAY_LEN(words); i++)
		if (strcmp(words[i].role, p->role) == 0)
			word = *words[i].word ? _(words[i].word) : "";
	if (!v)
		snprintf(out, n, "%s%s-", word, *word ? " " : "");
	else if (*p->plus && v->num != 0)
		snprintf(out, n, "%s %.2f %s %s", word, fabs(v->num), unit,
			 v->num > 0 ? p->plus : p->minus);
	else
		snprintf(out, n, "%s%s%.*f %s", word, *word ? " " : "", *unit == '%' ? 0 : 2,
			 *p->plus ? fabs(v->num) : v->num, unit);
	return out;
}

static int draw_panel(struct app *a, struct ui_rect r, int y)
{
	char line[400] = "", part[96];
	size_t len = 0;

	if (!a->npanel)
		return y;
	for (int i = 0; i < a->npanel && len < sizeof line; i++)
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
					i == 0 ? "" : strcmp(a->panel[i].role, "soc") ? " | " : ", ",
					panel_part(a, &a->panel[i], part, sizeof part));
	ui_put(y, 1, 7, UI_ROLE_HEADING, _("Power "));
	return y + ui_wrap(y, 7, r.w - 8, 2, UI_ROLE_NORMAL, line);
}

/* Two rows a question: the prompt, then the field with its unit, limits
 * or choices and the question's name (as the answers file and the record
 * call it); a refused answer says why under its field, wrapped, in full. */
static int draw_inputs(struct ui_rect r, int y, int bottom)
{
	for (size_t i = 0; i < info.ninputs && i < MAX_INPUTS && y + 1 < bottom; i++) {
		const struct eng_input_info *in = &info.inputs[i];
		char lim[160] = "";
		int sel = focus == (int)i;

		if (in->has_min && in->has_max)
			snprintf(lim, sizeof lim, "%g..%g", in->min, in->max);
		else if (is_pick(in))
			snprintf(lim, sizeof lim, _("Left/Right: %s"),
				 strcmp(in->type, "yesno") == 0 ? "yes no" : in->choices ? in->choices : "");
		if (sel)
			focus_row = y;
		ui_put(y, 2, 2, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%s", sel ? ">" : " ");
		ui_put(y++, 4, r.w - 5, sel ? UI_ROLE_HEADING : UI_ROLE_NORMAL, "%s%s", in->prompt,
		       in->value ? "" : in->optional ? _("  (optional)") : _("  (to answer)"));
		ui_field_draw(&fields[i], y, 6, 24, sel);
		ui_put(y++, 31, r.w - 32, UI_ROLE_DIM, "[%s] %s %s", in->key, in->unit ? in->unit : "",
		       lim);
		if (*field_err[i]) {
			ui_put(y, 6, 2, UI_ROLE_FAIL, "!");
			y += ui_wrap(y, 8, r.w - 10, bottom - y, UI_ROLE_FAIL, field_err[i]);
		}
	}
	return y;
}

static int draw_live(struct ui_rect r, int y, int bottom)
{
	if (!info.nlive || y >= bottom)
		return y;
	ui_put(y++, 2, r.w - 3, UI_ROLE_HEADING, "%-30s %14s  %-22s %s", _("Live value"), _("reading"),
	       _("expected"), _("verdict"));
	for (size_t i = 0; i < info.nlive && y < bottom; i++, y++) {
		const struct eng_live_info *l = &info.live[i];

		ui_put(y, 2, 30, UI_ROLE_NORMAL, "%-30.30s", l->label);
		ui_put(y, 33, 14, UI_ROLE_NORMAL, "%14.14s", *l->value ? l->value : "-");
		ui_put(y, 49, 22, UI_ROLE_NORMAL, "%-22.22s", l->expected ? l->expected : "");
		ui_put(y, 72, r.w - 73, ui_mark_role(l->mark), " %s ", ui_mark_word(l->mark));
	}
	if (info.live_check && y < bottom) {
		int need = info.window_need > 0 ? info.window_need : 1, cells = 20;
		int have = info.window_have < need ? info.window_have : need;
		int full = have * cells / need;

		ui_put(y++, 2, r.w - 3, UI_ROLE_NORMAL,
		       _("Evidence window [%.*s%.*s] %d of %d readings, %.1f of %.1f s"),
		       full, "####################", cells - full, "....................",
		       have, info.window_need, info.window_secs, info.window_need_secs);
	}
	return y;
}

static int draw_line(int y, int bottom, int w, enum ui_role tag_role, const char *tag,
		     enum ui_role role, const char *text)
{
	int tl;

	if (y >= bottom || !text || !*text)
		return y;
	tl = ui_put(y, 2, w, tag_role, " %s ", tag) + 3;
	return y + ui_wrap(y, tl, w - tl, bottom - y, role, text);
}

/* The checks that failed, from a verdict's detail (one check a line, the
 * passing ones ending ": ok"); all of it when none is singled out.  The
 * whole detail is in the scrolled part. */
static const char *failing_lines(const char *detail, char *out, size_t n)
{
	const char *p = detail ? detail : "";
	size_t len = 0;

	*out = 0;
	while (*p && len + 1 < n) {
		size_t l = strcspn(p, "\n");

		if (!(l >= 4 && strncmp(p + l - 4, ": ok", 4) == 0))
			len += (size_t)snprintf(out + len, n - len, "%s%.*s", len ? "\n" : "",
						(int)l, p);
		p += l + (p[l] == '\n');
	}
	return *out ? out : detail;
}

/* Every failing check's own remedy (one a line in info.remedy), each under
 * its REMEDY tag. */
static int draw_remedies(int y, int bottom, int w, const char *remedy, char *buf, size_t n)
{
	const char *p = remedy && *remedy ? remedy : _("see the manual's section");

	while (*p) {
		size_t len = strcspn(p, "\n");

		snprintf(buf, n, "%.*s", (int)len, p);
		y = draw_line(y, bottom, w, UI_ROLE_WARN, _("REMEDY"), UI_ROLE_NORMAL, buf);
		p += len + (p[len] == '\n');
	}
	return y;
}

static int draw_state(struct app *a, struct ui_rect r, int y, int bottom)
{
	char buf[512];
	int w = r.w - 3;

	if (info.action) {
		snprintf(buf, sizeof buf, _("%s  -> press %s when done%s"),
			 info.action_say ? info.action_say : info.action, ui_key_shown(UI_ACT_DONE),
			 a->training ? _(" (the simulator does it)") : "");
		y = draw_line(y, bottom, w, UI_ROLE_WAIT, _("DO"), UI_ROLE_NORMAL, buf);
	} else if (info.confirm) {
		snprintf(buf, sizeof buf, _("%s  -> press %s to confirm"), info.confirm,
			 ui_key_shown(UI_ACT_DONE));
		y = draw_line(y, bottom, w, UI_ROLE_WAIT, _("CONFIRM"), UI_ROLE_NORMAL, buf);
	}
	if (noffers && offer_refused[0])
		y = draw_line(y, bottom, w, UI_ROLE_FAIL, _("REFUSED"), UI_ROLE_NORMAL, offer_refused);
	for (int i = 0; i < noffers && y < bottom; i++) {
		snprintf(buf, sizeof buf, _("set %s over Modbus  -> press %s to %s"), offer_text[i],
			 ui_key_shown(UI_ACT_APPLY),
			 engine_dry_run_writes(a->eng) ? _("see the frame (dry run: nothing is sent)")
						       : _("apply"));
		y = draw_line(y, bottom, w, UI_ROLE_WAIT, _("OFFER"), UI_ROLE_NORMAL, buf);
	}
	if (info.status == ENG_FAILED && a->in_exercise && a->ex &&
	    !ex_remedy_was_read(a->ex, info.id)) {
		/* an exercise: the trainee diagnoses; the remedy is there, counted */
		char fail[512];

		snprintf(fail, sizeof fail, _("%s  -> look at the plant (%s), fix it (%s), then press "
			 "%s to check again"), failing_lines(info.detail, buf, sizeof buf),
			 ui_key_shown(UI_ACT_INSTRUMENTS), ui_key_shown(UI_ACT_FIX),
			 ui_key_shown(UI_ACT_RECHECK));
		y = draw_line(y, bottom, w, UI_ROLE_FAIL, _("FAIL"), UI_ROLE_NORMAL, fail);
		snprintf(buf, sizeof buf, _("press %s to read the manual's remedy (it counts in the "
			 "score)"), ui_key_shown(UI_ACT_REMEDY));
		y = draw_line(y, bottom, w, UI_ROLE_WARN, _("REMEDY"), UI_ROLE_DIM, buf);
	} else if (info.status == ENG_FAILED) {
		/* how to check again first: several remedies may not all fit */
		char fail[512];

		snprintf(fail, sizeof fail, _("%s  -> fix it (REMEDY below), then press %s to check "
			 "again"), failing_lines(info.detail, buf, sizeof buf),
			 ui_key_shown(UI_ACT_RECHECK));
		y = draw_line(y, bottom, w, UI_ROLE_FAIL, _("FAIL"), UI_ROLE_NORMAL, fail);
		y = draw_remedies(y, bottom, w, info.remedy, buf, sizeof buf);
	} else if (info.status == ENG_PASSED) {
		snprintf(buf, sizeof buf, _("%s  -> %s or %s: next step"), info.detail ? info.detail : "",
			 ui_key_shown(UI_ACT_ENTER), ui_key_shown(UI_ACT_NEXT));
		y = draw_line(y, bottom, w, UI_ROLE_PASS, _("PASS"), UI_ROLE_NORMAL, buf);
	} else if (info.status == ENG_SKIPPED) {
		y = draw_line(y, bottom, w, UI_ROLE_WARN, _("SKIPPED"), UI_ROLE_NORMAL, info.reason);
	} else if (info.status == ENG_NA) {
		y = draw_line(y, bottom, w, UI_ROLE_DIM, "N/A", UI_ROLE_NORMAL,
			      _("this step does not apply to this installation  -> n: next step"));
	} else if (info.waiting_for) {
		y = draw_line(y, bottom, w, UI_ROLE_WAIT, _("WAIT"), UI_ROLE_NORMAL, info.waiting_for);
	}
	return y;
}

/* The detail (instructions, questions, live values, evidence) scrolls in
 * the middle; what to do now (DO, CONFIRM, OFFER, FAIL and the start of
 * the REMEDY, PASS) stays at the bottom, so that a failing step shows its
 * remedy at 80x24 without scrolling. */
static int draw_detail(struct app *a, struct ui_rect r, int y)
{
	y += ui_wrap(y, 2, r.w - 4, 1 << 20, UI_ROLE_NORMAL, info.say) + 1;
	y = draw_inputs(r, y, 1 << 20);
	y = draw_live(r, y, 1 << 20);
	if (info.status == ENG_FAILED && info.detail && *info.detail) {
		ui_put(y++, 2, r.w - 3, UI_ROLE_HEADING, _("Every check of this step"));
		y += ui_wrap(y, 4, r.w - 6, 1 << 20, UI_ROLE_NORMAL, info.detail);
	}
	return y;
}

static void clamp_scroll(int doc)
{
	int max = doc > detail_rows ? doc - detail_rows : 0;

	if (focus >= 0 && focus_row >= 0) {      /* the focused field in view */
		if (focus_row < scrolled)
			scrolled = focus_row;
		if (focus_row + 2 > scrolled + detail_rows)
			scrolled = focus_row + 2 - detail_rows;
	}
	scrolled = scrolled < 0 ? 0 : scrolled > max ? max : scrolled;
}

static void step_draw(struct app *a, struct ui_rect r)
{
	int y = r.y, bottom = r.y + r.h, doc, pin, top;

	snapshot_offers(a);
	if (refresh_info(a) < 0) {
		ui_put(r.y + 1, 1, r.w - 2, UI_ROLE_ERROR, _("no step to show"));
		return;
	}
	y = draw_head(a, r, y);
	if (engine_link_lost(a->eng))
		ui_put(y++, 1, r.w - 2, UI_ROLE_FAIL,
		       _(" LINK LOST: checks paused, reconnecting every second "));
	y = draw_panel(a, r, y);
	top = y;
	ui_clip(0, 0);                          /* measure: nothing drawn */
	pin = draw_state(a, r, 0, 1 << 20);
	focus_row = -1;
	doc = draw_detail(a, r, 0);
	ui_unclip();
	if (pin > bottom - top - 2)             /* keep a row of the detail */
		pin = bottom - top - 2;
	detail_rows = bottom - top - pin - (pin > 0);
	clamp_scroll(doc);
	ui_clip(top, top + detail_rows);
	draw_detail(a, r, top - scrolled);
	ui_unclip();
	if (doc > detail_rows)
		ui_put(top + detail_rows - (pin == 0), r.w - 34, 33, UI_ROLE_DIM,
		       _(" PgUp/PgDn: rows %d-%d of %d "), scrolled + 1,
		       scrolled + detail_rows < doc ? scrolled + detail_rows : doc, doc);
	if (pin > 0) {
		ui_fill(bottom - pin - 1, 1, doc > detail_rows ? r.w - 36 : r.w - 2, UI_ROLE_DIM);
		ui_clip(bottom - pin, bottom);
		draw_state(a, r, bottom - pin, bottom);
		ui_unclip();
	}
}

/* ---- keys ---- */

static void fail(struct app *a, const struct zcs_err *err)
{
	ui_say(a, 1, "%s", err->msg);
}

static void cycle(const struct eng_input_info *in, struct ui_field *f, int d)
{
	char list[512], *w[32], *save, *t;
	int n = 0, at = -1;

	zcs_strlcpy(list, strcmp(in->type, "yesno") == 0 ? "yes no" : in->choices ? in->choices : "",
		    sizeof list);
	for (t = strtok_r(list, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	if (!n)
		return;
	for (int i = 0; i < n; i++)
		if (strcmp(w[i], f->buf) == 0)
			at = i;
	at = at < 0 ? 0 : (at + d + n) % n;
	ui_field_set(f, w[at]);
}

static void answer(struct app *a)
{
	struct zcs_err err = { 0 };
	char key[128], prompt[256];

	zcs_strlcpy(key, info.inputs[focus].key, sizeof key);
	zcs_strlcpy(prompt, info.inputs[focus].prompt, sizeof prompt);
	if (engine_answer(a->eng, key, fields[focus].buf, &err) < 0) {
		fail(a, &err);
		zcs_strlcpy(field_err[focus], err.msg, sizeof field_err[focus]);
		refresh_info(a);
		return;
	}
	*field_err[focus] = 0;
	ui_say(a, 0, "%s: %s", prompt, fields[focus].buf);
	refresh_info(a);
	for (int i = focus + 1; i < (int)info.ninputs; i++)
		if (!info.inputs[i].value && !info.inputs[i].optional) {
			focus = i;
			return;
		}
	focus = -1;
}

static void go_next(struct app *a)
{
	struct zcs_err err = { 0 };
	int rc = engine_next(a->eng, &err);

	if (rc < 0)
		fail(a, &err);
	else if (rc == 1)
		ui_push(a, &ui_scr_summary);
	*step_id = 0;
}

static void do_action(struct app *a)
{
	struct zcs_err err = { 0 };
	char said[256];

	if (info.action) {
		zcs_strlcpy(said, info.action_say ? info.action_say : info.action, sizeof said);
		if (ui_flow_action_to_sim(a, info.action) < 0)
			return;
		if (engine_action_done(a->eng, &err) < 0)
			fail(a, &err);
		else
			ui_say(a, 0, _("done: %s"), said);
		ui_flow_sim_changed(a);
	} else if (info.confirm) {
		if (engine_confirm(a->eng, a->installer, &err) < 0)
			fail(a, &err);
		else
			ui_say(a, 0, _("confirmed by %s"), a->installer);
	}
}

static void apply_done(struct app *a, int ok, const char *text)
{
	struct zcs_err err = { 0 };

	if (ok < 0) {
		ui_say(a, 0, _("nothing written yet: a applies, n declines"));
		return;
	}
	if (ok == 0) {
		if (engine_write_decline(a->eng, &err) < 0)
			fail(a, &err);
		else
			ui_say(a, 0, _("declined: nothing written; the decision is recorded"));
		return;
	}
	if (engine_write_apply(a->eng, a->installer, &err) < 0)
		fail(a, &err);
	else if (engine_dry_run_writes(a->eng))
		ui_say(a, 0, _("dry run: nothing was sent"));
	else
		ui_say(a, 0, _("written, read back and recorded"));
}

/* Every request as the installer must see it before saying yes: each
 * register that changes, every other value sent back as read, and in a dry
 * run the request's bytes.  A refused request says why, nothing is sent. */
static size_t sets_text(struct app *a, char *text, size_t size)
{
	const struct eng_write_set *ws;
	size_t n = engine_write_sets(a->eng, &ws), len = 0;
	int dry = engine_dry_run_writes(a->eng);

#define ADD(...) do { if (len < size) len += (size_t)snprintf(text + len, size - len, __VA_ARGS__); } while (0)
	for (size_t i = 0; i < n; i++) {
		const struct eng_write_set *w = &ws[i];
		ADD(_("%s%s on slave %d, one FC 0x10 of %u register%s at 0x%04X:"), i ? "\n" : "",
		    w->name, w->slave, w->words, w->words == 1 ? "" : "s", w->addr);
		if (w->refused) {
			ADD(_("\n  REFUSED, nothing will be sent: %s"), w->refused);
			continue;
		}
		for (size_t j = 0; j < w->nlines; j++)
			if (w->lines[j].changed)
				ADD("\n  %s: %s -> %s%s", i18n_tr(w->lines[j].label), w->lines[j].before,
				    w->lines[j].sent, w->lines[j].commit ? _(" (commit)") : "");
		int echo = 0;
		for (size_t j = 0; j < w->nlines; j++) {
			const char *v = w->lines[j].sent, *raw = strstr(v, " [0x");
			if (!w->lines[j].changed)
				ADD("%s%s %.*s", echo++ ? ", " : _("\n  sent back as read: "),
				    w->lines[j].reg, raw ? (int)(raw - v) : (int)strlen(v), v);
		}
		if (dry)
			ADD(_("\n  frame: %s"), w->frame);
	}
#undef ADD
	return n;
}

static void ask_apply(struct app *a)
{
	char text[sizeof a->modal.text];
	size_t len;

	snapshot_offers(a);
	if (!noffers) {
		ui_say(a, 1, _("this step offers no setting to write"));
		return;
	}
	len = (size_t)snprintf(text, sizeof text, _("Write to the inverter:\n"));
	sets_text(a, text + len, sizeof text - len);
	len = strlen(text);
	if (len < sizeof text)
		snprintf(text + len, sizeof text - len,
			 engine_dry_run_writes(a->eng)
			 ? _("\nDRY RUN: nothing is sent. y: settle as if written; n: do not write; "
			   "Esc: decide later.")
			 : _("\nIt is read back and recorded. y: write now; n: do not write "
			   "(recorded); Esc: decide later."));
	ui_confirm(a, engine_dry_run_writes(a->eng) ? _("Apply setting (dry run)") : _("Apply setting"),
		   text, apply_done);
}

static void toggle_dry_run(struct app *a)
{
	engine_set_dry_run_writes(a->eng, !engine_dry_run_writes(a->eng));
	ui_say(a, 0, engine_dry_run_writes(a->eng)
		   ? _("dry run of writes ON: a shows the frames, nothing is sent")
		   : _("dry run of writes OFF: a writes to the inverter (asks first)"));
}

static void skip_done(struct app *a, int ok, const char *text)
{
	struct zcs_err err = { 0 };

	if (!ok)
		return;
	if (!*text) {
		ui_say(a, 1, _("a skip needs a reason: nothing changed"));
		return;
	}
	if (engine_skip(a->eng, text, &err) < 0)
		fail(a, &err);
	else
		ui_say(a, 0, _("skipped: %s"), text);
}

static int field_key(struct app *a, int ch, enum ui_action act)
{
	const struct eng_input_info *in = &info.inputs[focus];

	if (act == UI_ACT_ENTER) {
		answer(a);
		return UI_DONE;
	}
	if (is_pick(in) && (act == UI_ACT_LEFT || act == UI_ACT_RIGHT)) {
		cycle(in, &fields[focus], act == UI_ACT_LEFT ? -1 : 1);
		return UI_DONE;
	}
	if (act == UI_ACT_BACK) {
		focus = -1;
		return UI_DONE;
	}
	if (ui_field_key(&fields[focus], ch))
		return UI_DONE;
	return UI_PASS;
}

static int move_focus(int d)
{
	int n = (int)info.ninputs + 1;   /* the inputs and "none" */

	if (info.ninputs == 0)
		return UI_PASS;
	focus = ((focus < 0 ? n - 1 : focus) + d + n) % n;
	if (focus == n - 1)
		focus = -1;
	return UI_DONE;
}

static int step_action(struct app *a, enum ui_action act)
{
	struct zcs_err err = { 0 };

	switch (act) {
	case UI_ACT_NEXT: go_next(a); break;
	case UI_ACT_PREV:
		if (engine_back(a->eng, &err) < 0)
			fail(a, &err);
		*step_id = 0;
		break;
	case UI_ACT_RECHECK:
		if (engine_recheck(a->eng, &err) < 0)
			fail(a, &err);
		else
			ui_say(a, 0, _("checking again: a new evidence window starts"));
		break;
	case UI_ACT_SKIP:
		ui_ask_text(a, _("Skip step"), _("Why is this step skipped? The reason is recorded "
			    "with your name."), "", skip_done);
		break;
	case UI_ACT_APPLY: ask_apply(a); break;
	case UI_ACT_FIX:
	case UI_ACT_INSTRUMENTS:
		if (!a->training || !a->ex) {
			ui_say(a, 1, _("on a real unit do it by hand; %s and %s are for training"),
			       ui_key_shown(UI_ACT_INSTRUMENTS), ui_key_shown(UI_ACT_FIX));
			break;
		}
		ui_push(a, act == UI_ACT_FIX ? &ui_scr_fix : &ui_scr_look);
		break;
	case UI_ACT_REMEDY:
		if (!a->in_exercise || !a->ex)
			ui_say(a, 1, _("the remedy is shown under a failing step"));
		else if (info.status != ENG_FAILED)
			ui_say(a, 1, _("this step has not failed: no remedy to read"));
		else
			ex_remedy_read(a->ex, info.id);
		break;
	case UI_ACT_DRYRUN: toggle_dry_run(a); break;
	case UI_ACT_DONE: do_action(a); break;
	case UI_ACT_ENTER:
		if (info.action || info.confirm)
			do_action(a);
		else if (info.status == ENG_PASSED || info.status == ENG_NA ||
			 info.status == ENG_SKIPPED)
			go_next(a);
		else
			return UI_PASS;
		break;
	default:
		return UI_PASS;
	}
	return UI_DONE;
}

/* PgUp/PgDn a page, the arrows a row (when no field has the focus). */
static int scroll_key(enum ui_action act)
{
	int page = detail_rows > 2 ? detail_rows - 1 : 1;

	scrolled += act == UI_ACT_PGDN ? page : act == UI_ACT_PGUP ? -page :
		  act == UI_ACT_DOWN ? 1 : -1;
	if (scrolled < 0)
		scrolled = 0;
	focus = -1;
	return UI_DONE;
}

static int step_key(struct app *a, int ch, enum ui_action act)
{
	if (refresh_info(a) < 0)
		return UI_PASS;
	if (act == UI_ACT_PGDN || act == UI_ACT_PGUP)
		return scroll_key(act);
	if ((act == UI_ACT_DOWN || act == UI_ACT_UP) && focus < 0)
		return scroll_key(act);
	if (act == UI_ACT_TAB || act == UI_ACT_DOWN)
		return move_focus(1);
	if (act == UI_ACT_UP || ch == KEY_BTAB)
		return move_focus(-1);
	if (focus >= 0 && focus < (int)info.ninputs) {
		int r = field_key(a, ch, act);

		if (r != UI_PASS)
			return r;
	}
	return step_action(a, act);
}

static int step_typing(struct app *a)
{
	return focus >= 0 && focus < (int)info.ninputs;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_NEXT, UI_ACT_PREV,
					UI_ACT_RECHECK, UI_ACT_SKIP, UI_ACT_OVERVIEW, UI_ACT_NONE };

const struct ui_screen ui_scr_step = {
	.name = N_("Step"),
	.enter = step_enter,
	.draw = step_draw,
	.key = step_key,
	.typing = step_typing,
	.hints = hints,
	.uses_core = 1,
};
