/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checklists' expression language: values, operators, unknowns and
 * errors, and the walk that finds the names a step reads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/expr.h"
#include "tap.h"

/* names: x = 2, s = 'ZM2E', unknown 'later', everything else an error */
static int name(void *ctx, const char *n, struct expr_val *out, char *why, size_t nwhy)
{
	(void)ctx;
	if (!strcmp(n, "x")) {
		expr_num(out, 2);
		return EXPR_OK;
	}
	if (!strcmp(n, "battery.model")) {
		expr_str(out, "zsx5000");
		return EXPR_OK;
	}
	if (!strcmp(n, "bad")) {     /* a value that is no number: an f32 NaN read */
		expr_num(out, NAN);
		return EXPR_OK;
	}
	if (!strcmp(n, "later")) {
		snprintf(why, nwhy, "later is not answered yet");
		return EXPR_UNKNOWN;
	}
	snprintf(why, nwhy, "unknown name '%s'", n);
	return EXPR_ERROR;
}

/* fault(word): 1 for ct_error; twice(n) */
static int call(void *ctx, const char *fn, const struct expr *const *raw,
		const struct expr_val *args, int nargs, struct expr_val *out, char *why,
		size_t nwhy)
{
	(void)ctx;
	if (!strcmp(fn, "fault")) {
		expr_num(out, !strcmp(expr_as_name(raw[0]), "ct_error"));
		return EXPR_OK;
	}
	if (!strcmp(fn, "twice") && nargs == 1 && args[0].type == EXPR_NUM) {
		expr_num(out, 2 * args[0].num);
		return EXPR_OK;
	}
	snprintf(why, nwhy, "no %s()", fn);
	return EXPR_ERROR;
}

static const struct expr_env env = { NULL, name, call };

static int eval_src(const char *src, struct expr_val *v, char *why, size_t n)
{
	struct expr *e = expr_parse(src, why, n);
	if (!e)
		return 99;
	int r = expr_eval(e, &env, v, why, n);
	expr_free(e);
	return r;
}

static double num(const char *src)
{
	struct expr_val v;
	char why[200];
	int r = eval_src(src, &v, why, sizeof why);
	return r == EXPR_OK && v.type == EXPR_NUM ? v.num : -12345;
}

static int result(const char *src)
{
	struct expr_val v;
	char why[200];
	return eval_src(src, &v, why, sizeof why);
}

static int count_name(void *ctx, const char *n)
{
	(void)n;
	(*(int *)ctx)++;
	return 0;
}

