/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connect: choose the link (USB-RS485 adapter, serial port, HUB/TCP
 * presets, TCP address, the Wi-Fi stick's serial) or, in training mode,
 * the simulator's scenario; the slave id; "Test link" reads the unit's
 * identity and shows it.  Each choice starts from the defaults, or from
 * the command line's connection when it is the one chosen: what one choice
 * set (a stick's framing, a preset's timeouts) never leaks into another.
 * "Continue" goes on once the link is open, even when the unit does not
 * answer: before power-up (section 12) it cannot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "base/lex.h"
#include "base/paths.h"
#include "base/util.h"
#include "app.h"
#include "draw.h"
#include "flow.h"

#define MAX_ITEMS 96

enum item_kind { IT_EXERCISE, IT_SCENARIO, IT_ADAPTER, IT_SERIAL, IT_PRESET, IT_TCP, IT_LOGGER,
		 IT_SLAVE, IT_TEST, IT_CONTINUE };

struct item {
	enum item_kind kind;
	char name[64];          /* scenario, preset name, device */
	char text[200];         /* what is shown */
	int port;               /* preset port */
};

static struct item items[MAX_ITEMS];
static int nitems, focus, chosen = -1, testing, built;
static struct ui_field f_serial, f_tcp, f_logger, f_slave;
static struct link_params given;      /* the connection the command line gave */

static struct item *add(enum item_kind k, const char *name, const char *text)
{
	struct item *it;

	if (nitems == MAX_ITEMS)
		return NULL;
	it = &items[nitems++];
	memset(it, 0, sizeof *it);
	it->kind = k;
	zcs_strlcpy(it->name, name, sizeof it->name);
	zcs_strlcpy(it->text, text, sizeof it->text);
	return it;
}

static void add_scenarios(struct app *a)
{
	char names[MAX_ITEMS][64], descr[MAX_ITEMS][160];
	struct zcs_err err = { 0 };
	int n = training_scenarios(names, descr, MAX_ITEMS - 4, &err);

	if (n <= 0) {
		add(IT_SCENARIO, a->scenario, _("the simulator's default plant"));
		if (n < 0)
			ui_say(a, 1, "%s", err.msg);
	}
	/* the plant chosen (clean by default) first, under the exercises */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++)
			if ((strcmp(names[i], a->scenario) == 0) == !pass)
				add(IT_SCENARIO, names[i], descr[i]);
	for (int i = 0; chosen < 0 && i < nitems; i++)
		if (items[i].kind == IT_SCENARIO &&
		    strcmp(items[i].name, a->tr.scenario[0] ? a->tr.scenario : a->scenario) == 0)
			chosen = i;
}

/* Blind exercises: one line, Left/Right through "Exercise 1".."Exercise
 * N" and a random draw per level, so the scenarios stay in view. */
#define MAX_EX_CHOICES 72
static char ex_names[MAX_EX_CHOICES][16], ex_texts[MAX_EX_CHOICES][64];
static int ex_n, ex_sel;

static void add_exercises(struct app *a)
{
	static const char *const levels[] = { N_("easy"), N_("medium"), N_("hard"),
					      N_("random") };

	ex_n = ex_sel = 0;
	if (!a->ex || !a->ex->cat.nex)
		return;
	for (int i = 0; i < a->ex->cat.nex && ex_n < MAX_EX_CHOICES; i++, ex_n++) {
		snprintf(ex_names[ex_n], sizeof ex_names[0], "%d", a->ex->cat.ex[i].number);
		snprintf(ex_texts[ex_n], sizeof ex_texts[0], _("Exercise %d (%s)"),
			 a->ex->cat.ex[i].number, _(a->ex->cat.ex[i].level));
	}
	for (size_t i = 0; i < ZCS_ARRAY_LEN(levels) && ex_n < MAX_EX_CHOICES; i++, ex_n++) {
		snprintf(ex_names[ex_n], sizeof ex_names[0], "%s", levels[i]);
		snprintf(ex_texts[ex_n], sizeof ex_texts[0], _("an exercise drawn at random (%s)"),
			 strcmp(levels[i], "random") ? _(levels[i]) : _("any level"));
	}
	for (int i = 0; *a->exercise && i < ex_n; i++)
		if (strcmp(ex_names[i], a->exercise) == 0)
			ex_sel = i;
	add(IT_EXERCISE, ex_names[ex_sel], _("Blind exercise"));
	if (*a->exercise)
		chosen = nitems - 1;
}

