/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"

enum node_kind { N_NUM, N_STR, N_NAME, N_CALL, N_NEG, N_NOT, N_BIN };

enum bin_op { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	      OP_AND, OP_OR };

#define EXPR_MAX_ARGS 8

struct expr {
	enum node_kind kind;
	double num;
	char *text;               /* string, name or function */
	enum bin_op op;
	struct expr *a, *b;       /* operands */
	struct expr *args[EXPR_MAX_ARGS];
	int nargs;
	char *src;                /* only on the root */
};

struct parser {
	const char *s, *p;
	char *why;
	size_t nwhy;
	int failed;
	int depth;                 /* nesting: parentheses, calls, -, not */
	int ops;                   /* binary operators: the tree's depth */
};

/* Far beyond any checklist's expression, far below the stack's limit. */
#define EXPR_MAX_DEPTH 64
#define EXPR_MAX_OPS 256

static struct expr *parse_or(struct parser *ps);

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = 1;
	int off = snprintf(ps->why, ps->nwhy, "column %d: ", (int)(ps->p - ps->s) + 1);
	if (off < 0 || (size_t)off >= ps->nwhy)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->why + off, ps->nwhy - (size_t)off, fmt, ap);
	va_end(ap);
}

/* Enter one level of nesting; 0 when the limit is reached (failed). */
static int deeper(struct parser *ps)
{
	if (ps->depth >= EXPR_MAX_DEPTH) {
		fail(ps, "nested more than %d levels deep: split the expression", EXPR_MAX_DEPTH);
		return 0;
	}
	ps->depth++;
	return 1;
}

static struct expr *node(enum node_kind k)
{
	struct expr *e = xcalloc(1, sizeof *e);
	e->kind = k;
	return e;
}

void expr_free(struct expr *e)
{
	if (!e)
		return;
	expr_free(e->a);
	expr_free(e->b);
	for (int i = 0; i < e->nargs; i++)
		expr_free(e->args[i]);
	free(e->text);
	free(e->src);
	free(e);
}

