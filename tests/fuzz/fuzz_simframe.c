/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's Modbus framing: the input's first byte picks TCP, RTU,
 * the logger's V5 or RTU over TCP, and the bus; the rest arrives as if
 * from a client. */
#include <fcntl.h>

#include "fuzz.h"
#include "sim/sim_ctl.h"
#include "sim/sim_scn.h"

static struct sim_ctx x;

static struct sim_dev *lookup(void *ctx, int bus, int slave)
{
	struct sim_plant *p = &((struct sim_ctx *)ctx)->plant;
	struct sim_inv *v;

	if (bus == SIM_BUS_INVERTERS)
		return (v = sim_plant_inverter(p, slave)) ? v->dev : NULL;
	if (p->meter_exch && (slave < 0 || p->meter_exch->slave == slave))
		return p->meter_exch;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;
	static const struct sim_server_opts o = { .baud = 9600, .char_bits = 10,
						  .logger_serial = 2712345678u };

	if (devnull < 0) {
		fuzz_data_dir();
		devnull = open("/dev/null", O_WRONLY);
		sim_plant_init(&x.plant, &x.faults);
		if (sim_scn_load(&x, "clean-ddsu", NULL) < 0)
			abort();
		x.server = sim_server_new(&x.faults, lookup, &x, &o);
	}
	if (size < 1)
		return 0;
	sim_server_feed(x.server, data[0] & 1, (data[0] >> 1) & 3, devnull, data + 1, size - 1,
			1000);
	return 0;
}
