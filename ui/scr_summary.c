/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary: what was commissioned, what passed, what did not and why; F
 * finishes the session in the records. */
#include <stdio.h>
#include <string.h>

#include "engine/exercise.h"

#include "base/i18n.h"
#include "engine/engine.h"
#include "records/records.h"
#include "app.h"
#include "draw.h"
#include "flow.h"
#include "verdict.h"

static int top;

static void summary_enter(struct app *a)
{
	top = 0;
}

/* The checklist's answer, else what the Session screen took, else "-". */
static const char *said(struct app *a, const char *key, const char *typed)
{
	const char *v = engine_answer_of(a->eng, key);

	return v && *v ? v : *typed ? typed : "-";
}

static int draw_facts(struct app *a, struct ui_rect r, int y)
{
	int c[ENG_NA + 1] = { 0 };
	int all = engine_all_passed(a->eng);

	for (size_t i = 0; i < engine_nsteps(a->eng); i++)
		c[engine_status(a->eng, (int)i)]++;
	ui_put(y, 1, r.w - 2, all ? UI_ROLE_PASS : UI_ROLE_WAIT, " %s ",
	       all ? _("COMPLETE: every applicable step passed") : _("NOT COMPLETE"));
	if (a->finished)
		ui_put(y, 45, r.w - 46, UI_ROLE_HEADING, _("recorded as session %lld"),
		       records_session_id(a->rec));
	y += 2;
	/* the unit as the engine identified it, once it had power (section 12) */
	const struct unit_ident *id = engine_ident(a->eng) ? engine_ident(a->eng) : &a->id;
	ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, _("Unit %s %s (%s), firmware COM %s"),
	       *id->serial ? id->serial : "not identified", id->model, id->layout, id->fw_com);
	ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, _("Installer %s   site %s   customer %s%s"),
	       said(a, _("installer"), a->installer), said(a, _("site"), a->site),
	       said(a, _("customer"), a->customer), a->training ? _("   (TRAINING)") : "");
	ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL,
	       _("%zu steps: %d PASS, %d FAIL, %d SKIPPED, %d N/A, %d not done"),
	       engine_nsteps(a->eng), c[ENG_PASSED], c[ENG_FAILED], c[ENG_SKIPPED], c[ENG_NA],
	       c[ENG_PENDING] + c[ENG_ACTIVE] + c[ENG_CHECKING]);
	return y + 1;
}

/* An exercise's score; its faults are revealed once the record is closed. */
static int draw_score(struct app *a, struct ui_rect r, int y)
{
	char text[16384], *save, *line, t[32];
	struct ex_score sc;
	long long secs;

	ex_score_text(a->ex, text, sizeof text);
	ex_score_parse(text, &sc);
	secs = (long long)(sc.total_ms / 1000);
	ui_put(y, 1, r.w - 2, strcmp(sc.result, "pass") ? UI_ROLE_FAIL : UI_ROLE_PASS,
	       " %s (%s): %s ", ex_title(a->ex, t, sizeof t), sc.level,
	       a->finished ? (strcmp(sc.result, "pass") ? _("FAIL") : _("PASS")) : _("score so far"));
	ui_put(y++, 40, r.w - 41, UI_ROLE_NORMAL, _("target: every fault, %d min, %d wrong fixes"),
	       (int)(sc.target_ms / 60000), sc.target_wrong);
	ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL,
	       _("Faults: %d found, %d missed   wrong fixes %d   remedies read %d   skipped %d   "
	       "forced %d   time %lld:%02lld"), sc.found, sc.missed, sc.wrong, sc.remedies,
	       sc.skipped, sc.forced, secs / 60, secs % 60);
	if (!a->finished) {
		ui_put(y++, 1, r.w - 2, UI_ROLE_DIM, _("The faults are shown when the record is closed."));
		return y + 1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[48], origin[16], at[96], state[16];

		if (sscanf(line, "fault %47s %15s %95s %15s", name, origin, at, state) == 4)
			ui_put(y++, 2, r.w - 3, strcmp(at, "-") ? UI_ROLE_NORMAL : UI_ROLE_FAIL,
			       "%-28s %s%-22s %s (%s)", name, strcmp(at, "-") ? _("found at ") : "",
			       strcmp(at, "-") ? at : _("MISSED"), state, origin);
		else if (strncmp(line, "wrong_fix ", 10) == 0)
			ui_put(y++, 2, r.w - 3, UI_ROLE_WARN, _("wrong fix: %s"), line + 10);
	}
	return y + 1;
}

static void summary_draw(struct app *a, struct ui_rect r)
{
	int y = draw_facts(a, r, r.y + 1), row = 0;

	if (a->in_exercise && a->ex && a->ex->def)
		y = draw_score(a, r, y);
	struct eng_step_info s;

	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Steps that did not pass"));
	for (size_t i = 0; i < engine_nsteps(a->eng) && y < r.y + r.h - 1; i++) {
		enum eng_status st = engine_status(a->eng, (int)i);

		if (st == ENG_PASSED || st == ENG_NA || row++ < top)
			continue;
		if (engine_step(a->eng, (int)i, &s) < 0)
			break;
		ui_put(y, 2, 10, ui_status_role(st), " %-8s ", ui_status_word(st));
		ui_put(y++, 13, r.w - 14, UI_ROLE_NORMAL, "%-6s %s%s%s", s.section, i18n_tr(s.title),
		       st == ENG_SKIPPED && s.reason ? ": " : "",
		       st == ENG_SKIPPED && s.reason ? s.reason : "");
	}
	if (row == 0)
		ui_put(y++, 2, r.w - 3, UI_ROLE_NORMAL, _("none"));
	ui_put(r.y + r.h - 1, 1, r.w - 2, UI_ROLE_HEADING, "%s",
	       a->finished ? _("The record is closed. q: quit, r: review records.")
			   : _("Enter: finish and close the record   Esc: back to the steps"));
}

static void close_done(struct app *a, int ok, const char *text)
{
	if (ok == 1)
		ui_flow_finish(a);
}

static int summary_key(struct app *a, int ch, enum ui_action act)
{
	switch (act) {
	case UI_ACT_ENTER:
		if (a->finished)
			return UI_DONE;
		if (engine_all_passed(a->eng))
			ui_flow_finish(a);
		else
			ui_confirm(a, _("Close the record"),
				   _("Not every applicable step passed. Close the record as NOT "
				   "COMPLETE? It can then no longer be resumed."), close_done);
		return UI_DONE;
	case UI_ACT_DOWN: top++; return UI_DONE;
	case UI_ACT_UP: if (top > 0) top--; return UI_DONE;
	case UI_ACT_SUMMARY: ui_pop(a); return UI_DONE;
	default: return UI_PASS;
	}
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_BACK, UI_ACT_OVERVIEW,
					UI_ACT_RECORDS, UI_ACT_NONE };

const struct ui_screen ui_scr_summary = {
	.name = N_("Summary"),
	.enter = summary_enter,
	.draw = summary_draw,
	.key = summary_key,
	.hints = hints,
	.uses_core = 1,
};
