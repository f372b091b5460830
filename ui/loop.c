/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop: the one loop that owns input and time.  It sleeps in poll(2) on
 * the keyboard and the pump's descriptor (a tick changed something) until
 * the status bar's next change (the age of the readings, once a second):
 * no wake-up when nothing is due.  A wake-up for keys or the engine draws
 * the screen; one for the clock alone draws the status bar.  The engine's
 * polling runs on the pump's thread between keystrokes; KEY_RESIZE, the
 * minimum-size guard, modal questions, the title, status and key bars are
 * handled here and nowhere else. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "base/util.h"
#include "app.h"
#include "draw.h"
#include "flow.h"
#include "pump.h"
#include "uiterm.h"

#define UI_BUSY_MS 100         /* the "waiting for the device" count while a poll waits */
#define UI_QUEUED_MS 10        /* keys wait for the engine's lock */
#define UI_MIN_W 80
#define UI_MIN_H 24

static int resized;             /* a resize not drawn yet */
static const struct ui_screen *drawn;   /* the screen last drawn in full */

void ui_push(struct app *a, const struct ui_screen *s)
{
	if (ui_top(a) == s)
		return;
	if (a->depth == UI_STACK_MAX) {
		memmove(a->stack, a->stack + 1, sizeof a->stack[0] * (UI_STACK_MAX - 1));
		a->depth--;
	}
	a->stack[a->depth++] = s;
	if (s->enter)
		s->enter(a);
}

void ui_go(struct app *a, const struct ui_screen *s)
{
	while (a->depth > 0) {
		const struct ui_screen *t = a->stack[--a->depth];

		if (t->leave)
			t->leave(a);
	}
	ui_push(a, s);
}

void ui_pop(struct app *a)
{
	const struct ui_screen *t;

	if (a->depth <= 1)
		return;
	t = a->stack[--a->depth];
	if (t->leave)
		t->leave(a);
}

const struct ui_screen *ui_top(const struct app *a)
{
	return a->depth ? a->stack[a->depth - 1] : NULL;
}

void ui_say(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_error = error;
}

static void modal_open(struct app *a, enum ui_modal_kind k, const char *title, const char *text,
		       ui_modal_done done)
{
	memset(&a->modal, 0, sizeof a->modal);
	a->modal.kind = k;
	zcs_strlcpy(a->modal.title, title, sizeof a->modal.title);
	zcs_strlcpy(a->modal.text, text, sizeof a->modal.text);
	a->modal.done = done;
}

void ui_confirm(struct app *a, const char *title, const char *text, ui_modal_done done)
{
	modal_open(a, UI_MODAL_CONFIRM, title, text, done);
}

void ui_ask_text(struct app *a, const char *title, const char *text, const char *initial,
		 ui_modal_done done)
{
	modal_open(a, UI_MODAL_TEXT, title, text, done);
	ui_field_set(&a->modal.field, initial);
}

void ui_note(struct app *a, const char *title, const char *text)
{
	modal_open(a, UI_MODAL_NOTE, title, text, NULL);
}

static void quit_done(struct app *a, int ok, const char *text)
{
	if (ok == 1)
		a->done = 1;
}

void ui_ask_quit(struct app *a)
{
	ui_confirm(a, _("Quit"),
		   ui_flow_quit_text(a),
		   quit_done);
}

/* ---- bars ---- */

static void draw_title(struct app *a)
{
	const struct ui_screen *s = ui_top(a);
	int x;

	ui_fill(0, 0, COLS, UI_ROLE_TITLE);
	x = ui_put(0, 0, COLS, UI_ROLE_TITLE, _(" zcs-commission | %s "), s ? _(s->name) : "");
	if (a->training) {
		char t[96];

		char tt[90];

		snprintf(t, sizeof t, " %s ", ui_training_title(a, tt, sizeof tt));
		if (x + (int)strlen(t) < COLS)
			ui_put(0, COLS - (int)strlen(t), COLS, UI_ROLE_TRAINING, "%s", t);
		else
			ui_put(0, 0, COLS, UI_ROLE_TRAINING, _(" TRAINING "));
	}
}

