/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Session: who commissions what, where; or pick one of the unit's
 * unfinished sessions (the one left last comes first) and resume it. */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "base/util.h"
#include "records/records.h"
#include "app.h"
#include "draw.h"
#include "flow.h"

enum { F_INSTALLER, F_SITE, F_CUSTOMER, F_START, F_LIST };

static struct ui_field fields[3];
static int focus, first;        /* first: the list's first row shown */

static const char *const labels[] = { N_("Installer"), N_("Site (address)"), N_("Customer") };

static int nfocus(struct app *a)
{
	return F_LIST + (int)a->nunfinished;
}

static void session_enter(struct app *a)
{
	ui_field_set(&fields[F_INSTALLER], a->installer);
	ui_field_set(&fields[F_SITE], a->site);
	ui_field_set(&fields[F_CUSTOMER], a->customer);
	focus = a->nunfinished ? F_LIST : F_INSTALLER;
	first = 0;
}

/* "> #12  2026-12-01 20:31  training  Mario Rossi  at batteries.model (7 settled)" */
static void draw_row(struct app *a, const struct records_summary *s, int y, int w, int sel)
{
	char when[40], who[96];

	zcs_iso_time(s->started_ms, when, sizeof when);
	when[16] = 0;
	when[10] = ' ';
	ui_put(y, 2, 2, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%s", sel ? ">" : " ");
	ui_put(y, 4, w, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL,
	       _("#%-3lld %s  %-8s  %s  at %s (%d settled)"), s->id, when,
	       s->training ? _("training") : _("field"),
	       utf8_cell(who, sizeof who, s->installer ? s->installer : "-", 18, 0),
	       s->current_step ? s->current_step : _("the start"),
	       s->npassed + s->nskipped + s->nna);
}

static void draw_list(struct app *a, int y, int bottom, int w)
{
	int rows = bottom - y - 1, sel = focus - F_LIST;

	ui_put(y++, 1, w, UI_ROLE_HEADING, _("Unfinished sessions of this unit (%zu; Enter resumes "
	       "the one marked >):"), a->nunfinished);
	if (rows < 1)
		return;
	if (sel >= 0 && sel < first)
		first = sel;
	if (sel >= first + rows)
		first = sel - rows + 1;
	for (int i = first; i < (int)a->nunfinished && y < bottom; i++, y++)
		draw_row(a, &a->unfinished[i], y, w - 4, i == sel);
}

static void session_draw(struct app *a, struct ui_rect r)
{
	int y = r.y + 1;

	if (a->identified) {
		ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Unit %s  %s  (%s)"), a->id.serial,
		       a->id.model, a->id.layout);
		ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, _("firmware COM %s, master %s, slave %s"),
		       a->id.fw_com, a->id.fw_master, a->id.fw_slave);
	} else {
		ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Unit not identified yet"));
		ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, _("it answers once it has power (section 12): "
		       "the record begins now, the unit is read at step session.identity"));
	}
	y++;
	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("A new session (kept in the record)"));
	for (int i = 0; i < 3; i++, y++) {
		ui_put(y, 2, 18, focus == i ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%-18s", _(labels[i]));
		ui_field_draw(&fields[i], y, 21, r.w - 24 < 50 ? r.w - 24 : 50, focus == i);
	}
	ui_put(y++, 6, r.w - 8, focus == F_START ? UI_ROLE_SELECT : UI_ROLE_HEADING,
	       _("[ Start a new commissioning ]"));
	y++;
	if (a->nunfinished)
		draw_list(a, y, r.y + r.h, r.w - 2);
	else
		ui_put(y, 1, r.w - 2, UI_ROLE_DIM, _("No unfinished session of this unit to resume."));
}

static void start_new(struct app *a)
{
	zcs_strlcpy(a->installer, fields[F_INSTALLER].buf, sizeof a->installer);
	zcs_strlcpy(a->site, fields[F_SITE].buf, sizeof a->site);
	zcs_strlcpy(a->customer, fields[F_CUSTOMER].buf, sizeof a->customer);
	if (!*a->installer) {
		ui_say(a, 1, _("type the installer's name first: the record says who commissioned"));
		focus = F_INSTALLER;
		return;
	}
	ui_flow_start(a, 0);
}

static int session_key(struct app *a, int ch, enum ui_action act)
{
	int n = nfocus(a);

	if (act == UI_ACT_UP || ch == KEY_BTAB) {
		focus = (focus + n - 1) % n;
		return UI_DONE;
	}
	if (act == UI_ACT_DOWN || act == UI_ACT_TAB) {
		focus = (focus + 1) % n;
		return UI_DONE;
	}
	if (act == UI_ACT_PGDN || act == UI_ACT_PGUP) {
		if (a->nunfinished)
			focus = act == UI_ACT_PGUP ? F_LIST : n - 1;
		return UI_DONE;
	}
	if (act == UI_ACT_ENTER) {
		if (focus < F_START)
			focus++;
		else if (focus == F_START)
			start_new(a);
		else
			ui_flow_start(a, a->unfinished[focus - F_LIST].id);
		return UI_DONE;
	}
	if (act == UI_ACT_BACK) {
		ui_go(a, &ui_scr_connect);
		return UI_DONE;
	}
	if (focus < F_START && ui_field_key(&fields[focus], ch))
		return UI_DONE;
	/* A name typed while a button or a session is chosen is the
	 * installer's: it goes to that field, it never opens a screen. */
	if (focus >= F_START && ui_key_char(ch) > ' ' && ui_field_key(&fields[F_INSTALLER], ch)) {
		focus = F_INSTALLER;
		return UI_DONE;
	}
	return UI_PASS;
}

/* A form: letters are names, never hotkeys, wherever the focus is. */
static int session_typing(struct app *a)
{
	return 1;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_TAB, UI_ACT_BACK, UI_ACT_RECORDS,
					UI_ACT_NONE };

const struct ui_screen ui_scr_session = {
	.name = N_("Session"),
	.enter = session_enter,
	.draw = session_draw,
	.key = session_key,
	.typing = session_typing,
	.hints = hints,
	.uses_core = 1,
};
