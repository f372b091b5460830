/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Records: the stored commissioning sessions.  A list (filter with /),
 * one session shown in full (the records' own text report), and the QA
 * decision: approve or reject with the reviewer's name and reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "base/util.h"
#include "records/records.h"
#include "app.h"
#include "draw.h"

static struct records_summary *list;
static size_t nlist;
static int *shown, nshown, sel, top;
static char flt_text[128];
static long long open_id;      /* the session shown, 0: the list */
static char **lines;
static size_t nlines;
static char reviewer[64];

static void free_lines(void)
{
	for (size_t i = 0; i < nlines; i++)
		free(lines[i]);
	free(lines);
	lines = NULL;
	nlines = 0;
}

static int matches(const struct records_summary *s)
{
	char hay[1024];

	if (!*flt_text)
		return 1;
	/* the stored words and the words shown both find a session */
	snprintf(hay, sizeof hay, "#%lld %s %s %s %s %s %s %s %s %s %s %s", s->id,
		 s->installer ? s->installer : "", s->site ? s->site : "",
		 s->customer ? s->customer : "", s->serial ? s->serial : "", s->model ? s->model : "",
		 s->verdict, s->review, s->training ? "training" : "field", i18n_tr(s->verdict),
		 i18n_tr(s->review), s->training ? _("training") : _("field"));
	/* accents and case folded: "pieta" finds "Niccolò Pietà" */
	{
		char *h = utf8_fold(hay), *n = utf8_fold(flt_text);
		int found = strstr(h, n) != NULL;

		free(h);
		free(n);
		return found;
	}
}

static void load_list(struct app *a)
{
	struct records_filter f;
	struct zcs_err err = { 0 };

	records_free_list(list, nlist);
	list = NULL;
	nlist = 0;
	records_filter_init(&f);
	if (records_list(a->rec, &f, &list, &nlist, &err) < 0)
		ui_say(a, 1, "%s", err.msg);
	free(shown);
	shown = xcalloc(nlist + 1, sizeof *shown);
	nshown = 0;
	for (size_t i = 0; i < nlist; i++)
		if (matches(&list[i]))
			shown[nshown++] = (int)i;
	if (sel >= nshown)
		sel = nshown ? nshown - 1 : 0;
}

static void load_session(struct app *a, long long id)
{
	char *buf = NULL, *save, *l;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct zcs_err err = { 0 };

	free_lines();
	if (!f || records_export(a->rec, id, RECORDS_TEXT, f, &err) < 0) {
		if (f)
			fclose(f);
		free(buf);
		ui_say(a, 1, "%s", *err.msg ? err.msg : _("cannot show the record"));
		return;
	}
	fclose(f);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		lines = xrealloc(lines, (nlines + 1) * sizeof *lines);
		lines[nlines++] = xstrdup(l);
	}
	free(buf);
	open_id = id;
	top = 0;
}

static void records_enter(struct app *a)
{
	open_id = 0;
	top = 0;
	load_list(a);
}

static void records_leave(struct app *a)
{
	free_lines();
	records_free_list(list, nlist);
	list = NULL;
	nlist = 0;
	free(shown);
	shown = NULL;
	open_id = 0;
}

static void draw_list(struct app *a, struct ui_rect r)
{
	int rows = r.h - 3;
	char when[40], who[96], sn[96];

	ui_put(r.y, 1, r.w - 2, UI_ROLE_HEADING, _("%d of %zu sessions%s%s%s  (%s)"), nshown, nlist,
	       *flt_text ? " matching \"" : "", flt_text, *flt_text ? "\"" : "", records_path(a->rec));
	ui_put(r.y + 1, 1, r.w - 2, UI_ROLE_DIM, "%-6s %-17s %-14s %-16s %-10s %-9s %s", "id",
	       _("started"), _("installer"), _("serial"), _("verdict"), _("review"), _("mode"));
	if (sel < top)
		top = sel;
	if (sel >= top + rows)
		top = sel - rows + 1;
	for (int i = top, y = r.y + 2; i < nshown && y < r.y + r.h; i++, y++) {
		const struct records_summary *s = &list[shown[i]];

		zcs_iso_time(s->started_ms, when, sizeof when);
		when[16] = 0;
		ui_put(y, 1, r.w - 2, i == sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL,
		       "#%-5lld %-17s %s %s %-12s %-9s %s", s->id, when,
		       utf8_cell(who, sizeof who, s->installer ? s->installer : "", 14, 0),
		       utf8_cell(sn, sizeof sn, s->serial ? s->serial : "", 16, 0),
		       i18n_tr(s->verdict), i18n_tr(s->review), s->training ? _("training") : _("field"));
	}
	if (!nshown)
		ui_put(r.y + 3, 2, r.w - 3, UI_ROLE_NORMAL, _("no sessions%s"), *flt_text ? _(" match") : _(" yet"));
}