static void skip_ws(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int is_name_start(int c) { return isalpha(c) || c == '_'; }
static int is_name_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

/* Match a keyword or operator; keywords must not run into a name. */
static int accept(struct parser *ps, const char *tok)
{
	size_t n = strlen(tok);

	skip_ws(ps);
	if (strncmp(ps->p, tok, n) != 0)
		return 0;
	if (isalpha((unsigned char)tok[0]) && is_name_char((unsigned char)ps->p[n]))
		return 0;
	ps->p += n;
	return 1;
}

static struct expr *parse_number(struct parser *ps)
{
	char *end;
	double v;

	if (ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X'))
		v = (double)strtol(ps->p, &end, 16);
	else
		v = strtod(ps->p, &end);
	if (end == ps->p) {
		fail(ps, "a number was expected");
		return NULL;
	}
	ps->p = end;
	struct expr *e = node(N_NUM);
	e->num = v;
	return e;
}

static struct expr *parse_string(struct parser *ps)
{
	const char *start = ++ps->p;

	while (*ps->p && *ps->p != '\'')
		ps->p++;
	if (*ps->p != '\'') {
		fail(ps, "a string opened with ' is not closed");
		return NULL;
	}
	struct expr *e = node(N_STR);
	e->text = xmalloc((size_t)(ps->p - start) + 1);
	memcpy(e->text, start, (size_t)(ps->p - start));
	e->text[ps->p - start] = '\0';
	ps->p++;
	return e;
}

static struct expr *parse_call(struct parser *ps, struct expr *e)
{
	e->kind = N_CALL;
	if (accept(ps, ")"))
		return e;
	do {
		if (e->nargs == EXPR_MAX_ARGS) {
			fail(ps, "%s(): more than %d arguments", e->text, EXPR_MAX_ARGS);
			return e;
		}
		if (!deeper(ps))
			break;
		e->args[e->nargs] = parse_or(ps);
		ps->depth--;
		if (!e->args[e->nargs++])
			return e;
	} while (accept(ps, ","));
	if (!accept(ps, ")"))
		fail(ps, "')' expected after the arguments of %s()", e->text);
	return e;
}

static struct expr *parse_name(struct parser *ps)
{
	const char *start = ps->p;

	while (is_name_char((unsigned char)*ps->p))
		ps->p++;
	size_t n = (size_t)(ps->p - start);
	if (start[n - 1] == '.') {
		fail(ps, "a name cannot end with '.'");
		return NULL;
	}
	if ((n == 4 && strncmp(start, "true", 4) == 0) || (n == 5 && strncmp(start, "false", 5) == 0)) {
		struct expr *e = node(N_NUM);
		e->num = n == 4;
		return e;
	}
	struct expr *e = node(N_NAME);
	e->text = xmalloc(n + 1);
	memcpy(e->text, start, n);
	e->text[n] = '\0';
	if (accept(ps, "("))
		return parse_call(ps, e);
	return e;
}

static struct expr *parse_primary(struct parser *ps)
{
	skip_ws(ps);
	int c = (unsigned char)*ps->p;

	if (accept(ps, "(")) {
		if (!deeper(ps))
			return NULL;
		struct expr *e = parse_or(ps);
		ps->depth--;
		if (e && !accept(ps, ")"))
			fail(ps, "')' expected");
		return e;
	}
	if (isdigit(c) || (c == '.' && isdigit((unsigned char)ps->p[1])))
		return parse_number(ps);
	if (c == '\'')
		return parse_string(ps);
	if (is_name_start(c))
		return parse_name(ps);
	if (c == '"')
		fail(ps, "strings use single quotes inside an expression");
	else if (c == '\0')
		fail(ps, "the expression ends too early");
	else
		fail(ps, "unexpected '%c'", c);
	return NULL;
}

static struct expr *parse_unary(struct parser *ps)
{
	if (accept(ps, "-")) {
		if (!deeper(ps))
			return NULL;
		struct expr *e = node(N_NEG);
		e->a = parse_unary(ps);
		ps->depth--;
		return e;
	}
	return parse_primary(ps);
}

static struct expr *binary(struct parser *ps, enum bin_op op, struct expr *a, struct expr *b)
{
	if (++ps->ops > EXPR_MAX_OPS && !ps->failed)
		fail(ps, "more than %d operators: split the expression", EXPR_MAX_OPS);
	struct expr *e = node(N_BIN);
	e->op = op;
	e->a = a;
	e->b = b;
	return e;
}

static struct expr *parse_mul(struct parser *ps)
{
	struct expr *e = parse_unary(ps);

	while (e && !ps->failed) {
		if (accept(ps, "*"))
			e = binary(ps, OP_MUL, e, parse_unary(ps));
		else if (accept(ps, "/"))
			e = binary(ps, OP_DIV, e, parse_unary(ps));
		else
			break;
	}
	return e;
}

static struct expr *parse_add(struct parser *ps)
{
	struct expr *e = parse_mul(ps);

	while (e && !ps->failed) {
		if (accept(ps, "+"))
			e = binary(ps, OP_ADD, e, parse_mul(ps));
		else if (accept(ps, "-"))
			e = binary(ps, OP_SUB, e, parse_mul(ps));
		else
			break;
	}
	return e;
}

static struct expr *parse_cmp(struct parser *ps)
{
	static const struct { const char *tok; enum bin_op op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
		{ "<", OP_LT }, { ">", OP_GT },
	};
	struct expr *e = parse_add(ps);

	if (!e || ps->failed)
		return e;
	for (size_t i = 0; i < ZCS_ARRAY_LEN(ops); i++)
		if (accept(ps, ops[i].tok))
			return binary(ps, ops[i].op, e, parse_add(ps));
	return e;
}

static struct expr *parse_not(struct parser *ps)
{
	if (accept(ps, "not")) {
		if (!deeper(ps))
			return NULL;
		struct expr *e = node(N_NOT);
		e->a = parse_not(ps);
		ps->depth--;
		return e;
	}
	return parse_cmp(ps);
}

static struct expr *parse_and(struct parser *ps)
{
	struct expr *e = parse_not(ps);

	while (e && !ps->failed && accept(ps, "and"))
		e = binary(ps, OP_AND, e, parse_not(ps));
	return e;
}

static struct expr *parse_or(struct parser *ps)
{
	struct expr *e = parse_and(ps);

	while (e && !ps->failed && accept(ps, "or"))
		e = binary(ps, OP_OR, e, parse_and(ps));
	return e;
}

struct expr *expr_parse(const char *src, char *why, size_t nwhy)
{
	struct parser ps = { .s = src, .p = src, .why = why, .nwhy = nwhy };
	struct expr *e = parse_or(&ps);

	skip_ws(&ps);
	if (!ps.failed && *ps.p)
		fail(&ps, "unexpected '%s'", ps.p);
	if (!ps.failed && !e)
		fail(&ps, "empty expression");
	if (ps.failed) {
		expr_free(e);
		return NULL;
	}
	e->src = xstrdup(src);
	return e;
}

const char *expr_source(const struct expr *e) { return e->src ? e->src : ""; }

const char *expr_as_name(const struct expr *e)
{
	return e && e->kind == N_NAME ? e->text : NULL;
}

void expr_num(struct expr_val *v, double x)
{
	v->type = EXPR_NUM;
	v->num = x;
	v->str[0] = '\0';
}

void expr_str(struct expr_val *v, const char *s)
{
	v->type = EXPR_STR;
	v->num = 0;
	zcs_strlcpy(v->str, s, sizeof v->str);
}

int expr_truthy(const struct expr_val *v)
{
	if (v->type == EXPR_STR)
		return v->str[0] != '\0';
	return v->type == EXPR_NUM && v->num != 0;
}

char *expr_format(const struct expr_val *v, char *buf, size_t n)
{
	if (v->type == EXPR_STR)
		zcs_strlcpy(buf, v->str, n);
	else if (v->type == EXPR_NONE)
		zcs_strlcpy(buf, "?", n);
	else if (v->num == floor(v->num) && fabs(v->num) < 1e12)
		snprintf(buf, n, "%.0f", v->num == 0 ? 0.0 : v->num);
	else
		snprintf(buf, n, "%.3g", v->num);
	return buf;
}

static int say(char *why, size_t n, const char *fmt, ...) ZCS_PRINTF(3, 4);
static int say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return EXPR_ERROR;
}

static int compare(enum bin_op op, const struct expr_val *a, const struct expr_val *b,
		   struct expr_val *out, char *why, size_t nwhy)
{
	int c;

	if (a->type == EXPR_STR || b->type == EXPR_STR) {
		if (a->type != b->type)
			return say(why, nwhy, "cannot compare text with a number");
		if (op != OP_EQ && op != OP_NE)
			return say(why, nwhy, "text compares only with == and !=");
		c = strcmp(a->str, b->str);
	} else {
		c = a->num < b->num ? -1 : a->num > b->num ? 1 : 0;
	}
	switch (op) {
	case OP_EQ: expr_num(out, c == 0); break;
	case OP_NE: expr_num(out, c != 0); break;
	case OP_LT: expr_num(out, c < 0); break;
	case OP_LE: expr_num(out, c <= 0); break;
	case OP_GT: expr_num(out, c > 0); break;
	default: expr_num(out, c >= 0); break;
	}
	return EXPR_OK;
}

static int arith(enum bin_op op, const struct expr_val *a, const struct expr_val *b,
		 struct expr_val *out, char *why, size_t nwhy)
{
	if (op == OP_ADD && a->type == EXPR_STR && b->type == EXPR_STR) {
		/* + joins two texts */
		char joined[EXPR_STR_MAX];
		snprintf(joined, sizeof joined, "%s%s", a->str, b->str);
		expr_str(out, joined);
		return EXPR_OK;
	}
	if (a->type != EXPR_NUM || b->type != EXPR_NUM)
		return say(why, nwhy, "arithmetic needs numbers, not text ('%s')",
			   a->type == EXPR_STR ? a->str : b->str);
	switch (op) {
	case OP_ADD: expr_num(out, a->num + b->num); break;
	case OP_SUB: expr_num(out, a->num - b->num); break;
	case OP_MUL: expr_num(out, a->num * b->num); break;
	default:
		if (b->num == 0)
			return say(why, nwhy, "division by zero");
		expr_num(out, a->num / b->num);
	}
	return EXPR_OK;
}

static int eval_bin(const struct expr *e, const struct expr_env *env, struct expr_val *out,
		    char *why, size_t nwhy)
{
	struct expr_val a, b;
	int ra = expr_eval(e->a, env, &a, why, nwhy);

	if (ra == EXPR_ERROR)
		return ra;
	/* and/or decide early when the left side is enough */
	if (e->op == OP_AND && ra == EXPR_OK && !expr_truthy(&a)) {
		expr_num(out, 0);
		return EXPR_OK;
	}
	if (e->op == OP_OR && ra == EXPR_OK && expr_truthy(&a)) {
		expr_num(out, 1);
		return EXPR_OK;
	}
	int rb = expr_eval(e->b, env, &b, why, nwhy);
	if (rb == EXPR_ERROR)
		return rb;
	if (e->op == OP_AND && rb == EXPR_OK && !expr_truthy(&b)) {
		expr_num(out, 0);
		return EXPR_OK;
	}
	if (e->op == OP_OR && rb == EXPR_OK && expr_truthy(&b)) {
		expr_num(out, 1);
		return EXPR_OK;
	}
	if (ra == EXPR_UNKNOWN || rb == EXPR_UNKNOWN)
		return EXPR_UNKNOWN;
	if (e->op == OP_AND || e->op == OP_OR) {
		expr_num(out, e->op == OP_AND ? (expr_truthy(&a) && expr_truthy(&b))
					      : (expr_truthy(&a) || expr_truthy(&b)));
		return EXPR_OK;
	}
	if (e->op >= OP_EQ)
		return compare(e->op, &a, &b, out, why, nwhy);
	return arith(e->op, &a, &b, out, why, nwhy);
}

static int eval_builtin(const struct expr *e, const struct expr_val *args, struct expr_val *out,
			char *why, size_t nwhy)
{
	const char *fn = e->text;

	for (int i = 0; i < e->nargs; i++)
		if (args[i].type != EXPR_NUM)
			return say(why, nwhy, "%s() needs numbers", fn);
	if (strcmp(fn, "abs") == 0) {
		if (e->nargs != 1)
			return say(why, nwhy, "abs() takes one argument");
		expr_num(out, fabs(args[0].num));
		return EXPR_OK;
	}
	if (e->nargs < 1)
		return say(why, nwhy, "%s() needs at least one argument", fn);
	double v = args[0].num;
	for (int i = 1; i < e->nargs; i++)
		v = strcmp(fn, "min") == 0 ? fmin(v, args[i].num) : fmax(v, args[i].num);
	expr_num(out, v);
	return EXPR_OK;
}

static int is_builtin(const char *fn)
{
	return strcmp(fn, "abs") == 0 || strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0 ||
	       strcmp(fn, "pick") == 0;
}

static int eval_call(const struct expr *e, const struct expr_env *env, struct expr_val *out,
		     char *why, size_t nwhy)
{
	struct expr_val args[EXPR_MAX_ARGS];
	int unknown = 0;

	memset(args, 0, sizeof args);
	for (int i = 0; i < e->nargs; i++) {
		/* a bare name an environment does not know may still be a
		 * word the function reads itself (fault(ct_error)) */
		char scratch[200];
		int bare = e->args[i]->kind == N_NAME;
		int r = expr_eval(e->args[i], env, &args[i], bare ? scratch : why,
				  bare ? sizeof scratch : nwhy);
		if (r == EXPR_ERROR && !bare)
			return r;
		if (r == EXPR_UNKNOWN && bare)
			snprintf(why, nwhy, "%s", scratch);
		if (r == EXPR_UNKNOWN)
			unknown = 1;
		if (r != EXPR_OK)
			args[i].type = EXPR_NONE;
	}
	if (strcmp(e->text, "pick") == 0) {
		/* pick(condition, if_true, if_false): only the chosen side must be known */
		if (e->nargs != 3)
			return say(why, nwhy, "pick() takes a condition and two values");
		if (args[0].type == EXPR_NONE)
			return EXPR_UNKNOWN;
		const struct expr_val *v = &args[expr_truthy(&args[0]) ? 1 : 2];
		if (v->type == EXPR_NONE)
			return EXPR_UNKNOWN;
		*out = *v;
		return EXPR_OK;
	}
	if (is_builtin(e->text)) {
		if (unknown)
			return EXPR_UNKNOWN;
		return eval_builtin(e, args, out, why, nwhy);
	}
	if (!env || !env->call)
		return say(why, nwhy, "unknown function %s()", e->text);
	return env->call(env->ctx, e->text, (const struct expr *const *)e->args, args, e->nargs,
			 out, why, nwhy);
}

static int eval_node(const struct expr *e, const struct expr_env *env, struct expr_val *out,
		     char *why, size_t nwhy)
{
	int r;

	memset(out, 0, sizeof *out);
	switch (e->kind) {
	case N_NUM:
		expr_num(out, e->num);
		return EXPR_OK;
	case N_STR:
		expr_str(out, e->text);
		return EXPR_OK;
	case N_NAME:
		if (!env || !env->name)
			return say(why, nwhy, "unknown name '%s'", e->text);
		return env->name(env->ctx, e->text, out, why, nwhy);
	case N_CALL:
		return eval_call(e, env, out, why, nwhy);
	case N_NEG:
	case N_NOT:
		r = expr_eval(e->a, env, out, why, nwhy);
		if (r != EXPR_OK)
			return r;
		if (e->kind == N_NOT) {
			expr_num(out, !expr_truthy(out));
			return EXPR_OK;
		}
		if (out->type != EXPR_NUM)
			return say(why, nwhy, "cannot negate text");
		out->num = -out->num;
		return EXPR_OK;
	case N_BIN:
		return eval_bin(e, env, out, why, nwhy);
	}
	return EXPR_ERROR;
}

/* Every number an expression yields is finite: NaN would pass any
 * comparison it meets, infinity any bound. */
int expr_eval(const struct expr *e, const struct expr_env *env, struct expr_val *out,
	      char *why, size_t nwhy)
{
	int r = eval_node(e, env, out, why, nwhy);

	if (r != EXPR_OK || out->type != EXPR_NUM || isfinite(out->num))
		return r;
	if (e->kind == N_NAME)
		return say(why, nwhy, "'%s' is %g, not a finite number", e->text, out->num);
	if (e->kind == N_CALL)
		return say(why, nwhy, "%s() gives %g, not a finite number", e->text, out->num);
	return say(why, nwhy, "'%s' gives %g, not a finite number",
		   e->src ? e->src : "the arithmetic", out->num);
}

int expr_walk(const struct expr *e, const struct expr_visitor *v)
{
	int r = 0;

	if (!e)
		return 0;
	if (e->kind == N_NAME && v->name)
		return v->name(v->ctx, e->text);
	if (e->kind == N_CALL) {
		if (is_builtin(e->text)) {
			for (int i = 0; i < e->nargs && !r; i++)
				r = expr_walk(e->args[i], v);
			return r;
		}
		if (v->call)
			return v->call(v->ctx, e->text, (const struct expr *const *)e->args,
				       e->nargs);
		return 0;
	}
	r = expr_walk(e->a, v);
	if (!r)
		r = expr_walk(e->b, v);
	return r;
}
