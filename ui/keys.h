/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys: the one table of actions, their keys, names and help lines.
 * The help screen and the key bar are drawn from it, so they cannot lie.
 * X(action, key1, key2, key3, keys as shown, key-bar label, help line) */
#ifndef ZCS_UI_KEYS_H
#define ZCS_UI_KEYS_H

#include <curses.h>

#define UI_ESC 27
#define UI_KEY_LIST(X)                                                                  \
	X(UP,       KEY_UP,    'k',   0,         "Up k", "Move",     "previous line or field")          \
	X(DOWN,     KEY_DOWN,  'j',   0,         "Down j", "Move",   "next line or field")              \
	X(LEFT,     KEY_LEFT,  'h',   0,         "Left h", "Left",   "previous choice; scroll left")     \
	X(RIGHT,    KEY_RIGHT, 'l',   0,         "Right l", "Right",  "next choice; scroll right")        \
	X(PGUP,     KEY_PPAGE, 0,     0,         "PgUp", "PgUp",     "page up")                         \
	X(PGDN,     KEY_NPAGE, ' ',   0,         "PgDn Spc", "PgDn", "page down")                       \
	X(ENTER,    '\n',      '\r',  KEY_ENTER, "Enter", "Choose",    "choose, confirm, go on")           \
	X(BACK,     UI_ESC,    0,     0,         "Esc", "Back",      "back to the previous screen; cancel") \
	X(TAB,      '\t',      0,     0,         "Tab", "Field",      "next field or panel")             \
	X(HELP,     KEY_F(1),  '?',   0,         "F1 ?", "Help",     "this help")                       \
	X(QUIT,     KEY_F(10), 'q',   0,         "F10 q", "Quit",    "quit (asks first; the session can be resumed)") \
	X(NEXT,     'n',       0,     0,         "n", "Next",        "next step")                       \
	X(PREV,     'p',       0,     0,         "p", "Prev",        "previous step")                   \
	X(RECHECK,  'c',       0,     0,         "c", "Check",        "check again now (new evidence window)") \
	X(SKIP,     'x',       0,     0,         "x", "Skip",        "skip the step, with a reason")     \
	X(APPLY,    'a',       0,     0,         "a", "Apply",        "apply the offered setting over Modbus (asks first)") \
	X(DRYRUN,   'D',       0,     0,         "D", "Dry run",      "dry run of writes on/off: show the frames, send nothing") \
	X(FIX,      'f',       0,     0,         "f", "Fix",          "training: do something on the plant (turn the CT, set an address...)") \
	X(INSTRUMENTS, 'i',    0,     0,         "i", "Look",         "training: look at the plant (nameplates, LEDs, display, clamp meter, meter)") \
	X(REMEDY,   'm',       0,     0,         "m", "Remedy",       "exercise: read the manual's remedy of a failing step (counted)") \
	X(DONE,     'y',       0,     0,         "y", "Done",        "confirm: I have done the action asked") \
	X(OVERVIEW, 'o',       KEY_F(2), 0,      "F2 o", "Steps",     "overview of all steps")           \
	X(WIRING,   'w',       KEY_F(3), 0,      "F3 w", "Wiring",     "wiring and pinout diagrams")      \
	X(DIP,      'd',       KEY_F(4), 0,      "F4 d", "DIP",     "battery DIP switches")            \
	X(RECORDS,  'r',       KEY_F(5), 0,      "F5 r", "Records",     "stored records: review, approve, reject") \
	X(SUMMARY,  's',       KEY_F(6), 0,      "F6 s", "Summary",     "summary of this commissioning")   \
	X(FILTER,   '/',       0,     0,         "/", "Filter",        "filter the list (records)")       \
	X(APPROVE,  'A',       0,     0,         "A", "Approve",        "approve the record shown")        \
	X(REJECT,   'R',       0,     0,         "R", "Reject",        "reject the record shown (asks for a reason)") \
	X(THEME,    't',       0,     0,         "t", "Theme",        "next theme: colour, high contrast (sunlight), monochrome")

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
