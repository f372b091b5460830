/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's control commands (socket, stdin, scenario lines): each
 * input line is one command to a plant loaded with the clean scenario. */
#include "fuzz.h"
#include "sim/sim_ctl.h"
#include "sim/sim_scn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sim_ctx x;
	static FILE *devnull;
	char *text = fuzz_text(data, size), *save = NULL;

	if (!devnull) {
		fuzz_data_dir();
		devnull = fopen("/dev/null", "w");
	}
	memset(&x, 0, sizeof x);
	sim_plant_init(&x.plant, &x.faults);
	if (sim_scn_load(&x, "clean", NULL) < 0)
		abort();
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		x.now_ms += 500;
		sim_ctl_line(&x, l, devnull);
	}
	sim_plant_tick(&x.plant, x.now_ms + 1000);
	sim_plant_free(&x.plant);
	free(text);
	return 0;
}
