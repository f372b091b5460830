/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lexer of every data file: one line split into words and key=value. */
#include "base/lex.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size);
	struct lex_line ln;
	const char *why = NULL;

	if (lex_split(s, &ln, &why) == 0)
		for (int i = 0; i < ln.n; i++)
			(void)lex_get(&ln, ln.tok[i].key ? ln.tok[i].key : "x");
	free(s);
	return 0;
}
