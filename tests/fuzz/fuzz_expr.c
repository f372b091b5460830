/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The expression language: parse, walk, evaluate against names and
 * functions that answer from the input itself. */
#include "engine/expr.h"
#include "fuzz.h"

static int name(void *ctx, const char *n, struct expr_val *out, char *why, size_t nwhy)
{
	(void)ctx;
	if (n[0] == 'u') {
		snprintf(why, nwhy, "unknown");
		return EXPR_UNKNOWN;
	}
	if (n[0] == 's')
		expr_str(out, n);
	else
		expr_num(out, (double)strlen(n) - 3.5);
	return EXPR_OK;
}

static int call(void *ctx, const char *fn, const struct expr *const *raw,
		const struct expr_val *args, int nargs, struct expr_val *out, char *why,
		size_t nwhy)
{
	(void)ctx;
	(void)raw;
	if (fn[0] == 'e') {
		snprintf(why, nwhy, "error");
		return EXPR_ERROR;
	}
	expr_num(out, nargs && args[0].type == EXPR_NUM ? args[0].num * 2 : nargs);
	return EXPR_OK;
}

static int v_name(void *ctx, const char *n) { (void)ctx; (void)n; return 0; }
static int v_call(void *ctx, const char *fn, const struct expr *const *a, int n)
{
	(void)ctx; (void)fn; (void)a; (void)n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_text(data, size), why[200], buf[64];
	struct expr_env env = { NULL, name, call };
	struct expr_visitor vis = { NULL, v_name, v_call };
	struct expr_val v;
	struct expr *e = expr_parse(s, why, sizeof why);

	if (e) {
		expr_walk(e, &vis);
		if (expr_eval(e, &env, &v, why, sizeof why) == EXPR_OK) {
			expr_format(&v, buf, sizeof buf);
			(void)expr_truthy(&v);
		}
		(void)expr_as_name(e);
		expr_free(e);
	}
	free(s);
	return 0;
}