static void records_draw(struct app *a, struct ui_rect r)
{
	if (!open_id) {
		draw_list(a, r);
		return;
	}
	ui_put(r.y, 1, r.w - 2, UI_ROLE_HEADING, _("Session #%lld   A: approve   R: reject   Esc: list"),
	       open_id);
	for (size_t i = (size_t)top, y = (size_t)r.y + 1; i < nlines && y < (size_t)(r.y + r.h);
	     i++, y++)
		ui_put((int)y, 1, r.w - 2, UI_ROLE_NORMAL, "%s", lines[i]);
}

static void filter_done(struct app *a, int ok, const char *text)
{
	if (!ok)
		return;
	zcs_strlcpy(flt_text, text, sizeof flt_text);
	sel = 0;
	load_list(a);
}

static int pending_approve;

static void reason_done(struct app *a, int ok, const char *text)
{
	struct zcs_err err = { 0 };

	if (!ok)
		return;
	if (!pending_approve && !*text) {
		ui_say(a, 1, _("a rejection needs a reason: nothing recorded"));
		return;
	}
	if (records_review(a->rec, open_id, pending_approve, reviewer, *text ? text : NULL, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return;
	}
	ui_say(a, 0, _("session %lld %s by %s"), open_id, pending_approve ? _("approved") : _("rejected"),
	       reviewer);
	load_session(a, open_id);
}

static void reviewer_done(struct app *a, int ok, const char *text)
{
	if (!ok)
		return;
	if (!*text) {
		ui_say(a, 1, _("the reviewer's name is needed: nothing recorded"));
		return;
	}
	zcs_strlcpy(reviewer, text, sizeof reviewer);
	ui_ask_text(a, pending_approve ? _("Approve") : _("Reject"),
		    pending_approve ? _("Comment (optional):") : _("Why is it rejected? (recorded)"), "",
		    reason_done);
}

static void review(struct app *a, int approve)
{
	if (!open_id && nshown)
		load_session(a, list[shown[sel]].id);
	if (!open_id)
		return;
	pending_approve = approve;
	ui_ask_text(a, approve ? _("Approve") : _("Reject"), _("Reviewer's name:"), reviewer, reviewer_done);
}

static int scroll_by(int d)
{
	int max = open_id ? (int)nlines - 1 : nshown - 1;
	int *v = open_id ? &top : &sel;

	*v += d;
	if (*v > max)
		*v = max;
	if (*v < 0)
		*v = 0;
	return UI_DONE;
}

static int records_key(struct app *a, int ch, enum ui_action act)
{
	int page = LINES - 6;

	switch (act) {
	case UI_ACT_UP: return scroll_by(-1);
	case UI_ACT_DOWN: return scroll_by(1);
	case UI_ACT_PGUP: return scroll_by(-page);
	case UI_ACT_PGDN: return scroll_by(page);
	case UI_ACT_ENTER:
		if (!open_id && nshown)
			load_session(a, list[shown[sel]].id);
		return UI_DONE;
	case UI_ACT_BACK:
		if (!open_id)
			return UI_PASS;
		open_id = 0;
		load_list(a);
		return UI_DONE;
	case UI_ACT_FILTER:
		ui_ask_text(a, _("Filter"), _("Show sessions containing (installer, serial, site, "
			    "passed/failed/incomplete, approved/rejected/pending, training):"), flt_text,
			    filter_done);
		return UI_DONE;
	case UI_ACT_APPROVE: review(a, 1); return UI_DONE;
	case UI_ACT_REJECT: review(a, 0); return UI_DONE;
	case UI_ACT_RECORDS: ui_pop(a); return UI_DONE;
	default: return UI_PASS;
	}
}

/* The stored verdicts and reviews, shown translated. */
static const char *const list_words[] __attribute__((unused)) = {
	N_("passed"), N_("failed"), N_("incomplete"), N_("unfinished"), N_("approved"),
	N_("rejected"), N_("pending"),
};

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_FILTER, UI_ACT_APPROVE,
					UI_ACT_REJECT, UI_ACT_BACK, UI_ACT_NONE };

const struct ui_screen ui_scr_records = {
	.name = N_("Records"),
	.enter = records_enter,
	.draw = records_draw,
	.key = records_key,
	.leave = records_leave,
	.hints = hints,
	.uses_core = 1,
};
