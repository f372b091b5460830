/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app: the wizard's state shared by the loop and the screens. */
#ifndef ZCS_UI_APP_H
#define ZCS_UI_APP_H

#include <stdint.h>

#include "base/i18n.h"
#include "base/ident.h"
#include "base/link.h"
#include "engine/exercise.h"
#include "engine/observer.h"
#include "engine/training.h"
#include "usb/usb.h"
#include "field.h"
#include "screen.h"
#include "theme.h"

#define UI_STACK_MAX 8
#define UI_RATE_SAMPLES 8
#define UI_MAX_UNITS 11            /* engine.h ENG_MAX_UNITS */

enum ui_modal_kind { UI_MODAL_NONE, UI_MODAL_CONFIRM, UI_MODAL_TEXT, UI_MODAL_NOTE };

struct app;
struct engine;
struct records;
struct records_summary;
typedef void (*ui_modal_done)(struct app *a, int ok, const char *text);

struct ui_modal {
	enum ui_modal_kind kind;
	char title[64];
	char text[4096];
	struct ui_field field;
	ui_modal_done done;
};

/* One value of the power-flow panel (data/snapshots.conf, "panel"). */
struct ui_panel_item {
	char role[16], reg[48];
	char plus[24], minus[24];       /* a signed power's words, "" when unsigned */
};
#define UI_PANEL_MAX 8

struct app {
	/* options */
	struct link_params lp;
	int have_link;              /* a connection was given on the command line */
	int units[UI_MAX_UNITS];    /* slave ids of inverters in parallel, primary first */
	int nunits;                 /* 0: the link's slave alone */
	enum ui_theme theme;
	char db_path[512];
	char scenario[64];
	double window_scale;        /* evidence windows x this; 0: as the checklist says */

	/* training mode */
	int training;
	int dry_run_writes;         /* --dry-run-writes: writes shown, never sent */
	struct training tr;
	char exercise[16];          /* --exercise N|easy|medium|hard|random */
	char instructor[108];       /* --instructor SOCKET: progress published there */
	struct ex_run *ex;          /* the exercise engine (training only) */
	int in_exercise;            /* a blind exercise runs (not a named scenario) */
	char ex_item[16];           /* the Connect item that started it */

	/* the link (opened on the Connect screen) */
	struct link *link;
	struct unit_ident id;
	int identified;
	char link_error[512];

	/* status bar */
	char msg[512];
	int msg_error;
	int64_t rate_t[UI_RATE_SAMPLES];
	unsigned long rate_n[UI_RATE_SAMPLES];
	int rate_i;
	double rate;                /* requests per second, recent */

	/* loop */
	const struct ui_screen *stack[UI_STACK_MAX];
	int depth;
	struct ui_modal modal;
	int done;
	int64_t now;

	/* USB-RS485 adapters (Connect screen) and the one the link follows */
	struct usb_table usbt;
	struct usb_list usbl;
	int usb_ok;
	struct usb_follow follow;
	int following;

	/* records and the engine (flow.c) */
	struct records *rec;
	struct eng_observer obs;
	struct engine *eng;
	struct eng_resume resume;
	int have_resume;
	long long resume_id;
	struct records_summary *unfinished;   /* the unit's unfinished sessions, */
	size_t nunfinished;                    /* the one left last first */
	int sim_saved_step;
	struct ui_panel_item panel[UI_PANEL_MAX];
	int npanel;         /* training: the step whose simulator state is recorded */
	char installer[64], site[128], customer[128];
	int started;                /* engine_start done: the session runs */
	int finished;               /* engine_finish done */
	int64_t link_lost_since;
	int64_t logger_busy_since;     /* engine_logger_busy: shown once */
};

/* Show a screen on top of the current one (Esc comes back). */
void ui_push(struct app *a, const struct ui_screen *s);
/* Replace the whole stack with `s`. */
void ui_go(struct app *a, const struct ui_screen *s);
void ui_pop(struct app *a);
const struct ui_screen *ui_top(const struct app *a);

/* A message in the status bar (kept until the next one). */
void ui_say(struct app *a, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Modal questions; `done` gets ok=1 on y (confirm) or Enter (text), 0 on n
 * (confirm) or Esc (text), -1 on Esc (confirm: decide later). */
void ui_confirm(struct app *a, const char *title, const char *text, ui_modal_done done);
void ui_ask_text(struct app *a, const char *title, const char *text, const char *initial,
		 ui_modal_done done);
void ui_note(struct app *a, const char *title, const char *text);

/* Ask to quit (the loop's confirmation). */
void ui_ask_quit(struct app *a);

/* Open the link in a.lp and identify the unit (blocking, bounded by the
 * link's timeout); fills a->id / a->link_error.  0 when identified, 1 when
 * the link is open but the unit does not answer (no power yet), -1 when the
 * link cannot be opened. */
int ui_link_test(struct app *a);
/* In training mode: (re)start the simulator on `scenario`, point a->lp at it. */
int ui_training_start(struct app *a, const char *scenario);
/* The same for a blind exercise: `what` is a number, easy, medium, hard or
 * random; its base scenario is started and its faults injected. */
int ui_exercise_start(struct app *a, const char *what);
/* "TRAINING (Exercise 7)" or "TRAINING (simulator: clean)" */
const char *ui_training_title(struct app *a, char *buf, size_t n);

int ui_loop(struct app *a);

#endif
