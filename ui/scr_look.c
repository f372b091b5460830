/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Look (training): what an installer reads off the hardware, fetched from
 * the simulator through the core: the nameplates and DIP switches of the
 * batteries, the inverter's LEDs and display, the clamp meter (with its own
 * small noise) and the exchange meter's display.  The checks still read the
 * device over Modbus; this is what the trainee's eyes see. */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "engine/training.h"
#include "app.h"
#include "draw.h"

static char text[4096], error[512];
static int64_t fetched;

static void fetch(struct app *a)
{
	struct zcs_err err = { 0 };

	*error = 0;
	if (training_ctl_all(&a->tr, "instruments", text, sizeof text, &err) < 0) {
		zcs_strlcpy(error, err.msg, sizeof error);
		*text = 0;
	}
	fetched = a->now;
}

static void look_enter(struct app *a)
{
	fetch(a);
}

/* One instrument line in words. */
static void show(int *y, int w, const char *line)
{
	char k[32];

	if (sscanf(line, "%31s", k) != 1)
		return;
	if (!strcmp(k, "inverter"))
		ui_put((*y)++, 2, w, UI_ROLE_HEADING, _("Nameplate   %s"), line + 9);
	else if (!strcmp(k, "battery"))
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, _("Battery     %s"), line + 8);
	else if (!strcmp(k, "leds"))
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, _("LEDs        inverter %s"), line + 5);
	else if (!strcmp(k, "display"))
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, _("Display     inverter %s"), line + 8);
	else if (!strcmp(k, "clamp"))
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, _("Clamp meter %s (on the grid cable under the "
		       "exchange meter)"), line + 6);
	else if (!strcmp(k, "meter"))
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, _("Meter       %s"), line + 6);
	else
		ui_put((*y)++, 2, w, UI_ROLE_NORMAL, "%s", line);
}

static void look_draw(struct app *a, struct ui_rect r)
{
	int y = r.y + 1;
	char copy[sizeof text], *save, *line;

	if (a->now - fetched >= 1000)           /* the clamp and the meter move */
		fetch(a);
	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, _("What you see on the plant (Esc: back to the step)"));
	y++;
	if (*error) {
		ui_wrap(y, 2, r.w - 4, 3, UI_ROLE_FAIL, error);
		return;
	}
	zcs_strlcpy(copy, text, sizeof copy);
	for (line = strtok_r(copy, "\n", &save); line && y < r.y + r.h;
	     line = strtok_r(NULL, "\n", &save))
		show(&y, r.w - 3, line);
}

static int look_key(struct app *a, int ch, enum ui_action act)
{
	if (act == UI_ACT_INSTRUMENTS || act == UI_ACT_ENTER) {
		ui_pop(a);
		return UI_DONE;
	}
	return UI_PASS;
}

static const enum ui_action hints[] = { UI_ACT_BACK, UI_ACT_NONE };

const struct ui_screen ui_scr_look = {
	.name = N_("Look"),
	.enter = look_enter,
	.draw = look_draw,
	.key = look_key,
	.hints = hints,
	.uses_core = 1,
};
