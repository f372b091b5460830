/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wiring and pinouts: the text diagrams of data/wiring, one at a time. */
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "engine/wiring.h"
#include "app.h"
#include "draw.h"

static struct wiring_set set;
static int loaded, cur, top;
static char load_error[512];
/* the diagram shown, in the language shown (the help screen can switch it) */
static char **view;
static size_t nview;
static int view_of = -1;
static char view_lang[8];

static void make_view(void)
{
	if (view_of == cur && strcmp(view_lang, i18n_lang()) == 0)
		return;
	wiring_lines_free(view, nview);
	view = wiring_lines(&set.d[cur], &nview);
	view_of = cur;
	snprintf(view_lang, sizeof view_lang, "%s", i18n_lang());
}

static void wiring_enter(struct app *a)
{
	struct zcs_err err = { 0 };

	if (loaded)
		return;
	if (wiring_load(NULL, &set, &err) < 0)
		snprintf(load_error, sizeof load_error, "%s", err.msg);
	loaded = 1;
}

static void draw_tabs(struct ui_rect r)
{
	int x = 1;

	for (size_t i = 0; i < set.n && x < r.w; i++)
		x += ui_put(r.y, x, r.w - x, (int)i == cur ? UI_ROLE_SELECT : UI_ROLE_DIM,
			    " %s ", set.d[i].section) + 1;
}

static void wiring_draw(struct app *a, struct ui_rect r)
{
	const struct wiring_diagram *d;
	int y;

	if (*load_error) {
		ui_wrap(r.y + 1, 1, r.w - 2, r.h - 1, UI_ROLE_ERROR, load_error);
		return;
	}
	if (set.n == 0) {
		ui_put(r.y + 1, 1, r.w - 2, UI_ROLE_WARN, _("No diagrams in the data directory's wiring/."));
		return;
	}
	d = &set.d[cur];
	make_view();
	draw_tabs(r);
	ui_put(r.y + 1, 1, r.w - 2, UI_ROLE_HEADING, _("%s  (manual %s, confidence %c)"),
	       wiring_title(d), d->section, d->conf);
	y = r.y + 3;
	for (size_t i = (size_t)top; i < nview && y < r.y + r.h; i++)
		ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, "%s", view[i]);
	if (*d->source && y < r.y + r.h)
		ui_put(r.y + r.h - 1, 1, r.w - 2, UI_ROLE_DIM, _("source: %s"), d->source);
}

static int wiring_key(struct app *a, int ch, enum ui_action act)
{
	int n = (int)set.n;

	switch (act) {
	case UI_ACT_RIGHT:
	case UI_ACT_TAB:
		if (n)
			cur = (cur + 1) % n;
		top = 0;
		return UI_DONE;
	case UI_ACT_LEFT:
		if (n)
			cur = (cur + n - 1) % n;
		top = 0;
		return UI_DONE;
	case UI_ACT_DOWN:
		if (n)
			make_view();
		if (n && top + 1 < (int)nview)
			top++;
		return UI_DONE;
	case UI_ACT_UP:
		if (top > 0)
			top--;
		return UI_DONE;
	case UI_ACT_ENTER:
	case UI_ACT_WIRING:
		ui_pop(a);
		return UI_DONE;
	default:
		return UI_PASS;
	}
}

static const enum ui_action hints[] = { UI_ACT_BACK, UI_ACT_RIGHT, UI_ACT_LEFT, UI_ACT_DOWN,
					UI_ACT_NONE };

const struct ui_screen ui_scr_wiring = {
	.name = N_("Wiring and pinouts"),
	.enter = wiring_enter,
	.draw = wiring_draw,
	.key = wiring_key,
	.hints = hints,
};
