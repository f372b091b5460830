#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <curses.h>

#include "draw.h"

int ui_put(int y, int x, int w, enum ui_role r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	if (w <= 0 || y < 0 || y >= LINES)
		return 0;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	n = (int)strlen(buf);
	if (n > w)
		n = w;
	attrset(ui_attr(r));
	mvaddnstr(y, x, buf, n);
	attrset(ui_attr(UI_ROLE_NORMAL));
	return n;
}

void ui_fill(int y, int x, int w, enum ui_role r)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	attrset(ui_attr(r));
	mvhline(y, x, ' ', w);
	attrset(ui_attr(UI_ROLE_NORMAL));
}

/* Length of the next line of at most w columns starting at s. */
static int line_len(const char *s, int w, int *skip)
{
	int n = (int)strcspn(s, "\n"), cut;

	*skip = 0;
	if (n <= w) {
		*skip = s[n] == '\n';
		return n;
	}
	for (cut = w; cut > 0 && s[cut] != ' '; cut--)
		;
	if (cut == 0)
		return w;
	*skip = 1;
	return cut;
}

static int wrap(int y, int x, int w, int maxrows, enum ui_role r, const char *text, int draw)
{
	int rows = 0;
	const char *s = text ? text : "";

	if (w <= 0)
		return 0;
	while (*s && rows < maxrows) {
		int skip, n = line_len(s, w, &skip);

		if (draw) {
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
