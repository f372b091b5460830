/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fix (training): the physical actions a trainee can take on the plant,
 * from the catalogue (data/scenarios/training.conf).  Enter does the one
 * chosen: the simulator applies it through its control channel, a wrong
 * one has its own consequence and is counted; then c on the step checks
 * again against the live device. */
#include <stdio.h>

#include "engine/exercise.h"
#include "app.h"
#include "draw.h"
#include "flow.h"

static int sel, top;

static void fix_enter(struct app *a)
{
	sel = top = 0;
}

static void fix_draw(struct app *a, struct ui_rect r)
{
	int n = ex_nactions(a->ex), rows = r.h - 4, y = r.y + 1;

	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Do something on the plant (Enter), Esc: back "
	       "to the step. Then c checks again."));
	y++;
	if (sel < top)
		top = sel;
	if (sel >= top + rows)
		top = sel - rows + 1;
	for (int i = top; i < n && y < r.y + r.h; i++, y++)
		ui_put(y, 2, r.w - 3, i == sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%s %2d  %s",
		       i == sel ? ">" : " ", i + 1, i18n_tr(ex_action_label(a->ex, i)));
}

static int fix_key(struct app *a, int ch, enum ui_action act)
{
	int n = ex_nactions(a->ex);

	switch (act) {
	case UI_ACT_UP: sel = (sel + n - 1) % n; return UI_DONE;
	case UI_ACT_DOWN: sel = (sel + 1) % n; return UI_DONE;
	case UI_ACT_PGUP: sel = sel > 10 ? sel - 10 : 0; return UI_DONE;
	case UI_ACT_PGDN: sel = sel + 10 < n ? sel + 10 : n - 1; return UI_DONE;
	case UI_ACT_ENTER:
		ui_flow_fix(a, sel);
		ui_pop(a);
		return UI_DONE;
	case UI_ACT_FIX: ui_pop(a); return UI_DONE;
	default: return UI_PASS;
	}
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_DOWN, UI_ACT_BACK, UI_ACT_NONE };

const struct ui_screen ui_scr_fix = {
	.name = N_("Fix"),
	.enter = fix_enter,
	.draw = fix_draw,
	.key = fix_key,
	.hints = hints,
	.uses_core = 1,
};
