/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util: allocation that never returns NULL, time, small string helpers. */
#ifndef ZCS_UTIL_H
#define ZCS_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic milliseconds (for intervals) and wall-clock milliseconds since
 * the epoch (for records). */
int64_t zcs_now_ms(void);
int64_t zcs_wall_ms(void);
void zcs_sleep_ms(int64_t ms);
/* "2026-11-21T11:41:56.123Z" into buf (>= 32 bytes). */
char *zcs_iso_time(int64_t wall_ms, char *buf, size_t n);

/* Copy with truncation, always NUL-terminated; returns dst. */
char *zcs_strlcpy(char *dst, const char *src, size_t n);
/* Strict number parsing: the whole string must be a number.  Integers accept
 * 0x hex; doubles must be finite (nan, inf and overflow are refused).
 * Return 0 on success, -1 otherwise. */
int zcs_parse_long(const char *s, long *out);
int zcs_parse_double(const char *s, double *out);

#define ZCS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
