/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The knowledge files (batteries, DIP switches, compatibility, EPS,
 * meters, parallel, countries): a copy of data/ where the first input byte
 * picks the file the rest of the input replaces. */
#include "base/kb.h"
#include "fuzz.h"

static const char *const files[] = { "batteries.conf", "dip.conf", "compat.conf", "eps.conf",
				     "meters.conf", "parallel.conf", "countries.conf" };

static void copy(const char *from_dir, const char *to_dir, const char *name)
{
	char a[512], b[512], buf[8192];
	FILE *in, *out;
	size_t n;

	snprintf(a, sizeof a, "%s/%s", from_dir, name);
	snprintf(b, sizeof b, "%s/%s", to_dir, name);
	if (!(in = fopen(a, "rb")) || !(out = fopen(b, "wb")))
		abort();
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *src;
	char path[512];
	struct zcs_err err = { 0 };
	struct kb *kb;
	size_t k;

	if (!src) {
		fuzz_data_dir();
		src = getenv("ZCS_DATA_DIR");
	}
	if (size < 1)
		return 0;
	k = data[0] % (sizeof files / sizeof files[0]);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		copy(src, fuzz_dir(), files[i]);
	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), files[k]);
	fuzz_write(path, data + 1, size - 1);
	kb = kb_load_dir(fuzz_dir(), &err);
	kb_free(kb);
	return 0;
}
