/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen: what every screen of the wizard provides (one file per screen).
 * The main loop (loop.c) owns input and time; a screen only draws itself
 * into the body rectangle and answers keys with flags.  A screen sees every
 * key first (a form's field takes letters); what it passes (UI_PASS) the
 * loop treats as a global key: help, quit, back, theme, screens. */
#ifndef ZCS_UI_SCREEN_H
#define ZCS_UI_SCREEN_H

#include "keys.h"

struct app;

struct ui_rect {
	int y, x, h, w;
};

/* What a key handler returns. */
enum {
	UI_PASS = 0,            /* not mine: the loop may use it */
	UI_DONE = 1 << 0,       /* handled; redraw */
	UI_QUIT = 1 << 1,       /* leave the program (asks first) */
};

struct ui_screen {
	const char *name;       /* title bar text */
	void (*enter)(struct app *a);
	void (*draw)(struct app *a, struct ui_rect r);
	int (*key)(struct app *a, int ch, enum ui_action act);
	void (*leave)(struct app *a);
	/* 1 while the focus is on a field or a form's button: the letters typed
	 * are text then, never hotkeys (the screen gets them with
	 * UI_ACT_NONE); F-keys, Esc, Tab, Enter, arrows and Ctrl keys still
	 * act.  NULL: never. */
	int (*typing)(struct app *a);
	/* Actions shown in the key bar, UI_ACT_NONE-terminated. */
	const enum ui_action *hints;
	/* 0: neither draws nor keys touch the engine or the records, so the
	 * screen works while a poll is in flight (help, wiring). */
	int uses_core;
};

extern const struct ui_screen ui_scr_connect, ui_scr_session, ui_scr_step, ui_scr_dip,
	ui_scr_wiring, ui_scr_overview, ui_scr_summary, ui_scr_records, ui_scr_help, ui_scr_fix,
	ui_scr_look;

#endif
