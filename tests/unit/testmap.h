/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for unit tests that need a register map written on the spot. */
#ifndef ZCS_TESTMAP_H
#define ZCS_TESTMAP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/regmap.h"

/* Write `text` to a fresh temporary file; returns its malloc'd path. */
static inline char *testmap_write(const char *text)
{
	char tmpl[] = "/tmp/zcs-testmap-XXXXXX";
	int fd = mkstemp(tmpl);
	FILE *f;

	if (fd < 0)
		abort();
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return realpath(tmpl, NULL);
}

/* Load a map from text; *err gets the loader's message on failure. */
static inline struct regmap *testmap_load(const char *text, struct zcs_err *err, char **pathp)
{
	char *path = testmap_write(text);
	struct regmap *m = regmap_load(path, err);

	if (pathp)
		*pathp = path;
	else {
		unlink(path);
		free(path);
	}
	return m;
}

#endif
