/* SPDX-License-Identifier: GPL-3.0-or-later */
/* expr: the small, safe expression language of the checklists.
 *
 *   numbers 1.5 -3 0x10, strings 'text' (single quotes: the checklist line
 *   already uses double quotes), names (battery.model, grid_power),
 *   calls name(arg, ...), + - * /, == != < <= > >=, and or not, ( ).
 *   built in: abs(x), min(a, ...), max(a, ...), pick(cond, a, b).
 *   + also joins two texts.  Comparisons and logic give 1 or 0; strings compare with == and != and
 *   are true when not empty.
 *
 * Nothing is looked up while parsing: names and functions are resolved by
 * the caller, once at load time (expr_walk) and again at every evaluation
 * (struct expr_env).  An evaluation either gives a value, says a value is
 * not known yet (an unanswered question, a register not read yet: the
 * caller shows WAIT), or fails with a sentence (division by zero, a string
 * where a number was needed, a function's own refusal). */
#ifndef ZCS_EXPR_H
#define ZCS_EXPR_H

#include <stddef.h>

#define EXPR_STR_MAX 1024

enum expr_type { EXPR_NONE, EXPR_NUM, EXPR_STR };

struct expr_val {
	enum expr_type type;
	double num;
	char str[EXPR_STR_MAX];
};

/* Evaluation results. */
enum { EXPR_OK = 0, EXPR_UNKNOWN = 1, EXPR_ERROR = -1 };

struct expr;

struct expr_env {
	void *ctx;
	/* Fill *out for `name`; EXPR_OK, EXPR_UNKNOWN, or EXPR_ERROR with why. */
	int (*name)(void *ctx, const char *name, struct expr_val *out, char *why, size_t nwhy);
	/* Call `fn`; the same results.  `raw` are the argument expressions, for
	 * functions that take a name rather than its value (fault(ct_error)). */
	int (*call)(void *ctx, const char *fn, const struct expr *const *raw,
		    const struct expr_val *args, int nargs, struct expr_val *out,
		    char *why, size_t nwhy);
};

/* Parse `src`; NULL with `why` ("unexpected ')' at column 7"). */
struct expr *expr_parse(const char *src, char *why, size_t nwhy);
void expr_free(struct expr *e);
const char *expr_source(const struct expr *e);

int expr_eval(const struct expr *e, const struct expr_env *env, struct expr_val *out,
	      char *why, size_t nwhy);

/* Visit every name and every call in `e`.  A visitor returning non-zero
 * stops the walk and that value is returned. */
struct expr_visitor {
	void *ctx;
	int (*name)(void *ctx, const char *name);
	int (*call)(void *ctx, const char *fn, const struct expr *const *args, int nargs);
};
int expr_walk(const struct expr *e, const struct expr_visitor *v);
/* The name when `e` is a bare name, else NULL. */
const char *expr_as_name(const struct expr *e);

void expr_num(struct expr_val *v, double x);
void expr_str(struct expr_val *v, const char *s);
int expr_truthy(const struct expr_val *v);
/* "1.5", "12", "'ZM2E'" -> "1.5", "12", "ZM2E" */
char *expr_format(const struct expr_val *v, char *buf, size_t n);

#endif
