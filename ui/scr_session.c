/* Session: who commissions what, where; or resume the unit's unfinished
 * session. */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "app.h"
#include "draw.h"
#include "flow.h"

enum { F_INSTALLER, F_SITE, F_CUSTOMER, F_START, F_RESUME, F_COUNT };

static struct ui_field fields[3];
static int focus;

static const char *const labels[] = { "Installer", "Site (address)", "Customer" };

static void session_enter(struct app *a)
{
	ui_field_set(&fields[F_INSTALLER], a->installer);
	ui_field_set(&fields[F_SITE], a->site);
	ui_field_set(&fields[F_CUSTOMER], a->customer);
	focus = a->have_resume ? F_RESUME : F_INSTALLER;
}

static void draw_resume(struct app *a, int y, int w)
{
	const struct eng_resume *r = &a->resume;
	size_t done = 0;

	for (size_t i = 0; i < r->nsteps; i++)
		done += r->steps[i].status == ENG_PASSED || r->steps[i].status == ENG_SKIPPED ||
			r->steps[i].status == ENG_NA;
	ui_put(y++, 2, w, UI_ROLE_WARN, "This unit has an unfinished session (#%lld, started %s):",
	       a->resume_id, a->resume_when);
	ui_put(y++, 4, w - 2, UI_ROLE_NORMAL, "installer %s, site %s, customer %s",
	       r->installer ? r->installer : "-", r->site ? r->site : "-",
	       r->customer ? r->customer : "-");
	ui_put(y++, 4, w - 2, UI_ROLE_NORMAL, "%zu steps settled; it stopped at %s", done,
	       r->current_step ? r->current_step : "the start");
}

static void session_draw(struct app *a, struct ui_rect r)
{
	int y = r.y + 1;

	if (a->identified) {
		ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, "Unit %s  %s  (%s)", a->id.serial,
		       a->id.model, a->id.layout);
		ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, "firmware COM %s, master %s, slave %s",
		       a->id.fw_com, a->id.fw_master, a->id.fw_slave);
	} else {
		ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, "Unit not identified yet");
		ui_put(y++, 1, r.w - 2, UI_ROLE_NORMAL, "it answers once it has power (section 12): "
		       "the record begins now, the unit is read at step session.identity");
	}
	y++;
	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, "Session details (kept in the record)");
	for (int i = 0; i < 3; i++, y++) {
		ui_put(y, 2, 18, focus == i ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%-18s", labels[i]);
		ui_field_draw(&fields[i], y, 21, r.w - 24 < 50 ? r.w - 24 : 50, focus == i);
	}
	y++;
	ui_put(y++, 6, r.w - 8, focus == F_START ? UI_ROLE_SELECT : UI_ROLE_HEADING,
	       "[ Start a new commissioning ]");
	if (a->have_resume) {
		ui_put(y++, 6, r.w - 8, focus == F_RESUME ? UI_ROLE_SELECT : UI_ROLE_HEADING,
		       "[ Resume session #%lld ]", a->resume_id);
		y++;
		draw_resume(a, y, r.w - 4);
	}
}

static void start_new(struct app *a)
{
	zcs_strlcpy(a->installer, fields[F_INSTALLER].buf, sizeof a->installer);
	zcs_strlcpy(a->site, fields[F_SITE].buf, sizeof a->site);
	zcs_strlcpy(a->customer, fields[F_CUSTOMER].buf, sizeof a->customer);
	if (!*a->installer) {
		ui_say(a, 1, "type the installer's name first: the record says who commissioned");
		focus = F_INSTALLER;
		return;
	}
	ui_flow_start(a, 0);
}

static int session_key(struct app *a, int ch, enum ui_action act)
{
	int n = a->have_resume ? F_COUNT : F_RESUME;

	if (act == UI_ACT_UP || ch == KEY_BTAB) {
		focus = (focus + n - 1) % n;
		return UI_DONE;
	}
	if (act == UI_ACT_DOWN || act == UI_ACT_TAB) {
		focus = (focus + 1) % n;
		return UI_DONE;
	}
	if (act == UI_ACT_ENTER) {
		if (focus < F_START)
			focus++;
		else if (focus == F_START)
			start_new(a);
		else
			ui_flow_start(a, 1);
		return UI_DONE;
	}
	if (act == UI_ACT_BACK) {
		ui_go(a, &ui_scr_connect);
		return UI_DONE;
	}
	if (focus < F_START && ui_field_key(&fields[focus], ch))
		return UI_DONE;
	return UI_PASS;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_TAB, UI_ACT_BACK, UI_ACT_NONE };

const struct ui_screen ui_scr_session = {
	.name = "Session",
	.enter = session_enter,
	.draw = session_draw,
	.key = session_key,
	.hints = hints,
	.uses_core = 1,
};
