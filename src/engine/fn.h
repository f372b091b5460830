/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fn: the knowledge functions checklists may call (zcs-checklist(5)).
 *
 * Every fact comes from the catalogue of data/ (base/kb.h); nothing about a
 * battery, meter, country or parallel system is written here.  A fact the
 * sources do not state evaluates as "not known" with the reason, never as a
 * made-up value.  List answers ("51.2 51.4") have their own helpers. */
#ifndef ZCS_FN_H
#define ZCS_FN_H

#include <stddef.h>

#include "base/err.h"
#include "engine/expr.h"

/* Load the catalogue (reference counted: one per process). */
int fn_open(struct zcs_err *err);
void fn_close(void);

/* Load-time check of a call: 0, or -1 with why. */
int fn_check(const char *fn, int nargs, char *why, size_t nwhy);
int fn_call(const char *fn, const struct expr_val *args, int nargs, struct expr_val *out,
	    char *why, size_t nwhy);

/* Choice lists by provider name: "batteries", "countries". */
int fn_choices_ok(const char *provider);
const char *fn_choices(const char *provider);

#endif
