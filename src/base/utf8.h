/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8: text as the installer typed it (UTF-8), measured and cut by
 * characters and terminal columns, never by bytes.
 *
 * Promises:
 *  - no function splits a character: a cut lands between characters;
 *  - widths come from wcwidth() (a wide character takes 2 columns, a
 *    combining one 0); characters it does not know count 1;
 *  - invalid bytes count as one character of width 1 each;
 *  - utf8_ascii transliterates to plain ASCII ("Niccolò Pietà" ->
 *    "Niccolo Pieta"), for a terminal without UTF-8: never a blank;
 *  - utf8_fold gives the form searches compare: accents removed, lower case
 *    ("PIETÀ" and "pieta" fold alike).  The simulator may use it too. */
#ifndef ZCS_UTF8_H
#define ZCS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one character at s (n bytes there); returns its length in bytes
 * (1 for an invalid byte, *cp then U+FFFD), 0 at the end. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the length, 0 when invalid. */
size_t utf8_encode(uint32_t cp, char *out);
/* Columns one character takes. */
int utf8_cp_width(uint32_t cp);
/* Columns the string takes. */
int utf8_width(const char *s);
/* Characters in the string. */
size_t utf8_len(const char *s);
/* Bytes of the longest prefix of s that fits in `cols` columns; its width
 * in *used when not NULL. */
size_t utf8_fit(const char *s, int cols, int *used);
/* Bytes of the first `chars` characters of s. */
size_t utf8_prefix(const char *s, size_t chars);
/* Length in bytes of the last character of s[0..len) (0 when empty). */
size_t utf8_last(const char *s, size_t len);
/* A table cell: s cut to `cols` columns and padded with spaces to exactly
 * `cols` (left-aligned, or right-aligned when `right`), into dst. */
char *utf8_cell(char *dst, size_t n, const char *s, int cols, int right);
/* Plain ASCII transliteration into dst. */
char *utf8_ascii(char *dst, size_t n, const char *s);
/* The folded form (accents off, lower case), newly allocated. */
char *utf8_fold(const char *s);

#endif
