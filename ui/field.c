/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <curses.h>

#include "base/i18n.h"
#include "base/utf8.h"
#include "base/util.h"
#include "draw.h"
#include "field.h"
#include "keys.h"

void ui_field_set(struct ui_field *f, const char *text)
{
	zcs_strlcpy(f->buf, text ? text : "", sizeof f->buf);
	/* never a character cut in half by the copy */
	f->len = (int)utf8_prefix(f->buf, (size_t)-1);
	f->buf[f->len] = 0;
}

static int accepts(const struct ui_field *f, long c, size_t bytes)
{
	size_t chars = utf8_len(f->buf);

	if (c < 32 || c == 127 || (c >= 0x80 && c < 0xA0) || (f->max > 0 && (int)chars >= f->max) ||
	    f->len + bytes >= sizeof f->buf)
		return 0;
	if (f->allow)
		return c < 128 && strchr(f->allow, (int)c) != NULL;
	return !f->numeric || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

int ui_field_key(struct ui_field *f, int ch)
{
	long c = ui_key_char(ch);
	char enc[4];
	size_t n;

	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		f->len -= (int)utf8_last(f->buf, (size_t)f->len);
		f->buf[f->len] = 0;
		return 1;
	}
	if (ch == 21) {         /* Ctrl-U */
		f->len = 0;
		f->buf[0] = 0;
		return 1;
	}
	if (c < 0 || !(n = utf8_encode((uint32_t)c, enc)) || !accepts(f, c, n))
		return 0;
	memcpy(f->buf + f->len, enc, n);
	f->len += (int)n;
	f->buf[f->len] = 0;
	return 1;
}

/* The end of the text shows when it is wider than the field. */
void ui_field_draw(const struct ui_field *f, int y, int x, int w, int focus)
{
	const char *s = f->buf;
	int cols = utf8_width(s);

	while (*s && cols >= w) {
		uint32_t cp;
		size_t l = utf8_decode(s, strlen(s), &cp);

		cols -= utf8_cp_width(cp);
		s += l;
	}
	ui_fill(y, x, w, focus ? UI_ROLE_SELECT : UI_ROLE_INPUT);
	cols = ui_put(y, x, w, focus ? UI_ROLE_SELECT : UI_ROLE_INPUT, "%s", s);
	if (focus && cols < w)
		ui_put(y, x + cols, 1, UI_ROLE_SELECT, "_");
}
