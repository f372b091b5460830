/* SPDX-License-Identifier: GPL-3.0-or-later */
/* termtext: control characters escaped for the terminal (termtext.h). */
#include <string.h>

#include "base/termtext.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		 : (s[0] & 0xF8) == 0xF0 && s[0] <= 0xF4 ? 4 : 0;

	if (k == 0 || k > n || (k == 2 && s[0] < 0xC2))
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return k;
}

/* 1 when the character at s (of length k) must be escaped. */
static int is_control(const unsigned char *s, size_t k, int keep_nl)
{
	if (k == 1)
		return (s[0] < 0x20 && !(keep_nl && s[0] == '\n')) || s[0] == 0x7F;
	return k == 2 && s[0] == 0xC2 && s[1] < 0xA0;       /* C1: U+0080..U+009F */
}

/* Calls put(piece, len) for each printable piece of s. */
static void each_piece(const char *str, size_t n, int keep_nl,
		       void (*put)(const char *, size_t, void *), void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_len(s + i, n - i);

		if (k && !is_control(s + i, k, keep_nl)) {
			put((const char *)s + i, k, arg);
			i += k;
			continue;
		}
		k = k ? k : 1;
		for (size_t j = 0; j < k; j++) {
			static const char hex[] = "0123456789abcdef";
			char e[4] = { '\\', 'x', hex[s[i + j] >> 4], hex[s[i + j] & 15] };

			put(e, 4, arg);
		}
		i += k;
	}
}

struct buf {
	char *b;
	size_t n, len;
	int full;
};

static void put_buf(const char *p, size_t k, void *arg)
{
	struct buf *b = arg;

	if (b->full || b->len + k + 1 > b->n) {
		b->full = 1;
		return;
	}
	memcpy(b->b + b->len, p, k);
	b->len += k;
}

char *term_text(const char *s, int keep_nl, char *buf, size_t n)
{
	struct buf b = { buf, n, 0, 0 };

	if (!n)
		return buf;
	if (s)
		each_piece(s, strlen(s), keep_nl, put_buf, &b);
	buf[b.len] = '\0';
	return buf;
}

static void put_file(const char *p, size_t k, void *arg)
{
	fwrite(p, 1, k, arg);
}

void term_write(FILE *f, const char *s, size_t n)
{
	each_piece(s, n, 1, put_file, f);
}