/* Left/Right on the exercise line. */
static void cycle_exercise(struct item *it, int d)
{
	ex_sel = (ex_sel + d + ex_n) % ex_n;
	zcs_strlcpy(it->name, ex_names[ex_sel], sizeof it->name);
}

static void add_presets(void)
{
	char *path = paths_data_file("links.conf");
	struct lex_file lf;
	struct lex_line ln;
	struct zcs_err err = { 0 };

	if (lex_open(&lf, path, &err) == 0) {
		while (lex_next(&lf, &ln, &err) > 0) {
			const char *port = lex_get(&ln, "port"), *note = lex_get(&ln, "note");
			struct item *it;

			if (strcmp(ln.tok[0].val, "preset") || ln.n < 2 || !port)
				continue;
			it = add(IT_PRESET, ln.tok[1].val, note ? note : "");
			if (it)
				it->port = atoi(port);
		}
		lex_close(&lf);
	}
	free(path);
}

static void choose_from_params(const struct link_params *p)
{
	for (int i = 0; i < nitems; i++) {
		const struct item *it = &items[i];

		if (p->kind == LINK_TCP && *p->preset && it->kind == IT_PRESET &&
		    strcmp(it->name, p->preset) == 0)
			chosen = i;
		else if (p->kind == LINK_TCP && !*p->preset && it->kind == IT_TCP)
			chosen = i;
		else if (p->kind == LINK_RTU && it->kind == IT_ADAPTER && strcmp(it->name, p->device) == 0)
			chosen = i;
		else if (p->kind == LINK_RTU && it->kind == IT_SERIAL && chosen < 0)
			chosen = i;
	}
}

static void build_items(struct app *a)
{
	char buf[300];

	nitems = 0;
	chosen = -1;
	if (a->training) {
		add_exercises(a);
		add_scenarios(a);
	} else {
		ui_flow_scan_adapters(a);
		for (int i = 0; i < ui_flow_nadapters(a); i++) {
			const char *dev, *label;

			ui_flow_adapter(a, i, &dev, &label);
			add(IT_ADAPTER, dev, label);
		}
		add(IT_SERIAL, "serial", _("serial port"));
		add_presets();
		add(IT_TCP, "tcp", _("TCP host[:port]"));
		add(IT_LOGGER, "logger", _("logger serial"));
	}
	add(IT_SLAVE, "slave", _("slave id(s)"));
	add(IT_TEST, "test", _("Test link"));
	add(IT_CONTINUE, "continue", _("Continue"));
	ui_field_set(&f_serial, a->lp.kind == LINK_RTU ? a->lp.device : "/dev/ttyUSB0");
	if (a->lp.kind == LINK_TCP && !*a->lp.preset)
		snprintf(buf, sizeof buf, "%s:%d", a->lp.host, a->lp.port);
	else if (a->lp.kind == LINK_TCP)
		snprintf(buf, sizeof buf, "%s", a->lp.host);
	else
		buf[0] = 0;
	ui_field_set(&f_tcp, buf);
	if (a->lp.logger_serial_set)
		snprintf(buf, sizeof buf, "%lu", (unsigned long)a->lp.logger_serial);
	else
		buf[0] = 0;
	ui_field_set(&f_logger, buf);
	f_logger.max = 10;
	f_logger.allow = "0123456789";
	given = a->lp;
	snprintf(buf, sizeof buf, "%d", a->lp.slave);
	ui_field_set(&f_slave, buf);
	f_slave.max = 40;
	f_slave.allow = "0123456789, ";
	if (!a->training)
		choose_from_params(&a->lp);
	if (chosen < 0)
		chosen = 0;
	focus = a->training ? chosen : 0;
	for (int i = 0; i < nitems; i++)
		if (items[i].kind == IT_TEST && a->have_link)
			focus = i;
	built = 1;
}

static void connect_enter(struct app *a)
{
	if (!built)
		build_items(a);
}