static void update_rate(struct app *a)
{
	const struct link_stats *st;
	int old;

	if (!a->link)
		return;
	st = link_stats_of(a->link);
	if (a->now - a->rate_t[a->rate_i] < 1000)
		return;
	a->rate_i = (a->rate_i + 1) % UI_RATE_SAMPLES;
	a->rate_t[a->rate_i] = a->now;
	a->rate_n[a->rate_i] = st->transactions;
	old = (a->rate_i + 1) % UI_RATE_SAMPLES;
	if (a->rate_t[old] > 0 && a->now > a->rate_t[old])
		a->rate = (double)(st->transactions - a->rate_n[old]) * 1000.0 /
			  (double)(a->now - a->rate_t[old]);
}

static void status_link(struct app *a, char *buf, size_t n)
{
	char d[300];
	const struct link_stats *st;

	if (!a->link) {
		snprintf(buf, n, _(" link: not connected"));
		return;
	}
	st = link_stats_of(a->link);
	link_describe(&a->lp, d, sizeof d);
	if (st->last_ok_ms > 0)
		snprintf(buf, n, _(" %s %s slave %d | %.1f/s | data %lld s old"),
			 !link_connected(a->link) ? _("LINK DOWN") : link_busy(a->link)
			 ? _("LOGGER BUSY (cloud upload), checks paused:") : _("LINK"), d, a->lp.slave,
			 a->rate, (long long)((a->now - st->last_ok_ms) / 1000));
	else
		snprintf(buf, n, _(" %s %s slave %d | %.1f/s | no data yet"),
			 link_connected(a->link) ? _("LINK") : _("LINK DOWN"), d, a->lp.slave, a->rate);
}

/* The link's part is read under the engine's lock and kept for the draws
 * made while a poll is in flight. */
static void draw_status(struct app *a, int y, int locked)
{
	static char link_text[512], last_error[256];
	int64_t busy = ui_pump_busy_ms(a->now);
	int x;

	if (locked) {
		const struct link_stats *st = a->link ? link_stats_of(a->link) : NULL;

		status_link(a, link_text, sizeof link_text);
		zcs_strlcpy(last_error, st ? st->last_error : "", sizeof last_error);
	}
	ui_fill(y, 0, COLS, UI_ROLE_STATUS);
	x = ui_put(y, 0, COLS, UI_ROLE_STATUS, "%s", link_text);
	if (busy >= 300)
		x += ui_put(y, x, COLS - x, UI_ROLE_WAIT, _(" | waiting for the device %.1f s "),
			    (double)busy / 1000.0);
	if (*a->msg)
		ui_put(y, x, COLS - x, a->msg_error ? UI_ROLE_FAIL : UI_ROLE_STATUS, " | %s", a->msg);
	else if (*last_error)
		ui_put(y, x, COLS - x, UI_ROLE_STATUS, _(" | last error: %s"), last_error);
}

static void draw_keybar(struct app *a, int y)
{
	static const enum ui_action always[] = { UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };
	static const enum ui_action training[] = { UI_ACT_INSTRUMENTS, UI_ACT_FIX, UI_ACT_NONE };
	const struct ui_screen *s = ui_top(a);
	const enum ui_action *lists[3] = { s && s->hints ? s->hints : always + 2,
					   a->training && s == &ui_scr_step ? training : always + 2,
					   always };
	int x = 0;

	ui_fill(y, 0, COLS, UI_ROLE_KEYBAR);
	for (int l = 0; l < 3; l++)
		for (const enum ui_action *p = lists[l]; *p != UI_ACT_NONE && x < COLS; p++) {
			const struct ui_key *k = ui_key_of(*p);
			const char *name = k->label;

			x += ui_put(y, x, COLS - x, UI_ROLE_KEY, "%.*s", (int)strcspn(k->shown, " "),
				    k->shown);
			x += ui_put(y, x, COLS - x, UI_ROLE_KEYBAR, " %s  ", _(name));
		}
}

/* ---- modal ---- */

