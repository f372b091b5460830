/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "draw.h"

static int utf8_term = 1;
static int clip_top = 0, clip_bot = 1 << 30;

void ui_clip(int top, int bottom)
{
	clip_top = top;
	clip_bot = bottom;
}

void ui_unclip(void)
{
	clip_top = 0;
	clip_bot = 1 << 30;
}

static int visible(int y)
{
	return y >= 0 && y < LINES && y >= clip_top && y < clip_bot;
}

void ui_draw_utf8(int on)
{
	utf8_term = on;
}

/* The text as the terminal can show it: UTF-8, or ASCII (never blanks). */
static const char *shown(const char *s, char *tmp, size_t n)
{
	return utf8_term ? s : utf8_ascii(tmp, n, s);
}

int ui_put(int y, int x, int w, enum ui_role r, const char *fmt, ...)
{
	char buf[1024], tmp[1024];
	const char *t;
	va_list ap;
	int cols;
	size_t n;

	if (w <= 0 || !visible(y))
		return 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	t = shown(buf, tmp, sizeof tmp);
	n = utf8_fit(t, w, &cols);
	attrset(ui_attr(r));
	mvaddnstr(y, x, t, (int)n);
	attrset(ui_attr(UI_ROLE_NORMAL));
	return cols;
}

void ui_fill(int y, int x, int w, enum ui_role r)
{
	if (w <= 0 || !visible(y))
		return;
	attrset(ui_attr(r));
	mvhline(y, x, ' ', w);
	attrset(ui_attr(UI_ROLE_NORMAL));
}

/* Bytes of the next line of at most w columns starting at s: up to a
 * newline, else cut at the last space that fits, else at w columns. */
static int line_len(const char *s, int w, int *skip)
{
	size_t len = strcspn(s, "\n"), i = 0, l, space = 0;
	int cols = 0;
	uint32_t cp;

	*skip = 0;
	while (i < len && (l = utf8_decode(s + i, len - i, &cp))) {
		int cw = utf8_cp_width(cp);

		if (cols + cw > w)
			break;
		if (cp == ' ')
			space = i;
		cols += cw;
		i += l;
	}
	if (i < len && s[i] == ' ')
		space = i;
	if (i == len) {
		*skip = s[len] == '\n';
		return (int)len;
	}
	if (space == 0)
		return i ? (int)i : (int)utf8_decode(s, len, &cp);
	*skip = 1;
	return (int)space;
}

static int wrap(int y, int x, int w, int maxrows, enum ui_role r, const char *text, int draw)
{
	static char tmp[8192];
	int rows = 0;
	const char *s = shown(text ? text : "", tmp, sizeof tmp);

	if (w <= 0)
		return 0;
	while (*s && rows < maxrows) {
		int skip, n = line_len(s, w, &skip);

		if (draw && visible(y + rows)) {
			attrset(ui_attr(r));
			mvaddnstr(y + rows, x, s, n);
		}
		s += n + skip;
		rows++;
	}
	attrset(ui_attr(UI_ROLE_NORMAL));
	return rows;
}

int ui_wrap(int y, int x, int w, int maxrows, enum ui_role r, const char *text)
{
	return wrap(y, x, w, maxrows, r, text, 1);
}

int ui_wrap_rows(int w, const char *text)
{
	return wrap(0, 0, w, 1 << 20, UI_ROLE_NORMAL, text, 0);
}

struct ui_rect ui_box(struct ui_rect r, enum ui_role role, const char *title)
{
	struct ui_rect in = { r.y + 1, r.x + 2, r.h - 2, r.w - 4 };

	for (int i = 0; i < r.h; i++)
		ui_fill(r.y + i, r.x, r.w, role);
	attrset(ui_attr(role));
	mvhline(r.y, r.x, ACS_HLINE, r.w);
	mvhline(r.y + r.h - 1, r.x, ACS_HLINE, r.w);
	mvvline(r.y, r.x, ACS_VLINE, r.h);
	mvvline(r.y, r.x + r.w - 1, ACS_VLINE, r.h);
	mvaddch(r.y, r.x, ACS_ULCORNER);
	mvaddch(r.y, r.x + r.w - 1, ACS_URCORNER);
	mvaddch(r.y + r.h - 1, r.x, ACS_LLCORNER);
	mvaddch(r.y + r.h - 1, r.x + r.w - 1, ACS_LRCORNER);
	if (title)
		mvprintw(r.y, r.x + 2, " %s ", title);
	attrset(ui_attr(UI_ROLE_NORMAL));
	return in;
}
