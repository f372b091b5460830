/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DIP switches: every battery of the chain drawn with its switch numbers
 * and ON/OFF from data/dip.conf; where the pattern is unconfirmed, the
 * manual's figure to look at and a grid to enter the positions actually
 * set, which answer the current step's DIP question when it asks one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/kb.h"
#include "base/util.h"
#include "engine/engine.h"
#include "app.h"
#include "draw.h"

#define MAX_BATT 8
#define MAX_SW 10
#define DEF_SW 6

static struct kb *kb;
static char kb_error[512];
static int model, count = 1, cur_b, cur_s;
static char set_on[MAX_BATT][MAX_SW];    /* positions entered: 1 ON */

static void prefill(void);

static const char *answer_of(struct app *a, const char *const *keys)
{
	for (int i = 0; a->eng && keys[i]; i++) {
		const char *v = engine_answer_of(a->eng, keys[i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

static void from_answers(struct app *a)
{
	static const char *const mkeys[] = { "battery.model", "battery.type", NULL };
	static const char *const ckeys[] = { "battery.count", NULL };
	const char *m = answer_of(a, mkeys), *c = answer_of(a, ckeys);

	for (size_t i = 0; m && i < kb_battery_count(kb); i++)
		if (strcmp(kb_battery_at(kb, i)->id, m) == 0)
			model = (int)i;
	if (c && atoi(c) >= 1)
		count = atoi(c) > MAX_BATT ? MAX_BATT : atoi(c);
}

static void dip_enter(struct app *a)
{
	struct zcs_err err = { 0 };

	if (!kb && !*kb_error && !(kb = kb_load(&err)))
		snprintf(kb_error, sizeof kb_error, "%s", err.msg);
	if (kb) {
		from_answers(a);
		prefill();
	}
	cur_b = cur_s = 0;
}

static void dip_leave(struct app *a)
{
	kb_free(kb);
	kb = NULL;
	*kb_error = 0;
}

static int model_sw = DEF_SW;   /* switches of this model, from any pattern known */

static int nswitches(const struct kb_dip_answer *d)
{
	int n = d->kind == KB_DIP_PATTERN && d->pattern ? (int)strlen(d->pattern) : model_sw;

	for (int k = MAX_SW; k > n; k--)
		if (d->known_on & (1u << (k - 1)))
			return k;
	return n > MAX_SW ? MAX_SW : n;
}

static const char *pos_name(int b, char *buf, size_t n)
{
	if (b == 0)
		snprintf(buf, n, _("MASTER"));
	else
		snprintf(buf, n, _("SLAVE %d"), b);
	return buf;
}

/* Fill the positions to enter from the manual's pattern where there is one. */
static void prefill(void)
{
	const struct kb_battery *bat = kb_battery_at(kb, (size_t)model);
	struct kb_dip_answer one = kb_dip(kb, bat->id, 1, 0, NULL);

	model_sw = one.kind == KB_DIP_PATTERN && one.pattern ? (int)strlen(one.pattern) : DEF_SW;
	memset(set_on, 0, sizeof set_on);
	for (int b = 0; b < count; b++) {
		struct kb_dip_answer d = kb_dip(kb, bat->id, count, b, NULL);

		for (int s = 0; s < nswitches(&d); s++)
			set_on[b][s] = d.kind == KB_DIP_PATTERN ? d.pattern[s] == '1'
							      : (int)((d.known_on >> s) & 1u);
	}
}

/* Three rows: the switch numbers; what the manual says (ON/off, or ? where
 * it shows a figure only); the positions set, to enter. */
static int draw_battery(int y, int b, const struct kb_dip_answer *d, int w)
{
	char name[16];
	int ns = nswitches(d), known = d->kind == KB_DIP_PATTERN;

	ui_put(y, 2, 10, UI_ROLE_HEADING, "%-9s", pos_name(b, name, sizeof name));
	for (int s = 0; s < ns; s++)
		ui_put(y, 12 + s * 5, 5, UI_ROLE_DIM, " %2d  ", s + 1);
	ui_put(y + 1, 4, 8, UI_ROLE_DIM, _("manual"));
	ui_put(y + 2, 4, 8, UI_ROLE_DIM, _("set"));
	for (int s = 0; s < ns; s++) {
		int sure_on = (d->known_on >> s) & 1u, on = known ? d->pattern[s] == '1' : sure_on;
		int is_cur = b == cur_b && s == cur_s;

		ui_put(y + 1, 12 + s * 5, 5, known || sure_on ? (on ? UI_ROLE_PASS : UI_ROLE_NORMAL)
			: UI_ROLE_WARN, "%s", known || sure_on ? (on ? " ON  " : _(" off ")) : "  ?  ");
		ui_put(y + 2, 12 + s * 5, 5, is_cur ? UI_ROLE_SELECT : set_on[b][s] ? UI_ROLE_PASS
			: UI_ROLE_INPUT, "%s", set_on[b][s] ? " ON  " : _(" off "));
	}
	if (!known)
		ui_put(y + 1, 13 + ns * 5, w - 13 - ns * 5, UI_ROLE_WARN, _("unconfirmed: see the figure"));
	return y + 3;
}

static void dip_draw(struct app *a, struct ui_rect r)
{
	const struct kb_battery *bat;
	struct kb_dip_answer d0;
	int y = r.y, fit, first;
	char figure[400] = "";

	if (!kb) {
		ui_wrap(r.y + 1, 1, r.w - 2, r.h - 1, UI_ROLE_ERROR, kb_error);
		return;
	}
	bat = kb_battery_at(kb, (size_t)model);
	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("Battery %s  x %d   (Left/Right: model, +/-: count)"),
	       bat->name, count);
	d0 = kb_dip(kb, bat->id, count, 0, NULL);
	if (d0.kind == KB_DIP_NO_SWITCHES || d0.kind == KB_DIP_NONE) {
		y++;
		ui_wrap(y, 2, r.w - 4, 3, UI_ROLE_NORMAL, d0.kind == KB_DIP_NONE ?
			_("The sources give no DIP setting for this model and count.") : i18n_tr(d0.figure));
		return;
	}
	fit = (r.h - 5) / 3;
	first = cur_b >= fit ? cur_b - fit + 1 : 0;
	for (int b = first; b < count && b < first + fit; b++) {
		struct kb_dip_answer d = kb_dip(kb, bat->id, count, b, NULL);

		y = draw_battery(y, b, &d, r.w);
		if (d.kind == KB_DIP_UNCONFIRMED && !*figure)
			zcs_strlcpy(figure, i18n_tr(d.figure), sizeof figure);
	}
	if (*figure)
		ui_wrap(r.y + r.h - 3, 2, r.w - 4, 2, UI_ROLE_WARN, figure);
	ui_put(r.y + r.h - 1, 1, r.w - 2, UI_ROLE_DIM,
	       _("%s (%c, %s)  Space/1-9: switch  Up/Down: battery  Enter: record"),
	       d0.kind == KB_DIP_PATTERN ? _("manual's pattern") : _("unconfirmed"),
	       d0.prov ? d0.prov->conf : '?', d0.prov && d0.prov->src ? d0.prov->src : "");
}

/* "010000 100000": switches of each battery, master first, 1 = ON. */
static void positions_text(const struct kb_dip_answer *d, char *buf, size_t n)
{
	size_t len = 0;
	int ns = nswitches(d);

	for (int b = 0; b < count && len + ns + 2 < n; b++) {
		if (b)
			buf[len++] = ' ';
		for (int s = 0; s < ns; s++)
			buf[len++] = set_on[b][s] || ((d->known_on >> s) & 1u) ? '1' : '0';
	}
	buf[len] = 0;
}

static void record_positions(struct app *a, const struct kb_dip_answer *d)
{
	struct eng_step_info s;
	struct zcs_err err = { 0 };
	char text[MAX_BATT * (MAX_SW + 1) + 1];

	positions_text(d, text, sizeof text);
	if (!a->eng || !a->started || engine_step(a->eng, engine_current(a->eng), &s) < 0) {
		ui_say(a, 1, _("start the session first: the positions are recorded at the DIP step"));
		return;
	}
	for (size_t i = 0; i < s.ninputs; i++)
		if (strstr(s.inputs[i].key, "dip")) {
			char key[128];

			zcs_strlcpy(key, s.inputs[i].key, sizeof key);
			if (engine_answer(a->eng, key, text, &err) < 0)
				ui_say(a, 1, "%s", err.msg);
			else
				ui_say(a, 0, _("DIP positions recorded: %s"), text);
			return;
		}
	ui_say(a, 1, _("the current step does not ask for DIP positions; go to the battery DIP step"));
}

static int dip_key(struct app *a, int ch, enum ui_action act)
{
	size_t nb = kb ? kb_battery_count(kb) : 0;
	struct kb_dip_answer d;

	if (!kb)
		return UI_PASS;
	d = kb_dip(kb, kb_battery_at(kb, (size_t)model)->id, count, 0, NULL);
	if (ch == '+' || ch == '-') {
		count += ch == '+' ? 1 : -1;
		count = count < 1 ? 1 : count > MAX_BATT ? MAX_BATT : count;
		cur_b = cur_b >= count ? count - 1 : cur_b;
		prefill();
		return UI_DONE;
	}
	if (act == UI_ACT_LEFT || act == UI_ACT_RIGHT) {
		model = (int)(((size_t)model + (act == UI_ACT_LEFT ? nb - 1 : 1)) % nb);
		prefill();
		return UI_DONE;
	}
	if (d.kind != KB_DIP_UNCONFIRMED && d.kind != KB_DIP_PATTERN)
		return act == UI_ACT_DIP ? (ui_pop(a), UI_DONE) : UI_PASS;
	if (ch == ' ') {
		set_on[cur_b][cur_s] ^= 1;
		return UI_DONE;
	}
	switch (act) {
	case UI_ACT_TAB: cur_s = (cur_s + 1) % nswitches(&d); return UI_DONE;
	case UI_ACT_DOWN: cur_b = (cur_b + 1) % count; return UI_DONE;
	case UI_ACT_UP: cur_b = (cur_b + count - 1) % count; return UI_DONE;
	case UI_ACT_ENTER: record_positions(a, &d); return UI_DONE;
	case UI_ACT_DIP: ui_pop(a); return UI_DONE;
	default: break;
	}
	if (ch >= '1' && ch <= '9' && ch - '1' < nswitches(&d)) {
		cur_s = ch - '1';
		set_on[cur_b][cur_s] ^= 1;
		return UI_DONE;
	}
	return UI_PASS;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_TAB, UI_ACT_BACK, UI_ACT_NONE };

const struct ui_screen ui_scr_dip = {
	.name = N_("DIP switches"),
	.enter = dip_enter,
	.draw = dip_draw,
	.key = dip_key,
	.leave = dip_leave,
	.hints = hints,
	.uses_core = 1,
};
