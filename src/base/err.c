/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

int zcs_vfail(struct zcs_err *e, enum zcs_status code, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	return -1;
}

int zcs_fail(struct zcs_err *e, enum zcs_status code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zcs_vfail(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int zcs_prefix(struct zcs_err *e, const char *fmt, ...)
{
	char head[256], old[sizeof e->msg];
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	snprintf(e->msg, sizeof e->msg, "%s: %s", head, old);
	return -1;
}

void zcs_err_clear(struct zcs_err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *zcs_status_name(enum zcs_status code)
{
	switch (code) {
#define X(name, c, text) case ZCS_##name: return #name;
	ZCS_STATUS_LIST(X)
#undef X
	}
	return "UNKNOWN";
}

const char *zcs_status_text(enum zcs_status code)
{
	switch (code) {
#define X(name, c, text) case ZCS_##name: return text;
	ZCS_STATUS_LIST(X)
#undef X
	}
	return "unknown status";
}
