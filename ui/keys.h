/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys: the one table of actions, their keys, names and help lines.
 * The help screen and the key bar are drawn from it, so they cannot lie.
 * X(action, key1, key2, key3, keys as shown, key-bar label, help line) */
#ifndef ZCS_UI_KEYS_H
#define ZCS_UI_KEYS_H

#include <curses.h>

#include "base/i18n.h"

#define UI_ESC 27
#define UI_KEY_LIST(X)                                                                  \
	X(UP,       KEY_UP,    'k',   0,         "Up k", N_("Move"), N_("previous line or field"))          \
	X(DOWN,     KEY_DOWN,  'j',   0,         "Down j", N_("Move"), N_("next line or field"))              \
	X(LEFT,     KEY_LEFT,  'h',   0,         "Left h", N_("Left"), N_("previous choice; scroll left"))     \
	X(RIGHT,    KEY_RIGHT, 'l',   0,         "Right l", N_("Right"), N_("next choice; scroll right"))        \
	X(PGUP,     KEY_PPAGE, 0,     0,         "PgUp", N_("PgUp"), N_("page up"))                         \
	X(PGDN,     KEY_NPAGE, ' ',   0,         "PgDn Spc", N_("PgDn"), N_("page down"))                       \
	X(ENTER,    '\n',      '\r',  KEY_ENTER, "Enter", N_("Choose"), N_("choose, confirm, go on"))           \
	X(BACK,     UI_ESC,    0,     0,         "Esc", N_("Back"), N_("back to the previous screen; cancel")) \
	X(TAB,      '\t',      0,     0,         "Tab", N_("Field"), N_("next field or panel"))             \
	X(HELP,     KEY_F(1),  '?',   0,         "F1 ?", N_("Help"), N_("this help"))                       \
	X(QUIT,     KEY_F(10), 'q',   0,         "F10 q", N_("Quit"), N_("quit (asks first; the session can be resumed)")) \
	X(NEXT,     'n',       0,     0,         "n", N_("Next"), N_("next step"))                       \
	X(PREV,     'p',       0,     0,         "p", N_("Prev"), N_("previous step"))                   \
	X(RECHECK,  'c',       0,     0,         "c", N_("Check"), N_("check again now (new evidence window)")) \
	X(SKIP,     'x',       0,     0,         "x", N_("Skip"), N_("skip the step, with a reason"))     \
	X(APPLY,    'a',       0,     0,         "a", N_("Apply"), N_("apply the offered setting over Modbus (asks first)")) \
	X(DRYRUN,   'D',       0,     0,         "D", N_("Dry run"), N_("dry run of writes on/off: show the frames, send nothing")) \
	X(FIX,      'f',       0,     0,         "f", N_("Fix"), N_("training: do something on the plant (turn the CT, set an address...)")) \
	X(INSTRUMENTS, 'i',    0,     0,         "i", N_("Look"), N_("training: look at the plant (nameplates, LEDs, display, clamp meter, meter)")) \
	X(REMEDY,   'm',       0,     0,         "m", N_("Remedy"), N_("exercise: read the manual's remedy of a failing step (counted)")) \
	X(DONE,     'y',       0,     0,         "y", N_("Done"), N_("confirm: I have done the action asked")) \
	X(OVERVIEW, 'o',       KEY_F(2), 0,      "F2 o", N_("Steps"), N_("overview of all steps"))           \
	X(WIRING,   'w',       KEY_F(3), 0,      "F3 w", N_("Wiring"), N_("wiring and pinout diagrams"))      \
	X(DIP,      'd',       KEY_F(4), 0,      "F4 d", N_("DIP"), N_("battery DIP switches"))            \
	X(RECORDS,  'r',       KEY_F(5), 0,      "F5 r", N_("Records"), N_("stored records: review, approve, reject")) \
	X(SUMMARY,  's',       KEY_F(6), 0,      "F6 s", N_("Summary"), N_("summary of this commissioning"))   \
	X(FILTER,   '/',       0,     0,         "/", N_("Filter"), N_("filter the list (records)"))       \
	X(APPROVE,  'A',       0,     0,         "A", N_("Approve"), N_("approve the record shown"))        \
	X(REJECT,   'R',       0,     0,         "R", N_("Reject"), N_("reject the record shown (asks for a reason)")) \
	X(THEME,    't',       0,     0,         "t", N_("Theme"), N_("next theme: colour, high contrast (sunlight), monochrome")) \
	X(LANG,     'L',       0,     0,         "L", N_("Language"), N_("language: Italiano / English (on this help screen)"))

enum ui_action {
	UI_ACT_NONE = 0,
#define X(a, k1, k2, k3, shown, label, help) UI_ACT_##a,
	UI_KEY_LIST(X)
#undef X
	UI_ACT_COUNT
};

struct ui_key {
	enum ui_action action;
	int keys[3];
	const char *shown;
	const char *label;
	const char *help;
};

extern const struct ui_key ui_keys[];
extern const int ui_nkeys;

/* A key as the loop passes it: a curses key code (KEY_F(1)...), an ASCII
 * character, or UI_CHAR_BASE + a Unicode character above ASCII (so that
 * "ò" or "Ā" never reads as a function key). */
#define UI_CHAR_BASE 0x1000000
/* The Unicode character a key types, or -1 for a function key or a control. */
long ui_key_char(int ch);
/* 1 for the keys that act anywhere, even while typing in a field: the
 * F-keys, Esc, Tab, Enter, arrows, pages, and Ctrl combinations. */
int ui_key_global_ok(int ch);

enum ui_action ui_key_action(int ch);
const struct ui_key *ui_key_of(enum ui_action a);
/* Short label for the key bar ("Enter", "F1 ?"). */
const char *ui_key_shown(enum ui_action a);

#endif
