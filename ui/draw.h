/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw: small drawing helpers on stdscr, clipped to a width. */
#ifndef ZCS_UI_DRAW_H
#define ZCS_UI_DRAW_H

#include "base/err.h"
#include "base/i18n.h"
#include "screen.h"
#include "theme.h"

/* Text is UTF-8, measured in columns (wcwidth) and cut between characters.
 * ui_draw_utf8(0): the terminal has no UTF-8 (LANG=C): text is shown
 * transliterated to ASCII ("Pieta"), never blank. */
void ui_draw_utf8(int on);
/* Draw only rows top..bottom-1 from now on (a scrolled region); rows
 * outside still count in what the helpers return. */
void ui_clip(int top, int bottom);
void ui_unclip(void);
/* Print at (y, x) at most `w` columns in role `r`; returns columns used. */
int ui_put(int y, int x, int w, enum ui_role r, const char *fmt, ...) ZCS_PRINTF(5, 6);
/* Fill row y from x for w columns with role r. */
void ui_fill(int y, int x, int w, enum ui_role r);
/* Word-wrap `text` into rows y.. (at most `maxrows`); returns rows used. */
int ui_wrap(int y, int x, int w, int maxrows, enum ui_role r, const char *text);
/* Rows `text` needs when wrapped to width w. */
int ui_wrap_rows(int w, const char *text);
/* A framed box; returns the inner rectangle. */
struct ui_rect ui_box(struct ui_rect r, enum ui_role role, const char *title);

#endif
