/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The line format every data file shares. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/lex.h"
#include "tap.h"
#include "testmap.h"

static void test_split(void)
{
	char s1[] = "reg  a  key=value note=\"two words\" \"bare quoted\" # comment";
	char s2[] = "say msg=\"he said \\\"hi\\\" \\\\ back\"";
	char s3[] = "broken note=\"open";
	struct lex_line ln;
	const char *why = NULL;

	ok(lex_split(s1, &ln, &why) == 0 && ln.n == 5, "five tokens, comment dropped");
	ok(ln.tok[0].key == NULL && strcmp(ln.tok[0].val, "reg") == 0, "bare word");
	is_str(lex_get(&ln, "key"), "value", "key=value");
	is_str(lex_get(&ln, "note"), "two words", "quoted value keeps its space");
	ok(ln.tok[4].key == NULL && strcmp(ln.tok[4].val, "bare quoted") == 0, "quoted bare word");
	ok(lex_get(&ln, "missing") == NULL, "an absent key is NULL");
	ok(lex_split(s2, &ln, &why) == 0, "escapes parse");
	is_str(lex_get(&ln, "msg"), "he said \"hi\" \\ back", "\\\" and \\\\ unescape");
	ok(lex_split(s3, &ln, &why) < 0 && strstr(why, "not closed"), "an open quote is an error");
}

static void test_file(void)
{
	char *path = testmap_write("# header\n\nfirst a=1 \\\n   b=2\n  \nsecond x=\"#not a comment\"\n"
				   "third n=12x\n");
	struct lex_file lf;
	struct lex_line ln;
	struct zcs_err err = { 0 };
	long n = 0;

	ok(lex_open(&lf, path, &err) == 0, "opens");
	ok(lex_next(&lf, &ln, &err) == 1 && ln.lineno == 3, "first logical line starts at line 3");
	ok(lex_get(&ln, "a") && lex_get(&ln, "b") && strcmp(lex_get(&ln, "b"), "2") == 0,
	   "a backslash continues the line");
	ok(lex_next(&lf, &ln, &err) == 1 && ln.lineno == 6, "blank lines are skipped");
	is_str(lex_get(&ln, "x"), "#not a comment", "# inside quotes is text");
	ok(lex_next(&lf, &ln, &err) == 1, "third line");
	ok(lex_long(&lf, &ln, "n", &n, 1, &err) < 0, "12x is not a whole number");
	has_str(err.msg, ":7: n=12x is not a whole number", "the error names the line");
	ok(lex_next(&lf, &ln, &err) == 0, "end of file");
	lex_close(&lf);
	ok(lex_open(&lf, "/nonexistent/file", &err) < 0, "a missing file is an error");
	has_str(err.msg, "/nonexistent/file", "naming the file");
	unlink(path);
	free(path);
}

int main(void)
{
	test_split();
	test_file();
	return tap_done();
}
