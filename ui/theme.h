/* SPDX-License-Identifier: GPL-3.0-or-later */
/* theme: colour as roles.  Each role has a colour pair, a high-contrast
 * pair (dark on white, bold: readable in sunlight) and a monochrome
 * attribute used when colour is off (NO_COLOR, --no-color, or a terminal
 * without colour).  Verdicts are always words as well; colour only helps.
 * X(role, fg, bg, attr, hc fg, hc bg, hc attr, mono attr) */
#ifndef ZCS_UI_THEME_H
#define ZCS_UI_THEME_H

#include <curses.h>

#define UI_ROLE_LIST(X)                                                                          \
	X(NORMAL,   COLOR_WHITE,  COLOR_BLACK, A_NORMAL, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_NORMAL)  \
	X(TITLE,    COLOR_BLACK,  COLOR_CYAN,  A_BOLD,   COLOR_WHITE, COLOR_BLUE,  A_BOLD,   A_REVERSE) \
	X(STATUS,   COLOR_BLACK,  COLOR_WHITE, A_NORMAL, COLOR_WHITE, COLOR_BLACK, A_BOLD,   A_REVERSE) \
	X(KEYBAR,   COLOR_WHITE,  COLOR_BLUE,  A_NORMAL, COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_NORMAL)  \
	X(KEY,      COLOR_YELLOW, COLOR_BLUE,  A_BOLD,   COLOR_WHITE, COLOR_BLACK, A_BOLD,   A_REVERSE) \
	X(HEADING,  COLOR_CYAN,   COLOR_BLACK, A_BOLD,   COLOR_BLUE,  COLOR_WHITE, A_BOLD,   A_BOLD)    \
	X(SELECT,   COLOR_BLACK,  COLOR_YELLOW, A_NORMAL, COLOR_WHITE, COLOR_BLACK, A_BOLD,  A_REVERSE) \
	X(PASS,     COLOR_BLACK,  COLOR_GREEN, A_BOLD,   COLOR_WHITE, COLOR_GREEN, A_BOLD,   A_BOLD)    \
	X(FAIL,     COLOR_WHITE,  COLOR_RED,   A_BOLD,   COLOR_WHITE, COLOR_RED,   A_BOLD,   A_BOLD | A_REVERSE) \
	X(WAIT,     COLOR_BLACK,  COLOR_YELLOW, A_BOLD,  COLOR_BLACK, COLOR_YELLOW, A_BOLD,  A_UNDERLINE) \
	X(WARN,     COLOR_YELLOW, COLOR_BLACK, A_BOLD,   COLOR_RED,   COLOR_WHITE, A_BOLD,   A_BOLD)    \
	X(TRAINING, COLOR_BLACK,  COLOR_MAGENTA, A_BOLD, COLOR_WHITE, COLOR_MAGENTA, A_BOLD, A_BOLD | A_REVERSE) \
	X(DIM,      COLOR_WHITE,  COLOR_BLACK, A_DIM,    COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_DIM)     \
	X(INPUT,    COLOR_WHITE,  COLOR_BLUE,  A_NORMAL, COLOR_BLACK, COLOR_CYAN,  A_BOLD,   A_UNDERLINE) \
	X(ERROR,    COLOR_RED,    COLOR_BLACK, A_BOLD,   COLOR_RED,   COLOR_WHITE, A_BOLD,   A_BOLD)

enum ui_role {
#define X(r, fg, bg, a, hfg, hbg, ha, m) UI_ROLE_##r,
	UI_ROLE_LIST(X)
#undef X
	UI_ROLE_COUNT
};

enum ui_theme { UI_THEME_COLOUR, UI_THEME_CONTRAST, UI_THEME_MONO, UI_THEME_COUNT };

/* Parse "colour"/"color", "high-contrast"/"contrast", "mono"/"monochrome". */
int ui_theme_parse(const char *name, enum ui_theme *out);
const char *ui_theme_name(enum ui_theme t);
/* Install `t` (after initscr); falls back to mono without colour support. */
enum ui_theme ui_theme_apply(enum ui_theme t);
/* The attribute to draw role `r` with in the current theme. */
attr_t ui_attr(enum ui_role r);

#endif