static void draw_modal(struct app *a)
{
	struct ui_modal *m = &a->modal;
	int w = COLS - 10 < 70 ? COLS - 10 : 70, rows = ui_wrap_rows(w - 4, m->text);
	int extra = m->kind == UI_MODAL_TEXT ? 6 : 5;

	if (rows + extra > LINES - 2)   /* a long text is cut, the keys stay */
		rows = LINES - 2 - extra > 1 ? LINES - 2 - extra : 1;
	int h = rows + extra;
	struct ui_rect r = { (LINES - h) / 2, (COLS - w) / 2, h, w }, in;
	const char *keys = m->kind == UI_MODAL_CONFIRM ? _("y: yes   n: no   Esc: cancel") :
			   m->kind == UI_MODAL_TEXT ? _("Enter: accept   Esc: cancel") :
			   _("Enter or Esc: close");

	in = ui_box(r, UI_ROLE_SELECT, m->title);
	ui_wrap(in.y + 1, in.x, in.w, rows, UI_ROLE_SELECT, m->text);
	if (m->kind == UI_MODAL_TEXT)
		ui_field_draw(&m->field, in.y + rows + 2, in.x, in.w, 1);
	ui_put(r.y + h - 2, in.x, in.w, UI_ROLE_SELECT, "%s", keys);
}

static void modal_finish(struct app *a, int ok)
{
	ui_modal_done done = a->modal.done;
	char text[sizeof a->modal.field.buf];

	zcs_strlcpy(text, a->modal.field.buf, sizeof text);
	a->modal.kind = UI_MODAL_NONE;
	if (done)
		done(a, ok, text);
}

static void modal_key(struct app *a, int ch)
{
	enum ui_action act = ui_key_action(ch);

	switch (a->modal.kind) {
	case UI_MODAL_CONFIRM:
		if (ch == 'y' || ch == 'Y')
			modal_finish(a, 1);
		else if (ch == 'n' || ch == 'N')
			modal_finish(a, 0);
		else if (act == UI_ACT_BACK)
			modal_finish(a, -1);
		break;
	case UI_MODAL_TEXT:
		if (act == UI_ACT_ENTER)
			modal_finish(a, 1);
		else if (act == UI_ACT_BACK)
			modal_finish(a, 0);
		else
			ui_field_key(&a->modal.field, ch);
		break;
	default:
		if (act == UI_ACT_ENTER || act == UI_ACT_BACK)
			modal_finish(a, 1);
		break;
	}
}

/* ---- the screen ---- */

static void draw_too_small(void)
{
	ui_wrap(0, 0, COLS, LINES, UI_ROLE_WARN, _("Terminal too small."));
	ui_wrap(2, 0, COLS, LINES - 2, UI_ROLE_NORMAL,
		_("The wizard needs at least 80 columns and 24 lines."));
	ui_put(LINES > 5 ? 5 : LINES - 1, 0, COLS, UI_ROLE_NORMAL, _("Now: %d x %d."), COLS, LINES);
	ui_wrap(LINES > 7 ? 7 : LINES - 1, 0, COLS, 3, UI_ROLE_NORMAL,
		_("Enlarge the window; nothing is lost meanwhile. F10 or q: quit."));
}

/* While a poll is in flight a screen that needs the engine keeps what it
 * showed; only the bars move (and, after a resize, a word on the wait). */
static void draw_busy(struct app *a)
{
	if (resized || drawn != ui_top(a)) {
		erase();
		ui_put(LINES / 2, 2, COLS - 4, UI_ROLE_WAIT,
		       _(" Waiting for the device to answer (see the status bar)... "));
	}
	draw_title(a);
	draw_status(a, LINES - 2, 0);
	draw_keybar(a, LINES - 1);
	if (a->modal.kind != UI_MODAL_NONE)
		draw_modal(a);
	refresh();
}

static void draw_all(struct app *a, int locked)
{
	const struct ui_screen *s = ui_top(a);
	struct ui_rect body = { 1, 0, LINES - 3, COLS };

	if (!locked && s && s->uses_core && COLS >= UI_MIN_W && LINES >= UI_MIN_H) {
		draw_busy(a);
		return;
	}
	resized = 0;
	drawn = s;
	erase();
	if (COLS < UI_MIN_W || LINES < UI_MIN_H) {
		draw_too_small();
		if (a->modal.kind != UI_MODAL_NONE && COLS >= 40 && LINES >= 10)
			draw_modal(a);
		refresh();
		return;
	}
	draw_title(a);
	if (s && s->draw && (locked || !s->uses_core))
		s->draw(a, body);
	draw_status(a, LINES - 2, locked);
	draw_keybar(a, LINES - 1);
	if (a->modal.kind != UI_MODAL_NONE)
		draw_modal(a);
	refresh();
}

