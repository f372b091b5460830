/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8: widths, cuts between characters, transliteration and folding. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "tap.h"

int main(void)
{
	char buf[128];
	char *f;
	uint32_t cp;

	setlocale(LC_CTYPE, "C.UTF-8");
	is_int((int)utf8_len("Niccolò Pietà"), 13, "13 characters, 15 bytes");
	is_int(utf8_width("Niccolò Pietà"), 13, "13 columns");
	is_int(utf8_width("日本"), 4, "wide characters take two columns");
	is_int((int)utf8_fit("Pietà", 4, NULL), 4, "4 columns: 'Piet'");
	is_int((int)utf8_fit("Pietà", 5, NULL), 6, "5 columns: the whole 'Pietà' (6 bytes)");
	is_int((int)utf8_fit("日本", 3, NULL), 3, "a wide character never half shown");
	is_str(utf8_cell(buf, sizeof buf, "Società Àrezzo", 8, 0), "Società ", "a cell cuts by characters");
	is_str(utf8_cell(buf, sizeof buf, "Pietà", 7, 1), "  Pietà", "and pads by columns");
	is_int((int)utf8_last("Pietà", 6), 2, "the last character is two bytes");
	is_int((int)utf8_decode("\xC3", 1, &cp), 1, "a cut sequence is one invalid byte");
	is_int((int)cp, 0xFFFD, "read as U+FFFD");
	is_str(utf8_ascii(buf, sizeof buf, "Niccolò Pietà, Società Àrezzo, Straße"),
	       "Niccolo Pieta, Societa Arezzo, Strasse", "ASCII transliteration");
	is_str(utf8_ascii(buf, sizeof buf, "日"), "?", "no blank for what has no ASCII form");
	f = utf8_fold("PIETÀ Ñandú");
	is_str(f, "pieta nandu", "folded: no accents, lower case");
	free(f);
	return tap_done();
}
