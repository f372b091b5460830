/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answers parser of `run`: the input is an answers file; the run stops
 * at the connection (none is given) once the file is read. */
#include "engine/runner.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	struct runner_opts o;
	struct zcs_err err = { 0 };
	FILE *devnull = fopen("/dev/null", "w");

	snprintf(path, sizeof path, "%s/a.ans", fuzz_dir());
	fuzz_write(path, data, size);
	memset(&o, 0, sizeof o);
	link_params_default(&o.link);
	o.answers = path;
	o.out = devnull;
	runner_run(&o, NULL, NULL, &err);
	fclose(devnull);
	return 0;
}
