/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Overview: every step with its state; Enter goes to the step. */
#include <stdio.h>

#include "base/i18n.h"
#include "base/util.h"
#include "engine/engine.h"
#include "app.h"
#include "draw.h"
#include "verdict.h"

static int sel, top;

static void overview_enter(struct app *a)
{
	sel = a->eng ? engine_current(a->eng) : 0;
	top = 0;
}

static void counts(struct app *a, int *c)
{
	for (size_t i = 0; i < engine_nsteps(a->eng); i++)
		c[engine_status(a->eng, (int)i)]++;
}

static void overview_draw(struct app *a, struct ui_rect r)
{
	int c[ENG_NA + 1] = { 0 }, rows = r.h - 3, n = (int)engine_nsteps(a->eng);
	int cur = engine_current(a->eng);
	struct eng_step_info s;

	counts(a, c);
	ui_put(r.y, 1, r.w - 2, UI_ROLE_HEADING,
	       _("%d steps: %d PASS, %d FAIL, %d SKIPPED, %d N/A, %d to do"), n, c[ENG_PASSED],
	       c[ENG_FAILED], c[ENG_SKIPPED], c[ENG_NA],
	       c[ENG_PENDING] + c[ENG_ACTIVE] + c[ENG_CHECKING]);
	if (sel < top)
		top = sel;
	if (sel >= top + rows)
		top = sel - rows + 1;
	for (int i = top, y = r.y + 2; i < n && y < r.y + r.h; i++, y++) {
		enum eng_status st = engine_status(a->eng, i);

		if (engine_step(a->eng, i, &s) < 0)
			break;
		ui_put(y, 1, 2, UI_ROLE_NORMAL, "%s", i == cur ? ">" : " ");
		ui_put(y, 3, 10, ui_status_role(st), " %-8s ", ui_status_word(st));
		ui_put(y, 14, r.w - 15, i == sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%-6s %-40.40s %s",
		       s.section, i18n_tr(s.title), s.id);
	}
}

static int overview_key(struct app *a, int ch, enum ui_action act)
{
	int n = (int)engine_nsteps(a->eng), page = LINES - 6;
	struct zcs_err err = { 0 };
	struct eng_step_info s;
	char id[128];

	switch (act) {
	case UI_ACT_UP: sel--; break;
	case UI_ACT_DOWN: sel++; break;
	case UI_ACT_PGUP: sel -= page; break;
	case UI_ACT_PGDN: sel += page; break;
	case UI_ACT_OVERVIEW: ui_pop(a); return UI_DONE;
	case UI_ACT_ENTER:
		if (engine_step(a->eng, sel, &s) < 0)
			return UI_DONE;
		zcs_strlcpy(id, s.id, sizeof id);
		if (engine_goto(a->eng, id, &err) < 0)
			ui_say(a, 1, "%s", err.msg);
		else
			ui_pop(a);
		return UI_DONE;
	default: return UI_PASS;
	}
	if (sel >= n)
		sel = n - 1;
	if (sel < 0)
		sel = 0;
	return UI_DONE;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_DOWN, UI_ACT_BACK, UI_ACT_SUMMARY,
					UI_ACT_NONE };

const struct ui_screen ui_scr_overview = {
	.name = N_("Steps overview"),
	.enter = overview_enter,
	.draw = overview_draw,
	.key = overview_key,
	.hints = hints,
	.uses_core = 1,
};