static void global_key(struct app *a, enum ui_action act)
{
	switch (act) {
	case UI_ACT_HELP:
		ui_push(a, &ui_scr_help);
		break;
	case UI_ACT_QUIT:
		ui_ask_quit(a);
		break;
	case UI_ACT_BACK:
		ui_pop(a);
		break;
	case UI_ACT_THEME:
		a->theme = ui_theme_apply((enum ui_theme)((a->theme + 1) % UI_THEME_COUNT));
		ui_say(a, 0, _("theme: %s"), ui_theme_name(a->theme));
		break;
	default:
		ui_flow_global_key(a, act);
		break;
	}
}

/* While typing, letters are text: a letter the focus cannot take is said,
 * with the keys that still work. */
static void say_not_taken(struct app *a, int ch)
{
	char c[8] = "";

	c[utf8_encode((uint32_t)ui_key_char(ch), c)] = 0;
	ui_say(a, 1, _("'%s' is not taken here (letters are text while typing; Tab or Esc "
	       "leaves the field); other screens: F2 steps, F5 records, F1 help, F10 quit"), c);
}

/* A letter typed while the focus is on a field or a form's button. */
static int typed_text(struct app *a, int ch)
{
	const struct ui_screen *s = ui_top(a);

	return s && s->typing && !ui_key_global_ok(ch) && s->typing(a);
}

static void dispatch(struct app *a, int ch)
{
	enum ui_action act = ui_key_action(ch);
	const struct ui_screen *s = ui_top(a);
	int flags = UI_PASS, text = 0;

	if (a->modal.kind != UI_MODAL_NONE) {
		modal_key(a, ch);
		return;
	}
	if (COLS < UI_MIN_W || LINES < UI_MIN_H) {
		if (act == UI_ACT_QUIT)
			ui_ask_quit(a);
		return;
	}
	if ((text = typed_text(a, ch)))
		act = UI_ACT_NONE;
	if (s && s->key)
		flags = s->key(a, ch, act);
	if (flags & UI_QUIT)
		ui_ask_quit(a);
	else if (flags == UI_PASS && text)
		say_not_taken(a, ch);
	else if (flags == UI_PASS)
		global_key(a, act);
}

/* ---- keys while a poll is in flight ---- */

#define UI_QUEUE 128

static int queue[UI_QUEUE], queued;

static void enqueue(int ch)
{
	if (ch == KEY_RESIZE)
		resized = 1;
	else if (queued < UI_QUEUE)
		queue[queued++] = ch;
}

static int dequeue(void)
{
	int ch = queue[0];

	memmove(queue, queue + 1, sizeof queue[0] * (size_t)--queued);
	return ch;
}

/* While the engine is busy: can `ch` be handled without it?  Help, quit,
 * theme and wiring always; every key on a screen without the core, except
 * those that open one. */
static int key_is_free(struct app *a, int ch)
{
	enum ui_action act = ui_key_action(ch);
	const struct ui_screen *s = ui_top(a);

	if (a->modal.kind != UI_MODAL_NONE)
		return a->modal.done == quit_done;
	if (typed_text(a, ch))
		return 0;
	if (s && !s->uses_core)
		return act != UI_ACT_OVERVIEW && act != UI_ACT_SUMMARY && act != UI_ACT_DIP &&
		       act != UI_ACT_RECORDS;
	return act == UI_ACT_HELP || act == UI_ACT_QUIT || act == UI_ACT_THEME ||
	       act == UI_ACT_WIRING;
}

static void dispatch_free(struct app *a, int ch)
{
	const struct ui_screen *s = ui_top(a);

	if (a->modal.kind != UI_MODAL_NONE || (s && !s->uses_core))
		dispatch(a, ch);
	else
		global_key(a, ui_key_action(ch));
}

