/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Help: every key from the one table, then the screens and themes. */
#include <stdio.h>
#include <curses.h>

#include "app.h"
#include "draw.h"
#include "flow.h"

static int top;

static const char *const about[] = {
	"",
	"Screens: Connect, Session, Step (one per checklist step), DIP switches,",
	"Wiring and pinouts, Steps overview, Summary, Records, Help.",
	"Each step cites the installer guide's section (e.g. 11.7). A verdict is",
	"always written as PASS, FAIL or WAIT; colour only helps.",
	"",
	"The status bar shows the link, requests per second, the age of the last",
	"reading and the last error. A slow or dead link never blocks the keys.",
	"",
	"Themes: colour, high contrast (for sunlight: --theme high-contrast) and",
	"monochrome (NO_COLOR or --no-color). Press t to switch.",
	"Training mode (no connection given): the built-in simulator plays the",
	"inverter and the plant; installer actions you confirm are done to it.",
	"A blind exercise (Exercise N) hides its faults until the end: i shows the",
	"plant (nameplates, DIP switches, LEDs, display, clamp meter, meter), f acts",
	"on it (a wrong fix is counted), m shows a failing step's remedy (counted),",
	"c checks again. The score is on the summary and in the record.",
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

	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, "Keys (the same everywhere; Esc returns)");
	for (int i = 0; i < ui_nkeys && y < r.y + r.h; i++, row++) {
		if (row < top)
			continue;
		ui_put(y, 2, 12, UI_ROLE_HEADING, "%s", ui_keys[i].shown);
		ui_put(y++, 14, r.w - 15, UI_ROLE_NORMAL, "%s", ui_keys[i].help);
	}
	for (size_t i = 0; i < sizeof about / sizeof about[0] && y < r.y + r.h; i++, row++) {
		if (row < top)
			continue;
		ui_put(y++, 2, r.w - 3, UI_ROLE_NORMAL, "%s", about[i]);
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
	default: return UI_PASS;
	}
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	return UI_DONE;
}

static const enum ui_action hints[] = { UI_ACT_BACK, UI_ACT_PGDN, UI_ACT_THEME, UI_ACT_NONE };

const struct ui_screen ui_scr_help = {
	.name = "Help",
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.hints = hints,
};
