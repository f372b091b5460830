/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tap.h: the smallest TAP producer, for unit tests run by prove(1).
 *   ok(cond, "name %d", x); is_int(a, b, "name"); is_str(a, b, "name");
 *   is_num(a, b, eps, "name"); return tap_done(); */
#ifndef ZCS_TAP_H
#define ZCS_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...)                                                   \
	do {                                                                     \
		long long g_ = (long long)(got), w_ = (long long)(want);         \
		if (!ok(g_ == w_, __VA_ARGS__))                                  \
			printf("#   got %lld, want %lld\n", g_, w_);             \
	} while (0)
#define is_str(got, want, ...)                                                   \
	do {                                                                     \
		const char *g_ = (got), *w_ = (want);                            \
		if (!ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))           \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",  \
			       w_ ? w_ : "(null)");                              \
	} while (0)
#define is_num(got, want, eps, ...)                                              \
	do {                                                                     \
		double g_ = (got), w_ = (want);                                  \
		if (!ok(fabs(g_ - w_) <= (eps), __VA_ARGS__))                    \
			printf("#   got %.10g, want %.10g\n", g_, w_);           \
	} while (0)
#define has_str(hay, needle, ...)                                                \
	do {                                                                     \
		const char *h_ = (hay), *n_ = (needle);                          \
		if (!ok(h_ && strstr(h_, n_), __VA_ARGS__))                      \
			printf("#   '%s' does not contain '%s'\n", h_ ? h_ : "", n_); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