static void handle_queue(struct app *a, int locked)
{
	while (queued && !a->done) {
		if (locked)
			dispatch(a, dequeue());
		else if (key_is_free(a, queue[0]))
			dispatch_free(a, dequeue());
		else
			break;
	}
}

/* One key: get_wch gives whole characters ("ò" is one key, not two
 * bytes); ERR when none. */
static int next_key(void)
{
	wint_t wc;
	int rc = get_wch(&wc);

	if (rc == ERR)
		return ERR;
	if (rc == KEY_CODE_YES)
		return (int)wc;
	return wc < 0x80 ? (int)wc : UI_CHAR_BASE + (int)wc;
}

/* Milliseconds until the status bar changes by itself: the age of the
 * readings and the request rate move once a second; -1 when nothing on
 * screen moves (no link). */
static int status_due_ms(struct app *a)
{
	const struct link_stats *st;

	if (!a->link)
		return -1;
	st = link_stats_of(a->link);
	if (st->last_ok_ms <= 0)
		return 1000;
	/* a little after the age's next whole second: readings that come every
	 * second wake the screen anyway, and reset the age */
	return (int)(1000 - (a->now - st->last_ok_ms) % 1000) + 200;
}

/* Wait for keys, the pump's word or `ms` (forever when < 0); then take
 * every key there is.  Returns 1 when woken by keys or the pump, 0 by the
 * clock alone, -1 when the terminal is gone. */
static int read_keys(int ms)
{
	struct pollfd pf[2] = { { .fd = 0, .events = POLLIN }, { .fd = ui_pump_fd(), .events = POLLIN } };
	int n, ch, woke = 0;

	n = poll(pf, pf[1].fd >= 0 ? 2 : 1, ms);
	if (n < 0 && errno == EINTR)
		woke = 1;                 /* a signal: a resize, or the end */
	if (n > 0 && (pf[1].revents & POLLIN)) {
		ui_pump_drain();
		woke = 1;
	}
	if (n > 0 && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(pf[0].revents & POLLIN))
		return -1;                /* the terminal went away */
	for (ch = next_key(); ch != ERR; ch = next_key()) {
		enqueue(ch);
		woke = 1;
	}
	return woke;
}

/* Only the status bar, when nothing else can have changed. */
static int draw_status_only(struct app *a, int locked)
{
	if (resized || drawn != ui_top(a) || a->modal.kind != UI_MODAL_NONE ||
	    COLS < UI_MIN_W || LINES < UI_MIN_H)
		return 0;
	draw_status(a, LINES - 2, locked);
	refresh();
	return 1;
}

int ui_loop(struct app *a)
{
	int woke = 1, followup = 1;

	timeout(0);                     /* the keyboard is waited for in poll(2) */
	while (!a->done && !ui_term_signalled()) {
		int locked = ui_pump_try(), had = queued, wait;
		char msg[sizeof a->msg];

		a->now = zcs_now_ms();
		zcs_strlcpy(msg, a->msg, sizeof msg);
		if (locked)
			ui_flow_tick(a);
		handle_queue(a, locked);
		if (locked)
			update_rate(a);
		ui_pump_want(!locked && queued);
		if (woke || had != queued || resized || strcmp(msg, a->msg) != 0 ||
		    ui_pump_busy_ms(a->now) > 0 || !draw_status_only(a, locked))
			draw_all(a, locked);
		if (locked)
			ui_pump_release(had != queued || resized || followup);
		if (a->done)
			break;
		/* keys handled: one more round at once (their effects, such as a
		 * connection test, run in the flow's tick); keys waiting for the
		 * engine: soon; a poll in flight: the count of its wait */
		if (had != queued || resized)
			wait = 0;
		else if (queued || !locked)
			wait = UI_QUEUED_MS;  /* the lock was taken: look again soon */
		else if (ui_pump_busy_ms(zcs_now_ms()) > 0)
			wait = UI_BUSY_MS;
		else
			wait = status_due_ms(a);
		woke = read_keys(wait);
		if (woke < 0)
			break;
		followup = wait == 0;     /* what the keys started (a connection test) */
		woke |= followup;
	}
	return 0;
}
