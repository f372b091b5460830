/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checklist loader (and the expressions in it): the input is the one
 * part file of a procedure whose index names it. */
#include "base/regmap.h"
#include "engine/checklist.h"
#include "fuzz.h"

static int fn_ok(const char *fn, int nargs, char *why, size_t nwhy)
{
	(void)why;
	(void)nwhy;
	return strlen(fn) < 3 || nargs > 3 ? -1 : 0;
}

static int name_ok(const char *name) { return name[0] != 'z'; }
static int choices_ok(const char *p) { return p[0] != 'z'; }

static const struct chk_names names = { fn_ok, name_ok, choices_ok };
static struct regmap *map;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[160];
	struct zcs_err err = { 0 };
	struct checklist *c;
	static int ready;

	if (!ready) {
		FILE *f;

		fuzz_data_dir();
		map = regmap_open("g3", NULL);
		snprintf(path, sizeof path, "%s/index.chk", fuzz_dir());
		if (!map || !(f = fopen(path, "w")))
			abort();
		fputs("checklist version=1 title=\"fuzz\"\nwindow samples=5 seconds=3 settle=10\n"
		      "part f\n", f);
		fclose(f);
		ready = 1;
	}
	snprintf(path, sizeof path, "%s/f.chk", fuzz_dir());
	fuzz_write(path, data, size);
	c = checklist_load(fuzz_dir(), map, &names, &err);
	checklist_free(c);
	return 0;
}
