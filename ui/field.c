#include <string.h>
#include <curses.h>

#include "base/util.h"
#include "draw.h"
#include "field.h"

void ui_field_set(struct ui_field *f, const char *text)
{
	zcs_strlcpy(f->buf, text ? text : "", sizeof f->buf);
	f->len = (int)strlen(f->buf);
}

static int accepts(const struct ui_field *f, int ch)
{
	int max = f->max > 0 && f->max < (int)sizeof f->buf ? f->max : (int)sizeof f->buf - 1;

	if (ch < 32 || ch > 126 || f->len >= max)
		return 0;
	if (f->allow)
		return strchr(f->allow, ch) != NULL;
	return !f->numeric || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
}

int ui_field_key(struct ui_field *f, int ch)
{
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (f->len > 0)
			f->buf[--f->len] = 0;
		return 1;
	}
	if (ch == 21) {         /* Ctrl-U */
		f->len = 0;
		f->buf[0] = 0;
		return 1;
	}
	if (!accepts(f, ch))
		return 0;
	f->buf[f->len++] = (char)ch;
	f->buf[f->len] = 0;
	return 1;
}

void ui_field_draw(const struct ui_field *f, int y, int x, int w, int focus)
{
	int start = f->len >= w ? f->len - w + 1 : 0;

	ui_fill(y, x, w, focus ? UI_ROLE_SELECT : UI_ROLE_INPUT);
	ui_put(y, x, w, focus ? UI_ROLE_SELECT : UI_ROLE_INPUT, "%s", f->buf + start);
	if (focus && f->len - start < w)
		ui_put(y, x + f->len - start, 1, UI_ROLE_SELECT, "_");
}
