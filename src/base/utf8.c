/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "base/utf8.h"
#include "base/util.h"

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t c, min;

	if (!n || !*u)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0)
		len = 2, c = u[0] & 0x1F, min = 0x80;
	else if ((u[0] & 0xF0) == 0xE0)
		len = 3, c = u[0] & 0x0F, min = 0x800;
	else if ((u[0] & 0xF8) == 0xF0)
		len = 4, c = u[0] & 0x07, min = 0x10000;
	else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			goto bad;
		c = c << 6 | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

size_t utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp > 0x10FFFF)
		return 0;
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x80)
		return cp >= 0x20 && cp != 0x7F;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/* The locale does not know it (LANG=C): wide East Asian blocks take two. */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	if ((cp >= 0x300 && cp <= 0x36F) || cp < 0xA0)
		return 0;
	return 1;
}

int utf8_width(const char *s)
{
	int w = 0;

	utf8_fit(s, 1 << 30, &w);
	return w;
}

size_t utf8_len(const char *s)
{
	size_t n = strlen(s), k = 0, l;
	uint32_t cp;

	for (size_t i = 0; (l = utf8_decode(s + i, n - i, &cp)); i += l)
		k++;
	return k;
}

size_t utf8_fit(const char *s, int cols, int *used)
{
	size_t n = s ? strlen(s) : 0, i = 0, l;
	int w = 0;
	uint32_t cp;

	while ((l = utf8_decode(s + i, n - i, &cp))) {
		int cw = utf8_cp_width(cp);

		if (w + cw > cols)
			break;
		w += cw;
		i += l;
	}
	if (used)
		*used = w;
	return i;
}

size_t utf8_prefix(const char *s, size_t chars)
{
	size_t n = strlen(s), i = 0, l;
	uint32_t cp;

	while (chars-- && (l = utf8_decode(s + i, n - i, &cp)))
		i += l;
	return i;
}

size_t utf8_last(const char *s, size_t len)
{
	size_t i = 0, l, last = 0;
	uint32_t cp;

	while (i < len && (l = utf8_decode(s + i, len - i, &cp))) {
		last = l;
		i += l;
	}
	return last;
}

char *utf8_cell(char *dst, size_t n, const char *s, int cols, int right)
{
	int w;
	size_t b = utf8_fit(s ? s : "", cols, &w), o = 0;

	if (!n)
		return dst;
	if (right)
		for (; w < cols && o + 1 < n; w++)
			dst[o++] = ' ';
	if (o + b >= n)
		b = utf8_fit(s, (int)(n - o - 1), NULL);
	memcpy(dst + o, s ? s : "", b);
	o += b;
	for (; w < cols && o + 1 < n; w++)
		dst[o++] = ' ';
	dst[o] = 0;
	return dst;
}

/* U+00C0..U+00FF and U+0100..U+017F by their base letter. */
static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
static const char latin_a[] =
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNn"
	"OoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* ASCII for one character ("" when it has none: then "?"). */
static const char *ascii_of(uint32_t cp, char one[2])
{
	static const struct { uint32_t cp; const char *s; } multi[] = {
		{ L'Æ', "AE" }, { L'æ', "ae" }, { L'ß', "ss" }, { L'Þ', "Th" }, { L'þ', "th" },
		{ L'Œ', "OE" }, { L'œ', "oe" }, { L'Ĳ', "IJ" }, { L'ĳ', "ij" },
		{ L' ', " " }, { L'°', "deg" }, { L'±', "+/-" }, { L'²', "2" }, { L'³', "3" },
		{ L'µ', "u" }, { L'·', "." }, { L'«', "<<" }, { L'»', ">>" }, { L'©', "(c)" },
		{ L'‘', "'" }, { L'’', "'" }, { L'“', "\"" }, { L'”', "\"" },
		{ L'–', "-" }, { L'—', "-" }, { L'…', "..." }, { L'€', "EUR" },
		{ L'→', "->" }, { L'←', "<-" }, { L'≤', "<=" }, { L'≥', ">=" },
		{ L'≠', "!=" }, { L'×', "x" }, { L'•', "*" }, { L'Ω', "Ohm" },
	};

	for (size_t i = 0; i < ZCS_ARRAY_LEN(multi); i++)
		if (multi[i].cp == cp)
			return multi[i].s;
	one[1] = 0;
	if (cp < 0x80)
		one[0] = (char)cp;
	else if (cp >= 0xC0 && cp <= 0xFF)
		one[0] = latin1[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		one[0] = latin_a[cp - 0x100];
	else if (cp >= 0x300 && cp <= 0x36F)
		return "";       /* a combining accent: the letter stays */
	else
		one[0] = '?';
	return one;
}

char *utf8_ascii(char *dst, size_t n, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, o = 0, l;
	uint32_t cp;
	char one[2];

	if (!n)
		return dst;
	while ((l = utf8_decode(s + i, len - i, &cp))) {
		const char *a = ascii_of(cp, one);
		size_t al = strlen(a);

		if (o + al >= n)
			break;
		memcpy(dst + o, a, al);
		o += al;
		i += l;
	}
	dst[o] = 0;
	return dst;
}

char *utf8_fold(const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, o = 0, l;
	char *out = xmalloc(len * 3 + 1), one[2];
	uint32_t cp;

	while ((l = utf8_decode(s + i, len - i, &cp))) {
		if (cp < 0x80 || (cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x300 && cp <= 0x36F)) {
			const char *a = ascii_of(cp, one);

			for (; *a; a++)
				out[o++] = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
		} else {
			uint32_t lc = (uint32_t)towlower((wint_t)cp);

			o += utf8_encode(lc ? lc : cp, out + o);
		}
		i += l;
	}
	out[o] = 0;
	return out;
}
