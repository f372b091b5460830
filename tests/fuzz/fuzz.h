/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the libFuzzer harnesses (make fuzz): inputs as text or files. */
#ifndef ZCS_FUZZ_H
#define ZCS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The input as a NUL-terminated string (malloc'd). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Write the input to PATH. */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	fclose(f);
}

/* A private directory for this process's files. */
static inline const char *fuzz_dir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/zcs-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* Point the data directory at the repository's data/ when it is unset. */
static inline void fuzz_data_dir(void)
{
	if (!getenv("ZCS_DATA_DIR"))
		setenv("ZCS_DATA_DIR", "data", 0);
}

#endif
