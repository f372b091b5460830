/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Help: every key from the one table, then the screens and themes. */
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "app.h"
#include "draw.h"
#include "flow.h"

static int top;

static const char *const about[] = {
	"",
	N_("Screens: Connect, Session, Step (one per checklist step), DIP switches,"),
	N_("Wiring and pinouts, Steps overview, Summary, Records, Help."),
	N_("Each step cites the installer guide's section (e.g. 11.7). A verdict is"),
	N_("always written as PASS, FAIL or WAIT; colour only helps."),
	"",
	N_("The status bar shows the link, requests per second, the age of the last"),
	N_("reading and the last error. A slow or dead link never blocks the keys."),
	"",
	N_("Themes: colour, high contrast (for sunlight: --theme high-contrast) and"),
	N_("monochrome (NO_COLOR or --no-color). Press t to switch."),
	N_("Training mode (no connection given): the built-in simulator plays the"),
	N_("inverter and the plant; installer actions you confirm are done to it."),
	N_("A blind exercise (Exercise N) hides its faults until the end: i shows the"),
	N_("plant (nameplates, DIP switches, LEDs, display, clamp meter, meter), f acts"),
	N_("on it (a wrong fix is counted), m shows a failing step's remedy (counted),"),
	N_("c checks again. The score is on the summary and in the record."),
};

static void help_enter(struct app *a)
{
	top = 0;
}

static int total_rows(void)
{
	return ui_nkeys + 2 + (int)(sizeof about / sizeof about[0]);
}

static void help_draw(struct app *a, struct ui_rect r)
{
	int row = 0, y = r.y;

	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Keys (the same everywhere; Esc returns)"));
	for (int i = 0; i < ui_nkeys && y < r.y + r.h; i++, row++) {
		if (row < top)
			continue;
		ui_put(y, 2, 12, UI_ROLE_HEADING, "%s", ui_keys[i].shown);
		ui_put(y++, 14, r.w - 15, UI_ROLE_NORMAL, "%s", _(ui_keys[i].help));
	}
	for (size_t i = 0; i < sizeof about / sizeof about[0] && y < r.y + r.h; i++, row++) {
		if (row < top)
			continue;
		ui_put(y++, 2, r.w - 3, UI_ROLE_NORMAL, "%s", *about[i] ? _(about[i]) : "");
	}
}

static int help_key(struct app *a, int ch, enum ui_action act)
{
	int page = LINES - 5, max = total_rows() - page;

	switch (act) {
	case UI_ACT_DOWN: top++; break;
	case UI_ACT_UP: top--; break;
	case UI_ACT_PGDN: top += page; break;
	case UI_ACT_PGUP: top -= page; break;
	case UI_ACT_HELP:
	case UI_ACT_ENTER: ui_pop(a); return UI_DONE;
	case UI_ACT_LANG: {
		/* Italian <-> English, at once on every screen; a session under way
		 * records the change (its reports are asked in either language). */
		struct zcs_err err = { 0 };
		const char *to = strcmp(i18n_lang(), "it") == 0 ? "en" : "it";

		i18n_set_lang(to);
		if (a->eng && a->obs.link_event)
			a->obs.link_event(a->obs.ctx, "language", to, 0, &err);
		ui_say(a, 0, _("language: English"));
		return UI_DONE;
	}
	default: return UI_PASS;
	}
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	return UI_DONE;
}

static const enum ui_action hints[] = { UI_ACT_BACK, UI_ACT_PGDN, UI_ACT_THEME, UI_ACT_LANG, UI_ACT_NONE };

const struct ui_screen ui_scr_help = {
	.name = N_("Help"),
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.hints = hints,
};