/* "1" or "1,2,3" (inverters in parallel, the primary first). */
static int parse_units(struct app *a)
{
	char buf[sizeof f_slave.buf], *save, *t;

	a->nunits = 0;
	zcs_strlcpy(buf, f_slave.buf, sizeof buf);
	for (t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		long v;

		if (zcs_parse_long(t, &v) < 0 || v < 1 || v > 247 || a->nunits == UI_MAX_UNITS) {
			ui_say(a, 1, _("slave ids are numbers from 1 to 247: one (the inverter's is 1 unless "
			       "changed), or up to %d for inverters in parallel, primary first: 1,2,3"),
			       UI_MAX_UNITS);
			return -1;
		}
		a->units[a->nunits++] = (int)v;
	}
	if (a->nunits == 0) {
		ui_say(a, 1, _("type the slave id (1 unless changed on the inverter)"));
		return -1;
	}
	return 0;
}

/* The TCP choices: the stick's serial from its field (none when empty). */
static int apply_logger(struct app *a, struct link_params *p)
{
	struct zcs_err err = { 0 };

	p->logger_serial = 0;
	p->logger_serial_set = 0;
	if (*f_logger.buf && link_params_option(p, "--logger-serial", f_logger.buf, &err) < 0) {
		ui_say(a, 1, _("'%s' is not a Wi-Fi stick serial (1 to 4294967295, on its label)"),
		       f_logger.buf);
		return -1;
	}
	if (p->framing == LINK_FRAMING_V5 && !p->logger_serial_set) {
		ui_say(a, 1, _("type the Wi-Fi stick's serial (on its label) in the logger serial "
		       "field"));
		return -1;
	}
	return 0;
}

/* Put the chosen link into a->lp.  -1 with a message when incomplete. */
static int apply_choice(struct app *a)
{
	const struct item *it = &items[chosen];
	struct zcs_err err = { 0 };
	struct link_params p;
	int slave;

	if (parse_units(a) < 0)
		return -1;
	slave = a->units[0];
	if (a->nunits == 1)
		a->nunits = 0;
	if (a->training && it->kind == IT_EXERCISE)
		return ui_exercise_start(a, it->name) < 0 ? -1 : (a->lp.slave = slave, 0);
	if (a->training)
		return ui_training_start(a, it->name) < 0 ? -1 : (a->lp.slave = slave, 0);
	/* the command line's own settings (--baud, --timeout, --framing ...)
	 * go with the connection it gave, not with another one */
	link_params_default(&p);
	switch (it->kind) {
	case IT_ADAPTER:
	case IT_SERIAL:
		if (given.kind == LINK_RTU)
			p = given;
		p.kind = LINK_RTU;
		zcs_strlcpy(p.device, it->kind == IT_ADAPTER ? it->name : f_serial.buf, sizeof p.device);
		break;
	case IT_PRESET:
		if (given.kind == LINK_TCP && strcmp(given.preset, it->name) == 0)
			p = given;
		*p.preset = 0;
		if (link_params_option(&p, "--tcp", f_tcp.buf, &err) < 0 ||
		    link_apply_preset(&p, it->name, &err) < 0) {
			ui_say(a, 1, "%s", *f_tcp.buf ? err.msg : _("type the HUB's address in the TCP field"));
			return -1;
		}
		if (apply_logger(a, &p) < 0)
			return -1;
		break;
	default:
		if (given.kind == LINK_TCP && !*given.preset)
			p = given;
		*p.preset = 0;
		if (link_params_option(&p, "--tcp", f_tcp.buf, &err) < 0) {
			ui_say(a, 1, "%s", err.msg);
			return -1;
		}
		if (apply_logger(a, &p) < 0)
			return -1;
		break;
	}
	p.slave = slave;
	if (link_params_check(&p, &err) < 0) {
		ui_say(a, 1, "%s", err.msg);
		return -1;
	}
	a->lp = p;
	return 0;
}

static void run_test(struct app *a, int then_continue)
{
	testing = 0;
	if (apply_choice(a) < 0)
		return;
	int r = ui_link_test(a);

	if (r < 0) {
		ui_say(a, 1, _("no link: %s"), a->link_error);
		return;
	}
	if (r > 0 && !then_continue) {
		ui_say(a, 1, _("no answer (%s): an inverter without power cannot answer; Continue "
		       "begins the record now, the unit is identified after power-up (section 12)"),
		       a->link_error);
		return;
	}
	if (r == 0)
		ui_say(a, 0, _("link good: %s %s, serial %s"), a->id.layout, a->id.model, a->id.serial);
	else
		ui_say(a, 0, _("the unit does not answer yet: it is identified after power-up "
		       "(section 12, step session.identity)"));
	if (then_continue)
		ui_flow_connected(a);
}

