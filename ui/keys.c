/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "keys.h"

const struct ui_key ui_keys[] = {
#define X(a, k1, k2, k3, shown, label, help) { UI_ACT_##a, { k1, k2, k3 }, shown, label, help },
	UI_KEY_LIST(X)
#undef X
};
const int ui_nkeys = (int)(sizeof ui_keys / sizeof ui_keys[0]);

enum ui_action ui_key_action(int ch)
{
	if (ch == 0)
		return UI_ACT_NONE;
	for (int i = 0; i < ui_nkeys; i++)
		for (int k = 0; k < 3; k++)
			if (ui_keys[i].keys[k] == ch)
				return ui_keys[i].action;
	return UI_ACT_NONE;
}

const struct ui_key *ui_key_of(enum ui_action a)
{
	for (int i = 0; i < ui_nkeys; i++)
		if (ui_keys[i].action == a)
			return &ui_keys[i];
	return NULL;
}

const char *ui_key_shown(enum ui_action a)
{
	const struct ui_key *k = ui_key_of(a);

	return k ? k->shown : "";
}

long ui_key_char(int ch)
{
	if (ch >= UI_CHAR_BASE)
		return (long)(ch - UI_CHAR_BASE);
	if (ch >= 32 && ch < 127)
		return ch;
	return -1;
}

int ui_key_global_ok(int ch)
{
	return ui_key_char(ch) < 0;
}
