/* SPDX-License-Identifier: GPL-3.0-or-later */
/* l10n: what the engine says, in the language shown (base/i18n.h).
 *
 * The engine renders the checklist's texts in English, {expr} filled in,
 * and records them so: stored details stay the same whatever language the
 * session was run in.  Where they are shown (the wizard, run's output, a
 * report) they are translated here: the English template a rendered text
 * came from is found among the checklist's texts (its {expr} parts match
 * the values put in), its translation taken, and the same values put in
 * its {expr} places, numbers in the language's form.
 *
 * A verdict's detail is translated line by line: "LABEL VALUE, expected
 * BOUNDS: ok", "LABEL: VALUE: FAIL", a rule's text, "PROMPT: ANSWER",
 * "confirmed by WHO: TEXT", "done by the installer: ACTION". */
#ifndef ZCS_L10N_H
#define ZCS_L10N_H

#include "engine/checklist.h"

/* The checklist whose texts rendered ones come from (engine_new calls it). */
void l10n_use(const struct checklist *c);
/* A printf format whose English output may be shown (engine/rules.c marks
 * its sentences so): its output is translated like a template, each
 * conversion a value.  Kept by pointer: a string literal. */
void l10n_format(const char *fmt);
/* Newly allocated: `rendered` in the language shown (a copy in English). */
char *l10n_text(const char *rendered);
/* Newly allocated: every line of a verdict's detail translated. */
char *l10n_detail(const char *detail);
/* Newly allocated: an expectation's bounds ("at least 500 W"). */
char *l10n_expected(const char *expected);

#endif
