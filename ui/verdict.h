/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict: the words and roles of step states and live marks (always a
 * word; colour only helps). */
#ifndef ZCS_UI_VERDICT_H
#define ZCS_UI_VERDICT_H

#include "engine/engine.h"
#include "theme.h"

const char *ui_status_word(enum eng_status s);
enum ui_role ui_status_role(enum eng_status s);
const char *ui_mark_word(enum eng_mark m);
enum ui_role ui_mark_role(enum eng_mark m);

#endif
