/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wiring: the wiring and pinout diagrams of data/wiring/NN-name.txt.
 *
 * A diagram file is header lines in the line format of base/lex.h, then a line "---", then
 * the diagram, kept verbatim:
 *
 *   title "Current sensor (CT) on the COM connector" section=11.1 conf=H \
 *       source="installer guide 11.1"
 *   ---
 *   ...the text diagram...
 *
 * Files load in name order.  A missing title, section or conf, an unknown
 * key or a missing "---" is a "file:line: what is wrong" ZCS_DATA error. */
#ifndef ZCS_ENGINE_WIRING_H
#define ZCS_ENGINE_WIRING_H

#include <stddef.h>

#include "base/err.h"

struct wiring_diagram {
	char *file;         /* base name */
	char *title, *section, *source;
	char conf;          /* H, M, L */
	char **lines;       /* the diagram */
	size_t nlines;
};

struct wiring_set {
	struct wiring_diagram *d;
	size_t n;
};

/* Load every .txt file of `dir` (NULL: <data dir>/wiring). */
int wiring_load(const char *dir, struct wiring_set *out, struct zcs_err *err);
void wiring_free(struct wiring_set *s);

/* The diagram in the language shown (base/i18n.h).  The drawing stays as it
 * is; a paragraph of prose (consecutive lines none of which draws: no
 * | [ ] < >, no "+-", "-+" or "---", no gap of three spaces after its indent)
 * is one text, its lines joined by a space, translated whole and wrapped
 * again to the paragraph's width and indent.  po/extract.py cuts the
 * same paragraphs.  Free the lines with wiring_lines_free(). */
const char *wiring_title(const struct wiring_diagram *d);
char **wiring_lines(const struct wiring_diagram *d, size_t *n);
void wiring_lines_free(char **lines, size_t n);

#endif
