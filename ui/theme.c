/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "theme.h"

struct role_def {
	short fg, bg;
	attr_t attr;
	short hfg, hbg;
	attr_t hattr, mono;
};

static const struct role_def roles[UI_ROLE_COUNT] = {
#define X(r, fg, bg, a, hfg, hbg, ha, m) [UI_ROLE_##r] = { fg, bg, a, hfg, hbg, ha, m },
	UI_ROLE_LIST(X)
#undef X
};

static enum ui_theme current = UI_THEME_MONO;

static const char *const names[UI_THEME_COUNT] = {
	[UI_THEME_COLOUR] = "colour",
	[UI_THEME_CONTRAST] = "high-contrast",
	[UI_THEME_MONO] = "monochrome",
};

int ui_theme_parse(const char *name, enum ui_theme *out)
{
	static const struct { const char *word; enum ui_theme t; } words[] = {
		{ "colour", UI_THEME_COLOUR }, { "color", UI_THEME_COLOUR },
		{ "default", UI_THEME_COLOUR }, { "high-contrast", UI_THEME_CONTRAST },
		{ "contrast", UI_THEME_CONTRAST }, { "sunlight", UI_THEME_CONTRAST },
		{ "mono", UI_THEME_MONO }, { "monochrome", UI_THEME_MONO },
	};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(name, words[i].word) == 0) {
			*out = words[i].t;
			return 0;
		}
	return -1;
}

const char *ui_theme_name(enum ui_theme t)
{
	return names[t];
}

enum ui_theme ui_theme_apply(enum ui_theme t)
{
	if (t != UI_THEME_MONO && !has_colors())
		t = UI_THEME_MONO;
	current = t;
	if (t != UI_THEME_MONO) {
		start_color();
		for (int r = 0; r < UI_ROLE_COUNT; r++) {
			const struct role_def *d = &roles[r];

			if (t == UI_THEME_COLOUR)
				init_pair((short)(r + 1), d->fg, d->bg);
			else
				init_pair((short)(r + 1), d->hfg, d->hbg);
		}
	}
	bkgdset(' ' | ui_attr(UI_ROLE_NORMAL));
	return t;
}

attr_t ui_attr(enum ui_role r)
{
	switch (current) {
	case UI_THEME_COLOUR:
		return COLOR_PAIR(r + 1) | roles[r].attr;
	case UI_THEME_CONTRAST:
		return COLOR_PAIR(r + 1) | roles[r].hattr;
	default:
		return roles[r].mono;
	}
}
