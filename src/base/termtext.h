/* SPDX-License-Identifier: GPL-3.0-or-later */
/* termtext: what may reach a terminal.  Names typed by people and strings
 * read from USB devices can hold escape sequences that would move the
 * cursor, retitle the window or worse: every control character (C0, DEL,
 * C1) and every byte that is not UTF-8 is shown as \xNN instead. */
#ifndef ZCS_TERMTEXT_H
#define ZCS_TERMTEXT_H

#include <stddef.h>
#include <stdio.h>

/* The printable form of s (NULL: "") into buf; newlines are kept when
 * keep_nl.  Truncated to fit; returns buf. */
char *term_text(const char *s, int keep_nl, char *buf, size_t n);
/* Write n bytes of s to f, printable, newlines kept. */
void term_write(FILE *f, const char *s, size_t n);

#endif