static const char *item_text(struct app *a, const struct item *it, char *buf, size_t n)
{
	switch (it->kind) {
	case IT_EXERCISE:
		snprintf(buf, n, _("%-22s < %s >  Left/Right: another; its faults stay hidden"),
			 it->text, ex_texts[ex_sel]);
		break;
	case IT_SCENARIO:
		snprintf(buf, n, "%-22s %s", it->name, i18n_tr(it->text));
		break;
	case IT_ADAPTER:
		snprintf(buf, n, "%-18s %s", it->name, i18n_tr(it->text));
		break;
	case IT_PRESET:
		snprintf(buf, n, _("%-18s TCP port %d: %s"), it->name, it->port, i18n_tr(it->text));
		break;
	default:
		snprintf(buf, n, "%s", it->text);
		break;
	}
	return buf;
}

static void draw_identity(struct app *a, int y, int w)
{
	if (a->identified) {
		ui_put(y++, 2, w, UI_ROLE_PASS, _(" LINK GOOD "));
		ui_put(y++, 2, w, UI_ROLE_NORMAL, _("serial   %s   layout %s"), a->id.serial, a->id.layout);
		ui_put(y++, 2, w, UI_ROLE_NORMAL, _("model    %s (%s)"), a->id.model, a->id.family);
		ui_put(y++, 2, w, UI_ROLE_NORMAL, _("firmware COM %s  master %s  slave %s"),
		       *a->id.fw_com ? a->id.fw_com : "?", *a->id.fw_master ? a->id.fw_master : "?",
		       *a->id.fw_slave ? a->id.fw_slave : "?");
		if (*a->id.note)
			ui_wrap(y, 2, w, 2, UI_ROLE_WARN, a->id.note);
	} else if (*a->link_error && a->link) {
		ui_put(y++, 2, w, UI_ROLE_WARN, _(" NO ANSWER YET "));
		y += ui_wrap(y, 2, w, 2, UI_ROLE_NORMAL, _("Without power (section 12: AC, DC and "
			     "batteries off) the inverter cannot answer: Continue begins the record; "
			     "the unit is identified once it has power."));
		ui_wrap(y, 2, w, 3, UI_ROLE_DIM, a->link_error);
	} else if (*a->link_error) {
		ui_put(y++, 2, w, UI_ROLE_FAIL, _(" NO LINK "));
		ui_wrap(y, 2, w, 3, UI_ROLE_NORMAL, a->link_error);
	}
}

static void connect_draw(struct app *a, struct ui_rect r)
{
	int y = r.y + 1, list_h = r.h - 9, first = 0;
	char buf[300];

	ui_put(y++, 1, r.w - 2, UI_ROLE_HEADING, "%s",
	       a->training ? _("Training. Choose what it gets wrong (Enter): a blind exercise or "
			       "a scenario")
			   : _("How is the laptop connected to the inverter?"));
	if (focus >= list_h)
		first = focus - list_h + 1;
	for (int i = first; i < nitems && y < r.y + 1 + list_h + 1; i++) {
		const struct item *it = &items[i];
		int sel = i == focus, x = 2;

		if (it->kind <= IT_TCP)
			x += ui_put(y, x, 4, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%s",
				    i == chosen ? "(*) " : "( ) ");
		else if (it->kind >= IT_TEST)
			x += ui_put(y, x, 4, UI_ROLE_NORMAL, "    ");
		if (it->kind == IT_SERIAL || it->kind == IT_TCP || it->kind == IT_LOGGER ||
		    it->kind == IT_SLAVE) {
			x += ui_put(y, x, 18, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%-18s",
				    it->text);
			ui_field_draw(it->kind == IT_SERIAL ? &f_serial :
				      it->kind == IT_TCP ? &f_tcp :
				      it->kind == IT_LOGGER ? &f_logger : &f_slave, y, x + 1, 30, sel);
			if (it->kind == IT_SLAVE)
				ui_put(y, x + 33, r.w - x - 34, UI_ROLE_DIM,
				       _("in parallel: 1,2,3 (primary first)"));
			else if (it->kind == IT_LOGGER)
				ui_put(y, x + 33, r.w - x - 34, UI_ROLE_DIM,
				       _("Wi-Fi stick: the serial on its label"));
		} else if (it->kind >= IT_TEST) {
			ui_put(y, x, r.w - x - 1, sel ? UI_ROLE_SELECT : UI_ROLE_HEADING, "[ %s ]",
			       it->text);
		} else {
			ui_put(y, x, r.w - x - 1, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL, "%s",
			       item_text(a, it, buf, sizeof buf));
		}
		y++;
	}
	if (testing)
		ui_put(r.y + r.h - 7, 2, r.w - 4, UI_ROLE_WAIT, _(" Testing the link... "));
	else
		draw_identity(a, r.y + r.h - 7, r.w - 4);
}

