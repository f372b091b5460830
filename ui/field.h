/* SPDX-License-Identifier: GPL-3.0-or-later */
/* field: a one-line text input for forms and prompts. */
#ifndef ZCS_UI_FIELD_H
#define ZCS_UI_FIELD_H

#include "theme.h"

struct ui_field {
	char buf[160];
	int len;
	int max;                /* characters allowed, 0: the buffer */
	int numeric;            /* digits, '.', '-' only */
	const char *allow;      /* when set, only these characters */
};

void ui_field_set(struct ui_field *f, const char *text);
/* 1 when `ch` edited the field (printable, Backspace, Ctrl-U), else 0. */
int ui_field_key(struct ui_field *f, int ch);
/* Draw in w columns; the cursor shown when `focus`. */
void ui_field_draw(const struct ui_field *f, int y, int x, int w, int focus);

#endif