int main(void)
{
	char why[200];
	struct expr_val v;

	is_num(num("1 + 2 * 3"), 7, 1e-9, "precedence: 1 + 2 * 3 = 7");
	is_num(num("(1 + 2) * 3"), 9, 1e-9, "parentheses");
	is_num(num("-x + 0.5"), -1.5, 1e-9, "unary minus on a name");
	is_num(num("10 / 4"), 2.5, 1e-9, "division");
	is_num(num("0x10"), 16, 1e-9, "hex numbers");
	is_num(num("abs(-3) + min(4, 2, 8) + max(1, 5)"), 10, 1e-9, "abs, min, max");
	is_num(num("x >= 2 and x < 3"), 1, 1e-9, "comparisons and 'and'");
	is_num(num("not x == 2 or false"), 0, 1e-9, "'not' binds looser than '=='");
	is_num(num("battery.model == 'zsx5000'"), 1, 1e-9, "text equality, dotted names");
	is_num(num("battery.model != 'us2000'"), 1, 1e-9, "text inequality");
	is_num(num("'zsx' + '5000' == battery.model"), 1, 1e-9, "+ joins texts");
	is_num(num("twice(x) + fault(ct_error) + fault(meter_comm)"), 5, 1e-9,
	       "calls; fault() takes a bare word");
	is_num(num("pick(x > 1, 10, later)"), 10, 1e-9, "pick() needs only the chosen side");
	is_int(result("later + 1"), EXPR_UNKNOWN, "an unanswered name makes the value unknown");
	is_int(eval_src("bad == bad", &v, why, sizeof why), EXPR_ERROR,
	       "a NaN value is an error, not a comparison that passes");
	has_str(why, "'bad' is nan, not a finite number", "  naming the value");
	is_int(eval_src("bad < 3 or 1", &v, why, sizeof why), EXPR_ERROR, "  also inside 'or'");
	is_int(eval_src("1e308 * 10 > 0", &v, why, sizeof why), EXPR_ERROR,
	       "an overflow to infinity is an error");
	has_str(why, "not a finite number", "  saying so");
	is_num(num("false and later"), 0, 1e-9, "'and' decides without the unknown side");
	is_num(num("x == 2 or later"), 1, 1e-9, "'or' decides without the unknown side");
	is_int(result("later and true"), EXPR_UNKNOWN, "but not when the known side is true");

	is_int(eval_src("1 / 0", &v, why, sizeof why), EXPR_ERROR, "division by zero is an error");
	has_str(why, "division by zero", "and says so");
	is_int(eval_src("battery.model + 1", &v, why, sizeof why), EXPR_ERROR,
	       "text in arithmetic is an error");
	is_int(eval_src("battery.model < 'z'", &v, why, sizeof why), EXPR_ERROR,
	       "text compares only with == and !=");
	is_int(eval_src("nosuch + 1", &v, why, sizeof why), EXPR_ERROR, "an unknown name");
	has_str(why, "nosuch", "is named");

	ok(expr_parse("1 +", why, sizeof why) == NULL, "'1 +' does not parse");
	has_str(why, "ends too early", "the reason: the expression ends too early");
	{
		char deep[70000];
		struct expr *e;

		memset(deep, '(', 30000);
		deep[30000] = '1';
		memset(deep + 30001, ')', 30000);
		deep[60001] = '\0';
		ok(expr_parse(deep, why, sizeof why) == NULL && strstr(why, "nested more than"),
		   "30000 nested parentheses: refused with a message (%s)", why);
		for (int i = 0; i < 15000; i++)
			memcpy(deep + 4 * i, "not ", 4);
		strcpy(deep + 60000, "1");
		ok(expr_parse(deep, why, sizeof why) == NULL && strstr(why, "nested more than"),
		   "a long run of 'not': refused with a message");
		for (int i = 0; i < 10000; i++)
			memcpy(deep + 2 * i, "1+", 2);
		strcpy(deep + 20000, "1");
		ok(expr_parse(deep, why, sizeof why) == NULL && strstr(why, "operators"),
		   "10000 additions: refused with a message (%s)", why);
		e = expr_parse("not not ((((1)))) + -(-2) > 0", why, sizeof why);
		ok(e != NULL, "ordinary nesting still parses");
		expr_free(e);
	}
	ok(expr_parse("(1 + 2", why, sizeof why) == NULL, "unbalanced parenthesis");
	has_str(why, "')' expected", "the reason names the ')'");
	ok(expr_parse("a \"b\"", why, sizeof why) == NULL, "double quotes are refused");
	ok(expr_parse("x.", why, sizeof why) == NULL, "a name ending in '.'");
	ok(expr_parse("'open", why, sizeof why) == NULL, "an unclosed string");
	has_str(why, "column", "parse errors give the column");

	struct expr *e = expr_parse("grid_power + abs(load_power) > twice(pv_power)", why,
				    sizeof why);
	int names = 0;
	struct expr_visitor vis = { &names, count_name, NULL };
	expr_walk(e, &vis);
	is_int(names, 2, "the walk sees the names outside unknown calls (and inside abs)");
	is_str(expr_source(e), "grid_power + abs(load_power) > twice(pv_power)",
	       "the source text is kept");
	expr_free(e);

	expr_num(&v, -0.0);
	is_str(expr_format(&v, why, sizeof why), "0", "minus zero prints as 0");
	expr_num(&v, 1.25);
	is_str(expr_format(&v, why, sizeof why), "1.25", "fractions print");
	return tap_done();
}