static void move_focus(int d)
{
	focus = (focus + d + nitems) % nitems;
}

/* Tab: the next group (the choices, each field, each button). */
static int group_of(int i)
{
	return items[i].kind <= IT_TCP && items[i].kind != IT_SERIAL && items[i].kind != IT_TCP
	       ? -1 : i;
}

static void next_group(int d)
{
	int g = group_of(focus);

	do
		move_focus(d);
	while (group_of(focus) == g && g < 0);
	if (group_of(focus) < 0 && chosen >= 0 && group_of(chosen) < 0)
		focus = chosen;
}

static int enter_item(struct app *a)
{
	struct item *it = &items[focus];

	if (it->kind <= IT_TCP) {
		if (chosen != focus || (a->training && it->kind == IT_SCENARIO &&
					(a->in_exercise || strcmp(it->name, a->tr.scenario))) ||
		    (it->kind == IT_EXERCISE && (!a->in_exercise || strcmp(it->name, a->ex_item))))
			a->identified = 0;
		chosen = focus;
		if (it->kind == IT_SCENARIO || it->kind == IT_EXERCISE)   /* start the simulator on it and read it; */
			testing = a->identified ? 2 : 1;   /* once read, go on */
		return UI_DONE;
	}
	if (it->kind == IT_SLAVE || it->kind == IT_LOGGER) {
		move_focus(1);
		return UI_DONE;
	}
	testing = it->kind == IT_TEST ? 1 : 2;
	return UI_DONE;
}

static int connect_key(struct app *a, int ch, enum ui_action act)
{
	struct item *it = &items[focus];

	if (act == UI_ACT_UP || act == UI_ACT_DOWN) {
		move_focus(act == UI_ACT_UP ? -1 : 1);
		return UI_DONE;
	}
	if (act == UI_ACT_TAB || ch == KEY_BTAB) {
		next_group(ch == KEY_BTAB ? -1 : 1);
		return UI_DONE;
	}
	if (act == UI_ACT_ENTER)
		return enter_item(a);
	if (it->kind == IT_EXERCISE && ex_n && (act == UI_ACT_LEFT || act == UI_ACT_RIGHT)) {
		cycle_exercise(it, act == UI_ACT_LEFT ? -1 : 1);
		return UI_DONE;
	}
	if (it->kind == IT_SERIAL && ui_field_key(&f_serial, ch))
		return chosen = focus, a->identified = 0, UI_DONE;
	if (it->kind == IT_TCP && ui_field_key(&f_tcp, ch))
		return a->identified = 0, UI_DONE;
	if (it->kind == IT_LOGGER && ui_field_key(&f_logger, ch))
		return a->identified = 0, UI_DONE;
	if (it->kind == IT_SLAVE && ui_field_key(&f_slave, ch))
		return a->identified = 0, UI_DONE;
	return UI_PASS;
}

/* The test runs on the tick after Enter, so "Testing..." is drawn first. */
void ui_scr_connect_tick(struct app *a)
{
	if (testing)
		run_test(a, testing == 2);
}

static int connect_typing(struct app *a)
{
	int k = nitems ? (int)items[focus].kind : -1;

	return k == IT_SERIAL || k == IT_TCP || k == IT_LOGGER || k == IT_SLAVE;
}

static const enum ui_action hints[] = { UI_ACT_ENTER, UI_ACT_DOWN, UI_ACT_TAB, UI_ACT_WIRING,
					UI_ACT_RECORDS, UI_ACT_NONE };

const struct ui_screen ui_scr_connect = {
	.name = N_("Connect"),
	.enter = connect_enter,
	.draw = connect_draw,
	.key = connect_key,
	.typing = connect_typing,
	.hints = hints,
	.uses_core = 1,
};
