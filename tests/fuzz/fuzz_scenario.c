/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's scenario loader: the input is a scenario file. */
#include "fuzz.h"
#include "sim/sim_ctl.h"
#include "sim/sim_scn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_ctx x;
	char path[128];
	struct zcs_err err = { 0 };

	fuzz_data_dir();
	snprintf(path, sizeof path, "%s/f.scn", fuzz_dir());
	fuzz_write(path, data, size);
	memset(&x, 0, sizeof x);
	sim_plant_init(&x.plant, &x.faults);
	if (sim_scn_load(&x, path, &err) == 0)
		sim_plant_tick(&x.plant, 1000);
	sim_plant_free(&x.plant);
	return 0;
}
